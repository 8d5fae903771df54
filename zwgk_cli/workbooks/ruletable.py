"""Rule sets to and from spreadsheets shaped like the official table (:mod:`zwgk_cli.rules.table`):
``rules export`` writes one; ``rules import`` writes the rule file read from one
(:mod:`zwgk_cli.reading.ruletable`), and says what every command would refuse in it."""

from __future__ import annotations

from pathlib import Path

from ..cells import col_letter
from ..model import RuleSet
from ..problems import Level, Problem, RuleSetError
from ..rules.importing import ImportResult
from ..rules.table import (
    ERRATA_SHEET,
    INFO_SHEET,
    OFFICIAL,
    STRUCTURED,
    TABLE_SHEET,
    errata_rows,
    info_rows,
    table_rows,
)
from .output import atomic_write, text_cell
from .style import print_setup, set_widths, styles, table_header

WIDTHS = (14, 10, 18, 6, 44, 30, 16, 7, 8, 8, 7, 8, 7, 20, 7, 8)


def export_rules(rules: RuleSet, path: Path, *, force: bool = False) -> Path:
    """The rule set as a spreadsheet a county office can edit (one row per clause)."""
    from openpyxl import Workbook

    st = styles()
    wb = Workbook()
    ws = wb.active
    ws.title = TABLE_SHEET
    table_header(ws, 1, OFFICIAL + STRUCTURED, st)
    for row, values in enumerate(table_rows(rules), start=2):
        for col, value in enumerate(values, start=1):
            cell = text_cell(ws.cell(row=row, column=col), value if value != "" else None)
            cell.alignment = st["wrap"]
            cell.border = st["border"]
    set_widths(ws, {col_letter(i): width for i, width in enumerate(WIDTHS)})
    ws.freeze_panes = "A2"
    print_setup(ws, title_rows="1:1")
    for name, rows in ((INFO_SHEET, info_rows(rules)), (ERRATA_SHEET, errata_rows(rules))):
        sheet = wb.create_sheet(name)
        for row, values in enumerate(rows, start=1):
            for col, value in enumerate(values, start=1):
                text_cell(sheet.cell(row=row, column=col), value)
    return atomic_write(path, wb.save, force=force)


def import_to_file(table: Path, output: Path, *, force: bool = False) -> ImportResult:
    """Import ``table`` and write the rule file (atomically); the result says what needs a person."""
    from ..reading.ruletable import import_rules

    result = import_rules(table)
    text = dump_yaml(result.data)
    result.invalid = _refusals(text, output)
    atomic_write(output, text.encode("utf-8"), force=force)
    return result


def _refusals(text: str, output: Path) -> list[Problem]:
    """What every command would refuse in the rule file written (a duplicated row's 编号, weights
    not adding up …), so that the import says so now instead of exiting 0."""
    from ..rules.checking import check_rules
    from ..rules.loading import parse_rules

    try:
        rules = parse_rules(text.encode("utf-8"), source=str(output))
    except RuleSetError as refused:
        return [p for p in refused.problems if "kind" not in p.message]  # kind: null is said apart
    return [p for p in check_rules(rules) if p.level == Level.ERROR]


def dump_yaml(data: dict) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
