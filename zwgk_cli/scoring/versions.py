"""Several files of one unit, or of one matrix: identical copies counted once, versions of one
unit (or two matrices of one source) set aside — none scored unless ``--newest`` takes the one
saved last —, and a damaged file named after a unit taken for another, unread version of it.
Nothing is chosen silently: every file set aside is said, with why."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import constants as C
from ..constants import STATUS_COPY, STATUS_DUPLICATE, STATUS_SUPERSEDED
from ..model import NewestChoice, WorkbookRead
from ..problems import Level, Problem, message
from ..reading.names import RosterNames, file_stem, name_key
from ..reading.savetime import file_saved_time, parse_saved, shown_time

_SOURCE_FILE_NAMES = (C.MATRIX_SHEET, C.REVIEW_SHEET)  # how the templates name a matrix and a review table


def saved_time_of(read: WorkbookRead) -> str:
    """A file's own save time, read again from the file (a workbook in a .zip: from the .zip)."""
    if read.submission:
        return file_saved_time(Path(read.submission), read.sha256, read.file[len(read.submission) + 1:])
    return file_saved_time(Path(read.file), read.sha256)


@dataclass
class Sorting:
    """Which reads are scored, and what happened to the others (copies, duplicates, older versions)."""

    kept: list[WorkbookRead] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)  # file -> status, where not the read's own
    newest: list[NewestChoice] = field(default_factory=list)


def split_duplicates(reads: list[WorkbookRead], *, newest: bool = False) -> Sorting:
    """Byte-identical copies count once; a unit with several versions is not scored (every file
    reported), unless ``newest`` takes the version last saved when the save times tell."""
    sorting = Sorting()
    by_unit: dict[str, list[WorkbookRead]] = {}
    originals: dict[str, WorkbookRead] = {}
    for read in sorted(reads, key=lambda r: len(os.path.basename(r.file))):  # 县X局.xlsx before 县X局(1).xlsx
        if read.sha256:  # "" is a file that could not be read at all
            originals.setdefault(read.sha256, read)
    for read in reads:
        original = originals.get(read.sha256, read) if read.sha256 else read
        if original is not read:
            sorting.status[read.file] = STATUS_COPY
            sorting.warnings.append(Problem.of("file-identical", file=read.file, value=original.file,
                                              original=original.file))
        elif read.unit:  # 县（财政）局 and 县(财政)局 are one unit, with or without a roster
            by_unit.setdefault(name_key(read.unit), []).append(read)
        elif read.ok:  # a unit-less read cannot be ok (the reader rejects it); kept for safety
            sorting.kept.append(read)
    for group in by_unit.values():
        unit = group[0].unit
        if len(group) == 1:
            sorting.kept += [r for r in group if r.ok]
            continue
        if newest:
            for read in group:
                read.saved_at = saved_time_of(read)
        winner, why = newest_of(group) if newest else (None, "")
        if winner is None:
            _duplicates(sorting, unit, group, why)
        else:
            _superseded(sorting, unit, winner, group)
    return sorting


def newest_of(group: list[WorkbookRead]) -> tuple[WorkbookRead | None, str]:
    """The version saved last, by the workbooks' own save times; else None and why not."""
    times = [parse_saved(r.saved_at) for r in group]
    unknown = [r.file for r, t in zip(group, times, strict=True) if t is None]
    if unknown:
        return None, message("unit-duplicate", "no-time", files="、".join(unknown))
    latest = max(times)
    if times.count(latest) > 1:
        return None, message("unit-duplicate", "tie")
    return group[times.index(latest)], ""


def _duplicates(sorting: Sorting, unit: str, group: list[WorkbookRead], why: str) -> None:
    files = "、".join(r.file for r in group)
    for read in group:
        sorting.status[read.file] = STATUS_DUPLICATE
        sorting.errors.append(Problem.of("unit-duplicate", file=read.file, value=unit, unit=unit, count=len(group),
                                         files=files, why=f"（{why}）" if why else ""))


def _superseded(sorting: Sorting, unit: str, winner: WorkbookRead, group: list[WorkbookRead]) -> None:
    if winner.ok:
        sorting.kept.append(winner)
    others = [r for r in group if r is not winner]
    for read in others:
        sorting.status[read.file] = STATUS_SUPERSEDED
        sorting.warnings.append(Problem.of(
            "unit-superseded", file=read.file, value=unit, unit=unit, saved=shown_time(read.saved_at),
            winner=winner.file, winner_saved=shown_time(winner.saved_at)))
    sorting.newest.append(NewestChoice(unit, winner.file, winner.saved_at, [r.file for r in others]))


def damaged_versions(named: list[tuple[str, str]], sorting: Sorting) -> None:
    """A damaged file named after a unit that sent a readable workbook too is another version
    of it, unread: as with two versions, neither is scored (which one is final, nobody knows)."""
    kept = {name_key(r.unit): r.file for r in sorting.kept}
    for unit, damaged in named:
        other = kept.get(name_key(unit))
        if other is not None:
            sorting.status[other] = STATUS_DUPLICATE
            sorting.errors.append(Problem.of("unit-duplicate", "damaged", file=other, value=unit, unit=unit,
                                             damaged=damaged))


def unreadable(reads: list[WorkbookRead], sorting: Sorting, roster: list[str] | None,
                issuer: str) -> tuple[list[WorkbookRead], list[tuple[str, str]]]:
    """Refused files that nobody can tell the unit of: the matrices and review tables among them
    (by their kind, or a damaged file by its name: 检查表_…, 复核调整表…), and the units whose
    own workbook the rest are, by file name (县财政局(2).xlsx), with the file — so that no other
    source, nor another version, ranks such a unit without that workbook's findings."""
    names = RosterNames(roster, issuer) if roster is not None else None
    lost, named = [], []
    for read in reads:
        if not read.errors or read.rows or read.unit or sorting.status.get(read.file) is not None:
            continue
        if read.kind != C.KIND_UNIT or file_stem(read.file).startswith(_SOURCE_FILE_NAMES):
            lost.append(read)
        elif names is not None and (unit := names.named_by_file(read.file)) is not None:
            named.append((unit, read.file))
    return lost, named


def matrix_versions(sources: list[WorkbookRead], sorting: Sorting, newest: bool) -> list[WorkbookRead]:
    """Two matrices of one source name are two versions: like a unit's workbooks, neither counts
    (and their units are not ranked) unless ``newest`` takes the one saved last; returns the
    versions set aside without a winner."""
    groups: dict[str, list[WorkbookRead]] = {}
    for read in sources:
        if read.kind == C.KIND_MATRIX:
            groups.setdefault(name_key(read.source), []).append(read)
    doubled = []
    for group in (g for g in groups.values() if len(g) > 1):
        source, files = group[0].source, "、".join(r.file for r in group)
        if newest:
            for read in group:
                read.saved_at = saved_time_of(read)
        winner, why = newest_of(group) if newest else (None, "")
        for read in group:
            if winner is None:
                sorting.status[read.file] = STATUS_DUPLICATE
                sorting.errors.append(Problem.of("source-duplicate", file=read.file, value=source, source=source,
                                                 count=len(group), files=files, why=f"（{why}）" if why else ""))
            elif read is not winner:
                sorting.status[read.file] = STATUS_SUPERSEDED
                sorting.warnings.append(Problem.of(
                    "source-duplicate", "superseded", level=Level.WARNING, file=read.file, value=source,
                    source=source, saved=shown_time(read.saved_at), winner=winner.file,
                    winner_saved=shown_time(winner.saved_at)))
        doubled += group if winner is None else []
    return doubled
