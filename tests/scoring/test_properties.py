"""Property-based tests of scoring (zwgk_cli/scoring/compute.py): one more deduction never raises a
total, totals stay in range, order never matters. (The value parser's: tests/reading/test_values.py.)"""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk_cli.model import Entry, Findings
from zwgk_cli.rules.loading import load_rules
from zwgk_cli.scoring.compute import score_units

RULES = load_rules()
DEDUCTIONS = [c for c in RULES.clauses if not c.bonus]
BONUSES = [c for c in RULES.clauses if c.bonus]


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


@pytest.mark.slow
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


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(entries_for(RULES.clauses))
def test_total_is_between_zero_and_full_marks_plus_bonuses(entries):
    result = score_units(RULES, [Findings("单位", {k: Entry(Decimal(v)) for k, v in entries.items()})])[0]
    bonuses = sum((c.points for c in result.clauses if c.points > 0), Decimal(0))
    assert 0 <= result.total <= RULES.full_marks + bonuses


@pytest.mark.slow
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
