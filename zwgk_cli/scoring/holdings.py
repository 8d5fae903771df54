"""印证材料 looked up (docs/scoring.md, Evidence): the files each workbook lists found where it lies,
each hashed once, and the files that came with the workbooks listed as inputs.

Where a workbook lies (:class:`Holdings`): a unit's .zip (its files, with subfolders), or the folder
of a loose workbook with its subfolders (a flat returns folder works too); for a workbook named on
the command line, the files beside it. A spreadsheet a unit lists (a 台账.xlsx) is evidence, not a
rejected return (:func:`evidence_reads`). The files a matrix or review row lists are looked up
beside the matrix. Links are never fetched. Pure functions of what was read, except that
:class:`Holdings` looks at the folders given (file sizes, sha256). What the evidence found means
for each clause is :mod:`.evidence`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import constants as C
from ..model import InputFile, WorkbookRead
from ..problems import Problem
from ..reading.evidence import BAD_LINK, FILE, LINK, LOCAL, FileIndex, illegal_on_windows, listed_items
from ..reading.submission import Submission

_SHOWN = 10  # unlisted files named in one notice; all are in the 说明 sheet and JSON inputs


@dataclass(frozen=True, slots=True)
class Located:
    """A file found: its label (as messages name files), size and sha256; ``damaged`` when its
    bytes could not be read (a member whose data does not inflate)."""

    label: str
    size: int
    sha256: str
    damaged: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one listed item came to: files found (one), or a problem (its evidence-* code and
    variant, and the values of its message), or a link."""

    found: Located | None = None
    url: str = ""
    code: str = ""
    variant: str = ""
    values: tuple[tuple[str, str], ...] = ()
    unusable: tuple[str, ...] = ()  # labels of the files it names that cannot be used (damaged, one of several)


class Holdings:
    """The files that came with the workbooks, by where each workbook lies (see the module)."""

    def __init__(self, paths: dict[str, Path], folders: list[Path], loose: Iterable[Path],
                 submissions: dict[str, Submission], label_of):
        self.paths = paths  # a loose read's label -> its resolved path
        self.folders = [str(f) for f in folders]
        self.submissions = submissions
        self.label_of = label_of
        self._by_dir: dict[str, list[str]] = {}
        for path in loose:
            self._by_dir.setdefault(str(path.parent), []).append(path.name)
        self._indexes: dict[str, FileIndex] = {}

    def index_of(self, read: WorkbookRead) -> tuple[FileIndex, str]:
        """The files where ``read`` lies, relative to there, and the prefix that makes them labels
        ("" for a read without a place: one built by hand)."""
        if read.submission:
            key = "zip:" + read.submission
            if key not in self._indexes:
                found = self.submissions.get(read.submission)
                inside = [f.path for f in found.files] if found else []
                inside += [r.file[len(read.submission) + 1:] for r in (found.reads if found else [])]
                self._indexes[key] = FileIndex(inside)
            return self._indexes[key], read.submission + "/"
        path = self.paths.get(read.file)
        if path is None:
            return FileIndex([]), ""
        home = str(path.parent)
        if home not in self._indexes:
            self._indexes[home] = FileIndex(self._files_under(home))
        return self._indexes[home], home + os.sep

    def _files_under(self, home: str) -> list[str]:
        """Files under ``home`` (relative, / between folders): the folder's subtree when it is in a
        folder given, else the files beside it."""
        inside = any(home == f or home.startswith(f + os.sep) for f in self.folders)
        if not inside:
            try:
                return sorted(e.name for e in os.scandir(home) if e.is_file() and not e.name.startswith(("~$", ".")))
            except OSError:
                return []
        prefix = home + os.sep
        found = []
        for folder, names in self._by_dir.items():
            if folder == home or folder.startswith(prefix):
                relative = os.path.relpath(folder, home).replace(os.sep, "/")
                found += [n if relative == "." else f"{relative}/{n}" for n in names]
        return found

    def locate(self, read: WorkbookRead, base: str, relative: str, known: dict[str, Located]) -> Located:
        """The file ``relative`` under ``base`` (a submission's label and / or a folder)."""
        if read.submission:
            label = base + relative
            if label in known:
                return known[label]
            found = self.submissions.get(read.submission)
            member = next((f for f in found.files if f.path == relative), None) if found else None
            inner = next((r for r in found.reads if r.file == label), None) if found else None
            if member is not None:
                return Located(label, member.size, member.sha256, member.damaged or not member.sha256)
            return Located(label, found.sizes.get(relative, 0) if found else 0, inner.sha256 if inner else "")
        path = base + relative.replace("/", os.sep)
        return known.get(path) or Located(path, 0, "")

    def label(self, read: WorkbookRead, base: str, relative: str) -> str:
        """The label of the file ``relative`` under ``base``, as :meth:`locate` and the inputs name it."""
        if read.submission:
            return base + relative
        return self.label_of(Path(base + relative.replace("/", os.sep)))


