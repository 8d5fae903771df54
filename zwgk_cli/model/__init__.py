"""The records every stage shares: plain data with no I/O.

- :mod:`.rules`: the rule set (categories, indicators, clauses, policies) and the rule book of a run;
- :mod:`.findings`: what was read (a unit's entries, a matrix's or review table's rows, one file's outcome);
- :mod:`.results`: what a run gives (each unit's result, last season, adjustments, the report).

Imported by every stage (``rules`` builds rule sets, ``reading`` fills findings, ``scoring`` turns
them into results); imports only the standard library and the base modules ``exact``,
``problems`` and ``constants``.
"""

from .findings import Entry, Findings, Meta, SourceRow, WorkbookRead
from .results import (
    SCORED_AS_FOUND,
    WITHHELD,
    Adjustment,
    ClauseResult,
    Evidence,
    InputFile,
    NewestChoice,
    PreviousSeason,
    Report,
    Standing,
    TemplateRun,
    UnitResult,
)
from .rules import (
    EVIDENCE_LEVELS,
    EVIDENCE_POLICIES,
    KEEP,
    NO_EVIDENCE,
    NOT_APPLICABLE_POLICIES,
    OPTIONAL,
    REQUIRED,
    RESCALE_CATEGORY,
    SCORING_KIND_LABELS,
    STRICT,
    WARN,
    Category,
    Clause,
    Erratum,
    Grade,
    Indicator,
    Kind,
    Part,
    RuleBook,
    RuleSet,
    Section,
    class_key,
    evidence_of,
)

__all__ = [
    "EVIDENCE_LEVELS", "EVIDENCE_POLICIES", "NO_EVIDENCE", "OPTIONAL", "REQUIRED", "STRICT", "WARN", "evidence_of",
    "KEEP", "NOT_APPLICABLE_POLICIES", "RESCALE_CATEGORY", "SCORING_KIND_LABELS", "Adjustment", "Category",
    "Clause", "ClauseResult", "Entry", "Evidence", "SCORED_AS_FOUND", "WITHHELD", "Erratum", "Meta", "Findings",
    "Grade", "Indicator", "InputFile", "Kind",
    "NewestChoice", "Part", "PreviousSeason", "Report", "RuleBook", "RuleSet", "Section", "SourceRow",
    "Standing", "TemplateRun", "UnitResult", "WorkbookRead", "class_key",
]
