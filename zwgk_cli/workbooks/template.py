"""The findings workbook (docs/workbook.md): built once per rule set, stamped once per unit.

>>> from zwgk_cli.rules.loading import load_rules
>>> layout = sheet_layout(load_rules())
>>> layout.header_row, layout.clause_rows["1"], layout.total_row
(4, 5, 47)
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from .. import constants as C
from ..cells import col_letter
from ..exact import show
from ..model import RESCALE_CATEGORY, Category, Clause, Indicator, Kind, RuleSet
from ..problems import Problem
from ..rules.wording import assessment_title
from .guide import rules_meta, write_guide, write_meta
from .output import Outputs, check_writable, formula_string, text_cell, unique_filenames
from .output_folder import settle_folder
from .scheme_formulas import (
    NA_MARK,
    SCHEME_COLUMNS,
    VETO_MARK,
    any_of,
    bonus_threshold,
    na_mark_formula,
    optional_validation,
    rescaled_helpers,
    rescaled_score,
    veto_mark_formula,
    vetoed_grade,
    vetoed_total,
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
HEADER_ROW = 4
WIDTHS = {"A": 6, "B": 11, "C": 9, "D": 17, "E": 5.5, "F": 44, "G": 15,
          "H": 8, "I": 16, "J": 8, "K": 8}
LETTER = {name: col_letter(i) for i, name in enumerate(C.HEADERS)}
IN, NOTE, PTS, SCORE = (LETTER[C.COL_INPUT], LETTER[C.COL_NOTE],
                        LETTER[C.COL_CLAUSE_POINTS], LETTER[C.COL_SCORE])


@dataclass
class Layout:
    """Where everything sits on the 评分表 sheet."""

    header_row: int = HEADER_ROW
    clause_rows: dict[str, int] = field(default_factory=dict)
    subtotal_rows: list[tuple[str, int, int, int]] = field(default_factory=list)  # name, row, first, last
    total_row: int = 0


def sheet_layout(rules: RuleSet) -> Layout:
    """Rows of clauses, subtotals (one per category and section) and the total."""
    layout = Layout()
    row = HEADER_ROW + 1
    blocks = [(c.name, c.clauses) for c in rules.categories]
    blocks += [(s.name, s.clauses) for s in rules.sections]
    for name, clauses in blocks:
        first = row
        for clause in clauses:
            layout.clause_rows[clause.id] = row
            row += 1
        layout.subtotal_rows.append((name, row, first, row - 1))
        row += 1
    layout.total_row = row
    return layout


# Hidden helper columns right of the table, one step each, so every formula stays short:
# L the 填报 text as the tool reads it; for counts and amounts M without its unit word and
# N the number (or 待核).
TEXT, BARE, QTY = "L", "M", "N"
_SPACES = ("\u3000", "\u00a0")  # full-width and no-break spaces, which the tool reads as spaces


def reading_formulas(clause: Clause, row: int) -> dict[str, str]:
    """Helper cells reading 填报 like :mod:`zwgk_cli.reading.values`: spaces and a unit word dropped,
    无/没有/未发现 as 0, 两/三 as numbers, numeric text only in its plain form; else 待核."""
    cell, text, bare = f"{IN}{row}", f"{TEXT}{row}", f"{BARE}{row}"
    spaced = f"ASC(CLEAN({cell}))"  # ASC: full-width ２/ｙ to 2/y, as the tool's NFKC does
    if clause.kind == Kind.FLAG:  # ends trimmed, lower case (LibreOffice may compare case-sensitively)
        for space in _SPACES:
            spaced = f'SUBSTITUTE({spaced},"{space}"," ")'
        return {TEXT: f"=LOWER(TRIM({spaced}))"}
    for space in (" ", *_SPACES):  # a number's spaces go wherever they are: "1 2" is 12
        spaced = f'SUBSTITUTE({spaced},"{space}","")'
    digit = f'SUBSTITUTE(SUBSTITUTE({bare},"两","二"),"〇","零")'
    chinese = f'IF(LEN({bare})=1,IFERROR(FIND({digit},"零一二三四五六七八九十")-1,"{C.PENDING}"),"{C.PENDING}")'
    plain = f'IF(VALUE({bare})&""={bare},VALUE({bare}),"{C.PENDING}")'  # "1,000", "1e3", "50%": 待核
    return {
        TEXT: f"={spaced}",
        # the last character off when it is a unit word and not all there is ("件" alone stays)
        BARE: f'=IF(ISNUMBER({cell}),{cell},LEFT({text},LEN({text})'
              f'-ISNUMBER(FIND(RIGHT({text}),"{C.UNIT_SUFFIXES}"))*(LEN({text})>1)))',
        QTY: f'=IF({bare}="","",IF(ISNUMBER({bare}),{bare},IF({any_of(bare, C.NONE_WORDS)},0,'
             f'IFERROR({plain},{chinese}))))',
    }


def clause_formula(clause: Clause, row: int) -> str:
    """Live 扣分/加分 formula: signed like the tool's points (−4 deducted, +1 added), or 待核
    when the helper cells could not read 填报 as the tool does (never a different number)."""
    sign = "" if clause.bonus else "-"
    per = show(clause.per)
    if clause.kind == Kind.FLAG:
        text = f"{TEXT}{row}"
        return (f'=IF({text}="",0,IF({any_of(text, C.YES_WORDS)},{sign}{per},'
                f'IF({any_of(text, C.NO_WORDS)},0,"{C.PENDING}")))')
    qty = f"{QTY}{row}"
    amount = f"{qty}*{per}"
    if clause.kind == Kind.COUNT:
        most = clause.max_count if clause.max_count is not None else C.LARGEST
        valid = f"AND({qty}>=0,{qty}<={most},{qty}=INT({qty}))"
        if clause.cap is not None:
            amount = f"MIN({amount},{show(clause.cap)})"
    else:
        valid = f"AND({qty}>=0,{qty}<={C.LARGEST},ROUND({qty},2)={qty})"
    return f'=IF({qty}="",0,IF(ISNUMBER({qty}),IF({valid},{sign}{amount},"{C.PENDING}"),"{C.PENDING}"))'


def _pending(span: str, formula: str) -> str:
    """``formula`` unless a clause row in ``span`` shows 待核: then 待核 too, never a partial sum."""
    return f'=IF(COUNTIF({span},"{C.PENDING}")>0,"{C.PENDING}",{formula.removeprefix("=")})'


def subtotal_formula(rules: RuleSet, layout: Layout, name: str, first: int, last: int) -> str:
    """Category score W − min(W, D) + B from the signed clause points; section sums.

    With 单项指标扣分上限 each indicator's deductions count at most its 赋分; with a bonus
    cap the 综合加分项 subtotal is at most the cap, and with a bonus threshold it counts only when
    the rest of the total reaches it (then 待核 while any row of the table shows 待核).
    """
    span = f"{PTS}{first}:{PTS}{last}"
    formula = _subtotal(rules, layout, name, span)
    if rules.bonus_min_total is not None and any(s.bonus and s.name == name for s in rules.sections):
        span = f"{PTS}{HEADER_ROW + 1}:{PTS}{layout.total_row - 1}"
        bonuses = {s.name for s in rules.sections if s.bonus}  # the total without any of them
        before = "+".join(f"{SCORE}{row}" for other, row, _, _ in layout.subtotal_rows if other not in bonuses)
        formula = bonus_threshold(rules, formula, before)
    return _pending(span, formula)


def _subtotal(rules: RuleSet, layout: Layout, name: str, span: str) -> str:
    category = next((c for c in rules.categories if c.name == name), None)
    if category is None:
        section = next(s for s in rules.sections if s.name == name)
        if section.bonus and rules.bonus_cap is not None:
            return f"=MIN({show(rules.bonus_cap)},SUM({span}))"
        return f"=SUM({span})"
    weight = show(category.weight)
    lost = _lost(rules, layout, category, span)
    gained = f'SUMIF({span},">0")'
    if _rescaled(rules, category):
        return rescaled_score(category, gained, _subtotal_row(layout, category.name))
    if rules.category_cap:
        return f"={weight}-MIN({weight},{lost})+{gained}"
    return f"={weight}-({lost})+{gained}"


def _lost(rules: RuleSet, layout: Layout, category: Category, span: str) -> str:
    """D: a category's deductions (each indicator's at most its 赋分 under 单项指标扣分上限)."""
    if rules.indicator_cap:
        return "+".join(_indicator_loss(indicator, layout) for indicator in category.indicators)
    return f'-SUMIF({span},"<0")'


def _rescaled(rules: RuleSet, category: Category) -> bool:
    return rules.not_applicable == RESCALE_CATEGORY and any(i.na for i in category.indicators)


def _subtotal_row(layout: Layout, name: str) -> int:
    return next(row for other, row, _, _ in layout.subtotal_rows if other == name)


def _indicator_marks(layout: Layout, indicator: Indicator) -> str:
    """The O cells (不适用 marks) of an indicator's clause rows."""
    rows = [layout.clause_rows[c.id] for c in indicator.clauses]
    return f"{NA_MARK}{min(rows)}:{NA_MARK}{max(rows)}"


