"""The data every stage shares: the rule set, what a unit entered, results, the report.

Plain records with no I/O, imported by every stage (``rules`` builds them, ``reading`` fills
:class:`Findings`, ``scoring`` turns them into :class:`UnitResult` and :class:`Report`). This
module imports only the standard library and the base modules ``exact``, ``problems`` and
``constants``.

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

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import ClassVar

from . import constants as C
from .exact import json_number
from .problems import ExitStatus, Level, Problem

# --- the rule set ---------------------------------------------------------------------------


class Kind(StrEnum):
    """How a clause's 填报 is counted; the value is what rule files and JSON say."""

    FLAG = "flag"  # 是否: per once when the case is found
    COUNT = "count"  # 计数: per for each case, up to the cap
    AMOUNT = "amount"  # 分值: per times the amount entered


KIND_LABELS = {Kind.FLAG: "是否", Kind.COUNT: "计数", Kind.AMOUNT: "分值"}

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
    na: bool = False  # may not apply to a unit: 不适用 in 填报 (docs/scoring.md, Not applicable)

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


# --- what a unit entered, and what it scored ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """What was entered for one clause: the quantity (flag: 1/0), and where it came from."""

    quantity: Decimal | None
    raw: str = ""
    cell: str = ""
    note: str = ""
    na: bool = False  # 不适用 typed: the clause's whole indicator does not apply

    def __reduce__(self):
        """Pickled as a constructor call: reading workers send thousands, and the dataclass
        default (a Python-level __setstate__) costs twice as much to load."""
        return (Entry, (self.quantity, self.raw, self.cell, self.note, self.na))


@dataclass(slots=True)
class Findings:
    """One unit's entries, as read from its workbook (or built by hand)."""

    unit: str
    entries: dict[str, Entry]
    file: str = ""
    sha256: str = ""
    warnings: list[Problem] = field(default_factory=list)
    rules_id: str = ""  # the rule set the workbook was made from
    rules_version: int | None = None  # and its version: two versions of one set may share a run


@dataclass(slots=True)
class SourceRow:
    """One row of a matrix (a unit's findings for the matrix's clauses) or of a review table
    (one clause's corrected entry, its 理由 in ``Entry.note``). ``blocked``: the row has an
    error, so its unit is not ranked until it is fixed."""

    typed: str  # the unit as written
    cell: str  # where
    entries: dict[str, Entry]
    unit: str = ""  # decided against the roster
    blocked: bool = False
    warnings: list[Problem] = field(default_factory=list)
    covers: tuple[str, ...] = ()  # a matrix row: the matrix's clauses, answered even where blank


@dataclass(slots=True)
class WorkbookRead:
    """What one file gave: findings when usable, and every problem found."""

    file: str
    sha256: str
    findings: Findings | None
    problems: list[Problem] = field(default_factory=list)
    # Who the file is from, as far as the reader got (kept for rejected files too, so that
    # a unit's second version is a duplicate whatever state either is in): the name typed
    # on the sheet, its cell, the unit recorded in _meta, and the unit decided from them.
    typed_unit: str = ""
    unit_cell: str = ""
    meta_unit: str = ""
    unit: str = ""
    saved_at: str = ""  # the workbook's own last-saved time, read only when --newest must choose
    # A matrix or review table (docs/workbook.md, "Several sources"): its kind, source name
    # and rule set, and one row per unit (matrix) or per correction (review).
    kind: str = C.KIND_UNIT
    source: str = ""
    rows: list[SourceRow] = field(default_factory=list)
    rules_id: str = ""
    rules_version: int | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == Level.ERROR]

    @property
    def ok(self) -> bool:
        return self.findings is not None and not self.errors


@dataclass(frozen=True, slots=True)
class ClauseResult:
    """A clause's outcome for one unit. ``points`` is signed: −4 deducted, +1 added."""

    id: str
    input: str
    points: Decimal
    cell: str = ""
    note: str = ""
    source: str = ""  # where the value came from: a matrix's source name, 单位评分表 or 复核
    source_file: str = ""


