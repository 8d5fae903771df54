"""The files one ``rank`` run writes, replaced together at its end (:class:`.output.Outputs`): the
summary workbook and, when asked for, the 通报 draft. A summary open in WPS is found before the
draft is touched, and the other way round."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from ..model import Report
from .output import Outputs, inside_inputs, long_path_warnings


def write_rank_outputs(report: Report, summary: Path, *, force: bool, draft: Path | None = None,
                       top: int | None = None, inputs: list[Path] = ()) -> list[Path]:
    """Write the summary (and the draft) of ``report``; the paths written. The report records
    where the draft went (JSON ``report``), and a warning when an output lands in one of the
    ``inputs`` folders."""
    from .summary import build_summary

    outputs = Outputs(force=force)
    outputs.add(summary, partial(_save_summary, build_summary, report))
    if draft is not None:
        from .report import build_report

        outputs.add(draft, partial(_save_bytes, build_report, report, top))
    written = outputs.commit()
    if draft is not None:
        report.report_file = str(draft)
    record_outputs(report, written, inputs)
    return written


def record_outputs(report: Report, written: list[Path], inputs: list[Path] = ()) -> None:
    """The files a run wrote, on its report (JSON ``outputs``), with a warning for each whose full
    path is too long for Windows, and for an input folder written into."""
    report.outputs += [str(p) for p in written]
    report.warnings += long_path_warnings(written) + inside_inputs(written, list(inputs))


def _save_summary(build, report: Report, path: Path) -> None:
    build(report).save(path)


def _save_bytes(build, report: Report, top: int | None, path: Path) -> None:
    path.write_bytes(build(report, top=top))
