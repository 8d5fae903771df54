"""The findings workbook's live formulas (docs/workbook.md): where each row sits (:class:`Layout`),
how the hidden helper columns read 填报, a clause's 扣分/加分, the subtotals, 总分 and 等次 — each
giving the number the tool gives (checked by recalculating in LibreOffice). The formulas for 不适用,
一票否决 and the bonus threshold are in :mod:`.scheme_formulas`.

>>> from zwgk_cli.rules.loading import load_rules
>>> layout = sheet_layout(load_rules())
>>> layout.header_row, layout.clause_rows["1"], layout.total_row
(4, 5, 47)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import constants as C
from ..cells import col_letter
from ..exact import show
from ..model import RESCALE_CATEGORY, Category, Clause, Indicator, Kind, RuleSet
from .output import formula_string
from .scheme_formulas import (
    NA_MARK,
    VETO_MARK,
    any_of,
    bonus_threshold,
    rescaled_score,
    vetoed_grade,
    vetoed_total,
)

HEADER_ROW = 4
LETTER = {name: col_letter(i) for i, name in enumerate(C.HEADERS)}
IN, NOTE, PTS, SCORE = (LETTER[C.COL_INPUT], LETTER[C.COL_NOTE],
                        LETTER[C.COL_CLAUSE_POINTS], LETTER[C.COL_SCORE])
_SPACES = ("\u3000", "\u00a0")  # full-width and no-break spaces, which the tool reads as spaces


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
TEXT, BARE, QTY = "M", "N", "O"  # hidden helpers right of the last column

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
    lost = category_loss(rules, layout, category, span)
    gained = f'SUMIF({span},">0")'
    if rescaled(rules, category):
        return rescaled_score(category, gained, subtotal_row(layout, category.name))
    if rules.category_cap:
        return f"={weight}-MIN({weight},{lost})+{gained}"
    return f"={weight}-({lost})+{gained}"



def category_loss(rules: RuleSet, layout: Layout, category: Category, span: str) -> str:
    """D: a category's deductions (each indicator's at most its 赋分 under 单项指标扣分上限)."""
    if rules.indicator_cap:
        return "+".join(indicator_loss(indicator, layout) for indicator in category.indicators)
    return f'-SUMIF({span},"<0")'



def rescaled(rules: RuleSet, category: Category) -> bool:
    return rules.not_applicable == RESCALE_CATEGORY and any(i.allows_not_applicable for i in category.indicators)



def subtotal_row(layout: Layout, name: str) -> int:
    return next(row for other, row, _, _ in layout.subtotal_rows if other == name)



def indicator_marks(layout: Layout, indicator: Indicator) -> str:
    """The O cells (不适用 marks) of an indicator's clause rows."""
    rows = [layout.clause_rows[c.id] for c in indicator.clauses]
    return f"{NA_MARK}{min(rows)}:{NA_MARK}{max(rows)}"



def indicator_loss(indicator: Indicator, layout: Layout) -> str:
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
    formula = vetoed_grade(rules, formula, veto_marks(layout))
    return f'=IF(ISNUMBER({total}),{formula},"{C.PENDING}")'



def total_formula(rules: RuleSet, layout: Layout) -> str:
    """Subtotals added (floored); 待核 while any clause row shows 待核."""
    parts = "+".join(f"{SCORE}{row}" for _, row, _, _ in layout.subtotal_rows)
    total = f"={parts}" if rules.floor is None else f"=MAX({show(rules.floor)},{parts})"
    if rules.not_applicable == RESCALE_CATEGORY:  # hundredths added as binary fractions: back to the decimal
        total = f"=ROUND({total.removeprefix('=')},4)"
    span = f"{PTS}{HEADER_ROW + 1}:{PTS}{layout.total_row - 1}"
    return _pending(span, vetoed_total(rules, total, veto_marks(layout)))



def veto_marks(layout: Layout) -> str:
    return f"{VETO_MARK}{HEADER_ROW + 1}:{VETO_MARK}{layout.total_row - 1}"


