"""From files to results: read every workbook, set aside the bad ones, score and rank the rest.

This is what ``zwgk score`` and ``zwgk rank`` do, as plain functions returning a
:class:`Report`; ``--json`` prints ``Report.to_dict()`` and nothing else.
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from . import constants as C
from .problems import Level, Problem
from .reader import InputScan, WorkbookRead, find_workbooks, read_workbook, scan_inputs
from .rules import RuleBook, RuleSet
from .scoring import Findings, UnitResult, rank_units, score_units

STATUS_OK, STATUS_ERROR, STATUS_DUPLICATE = "已评分", "有错误", "重复"
STATUS_SKIPPED = "已跳过"  # not a spreadsheet: listed, not read, does not change the exit code


@dataclass(slots=True)
class InputFile:
    """One file the run looked at, for the 说明 sheet and for scripts."""

    file: str
    sha256: str
    unit: str
    status: str
    reason: str = ""  # why a file was skipped


@dataclass
class Report:
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

    def rule_set(self, rules_id: str) -> RuleSet:
        """The rule set a unit was scored with."""
        sets = self.book.sets if self.book else [self.rules]
        return next((r for r in sets if r.id == rules_id), self.rules)

    def classes(self) -> list[tuple[RuleSet, list[UnitResult]]]:
        """Units per rule set (class), in the order the sets were named; at least the default."""
        used = (self.book.used if self.book else []) or [self.rules]
        return [(rules, [u for u in self.units if u.rules_id in ("", rules.id)]) for rules in used]

    def class_label(self, rules: RuleSet) -> str:
        return self.book.label(rules) if self.book else (f"{rules.klass}类" if rules.klass else rules.id)

    @property
    def exit_code(self) -> int:
        """0 when every input was scored, 1 when any was rejected (SPEC §5); files that are
        not spreadsheets were never inputs to score, so skipping them does not count."""
        return 1 if any(i.status not in (STATUS_OK, STATUS_SKIPPED) for i in self.inputs) else 0

    @property
    def skipped(self) -> list[InputFile]:
        """Files in the folders given that are not spreadsheets (not read)."""
        return [i for i in self.inputs if i.status == STATUS_SKIPPED]

    def to_dict(self) -> dict:
        data = {
            "rules": _rules_dict(self.rules),
            "rule_sets": [_rules_dict(r) for r, _ in self.classes()],
            "generated_at": self.generated_at,
            "units": [u.to_dict() for u in self.units],
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.notices],
            "inputs": [asdict(i) for i in self.inputs],
        }
        if self.missing is not None:
            data["missing"] = list(self.missing)
        return data


def _rules_dict(rules: RuleSet) -> dict:
    return {"id": rules.id, "version": rules.version, "sha256": rules.sha256, "title": rules.title,
            "class": rules.klass}


def label_of(path: Path) -> str:
    """How a file is named in messages: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


POOL_MIN_FILES = 200  # below this, starting worker processes costs more than it saves
_worker_rules: RuleSet | RuleBook | None = None


def _start_worker(rules: RuleSet | RuleBook) -> None:
    global _worker_rules
    _worker_rules = rules


def _read_in_worker(job: tuple[Path, str]) -> WorkbookRead:
    path, label = job
    return read_workbook(path, _worker_rules, label=label)


