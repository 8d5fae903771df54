"""Hostile and awkward .zip submissions, built around a real filled findings workbook.

A unit's .zip (zwgk_cli/reading/submission.py) is untrusted input from the mail: names that point
out of any folder (``../x.pdf``, ``..\\x.pdf``, ``/etc/x``, ``C:\\x.pdf``, ``C:x``), symbolic
links, names twice, encrypted members, compression bombs and directories lying about sizes, more
members than any unit sends, archives cut short, bad CRCs, names as Windows zip tools in China
write them (GBK without the UTF-8 flag) or with an Info-ZIP Unicode Path field, a zip inside the
zip, an .xlsx renamed .zip, two versions or two units in one zip, a 台账.xlsx listed as evidence,
names Windows cannot hold, 10,000-character names, ZIP64. Each case of :data:`CASES` is one
such zip: what it holds, and what zwgk must do with it (:class:`Expect`, what a clerk would
check; tested in tests/reading/test_submission_hostile.py).

The zips are written by hand (:func:`write_zip`): every header field is the case's to set, the
names' bytes, the flags, the sizes and CRCs the directories declare, ZIP64 records. Bombs are
built from one deflate block compressed once and repeated (a full flush makes each block stand
alone), so a member that inflates to 128 MiB costs 128 KiB and no memory to make.

    python tests/support/hostile_zips.py OUT_DIR   # every case written to OUT_DIR/in, zwgk rank run
                                                   # over them, each case's problems printed
"""

from __future__ import annotations

import hashlib
import io
import stat
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MiB = 1 << 20
DEFLATED, STORED = zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED
_DOS_DATE = ((2026 - 1980) << 9) | (3 << 5) | 1  # 2026-03-01, 00:00
_UTF8 = 0x800

# What every case's workbook enters, and the files it lists (its own cases list others).
ENTRIES = {"3": 1, "J1": 1}
EVIDENCE = {"1": "会议纪要.pdf", "J1": "材料/获奖证书.pdf"}
PDF = b"%PDF-1.4\n% zwgk hostile-zip evidence\n"


# --- writing a zip by hand --------------------------------------------------------------------


@dataclass
class Member:
    """One member as :func:`write_zip` writes it. ``name``: str is written as UTF-8 (with the
    UTF-8 flag when it is not ASCII), bytes as they are, without the flag. The header fields
    default to what the data gives; ``crc``, ``size`` (the uncompressed size both headers
    declare) and ``compressed`` (the stored bytes) may be given instead, to lie. ``sparse``:
    that many zero bytes stored, written as a hole (a huge member that costs no disk).
    ``truth`` and ``truth_size``: the sha256 and size of what a correct tool extracts (the
    data's, unless given); ``means``: the name a correct tool shows (the name, GBK bytes decoded,
    unless given)."""

    name: str | bytes
    data: bytes = b""
    method: int = DEFLATED
    flags: int = 0
    external_attr: int = 0
    system: int = 0  # "version made by": 0 MS-DOS, 3 Unix
    extra: bytes = b""
    crc: int | None = None
    size: int | None = None
    compressed: bytes | None = None
    sparse: int = 0
    truth: str = ""
    truth_size: int = -1
    means: str = ""

    def raw_name(self) -> bytes:
        return self.name.encode("utf-8") if isinstance(self.name, str) else self.name

    def flag_bits(self) -> int:
        utf8 = isinstance(self.name, str) and not self.name.isascii()
        return self.flags | (_UTF8 if utf8 else 0)

    def stored(self) -> bytes:
        if self.compressed is not None:
            return self.compressed
        return deflate(self.data) if self.method == DEFLATED else self.data

    def true_sha256(self) -> str:
        return self.truth or hashlib.sha256(self.data).hexdigest()

    def true_size(self) -> int:
        return self.truth_size if self.truth_size >= 0 else self.sparse or len(self.data)

    def shown(self) -> str:
        name = self.means or (self.name if isinstance(self.name, str) else self.name.decode("gbk", "replace"))
        return name.replace("\\", "/")


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def write_zip(path: Path, members: list[Member], *, zip64: bool = False, comment: bytes = b"") -> Path:
    """Write ``members`` as a zip at ``path``: local headers and data, the central directory, the
    end record (and with ``zip64`` the ZIP64 end record and locator, every size and offset in
    ZIP64 extra fields), exactly as the members say."""
    path.parent.mkdir(parents=True, exist_ok=True)
    directory = []
    with open(path, "wb") as out:
        for member in members:
            name, flags = member.raw_name(), member.flag_bits()
            if member.sparse:
                raw, method, crc = b"", STORED, member.crc or 0
                size = compressed_size = member.sparse
            else:
                raw, method = member.stored(), member.method
                crc = zlib.crc32(member.data) if member.crc is None else member.crc
                size = len(member.data) if member.size is None else member.size
                compressed_size = len(raw)
            offset = out.tell()
            extra = member.extra
            sizes = (compressed_size, size)
            if zip64:
                extra = struct.pack("<HHQQ", 1, 16, size, compressed_size) + extra
                sizes = (0xFFFFFFFF, 0xFFFFFFFF)
            version = 45 if zip64 else 20
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, version, flags, method, 0, _DOS_DATE, crc, *sizes,
                                  len(name), len(extra)))
            out.write(name + extra)
            if member.sparse:
                out.seek(member.sparse, io.SEEK_CUR)
            else:
                out.write(raw)
            directory.append((member, name, flags, method, crc, compressed_size, size, offset))
        start = out.tell()
        for member, name, flags, method, crc, compressed_size, size, offset in directory:
            extra, fields = member.extra, (compressed_size, size, offset)
            if zip64:
                extra = struct.pack("<HHQQQ", 1, 24, size, compressed_size, offset) + extra
                fields = (0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
            version = 45 if zip64 else 20
            out.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (member.system << 8) | version, version, flags,
                                  method, 0, _DOS_DATE, crc, fields[0], fields[1], len(name), len(extra), 0, 0, 0,
                                  member.external_attr, fields[2]))
            out.write(name + extra)
        end = out.tell()
        count, length = len(directory), end - start
        if zip64:
            out.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, length, start))
            out.write(struct.pack("<IIQI", 0x07064B50, 0, end, 1))
            out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF,
                                  len(comment)))
        else:
            out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, length, start, len(comment)))
        out.write(comment)
    return path


