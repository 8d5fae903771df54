"""扣分情况反馈单: one printable workbook per unit, explaining every point lost or gained; and
退回修改反馈单 for a file that was not scored, listing every error with its cell and what to do."""

from __future__ import annotations

from functools import partial
from itertools import chain, count
from pathlib import Path

from .. import constants as C
from ..exact import rounded, show
from ..model import NO_EVIDENCE, OPTIONAL, REQUIRED, SCORED_AS_FOUND, WITHHELD, Adjustment, RuleSet, UnitResult
from ..problems import CATALOGUE, Problem
from ..rules.wording import assessment_title, section_label
from ..scoring.compute import cap_notes
from .guide import output_meta, write_meta
from .output import Outputs, check_writable, fit_filename, safe_filename, text_cell, unique_filenames
from .output_folder import settle_folder
from .run_outputs import record_outputs
from .style import fit_row_height, print_setup, set_widths, styles, table_header, title_rows

SHEET = C.FEEDBACK_SHEET
HEADERS = ("编号", "一级指标", "三级指标", "评分标准", "填报", "说明", "扣分/加分", "来源", "来源单元格", "整改情况")
WIDTHS = {"A": 6, "B": 12, "C": 16, "D": 44, "E": 7, "F": 18, "G": 8, "H": 10, "I": 9, "J": 24}


def write_feedback_sheets(report, out_dir: Path, *, force: bool, inputs: list[Path] = ()) -> list[Path]:
    """Every feedback sheet of a run: a 扣分情况反馈单 per scored unit and a 退回修改反馈单 per
    rejected file. All names are settled (and checked against existing files) before any is written."""
    targets = feedback_targets(report.units, out_dir, force=force)
    returned = rejected_targets(report, out_dir, set(targets.values()), force=force)
    outputs = Outputs(force=force)
    write_feedback(report, targets, outputs)
    write_rejected_feedback(report, returned, outputs)
    written = outputs.commit()
    record_outputs(report, written, inputs)
    settled = settle_folder(out_dir, written)
    report.removed += [str(p) for p in settled.removed]
    report.warnings += settled.warnings
    return written


def feedback_targets(results: list[UnitResult], out_dir: Path, *, force: bool) -> dict[str, Path]:
    """The path of each unit's feedback file; checks them all before anything is written."""
    units = [result.unit for result in results]
    targets = {unit: out_dir / name for unit, name in zip(units, unique_filenames(units, C.FEEDBACK_SUFFIX),
                                                           strict=True)}
    for path in targets.values():
        check_writable(path, force=force)
    return targets


def write_feedback(report, targets: dict[str, Path], outputs: Outputs) -> None:
    """Each unit's feedback sheet, under the rule set its workbook was made from, added to
    ``outputs`` (built when written: a season's sheets are never in memory at once)."""
    adjusted: dict[str, list[Adjustment]] = {}
    for adjustment in report.adjustments:
        adjusted.setdefault(adjustment.unit, []).append(adjustment)
    for result in report.units:
        outputs.add(targets[result.unit], partial(_save, build_feedback, report.rule_set(result), result,
                                                  adjusted.get(result.unit, [])))


def _save(build, *args) -> None:
    """``build(*args[:-1]).save(args[-1])``: a workbook built when its file is written."""
    *parts, path = args
    build(*parts).save(path)


