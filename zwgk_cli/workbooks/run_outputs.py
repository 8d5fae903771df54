"""The files one ``rank`` run writes, replaced together at its end (:class:`.output.Outputs`): the
summary workbook and, when asked for, the 通报 draft. A summary open in WPS is found before the
draft is touched, and the other way round."""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path

from ..model import Report
from .archive import ArchiveRequest
from .output import Outputs, inside_inputs, long_path_warnings


def write_rank_outputs(report: Report, summary: Path, *, force: bool, draft: Path | None = None,
                       top: int | None = None, inputs: list[Path] = (), archive: ArchiveRequest | None = None
                       ) -> list[Path]:
    """Write the summary (and the draft, and the season's archive) of ``report``; the paths
    written. The report records where the draft went (JSON ``report``), and a warning when an
    output lands in one of the ``inputs`` folders. With an archive, the summary and the draft are
    made in memory first: the archive holds the very bytes written beside it."""
    from .summary import build_summary

    outputs = Outputs(force=force)
    made: dict[Path, bytes] = {}
    if archive is None:
        outputs.add(summary, partial(_save_summary, build_summary, report))
    else:
        made[summary] = _bytes_of(build_summary(report).save)
        outputs.add(summary, made[summary])
    if draft is not None:
        from .report import build_report

        if archive is None:
            outputs.add(draft, partial(_save_bytes, build_report, report, top))
        else:
            made[draft] = build_report(report, top=top)
            outputs.add(draft, made[draft])
    if archive is not None:
        from .archive import archive_members, archive_note, write_archive

        members = archive_members(report, list(inputs), archive.named, made, archive.rules_files)
        outputs.add(archive.path, partial(write_archive, members, archive_note(report, archive.command)))
    written = outputs.commit()
    if draft is not None:
        report.report_file = str(draft)
    if archive is not None:
        report.archive_file = str(archive.path)
    record_outputs(report, written, inputs)
    return written


def _bytes_of(save) -> bytes:
    out = io.BytesIO()
    save(out)
    return out.getvalue()


def record_outputs(report: Report, written: list[Path], inputs: list[Path] = ()) -> None:
    """The files a run wrote, on its report (JSON ``outputs``), with a warning for each whose full
    path is too long for Windows, and for an input folder written into."""
    report.outputs += [str(p) for p in written]
    report.warnings += long_path_warnings(written) + inside_inputs(written, list(inputs))


def _save_summary(build, report: Report, path: Path) -> None:
    build(report).save(path)


def _save_bytes(build, report: Report, top: int | None, path: Path) -> None:
    path.write_bytes(build(report, top=top))
