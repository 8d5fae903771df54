"""The problem catalogue: each code looked up by name, its messages filled in.

>>> message("output-exists", path="汇总.xlsx")
'汇总.xlsx 已存在，未覆盖；如需覆盖请加 --force'
"""

from __future__ import annotations

from .file_entries import FILE_ENTRIES
from .run_entries import RUN_ENTRIES
from .vocabulary import Code, Family

CATALOGUE: dict[str, Code] = {entry.code: entry for entry in FILE_ENTRIES + RUN_ENTRIES}

# Stable codes and their titles (kept for scripts that imported it).
CODES: dict[str, str] = {code: entry.title for code, entry in CATALOGUE.items()}


def message(code: str, variant: str = "", /, **values: object) -> str:
    """The message of a catalogued code (see :meth:`Code.message`).

    >>> message("output-exists", path="汇总.xlsx")
    '汇总.xlsx 已存在，未覆盖；如需覆盖请加 --force'
    """
    return CATALOGUE[code].message(variant, **values)


def family(code: str) -> Family:
    """The family of a catalogued code."""
    return CATALOGUE[code].family
