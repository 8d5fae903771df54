"""Looking inside a returned file before any spreadsheet parser touches it.

The real format comes from the leading bytes, not the extension; hostile or broken
containers (empty, truncated, encrypted, zip bombs, XML with DOCTYPE) are refused with a
clear message and bounded memory. For .xlsx/.xlsm it also finds the cells the value
reader cannot tell apart from blanks: formulas and error values (#DIV/0!).

>>> inspect_container(b"").code
'file-empty'
>>> inspect_container(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1" + bytes(600)).kind
'ole'
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_UNPACKED = 200 * 1024 * 1024  # a real findings workbook unpacks to well under 1 MB
MAX_RATIO = 200  # deflate reaches ~10-20 on sheet XML; bombs reach thousands
MAX_MEMBERS = 10_000
XML_HEAD = 4096


@lru_cache(maxsize=512)
def col_letter(index: int) -> str:
    """0-based column index to its Excel letters: 7 -> H, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Container:
    """What the bytes are: kind ``xlsx``/``ods``/``ole``, or a refusal (``code`` and message)."""

    kind: str
    code: str = ""
    message: str = ""
    archive: zipfile.ZipFile | None = field(default=None, compare=False, repr=False)
    data: bytes = field(default=b"", compare=False, repr=False)  # kept for binary .xls/.et

    @property
    def ok(self) -> bool:
        return not self.code


def _refuse(code: str, message: str, kind: str = "") -> Container:
    return Container(kind, code, message)


def inspect_container(data: bytes) -> Container:
    """Classify the file's bytes and refuse what must not be parsed."""
    if not data:
        return _refuse("file-empty", "文件为空（0 字节），请重新保存后提交")
    if data.startswith(OLE_MAGIC):
        return _inspect_ole(data)
    if data.startswith(ZIP_MAGICS):
        return _inspect_zip(data)
    if _looks_like_text(data[:4096]):
        return _refuse("file-format", "这是文本文件（如 CSV、网页），不是 Excel 工作簿；"
                       "请在 Excel/WPS 中打开后另存为 .xlsx 再提交")
    return _refuse("file-format", "不是可识别的 Excel/WPS/ODS 文件，可能已损坏；请重新保存为 .xlsx 后提交")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return printable >= 0.95 * max(1, len(text))
    return False


def _inspect_ole(data: bytes) -> Container:
    """An OLE compound file: a .xls/.et workbook, or an encrypted OOXML package."""
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        return _refuse("file-encrypted", "文件已加密，请取消密码后另存为 .xlsx 再提交", "ole")
    return Container("ole", data=data)


def _inspect_zip(data: bytes) -> Container:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        return _refuse("file-corrupt", "文件已损坏（压缩包不完整，可能未传完），请重新保存后提交")
    refusal = _check_zip(data, archive, members)
    if refusal.code:
        archive.close()
        return refusal
    return Container(refusal.kind, archive=archive)


def _check_zip(data: bytes, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> Container:
    """Refuse zip bombs, non-spreadsheets and DOCTYPEs; otherwise the kind (xlsx or ods)."""
    if len(members) > MAX_MEMBERS:
        return _refuse("file-bomb", f"文件内含 {len(members)} 个部件，远超正常工作簿，已拒绝")
    unpacked = sum(m.file_size for m in members)
    ratios = [m.file_size / max(1, m.compress_size) for m in members if m.file_size > 1024 * 1024]
    if unpacked > MAX_UNPACKED or any(r > MAX_RATIO for r in ratios):
        return _refuse("file-bomb", f"文件解压后达 {unpacked // (1024 * 1024)} MB，"
                       "疑似压缩炸弹，已拒绝；请重新保存后提交")
    names = {m.filename for m in members}
    kind = _zip_kind(archive, names)
    if kind is None:
        return _refuse("file-format", "是压缩包但不是电子表格（可能是 Word 文档或其他文件），请提交 .xlsx 工作簿")
    try:
        for member in members:
            if _parsed_part(member.filename) and _has_doctype(data, member):
                return _refuse("file-xml", f"文件部件 {member.filename} 含 DOCTYPE/实体声明，"
                               "正常工作簿不会有，已拒绝", kind)
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, struct.error, zlib.error):
        return _refuse("file-corrupt", "文件已损坏（压缩数据出错），请重新保存后提交")
    return Container(kind)


def _parsed_part(name: str) -> bool:
    """XML parts a reader parses (document properties and themes are never read)."""
    return name.endswith((".xml", ".rels")) and not name.startswith(("docProps/", "xl/theme/"))


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names and archive.read("mimetype")[:100].strip() == ODS_MIME:
        return "ods"
    return None


