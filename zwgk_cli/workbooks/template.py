"""The findings workbook (docs/workbook.md): built once per rule set, stamped once per unit; its
live formulas are :mod:`.formulas`."""

from __future__ import annotations

import io
from datetime import datetime
from functools import partial
from pathlib import Path

from .. import constants as C
from ..cells import xml_text
from ..exact import show
from ..model import NO_EVIDENCE, REQUIRED, Clause, Kind, RuleSet
from ..problems import Problem
from ..rules.wording import assessment_title
from .formulas import (
    BARE,
    HEADER_ROW,
    IN,
    LETTER,
    PTS,
    QTY,
    SCORE,
    TEXT,
    Layout,
    category_loss,
    clause_formula,
    grade_formula,
    indicator_marks,
    reading_formulas,
    rescaled,
    sheet_layout,
    subtotal_formula,
    total_formula,
)
from .guide import rules_meta, write_guide, write_meta
from .output import Outputs, check_writable, text_cell, unique_filenames
from .output_folder import settle_folder
from .scheme_formulas import (
    NA_MARK,
    SCHEME_COLUMNS,
    VETO_MARK,
    na_mark_formula,
    optional_validation,
    rescaled_helpers,
    veto_mark_formula,
    with_not_applicable,
)
from .stamping import Stamp
from .style import (
    fit_row_height,
    print_setup,
    set_widths,
    styles,
    table_header,
)

MASTER_FILE = "scoring_template.xlsx"
UNIT_CELL = C.UNIT_CELL
WIDTHS = {"A": 6, "B": 11, "C": 9, "D": 17, "E": 5.5, "F": 44, "G": 15,
          "H": 8, "I": 16, "J": 18, "K": 8, "L": 8}
LAST = LETTER[C.HEADERS[-1]]  # the table's last column


def _scheme_cells(ws, rules: RuleSet, layout: Layout) -> None:
    """不适用 and 一票否决 on clause rows, rescaling helpers on subtotal rows (scheme_formulas)."""
    for clause in rules.clauses:
        row, indicator = layout.clause_rows[clause.id], rules.indicator_of(clause.id)
        if indicator.allows_not_applicable:
            ws[f"{NA_MARK}{row}"] = na_mark_formula(f"{IN}{row}")
            ws[f"{PTS}{row}"] = with_not_applicable(clause_formula(clause, row), indicator_marks(layout, indicator))
        if clause.veto:
            ws[f"{VETO_MARK}{row}"] = veto_mark_formula(clause, f"{TEXT}{row}", f"{QTY}{row}")
            if not clause.per:  # no points to show: say 否决 where it applies
                ws[f"{PTS}{row}"] = f'=IF({VETO_MARK}{row}=1,"{C.VETOED}",{ws[f"{PTS}{row}"].value[1:]})'
    for category in (c for c in rules.categories if rescaled(rules, c)):
        _, row, first, last = next(r for r in layout.subtotal_rows if r[0] == category.name)
        marks = [(indicator_marks(layout, i), i.points) for i in category.indicators if i.allows_not_applicable]
        lost = category_loss(rules, layout, category, f"{PTS}{first}:{PTS}{last}")
        for col, formula in rescaled_helpers(category, marks, lost, row, capped=rules.category_cap).items():
            ws[f"{col}{row}"] = formula


