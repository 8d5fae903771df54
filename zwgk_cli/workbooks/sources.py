"""The other findings workbooks: an inspection matrix (检查表) and the review table (复核调整表).

A matrix has one row per unit and one column per clause, for a team that checks every unit
(网上检查); the review table has one row per correction the office makes after the feedback
(复核). Both share the findings workbook's look, validation, protection and print setup, and
record their kind in a hidden ``_meta`` (docs/workbook.md, "Several sources").

>>> from zwgk_cli.rules.loading import load_rules
>>> [c.id for c in matrix_clauses(load_rules(), method="网上检查")][:4]
['4', '5', '6', '7']
>>> matrix_file("网上检查组")
'检查表_网上检查组.xlsx'

"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .. import constants as C
from ..cells import col_letter, xml_text
from ..model import Clause, Meta, RuleSet
from ..problems import Problem, ZwgkError, message
from ..rules.wording import assessment_title, clause_rule, how_to_fill
from .guide import rules_meta, write_guide, write_meta
from .output import atomic_write, check_writable, make_folder, safe_filename, text_cell
from .style import fit_row_height, print_setup, set_widths, styles, table_header
from .template import input_validation

MATRIX_HEADER_ROW = 4  # title, note, rule texts above the header
REVIEW_HEADER_ROW = 3
REVIEW_ROWS = 200  # empty rows ready for corrections
LISTS_SHEET = "_lists"  # hidden: the dropdowns' units and 编号
REVIEW_FILE = "复核调整表.xlsx"


def matrix_clauses(rules: RuleSet, ids: list[str] | None = None, method: str | None = None) -> list[Clause]:
    """The clauses a matrix asks for: the ``ids`` given, or those whose 考核方式 holds ``method``.
    ZwgkError (usage) naming what is unknown or matches nothing."""
    if ids:
        unknown = [i for i in ids if not rules.has_clause(i)]
        if unknown:
            raise ZwgkError.of("template-source", "clauses", rules=rules.label(), ids="、".join(unknown))
        return [rules.clause(i) for i in dict.fromkeys(ids)]
    chosen = [c for c in rules.clauses if method and method in rules.indicator_of(c.id).method]
    if not chosen:
        raise ZwgkError.of("template-source", "method", rules=rules.label(), word=method or "")
    return chosen


def matrix_file(source: str) -> str:
    """The matrix's file name: 检查表_网上检查组.xlsx."""
    return safe_filename(f"{C.MATRIX_SHEET}_{source}", ".xlsx") + ".xlsx"


def write_matrix(rules: RuleSet, clauses: list[Clause], units: list[str], source: str, out_dir: Path, *,
                 force: bool = False) -> Path:
    """Write the inspection matrix for ``units`` and ``clauses`` into ``out_dir``."""
    target = out_dir / matrix_file(source)
    check_writable(target, force=force)
    make_folder(out_dir, target)
    wb = build_matrix(rules, clauses, units, source)
    return atomic_write(target, wb.save, force=force)


def _clause_columns(clauses: list[Clause]) -> list[tuple[Clause, bool]]:
    """(clause, is_note) per column after the unit's: a 说明 column follows a clause that needs one."""
    columns = []
    for clause in clauses:
        columns.append((clause, False))
        if clause.needs_note:
            columns.append((clause, True))
    return columns


