"""zwgk: 政务公开工作考核 — templates, scoring and ranking of the county's departments.

Everything the command line does is available here, e.g.::

    from zwgk_cli import load_rules, rank_paths, read_roster
"""

from importlib import import_module

from .constants import VERSION as __version__  # noqa: F401 (the package's version)

# Public names and the module each lives in; imported on first use so that
# ``zwgk --help`` does not pay for pandas or openpyxl.
_EXPORTS = {
    "load_rules": "rules.loading",
    "load_rulebook": "rules.loading",
    "RuleSet": "model",
    "RuleBook": "model",
    "Entry": "model",
    "Findings": "model",
    "UnitResult": "model",
    "Report": "model",
    "parse_rule_text": "rules.text",
    "export_rules": "workbooks.ruletable",
    "import_rules": "reading.ruletable",
    "write_summary": "workbooks.summary",
    "write_feedback": "workbooks.feedback",
    "check_rules": "rules.checking",
    "read_all": "scoring.pipeline",
    "read_workbook": "reading.inputs",
    "score_units": "scoring.compute",
    "rank_units": "scoring.compute",
    "score_paths": "scoring.pipeline",
    "rank_paths": "scoring.pipeline",
    "write_templates": "workbooks.template",
    "read_roster": "reading.roster",
    # several sources of findings
    "write_matrix": "workbooks.sources",
    "write_review": "workbooks.sources",
    "read_input": "reading.inputs",
    "merge_sources": "scoring.merge",
    "Adjustment": "model",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