def _has_doctype(data: bytes, member: zipfile.ZipInfo) -> bool:
    """Whether a member's first bytes declare a DOCTYPE or entities.

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
    head = head.upper()
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


def special_cells(container: Container, sheet_name: str, column: str | tuple[str, ...]) -> dict[str, str]:
    """Cells of one column (or several) holding a formula or an error: {"H12": "formula"|"#DIV/0!"}.

    Error values read as blanks through calamine, so they must be found here: in the
    file's XML for .xlsx/.xlsm and .ods, in its BIFF records for .xls/.et (:mod:`zwgk_cli.biff`).
    """
    columns = (column,) if isinstance(column, str) else tuple(column)
    if container.kind == "ole":
        from .biff import special_cells_xls

        return {ref: what for letter in columns
                for ref, what in special_cells_xls(container.data, sheet_name, letter).items()}
    if container.kind == "xlsx":
        return _ooxml_special_cells(container.archive, sheet_name, columns)
    if container.kind == "ods":
        return {ref: what for ref, what in _ods_special_cells(container.archive, sheet_name).items()
                if ref.rstrip("0123456789") in columns}
    return {}


_ATTRIBUTE = re.compile(rb'([\w:]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_ELEMENT = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\b([^>]*)>")
_MARKER = re.compile(rb"<(?:\w+:)?f[\s>/]|\bt\s*=\s*[\"']e[\"']")
_REF = re.compile(rb'\br\s*=\s*["\']([A-Z]+)(\d+)["\']')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)<")


def _attributes(raw: bytes) -> dict[str, str]:
    """Attributes of one tag, prefixes dropped: {"name": ..., "id": ...}."""
    return {key.split(b":")[-1].decode(): html.unescape((double or single).decode("utf-8", "replace"))
            for key, double, single in _ATTRIBUTE.findall(raw)}


def _ooxml_sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The zip member holding a sheet, from workbook.xml and its relationships."""
    sheets = [_attributes(m.group(2)) for m in _ELEMENT.finditer(archive.read("xl/workbook.xml"))
              if m.group(1) == b"sheet"]
    rel_id = next((s.get("id") for s in sheets if s.get("name") == sheet_name), None)
    rels = [_attributes(m.group(2)) for m in _ELEMENT.finditer(archive.read("xl/_rels/workbook.xml.rels"))
            if m.group(1) == b"Relationship"]
    target = next((r.get("Target") for r in rels if r.get("Id") == rel_id), None)
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")


def _markers(raw: bytes):
    """Positions of formulas and error types in sheet XML, found with bytes.find (fast)."""
    if b":f>" in raw or b":f " in raw or b"t='e'" in raw:  # prefixed or single-quoted: rare
        yield from ((m.start(), m.group().startswith(b"<")) for m in _MARKER.finditer(raw))
        return
    for needle, is_formula in ((b"<f>", True), (b"<f ", True), (b't="e"', False)):
        position = raw.find(needle)
        while position != -1:
            yield position, is_formula
            position = raw.find(needle, position + 1)


def _cells_by_reference(raw: bytes, columns: tuple[str, ...]) -> dict[str, str]:
    """Fast path: a regex with a literal prefix visits only the columns' cells."""
    found: dict[str, str] = {}
    letters = b"|".join(re.escape(c.encode()) for c in columns)
    pattern = re.compile(rb'<c r="((?:' + letters + rb')\d+)"([^>]*)>(<f[\s>/])?')
    for match in pattern.finditer(raw):
        ref = match.group(1).decode()
        if re.search(rb'\bt\s*=\s*["\']e["\']', match.group(2)):
            value = _VALUE.search(raw, match.end())
            found[ref] = value.group(1).decode("utf-8", "replace") if value else "#错误"
        elif match.group(3):
            found[ref] = "formula"
    return found


def _ooxml_special_cells(archive: zipfile.ZipFile, sheet_name: str, columns: tuple[str, ...]) -> dict[str, str]:
    """Each formula (<f>) or error type (t="e") leads back to its cell's tag and reference."""
    part = _ooxml_sheet_part(archive, sheet_name)
    raw = archive.read(part) if part else b""
    if raw.count(b"<c ") == raw.count(b'<c r="'):  # every cell tag starts with its reference
        return _cells_by_reference(raw, columns)
    found: dict[str, str] = {}
    prefixed = b":c " in raw
    for position, is_formula in _markers(raw):
        start = raw.rfind(b"<c ", 0, position + 1)
        if prefixed:  # <x:c ...>: also look for the prefixed tag (rfind scans back to the start)
            start = max(start, raw.rfind(b":c ", 0, position + 1))
        tag_end = raw.find(b">", start)
        reference = _REF.search(raw, start, tag_end)
        if reference is None or reference.group(1).decode() not in columns:
            continue
        ref = f"{reference.group(1).decode()}{reference.group(2).decode()}"
        if is_formula:
            found.setdefault(ref, "formula")
        else:
            value = _VALUE.search(raw, tag_end)
            found[ref] = value.group(1).decode("utf-8", "replace") if value else "#错误"
    return found


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_CALC = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"


def _ods_special_cells(archive: zipfile.ZipFile, sheet_name: str) -> dict[str, str]:
    """The same for OpenDocument: formula cells carry table:formula, errors calcext:value-type."""
    from defusedxml.ElementTree import iterparse

    found: dict[str, str] = {}
    in_sheet, row, col, rows_repeated = False, 0, 0, 1
    with archive.open("content.xml") as stream:
        for event, element in iterparse(stream, events=("start", "end")):
            tag = element.tag
            if tag == f"{_TABLE}table":
                in_sheet = event == "start" and element.get(f"{_TABLE}name") == sheet_name
            elif not in_sheet:
                continue
            elif tag == f"{_TABLE}table-row":
                if event == "start":
                    col, rows_repeated = 0, int(element.get(f"{_TABLE}number-rows-repeated", "1"))
                else:
                    row += rows_repeated
                    element.clear()
            elif tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell") and event == "end":
                if element.get(f"{_TABLE}formula") is not None:
                    error = element.get(f"{_CALC}value-type") == "error"
                    found[f"{col_letter(col)}{row + 1}"] = "".join(element.itertext()) if error else "formula"
                col += int(element.get(f"{_TABLE}number-columns-repeated", "1"))
    return found