def build_matrix(rules: RuleSet, clauses: list[Clause], units: list[str], source: str):
    """The matrix workbook: 检查表 (units × clauses), 填报说明 and a hidden _meta."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = C.MATRIX_SHEET
    st = styles()
    columns = _clause_columns(clauses)
    last = col_letter(len(columns) + 2)  # the 印证材料 column after the clauses'
    _matrix_top(ws, rules, source, last, st)
    headers = ["序号", C.COL_UNIT] + [
        C.NOTE_HEADER.format(id=c.id) if note else f"{c.id} {rules.indicator_of(c.id).name}" for c, note in columns]
    table_header(ws, MATRIX_HEADER_ROW, [*headers, C.COL_EVIDENCE], st)
    _rule_row(ws, rules, columns, st)
    for index, unit in enumerate(units, start=1):
        _unit_row(ws, MATRIX_HEADER_ROW + index, index, unit, len(columns) + 1, st)
    last_row = MATRIX_HEADER_ROW + max(len(units), 1)
    _matrix_validations(ws, rules, columns, last_row)
    widths = {col_letter(i + 2): 16 if note else 12 for i, (_, note) in enumerate(columns)}
    widths[last] = 28
    set_widths(ws, {"A": 5, "B": 24, **widths})
    fit_row_height(ws, MATRIX_HEADER_ROW, widths)
    ws.freeze_panes = f"C{MATRIX_HEADER_ROW + 1}"
    print_setup(ws, title_rows=f"{MATRIX_HEADER_ROW}:{MATRIX_HEADER_ROW}")
    ws.print_title_cols = "A:B"
    ws.page_setup.fitToWidth = max(1, (len(columns) + 9) // 12)  # about a dozen clauses a page wide
    _protect(ws)
    write_guide(wb.create_sheet(C.GUIDE_SHEET), rules, st, matrix_guide(rules, clauses, source))
    write_meta(wb.create_sheet(C.META_SHEET), _meta(rules, C.KIND_MATRIX, source=source,
                                                           clauses=",".join(c.id for c in clauses), units=len(units)))
    return wb


def _matrix_top(ws, rules: RuleSet, source: str, last: str, st) -> None:
    text_cell(ws["A1"], f"{assessment_title(rules)}检查表")
    ws["A1"].font = st["title"]
    ws["A1"].alignment = st["center"]
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 30
    text_cell(ws["A2"], f"检查组：{source}。每行一个单位，只填写黄色单元格：是否类选“{C.YES}/{C.NO}”，"
                        f"计数类填次数或件数，空白表示未检查出该情形。第3行为评分标准，详见“{C.GUIDE_SHEET}”工作表。")
    ws["A2"].font = st["small"]
    ws["A2"].alignment = st["wrap"]
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[2].height = 30


def _rule_row(ws, rules: RuleSet, columns: list[tuple[Clause, bool]], st) -> None:
    """Row 3: each clause's rule text above its column (the note column says what to write)."""
    from openpyxl.comments import Comment

    label = ws.cell(row=3, column=2, value=C.COL_RULE)
    label.font, label.alignment = st["bold"], st["center"]  # beside the rule texts, not at the row's foot
    widths = {}
    for offset, (clause, note) in enumerate(columns):
        col = offset + 3
        text = f"填写{clause.id}的依据（必填）" if note else f"{clause.text}（{clause_rule(clause)}）"
        cell = text_cell(ws.cell(row=3, column=col), text)
        cell.font, cell.alignment, cell.border = st["small"], st["wrap"], st["border"]
        widths[col_letter(col - 1)] = 16 if note else 12
        if not note:
            header = ws.cell(row=MATRIX_HEADER_ROW, column=col)
            header.comment = Comment(xml_text(f"{clause.text}\n{how_to_fill(clause)}"), "zwgk", width=300,
                                     height=160)
    cell = text_cell(ws.cell(row=3, column=len(columns) + 3), "本行检查结果的依据：文件名或网址，每行一个")
    cell.font, cell.alignment, cell.border = st["small"], st["wrap"], st["border"]
    widths[col_letter(len(columns) + 2)] = 28
    fit_row_height(ws, 3, widths, line_height=12)
    ws.row_dimensions[3].height = min(ws.row_dimensions[3].height, 160)


def _unit_row(ws, row: int, index: int, unit: str, inputs: int, st) -> None:
    from openpyxl.styles import Protection

    number = ws.cell(row=row, column=1, value=index)
    number.font, number.alignment = st["body"], st["center"]
    name = text_cell(ws.cell(row=row, column=2), unit)
    name.font, name.alignment = st["body"], st["wrap"]
    for col in range(1, inputs + 3):
        cell = ws.cell(row=row, column=col)
        cell.border = st["border"]
        if col > 2:
            cell.fill = st["input_fill"]
            cell.protection = Protection(locked=False)
            cell.alignment = st["center"]


def _protect(ws) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _matrix_validations(ws, rules: RuleSet, columns: list[tuple[Clause, bool]], last_row: int) -> None:
    """Per clause column: 是/否 list, whole numbers up to the maximum, or amounts (stop alert);
    不适用 offered too where the indicator may not apply."""
    for offset, (clause, note) in enumerate(columns):
        if note:
            continue
        letter = col_letter(offset + 2)
        optional = f"{letter}{MATRIX_HEADER_ROW + 1}" if rules.indicator_of(clause.id).allows_not_applicable else ""
        dv = input_validation(clause.kind, clause.max_count, optional)
        ws.add_data_validation(dv)
        dv.add(f"{letter}{MATRIX_HEADER_ROW + 1}:{letter}{last_row}")


def _meta(rules: RuleSet, kind: str, **values: object) -> Meta:
    generated_at = datetime.now().astimezone().isoformat(timespec="seconds")
    return rules_meta(rules, kind=kind, generated_at=generated_at, **values)


