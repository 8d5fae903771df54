"""The rule set: the official table's levels as records (:class:`RuleSet` and :class:`RuleBook`).

A rule set has the official table's levels: categories (一级指标) hold indicators (三级指标,
with their 二级指标 group, 赋分 and 考核方式), indicators hold the clauses that are scored.
The whole-unit sections (综合加分项, 重大扣分项) hold one-clause items, each an
:class:`Indicator` named by its part (（一）) and name. A clause does not know where it sits;
the rule set does:

>>> clause = Clause("5", Kind.COUNT, Decimal(2), "每发现一处，扣2分", cap=Decimal(8))
>>> indicator = Indicator("法定公开内容", "部门信息公开", Decimal(8), "网上检查", (clause,))
>>> rules = RuleSet.from_parts("demo", [Category("主动公开", Decimal(8), (indicator,))])
>>> rules.indicator_of("5").name, rules.part_of("5").name, rules.clause("5").largest
('部门信息公开', '主动公开', Decimal('8'))
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import ClassVar

from ..exact import show


class Kind(StrEnum):
    """How a clause's 填报 is counted; the value is what rule files and JSON say."""

    FLAG = "flag"  # 是否: per once when the case is found
    COUNT = "count"  # 计数: per for each case, up to the cap
    AMOUNT = "amount"  # 分值: per times the amount entered


SCORING_KIND_LABELS = {Kind.FLAG: "是否", Kind.COUNT: "计数", Kind.AMOUNT: "分值"}

# clauses[].evidence: whether the unit proves its claim with 印证材料 (docs/scoring.md, Evidence);
# policy.evidence_policy: what a claim without it does to the score.
REQUIRED, OPTIONAL, NO_EVIDENCE = "required", "optional", "none"
EVIDENCE_LEVELS = (REQUIRED, OPTIONAL, NO_EVIDENCE)
WARN, STRICT = "warn", "strict"
EVIDENCE_POLICIES = (WARN, STRICT)


def evidence_of(method: str, bonus: bool) -> str:
    """Whether a clause asks for evidence when its rule file does not say: when its 考核方式 asks the
    unit for 印证 or 材料 (被考核单位提供相关印证材料, 会议纪要印证, 相关材料), and always for a bonus.

    >>> evidence_of("被考核单位提供会议纪要印证", False), evidence_of("网上检查", False), evidence_of("", True)
    ('required', 'none', 'required')
    """
    return REQUIRED if bonus or "印证" in method or "材料" in method else NO_EVIDENCE


# policy.not_applicable: what an indicator marked 不适用 does to its category (docs/scoring.md).
KEEP, RESCALE_CATEGORY = "keep", "rescale-category"
NOT_APPLICABLE_POLICIES = (KEEP, RESCALE_CATEGORY)


@dataclass(frozen=True)
class Clause:
    """One countable deduction or bonus. Its indicator and category: :meth:`RuleSet.indicator_of`,
    :meth:`RuleSet.part_of`."""

    id: str
    kind: Kind
    per: Decimal
    text: str
    bonus: bool = False
    cap: Decimal | None = None
    max_count: int | None = None  # 最多次数
    counts: str = ""
    needs_note: bool = False
    veto: bool = False  # 一票否决: when it applies, the total is capped and the grade is the lowest
    evidence: str = "none"  # 印证材料: required | optional | none (EVIDENCE_LEVELS)

    @property
    def largest(self) -> Decimal | None:
        """The most points this clause can give, or None when it is unbounded."""
        if self.kind == Kind.FLAG:
            return self.per
        if self.cap is not None:
            return self.cap
        if self.max_count is not None:
            return self.per * self.max_count
        return None


@dataclass(frozen=True)
class Indicator:
    """三级指标: its 二级指标 group, name, 赋分 and 考核方式, stated once for its clauses.

    In a whole-unit section, one item: ``group`` is its part (（一）), ``points`` None, and
    ``method`` the section's.
    """

    group: str
    name: str
    points: Decimal | None
    method: str
    clauses: tuple[Clause, ...]
    errata: tuple[str, ...] = ()  # ids of the errata that changed it
    allows_not_applicable: bool = False  # 不适用 may be typed (rule files: na; docs/scoring.md, Not applicable)

    def stated_points(self, clause_id: str) -> Decimal | None:
        """赋分 as the table shows it on a clause's row: on the indicator's first row only."""
        return self.points if self.clauses and self.clauses[0].id == clause_id else None


class _Indicators:
    """What categories and sections share: indicators, and their clauses in table order."""

    indicators: tuple[Indicator, ...]

    @cached_property
    def clauses(self) -> tuple[Clause, ...]:
        return tuple(c for indicator in self.indicators for c in indicator.clauses)


@dataclass(frozen=True)
class Category(_Indicators):
    """一级指标 with its weight and indicators."""

    name: str
    weight: Decimal
    indicators: tuple[Indicator, ...]
    whole_unit: ClassVar[bool] = False


@dataclass(frozen=True)
class Section(_Indicators):
    """A whole-unit section: 综合加分项 (bonus) or 重大扣分项 (uncapped deductions), its items
    outside the categories."""

    name: str
    bonus: bool
    indicators: tuple[Indicator, ...]  # one per item, each with one clause
    method: str = ""
    whole_unit: ClassVar[bool] = True


Part = Category | Section  # where a clause sits: a category, or a whole-unit section


@dataclass(frozen=True)
class Grade:
    """等次: a name and its inclusive lower bound (优秀 ≥ 90)."""

    name: str
    min: Decimal


@dataclass(frozen=True)
class Erratum:
    id: str
    where: str
    source: str
    decision: str


