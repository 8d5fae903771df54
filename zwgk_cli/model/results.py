"""What a run gives: each unit's result (:class:`UnitResult`), last season's standings, the
files looked at, the review's adjustments, and the :class:`Report` that ``--json`` prints."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from .. import constants as C
from ..acyclic import collector_paused
from ..exact import json_number
from ..problems import ExitStatus, Problem
from .rules import RuleBook, RuleSet


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of 印证材料 found for a clause: a file (``name`` as listed, ``file`` where it was
    found — ``县公安局.zip/材料/纪要.pdf`` inside a submission —, its size and sha256) or a link
    (``url``, checked for its form only)."""

    name: str = ""
    file: str = ""
    size: int = 0
    sha256: str = ""
    url: str = ""

    def to_dict(self) -> dict:
        if self.url:
            return {"url": self.url}
        return {"name": self.name, "file": self.file, "size": self.size, "sha256": self.sha256}


# What the rule set's evidence_policy did to a clause claimed without evidence (strict).
WITHHELD, SCORED_AS_FOUND = "bonus-withheld", "scored-as-found"


@dataclass(slots=True)
class ClauseResult:
    """A clause's outcome for one unit. ``points`` is signed: −4 deducted, +1 added. The 印证材料
    found for it, the names listed and not found (or links written wrongly), and what the
    rule set's evidence_policy did (``evidence_effect``: WITHHELD, SCORED_AS_FOUND or "").

    Not frozen only because a run builds one per unit and clause (34,000 for 1,000 units, five
    times faster unfrozen); once scored, nothing changes one in place but the evidence check,
    which completes it before it is handed on: a change is a new one (``replace``)."""

    id: str
    input: str
    points: Decimal
    cell: str = ""
    note: str = ""
    source: str = ""  # where the value came from: a matrix's source name, 单位评分表 or 复核
    source_file: str = ""
    evidence: tuple[Evidence, ...] = ()
    evidence_missing: tuple[str, ...] = ()
    evidence_effect: str = ""


@dataclass(slots=True)
class UnitResult:
    unit: str
    file: str
    sha256: str
    total: Decimal
    categories: dict[str, Decimal]
    bonus: Decimal  # 综合加分项
    major_deductions: Decimal  # 重大扣分项 (as a positive number)
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
        if c.source:
            source, source_file = c.source, c.source_file
        elif c.input:
            source, source_file = C.UNIT_SOURCE, self.file
        else:
            source, source_file = None, ""
        return {"id": c.id, "input": c.input or None, "points": json_number(c.points), "cell": c.cell,
                "note": c.note, "source": source, "source_file": source_file,
                "evidence": [e.to_dict() for e in c.evidence] if c.evidence else [],
                "evidence_missing": list(c.evidence_missing) if c.evidence_missing else [],
                "evidence_effect": c.evidence_effect or None}

    def to_dict(self) -> dict:
        data = {
            "unit": self.unit,
            "rules": self.rules_id,
            "file": self.file,
            "sha256": self.sha256,
            "total": json_number(self.total),
            "categories": {k: json_number(v) for k, v in self.categories.items()},
            "bonus": json_number(self.bonus),
            "major_deductions": json_number(self.major_deductions),
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

_NOT_FAILED = (C.STATUS_OK, C.STATUS_SKIPPED, C.STATUS_COPY, C.STATUS_SUPERSEDED, C.STATUS_EVIDENCE,
               C.STATUS_OPENED)


@dataclass(slots=True)
class InputFile:
    """One file the run looked at, for the 说明 sheet and for scripts."""

    file: str
    sha256: str
    unit: str
    status: str
    reason: str = ""  # why a file was skipped
    kind: str = C.KIND_UNIT  # unit, matrix, adjustments; submission (a .zip), evidence (any other file)
    source: str = ""  # a matrix's source name (检查组), 复核 for a review table
    submission: str = ""  # the .zip it came in ("" for a file as it lies)
    size: int | None = None  # bytes, for a submission or an evidence file (the archive's manifest)

    def to_dict(self) -> dict:
        """Its fields, all plain strings (dataclasses.asdict's deep copy costs 30 ms at 1,000 files)."""
        return {"file": self.file, "sha256": self.sha256, "unit": self.unit, "status": self.status,
                "reason": self.reason, "kind": self.kind, "source": self.source, "submission": self.submission}


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
    warnings: list[Problem] = field(default_factory=list)  # run-level warnings
    book: RuleBook | None = None
    roster_classes: dict[str, str] = field(default_factory=dict)  # 类别 per unit, from the roster
    newest: list[NewestChoice] | None = None  # None when --newest was not given
    used_sets: list[RuleSet] = field(default_factory=list)  # sets that scored at least one unit
    previous: PreviousSeason | None = None  # last season, with rank --previous
    report_file: str | None = None  # where the 通报 draft was written (rank --report)
    archive_file: str | None = None  # where the season's archive was written (rank --archive)
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
        with collector_paused():  # tens of thousands of small dicts, none in a cycle
            return self.json_document()

    def json_document(self, *, stream_units: bool = False) -> dict:
        """:meth:`to_dict`; with ``stream_units``, its ``units`` an iterator that builds each unit's
        part only as it is written (``emit_json``): 10,000 units' parts are ~100 MB at once."""
        units = self._streamed_units() if stream_units else map(self._unit_json, self.units)
        data = {
            "rules": self.rules.identity(),
            "rule_sets": [r.identity() for r, _ in self.classes()],
            "generated_at": self.generated_at,
            "units": units if stream_units else list(units),
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.warnings],
            "inputs": [i.to_dict() for i in self.inputs],
        }
        data["adjustments"] = [a.to_dict() for a in self.adjustments]
        if self.missing is not None:
            data["missing"] = list(self.missing)
        if self.newest is not None:
            data["newest"] = [asdict(choice) for choice in self.newest]
        if self.previous is not None:
            data["previous_season"] = {"file": self.previous.source, "rule_sets": list(self.previous.rule_sets)}
            data["previous_only"] = [{"unit": s.unit, **s.to_dict()} for s in self.previous.only]
        if self.report_file is not None:
            data["report"] = self.report_file
        if self.archive_file is not None:
            data["archive"] = self.archive_file
        data["outputs"] = list(self.outputs)
        if self.removed:
            data["removed"] = list(self.removed)
        return data

    def _streamed_units(self):
        """Each unit's part as it is asked for: small dicts freed once written, none in a cycle, so
        the collector is kept out until the last has been made."""
        with collector_paused():
            yield from map(self._unit_json, self.units)

    def _unit_json(self, unit: UnitResult) -> dict:
        """One unit's part, with last season's standing when there was one (rank --previous)."""
        shown = unit.to_dict()
        if self.previous is not None:
            shown["previous"] = unit.previous.to_dict() if unit.previous else None
            shown["rank_change"] = unit.rank_change
        return shown


@dataclass
class TemplateRun:
    """What ``template`` handed out: the rule set, the files written (one per unit, the blank
    master, or one matrix or review table), the units on them, and what to tell the clerk."""

    rules: RuleSet
    files: list[Path]
    units: list[str]
    warnings: list[Problem] = field(default_factory=list)
    kind: str = C.KIND_UNIT  # unit workbooks, a matrix, or a review table (adjustments)

    def to_dict(self) -> dict:
        """The ``--json`` document of ``template``."""
        return {"rules": self.rules.id, "files": [str(p) for p in self.files],
                "warnings": [w.to_dict() for w in self.warnings]}