def matrix_guide(rules: RuleSet, clauses: list[Clause], source: str) -> list[tuple[str, str, str]]:
    """The matrix's 填报说明 rows: how to fill, then each clause's rule and entry."""
    lines = [
        ("填写", C.MATRIX_SHEET, f"由{source}填写。每行一个单位，每列一个条款；只填写黄色单元格，其他内容受保护。"),
        ("填写", "空白", "空白表示未检查出该情形；该单位仍视为已考核。填“0”“无”或“否”表示检查过且没有该情形。"),
        ("填写", "是否类", f"发现扣分标准所述情形选“{C.YES}”，否则选“{C.NO}”或留空。"),
        ("填写", "计数类", "填写发现的次数或件数（整数），如 2；写成“2处”“两件”也能识别。"),
        *([("填写", "说明", "“说明（编号）”列填写酌情加减分的依据，该条填了分值时必填。")]
          if any(c.needs_note for c in clauses) else []),  # only a matrix that has such a column
        ("填写", C.COL_EVIDENCE, "可填写本行检查结果的依据：截图、记录等文件名（文件与本表放在同一文件夹）或网页地址"
                                "（以 http:// 或 https:// 开头），每行一个，也可用“、”或“；”分隔。"),
        ("合并", "多个来源", "同一单位同一条款由多个来源（单位评分表、其他检查表）填报时，数值相同即可；"
                          "不同则该单位暂不排名，由县政府办公室在复核调整表中确定。"),
        ("细则", "名称", rules.title),
        ("细则", "编号与版本", f"{rules.id} 第{rules.version}版（sha256 {rules.sha256[:16]}…）"),
    ]
    for clause in clauses:
        lines.append(("条款", f"{clause.id} {rules.indicator_of(clause.id).name}",
                      f"{clause.text}（{clause_rule(clause)}）；{how_to_fill(clause)}"))
    return lines


def write_review(rules: RuleSet, units: list[str], out_dir: Path, *, force: bool = False) -> Path:
    """Write the review table (复核调整表.xlsx) into ``out_dir``."""
    target = out_dir / REVIEW_FILE
    check_writable(target, force=force)
    make_folder(out_dir, target)
    return atomic_write(target, build_review(rules, units).save, force=force)


def build_review(rules: RuleSet, units: list[str]):
    """The review table: 复核调整表 (one row per correction), 填报说明, hidden lists and _meta."""
    from openpyxl import Workbook
    from openpyxl.styles import Protection

    wb = Workbook()
    ws = wb.active
    ws.title = C.REVIEW_SHEET
    st = styles()
    headers = C.REVIEW_HEADERS
    last = col_letter(len(headers) - 1)
    _review_top(ws, rules, last, st)
    table_header(ws, REVIEW_HEADER_ROW, headers, st)
    first, end = REVIEW_HEADER_ROW + 1, REVIEW_HEADER_ROW + REVIEW_ROWS
    for row in range(first, end + 1):
        for col in range(1, len(headers) + 1):
            cell = ws.cell(row=row, column=col)
            cell.border, cell.fill, cell.alignment = st["border"], st["input_fill"], st["wrap"]
            cell.protection = Protection(locked=False)
            cell.font = st["body"]
    _lists(wb, rules, units)
    _review_validations(ws, rules, units, first, end)
    set_widths(ws, {"A": 26, "B": 8, "C": 10, "D": 60, "E": 10, "F": 12, "G": 30})
    ws.freeze_panes = f"A{first}"
    print_setup(ws, title_rows=f"{REVIEW_HEADER_ROW}:{REVIEW_HEADER_ROW}")
    _protect(ws)
    write_guide(wb.create_sheet(C.GUIDE_SHEET), rules, st, review_guide(rules))
    write_meta(wb.create_sheet(C.META_SHEET), _meta(rules, C.KIND_REVIEW, units=len(units)))
    return wb


def _review_top(ws, rules: RuleSet, last: str, st) -> None:
    text_cell(ws["A1"], f"{assessment_title(rules)}复核调整表")
    ws["A1"].font = st["title"]
    ws["A1"].alignment = st["center"]
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 30
    ws["A2"] = (f"每行一项调整：单位名称、编号从下拉列表选择；调整为按评分表“{C.COL_INPUT}”填写（是/否、次数或分值，"
                "没有扣分填 0 或 否）；理由必填。调整覆盖其他所有来源，并在汇总和反馈单中列出。")
    ws["A2"].font = st["small"]
    ws["A2"].alignment = st["wrap"]
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[2].height = 30


