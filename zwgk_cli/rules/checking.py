"""Consistency checks of a rule set: what a careful reader of the table would flag.

>>> from zwgk_cli.rules.loading import load_rules
>>> [(f.code, f.level.value) for f in check_rules(load_rules())]
[('rules-points-sum', 'note'), ('rules-clause-over-points', 'note')]
"""

from __future__ import annotations

from decimal import Decimal

from ..exact import show
from ..problems import Level, Problem
from .loading import Clause, RuleSet


def check_rules(rules: RuleSet) -> list[Problem]:
    """Every finding, errors first within each check; notes are allowed but worth knowing."""
    findings: list[Problem] = []
    weights = sum((c.weight for c in rules.categories), Decimal(0))
    if weights != rules.full_marks:
        findings.append(_finding(rules, "rules-weight-sum", "一级指标",
                                 f"一级指标权重合计 {show(weights)} 分，与满分 {show(rules.full_marks)} 分不符"))
    for category in rules.categories:
        findings += _category_sums(rules, category)
    findings += _duplicate_names(rules)
    for indicator in rules.indicators():
        findings += _indicator_over_points(rules, indicator)
    for clause in rules.clauses:
        findings += _cap_reachable(rules, clause)
        findings += _text_agrees(rules, clause)
    return findings


def _text_agrees(rules: RuleSet, clause: Clause) -> list[Problem]:
    """The clause's own words, read by the rule-text parser, against its per and cap."""
    from .text import parse_rule_text

    parsed = parse_rule_text(clause.text, clause.points)
    if len(parsed.clauses) != 1 or parsed.unparsed:
        return []  # several rules in one text, or words the parser leaves to a person
    read = parsed.clauses[0]
    where = f"{clause.category}/{clause.indicator}"
    if clause.bonus and clause.cap is None and read.cap is not None:
        return [_finding(rules, "rules-bonus-uncapped", where,
                         f"编号 {clause.id} 的加分标准写明上限 {show(read.cap)} 分，但未设 cap", Level.WARNING)]
    differs = [f"每次分值 {show(clause.per)}（原文 {show(read.per)}）"] if read.per != clause.per else []
    if read.cap is not None and clause.cap is not None and read.cap != clause.cap:
        differs.append(f"上限 {show(clause.cap)}（原文 {show(read.cap)}）")
    if not differs:
        return []
    return [_finding(rules, "rules-text-mismatch", where,
                     f"编号 {clause.id} 的 {'、'.join(differs)} 与评分标准原文不一致", Level.WARNING)]


def _finding(rules: RuleSet, code: str, where: str, message: str,
             level: Level = Level.ERROR) -> Problem:
    return Problem(code, message, level, file=rules.id, sheet=where)


def _category_sums(rules: RuleSet, category) -> list[Problem]:
    points = sum((c.points for c in category.clauses if c.first_of_indicator and c.points),
                 Decimal(0))
    largest = [_indicator_largest(rules, group) for group in rules.indicators() if group[0].category == category.name]
    deductible = None if None in largest else sum(largest, Decimal(0))
    if points == category.weight:
        return []
    deduction = "不设上限" if deductible is None else f"{show(deductible)} 分"
    message = (f"“{category.name}”各三级指标赋分合计 {show(points)} 分，与一级指标权重 "
               f"{show(category.weight)} 分不符；各条款最大扣分合计 {deduction}")
    if deductible == category.weight:
        return [_finding(rules, "rules-points-sum", category.name,
                         message + "，与权重一致，计分不受影响", Level.NOTE)]
    return [_finding(rules, "rules-points-sum", category.name, message)]


def _indicator_largest(rules: RuleSet, group: list[Clause]) -> Decimal | None:
    """The most an indicator can deduct (None: unbounded); 扣完为止 stops at its 赋分."""
    largest = [c.largest for c in group if not c.bonus]
    total = None if None in largest else sum(largest, Decimal(0))
    if rules.indicator_cap and group[0].points is not None:
        return group[0].points if total is None else min(total, group[0].points)
    return total


def _duplicate_names(rules: RuleSet) -> list[Problem]:
    seen: dict[tuple[str, str], list[str]] = {}
    for group in rules.indicators():
        first = group[0]
        seen.setdefault((first.category, first.indicator), []).append(first.id)
    return [
        _finding(rules, "rules-name-duplicate", f"{category}/{name}",
                 f"三级指标“{name}”出现 {len(ids)} 次（编号 {'、'.join(ids)}），无法区分", Level.WARNING)
        for (category, name), ids in seen.items() if len(ids) > 1
    ]


def _indicator_over_points(rules: RuleSet, group: list[Clause]) -> list[Problem]:
    first = group[0]
    largest = [c.largest for c in group if not c.bonus]
    if first.points is None or not largest or None in largest:
        return []
    total = sum(largest, Decimal(0))
    if total <= first.points:
        return []
    level = Level.NOTE if rules.category_cap or rules.indicator_cap else Level.ERROR
    allowed = ("（单项指标扣完为止，按本项赋分封顶）" if rules.indicator_cap
               else "（三级指标减分可突破自身赋分，计入一级指标上限）" if rules.category_cap else "")
    ids = "、".join(c.id for c in group)
    return [_finding(rules, "rules-clause-over-points", f"{first.category}/{first.indicator}",
                     f"编号 {ids} 最多扣 {show(total)} 分，超过本项赋分 {show(first.points)} 分{allowed}",
                     level)]


def _cap_reachable(rules: RuleSet, clause: Clause) -> list[Problem]:
    if clause.kind != "count" or clause.cap is None or clause.per == 0:
        return []
    where = f"{clause.category}/{clause.indicator}"
    if clause.cap % clause.per:
        return [_finding(rules, "rules-cap-unreachable", where,
                         f"编号 {clause.id} 上限 {show(clause.cap)} 分不是每次 {show(clause.per)} 分的整数倍",
                         Level.WARNING)]
    if clause.max_count is not None and clause.max_count * clause.per < clause.cap:
        return [_finding(rules, "rules-cap-unreachable", where,
                         f"编号 {clause.id} 最多 {clause.max_count} 次 × {show(clause.per)} 分达不到上限 "
                         f"{show(clause.cap)} 分", Level.WARNING)]
    return []
