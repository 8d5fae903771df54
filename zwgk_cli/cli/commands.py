"""The ``zwgk`` command: parses options, calls the library, renders, sets the exit code.

Heavy libraries (pandas, openpyxl) are imported inside the commands so that
``zwgk --help`` answers at once.
"""

from __future__ import annotations

import gc
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from ..constants import STATUS_SUPERSEDED
from ..problems import ExitStatus, ZwgkError
from .text import ZwgkCommand, ZwgkGroup, emit_json, show_internal_error, tolerant_streams, write_line

app = typer.Typer(
    cls=ZwgkGroup,
    help="政务公开工作考核：生成评分表、评分、排名。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(cls=ZwgkGroup, help="查看、检查考核细则。", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(rules_app, name="rules")

_state = {"debug": False}

RulesOpt = Annotated[list[str], typer.Option(
    "--rules", metavar="编号或文件",
    help="考核细则：内置编号或 YAML 文件路径；可多次给出（如 A 类、B 类），第一个为默认。")]
DEFAULT_RULES = ["jiangxian-2022-a"]
RulesArg = Annotated[str, typer.Argument(metavar="编号或文件", help="内置编号或 YAML 文件。")]
JsonOpt = Annotated[bool, typer.Option(
    "--json", help="在标准输出打印一份 JSON，不打印表格（出错时为 {\"error\": …}）。")]
ForceOpt = Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件。")]
PathsArg = Annotated[list[Path], typer.Argument(
    metavar="文件或文件夹", help="交回的评分表文件或文件夹（递归查找）。")]
NewestOpt = Annotated[bool, typer.Option(
    "--newest", help=f"同一单位交回多份时，按工作簿自身记录的保存时间取最新的一份，其余列为“{STATUS_SUPERSEDED}”。")]
PreviousOpt = Annotated[Path | None, typer.Option(
    "--previous", metavar="文件",
    help="上年结果：上年 rank --json 的输出或 rank 写的汇总工作簿；排名中加上年得分、名次和名次变化。")]
ReportOpt = Annotated[Path | None, typer.Option(
    "--report", metavar="文件",
    help="同时写考核结果通报的草稿（.docx；没有扩展名时自动加上）：总体情况、等次或前后名单、共性问题、整改要求、附件排名表。")]
RosterOpt = Annotated[
    Path | None, typer.Option("--roster", metavar="文件",
                              help="单位名单：.txt（每行一个）、.csv 或 .xlsx（“单位名称”列）。")
]


def _out_console():
    """Tables on stdout; wide when redirected to a file, so no column is cut."""
    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)


def _guarded(action, as_json: bool = False):
    """Run a command body; library errors become a Chinese message and exit code 2 (with
    ``--json``, also one JSON document ``{"error": {"code", "message"}}`` on stdout)."""
    try:
        return action()
    except ZwgkError as exc:
        if as_json:
            emit_json({"error": exc.to_dict()})
        _say(f"错误：{exc}")
        raise typer.Exit(exc.exit_status) from None
    except typer.Exit:
        raise
    except Exception:  # last line of defence: never a traceback without --debug
        if _state["debug"]:
            traceback.print_exc()
        raise typer.Exit(show_internal_error(as_json=as_json)) from None


def run(argv: list[str] | None = None) -> None:
    """The ``zwgk`` console command (usage errors in Chinese, exit code 2: see ZwgkGroup).

    In a frozen build a worker process is this executable started again: ``freeze_support``
    turns it into the worker before any option is parsed."""
    import multiprocessing

    multiprocessing.freeze_support()
    tolerant_streams()
    from .launch import guide_if_started_alone

    if guide_if_started_alone(argv):  # zwgk.exe double-clicked in Explorer: a guide, not a vanishing help
        return
    app(args=argv, prog_name="zwgk")


def _show_version(value: bool) -> None:
    if value:
        from ..constants import VERSION  # not the installed metadata: a frozen build has none

        write_line(sys.stdout, f"zwgk {VERSION}")
        raise typer.Exit(ExitStatus.OK)


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="出错时显示完整的调用栈。")] = False,
    version: Annotated[bool, typer.Option("--version", help="显示版本号并退出。", is_eager=True,
                                          callback=_show_version)] = False,
) -> None:
    """政务公开工作考核：生成评分表、评分、排名。"""
    _state["debug"] = debug


