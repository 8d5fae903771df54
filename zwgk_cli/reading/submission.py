"""A unit's .zip, as the mail attachment arrives: its workbook and its 印证材料, one submission.

Read in a worker like any returned file (:mod:`.isolation`), and nothing is extracted: the
workbooks inside are read from memory through the front door (:func:`.inputs.read_data`), each
named ``县公安局.zip/评分表.xlsx``; the other files are listed with their sizes, and those a
workbook lists as 印证材料 are hashed as they are inflated, a chunk at a time. So no member name
can point anywhere, and no member can fill a disk.

A zip is untrusted input: a member named with ``..``, an absolute path or a drive letter (by
any name it goes by: its header's, or a Unicode Path field's), a symbolic link, two members of
one name, an encrypted member, more members or more bytes than any unit sends, or a compression
ratio no real file has, refuses the whole submission — with a message naming the member and
saying what to send instead — and costs only this one; so does a .zip cut short whose last bytes
are a stored member's own end record. A member is read as a correct unzip gives it: one that
inflates to more or fewer bytes than its directory declares is damaged. Names a Windows zip tool
wrote in GBK (without the UTF-8 flag) are decoded as such, even when their bytes are valid UTF-8
too. A zip inside is a file like any other: never opened.

>>> member_name(zipfile.ZipInfo("材料\\会议纪要.pdf".encode("gbk").decode("cp437")))
'材料/会议纪要.pdf'
"""

from __future__ import annotations

import copy
import hashlib
import io
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .. import constants as C
from ..cells import printable
from ..model import RuleBook, RuleSet, WorkbookRead
from ..problems import Problem
from .containers import DAMAGE
from .evidence import FILE, FileIndex, listed_items
from .inputs import read_data

MAX_MEMBERS = 5_000  # a unit's evidence: tens of files, a few hundred at most
MAX_TOTAL = 2 * 1024 ** 3  # bytes all members unpack to
MAX_WORKBOOK = 64 * 1024 ** 2  # a findings workbook is well under 1 MB
MAX_RATIO = 200  # documents and images compress to at most ~20×; bombs to thousands
_CHUNK = _MIB = 1 << 20
_UTF8 = 0x800  # the name is UTF-8 (general purpose flag bit 11)
_LOCAL, _END, _END64, _LOCATOR = b"PK\x03\x04", b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07"
_END_SIZE, _END64_SIZE, _LOCATOR_SIZE = 22, 56, 20
# What zip tools add beside the files: never evidence, never said.
_SYSTEM = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)


@dataclass(slots=True)
class SubmissionFile:
    """A file of a submission that is not read as a workbook: its path inside (``/`` between
    folders), size, and sha256 when some workbook lists it ("" otherwise; ``damaged`` when its
    bytes did not inflate as the zip says)."""

    path: str
    size: int
    sha256: str = ""
    damaged: bool = False


