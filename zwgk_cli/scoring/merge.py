"""Findings from several sources merged per unit and clause (docs/scoring.md, "Several sources").

A clause filled by one source takes its value; by several with the same value, fine; with
different values it is a ``source-conflict`` and the unit is not ranked. A review row (复核)
overrides every source and becomes an :class:`~zwgk_cli.model.Adjustment`. A unit any source
covers is assessed, even by an empty matrix row, and ranked when its own workbook came or the
other sources answer every clause (``source-incomplete`` otherwise). Pure functions of what was
read: no I/O.

>>> from decimal import Decimal
>>> from zwgk_cli.model import Entry, Findings
>>> own = Findings("县财政局", {"5": Entry(Decimal(2), "2", "H11")}, file="县财政局.xlsx")
>>> merged = merge_sources([own], [], [], None)
>>> [f.entries["5"].quantity for f in merged.findings], merged.errors
([Decimal('2')], [])
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .. import constants as C
from ..model import Adjustment, Entry, Findings, RuleBook, SourceRow, UnitResult, WorkbookRead
from ..problems import Level, Problem, message
from ..reading.names import RosterNames, identify, name_key


@dataclass(frozen=True, slots=True)
class Given:
    """One source's value for one clause of one unit."""

    source: str  # 单位评分表, a matrix's source name, 复核
    file: str
    sheet: str
    entry: Entry

    def where(self) -> str:
        return f"{self.file} {self.sheet}!{self.entry.cell}"


@dataclass(slots=True)
class _Unit:
    unit: str
    base: Findings | None  # from the unit's own workbook
    rules: tuple[str, int | None] | None  # set by the first source (None: none yet)
    given: dict[str, list[Given]] = field(default_factory=dict)
    overrides: dict[str, Given] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    blocked: bool = False
    covered: set[str] = field(default_factory=set)  # clauses some matrix answered (blank = no finding)


@dataclass(slots=True)
class Merged:
    """What the merge gives the pipeline: findings to score, and what to say about the rest."""

    findings: list[Findings] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # files whose status is 有错误 (conflicts)
    given: dict[str, dict[str, Given]] = field(default_factory=dict)  # unit -> clause -> value taken
    overrides: dict[str, dict[str, Given]] = field(default_factory=dict)  # unit -> clause -> review row
    before: dict[str, Findings] = field(default_factory=dict)  # unit -> findings without the review
    disputed: dict[str, dict[str, str]] = field(default_factory=dict)  # unit -> clause -> the values in conflict
    assessed: list[str] = field(default_factory=list)


def merge_sources(own: list[Findings], sources: list[WorkbookRead], refused: list[str],
                  roster: list[str] | None, issuer: str = "", *, doubled: list[WorkbookRead] = (),
                  lost: list[WorkbookRead] = (), book: RuleBook | None = None) -> Merged:
    """Merge the units' own findings (``own``, already identified and without duplicates) with
    the matrices and review tables in ``sources``. ``refused``: units whose own workbook was
    rejected — no other source ranks them behind that workbook's back; nor are the units of
    ``doubled`` (matrices with two versions, neither counted) ranked. ``lost``: matrices or
    review tables that could not be read at all: nobody can tell which units they would have
    changed, so no unit is ranked. With ``book``, an indicator one source marks 不适用 while
    another gives one of its clauses a value is a conflict too."""
    merged = Merged()
    if not sources and not doubled and not lost:  # one workbook per unit, as before: nothing to merge
        held = {name_key(name) for name in refused}  # a readable version beside a damaged one
        merged.findings = [f for f in own if not held or name_key(f.unit) not in held]
        merged.assessed = list(dict.fromkeys([f.unit for f in own] + list(refused)))
        return merged
    names = RosterNames(roster, issuer) if roster is not None else None
    units = _own_units(own, [*refused, *_row_units(doubled, names, issuer)])
    _take_rows(sources, units, names, issuer, merged)
    _hold_back(units, lost, roster or [], merged)
    for unit in units.values():
        _resolve(unit, merged, book)
    return merged


