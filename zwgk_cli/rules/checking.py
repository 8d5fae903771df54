"""Consistency checks of a rule set: what a careful reader of the table would flag.

>>> from zwgk_cli.rules.loading import load_rules
>>> [(f.code, f.level.value) for f in check_rules(load_rules())]
[('rules-points-sum', 'note'), ('rules-clause-over-points', 'note')]
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..exact import show
from ..model import KEEP, Category, Clause, Indicator, Kind, RuleSet
from ..problems import ExitStatus, Level, Problem, message


@dataclass(frozen=True)
class CheckReport:
    """What ``rules check`` found in a rule set (named as given: an id or a file)."""

    rules: str
    findings: list[Problem]

    @property
    def exit_status(self) -> ExitStatus:
        """1 when a finding is an error (every command would refuse the set), else 0."""
        return ExitStatus.REJECTED if any(f.level == Level.ERROR for f in self.findings) else ExitStatus.OK

    def to_dict(self) -> dict:
        return {"rules": self.rules, "findings": [f.to_dict() for f in self.findings]}


def check_rules(rules: RuleSet) -> list[Problem]:
    """Every finding, errors first within each check; notes are allowed but worth knowing."""
    findings: list[Problem] = []
    weights = sum((c.weight for c in rules.categories), Decimal(0))
    if weights != rules.full_marks:
        findings.append(_finding(rules, "rules-weight-sum", "一级指标", weights=show(weights),
                                 full_marks=show(rules.full_marks)))
    for category in rules.categories:
        findings += _category_sums(rules, category)
    findings += _duplicate_names(rules)
    for category in rules.categories:
        for indicator in category.indicators:
            findings += _indicator_over_points(rules, category, indicator)
    for clause in rules.clauses:
        findings += _cap_reachable(rules, clause)
        findings += _text_agrees(rules, clause)
    findings += _veto_effect(rules) + _not_applicable_complete(rules) + _bonus_threshold(rules) + _floor(rules)
    return findings


def _floor(rules: RuleSet) -> list[Problem]:
    """The total's floor (policy.floor) must lie below full marks: above, every unit scores it."""
    if rules.floor is None or rules.floor < rules.full_marks:
        return []
    return [_finding(rules, "rules-floor", _POLICY, floor=show(rules.floor), full_marks=show(rules.full_marks))]


def _veto_effect(rules: RuleSet) -> list[Problem]:
    """A 一票否决 clause needs a lowest grade or a veto_total to do anything, and must deduct."""
    findings = []
    for clause in (c for c in rules.clauses if c.veto):
        if clause.bonus:
            findings.append(_finding(rules, "rules-veto", _where(rules, clause), "bonus", id=clause.id))
        elif not rules.grades and rules.veto_total is None:
            findings.append(_finding(rules, "rules-veto", _where(rules, clause), id=clause.id))
    if findings or not any(c.veto for c in rules.clauses) or rules.veto_total is None or len(rules.grades) < 2:
        return findings
    above = rules.grades[-2]  # a capped total at or over this bound reads as a better grade than it gets
    if rules.veto_total >= above.min:
        findings.append(_finding(rules, "rules-veto", _POLICY, "above", level=Level.NOTE, total=show(rules.veto_total),
                                 grade=above.name, bound=show(above.min), lowest=rules.grades[-1].name))
    return findings


def _bonus_threshold(rules: RuleSet) -> list[Problem]:
    """A bonus threshold needs 综合加分项 to act on, and must be reachable."""
    if rules.bonus_min_total is None:
        return []
    total = show(rules.bonus_min_total)
    if not any(s.bonus for s in rules.sections):
        return [_finding(rules, "rules-bonus-threshold", _POLICY, level=Level.WARNING, total=total)]
    if rules.bonus_min_total > rules.full_marks:
        return [_finding(rules, "rules-bonus-threshold", _POLICY, "over", level=Level.ERROR, total=total,
                         full_marks=show(rules.full_marks))]
    return []


_POLICY = "policy"  # where a finding about the policy as a whole is placed


def _not_applicable_complete(rules: RuleSet) -> list[Problem]:
    """Rescaling needs an indicator that may not apply, each with the 赋分 it takes out."""
    if rules.not_applicable == KEEP:
        return []
    optional = [(c, i) for c in rules.categories for i in c.indicators if i.allows_not_applicable]
    if not optional:
        return [_finding(rules, "rules-not-applicable", _POLICY, "unused", level=Level.WARNING,
                         policy=rules.not_applicable)]
    return [_finding(rules, "rules-not-applicable", f"{category.name}/{indicator.name}", "no-points",
                     level=Level.ERROR, name=indicator.name)
            for category, indicator in optional if indicator.points is None]


