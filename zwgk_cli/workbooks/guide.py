"""The 填报说明 sheet (how to fill the workbook, with the errata) and the hidden _meta sheet."""

from __future__ import annotations

from .. import constants as C
from ..model import OPTIONAL, REQUIRED, Meta, RuleSet
from ..rules.wording import clause_rule, evidence_policy_text, how_to_fill, policy_text, section_label
from .output import text_cell
from .style import fit_row_height, print_setup, set_widths, table_header

GUIDE_WIDTHS = {"A": 8, "B": 30, "C": 90}


def guide_lines(rules: RuleSet) -> list[tuple[str, str, str]]:
    """(section, item, text) rows of the 填报说明 sheet."""
    lines = [
        ("填写", "被考核单位", "在评分表第2行黄色单元格填写单位全称（已按名单生成的无需改动）。"),
        ("填写", C.COL_INPUT, "只填写黄色的“填报”“说明”“印证材料”列，其他内容受保护。"
                              "空白表示未发现该情形，不扣分也不加分。"),
        ("填写", "是否类", f"发现扣分标准所述情形（或符合加分标准）选“{C.YES}”，否则选“{C.NO}”或留空。"),
        ("填写", "计数类", "填写发现的次数、件数或项数（整数），如 2；写成“2处”“两件”也能识别。"),
        ("填写", "分值类", "填写分值（可有两位小数），如市对县考核被扣分值、领导小组酌情加减分值。"),
        ("填写", C.COL_NOTE, "填写扣分或加分的依据（文件、网址、通报文号等）。" + _notes_required(rules)),
        ("填写", C.COL_EVIDENCE, "要求印证材料的条款（该列为黄色）写出随表提交的文件名（如 会议纪要.pdf）或本单位网站上"
                                 "相应网页的链接（http:// 或 https:// 开头），每行一个，也可用“、”或“；”分隔。"
                                 "加分项必须提供印证材料。"),
        ("提交", C.COL_EVIDENCE, "把评分表和印证材料文件放在以本单位命名的文件夹中，或压缩为以本单位命名的 .zip 文件"
                                 "（如 县财政局.zip）一并提交，文件名与“印证材料”列所写一致（可放在子文件夹中）。"
                                 "请勿使用 .rar、.7z 压缩包，也不要在压缩包中再套压缩包。"),
        ("计分", C.COL_CLAUSE_POINTS, "按考核细则自动计算：负数为扣分，正数为加分；计数类不超过该条扣分上限。"),
        ("计分", "计分规则", policy_text(rules) + "。"),
        ("计分", "缺少印证材料", evidence_policy_text(rules) + "。"),
        ("计分", C.TOTAL_LABEL, f"各一级指标得分（权重 − 扣分 + 加分）之和 + {section_label(rules, bonus=True)}"
                                f" − {section_label(rules, bonus=False)}。"),
        ("计分", "说明", "表内公式供填写时参考；正式得分以 zwgk 按考核细则重新计算为准。"),
        ("细则", "名称", rules.title),
        ("细则", "编号与版本", f"{rules.id} 第{rules.version}版（sha256 {rules.sha256[:16]}…）"),
    ]
    optional = [i.name for i in rules.indicators if i.allows_not_applicable]
    if optional:  # after the other 填写 lines, before 计分
        lines.insert(6, ("填写", C.NOT_APPLICABLE,
                         f"{'、'.join(optional)}：本单位无此项工作的，在该指标任一条款填“{C.NOT_APPLICABLE}”，"
                         "同一指标其他条款留空；其他指标不能填“不适用”。"))
    for clause in rules.clauses:
        indicator = rules.indicator_of(clause.id)
        asked = {REQUIRED: "；须提供印证材料", OPTIONAL: "；可提供印证材料"}.get(clause.evidence, "")
        lines.append(("条款", f"{clause.id} {indicator.name}",
                      f"{clause_rule(clause)}；"
                      f"{how_to_fill(clause, allows_not_applicable=indicator.allows_not_applicable)}{asked}"))
    for erratum in rules.errata:
        lines.append(("勘误", f"{erratum.id} {erratum.where}",
                      f"原表：{erratum.source}。处理：{erratum.decision}"))
    return lines


def _notes_required(rules: RuleSet) -> str:
    """The sentence naming this rule set's clauses that need a note (J4、K8 in the built-in set)."""
    ids = [c.id for c in rules.clauses if c.needs_note]
    return f"{'、'.join(ids)} 酌情加减分必须填写说明。" if ids else ""


def write_guide(ws, rules: RuleSet, st, lines: list[tuple[str, str, str]] | None = None) -> None:
    """The 填报说明 sheet: the findings workbook's lines, or ``lines`` (a matrix's, a review table's)."""
    ws["A1"] = "填报说明"
    ws["A1"].font = st["title"]
    ws.merge_cells("A1:C1")
    ws.row_dimensions[1].height = 28
    table_header(ws, 2, ("类别", "项目", "说明"), st)
    for row, line in enumerate(lines or guide_lines(rules), start=3):
        for col, value in enumerate(line, start=1):
            cell = text_cell(ws.cell(row=row, column=col), value)
            cell.font = st["body"]
            cell.border = st["border"]
            cell.alignment = st["wrap"]
        fit_row_height(ws, row, {"B": GUIDE_WIDTHS["B"], "C": GUIDE_WIDTHS["C"]})
    set_widths(ws, GUIDE_WIDTHS)
    print_setup(ws, title_rows="2:2")
    ws.protection.sheet = True


def rules_meta(rules: RuleSet, **values: object) -> Meta:
    """The _meta of a workbook made from ``rules`` (a findings workbook, a matrix, a review table)."""
    return Meta(rules_id=rules.id, rules_version=rules.version, rules_sha256=rules.sha256,
                template_format=C.TEMPLATE_FORMAT, **values)


def output_meta(kind: str, generated_at: str = "") -> Meta:
    """The _meta of a file the tool writes that is no input (a kind of :data:`constants.OUTPUT_KINDS`)."""
    return Meta(kind=kind, generator=f"zwgk {C.VERSION}", generated_at=generated_at)


def write_meta(ws, meta: Meta) -> None:
    """The hidden key/value sheet: what the workbook is, from which rule set, for whom, when."""
    for row, (key, value) in enumerate(meta.rows(), start=1):
        text_cell(ws.cell(row=row, column=1), key)
        text_cell(ws.cell(row=row, column=2), value)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
