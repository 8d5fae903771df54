"""The season's commands: ``template`` (hand out the workbooks), ``score`` (check and score what came
back) and ``rank`` (the county's summary and leaderboard). Each parses its options, calls the library
once, renders, and sets the exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .. import constants as C
from ..acyclic import collector_paused
from .options import (
    DEFAULT_RULES,
    ArchiveOpt,
    ForceOpt,
    JsonOpt,
    NewestOpt,
    PathsArg,
    PreviousOpt,
    ReportOpt,
    RosterOpt,
    RulesOpt,
)
from .running import debugging, guarded, out_console, output_file, prepare, say
from .text import emit_json


def template(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="文件夹", help="输出文件夹。")],
    roster: RosterOpt = None,
    rules: RulesOpt = DEFAULT_RULES,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
    matrix: Annotated[bool, typer.Option("--matrix", help="生成一份检查表：名单中的单位为行，所选条款为列。")] = False,
    adjustments: Annotated[bool, typer.Option(
        "--adjustments", help="生成复核调整表（单位名称、编号、调整为、理由）。")] = False,
    clauses: Annotated[str | None, typer.Option(
        "--clauses", metavar="编号", help="检查表的条款编号，逗号分隔，如 5,6,7。")] = None,
    method: Annotated[str | None, typer.Option(
        "--method", metavar="考核方式", help="检查表取考核方式含此词的条款，如 网上检查。")] = None,
    source: Annotated[str | None, typer.Option(
        "--source", metavar="名称", help="检查表的来源（检查组）名称，如 网上检查组。")] = None,
) -> None:
    """按名单为每个单位生成评分表；不给名单时生成空白模板。

    --matrix 生成一份检查表（单位为行、条款为列），--adjustments 生成复核调整表。"""

    def hand_out():
        from ..workbooks.handout import write_handout

        book, listed = prepare(rules, roster)
        run = write_handout(book, listed, output, force=force, matrix=matrix, adjustments=adjustments,
                            clauses=clauses, method=method, source=source)
        if as_json:
            emit_json(run.to_dict())
            return
        for warning in run.warnings:
            say(f"提醒：{warning.text()}")
        if run.kind != C.KIND_UNIT:
            say(f"已生成{C.INPUT_KIND_LABELS[run.kind]}（{len(run.units)} 个单位）：{run.files[0]}")
        else:
            say(f"已生成 {len(run.files)} 份评分表：{output}" if run.units else f"已生成空白评分表模板：{output}")

    guarded(ctx, hand_out, as_json)


def score(
    ctx: typer.Context,
    paths: PathsArg,
    rules: RulesOpt = DEFAULT_RULES,
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar="文件夹",
                                                help="反馈单（扣分情况、退回修改）的输出文件夹。")] = None,
    as_json: JsonOpt = False,
    force: ForceOpt = False,
    newest: NewestOpt = False,
) -> None:
    """读取交回的评分表，检查填报内容，计算得分；-o 时为每个单位写扣分情况反馈单，为未计分的文件写退回修改反馈单。"""

    def score_returns():
        from ..scoring.pipeline import score_paths
        from ..workbooks.output import check_folder

        book, _ = prepare(rules, None, paths)
        if output is not None:
            check_folder(output)
        with collector_paused(keep=True):  # the report lives until exit: never scanned by the GC
            report = score_paths(paths, book, newest=newest, debug=debugging(ctx))
        if output is not None:
            from ..workbooks.feedback import write_feedback_sheets

            write_feedback_sheets(report, output, force=force, inputs=paths)
        if as_json:
            _emit_report(report)
        else:
            from .views import problems_view, unit_view

            out = out_console()
            for result in report.units:
                out.print(unit_view(report.rule_set(result), result))
            out.print(problems_view(report.errors, title="未计分的文件及原因"))
            out.print(problems_view(_warnings(report), title="提醒"))
        _closing_lines(report, output)
        raise typer.Exit(report.exit_code)

    guarded(ctx, score_returns, as_json)


def rank(
    ctx: typer.Context,
    paths: PathsArg,
    roster: RosterOpt = None,
    rules: RulesOpt = DEFAULT_RULES,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="文件",
                                         help="汇总工作簿（.xlsx；没有扩展名时自动加上）。")] = Path(C.SUMMARY_FILE),
    top: Annotated[int | None, typer.Option(
        "--top", min=1, metavar="数量",
        help="只显示前 N 名；通报草稿（--report）在没有等次时列前、后各 N 名（默认 5）。")] = None,
    as_json: JsonOpt = False,
    force: ForceOpt = False,
    newest: NewestOpt = False,
    previous: PreviousOpt = None,
    report_path: ReportOpt = None,
    archive_path: ArchiveOpt = None,
) -> None:
    """读取全部交回的评分表，写县级汇总工作簿并显示排名，列出未提交的单位。"""

    def rank_returns():
        from ..scoring.pipeline import rank_season
        from ..workbooks.run_outputs import write_rank_outputs

        book, listed = prepare(rules, roster, paths)
        last = _previous_season(previous)
        target = output_file(output, force)
        draft = output_file(report_path, force, (".docx",)) if report_path is not None else None
        archive = output_file(archive_path, force, (".zip",)) if archive_path is not None else None
        with collector_paused(keep=True):  # the report lives until exit: never scanned by the GC
            report = rank_season(paths, book, listed, newest=newest, debug=debugging(ctx), previous=last)
        request = None
        if archive is not None:
            from ..workbooks.archive import archive_request

            request = archive_request(report, archive, roster=roster, previous=previous, command=sys.argv[1:])
        write_rank_outputs(report, target, draft=draft, top=top, force=force, inputs=paths, archive=request)
        if as_json:
            _emit_report(report)
        else:
            _leaderboards(report, top, roster is not None)
        _closing_lines(report, "、".join(str(p) for p in (target, draft, archive) if p is not None))
        raise typer.Exit(report.exit_code)

    guarded(ctx, rank_returns, as_json)


def _leaderboards(report, top: int | None, with_roster: bool) -> None:
    from .views import leaderboard, missing_view, previous_only_view, problems_view

    out = out_console()
    for rule_set, units in report.classes():
        out.print(leaderboard(rule_set, units, top, label=report.class_label(rule_set), width=out.width,
                              changes=report.previous is not None))
    if with_roster:
        out.print(missing_view(report.missing, report.incomplete))
    if report.previous is not None:
        out.print(previous_only_view(report.previous))
    out.print(problems_view(report.errors, title="未计分的文件及原因"))
    out.print(problems_view([w for u in report.units for w in u.warnings] + _warnings(report), title="提醒"))


def _emit_report(report) -> None:
    """The report's JSON on stdout, each unit's part made as it is written (never all at once)."""
    emit_json(report.json_document(stream_units=True))


def _previous_season(path: Path | None):
    """Last season's results (rank --previous), read before anything else is."""
    if path is None:
        return None
    from ..reading.previous import load_previous

    return load_previous(path)


