"""Reading what a clerk typed into a 填报 cell (zwgk_cli/reading/values.py; docs/workbook.md): every
spelling of a count or a 是否, and what is refused — table-driven, and as properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zwgk_cli.reading.values import EntryError, chinese_number, entry_of, flag_of, quantity_of


@pytest.mark.parametrize("raw, expected", [
    (2, 2), (2.0, 2), ("2", 2), (" 3 ", 3), ("２", 2), ("2处", 2), ("3件", 3), ("1项", 1),
    ("2次", 2), ("两", 2), ("两件", 2), ("十二", 12), ("二十五", 25), ("九十九", 99), ("十", 10),
    ("0.5", Decimal("0.5")), ("１２处", 12),
])
def test_quantity_spellings(raw, expected):
    assert quantity_of(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_blank_is_no_finding(raw):
    assert quantity_of(raw) is None
    assert flag_of(raw) is None


@pytest.mark.parametrize("raw", ["若干", "2-3", "一百", "十十", "abc", True])
def test_bad_quantity(raw):
    with pytest.raises(EntryError) as exc:
        quantity_of(raw)
    assert exc.value.code == "value-quantity"


@pytest.mark.parametrize("raw, expected", [
    ("是", True), ("√", True), ("有", True), ("Y", True), ("True", True), (True, True),
    ("否", False), ("×", False), ("无", False), ("N", False), ("False", False), (False, False),
])
def test_flag_spellings(raw, expected):
    assert flag_of(raw) is expected


def test_chinese_numbers_out_of_range():
    assert chinese_number("一百") is None
    assert chinese_number("二二") is None


@pytest.mark.parametrize("clause_id, raw, code", [
    ("3", 4, "value-max"),          # max 3 items
    ("5", 1.5, "value-quantity"),   # a count must be whole
    ("5", -1, "value-quantity"),
    ("1", "也许", "value-flag"),
    ("J4", "0.125", "value-amount"),
    ("5", "1e400", "value-quantity"),  # far beyond any real count
    ("K6", 10000, "value-quantity"),
])
def test_entry_checked_against_clause(rules, clause_id, raw, code):
    with pytest.raises(EntryError) as exc:
        entry_of(rules.clause(clause_id), raw)
    assert exc.value.code == code


def test_flag_entry_is_one_or_zero(rules):
    assert entry_of(rules.clause("1"), "是") == 1
    assert entry_of(rules.clause("1"), "否") == 0
    assert entry_of(rules.clause("J4"), "1.25") == Decimal("1.25")


@pytest.mark.parametrize("raw", ["无", "没有", "未发现", " 没有 ", "无处", "0处", "零", "〇"])
def test_none_found_in_a_count_cell_means_zero(rules, raw):
    assert quantity_of(raw) == 0
    assert entry_of(rules.clause("5"), raw) == 0  # a count
    assert entry_of(rules.clause("K6"), raw) == 0  # an amount


@pytest.mark.parametrize("raw", ["没有", "未发现"])
def test_none_found_in_a_flag_cell_means_no(rules, raw):
    assert entry_of(rules.clause("1"), raw) == 0


# --- properties --------------------------------------------------------------------------------

DIGITS = "零一二三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def chinese(n: int) -> str:
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


@given(st.integers(0, 99), st.sampled_from(["", "处", "件", "项", "次"]),
       st.sampled_from(["arabic", "full", "chinese", "number"]))
def test_every_spelling_of_a_count_reads_as_that_count(n, suffix, style):
    text = {"arabic": str(n), "full": str(n).translate(FULL_WIDTH), "chinese": chinese(n),
            "number": None}[style]
    raw = float(n) if text is None else text + suffix
    assert quantity_of(raw) == n


@given(st.one_of(st.text(max_size=12), st.floats(allow_nan=True), st.integers(), st.booleans(),
                 st.dates(), st.none()))
def test_the_parser_answers_a_number_blank_or_entry_error(raw):
    try:
        value = quantity_of(raw)
    except EntryError as exc:
        assert exc.code == "value-quantity"
    else:
        assert value is None or isinstance(value, Decimal)
