"""The season's archive (归档): one .zip holding every input as received, every output of the run,
the rule sets used, and a manifest (归档清单) of them all — path, kind, unit, size, sha256, time —
as a CSV and as a sheet. ``zwgk archive verify`` checks it (:mod:`zwgk_cli.reading.archive`).

Layout inside::

    输入/收回/县公安局.xlsx      the folders given, by their own names, as they were read
    输入/名单.xlsx              files named on the command line (roster, last season's results)
    考核细则/jiangxian-2022-a-第1版.yaml
    输出/汇总.xlsx, 输出/通报.docx
    归档说明.txt, 归档清单.csv, 归档清单.xlsx

Each file is hashed as it is written into the archive, so the manifest says what the archive
holds; an input whose bytes are no longer those the run scored (changed since) stops the archive
(``output-input-changed``). Names are made valid on Windows, so that the archive extracts there;
extracted, ``zwgk rank 输入/收回 --rules 考核细则/….yaml`` gives the same totals.

>>> archive_name(["输入", "收回", 'a<b>:c.pdf'])
'输入/收回/a_b__c.pdf'
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .. import constants as C
from ..model import Report
from ..problems import OutputError
from ..reading.savetime import office_zone
from .output import safe_filename

MANIFEST = "归档清单"
MANIFEST_CSV, MANIFEST_XLSX, NOTE = f"{MANIFEST}.csv", f"{MANIFEST}.xlsx", "归档说明.txt"
INPUTS, RULES, OUTPUTS = "输入", "考核细则", "输出"
HEADERS = ("路径", "种类", "单位", "大小（字节）", "sha256", "时间", "原位置")
_CHUNK = 1 << 20


@dataclass(slots=True)
class Member:
    """One file to archive: where it goes inside, what it is, whose, and where it comes from (a
    file, or bytes made by this run); ``expected`` the sha256 the run read it as ("" unknown)."""

    name: str
    kind: str
    unit: str
    source: Path | bytes
    origin: str
    expected: str = ""


@dataclass(frozen=True)
class ArchiveRequest:
    """``rank --archive``: where, the other files the run read (roster, last season's results)
    with their kind, the rule sets' files by label, and the command line (for 归档说明)."""

    path: Path
    named: list[tuple[Path, str]] = field(default_factory=list)
    rules_files: dict[str, bytes] = field(default_factory=dict)
    command: list[str] = field(default_factory=list)


def archive_name(parts: list[str]) -> str:
    """A path inside the archive, each part valid as a Windows file name."""
    return "/".join(safe_filename(part) or "_" for part in parts)


def archive_members(report: Report, given: list[Path], named: list[tuple[Path, str]],
                    outputs: dict[Path, bytes], rules_files: dict[str, bytes]) -> list[Member]:
    """What the archive of ``report`` holds: the inputs the run looked at (found under the paths
    ``given``), the other files ``named`` with their kind (roster, last season's results), the rule
    sets' files by label, and this run's ``outputs`` (their bytes)."""
    folders = [p.resolve() for p in given if p.is_dir()]
    members: list[Member] = []
    for item in report.inputs:
        if item.submission or item.kind == C.KIND_OUTPUT:  # inside a .zip archived whole; this tool's own
            continue
        path = Path(os.path.abspath(item.file))
        kind = C.FILE_KIND_LABELS.get(item.kind, item.kind) or "其他文件"
        members.append(Member(_input_name(path, folders), kind, item.unit, path, item.file, item.sha256))
    for path, kind in named:
        members.append(Member(archive_name([INPUTS, path.name]), kind, "", path, str(path)))
    for label, raw in rules_files.items():
        members.append(Member(archive_name([RULES, f"{label}.yaml"]), "考核细则", "", raw, label))
    for path, raw in outputs.items():
        members.append(Member(archive_name([OUTPUTS, path.name]), "输出", "", raw, str(path)))
    return _unique(members)


def _input_name(path: Path, folders: list[Path]) -> str:
    for folder in folders:
        if path.is_relative_to(folder):
            return archive_name([INPUTS, folder.name or "输入", *path.relative_to(folder).parts])
    return archive_name([INPUTS, path.name])


def _unique(members: list[Member]) -> list[Member]:
    """Names made unique, case-insensitively as Windows compares them (a file given twice: once)."""
    seen: dict[str, Member] = {}
    kept = []
    for member in members:
        name, number = member.name, 1
        while name.casefold() in seen:
            if seen[name.casefold()].origin == member.origin:
                break
            number += 1
            stem, dot, suffix = member.name.rpartition(".")
            name = f"{stem}({number}).{suffix}" if dot else f"{member.name}({number})"
        else:
            member.name = name
            seen[name.casefold()] = member
            kept.append(member)
    return kept


def write_archive(members: list[Member], note: str, target: Path) -> None:
    """Write the archive at ``target`` (a temporary the caller renames into place)."""
    rows = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for member in members:
            rows.append(_write_member(archive, member))
        note_bytes = note.encode("utf-8-sig")  # Notepad on an old Windows reads it as UTF-8 then
        rows.append(_write_member(archive, Member(NOTE, "说明", "", note_bytes, "")))
        for name, data in ((MANIFEST_CSV, manifest_csv(rows)), (MANIFEST_XLSX, _manifest_xlsx(rows))):
            _write_member(archive, Member(name, "清单", "", data, ""))


def _write_member(archive: zipfile.ZipFile, member: Member) -> tuple:
    digest, size = hashlib.sha256(), 0
    moment = datetime.now(office_zone()) if isinstance(member.source, bytes) else _time_of(member.source)
    info = zipfile.ZipInfo(member.name, date_time=moment.timetuple()[:6])  # the office's clock, as zip tools show
    info.compress_type = zipfile.ZIP_DEFLATED
    try:
        with archive.open(info, "w", force_zip64=True) as sink:
            if isinstance(member.source, bytes):
                digest.update(member.source)
                sink.write(member.source)
                size = len(member.source)
            else:
                with open(member.source, "rb") as stream:
                    while chunk := stream.read(_CHUNK):
                        digest.update(chunk)
                        sink.write(chunk)
                        size += len(chunk)
    except OSError as exc:
        raise OutputError.of("output-input-changed", "unreadable", path=member.origin, why=exc.strerror) from None
    sha256 = digest.hexdigest()
    if member.expected and sha256 != member.expected:
        raise OutputError.of("output-input-changed", path=member.origin)
    return member.name, member.kind, member.unit, size, sha256, moment.isoformat(timespec="seconds"), member.origin


def _time_of(path: Path) -> datetime:
    """When a file was last changed (as received), in the office's time (1980 at the earliest: a
    zip cannot say earlier)."""
    moment = datetime.fromtimestamp(path.stat().st_mtime, office_zone())
    return max(moment, datetime(1980, 1, 1, tzinfo=office_zone()))


def manifest_csv(rows: list[tuple]) -> bytes:
    """The manifest as CSV: UTF-8 with a BOM, so that Excel and WPS open it in Chinese."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8-sig")


def _manifest_xlsx(rows: list[tuple]) -> bytes:
    from openpyxl import Workbook

    from .guide import output_meta, write_meta
    from .output import text_cell
    from .style import fit_row_height, print_setup, set_widths, styles, table_header

    st = styles()
    wb = Workbook()
    ws = wb.active
    ws.title = MANIFEST
    table_header(ws, 1, HEADERS, st)
    widths = {"A": 48, "B": 10, "C": 22, "D": 12, "E": 66, "F": 26, "G": 48}
    for row, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            cell = text_cell(ws.cell(row=row, column=col), value)
            cell.font, cell.border = st["body"], st["border"]
            cell.alignment = st["center"] if col == 4 else st["wrap"]  # a long path wraps instead of being cut
        fit_row_height(ws, row, {k: widths[k] for k in "ACG"})
    set_widths(ws, widths)
    ws.freeze_panes = "A2"
    print_setup(ws, title_rows="1:1")
    write_meta(wb.create_sheet(C.META_SHEET), output_meta("archive-manifest"))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def archive_request(report: Report, path: Path, *, roster: Path | None, previous: Path | None,
                    command: list[str]) -> ArchiveRequest:
    """What ``rank --archive`` archives besides the report's inputs and outputs: the roster and
    last season's results as given, and each rule set used as the file it was loaded from."""
    from ..rules.loading import rule_file_bytes

    rules_files = {}
    for rules, _ in report.classes():
        raw = rule_file_bytes(rules)
        if raw is None:  # the rule file was edited since it was loaded
            raise OutputError.of("output-input-changed", path=rules.source)
        rules_files[f"{rules.id}-第{rules.version}版"] = raw
    named = [(p, kind) for p, kind in ((roster, "名单"), (previous, "上年结果")) if p is not None]
    return ArchiveRequest(path, named, rules_files, list(command))


def archive_note(report: Report, command: list[str]) -> str:
    """归档说明.txt: what the archive is, the command that made it, and how to check and rerun it."""
    from ..constants import VERSION

    sets = "、".join(r.label() for r, _ in report.classes())
    return "\r\n".join([
        "政务公开工作考核归档",
        f"生成时间：{report.generated_at}",
        f"生成工具：zwgk {VERSION}",
        f"考核细则：{sets}",
        f"计分单位：{len(report.units)} 个",
        f"生成命令：zwgk {' '.join(command)}",
        "",
        f"{MANIFEST_CSV} / {MANIFEST_XLSX} 列出归档中每个文件的路径、种类、单位、大小、sha256 和时间。",
        "核对：zwgk archive verify 本文件.zip（全部一致时退出码为 0）。",
        f"复算：解压后运行 zwgk rank {INPUTS}/<交回的文件夹> --rules {RULES}/<细则文件>.yaml（另加 --roster 名单），"
        "得分应与归档中的汇总表一致。",
        "",
    ])
