"""Formula and error cells of a binary .xls/.et sheet, which python-calamine reads as plain
values (an error such as #DIV/0! comes back as an empty string, i.e. "no finding").

Only what that needs: the OLE compound file's FAT and directory to get the Workbook stream,
BOUNDSHEET records to find the sheet, and FORMULA/BOOLERR records in it.

>>> special_cells_xls(b"not an OLE file", "评分表", "H")
{}
"""

from __future__ import annotations

import struct

from ..cells import cell_ref, column_number
from ..constants import OLE_MAGIC

_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
           0x24: "#NUM!", 0x2A: "#N/A"}
_END_OF_CHAIN, _FREE = 0xFFFFFFFE, 0xFFFFFFFF
_MAX_SECTORS = 1 << 20  # a findings workbook has a few dozen; anything near this is not one


def special_cells_xls(data: bytes, sheet_name: str, column: str) -> dict[str, str]:
    """{"H12": "formula"|"#DIV/0!"} for the sheet's cells in ``column``; {} when unreadable."""
    try:
        stream = _workbook_stream(data)
        if stream is None:
            return {}
        offset = _sheet_offset(stream, sheet_name)
        return {} if offset is None else _cells(stream, offset, column_number(column) - 1)
    except (struct.error, IndexError, ValueError):
        return {}  # a damaged file: calamine has read it, so its values stand


_CELL_RECORDS = {0x0203, 0x0204, 0x00FD, 0x027E, 0x0201, 0x0006, 0x0205, 0x0208}  # and ROW
_MULTI_RECORDS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column, …, last column


def extent_xls(data: bytes) -> tuple[int, int, int]:
    """(rows, columns, strings) an .xls/.et declares across all its sheets, from its DIMENSIONS,
    cell and SST records, before a parser allocates for them; zeros when it cannot be read.

    A cell outside its sheet's DIMENSIONS (which Excel, WPS and LibreOffice write exactly) has
    been moved by damage: rows come back as -1.
    """
    try:
        stream = _workbook_stream(data)
    except (struct.error, IndexError, ValueError):
        return 0, 0, 0
    rows = columns = strings = 0
    bounds = None  # (first row, last row + 1, first column, last column + 1) of the current sheet
    for kind, body in _records(stream or b""):
        if kind == 0x0809:  # BOF: a new sheet
            bounds = None
        elif kind == 0x00FC and len(body) >= 8:  # SST: total, unique
            strings = max(strings, struct.unpack_from("<I", body, 4)[0])
        elif kind == 0x0200 and len(body) >= 12:  # DIMENSIONS (BIFF8)
            bounds = struct.unpack_from("<IIHH", body, 0)
            rows, columns = max(rows, bounds[0] + 1, bounds[1]), max(columns, bounds[2] + 1, bounds[3])
        elif kind in _CELL_RECORDS | _MULTI_RECORDS and len(body) >= 6:
            row, col = struct.unpack_from("<HH", body, 0)
            last = struct.unpack_from("<H", body, len(body) - 2)[0] if kind in _MULTI_RECORDS else col
            rows, columns = max(rows, row + 1), max(columns, col + 1, last + 1)
            if kind != 0x0208 and bounds and bounds[1] and not (
                    bounds[0] <= row < bounds[1] and bounds[2] <= col <= last < bounds[3]):
                return -1, columns, strings
    return rows, columns, strings