def build_template(rules: RuleSet, unit: str = "", generated_at: str = ""):
    """The findings workbook for a rule set: for ``unit`` (the blank master without one)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = C.SCORE_SHEET
    st = styles()
    layout = sheet_layout(rules)
    _top_rows(ws, rules, st)
    table_header(ws, HEADER_ROW, C.HEADERS, st)
    for clause in rules.clauses:
        _clause_row(ws, rules, clause, layout.clause_rows[clause.id], st)
    for name, row, first, last in layout.subtotal_rows:
        _summary_row(ws, row, name, C.SUBTOTAL_LABEL, subtotal_formula(rules, layout, name, first, last),
                     _weight_of(rules, name), st)
    _summary_row(ws, layout.total_row, "", C.TOTAL_LABEL, total_formula(rules, layout),
                 show(rules.full_marks), st)
    if rules.grades:  # 等次 under the total, from the same bands as the tool
        _summary_row(ws, layout.total_row + 1, "", C.GRADE_LABEL, grade_formula(rules, layout), "", st)
    _scheme_cells(ws, rules, layout)
    _validations(ws, rules, layout)
    _pending_marks(ws, layout, st, uses_schemes=any(i.allows_not_applicable for i in rules.indicators) or
                   any(c.veto for c in rules.clauses))
    set_widths(ws, WIDTHS)
    ws.freeze_panes = f"E{HEADER_ROW + 1}"
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    write_guide(wb.create_sheet(C.GUIDE_SHEET), rules, st)
    text_cell(ws[UNIT_CELL], unit or None)
    write_meta(wb.create_sheet(C.META_SHEET), rules_meta(rules, unit=unit, generated_at=generated_at))
    # No cached results are stored: ask Excel/WPS to calculate everything on open.
    wb.calculation.fullCalcOnLoad = True
    return wb


def _weight_of(rules: RuleSet, name: str) -> str:
    return next((show(c.weight) for c in rules.categories if c.name == name), "")


def _top_rows(ws, rules: RuleSet, st) -> None:
    from openpyxl.styles import Font, Protection

    text_cell(ws["A1"], assessment_title(rules).replace("考核", "考核评分表", 1))
    ws["A1"].font = st["title"]
    ws["A1"].alignment = st["center"]
    ws.merge_cells(f"A1:{LAST}1")
    ws.row_dimensions[1].height = 30
    ws[C.UNIT_LABEL_CELL] = C.UNIT_LABEL
    ws[C.UNIT_LABEL_CELL].font = Font(name=st["bold"].name, size=12, bold=True)
    ws.merge_cells("A2:B2")
    name_cell = ws[UNIT_CELL]
    name_cell.font = Font(name=st["bold"].name, size=12, bold=True, underline="single")
    name_cell.fill = st["input_fill"]
    name_cell.protection = Protection(locked=False)
    ws.merge_cells(f"{UNIT_CELL}:F2")
    ws.row_dimensions[2].height = 22
    text_cell(ws["A3"], f"考核细则：{rules.title}（{rules.label()}）。只填写黄色的“填报”“说明”“印证材料”列："
                        "是否类选“是/否”（是＝存在扣分/加分情形），计数类填次数或件数，空白表示无此情形；"
                        "“印证材料”填随表提交的文件名或本单位网站的网页链接，每行一个。"
                        f"“{C.COL_CLAUSE_POINTS}”显示“{C.PENDING}”时，表格无法识别该填报，请改为数字或“是/否”。"
                        f"详见“{C.GUIDE_SHEET}”工作表。")
    ws["A3"].font = st["small"]
    ws["A3"].alignment = st["wrap"]
    ws.merge_cells(f"A3:{LAST}3")
    ws.row_dimensions[3].height = 30


def _clause_row(ws, rules: RuleSet, clause: Clause, row: int, st) -> None:
    from openpyxl.styles import Protection

    indicator = rules.indicator_of(clause.id)
    values = {
        C.COL_ID: clause.id,
        C.COL_CATEGORY: rules.part_of(clause.id).name,
        C.COL_GROUP: indicator.group,
        C.COL_INDICATOR: indicator.name,
        C.COL_POINTS: show(indicator.stated_points(clause.id)),
        C.COL_RULE: clause.text,
        C.COL_METHOD: indicator.method,
        C.COL_CLAUSE_POINTS: clause_formula(clause, row),
    }
    for col, name in enumerate(C.HEADERS, start=1):
        cell = ws.cell(row=row, column=col)
        value = values.get(name)
        if name == C.COL_CLAUSE_POINTS:
            cell.value = value
        elif value:
            text_cell(cell, value)
        cell.font = st["body"]
        cell.border = st["border"]
        centred = name in (C.COL_ID, C.COL_POINTS, C.COL_INPUT, C.COL_CLAUSE_POINTS, C.COL_SCORE)
        cell.alignment = st["center"] if centred else st["wrap"]
        if name in (C.COL_INPUT, C.COL_NOTE) or (name == C.COL_EVIDENCE and clause.evidence != NO_EVIDENCE):
            cell.fill = st["input_fill"]
            cell.protection = Protection(locked=False)
    ws[f"{PTS}{row}"].number_format = C.NUMBER_FORMAT
    for col, formula in reading_formulas(clause, row).items():
        ws[f"{col}{row}"] = formula
    fit_row_height(ws, row, {k: v for k, v in WIDTHS.items() if k in "BCDFG"})
    if clause.evidence == REQUIRED:  # what the unit should send: a note on its 印证材料 cell
        from openpyxl.comments import Comment

        ws[f"{LETTER[C.COL_EVIDENCE]}{row}"].comment = Comment(
            f"须提供印证材料：{xml_text(indicator.method) or '相关材料'}。填写随表提交的文件名或网页链接，每行一个。",
            "zwgk", width=260, height=90)


def _summary_row(ws, row: int, name: str, label: str, formula: str, weight: str, st) -> None:
    for col in range(1, len(C.HEADERS) + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = st["bold"]
        cell.border = st["border"]
        cell.fill = st["subtotal_fill"]
        cell.alignment = st["center"]
    text_cell(ws[f"{LETTER[C.COL_CATEGORY]}{row}"], name)  # a category's name from a rule file: text, never a formula
    ws.merge_cells(f"{LETTER[C.COL_CATEGORY]}{row}:{LETTER[C.COL_GROUP]}{row}")
    text_cell(ws[f"{LETTER[C.COL_INDICATOR]}{row}"], label)
    ws[f"{LETTER[C.COL_POINTS]}{row}"] = weight or None
    ws[f"{SCORE}{row}"] = formula
    ws[f"{SCORE}{row}"].number_format = C.NUMBER_FORMAT
    ws.row_dimensions[row].height = 20


def _pending_marks(ws, layout: Layout, st, *, uses_schemes: bool = False) -> None:
    """Hide the helper columns; show 待核 in red wherever a formula gives it."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font

    for col in (TEXT, BARE, QTY, *(SCHEME_COLUMNS if uses_schemes else ())):
        ws.column_dimensions[col].hidden = True
    first = HEADER_ROW + 1
    last = layout.total_row + 1  # the 等次 row, when there is one
    red = Font(name=st["bold"].name, bold=True, color="C00000")
    ws.conditional_formatting.add(f"{PTS}{first}:{SCORE}{last}",
                                  FormulaRule(formula=[f'{PTS}{first}="{C.PENDING}"'], font=red))
    if uses_schemes:
        ws.conditional_formatting.add(f"{PTS}{first}:{PTS}{last}",
                                      FormulaRule(formula=[f'{PTS}{first}="{C.VETOED}"'], font=red))


