"""The county summary workbook: 排名, 分项得分, 未提交, 问题, 说明 and a chart of totals."""

from __future__ import annotations

from pathlib import Path

from .exact import show
from .output import atomic_write, text_cell
from .pipeline import Report
from .problems import LEVEL_LABELS
from .sheetstyle import fit_row_height, print_setup, set_widths, styles, table_header, title_rows
from .templateguide import clause_rule

NUMBER_FORMAT = "0.##;-0.##;0"
SHEETS = ("排名", "分项得分", "未提交", "问题", "说明", "总分图")


def write_summary(report: Report, path: Path, *, force: bool) -> Path:
    return atomic_write(path, build_summary(report).save, force=force)


def build_summary(report: Report):
    from openpyxl import Workbook

    st = styles()
    wb = Workbook()
    ranking = wb.active
    ranking.title = SHEETS[0]
    _ranking_sheet(ranking, report, st)
    _matrix_sheet(wb.create_sheet(SHEETS[1]), report, st)
    _missing_sheet(wb.create_sheet(SHEETS[2]), report, st)
    _problem_sheet(wb.create_sheet(SHEETS[3]), report, st)
    _about_sheet(wb.create_sheet(SHEETS[4]), report, st)
    _chart_sheet(wb.create_sheet(SHEETS[5]), ranking, report)
    return wb


def _rows(ws, first_row: int, rows, st, *, numbers: tuple[int, ...] = ()) -> int:
    """Write bordered rows of values (strings stay text); returns the next free row."""
    row = first_row
    for values in rows:
        for col, value in enumerate(values, start=1):
            cell = text_cell(ws.cell(row=row, column=col), value)
            cell.font = st["body"]
            cell.border = st["border"]
            cell.alignment = st["center"] if col in numbers else st["wrap"]
            if col in numbers:
                cell.number_format = NUMBER_FORMAT
        row += 1
    return row


def _ranking_sheet(ws, report: Report, st) -> None:
    rules = report.rules
    headers = ["名次", "单位", "总分", *(f"{c.name}（{show(c.weight)}）" for c in rules.categories),
               "综合加分", "重大扣分", "来源文件"]
    last = chr(ord("A") + len(headers) - 1)
    title_rows(ws, f"{rules.title.replace('考核细则与评分表', '考核')}得分排名",
               f"考核细则：{rules.label()}　　生成时间：{report.generated_at}　　"
               f"计分 {len(report.units)} 个单位", last, st)
    table_header(ws, 3, headers, st)
    tied = {u.rank for u in report.units if sum(1 for v in report.units if v.rank == u.rank) > 1}
    rows = [
        [f"{u.rank}（并列）" if u.rank in tied else u.rank, u.unit, u.total,
         *(u.categories[c.name] for c in rules.categories), u.bonus, u.major, u.file]
        for u in report.units
    ]
    numbers = tuple(range(3, len(headers)))
    _rows(ws, 4, rows, st, numbers=(1, *numbers))
    widths = {"A": 8, "B": 22, "C": 8}
    for i in range(len(rules.categories) + 2):
        widths[chr(ord("D") + i)] = 11
    widths[last] = 36
    for row in range(4, 4 + len(rows)):
        ws.cell(row=row, column=3).font = st["bold"]
        fit_row_height(ws, row, {"B": widths["B"], last: widths[last]})
    set_widths(ws, widths)
    ws.row_dimensions[3].height = 45
    ws.freeze_panes = "C4"
    print_setup(ws, title_rows="3:3")


def _matrix_sheet(ws, report: Report, st) -> None:
    clauses = report.rules.clauses
    title_rows(ws, "分项得分（扣分为负，加分为正）", f"考核细则：{report.rules.label()}",
               "F", st)
    table_header(ws, 3, ["名次", "单位", *(c.id for c in clauses)], st)
    table_header(ws, 4, ["", "三级指标", *(c.indicator for c in clauses)], st)
    rows = [[u.rank, u.unit, *(c.points for c in u.clauses)] for u in report.units]
    _rows(ws, 5, rows, st, numbers=(1, *range(3, len(clauses) + 3)))
    widths = {"A": 6, "B": 22}
    widths.update({_col(i): 7.5 for i in range(3, len(clauses) + 3)})
    set_widths(ws, widths)
    for cell in ws[4]:
        cell.font = st["small"]
    ws.row_dimensions[4].height = 110
    ws.freeze_panes = "C5"
    print_setup(ws, title_rows="3:4")
    # 34 clause columns do not fit one page legibly: print across pages, unit names repeated.
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.print_title_cols = "A:B"