def _own_units(own: list[Findings], waiting: list[str]) -> dict[str, _Unit]:
    """The units' own workbooks, each filled clause a value given; ``waiting``: units that
    answered but are not to be ranked yet."""
    units: dict[str, _Unit] = {}
    for findings in own:
        unit = units.setdefault(name_key(findings.unit), _Unit(findings.unit, findings,
                                                              (findings.rules_id, findings.rules_version)))
        unit.files.append(findings.file)
        for cid, entry in findings.entries.items():
            if _filled(entry):
                unit.given.setdefault(cid, []).append(Given(C.UNIT_SOURCE, findings.file, C.SCORE_SHEET, entry))
    for name in waiting:
        units.setdefault(name_key(name), _Unit(name, None, None)).blocked = True
    return units


def _take_rows(sources: list[WorkbookRead], units: dict[str, _Unit], names: RosterNames | None, issuer: str,
               merged: Merged) -> None:
    """Every matrix row, then every review row, given to its unit; rows whose unit is off the
    roster hold back the units their findings may belong to."""
    strays, lost_reviews = [], []
    for read in sorted(sources, key=lambda r: r.kind == C.KIND_REVIEW):  # matrices first
        merged.notices += [p for p in read.problems if p.level != Level.ERROR]
        present, stray = set(), []
        for row in read.rows:
            unit = _unit_of(row, read, units, names, merged, issuer)
            if unit is not None:
                present.add(name_key(unit.unit))
                _add_row(unit, row, read, merged)
            elif read.kind == C.KIND_MATRIX and any(_filled(e) for e in row.entries.values()):
                stray.append(row)
            elif read.kind == C.KIND_REVIEW and identify(row.typed, "", names, issuer).code == "unit-unknown":
                lost_reviews.append((read, row))
        strays += [(read, present, stray)] if stray else []
    for read, present, stray in strays:
        _hold_back_unlisted(units, read, present, stray, merged)
    for read, row in lost_reviews:
        _hold_back_reviewed(units, names, read, row, merged)


def _hold_back_unlisted(units: dict[str, _Unit], read: WorkbookRead, present: set[str], stray: list[SourceRow],
                        merged: Merged) -> None:
    """Findings on a matrix row whose unit is not on the roster belong to somebody: most likely a
    unit the matrix has no row for (a name mistyped or damaged). Those units wait, said once."""
    held = [u for key, u in units.items() if key not in present and not u.blocked]
    if not held:
        return
    merged.errors.append(Problem.of("source-unit-unknown", "held", file=read.file, sheet=C.MATRIX_SHEET,
                                    cell=stray[0].cell, value=stray[0].typed, typed=stray[0].typed,
                                    count=len(stray), units="、".join(u.unit for u in held)))
    merged.failed.add(read.file)
    for unit in held:
        unit.blocked = True


def _hold_back_reviewed(units: dict[str, _Unit], names: RosterNames | None, read: WorkbookRead, row: SourceRow,
                        merged: Merged) -> None:
    """A review row whose unit is off the roster corrects somebody: the assessed units whose names
    are closest to it (all of them when none is close) wait until the name is corrected."""
    close = [units[k] for k in (name_key(n) for n in (names.closest(row.typed) if names else [])) if k in units]
    held = [u for u in close or units.values() if not u.blocked]
    if not held:
        return
    merged.errors.append(Problem.of("source-unit-unknown", "review-held", file=read.file, sheet=C.REVIEW_SHEET,
                                    cell=row.cell, value=row.typed, typed=row.typed,
                                    units="、".join(u.unit for u in held)))
    for unit in held:
        unit.blocked = True


def _hold_back(units: dict[str, _Unit], lost: list[WorkbookRead], roster: list[str], merged: Merged) -> None:
    """A source that could not be read would leave every ranking incomplete without a word:
    each such file is said once, and no unit is ranked until it is fixed. Nor is any roster
    unit 未提交: the file may well cover it."""
    for name in roster if lost else ():
        units.setdefault(name_key(name), _Unit(name, None, None))
    for read in lost:
        what = C.INPUT_KIND_LABELS.get(read.kind) if read.kind != C.KIND_UNIT else "检查表或复核调整表"
        merged.errors.append(Problem.of("source-refused", file=read.file, what=what, count=len(units)))
    for unit in units.values() if lost else ():
        unit.blocked = True


def _sheet_of(read: WorkbookRead) -> str:
    """The sheet a matrix's or review table's rows are on."""
    return C.REVIEW_SHEET if read.kind == C.KIND_REVIEW else C.MATRIX_SHEET