@dataclass(slots=True)
class UnitResult:
    unit: str
    file: str
    sha256: str
    total: Decimal
    categories: dict[str, Decimal]
    bonus: Decimal  # 综合加分项
    major: Decimal  # 重大扣分项 (as a positive number)
    clauses: list[ClauseResult]
    warnings: list[Problem]
    rank: int | None = None
    grade: str | None = None  # 等次, when the rule set defines them
    rules_id: str = ""
    rules_version: int | None = None
    veto: list[str] = field(default_factory=list)  # 一票否决 clauses that applied
    not_applicable: list[str] = field(default_factory=list)  # clauses of indicators marked 不适用
    previous: Standing | None = None  # last season's result, when compared (rank --previous)

    @property
    def rank_change(self) -> int | None:
        """Places moved up since last season (previous rank − rank); None when new or unranked."""
        if self.previous is None or self.previous.rank is None or self.rank is None:
            return None
        return self.previous.rank - self.rank

    def clause(self, clause_id: str) -> ClauseResult:
        return next(c for c in self.clauses if c.id == clause_id)

    def shown_points(self, clause: ClauseResult) -> Decimal | str:
        """A clause's points as sheets and the terminal show them: 否决 for a 一票否决 that
        applied without points, 不适用 for a clause whose indicator was marked so."""
        if clause.id in self.veto and not clause.points:
            return C.VETOED
        return C.NOT_APPLICABLE if clause.id in self.not_applicable else clause.points

    @property
    def grade_shown(self) -> str:
        """The 等次 with （一票否决） when a veto set it; "" without grades."""
        return f"{self.grade}（{C.VETO_LABEL}）" if self.grade and self.veto else (self.grade or "")

    def _clause_dict(self, c: ClauseResult) -> dict:
        """One clause in JSON, with where its value came from: as marked when merged, else the
        unit's own workbook when something was entered (docs/cli.md, JSON)."""
        source, source_file = ((c.source, c.source_file) if c.source else
                               (C.UNIT_SOURCE, self.file) if c.input else (None, ""))
        return {"id": c.id, "input": c.input or None, "points": json_number(c.points), "cell": c.cell,
                "note": c.note, "source": source, "source_file": source_file}

    def to_dict(self) -> dict:
        data = {
            "unit": self.unit,
            "rules": self.rules_id,
            "file": self.file,
            "sha256": self.sha256,
            "total": json_number(self.total),
            "categories": {k: json_number(v) for k, v in self.categories.items()},
            "bonus": json_number(self.bonus),
            "major_deductions": json_number(self.major),
            "clauses": [self._clause_dict(c) for c in self.clauses],
            "warnings": [w.to_dict() for w in self.warnings],
            "veto": list(self.veto),
            "not_applicable": list(self.not_applicable),
        }
        if self.grade is not None:
            data["grade"] = self.grade
        if self.rank is not None:
            data = {"rank": self.rank, **data}
        return data


# --- an earlier season (rank --previous) -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Standing:
    """A unit's result in an earlier season, as that run published it."""

    unit: str
    total: Decimal
    rank: int | None
    rules_id: str = ""
    klass: str = ""  # the class it was ranked in (A, B), when known: ranks compare within a class

    def to_dict(self) -> dict:
        return {"total": json_number(self.total), "rank": self.rank}


@dataclass
class PreviousSeason:
    """What an earlier ``rank`` run published (its JSON or its summary workbook)."""

    source: str  # the file it was read from
    rule_sets: list[str]  # the rule sets it was scored with, as labels (jiangxian-2022-a 第1版)
    units: list[Standing]
    only: list[Standing] = field(default_factory=list)  # ranked then, absent now (set when compared)


# --- a run's report -------------------------------------------------------------------------

_NOT_FAILED = (C.STATUS_OK, C.STATUS_SKIPPED, C.STATUS_COPY, C.STATUS_SUPERSEDED)


@dataclass(slots=True)
class InputFile:
    """One file the run looked at, for the 说明 sheet and for scripts."""

    file: str
    sha256: str
    unit: str
    status: str
    reason: str = ""  # why a file was skipped
    kind: str = C.KIND_UNIT  # unit, matrix or adjustments
    source: str = ""  # a matrix's source name (检查组), 复核 for a review table

    def to_dict(self) -> dict:
        """Its fields, all plain strings (dataclasses.asdict's deep copy costs 30 ms at 1,000 files)."""
        return {"file": self.file, "sha256": self.sha256, "unit": self.unit, "status": self.status,
                "reason": self.reason, "kind": self.kind, "source": self.source}


@dataclass(slots=True)
class NewestChoice:
    """Under --newest: the version taken for a unit, and the versions it replaced."""

    unit: str
    file: str
    saved_at: str
    superseded: list[str]


@dataclass(slots=True)
class Adjustment:
    """A review row applied: one clause of one unit set by 复核, with what it was before
    (``None`` points/total when the sources disagreed, so there was no score before)."""

    unit: str
    clause: str
    before_input: str
    after_input: str
    before_points: Decimal | None
    after_points: Decimal
    before_total: Decimal | None
    after_total: Decimal
    reason: str
    file: str
    cell: str

    def to_dict(self) -> dict:
        def number(value):
            return None if value is None else json_number(value)

        return {"unit": self.unit, "clause": self.clause,
                "before": {"input": self.before_input or None, "points": number(self.before_points),
                           "total": number(self.before_total)},
                "after": {"input": self.after_input or None, "points": number(self.after_points),
                          "total": number(self.after_total)},
                "reason": self.reason, "file": self.file, "cell": self.cell}


