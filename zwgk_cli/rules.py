"""Rule sets: the official scoring table as data, loaded and validated.

A rule set is a YAML file (see ``rulesets/jiangxian-2022-a.yaml``). Loading checks its
structure and collects every problem before raising :class:`RuleSetError`; whether the
table is *consistent* (weights adding up, caps reachable) is :mod:`zwgk_cli.rulecheck`.

>>> rs = load_rules("jiangxian-2022-a")
>>> rs.clause("10b").cap
Decimal('4')
>>> [c.name for c in rs.categories][:2]
['组织领导与工作保障', '基层政务公开']
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path

from .exact import decimal_of, places
from .problems import Problem, RuleSetError

BUILTIN_DIR = Path(__file__).parent / "rulesets"
DEFAULT_RULES = "jiangxian-2022-a"
KINDS = ("flag", "count", "amount")
KIND_LABELS = {"flag": "是否", "count": "计数", "amount": "分值"}


@dataclass(frozen=True)
class Clause:
    """One countable deduction or bonus, with the indicator it belongs to."""

    id: str
    kind: str
    per: Decimal
    text: str
    bonus: bool = False
    cap: Decimal | None = None
    max_count: int | None = None  # 最多次数
    counts: str = ""
    needs_note: bool = False
    category: str = ""  # 一级指标, or the section (综合加分项 / 重大扣分项)
    group: str = ""  # 二级指标, or the section part （一）
    indicator: str = ""  # 三级指标, or the clause name for whole-unit clauses
    points: Decimal | None = None  # 赋分 of the indicator
    method: str = ""  # 考核方式
    first_of_indicator: bool = True
    whole_unit: bool = False  # a J/K clause outside the categories
    errata: tuple[str, ...] = ()
    indicator_key: str = ""  # id of the indicator's first clause: clauses sharing it form one indicator

    @property
    def largest(self) -> Decimal | None:
        """The most points this clause can give, or None when it is unbounded."""
        if self.kind == "flag":
            return self.per
        if self.cap is not None:
            return self.cap
        if self.max_count is not None:
            return self.per * self.max_count
        return None


@dataclass(frozen=True)
class Category:
    """一级指标 with its weight and clauses."""

    name: str
    weight: Decimal
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Section:
    """A whole-unit section: 综合加分项 (bonus) or 重大扣分项 (uncapped deductions)."""

    name: str
    bonus: bool
    clauses: tuple[Clause, ...]


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
    _by_id: dict[str, Clause] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def clauses(self) -> tuple[Clause, ...]:
        """Every clause in table order: categories first, then the sections."""
        in_categories = tuple(c for cat in self.categories for c in cat.clauses)
        return in_categories + tuple(c for sec in self.sections for c in sec.clauses)

    def clause(self, clause_id: str) -> Clause:
        return self._by_id[clause_id]

    def has_clause(self, clause_id: str) -> bool:
        return clause_id in self._by_id

    def label(self) -> str:
        return f"{self.id} 第{self.version}版"

    def grade_of(self, total: Decimal) -> str | None:
        """The 等次 of a total, or None when the rule set has no grades.

        Lower bounds are inclusive; the lowest grade also takes any total below its bound.
        """
        if not self.grades:
            return None
        return next((g.name for g in self.grades if total >= g.min), self.grades[-1].name)

    def indicators(self) -> list[list[Clause]]:
        """Clauses grouped by indicator, in table order (whole-unit clauses left out)."""
        groups: dict[str, list[Clause]] = {}
        for clause in self.clauses:
            if not clause.whole_unit:
                groups.setdefault(clause.indicator_key, []).append(clause)
        return list(groups.values())


@dataclass
class RuleBook:
    """The rule sets a run knows: the ones named with --rules (the first is the default),
    then the built-ins. A returned workbook is scored with the set it was made from."""

    sets: list[RuleSet]
    used: list[RuleSet] = field(default_factory=list)  # sets that scored at least one unit

    @property
    def default(self) -> RuleSet:
        return self.sets[0]

    def find(self, rules_id: str, version: str) -> RuleSet | None:
        return next((r for r in self.sets if r.id == rules_id and str(r.version) == version), None)

    def for_class(self, klass: str) -> RuleSet | None:
        """The set for a roster's 类别: its id, or its class (A, A类)."""
        wanted = klass.strip().removesuffix("类")
        return next((r for r in self.sets if wanted in (r.id, r.klass)), None)

    def label(self, rules: RuleSet) -> str:
        """How a class is named on sheets: 'A类', or the id when two sets share a class."""
        shared = sum(1 for r in self.used if r.klass == rules.klass) > 1
        return rules.id if shared or not rules.klass else f"{rules.klass}类"


