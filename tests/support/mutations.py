"""Damaged workbooks for mutation fuzzing, made from the real template.

A filled findings workbook (.xlsx, and its LibreOffice .xls and .ods copies) is damaged the
ways real files get damaged or forged: bytes flipped or cut, zip members and their XML edited
(counts, references, repeats, dimensions, cell types with odd text), zip directories lying about
sizes and CRCs, duplicated members, damaged OLE/BIFF records. Whatever comes out, the reader must
score the file or refuse it with a stable code.

    python tests/support/mutations.py OUT_DIR [--per-format 1000] [--seed 1]   # a campaign, by hand
    python tests/support/mutations.py --store-seeds                            # rebuild tests/fixtures/seeds

The tests mutate the seeds stored in tests/fixtures/seeds (made once by LibreOffice and kept):
seeds made afresh differ in every run (save times, LibreOffice's own bytes), and so would every
mutant, and a test would pass or fail by chance. A campaign makes its seeds afresh. It
writes the seeds and the mutants to OUT_DIR, runs ``zwgk rank --json`` over them and lists every
file that did not end as scored or cleanly refused. A failure found that way becomes a named case
in :data:`CASES` (tested in tests/reading/test_damaged.py).
"""

from __future__ import annotations

import io
import random
import re
import struct
import sys
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

FORMATS = ("xlsx", "xls", "ods")
ENTRIES = {"1": "是", "3": 2, "5": 3, "7": "否", "J1": 1, "K8": 1.5}
NOTES = {"K8": "酌情扣分"}
ODD_TEXT = ["1_000", "2&#x1;3", "NaN", "inf", "1e400", "-0", "", "是", "TRUE", "#DIV/0!", "0x10",
            "9" * 40, "١٢", "２", "1,5", " 3 ", "\u00a0", "&#0;", "4294967296", "-1"]
UNIT = "县测试00000局"  # each mutant gets its own number, so that no two are one unit's duplicates
ODD_NUMBERS = ["0", "-1", "4294967296", "1000000", "99999999999", "x", "", "1.5", "18446744073709551617"]


SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def stored_seeds() -> dict[str, bytes]:
    """The seed workbook in each format, as stored (the same bytes in every run)."""
    return {fmt: (SEEDS / f"种子.{fmt}").read_bytes() for fmt in FORMATS}


