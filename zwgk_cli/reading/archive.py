"""Checking a season's archive (``zwgk archive verify``): every file its manifest (归档清单.csv)
lists is there, with the size and sha256 written down; nothing is there that the manifest does not
list. The archive is read as untrusted: members are hashed as they inflate, never extracted, and
never more than the size the zip declares.

The manifest guards against damage and against a file swapped by mistake, not against someone who
rewrites the manifest too: for that the archive's own sha256 must be kept elsewhere (the office's
filing record).
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import ZwgkError
from .containers import DAMAGE
from .submission import member_name

MANIFEST_CSV, MANIFEST_XLSX = "归档清单.csv", "归档清单.xlsx"
MAX_MANIFEST = 64 * 1024 * 1024
_CHUNK = 1 << 20


@dataclass(slots=True)
class Verification:
    """What checking an archive found: the files checked, and each difference (path, what)."""

    file: str
    checked: int = 0
    differences: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences

    def to_dict(self) -> dict:
        return {"file": self.file, "checked": self.checked, "ok": self.ok,
                "differences": [{"path": path, "problem": what} for path, what in self.differences]}


def verify_archive(path: Path) -> Verification:
    """Check the archive at ``path`` (see the module); ZwgkError ``archive-invalid`` when it is not
    such an archive (not a zip, or no manifest)."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ZwgkError.of("archive-invalid", "missing", path=path) from None
    except (IsADirectoryError, PermissionError):
        raise ZwgkError.of("archive-invalid", "unreadable", path=path) from None
    except DAMAGE:
        raise ZwgkError.of("archive-invalid", path=path) from None
    with archive:
        infos = {member_name(i): i for i in archive.infolist() if not i.is_dir()}
        rows = _manifest(archive, infos, path)
        found = Verification(str(path))
        for name, size, sha256 in rows:
            found.checked += 1
            info = infos.get(name)
            if info is None:
                found.differences.append((name, "归档中缺少该文件"))
                continue
            actual = _sha256(archive, info)
            if actual is None:
                found.differences.append((name, "文件已损坏，无法读取"))
            elif info.file_size != size or actual != sha256:
                found.differences.append((name, f"内容与清单不符（清单 {size} 字节 {sha256[:12]}…，"
                                                f"实际 {info.file_size} 字节 {actual[:12]}…）"))
        listed = {name for name, _, _ in rows} | {MANIFEST_CSV, MANIFEST_XLSX}
        found.differences += [(name, "清单中没有该文件") for name in infos if name not in listed]
    return found


def _manifest(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], path: Path) -> list[tuple[str, int, str]]:
    """The manifest's rows (path, size, sha256); ZwgkError when there is none or it cannot be read."""
    info = infos.get(MANIFEST_CSV)
    if info is None or info.file_size > MAX_MANIFEST:
        raise ZwgkError.of("archive-invalid", "no-manifest", path=path, manifest=MANIFEST_CSV)
    try:
        text = archive.read(info).decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(text)))
        header, body = table[0], table[1:]
        at = {name: header.index(name) for name in ("路径", "大小（字节）", "sha256")}
        return [(row[at["路径"]], int(row[at["大小（字节）"]]), row[at["sha256"]].lower()) for row in body if row]
    except (*DAMAGE, csv.Error, UnicodeDecodeError) as exc:
        raise ZwgkError.of("archive-invalid", "bad-manifest", path=path, manifest=MANIFEST_CSV) from exc


def _sha256(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    digest = hashlib.sha256()
    try:
        with archive.open(info) as stream:  # CRC and size checked by zipfile at the end
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
    except DAMAGE:
        return None
    return digest.hexdigest()