@dataclass(slots=True)
class Resolution:
    """Every listed item of every read resolved: by file label, each item's outcome; and by the
    label of each file found, the reads that list it."""

    outcomes: dict[str, dict[str, Outcome]] = field(default_factory=dict)
    listed_by: dict[str, list[WorkbookRead]] = field(default_factory=dict)
    found: dict[str, Located] = field(default_factory=dict)  # by label
    # files listed that cannot be used: by label, why (damaged, or one of several of the name) and who lists them
    unusable: dict[str, str] = field(default_factory=dict)
    named_by: dict[str, list[WorkbookRead]] = field(default_factory=dict)

    def lists(self, label: str) -> bool:
        """Whether some read lists the file ``label`` (found, or listed and unusable)."""
        return label in self.listed_by or label in self.unusable


def resolve(reads: list[WorkbookRead], holdings: Holdings) -> Resolution:
    """Look up every file the reads list, hash each found file once (loose files in threads:
    hashing lets go of the GIL)."""
    resolution = Resolution()
    wanted: dict[str, None] = {}
    pending: list[tuple[WorkbookRead, str, str, str, list[str]]] = []
    links: dict[str, Outcome] = {}  # units list the same links over and over: one outcome each
    for read in reads:
        items = listed_items(read)
        if not items:
            continue
        index, base = holdings.index_of(read)
        for text, kind in items.items():
            paths = index.find(text) if kind == FILE else []
            if len(paths) > 1:
                paths = _preferred(paths, read) or paths
            pending.append((read, text, kind, base, paths))
            if len(paths) == 1 and not read.submission:
                wanted[base + paths[0].replace("/", os.sep)] = None
    known = _hashed(list(wanted), holdings.label_of)
    for read, text, kind, base, paths in pending:
        if kind == LINK:
            if text not in links:
                links[text] = Outcome(url=text)
            outcome = links[text]
        else:
            outcome = _outcome(read, text, kind, base, paths, holdings, known)
        resolution.outcomes.setdefault(read.file, {})[text] = outcome
        if outcome.found is not None:
            resolution.listed_by.setdefault(outcome.found.label, []).append(read)
            resolution.found[outcome.found.label] = outcome.found
        for label in outcome.unusable:
            resolution.unusable[label] = _UNUSABLE[outcome.variant]
            resolution.named_by.setdefault(label, []).append(read)
    return resolution


def _preferred(paths: list[str], read: WorkbookRead) -> list[str]:
    """Among files of one name, those in a folder named after the read's unit, if one is."""
    unit = read.typed_unit or read.meta_unit
    chosen = [p for p in paths if unit and unit in p.rsplit("/", 1)[0]] if unit else []
    return chosen if len(chosen) == 1 else []


def _hashed(paths: list[str], label_of) -> dict[str, Located]:
    def one(path: str) -> Located:
        try:
            digest = hashlib.sha256()
            with open(path, "rb") as stream:
                while chunk := stream.read(1 << 20):
                    digest.update(chunk)
            return Located(label_of(Path(path)), os.path.getsize(path), digest.hexdigest())
        except OSError:
            return Located(label_of(Path(path)), 0, "", damaged=True)

    if not paths:
        return {}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return dict(zip(paths, pool.map(one, paths), strict=True))


def _outcome(read, text: str, kind: str, base: str, paths: list[str], holdings: Holdings,
             known: dict[str, Located]) -> Outcome:
    if kind == BAD_LINK:
        return Outcome(code="evidence-link-invalid")
    if kind == LOCAL:
        return Outcome(code="evidence-missing", variant="local")
    if len(paths) > 1:
        return Outcome(code="evidence-missing", variant="ambiguous", values=(("paths", "、".join(paths[:5])),),
                       unusable=tuple(holdings.label(read, base, p) for p in paths))
    if not paths:
        chars = illegal_on_windows(text)
        if chars:
            return Outcome(code="evidence-missing", variant="illegal", values=(("chars", chars),))
        where = f"（{read.submission} 中）" if read.submission else ""
        return Outcome(code="evidence-missing", values=(("where", where),))
    located = holdings.locate(read, base, paths[0], known)
    if located.damaged:
        return Outcome(code="evidence-missing", variant="damaged", unusable=(located.label,))
    return Outcome(found=located)


