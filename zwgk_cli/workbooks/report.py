"""The draft 考核结果通报 (``rank --report 通报.docx``): what the county office publishes.

Title from the rule set (年度, issuer, class); an overview (units, highest, lowest, average, how
many per 等次, last season compared); the units per 等次, or the top and bottom units; the
共性问题 (indicators where most units lost points); 整改要求 with placeholders 〔X〕 for what the
office decides; the full ranking as 附件. Every number and name comes from the report; what
only a person can know (the date, the issuing office) is left as 〔X〕 to fill in.
"""

from __future__ import annotations

import io
from copy import deepcopy
from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .. import constants as C
from ..exact import rounded, show
from ..model import WITHHELD, Report, RuleSet, UnitResult
from ..scoring.analysis import common_losses
from ..scoring.seasons import change_label
from . import official as O
from .output import atomic_write

TOP = 5  # units named at the top and at the bottom when the rule set has no grades
PROBLEMS = 5  # indicators named as 共性问题
PLACEHOLDER = "〔X〕"
NUMERALS = "一二三四五六七八九十"


def write_report(report: Report, path: Path, *, force: bool, top: int | None = None) -> Path:
    """Write the 通报 draft atomically (never over a file unless ``force``); the report records
    where it went (JSON ``report``)."""
    written = atomic_write(path, build_report(report, top=top), force=force)
    report.report_file = str(written)
    return written


def build_report(report: Report, *, top: int | None = None) -> bytes:
    """The .docx bytes of the 通报 draft."""
    from docx import Document

    document = Document()
    O.page_setup(document)
    name = assessment_name(report)
    document.core_properties.title = f"关于{name}结果的通报"
    document.core_properties.author = "zwgk"
    O.title(document, f"关于{name}结果的通报")
    O.paragraph(document, "各有关单位：", indent=False)
    titles = "》《".join(dict.fromkeys(r.title for r, _ in report.classes()))
    O.paragraph(document, f"按照《{titles}》，对{_count_text(report)}的政务公开工作进行了考核。现将考核结果通报如下。")
    O.heading(document, "一、总体情况")
    for text in _overview(report):
        O.paragraph(document, text)
    O.heading(document, "二、考核结果")
    _results(document, report, top or TOP)
    O.heading(document, "三、存在的共性问题")
    _common_problems(document, report)
    O.heading(document, "四、整改要求")
    O.paragraph(document, "请各单位对照考核细则和本单位的扣分情况反馈单，逐项分析失分原因，制定整改措施，认真抓好整改，"
                          f"于{PLACEHOLDER}月{PLACEHOLDER}日前将整改情况书面报送{PLACEHOLDER}。")
    O.paragraph(document)
    O.paragraph(document, f"附件：{name}得分排名")
    _signature(document)
    _annex(document, report, name)
    out = io.BytesIO()
    document.save(out)
    return O.with_font_fallbacks(out.getvalue())


def assessment_name(report: Report) -> str:
    """2022年度绛县政务公开工作考核（A类）: 年度 and issuer of the default rule set, the class
    when only one class was ranked."""
    rules = report.rules
    year = f"{rules.year}年度" if rules.year else ""
    classes = report.classes()
    klass = f"（{report.class_label(classes[0][0])}）" if len(classes) == 1 and classes[0][0].klass else ""
    return f"{year}{rules.issuer}政务公开工作考核{klass}"


def _count_text(report: Report) -> str:
    classes = report.classes()
    if len(classes) == 1:
        return f"{len(report.units)}个单位"
    parts = "、".join(f"{report.class_label(r)}{len(units)}个" for r, units in classes)
    return f"{len(report.units)}个单位（{parts}）"


def _overview(report: Report) -> list[str]:
    """One paragraph per class (scores, 等次), then last season and the units not ranked."""
    lines = []
    classes = report.classes()
    for rules, units in classes:
        prefix = f"{report.class_label(rules)}单位：" if len(classes) > 1 else ""
        lines.append(prefix + _scores_text(rules, units))
    if report.previous is not None:
        lines.append(_change_text(report))
    unranked = _unranked(report)
    if unranked:
        lines.append(f"另有{len(unranked)}个单位未纳入本次排名：{'、'.join(unranked)}。")
    withheld = _withheld_bonuses(report)
    if withheld:
        lines.append(f"按照“未提供印证材料的视为未开展”的规定，{'、'.join(withheld)}申报的加分因未提供印证材料未予计分。")
    return lines