def _load(rules: str, *, checked: bool = True):
    """A rule set to use (refused when ``rules check`` finds an error), or only to check."""
    from ..rules.loading import load_rules, usable_rules

    return usable_rules(rules) if checked else load_rules(rules)


def _book(rules: list[str]):
    from ..rules.loading import load_rulebook

    return load_rulebook(rules)


def _prepare(rules: list[str], roster: Path | None = None, paths: list[Path] = ()):
    """The checks that need no returned file, in the order a clerk fixes them: rule sets,
    roster (and that each 类别 on it has a rule set), input paths. Nothing is read from the
    returns and nothing is written before."""
    from ..reading.roster import load_roster, rules_for_roster
    from ..reading.scan import check_inputs

    book = _book(rules)
    if roster is not None:
        check_inputs([roster], "名单", files_only=True)
    listed = load_roster(roster) if roster else None  # names, 类别 and the lines dropped
    rules_for_roster(book, listed)
    check_inputs(paths)
    return book, listed


@app.command(cls=ZwgkCommand)
def template(
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

    def make_templates():
        from ..reading.roster import rules_for_roster
        from ..workbooks.output import check_folder, long_path_warnings
        from ..workbooks.template import write_templates

        book, listed = _prepare(rules, roster)
        check_folder(output)
        units = listed.names if listed else []
        by_unit = rules_for_roster(book, listed)
        if matrix or adjustments:
            return _source_template(book, units, by_unit, output, force=force, review=adjustments,
                                    ids=clauses, method=method, source=source, as_json=as_json)
        warnings = list(listed.warnings) if listed else []
        paths = write_templates(book.default, units, output, force=force, rules_by_unit=by_unit, notices=warnings)
        warnings += long_path_warnings(paths)
        if as_json:
            emit_json({"rules": book.default.id, "files": [str(p) for p in paths],
                       "warnings": [w.to_dict() for w in warnings]})
        else:
            for warning in warnings:
                _say(f"提醒：{warning.text()}")
            what = f"{len(paths)} 份评分表" if units else "空白评分表模板"
            _say(f"已生成 {what}：{output}" if units else f"已生成{what}：{output}")

    _guarded(make_templates, as_json)


def _source_template(book, units, by_unit, output: Path, *, force: bool, review: bool, ids: str | None,
                     method: str | None, source: str | None, as_json: bool) -> None:
    """template --matrix / --adjustments for the default rule set's class."""
    from ..workbooks.sources import write_source_template

    made = write_source_template(book.default, units, output, review=review, clause_ids=ids, method=method,
                                 source=source, force=force, rules_by_unit=by_unit)
    if as_json:
        emit_json({"rules": book.default.id, "files": [str(made.path)],
                   "warnings": [w.to_dict() for w in made.warnings]})
        return
    for warning in made.warnings:
        _say(f"提醒：{warning.text()}")
    _say(f"已生成{'复核调整表' if review else '检查表'}（{len(made.units)} 个单位）：{made.path}")


@app.command(cls=ZwgkCommand)
def score(
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

        book, _ = _prepare(rules, None, paths)
        if output is not None:
            check_folder(output)
        report = score_paths(paths, book, newest=newest, debug=_state["debug"])
        gc.freeze()  # the report lives until exit: keep it out of GC passes from here on
        if output is not None:
            from ..workbooks.feedback import write_feedback_sheets

            write_feedback_sheets(report, output, force=force, inputs=paths)
        if as_json:
            emit_json(report.to_dict())
        else:
            from .views import problems_view, unit_view

            out = _out_console()
            for result in report.units:
                out.print(unit_view(report.rule_set(result), result))
            out.print(problems_view(report.errors, title="未计分的文件及原因"))
            out.print(problems_view(_notices(report), title="提醒"))
        _summary_line(report, output)
        raise typer.Exit(report.exit_code)

    _guarded(score_returns, as_json)


@app.command(cls=ZwgkCommand)
def rank(
    paths: PathsArg,
    roster: RosterOpt = None,
    rules: RulesOpt = DEFAULT_RULES,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="文件",
                                         help="汇总工作簿（.xlsx；没有扩展名时自动加上）。")] = Path("汇总.xlsx"),
    top: Annotated[int | None, typer.Option(
        "--top", min=1, metavar="数量",
        help="只显示前 N 名；通报草稿（--report）在没有等次时列前、后各 N 名（默认 5）。")] = None,
    as_json: JsonOpt = False,
    force: ForceOpt = False,
    newest: NewestOpt = False,
    previous: PreviousOpt = None,
    report_path: ReportOpt = None,
) -> None:
    """读取全部交回的评分表，写县级汇总工作簿并显示排名，列出未提交的单位。"""

    def rank_returns():
        from ..scoring.pipeline import rank_paths
        from ..workbooks.run_outputs import write_rank_outputs

        book, listed = _prepare(rules, roster, paths)
        last = _previous_season(previous)
        target = _output_file(output, force)
        draft = _output_file(report_path, force, (".docx",)) if report_path is not None else None
        names, classes, dropped = (listed.names, listed.classes, listed.warnings) if listed else (None, None, None)
        report = rank_paths(paths, book, names, classes, newest=newest, debug=_state["debug"],
                            roster_warnings=dropped, previous=last, former_names=listed.former if listed else None)
        gc.freeze()  # the report lives until exit: keep it out of GC passes while the summary is written
        write_rank_outputs(report, target, draft=draft, top=top, force=force, inputs=paths)
        if as_json:
            emit_json(report.to_dict())
        else:
            from .views import leaderboard, missing_view, previous_only_view, problems_view

            out = _out_console()
            for rule_set, units in report.classes():
                out.print(leaderboard(rule_set, units, top, label=report.class_label(rule_set), width=out.width,
                                      changes=report.previous is not None))
            if names is not None:
                out.print(missing_view(report.missing, report.incomplete))
            if report.previous is not None:
                out.print(previous_only_view(report.previous))
            out.print(problems_view(report.errors, title="未计分的文件及原因"))
            warnings = [w for u in report.units for w in u.warnings] + _notices(report)
            out.print(problems_view(warnings, title="提醒"))
        _summary_line(report, target if draft is None else f"{target}、{draft}")
        raise typer.Exit(report.exit_code)

    _guarded(rank_returns, as_json)


