"""The summary's sheets for publishing: 共性问题 (where units lost points, with a chart of the
top ten, and each category's average, lowest and highest score), 分数分布 (units per 5-point
band or per 等次, with a chart), and last season's columns on 排名.

Each sheet function takes the summary's streaming sheet writer (``SummarySheet`` in ``streaming``:
``set_widths``, ``title``, ``heading``, ``header``, ``rows``, ``blank``, ``row``, ``ws``). Charts work on
write-only sheets: openpyxl writes them when the sheet is closed, referring to cells by address.
"""

from __future__ import annotations

from ..model import RuleSet, UnitResult
from ..rules.wording import assessment_title
from ..scoring.analysis import category_stats, common_losses, distribution
from ..scoring.seasons import change_label
from .style import print_setup

PREVIOUS_HEADERS = ("上年得分", "上年名次", "名次变化")
TOP = 10  # indicators in the chart of common problems
LOSS_HEADERS = ("序号", "一级指标", "三级指标", "编号", "失分单位数", "扣分合计", "平均扣分")


def previous_cells(unit: UnitResult) -> tuple:
    """上年得分, 上年名次, 名次变化 of one unit (blank and 新 when it was not ranked then)."""
    if unit.previous is None:
        return "", "", change_label(unit)
    return unit.previous.total, unit.previous.rank, change_label(unit)


def common_sheet(sheet, rules: RuleSet, units: list[UnitResult]) -> None:
    """共性问题: per indicator and per clause, the units that lost points there and how many
    points, most units first; a bar chart of the top ten; then per category its scores."""
    sheet.set_widths({1: 6, 2: 18, 3: 30, 4: 7, 5: 11, 6: 11, 7: 11})
    print_setup(sheet.ws, landscape=False)
    sheet.title(f"{assessment_title(rules)}共性问题",
                f"计分 {len(units)} 个单位；扣分按条款计（一级指标减分上限之前），平均扣分为失分单位的平均")
    indicators = common_losses(rules, units)
    sheet.heading("一、按三级指标")
    first = sheet.row + 1
    _loss_rows(sheet, indicators)
    if indicators:
        _top_chart(sheet, first, indicators)
    sheet.blank()
    sheet.heading("二、按条款")
    _loss_rows(sheet, common_losses(rules, units, by_clause=True))
    sheet.blank()
    sheet.heading("三、各一级指标得分")
    sheet.header(("序号", "一级指标", "权重", "平均得分", "最低分", "最高分", "失分单位数"))
    sheet.rows(([n, s.name, s.weight, s.average, s.lowest, s.highest, s.lost_by]
                for n, s in enumerate(category_stats(rules, units), start=1)), numbers=(1, 3, 4, 5, 6, 7))


def _loss_rows(sheet, losses) -> None:
    sheet.header(LOSS_HEADERS)
    sheet.rows(([n, loss.part, loss.indicator, loss.clause, loss.units, loss.points, loss.average]
                for n, loss in enumerate(losses, start=1)), numbers=(1, 4, 5, 6, 7))
    if not losses:
        sheet.rows([("", "（无）", "没有单位在此失分", "", "", "", "")])


def _top_chart(sheet, header_row: int, losses) -> None:
    """Bar chart of the units that lost points, for the first indicators (at most ten)."""
    from openpyxl.chart import Reference

    count = min(TOP, len(losses))
    chart = _bar_chart(f"失分单位最多的{count}项三级指标", "失分单位数", max(loss.units for loss in losses))
    chart.type = "bar"
    chart.x_axis.scaling.orientation = "maxMin"  # the most common problem at the top
    chart.add_data(Reference(sheet.ws, min_col=5, min_row=header_row, max_row=header_row + count),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet.ws, min_col=3, min_row=header_row + 1, max_row=header_row + count))
    chart.height = max(7.5, 0.9 * count + 3)
    sheet.ws.add_chart(chart, "I3")


def _bar_chart(title: str, axis: str, largest: int):
    """A bar chart of unit counts with value labels; whole-number ticks."""
    from openpyxl.chart import BarChart
    from openpyxl.chart.label import DataLabelList

    chart = BarChart()
    chart.title = title
    chart.legend = None
    chart.y_axis.title = axis
    chart.y_axis.scaling.min = 0
    chart.y_axis.majorUnit = max(1, -(-largest // 8))  # counts of units: no 0.5 ticks
    chart.y_axis.number_format = "0"
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.showSerName = chart.dataLabels.showCatName = False
    chart.dataLabels.showLegendKey = chart.dataLabels.showPercent = False
    chart.width = 18
    return chart


def distribution_sheet(sheet, rules: RuleSet, units: list[UnitResult]) -> None:
    """分数分布: units per 等次 (when the rule set has grades) or per 5-point band, with a chart."""
    from openpyxl.chart import Reference

    graded = bool(rules.grades)
    sheet.set_widths({1: 16, 2: 11, 3: 11, 4: 10, 5: 10})
    print_setup(sheet.ws, landscape=False)
    note = "按等次统计" if graded else "每段含下限、不含上限"
    sheet.title(f"{assessment_title(rules)}得分分布", f"计分 {len(units)} 个单位；{note}")
    bands = distribution(rules, units)
    lows = {g.name: g.min for g in rules.grades}
    share = [f"{b.units * 100 / len(units):.1f}%" if units else "" for b in bands]
    if graded:
        sheet.header(("等次", "最低分（含）", "单位数", "占比"))
        rows = ([b.label, lows[b.label], b.units, pct] for b, pct in zip(bands, share, strict=True))
    else:
        sheet.header(("分数段", "下限（含）", "上限（不含）", "单位数", "占比"))
        rows = ([b.label, b.low, b.high, b.units, pct] for b, pct in zip(bands, share, strict=True))
    first = sheet.row
    sheet.rows(rows, numbers=(2, 3, 4, 5))
    if not bands:
        return
    column = 3 if graded else 4
    chart = _bar_chart("各等次单位数" if graded else "各分数段单位数", "单位数", max(b.units for b in bands))
    chart.type = "col"
    chart.add_data(Reference(sheet.ws, min_col=column, min_row=first, max_row=first + len(bands)),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet.ws, min_col=1, min_row=first + 1, max_row=first + len(bands)))
    chart.height = 8
    sheet.ws.add_chart(chart, "G3")