def _scheme_cells(ws, rules: RuleSet, layout: Layout) -> None:
    """不适用 and 一票否决 on clause rows, rescaling helpers on subtotal rows (scheme_formulas)."""
    for clause in rules.clauses:
        row, indicator = layout.clause_rows[clause.id], rules.indicator_of(clause.id)
        if indicator.na:
            ws[f"{NA_MARK}{row}"] = na_mark_formula(f"{IN}{row}")
            ws[f"{PTS}{row}"] = with_not_applicable(clause_formula(clause, row), _indicator_marks(layout, indicator))
        if clause.veto:
            ws[f"{VETO_MARK}{row}"] = veto_mark_formula(clause, f"{TEXT}{row}", f"{QTY}{row}")
            if not clause.per:  # no points to show: say 否决 where it applies
                ws[f"{PTS}{row}"] = f'=IF({VETO_MARK}{row}=1,"{C.VETOED}",{ws[f"{PTS}{row}"].value[1:]})'
    for category in (c for c in rules.categories if _rescaled(rules, c)):
        _, row, first, last = next(r for r in layout.subtotal_rows if r[0] == category.name)
        marks = [(_indicator_marks(layout, i), i.points) for i in category.indicators if i.na]
        lost = _lost(rules, layout, category, f"{PTS}{first}:{PTS}{last}")
        for col, formula in rescaled_helpers(category, marks, lost, row, capped=rules.category_cap).items():
            ws[f"{col}{row}"] = formula


