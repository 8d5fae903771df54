"""This season against the last: each unit's previous total and rank, by name or 曾用名.

Names are compared as everywhere else (:func:`zwgk_cli.reading.names.name_key`). A unit's own
name comes first; its former names (the roster's 曾用名) only claim a last-season unit nobody
matched by name. A match that is not unique is said (``previous-ambiguous``) and left out,
never guessed.

>>> from decimal import Decimal
>>> change_label(UnitResult("县发改局", "", "", Decimal(90), {}, Decimal(0), Decimal(0), [], [], rank=2,
...              previous=Standing("县发展计划局", Decimal(88), 5)))
'↑3'
"""

from __future__ import annotations

from dataclasses import replace

from ..model import PreviousSeason, Report, Standing, UnitResult
from ..problems import Problem
from ..reading.names import name_key

NEW, SAME, OTHER_CLASS = "新", "–", "类别变更"


def compare_seasons(report: Report, previous: PreviousSeason,
                    former_names: dict[str, list[str]] | None = None) -> None:
    """Give each ranked unit of ``report`` its standing in ``previous``; list the units ranked
    then and absent now (``previous.only``); warn when the rule sets differ or a match is not
    unique. ``report`` is changed in place."""
    by_key: dict[str, list[Standing]] = {}
    for standing in previous.units:
        by_key.setdefault(name_key(standing.unit), []).append(standing)
    claimed: dict[int, list[UnitResult]] = {}
    for unit in report.units:  # own names first: they are certain
        found = by_key.get(name_key(unit.unit), [])
        if len(found) == 1:
            claimed.setdefault(id(found[0]), []).append(unit)
        elif len(found) > 1:  # last season listed the name twice (two classes): no single rank
            report.warnings.append(Problem.of("previous-ambiguous", unit=unit.unit,
                                             names="、".join(s.unit for s in found)))
    taken = set(claimed)
    for unit in report.units:
        if not by_key.get(name_key(unit.unit)):
            _claim_by_former(unit, former_names or {}, by_key, taken, claimed, report)
    standings = {id(s): s for s in previous.units}
    # with one class in each season a changed class letter is a relabelled table, not a move
    by_class = len(report.classes()) > 1 or len({s.klass for s in previous.units if s.klass}) > 1
    for key, units in claimed.items():
        if len(units) == 1:
            _attach(report, units[0], standings[key], by_class)
        else:
            report.warnings.append(Problem.of("previous-ambiguous", "shared", name=standings[key].unit,
                                             units="、".join(u.unit for u in units)))
    # absent now: matched by no unit, or split (two units name it as their 曾用名: it is gone)
    previous.only = [s for s in previous.units if len(claimed.get(id(s), ())) != 1]
    report.previous = previous
    _say_rule_sets(report, previous)


def _claim_by_former(unit: UnitResult, former: dict[str, list[str]], by_key, taken: set[int],
                     claimed: dict[int, list[UnitResult]], report: Report) -> None:
    """Match ``unit`` by its 曾用名 to a last-season unit that no unit matched by its own name."""
    names = former.get(unit.unit) or next((v for k, v in former.items() if name_key(k) == name_key(unit.unit)), [])
    found = {id(s): s for n in names for s in by_key.get(name_key(n), []) if id(s) not in taken}
    if len(found) == 1:
        claimed.setdefault(next(iter(found)), []).append(unit)
    elif len(found) > 1:  # two former units merged into one: no single last-season rank
        report.warnings.append(Problem.of("previous-ambiguous", unit=unit.unit,
                                         names="、".join(s.unit for s in found.values())))


def _attach(report: Report, unit: UnitResult, standing: Standing, by_class: bool) -> None:
    """Last season's result on ``unit``, unless ``by_class`` and it was ranked in another class
    then (ranks of two classes do not compare: said, and left out)."""
    now = report.rule_set(unit).klass
    if by_class and standing.klass and now and standing.klass != now:
        report.warnings.append(Problem.of("previous-rules", "other-class", unit=unit.unit, then=standing.klass,
                                          now=now))
        standing = replace(standing, rank=None)  # its total is shown, its rank is not compared
    unit.previous = standing


def _say_rule_sets(report: Report, previous: PreviousSeason) -> None:
    now = [r.label() for r, _ in report.classes()]
    if previous.rule_sets and set(previous.rule_sets) != set(now):
        report.warnings.append(Problem.of("previous-rules", file=previous.source,
                                         then="、".join(previous.rule_sets), now="、".join(now)))


def change_label(unit: UnitResult) -> str:
    """名次变化 as published: ↑3 (moved up), ↓2, – (unchanged), 新 (not ranked last season),
    类别变更 (ranked in another class then)."""
    change = unit.rank_change
    if change is None:
        return NEW if unit.previous is None else OTHER_CLASS
    if change == 0:
        return SAME
    return f"↑{change}" if change > 0 else f"↓{-change}"