def _validations(ws, rules: RuleSet, layout: Layout) -> None:
    """是/否 dropdown and number checks that refuse bad input (error alert: stop)."""
    groups: dict[tuple, list[str]] = {}
    for clause in rules.clauses:
        cell = f"{IN}{layout.clause_rows[clause.id]}"
        if rules.indicator_of(clause.id).allows_not_applicable:  # 不适用 offered too: one check per cell
            key = (clause.kind, clause.max_count, cell)
        else:
            key = (clause.kind, clause.max_count, "")
        groups.setdefault(key, []).append(cell)
    for (kind, most, optional), cells in groups.items():
        dv = input_validation(kind, most, optional)
        ws.add_data_validation(dv)
        for cell in cells:
            dv.add(cell)


def input_validation(kind: Kind, most: int | None, optional: str = ""):
    """The validation of one kind of 填报 cell (also a matrix's input columns); ``optional``: the
    first cell it checks, when the indicator may be 不适用."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if optional:
        dv = optional_validation(kind, most, optional)
    elif kind == Kind.FLAG:
        dv = DataValidation(type="list", formula1=f'"{C.YES},{C.NO}"', allow_blank=True)
        dv.prompt, dv.error = f"请选择“{C.YES}”或“{C.NO}”", f"只能填写“{C.YES}”或“{C.NO}”"
    elif kind == Kind.COUNT:
        upper = most if most is not None else C.LARGEST
        dv = DataValidation(type="whole", operator="between", formula1="0",
                            formula2=str(upper), allow_blank=True)
        dv.prompt = f"填写次数/件数（0–{upper} 的整数）"
        dv.error = f"请填写 0 到 {upper} 之间的整数"
    else:
        dv = DataValidation(type="decimal", operator="between", formula1="0",
                            formula2=str(C.LARGEST), allow_blank=True)
        dv.prompt, dv.error = "填写分值（不小于 0，最多两位小数）", "请填写不小于 0 的数"
    dv.errorTitle, dv.promptTitle = "填报有误", C.COL_INPUT
    dv.showErrorMessage = dv.showInputMessage = True
    dv.errorStyle = "stop"
    return dv


UNIT_TOKEN, TIME_TOKEN = "ZWGK-UNIT-7f3a9c", "ZWGK-TIME-7f3a9c"


def stamped_template(rules: RuleSet) -> Stamp:
    """The workbook built once, with placeholders where the unit and the time go."""
    wb = build_template(rules, UNIT_TOKEN, TIME_TOKEN)
    buffer = io.BytesIO()
    wb.save(buffer)
    return Stamp(buffer.getvalue(), (UNIT_TOKEN, TIME_TOKEN))


def template_files(units: list[str], out_dir: Path) -> dict[str, Path]:
    """Output path per unit: safe and distinct file names (the unit's own name stays in the
    workbook and its _meta, so a renamed file still reads as that unit)."""
    if not units:
        return {"": out_dir / MASTER_FILE}
    return {unit: out_dir / name for unit, name in zip(units, unique_filenames(units, ".xlsx"), strict=True)}


def write_templates(rules: RuleSet, units: list[str], out_dir: Path, *, force: bool = False,
                    rules_by_unit: dict[str, RuleSet] | None = None,
                    warnings: list[Problem] | None = None) -> list[Path]:
    """One workbook per unit (or the blank master without units); returns the paths.

    A unit in ``rules_by_unit`` gets that rule set's workbook, the others ``rules``'s.
    Nothing is written when any target exists and ``force`` is off. The workbooks an earlier
    run wrote into ``out_dir`` for units no longer on the roster are removed (while unchanged:
    :mod:`.output_folder`); what could not be is added to ``warnings``.
    """
    targets = template_files(units, out_dir)
    outputs = Outputs(force=force)
    for path in targets.values():
        check_writable(path, force=force)  # every name refused before anything is built
    stamps: dict[int, Stamp] = {}  # by rule set (two built by hand may share an empty sha256)
    generated_at = datetime.now().astimezone().isoformat(timespec="seconds")
    for unit, path in targets.items():
        unit_rules = (rules_by_unit or {}).get(unit, rules)
        if id(unit_rules) not in stamps:  # each rule set's workbook is built once
            stamps[id(unit_rules)] = stamped_template(unit_rules)
        # stamped when written: 10,000 workbooks are never in memory at once
        values = {UNIT_TOKEN: unit, TIME_TOKEN: generated_at}
        outputs.add(path, partial(_write_stamped, stamps[id(unit_rules)], values))
    written = outputs.commit()
    settled = settle_folder(out_dir, written)
    if warnings is not None:
        warnings += settled.warnings
    return written


def _write_stamped(stamp: Stamp, values: dict[str, str], path: Path) -> None:
    path.write_bytes(stamp.copy(values))
