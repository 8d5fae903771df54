"""One pass over an .xlsx sheet part before python-calamine reads it: where every cell sits.

The damage checks need every cell's place as python-calamine will take it — from its
``r="H12"`` reference or, for a cell written without one, next to the cell before it in its
row (the row from ``<row r=…>``, or the row after the last) — to find cells written twice,
out of order or beyond the limits. The special-cell look-up needs the formula and error
cells, which read as blanks.

Excel, WPS, LibreOffice, openpyxl and this tool write every tag as ``<c r="A1" …>`` and
``<row r="1" …>``: one regex pass collects those references, and workbooks made from one
template repeat them, so their keys are worked out once per layout (per worker). A sheet
written any other way (a namespace prefix, other spacing or quotes, a cell without its
reference) is read tag by tag, formulas and errors included.

>>> scan_sheet(b'<row r="2"><c r="B2"/><c r="C2"/></row>').keys == [2 << 16 | 2, 2 << 16 | 3]
True
>>> scan_sheet(b'<row r="2"><c r="B2"/><c\\tr="B2"/></row>').disorder
1
"""

from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass
from itertools import repeat

from ..cells import cell_ref, column_number


@dataclass(frozen=True, slots=True)
class SheetScan:
    """Every cell of a sheet part, as python-calamine will place it (shared: not to be changed).

    ``keys``: ``row << 16 | column`` (1-based) in file order; ``columns``: the smallest and
    largest column; ``rows``: the largest row a row or cell names; ``disorder``: the index of the
    first key not after the one before (written twice or out of order), else None;
    ``specials``: formula and error cells ({"H12": "formula"|"#DIV/0!"}) when read tag by tag,
    None when the sheet is written the usual way (then looked up by reference: fast).
    """

    keys: list[int]
    columns: tuple[int, int]
    rows: int
    disorder: int | None
    specials: dict[str, str] | None = None


# Each usual tag whole ("c r=…" with its quote, "row r=…"), or the bare name of any other
# <c …>/<row …> tag, which sends the sheet to the tag-by-tag reading.
_USUAL_TAG = re.compile(rb'<(c r="[A-Z]{1,8}\d{1,12}"|row r="\d{1,12}"|c|row)[\s>/]')
_PREFIXED_TAG = re.compile(rb":(?:c|row)[\s>/]")  # <x:c …>: only after a colon, which is rare
_SPLIT_REF = re.compile(rb"([A-Z]+)(\d+)")
_ROW_NUMBER = re.compile(rb'row r="(\d+)"')
_LAYOUTS: dict[bytes, SheetScan | None] = {}  # layout -> its scan (None: not the usual writing)
MAX_LAYOUTS = 64
MAX_LAYOUT_BYTES = 64 * 1024  # a findings sheet's layout is ~8 KB


def scan_sheet(raw: bytes) -> SheetScan:
    """Every cell of the sheet part ``raw``, placed as python-calamine places it."""
    found = _USUAL_TAG.findall(raw)
    layout = b" ".join(found)
    if layout in _LAYOUTS:
        known = _LAYOUTS[layout]
    else:
        known = _usual_scan(layout, found)
        if len(layout) <= MAX_LAYOUT_BYTES:  # a findings sheet's; a matrix of many units is not kept
            if len(_LAYOUTS) >= MAX_LAYOUTS:
                _LAYOUTS.clear()
            _LAYOUTS[layout] = known
    if known is None or (b":" in raw and _PREFIXED_TAG.search(raw)):
        return _scan_tags(raw)
    return known


def _usual_scan(layout: bytes, found: list[bytes]) -> SheetScan | None:
    """The scan of a sheet whose every tag is written the usual way; None when one is not."""
    if b"c" in found or b"row" in found:
        return None
    keys, columns = _keys_of(_SPLIT_REF.findall(layout))
    rows = max([int(r) for r in _ROW_NUMBER.findall(layout)] + [keys[-1] >> 16 if keys else 0])
    return SheetScan(keys, columns, rows, _disorder(keys))


def _keys_of(found: list[tuple[bytes, bytes]]) -> tuple[list[int], tuple[int, int]]:
    """Keys and column range of (letters, row digits) pairs. Built with C-level maps."""
    if not found:
        return [], (0, 0)
    letters, rows = zip(*found, strict=True)
    numbers = {text: column_number(text) for text in set(letters)}
    columns = (min(numbers.values()), max(numbers.values()))
    if columns[1] > 0xFFFF or max(map(len, rows)) > 9:  # refused as too large before keys matter
        return [], (columns[0], max(columns[1], 0x10000))
    shifted = map(operator.lshift, map(int, rows), repeat(16))
    return list(map(operator.or_, shifted, map(numbers.__getitem__, letters))), columns


def _disorder(keys: list[int]) -> int | None:
    """Cells come row by row, left to right: the index of the first that does not."""
    if all(map(operator.lt, keys, keys[1:])):
        return None
    return next(i for i in range(1, len(keys)) if keys[i - 1] >= keys[i])


_ANY_TAG = re.compile(rb"<(?:[\w.-]+:)?(c|row)(?=[\s>/])([^>]*)>")
_R = re.compile(rb"""(?:^|\s)r\s*=\s*["']([^"']*)["']""")
_CELL_REF = re.compile(rb"([A-Za-z]{1,8})(\d{1,12})")
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
_ERROR_TYPE = re.compile(rb"""\bt\s*=\s*["']e["']""")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)<")
_STORED = re.compile(rb"<(?:[\w.-]+:)?(?:v|is)[\s>/]")  # a formula's stored result (or an inline string)
_VALUE_OR_EMPTY = re.compile(rb"<(?:[\w.-]+:)?v(?:/>|>([^<]*)<)")
_TEXT_RESULT = re.compile(rb"""\bt\s*=\s*["']str["']""")
FORMULA, FORMULA_UNCALCULATED = "formula", "formula-uncalculated"
_TOO_LARGE = 0x10000  # a column past any limit: the sheet is refused as too large


