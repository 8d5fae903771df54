"""From files to results: read every workbook, set aside the bad ones, score and rank the rest.

This is what ``zwgk score`` and ``zwgk rank`` do, as plain functions returning a
:class:`Report`; ``--json`` prints ``Report.to_dict()`` and nothing else.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

from .. import constants as C
from ..acyclic import collector_paused
from ..constants import STATUS_COPY, STATUS_ERROR, STATUS_OK, STATUS_SKIPPED, STATUS_SUPERSEDED
from ..model import Findings, InputFile, Report, RuleBook, RuleSet, UnitResult, WorkbookRead
from ..problems import Family, Level, Problem, message
from ..reading.collector import worker_death_problem
from ..reading.inputs import read_input
from ..reading.isolation import DEFAULT_LIMITS, Death, Limits, isolated_map
from ..reading.names import RosterNames, identify
from ..reading.roster import Roster
from ..reading.scan import InputScan, find_workbooks, other_archive, scan_inputs
from ..reading.submission import Submission, read_submission
from .compute import rank_units, score_units
from .evidence import check_units, with_proofs
from .holdings import Holdings, evidence_inputs, evidence_reads, resolve
from .merge import Merged, adjustments_of, mark_sources, merge_sources
from .seasons import PreviousSeason, compare_seasons
from .versions import Sorting, damaged_versions, matrix_versions, split_duplicates, unreadable


def label_of(path: Path, cwd: str | None = None) -> str:
    """How a file is named in messages: relative to the working folder (``cwd``, looked up
    when not given) when inside it."""
    text, cwd = str(path), cwd or os.getcwd()
    inside = os.path.join(cwd, "")
    if len(text) > len(inside) and text.startswith(inside) and os.path.normpath(text) == text:
        return text[len(inside):]  # what relpath gives, without its own normalising (10,000 files: 0.14 s)
    try:
        relative = os.path.relpath(text, cwd)
    except ValueError:  # another drive on Windows
        return text
    return text if relative.startswith("..") else relative


def read_all(paths: list[Path], rules: RuleSet | RuleBook, meanwhile=None, *,
             limits: Limits = DEFAULT_LIMITS, debug: bool = False, reader: Callable = read_input) -> list[WorkbookRead]:
    """Read every workbook under ``paths``, each in a worker process under ``limits`` (a file
    that crashes the parser or overruns its limits is refused alone); results in file order.

    ``meanwhile()`` runs in this process while the workers read (e.g. importing pandas).
    With ``debug`` (``--debug``) files are read here, so an unexpected error shows its traceback.
    ``reader(path, rules, label=...)`` reads one file in a worker; it must be a module-level
    function (a spawned worker imports it by name).
    """
    return read_files(find_workbooks(paths), rules, meanwhile, limits=limits, debug=debug, reader=reader)


def read_files(files: list[Path], rules: RuleSet | RuleBook, meanwhile=None, *, limits: Limits = DEFAULT_LIMITS,
               debug: bool = False, reader: Callable = read_input) -> list[WorkbookRead]:
    """:func:`read_all` for workbooks already found (``scan_inputs(...).workbooks``): the
    folders are not walked again. A .zip among them is a unit's submission: the workbooks in it
    are read (and the submission itself is lost from view; :func:`read_inputs` keeps it)."""
    reads, _ = read_inputs(files, rules, meanwhile, limits=limits, debug=debug, reader=reader)
    return reads


def read_inputs(files: list[Path], rules: RuleSet | RuleBook, meanwhile=None, *, limits: Limits = DEFAULT_LIMITS,
                debug: bool = False, reader: Callable = read_input) -> tuple[list[WorkbookRead], dict[str, Submission]]:
    """Read loose workbooks and .zip submissions, each in a worker (see :func:`read_all`): the reads
    (a submission refused whole is one read, with its error) and each submission by its label."""
    cwd = os.getcwd()
    jobs = [(path, label_of(path, cwd)) for path in files]
    if debug:
        if meanwhile:
            meanwhile()
        results = [_read_job(reader, rules, job, debug=True) for job in jobs]
    else:
        import python_calamine  # noqa: F401  (imported once here, inherited by every forked worker)

        workers = min(os.cpu_count() or 1, 8, max(1, len(jobs) // 8))
        results = isolated_map(partial(_read_job, reader, rules), jobs, _refused, workers=workers, limits=limits,
                               meanwhile=meanwhile)
    reads: list[WorkbookRead] = []
    submissions: dict[str, Submission] = {}
    for result in results:
        if isinstance(result, Submission):
            submissions[result.file] = result
            reads += result.reads
            if result.problems:
                reads.append(WorkbookRead(result.file, result.sha256, None, result.problems))
        else:
            reads.append(result)
    return reads, submissions


def _read_job(reader: Callable, rules: RuleSet | RuleBook, job: tuple[Path, str], *,
              debug: bool = False) -> WorkbookRead | Submission:
    path, label = job
    if path.suffix.lower() in C.ARCHIVE_SUFFIXES:
        return read_submission(path, rules, label=label, debug=debug)
    return reader(path, rules, label=label, debug=debug) if debug else reader(path, rules, label=label)


def _refused(job: tuple[Path, str], death: Death) -> WorkbookRead:
    """A file whose worker died or overran its limits: refused alone, the batch goes on."""
    path, label = job
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:  # a chunk at a time: the file may be more than any process can hold
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
        sha256 = digest.hexdigest()
    except OSError:
        sha256 = ""
    return WorkbookRead(label, sha256, None, [worker_death_problem(death, label)])


def _import_pandas() -> None:
    import pandas  # noqa: F401  (scoring needs it next; importing it now overlaps the reading)


def identify_units(reads: list[WorkbookRead], roster: list[str] | None, issuer: str = "") -> None:
    """Decide each file's unit (with the roster when there is one), rejected files included,
    and record on the file what the clerk should know about how it was decided."""
    names = RosterNames(roster, issuer) if roster is not None else None
    for read in reads:
        if not (read.typed_unit or read.meta_unit):
            continue
        who = identify(read.typed_unit, read.meta_unit, names, issuer)
        read.unit = who.unit
        if read.findings is not None:
            read.findings.unit = who.unit
        if who.code:
            problem = Problem(who.code, who.message, who.level, file=read.file, sheet=C.SCORE_SHEET,
                              cell=read.unit_cell, value=read.typed_unit)
            read.problems.append(problem)
            if read.findings is not None and who.level != Level.ERROR:
                read.findings.warnings.append(problem)


def check_classes(reads: list[WorkbookRead], classes: dict[str, RuleSet]) -> None:
    """Refuse a unit's workbook made from another rule set than its roster 类别 names (a town that
    filled the county departments' class-A master): ranked in that class it would push a unit of
    the class down and be missing from its own. The unit waits for the right workbook."""
    for read in reads:
        expected = classes.get(read.unit) if read.findings is not None else None
        findings = read.findings
        if expected is None or expected.made(findings.rules_id, findings.rules_version):
            continue
        made = f"{findings.rules_id} 第{findings.rules_version}版"
        no_meta = any(p.code == "meta-ruleset" for p in read.problems)
        read.problems.append(Problem.of(
            "unit-class", "no-meta" if no_meta else "", file=read.file, sheet=C.META_SHEET if not no_meta else "",
            value=made, unit=read.unit, made=made, klass=expected.klass or expected.id, expected=expected.label()))


def score_paths(paths: list[Path], rules: RuleSet | RuleBook, roster: list[str] | None = None, *,
                newest: bool = False, debug: bool = False, classes: dict[str, RuleSet] | None = None) -> Report:
    """Read and score every workbook under ``paths``; rejected files become errors.

    With ``newest``, a unit that sent several versions is scored from the one saved last
    (when the workbooks' save times tell which); otherwise none of them is scored. ``debug``
    as in :func:`read_all`. ``classes``: the rule set each roster unit's 类别 names; a workbook
    made from another is refused (``unit-class``).
    """
    with collector_paused():
        return _score_paths(paths, rules, roster, newest, debug, classes or {})


def _score_paths(paths: list[Path], rules: RuleSet | RuleBook, roster: list[str] | None,
                 newest: bool, debug: bool, classes: dict[str, RuleSet]) -> Report:
    book = rules if isinstance(rules, RuleBook) else RuleBook([rules])
    scan = scan_inputs(paths)
    cwd = os.getcwd()
    reads, submissions = read_inputs(scan.workbooks + scan.submissions, book, meanwhile=_import_pandas, debug=debug)
    own = [r for r in reads if r.kind == C.KIND_OUTPUT]  # this tool's summary, feedback sheets: no input
    reads = [r for r in reads if r.kind != C.KIND_OUTPUT]
    own_inputs = [InputFile(r.file, r.sha256, "", STATUS_SKIPPED, message("input-own-output",
                            kind=C.OUTPUT_KINDS[r.source]), kind=C.KIND_OUTPUT, source=r.source) for r in own]
    empty = {name: submissions.pop(name).empty for name in [n for n, f in submissions.items() if f.empty]}
    others = scan.others + [p for p in scan.submissions if label_of(p, cwd) in empty]  # zips without a workbook
    holdings = Holdings({label_of(p, cwd): p for p in scan.workbooks}, scan.folders, others + scan.workbooks,
                        submissions, partial(label_of, cwd=cwd))
    resolution = resolve(reads, holdings)
    reads, listed_books = evidence_reads(reads, resolution)
    identify_units(reads, roster, book.default.issuer)
    check_submission_units(reads)
    check_classes(reads, classes)
    sorting = split_duplicates(reads, newest=newest)
    merged = merge_reads(reads, sorting, roster, book, newest=newest)
    proofs = check_units(merged.findings, merged.given, book, resolution, {r.file: r for r in reads}, merged.before)
    results, used = score_by_rule_set(book, merged.findings)
    with_proofs(results, proofs)
    adjustments = finish_sources(book, merged, results)
    counted = [r for r in reads if sorting.status.get(r.file) != STATUS_COPY]  # a copy's errors are its original's
    errors = [p for r in counted for p in r.errors] + sorting.errors + merged.errors
    inputs = [InputFile(r.file, r.sha256, r.unit, _status(r, sorting, merged), kind=r.kind, source=r.source,
                        submission=r.submission) for r in reads]
    inputs += _submission_inputs(submissions, reads)
    files, unlisted = evidence_inputs(resolution, holdings, others, submissions, listed_books,
                                      {name: problem.message for name, problem in empty.items()})
    unlisted += [p for name, p in empty.items() if not resolution.lists(name)]
    inputs += files + own_inputs + [InputFile(label_of(path), "", "", STATUS_SKIPPED, reason, kind="")
                                    for path, reason in scan.skipped]
    scored = {id(r) for r in sorting.kept}  # warnings of files not scored are said once, here
    warnings = input_notices(paths, scan, len(reads)) + _archives_skipped(scan) + sorting.warnings + merged.warnings + [
        p for r in counted if id(r) not in scored for p in r.problems
        if p.level != Level.ERROR and p.family == Family.UNIT] + unlisted
    return Report(book.default, results, errors, inputs,
                  datetime.now().astimezone().isoformat(timespec="seconds"),
                  roster=roster, warnings=warnings, book=book, newest=sorting.newest if newest else None,
                  used_sets=used, adjustments=adjustments, assessed=merged.assessed)


def check_submission_units(reads: list[WorkbookRead]) -> None:
    """A .zip is one unit's submission: one holding the workbooks of two units is refused, both
    named (which unit would its evidence be?)."""
    by_zip: dict[str, list[WorkbookRead]] = {}
    for read in reads:
        if read.submission and read.kind == C.KIND_UNIT and read.unit:
            by_zip.setdefault(read.submission, []).append(read)
    for submission, group in by_zip.items():
        units = list(dict.fromkeys(r.unit for r in group))
        if len(units) > 1:
            for read in group:
                read.problems.append(Problem.of("submission-units", file=read.file, value=read.unit,
                                                submission=submission, units="、".join(units)))


def _submission_inputs(submissions: dict[str, Submission], reads: list[WorkbookRead]) -> list[InputFile]:
    """Each .zip opened, as itself (its files are listed apart); one refused whole is a read."""
    units: dict[str, list[str]] = {}
    for read in reads:
        if read.submission and read.unit:
            units.setdefault(read.submission, []).append(read.unit)
    return [InputFile(name, found.sha256, "、".join(dict.fromkeys(units.get(name, []))), C.STATUS_OPENED,
                      kind=C.KIND_SUBMISSION)
            for name, found in submissions.items() if not found.problems]


def _archives_skipped(scan: InputScan) -> list[Problem]:
    """A .rar or .7z in the returns may hold a unit's workbook: a warning, not only a skipped line."""
    return [Problem.of("submission-format", file=label_of(path), kind=other_archive(path.name))
            for path, _ in scan.skipped if other_archive(path.name)]


def merge_reads(reads: list[WorkbookRead], sorting: Sorting, roster: list[str] | None, book: RuleBook, *,
                newest: bool = False) -> Merged:
    """The units' own findings merged with the matrices and review tables read
    (:mod:`zwgk_cli.scoring.merge`); a unit whose own workbook was rejected stays unranked."""
    sources = [r for r in reads if r.kind != C.KIND_UNIT and sorting.status.get(r.file) != STATUS_COPY]
    doubled = matrix_versions(sources, sorting, newest)
    kept = {id(r) for r in sorting.kept}
    set_aside = (STATUS_COPY, STATUS_SUPERSEDED)
    refused = [r.unit for r in reads if r.kind == C.KIND_UNIT and r.unit and id(r) not in kept
               and sorting.status.get(r.file) not in set_aside]
    lost, named = unreadable(reads, sorting, roster, book.default.issuer)
    damaged_versions(named, sorting)
    sources = [r for r in sources if sorting.status.get(r.file) is None and r not in lost]
    return merge_sources([r.findings for r in sorting.kept], sources, refused + [u for u, _ in named], roster,
                         book.default.issuer, doubled=doubled, lost=lost, book=book)


def finish_sources(book: RuleBook, merged: Merged, results: list[UnitResult]):
    """Name each clause's source on the results; the review rows applied, before and after."""
    for result in results:
        mark_sources(result, merged.given.get(result.unit, {}))
    if not merged.reviewed:
        return []
    before, _ = score_by_rule_set(book, list(merged.before.values()))
    return adjustments_of(merged, results, before)


def _status(read: WorkbookRead, sorting: Sorting, merged: Merged) -> str:
    """A file's status: set aside by the duplicate rules, 有错误 with an error or a conflict."""
    if read.file in sorting.status:
        return sorting.status[read.file]
    if read.errors or read.file in merged.failed:
        return STATUS_ERROR
    return STATUS_OK if read.ok or read.kind != C.KIND_UNIT else STATUS_ERROR


def input_notices(paths: list[Path], scan: InputScan, inputs: int | None = None) -> list[Problem]:
    """A loud warning when the paths hold no workbook at all (``inputs``: the workbooks read that
    are inputs, not this tool's own files): a nightly run pointed at the wrong folder must not
    look like a quiet success."""
    if (len(scan.workbooks) if inputs is None else inputs):
        return []
    where = "、".join(str(p) for p in paths)
    others = message("input-empty", "skipped", count=len(scan.skipped)) if scan.skipped else ""
    suffixes = "/".join(C.SPREADSHEET_SUFFIXES)
    return [Problem.of("input-empty", file=where, suffixes=suffixes, others=others)]


def score_by_rule_set(book: RuleBook, findings: list[Findings]) -> tuple[list[UnitResult], list[RuleSet]]:
    """Each unit scored with the set its workbook was made from (one pandas pass per set);
    also the sets that scored at least one unit, in the book's order."""
    results: list[UnitResult | None] = [None] * len(findings)
    used: list[RuleSet] = []
    for rules in book.sets:
        chosen = [i for i, f in enumerate(findings) if rules.made(f.rules_id, f.rules_version)
                  and results[i] is None]
        if not chosen:
            continue
        used.append(rules)
        for i, result in zip(chosen, score_units(rules, [findings[i] for i in chosen]), strict=True):
            results[i] = result
    return results, used


def rank_paths(paths: list[Path], rules: RuleSet | RuleBook, roster: list[str] | None = None,
               roster_classes: dict[str, str] | None = None, *, newest: bool = False,
               debug: bool = False, roster_warnings: list[Problem] | None = None,
               previous: PreviousSeason | None = None, former_names: dict[str, list[str]] | None = None) -> Report:
    """Score, then rank each class (rule set) on its own; with a roster, list the units whose
    workbook has not come back (with their 类别 from ``roster_classes``). A unit whose only
    workbooks were rejected or duplicated has answered: it is listed under 问题, not 未提交.
    ``roster_warnings`` (the roster's dropped lines) come first among the report's warnings.
    ``previous``: last season's results, matched by name or ``former_names`` (the roster's 曾用名)."""
    book = rules if isinstance(rules, RuleBook) else RuleBook([rules])
    expected = {unit: book.for_class(klass) for unit, klass in (roster_classes or {}).items()}
    report = score_paths(paths, book, roster, newest=newest, debug=debug,
                         classes={unit: rules for unit, rules in expected.items() if rules is not None})
    report.warnings[:0] = roster_warnings or []
    report.roster_classes = dict(roster_classes or {})
    report.units = [u for _, units in report.classes() for u in rank_units(units, roster)]
    if roster is not None:
        answered = {i.unit for i in report.inputs if i.unit} | set(report.assessed)
        report.missing = [u for u in roster if u not in answered]
    else:
        report.missing = []
    if previous is not None:
        compare_seasons(report, previous, former_names)
    return report


def rank_season(paths: list[Path], book: RuleBook, roster: Roster | None, *, newest: bool = False,
                debug: bool = False, previous: PreviousSeason | None = None) -> Report:
    """``zwgk rank``: :func:`rank_paths` with a roster as read (its names, 类别, dropped lines and
    曾用名), or without one."""
    if roster is None:
        return rank_paths(paths, book, newest=newest, debug=debug, previous=previous)
    return rank_paths(paths, book, roster.names, roster.classes, newest=newest, debug=debug,
                      roster_warnings=roster.warnings, previous=previous, former_names=roster.former)