@dataclass(slots=True)
class Submission:
    """What one .zip gave: the reads of the workbooks in it, its other files, and the problems
    that refused it whole (then ``reads`` is empty); ``empty`` when it holds no workbook."""

    file: str
    sha256: str
    reads: list[WorkbookRead] = field(default_factory=list)
    files: list[SubmissionFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    empty: Problem | None = None  # no workbook inside: not a submission, a file (why, said)
    sizes: dict[str, int] = field(default_factory=dict)  # bytes of each member read as a workbook, by path


class _Refused(Exception):
    """The submission is refused whole: its problem's code, variant and values."""

    def __init__(self, code: str, variant: str, values: dict):
        super().__init__(code)
        self.code, self.variant, self.values = code, variant, values


def _refuse(code: str, variant: str = "", **values: object) -> _Refused:
    return _Refused(code, variant, values)


def read_submission(path: Path, rules: RuleSet | RuleBook, *, label: str, debug: bool = False) -> Submission:
    """Read a unit's .zip (see the module); never raises for a bad file."""
    try:
        digest = _file_sha256(path)
    except OSError as exc:
        return Submission(label, "", problems=[Problem.of("file-unreadable", file=label, why=exc.strerror)])
    found = Submission(label, digest)
    try:
        with open(path, "rb") as stream:
            _check_end(stream)
            with zipfile.ZipFile(stream) as archive:
                members = _checked_members(archive)
                if _is_workbook_package(members):  # an .xlsx renamed .zip: the workbook itself
                    found.reads.append(_package_read(stream, rules, label, digest, debug))
                    return found
                _read_members(archive, members, rules, found, debug)
    except _Refused as refused:
        found.reads, found.files = [], []
        found.problems.append(Problem.of(refused.code, refused.variant, file=label, **refused.values))
    except DAMAGE:
        found.reads, found.files = [], []
        found.problems.append(Problem.of("submission-corrupt", file=label))
    return found


def member_bytes(path: Path, name: str) -> bytes:
    """The bytes of the workbook ``name`` (as decoded) in the .zip at ``path``; KeyError when it is
    not there, ValueError when it is larger than any workbook, a zip error when it is damaged."""
    with zipfile.ZipFile(path) as archive:
        info = next((i for i in archive.infolist() if member_name(i) == name), None)
        if info is None:
            raise KeyError(name)
        if info.file_size > MAX_WORKBOOK:
            raise ValueError(name)
        return b"".join(_member_chunks(archive, info))


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _check_end(stream: BinaryIO) -> None:
    """The end record zipfile takes (the last in the file's last 64 KiB) must be this file's own:
    at its very end, after a central directory that ends where it begins. A .zip cut short
    after a member stored uncompressed that is a zip itself (a workbook, a nested .zip) ends
    with that member's end record, with the bytes before the member taken for a prefix and
    those after it ignored; read so, the cut file would be that member. BadZipFile then."""
    size = stream.seek(0, io.SEEK_END)
    if size < _END_SIZE:
        return  # no end record at all: zipfile says so
    start = max(0, size - _END_SIZE - 0xFFFF)  # the longest comment
    stream.seek(start)
    tail = stream.read()
    at = len(tail) - _END_SIZE  # where zipfile looks first: a record without a comment, last
    if not (tail.startswith(_END, at) and tail.endswith(b"\0\0")):
        at = tail.rfind(_END)
    if at < 0 or at + _END_SIZE > len(tail):
        return  # not a zip: zipfile says so
    directory_size, directory_at, comment = struct.unpack_from("<IIH", tail, at + 12)
    if at + _END_SIZE + comment != len(tail):
        raise zipfile.BadZipFile("bytes after the end record")
    end = start + at  # where the central directory ends
    if end >= _LOCATOR_SIZE + _END64_SIZE:
        stream.seek(end - _LOCATOR_SIZE)
        if stream.read(4) == _LOCATOR:  # ZIP64: the sizes in its own end record, before the locator
            stream.seek(end - _LOCATOR_SIZE - _END64_SIZE)
            record = stream.read(_END64_SIZE)
            if record.startswith(_END64):
                directory_size, directory_at = struct.unpack_from("<QQ", record, 40)
                end -= _LOCATOR_SIZE + _END64_SIZE
    prefix = end - directory_size - directory_at  # bytes before the first member (zipfile's "concat")
    if prefix < 0:
        raise zipfile.BadZipFile("central directory past its end record")
    if prefix:  # bytes before the first member: a self-extracting archive's stub may be, a zip's member not
        stream.seek(0)
        if stream.read(4) == _LOCAL:
            raise zipfile.BadZipFile("the end record is a member's own")


def _checked_members(archive: zipfile.ZipFile) -> list[tuple[str, zipfile.ZipInfo]]:
    """The members that are files, with their decoded names; refused when anything is unsafe."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse("submission-unsafe", "members", count=len(infos), most=MAX_MEMBERS)
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL:
        largest = max(infos, key=lambda i: i.file_size)
        raise _refuse("submission-unsafe", "size", megabytes=total // _MIB, most=MAX_TOTAL // _MIB,
                      member=member_name(largest), largest=largest.file_size // _MIB)
    for info in infos:
        if info.file_size > _CHUNK and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise _refuse("submission-unsafe", "ratio", member=member_name(info), megabytes=info.file_size // _MIB,
                          ratio=f"{info.file_size // max(1, info.compress_size):,}", most=MAX_RATIO)
    members, seen = [], {}
    for info in infos:
        name = _checked_name(info)
        if info.is_dir() or _SYSTEM.search(name):
            continue
        if info.flag_bits & 0x41:  # 0x01 encrypted, 0x40 strong encryption
            raise _refuse("submission-encrypted", member=name)
        key = name.casefold()
        if key in seen:
            raise _refuse("submission-unsafe", "duplicate", member=name, other=seen[key])
        seen[key] = name
        members.append((name, info))
    return members


def _checked_name(info: zipfile.ZipInfo) -> str:
    """The member's name (:func:`member_name`), once every name it goes by is safe: the one we
    show (from a Unicode Path field, when there is one), the header's own (what unzip and
    Explorer extract to), and the header's bytes with every \\ byte taken for a separator (the
    second byte of a GBK character may be one)."""
    raw, header = _header_name(info)
    shown = _unicode_path(info.extra, raw) or header
    for name in (shown, header, raw.decode("cp437") if raw and not info.flag_bits & _UTF8 else ""):
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            said = shown if name == shown else header
            raise _refuse("submission-unsafe", "path", member=printable(said.replace("\\", "/")))
    name = printable(shown.replace("\\", "/"))
    if stat.S_ISLNK(info.external_attr >> 16):
        raise _refuse("submission-unsafe", "link", member=name)
    return name


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its maker meant it: UTF-8 when flagged, or the name in an Info-ZIP
    Unicode Path field that belongs to the header's name (its CRC-32 theirs), else the bytes as
    written by most Windows zip tools in China, GBK, unless they read as a UTF-8 file name (Linux
    and macOS tools write UTF-8 without the flag); ``/`` between folders."""
    raw, header = _header_name(info)
    return printable((_unicode_path(info.extra, raw) or header).replace("\\", "/"))  # an ESC is shown, not obeyed


