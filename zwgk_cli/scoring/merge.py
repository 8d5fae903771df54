"""Findings from several sources merged per unit and clause (docs/scoring.md, "Several sources").

A clause filled by one source takes its value; by several with the same value, fine; with
different values it is a ``source-conflict`` and the unit is not ranked. A review row (复核)
reviewed every source and becomes an :class:`~zwgk_cli.model.Adjustment`. A unit any source
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
from ..reading.entry import filled
from ..reading.names import Identity, RosterNames, identify, name_key


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
    reviewed: dict[str, Given] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    held: bool = False
    covered: set[str] = field(default_factory=set)  # clauses some matrix answered (blank = no finding)


@dataclass(slots=True)
class Merged:
    """What the merge gives the pipeline: findings to score, and what to say about the rest."""

    findings: list[Findings] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # files whose status is 有错误 (conflicts)
    given: dict[str, dict[str, Given]] = field(default_factory=dict)  # unit -> clause -> value taken
    reviewed: dict[str, dict[str, Given]] = field(default_factory=dict)  # unit -> clause -> review row
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
    rows = _identified(sources, names, issuer)
    units = _own_units(own)
    waiting = [*refused, *(r.who.unit for r in _identified(doubled, names, issuer) if r.known)]
    _hold([units.setdefault(name_key(n), _Unit(n, None, None)) for n in waiting], merged)
    for read in sources:
        merged.warnings += [p for p in read.problems if p.level != Level.ERROR]
    unplaced = _take_rows(rows, units, merged)
    _hold_unplaced(unplaced, rows, units, names, merged)
    _hold_lost(units, lost, roster or [], merged)
    for unit in units.values():
        _resolve(unit, merged, book)
    return merged


@dataclass(frozen=True, slots=True)
class _Row:
    """A matrix or review row and the unit its name identifies (decided once, against the roster)."""

    read: WorkbookRead
    row: SourceRow
    who: Identity

    @property
    def known(self) -> bool:
        return self.who.code != "unit-unknown"

    @property
    def review(self) -> bool:
        return self.read.kind == C.KIND_REVIEW

    @property
    def sheet(self) -> str:
        return C.REVIEW_SHEET if self.review else C.MATRIX_SHEET


def _identified(reads: list[WorkbookRead], names: RosterNames | None, issuer: str) -> list[_Row]:
    """Every row of ``reads``, matrices first, with its unit identified once."""
    ordered = sorted(reads, key=lambda r: r.kind == C.KIND_REVIEW)
    return [_Row(read, row, identify(row.typed, "", names, issuer)) for read in ordered for row in read.rows]


def _own_units(own: list[Findings]) -> dict[str, _Unit]:
    """The units' own workbooks, each filled clause a value given."""
    units: dict[str, _Unit] = {}
    for findings in own:
        unit = units.setdefault(name_key(findings.unit), _Unit(findings.unit, findings,
                                                              (findings.rules_id, findings.rules_version)))
        unit.files.append(findings.file)
        for cid, entry in findings.entries.items():
            if filled(entry):
                unit.given.setdefault(cid, []).append(Given(C.UNIT_SOURCE, findings.file, C.SCORE_SHEET, entry))
    return units


def _hold(held: list[_Unit], merged: Merged, problem: Problem | None = None, failed: str = "") -> None:
    """The one way a unit is held back (暂不排名): ``held`` are not ranked, ``problem`` (said once,
    whatever the number of units) says why; ``failed``: the file whose status it makes 有错误."""
    if problem is not None:
        merged.errors.append(problem)
    if failed:
        merged.failed.add(failed)
    for unit in held:
        unit.held = True


def _take_rows(rows: list[_Row], units: dict[str, _Unit], merged: Merged) -> list[_Row]:
    """Every row whose unit is known given to it (matrices first, then reviews); returns the rows
    that name no unit that can take them: off the roster, or a review of a unit nobody assessed."""
    unplaced = []
    for row in rows:
        if not row.known or (row.review and name_key(row.who.unit) not in units):  # a review adds no unit
            unplaced.append(row)
            continue
        if row.who.code:
            merged.warnings.append(Problem(row.who.code, row.who.message, row.who.level, row.read.file, row.sheet,
                                          row.row.cell, row.row.typed))
        unit = units.setdefault(name_key(row.who.unit), _Unit(row.who.unit, None, None))
        _check_rules(unit, row, merged)
        _add_row(unit, row.row, row.read, merged)
    return unplaced