def _text_agrees(rules: RuleSet, clause: Clause) -> list[Problem]:
    """The clause's own words, read by the rule-text parser, against its per and cap."""
    from .text import parse_rule_text

    parsed = parse_rule_text(clause.text, rules.indicator_of(clause.id).points)
    if len(parsed.clauses) != 1 or parsed.unparsed:
        return []  # several rules in one text, or words the parser leaves to a person
    read = parsed.clauses[0]
    where = _where(rules, clause)
    if clause.bonus and clause.cap is None and read.cap is not None:
        return [_finding(rules, "rules-bonus-uncapped", where, id=clause.id, cap=show(read.cap))]
    differs = [message("rules-text-mismatch", "per", ours=show(clause.per), theirs=show(read.per))
               ] if read.per != clause.per else []
    if read.cap is not None and clause.cap is not None and read.cap != clause.cap:
        differs.append(message("rules-text-mismatch", "cap", ours=show(clause.cap), theirs=show(read.cap)))
    if not differs:
        return []
    return [_finding(rules, "rules-text-mismatch", where, id=clause.id, differs="、".join(differs))]


def _finding(rules: RuleSet, code: str, where: str, variant: str = "", /, *, level: Level | None = None,
             **values: object) -> Problem:
    """The catalogued finding ``code`` about the rule set, placed at ``where`` (its usual level
    unless ``level`` says otherwise)."""
    return Problem.of(code, variant, level=level, file=rules.id, sheet=where, **values)


def _where(rules: RuleSet, clause: Clause) -> str:
    """A clause's place in findings: 一级指标/三级指标 (a section and its item's name)."""
    return f"{rules.part_of(clause.id).name}/{rules.indicator_of(clause.id).name}"


def _category_sums(rules: RuleSet, category: Category) -> list[Problem]:
    points = sum((i.points for i in category.indicators if i.points), Decimal(0))
    largest = [_indicator_largest(rules, indicator) for indicator in category.indicators]
    deductible = None if None in largest else sum(largest, Decimal(0))
    if points == category.weight:
        return []
    deduction = message("rules-points-sum", "uncapped" if deductible is None else "points",
                        points=show(deductible) if deductible is not None else "")
    values = {"category": category.name, "points": show(points), "weight": show(category.weight),
              "deduction": deduction}
    if deductible == category.weight:
        return [_finding(rules, "rules-points-sum", category.name, "harmless", level=Level.NOTE, **values)]
    return [_finding(rules, "rules-points-sum", category.name, **values)]


def _indicator_largest(rules: RuleSet, indicator: Indicator) -> Decimal | None:
    """The most an indicator can deduct (None: unbounded); 扣完为止 stops at its 赋分."""
    largest = [c.largest for c in indicator.clauses if not c.bonus]
    total = None if None in largest else sum(largest, Decimal(0))
    if rules.indicator_cap and indicator.points is not None:
        return indicator.points if total is None else min(total, indicator.points)
    return total


def _duplicate_names(rules: RuleSet) -> list[Problem]:
    seen: dict[tuple[str, str], list[str]] = {}
    for category in rules.categories:
        for indicator in category.indicators:
            seen.setdefault((category.name, indicator.name), []).append(indicator.clauses[0].id)
    return [
        _finding(rules, "rules-name-duplicate", f"{category}/{name}", name=name, count=len(ids), ids="、".join(ids))
        for (category, name), ids in seen.items() if len(ids) > 1
    ]


def _indicator_over_points(rules: RuleSet, category: Category, indicator: Indicator) -> list[Problem]:
    largest = [c.largest for c in indicator.clauses if not c.bonus]
    if indicator.points is None or not largest or None in largest:
        return []
    total = sum(largest, Decimal(0))
    if total <= indicator.points:
        return []
    level = Level.NOTE if rules.category_cap or rules.indicator_cap else Level.ERROR
    allowed = (message("rules-clause-over-points", "indicator-cap") if rules.indicator_cap
               else message("rules-clause-over-points", "category-cap") if rules.category_cap else "")
    return [_finding(rules, "rules-clause-over-points", f"{category.name}/{indicator.name}", level=level,
                     ids="、".join(c.id for c in indicator.clauses), total=show(total), points=show(indicator.points),
                     allowed=allowed)]


def _cap_reachable(rules: RuleSet, clause: Clause) -> list[Problem]:
    if clause.kind != Kind.COUNT or clause.cap is None or clause.per == 0:
        return []
    where = _where(rules, clause)
    if clause.cap % clause.per:
        return [_finding(rules, "rules-cap-unreachable", where, id=clause.id, cap=show(clause.cap),
                         per=show(clause.per))]
    if clause.max_count is not None and clause.max_count * clause.per < clause.cap:
        return [_finding(rules, "rules-cap-unreachable", where, "max", id=clause.id, most=clause.max_count,
                         per=show(clause.per), cap=show(clause.cap))]
    return []
