"""Looking inside a returned file before any spreadsheet parser touches it.

The real format comes from the leading bytes, not the extension; hostile or broken
containers (empty, truncated, encrypted, zip bombs, XML with DOCTYPE) are refused with a
clear message and bounded memory (docs/workbook.md, "Reading: refusals"). The package's parts
are read through :mod:`.parts`, which also finds the cells the value reader cannot tell apart
from blanks (formulas and error values such as #DIV/0!).

>>> inspect_container(b"").code
'file-empty'
>>> inspect_container(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1" + bytes(600)).kind
'ole'
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from ..cells import column_number
from ..constants import MATRIX_SHEET, META_SHEET, OLE_MAGIC, REVIEW_SHEET, SCORE_SHEET
from .parts import XML_HEAD, member_head, part, sheet_part
from .refusals import (
    MAX_SOURCE_ROWS,
    MAX_STRINGS,
    SOURCE_SHEETS,
    Container,
    damaged,
    number_lost,
    refuse,
    row_limit,
    too_complex,
)
from .sheetxml import SheetScan, cell_of, scan_sheet

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_UNPACKED = 200 * 1024 * 1024  # a real findings workbook unpacks to well under 1 MB
MAX_RATIO = 200  # deflate reaches ~10-20 on sheet XML; bombs reach thousands
MAX_MEMBERS = 10_000

# What reading a part of a damaged container can raise (bad CRC, a name in other case, an
# unsupported compression, XML that does not parse): the file is refused as corrupt.
DAMAGE = (zipfile.BadZipFile, LookupError, NotImplementedError, EOFError, OSError, RuntimeError,
          ValueError, SyntaxError, IndexError, struct.error, zlib.error)


def inspect_container(data: bytes) -> Container:
    """Classify the file's bytes and refuse what must not be parsed."""
    if not data:
        return refuse("file-empty")
    if data.startswith(OLE_MAGIC):
        return _inspect_ole(data)
    if data.startswith(ZIP_MAGICS):
        return _inspect_zip(data)
    if _looks_like_text(data[:4096]):
        return refuse("file-format", "text")
    return refuse("file-format")


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
        return refuse("file-encrypted", kind="ole")
    from .biff import extent_xls

    rows, columns, strings = extent_xls(data)
    if rows < 0:
        return damaged("odd-outside")
    refusal = too_complex(rows, columns, strings, max_rows=_xls_row_limit(data, rows))
    return refusal or Container("ole", data=data)


def _xls_row_limit(data: bytes, rows: int) -> int:
    """A .xls declares its extent across sheets: a matrix's larger limit when it has one."""
    if rows <= MAX_SOURCE_ROWS and rows > row_limit(""):
        from .biff import has_sheet

        if any(has_sheet(data, name) for name in SOURCE_SHEETS):
            return MAX_SOURCE_ROWS
    return row_limit("")


def _inspect_zip(data: bytes) -> Container:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except DAMAGE:
        return refuse("file-corrupt", "zip")
    refusal = _check_zip(data, archive, members)
    if not refusal.code:
        refusal = _check_parts(Container(refusal.kind, archive=archive, data=data, parts=refusal.parts))
    if refusal.code:
        archive.close()
    return refusal