def _warnings(report) -> list:
    """Run-level warnings for the terminal table (input-empty is said on stderr instead)."""
    return [n for n in report.warnings if n.code != "input-empty"]


def _closing_lines(report, output) -> None:
    """The last lines on stderr: what was read, scored, rejected and skipped; where it went."""
    for line in summary_lines(report, output):
        say(line)


def summary_lines(report, output) -> list[str]:
    """The closing lines of score and rank: each source conflict (it stops a unit's ranking until
    someone decides), a loud warning for an empty input, then what was read, scored, rejected,
    skipped and adjusted, and where it went."""
    own = [i.file for i in report.skipped if i.kind == C.KIND_OUTPUT]
    unlisted = [i.file for i in report.skipped if i.kind == C.KIND_EVIDENCE]
    skipped = [i.file for i in report.skipped if i.kind not in (C.KIND_OUTPUT, C.KIND_EVIDENCE)]
    statuses = [i.status for i in report.inputs]
    kinds = [i.kind for i in report.inputs]
    read = len(report.inputs) - len(report.skipped) - statuses.count(C.STATUS_EVIDENCE) - kinds.count(C.KIND_SUBMISSION)
    rejected = statuses.count(C.STATUS_ERROR) + statuses.count(C.STATUS_DUPLICATE)
    line = f"共读取 {read} 个工作簿，计分 {len(report.units)} 个单位"
    zipped = sum(1 for i in report.inputs if i.submission and i.kind in C.INPUT_KIND_LABELS)
    if zipped:
        line += f"（其中 {zipped} 个来自压缩包）"
    counted = [(statuses.count(C.STATUS_EVIDENCE), "印证材料 {} 个文件"), (len(unlisted), "{} 个文件未被列为印证材料"),
               (rejected, "{} 个文件有错误或重复，未计分"),
               (statuses.count(C.STATUS_COPY), "{} 个文件与另一文件完全相同，只计一次"),
               (statuses.count(C.STATUS_SUPERSEDED), "{} 个旧版本已被较新的版本替代"),
               (len(skipped), "跳过 {} 个不是表格的文件（{}）"),
               (len(own), "跳过 {} 个本工具生成的文件（汇总表、反馈单）"), (len(report.adjustments), "复核调整 {} 项")]
    names = "、".join(skipped[:5]) + ("等" if len(skipped) > 5 else "")  # an argument: its braces stay text
    line += "".join("，" + text.format(count, names) for count, text in counted if count)
    if output is not None:
        line += f"；已写入 {output}"
    conflicts = [f"来源冲突：{p.text()}" for p in report.errors if p.code == "source-conflict"]
    empty = [f"警告：{n.text()}" for n in report.warnings if n.code == "input-empty"]
    return [*conflicts, *empty, line]
