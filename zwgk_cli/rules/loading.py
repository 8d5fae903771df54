"""Rule sets: the official scoring table as data, loaded and validated.

A rule set is a YAML file (see ``builtin/jiangxian-2022-a.yaml``), loaded into the records of
:mod:`zwgk_cli.model`. Loading checks its structure and collects every problem before raising
:class:`RuleSetError`; whether the table is *consistent* (weights adding up, caps reachable) is
:mod:`zwgk_cli.rules.checking`.

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
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from ..constants import LARGEST
from ..model import (
    EVIDENCE_LEVELS,
    EVIDENCE_POLICIES,
    KEEP,
    NOT_APPLICABLE_POLICIES,
    WARN,
    Category,
    Clause,
    Erratum,
    Grade,
    Indicator,
    Kind,
    RuleBook,
    RuleSet,
    Section,
    evidence_of,
)
from ..problems import Level, Problem, RuleSetError
from .shape import Shapes, kind_of, yaml_document

DEFAULT_RULES = "jiangxian-2022-a"
_BUILTIN_SUFFIX = ".yaml"


def _builtin_folder() -> Traversable:
    """The rule sets shipped with the tool, found through the package's resources (so that they
    are found in a zipped or frozen install too, where there is no folder beside the code)."""
    return files(__package__).joinpath("builtin")


def load_rulebook(specs: list[str] | tuple[str, ...] = (DEFAULT_RULES,)) -> RuleBook:
    """The named rule sets in order, then the built-ins not named; each usable (see :func:`usable_rules`)."""
    named = [usable_rules(spec) for spec in (specs or [DEFAULT_RULES])]
    keys = {(r.id, r.version) for r in named}
    builtins = [load_rules(i) for i in builtin_ids()]
    return RuleBook(named + [r for r in builtins if (r.id, r.version) not in keys])


def builtin_ids() -> list[str]:
    """Ids of the rule sets shipped with the tool."""
    return sorted(entry.name.removesuffix(_BUILTIN_SUFFIX) for entry in _builtin_folder().iterdir()
                  if entry.name.endswith(_BUILTIN_SUFFIX))


def load_rules(spec: str | Path = DEFAULT_RULES) -> RuleSet:
    """Load and validate a rule set by built-in id or file path."""
    if str(spec) in builtin_ids():
        return _load_builtin(str(spec))
    path = Path(spec)
    if path.is_file():
        path = path.resolve()
        return _load_path(str(path), path.stat().st_mtime_ns)
    known = "、".join(builtin_ids())
    why = Problem.of("rules-invalid", "folder") if path.is_dir() else Problem.of("rules-invalid", "unknown",
                                                                                   known=known)
    raise RuleSetError(str(spec), [why])


def usable_rules(spec: str | Path = DEFAULT_RULES) -> RuleSet:
    """:func:`load_rules`, refusing a rule set that ``rules check`` finds an error in (weights not
    adding up, an indicator that may not apply without 赋分, …): scoring with it would give
    numbers nobody can stand behind, or fail half-way. RuleSetError lists every such error."""
    from .checking import check_rules

    rules = load_rules(spec)
    errors = [p for p in check_rules(rules) if p.level == Level.ERROR]
    if errors:
        raise RuleSetError(rules.source, errors, check=True)
    return rules


def rule_file_bytes(rules: RuleSet) -> bytes | None:
    """The bytes of the file a rule set was loaded from (the built-in's resource, or its YAML
    file), when they are still what was loaded (same sha256); None otherwise."""
    try:
        if rules.source in builtin_ids():
            raw = _builtin_folder().joinpath(rules.source + _BUILTIN_SUFFIX).read_bytes()
        else:
            raw = Path(rules.source).read_bytes()
    except OSError:
        return None
    return raw if hashlib.sha256(raw).hexdigest() == rules.sha256 else None


@cache
def _load_builtin(rules_id: str) -> RuleSet:
    return parse_rules(_builtin_folder().joinpath(rules_id + _BUILTIN_SUFFIX).read_bytes(), source=rules_id)


@cache
def _load_path(path: str, _mtime: int) -> RuleSet:
    try:
        raw = Path(path).read_bytes()
    except OSError:
        raise RuleSetError(path, [Problem.of("rules-invalid", "unreadable", file=path)]) from None
    return parse_rules(raw, source=path)


def parse_rules(raw: bytes, *, source: str = "<text>") -> RuleSet:
    """Build a RuleSet from YAML bytes; RuleSetError lists every structural problem."""
    shapes = Shapes(source)
    data = yaml_document(raw, source)
    ruleset = _rule_set(shapes, data, hashlib.sha256(raw).hexdigest())
    if shapes.problems:
        raise RuleSetError(source, shapes.problems)
    return ruleset


# Each step below turns one part of the parsed YAML into records, recording a problem in
# ``shapes`` for every value of the wrong shape and going on with a usable stand-in, so that
# one run lists every problem of the file.


def _rule_set(shapes: Shapes, data: object, sha256: str) -> RuleSet:
    data = _top_level(shapes, data)
    policy = shapes.mapping("policy", data.get("policy")) or {}
    shapes.keys("policy", policy, "policy")
    categories = tuple(_category(shapes, f"categories[{i}]", c)
                       for i, c in enumerate(shapes.items("categories", data.get("categories"))))
    sections = tuple(_section(shapes, f"sections[{i}]", s)
                     for i, s in enumerate(shapes.items("sections", data.get("sections"))))
    _check_unique_ids(shapes, (*categories, *sections))
    return RuleSet(
        **_header(shapes, data),
        **_policy(shapes, policy),
        categories=categories,
        sections=sections,
        errata=tuple(_erratum(shapes, f"errata[{i}]", e)
                     for i, e in enumerate(shapes.items("errata", data.get("errata")))),
        sha256=sha256,
        source=shapes.source,
    )


def _top_level(shapes: Shapes, data: object) -> dict:
    if not isinstance(data, dict):
        shapes.fail("文件", "top", got=kind_of(data))
        data = {}
    shapes.keys("", data, "top")
    for key in ("id", "title", "version", "categories"):
        if key not in data:
            shapes.fail("文件", "no-field", key=key)
    return data


def _header(shapes: Shapes, data: dict) -> dict:
    return {
        "id": shapes.text("id", data.get("id"), number_ok=True),
        "title": shapes.text("title", data.get("title")),
        "version": shapes.whole("version", data.get("version"), 0),
        "year": shapes.whole("year", data.get("year"), None),
        "klass": shapes.text("class", data.get("class"), number_ok=True),
        "issuer": shapes.text("issuer", data.get("issuer")),
        "full_marks": shapes.number("full_marks", data.get("full_marks", 100)) or Decimal(100),
    }


def _policy(shapes: Shapes, policy: dict) -> dict:
    return {
        "category_cap": shapes.flag("policy.category_cap", policy.get("category_cap"), True),
        "floor": shapes.number("policy.floor", policy.get("floor", 0), required=False),
        "indicator_cap": shapes.flag("policy.indicator_cap", policy.get("indicator_cap"), False),
        "bonus_cap": shapes.number("policy.bonus_cap", policy.get("bonus_cap"), required=False),
        "grades": _grades(shapes, shapes.items("policy.grades", policy.get("grades"))),
        **_other_schemes(shapes, policy),
    }


def _other_schemes(shapes: Shapes, policy: dict) -> dict:
    """不适用, 一票否决 and the bonus threshold (docs/scoring.md, Policies)."""
    return {
        "not_applicable": shapes.choice("policy.not_applicable", policy.get("not_applicable"),
                                        NOT_APPLICABLE_POLICIES, KEEP),
        "veto_total": shapes.number("policy.veto_total", policy.get("veto_total"), required=False),
        "bonus_min_total": shapes.number("policy.bonus_min_total", policy.get("bonus_min_total"), required=False),
        "evidence_policy": shapes.choice("policy.evidence_policy", policy.get("evidence_policy"), EVIDENCE_POLICIES,
                                         WARN),
    }


def _check_unique_ids(shapes: Shapes, parts: tuple[Category | Section, ...]) -> None:
    seen: set[str] = set()
    for clause in (c for part in parts for c in part.clauses):
        if clause.id in seen:
            shapes.fail(f"编号 {clause.id}", "id-duplicate")
        seen.add(clause.id)


def _category(shapes: Shapes, where: str, data: object) -> Category:
    data = shapes.mapping(where, data)
    if data is None:
        return Category("", Decimal(0), ())
    shapes.keys(where, data, "category")
    name = shapes.text(f"{where}.name", data.get("name"))
    if not name:
        shapes.fail(where, "no-category-name")
    weight = shapes.number(f"{where}.weight", data.get("weight")) or Decimal(0)
    listed = shapes.items(f"{where}.indicators", data.get("indicators"))
    indicators = [_indicator(shapes, f"{where}.indicators[{i}]", ind) for i, ind in enumerate(listed)]
    if not listed:
        shapes.fail(where, "no-indicators")
    return Category(name=name, weight=weight, indicators=tuple(i for i in indicators if i is not None))


def _indicator(shapes: Shapes, where: str, data: object) -> Indicator | None:
    data = shapes.mapping(where, data)
    if data is None:
        return None
    shapes.keys(where, data, "indicator")
    group = shapes.text(f"{where}.group", data.get("group"))
    name = shapes.text(f"{where}.name", data.get("name"))
    points = shapes.number(f"{where}.points", data.get("points"), required=False)
    method = shapes.text(f"{where}.method", data.get("method"))
    errata = tuple(shapes.text(f"{where}.errata[{k}]", e, number_ok=True)
                   for k, e in enumerate(shapes.items(f"{where}.errata", data.get("errata"))))
    listed = shapes.items(f"{where}.clauses", data.get("clauses"))
    raw_clauses = [shapes.mapping(f"{where}.clauses[{j}]", raw) for j, raw in enumerate(listed)]
    if not listed:
        shapes.fail(where, "no-clauses")
    for j, raw in enumerate(raw_clauses):
        if raw is not None:
            shapes.keys(f"{where}.clauses[{j}]", raw, "clause")
    clauses = tuple(_clause(shapes, f"{where}.clauses[{j}]", raw, method)
                    for j, raw in enumerate(raw_clauses) if raw is not None)
    na = shapes.flag(f"{where}.na", data.get("na"), False)
    return Indicator(group=group, name=name, points=points, method=method, clauses=clauses, errata=errata,
                     allows_not_applicable=na)


def _section(shapes: Shapes, where: str, data: object) -> Section:
    data = shapes.mapping(where, data)
    if data is None:
        return Section("", False, ())
    shapes.keys(where, data, "section")
    name = shapes.text(f"{where}.name", data.get("name"))
    bonus = shapes.flag(f"{where}.bonus", data.get("bonus"), False)
    method = shapes.text(f"{where}.method", data.get("method"))
    items = [_section_item(shapes, f"{where}.clauses[{j}]", raw, bonus, method)
             for j, raw in enumerate(shapes.items(f"{where}.clauses", data.get("clauses")))]
    return Section(name=name, bonus=bonus, indicators=tuple(i for i in items if i is not None), method=method)


def _section_item(shapes: Shapes, where: str, data: object, bonus: bool, method: str) -> Indicator | None:
    """A whole-unit item: one clause, named by its part (（一）) and name; bonus as its section."""
    raw = shapes.mapping(where, data)
    if raw is None:
        return None
    shapes.keys(where, raw, "item")
    part = shapes.text(f"{where}.part", raw.get("part"))
    name = shapes.text(f"{where}.name", raw.get("name"))
    # An id of the wrong shape is reported here and again by _clause, as it always was:
    # the problem list stays as before (a known duplicate, left for the problem catalogue).
    shapes.text(f"{where}.id", raw.get("id"), number_ok=True)
    clause = _clause(shapes, where, {**raw, "bonus": bonus}, method)
    return Indicator(group=part, name=name, points=None, method=method, clauses=(clause,))


def _clause(shapes: Shapes, where: str, raw: dict, method: str = "") -> Clause:
    clause_id = shapes.text(f"{where}.id", raw.get("id"), number_ok=True)
    kind = raw.get("kind")
    if not clause_id and _blank(raw.get("id")):
        shapes.fail(where, "no-id")
    known = isinstance(kind, str) and kind in tuple(Kind)
    if not known:
        shapes.fail(where, "kind", kinds="/".join(Kind), got=kind_of(kind))
    per = shapes.number(f"{where}.per", raw.get("per")) or Decimal(0)
    cap = shapes.number(f"{where}.cap", raw.get("cap"), required=False)
    most = raw.get("max")
    if most is not None and (not isinstance(most, int) or isinstance(most, bool) or not 1 <= most <= LARGEST):
        shapes.fail(f"{where}.max", "max", got=kind_of(most))
        most = None
    text = shapes.text(f"{where}.text", raw.get("text"))
    if not text and _blank(raw.get("text")):
        shapes.fail(where, "no-text")
    return Clause(
        id=clause_id,
        kind=Kind(kind) if known else Kind.FLAG,  # a stand-in: the rule set is refused anyway
        per=per,
        text=text,
        bonus=shapes.flag(f"{where}.bonus", raw.get("bonus"), False),
        cap=cap,
        max_count=most,
        counts=shapes.text(f"{where}.counts", raw.get("counts")),
        needs_note=shapes.flag(f"{where}.needs_note", raw.get("needs_note"), False),
        veto=shapes.flag(f"{where}.veto", raw.get("veto"), False),
        evidence=shapes.choice(f"{where}.evidence", raw.get("evidence"), EVIDENCE_LEVELS,
                               evidence_of(method, raw.get("bonus") is True)),
    )


def _grades(shapes: Shapes, raw: list) -> tuple[Grade, ...]:
    grades = []
    for i, item in enumerate(raw):
        name = shapes.text(f"policy.grades[{i}].name", item.get("name")) if isinstance(item, dict) else ""
        if isinstance(item, dict):
            shapes.keys(f"policy.grades[{i}]", item, "grade")
        if not name:
            shapes.fail(f"policy.grades[{i}]", "grade")
            continue
        lower = shapes.number(f"policy.grades[{i}].min", item.get("min", 0)) or Decimal(0)
        grades.append(Grade(name, lower))
    return tuple(sorted(grades, key=lambda g: g.min, reverse=True))


def _erratum(shapes: Shapes, where: str, data: object) -> Erratum:
    data = shapes.mapping(where, data) or {}
    shapes.keys(where, data, "erratum")
    fields = {key: shapes.text(f"{where}.{key}", data.get(key), number_ok=True)
              for key in ("id", "where", "source", "decision")}
    if not fields["id"]:
        shapes.fail(where, "erratum-no-id")
    return Erratum(**fields)


def _blank(value: object) -> bool:
    """Absent or empty text (a value of the wrong shape is reported as such, not as missing)."""
    return value is None or (isinstance(value, str) and not value.strip())
