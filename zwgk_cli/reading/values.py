"""Reading what a clerk typed into a 填报 cell (docs/workbook.md, "Reading: 填报 values").

>>> quantity_of("２处"), quantity_of("十二"), quantity_of(3.0), quantity_of(""), quantity_of("未发现")
(Decimal('2'), Decimal('12'), Decimal('3'), None, Decimal('0'))
>>> flag_of("√"), flag_of("否"), flag_of(None)
(True, False, None)
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from ..cells import cell_text, is_blank
from ..constants import LARGEST, NO_WORDS, NONE_WORDS, NOT_APPLICABLE, UNIT_SUFFIXES, YES_WORDS
from ..exact import chinese_number, decimal_of, places
from ..model import Clause, Kind
from ..problems import message

_SUFFIX = re.compile(f"[{UNIT_SUFFIXES}]$")


class EntryError(ValueError):
    """A cell value that cannot be read for its clause: a catalogued ``code``, the template
    ``variant`` and its values, and the message built from them."""

    def __init__(self, code: str, variant: str = "", /, **values: object):
        self.code = code
        self.message = message(code, variant, **values)
        super().__init__(self.message)


def quantity_of(raw: object) -> Decimal | None:
    """A number from a cell: numbers, numeric text, ２, 2处, 两, 无/没有/未发现 (0); None when blank.

    Raises EntryError("value-quantity") for anything else.
    """
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise EntryError("value-quantity", "logical", raw=raw)
    if isinstance(raw, dt.date | dt.time | dt.timedelta):
        raise EntryError("value-quantity", "date", raw=raw)
    if isinstance(raw, int | float | Decimal):
        number = decimal_of(raw)
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip().replace(" ", "")
        text = _SUFFIX.sub("", text)
        number = Decimal(0) if text in NONE_WORDS else decimal_of(text)
        if number is None:
            value = chinese_number(text)
            number = Decimal(value) if value is not None else None
    if number is None:
        raise EntryError("value-quantity", raw=cell_text(raw))
    return number


def flag_of(raw: object) -> bool | None:
    """是/否 from a cell in any accepted spelling; None when blank.

    Raises EntryError("value-flag") for anything else.
    """
    if is_blank(raw):
        return None
    text = unicodedata.normalize("NFKC", str(raw)).strip().lower()
    if isinstance(raw, bool):
        return raw
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise EntryError("value-flag", raw=cell_text(raw))


def is_not_applicable(raw: object) -> bool:
    """Whether a cell says 不适用 (spaces around it and full-width forms allowed).

    >>> is_not_applicable(" 不适用 "), is_not_applicable("不 适用"), is_not_applicable(None)
    (True, False, False)
    """
    return isinstance(raw, str) and unicodedata.normalize("NFKC", raw).strip() == NOT_APPLICABLE


def entry_of(clause: Clause, raw: object) -> Decimal | None:
    """The clause's quantity from a cell (flag: 1 or 0), checked against the clause.

    >>> from zwgk_cli.rules.loading import load_rules
    >>> entry_of(load_rules().clause("3"), "两项")
    Decimal('2')
    """
    if clause.kind == Kind.FLAG:
        flag = flag_of(raw)
        return None if flag is None else Decimal(int(flag))
    number = quantity_of(raw)
    if number is None:
        return None
    if number < 0:
        raise EntryError("value-quantity", "negative", raw=cell_text(raw))
    if number > LARGEST:
        raise EntryError("value-quantity", "large", raw=cell_text(raw), largest=LARGEST)
    if clause.kind == Kind.COUNT:
        if number != number.to_integral():
            raise EntryError("value-quantity", "fraction", raw=cell_text(raw))
        if clause.max_count is not None and number > clause.max_count:
            raise EntryError("value-max", raw=cell_text(raw), most=clause.max_count)
        return number.quantize(Decimal(1))
    if places(number) > 2:
        raise EntryError("value-amount", raw=cell_text(raw))
    return number