def zeros_deflated(size: int, head: bytes = b"") -> tuple[bytes, int, str]:
    """A deflate stream of ``head`` then zeros, ``size`` bytes in all, made without holding them:
    one MiB compressed once and its block repeated (each ends in a full flush, so stands alone).
    Returns the stream, the CRC-32 and the sha256 of what it inflates to."""
    chunk = bytes(MiB)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first_data = head + chunk[len(head):]
    first = packer.compress(first_data) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    whole, rest = divmod(size, MiB)
    assert whole >= 1, "at least one MiB"
    crc, digest = zlib.crc32(first_data), hashlib.sha256(first_data)
    parts = [first]
    for _ in range(whole - 1):
        parts.append(block)
        crc = zlib.crc32(chunk, crc)
        digest.update(chunk)
    if rest:
        parts.append(packer.compress(chunk[:rest]) + packer.flush(zlib.Z_FULL_FLUSH))
        crc = zlib.crc32(chunk[:rest], crc)
        digest.update(chunk[:rest])
    parts.append(b"\x03\x00")  # a final, empty block with fixed codes
    return b"".join(parts), crc, digest.hexdigest()


def unicode_path(name: str, raw: bytes) -> bytes:
    """An Info-ZIP Unicode Path extra field (0x7075): version 1, the CRC-32 of the header's name
    ``raw``, the name in UTF-8."""
    body = struct.pack("<BI", 1, zlib.crc32(raw)) + name.encode("utf-8")
    return struct.pack("<HH", 0x7075, len(body)) + body


def cut(path: Path, at: int) -> Path:
    """``path`` cut to its first ``at`` bytes (negative: that many bytes off its end)."""
    data = path.read_bytes()
    path.write_bytes(data[:at])
    return path


def gbk(name: str) -> bytes:
    """A name as a Windows zip tool in China writes it: GBK bytes, no UTF-8 flag."""
    return name.encode("gbk")


