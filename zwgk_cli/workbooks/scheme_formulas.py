"""Live formulas for the rules of other schemes: 不适用, 一票否决 and the bonus threshold
(docs/workbook.md, "Live formulas"; the rules themselves: docs/scoring.md).

They read 填报 through hidden, locked helper columns, like the template's other formulas:

- O on a clause row of an indicator that may not apply: 1 when 填报 says 不适用, 0 when it is
  blank, 2 for anything else (the tool refuses 不适用 beside another value: the rows show 待核);
- O and P on the subtotal row of a rescaled category: the applicable weight W_a and what is kept
  of it, in ten-thousandths of a point, so that the rounding is done on whole numbers;
- Q on a 一票否决 clause row: 1 when the case applies.

>>> with_not_applicable("=-2", "O5:O6")
'=IF(COUNTIF(O5:O6,1)>0,IF(COUNTIF(O5:O6,2)>0,"待核",0),-2)'
"""

from __future__ import annotations

from .. import constants as C
from ..exact import show
from ..model import Category, Clause, Kind
from .output import formula_string

NA_MARK, KEPT, VETO_MARK = "P", "Q", "R"
APPLICABLE = NA_MARK  # on a subtotal row, where no clause is
SCHEME_COLUMNS = (NA_MARK, KEPT, VETO_MARK)  # hidden, like the template's other helpers


def any_of(cell: str, words) -> str:
    """OR(cell="a",cell="b",…)."""
    return "OR(" + ",".join(f'{cell}="{w}"' for w in words) + ")"


def na_mark_formula(input_cell: str) -> str:
    """1 for 不适用 (spaces around it trimmed, as the tool does), 0 for blank, 2 for anything else."""
    trimmed = f"CLEAN({input_cell})"
    for space in ("\u3000", "\u00a0"):
        trimmed = f'SUBSTITUTE({trimmed},"{space}"," ")'
    trimmed = f"TRIM({trimmed})"
    return f'=IF({trimmed}="{C.NOT_APPLICABLE}",1,IF({trimmed}="",0,2))'


def with_not_applicable(formula: str, marks: str) -> str:
    """A clause formula of an indicator that may not apply (``marks``: its rows' O cells): 0 when
    the indicator is marked 不适用, 待核 when another value stands beside it."""
    return (f'=IF(COUNTIF({marks},1)>0,IF(COUNTIF({marks},2)>0,"{C.PENDING}",0),'
            f'{formula.removeprefix("=")})')


def veto_mark_formula(clause: Clause, text: str, quantity: str) -> str:
    """1 when a 一票否决 clause applies: 是, or a quantity above 0 (不适用 never applies)."""
    if clause.kind == Kind.FLAG:
        return f"=IF({any_of(text, C.YES_WORDS)},1,0)"
    return f"=IF(ISNUMBER({quantity}),IF({quantity}>0,1,0),0)"


def rescaled_helpers(category: Category, marks: list[tuple[str, object]], lost: str, row: int,
                     *, capped: bool) -> dict[str, str]:
    """O (W_a = W − N) and P (what is kept of W_a, in ten-thousandths) on a category's subtotal row;
    ``marks`` pairs each indicator that may not apply with the span of its O cells."""
    left_out = "+".join(f"(COUNTIF({span},1)>0)*{show(points or 0)}" for span, points in marks)
    applicable = f"{APPLICABLE}{row}"
    lost = f"MIN({applicable},{lost})" if capped else f"({lost})"
    return {APPLICABLE: f"={show(category.weight)}-({left_out})",
            KEPT: f"=ROUND(({applicable}-{lost})*10000,0)"}


def rescaled_score(category: Category, gained: str, row: int) -> str:
    """``(W_a − min(W_a, D)) × W / W_a`` to 0.01 half up (away from zero), computed on whole numbers
    so that no binary fraction decides a rounding, ``+ B``; W + B when nothing applies."""
    weight = show(category.weight)
    applicable, kept = f"{APPLICABLE}{row}", f"{KEPT}{row}"
    units = f"ROUND({applicable}*10000,0)"
    hundredths = f"SIGN({kept})*INT((2*ABS({kept})*{weight}*10000+100*{units})/(200*{units}))"
    return f"=ROUND(IF({applicable}<=0,{weight}+{gained},{hundredths}/100+{gained}),4)"


def bonus_threshold(rules, bonus: str, before: str) -> str:
    """The 综合加分项 subtotal counted only when the total without it (``before``) reaches the
    threshold; 0 below it."""
    if rules.bonus_min_total is None:
        return bonus
    return f"=IF(({before})>={show(rules.bonus_min_total)},{bonus.removeprefix('=')},0)"


def vetoed_total(rules, total: str, marks: str) -> str:
    """The total capped at veto_total when a 一票否决 applies (``marks``: the Q column)."""
    if rules.veto_total is None or not any(c.veto for c in rules.clauses):
        return total
    body = total.removeprefix("=")
    return f"=IF(SUM({marks})>0,MIN({show(rules.veto_total)},{body}),{body})"


def vetoed_grade(rules, grade: str, marks: str) -> str:
    """The lowest grade when a 一票否决 applies (``grade``: the bands' formula without "=")."""
    if not any(c.veto for c in rules.clauses):
        return grade
    return f'IF(SUM({marks})>0,{formula_string(rules.grades[-1].name)},{grade})'


def optional_validation(kind: Kind, most: int | None, cell: str):
    """The check of a 填报 cell whose indicator may not apply: 不适用 in the dropdown of a 是否
    clause; for a count or amount, 不适用 or the number the clause takes."""
    from openpyxl.worksheet.datavalidation import DataValidation

    na = C.NOT_APPLICABLE
    if kind == Kind.FLAG:
        dv = DataValidation(type="list", formula1=f'"{C.YES},{C.NO},{na}"', allow_blank=True)
        dv.prompt, dv.error = f"请选择“{C.YES}”“{C.NO}”或“{na}”", f"只能填写“{C.YES}”“{C.NO}”或“{na}”"
        return dv
    upper = (most if most is not None else C.LARGEST) if kind == Kind.COUNT else C.LARGEST
    whole = f"INT({cell})={cell}" if kind == Kind.COUNT else "TRUE"
    dv = DataValidation(type="custom", allow_blank=True,
                        formula1=f'OR(TRIM({cell})="{na}",AND(ISNUMBER({cell}),{cell}>=0,{cell}<={upper},{whole}))')
    what = f"次数/件数（0–{upper} 的整数）" if kind == Kind.COUNT else "分值（不小于 0，最多两位小数）"
    dv.prompt = f"填写{what}；本指标不适用的填“{na}”"
    dv.error = f"请填写 0 到 {upper} 之间的数，或“{na}”"
    return dv
