"""What a season's results say as a whole: where units lost points (共性问题), each category's
average, lowest and highest score, and how the totals are distributed.

Pure functions of a rule set and its ranked units, shared by the summary workbook and the
通报 draft. Points lost are the clauses' deductions as recorded (before a category's cap),
per indicator capped at its 赋分 when the rule set says 扣完为止.

>>> from zwgk_cli.rules.loading import load_rules
>>> from zwgk_cli.model import Entry, Findings
>>> from zwgk_cli.scoring.compute import score_units
>>> rules = load_rules()
>>> found = {"甲": {"5": 2}, "乙": {"5": 1}, "丙": {"5": 4, "9": 1}}
>>> units = score_units(rules, [Findings(u, {k: Entry(Decimal(v)) for k, v in e.items()}) for u, e in found.items()])
>>> [u.total for u in units]
[Decimal('96'), Decimal('98'), Decimal('88')]
>>> top = common_losses(rules, units)[0]
>>> top.indicator, top.units, top.points, str(top.average)
('部门信息公开', 3, Decimal('14'), '4.67')
>>> [(b.label, b.units) for b in distribution(rules, units)]
[('85–90', 1), ('90–95', 0), ('95–100', 2)]
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from ..exact import rounded
from ..model import RuleSet, UnitResult

BAND = 5  # points per band of the distribution


@dataclass(frozen=True, slots=True)
class Loss:
    """Where units lost points: one indicator (``clause`` empty) or one clause."""

    part: str  # 一级指标, or the whole-unit section (重大扣分项)
    indicator: str
    clause: str
    units: int  # units that lost points there
    points: Decimal  # points lost there, in all (positive)
    order: int  # place in the table, to keep ties in table order

    @property
    def average(self) -> Decimal:
        """Points lost per unit that lost points there (two decimals)."""
        return rounded(self.points / self.units) if self.units else Decimal(0)


def common_losses(rules: RuleSet, units: list[UnitResult], *, by_clause: bool = False) -> list[Loss]:
    """Indicators (or clauses) where any unit lost points: most units first, then most points,
    then table order. Bonuses are not losses; a unit counts once per indicator."""
    place_of, named_by = _loss_places(rules, by_clause)
    lost: dict[int, list] = {}
    for unit in units:
        per_place: dict[int, Decimal] = {}
        for clause in unit.clauses:
            if clause.points < 0 and clause.id in place_of:
                at = place_of[clause.id]
                per_place[at] = per_place.get(at, Decimal(0)) - clause.points
        for at, points in per_place.items():
            cap = rules.indicator_of(named_by[at]).points if rules.indicator_cap and not by_clause else None
            entry = lost.setdefault(at, [0, Decimal(0)])
            entry[0] += 1
            entry[1] += min(points, cap) if cap is not None else points
    losses = [Loss(rules.part_of(named_by[at]).name, rules.indicator_of(named_by[at]).name,
                   named_by[at] if by_clause else "", count, points, at) for at, (count, points) in lost.items()]
    return sorted(losses, key=lambda loss: (-loss.units, -loss.points, loss.order))


def _loss_places(rules: RuleSet, by_clause: bool) -> tuple[dict[str, int], list[str]]:
    """Each deduction clause's place (its indicator's or its own number), and per place the
    clause that names it."""
    place_of: dict[str, int] = {}
    named_by: list[str] = []
    for indicator in (i for part in (*rules.categories, *rules.sections) for i in part.indicators):
        deductions = [c.id for c in indicator.clauses if not c.bonus]
        for clause_id in deductions:
            if by_clause or clause_id == deductions[0]:
                named_by.append(clause_id)
            place_of[clause_id] = len(named_by) - 1
    return place_of, named_by


@dataclass(frozen=True, slots=True)
class CategoryStat:
    """One category's scores across the units: average (two decimals), lowest, highest."""

    name: str
    weight: Decimal
    average: Decimal
    lowest: Decimal
    highest: Decimal
    lost_by: int  # units below the weight


def category_stats(rules: RuleSet, units: list[UnitResult]) -> list[CategoryStat]:
    """Average, lowest and highest score per category, in table order (none without units)."""
    if not units:
        return []
    stats = []
    for category in rules.categories:
        scores = [u.categories[category.name] for u in units]
        stats.append(CategoryStat(category.name, category.weight, rounded(sum(scores) / len(scores)),
                                  min(scores), max(scores), sum(1 for s in scores if s < category.weight)))
    return stats


@dataclass(frozen=True, slots=True)
class Band:
    """A part of the distribution of totals: a 5-point band (lower bound included) or a 等次."""

    label: str
    units: int
    low: Decimal | None = None  # None for a 等次
    high: Decimal | None = None


def distribution(rules: RuleSet, units: list[UnitResult]) -> list[Band]:
    """Units per 等次 (highest first) when the rule set has grades, else per 5-point band from
    the lowest band to the highest, empty bands included."""
    if rules.grades:
        return [Band(g.name, sum(1 for u in units if u.grade == g.name)) for g in rules.grades]
    if not units:
        return []
    counts = Counter(math.floor(u.total / BAND) * BAND for u in units)
    lows = list(counts)
    return [Band(f"{low}–{low + BAND}", counts.get(low, 0), Decimal(low), Decimal(low + BAND))
            for low in range(min(lows), max(lows) + BAND, BAND)]