def load_rulebook(specs: list[str] | tuple[str, ...] = (DEFAULT_RULES,)) -> RuleBook:
    """The named rule sets in order, then the built-ins not named."""
    named = [load_rules(spec) for spec in (specs or [DEFAULT_RULES])]
    keys = {(r.id, r.version) for r in named}
    builtins = [load_rules(i) for i in builtin_ids()]
    return RuleBook(named + [r for r in builtins if (r.id, r.version) not in keys])


def builtin_ids() -> list[str]:
    """Ids of the rule sets shipped with the tool."""
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml"))


def resolve_source(spec: str | Path) -> Path:
    """A built-in id or a path to a rule file, as a path; RuleSetError if neither."""
    path = Path(spec)
    if str(spec) in builtin_ids():
        return BUILTIN_DIR / f"{spec}.yaml"
    if path.is_file():
        return path
    known = "、".join(builtin_ids())
    raise RuleSetError(
        str(spec),
        [Problem("rules-invalid", f"既不是内置考核细则（{known}），也不是存在的文件")],
    )


def load_rules(spec: str | Path = DEFAULT_RULES) -> RuleSet:
    """Load and validate a rule set by built-in id or file path."""
    path = resolve_source(spec).resolve()
    return _load_path(str(path), path.stat().st_mtime_ns)


@cache
def _load_path(path: str, _mtime: int) -> RuleSet:
    raw = Path(path).read_bytes()
    return parse_rules(raw, source=path)


def parse_rules(raw: bytes, *, source: str = "<text>") -> RuleSet:
    """Build a RuleSet from YAML bytes; RuleSetError lists every structural problem."""
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10× faster
        data = yaml.load(raw.decode("utf-8"), Loader=loader)  # noqa: S506 (a safe loader)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RuleSetError(source, [Problem("rules-invalid", f"不是有效的 YAML：{exc}")]) from None
    builder = _Builder(source)
    ruleset = builder.build(data, hashlib.sha256(raw).hexdigest())
    if builder.problems:
        raise RuleSetError(source, builder.problems)
    return ruleset


