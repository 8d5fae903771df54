"""A folder the tool writes a set of files into (the feedback sheets of ``score -o``, the
templates of ``template -o``), left as the latest run describes it.

A unit that fixed its file gets a new 扣分情况反馈单; its 退回修改反馈单 of the run before must not
stay beside it to be mailed by mistake. So each run records, in a manifest in the folder, the
files it wrote and their sha256; the next run removes the files an earlier run wrote that it does
not write again — only those, and only while they are exactly as written. A file the tool did not
write is never touched; one a clerk changed since (整改情况 filled in) is kept and named.

>>> import tempfile; folder = Path(tempfile.mkdtemp())
>>> returned, fixed = folder / "甲_退回修改反馈单.xlsx", folder / "甲_扣分情况反馈单.xlsx"
>>> _ = returned.write_bytes(b"first run"); settle_folder(folder, [returned]).removed
[]
>>> _ = fixed.write_bytes(b"second run"); [p.name for p in settle_folder(folder, [fixed]).removed]
['甲_退回修改反馈单.xlsx']
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem

MANIFEST = ".zwgk-输出清单.json"  # hidden: the reader skips it and a clerk does not mail it
_FORMAT = "zwgk-outputs-1"


@dataclass
class Settled:
    """What a run did to the files earlier runs left in its folder."""

    removed: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # files kept: changed since, or could not be removed


def settle_folder(folder: Path, written: list[Path]) -> Settled:
    """Record ``written`` (this run's files in ``folder``) and remove what earlier runs wrote there
    and this one did not, while unchanged."""
    settled = Settled()
    earlier = _manifest(folder)
    now = {path.name: _digest(path) for path in written if path.parent == folder}
    for name, digest in earlier.items():
        path = folder / name
        if name in now or not path.is_file():
            continue
        if _digest(path) != digest:
            settled.warnings.append(Problem.of("output-stale-kept", file=str(path), path=path))
            continue
        try:
            path.unlink()
        except OSError:  # open in WPS on Windows: said, left
            settled.warnings.append(Problem.of("output-stale-kept", "locked", file=str(path), path=path))
            continue
        settled.removed.append(path)
    _write_manifest(folder, now)
    return settled


def _manifest(folder: Path) -> dict[str, str]:
    """{file name: sha256} of what the last run wrote ({} when there is no usable manifest)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) and data.get("format") == _FORMAT else None
    if not isinstance(files, dict):
        return {}
    return {name: digest for name, digest in files.items()
            if isinstance(name, str) and isinstance(digest, str) and Path(name).name == name}


def _write_manifest(folder: Path, files: dict[str, str]) -> None:
    from .output import atomic_write

    text = json.dumps({"format": _FORMAT, "files": files}, ensure_ascii=False, indent=1, sort_keys=True)
    _hide(atomic_write(folder / MANIFEST, text.encode("utf-8"), force=True))


def _hide(path: Path) -> None:
    """Explorer shows a leading dot: give the manifest the hidden attribute there too."""
    if os.name == "nt":
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)  # FILE_ATTRIBUTE_HIDDEN; a failure is harmless


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
