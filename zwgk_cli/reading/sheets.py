"""Small workbooks read whole: the roster and last season's summary (``rank --previous``).

They come from outside like the returns do, so they are parsed the same way: the container
checks first, then python-calamine in a worker process under the usual limits
(:mod:`zwgk_cli.reading.isolation`), where a panic, an abort or an endless file costs only a
clear refusal of that file, never the run.

>>> sheet_rows(b"not a workbook").rows is None
True
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import partial

from ..cells import cell_ref, clean_rows
from .isolation import DEFAULT_LIMITS, Death, Limits, isolated_call


@dataclass(frozen=True)
class Sheets:
    """The rows of the sheets asked for (by sheet name, in workbook order); ``rows`` is None when
    the file was refused, with the container checks' message in ``why`` ("" when the parser
    failed or its worker died)."""

    rows: dict[str, list[list]] | None
    why: str = ""
    cleaned: tuple[tuple[str, str, str], ...] = ()  # (sheet, cell, characters) of each cell cleaned


def sheet_rows(data: bytes, *, prefix: str = "", first: bool = False, unmerged: bool = False,
               limits: Limits = DEFAULT_LIMITS) -> Sheets:
    """Rows of the sheets whose names start with ``prefix`` (or of the first sheet only, with
    ``first``), parsed in a worker; never raises for a bad file. With ``unmerged`` every cell of
    a merged range holds the range's value (the parser gives it to the first cell only)."""
    return isolated_call(partial(_parse, prefix, first, unmerged), data, _died, limits=limits)


def _parse(prefix: str, first: bool, unmerged: bool, data: bytes) -> Sheets:
    """In the worker: the container checks, then calamine (whatever it raises ends as a death)."""
    from python_calamine import CalamineWorkbook

    from .containers import check_sheet, inspect_container
    from .refusals import MAX_SOURCE_ROWS

    container = inspect_container(data)
    try:
        if not container.ok:
            return Sheets(None, container.message)
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names[:1] if first else [n for n in workbook.sheet_names if n.startswith(prefix)]
        for name in names if container.kind == "xlsx" else ():  # .xls and .ods were checked whole
            refusal = check_sheet(container, name, max_rows=MAX_SOURCE_ROWS)
            if refusal is not None:  # a cell written twice, cells out of place: damage read as data
                return Sheets(None, refusal.message)
    finally:
        if container.archive is not None:
            container.archive.close()
    rows = {}
    for name in names:
        sheet = workbook.get_sheet_by_name(name)
        rows[name] = sheet.to_python(skip_empty_area=False)
        if unmerged:
            rows[name] = _unmerged(rows[name], sheet.merged_cell_ranges)
    cleaned = tuple((name, cell_ref(r, c), chars) for name, sheet in rows.items() for r, c, chars in clean_rows(sheet))
    return Sheets(rows, cleaned=cleaned)


def _died(data: bytes, death: Death) -> Sheets:
    return Sheets(None)


def _unmerged(rows: list[list], merged) -> list[list]:
    """Every cell of a merged range holds the range's value."""
    rows = [list(r) for r in rows]
    for (top, left), (bottom, right) in merged or []:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, len(rows[r]) - 1) + 1):
                rows[r][c] = value
    return rows
