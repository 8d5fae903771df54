"""How a rule set is said to the office, in its words: the assessment's title, the names of its
whole-unit sections, how a clause counts and what it expects, the scoring policy. Shared by every
workbook the tool writes and by the terminal (``rules show``)."""

from __future__ import annotations

from .. import constants as C
from ..exact import show
from ..model import KEEP, STRICT, Clause, Kind, RuleSet


def how_to_fill(clause: Clause, *, allows_not_applicable: bool = False) -> str:
    """The entry a clause expects, in a clerk's words (``na``: its indicator may not apply)."""
    optional = f"；本指标不适用的填“{C.NOT_APPLICABLE}”" if allows_not_applicable else ""
    if clause.kind == Kind.FLAG:
        return f"存在该情形填“{C.YES}”，否则填“{C.NO}”或留空{optional}"
    if clause.kind == Kind.COUNT:
        limit = f"，最多 {clause.max_count}" if clause.max_count is not None else ""
        return f"填{clause.counts or '次数'}（整数{limit}）{optional}"
    return f"填{clause.counts or '分值'}（不小于 0，最多两位小数）{optional}"


def clause_rule(clause: Clause) -> str:
    """How a clause counts, e.g. ``每次扣2分，上限6分`` (``一票否决`` for a veto)."""
    if clause.veto:
        return f"{_points_rule(clause)}；{C.VETO_LABEL}" if clause.per else C.VETO_LABEL
    return _points_rule(clause)


def _points_rule(clause: Clause) -> str:
    verb = "加" if clause.bonus else "扣"
    if clause.kind == Kind.FLAG:
        return f"{verb}{show(clause.per)}分"
    if clause.kind == Kind.AMOUNT:
        return f"按分值×{show(clause.per)}{verb}分"
    cap = f"，上限{show(clause.cap)}分" if clause.cap is not None else "，不设上限"
    return f"每次{verb}{show(clause.per)}分{cap}"


def assessment_title(rules: RuleSet) -> str:
    """The assessment's name for sheet titles: 2022年度绛县政务公开工作考核（A类）.

    >>> from zwgk_cli.rules.loading import load_rules
    >>> assessment_title(load_rules())
    '2022年度绛县政务公开工作考核（A类）'
    """
    for long in ("考核细则与评分表", "考核评分表", "考核细则"):
        if long in rules.title:
            return rules.title.replace(long, "考核")
    return rules.title


def section_label(rules: RuleSet, *, bonus: bool) -> str:
    """The rule set's name for its whole-unit bonus (or deduction) section: 综合加分项, 重大扣分项.

    >>> from zwgk_cli.rules.loading import load_rules
    >>> section_label(load_rules(), bonus=False)
    '重大扣分项'
    """
    names = [s.name for s in rules.sections if s.bonus == bonus]
    return "、".join(names) if names else (C.BONUS_SECTION if bonus else C.MAJOR_SECTION)


def policy_text(rules: RuleSet) -> str:
    """The scoring policy in the office's words (docs/scoring.md, Policies)."""
    bonus, major = section_label(rules, bonus=True), section_label(rules, bonus=False)
    parts = ["一级指标减分上限为自身权重" if rules.category_cap else "一级指标不设减分上限",
             "单项指标扣分之和不超过本项赋分（扣完为止）" if rules.indicator_cap else "三级指标减分可突破自身赋分",
             f"{bonus}不设上限" if rules.bonus_cap is None else f"{bonus}合计最多加 {show(rules.bonus_cap)} 分",
             f"{major}不设上限",
             f"总分最低 {show(rules.floor)} 分" if rules.floor is not None else "总分不设下限"]
    if rules.grades:
        parts.append("等次：" + "、".join(f"{g.name}（≥{show(g.min)}）" for g in rules.grades))
    return "；".join(parts + scheme_texts(rules))


def scheme_texts(rules: RuleSet) -> list[str]:
    """不适用, 一票否决 and the bonus threshold in the office's words; none for a rule set
    without them (docs/scoring.md, Not applicable, Veto, Bonus threshold)."""
    parts = []
    if any(i.allows_not_applicable for i in rules.indicators):
        parts.append(f"填“{C.NOT_APPLICABLE}”的三级指标不扣分" if rules.not_applicable == KEEP else
                     f"填“{C.NOT_APPLICABLE}”的三级指标不计入，所在一级指标按比例折算："
                     "（适用赋分 − 扣分）× 权重 ÷ 适用赋分 + 加分，四舍五入保留两位小数；"
                     "一级指标下全部不适用的，得该指标权重分")
    vetoes = [c.id for c in rules.clauses if c.veto]
    if vetoes:
        lowest = f"等次为{rules.grades[-1].name}" if rules.grades else ""
        capped = f"总分最高 {show(rules.veto_total)} 分" if rules.veto_total is not None else ""
        parts.append(f"一票否决（{'、'.join(vetoes)}）：情形成立的，" + "、".join(p for p in (lowest, capped) if p))
    if rules.bonus_min_total is not None:
        bonus = section_label(rules, bonus=True)
        parts.append(f"不含{bonus}的总分达到 {show(rules.bonus_min_total)} 分及以上的，方计{bonus}")
    return parts


def evidence_policy_text(rules: RuleSet) -> str:
    """What a claim without its 印证材料 does to the score, in the office's words (policy.evidence_policy)."""
    if rules.evidence_policy == STRICT:
        return ("未提供印证材料的视为未开展：加分项不计分；要求印证材料的是否类条款填“否”或留空的，按“是”扣分；"
                "计数类照常计分并列出")
    return "未提供印证材料的照常计分，在反馈单和汇总表中列出，请补交"