def _col(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _missing_sheet(ws, report: Report, st) -> None:
    title_rows(ws, "未提交评分表的单位", f"名单共 {len(report.roster or [])} 个单位，"
               f"未提交 {len(report.missing or [])} 个" if report.roster is not None
               else "未提供名单（--roster），无法判断未提交的单位", "B", st)
    table_header(ws, 3, ("序号", "单位名称"), st)
    _rows(ws, 4, ([i, name] for i, name in enumerate(report.missing or [], start=1)), st,
          numbers=(1,))
    set_widths(ws, {"A": 8, "B": 40})
    print_setup(ws, title_rows="3:3", landscape=False)


def _problem_sheet(ws, report: Report, st) -> None:
    problems = report.errors + report.notices + [w for u in report.units for w in u.warnings]
    title_rows(ws, "问题清单（错误的文件未计分，警告仅提醒）",
               f"错误 {len(report.errors)} 条", "G", st)
    table_header(ws, 3, ("级别", "文件", "工作表", "单元格", "填报值", "问题", "代码"), st)
    rows = [[LEVEL_LABELS[p.level], p.file, p.sheet, p.cell, p.value, p.message, p.code]
            for p in problems]
    _rows(ws, 4, rows, st)
    widths = {"A": 6, "B": 28, "C": 9, "D": 8, "E": 10, "F": 60, "G": 16}
    for row in range(4, 4 + len(rows)):
        fit_row_height(ws, row, {"B": 28, "F": 60})
    set_widths(ws, widths)
    print_setup(ws, title_rows="3:3")


def _about_sheet(ws, report: Report, st) -> None:
    rules = report.rules
    title_rows(ws, "说明", "本汇总由 zwgk 按考核细则从交回的评分表重新计算，不采用表内公式。", "D", st)
    facts = [
        ("考核细则", rules.title, "", ""),
        ("编号与版本", rules.label(), "", ""),
        ("考核细则 sha256", rules.sha256, "", ""),
        ("生成时间", report.generated_at, "", ""),
        ("计分规则", "一级指标减分上限为自身权重；三级指标减分可突破自身赋分；重大扣分项不设上限；"
                     f"总分最低 {show(rules.floor) if rules.floor is not None else '不设下限'}", "", ""),
    ]
    row = _rows(ws, 3, facts, st)
    table_header(ws, row + 1, ("勘误", "位置", "原表", "处理"), st)
    row = _rows(ws, row + 2, ([e.id, e.where, e.source, e.decision] for e in rules.errata), st)
    table_header(ws, row + 1, ("编号", "三级指标", "计分", "评分标准"), st)
    row = _rows(ws, row + 2, ([c.id, c.indicator, clause_rule(c), c.text] for c in rules.clauses), st)
    table_header(ws, row + 1, ("文件", "单位", "状态", "sha256"), st)
    _rows(ws, row + 2, ([i.file, i.unit, i.status, i.sha256] for i in report.inputs), st)
    for r in range(3, ws.max_row + 1):
        fit_row_height(ws, r, {"B": 30, "C": 30, "D": 66})
    set_widths(ws, {"A": 16, "B": 30, "C": 30, "D": 66})
    print_setup(ws)


def _chart_sheet(ws, ranking, report: Report) -> None:
    """A bar chart of totals, reading its data from the 排名 sheet."""
    from openpyxl.chart import BarChart, Reference

    ws["A1"] = "各单位总分"
    count = len(report.units)
    if count == 0:
        ws["A2"] = "没有计分的单位"
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
    data = Reference(ranking, min_col=3, min_row=3, max_row=3 + count)
    names = Reference(ranking, min_col=2, min_row=4, max_row=3 + count)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(names)
    from openpyxl.chart.label import DataLabelList

    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.showSerName = chart.dataLabels.showCatName = False
    chart.dataLabels.showLegendKey = chart.dataLabels.showPercent = False
    chart.height = max(8, 0.9 * count + 4)
    chart.width = 24
    ws.add_chart(chart, "A3")
    print_setup(ws)
