"""The county summary workbook: 排名, 分项得分, 未提交, 问题, 说明 and a chart of totals.

Written as streamed sheets (:mod:`.streaming`): rows become sheet XML as they are made, so a
province of 10,000 units costs seconds. (Such sheets do not merge cells; titles simply
overflow into the empty cells to their right.)
"""

from __future__ import annotations

from pathlib import Path

from .. import constants as C
from ..exact import show
from ..model import Report
from ..problems import LEVEL_LABELS
from ..reading.savetime import shown_time
from ..rules.wording import assessment_title, clause_rule, evidence_policy_text, policy_text
from .guide import output_meta
from .output import atomic_write, sheet_title, write_only_text
from .publishing import PREVIOUS_HEADERS, common_sheet, distribution_sheet, previous_cells
from .streaming import Formatted, StreamedBook, SummarySheet
from .style import print_setup, styles


def write_summary(report: Report, path: Path, *, force: bool) -> Path:
    return atomic_write(path, build_summary(report).save, force=force)


def build_summary(report: Report) -> StreamedBook:
    book = StreamedBook()
    st = styles()
    classes = report.classes()
    charts = []
    for rules, units in classes:  # one 排名 and 分项得分 sheet per class (rule set)
        suffix = f"（{report.class_label(rules)}）" if len(classes) > 1 else ""
        ranking = book.sheet(sheet_title(f"排名{suffix}"), st)
        _ranking_sheet(ranking, report, rules, units)
        _matrix_sheet(book.sheet(sheet_title(f"分项得分{suffix}"), st), rules, units, suffix)
        charts.append((f"总分图{suffix}", ranking.ws, units))
    _missing_sheet(book.sheet("未提交", st), report)
    _problem_sheet(book.sheet("问题", st), report)
    if _evidence_asked(report):
        evidence_sheet(book.sheet(EVIDENCE_SHEET, st), report)
    if report.adjustments or any(i.kind == C.KIND_REVIEW for i in report.inputs):
        _adjustment_sheet(book.sheet(ADJUSTMENT_SHEET, st), report)
    _about_sheet(book.sheet("说明", st), report)
    for name, ranking_ws, units in charts:
        _chart_sheet(book.wb.create_sheet(sheet_title(name)), ranking_ws, units)
    for rules, units in classes:
        suffix = f"（{report.class_label(rules)}）" if len(classes) > 1 else ""
        common_sheet(book.sheet(sheet_title(f"共性问题{suffix}"), st), rules, units)
        distribution_sheet(book.sheet(sheet_title(f"分数分布{suffix}"), st), rules, units)
    meta = book.wb.create_sheet(C.META_SHEET)  # marks the file as this tool's summary: never read as a return
    meta.sheet_state = "hidden"
    for key, value in output_meta("summary", report.generated_at).rows():
        meta.append([write_only_text(meta, key), write_only_text(meta, value)])
    return book


TIED_FORMAT = '0"（并列）"'  # a shared rank: the number, shown with 并列 beside it


def _ranking_sheet(sheet: SummarySheet, report: Report, rules, units) -> None:
    grades = ["等次"] if rules.grades else []
    last = list(PREVIOUS_HEADERS) if report.previous is not None else []
    headers = ["名次", "单位", "总分", *last, *(f"{c.name}（{show(c.weight)}）" for c in rules.categories),
               "综合加分", "重大扣分", *grades, "来源文件"]
    widths = {1: 8, 2: 22, 3: 8, **{col: 11 for col in range(4, len(headers))}, len(headers): 36}
    sheet.set_widths(widths)
    sheet.ws.freeze_panes = "C4"
    print_setup(sheet.ws, title_rows="3:3")
    sheet.title(f"{assessment_title(rules)}得分排名",
                f"考核细则：{rules.label()}　　生成时间：{shown_time(report.generated_at)}　　计分 {len(units)} 个单位"
                + (f"　　上年结果：{report.previous.source}" if last else ""))
    sheet.header(headers, height=45)
    counts: dict[int | None, int] = {}
    for unit in units:
        counts[unit.rank] = counts.get(unit.rank, 0) + 1
    sheet.rows(  # 名次 stays a number (sorting and filtering work in Excel/WPS); a tie shows as 2（并列）
        ([Formatted(u.rank, TIED_FORMAT) if counts[u.rank] > 1 else u.rank, u.unit, u.total,
          *(previous_cells(u) if last else ()),
          *(u.categories[c.name] for c in rules.categories), u.bonus, u.major_deductions,
          *([u.grade_shown] if grades else []), u.file]
         for u in units),
        numbers=(1, *range(3, len(headers) - len(grades))), bold=(3,))