def build_feedback(rules: RuleSet, result: UnitResult, adjustments: list[Adjustment] = ()):
    """The feedback workbook of one unit, with the review's adjustments made for it."""
    from openpyxl import Workbook

    st = styles()
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    title_rows(ws, f"{assessment_title(rules)}扣分情况反馈单",
               f"考核细则：{rules.label()}　　来源文件：{result.file}", "J", st)
    text_cell(ws["A3"], f"{C.UNIT_LABEL}{result.unit}")
    ws["A3"].font = st["bold"]
    ws.merge_cells("A3:E3")
    grade = f"　等次：{result.grade_shown}" if result.grade else ""
    text_cell(ws["F3"], f"总分：{rounded(result.total).normalize():f}{grade}")
    ws["F3"].font = st["bold"]
    ws.merge_cells("F3:J3")
    table_header(ws, 4, HEADERS, st)
    row = 5
    for clause in result.clauses:
        if clause.points == 0 and not clause.input:
            continue
        values = (clause.id, rules.part_of(clause.id).name, rules.indicator_of(clause.id).name,
                  rules.clause(clause.id).text, clause.input,
                  clause.note, result.shown_points(clause), clause.source or (C.UNIT_SOURCE if clause.input else ""),
                  clause.cell, None)
        _table_row(ws, row, values, st)
        fit_row_height(ws, row, {k: WIDTHS[k] for k in "BCDF"})
        row += 1
    if row == 5:
        _table_row(ws, row, ("", "", "无扣分、加分事项", "", "", "", 0, "", "", None), st)
        row += 1
    row = _evidence_table(ws, rules, result, row + 1, st) if _evidence_rows(rules, result) else row
    row = _adjustment_table(ws, adjustments, row + 1, st) if adjustments else row
    row = _category_table(ws, rules, result, row + 1, st)
    for note in cap_notes(rules, result):  # why a category lost less than its clauses add up to
        text_cell(ws.cell(row=row, column=2), f"注：{note}").font = st["small"]
        row += 1
    reply = ws.cell(row=row + 1, column=1, value="请在“整改情况”列填写整改措施及完成时限，盖章后反馈县政府办公室。")
    reply.font = st["small"]
    set_widths(ws, WIDTHS)
    # No repeated header row: row 4 heads the first table only, and a second page usually holds the
    # 印证材料 or 一级指标 table, each with its own header.
    print_setup(ws)
    ws.freeze_panes = "A5"
    write_meta(wb.create_sheet(C.META_SHEET), output_meta("feedback"))  # never read as a return
    return wb


def _table_row(ws, row: int, values, st) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        text_cell(cell, value)
        cell.font = st["body"]
        cell.border = st["border"]
        cell.alignment = st["center"] if col in (1, 5, 7, 9) else st["wrap"]
    ws.cell(row=row, column=7).number_format = C.NUMBER_FORMAT


EVIDENCE_HEADERS = ("编号", "三级指标", "", "已提供的印证材料", "缺少或有误", "", "要求", "对得分的影响", "", "")
_REQUIRED_LABELS = {REQUIRED: "必须", OPTIONAL: "可选"}
_WRONG_EVIDENCE = {"evidence-missing", "evidence-link-invalid"}  # listed, but not found or not a link


def _evidence_rows(rules: RuleSet, result: UnitResult) -> list:
    """The clauses the 印证材料 table lists: those that ask for evidence (a bonus only when claimed),
    and any other with some listed."""
    def asks(c) -> bool:
        rule = rules.clause(c.id)
        return rule.evidence != NO_EVIDENCE and (not rule.bonus or c.points != 0 or c.evidence_effect != "")

    return [c for c in result.clauses if asks(c) or c.evidence or c.evidence_missing]


def _evidence_table(ws, rules: RuleSet, result: UnitResult, row: int, st) -> int:
    """Per clause that asks for 印证材料: what was found, what is missing or wrong, and what the rule
    set's policy did with a claim left without it; returns the next row."""
    title = text_cell(ws.cell(row=row, column=1),
                      "印证材料（请按“缺少或有误”列补充，文件与评分表放在同一文件夹或压缩包）")
    title.font = st["bold"]
    row += 1
    table_header(ws, row, EVIDENCE_HEADERS, st)
    _merge_evidence(ws, row)
    if any(w.code == "evidence-no-column" for w in result.warnings):
        row += 1
        text_cell(ws.cell(row=row, column=2), "评分表没有“印证材料”列（旧版模板），未检查印证材料").font = st["small"]
        return row + 1
    absent = {w.clause: w for w in result.warnings if w.code == "evidence-absent"}
    wrong = {}
    for w in result.warnings:
        if w.code in _WRONG_EVIDENCE:
            wrong.setdefault(w.clause, []).append(f"{w.value}：{CATALOGUE[w.code].title}")
    for clause in _evidence_rows(rules, result):
        row += 1
        rule = rules.clause(clause.id)
        found = "\n".join(e.url or f"{e.name}（{_size(e.size)}）" for e in clause.evidence)
        missing = wrong.get(clause.id, []) + (["未提供"] if clause.id in absent else [])
        values = (clause.id, rules.indicator_of(clause.id).name, None, found or "—", "\n".join(missing), None,
                  _REQUIRED_LABELS.get(rule.evidence, "—"), _effect(rule, clause, clause.id in absent), None, None)
        _table_row(ws, row, values, st)
        ws.cell(row=row, column=5).alignment = st["wrap"]  # what is missing reads as text, not as a 填报 value
        _merge_evidence(ws, row)
        fit_row_height(ws, row, {"B": WIDTHS["B"] + WIDTHS["C"], "D": WIDTHS["D"],
                                 "E": WIDTHS["E"] + WIDTHS["F"], "H": 40})
    return row + 1