def _withheld_bonuses(report: Report) -> list[str]:
    """Units whose bonuses were not counted for want of evidence (evidence_policy strict), with the
    clauses: 县农业农村局（J3）."""
    named = []
    for unit in report.units:
        ids = [c.id for c in unit.clauses if c.evidence_effect == WITHHELD]
        if ids:
            named.append(f"{unit.unit}（{'、'.join(ids)}）")
    return named


def _scores_text(rules: RuleSet, units: list[UnitResult]) -> str:
    if not units:
        return "没有计分的单位。"
    totals = [u.total for u in units]
    high, low = max(totals), min(totals)
    text = (f"计分{len(units)}个单位，总分最高{show(high)}分（{_names(units, high)}），"
            f"最低{show(low)}分（{_names(units, low)}），平均{show(rounded(sum(totals) / len(totals)))}分。")
    if rules.grades:
        counts = "、".join(f"{g.name}{sum(1 for u in units if u.grade == g.name)}个" for g in rules.grades)
        text += f"其中{counts}。"
    return text


def _names(units: list[UnitResult], total) -> str:
    return "、".join(u.unit for u in units if u.total == total)


def _change_text(report: Report) -> str:
    changes = [u.rank_change for u in report.units]
    up, down = sum(1 for c in changes if c and c > 0), sum(1 for c in changes if c and c < 0)
    new = sum(1 for u in report.units if u.previous is None)
    text = f"与上年相比，名次上升的{up}个，下降的{down}个，持平的{changes.count(0)}个，上年未参加排名的{new}个"
    moved = changes.count(None) - new
    text += f"，类别变更、名次不作比较的{moved}个。" if moved else "。"
    if report.previous.only:
        text += f"上年参加排名的{'、'.join(s.unit for s in report.previous.only)}本年无考核结果。"
    return text


def _unranked(report: Report) -> list[str]:
    """Units that answered but were not scored, and roster units that did not answer."""
    ranked = {u.unit for u in report.units}
    rejected = dict.fromkeys(i.unit for i in report.inputs
                             if i.unit and i.unit not in ranked and i.status != C.STATUS_SKIPPED)
    incomplete = [u for u in report.incomplete if u not in rejected]
    held = [u for u in report.assessed if u not in ranked and u not in rejected and u not in incomplete]
    return ([f"{u}（评分表有误，未计分）" for u in rejected] + [f"{u}（各来源结果待核实，未计分）" for u in held]
            + [f"{u}（未提交评分表）" for u in [*incomplete, *(report.missing or [])]])


def _results(document, report: Report, top: int) -> None:
    classes = report.classes()
    for number, (rules, units) in enumerate(classes):
        if len(classes) > 1:
            O.heading(document, f"（{NUMERALS[number % 10]}）{report.class_label(rules)}单位", level=2)
        if not units:
            O.paragraph(document, "没有计分的单位。")
        for text in (_grade_lines(rules, units) if rules.grades else _top_bottom_lines(units, top)) if units else ():
            O.paragraph(document, text)


def _grade_lines(rules: RuleSet, units: list[UnitResult]) -> list[str]:
    """Per 等次, its units in rank order: 优秀（2个）：县民政局、县发展和改革局。 A unit whose
    等次 a 一票否决 set is marked so."""
    lines = []
    for grade in rules.grades:
        named = [u.unit + (f"（{C.VETO_LABEL}）" if u.veto else "") for u in units if u.grade == grade.name]
        lines.append(f"{grade.name}（{len(named)}个）：{'、'.join(named)}。" if named else f"{grade.name}：无。")
    return lines


def _top_bottom_lines(units: list[UnitResult], top: int) -> list[str]:
    """The first and last ``top`` units with their totals (units tied at the cut included);
    everyone in order when that would name them all."""
    if len(units) <= 2 * top:
        return [f"各单位按得分从高到低依次为：{_with_totals(units)}。"]
    cut_high = units[top - 1].rank
    high = [u for u in units if u.rank is not None and u.rank <= cut_high]
    low_rank = units[-top].rank
    named = {id(u) for u in high}  # a tie long enough to reach both cuts names a unit once, at the top
    low = [u for u in units if u.rank is not None and u.rank >= low_rank and id(u) not in named]
    lines = [f"得分居前的单位：{_with_totals(high)}。"]
    return lines + ([f"得分居后的单位：{_with_totals(list(reversed(low)))}。"] if low else [])