@dataclass
class Report:
    """What a ``score`` or ``rank`` run found; ``--json`` prints :meth:`to_dict` and nothing else."""

    rules: RuleSet
    units: list[UnitResult]
    errors: list[Problem]
    inputs: list[InputFile]
    generated_at: str
    missing: list[str] | None = None
    roster: list[str] | None = None
    notices: list[Problem] = field(default_factory=list)  # run-level warnings
    book: RuleBook | None = None
    roster_classes: dict[str, str] = field(default_factory=dict)  # 类别 per unit, from the roster
    newest: list[NewestChoice] | None = None  # None when --newest was not given
    used_sets: list[RuleSet] = field(default_factory=list)  # sets that scored at least one unit
    previous: PreviousSeason | None = None  # last season, with rank --previous
    report_file: str | None = None  # where the 通报 draft was written (rank --report)
    adjustments: list[Adjustment] = field(default_factory=list)  # review rows applied
    assessed: list[str] = field(default_factory=list)  # units some source covers (not 未提交)
    outputs: list[str] = field(default_factory=list)  # the files this run wrote (JSON ``outputs``)
    removed: list[str] = field(default_factory=list)  # earlier runs' files it removed as out of date

    def rule_set(self, result: UnitResult) -> RuleSet:
        """The rule set a unit was scored with (by id and version)."""
        sets = self.book.sets if self.book else [self.rules]
        return next((r for r in sets if r.made(result.rules_id, result.rules_version)), self.rules)

    def classes(self) -> list[tuple[RuleSet, list[UnitResult]]]:
        """Units per rule set (class), in the order the sets were named; at least the default."""
        used = self.used_sets or [self.rules]
        return [(rules, [u for u in self.units if rules.made(u.rules_id, u.rules_version)]) for rules in used]

    def class_label(self, rules: RuleSet) -> str:
        """How a class is named on sheets: 'A类', or the id when two sets used share a class."""
        if sum(1 for r in self.used_sets if r.id == rules.id) > 1:  # two versions of one set
            return rules.label()
        shared = sum(1 for r in self.used_sets if r.klass == rules.klass) > 1
        return rules.id if shared or not rules.klass else f"{rules.klass}类"

    @property
    def incomplete(self) -> list[str]:
        """Units some source assessed whose own workbook has not come while the other sources do
        not answer every clause (``source-incomplete``): not 未提交, not ranked either."""
        return [p.value for p in self.errors if p.code == "source-incomplete"]

    @property
    def exit_code(self) -> int:
        """0 when every input was scored, 1 when any was rejected or an assessed unit could not be
        ranked (docs/cli.md, Exit codes); files that are not spreadsheets were never inputs to
        score, so skipping them does not count, nor do an identical copy or a version replaced
        under --newest."""
        failed = any(i.status not in _NOT_FAILED for i in self.inputs) or bool(self.incomplete)
        return int(ExitStatus.REJECTED if failed else ExitStatus.OK)

    @property
    def skipped(self) -> list[InputFile]:
        """Files in the folders given that are not spreadsheets (not read)."""
        return [i for i in self.inputs if i.status == C.STATUS_SKIPPED]

    def to_dict(self) -> dict:
        """The ``--json`` document (docs/cli.md, JSON)."""
        data = {
            "rules": _rules_dict(self.rules),
            "rule_sets": [_rules_dict(r) for r, _ in self.classes()],
            "generated_at": self.generated_at,
            "units": [u.to_dict() for u in self.units],
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.notices],
            "inputs": [i.to_dict() for i in self.inputs],
        }
        data["adjustments"] = [a.to_dict() for a in self.adjustments]
        if self.missing is not None:
            data["missing"] = list(self.missing)
        if self.newest is not None:
            data["newest"] = [asdict(choice) for choice in self.newest]
        if self.previous is not None:
            self._previous_fields(data)
        if self.report_file is not None:
            data["report"] = self.report_file
        data["outputs"] = list(self.outputs)
        if self.removed:
            data["removed"] = list(self.removed)
        return data

    def _previous_fields(self, data: dict) -> None:
        """Last season's standing per unit, and the units ranked then but absent now."""
        for unit, shown in zip(self.units, data["units"], strict=True):
            shown["previous"] = unit.previous.to_dict() if unit.previous else None
            shown["rank_change"] = unit.rank_change
        data["previous_season"] = {"file": self.previous.source, "rule_sets": list(self.previous.rule_sets)}
        data["previous_only"] = [{"unit": s.unit, **s.to_dict()} for s in self.previous.only]


def _rules_dict(rules: RuleSet) -> dict:
    return {"id": rules.id, "version": rules.version, "sha256": rules.sha256, "title": rules.title,
            "class": rules.klass}
