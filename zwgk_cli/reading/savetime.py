"""When a workbook says it was last saved: for ``--newest``, which takes a unit's newest version.

The time comes from the workbook itself (docProps/core.xml ``dcterms:modified`` in .xlsx,
``dc:date`` in meta.xml of .ods, the OLE SummaryInformation's last-saved time in .xls/.et), never
from the file system, whose times change when a file is copied or mailed. A file without one
has the time "" (unknown), and no version is chosen among a unit's files then.

A time without a zone (LibreOffice writes its .ods and .xlsx so, the most common re-save) is the
office's local time: Asia/Shanghai, or what ``ZWGK_TIMEZONE`` names (an IANA zone such as
``Asia/Urumqi``, or an offset such as ``+06:00``). So an Excel .xlsx (UTC) and a LibreOffice .ods
can be ordered.

>>> parse_saved("2026-11-28T09:30:00Z").isoformat()
'2026-11-28T09:30:00+00:00'
>>> parse_saved("2026-11-28T17:30:00.123456789").isoformat(), parse_saved("")
('2026-11-28T17:30:00.123456+08:00', None)
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path

from ..constants import OLE_MAGIC
from .biff import last_saved_xls

_PARTS = (("docProps/core.xml", re.compile(rb"<dcterms:modified[^>]*>([^<]{1,64})</dcterms:modified>")),
          ("meta.xml", re.compile(rb"<dc:date>([^<]{1,64})</dc:date>")))
_MAX_PART = 256 * 1024  # a properties part is a few hundred bytes
_FRACTION = re.compile(r"(\.\d{1,6})\d*")


def saved_time(archive: zipfile.ZipFile) -> str:
    """The last-saved time an .xlsx/.ods (its open zip) records, as written there; "" when none."""
    try:
        names = set(archive.namelist())
        for part, pattern in _PARTS:
            info = archive.getinfo(part) if part in names else None
            if info is not None and info.file_size <= _MAX_PART:
                found = pattern.search(archive.read(info))
                if found:
                    return found.group(1).decode("ascii", "replace").strip()
    except Exception:  # a damaged part has no usable time; the reader reports the damage
        return ""
    return ""


def file_saved_time(path: Path, sha256: str, member: str = "") -> str:
    """The save time of the file read earlier as ``sha256`` (``member`` of the .zip at ``path``: a
    workbook in a unit's submission); "" when it has none or has changed since (read only for a
    unit's versions under --newest, so a batch pays nothing for it)."""
    try:
        if member:
            from .submission import member_bytes

            data = member_bytes(path, member)
        else:
            data = path.read_bytes()
    except Exception:  # gone, changed or damaged since it was read: no time, and no choice made
        return ""
    if hashlib.sha256(data).hexdigest() != sha256:
        return ""
    if data.startswith(OLE_MAGIC):
        return last_saved_xls(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return saved_time(archive)
    except Exception:  # not a readable zip: no time, and the reader has said why
        return ""


def parse_saved(text: str) -> datetime | None:
    """The time, with its zone (the office's when the file gives none); None when missing or
    unreadable."""
    try:
        moment = datetime.fromisoformat(_FRACTION.sub(r"\1", text.strip()).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=office_zone())


ZONE_VARIABLE = "ZWGK_TIMEZONE"
_CHINA = timezone(timedelta(hours=8), "CST")  # Asia/Shanghai has kept +08:00 without summer time since 1991
_OFFSET = re.compile(r"^([+-])(\d{1,2}):?(\d{2})$")


def office_zone() -> tzinfo:
    """The zone of the office's clocks: ``ZWGK_TIMEZONE`` (an IANA name or an offset), else
    China Standard Time. An unknown name falls back to China's (the tool runs in China).

    >>> office_zone().utcoffset(None)
    datetime.timedelta(seconds=28800)
    """
    import os

    name = os.environ.get(ZONE_VARIABLE, "").strip()
    offset = _OFFSET.match(name)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3))))
    if name and name != "Asia/Shanghai":
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo(name)
        except (ValueError, OSError, ImportError, KeyError):  # no such zone, or no tz database (Windows without tzdata)
            pass
    return _CHINA


def shown_time(text: str) -> str:
    """A save time as a clerk reads it: the office's time to the second (as written when unreadable)."""
    moment = parse_saved(text)
    if moment is None:
        return text or "未知"
    return moment.astimezone(office_zone()).strftime("%Y-%m-%d %H:%M:%S")
