"""Scoring: a pure function of (rule set, findings), vectorised over all units at once.

Points are int64 counts of 1/10000 point (:mod:`zwgk_cli.exact`), so no score ever goes
through a binary float. The rules (docs/scoring.md, Clauses, Categories and Totals):

1. clause points: flag ``per``; count ``min(n × per, cap)``; amount ``x × per``;
2. a category collects its deductions D and bonuses B: ``W − min(W, D) + B``;
3. total = categories + 综合加分项 − 重大扣分项, floored at 0.

>>> from zwgk_cli.rules.loading import load_rules
>>> rs = load_rules()
>>> unit = Findings("县财政局", {"5": Entry(Decimal(5)), "15": Entry(Decimal(2))})
>>> result = score_units(rs, [unit])[0]
>>> result.total, result.categories["主动公开"], result.clause("5").points
(Decimal('94'), Decimal('30'), Decimal('-8'))
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from ..exact import from_units, hundredths, show, to_units
from ..model import RESCALE_CATEGORY, Category, ClauseResult, Entry, Findings, Indicator, RuleSet, UnitResult


def clause_table(rules: RuleSet):
    """The rule set's clauses as a DataFrame indexed by clause id (integer units); clauses of
    one indicator share its number and its 赋分 (the cap under 单项指标扣分上限)."""
    import pandas as pd

    placed = [(part, indicator) for part in (*rules.categories, *rules.sections) for indicator in part.indicators]
    rows = []
    for number, (part, indicator) in enumerate(placed):
        cap = to_units(indicator.points) if indicator.points is not None else -1
        rows += [{
            "id": clause.id,
            "per100": hundredths(clause.per),
            "cap": to_units(clause.cap) if clause.cap is not None else -1,
            "bonus": clause.bonus,
            "category": "" if part.whole_unit else part.name,
            "whole_unit": part.whole_unit,
            "indicator": number,
            "indicator_cap": cap,
        } for clause in indicator.clauses]
    return pd.DataFrame(rows).set_index("id")


def clause_points(rules: RuleSet, findings: list[Findings]):
    """Long table (unit, id) -> capped, unsigned clause points in 1/10000 units."""
    import numpy as np
    import pandas as pd

    units, ids, q100 = [], [], []
    for index, unit in enumerate(findings):
        for clause_id, entry in unit.entries.items():
            if entry.quantity is not None and rules.has_clause(clause_id):
                units.append(index)
                ids.append(clause_id)
                q100.append(hundredths(entry.quantity))
    long = pd.DataFrame({"unit": units, "id": ids, "q100": np.array(q100, dtype="int64")})
    long = long.join(clause_table(rules), on="id")
    raw = long["q100"] * long["per100"]
    long["points"] = raw.where(long["cap"] < 0, np.minimum(raw, long["cap"]))
    return long


def score_units(rules: RuleSet, findings: list[Findings]) -> list[UnitResult]:
    """Score every unit at once; results keep input order."""
    import pandas as pd

    long = clause_points(rules, findings)
    unit_index = pd.RangeIndex(len(findings))
    not_applicable = _not_applicable(rules, findings)
    vetoes = _vetoes(rules, findings)
    scores = _category_scores(rules, long, unit_index, not_applicable)
    total, extra_bonus, extra_loss = _totals(rules, long, scores, unit_index, vetoes)
    by_unit: list[dict[str, int]] = [{} for _ in findings]
    for index, clause_id, value in zip(long["unit"].tolist(), long["id"].tolist(), long["points"].tolist(),
                                       strict=True):  # plain lists: a column's own iteration is far slower
        by_unit[index][clause_id] = int(value)
    score_rows = scores.to_dict("records")
    totals, bonuses, losses = total.tolist(), extra_bonus.tolist(), extra_loss.tolist()
    signs = [(c.id, c.bonus) for c in rules.clauses]
    results = [_unit_result(rules, signs, unit, by_unit[i], score_rows[i], totals[i], bonuses[i], losses[i])
               for i, unit in enumerate(findings)]
    for result, indicators, veto in zip(results, not_applicable, vetoes, strict=True):
        result.not_applicable = [c.id for i in indicators for c in i.clauses]
        result.veto = veto
        if veto:
            result.grade = rules.grade_of(result.total, vetoed=True)
    return results


def _category_scores(rules: RuleSet, long, unit_index, not_applicable: list[list[Indicator]]):
    """Per unit and 一级指标, in integer units: the weight less its deductions (capped at the
    weight under category_cap; per indicator under indicator_cap) plus its bonuses, rescaled
    where indicators do not apply under rescale-category."""
    import numpy as np
    import pandas as pd

    def summed(mask, *, by_indicator: bool = False) -> pd.DataFrame:
        part = long[mask]
        if by_indicator:  # 单项指标扣分之和不超过本项赋分
            part = part.groupby(["unit", "category", "indicator"], as_index=False).agg(
                points=("points", "sum"), cap=("indicator_cap", "max"))
            part["points"] = part["points"].where(part["cap"] < 0, np.minimum(part["points"], part["cap"]))
        return part.pivot_table(index="unit", columns="category", values="points",
                                aggfunc="sum", fill_value=0).reindex(unit_index, fill_value=0)

    in_category = ~long["whole_unit"]
    deductions = summed(in_category & ~long["bonus"], by_indicator=rules.indicator_cap)
    bonuses = summed(in_category & long["bonus"])
    scores = pd.DataFrame(index=unit_index)
    for category in rules.categories:
        weight = to_units(category.weight)
        d = deductions.get(category.name, pd.Series(0, index=unit_index))
        b = bonuses.get(category.name, pd.Series(0, index=unit_index))
        lost = d.clip(upper=weight) if rules.category_cap else d
        scores[category.name] = weight - lost + b
        if rules.not_applicable == RESCALE_CATEGORY and any(i.allows_not_applicable for i in category.indicators):
            left_out = pd.Series([_left_out(category, units) for units in not_applicable], index=unit_index)
            scores[category.name] = scores[category.name].where(
                left_out == 0, _rescaled(weight, left_out, d, b, capped=rules.category_cap))
    return scores


def _totals(rules: RuleSet, long, scores, unit_index, vetoes: list[list[str]]):
    """Per unit, in integer units: the total, the 综合加分项 counted and the 重大扣分项 — the
    bonus cap, the bonus threshold, the floor and the veto cap applied in that order
    (docs/scoring.md)."""
    import pandas as pd

    extra_bonus = _sum_by_unit(long[long["whole_unit"] & long["bonus"]], unit_index)
    if rules.bonus_cap is not None:
        extra_bonus = extra_bonus.clip(upper=to_units(rules.bonus_cap))
    extra_loss = _sum_by_unit(long[long["whole_unit"] & ~long["bonus"]], unit_index)
    before_bonus = scores.sum(axis=1) - extra_loss
    if rules.bonus_min_total is not None:  # 综合加分项 count only at or above the threshold
        extra_bonus = extra_bonus.where(before_bonus >= to_units(rules.bonus_min_total), 0)
    total = before_bonus + extra_bonus
    if rules.floor is not None:
        total = total.clip(lower=to_units(rules.floor))
    if rules.veto_total is not None:
        vetoed = pd.Series([bool(v) for v in vetoes], index=unit_index)
        total = total.where(~vetoed, total.clip(upper=to_units(rules.veto_total)))
    return total, extra_bonus, extra_loss


def _not_applicable(rules: RuleSet, findings: list[Findings]) -> list[list[Indicator]]:
    """Per unit, the indicators marked 不适用 (docs/scoring.md, Not applicable), in table order."""
    if not any(i.allows_not_applicable for i in rules.indicators):
        return [[] for _ in findings]
    marked = []
    for unit in findings:
        found = {rules.indicator_of(i) for i, e in unit.entries.items() if e.not_applicable and rules.has_clause(i)}
        marked.append([i for i in rules.indicators if i in found and i.allows_not_applicable])
    return marked


def _left_out(category: Category, indicators: list[Indicator]) -> int:
    """N: the 赋分 (units) of a category's indicators that do not apply to a unit."""
    return sum(to_units(i.points or 0) for i in indicators if i in category.indicators)