def _indicator_loss(indicator: Indicator, layout: Layout) -> str:
    rows = [layout.clause_rows[c.id] for c in indicator.clauses]
    loss = f'-SUMIF({PTS}{min(rows)}:{PTS}{max(rows)},"<0")'
    points = indicator.points
    return f"MIN({show(points)},{loss})" if points is not None else f"({loss})"


def grade_formula(rules: RuleSet, layout: Layout) -> str:
    """Nested IF over the grade bands, highest first; the lowest takes everything below.

    A 总分 of 待核 gives 待核 (text compares above every number, so it would read as the top band).
    """
    total = f"{SCORE}{layout.total_row}"
    *upper, lowest = rules.grades
    formula = formula_string(lowest.name)
    for grade in reversed(upper):
        formula = f'IF({total}>={show(grade.min)},{formula_string(grade.name)},{formula})'
    formula = vetoed_grade(rules, formula, _veto_marks(layout))
    return f'=IF(ISNUMBER({total}),{formula},"{C.PENDING}")'


def total_formula(rules: RuleSet, layout: Layout) -> str:
    """Subtotals added (floored); 待核 while any clause row shows 待核."""
    parts = "+".join(f"{SCORE}{row}" for _, row, _, _ in layout.subtotal_rows)
    total = f"={parts}" if rules.floor is None else f"=MAX({show(rules.floor)},{parts})"
    if rules.not_applicable == RESCALE_CATEGORY:  # hundredths added as binary fractions: back to the decimal
        total = f"=ROUND({total.removeprefix('=')},4)"
    span = f"{PTS}{HEADER_ROW + 1}:{PTS}{layout.total_row - 1}"
    return _pending(span, vetoed_total(rules, total, _veto_marks(layout)))


