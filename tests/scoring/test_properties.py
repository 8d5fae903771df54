"""Property-based tests: the value parser and the scoring invariants."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk_cli.model import Entry, Findings
from zwgk_cli.reading.values import EntryError, quantity_of
from zwgk_cli.rules.loading import load_rules
from zwgk_cli.scoring.compute import score_units

RULES = load_rules()
DIGITS = "零一二三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
DEDUCTIONS = [c for c in RULES.clauses if not c.bonus]
BONUSES = [c for c in RULES.clauses if c.bonus]


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


def entries_for(clauses):
    def entry(clause):
        if clause.kind == "flag":
            return st.sampled_from([0, 1])
        if clause.kind == "count":
            return st.integers(0, clause.max_count or 12)
        return st.decimals(min_value=0, max_value=20, places=2)

    return st.fixed_dictionaries({}, optional={c.id: entry(c) for c in clauses})


def total(entries: dict) -> Decimal:
    findings = Findings("单位", {k: Entry(Decimal(v)) for k, v in entries.items()})
    return score_units(RULES, [findings])[0].total


@settings(max_examples=60, deadline=None)
@given(entries_for(RULES.clauses), st.sampled_from(DEDUCTIONS))
def test_one_more_deduction_never_raises_a_total(entries, clause):
    more = dict(entries)
    step = 1 if clause.kind != "amount" else Decimal("0.5")
    current = Decimal(more.get(clause.id, 0))
    if clause.kind == "flag":
        more[clause.id] = 1
    elif clause.max_count is None or current + step <= clause.max_count:
        more[clause.id] = current + step
    assert total(more) <= total(entries)


@settings(max_examples=60, deadline=None)
@given(entries_for(RULES.clauses))
def test_total_is_between_zero_and_full_marks_plus_bonuses(entries):
    result = score_units(RULES, [Findings("单位", {k: Entry(Decimal(v)) for k, v in entries.items()})])[0]
    bonuses = sum((c.points for c in result.clauses if c.points > 0), Decimal(0))
    assert 0 <= result.total <= RULES.full_marks + bonuses


@settings(max_examples=40, deadline=None)
@given(entries_for(RULES.clauses), st.randoms(use_true_random=False))
def test_order_of_entries_and_units_never_changes_a_score(entries, rnd):
    items = list(entries.items())
    rnd.shuffle(items)
    assert total(dict(items)) == total(entries)
    others = [Findings(f"单位{i}", {"5": Entry(Decimal(i))}) for i in range(3)]
    me = Findings("我", {k: Entry(Decimal(v)) for k, v in entries.items()})
    batch = others + [me]
    rnd.shuffle(batch)
    scored = {r.unit: r.total for r in score_units(RULES, batch)}
    assert scored["我"] == total(entries)