def _check_zip(data: bytes, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> Container:
    """Refuse zip bombs, non-spreadsheets and DOCTYPEs; otherwise the kind (xlsx or ods)."""
    if len(members) > MAX_MEMBERS:
        return refuse("file-bomb", "members", count=len(members))
    unpacked = sum(m.file_size for m in members)
    ratios = [m.file_size / max(1, m.compress_size) for m in members if m.file_size > 1024 * 1024]
    if unpacked > MAX_UNPACKED or any(r > MAX_RATIO for r in ratios):
        return refuse("file-bomb", "size", megabytes=unpacked // (1024 * 1024))
    names = {m.filename for m in members}
    if len({name.lower() for name in names}) < len(members):  # which copy a parser takes is anyone's guess
        return refuse("file-corrupt", "zip-names")
    try:
        kind = _zip_kind(archive, names)
        if kind is None:
            return refuse("file-format", "zip")
        whole = _read_whole(Container(kind, archive=archive, data=data)) if kind == "xlsx" else {}
        for member in members:
            name = member.filename
            if not _parsed_part(name):
                continue
            head = whole[name][:XML_HEAD] if name in whole else member_head(data, member)
            if b"<!" in head and (b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper()):
                return refuse("file-xml", kind=kind, member=member.filename)
            if member.filename == "xl/sharedStrings.xml":
                counts = [int(n) for n in re.findall(rb'[cC]ount="(\d{1,20})"', head[:1024])]
                if counts and max(counts) > MAX_STRINGS:
                    return too_complex(0, 0, max(counts))
    except DAMAGE:
        return refuse("file-corrupt", "inflate")
    return Container(kind, parts=whole)


def _read_whole(container: Container) -> dict[str, bytes]:
    """The parts the sheet checks read whole (workbook.xml, its relationships, the sheets the
    parser reads), inflated now so that their heads are not inflated apart (no parser has seen
    them: only regexes). One that does not inflate is left for the sheet checks to refuse."""
    try:
        for sheet in PARSED_SHEETS:
            name = sheet_part(container, sheet)
            if name:
                part(container, name)
    except DAMAGE:
        pass
    return container.parts


def _check_parts(container: Container) -> Container:
    """Read the sheets a parser will expand and refuse what no findings workbook holds: more
    rows or columns than the limits, a cell written twice, control characters, odd repeats."""
    try:
        if container.kind == "xlsx":
            refusal = _check_ooxml_sheets(container)
        else:
            from .ods import scan_content

            refusal = scan_content(container)
    except DAMAGE:
        return refuse("file-corrupt", "parts")
    return refusal or container


_CONTROL = re.compile(rb"&#(?:x0*(?:[0-8bcefBCEF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));")
# Where a control character's reference may start: at most two characters before its ";", a
# leading zero or hex. A sheet written by openpyxl or this tool holds thousands of references
# (&#25919; for every CJK character): each fails this within a few bytes (the fewer steps per
# reference, the faster: this form takes two thirds of the time of a digit-by-digit one), and
# only the rest are tried whole.
_CONTROL_START = re.compile(rb"&#.{0,2};|&#[0xX]", re.DOTALL)
_CONTROL_BYTES = bytes([*range(9), 11, 12, *range(14, 32)])  # not allowed in XML 1.0
_EXPONENT = re.compile(rb"<(?:\w+:)?v>([^<]{0,60}[eE][-+]?\d{3,}[^<]{0,20})</")  # 1e-400: see number_lost
_EXPONENT_HINT = re.compile(rb"v>[^<]{0,60}[eE][-+]?\d{3}")  # in every match of _EXPONENT; found by its "v>"
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*["\']([^"\']*)["\']')


# The sheets the reader asks python-calamine for (it reads .xlsx lazily); a sheet a file lacks costs nothing.
PARSED_SHEETS = (SCORE_SHEET, META_SHEET, MATRIX_SHEET, REVIEW_SHEET)


def _check_ooxml_sheets(container: Container, sheets: tuple[str, ...] = PARSED_SHEETS,
                        max_rows: int | None = None) -> Container | None:
    """The sheets the parser will read: their extent, cells out of place or written twice,
    control characters."""
    for sheet in sheets:
        name = sheet_part(container, sheet)
        raw = part(container, name) if name else b""
        if len(raw.translate(None, _CONTROL_BYTES)) < len(raw) or _has_control_reference(raw):
            return damaged("odd-control", part=name)
        exponents = _EXPONENT.findall(raw) if _EXPONENT_HINT.search(raw) else ()
        lost = next((v for v in exponents if number_lost(v.decode("ascii", "replace"))), None)
        if lost is not None:
            return damaged("odd-number", value=lost.decode("ascii", "replace")[:40])
        scan = container.scans[name] = scan_sheet(raw)
        dimension = _dimension(raw)
        last_column = max(scan.columns[1], dimension[2]) if dimension else scan.columns[1]
        rows = max(scan.rows, dimension[3]) if dimension else scan.rows
        refusal = too_complex(rows, last_column, max_rows=max_rows or row_limit(sheet)) or _misplaced(scan, dimension)
        if refusal:
            return refusal
    return None


def _has_control_reference(raw: bytes) -> bool:
    """Whether the XML refers to a control character (&#1; &#x1F;), which XML 1.0 forbids.

    >>> [_has_control_reference(xml) for xml in (b"&#25919;&#9;&#10;", b"&#31;", b"&#0031;", b"&#x1F;", b"&#x0b;")]
    [False, True, True, True, True]
    """
    found = _CONTROL_START.search(raw)
    while found is not None:
        if _CONTROL.match(raw, found.start()):
            return True
        found = _CONTROL_START.search(raw, found.end())
    return False


def check_sheet(container: Container, sheet: str, *, max_rows: int | None = None) -> Container | None:
    """The checks of an .xlsx sheet the reader asks for besides those it always reads (a
    refusal, or None; ``max_rows`` when the sheet is a list of units, not a findings sheet)."""
    try:
        return _check_ooxml_sheets(container, (sheet,), max_rows)
    except DAMAGE:
        return refuse("file-corrupt", "parts")


def _dimension(raw: bytes) -> tuple[int, int, int, int] | None:
    """The sheet's declared range as (first column, first row, last column, last row), if a range."""
    found = _DIMENSION.search(raw)
    ref = found.group(1).replace(b"$", b"") if found else b""
    match = re.fullmatch(rb"([A-Za-z]{1,8})(\d{1,12}):([A-Za-z]{1,8})(\d{1,12})", ref)
    if not match:
        return None
    return (column_number(match.group(1)), int(match.group(2)), column_number(match.group(3)),
            int(match.group(4)))


def _misplaced(scan: SheetScan, dimension: tuple[int, int, int, int] | None) -> Container | None:
    """Cells come row by row, left to right, inside the declared range (Excel, WPS and LibreOffice
    write them so); a cell out of order, written twice or outside was moved by damage."""
    keys, at = scan.keys, scan.disorder
    if at is not None:
        return damaged("odd-twice" if keys[at - 1] == keys[at] else "odd-order", cell=cell_of(keys[at]))
    if dimension and keys:
        first_column, first_row, last_column, last_row = dimension
        outside = [k for k in (keys[0], keys[-1]) if not first_row <= k >> 16 <= last_row]
        if not first_column <= scan.columns[0] <= scan.columns[1] <= last_column:
            outside += [k for k in keys if not first_column <= k & 0xFFFF <= last_column]
        if outside:
            return damaged("odd-outside-declared", cell=cell_of(outside[0]))
    return None


def _parsed_part(name: str) -> bool:
    """XML parts a reader parses (document properties and themes are never read)."""
    return name.endswith((".xml", ".rels")) and not name.startswith(("docProps/", "xl/theme/"))


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names and archive.read("mimetype")[:100].strip() == ODS_MIME:
        return "ods"
    return None
