"""The rule-set commands (``zwgk rules …``): list, show and check the scoring tables, parse a rule
text, and take a county's table to and from a spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..problems import ExitStatus, ZwgkError
from .options import DEFAULT_RULES, ForceOpt, JsonOpt, RulesArg
from .running import guarded, load, out_console, output_file, say
from .text import emit_json


def rules_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """列出内置考核细则。"""

    def list_rule_sets():
        from ..rules.loading import builtin_ids, load_rules
        from .views import rules_list_view

        sets = [load_rules(i) for i in builtin_ids()]
        if as_json:
            emit_json({"rules": [r.identity() for r in sets]})
        else:
            out_console().print(rules_list_view(sets))

    guarded(ctx, list_rule_sets, as_json)


def rules_show(ctx: typer.Context, rules: RulesArg = DEFAULT_RULES[0]) -> None:
    """显示考核细则：一级指标、条款、计分方式、上限、印证材料要求和勘误。"""

    def show_rule_set():
        from .views import rules_view

        out_console().print(rules_view(load(rules)))

    guarded(ctx, show_rule_set)


def rules_check(ctx: typer.Context, rules: RulesArg = DEFAULT_RULES[0], as_json: JsonOpt = False) -> None:
    """检查考核细则是否自洽；有错误时退出码为 1，仅有警告或提示时为 0。"""

    def check_rule_set():
        from ..rules.checking import CheckReport, check_rules
        from .views import problems_view

        report = CheckReport(rules, check_rules(load(rules, checked=False)))
        if as_json:
            emit_json(report.to_dict())
        elif report.findings:
            out_console().print(problems_view(report.findings, title="检查结果"))
        else:
            out_console().print("未发现问题。")
        raise typer.Exit(report.exit_status)

    guarded(ctx, check_rule_set, as_json)


def rules_parse(
    ctx: typer.Context,
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
            out_console().print(parsed_view(result))
        raise typer.Exit(ExitStatus.REJECTED if result.unparsed else ExitStatus.OK)

    guarded(ctx, parse_text, as_json)


def rules_export(
    ctx: typer.Context,
    rules: RulesArg,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="文件", help="输出的 .xlsx 表格。")],
    force: ForceOpt = False,
) -> None:
    """把考核细则导出为与官方评分表同样版式的表格（另含编号、计分方式等结构化列）。"""

    def export_table():
        from ..workbooks.ruletable import export_rules

        loaded = load(rules)
        target = output_file(output, force)
        export_rules(loaded, target, force=force)
        say(f"已导出：{target}")

    guarded(ctx, export_table)


def rules_import(
    ctx: typer.Context,
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
        target = output_file(output, force, (".yaml", ".yml"))
        result = import_to_file(table, target, force=force)
        say(f"已写入：{target}")
        if result.unparsed:
            out_console().print(problems_view(result.unparsed, title="需人工填写的条款（kind: null）"))
        if result.invalid:
            out_console().print(problems_view(result.invalid, title="导入的考核细则还不能使用，请改正后再用"))
        raise typer.Exit(ExitStatus.REJECTED if result.unparsed or result.invalid else ExitStatus.OK)

    guarded(ctx, import_table)