def _rescaled(weight: int, left_out, d, b, *, capped: bool):
    """``(W_a − min(W_a, D)) × W / W_a + B`` with ``W_a = W − N``, to 0.01 point half up (away
    from zero); W (+ B) when nothing applies. Python integers: exact at any size."""
    applicable, d = (weight - left_out).astype(object), d.astype(object)
    lost = d.where(d < applicable, applicable) if capped else d
    numerator = (applicable - lost) * weight
    denominator = applicable.where(applicable > 0, 1) * 100  # units per hundredth of a point
    size = numerator.where(numerator >= 0, -numerator)
    half_up = (2 * size + denominator) // (2 * denominator)
    hundredths = half_up.where(numerator >= 0, -half_up)
    return (hundredths * 100 + b).where(applicable > 0, weight + b).astype("int64")


def _vetoes(rules: RuleSet, findings: list[Findings]) -> list[list[str]]:
    """Per unit, the 一票否决 clauses that apply (a quantity above 0), in table order."""
    ids = [c.id for c in rules.clauses if c.veto]
    return [[i for i in ids if (unit.entries.get(i) or _NO_ENTRY).quantity] for unit in findings]


def _sum_by_unit(part, unit_index):
    return part.groupby("unit")["points"].sum().reindex(unit_index, fill_value=0)


@lru_cache(maxsize=4096)
def _signed(units: int, bonus: bool) -> Decimal:
    """Clause points as shown: −4 deducted, +1 added (few distinct values: cached)."""
    return from_units(units if bonus else -units)


_NO_ENTRY = Entry(None)


