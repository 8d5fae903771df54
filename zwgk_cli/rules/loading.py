"""Rule sets: the official scoring table as data, loaded and validated.

A rule set is a YAML file (see ``builtin/jiangxian-2022-a.yaml``). Loading checks its
structure and collects every problem before raising :class:`RuleSetError`; whether the
table is *consistent* (weights adding up, caps reachable) is :mod:`zwgk_cli.rules.checking`.

>>> rs = load_rules("jiangxian-2022-a")
>>> rs.clause("10b").cap
Decimal('4')
>>> [c.name for c in rs.categories][:2]
['组织领导与工作保障', '基层政务公开']
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from functools import cache
from pathlib import Path

from ..model import KINDS, Category, Clause, Erratum, Grade, RuleBook, RuleSet, Section
from ..problems import Problem, RuleSetError
from .shape import Shapes, kind_of, yaml_document

BUILTIN_DIR = Path(__file__).parent / "builtin"
DEFAULT_RULES = "jiangxian-2022-a"


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
    why = Problem.of("rules-invalid", "folder") if path.is_dir() else Problem.of("rules-invalid", "unknown",
                                                                                   known=known)
    raise RuleSetError(str(spec), [why])


def load_rules(spec: str | Path = DEFAULT_RULES) -> RuleSet:
    """Load and validate a rule set by built-in id or file path."""
    path = resolve_source(spec).resolve()
    return _load_path(str(path), path.stat().st_mtime_ns)


@cache
def _load_path(path: str, _mtime: int) -> RuleSet:
    try:
        raw = Path(path).read_bytes()
    except OSError:
        raise RuleSetError(path, [Problem.of("rules-invalid", "unreadable", file=path)]) from None
    return parse_rules(raw, source=path)


def parse_rules(raw: bytes, *, source: str = "<text>") -> RuleSet:
    """Build a RuleSet from YAML bytes; RuleSetError lists every structural problem."""
    builder = _Builder(source)
    data = yaml_document(raw, source)
    ruleset = builder.build(data, hashlib.sha256(raw).hexdigest())
    if builder.problems:
        raise RuleSetError(source, builder.problems)
    return ruleset


class _Builder(Shapes):
    """Turns parsed YAML into a RuleSet, collecting problems instead of stopping."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def build(self, data: object, sha256: str) -> RuleSet:
        if not isinstance(data, dict):
            self.fail("文件", "top", got=kind_of(data))
            data = {}
        for key in ("id", "title", "version", "categories"):
            if key not in data:
                self.fail("文件", "no-field", key=key)
        policy = self.mapping("policy", data.get("policy")) or {}
        categories = tuple(self.category(f"categories[{i}]", c)
                           for i, c in enumerate(self.items("categories", data.get("categories"))))
        sections = tuple(self.section(f"sections[{i}]", s)
                         for i, s in enumerate(self.items("sections", data.get("sections"))))
        by_id: dict[str, Clause] = {}
        for clause in [c for part in (*categories, *sections) for c in part.clauses]:
            if clause.id in by_id:
                self.fail(f"编号 {clause.id}", "id-duplicate")
            by_id[clause.id] = clause
        return RuleSet(
            id=self.text("id", data.get("id"), number_ok=True),
            title=self.text("title", data.get("title")),
            version=self.whole("version", data.get("version"), 0),
            year=self.whole("year", data.get("year"), None),
            klass=self.text("class", data.get("class"), number_ok=True),
            issuer=self.text("issuer", data.get("issuer")),
            full_marks=self.number("full_marks", data.get("full_marks", 100)) or Decimal(100),
            category_cap=self.flag("policy.category_cap", policy.get("category_cap"), True),
            floor=self.number("policy.floor", policy.get("floor", 0), required=False),
            indicator_cap=self.flag("policy.indicator_cap", policy.get("indicator_cap"), False),
            bonus_cap=self.number("policy.bonus_cap", policy.get("bonus_cap"), required=False),
            grades=self.grades(self.items("policy.grades", policy.get("grades"))),
            categories=categories,
            sections=sections,
            errata=tuple(self.erratum(f"errata[{i}]", e)
                         for i, e in enumerate(self.items("errata", data.get("errata")))),
            sha256=sha256,
            source=self.source,
            _by_id=by_id,
        )

    def category(self, where: str, data: object) -> Category:
        data = self.mapping(where, data)
        if data is None:
            return Category("", Decimal(0), ())
        name = self.text(f"{where}.name", data.get("name"))
        if not name:
            self.fail(where, "no-category-name")
        weight = self.number(f"{where}.weight", data.get("weight")) or Decimal(0)
        clauses: list[Clause] = []
        for i, ind in enumerate(self.items(f"{where}.indicators", data.get("indicators"))):
            clauses += self.indicator(f"{where}.indicators[{i}]", ind, name)
        return Category(name=name, weight=weight, clauses=tuple(clauses))

    def indicator(self, where: str, data: object, category: str) -> list[Clause]:
        data = self.mapping(where, data)
        if data is None:
            return []
        context = {
            "category": category,
            "group": self.text(f"{where}.group", data.get("group")),
            "indicator": self.text(f"{where}.name", data.get("name")),
            "points": self.number(f"{where}.points", data.get("points"), required=False),
            "method": self.text(f"{where}.method", data.get("method")),
            "errata": tuple(self.text(f"{where}.errata[{k}]", e, number_ok=True)
                            for k, e in enumerate(self.items(f"{where}.errata", data.get("errata")))),
        }
        listed = self.items(f"{where}.clauses", data.get("clauses"))
        raw_clauses = [self.mapping(f"{where}.clauses[{j}]", raw) for j, raw in enumerate(listed)]
        if not listed:
            self.fail(where, "no-clauses")
        first = raw_clauses[0] if raw_clauses else None
        key = str(first["id"]) if first and isinstance(first.get("id"), str | int) else where
        return [self.clause(f"{where}.clauses[{j}]", raw, first_of_indicator=j == 0, indicator_key=key, **context)
                for j, raw in enumerate(raw_clauses) if raw is not None]

    def section(self, where: str, data: object) -> Section:
        data = self.mapping(where, data)
        if data is None:
            return Section("", False, ())
        name = self.text(f"{where}.name", data.get("name"))
        bonus = self.flag(f"{where}.bonus", data.get("bonus"), False)
        method = self.text(f"{where}.method", data.get("method"))
        clauses = []
        for j, raw in enumerate(self.items(f"{where}.clauses", data.get("clauses"))):
            at = f"{where}.clauses[{j}]"
            raw = self.mapping(at, raw)
            if raw is None:
                continue
            clauses.append(self.clause(at, {**raw, "bonus": bonus}, category=name, method=method,
                                       group=self.text(f"{at}.part", raw.get("part")),
                                       indicator=self.text(f"{at}.name", raw.get("name")), whole_unit=True,
                                       indicator_key=self.text(f"{at}.id", raw.get("id"), number_ok=True)))
        return Section(name=name, bonus=bonus, clauses=tuple(clauses))

    def clause(self, where: str, raw: dict, **context: object) -> Clause:
        clause_id = self.text(f"{where}.id", raw.get("id"), number_ok=True)
        kind = raw.get("kind")
        if not clause_id and _blank(raw.get("id")):
            self.fail(where, "no-id")
        if not isinstance(kind, str) or kind not in KINDS:
            self.fail(where, "kind", kinds="/".join(KINDS), got=kind_of(kind))
        per = self.number(f"{where}.per", raw.get("per")) or Decimal(0)
        cap = self.number(f"{where}.cap", raw.get("cap"), required=False)
        most = raw.get("max")
        if most is not None and (not isinstance(most, int) or isinstance(most, bool) or most < 1):
            self.fail(f"{where}.max", "max", got=kind_of(most))
            most = None
        text = self.text(f"{where}.text", raw.get("text"))
        if not text and _blank(raw.get("text")):
            self.fail(where, "no-text")
        return Clause(
            id=clause_id,
            kind=str(kind),
            per=per,
            text=text,
            bonus=self.flag(f"{where}.bonus", raw.get("bonus"), False),
            cap=cap,
            max_count=most,
            counts=self.text(f"{where}.counts", raw.get("counts")),
            needs_note=self.flag(f"{where}.needs_note", raw.get("needs_note"), False),
            **context,
        )

    def grades(self, raw: list) -> tuple[Grade, ...]:
        grades = []
        for i, item in enumerate(raw):
            name = self.text(f"policy.grades[{i}].name", item.get("name")) if isinstance(item, dict) else ""
            if not name:
                self.fail(f"policy.grades[{i}]", "grade")
                continue
            lower = self.number(f"policy.grades[{i}].min", item.get("min", 0)) or Decimal(0)
            grades.append(Grade(name, lower))
        return tuple(sorted(grades, key=lambda g: g.min, reverse=True))

    def erratum(self, where: str, data: object) -> Erratum:
        data = self.mapping(where, data) or {}
        fields = {key: self.text(f"{where}.{key}", data.get(key), number_ok=True)
                  for key in ("id", "where", "source", "decision")}
        if not fields["id"]:
            self.fail(where, "erratum-no-id")
        return Erratum(**fields)


def _blank(value: object) -> bool:
    """Absent or empty text (a value of the wrong shape is reported as such, not as missing)."""
    return value is None or (isinstance(value, str) and not value.strip())
