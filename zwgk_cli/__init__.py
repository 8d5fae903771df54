"""zwgk: 政务公开工作考核 — templates, scoring and ranking of the county's departments.

Everything the command line does is available here, e.g.::

    from zwgk_cli import load_rules, rank_paths, read_roster
"""

from importlib import import_module

__version__ = "0.1.0"

# Public names and the module each lives in; imported on first use so that
# ``zwgk --help`` does not pay for pandas or openpyxl.
_EXPORTS = {
    "load_rules": "rules",
    "load_rulebook": "rules",
    "RuleSet": "rules",
    "RuleBook": "rules",
    "parse_rule_text": "ruletext",
    "export_rules": "ruleio",
    "import_rules": "ruleio",
    "write_summary": "summary",
    "write_feedback": "feedback",
    "check_rules": "rulecheck",
    "read_all": "pipeline",
    "read_workbook": "reader",
    "score_units": "scoring",
    "rank_units": "scoring",
    "score_paths": "pipeline",
    "rank_paths": "pipeline",
    "write_templates": "template",
    "read_roster": "roster",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
