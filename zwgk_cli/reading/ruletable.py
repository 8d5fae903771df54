"""Reading a county's scoring table for ``rules import``: the spreadsheet is parsed like every
input from outside, in a worker after the container checks (:mod:`.sheets`), where a table that
makes the parser panic, abort or run away costs only a refusal; its rows then become rule-file
data in pure steps (:mod:`zwgk_cli.rules.importing`)."""

from __future__ import annotations

from pathlib import Path

from ..cells import cell_text
from ..problems import ZwgkError
from ..rules.importing import ImportResult, rules_from_table
from ..rules.table import ERRATA_SHEET, INFO_SHEET, TABLE_SHEET
from .sheets import sheet_rows


def import_rules(path: Path) -> ImportResult:
    """Read an official-shaped table (with or without the structured columns); ZwgkError
    (``table-invalid``) for a file that cannot be read as one."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ZwgkError.of("table-invalid", path=path, why=exc.strerror) from None
    sheets = sheet_rows(data, unmerged=True)
    if not sheets.rows:
        raise ZwgkError.of("table-invalid", "format", path=path)
    names = list(sheets.rows)
    rows = sheets.rows[TABLE_SHEET if TABLE_SHEET in names else names[0]]
    info = {cell_text(r[0]): r[1] for r in sheets.rows.get(INFO_SHEET, [])[1:] if len(r) > 1 and cell_text(r[0])}
    errata = sheets.rows.get(ERRATA_SHEET, [])
    return rules_from_table(rows, info, errata[1:], path.name)