def _matrix_sheet(sheet: SummarySheet, rules, units, label: str = "") -> None:
    clauses = rules.clauses
    sheet.set_widths({1: 6, 2: 22, **{col: 7.5 for col in range(3, len(clauses) + 3)}})
    sheet.ws.freeze_panes = "C5"
    print_setup(sheet.ws, title_rows="3:4")
    # 34 clause columns do not fit one page legibly: about 17 a page, unit names repeated.
    sheet.ws.page_setup.fitToWidth = max(1, -(-len(clauses) // 17))
    sheet.ws.print_title_cols = "A:B"
    sheet.title(f"分项得分{label}", f"考核细则：{rules.label()}　　扣分为负，加分为正")
    sheet.header(["名次", "单位", *(c.id for c in clauses)])
    sheet.header(["", "三级指标", *(rules.indicator_of(c.id).name for c in clauses)], height=110)
    sheet.rows(([u.rank, u.unit, *(u.shown_points(c) for c in u.clauses)] for u in units),
               numbers=(1, *range(3, len(clauses) + 3)))


def _missing_sheet(sheet: SummarySheet, report: Report) -> None:
    sheet.set_widths({1: 8, 2: 40, 3: 12, 4: 44})
    print_setup(sheet.ws, title_rows="3:3", landscape=False)
    incomplete = report.incomplete
    if report.roster is None:
        subtitle = "未提供名单（--roster），无法判断未提交的单位"
    else:
        subtitle = f"名单共 {len(report.roster)} 个单位，未提交 {len(report.missing or [])} 个"
    if incomplete:
        subtitle += f"；另有 {len(incomplete)} 个单位未提交评分表、其他来源未涵盖全部条款，暂不排名"
    sheet.title("未提交评分表的单位", subtitle)
    sheet.header(("序号", "单位名称", "类别", "说明"))
    listed = [(name, "") for name in report.missing or []]
    listed += [(name, "检查表等其他来源只涵盖部分条款，暂不排名") for name in incomplete]
    sheet.rows(([i, name, report.roster_classes.get(name, ""), why]
                for i, (name, why) in enumerate(listed, start=1)), numbers=(1,))


def _problem_sheet(sheet: SummarySheet, report: Report) -> None:
    problems = report.errors + report.warnings + [w for u in report.units for w in u.warnings]
    sheet.set_widths({1: 6, 2: 28, 3: 9, 4: 8, 5: 10, 6: 60, 7: 16})
    print_setup(sheet.ws, title_rows="3:3")
    sheet.title("问题清单（错误的文件未计分，警告仅提醒）", f"错误 {len(report.errors)} 条")
    sheet.header(("级别", "文件", "工作表", "单元格", "填报值", "问题", "代码"))
    sheet.rows([LEVEL_LABELS[p.level], p.file, p.sheet, p.cell, p.value, p.message, p.code]
               for p in problems)


def _about_sheet(sheet: SummarySheet, report: Report) -> None:
    sheet.set_widths({1: 16, 2: 30, 3: 30, 4: 66, 5: 10, 6: 14})
    print_setup(sheet.ws)
    sheet.title("说明", "本汇总由 zwgk 按考核细则从交回的评分表重新计算，不采用表内公式。")
    sheet.rows([("生成时间", shown_time(report.generated_at), "", "")])
    for rules, _ in report.classes():
        sheet.blank()
        sheet.rows([
            ("考核细则", rules.title, "", ""),
            ("编号与版本", f"{rules.label()}（{report.class_label(rules)}）", "", ""),
            ("考核细则 sha256", rules.sha256, "", ""),
            ("计分规则", policy_text(rules), "", ""),
        ])
        for headers, rows in (
            (("勘误", "位置", "原表", "处理"), ([e.id, e.where, e.source, e.decision] for e in rules.errata)),
            (("编号", "三级指标", "计分", "评分标准"),
             ([c.id, rules.indicator_of(c.id).name, clause_rule(c), c.text] for c in rules.clauses)),
        ):
            sheet.header(headers)
            sheet.rows(rows)
    if report.newest is not None:
        _newest_rows(sheet, report)
    sheet.blank()
    sheet.header(("文件", "单位", "状态", "sha256", "种类", "来源"))
    skipped = report.skipped
    sheet.rows([i.file, i.unit, i.status, i.sha256, C.FILE_KIND_LABELS.get(i.kind, i.kind), i.source]
               for i in report.inputs if i.status != C.STATUS_SKIPPED)
    if skipped:  # something a unit sent that is not a workbook: the office should know
        sheet.blank()
        sheet.header(("已跳过的文件", "原因", "状态", ""))
        sheet.rows([i.file, i.reason, i.status, ""] for i in skipped)


EVIDENCE_SHEET = C.COL_EVIDENCE


def _evidence_asked(report: Report) -> bool:
    """Whether a rule set used asks for evidence, or some unit sent any."""
    return any(c.evidence != "none" for rules, _ in report.classes() for c in rules.clauses) or any(
        c.evidence or c.evidence_missing for u in report.units for c in u.clauses)


def evidence_sheet(sheet: SummarySheet, report: Report) -> None:
    """印证材料: per unit how much was found and missing, then every item by unit and clause (file,
    where it lies, size and sha256 for the archive; or the link), and what is missing."""
    sheet.set_widths({1: 22, 2: 14, 3: 10, 4: 30, 5: 44, 6: 12, 7: 66})
    # No repeated header row: the sheet holds two tables with different headers, and row 3 heads
    # only the first (repeated over the item list it would name the wrong columns).
    print_setup(sheet.ws)
    policies = "；".join(f"{report.class_label(r)}：{evidence_policy_text(r)}" for r, _ in report.classes())
    sheet.title("印证材料", f"{policies}。文件的大小和 sha256 供核对与归档。")
    sheet.header(("单位", "文件数", "网址数", "缺少或有误（处）", "未提供的条款", "不计或按扣分计的条款"), height=30)
    for unit in report.units:
        absent = [w.clause for w in unit.warnings if w.code == "evidence-absent"]
        changed = [c.id for c in unit.clauses if c.evidence_effect]
        files = len({e.file for c in unit.clauses for e in c.evidence if not e.url})  # a file proving several: once
        links = len({e.url for c in unit.clauses for e in c.evidence if e.url})
        sheet.rows([(unit.unit, files, links, sum(len(c.evidence_missing) for c in unit.clauses), "、".join(absent),
                     "、".join(changed))], numbers=(2, 3, 4))
    sheet.blank()
    sheet.header(("单位", "条款", "类型", "列出的名称", "所在位置", "大小（字节）", "sha256 或网址"))
    for unit in report.units:  # one row per file or link a unit sent (a file proving several clauses: once)
        sheet.rows(_evidence_rows(unit), numbers=(6,))  # rows as tall as a long list of clauses


def _evidence_rows(unit) -> list[list]:
    """A unit's evidence, one row per file, link or name not found, with the clauses it is listed for."""
    found: dict[tuple, list[str]] = {}
    for clause in unit.clauses:
        for item in clause.evidence:
            key = ("网址", item.url, "", None, item.url) if item.url else (
                "文件", item.name, item.file, item.size, item.sha256)
            found.setdefault(key, []).append(clause.id)
        for name in clause.evidence_missing:
            found.setdefault(("缺少或有误", name, "", None, ""), []).append(clause.id)
    return [[unit.unit, "、".join(ids), *key] for key, ids in found.items()]


ADJUSTMENT_SHEET = "复核调整"


def _adjustment_sheet(sheet: SummarySheet, report: Report) -> None:
    """Every review row applied: the clause and total before and after, the reason, where it was written."""
    sheet.set_widths({1: 6, 2: 24, 3: 6, 4: 26, 5: 12, 6: 9, 7: 9, 8: 9, 9: 9, 10: 40, 11: 26, 12: 8})
    print_setup(sheet.ws, title_rows="3:3")
    sheet.title("复核调整（覆盖各来源的填报）",
                f"共 {len(report.adjustments)} 项；调整前为空表示各来源填报不一致，由复核确定")
    sheet.header(("序号", "单位", "编号", "调整前填报", "调整后填报", "调整前得分", "调整后得分", "调整前总分",
                  "调整后总分", "理由", "复核调整表", "单元格"))
    sheet.rows(([i, a.unit, a.clause, a.before_input, a.after_input, a.before_points, a.after_points,
                 a.before_total, a.after_total, a.reason, a.file, a.cell]
                for i, a in enumerate(report.adjustments, start=1)), numbers=(1, 6, 7, 8, 9))


def _newest_rows(sheet: SummarySheet, report: Report) -> None:
    """Which version was taken per unit under --newest, so the choice can be checked."""
    sheet.blank()
    sheet.rows([("取最新版本", "本次使用了 --newest：同一单位交回多份评分表时，按工作簿自身记录的保存时间"
                 f"取最新的一份计分，其余列为“{C.STATUS_SUPERSEDED}”；"
                 "保存时间缺失或相同时不作选择，仍按重复处理。", "", "")])
    sheet.header(("单位", "采用的文件", "保存时间", "被替代的文件"))
    sheet.rows([c.unit, c.file, shown_time(c.saved_at), "、".join(c.superseded)] for c in report.newest or [])
    if not report.newest:
        sheet.rows([("（无）", "没有单位交回多份评分表", "", "")])


def _chart_sheet(ws, ranking, units) -> None:
    """A bar chart of totals, reading its data from the 排名 sheet."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList

    count = len(units)
    ws.append(["各单位总分" if count else "没有计分的单位"])
    if count == 0:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = "各单位总分"
    chart.legend = None
    chart.y_axis.title = "总分"
    chart.y_axis.scaling.min = 0
    chart.x_axis.scaling.orientation = "maxMin"  # first place at the top
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.add_data(Reference(ranking, min_col=3, min_row=3, max_row=3 + count), titles_from_data=True)
    chart.set_categories(Reference(ranking, min_col=2, min_row=4, max_row=3 + count))
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.showSerName = chart.dataLabels.showCatName = False
    chart.dataLabels.showLegendKey = chart.dataLabels.showPercent = False
    chart.height = max(8, 0.9 * count + 4)
    chart.width = 24
    ws.add_chart(chart, "A3")
    print_setup(ws)