@dataclass(frozen=True)
class RuleSet:
    """One scoring table, loaded and checked (:func:`zwgk_cli.rules.loading.load_rules`).

    Where each clause sits is looked up once, when the set is made.
    """

    id: str
    title: str
    version: int
    year: int | None
    klass: str
    issuer: str
    full_marks: Decimal
    category_cap: bool  # 一级指标减分上限为自身权重
    floor: Decimal | None  # total never below this (None: no floor)
    categories: tuple[Category, ...]
    sections: tuple[Section, ...]
    errata: tuple[Erratum, ...]
    sha256: str
    source: str
    indicator_cap: bool = False  # 单项指标扣分之和不超过本项赋分（扣完为止）
    bonus_cap: Decimal | None = None  # 综合加分项 at most this much in all
    grades: tuple[Grade, ...] = ()  # highest first
    not_applicable: str = "keep"  # keep | rescale-category (NOT_APPLICABLE_POLICIES)
    veto_total: Decimal | None = None  # 一票否决: the total is at most this
    bonus_min_total: Decimal | None = None  # 综合加分项 count only at or above this total
    evidence_policy: str = "warn"  # warn | strict (EVIDENCE_POLICIES)

    def __post_init__(self) -> None:
        places: dict[str, tuple[Clause, Indicator, Part]] = {}
        for part in (*self.categories, *self.sections):
            for indicator in part.indicators:
                for clause in indicator.clauses:
                    places[clause.id] = (clause, indicator, part)
        object.__setattr__(self, "_places", places)  # not a field: frozen, and not compared

    @classmethod
    def from_parts(cls, rules_id: str, categories, sections=(), **fields) -> RuleSet:
        """A rule set built by hand (tests, examples): the fields not given take plain defaults."""
        defaults = {"title": rules_id, "version": 1, "year": None, "klass": "", "issuer": "",
                    "full_marks": sum((c.weight for c in categories), Decimal(0)), "category_cap": True,
                    "floor": Decimal(0), "errata": (), "sha256": "", "source": "<hand>"}
        return cls(id=rules_id, categories=tuple(categories), sections=tuple(sections),
                   **{**defaults, **fields})

    @cached_property
    def stated_texts(self) -> dict[str, tuple[str, str, Decimal | None]]:
        """Per clause, what a template states and a returned sheet is compared with: the rule
        text, the 赋分 as the template writes it, and the 赋分 as a number (kept on the set: two
        sets never share it, whatever their sha256)."""
        stated = {c.id: self.indicator_of(c.id).stated_points(c.id) for c in self.clauses}
        return {c.id: (c.text, show(stated[c.id]), stated[c.id]) for c in self.clauses}

    @cached_property
    def clauses(self) -> tuple[Clause, ...]:
        """Every clause in table order: categories first, then the sections."""
        return tuple(c for part in (*self.categories, *self.sections) for c in part.clauses)

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        """The categories' indicators in table order (the sections' items left out)."""
        return tuple(i for category in self.categories for i in category.indicators)

    def clause(self, clause_id: str) -> Clause:
        return self._places[clause_id][0]

    def has_clause(self, clause_id: str) -> bool:
        return clause_id in self._places

    def indicator_of(self, clause_id: str) -> Indicator:
        """The indicator (or whole-unit item) a clause belongs to."""
        return self._places[clause_id][1]

    def part_of(self, clause_id: str) -> Part:
        """The category a clause belongs to, or its whole-unit section."""
        return self._places[clause_id][2]

    def identity(self) -> dict:
        """Which rule set this is, as JSON says it: id, version, sha256, title, class."""
        return {"id": self.id, "version": self.version, "sha256": self.sha256, "title": self.title,
                "class": self.klass}

    def label(self) -> str:
        return f"{self.id} 第{self.version}版"

    def made(self, rules_id: str, version: int | None) -> bool:
        """Whether findings or a result recorded as (id, version) belong to this set; an empty
        id (findings built by hand) and a missing version belong to any set of that id."""
        return rules_id in ("", self.id) and version in (None, self.version)

    def grade_of(self, total: Decimal, *, vetoed: bool = False) -> str | None:
        """The 等次 of a total, or None when the rule set has no grades.

        Lower bounds are inclusive; the lowest grade also takes any total below its bound, and
        every unit with a 一票否决 clause that applies.
        """
        if not self.grades:
            return None
        if vetoed:
            return self.grades[-1].name
        return next((g.name for g in self.grades if total >= g.min), self.grades[-1].name)


@dataclass(frozen=True)
class RuleBook:
    """The rule sets a run knows: the ones named with --rules (the first is the default),
    then the built-ins. A returned workbook is scored with the set it was made from.
    Input to a run, never changed by it (which sets a run used is on its :class:`Report`)."""

    sets: tuple[RuleSet, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "sets", tuple(self.sets))

    @property
    def default(self) -> RuleSet:
        return self.sets[0]

    def find(self, rules_id: str, version: str) -> RuleSet | None:
        return next((r for r in self.sets if r.id == rules_id and str(r.version) == version), None)

    def for_class(self, klass: str) -> RuleSet | None:
        """The set for a roster's 类别: its id, or its class as offices type it (A, A类, Ｂ类, b, B 类)."""
        wanted = class_key(klass)
        return next((r for r in self.sets if wanted in (class_key(r.id), class_key(r.klass))), None)


def class_key(text: str) -> str:
    """A 类别 compared as offices mean it: widths, case, spaces and a trailing 类 ignored.

    >>> [class_key(t) for t in ("Ｂ类", "b", "B 类", " A ", "乡镇类")]
    ['B', 'B', 'B', 'A', '乡镇']
    """
    import unicodedata

    folded = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    return folded.removesuffix("类") if len(folded) > 1 else folded
