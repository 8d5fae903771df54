"""Exact points: every score is a whole number of ten-thousandths of a point (docs/scoring.md,
Exact numbers).

Rule values (per, cap, weight) and entered quantities have at most two decimals, so a
product has at most four: an ``int`` of 1/10000 points holds it exactly, vectorises in
pandas as int64, and turns back into a :class:`~decimal.Decimal` for display.

>>> to_units(Decimal("0.1")) + to_units(Decimal("0.2")) == to_units(Decimal("0.3"))
True
>>> show(from_units(925000))
'92.5'
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

UNITS_PER_POINT = 10_000
HUNDRED = 100


_NUMERIC_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")


def decimal_of(value: object) -> Decimal | None:
    """A Decimal from a YAML/JSON/cell number or numeric text (ASCII digits, a sign, a point,
    an exponent); None if it is not one.

    >>> decimal_of("2.50"), decimal_of("1_000"), decimal_of("NaN")
    (Decimal('2.50'), None, None)
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        if value.is_integer():
            return Decimal(int(value))
        # repr gives the shortest text that round-trips: 0.1 -> "0.1".
        return Decimal(repr(value))
    text = str(value).strip()
    if not _NUMERIC_TEXT.fullmatch(text):  # Decimal() also takes "1_000", "١٢" and "NaN": damage, not data
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def places(value: Decimal) -> int:
    """Number of decimal places a value needs (``2.50`` -> 1)."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def hundredths(value: Decimal) -> int:
    """A value with at most two decimals as an int of hundredths."""
    return int(value * HUNDRED)


def to_units(value: Decimal) -> int:
    """A value with at most four decimals as an int of 1/10000 points."""
    return int(value * UNITS_PER_POINT)


def from_units(units: int) -> Decimal:
    """Exact Decimal of an int of 1/10000 points, without trailing zeros."""
    result = Decimal(int(units)) / UNITS_PER_POINT
    return result.quantize(Decimal(1)) if result == result.to_integral() else result.normalize()


def rounded(value: Decimal) -> Decimal:
    """The value as shown: two decimals, half up (ranking still uses the exact value)."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def show(value: Decimal | None) -> str:
    """Text for a table cell: ``92.5``, ``100``, ``-4``; empty for None."""
    if value is None:
        return ""
    text = format(rounded(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@lru_cache(maxsize=8192)
def json_number(value: Decimal) -> int | float:
    """A JSON number exact to two places (float repr prints the shortest decimal)."""
    return plain_number(rounded(value))


def plain_number(value: Decimal) -> int | float:
    """``value`` for a JSON or YAML writer: an int when whole, else the float whose shortest
    repr is the decimal (exact for the few places a score or rule value has)."""
    return int(value) if value == value.to_integral() else float(value)


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """Chinese numerals up to 99: 两 -> 2, 十二 -> 12, 二十五 -> 25; None otherwise.

    >>> chinese_number("两"), chinese_number("二十五"), chinese_number("一百")
    (2, 25, None)
    """
    if not text or any(ch not in _DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)
