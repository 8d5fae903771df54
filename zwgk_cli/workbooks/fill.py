"""Filling a findings workbook from data, as a clerk would by hand.

Used by the sample and benchmark generators and by the tests; also handy for an
inspection team that keeps its findings elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from .. import constants as C
from .output import atomic_write, text_cell


def fill_workbook(template: Path, target: Path, entries: dict[str, object], *,
                  notes: dict[str, str] | None = None, unit: str | None = None,
                  evidence: dict[str, str] | None = None, force: bool = False) -> Path:
    """Copy ``template`` to ``target`` with 填报 (and 说明, 印证材料) cells set by 编号.

    The rows are found by the 编号 column, so a template whose rows were moved still fills.
    """
    from openpyxl import load_workbook

    wb = load_workbook(template)
    ws = wb[C.SCORE_SHEET]
    header = next(r for r in ws.iter_rows() if any(c.value == C.COL_ID for c in r))
    columns = {c.value: c.column for c in header if c.value}
    rows = {str(ws.cell(row=r, column=columns[C.COL_ID]).value): r
            for r in range(header[0].row + 1, ws.max_row + 1)}
    notes, evidence = notes or {}, evidence or {}
    for clause_id in set(entries) | set(notes) | set(evidence):
        row = rows[clause_id]
        if clause_id in entries:
            text_cell(ws.cell(row=row, column=columns[C.COL_INPUT]), entries[clause_id])
        if clause_id in notes:
            text_cell(ws.cell(row=row, column=columns[C.COL_NOTE]), notes[clause_id])
        if clause_id in evidence:
            text_cell(ws.cell(row=row, column=columns[C.COL_EVIDENCE]), evidence[clause_id])
    if unit is not None:
        from .template import UNIT_CELL

        text_cell(ws[UNIT_CELL], unit)
    return atomic_write(target, wb.save, force=force)


def fill_matrix(template: Path, target: Path, values: dict[str, dict[str, object]], *,
                force: bool = False) -> Path:
    """Copy a matrix (检查表) to ``target`` with ``values`` per unit and 编号 (or a note column
    named like ``说明（J4）``); units and columns are found by the header, as the reader does."""
    from openpyxl import load_workbook

    wb = load_workbook(template)
    ws = wb[C.MATRIX_SHEET]
    header = next(r for r in ws.iter_rows() if any(c.value == C.COL_UNIT for c in r))
    unit_col = next(c.column for c in header if c.value == C.COL_UNIT)
    columns = {str(c.value).split(" ")[0]: c.column for c in header if c.value}
    rows = {ws.cell(row=r, column=unit_col).value: r for r in range(header[0].row + 1, ws.max_row + 1)}
    for unit, entries in values.items():
        for key, value in entries.items():
            text_cell(ws.cell(row=rows[unit], column=columns[key]), value)
    return atomic_write(target, wb.save, force=force)


def fill_review(template: Path, target: Path, rows: list[tuple[object, ...]], *, force: bool = False) -> Path:
    """Copy a review table (复核调整表) to ``target`` with ``rows`` of (单位名称, 编号, 调整为, 理由)."""
    from openpyxl import load_workbook

    wb = load_workbook(template)
    ws = wb[C.REVIEW_SHEET]
    header = next(r for r in ws.iter_rows() if any(c.value == C.COL_UNIT for c in r))
    for offset, values in enumerate(rows, start=1):
        for col, value in enumerate(values, start=1):
            text_cell(ws.cell(row=header[0].row + offset, column=col), value)
    return atomic_write(target, wb.save, force=force)