def _veto_marks(layout: Layout) -> str:
    return f"{VETO_MARK}{HEADER_ROW + 1}:{VETO_MARK}{layout.total_row - 1}"


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
    _pending_marks(ws, layout, st, uses_schemes=any(i.na for i in rules.indicators) or
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
    ws.merge_cells("A1:K1")
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
    text_cell(ws["A3"], f"考核细则：{rules.title}（{rules.label()}）。只填写黄色的“填报”“说明”两列："
                        "是否类选“是/否”（是＝存在扣分/加分情形），计数类填次数或件数，空白表示无此情形。"
                        f"“{C.COL_CLAUSE_POINTS}”显示“{C.PENDING}”时，表格无法识别该填报，请改为数字或“是/否”。"
                        f"详见“{C.GUIDE_SHEET}”工作表。")
    ws["A3"].font = st["small"]
    ws["A3"].alignment = st["wrap"]
    ws.merge_cells("A3:K3")
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
        if name in (C.COL_INPUT, C.COL_NOTE):
            cell.fill = st["input_fill"]
            cell.protection = Protection(locked=False)
    ws[f"{PTS}{row}"].number_format = C.NUMBER_FORMAT
    for col, formula in reading_formulas(clause, row).items():
        ws[f"{col}{row}"] = formula
    fit_row_height(ws, row, {k: v for k, v in WIDTHS.items() if k in "BCDFG"})


def _summary_row(ws, row: int, name: str, label: str, formula: str, weight: str, st) -> None:
    for col in range(1, len(C.HEADERS) + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = st["bold"]
        cell.border = st["border"]
        cell.fill = st["subtotal_fill"]
        cell.alignment = st["center"]
    ws[f"{LETTER[C.COL_CATEGORY]}{row}"] = name
    ws.merge_cells(f"{LETTER[C.COL_CATEGORY]}{row}:{LETTER[C.COL_GROUP]}{row}")
    ws[f"{LETTER[C.COL_INDICATOR]}{row}"] = label
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
        if rules.indicator_of(clause.id).na:  # 不适用 offered too: one check per cell (it names the cell)
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
                    notices: list[Problem] | None = None) -> list[Path]:
    """One workbook per unit (or the blank master without units); returns the paths.

    A unit in ``rules_by_unit`` gets that rule set's workbook, the others ``rules``'s.
    Nothing is written when any target exists and ``force`` is off. The workbooks an earlier
    run wrote into ``out_dir`` for units no longer on the roster are removed (while unchanged:
    :mod:`.output_folder`); what could not be is added to ``notices``.
    """
    targets = template_files(units, out_dir)
    outputs = Outputs(force=force)
    for path in targets.values():
        check_writable(path, force=force)  # every name refused before anything is built
    stamps: dict[str, Stamp] = {}
    generated_at = datetime.now().astimezone().isoformat(timespec="seconds")
    for unit, path in targets.items():
        unit_rules = (rules_by_unit or {}).get(unit, rules)
        if unit_rules.sha256 not in stamps:  # each rule set's workbook is built once
            stamps[unit_rules.sha256] = stamped_template(unit_rules)
        # stamped when written: 10,000 workbooks are never in memory at once
        values = {UNIT_TOKEN: unit, TIME_TOKEN: generated_at}
        outputs.add(path, partial(_write_stamped, stamps[unit_rules.sha256], values))
    written = outputs.commit()
    settled = settle_folder(out_dir, written)
    if notices is not None:
        notices += settled.notices
    return written


def _write_stamped(stamp: Stamp, values: dict[str, str], path: Path) -> None:
    path.write_bytes(stamp.copy(values))
