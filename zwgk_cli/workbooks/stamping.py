"""Copies of one saved workbook with placeholder strings replaced: building a workbook with
openpyxl costs ~30 ms, a stamped copy about 1 ms, so 1,000 templates take seconds.

>>> import io, zipfile
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as z:
...     z.writestr("a.xml", "<t>@UNIT@</t>")
>>> stamp = Stamp(buffer.getvalue(), ("@UNIT@",))
>>> zipfile.ZipFile(io.BytesIO(stamp.copy({"@UNIT@": "县<财政>局"}))).read("a.xml").decode()
'<t>县&lt;财政&gt;局</t>'
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from xml.sax.saxutils import escape

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text safe inside an XML element or attribute (characters XML cannot hold are dropped)."""
    return escape(_NOT_XML.sub("", value), {'"': "&quot;"})


def _deflate(raw: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(raw) + packer.flush()


class Stamp:
    """A saved .xlsx whose members holding any of ``tokens`` are rewritten per copy.

    Members without a token are compressed once; a copy compresses only the stamped ones
    and writes the zip directly (local headers, central directory, end record).
    """

    def __init__(self, data: bytes, tokens: tuple[str, ...]):
        encoded = [t.encode("utf-8") for t in tokens]
        self.members: list[tuple[str, tuple[int, ...], bytes, bytes | None]] = []
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            for info in source.infolist():
                raw = source.read(info)
                stamped = any(t in raw for t in encoded)
                self.members.append((info.filename, info.date_time, raw, None if stamped else _deflate(raw)))

    @property
    def stamped(self) -> set[str]:
        return {name for name, _, _, packed in self.members if packed is None}

    def copy(self, values: dict[str, str]) -> bytes:
        """The workbook's bytes with each token replaced by its (escaped) value."""
        local, central = io.BytesIO(), io.BytesIO()
        for name, date_time, raw, packed in self.members:
            if packed is None:
                text = raw.decode("utf-8")
                for token, value in values.items():
                    text = text.replace(token, xml_text(value))
                raw = text.encode("utf-8")
                packed = _deflate(raw)
            _add_member(local, central, name.encode("utf-8"), date_time, raw, packed)
        count = len(self.members)
        directory = central.getvalue()
        end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), local.tell(), 0)
        return local.getvalue() + directory + end


def _add_member(local: io.BytesIO, central: io.BytesIO, name: bytes, date_time: tuple[int, ...],
                raw: bytes, packed: bytes) -> None:
    year, month, day, hour, minute, second = date_time
    dos_time = hour << 11 | minute << 5 | second // 2
    dos_date = (year - 1980) << 9 | month << 5 | day
    crc, offset = zlib.crc32(raw), local.tell()
    common = (20, 0x0800, 8, dos_time, dos_date, crc, len(packed), len(raw), len(name))
    local.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *common, 0) + name + packed)
    central.write(struct.pack("<IH", 0x02014B50, 20)
                  + struct.pack("<HHHHHIIIH", *common)
                  + struct.pack("<HHHHII", 0, 0, 0, 0, 0, offset) + name)