def _check_rules(unit: _Unit, row: _Row, merged: Merged) -> None:
    """A source made from another rule set than the unit's (the first source's) cannot be
    merged with it: the unit is held."""
    read = row.read
    unit.rules = unit.rules or (read.rules_id, read.rules_version)
    if unit.rules == (read.rules_id, read.rules_version) or unit.held:
        return
    _hold([unit], merged, Problem.of(
        "source-conflict", "rules", file=read.file, sheet=row.sheet, cell=row.row.cell, value=row.row.typed,
        unit=unit.unit, first="、".join(unit.files) or "单位评分表", a=unit.rules[0], second=read.file,
        b=read.rules_id), failed=read.file)


def _hold_unplaced(unplaced: list[_Row], rows: list[_Row], units: dict[str, _Unit], names: RosterNames | None,
                   merged: Merged) -> None:
    """Rows that name no unit that can take them. A matrix row without findings is only said. One
    with findings belongs to somebody — most likely a unit the matrix has no row for (a name
    mistyped or damaged): those units wait, said once per matrix. A review row corrects somebody:
    the assessed units whose names are closest to it (all of them when none is close) wait."""
    by_matrix: dict[int, list[_Row]] = {}
    for row in unplaced:
        if row.review:
            _hold_reviewed(row, units, names, merged)
            continue
        close = names.closest(row.row.typed) if names is not None else []
        near = message("source-unit-unknown", "close", names="、".join(close)) if close else ""
        merged.warnings.append(Problem.of("source-unit-unknown", level=Level.WARNING, file=row.read.file,
                                         sheet=row.sheet, cell=row.row.cell, value=row.row.typed,
                                         unit=row.row.typed, close=near))
        if any(filled(e) for e in row.row.entries.values()):
            by_matrix.setdefault(id(row.read), []).append(row)
    for strays in by_matrix.values():
        read, first = strays[0].read, strays[0].row
        present = {name_key(r.who.unit) for r in rows if r.read is read and r.known}
        held = [u for key, u in units.items() if key not in present and not u.held]
        if held:
            _hold(held, merged, Problem.of(
                "source-unit-unknown", "held", level=Level.ERROR, file=read.file, sheet=C.MATRIX_SHEET, cell=first.cell,
                value=first.typed, typed=first.typed, count=len(strays), units="、".join(u.unit for u in held)),
                failed=read.file)


def _hold_reviewed(row: _Row, units: dict[str, _Unit], names: RosterNames | None, merged: Merged) -> None:
    """A review row whose unit is off the roster (or assessed by nobody) cannot be applied: one
    error, naming the units that wait for the name to be corrected."""
    typed = row.row.typed
    close = [units[k] for k in (name_key(n) for n in (names.closest(typed) if names else [])) if k in units]
    held = [u for u in close or units.values() if not u.held] if not row.known else []
    if held:
        problem = Problem.of("source-unit-unknown", "review-held", level=Level.ERROR, file=row.read.file,
                             sheet=C.REVIEW_SHEET,
                             cell=row.row.cell, value=typed, typed=typed, units="、".join(u.unit for u in held))
    else:
        near = message("source-unit-unknown", "close", names="、".join(n.unit for n in close)) if close else ""
        problem = Problem.of("source-unit-unknown", "review", level=Level.ERROR, file=row.read.file,
                             sheet=C.REVIEW_SHEET, cell=row.row.cell, value=typed, unit=typed, close=near)
    _hold(held, merged, problem, failed=row.read.file)


def _hold_lost(units: dict[str, _Unit], lost: list[WorkbookRead], roster: list[str], merged: Merged) -> None:
    """A source that could not be read would leave every ranking incomplete without a word:
    each such file is said once, and no unit is ranked until it is fixed. Nor is any roster
    unit 未提交: the file may well cover it."""
    for name in roster if lost else ():
        units.setdefault(name_key(name), _Unit(name, None, None))
    for read in lost:
        what = C.INPUT_KIND_LABELS.get(read.kind) if read.kind != C.KIND_UNIT else "检查表或复核调整表"
        _hold(list(units.values()), merged, Problem.of("source-refused", file=read.file, what=what,
                                                              count=len(units)))


def _sheet_of(read: WorkbookRead) -> str:
    """The sheet a matrix's or review table's rows are on."""
    return C.REVIEW_SHEET if read.kind == C.KIND_REVIEW else C.MATRIX_SHEET


def _rule_set_of(unit: _Unit, book: RuleBook):
    """The rule set the unit's sources were made from (None when the book has none of them)."""
    return next((r for r in book.sets if r.made(*unit.rules)), None)


def _same(a: Entry, b: Entry) -> bool:
    return a.quantity == b.quantity and a.not_applicable == b.not_applicable