def _workbook_stream(data: bytes, names: tuple[str, ...] = ("Workbook", "Book")) -> bytes | None:
    if data[:8] != OLE_MAGIC:
        return None
    shift, mini_shift = struct.unpack_from("<HH", data, 30)
    if shift not in (9, 12) or mini_shift != 6:  # the only sizes the format allows
        return None
    sector_size = 1 << shift
    mini_cutoff = struct.unpack_from("<I", data, 56)[0]
    directory_start = struct.unpack_from("<I", data, 48)[0]
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 76) if s not in (_FREE, _END_OF_CHAIN)]
    difat, count = struct.unpack_from("<II", data, 68)
    while difat not in (_FREE, _END_OF_CHAIN) and count > 0 and len(fat_sectors) < _MAX_SECTORS:
        entries = struct.unpack_from(f"<{sector_size // 4}I", data, 512 + difat * sector_size)
        fat_sectors += [s for s in entries[:-1] if s not in (_FREE, _END_OF_CHAIN)]
        difat, count = entries[-1], count - 1

    def sector(number: int) -> bytes:
        start = 512 + number * sector_size
        return data[start:start + sector_size]

    fat: list[int] = []
    for number in fat_sectors:
        fat += struct.unpack(f"<{sector_size // 4}I", sector(number))

    def chain(start: int) -> bytes:
        parts, seen = [], set()
        while start not in (_END_OF_CHAIN, _FREE) and start not in seen and len(seen) < _MAX_SECTORS:
            seen.add(start)
            parts.append(sector(start))
            start = fat[start]
        return b"".join(parts)

    directory = chain(directory_start)
    entries = [directory[at:at + 128] for at in range(0, len(directory), 128)]
    for entry in entries:
        name_length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[:max(0, name_length - 2)].decode("utf-16-le", "replace")
        if name in names and entry[66] == 2:  # a stream
            start, size = struct.unpack_from("<II", entry, 116)
            if size >= mini_cutoff:
                return chain(start)[:size]
            # a small stream lives in the mini stream (the root entry's data), in 64-byte pieces
            mini_size = 1 << mini_shift
            mini_fat_start = struct.unpack_from("<I", data, 60)[0]
            mini_fat = struct.unpack(f"<{len(chain(mini_fat_start)) // 4}I", chain(mini_fat_start))
            root = chain(struct.unpack_from("<I", entries[0], 116)[0])
            parts, seen = [], set()
            while start not in (_END_OF_CHAIN, _FREE) and start not in seen:
                seen.add(start)
                parts.append(root[start * mini_size:(start + 1) * mini_size])
                start = mini_fat[start]
            return b"".join(parts)[:size]
    return None


def _records(stream: bytes, offset: int = 0):
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        yield kind, stream[offset + 4:offset + 4 + length]
        offset += 4 + length


def has_sheet(data: bytes, sheet_name: str) -> bool:
    """Whether a .xls/.et workbook has a sheet of this name."""
    try:
        stream = _workbook_stream(data)
    except (struct.error, IndexError, ValueError):
        return False
    return _sheet_offset(stream or b"", sheet_name) is not None


def _sheet_offset(stream: bytes, sheet_name: str) -> int | None:
    for kind, body in _records(stream):
        if kind == 0x0085 and len(body) > 8:  # BOUNDSHEET: offset, flags, name
            position, length, flags = struct.unpack_from("<I", body, 0)[0], body[6], body[7]
            raw = body[8:8 + (length * 2 if flags & 1 else length)]
            name = raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
            if name == sheet_name:
                return position
        elif kind == 0x000A:  # EOF of the workbook globals
            break
    return None


def _cells(stream: bytes, offset: int, column: int) -> dict[str, str]:
    found: dict[str, str] = {}
    for kind, body in _records(stream, offset):
        if kind == 0x000A:  # EOF of the sheet
            break
        if kind not in (0x0006, 0x0205) or len(body) < 8:
            continue
        row, col = struct.unpack_from("<HH", body, 0)
        if col != column:
            continue
        ref = cell_ref(row, col)
        if kind == 0x0205 and body[7] == 1:  # BOOLERR holding an error
            found[ref] = _ERRORS.get(body[6], "#错误")
        elif kind == 0x0006:  # FORMULA: result is an error when its last two bytes are FFFF and type 2
            result = body[6:14]
            error = result[6:8] == b"\xff\xff" and result[0] == 0x02
            found[ref] = _ERRORS.get(result[2], "#错误") if error else "formula"
    return found


_FILETIME_EPOCH = 116444736000000000  # 1970-01-01 in 100 ns steps since 1601-01-01 (UTC)


def last_saved_xls(data: bytes) -> str:
    """The last-saved time (UTC, ISO) in the OLE SummaryInformation of a .xls/.et; "" when absent
    or unreadable (property PIDSI_LASTSAVE_DTM, a FILETIME, in the property set's first section)."""
    from datetime import UTC, datetime

    try:
        stream = _workbook_stream(data, ("\x05SummaryInformation",))
        if not stream:
            return ""
        section = struct.unpack_from("<I", stream, 44)[0]
        count = min(struct.unpack_from("<I", stream, section + 4)[0], 256)
        for at in range(section + 8, section + 8 + 8 * count, 8):
            pid, offset = struct.unpack_from("<II", stream, at)
            if pid == 13 and struct.unpack_from("<I", stream, section + offset)[0] == 0x40:  # VT_FILETIME
                ticks = struct.unpack_from("<Q", stream, section + offset + 4)[0] - _FILETIME_EPOCH
                return datetime.fromtimestamp(ticks / 10**7, UTC).isoformat() if ticks > 0 else ""
    except (struct.error, IndexError, ValueError, OverflowError, OSError):
        return ""  # a damaged property set has no usable time
    return ""