def _scan_tags(raw: bytes) -> SheetScan:
    """The scan of a sheet written some other way, tag by tag (slower; rare writers)."""
    tags = list(_ANY_TAG.finditer(raw))
    formulas = [m.start() for m in _FORMULA.finditer(raw)]
    keys: list[int] = []
    specials: dict[str, str] = {}
    row = column = rows = 0
    for index, tag in enumerate(tags):
        reference = _R.search(tag.group(2))
        if tag.group(1) == b"row":
            row = int(reference.group(1)) if reference and reference.group(1).isdigit() else row + 1
            rows, column = max(rows, row), 0
            continue
        place = _place(reference.group(1)) if reference else (row, column + 1)
        if place is None:  # a reference python-calamine does not take: it refuses the sheet itself
            continue
        at_row, column = place
        rows = max(rows, at_row)
        keys.append(at_row << 16 | min(column, _TOO_LARGE))
        what = _special(raw, tag, tags[index + 1].start() if index + 1 < len(tags) else len(raw), formulas)
        if what and 0 < at_row and 0 < column < _TOO_LARGE:
            specials[cell_ref(at_row - 1, column - 1)] = what
    columns = [key & 0xFFFF for key in keys]
    return SheetScan(keys, (min(columns, default=0), max(columns, default=0)), rows, _disorder(keys), specials)


def _place(reference: bytes) -> tuple[int, int] | None:
    """(row, column) of a cell reference; None when it is no reference."""
    match = _CELL_REF.fullmatch(reference)
    if not match or len(match.group(2)) > 9:
        return None if not match else (1 << 30, 1)
    return int(match.group(2)), column_number(match.group(1).upper())


def _special(raw: bytes, tag: re.Match, end: int, formulas: list[int]) -> str:
    """What the cell whose tag is ``tag`` holds (its content ends before ``end``, the next
    tag): its error value, "formula", or "" for neither."""
    if _ERROR_TYPE.search(tag.group(2)):
        value = _VALUE.search(raw, tag.end(), end)
        return value.group(1).decode("utf-8", "replace") if value else "#错误"
    after = bisect.bisect_left(formulas, tag.end())
    if not (after < len(formulas) and formulas[after] < end):
        return ""
    return FORMULA if _stored(raw, tag.group(2), formulas[after], end) else FORMULA_UNCALCULATED


def special_cells_of(raw: bytes, scan: SheetScan, columns: tuple[str, ...]) -> dict[str, str]:
    """The formula and error cells of ``columns`` ({"H12": "formula"|"#DIV/0!"}) in the sheet
    part ``raw`` whose scan is ``scan``."""
    if scan.specials is not None:
        return {ref: FORMULA if what == FORMULA_UNCALCULATED else what for ref, what in scan.specials.items()
                if ref.rstrip("0123456789") in columns}
    found: dict[str, str] = {}  # every tag is <c r="…": a regex with a literal prefix visits only these columns
    letters = b"|".join(re.escape(c.encode()) for c in columns)
    pattern = re.compile(rb'<c r="((?:' + letters + rb')\d+)"([^>]*)>\s*(<f[\s>/])?')
    for ref, attributes, formula in pattern.findall(raw):  # findall: no match objects (a third faster)
        if b"e" in attributes and _ERROR_TYPE.search(attributes):
            found[ref.decode()] = _error_value(raw, ref)
        elif formula:
            found[ref.decode()] = FORMULA
    return found


def uncalculated_of(raw: bytes, scan: SheetScan, refs: list[str]) -> set[str]:
    """The formula cells among ``refs`` that hold no stored result — a workbook written by a
    program that does not calculate and never opened in Excel or WPS: their value is unknown,
    and the parser reads them as blank. Looked up only for formula cells that read as blank."""
    if scan.specials is not None:
        return {ref for ref in refs if scan.specials.get(ref) == FORMULA_UNCALCULATED}
    found = set()
    for ref in refs:
        tag = re.search(rb'<c r="' + ref.encode() + rb'"([^>]*)>', raw)
        end = raw.find(b"</c>", tag.end()) if tag else -1
        if tag and end >= 0 and not _stored(raw, tag.group(1), tag.end(), end):
            found.add(ref)
    return found


def _stored(raw: bytes, attributes: bytes, start: int, end: int) -> bool:
    """Whether the cell content ``raw[start:end]`` holds a formula's stored result: a value, or an
    empty one only for a text result (t="str"). openpyxl writes ``<v></v>`` for every formula."""
    value = _VALUE_OR_EMPTY.search(raw, start, end)
    if value is None:
        return bool(_STORED.search(raw, start, end))  # an inline string
    return bool(value.group(1)) or bool(_TEXT_RESULT.search(attributes))


def _error_value(raw: bytes, ref: bytes) -> str:
    """The value shown by the error cell ``ref`` (written <c r="ref" …>; errors are rare)."""
    tag = re.search(rb'<c r="' + ref + rb'"[^>]*>', raw)
    value = _VALUE.search(raw, tag.end()) if tag else None
    return value.group(1).decode("utf-8", "replace") if value else "#错误"


def cell_of(key: int) -> str:
    """The reference ("H12") of a key."""
    return cell_ref((key >> 16) - 1, (key & 0xFFFF) - 1)