# --- what listed files are: evidence, or workbooks read -----------------------------------------


def evidence_reads(reads: list[WorkbookRead], resolution: Resolution) -> tuple[list[WorkbookRead], list[WorkbookRead]]:
    """The reads that stay inputs, and the spreadsheets a unit lists as its evidence (a 台账.xlsx,
    refused as a findings workbook: it never was one). A findings workbook that reads well stays
    an input whoever lists it."""
    kept, evidence = [], []
    for read in reads:
        listed = [r for r in resolution.listed_by.get(read.file, []) if r is not read]
        if listed and not (read.kind == C.KIND_UNIT and read.ok):
            evidence.append(read)
        else:
            kept.append(read)
    return kept, evidence



# --- the files that came with the workbooks, as inputs -------------------------------------------


def evidence_inputs(resolution: Resolution, holdings: Holdings, loose: list[Path],
                    submissions: dict[str, Submission], evidence: list[WorkbookRead],
                    reasons: dict[str, str] | None = None) -> tuple[list[InputFile], list[Problem]]:
    """The files that are no workbook read: listed (印证材料, with the unit that lists them; why it
    could not be used, when it could not) or not (skipped — why: ``reasons`` by label, or that
    nothing lists it —, and said once per submission or folder as a notice)."""
    inputs: list[InputFile] = []
    unlisted: dict[str, list[str]] = {}

    def unit_of(label: str) -> str:
        readers = resolution.listed_by.get(label) or resolution.named_by.get(label, [])
        return "、".join(dict.fromkeys(r.unit or r.typed_unit for r in readers if r.unit or r.typed_unit))

    for read in evidence:
        located = resolution.found.get(read.file)
        inputs.append(InputFile(read.file, read.sha256, unit_of(read.file), C.STATUS_EVIDENCE, kind=C.KIND_EVIDENCE,
                                submission=read.submission, size=located.size if located else None))
    for path in loose:
        label = holdings.label_of(path)
        if label in resolution.listed_by:
            located = resolution.found[label]
            inputs.append(InputFile(label, located.sha256, unit_of(label), C.STATUS_EVIDENCE, kind=C.KIND_EVIDENCE,
                                    size=located.size))
        elif label in resolution.unusable:
            inputs.append(InputFile(label, "", unit_of(label), C.STATUS_EVIDENCE, resolution.unusable[label],
                                    kind=C.KIND_EVIDENCE))
        else:
            inputs.append(InputFile(label, "", "", C.STATUS_SKIPPED, (reasons or {}).get(label, _UNLISTED),
                                    kind=C.KIND_EVIDENCE))
            unlisted.setdefault(_folder_of(label), []).append(label)
    for name, found in submissions.items():
        for member in found.files:
            label = f"{name}/{member.path}"
            if label in resolution.listed_by:
                inputs.append(InputFile(label, member.sha256, unit_of(label), C.STATUS_EVIDENCE,
                                        kind=C.KIND_EVIDENCE, submission=name, size=member.size))
            elif label in resolution.unusable:
                inputs.append(InputFile(label, "" if member.damaged else member.sha256, unit_of(label),
                                        C.STATUS_EVIDENCE, resolution.unusable[label], kind=C.KIND_EVIDENCE,
                                        submission=name, size=member.size))
            else:
                inputs.append(InputFile(label, "", "", C.STATUS_SKIPPED, _UNLISTED, kind=C.KIND_EVIDENCE,
                                        submission=name, size=member.size))
                unlisted.setdefault(name, []).append(member.path)
    notices = [Problem.of("evidence-unlisted", file=where, where=_where(where, submissions), count=len(names),
                          names="、".join(names[:_SHOWN]), more=" 等" if len(names) > _SHOWN else "")
               for where, names in unlisted.items()]
    return inputs, notices


_UNLISTED = "没有条款把该文件列为印证材料"
_UNUSABLE = {"damaged": "列为印证材料，但文件已损坏，无法读取",
             "ambiguous": "列为印证材料，但有同名的其他文件，无法确定是哪一个"}


def _folder_of(label: str) -> str:
    return os.path.dirname(label) or "."


def _where(where: str, submissions: dict[str, Submission]) -> str:
    return f"压缩包 {where} " if where in submissions else f"文件夹 {where} "