def _header_name(info: zipfile.ZipInfo) -> tuple[bytes, str]:
    """The header's name: its bytes as written, and decoded (cut at a NUL, as zipfile and unzip
    cut it). From ``orig_filename``: zipfile on Windows replaces each \\ (os.sep) of ``filename``
    by /, a byte of the GBK 誠 (D5 5C) too."""
    utf8 = bool(info.flag_bits & _UTF8)
    try:
        raw = info.orig_filename.encode("utf-8" if utf8 else "cp437")
    except UnicodeEncodeError:  # a ZipInfo made by hand: its name is text already
        return b"", info.orig_filename.split("\0", 1)[0]
    return raw, (info.orig_filename if utf8 else _decoded(raw)).split("\0", 1)[0]


def _decoded(raw: bytes) -> str:
    """A name written without the UTF-8 flag: UTF-8 when it reads as a file name in UTF-8 (a GBK
    name may be valid UTF-8 too: 通知 is D6AA CDA8, ֪ͨ in UTF-8), else GB18030 (GBK), else as
    zipfile reads it (cp437)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if text and _a_file_name(text):
        return text
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return text or raw.decode("cp437")


# What names in UTF-8 hold beyond ASCII: CJK ideographs, punctuation and forms, common signs.
_NAME_RANGES = (
    (0x2000, 0x206F),  # general punctuation: — ‘’ “” … ‰ ※
    (0x2100, 0x21FF),  # letterlike signs, number forms, arrows: ℃ № Ⅰ Ⅱ →
    (0x2460, 0x27BF),  # enclosed numbers, shapes, signs, dingbats: ① ⑴ ■ ○ ★ ☆ ✓
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3000, 0x33FF),  # CJK punctuation (、。《》【】〔〕), kana, bopomofo, strokes, ㈠ ㎡
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),  # CJK ideographs
    (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),  # CJK compatibility and fullwidth forms: （）：，
    (0x1F300, 0x1FAFF),  # emoji
    (0x20000, 0x3134F),  # CJK ideographs, extensions B to G
)
# Two-byte UTF-8 signs, a file name's only beside a character of those ranges: two-byte UTF-8
# alone is what GBK names look like (路 is C2 B7, · in UTF-8).
_SIGNS = frozenset("·×÷°±§©®¥")


def _a_file_name(text: str) -> bool:
    wide = False
    for char in text:
        code = ord(char)
        if code < 0x80 or char in _SIGNS:
            continue
        if not any(low <= code <= high for low, high in _NAME_RANGES):
            return False
        wide = True
    return wide


def _unicode_path(extra: bytes, raw: bytes) -> str:
    """The name in an Info-ZIP Unicode Path extra field (0x7075) whose CRC-32 is that of the
    header's name ``raw``; "" when there is none (a field left from before a rename is ignored,
    APPNOTE 4.6.9)."""
    at = 0
    while at + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, at)
        body = extra[at + 4:at + 4 + size]
        if kind == 0x7075 and len(body) > 5 and body[0] == 1:
            if struct.unpack_from("<I", body, 1)[0] != zlib.crc32(raw):
                return ""
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return ""
        at += 4 + size
    return ""


def _is_workbook_package(members: list[tuple[str, zipfile.ZipInfo]]) -> bool:
    names = {name for name, _ in members}
    return "[Content_Types].xml" in names and ("xl/workbook.xml" in names or "xl/workbook.bin" in names)


def is_workbook_name(name: str) -> bool:
    """A member read as a workbook: a spreadsheet's suffix, not an Office lock file or hidden."""
    base = posixpath.basename(name)
    return posixpath.splitext(base)[1].lower() in C.SPREADSHEET_SUFFIXES and not base.startswith(("~$", "."))