def _merge_evidence(ws, row: int) -> None:
    for first, last in ((2, 3), (5, 6), (8, 10)):
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _effect(rule, clause, absent: bool) -> str:
    """What missing evidence did to the clause's points, in the rule set's words."""
    if clause.evidence_effect == WITHHELD:
        return "未提供印证材料，视为未开展：该项加分不计"
    if clause.evidence_effect == SCORED_AS_FOUND:
        return f"未提供印证材料，视为未开展：按存在扣分情形扣 {show(rule.per)} 分"
    return "暂按填报计分，请补充印证材料" if absent else ""


def _size(size: int) -> str:
    """A file size as a clerk reads it.

    >>> _size(512), _size(204_800), _size(3 * 1024 * 1024)
    ('512 字节', '200 KB', '3.0 MB')
    """
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _adjustment_table(ws, adjustments: list[Adjustment], row: int, st) -> int:
    """The review's adjustments for this unit: each clause before and after, and why; returns the next row."""
    headers = ("编号", "复核调整前的填报", "", "理由", "调整为", "", "调整后", "来源", "来源单元格", "")
    table_header(ws, row, headers, st)
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
    for adjustment in adjustments:
        row += 1
        before = adjustment.before_input or "空白"
        before += "" if adjustment.before_points is None else f"（{show(adjustment.before_points)}分）"
        values = (adjustment.clause, before, "", adjustment.reason, adjustment.after_input, "",
                  adjustment.after_points, C.REVIEW_SOURCE, adjustment.cell, None)
        _table_row(ws, row, values, st)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        fit_row_height(ws, row, {"B": WIDTHS["B"] + WIDTHS["C"], "D": WIDTHS["D"]})
    was = adjustments[0].before_total
    note = f"复核调整后总分 {show(adjustments[-1].after_total)}" + (
        f"（调整前 {show(was)}）" if was is not None else "（调整前各来源填报不一致，无总分）")
    text_cell(ws.cell(row=row + 1, column=2), note).font = st["small"]
    return row + 2


def _category_table(ws, rules: RuleSet, result: UnitResult, row: int, st) -> int:
    """一级指标 scores, then the whole-unit sections (综合加分项, 重大扣分项) and 总分; returns the next free row."""
    # one closed grid over B:G: 一级指标 in B:C, 权重 in D:F, 得分 in G (under 扣分/加分)
    for col, name in ((2, C.COL_CATEGORY), (3, None), (4, "权重"), (5, None), (6, None), (7, C.COL_SCORE)):
        cell = text_cell(ws.cell(row=row, column=col), name)
        cell.font, cell.fill, cell.border, cell.alignment = st["bold"], st["header_fill"], st["border"], st["center"]
    _merge_category(ws, row)
    lines = [(c.name, c.weight, result.categories[c.name]) for c in rules.categories]
    lines += [(section_label(rules, bonus=True), None, result.bonus),
              (section_label(rules, bonus=False), None, -result.major_deductions),
              (C.TOTAL_LABEL, rules.full_marks, result.total)]
    for name, weight, value in lines:
        row += 1
        for col, cell_value in ((2, name), (3, None), (4, weight), (5, None), (6, None), (7, value)):
            cell = text_cell(ws.cell(row=row, column=col), cell_value)
            cell.font = st["bold"] if name == C.TOTAL_LABEL else st["body"]
            cell.border = st["border"]
            cell.alignment = st["center"]
        _merge_category(ws, row)
        ws.cell(row=row, column=7).number_format = C.NUMBER_FORMAT
    return row + 1


def _merge_category(ws, row: int) -> None:
    for first, last in ((2, 3), (4, 6)):
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


REJECTED_SHEET = C.REJECTED_SHEET
REJECTED_HEADERS = ("序号", "工作表", "单元格", "填写内容", "问题", "修改要求")
REJECTED_WIDTHS = {"A": 6, "B": 9, "C": 8, "D": 14, "E": 58, "F": 46}
# What to do, per problem code, comes from the catalogue; the problem's own message says what is wrong.
_HINT_VALUES = {"score_sheet": C.SCORE_SHEET, "unit_label": C.UNIT_LABEL, "note_column": C.COL_NOTE,
                "yes": C.YES, "no": C.NO}