def _previous_season(path: Path | None):
    """Last season's results (rank --previous), read before anything else is."""
    if path is None:
        return None
    from ..reading.previous import load_previous

    return load_previous(path)


def _notices(report) -> list:
    """Run-level warnings for the terminal table (input-empty is said on stderr instead)."""
    return [n for n in report.notices if n.code != "input-empty"]


def _output_file(output: Path, force: bool, suffixes: tuple[str, ...] = (".xlsx",)) -> Path:
    """The output file checked before anything is read; said when the suffix was added."""
    from ..workbooks.output import check_folder, check_writable, output_file

    target = output_file(output, suffixes)
    check_writable(target, force=force)
    check_folder(target.parent, target)
    if target != output:
        _say(f"提示：输出文件名没有扩展名，将写入 {target}")
    return target


def _summary_line(report, output: Path | None) -> None:
    """The last lines on stderr: what was read, scored, rejected and skipped; where it went."""
    from .views import summary_lines

    for line in summary_lines(report, output):
        _say(line)


def _say(line: str) -> None:
    """A plain message on stderr: rich only for a terminal; never wrapped for a log file."""
    if sys.stderr.isatty():
        from rich.console import Console

        Console(stderr=True, highlight=False).print(line, markup=False)
    else:
        write_line(sys.stderr, line)


@rules_app.command("list", cls=ZwgkCommand)
def rules_list(as_json: JsonOpt = False) -> None:
    """列出内置考核细则。"""

    def list_rule_sets():
        from ..rules.loading import builtin_ids, load_rules
        from .views import rules_list_view

        sets = [load_rules(i) for i in builtin_ids()]
        if as_json:
            emit_json({"rules": [{"id": r.id, "title": r.title, "version": r.version,
                                   "sha256": r.sha256} for r in sets]})
        else:
            _out_console().print(rules_list_view(sets))

    _guarded(list_rule_sets, as_json)