def _add_row(unit: _Unit, row: SourceRow, read: WorkbookRead, merged: Merged) -> None:
    """A matrix row's values join the unit's; a review row reviewed (two different ones conflict)."""
    unit.held |= row.held
    unit.covered.update(row.covers)
    if read.file not in unit.files:
        unit.files.append(read.file)
    sheet = _sheet_of(read)
    for cid, entry in row.entries.items():
        given = Given(read.source, read.file, sheet, entry)
        if read.kind != C.KIND_REVIEW:
            unit.given.setdefault(cid, []).append(given)
            continue
        earlier = unit.reviewed.get(cid)
        if earlier is not None and not _same(earlier.entry, entry):
            _conflict(unit, cid, earlier, given, merged)
        elif earlier is None:
            unit.reviewed[cid] = given


def _conflict(unit: _Unit, cid: str, first: Given, second: Given, merged: Merged) -> None:
    merged.failed.add(first.file)
    _hold([unit], merged, Problem.of("source-conflict", file=second.file, sheet=second.sheet, cell=second.entry.cell,
                                     value=second.entry.raw, unit=unit.unit, id=cid, first=first.where(),
                                     a=first.entry.raw, second=second.where(), b=second.entry.raw),
          failed=second.file)


def _resolve(unit: _Unit, merged: Merged, book: RuleBook | None) -> None:
    """Check each clause's values, then the unit's findings before and after the review."""
    merged.assessed.append(unit.unit)
    taken: dict[str, Given] = {}
    for cid, givens in unit.given.items():
        different = [g for g in givens if not _same(g.entry, givens[0].entry)]
        if different and cid in unit.reviewed:  # decided by 复核: the values in conflict are kept
            values = [givens[0], *different]
            merged.disputed.setdefault(unit.unit, {})[cid] = " / ".join(f"{g.entry.raw}（{g.source}）" for g in values)
        elif different:
            _conflict(unit, cid, givens[0], different[0], merged)
        taken[cid] = givens[0]
    if book is not None and not unit.held:
        _check_not_applicable(unit, {**taken, **unit.reviewed}, book, merged)
        _check_covered(unit, book, merged)
    if unit.held:
        return
    base = unit.base
    entries = dict(base.entries) if base else {}
    entries.update({cid: g.entry for cid, g in taken.items()})
    file = base.file if base else "、".join(unit.files)
    sha256, warnings = (base.sha256, list(base.warnings)) if base else ("", [])
    column = base.evidence_column if base else ""
    scored = Findings(unit.unit, entries, file, sha256, warnings, *unit.rules, evidence_column=column)
    if unit.reviewed:  # scored with the review applied; the findings before it kept for the adjustments
        merged.before[unit.unit] = scored
        merged.reviewed[unit.unit] = unit.reviewed
        reviewed = {**entries, **{cid: g.entry for cid, g in unit.reviewed.items()}}
        scored = Findings(unit.unit, reviewed, file, sha256, warnings, *unit.rules, evidence_column=column)
    merged.given[unit.unit] = {**taken, **unit.reviewed}
    merged.findings.append(scored)


def _check_covered(unit: _Unit, book: RuleBook, merged: Merged) -> None:
    """Without its own workbook, a unit is ranked only when the matrices answer every clause: a
    clause no source answered is not "no finding" but unknown, and scoring it as full marks
    would rank a unit that never sent its workbook above those that did."""
    rules = _rule_set_of(unit, book) if unit.base is None else None
    if rules is None:
        return
    answered = unit.covered | set(unit.reviewed)
    missing = [c.id for c in rules.clauses if c.id not in answered]
    if missing:
        shown = "、".join(missing[:8]) + (f" 等 {len(missing)} 条" if len(missing) > 8 else " ")
        _hold([unit], merged, Problem.of("source-incomplete", file="、".join(unit.files), unit=unit.unit,
                                         value=unit.unit, ids=shown))


def _check_not_applicable(unit: _Unit, values: dict[str, Given], book: RuleBook, merged: Merged) -> None:
    """One source marking an indicator 不适用 and another giving one of its clauses a value
    disagree as much as two values do."""
    rules = _rule_set_of(unit, book)
    if rules is None:
        return
    for cid, marked in values.items():
        if not marked.entry.not_applicable or not rules.has_clause(cid):
            continue
        clauses = rules.indicator_of(cid).clauses
        other = next((c.id for c in clauses if c.id in values and not values[c.id].entry.not_applicable), None)
        if other is not None:
            _conflict(unit, f"{cid}/{other}", marked, values[other], merged)
            return


def adjustments_of(merged: Merged, results: list[UnitResult], before: list[UnitResult]) -> list[Adjustment]:
    """Every review row applied, with the clause and total before and after it; before is
    unknown (None) where the sources disagreed, which is what the review decided."""
    after_of = {r.unit: r for r in results}
    before_of = {r.unit: r for r in before}
    found = []
    for unit, reviewed in merged.reviewed.items():
        after, prior, disputed = after_of[unit], before_of[unit], merged.disputed.get(unit, {})
        for cid, given in reviewed.items():
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