DEFAULT_HINT = "按“问题”列所述修改"


def hint_of(code: str) -> str:
    """What the clerk should do about a problem with ``code`` (the catalogue's hint).

    >>> hint_of("note-required")
    '在同一行“说明”列写明加减分理由'
    """
    return CATALOGUE[code].hint_text(**_HINT_VALUES) or DEFAULT_HINT


def rejected_targets(report, out_dir: Path, taken: set[Path], *, force: bool) -> dict[str, Path]:
    """The path of a 退回修改反馈单 for each file with errors, keyed by file label.

    Named after the unit when the reader knew it, else after the file; a name already
    taken (two files of one unit) gets the file's name added, then a number.
    """
    erred = {p.file for p in report.errors}
    targets: dict[str, Path] = {}
    used = {p.name.lower() for p in taken}
    for item in report.inputs:
        if item.file not in erred or item.status == C.STATUS_OK:
            continue
        stem = Path(item.file).stem
        base = safe_filename(item.unit or stem, C.REJECTED_SUFFIX)
        # pieces already safe, kept short so that no later cut makes two names equal again
        with_file = (f"{base[:80]}（{safe_filename(stem)[:30]}）",) if item.unit else ()
        names = chain((fit_filename(n, C.REJECTED_SUFFIX) for n in (base, *with_file)),
                      (f"{fit_filename(base[:100], C.REJECTED_SUFFIX)}（{n}）" for n in count(2)))
        name = next(n for n in names if f"{n}{C.REJECTED_SUFFIX}".lower() not in used)
        path = out_dir / f"{name}{C.REJECTED_SUFFIX}"
        check_writable(path, force=force)
        used.add(path.name.lower())
        targets[item.file] = path
    return targets


def write_rejected_feedback(report, targets: dict[str, Path], outputs: Outputs) -> None:
    """Each rejected file's 退回修改反馈单, added to ``outputs``."""
    units = {item.file: item.unit for item in report.inputs}
    problems: dict[str, list[Problem]] = {}
    for problem in report.errors:
        problems.setdefault(problem.file, []).append(problem)
    for file, path in targets.items():
        outputs.add(path, partial(_save, build_rejected_feedback, report.rules, file, units[file], problems[file]))


def build_rejected_feedback(rules: RuleSet, file: str, unit: str, problems: list[Problem]):
    """The 退回修改反馈单 of one file: each error with its place, the value found and what to do."""
    from openpyxl import Workbook

    st = styles()
    wb = Workbook()
    ws = wb.active
    ws.title = REJECTED_SHEET
    title_rows(ws, f"{assessment_title(rules)}评分表退回修改反馈单", f"来源文件：{file}", "F", st)
    text_cell(ws["A3"], f"{C.UNIT_LABEL}{unit or '（未能识别）'}")
    ws["A3"].font = st["bold"]
    ws.merge_cells("A3:D3")
    ws["E3"] = f"结果：退回修改，未计分（共 {len(problems)} 个问题）"
    ws["E3"].font = st["bold"]
    ws.merge_cells("E3:F3")
    table_header(ws, 4, REJECTED_HEADERS, st)
    for number, problem in enumerate(problems, start=1):
        values = (number, problem.sheet, problem.cell, problem.value, problem.message,
                  hint_of(problem.code))
        for col, value in enumerate(values, start=1):
            cell = text_cell(ws.cell(row=4 + number, column=col), value)
            cell.font = st["body"]
            cell.border = st["border"]
            cell.alignment = st["center"] if col <= 3 else st["wrap"]
        fit_row_height(ws, 4 + number, {k: REJECTED_WIDTHS[k] for k in "DEF"})
    note = ws.cell(row=len(problems) + 6, column=1,
                   value="请逐项修改后重新提交评分表（可在原文件上修改）；修改后将重新计分。")
    note.font = st["small"]
    set_widths(ws, REJECTED_WIDTHS)
    print_setup(ws, title_rows="4:4")
    ws.freeze_panes = "A5"
    write_meta(wb.create_sheet(C.META_SHEET), output_meta("rejected-feedback"))
    return wb
