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

from functools import lru_cache


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


def id_text(value: object) -> str:
    """An id cell (编号) as text: a typed 1 or 1.0 reads as "1"; a logical value is no id."""
    return "" if isinstance(value, bool) else cell_text(value)
