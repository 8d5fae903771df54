"""The parts of an .xlsx package as the checks and readers need them: a member's bytes inflated
once per file straight from the file's bytes, a member's head, the part holding a sheet (from
workbook.xml and its relationships), and a sheet's formula and error cells, which python-calamine
reads as blanks (for .xls/.et from their BIFF records, for .ods from the content's scan).

>>> _sheet_parts(b'<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>',
...              '<sheet name="评分表" r:id="rId1"/>'.encode())
{'评分表': 'xl/worksheets/sheet1.xml'}
"""

from __future__ import annotations

import html
import posixpath
import re
import struct
import zipfile
import zlib

from .refusals import Container
from .sheetxml import scan_sheet, special_cells_of, uncalculated_of

XML_HEAD = 4096  # the bytes of a member read for the DOCTYPE, entity and string-count checks


def part(container: Container, name: str) -> bytes:
    """A zip member's bytes, inflated once per file."""
    if name not in container.parts:
        info = container.archive.getinfo(name)
        body = _inflate(container.data, info) if container.data else None
        container.parts[name] = container.archive.read(info) if body is None else body
    return container.parts[name]


_LOCAL_HEADER = struct.Struct("<4s2xH18xHH")  # signature, flags, name and extra lengths


def _inflate(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A stored or deflated member's bytes straight from the file, with zipfile's checks (local
    header, name, end of data, CRC) but without its stream objects (a third of the time); None
    for any other member, which zipfile reads."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x61:
        return None  # encrypted (0x01), patched (0x20) or strongly encrypted (0x40): zipfile says why
    start = info.header_offset + _LOCAL_HEADER.size
    signature, flags, name_length, extra_length = _LOCAL_HEADER.unpack_from(data, info.header_offset)
    name = data[start:start + name_length].decode("utf-8" if flags & 0x800 else "cp437")
    if signature != b"PK\x03\x04" or name != info.orig_filename:
        raise zipfile.BadZipFile(f"local header of {info.orig_filename}")
    start += name_length + extra_length
    chunk = data[start:start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        body, ended = chunk[:info.file_size], True
    elif info.file_size:
        inflater = zlib.decompressobj(-15)
        body = inflater.decompress(chunk, info.file_size)  # as zipfile: never more than the directory says
        ended = inflater.eof
    else:
        body, ended = b"", True
    if not ended and len(body) < info.file_size and len(chunk) < info.compress_size:
        raise EOFError(f"{info.orig_filename}: cut")  # zipfile would need bytes the file does not have
    if zlib.crc32(body) != info.CRC:
        raise zipfile.BadZipFile(f"{info.orig_filename}: CRC")
    return body



def member_head(data: bytes, member: zipfile.ZipInfo) -> bytes:
    """A member's first bytes (for DOCTYPE, entity and count checks).

    Inflates only the head, straight from the member's local header (no ZipExtFile).
    """
    name_length, extra_length = struct.unpack_from("<HH", data, member.header_offset + 26)
    start = member.header_offset + 30 + name_length + extra_length
    chunk = data[start:start + min(member.compress_size, XML_HEAD)]
    if member.compress_type == zipfile.ZIP_DEFLATED:
        head = zlib.decompressobj(-15).decompress(chunk, XML_HEAD)
    elif member.compress_type == zipfile.ZIP_STORED:
        head = chunk
    else:
        raise zipfile.BadZipFile(f"compression {member.compress_type}")
    return head


def special_cells(container: Container, sheet_name: str, column: str | tuple[str, ...]) -> dict[str, str]:
    """Cells of one column (or several) holding a formula or an error: {"H12": "formula"|"#DIV/0!"}.

    Error values read as blanks through calamine, so they must be found here: in the
    file's XML for .xlsx/.xlsm and .ods, in its BIFF records for .xls/.et (:mod:`zwgk_cli.reading.biff`).
    """
    columns = (column,) if isinstance(column, str) else tuple(column)
    if container.kind == "ole":
        from .biff import special_cells_xls

        return {ref: what for letter in columns
                for ref, what in special_cells_xls(container.data, sheet_name, letter).items()}
    if container.kind == "xlsx":
        return _ooxml_special_cells(container, sheet_name, columns)
    if container.kind == "ods":
        return {ref: what for ref, what in container.specials.get(sheet_name, {}).items()
                if ref.rstrip("0123456789") in columns}
    return {}


def uncalculated_cells(container: Container, sheet_name: str, refs: list[str]) -> set[str]:
    """The formula cells among ``refs`` without a stored result (.xlsx: a workbook written by a
    program that does not calculate; .xls and .ods always store one)."""
    if container.kind != "xlsx" or not refs:
        return set()
    name = sheet_part(container, sheet_name)
    raw = part(container, name) if name else b""
    return uncalculated_of(raw, container.scans.get(name) or scan_sheet(raw), refs)


_ATTRIBUTE = re.compile(rb'([\w:]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_ELEMENT = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\b([^>]*)>")


def _attributes(raw: bytes) -> dict[str, str]:
    """Attributes of one tag, prefixes dropped: {"name": ..., "id": ...}."""
    return {key.split(b":")[-1].decode(): html.unescape((double or single).decode("utf-8", "replace"))
            for key, double, single in _ATTRIBUTE.findall(raw)}


def sheet_part(container: Container, sheet_name: str) -> str | None:
    """The zip member holding a sheet, from workbook.xml and its relationships (read once)."""
    if not container.sheets:
        rels = part(container, "xl/_rels/workbook.xml.rels")
        container.sheets.update(_sheet_parts(rels, part(container, "xl/workbook.xml")))
    return container.sheets.get(sheet_name)


MAX_PAIRS = 64
_SHEET_PARTS: dict[tuple[bytes, bytes], dict[str, str]] = {}  # per worker: one template, one answer


def _sheet_parts(rels_raw: bytes, workbook_raw: bytes) -> dict[str, str]:
    """Sheet name -> zip member, kept per (relationships, workbook.xml) pair seen."""
    known = _SHEET_PARTS.get((rels_raw, workbook_raw))
    if known is None:
        rels = {r.get("Id"): r.get("Target") for r in _elements(rels_raw, b"Relationship")}
        known = {}
        for sheet in _elements(workbook_raw, b"sheet"):
            target = rels.get(sheet.get("id"))
            if target is not None:
                known[sheet.get("name")] = (
                    target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}"))
        if len(_SHEET_PARTS) >= MAX_PAIRS:
            _SHEET_PARTS.clear()
        _SHEET_PARTS[(rels_raw, workbook_raw)] = known
    return known


def _elements(raw: bytes, tag: bytes) -> list[dict[str, str]]:
    return [_attributes(m.group(2)) for m in _ELEMENT.finditer(raw) if m.group(1) == tag]


def _ooxml_special_cells(container: Container, sheet_name: str, columns: tuple[str, ...]) -> dict[str, str]:
    """The columns' formula and error cells, from the sheet's scan (made by the damage checks)."""
    name = sheet_part(container, sheet_name)
    raw = part(container, name) if name else b""
    return special_cells_of(raw, container.scans.get(name) or scan_sheet(raw), columns)
