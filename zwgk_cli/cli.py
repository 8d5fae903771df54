"""The ``zwgk`` command: parses options, calls the library, renders, sets the exit code.

Heavy libraries (pandas, openpyxl) are imported inside the commands so that
``zwgk --help`` answers at once.
"""

from __future__ import annotations

import gc
import json
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from .clitext import ZwgkCommand, ZwgkGroup
from .problems import ZwgkError

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    cls=ZwgkGroup,
    help="政务公开工作考核：生成评分表、评分、排名。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)
rules_app = typer.Typer(cls=ZwgkGroup, help="查看、检查考核细则。", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

_state = {"debug": False}

RulesOpt = Annotated[list[str], typer.Option(
    "--rules", help="考核细则：内置编号或 YAML 文件路径；可多次给出（如 A 类、B 类），第一个为默认。")]
DEFAULT_RULES = ["jiangxian-2022-a"]
JsonOpt = Annotated[bool, typer.Option("--json", help="在标准输出打印一份 JSON，不打印表格。")]
ForceOpt = Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件。")]
PathsArg = Annotated[list[Path], typer.Argument(help="交回的评分表文件或文件夹（递归查找）。")]
RosterOpt = Annotated[
    Path | None, typer.Option("--roster", help="单位名单：.txt（每行一个）、.csv 或 .xlsx（“单位名称”列）。")
]


def _err_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _out_console():
    """Tables on stdout; wide when redirected to a file, so no column is cut."""
    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def _emit_json(data: dict) -> None:
    """One JSON document on stdout, UTF-8 whatever the console's encoding."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    stream = getattr(sys.stdout, "buffer", None)
    if stream is not None:
        sys.stdout.flush()
        stream.write(text.encode("utf-8"))
        stream.flush()
    else:
        sys.stdout.write(text)


def _guarded(action):
    """Run a command body; library errors become a Chinese message and exit code 2."""
    try:
        return action()
    except ZwgkError as exc:
        _err_console().print(f"[red]错误：[/red]{exc}", markup=True, highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    except typer.Exit:
        raise
    except Exception as exc:  # last line of defence: never a traceback without --debug
        if _state["debug"]:
            traceback.print_exc()
        else:
            _err_console().print(f"内部错误：{type(exc).__name__}: {exc}（加 --debug 查看详情）",
                                 markup=False)
        raise typer.Exit(EXIT_USAGE) from None


def run(argv: list[str] | None = None) -> None:
    """The ``zwgk`` console command: the app, with usage errors in Chinese (exit code 2)."""
    from typer._click import exceptions as errors

    from .clitext import usage_error_text

    try:
        code = app(args=argv, prog_name="zwgk", standalone_mode=False)
    except errors.UsageError as exc:
        sys.stderr.write(usage_error_text(exc) + "\n")
        code = EXIT_USAGE
    except errors.Abort:
        sys.stderr.write("已中止\n")
        code = 130
    sys.exit(code or 0)


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="出错时显示完整的调用栈。")] = False,
) -> None:
    """政务公开工作考核：生成评分表、评分、排名。"""
    _state["debug"] = debug
    if debug:  # the reader re-raises unexpected errors so the traceback can be seen
        import os

        os.environ["ZWGK_DEBUG"] = "1"


def _load(rules: str):
    from .rules import load_rules

    return load_rules(rules)


def _book(rules: list[str]):
    from .rules import load_rulebook

    return load_rulebook(rules)


@app.command(cls=ZwgkCommand)
def template(
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件夹。")],
    roster: RosterOpt = None,
    rules: RulesOpt = DEFAULT_RULES,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """按名单为每个单位生成评分表；不给名单时生成空白模板。"""

    def run():
        from .roster import read_roster_table
        from .template import rules_by_class, write_templates

        book = _book(rules)
        units, classes = read_roster_table(roster) if roster else ([], {})
        by_unit = rules_by_class(book, classes)
        paths = write_templates(book.default, units, output, force=force, rules_by_unit=by_unit)
        if as_json:
            _emit_json({"rules": book.default.id, "files": [str(p) for p in paths]})
        else:
            what = f"{len(paths)} 份评分表" if units else "空白评分表模板"
            _say(f"已生成 {what}：{output}" if units else f"已生成{what}：{output}")

    _guarded(run)


@app.command(cls=ZwgkCommand)
def score(
    paths: PathsArg,
    rules: RulesOpt = DEFAULT_RULES,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="扣分情况反馈单的输出文件夹。")] = None,
    as_json: JsonOpt = False,
    force: ForceOpt = False,
) -> None:
    """读取交回的评分表，检查填报内容，计算得分；-o 时为每个单位写扣分情况反馈单。"""

    def run():
        from .pipeline import score_paths

        report = score_paths(paths, _book(rules))
        gc.freeze()  # the report lives until exit: keep it out of GC passes from here on
        if output is not None:
            from .feedback import feedback_targets, write_feedback

            targets = feedback_targets(report.units, output, force=force)
            write_feedback(report, targets, force=force)
        if as_json:
            _emit_json(report.to_dict())
        else:
            from .views import problems_view, unit_view

            out = _out_console()
            for result in report.units:
                out.print(unit_view(report.rule_set(result.rules_id), result))
            out.print(problems_view(report.errors, title="未计分的文件及原因"))
        _summary_line(report, output)
        raise typer.Exit(report.exit_code)

    _guarded(run)


@app.command(cls=ZwgkCommand)
def rank(
    paths: PathsArg,
    roster: RosterOpt = None,
    rules: RulesOpt = DEFAULT_RULES,
    output: Annotated[Path, typer.Option("-o", "--output", help="汇总工作簿（.xlsx）。")] = Path("汇总.xlsx"),
    top: Annotated[int | None, typer.Option("--top", min=1, help="只显示前 N 名。")] = None,
    as_json: JsonOpt = False,
    force: ForceOpt = False,
) -> None:
    """读取全部交回的评分表，写县级汇总工作簿并显示排名，列出未提交的单位。"""

    def run():
        from .output import check_writable
        from .pipeline import rank_paths
        from .roster import read_roster_table
        from .summary import write_summary

        book = _book(rules)
        names, classes = read_roster_table(roster) if roster else (None, None)
        check_writable(output, force=force)
        report = rank_paths(paths, book, names, classes)
        gc.freeze()  # the report lives until exit: keep it out of GC passes while the summary is written
        write_summary(report, output, force=force)
        if as_json:
            _emit_json(report.to_dict())
        else:
            from .views import leaderboard, missing_view, problems_view

            out = _out_console()
            for rule_set, units in report.classes():
                out.print(leaderboard(rule_set, units, top, label=report.class_label(rule_set)))
            if names is not None:
                out.print(missing_view(report.missing))
            out.print(problems_view(report.errors, title="未计分的文件及原因"))
            warnings = [w for u in report.units for w in u.warnings] + report.notices
            out.print(problems_view(warnings, title="提醒"))
        _summary_line(report, output)
        raise typer.Exit(report.exit_code)

    _guarded(run)


def _summary_line(report, output: Path | None) -> None:
    rejected = sum(1 for i in report.inputs if i.status != "已评分")
    line = f"共读取 {len(report.inputs)} 个文件，计分 {len(report.units)} 个单位"
    if rejected:
        line += f"，{rejected} 个文件未计分"
    if output is not None:
        line += f"；已写入 {output}"
    _say(line)


def _say(line: str) -> None:
    """A plain message on stderr (rich only for a terminal, so scripts do not pay for it)."""
    if sys.stderr.isatty():
        _err_console().print(line, markup=False)
    else:
        sys.stderr.write(line + "\n")


@rules_app.command("list", cls=ZwgkCommand)
def rules_list(as_json: JsonOpt = False) -> None:
    """列出内置考核细则。"""

    def run():
        from .rules import builtin_ids, load_rules
        from .views import rules_list_view

        sets = [load_rules(i) for i in builtin_ids()]
        if as_json:
            _emit_json({"rules": [{"id": r.id, "title": r.title, "version": r.version,
                                   "sha256": r.sha256} for r in sets]})
        else:
            _out_console().print(rules_list_view(sets))

    _guarded(run)


@rules_app.command("show", cls=ZwgkCommand)
def rules_show(rules: Annotated[str, typer.Argument(help="内置编号或 YAML 文件。")] = DEFAULT_RULES[0]) -> None:
    """显示考核细则：一级指标、条款、计分方式、上限和勘误。"""

    def run():
        from .views import rules_view

        _out_console().print(rules_view(_load(rules)))

    _guarded(run)


@rules_app.command("check", cls=ZwgkCommand)
def rules_check(
    rules: Annotated[str, typer.Argument(help="内置编号或 YAML 文件。")] = DEFAULT_RULES[0],
    as_json: JsonOpt = False,
) -> None:
    """检查考核细则是否自洽；有错误时退出码为 1，仅有警告或提示时为 0。"""

    def run():
        from .problems import Level
        from .rulecheck import check_rules
        from .views import problems_view

        findings = check_rules(_load(rules))
        if as_json:
            _emit_json({"rules": rules, "findings": [f.to_dict() for f in findings]})
        elif findings:
            _out_console().print(problems_view(findings, title="检查结果"))
        else:
            _out_console().print("未发现问题。")
        raise typer.Exit(EXIT_REJECTED if any(f.level == Level.ERROR for f in findings) else EXIT_OK)

    _guarded(run)


@rules_app.command("parse", cls=ZwgkCommand)
def rules_parse(
    text: Annotated[str, typer.Argument(help="一段扣分标准或加分标准原文。")],
    points: Annotated[str | None, typer.Option("--points", help="本项赋分（“扣完为止”“不得分”需要）。")] = None,
    as_json: JsonOpt = False,
) -> None:
    """把评分标准原文解析为条款（计分方式、每次分值、上限、加分/扣分）；拿不准的句子列入“未解析”。"""

    def run():
        from .exact import decimal_of
        from .ruletext import parse_rule_text
        from .views import parsed_view

        value = decimal_of(points) if points is not None else None
        if points is not None and value is None:
            raise ZwgkError(f"--points「{points}」不是数字")
        result = parse_rule_text(text, value)
        if as_json:
            _emit_json(result.to_dict())
        else:
            _out_console().print(parsed_view(result))
        raise typer.Exit(EXIT_REJECTED if result.unparsed else EXIT_OK)

    _guarded(run)


@rules_app.command("export", cls=ZwgkCommand)
def rules_export(
    rules: Annotated[str, typer.Argument(help="内置编号或 YAML 文件。")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的 .xlsx 表格。")],
    force: ForceOpt = False,
) -> None:
    """把考核细则导出为与官方评分表同样版式的表格（另含编号、计分方式等结构化列）。"""

    def run():
        from .ruleio import export_rules

        export_rules(_load(rules), output, force=force)
        _err_console().print(f"已导出：{output}", markup=False)

    _guarded(run)


@rules_app.command("import", cls=ZwgkCommand)
def rules_import(
    table: Annotated[Path, typer.Argument(help="官方版式的评分表（.xlsx/.xls/.ods）。")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的考核细则 YAML 文件。")],
    force: ForceOpt = False,
) -> None:
    """从评分表导入考核细则；结构化列为空时按评分标准原文推导，推导不了的条款留待人工填写（退出码 1）。"""

    def run():
        from .ruleio import import_to_file
        from .views import problems_view

        result = import_to_file(table, output, force=force)
        _err_console().print(f"已写入：{output}", markup=False)
        if result.unparsed:
            _out_console().print(problems_view(result.unparsed, title="需人工填写的条款（kind: null）"))
        raise typer.Exit(EXIT_REJECTED if result.unparsed else EXIT_OK)

    _guarded(run)