def _rule_set_of(unit: _Unit, book: RuleBook):
    """The rule set the unit's sources were made from (None when the book has none of them)."""
    return next((r for r in book.sets if r.made(*unit.rules)), None)


def _filled(entry: Entry) -> bool:
    """Whether a source said something for the clause (blank says nothing; 0, 否, 不适用 do)."""
    return entry.quantity is not None or entry.na


def _same(a: Entry, b: Entry) -> bool:
    return a.quantity == b.quantity and a.na == b.na


def _row_units(reads: list[WorkbookRead], names: RosterNames | None, issuer: str) -> list[str]:
    """The units the rows of ``reads`` name (those the roster knows)."""
    found = (identify(row.typed, "", names, issuer) for read in reads for row in read.rows)
    return [who.unit for who in found if who.code != "unit-unknown"]


def _unit_of(row: SourceRow, read: WorkbookRead, units: dict[str, _Unit], names: RosterNames | None,
             merged: Merged, issuer: str) -> _Unit | None:
    """The unit a row names, by the same identity rules as a findings workbook; a name off the
    roster (or, for a review row, naming no assessed unit) is said and never becomes a unit."""
    sheet = _sheet_of(read)
    review = read.kind == C.KIND_REVIEW
    who = identify(row.typed, "", names, issuer)
    if who.code == "unit-unknown" or (review and name_key(who.unit) not in units):  # a review adds no unit
        close = names.closest(row.typed) if names is not None and who.code else []
        near = message("source-unit-unknown", "close", names="、".join(close)) if close else ""
        problem = Problem.of("source-unit-unknown", "review" if review else "",
                             level=Level.ERROR if review else Level.WARNING, file=read.file, sheet=sheet,
                             cell=row.cell, value=row.typed, unit=row.typed, close=near)
        (merged.errors if review else merged.notices).append(problem)
        if review:
            merged.failed.add(read.file)
        return None
    if who.code:
        merged.notices.append(Problem(who.code, who.message, who.level, read.file, sheet, row.cell, row.typed))
    unit = units.setdefault(name_key(who.unit), _Unit(who.unit, None, None))
    unit.rules = unit.rules or (read.rules_id, read.rules_version)
    if unit.rules != (read.rules_id, read.rules_version) and not unit.blocked:
        merged.errors.append(Problem.of("source-conflict", "rules", file=read.file, sheet=sheet, cell=row.cell,
                                        value=row.typed, unit=unit.unit, first="、".join(unit.files) or "单位评分表",
                                        a=unit.rules[0], second=read.file, b=read.rules_id))
        merged.failed.add(read.file)
        unit.blocked = True
    return unit


def _add_row(unit: _Unit, row: SourceRow, read: WorkbookRead, merged: Merged) -> None:
    """A matrix row's values join the unit's; a review row overrides (two different ones conflict)."""
    unit.blocked |= row.blocked
    unit.covered.update(row.covers)
    if read.file not in unit.files:
        unit.files.append(read.file)
    sheet = _sheet_of(read)
    for cid, entry in row.entries.items():
        given = Given(read.source, read.file, sheet, entry)
        if read.kind != C.KIND_REVIEW:
            unit.given.setdefault(cid, []).append(given)
            continue
        earlier = unit.overrides.get(cid)
        if earlier is not None and not _same(earlier.entry, entry):
            _conflict(unit, cid, earlier, given, merged)
        elif earlier is None:
            unit.overrides[cid] = given


def _conflict(unit: _Unit, cid: str, first: Given, second: Given, merged: Merged) -> None:
    merged.errors.append(Problem.of("source-conflict", file=second.file, sheet=second.sheet, cell=second.entry.cell,
                                    value=second.entry.raw, unit=unit.unit, id=cid, first=first.where(),
                                    a=first.entry.raw, second=second.where(), b=second.entry.raw))
    merged.failed.update((first.file, second.file))
    unit.blocked = True


