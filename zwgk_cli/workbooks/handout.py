"""What ``zwgk template`` hands out: a findings workbook per roster unit (each from its class's rule
set; the blank master without a roster), or one inspection matrix (``--matrix``) or review table
(``--adjustments``) for the units of the first rule set's class."""

from __future__ import annotations

from pathlib import Path

from .. import constants as C
from ..model import RuleBook, TemplateRun
from ..problems import Problem
from ..reading.roster import Roster, rules_for_roster
from .output import check_folder, long_path_warnings


def write_handout(book: RuleBook, roster: Roster | None, output: Path, *, force: bool = False,
                  matrix: bool = False, adjustments: bool = False, clauses: str | None = None,
                  method: str | None = None, source: str | None = None) -> TemplateRun:
    """Write what ``template`` hands out into the folder ``output`` (checked before anything is
    built); the files written and what to tell the clerk (the roster's dropped lines first)."""
    check_folder(output)
    units = roster.names if roster else []
    by_unit = rules_for_roster(book, roster)
    warnings: list[Problem] = list(roster.warnings) if roster else []
    if matrix or adjustments:
        from .sources import write_source_template

        made = write_source_template(book.default, units, output, review=adjustments, clause_ids=clauses,
                                     method=method, source=source, force=force, rules_by_unit=by_unit)
        kind = C.KIND_REVIEW if adjustments else C.KIND_MATRIX
        return TemplateRun(book.default, [made.path], made.units, made.warnings + long_path_warnings([made.path]),
                           kind)
    from .template import write_templates

    paths = write_templates(book.default, units, output, force=force, rules_by_unit=by_unit, warnings=warnings)
    return TemplateRun(book.default, paths, units, warnings + long_path_warnings(paths))