class _Builder:
    """Turns parsed YAML into a RuleSet, collecting problems instead of stopping."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem("rules-invalid", f"{where}：{message}", file=self.source))

    def number(self, where: str, value: object, *, required: bool = True) -> Decimal | None:
        if value is None and not required:
            return None
        number = decimal_of(value)
        if number is None or number < 0 or places(number) > 2:
            self.fail(where, f"「{value}」不是不小于 0、最多两位小数的数")
            return None
        return number

    def build(self, data: object, sha256: str) -> RuleSet:
        if not isinstance(data, dict):
            self.fail("文件", "顶层应为映射（id、title、categories……）")
            data = {}
        for key in ("id", "title", "version", "categories"):
            if key not in data:
                self.fail("文件", f"缺少字段 {key}")
        policy = data.get("policy") or {}
        categories = tuple(
            self.category(f"categories[{i}]", c) for i, c in enumerate(data.get("categories") or [])
        )
        sections = tuple(
            self.section(f"sections[{i}]", s) for i, s in enumerate(data.get("sections") or [])
        )
        by_id: dict[str, Clause] = {}
        for clause in [c for cat in categories for c in cat.clauses] + [
            c for sec in sections for c in sec.clauses
        ]:
            if clause.id in by_id:
                self.fail(f"编号 {clause.id}", "编号重复")
            by_id[clause.id] = clause
        return RuleSet(
            id=str(data.get("id", "")),
            title=str(data.get("title", "")),
            version=_int(data.get("version"), 0),
            year=_int(data.get("year"), None),
            klass=str(data.get("class", "")),
            issuer=str(data.get("issuer", "")),
            full_marks=self.number("full_marks", data.get("full_marks", 100)) or Decimal(100),
            category_cap=bool(policy.get("category_cap", True)),
            floor=self.number("policy.floor", policy.get("floor", 0), required=False),
            indicator_cap=bool(policy.get("indicator_cap", False)),
            bonus_cap=self.number("policy.bonus_cap", policy.get("bonus_cap"), required=False),
            grades=self.grades(policy.get("grades") or []),
            categories=categories,
            sections=sections,
            errata=tuple(self.erratum(f"errata[{i}]", e) for i, e in enumerate(data.get("errata") or [])),
            sha256=sha256,
            source=self.source,
            _by_id=by_id,
        )

    def category(self, where: str, data: dict) -> Category:
        name = str(data.get("name", "")).strip()
        if not name:
            self.fail(where, "一级指标缺少名称")
        weight = self.number(f"{where}.weight", data.get("weight")) or Decimal(0)
        clauses: list[Clause] = []
        for i, ind in enumerate(data.get("indicators") or []):
            context = {
                "category": name,
                "group": str(ind.get("group") or ""),
                "indicator": str(ind.get("name") or ""),
                "points": self.number(f"{where}.indicators[{i}].points", ind.get("points"), required=False),
                "method": str(ind.get("method") or ""),
                "errata": tuple(ind.get("errata") or ()),
            }
            raw_clauses = ind.get("clauses") or []
            if not raw_clauses:
                self.fail(f"{where}.indicators[{i}]", "三级指标没有任何条款")
            key = str((raw_clauses[0] or {}).get("id", f"{where}.{i}")) if raw_clauses else ""
            for j, raw in enumerate(raw_clauses):
                clause_where = f"{where}.indicators[{i}].clauses[{j}]"
                clauses.append(self.clause(clause_where, raw, first_of_indicator=j == 0,
                                           indicator_key=key, **context))
        return Category(name=name, weight=weight, clauses=tuple(clauses))

    def section(self, where: str, data: dict) -> Section:
        name = str(data.get("name", "")).strip()
        bonus = bool(data.get("bonus", False))
        clauses = tuple(
            self.clause(
                f"{where}.clauses[{j}]",
                {**raw, "bonus": bonus},
                category=name,
                group=str(raw.get("part") or ""),
                indicator=str(raw.get("name") or ""),
                method=str(data.get("method") or ""),
                whole_unit=True,
                indicator_key=str(raw.get("id", "")),
            )
            for j, raw in enumerate(data.get("clauses") or [])
        )
        return Section(name=name, bonus=bonus, clauses=clauses)

    def clause(self, where: str, raw: dict, **context: object) -> Clause:
        clause_id = str(raw.get("id", "")).strip()
        kind = raw.get("kind")
        if not clause_id:
            self.fail(where, "条款缺少编号 id")
        if kind not in KINDS:
            self.fail(where, f"计分方式 kind 应为 {'/'.join(KINDS)}，而不是「{kind}」")
        per = self.number(f"{where}.per", raw.get("per")) or Decimal(0)
        cap = self.number(f"{where}.cap", raw.get("cap"), required=False)
        most = raw.get("max")
        if most is not None and (not isinstance(most, int) or isinstance(most, bool) or most < 1):
            self.fail(f"{where}.max", f"最多次数应为正整数，而不是「{most}」")
            most = None
        if not str(raw.get("text") or "").strip():
            self.fail(where, "条款缺少评分标准文字 text")
        return Clause(
            id=clause_id,
            kind=str(kind),
            per=per,
            text=str(raw.get("text") or "").strip(),
            bonus=bool(raw.get("bonus", False)),
            cap=cap,
            max_count=most,
            counts=str(raw.get("counts") or ""),
            needs_note=bool(raw.get("needs_note", False)),
            **context,
        )

    def grades(self, raw: list) -> tuple[Grade, ...]:
        grades = []
        for i, item in enumerate(raw):
            if not isinstance(item, dict) or not item.get("name"):
                self.fail(f"policy.grades[{i}]", "等次应写成 {name: 优秀, min: 90}")
                continue
            lower = self.number(f"policy.grades[{i}].min", item.get("min", 0)) or Decimal(0)
            grades.append(Grade(str(item["name"]), lower))
        return tuple(sorted(grades, key=lambda g: g.min, reverse=True))

    def erratum(self, where: str, data: dict) -> Erratum:
        if not data.get("id"):
            self.fail(where, "勘误缺少编号 id")
        return Erratum(
            id=str(data.get("id", "")),
            where=str(data.get("where", "")),
            source=str(data.get("source", "")),
            decision=str(data.get("decision", "")),
        )


def _int(value: object, default: int | None) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else default