def _unit_result(rules, signs: list[tuple[str, bool]], unit: Findings, points, scores, total, bonus,
                 major) -> UnitResult:
    """One unit's result; ``signs``: each clause's id and whether it is a bonus, in table order."""
    entries, clauses = unit.entries, []
    for clause_id, is_bonus in signs:
        entry = entries.get(clause_id, _NO_ENTRY)
        clauses.append(ClauseResult(clause_id, entry.raw, _signed(points.get(clause_id, 0), is_bonus),
                                    entry.cell, entry.note))
    total_points = _signed(int(total), True)
    return UnitResult(
        rules_id=rules.id,
        rules_version=rules.version,
        grade=rules.grade_of(total_points),
        unit=unit.unit,
        file=unit.file,
        sha256=unit.sha256,
        total=total_points,
        categories={name: _signed(int(v), True) for name, v in scores.items()},
        bonus=_signed(int(bonus), True),
        major_deductions=_signed(int(major), True),
        clauses=clauses,
        warnings=list(unit.warnings),
    )


def cap_notes(rules: RuleSet, result: UnitResult) -> list[str]:
    """Where caps made the points lost differ from the clauses' sum, in a clerk's words.

    >>> from zwgk_cli.rules.loading import load_rules
    >>> rs = load_rules()
    >>> r = score_units(rs, [Findings("甲", {k: Entry(Decimal(v)) for k, v in
    ...                      {"17": 1, "18": 2, "19": 4, "20": 3}.items()})])[0]
    >>> cap_notes(rs, r)
    ['日常监管：各条款扣分合计 27 分，按扣分上限实扣 22 分']
    """
    points = {c.id: c.points for c in result.clauses}
    notes = []
    for category in rules.categories:
        rescaled = _rescale_note(rules, category, result)
        if rescaled:
            notes.append(rescaled)
            continue
        clauses = [points[c.id] for c in category.clauses]
        listed = -sum((p for p in clauses if p < 0), Decimal(0))
        gained = sum((p for p in clauses if p > 0), Decimal(0))
        lost = category.weight + gained - result.categories[category.name]
        if listed != lost:
            notes.append(f"{category.name}：各条款扣分合计 {show(listed)} 分，按扣分上限实扣 {show(lost)} 分")
    for section in rules.sections:
        if section.bonus:
            listed = sum((points[c.id] for c in section.clauses), Decimal(0))
            if listed and not result.bonus and rules.bonus_min_total is not None:
                notes.append(f"{section.name}：各项合计 {show(listed)} 分；不含{section.name}的总分未达到 "
                             f"{show(rules.bonus_min_total)} 分，不计")
            elif listed != result.bonus:
                notes.append(f"{section.name}：各项合计 {show(listed)} 分，按加分上限计 {show(result.bonus)} 分")
    if result.veto:
        capped = f"总分按最高 {show(rules.veto_total)} 分计，" if rules.veto_total is not None else ""
        lowest = f"等次为{result.grade}" if result.grade else ""
        notes.append(f"一票否决：{'、'.join(result.veto)} 情形成立，{capped}{lowest}".rstrip("，"))
    return notes


def _rescale_note(rules: RuleSet, category: Category, result: UnitResult) -> str:
    """How a category with indicators marked 不适用 was rescaled ("" when it was not)."""
    left_out = [i for i in category.indicators if i.clauses[0].id in result.not_applicable]
    if rules.not_applicable != RESCALE_CATEGORY or not left_out:
        return ""
    names = "、".join(i.name for i in left_out)
    applicable = category.weight - sum((i.points or 0 for i in left_out), 0)
    if applicable <= 0:
        return f"{category.name}：{names}不适用，无适用的赋分，按权重 {show(category.weight)} 分计"
    return (f"{category.name}：{names}不适用，按适用赋分 {show(applicable)} 分折算为 "
            f"{show(result.categories[category.name])} 分")


def rank_units(results: list[UnitResult], roster: list[str] | None = None) -> list[UnitResult]:
    """Order by total (exact), ties share a rank and the next skips (1, 2, 2, 4) (docs/scoring.md, Ranking).

    Inside a tie: roster order, then unit name.

    >>> r = [UnitResult(u, "", "", Decimal(t), {}, Decimal(0), Decimal(0), [], [])
    ...      for u, t in [("乙", "90"), ("甲", "95"), ("丙", "90"), ("丁", "80")]]
    >>> [(x.rank, x.unit) for x in rank_units(r, roster=["丙", "乙"])]
    [(1, '甲'), (2, '丙'), (2, '乙'), (4, '丁')]
    """
    position = {name: i for i, name in enumerate(roster or [])}
    ordered = sorted(
        results,
        key=lambda r: (-r.total, position.get(r.unit, len(position)), r.unit),
    )
    previous, rank = None, 0
    for place, result in enumerate(ordered, start=1):
        if result.total != previous:
            rank, previous = place, result.total
        result.rank = rank
    return ordered