def store_seeds() -> None:
    """Make the seeds afresh with LibreOffice and store them (when the template changed)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for fmt, data in make_seeds(Path(folder), soffice_convert).items():
            (SEEDS / f"种子.{fmt}").write_bytes(data)


def make_seeds(folder: Path, convert: Callable | None = None) -> dict[str, bytes]:
    """The filled seed workbook in each format (``convert(files, fmt, outdir)`` is LibreOffice)."""
    from zwgk_cli.rules.loading import load_rules
    from zwgk_cli.workbooks.fill import fill_workbook
    from zwgk_cli.workbooks.template import write_templates

    folder.mkdir(parents=True, exist_ok=True)
    blank = write_templates(load_rules(), [UNIT], folder / "blank", force=True)[0]
    xlsx = fill_workbook(blank, folder / "种子.xlsx", ENTRIES, notes=NOTES, unit=UNIT, force=True)
    seeds = {"xlsx": xlsx.read_bytes()}
    if convert is not None:
        for fmt in ("xls", "ods"):
            seeds[fmt] = convert([xlsx], fmt, folder / fmt)[0].read_bytes()
    return seeds


# --- byte level ------------------------------------------------------------------------------

def flip_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    out = bytearray(data)
    count = rng.choice([1, 1, 2, 4, 16])
    for _ in range(count):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out), f"flip {count}"


def cut(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    at = rng.randrange(1, len(data))
    return data[:at], f"cut at {at}"


def splice(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.randrange(1, 512))
    if rng.random() < 0.5:
        return data[:start] + data[end:], f"delete {start}:{end}"
    return data[:end] + data[start:end] + data[end:], f"repeat {start}:{end}"


# --- zip members and their XML -------------------------------------------------------------------

def rewrite_zip(data: bytes, edit: Callable[[str, bytes], bytes | None], extra: list | None = None) -> bytes:
    """Copy a zip, passing each member through ``edit(name, data)`` (None drops it)."""
    out = io.BytesIO()
    with (zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
          warnings.catch_warnings()):
        warnings.simplefilter("ignore")  # duplicate names are made on purpose
        for item in src.infolist():
            body = edit(item.filename, src.read(item))
            if body is not None:
                dst.writestr(item, body)
        for name, body in extra or []:
            dst.writestr(name, body)
    return out.getvalue()


def _sheet_member(fmt: str, rng: random.Random, names: list[str]) -> str:
    if fmt == "ods":
        return "content.xml"
    preferred = [n for n in names if n in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml")]
    return rng.choice(preferred * 4 + [n for n in names if n.endswith((".xml", ".rels"))])


_ATTRIBUTES = [rb'\b(uniqueCount|count)="(\d+)"', rb'\br="([A-Z]*\d+)"', rb'\bref="([^"]+)"',
               rb'\btable:number-(?:rows|columns)-repeated="(\d+)"', rb'\bt="(\w+)"',
               rb'\boffice:value-type="(\w+)"', rb'\boffice:(?:boolean-)?value="([^"]*)"']


def edit_attribute(xml: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Give one attribute (a count, reference, repeat, dimension or type) an odd value."""
    pattern = re.compile(rng.choice(_ATTRIBUTES))
    matches = list(pattern.finditer(xml))
    if not matches:
        return xml, "no attribute"
    match = rng.choice(matches)
    group = match.lastindex or 1
    old = match.group(group)
    if old.isdigit():
        new = rng.choice(ODD_NUMBERS).encode()
    elif re.fullmatch(rb"[A-Z]*\d+", old):
        new = rng.choice([b"XFD1048576", b"A1", b"H" + old.lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"), b"ZZZZ9", b"1"])
    elif b":" in old:
        new = rng.choice([b"A1:XFD1048576", b"A1:Z99999999", b"B2:A1", b"garbage"])
    else:
        new = rng.choice([b"b", b"e", b"n", b"s", b"str", b"inlineStr", b"boolean", b"float", b"string", b"zz"])
    start, end = match.span(group)
    return xml[:start] + new + xml[end:], f"attribute {old[:20]!r} -> {new[:20]!r}"


def edit_value(xml: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Replace one cell value (``<v>`` or an .ods ``<text:p>``) with odd text."""
    matches = list(re.finditer(rb"<(v|text:p|t)>([^<]*)</", xml))
    if not matches:
        return xml, "no value"
    match = rng.choice(matches)
    new = rng.choice(ODD_TEXT).encode()
    return xml[:match.start(2)] + new + xml[match.end(2):], f"value {match.group(2)[:20]!r} -> {new!r}"


def duplicate_element(xml: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Write one cell or row twice."""
    matches = list(re.finditer(rb"<(c|row|table:table-cell|table:table-row)\b[^>]*?(?:/>|>.*?</\1>)", xml,
                               re.DOTALL))
    if not matches:
        return xml, "no element"
    match = rng.choice(matches[:4000])
    return xml[:match.end()] + match.group() + xml[match.end():], f"duplicate {match.group()[:30]!r}"


def damage_xml(xml: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Control characters, a late DOCTYPE, a cut, or bytes that are not UTF-8."""
    at = rng.randrange(len(xml))
    what = rng.choice([b"\x01", b"&#x1;", b"&#0;", b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"\xff\xfe", b"<"])
    if rng.random() < 0.2:
        return xml[:at], f"xml cut at {at}"
    return xml[:at] + what + xml[at:], f"xml insert {what!r} at {at}"


XML_EDITS = [edit_attribute, edit_attribute, edit_value, duplicate_element, damage_xml]


def edit_member(data: bytes, fmt: str, rng: random.Random) -> tuple[bytes, str]:
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    target = _sheet_member(fmt, rng, names)
    edit = rng.choice(XML_EDITS)
    said = []

    def change(name: str, body: bytes) -> bytes:
        if name != target:
            return body
        body, what = edit(body, rng)
        said.append(what)
        return body

    return rewrite_zip(data, change), f"{target}: {said[0] if said else '?'}"


def duplicate_member(data: bytes, fmt: str, rng: random.Random) -> tuple[bytes, str]:
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    target = _sheet_member(fmt, rng, names)
    body = zipfile.ZipFile(io.BytesIO(data)).read(target)
    changed, _ = edit_value(body, rng)
    name = target if rng.random() < 0.7 else target.upper()
    return rewrite_zip(data, lambda n, b: b, extra=[(name, changed)]), f"second member {name}"


def rename_member(data: bytes, fmt: str, rng: random.Random) -> tuple[bytes, str]:
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    target = rng.choice(names)
    new = rng.choice([target.upper(), target.replace("sheet", "Sheet"), target + "x"])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(new if item.filename == target else item.filename, src.read(item))
    return out.getvalue(), f"rename {target} -> {new}"


def lie_in_directory(data: bytes, fmt: str, rng: random.Random) -> tuple[bytes, str]:
    """A central-directory or local-header field that lies: CRC, sizes, method, version, flags."""
    out = bytearray(data)
    signature = rng.choice([b"PK\x01\x02", b"PK\x03\x04"])
    offsets = [m.start() for m in re.finditer(re.escape(signature), data)]
    if not offsets:
        return data, "no header"
    at = rng.choice(offsets)
    central = signature == b"PK\x01\x02"
    fields = {"version": (6 if central else 4, "<H"), "flags": (8 if central else 6, "<H"),
              "method": (10 if central else 8, "<H"), "crc": (16 if central else 14, "<I"),
              "compressed": (20 if central else 18, "<I"), "size": (24 if central else 22, "<I")}
    name = rng.choice(list(fields))
    offset, fmt_code = fields[name]
    old = struct.unpack_from(fmt_code, out, at + offset)[0]
    new = rng.choice([0, 1, old + 1, max(0, old - 1), old * 2, 0xFFFF if fmt_code == "<H" else 0xFFFFFFFF,
                      99, 12, 14])
    new &= 0xFFFF if fmt_code == "<H" else 0xFFFFFFFF
    struct.pack_into(fmt_code, out, at + offset, new)
    return bytes(out), f"{'central' if central else 'local'} {name} {old} -> {new}"


# --- OLE / BIFF (.xls) ------------------------------------------------------------------------

_BIFF_KINDS = [0x00FC, 0x00FD, 0x0204, 0x0203, 0x027E, 0x00BD, 0x0200, 0x0208, 0x0085, 0x0809, 0x0006,
               0x0205, 0x003C]


def _stream_offsets(data: bytes) -> list[int]:
    """File offset of each byte of the Workbook stream (for in-place record damage)."""
    import olefile

    ole = olefile.OleFileIO(data)
    entry = next(e for e in ole.direntries if e is not None and e.name in ("Workbook", "Book"))
    size, sector = ole.sectorsize, entry.isectStart
    offsets: list[int] = []
    while sector < olefile.MAXREGSECT and len(offsets) < entry.size:
        offsets += range(512 + sector * size, 512 + (sector + 1) * size)
        sector = ole.fat[sector]
    return offsets[:entry.size]


def damage_record(data: bytes, fmt: str, rng: random.Random) -> tuple[bytes, str]:
    """One BIFF record of an interesting kind gets an odd length, row, column, count or body."""
    offsets = _stream_offsets(data)
    stream = bytes(data[o] for o in offsets)
    records, at = [], 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        if kind in _BIFF_KINDS:
            records.append((at, kind, length))
        at += 4 + length
    if not records:  # a stream under 4 KB (a small roster) lives in the mini stream: bytes flipped instead
        return flip_bytes(data, rng)
    at, kind, length = rng.choice(records)
    out = bytearray(data)
    field, value = rng.choice([(2, rng.choice([0, 1, 0xFFFF, length + 1, length - 1])),  # length
                               (4, rng.choice([0xFFFF, 60000, 5001, 0])), (6, rng.choice([0xFFFF, 300, 255, 0])),
                               (8, rng.choice([0xFFFF, 0x7FFF, 0])), (10, rng.choice([0xFFFF, 0x1000, 0]))])
    for i, byte in enumerate(struct.pack("<H", value & 0xFFFF)):
        if at + field + i < len(offsets):
            out[offsets[at + field + i]] = byte
    return bytes(out), f"record {kind:#06x} +{field} -> {value}"


def damage_ole_header(data: bytes, fmt: str, rng: random.Random) -> tuple[bytes, str]:
    out = bytearray(data)
    field = rng.choice([30, 32, 44, 48, 56, 60, 64, 68, 72, 76, 80])
    value = rng.choice([0, 1, 0xFFFF, 0xFFFFFFFE, 0xFFFFFFFF, 7, 1 << 20])
    struct.pack_into("<I" if field >= 44 else "<H", out, field, value & (0xFFFFFFFF if field >= 44 else 0xFFFF))
    return bytes(out), f"ole header +{field} -> {value}"


MUTATORS = {
    "xlsx": [(flip_bytes, 1), (cut, 1), (splice, 1), (edit_member, 6), (duplicate_member, 1),
             (rename_member, 1), (lie_in_directory, 2)],
    "ods": [(flip_bytes, 1), (cut, 1), (splice, 1), (edit_member, 6), (duplicate_member, 1),
            (rename_member, 1), (lie_in_directory, 2)],
    "xls": [(flip_bytes, 2), (cut, 1), (splice, 1), (damage_record, 6), (damage_ole_header, 1)],
}


def mutate(data: bytes, fmt: str, rng: random.Random) -> tuple[bytes, str]:
    """One random damage of a seed; returns the bytes and what was done."""
    mutators = [m for m, weight in MUTATORS[fmt] for _ in range(weight)]
    mutator = rng.choice(mutators)
    if mutator in (flip_bytes, cut, splice):
        data, what = mutator(data, rng)
    else:
        data, what = mutator(data, fmt, rng)
    return data, f"{mutator.__name__}: {what}"


def personalise(data: bytes, fmt: str, number: int) -> bytes:
    """The seed with the unit 县测试{number:05d}局 (same length, so .xls records stay intact)."""
    old, new = UNIT, UNIT.replace("00000", f"{number:05d}")
    if fmt == "xls":
        return data.replace(old.encode("utf-16-le"), new.encode("utf-16-le"))
    # the template may hold the name as UTF-8 or as character references (&#21439;…): replace both
    forms = [(old.encode(), new.encode()),
             (old.encode("ascii", "xmlcharrefreplace"), new.encode("ascii", "xmlcharrefreplace"))]

    def rename(name: str, body: bytes) -> bytes:
        for before, after in forms:
            body = body.replace(before, after)
        return body

    return rewrite_zip(data, rename)


def write_mutants(folder: Path, seeds: dict[str, bytes], per_format: int, seed: int) -> dict[str, str]:
    """``per_format`` mutants of each seed under ``folder``; {file name: what was done}."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    done: dict[str, str] = {}
    for fmt, data in sorted(seeds.items()):
        for i in range(per_format):
            body, what = mutate(personalise(data, fmt, len(done)), fmt, rng)
            name = f"{fmt}-{i:05d}.{fmt}"
            (folder / name).write_bytes(body)
            done[name] = what
    return done


# --- named cases: every distinct failure a campaign found -----------------------------------------

def _member(data: bytes, name: str, edit: Callable[[bytes], bytes]) -> bytes:
    return rewrite_zip(data, lambda n, body: edit(body) if n == name else body)


def _sub(pattern: bytes, new: bytes, count: int = 1) -> Callable[[bytes], bytes]:
    def edit(body: bytes) -> bytes:
        changed = re.sub(pattern, new, body, count=count, flags=re.DOTALL)
        assert changed != body, pattern
        return changed

    return edit


_SHEET, _CONTENT = "xl/worksheets/sheet1.xml", "content.xml"
_YES_CELL = rb'(<table:table-cell[^>]*office:value-type="string"[^>]*)(><text:p>\xe6\x98\xaf</text:p>)'


def _in(member: str, pattern: bytes, new: bytes) -> Callable[[bytes], bytes]:
    """Damage: the first match of ``pattern`` in ``member`` replaced by ``new``."""
    return lambda data: _member(data, member, _sub(pattern, new))


_H11 = rb'<c r="H11" s="9" t="n"><v>3</v>'  # clause 5's 填报 cell in the .xlsx seed: 3


def _last_cell_at(ref: bytes) -> Callable[[bytes], bytes]:
    """The sheet's last cell moved to ``ref``."""
    def edit(body: bytes) -> bytes:
        at = body.rindex(b'<c r="') + 6
        return body[:at] + ref + body[body.index(b'"', at):]

    return edit


def _yes_row_repeated(body: bytes) -> bytes:
    """The row holding 是 repeated a million times."""
    at = re.search(_YES_CELL, body).start()
    row = body.rfind(b"<table:table-row", 0, at)
    return body[:row] + b'<table:table-row table:number-rows-repeated="1000000"' + body[row + 16:]


def _with_shared_strings(count: bytes) -> Callable[[bytes], bytes]:
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main" count="' + count + b'" uniqueCount="' + count + b'"><si><t>x</t></si></sst>')
    return lambda data: rewrite_zip(data, lambda n, b: b, extra=[("xl/sharedStrings.xml", sst)])


def _central(name: bytes, field: int, value: int, size: str = "<H") -> Callable[[bytes], bytes]:
    """Patch one field of the central-directory entry of member ``name``."""
    def edit(data: bytes) -> bytes:
        out = bytearray(data)
        at = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
        struct.pack_into(size, out, at + field, value)
        return bytes(out)

    return edit


def _biff(kind: int, offset: int, value: int, nth: int = 0) -> Callable[[bytes], bytes]:
    """Set a u16 at ``offset`` (from the record header) of the nth BIFF record of ``kind``."""
    def edit(data: bytes) -> bytes:
        offsets = _stream_offsets(data)
        stream = bytes(data[o] for o in offsets)
        found, at = [], 0
        while at + 4 <= len(stream):
            record, length = struct.unpack_from("<HH", stream, at)
            if record == kind:
                found.append(at)
            at += 4 + length
        out = bytearray(data)
        for i, byte in enumerate(struct.pack("<H", value)):
            out[offsets[found[nth] + offset + i]] = byte
        return bytes(out)

    return edit


def _ole_header(offset: int, value: int) -> Callable[[bytes], bytes]:
    return lambda data: data[:offset] + struct.pack("<I", value) + data[offset + 4:]


_TOO, _CORRUPT, _UNREADABLE = ("file-too-complex",), ("file-corrupt",), ("file-format", "file-corrupt")
_LATE_DOCTYPE = b"?><!--" + b"x" * 5000 + b"--><!DOCTYPE d [<!ENTITY a 'b'>]>"  # past the 4 KB head check
_H11_TWICE = (rb"(" + _H11 + rb"</c>)", rb'<c r="H11" s="9" t="n"><v>0</v></c>\1')


def _prefixed(body: bytes) -> bytes:
    """Every element of the sheet with a namespace prefix (as some writers save it)."""
    body = re.sub(rb"<(/?)(?=[A-Za-z])", rb"<\1x:", body)
    return body.replace(b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=", 1)


def _second_sheet_member(data: bytes) -> bytes:
    changed = zipfile.ZipFile(io.BytesIO(data)).read(_SHEET).replace(b"<v>3</v>", b"<v>0</v>")
    return rewrite_zip(data, lambda name, body: body, extra=[(_SHEET, changed)])


def _name_in_other_case(data: bytes) -> bytes:
    return data.replace(_SHEET.encode(), _SHEET.upper().encode())


# name -> (format, damage, the codes it may end with)
CASES: dict[str, tuple[str, Callable[[bytes], bytes], tuple[str, ...]]] = {
    # the native reader aborted the process ("memory allocation of … bytes failed")
    "xlsx-文本数声明4294967296": ("xlsx", _with_shared_strings(b"4294967296"), _TOO),
    "xlsx-单元格引用XFD1048576": ("xlsx", lambda d: _member(d, _SHEET, _last_cell_at(b"XFD1048576")), _TOO),
    "xlsx-范围A1:XFD1048576": ("xlsx", _in(_SHEET, rb'ref="A1:[A-Z]+\d+"', b'ref="A1:XFD1048576"'), _TOO),
    "xls-范围首行大于末行": ("xls", _biff(0x0200, 4, 5001), _TOO + _CORRUPT),
    # the native reader panicked (a BaseException that `except Exception` missed)
    "xls-目录扇区指向链尾": ("xls", _ole_header(76, 0xFFFFFFFE), _UNREADABLE),
    "xls-截断在末扇区": ("xls", lambda d: d[:len(d) - 300], _UNREADABLE),
    "xls-公式记录长度错": ("xls", _biff(0x0006, 2, 26), _UNREADABLE),
    # internal errors: zipfile re-reading what calamine accepted, lazy calamine errors, late DOCTYPE
    "xlsx-CRC不符": ("xlsx", _central(_SHEET.encode(), 16, 12345, "<I"), _CORRUPT),
    "xlsx-压缩版本不支持": ("xlsx", _central(_SHEET.encode(), 6, 99), _CORRUPT),
    "xlsx-部件名大小写不同": ("xlsx", _name_in_other_case, _UNREADABLE),
    "xlsx-布尔值NaN": ("xlsx", _in(_SHEET, _H11, b'<c r="H11" s="9" t="b"><v>NaN</v>'), _CORRUPT),
    "ods-DOCTYPE在4KB之后": ("ods", _in(_CONTENT, rb"\?>", _LATE_DOCTYPE), ("file-xml",)),
    "ods-未知的XML编码UTF-o": ("ods", _in(_CONTENT, rb'encoding="UTF-8"', b'encoding="UTF-o"'), _CORRUPT),
    "xlsx-数值1e-400": ("xlsx", _in(_SHEET, _H11, b'<c r="H11" s="9" t="n"><v>1e-400</v>'), _CORRUPT),
    "ods-控制字符": ("ods", _in(_CONTENT, rb"<text:p>\xe6\x98\xaf", b"<text:p>\x01\xe6\x98\xaf"), _CORRUPT),
    # unbounded work
    "ods-填写行重复一百万次": ("ods", lambda d: _member(d, _CONTENT, _yes_row_repeated), _TOO),
    "ods-列重复10的11次方": ("ods", _in(_CONTENT, _YES_CELL, rb'\1 table:number-columns-repeated="1' + b"0" * 11
                                    + rb'"\2'), _TOO),
    # damage read as data
    "xlsx-填报1_000": ("xlsx", _in(_SHEET, _H11, b'<c r="H11" s="9" t="inlineStr"><is><t>1_000</t></is>'),
                      ("value-quantity",)),
    "xlsx-数值含控制字符": ("xlsx", _in(_SHEET, rb"<v>3</v>", b"<v>2&#x1;3</v>"), _CORRUPT),
    "xlsx-同一行两个H11": ("xlsx", _in(_SHEET, *_H11_TWICE), _CORRUPT),
    "xlsx-填报单元格移位": ("xlsx", _in(_SHEET, rb'<c r="H11"', b'<c r="Z11"'), _CORRUPT),
    "xlsx-单元格移出范围": ("xlsx", _in(_SHEET, rb'<c r="K11"', b'<c r="Z11"'), _CORRUPT),
    "xlsx-两个同名部件": ("xlsx", _second_sheet_member, _CORRUPT),
    "xlsx-H11再写一次换行分隔": ("xlsx", _in(_SHEET, rb"(" + _H11 + rb"</c>)", b'\\1<c\nr="H11" s="9"><v>0</v></c>'),
                            _CORRUPT),
    "xlsx-无引用单元格落在I11": ("xlsx", _in(_SHEET, rb"(" + _H11 + rb"</c>)", b'\\1<c s="9"><v>0</v></c>'), _CORRUPT),
    "xlsx-带前缀的工作表H11两次": ("xlsx", lambda d: _member(d, _SHEET, lambda b: _prefixed(_sub(*_H11_TWICE)(b))),
                              _CORRUPT),
    "ods-是带布尔值否": ("ods", _in(_CONTENT, _YES_CELL, rb'\1 office:boolean-value="false"\2'), _CORRUPT),
    "ods-列重复0次": ("ods", _in(_CONTENT, _YES_CELL, rb'\1 table:number-columns-repeated="0"\2'), _CORRUPT),
    "xls-单元格移出范围": ("xls", _biff(0x027E, 6, 255), _CORRUPT),
    "xls-文本数声明一千万": ("xls", _biff(0x00FC, 10, 0x0098), _TOO),
}


def write_cases(folder: Path, seeds: dict[str, bytes]) -> dict[str, tuple[str, ...]]:
    """Each named case as a file under ``folder``; {file name: the codes it may end with}."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for number, (name, (fmt, damage, codes)) in enumerate(CASES.items(), start=90000):
        if fmt in seeds:
            (folder / f"{name}.{fmt}").write_bytes(damage(personalise(seeds[fmt], fmt, number)))
            expected[f"{name}.{fmt}"] = codes
    return expected


def soffice_convert(files: list[Path], fmt: str, outdir: Path) -> list[Path]:
    """LibreOffice headless conversion with a profile of its own (for the campaign by hand)."""
    import shutil
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://{profile}",
                        "--headless", "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)],
                       check=True, capture_output=True, timeout=300)
    return [outdir / f"{f.stem}.{fmt}" for f in files]


CLASS_NAME = re.compile(r"\b[A-Z]\w*(?:Error|Exception|Panic)\b|Traceback")


def judge(data: dict, names: dict[str, str], seed_total: str) -> list[str]:
    """Every file that did not end as scored or cleanly refused, and every score that differs
    from the seed's without a warning (damage read as data?), one line each."""
    from zwgk_cli.problems import CODES

    found = []
    inputs = {Path(i["file"]).name: i for i in data["inputs"]}
    for name in sorted(set(names) - set(inputs)):
        found.append(f"MISSING {name}: {names[name]}")
    for error in data["errors"]:
        name = Path(error["file"]).name
        if error["code"] not in CODES or CLASS_NAME.search(error["message"]) or "意外" in error["message"]:
            found.append(f"BAD {name} {error['code']} {error['message']}: {names.get(name)}")
    for unit in data["units"]:
        name = Path(unit["file"]).name
        if str(unit["total"]) != seed_total and not unit["warnings"]:
            found.append(f"SCORE {name} {unit['total']} (seed {seed_total}): {names.get(name)}")
    return found


def campaign(out: Path, per_format: int, seed: int) -> int:
    """Mutants of every format through one ``zwgk rank --json``; prints what went wrong."""
    import collections
    import json
    import subprocess

    seeds = make_seeds(out / "_seeds", soffice_convert)
    names = write_mutants(out / "mutants", seeds, per_format, seed)
    run = subprocess.run([sys.executable, "-m", "zwgk_cli", "score", str(out / "mutants"), "--json"],
                         capture_output=True, text=True)
    print(f"exit {run.returncode}; stderr tail: {run.stderr[-300:]!r}")
    data = json.loads(run.stdout)
    (out / "result.json").write_text(run.stdout, encoding="utf-8")
    (out / "mutants.json").write_text(json.dumps(names, ensure_ascii=False, indent=0), encoding="utf-8")
    seed_run = subprocess.run([sys.executable, "-m", "zwgk_cli", "score", str(out / "_seeds" / "种子.xlsx"), "--json"],
                              capture_output=True, text=True)
    seed_total = str(json.loads(seed_run.stdout)["units"][0]["total"])
    print(collections.Counter(e["code"] for e in data["errors"]).most_common())
    print(collections.Counter(i["status"] for i in data["inputs"]).most_common())
    bad = judge(data, names, seed_total)
    print("\n".join(bad))
    return 1 if bad or run.returncode not in (0, 1) else 0


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--per-format", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--store-seeds", action="store_true")
    args = parser.parse_args()
    if args.store_seeds:
        store_seeds()
        sys.exit(0)
    sys.exit(campaign(args.out, args.per_format, args.seed))