def _read_members(archive: zipfile.ZipFile, members, rules, found: Submission, debug: bool) -> None:
    """Read the workbooks inside, list the other files, hash those the workbooks list."""
    books = [(name, info) for name, info in members if is_workbook_name(name)]
    if not books:  # no submission: a file like any other (a unit's evidence sent apart, perhaps)
        archives = [name for name, _ in members if name.lower().endswith((*C.ARCHIVE_SUFFIXES, *C.OTHER_ARCHIVES))]
        found.empty = Problem.of("submission-empty", "nested" if archives else "", file=found.file,
                                 inner="、".join(archives[:3]))
        return
    for name, info in books:
        label = f"{found.file}/{name}"
        if info.file_size > MAX_WORKBOOK:
            found.reads.append(WorkbookRead(label, "", None, [Problem.of(
                "file-bomb", "size", file=label, megabytes=info.file_size // _MIB)], submission=found.file))
            continue
        try:
            data = b"".join(_member_chunks(archive, info))
        except DAMAGE:
            found.reads.append(WorkbookRead(label, "", None, [Problem.of("file-corrupt", "inflate", file=label)],
                                            submission=found.file))
            continue
        read = read_data(data, rules, label=label, debug=debug)
        read.submission = found.file
        found.reads.append(read)
        found.sizes[name] = len(data)
    found.files = [SubmissionFile(name, info.file_size) for name, info in members if not is_workbook_name(name)]
    _hash_listed(archive, dict(members), found)


def listed_names(reads: list[WorkbookRead]) -> list[str]:
    """Every file name the reads list as 印证材料 (findings and matrix or review rows)."""
    names: dict[str, None] = {}
    for read in reads:
        names.update((text, None) for text, kind in listed_items(read).items() if kind == FILE)
    return list(names)


def _hash_listed(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], found: Submission) -> None:
    index = FileIndex([f.path for f in found.files])
    wanted = {path for name in listed_names(found.reads) for path in index.find(name)}
    for file in found.files:
        if file.path in wanted:
            try:
                file.sha256 = _member_sha256(archive, infos[file.path])
            except DAMAGE:
                file.damaged = True


def _member_sha256(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    digest = hashlib.sha256()
    for chunk in _member_chunks(archive, info):
        digest.update(chunk)
    return digest.hexdigest()


def _member_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes as they inflate, a chunk at a time, as a correct unzip gives them; a
    zip error when its data does not inflate to exactly the size the directory declares. zipfile
    alone stops at the declared size (hashing the first 1,000 bytes of a stream that goes on to
    64 MiB, when the CRC is theirs) and takes a stream that ends short when the CRC matches: so
    it is asked for one byte more, its own CRC check and end of stream the rest."""
    probe = copy.copy(info)
    probe.file_size = info.file_size + 1
    total = 0
    with archive.open(probe) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > info.file_size:
                raise zipfile.BadZipFile(f"{info.orig_filename!r} inflates past its declared size")
            yield chunk
    if total != info.file_size:
        raise zipfile.BadZipFile(f"{info.orig_filename!r} inflates to {total} bytes, not {info.file_size}")


def _package_read(stream: BinaryIO, rules, label: str, digest: str, debug: bool) -> WorkbookRead:
    """A workbook package named .zip, read as the workbook it is: at most MAX_WORKBOOK."""
    size = stream.seek(0, io.SEEK_END)
    if size > MAX_WORKBOOK:
        return WorkbookRead(label, digest, None, [Problem.of("file-bomb", "size", file=label, megabytes=size // _MIB)])
    stream.seek(0)
    return read_data(stream.read(), rules, label=label, debug=debug)