# --- the cases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """What a clerk would check for one case's zip (``label``: the zip as messages name it).

    - ``refused``: error codes among the problems of the zip or of a file in it, each with a
      message naming the zip (a code may be ``code:text``, the text then in that message);
    - ``warned``: warning or note codes the same way (``evidence-missing:已损坏``);
    - ``scored``: the case's unit ranked, with the total its workbook gets as a loose file;
    - ``found``: members found as 印证材料, each with the sha256 and size a correct unzip gives;
    - ``plain``: not a submission at all, a file like any other (``submission-empty`` said);
    - ``listed``: members the unit lists that are damaged or ambiguous: never called unlisted
      (a clerk told "没有条款把该文件列为印证材料" about a file a clause lists is misled).
    """

    refused: tuple[str, ...] = ()
    warned: tuple[str, ...] = ()
    scored: bool = False
    found: tuple[str, ...] = ()
    plain: bool = False
    listed: tuple[str, ...] = ()


@dataclass
class Kit:
    """What a case is built from: its unit's filled workbook (``book``), and others made on
    demand (``workbook``): another unit's, or this unit's with other entries."""

    unit: str
    book: bytes
    workbook: Callable[..., bytes]


@dataclass
class Case:
    """One hostile zip: how it is built (``build(kit, path)`` writes it and returns its
    members, for the truth of what is in it), what its workbook lists as 印证材料 (``evidence``,
    default :data:`EVIDENCE`), and what zwgk must do (``expect``)."""

    what: str
    build: Callable[[Kit, Path], list[Member]]
    expect: Expect
    evidence: dict[str, str] | None = None
    slow: bool = False


def _usual(kit: Kit, book_name: str | bytes | None = None) -> list[Member]:
    """The members of a good submission: the workbook and the two files it lists, one more."""
    return [Member(book_name or f"{kit.unit}.xlsx", kit.book), Member("会议纪要.pdf", PDF + b"minutes"),
            Member("材料/获奖证书.pdf", PDF + b"award"), Member("材料/照片.jpg", b"\xff\xd8\xff\xe0 photo")]


def _with(extra: Callable[[Kit], list[Member]]) -> Callable[[Kit, Path], list[Member]]:
    """A good submission with ``extra(kit)`` members added at the end."""
    def build(kit: Kit, path: Path) -> list[Member]:
        members = _usual(kit) + extra(kit)
        write_zip(path, members)
        return members
    return build


def _members(make: Callable[[Kit], list[Member]], **options) -> Callable[[Kit, Path], list[Member]]:
    def build(kit: Kit, path: Path) -> list[Member]:
        members = make(kit)
        write_zip(path, members, **options)
        return members
    return build


def _replaced(name: str, change: Callable[[Member], Member]) -> Callable[[Kit, Path], list[Member]]:
    """A good submission with the member ``name`` (or the workbook, for ``"*.xlsx"``) changed."""
    def build(kit: Kit, path: Path) -> list[Member]:
        members = [change(m) if (m.name == name or (name == "*.xlsx" and str(m.name).endswith(".xlsx"))) else m
                   for m in _usual(kit)]
        write_zip(path, members)
        return members
    return build


def _flagged(bits: int) -> Callable[[Member], Member]:
    def change(member: Member) -> Member:
        member.flags |= bits
        return member
    return change


def _bad_crc(member: Member) -> Member:
    member.crc = zlib.crc32(member.data) ^ 0x5A5A5A5A
    return member


def _symlink(member: Member) -> Member:
    member.data, member.system = b"/etc/passwd", 3
    member.external_attr = (stat.S_IFLNK | 0o777) << 16
    return member


def _bomb(kit: Kit) -> list[Member]:
    stream, crc, digest = zeros_deflated(128 * MiB)
    return [Member("录像.mp4", compressed=stream, crc=crc, size=128 * MiB, truth=digest, truth_size=128 * MiB)]


def _inflates_more(crc_of: str) -> Callable[[Member], Member]:
    """The member's directory entries say 1,000 bytes; its data inflates to 64 MiB (its head the
    member's own bytes). ``crc_of`` "all": the CRC of what it inflates to; "declared": of the
    1,000 bytes declared (a lie that holds together)."""
    def change(member: Member) -> Member:
        stream, crc, digest = zeros_deflated(64 * MiB, head=member.data)
        declared = (member.data + bytes(1000))[:1000]
        member.compressed, member.size, member.truth, member.truth_size = stream, 1000, digest, 64 * MiB
        member.crc = crc if crc_of == "all" else zlib.crc32(declared)
        return member
    return change


def _inflates_less(member: Member) -> Member:
    """The directory entries say 50,000 bytes; the data inflates to the member's few bytes (the
    CRC theirs): under the ratio and size limits, and short."""
    member.size = 50_000
    return member


def _declared(size: int) -> Callable[[Member], Member]:
    def change(member: Member) -> Member:
        member.size = size
        return member
    return change


def _declared_huge(member: Member) -> Member:
    member.size = 300 * MiB  # the data is a few bytes: a ratio no file has
    return member


def _many(count: int) -> Callable[[Kit], list[Member]]:
    def extra(kit: Kit) -> list[Member]:
        return [Member(f"附件/{i:05d}.txt", b"x", method=STORED) for i in range(count - 4)]
    return extra


def _truncated(where: str) -> Callable[[Kit, Path], list[Member]]:
    """A good submission cut short: at half its bytes, 10 bytes off its end record, or inside
    its central directory."""
    def build(kit: Kit, path: Path) -> list[Member]:
        members = _usual(kit)
        write_zip(path, members)
        size = path.stat().st_size
        at = {"half": size // 2, "end": size - 10, "directory": size - 22 - 60}[where]
        cut(path, at)
        return members
    return build


def _truncated_after_stored(inner: str) -> Callable[[Kit, Path], list[Member]]:
    """A submission cut right after a member stored uncompressed (as Bandizip and WinRAR store
    what is compressed already) that is a zip itself: the workbook (``"book"``) or a nested
    .zip holding another unit's workbook (``"zip"``). The bytes left end with that member's own
    end record, 200 bytes of the outer zip's next member after it."""
    def build(kit: Kit, path: Path) -> list[Member]:
        if inner == "book":
            first = Member(f"{kit.unit}.xlsx", kit.book, method=STORED)
            members = [Member("会议纪要.pdf", PDF + b"minutes"), first, Member("材料/获奖证书.pdf", PDF * 200)]
        else:
            nested = io.BytesIO()
            with zipfile.ZipFile(nested, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("县旧单位局.xlsx", kit.workbook(unit="县旧单位局"))
            first = Member("备份/旧版.zip", nested.getvalue(), method=STORED)
            members = [Member(f"{kit.unit}.xlsx", kit.book), Member("会议纪要.pdf", PDF + b"minutes"), first,
                       Member("材料/获奖证书.pdf", PDF * 200)]
        write_zip(path, members)
        data = path.read_bytes()
        end = data.index(first.data) + len(first.data)
        path.write_bytes(data[:end + 200])
        return members
    return build


def _gbk_names(kit: Kit) -> list[Member]:
    return [Member(gbk(f"{kit.unit}.xlsx"), kit.book), Member(gbk("会议纪要.pdf"), PDF + b"minutes"),
            Member(gbk("材料\\获奖证书.pdf"), PDF + b"award")]


def _gbk_like_utf8(kit: Kit) -> list[Member]:
    # 通知 and 图片 in GBK are D6AA CDA8 and CDBC C6AC: valid UTF-8 too (֪ͨ, ͼƬ)
    return [Member(gbk(f"{kit.unit}.xlsx"), kit.book), Member(gbk("通知.pdf"), PDF + b"notice"),
            Member(gbk("图片\\现场.jpg"), b"\xff\xd8\xff\xe0 site")]


def _unicode_paths(kit: Kit) -> list[Member]:
    members = []
    for name, data in [(f"{kit.unit}.xlsx", kit.book), ("会议纪要.pdf", PDF + b"minutes"),
                       ("材料/获奖证书.pdf", PDF + b"award")]:
        raw = name.encode("ascii", "replace")  # what a tool without Unicode writes in the header: ????.pdf
        members.append(Member(raw, data, extra=unicode_path(name, raw), means=name))
    return members


def _unicode_path_stale(kit: Kit) -> list[Member]:
    """The field's CRC is of another name: the member was renamed (to 会议纪要（终稿）.pdf, in the
    header) by a tool that left the field alone. APPNOTE 4.6.9: the field is then ignored."""
    old = gbk("会议纪要（初稿）.pdf")
    field_ = unicode_path("会议纪要（初稿）.pdf", old)
    return [Member(f"{kit.unit}.xlsx", kit.book),
            Member(gbk("会议纪要（终稿）.pdf"), PDF + b"final", extra=field_, means="会议纪要（终稿）.pdf"),
            Member("材料/获奖证书.pdf", PDF + b"award")]


def _hidden_slip(kit: Kit) -> list[Member]:
    """The header's name climbs out (``../会议纪要.pdf``: what unzip, Python's zipfile and Explorer
    use); a Unicode Path field says ``会议纪要.pdf``."""
    raw = b"../" + gbk("会议纪要.pdf")
    return [Member(f"{kit.unit}.xlsx", kit.book),
            Member(raw, PDF + b"minutes", extra=unicode_path("会议纪要.pdf", raw)),
            Member("材料/获奖证书.pdf", PDF + b"award")]


def _nested(kit: Kit) -> list[Member]:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in _usual(kit):
            archive.writestr(member.name, member.data)
    return [Member(f"{kit.unit}.zip", inner.getvalue())]


def _renamed_xlsx(kit: Kit, path: Path) -> list[Member]:
    path.write_bytes(kit.book)
    return []


def _two_versions(kit: Kit) -> list[Member]:
    return _usual(kit) + [Member(f"{kit.unit}（修改）.xlsx", kit.workbook(entries={"3": 2, "J1": 1}))]


def _two_units(kit: Kit) -> list[Member]:
    return _usual(kit) + [Member("县另一单位局.xlsx", kit.workbook(unit="县另一单位局"))]


def _ledger(kit: Kit) -> list[Member]:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "台账"
    book.active.append(["日期", "事项"])
    book.active.append(["2026-01-05", "主动公开 3 条"])
    data = io.BytesIO()
    book.save(data)
    return _usual(kit) + [Member("台账.xlsx", data.getvalue())]


ILLEGAL = ["会议:纪要.pdf", "问卷?.pdf", "a|b<c>.pdf", '说"明".pdf']


def _illegal(kit: Kit) -> list[Member]:
    return [Member(name, PDF + name.encode()) for name in ILLEGAL]


CONTROL = "会议\x1b[2J\x1b]0;zwgk\x07纪要\r.pdf"


def _control(kit: Kit) -> list[Member]:
    return [Member(CONTROL, PDF + b"control"), Member("备注\x1b[31m红字.txt", b"x")]


def _empty(kit: Kit, path: Path) -> list[Member]:
    write_zip(path, [])
    return []


def _zero_bytes(kit: Kit, path: Path) -> list[Member]:
    path.write_bytes(b"")
    return []


def _system_only(kit: Kit) -> list[Member]:
    return [Member("__MACOSX/", b""), Member("__MACOSX/._会议纪要.pdf", b"\x00\x05\x16\x07"),
            Member("Thumbs.db", b"\xd0\xcf\x11\xe0"), Member("材料/Thumbs.db", b"\xd0\xcf\x11\xe0"),
            Member(".DS_Store", b"\x00\x00\x00\x01Bud1")]


TINY = 2_900  # 11 characters a name with its 、: 31,899 in the cell, under Excel's 32,767


def _tiny_names() -> list[str]:
    return [f"附件{i:04d}.pdf" for i in range(TINY)]


def _tiny(kit: Kit) -> list[Member]:
    return [Member(f"{kit.unit}.xlsx", kit.book)] + [Member(name, b"%PDF " + name.encode()) for name in _tiny_names()]


def _ambiguous(kit: Kit) -> list[Member]:
    return [Member(f"{kit.unit}.xlsx", kit.book), Member("材料/会议纪要.pdf", PDF + b"minutes"),
            Member("旧材料/会议纪要.pdf", PDF + b"old minutes"), Member("材料/获奖证书.pdf", PDF + b"award")]


LONG_NAME = "长" * 9_996 + ".pdf"  # 10,000 characters, 29,992 bytes in UTF-8


def _long_name(kit: Kit) -> list[Member]:
    return [Member(LONG_NAME, PDF + b"long")]


def _long_names(kit: Kit) -> list[Member]:
    return [Member(f"{i}" + "长" * 9_995 + ".pdf", PDF + b"long") for i in range(4)]


def _zip64(kit: Kit) -> list[Member]:
    return _usual(kit)


def _huge_package(kit: Kit, path: Path) -> list[Member]:
    """A zip with the parts of a workbook package (so a workbook, an .xlsx renamed .zip) and a
    member of 1.1 GiB stored: more than a worker may hold, were it read whole."""
    with zipfile.ZipFile(io.BytesIO(kit.book)) as book:
        parts = [Member(info.filename, book.read(info)) for info in book.infolist()]
    members = [*parts, Member("xl/media/image1.png", sparse=1100 * MiB)]
    write_zip(path, members)
    return members


def _small_bombs(kit: Kit) -> list[Member]:
    """1,900 members of 1 MiB of zeros each (1 KiB stored, a ratio of 1,000: members of 1 MiB
    and less are not held to the ratio), all listed: 1.9 GB to inflate and hash."""
    stream, crc, digest = zeros_deflated(MiB)
    return [Member(f"{kit.unit}.xlsx", kit.book)] + [
        Member(f"b{i:04d}.bin", compressed=stream, crc=crc, size=MiB, truth=digest, truth_size=MiB)
        for i in range(SMALL_BOMBS)]


SMALL_BOMBS = 1_900

CASES: dict[str, Case] = {
    # names that point out of any folder: the whole zip refused
    "slip-dotdot": Case("../x.pdf", _with(lambda k: [Member("../x.pdf", PDF)]),
                        Expect(refused=("submission-unsafe:../x.pdf",))),
    "slip-backslash": Case("..\\x.pdf", _with(lambda k: [Member("..\\x.pdf", PDF)]),
                           Expect(refused=("submission-unsafe:x.pdf",))),
    "slip-absolute": Case("/etc/zwgk-hostile-x", _with(lambda k: [Member("/etc/zwgk-hostile-x", PDF)]),
                          Expect(refused=("submission-unsafe:/etc/zwgk-hostile-x",))),
    "slip-drive": Case("C:\\x.pdf", _with(lambda k: [Member("C:\\x.pdf", PDF)]),
                       Expect(refused=("submission-unsafe:x.pdf",))),
    "slip-drive-relative": Case("C:x", _with(lambda k: [Member("C:x", PDF)]),
                                Expect(refused=("submission-unsafe:C:x",))),
    "slip-unc": Case("\\\\server\\share\\x.pdf", _with(lambda k: [Member("\\\\server\\share\\x.pdf", PDF)]),
                     Expect(refused=("submission-unsafe:x.pdf",))),
    "slip-in-unicode-path": Case(
        "header name x.pdf, Unicode Path field ../x.pdf",
        _with(lambda k: [Member(b"x.pdf", PDF, extra=unicode_path("../x.pdf", b"x.pdf"))]),
        Expect(refused=("submission-unsafe:../x.pdf",))),
    "slip-behind-unicode-path": Case(
        "header name ../会议纪要.pdf (GBK), Unicode Path field 会议纪要.pdf", _members(_hidden_slip),
        Expect(refused=("submission-unsafe:会议纪要.pdf",))),
    # links, names twice, encryption
    "symlink": Case("会议纪要.pdf a symbolic link to /etc/passwd", _replaced("会议纪要.pdf", _symlink),
                    Expect(refused=("submission-unsafe:会议纪要.pdf",))),
    "duplicate-case": Case("会议纪要.pdf and 会议纪要.PDF", _with(lambda k: [Member("会议纪要.PDF", PDF + b"other")]),
                           Expect(refused=("submission-unsafe:会议纪要",))),
    "duplicate-separator": Case("材料/获奖证书.pdf and 材料\\获奖证书.pdf",
                                _with(lambda k: [Member("材料\\获奖证书.pdf", PDF + b"other")]),
                                Expect(refused=("submission-unsafe:获奖证书.pdf",))),
    "duplicate-workbook": Case("the workbook's name twice, two versions",
                               _with(lambda k: [Member(f"{k.unit}.xlsx", k.workbook(entries={"3": 2}))]),
                               Expect(refused=("submission-unsafe:.xlsx",))),
    "encrypted-workbook": Case("the workbook member flagged encrypted", _replaced("*.xlsx", _flagged(0x1)),
                               Expect(refused=("submission-encrypted:.xlsx",))),
    "encrypted-evidence": Case("a listed member flagged encrypted", _replaced("会议纪要.pdf", _flagged(0x1)),
                               Expect(refused=("submission-encrypted:会议纪要.pdf",))),
    "encrypted-strong": Case("a listed member flagged strongly encrypted (0x40 only)",
                             _replaced("材料/获奖证书.pdf", _flagged(0x40)),
                             Expect(refused=("submission-encrypted:获奖证书.pdf",))),
    # bombs and sizes that lie
    "bomb-ratio": Case("录像.mp4: 128 MiB of zeros in 128 KiB", _with(_bomb),
                       Expect(refused=("submission-unsafe:MB",))),
    "size-lie-small": Case("会议纪要.pdf declared 1,000 bytes, inflates to 64 MiB (CRC of the 64 MiB)",
                           _replaced("会议纪要.pdf", _inflates_more("all")),
                           Expect(scored=True, warned=("evidence-missing:会议纪要.pdf",), listed=("会议纪要.pdf",))),
    "size-lie-small-consistent": Case(
        "会议纪要.pdf declared 1,000 bytes with their CRC, inflates to 64 MiB",
        _replaced("会议纪要.pdf", _inflates_more("declared")),
        Expect(scored=True, warned=("evidence-missing:会议纪要.pdf",))),
    "size-lie-small-workbook": Case("the workbook declared 1,000 bytes (its CRC that of the whole)",
                                    _replaced("*.xlsx", _declared(1000)),
                                    Expect(refused=("file-corrupt:.xlsx",))),
    "size-lie-large": Case("会议纪要.pdf declared 300 MiB, a few bytes of data",
                           _replaced("会议纪要.pdf", _declared_huge),
                           Expect(refused=("submission-unsafe",))),
    "size-lie-large-short": Case(
        "会议纪要.pdf declared 50,000 bytes, inflates to 51 (their CRC)", _replaced("会议纪要.pdf", _inflates_less),
        Expect(scored=True, warned=("evidence-missing:会议纪要.pdf",))),
    "members-over-limit": Case("5,001 members", _with(_many(5_001)),
                               Expect(refused=("submission-unsafe:5001",))),
    "members-at-limit": Case("5,000 members (the limit)", _with(_many(5_000)),
                             Expect(scored=True, found=("会议纪要.pdf", "材料/获奖证书.pdf"),
                                    warned=("evidence-unlisted",))),
    # damaged
    "truncated-half": Case("cut at half", _truncated("half"), Expect(refused=("submission-corrupt",))),
    "truncated-end-record": Case("10 bytes off the end record", _truncated("end"),
                                 Expect(refused=("submission-corrupt",))),
    "truncated-directory": Case("cut inside the central directory", _truncated("directory"),
                                Expect(refused=("submission-corrupt",))),
    "truncated-after-stored-workbook": Case(
        "cut 200 bytes after the workbook, stored uncompressed", _truncated_after_stored("book"),
        Expect(refused=("submission-corrupt",))),
    "truncated-after-stored-zip": Case(
        "cut 200 bytes after a nested .zip (another unit's workbook), stored", _truncated_after_stored("zip"),
        Expect(refused=("submission-corrupt",))),
    "bad-crc-workbook": Case("the workbook's CRC wrong", _replaced("*.xlsx", _bad_crc),
                             Expect(refused=("file-corrupt:.xlsx",))),
    "bad-crc-evidence": Case("会议纪要.pdf's CRC wrong", _replaced("会议纪要.pdf", _bad_crc),
                             Expect(scored=True, warned=("evidence-missing:会议纪要.pdf",), listed=("会议纪要.pdf",))),
    # names as they are written
    "gbk-names": Case("GBK names, no UTF-8 flag, 材料\\获奖证书.pdf", _members(_gbk_names),
                      Expect(scored=True, found=("会议纪要.pdf", "材料/获奖证书.pdf"))),
    "gbk-names-valid-utf8": Case(
        "GBK names that are valid UTF-8 too: 通知.pdf, 图片\\现场.jpg", _members(_gbk_like_utf8),
        Expect(scored=True, found=("通知.pdf", "图片/现场.jpg")), evidence={"1": "通知.pdf", "J1": "图片/现场.jpg"}),
    "unicode-path": Case("Info-ZIP Unicode Path fields, ???? in the headers", _members(_unicode_paths),
                         Expect(scored=True, found=("会议纪要.pdf", "材料/获奖证书.pdf"))),
    "unicode-path-stale": Case(
        "a Unicode Path field left from before a rename (its CRC another name's)", _members(_unicode_path_stale),
        Expect(scored=True, found=("会议纪要（终稿）.pdf",)), evidence={"1": "会议纪要（终稿）.pdf"}),
    "illegal-names": Case("members and listed names Windows cannot hold: : ? | < > \"", _with(_illegal),
                          Expect(scored=True, found=tuple(ILLEGAL), warned=("evidence-missing:*",)),
                          evidence={"1": "、".join(ILLEGAL), "J1": "汇报*.pdf"}),
    "control-names": Case("member names holding ESC sequences, BEL and CR (a cell cannot list them)",
                          _with(_control), Expect(scored=True, warned=("evidence-unlisted",))),
    "long-name": Case("a member name of 10,000 characters, listed", _with(_long_name),
                      Expect(scored=True, found=(LONG_NAME,)), evidence={"1": LONG_NAME}),
    "long-names-unlisted": Case("four member names of 10,000 characters, none listed", _with(_long_names),
                                Expect(scored=True, warned=("evidence-unlisted",))),
    # what is inside
    "nested-zip": Case("the submission zipped again", _members(_nested),
                       Expect(plain=True, warned=("submission-empty:.zip",))),
    "renamed-xlsx": Case("the workbook itself, named .zip", _renamed_xlsx, Expect(scored=True)),
    "two-versions": Case("the unit's workbook twice, the second 修改", _members(_two_versions),
                         Expect(refused=("unit-duplicate",))),
    "two-units": Case("two units' workbooks", _members(_two_units),
                      Expect(refused=("submission-units", "submission-units:县另一单位局"))),
    "ledger-listed": Case("台账.xlsx listed as evidence", _members(_ledger), Expect(scored=True, found=("台账.xlsx",)),
                          evidence={"1": "台账.xlsx", "J1": "材料/获奖证书.pdf"}),
    "ambiguous": Case("会议纪要.pdf twice, in two folders", _members(_ambiguous),
                      Expect(scored=True, warned=("evidence-missing:旧材料/会议纪要.pdf",),
                             listed=("材料/会议纪要.pdf", "旧材料/会议纪要.pdf")),
                      evidence={"1": "会议纪要.pdf", "J1": "材料/获奖证书.pdf"}),
    "tiny-listed": Case(f"{TINY:,} tiny files, all listed in one cell", _members(_tiny),
                        Expect(scored=True, found=("附件0000.pdf", f"附件{TINY - 1:04d}.pdf")),
                        evidence={"1": "、".join(_tiny_names())}),
    "empty": Case("an empty zip (its end record only)", _empty, Expect(plain=True, warned=("submission-empty",))),
    "zero-bytes": Case("a .zip of 0 bytes", _zero_bytes, Expect(refused=("submission-corrupt",))),
    "system-only": Case("__MACOSX/, Thumbs.db and .DS_Store only", _members(_system_only),
                        Expect(plain=True, warned=("submission-empty",))),
    "zip64": Case("ZIP64: every size and offset in ZIP64 fields, ZIP64 end record", _members(_zip64, zip64=True),
                  Expect(scored=True, found=("会议纪要.pdf", "材料/获奖证书.pdf"))),
}

# Cases run on their own (a test each), not in the batch: too big for it.
ALONE: dict[str, Case] = {
    "huge-package": Case(
        "workbook parts and a 1.1 GiB member stored: a renamed .xlsx past the workbook limit", _huge_package,
        Expect(refused=("file-bomb",)), slow=True),
    "small-bombs": Case(f"{SMALL_BOMBS:,} members of 1 MiB of zeros, 1 KiB each, all listed", _members(_small_bombs),
                        Expect(scored=True, found=("b0000.bin",)), slow=True,
                        evidence={"1": "、".join(f"b{i:04d}.bin" for i in range(SMALL_BOMBS))}),
}


# --- building them ----------------------------------------------------------------------------


def unit_of(index: int) -> str:
    return f"县测试{index:02d}局"


def case_units() -> dict[str, str]:
    """Each case's unit: one of its own, so that no two cases are one unit's duplicates."""
    return {name: unit_of(i) for i, name in enumerate([*CASES, *ALONE])}


@dataclass
class Built:
    """A case written: the zip, the members as written (for what a correct tool extracts)."""

    name: str
    path: Path
    unit: str
    members: list[Member] = field(default_factory=list)

    def truth(self, path: str) -> tuple[str, int]:
        """The sha256 and size of member ``path`` (/ between folders) as a correct unzip gives it."""
        member = next(m for m in self.members if m.shown() == path)
        return member.true_sha256(), member.true_size()


class Workbooks:
    """Filled findings workbooks of the built-in rule set, for any unit, made from templates
    written once per unit (into ``folder``)."""

    def __init__(self, folder: Path, units: list[str]):
        from zwgk_cli.rules.loading import load_rules
        from zwgk_cli.workbooks.template import write_templates

        self.folder, self.rules = folder, load_rules()
        folder.mkdir(parents=True, exist_ok=True)
        self.templates = dict(zip(units, write_templates(self.rules, units, folder / "templates", force=True),
                                  strict=True))
        self.made = 0

    def fill(self, unit: str, entries: dict | None = None, evidence: dict | None = None) -> bytes:
        from zwgk_cli.workbooks.fill import fill_workbook
        from zwgk_cli.workbooks.template import write_templates

        if unit not in self.templates:
            self.templates[unit] = write_templates(self.rules, [unit], self.folder / f"more-{len(self.templates)}",
                                                   force=True)[0]
        self.made += 1
        target = self.folder / "filled" / f"{self.made}.xlsx"
        target.parent.mkdir(exist_ok=True)
        return fill_workbook(self.templates[unit], target, ENTRIES if entries is None else entries,
                             evidence=EVIDENCE if evidence is None else evidence, force=True).read_bytes()


def build_case(name: str, case: Case, unit: str, books: Workbooks, folder: Path) -> Built:
    """Write case ``name`` as ``folder/<name>.zip`` with a workbook of ``unit``."""
    def workbook(unit: str = unit, entries: dict | None = None, evidence: dict | None = None) -> bytes:
        return books.fill(unit, entries, evidence)

    kit = Kit(unit, books.fill(unit, evidence=case.evidence), workbook)
    path = folder / f"{name}.zip"
    folder.mkdir(parents=True, exist_ok=True)
    return Built(name, path, unit, case.build(kit, path))


def build_all(folder: Path, cases: dict[str, Case] | None = None, books: Workbooks | None = None) -> dict[str, Built]:
    units = case_units()
    cases = CASES if cases is None else cases
    books = books or Workbooks(folder / "made", [units[n] for n in cases])
    return {name: build_case(name, case, units[name], books, folder / "in") for name, case in cases.items()}


def main(argv: list[str]) -> int:
    """Write every case to OUT_DIR/in, run ``zwgk rank --json`` over them and print each
    case's problems (code and message)."""
    import json
    import subprocess

    if len(argv) != 1:
        print(__doc__)
        return 2
    out = Path(argv[0])
    built = build_all(out)
    run = subprocess.run([sys.executable, "-m", "zwgk_cli", "rank", str(out / "in"), "-o", str(out / "汇总.xlsx"),
                          "--json", "--force"], capture_output=True, text=True, encoding="utf-8")
    report = json.loads(run.stdout)
    print(f"exit {run.returncode}")
    units = {u["unit"]: u["total"] for u in report.get("units", [])}
    for name, case in built.items():
        label = str(case.path)
        problems = [p for p in report["errors"] + report["warnings"] if p["file"].startswith(label)]
        print(f"\n== {name}: {CASES[name].what}  (unit {case.unit}: {units.get(case.unit, 'not ranked')})")
        for problem in problems:
            print(f"   {problem['level']:7} {problem['code']:22} {problem['message'][:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
