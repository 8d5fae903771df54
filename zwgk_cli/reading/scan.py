"""What the paths given hold: the spreadsheets to read, the units' .zip submissions, and the
other files found beside them (印证材料, or files nobody listed).

A file named on the command line is always read (a .zip as a unit's submission); inside a folder
(searched recursively) a file is read when its name ends in a spreadsheet suffix, and a .zip is
a submission. Office lock files (~$), hidden files and folders, and what zip tools and Explorer
leave behind (Thumbs.db, desktop.ini, __MACOSX) are passed over silently; a .rar or .7z is listed
as skipped, with what to do; anything else is a file that came with the workbooks, which the
evidence check looks up (:mod:`zwgk_cli.scoring.evidence`).

>>> find_workbooks([])
[]
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import constants as C
from ..constants import ARCHIVE_SUFFIXES, OTHER_ARCHIVES
from ..problems import ZwgkError, message

_SYSTEM_FILES = {"thumbs.db", "desktop.ini", ".ds_store"}
_SYSTEM_FOLDERS = {"__macosx"}


def _is_candidate_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in C.SPREADSHEET_SUFFIXES and not _is_hidden(name)


def _is_hidden(name: str) -> bool:
    return name.startswith(("~$", ".")) or name.lower() in _SYSTEM_FILES


def other_archive(name: str) -> str:
    """The kind of an archive the tool cannot open (RAR, 7z, …), "" for anything else.

    >>> other_archive("县公安局.RAR"), other_archive("县公安局.zip")
    ('RAR', '')
    """
    suffix = os.path.splitext(name)[1].lower()
    return suffix.lstrip(".").upper() if suffix in OTHER_ARCHIVES else ""


@dataclass(slots=True)
class InputScan:
    """What the paths given hold: workbooks to read, .zip submissions, the other files found in
    the folders (``others``: what may be 印证材料), and the files skipped with why (a .rar).
    Lock, hidden and system files are in none. ``folders``: the folders given, resolved."""

    workbooks: list[Path]
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    submissions: list[Path] = field(default_factory=list)
    others: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)


def scan_inputs(paths: list[Path]) -> InputScan:
    """Files named, and spreadsheets, .zip files and other files under folders named
    (recursively), each kind in a stable order.

    A file named on the command line is always read (the reader says what it is); a file
    inside a folder is read only when its name ends in a spreadsheet suffix.
    """
    paths = expand_patterns(paths)
    check_inputs(paths)
    scan = InputScan([])
    found: list[str] = []  # resolved paths
    zips: list[str] = []
    others: list[str] = []
    for path in paths:
        if not path.is_dir():
            kind = other_archive(path.name)
            if kind:
                scan.skipped.append((path, _archive_reason(kind)))
            else:
                (zips if path.suffix.lower() in ARCHIVE_SUFFIXES else found).append(str(path.resolve()))
            continue
        scan.folders.append(path.resolve())
        inside: list[tuple[tuple[str, ...], str, str]] = []  # (Path.parts, for the order; resolved; kind)
        for folder, folders, names in os.walk(path):
            folders[:] = [f for f in folders if not f.startswith(".") and f.lower() not in _SYSTEM_FOLDERS]
            parts, real = Path(folder).parts, None
            for name in names:
                if _is_hidden(name):
                    continue
                kind = other_archive(name)
                if kind:
                    scan.skipped.append((Path(folder, name), _archive_reason(kind)))
                    continue
                real = real or os.path.realpath(folder)
                suffix = os.path.splitext(name)[1].lower()
                what = "book" if _is_candidate_name(name) else "zip" if suffix in ARCHIVE_SUFFIXES else "other"
                inside.append(((*parts, name), _resolved_in(real, folder, name), what))
        for _, resolved, what in sorted(inside):
            {"book": found, "zip": zips, "other": others}[what].append(resolved)
    scan.workbooks = [Path(p) for p in dict.fromkeys(found)]  # a file named twice is read once
    scan.submissions = [Path(p) for p in dict.fromkeys(zips)]
    scan.others = [Path(p) for p in dict.fromkeys(others)]
    scan.skipped.sort()
    return scan


def _archive_reason(kind: str) -> str:
    return message("submission-format", kind=kind)


def _resolved_in(real_folder: str, folder: str, name: str) -> str:
    """``Path(folder, name).resolve()`` when ``real_folder`` is the folder resolved: one lstat
    instead of one per component (10,000 files took 0.35 s)."""
    file = os.path.join(folder, name)
    return str(Path(file).resolve()) if os.path.islink(file) else os.path.join(real_folder, name)


def find_workbooks(paths: list[Path]) -> list[Path]:
    """The workbooks to read under ``paths``, loose and .zip submissions (see :func:`scan_inputs`)."""
    scan = scan_inputs(paths)
    return scan.workbooks + scan.submissions


_PATTERN_CHARACTERS = frozenset("*?[")


def expand_patterns(paths: list[Path]) -> list[Path]:
    """Each path that does not exist but holds ``*``, ``?`` or ``[`` replaced by the files it
    matches, sorted: cmd.exe passes ``收回\\*.xlsx`` on as it is (a Linux shell expands it
    itself). A pattern that matches nothing stays, so that it is reported as missing.

    >>> [str(p) for p in expand_patterns([Path("no-such-folder/*.xlsx")])]
    ['no-such-folder/*.xlsx']
    """
    import glob

    expanded: list[Path] = []
    for path in paths:
        text = str(path)
        matches = sorted(glob.glob(text)) if _PATTERN_CHARACTERS & set(text) and not path.exists() else []
        expanded += [Path(m) for m in matches] or [path]
    return expanded


def check_inputs(paths: list[Path], what: str = "", *, files_only: bool = False) -> None:
    """ZwgkError (``input-missing``) naming every path given that does not exist (or, with
    ``files_only``, is a folder); a pattern (``*.xlsx``) counts as the files it matches."""
    paths = expand_patterns(paths)
    folders = [str(p) for p in paths if files_only and p.is_dir()]
    if folders:
        raise ZwgkError.of("input-missing", "folder", what=what, paths="、".join(folders))
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ZwgkError.of("input-missing", what=what, paths="、".join(missing))