def _lists(wb, rules: RuleSet, units: list[str]) -> None:
    """A hidden sheet with the dropdowns' choices (a list in the rule itself is limited to 255 characters)."""
    ws = wb.create_sheet(LISTS_SHEET)
    for row, unit in enumerate(units, start=1):
        text_cell(ws.cell(row=row, column=1), unit)
    for row, clause in enumerate(rules.clauses, start=1):
        text_cell(ws.cell(row=row, column=2), clause.id)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def _review_validations(ws, rules: RuleSet, units: list[str], first: int, end: int) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    choices = [(_review_column(C.COL_UNIT), f"{LISTS_SHEET}!$A$1:$A${max(len(units), 1)}", "请从名单中选择单位"),
               (_review_column(C.COL_ID), f"{LISTS_SHEET}!$B$1:$B${len(rules.clauses)}", "请选择考核细则中的编号")]
    for letter, source, error in choices:
        dv = DataValidation(type="list", formula1=source, allow_blank=True)
        dv.error, dv.errorTitle, dv.showErrorMessage, dv.errorStyle = error, "填写有误", True, "stop"
        ws.add_data_validation(dv)
        dv.add(f"{letter}{first}:{letter}{end}")
    dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    dv.error, dv.errorTitle, dv.showErrorMessage = "请填写日期，如 2026-12-01", "填写有误", True
    ws.add_data_validation(dv)
    date = _review_column(C.COL_DATE)
    dv.add(f"{date}{first}:{date}{end}")


def _review_column(header: str) -> str:
    """The review table's column letter of ``header`` (the layout lives in REVIEW_HEADERS)."""
    return col_letter(C.REVIEW_HEADERS.index(header))


def review_guide(rules: RuleSet) -> list[tuple[str, str, str]]:
    """The review table's 填报说明 rows: how a correction is written, then each clause's entry."""
    lines = [
        ("填写", C.COL_UNIT, "从下拉列表选择（名单中的单位）。"),
        ("填写", C.COL_ID, "从下拉列表选择要调整的条款编号（见下方各条款）。"),
        ("填写", C.COL_ADJUSTED, f"按评分表“{C.COL_INPUT}”的写法：是否类填“{C.YES}/{C.NO}”，计数类填次数，"
                                "分值类填分值；没有扣分填 0 或 否，不能留空。"),
        ("填写", C.COL_REASON, "必填：复核的依据（如单位提供的整改材料、网页截图、会议纪要）。没有理由的调整不执行，"
                              "该单位暂不排名。"),
        ("填写", C.COL_EVIDENCE, "可填写复核依据的文件名（文件与本表放在同一文件夹）或网页地址，每行一个。"),
        ("效果", "覆盖", "调整为覆盖单位评分表和各检查表对该条款的填报；汇总表“复核调整”工作表和该单位的反馈单"
                        "列出调整前后的填报、分数和理由。"),
        ("细则", "名称", rules.title),
        ("细则", "编号与版本", f"{rules.id} 第{rules.version}版（sha256 {rules.sha256[:16]}…）"),
    ]
    for clause in rules.clauses:
        lines.append(("条款", f"{clause.id} {rules.indicator_of(clause.id).name}",
                      f"{clause_rule(clause)}；{how_to_fill(clause)}"))
    return lines


@dataclass(frozen=True)
class SourceTemplate:
    """What ``template --matrix``/``--adjustments`` wrote: the file, the units on it, and a
    warning naming the roster units left out because another class's rule set assesses them."""

    path: Path
    units: list[str]
    warnings: list[Problem]


def write_source_template(rules: RuleSet, units: list[str], out_dir: Path, *, review: bool,
                          clause_ids: str | None = None, method: str | None = None, source: str | None = None,
                          force: bool = False, rules_by_unit: dict[str, RuleSet] | None = None) -> SourceTemplate:
    """``zwgk template --matrix`` or ``--adjustments``: the options checked (ZwgkError, usage),
    then the workbook written for the roster's units of ``rules``' class (``rules_by_unit``: the
    other classes' units, left out — a matrix or review table is read against one rule set).
    ``clause_ids`` as typed: 5,6,7 (full-width commas too)."""
    chosen = [u for u in units if (rules_by_unit or {}).get(u, rules) is rules]
    left_out = [u for u in units if u not in chosen]
    warnings = [Problem.of("source-left-out", count=len(left_out), units="、".join(left_out),
                           rules=rules.label())] if left_out else []
    needs = [] if chosen else [message("template-source", "roster", rules=rules.label())]
    ids = [i.strip() for i in (clause_ids or "").replace("，", ",").split(",") if i.strip()]
    if not review:
        if bool(ids) == bool(method):
            needs.append(message("template-source", "choice"))
        if not (source or "").strip():
            needs.append(message("template-source", "name"))
    if needs:
        raise ZwgkError.of("template-source", what="；".join(needs))
    if review:
        return SourceTemplate(write_review(rules, chosen, out_dir, force=force), chosen, warnings)
    clauses = matrix_clauses(rules, ids, method)
    return SourceTemplate(write_matrix(rules, clauses, chosen, source.strip(), out_dir, force=force),
                          chosen, warnings)
