"""What a returned file is, or why it is refused before a parser expands it.

The :class:`Container` record, the limits no findings sheet comes near and the refusal
messages, shared by the container checks (``containers``) and the .ods scan (``ods``).

>>> too_complex(6_000, 10).code
'file-too-complex'
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

from ..constants import MATRIX_SHEET, REVIEW_SHEET
from ..problems import message

# A real findings sheet has under 200 rows and under 30 columns; parsers expand what a file
# declares (repeats, dimensions, string counts) before anything else, so these are checked first.
MAX_ROWS = 5_000
MAX_COLUMNS = 256  # A..IV, the old .xls width
MAX_STRINGS = 100_000
# An inspection matrix or review table has a row per unit (or per correction): a province's
# units, not a findings sheet's clauses. Only sheets with those names get the larger limit.
MAX_SOURCE_ROWS = 100_000
SOURCE_SHEETS = (MATRIX_SHEET, REVIEW_SHEET)


def number_lost(text: str) -> bool:
    """Whether a number written as ``text`` would not read as written: beyond the range of a
    double (``1e400`` reads as infinity) or below it (``1e-400`` reads as 0). No spreadsheet
    program writes one; a count read as 0 without a word would lose a finding.

    >>> number_lost("1e-400"), number_lost("1E+400"), number_lost("0.0E+000"), number_lost("2.5E-3")
    (True, True, False, False)
    """
    try:
        value = float(text)
    except ValueError:
        return False
    if value != value or value in (float("inf"), float("-inf")):
        return True
    mantissa = text.strip().lstrip("+-").split("e")[0].split("E")[0]
    return value == 0 and any(digit in mantissa for digit in "123456789")


def row_limit(sheet: str) -> int:
    """The most rows a sheet of this name may declare."""
    return MAX_SOURCE_ROWS if sheet in SOURCE_SHEETS else MAX_ROWS


@dataclass(frozen=True)
class Container:
    """What the bytes are: kind ``xlsx``/``ods``/``ole``, or a refusal (``code`` and message)."""

    kind: str
    code: str = ""
    message: str = ""
    archive: zipfile.ZipFile | None = field(default=None, compare=False, repr=False)
    data: bytes = field(default=b"", compare=False, repr=False)  # kept for binary .xls/.et
    parts: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)  # inflated once
    specials: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, repr=False)  # .ods
    sheets: dict[str, str] = field(default_factory=dict, compare=False, repr=False)  # .xlsx name -> part
    scans: dict[str, object] = field(default_factory=dict, compare=False, repr=False)  # .xlsx part -> SheetScan

    @property
    def ok(self) -> bool:
        return not self.code


def refuse(code: str, variant: str = "", kind: str = "", **values: object) -> Container:
    """A refusal with its catalogued message."""
    return Container(kind, code, message(code, variant, **values))


def damaged(variant: str, **values: object) -> Container:
    """A refusal of damage read as data; ``variant`` (an ``odd-`` one of file-corrupt) says what."""
    return refuse("file-corrupt", "odd", what=message("file-corrupt", variant, **values))


def too_complex(rows: int, columns: int, strings: int = 0, *, max_rows: int = MAX_ROWS) -> Container | None:
    """Refuse a sheet larger than any findings sheet (``max_rows``: a matrix's) before a parser expands it."""
    if rows > max_rows or columns > MAX_COLUMNS:
        return refuse("file-too-complex", "cells", rows=rows, columns=columns, max_rows=max_rows,
                      max_columns=MAX_COLUMNS)
    if strings > MAX_STRINGS:
        return refuse("file-too-complex", "strings", strings=strings, max_strings=MAX_STRINGS)
    return None
