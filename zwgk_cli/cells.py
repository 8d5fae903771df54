"""Cells as a spreadsheet program shows them: column letters, references such as ``H12``, and
a cell's value as text.

One home for what the reader, the roster, the rule-table import and the writers all need, so
that a column letter or a typed ``2.0`` means the same thing everywhere.

>>> col_letter(7), column_number("AB"), cell_ref(11, 7)
('H', 28, 'H12')
>>> cell_text(2.0), cell_text(" 是 "), cell_text(None), id_text(True)
('2', '是', '', '')
"""

from __future__ import annotations

import re
from functools import lru_cache

# What XML 1.0, and so no workbook, can hold: C0 controls but tab and line breaks, U+FFFE/U+FFFF and
# lone surrogates (a JSON "\ud800"); and the text of OOXML's own escape (_x0001_), which a reader
# would turn into a control character.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_OOXML_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")
# What a terminal would act on instead of showing: every control character (a name can hold an ESC
# sequence that clears the screen), and what no workbook can hold.
_NOT_SHOWN = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_NOT_SHOWN_IN_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


@lru_cache(maxsize=512)
def col_letter(index: int) -> str:
    """0-based column index to its letters: 7 -> H, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@lru_cache(maxsize=1024)
def column_number(letters: bytes | str) -> int:
    """Column letters to a 1-based number: b"H" -> 8, "AB" -> 28 (case ignored)."""
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def cell_ref(row: int, column: int) -> str:
    """The reference of the cell at 0-based ``row`` and ``column`` (as in a list of rows): H12."""
    return f"{col_letter(column)}{row + 1}"


def cell_at(row: list, column: int | None) -> object:
    """The value in ``row`` at ``column``; None when the row is shorter or there is no column."""
    return row[column] if column is not None and column < len(row) else None


def is_blank(value: object) -> bool:
    """Nothing there: an empty cell or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as the clerk sees it, for messages and text columns: 2.0 -> '2', spaces trimmed."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if value is not None else ""


def unsafe_characters(text: str) -> str:
    """The characters of ``text`` no workbook can hold, each as U+XXXX ("" when none).

    >>> unsafe_characters("县\x01局\ufffe"), unsafe_characters("县财政局")
    ('U+0001 U+FFFE', '')
    """
    return " ".join(dict.fromkeys(f"U+{ord(ch):04X}" for ch in _NOT_IN_XML.findall(text)))


def escaped_unsafe(text: str) -> str:
    r"""``text`` with each character no workbook can hold written as ``\uXXXX`` (for messages).

    >>> escaped_unsafe("县\ud800局")
    '县\\ud800局'
    """
    return _NOT_IN_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def printable(text: str, *, lines: bool = False) -> str:
    r"""``text`` with each control character written as ``\xNN`` (``\uXXXX`` beyond): for names
    that come from outside a cell (a zip member's, a file's), shown on a terminal and in a sheet.
    With ``lines``, tabs and line breaks are kept (a message's text).

    >>> printable("会议\x1b[2J纪要\r.pdf"), printable("县财政局")
    ('会议\\x1b[2J纪要\\x0d.pdf', '县财政局')
    """
    pattern = _NOT_SHOWN_IN_LINES if lines else _NOT_SHOWN
    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                          else f"\\u{ord(m.group()):04x}", text)


def clean_rows(rows: list[list]) -> list[tuple[int, int, str]]:
    """Drop from the text cells of ``rows`` (in place) the characters no workbook can hold — a
    control character typed through another program, ``_x0001_`` decoded by the parser —, so
    that no later output fails on them; returns (row, column, the characters) of each cell cleaned.

    >>> rows = [["县\x0b财政局", 2]]; clean_rows(rows), rows
    ([(0, 0, 'U+000B')], [['县财政局', 2]])
    """
    cleaned: list[tuple[int, int, str]] = []
    if not _NOT_IN_XML.search("\t".join([v for row in rows for v in row if isinstance(v, str)])):
        return cleaned  # one search over the sheet's text: almost every sheet has nothing to clean
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str) and _NOT_IN_XML.search(value):
                cleaned.append((r, c, unsafe_characters(value)))
                row[c] = _NOT_IN_XML.sub("", value)
    return cleaned


def xml_text(text: str) -> str:
    """``text`` as a workbook can hold it: the characters XML cannot hold dropped, and a literal
    ``_x0041_`` escaped so that it reads back as written, not as the character it names.

    >>> xml_text("县\x0b局_x0001_")
    '县局_x005F_x0001_'
    """
    if _NOT_IN_XML.search(text):
        text = _NOT_IN_XML.sub("", text)
    return _OOXML_ESCAPE.sub(r"_x005F_\1", text) if "_x" in text else text


def id_text(value: object) -> str:
    """An id cell (编号) as text: a typed 1 or 1.0 reads as "1"; a logical value is no id."""
    return "" if isinstance(value, bool) else cell_text(value)
