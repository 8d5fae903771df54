"""扣分情况反馈单: one printable workbook per unit, explaining every point lost or gained."""

from __future__ import annotations

from pathlib import Path

from . import constants as C
from .exact import rounded
from .output import atomic_write, check_writable, text_cell, unique_filenames
from .rules import RuleSet
from .scoring import UnitResult, cap_notes
from .sheetstyle import fit_row_height, print_setup, set_widths, styles, table_header, title_rows
from .templateguide import assessment_title

SHEET = "扣分情况反馈单"
HEADERS = ("编号", "一级指标", "三级指标", "评分标准", "填报", "说明", "扣分/加分", "来源单元格", "整改情况")
WIDTHS = {"A": 6, "B": 12, "C": 16, "D": 44, "E": 7, "F": 18, "G": 8, "H": 9, "I": 26}
NUMBER_FORMAT = "0.##;-0.##;0"


def feedback_targets(results: list[UnitResult], out_dir: Path, *, force: bool) -> dict[str, Path]:
    """The path of each unit's feedback file; checks them all before anything is written."""
    units = [result.unit for result in results]
    targets = {unit: out_dir / name for unit, name in zip(units, unique_filenames(units, C.FEEDBACK_SUFFIX),
                                                           strict=True)}
    for path in targets.values():
        check_writable(path, force=force)
    return targets


def write_feedback(report, targets: dict[str, Path], *, force: bool) -> list[Path]:
    """Each unit's feedback sheet, under the rule set its workbook was made from."""
    return [atomic_write(targets[r.unit], build_feedback(report.rule_set(r.rules_id), r).save, force=force)
            for r in report.units]


def build_feedback(rules: RuleSet, result: UnitResult):
    """The feedback workbook of one unit."""
    from openpyxl import Workbook

    st = styles()
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    title_rows(ws, f"{assessment_title(rules)}扣分情况反馈单",
               f"考核细则：{rules.label()}　　来源文件：{result.file}", "I", st)
    text_cell(ws["A3"], f"{C.UNIT_LABEL}{result.unit}")
    ws["A3"].font = st["bold"]
    ws.merge_cells("A3:E3")
    grade = f"　等次：{result.grade}" if result.grade else ""
    ws["F3"] = f"总分：{rounded(result.total).normalize():f}{grade}"
    ws["F3"].font = st["bold"]
    ws.merge_cells("F3:I3")
    table_header(ws, 4, HEADERS, st)
    row = 5
    for clause in result.clauses:
        if clause.points == 0 and not clause.input:
            continue
        rule = rules.clause(clause.id)
        values = (clause.id, rule.category, rule.indicator, rule.text, clause.input,
                  clause.note, clause.points, clause.cell, None)
        _table_row(ws, row, values, st)
        fit_row_height(ws, row, {k: WIDTHS[k] for k in "BCDF"})
        row += 1
    if row == 5:
        _table_row(ws, row, ("", "", "无扣分、加分事项", "", "", "", 0, "", None), st)
        row += 1
    row = _category_table(ws, rules, result, row + 1, st)
    for note in cap_notes(rules, result):  # why a category lost less than its clauses add up to
        ws.cell(row=row, column=2, value=f"注：{note}").font = st["small"]
        row += 1
    reply = ws.cell(row=row + 1, column=1, value="请在“整改情况”列填写整改措施及完成时限，盖章后反馈县政府办公室。")
    reply.font = st["small"]
    set_widths(ws, WIDTHS)
    print_setup(ws, title_rows="4:4")
    ws.freeze_panes = "A5"
    return wb


def _table_row(ws, row: int, values, st) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        text_cell(cell, value)
        cell.font = st["body"]
        cell.border = st["border"]
        cell.alignment = st["center"] if col in (1, 5, 7, 8) else st["wrap"]
    ws.cell(row=row, column=7).number_format = NUMBER_FORMAT


def _category_table(ws, rules: RuleSet, result: UnitResult, row: int, st) -> int:
    """一级指标 scores, then 综合加分项, 重大扣分项 and 总分; returns the next free row."""
    table_header(ws, row, ("", "一级指标", "", "权重", "", "", "得分"), st)
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
    lines = [(c.name, c.weight, result.categories[c.name]) for c in rules.categories]
    lines += [("综合加分项", None, result.bonus), ("重大扣分项", None, -result.major),
              (C.TOTAL_LABEL, rules.full_marks, result.total)]
    for name, weight, value in lines:
        row += 1
        for col, cell_value in ((2, name), (3, None), (4, weight), (7, value)):
            cell = ws.cell(row=row, column=col, value=cell_value)
            cell.font = st["bold"] if name == C.TOTAL_LABEL else st["body"]
            cell.border = st["border"]
            cell.alignment = st["center"]
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        ws.cell(row=row, column=7).number_format = NUMBER_FORMAT
    return row + 1