def _with_totals(units: list[UnitResult]) -> str:
    return "、".join(f"{u.unit}（{show(u.total)}分）" for u in units)


def _common_problems(document, report: Report) -> None:
    """The indicators where most units lost points, per class."""
    classes = report.classes()
    for rules, units in classes:
        losses = common_losses(rules, units)[:PROBLEMS]
        prefix = f"{report.class_label(rules)}单位中，" if len(classes) > 1 else ""
        if not losses:
            O.paragraph(document, f"{prefix}各单位均未在三级指标上失分。" if units else f"{prefix}没有计分的单位。")
            continue
        O.paragraph(document, f"{prefix}从考核情况看，失分较为集中的指标主要有：")
        for n, loss in enumerate(losses):
            O.paragraph(document, f"（{NUMERALS[n]}）{loss.indicator}（{loss.part}）：{loss.units}个单位失分，"
                                  f"合计扣{show(loss.points)}分。")


def _signature(document) -> None:
    O.paragraph(document)
    O.paragraph(document)
    for text in (PLACEHOLDER + "（发文机关）", f"{PLACEHOLDER}年{PLACEHOLDER}月{PLACEHOLDER}日"):
        para = O.paragraph(document, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        para.paragraph_format.right_indent = O.BODY_SIZE * 4


def _annex(document, report: Report, name: str) -> None:
    """附件: the full ranking per class, with last season's rank when compared."""
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    O.paragraph(document, "附件", font=O.HEADING_FONT, indent=False)
    O.paragraph(document, indent=False)
    O.title(document, f"{name}得分排名", size=Pt(18))
    classes = report.classes()
    for rules, units in classes:
        if len(classes) > 1:
            O.heading(document, f"{report.class_label(rules)}单位", level=2)
        _ranking_table(document, report, rules, units)
    if report.previous is not None and report.previous.only:
        gone = "、".join(f"{s.unit}（上年第{s.rank}名）" for s in report.previous.only)
        O.paragraph(document, f"注：上年参加排名、本年无考核结果的单位：{gone}。", size=TABLE_SIZE, indent=False,
                    line=Pt(20))


TABLE_SIZE = Pt(12)  # 小四
COLUMN_MM = {"名次": 16, "总分": 18, "等次": 18, "上年名次": 25, "名次变化": 25}


def _ranking_table(document, report: Report, rules: RuleSet, units: list[UnitResult]) -> None:
    """名次, 单位, 总分 (and 等次; 上年名次 and 名次变化 when compared), one row per unit."""
    compared = report.previous is not None
    headers = ["名次", "单位", "总分", *(["等次"] if rules.grades else []),
               *(["上年名次", "名次变化"] if compared else [])]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Mm(COLUMN_MM.get(h, 0)) for h in headers]
    widths[1] = O.TYPE_WIDTH - sum(widths)  # the unit's name takes the rest
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        _cell(cell, text, width, font=O.HEADING_FONT)
    O.repeat_header_row(table.rows[0])
    rows = []
    for unit in units:
        values = [str(unit.rank or ""), unit.unit, show(unit.total), *([unit.grade_shown] if rules.grades else [])]
        if compared:
            values += [str(unit.previous.rank or "") if unit.previous else "", change_label(unit)]
        rows.append(values)
    _fill_rows(table, rows, widths)


def _fill_rows(table, rows: list[list[str]], widths) -> None:
    """One table row per list of texts: the first is built cell by cell, the rest are copies of
    it with their texts replaced (python-docx takes ~2 ms a row; 10,000 units would take 20 s)."""
    if not rows:
        return
    prototype = table.add_row()
    for cell, width in zip(prototype.cells, widths, strict=True):
        _cell(cell, "-", width)
    element = O.row_element(prototype)
    body = element.getparent()
    for values in rows:
        row = deepcopy(element)
        for text_element, text in zip(row.iter(qn("w:t")), values, strict=True):
            text_element.text = text
        body.append(row)
    body.remove(element)


def _cell(cell, text: str, width, *, font: str = O.BODY_FONT) -> None:
    cell.width = width
    para = cell.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    para.paragraph_format.line_spacing = Pt(20)
    O.add_run(para, text, font=font, size=TABLE_SIZE)