@rules_app.command("show", cls=ZwgkCommand)
def rules_show(rules: RulesArg = DEFAULT_RULES[0]) -> None:
    """显示考核细则：一级指标、条款、计分方式、上限和勘误。"""

    def show_rule_set():
        from .views import rules_view

        _out_console().print(rules_view(_load(rules)))

    _guarded(show_rule_set)


@rules_app.command("check", cls=ZwgkCommand)
def rules_check(
    rules: RulesArg = DEFAULT_RULES[0],
    as_json: JsonOpt = False,
) -> None:
    """检查考核细则是否自洽；有错误时退出码为 1，仅有警告或提示时为 0。"""

    def check_rule_set():
        from ..problems import Level
        from ..rules.checking import check_rules
        from .views import problems_view

        findings = check_rules(_load(rules, checked=False))
        if as_json:
            emit_json({"rules": rules, "findings": [f.to_dict() for f in findings]})
        elif findings:
            _out_console().print(problems_view(findings, title="检查结果"))
        else:
            _out_console().print("未发现问题。")
        raise typer.Exit(ExitStatus.REJECTED if any(f.level == Level.ERROR for f in findings) else ExitStatus.OK)

    _guarded(check_rule_set, as_json)


@rules_app.command("parse", cls=ZwgkCommand)
def rules_parse(
    text: Annotated[str, typer.Argument(metavar="原文", help="一段扣分标准或加分标准原文。")],
    points: Annotated[str | None, typer.Option("--points", metavar="分值",
                                               help="本项赋分（“扣完为止”“不得分”需要）。")] = None,
    as_json: JsonOpt = False,
) -> None:
    """把评分标准原文解析为条款（计分方式、每次分值、上限、加分/扣分）；拿不准的句子列入“未解析”。"""

    def parse_text():
        from ..exact import decimal_of
        from ..rules.text import parse_rule_text
        from .views import parsed_view

        value = decimal_of(points) if points is not None else None
        if points is not None and value is None:
            raise ZwgkError.of("usage", "points", points=points)
        result = parse_rule_text(text, value)
        if as_json:
            emit_json(result.to_dict())
        else:
            _out_console().print(parsed_view(result))
        raise typer.Exit(ExitStatus.REJECTED if result.unparsed else ExitStatus.OK)

    _guarded(parse_text, as_json)


@rules_app.command("export", cls=ZwgkCommand)
def rules_export(
    rules: RulesArg,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="文件", help="输出的 .xlsx 表格。")],
    force: ForceOpt = False,
) -> None:
    """把考核细则导出为与官方评分表同样版式的表格（另含编号、计分方式等结构化列）。"""

    def export_table():
        from ..workbooks.ruletable import export_rules

        loaded = _load(rules)
        target = _output_file(output, force)
        export_rules(loaded, target, force=force)
        _say(f"已导出：{target}")

    _guarded(export_table)


@rules_app.command("import", cls=ZwgkCommand)
def rules_import(
    table: Annotated[Path, typer.Argument(metavar="表格文件", help="官方版式的评分表（.xlsx/.xls/.ods）。")],
    output: Annotated[Path, typer.Option("-o", "--output", metavar="文件", help="输出的考核细则 YAML 文件。")],
    force: ForceOpt = False,
) -> None:
    """从评分表导入考核细则；结构化列为空时按评分标准原文推导，推导不了的条款留待人工填写（退出码 1）。"""

    def import_table():
        from ..reading.scan import check_inputs
        from ..workbooks.ruletable import import_to_file
        from .views import problems_view

        check_inputs([table], "表格", files_only=True)
        target = _output_file(output, force, (".yaml", ".yml"))
        result = import_to_file(table, target, force=force)
        _say(f"已写入：{target}")
        if result.unparsed:
            _out_console().print(problems_view(result.unparsed, title="需人工填写的条款（kind: null）"))
        if result.invalid:
            _out_console().print(problems_view(result.invalid, title="导入的考核细则还不能使用，请改正后再用"))
        raise typer.Exit(ExitStatus.REJECTED if result.unparsed or result.invalid else ExitStatus.OK)

    _guarded(import_table)