def read_all(paths: list[Path], rules: RuleSet | RuleBook, meanwhile=None) -> list[WorkbookRead]:
    """Read every workbook under ``paths``; large batches on all cores, results in file order.

    ``meanwhile()`` runs in this process while the workers read (e.g. importing pandas).
    """
    files = find_workbooks(paths)
    jobs = [(path, label_of(path)) for path in files]
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < POOL_MIN_FILES or workers < 2:
        if meanwhile:
            meanwhile()
        return [read_workbook(path, rules, label=label) for path, label in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                             initializer=_start_worker, initargs=(rules,)) as pool:
        results = pool.map(_read_in_worker, jobs, chunksize=max(16, len(jobs) // (workers * 8)))
        if meanwhile:
            meanwhile()
        return list(results)


def _import_pandas() -> None:
    import pandas  # noqa: F401  (scoring needs it next; importing it now overlaps the reading)


def split_duplicates(reads: list[WorkbookRead]) -> tuple[list[WorkbookRead], list[Problem]]:
    """Keep usable reads of units that came once; report every file of a unit that came twice."""
    by_unit: dict[str, list[WorkbookRead]] = {}
    for read in reads:
        if read.ok:
            by_unit.setdefault(read.findings.unit, []).append(read)
    kept, problems = [], []
    for unit, group in by_unit.items():
        if len(group) == 1:
            kept.append(group[0])
            continue
        files = "、".join(r.file for r in group)
        for read in group:
            problems.append(Problem("unit-duplicate", f"单位“{unit}”有 {len(group)} 份工作簿（{files}），"
                                    "均未计分；请只保留一份", file=read.file, value=unit))
    return kept, problems


@contextmanager
def _bulk():
    """Cyclic GC off while a batch builds many small acyclic objects, which it would
    rescan over and over (scoring 10,000 units took twice as long with it on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def score_paths(paths: list[Path], rules: RuleSet | RuleBook, roster: list[str] | None = None) -> Report:
    """Read and score every workbook under ``paths``; rejected files become errors."""
    with _bulk():
        return _score_paths(paths, rules, roster)


def _score_paths(paths: list[Path], rules: RuleSet | RuleBook, roster: list[str] | None) -> Report:
    book = rules if isinstance(rules, RuleBook) else RuleBook([rules])
    scan = scan_inputs(paths)
    reads = read_all(scan.workbooks, book, meanwhile=_import_pandas)
    kept, duplicate_problems = split_duplicates(reads)
    duplicated = {p.file for p in duplicate_problems}
    results = score_by_rule_set(book, [r.findings for r in kept])
    errors = [p for r in reads for p in r.errors] + duplicate_problems
    inputs = [InputFile(r.file, r.sha256, r.findings.unit if r.findings else "",
                        STATUS_DUPLICATE if r.file in duplicated
                        else STATUS_OK if r.ok else STATUS_ERROR) for r in reads]
    inputs += [InputFile(label_of(path), "", "", STATUS_SKIPPED, reason) for path, reason in scan.skipped]
    notices = input_notices(paths, scan)
    if roster is not None:
        known = set(roster)
        notices += [Problem("unit-missing", f"单位“{u.unit}”不在名单中", Level.WARNING, file=u.file,
                            value=u.unit) for u in results if u.unit not in known]
    return Report(book.default, results, errors, inputs,
                  datetime.now().astimezone().isoformat(timespec="seconds"),
                  roster=roster, notices=notices, book=book)


def input_notices(paths: list[Path], scan: InputScan) -> list[Problem]:
    """A loud warning when the paths hold no workbook at all: a nightly run pointed at the
    wrong folder must not look like a quiet success."""
    if scan.workbooks:
        return []
    where = "、".join(str(p) for p in paths)
    others = f"（另有 {len(scan.skipped)} 个非表格文件已跳过）" if scan.skipped else ""
    suffixes = "/".join(C.SPREADSHEET_SUFFIXES)
    return [Problem("input-empty", f"没有找到任何评分表（{suffixes}）{others}；请检查路径",
                    Level.WARNING, file=where)]


def score_by_rule_set(book: RuleBook, findings: list[Findings]) -> list[UnitResult]:
    """Each unit scored with the set its workbook was made from (one pandas pass per set)."""
    results: list[UnitResult | None] = [None] * len(findings)
    book.used = []
    for rules in book.sets:
        chosen = [i for i, f in enumerate(findings) if f.rules_id in ("", rules.id)
                  and results[i] is None]
        if not chosen:
            continue
        book.used.append(rules)
        for i, result in zip(chosen, score_units(rules, [findings[i] for i in chosen]), strict=True):
            results[i] = result
    return results


def rank_paths(paths: list[Path], rules: RuleSet | RuleBook, roster: list[str] | None = None,
               roster_classes: dict[str, str] | None = None) -> Report:
    """Score, then rank each class (rule set) on its own; with a roster, list the units whose
    workbook has not come back (with their 类别 from ``roster_classes``)."""
    report = score_paths(paths, rules, roster)
    report.roster_classes = dict(roster_classes or {})
    report.units = [u for _, units in report.classes() for u in rank_units(units, roster)]
    if roster is not None:
        answered = {i.unit for i in report.inputs if i.unit}
        report.missing = [u for u in roster if u not in answered]
    else:
        report.missing = []
    return report