def _resolve(unit: _Unit, merged: Merged, book: RuleBook | None) -> None:
    """Check each clause's values, then the unit's findings before and after the review."""
    merged.assessed.append(unit.unit)
    taken: dict[str, Given] = {}
    for cid, givens in unit.given.items():
        different = [g for g in givens if not _same(g.entry, givens[0].entry)]
        if different and cid in unit.overrides:  # decided by 复核: the values in conflict are kept
            values = [givens[0], *different]
            merged.disputed.setdefault(unit.unit, {})[cid] = " / ".join(f"{g.entry.raw}（{g.source}）" for g in values)
        elif different:
            _conflict(unit, cid, givens[0], different[0], merged)
        taken[cid] = givens[0]
    if book is not None and not unit.blocked:
        _check_not_applicable(unit, {**taken, **unit.overrides}, book, merged)
        _check_covered(unit, book, merged)
    if unit.blocked:
        return
    base = unit.base
    entries = dict(base.entries) if base else {}
    entries.update({cid: g.entry for cid, g in taken.items()})
    file = base.file if base else "、".join(unit.files)
    sha256, warnings = (base.sha256, list(base.warnings)) if base else ("", [])
    scored = Findings(unit.unit, entries, file, sha256, warnings, *unit.rules)
    if unit.overrides:  # scored with the review applied; the findings before it kept for the adjustments
        merged.before[unit.unit] = scored
        merged.overrides[unit.unit] = unit.overrides
        reviewed = {**entries, **{cid: g.entry for cid, g in unit.overrides.items()}}
        scored = Findings(unit.unit, reviewed, file, sha256, warnings, *unit.rules)
    merged.given[unit.unit] = {**taken, **unit.overrides}
    merged.findings.append(scored)


def _check_covered(unit: _Unit, book: RuleBook, merged: Merged) -> None:
    """Without its own workbook, a unit is ranked only when the matrices answer every clause: a
    clause no source answered is not "no finding" but unknown, and scoring it as full marks
    would rank a unit that never sent its workbook above those that did."""
    rules = _rule_set_of(unit, book) if unit.base is None else None
    if rules is None:
        return
    answered = unit.covered | set(unit.overrides)
    missing = [c.id for c in rules.clauses if c.id not in answered]
    if missing:
        shown = "、".join(missing[:8]) + (f" 等 {len(missing)} 条" if len(missing) > 8 else " ")
        merged.errors.append(Problem.of("source-incomplete", file="、".join(unit.files), unit=unit.unit,
                                        value=unit.unit, ids=shown))
        unit.blocked = True


def _check_not_applicable(unit: _Unit, values: dict[str, Given], book: RuleBook, merged: Merged) -> None:
    """One source marking an indicator 不适用 and another giving one of its clauses a value
    disagree as much as two values do."""
    rules = _rule_set_of(unit, book)
    if rules is None:
        return
    for cid, marked in values.items():
        if not marked.entry.na or not rules.has_clause(cid):
            continue
        clauses = rules.indicator_of(cid).clauses
        other = next((c.id for c in clauses if c.id in values and not values[c.id].entry.na), None)
        if other is not None:
            _conflict(unit, f"{cid}/{other}", marked, values[other], merged)
            return


def adjustments_of(merged: Merged, results: list[UnitResult], before: list[UnitResult]) -> list[Adjustment]:
    """Every review row applied, with the clause and total before and after it; before is
    unknown (None) where the sources disagreed, which is what the review decided."""
    after_of = {r.unit: r for r in results}
    before_of = {r.unit: r for r in before}
    found = []
    for unit, overrides in merged.overrides.items():
        after, prior, disputed = after_of[unit], before_of[unit], merged.disputed.get(unit, {})
        for cid, given in overrides.items():
            was = prior.clause(cid)
            found.append(Adjustment(unit, cid, disputed.get(cid, was.input), given.entry.raw,
                                    None if cid in disputed else was.points, after.clause(cid).points,
                                    None if disputed else prior.total, after.total, given.entry.note,
                                    given.file, given.entry.cell))
    return found


def mark_sources(result: UnitResult, given: dict[str, Given]) -> None:
    """Name each clause's source on the result where it is not the unit's own workbook (which
    the result's JSON names by default)."""
    if not any(g.source != C.UNIT_SOURCE for g in given.values()):
        return
    result.clauses = [replace(c, source=g.source, source_file=g.file)
                      if (g := given.get(c.id)) is not None and g.source != C.UNIT_SOURCE else c
                      for c in result.clauses]
