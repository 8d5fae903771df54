"""Problems a user can cause, each with a stable code and a location.

A problem is a record, not an exception: readers and checks collect them so that a
clerk can fix every cell in one pass. Only an unusable rule set raises
(:class:`RuleSetError`), and it carries every problem found before giving up.

Every code is defined once in :data:`CATALOGUE` with its family, level(s), Chinese title,
message templates and hint; call sites name the code (and a template variant) and fill in
the values, so the same problem is always worded the same way. This module imports nothing
else from the package: every stage may use it.

>>> p = Problem("value-quantity", "「若干」不是有效的数量", file="县财政局.xlsx",
...             sheet="评分表", cell="H12", value="若干")
>>> p.where()
'县财政局.xlsx 评分表!H12'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class ExitStatus(IntEnum):
    """What a command's exit status says (docs/cli.md, Exit codes); every command ends with one of these."""

    OK = 0  # every input was scored
    REJECTED = 1  # some inputs were rejected (or a rule check found an error); the rest were done
    STOPPED = 2  # a usage, configuration or output error stopped the command; nothing written
    PARTIAL = 3  # outputs were being replaced when one failed: some are new, the others as they were
    INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT


EXIT_OK, EXIT_REJECTED, EXIT_USAGE = ExitStatus.OK, ExitStatus.REJECTED, ExitStatus.STOPPED


class Level(StrEnum):
    """How bad a problem is: an error rejects the file, a warning is reported only."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


LEVEL_LABELS = {Level.ERROR: "错误", Level.WARNING: "警告", Level.NOTE: "提示"}


class Family(StrEnum):
    """What a problem is about, so that the 问题 sheet and scripts can filter by it."""

    FILE = "file"  # the bytes: format, damage, encryption, limits
    SHEET = "sheet"  # the findings sheet's shape: header, 编号, _meta, texts
    VALUE = "value"  # one 填报 or 说明 cell
    UNIT = "unit"  # whose workbook it is: names, duplicates, versions
    ROSTER = "roster"  # the roster file
    RULES = "rules"  # a rule set file and its consistency
    OUTPUT = "output"  # a file or folder the command writes
    USAGE = "usage"  # the command line and its inputs


# Phrases shared by several templates and hints; a template names them like any value.
SHARED = {
    "resave": "请在 Excel/WPS 中打开后重新保存为 .xlsx 再提交",
    "detail": "",  # the technical cause, filled in only with --debug
    "resave_hint": "用 Excel 或 WPS 打开原评分表，另存为“Excel 工作簿(.xlsx)”后重新提交",
    "template_hint": "请使用本次下发的评分表模板，勿改动表头、编号和工作表名",
}


@dataclass(frozen=True, slots=True)
class Code:
    """One catalogued problem: its family, usual level, title and message templates.

    ``templates`` maps a variant name ("" for the usual one) to a ``str.format`` template;
    call sites fill in the values, they never write the sentence again.

    >>> CATALOGUE["value-max"].message(raw="7", most=5)
    '「7」超过本项最多 5'
    """

    code: str
    family: Family
    levels: tuple[Level, ...]  # the usual level first; a call site may pick another listed here
    title: str
    templates: dict[str, str]
    hint: str = ""  # what to do about it, kept apart from the message (the 退回修改反馈单 shows it)

    @property
    def level(self) -> Level:
        return self.levels[0]

    def message(self, variant: str = "", /, **values: object) -> str:
        """The Chinese message of ``variant`` with ``values`` filled in."""
        return self.templates[variant].format_map({**SHARED, **values})

    def hint_text(self, **values: object) -> str:
        """What the clerk should do, with the sheet and column names filled in ("" when the
        catalogue has no hint for this code)."""
        return self.hint.format_map({**SHARED, **values}) if self.hint else ""


def _code(code: str, family: str, levels: str, title: str, hint: str = "", **templates: str) -> Code:
    """A catalogue entry; ``levels`` like "warning error", ``_`` names the usual template."""
    variants = {("" if name == "_" else name.replace("_", "-")): text for name, text in templates.items()}
    return Code(code, Family(family), tuple(Level(word) for word in levels.split()), title, variants, hint)


_ENTRIES = [
    # the file itself (reading returned workbooks)
    _code("file-unreadable", "file", "error", "文件无法读取", hint="{resave_hint}",
          _="无法读取文件（{why}）",
          unexpected="读取时出现意外错误，该文件未计分；{resave}（加 --debug 可查看详情）"),
    _code("file-format", "file", "error", "不是可识别的表格文件", hint="{resave_hint}",
          _="不是可识别的 Excel/WPS/ODS 文件，可能已损坏；请重新保存为 .xlsx 后提交{detail}",
          text="这是文本文件（如 CSV、网页），不是 Excel 工作簿；请在 Excel/WPS 中打开后另存为 .xlsx 再提交",
          zip="是压缩包但不是电子表格（可能是 Word 文档或其他文件），请提交 .xlsx 工作簿"),
    _code("file-empty", "file", "error", "文件为空", hint="{resave_hint}",
          _="文件为空（0 字节），请重新保存后提交"),
    _code("file-encrypted", "file", "error", "文件已加密",
          hint="取消文件密码（文件→信息→保护工作簿），另存为 .xlsx 后重新提交",
          _="文件已加密，请取消密码后另存为 .xlsx 再提交"),
    _code("file-corrupt", "file", "error", "文件已损坏", hint="{resave_hint}",
          zip="文件已损坏（压缩包不完整或结构有误，可能未传完），请重新保存后提交",
          zip_names="文件已损坏（压缩包内有重名的部件），请重新保存后提交",
          inflate="文件已损坏（压缩数据出错），请重新保存后提交",
          parts="文件已损坏（内部数据无法读取），请重新保存后提交",
          # damage read as data: {what} is one of the odd_ descriptions below
          odd="文件已损坏（{what}），正常保存的工作簿不会这样；请重新保存为 .xlsx 后提交",
          odd_outside="有单元格位于工作表范围之外", odd_outside_declared="单元格 {cell} 位于工作表声明的范围之外",
          odd_control="{part} 含控制字符", odd_twice="单元格 {cell} 出现了两次",
          odd_order="单元格 {cell} 的位置顺序错乱", odd_number="数值「{value}」超出了可读取的范围",
          odd_xml="content.xml 不是有效的 XML，可能含控制字符",
          odd_type="单元格 {cell} 的取值与类型不符", odd_repeat="重复次数「{text}」无效",
          sheet="“{name}”工作表已损坏，无法读取；{resave}{detail}",
          checksum="文件已损坏（内部数据校验失败）；{resave}{detail}",
          panic="文件已损坏，无法解析；{resave}{detail}",
          worker="文件已损坏，解析程序无法读取；{resave}{detail}"),
    _code("file-bomb", "file", "error", "文件解压后过大（疑似压缩炸弹）", hint="{resave_hint}",
          members="文件内含 {count} 个部件，远超正常工作簿，已拒绝",
          size="文件解压后达 {megabytes} MB，疑似压缩炸弹，已拒绝；请重新保存后提交"),
    _code("file-xml", "file", "error", "文件含不允许的 XML 声明", hint="{resave_hint}",
          _="文件部件 {member} 含 DOCTYPE/实体声明，正常工作簿不会有，已拒绝"),
    # damaged files: limits of rows, columns, repeats, memory and time per file
    _code("file-too-complex", "file", "error", "文件过大或过于复杂",
          cells="工作表声明了 {rows} 行、{columns} 列，远超评分表（上限 {max_rows} 行、{max_columns} 列），"
                "文件可能已损坏；请重新保存为 .xlsx 后提交",
          strings="文件声明了 {strings} 个文本，远超评分表（上限 {max_strings}），"
                  "文件可能已损坏；请重新保存为 .xlsx 后提交",
          memory="读取所需内存超过上限，文件可能已损坏或过于复杂；{resave}{detail}",
          time="读取超过时间上限仍未完成，文件可能已损坏或过于复杂；{resave}{detail}"),
    # the findings sheet
    _code("sheet-missing", "sheet", "error", "缺少评分表工作表", hint="把工作表名改回“{score_sheet}”；{template_hint}",
          _="没有“{sheet_name}”工作表",
          renamed="没有“{sheet_name}”工作表；是否把“{close}”改了名？请改回“{sheet_name}”"),
    _code("header-missing", "sheet", "error", "找不到表头行", hint="{template_hint}",
          _="找不到含“{id_column}”和“{input_column}”的表头行；请勿删除或改动表头",
          clauses="表头中找不到条款 {ids} 的列（检查表生成时有这些列，其检查结果无法读取）；"
                  "请勿删除或改动表头，或重新下发检查表"),
    _code("meta-ruleset", "sheet", "warning error", "工作簿来自其他考核细则或版本",
          hint="请使用本次下发的评分表模板重新填写",
          no_meta="缺少隐藏的 {meta_sheet} 工作表，按 {rules} 评分",
          other="该工作簿由考核细则 {made_id} 第{made_version}版生成，与本次使用的 {known} 均不符；"
                "请用 --rules 指定对应细则，或重新下发模板",
          changed="模板生成时的考核细则内容与当前 {rules} 不一致（版本号相同），按当前细则评分"),
    # whose workbook it is
    _code("unit-missing", "unit", "error warning", "未填写被考核单位", hint="在“{unit_label}”后填写单位全称",
          _="未填写被考核单位；请在“{label}”后填写单位全称",
          meta="评分表未填写被考核单位，按模板记录的“{unit}”计"),
    _code("unit-mismatch", "unit", "warning", "被考核单位与模板记录不一致",
          _="被考核单位“{typed}”与模板生成时的“{meta}”不同，按“{typed}”计",
          roster="被考核单位“{typed}”与模板生成时的“{meta}”不同，按名单中的“{unit}”计"),
    _code("unit-duplicate", "unit", "error", "同一单位有多份工作簿",
          hint="每个单位只提交一份评分表；请撤回或删除其他版本，只保留最终版",
          _="单位“{unit}”有 {count} 份工作簿（{files}），均未计分；请只保留一份{why}",
          no_time="--newest 无法选择：{files} 没有可读的保存时间",
          tie="--newest 无法选择：最新的保存时间相同",
          damaged="单位“{unit}”另有一份无法读取的文件 {damaged}（按文件名判断），无法确定以哪一份为准，均未计分；"
                  "请删除多余的文件，或重新提交一份完好的评分表"),
    _code("unit-unknown", "unit", "warning", "单位不在名单中",
          _="单位“{unit}”{made}不在名单中；{close}未自动对应，请核对单位名称或名单",
          made="（模板生成时为“{meta}”）", close="名单中相近的单位：{names}；"),
    _code("unit-alias", "unit", "warning", "单位名称写法与名单不同",
          meta="被考核单位“{typed}”按模板记录的“{meta}”计",
          roster="被考核单位“{typed}”按名单中的“{unit}”计"),
    _code("unit-conflict", "unit", "error", "填写的单位与模板所属单位都在名单中且不同",
          _="被考核单位填写为名单中的“{typed}”，但本表是为“{unit}”生成的，无法确定是哪个单位的，未计分；"
            "请使用本单位的评分表重新填写，或改正单位名称"),
    _code("unit-class", "unit", "error", "工作簿不是按名单中该单位类别的考核细则生成的",
          hint="请使用该单位类别的评分表模板（zwgk template --roster 名单 --rules 各类细则）重新填写",
          _="本表按考核细则 {made} 生成，而名单中“{unit}”的类别为 {klass}（应使用 {expected}）；该单位暂不排名，"
            "请使用 {klass} 类的评分表重新填写",
          no_meta="本表缺少隐藏的 _meta 工作表，按 {made} 读取，而名单中“{unit}”的类别为 {klass}（应使用 {expected}）；"
                  "无法确定按哪个类别计分，该单位暂不排名，请使用 {klass} 类的评分表重新填写"),
    _code("unit-superseded", "unit", "warning", "已被同一单位较新的版本替代（--newest）",
          _="单位“{unit}”的此版本（保存于 {saved}）已被较新的 {winner}（保存于 {winner_saved}）替代，"
            "未计分（--newest）"),
    _code("file-identical", "file", "warning", "与另一文件内容完全相同，只计一次",
          _="与 {original} 内容完全相同（sha256 一致），只计一次"),
    _code("roster-line-dropped", "roster", "warning", "名单中未作为单位的行",
          _="名单{where}“{text}”{why}，未作为单位", before_header="在表头之前", header="是表头", total="是合计行",
          header_again="是重复的表头", no_name="没有{column}",
          too_long="长达 {length} 个字符，不像单位名称（最长 {most} 个字符）"),
    # rows and cells of the findings sheet
    _code("id-unknown", "sheet", "error warning", "编号不在考核细则中", hint="{template_hint}",
          _="编号「{id}」不在考核细则 {rules} 中"),
    _code("id-duplicate", "sheet", "error", "编号重复", hint="{template_hint}",
          _="编号 {id} 出现了两次（另一处在 {other}）"),
    _code("clause-missing", "sheet", "warning", "评分表缺少某条款的行",
          _="评分表缺少编号 {ids} 的行，按未填写计"),
    _code("value-quantity", "value", "error", "数量无效", hint="填写阿拉伯数字（如 2）；没有此情形则留空",
          _="「{raw}」不是有效的数量",
          logical="「{raw}」是逻辑值，不是数量",
          date="「{raw}」是日期或时间，不是数量；请把单元格格式改为“常规”后填写数字",
          negative="「{raw}」是负数，请填写不小于 0 的数",
          large="「{raw}」过大，请填写不超过 {largest} 的数",
          fraction="「{raw}」不是整数，本项填写次数/件数"),
    _code("value-amount", "value", "error", "分值无效", hint="填写不小于 0、最多两位小数的分值；没有则留空",
          _="「{raw}」最多保留两位小数"),
    _code("value-flag", "value", "error", "是/否无效", hint="从下拉框选择“{yes}”或“{no}”；没有此情形则留空",
          _="「{raw}」不是有效的是/否，请填写“是”或“否”"),
    _code("value-max", "value", "error", "超过最多次数", hint="不能超过本项最多次数，请核实后填写",
          _="「{raw}」超过本项最多 {most}"),
    _code("note-required", "value", "error", "酌情加减分须填写说明", hint="在同一行“{note_column}”列写明加减分理由",
          _="{id} 酌情{sign}分「{raw}」须在“{note_column}”列写明理由"),
    _code("formula-uncalculated", "value", "error", "公式没有保存计算结果",
          hint="在 Excel 或 WPS 中打开该文件，保存后重新提交（或把公式改为直接填写的数值）",
          _="单元格是公式，但文件中没有保存它的计算结果（文件由其他程序生成、从未在 Excel/WPS 中打开保存过），"
            "无法知道它的值，该文件未计分；请在 Excel/WPS 中打开并保存后重新提交"),
    _code("formula-cell", "value", "warning", "填报单元格为公式",
          _="填报单元格是公式，已按其计算结果「{raw}」读取；请直接填写数值"),
    _code("value-error", "value", "error", "填报单元格为错误值", hint="删除公式或错误值，直接填写数字，或留空",
          _="单元格显示错误值「{raw}」，请改为数字或留空"),
    _code("text-changed", "sheet", "warning", "赋分或评分标准被改动",
          _="编号 {ids} 的赋分或评分标准与考核细则不同；已按考核细则原文评分"),
    _code("sheet-empty", "sheet", "warning", "评分表未填写任何内容",
          _="评分表未填写任何内容，按满分 {full_marks} 计；请确认是否交回了空表"),
    # 不适用 (rule sets whose indicators may not apply)
    _code("value-not-applicable", "value", "error", "不适用填写有误",
          hint="只有考核细则注明可不适用的指标才能填写“不适用”；不适用的指标只填“不适用”，其他条款留空",
          _="编号 {id}（{name}）不能填写“不适用”：考核细则未规定该指标可不适用",
          mixed="“{name}”已在 {na_cell} 填写“不适用”，同一指标的其他条款不能再填写「{raw}」"),
    _code("text-cleaned", "value", "warning", "单元格含有工作簿不能保存的字符",
          _="单元格含有工作簿不能保存的字符（{chars}，如控制字符），已删除后按「{value}」读取；请检查该单元格"),
    # findings written outside 填报
    _code("note-without-input", "value", "warning", "说明有内容而填报为空",
          _="编号 {id} 的“{note_column}”写有「{note}」，但“{input_column}”为空，本条未计分；"
            "如有扣分/加分情形，请在 {input_cell} 填写"),
    _code("formula-overwritten", "value", "warning", "公式被手填数值覆盖",
          _="“{column}”列的公式被改成了手填的「{raw}」，不参与计分（工具只按“{input_column}”列计分）；"
            "如有扣分/加分情形，请在“{input_column}”列填写"),
    # rule sets
    _code("rules-invalid", "rules", "error", "考核细则文件格式错误",
          unusable="考核细则 {source} 无法使用：\n{lines}",  # the error that lists the problems below
          # the file as a whole
          unreadable="文件无法读取：请检查权限", folder="是一个文件夹，请给出考核细则 YAML 文件",
          unknown="既不是内置考核细则（{known}），也不是存在的文件",
          encoding="不是可识别的文本文件（编码无法识别或含二进制内容）：请在记事本中另存为 UTF-8",
          yaml_syntax="YAML 语法错误（{at}）：请检查缩进、冒号、引号和括号",
          yaml_at="第 {line} 行第 {column} 列", yaml_somewhere="某处",
          yaml_value="YAML 中有无法识别的值（如不存在的日期）或嵌套过深", empty="文件为空",
          too_large="文件有 {size} KB，远超考核细则（上限 {most} KB）",
          aliases="文件用了 {count} 处 YAML 别名（*名称），超过上限 {most}，可能是恶意构造的文件",
          duplicate_key="键「{key}」在同一处出现了两次（{at}）：YAML 只保留后一个，请删除多余的一个",
          unsafe_text="{where}：含有工作簿不能保存的字符（{chars}），请删除",
          long_text="{where}：文字长达 {length} 个字符，超过上限 {most}",
          large="{where}：{got}过大，不能超过 {most}",
          # a value at its place (``categories[0].weight``)
          mapping="{where}：应为映射（键: 值），而不是{got}",
          list="{where}：应为列表（每项一行“- …”），而不是{got}",
          text="{where}：应为文字，而不是{got}", flag="{where}：应为 true 或 false，而不是{got}",
          whole="{where}：应为不小于 0 的整数，而不是{got}", no_number="{where}：缺少数值",
          number="{where}：应为不小于 0、最多两位小数的数，而不是{got}",
          top="{where}：顶层应为映射（id、title、categories……），而不是{got}",
          no_field="{where}：缺少字段 {key}", id_duplicate="{where}：编号重复",
          no_category_name="{where}：一级指标缺少名称", no_clauses="{where}：三级指标没有任何条款",
          no_id="{where}：条款缺少编号 id", no_indicators="{where}：一级指标没有任何三级指标",
          checked="考核细则 {source} 有错误，不能用于评分（zwgk rules check 可查看全部检查结果）：\n{lines}",
          kind="{where}：计分方式 kind 应为 {kinds}，而不是{got}",
          max="{where}：最多次数应为正整数，而不是{got}", no_text="{where}：条款缺少评分标准文字 text",
          choice="{where}：应为 {choices} 之一，而不是{got}",
          unknown_key="{where}：未知的键「{key}」{close}", unknown_key_close="（是否应为 {close}？）",
          unknown_key_elsewhere="（{close} 应写在 {place} 下）",
          grade="{where}：等次应写成 {{name: 优秀, min: 90}}", erratum_no_id="{where}：勘误缺少编号 id",
          # a rule table being imported
          no_weight="一级指标“{category}”没有写明权重（如“（14分）”）", unparsed="未能解析：{sentence}",
          table_number="“{column}”列的「{got}」不是数字，该项已留空，请改为数字后重新导入"),
    _code("rules-weight-sum", "rules", "error", "一级指标权重合计与满分不符",
          _="一级指标权重合计 {weights} 分，与满分 {full_marks} 分不符"),
    _code("rules-points-sum", "rules", "error note", "三级指标赋分合计与一级指标权重不符",
          _="“{category}”各三级指标赋分合计 {points} 分，与一级指标权重 {weight} 分不符；"
            "各条款最大扣分合计 {deduction}",
          harmless="“{category}”各三级指标赋分合计 {points} 分，与一级指标权重 {weight} 分不符；"
                   "各条款最大扣分合计 {deduction}，与权重一致，计分不受影响",
          uncapped="不设上限", points="{points} 分"),
    _code("rules-name-duplicate", "rules", "warning", "三级指标名称重复",
          _="三级指标“{name}”出现 {count} 次（编号 {ids}），无法区分"),
    _code("rules-clause-over-points", "rules", "error note", "条款扣分超过本项赋分",
          _="编号 {ids} 最多扣 {total} 分，超过本项赋分 {points} 分{allowed}",
          indicator_cap="（单项指标扣完为止，按本项赋分封顶）",
          category_cap="（三级指标减分可突破自身赋分，计入一级指标上限）"),
    _code("rules-cap-unreachable", "rules", "warning", "扣分上限不是每次分值的整数倍",
          _="编号 {id} 上限 {cap} 分不是每次 {per} 分的整数倍",
          max="编号 {id} 最多 {most} 次 × {per} 分达不到上限 {cap} 分"),
    _code("rules-bonus-uncapped", "rules", "warning", "加分原文有上限而细则未设",
          _="编号 {id} 的加分标准写明上限 {cap} 分，但未设 cap"),
    _code("rules-text-mismatch", "rules", "warning", "分值或上限与评分标准原文不一致",
          _="编号 {id} 的 {differs} 与评分标准原文不一致",
          per="每次分值 {ours}（原文 {theirs}）", cap="上限 {ours}（原文 {theirs}）"),
    # rule sets: 不适用 and 一票否决 (the schemes of other counties and cities)
    _code("rules-veto", "rules", "error note", "一票否决条款不起作用",
          _="编号 {id} 为一票否决，但细则既未设等次（policy.grades）也未设 policy.veto_total，否决不起作用",
          bonus="编号 {id} 是加分条款，不能设为一票否决",
          above="policy.veto_total 为 {total} 分，不低于次低等次“{grade}”的分数线 {bound} 分：被否决单位的总分"
                "可落在该等次的分数段，等次却为最低的“{lowest}”"),
    _code("rules-bonus-threshold", "rules", "warning error", "加分门槛不起作用",
          _="policy.bonus_min_total 为 {total} 分，但细则没有综合加分项，门槛不起作用",
          over="policy.bonus_min_total 为 {total} 分，高于满分 {full_marks} 分，综合加分项永远不计"),
    _code("rules-not-applicable", "rules", "warning error", "不适用的设置不完整",
          unused="policy.not_applicable 为 {policy}，但没有任何三级指标设 na: true，折算不起作用",
          no_points="三级指标“{name}”可不适用（na: true），但没有赋分，无法按比例折算"),
    # outputs
    _code("output-exists", "output", "error", "输出文件已存在",
          _="{path} 已存在，未覆盖；如需覆盖请加 --force"),
    _code("output-locked", "output", "error", "输出文件无法写入",
          os="无法写入 {path}：系统拒绝写入（错误号 {errno}）", os_no_space="无法写入 {path}：磁盘空间不足",
          os_too_long="无法写入 {path}：文件名或路径过长",
          os_name="无法写入 {path}：文件名中有系统编码无法表示的字符（如生僻字、表情符号）；"
                  "请改用 UTF-8 的系统区域设置",
          open="无法写入 {path}：文件可能正在 Excel/WPS 中打开，或没有写权限；请关闭后重试"),
    _code("output-partial", "output", "error", "只写入了部分输出文件",
          _="输出文件只写入了一部分：{cause}。已写入：{written}；未写入（保持原样）：{missing}。"
            "请关闭占用的文件后加 --force 重新运行，使各输出文件出自同一次运行"),
    _code("output-path-long", "output", "warning", "输出文件的完整路径过长",
          _="{path} 的完整路径有 {length} 个字符，超过 Windows 的 {limit} 个字符限制，在 Windows 上可能无法打开、"
            "复制或删除；请换一个层级较浅、名称较短的文件夹"),
    _code("output-in-input", "output", "warning", "输出写在了输入文件夹中",
          _="{path} 写在输入文件夹 {folder} 中；以后的运行会认出它是本工具生成的文件而跳过，但建议写到输入文件夹以外，"
            "以免与各单位交回的文件混在一起"),
    _code("output-stale-kept", "output", "warning", "上次运行写的文件已过时，未删除",
          _="{path} 是上次运行写的，本次没有再写，但它写出后被修改过，未删除；如已不需要请手工删除",
          locked="{path} 是上次运行写的，本次没有再写，但无法删除（可能正在 Excel/WPS 中打开）；请关闭后手工删除"),
    _code("output-not-folder", "output", "error", "输出文件夹的位置是一个文件",
          _="{path} 是一个文件，不是文件夹；请给出输出文件夹", os="无法写入 {path}：路径中有一段是文件而不是文件夹"),
    _code("output-is-folder", "output", "error", "输出文件的位置是一个文件夹",
          _="{path} 是一个文件夹；请给出输出文件名（如 {example}）",
          os="无法写入 {path}：这是一个文件夹，请给出文件名"),
    _code("output-suffix", "output", "error", "输出文件的扩展名不对",
          _="{path}：输出文件应为 {wanted} 文件，不能写成 {suffix}；请改用 {name}"),
    _code("output-readonly", "output", "error", "输出位置不可写",
          os_denied="无法写入 {path}：没有写权限，请换一个文件夹或修改权限",
          os_readonly="无法写入 {path}：所在位置是只读的，请换一个文件夹"),
    # command line, inputs and outputs that stop a run or warn about it
    _code("usage", "usage", "error", "命令行用法或配置错误",
          # the roster
          roster_duplicates="名单 {path} 中有重复的单位（全角半角、空格不计）：{names}",
          roster_empty="名单 {path} 中没有任何单位", roster_no_column="名单 {path} 中找不到“{column}”列",
          roster_no_column_sheets="名单 {path} 的工作表（{sheets}）中都找不到“{column}”列；"
                                  "请在名单所在的工作表中加上该列标题",
          roster_class_blank="名单 {path} 中 {units}{more}的“{column}”为空，而其他单位都填了类别；请为每个单位填写类别"
                             "（空白不会按默认类别处理）",
          roster_csv="名单 {path} 不是可读的 CSV 文件；请另存为 .xlsx 或每行一个单位的 .txt",
          roster_folder="名单 {path} 是文件夹；请给出名单文件（.txt、.csv 或 .xlsx）",
          roster_missing="找不到名单 {path}：请检查路径", roster_denied="无法读取名单 {path}：没有读取权限",
          roster_unreadable="无法读取名单 {path}：请检查该文件", roster_blank="名单 {path} 是空文件",
          roster_encoding="名单 {path} 不是可识别的文本文件（编码无法识别或含二进制内容）：请另存为 UTF-8 文本，"
                          "或使用带“{column}”列的 .xlsx/.csv",
          roster_damaged="名单 {path} 无法读取：文件可能已损坏或不是表格文件；请重新保存为 .xlsx 或改用 .txt{why}",
          roster_class="名单中“{unit}”的类别“{klass}”没有对应的考核细则（已有：{known}）；"
                       "请用 --rules 给出该类别的细则",
          # a rule table to import, and the command line's own values
          table_unreadable="无法读取 {path}（{why}）",
          table_format="{path} 不是可读的表格文件，可能已损坏；请重新保存为 .xlsx 后再导入",
          table_header="{source} 中找不到含“{column}”的表头行", points="--points「{points}」不是数字",
          # the matrix and review-table templates
          source_needs="{what}",
          source_roster="需要 --roster 给出名单，且名单中有属于 {rules} 的单位",
          source_choice="--matrix 需要 --clauses 或 --method 之一（只能给一个）",
          source_name="--matrix 需要 --source 给出检查组名称（如 网上检查组）",
          source_clauses="考核细则 {rules} 中没有编号 {ids}",
          source_method="考核细则 {rules} 中没有考核方式含“{word}”的条款"),
    # several sources of findings: inspection matrices and the review table
    _code("source-left-out", "unit", "warning", "名单中的单位未列入检查表或复核调整表",
          hint="为该类别另做一份：zwgk template --matrix（或 --adjustments）--rules 其类别的考核细则",
          _="名单中另有 {count} 个单位按其他类别的考核细则考核，未列入这份按 {rules} 制作的表：{units}"),
    _code("source-conflict", "unit", "error", "不同来源的填报不一致",
          hint="核实后在复核调整表中为该单位该编号填写调整为和理由，或改正其中一份",
          _="单位“{unit}”编号 {id}：{first}「{a}」与 {second}「{b}」不一致，该单位暂不排名；"
            "请核实后在复核调整表中确定",
          rules="单位“{unit}”：{first}按考核细则 {a} 填报，{second}按 {b} 填报，无法合并，该单位暂不排名"),
    _code("source-duplicate", "file", "error warning", "同一来源有多份检查表",
          hint="每个检查组只提交一份检查表；请删除旧版本，只保留最终版（或加 --newest）",
          _="来源“{source}”有 {count} 份检查表（{files}），均未计入，其中各单位暂不排名；请只保留一份{why}",
          superseded="来源“{source}”的此版本（保存于 {saved}）已被较新的 {winner}（保存于 {winner_saved}）替代，"
                     "未计入（--newest）"),
    _code("source-refused", "file", "error", "检查表或复核调整表未能读取，各单位暂不排名",
          hint="改正或重新保存该文件后重新运行；排名缺少这一来源的结果就不完整",
          _="{what}未能读取（见该文件的错误），其中的检查结果或复核调整无从得知，本次 {count} 个单位均暂不排名"),
    _code("source-incomplete", "unit", "error", "单位评分表未收到，其他来源未涵盖全部条款",
          hint="收齐该单位的评分表，或在检查表中涵盖这些编号后重新运行",
          _="单位“{unit}”未提交单位评分表，编号 {ids}没有任何来源的结果（空白不能当作未扣分），该单位暂不排名"),
    _code("source-unit-unknown", "unit", "warning error", "检查表或复核调整表中的单位无法对应",
          hint="按名单核对单位名称",
          _="单位“{unit}”不在名单中；{close}该行未计入（不会作为新单位）",
          review="复核调整的单位“{unit}”没有任何来源的填报（不在名单中或未被考核）；{close}该行未执行",
          review_held="复核调整的单位「{typed}」无法对应，这项调整不知是谁的；可能相关的单位（{units}）暂不排名，"
                      "请改正单位名称后重新运行",
          held="「{typed}」等 {count} 行不在名单中却填有检查结果，无法判断是哪个单位的；本检查表没有列出的单位"
               "（{units}）暂不排名，请改正单位名称后重新运行",
          close="名单中相近的单位：{names}；"),
    _code("row-incomplete", "value", "error", "检查表或复核调整表的行不完整",
          hint="补全该行后重新运行",
          unit="该行填有内容但没有单位名称，未计入",
          reason="复核调整（{unit} 编号 {id}）没有填写理由，未执行；该单位暂不排名",
          value="复核调整（{unit} 编号 {id}）没有填写调整为，未执行；该单位暂不排名（没有扣分请填 0 或 否）",
          id="复核调整（{unit}）没有填写编号，未执行；该单位暂不排名"),
    # a matrix column the reader cannot place
    _code("source-column-ignored", "sheet", "error", "检查表中有未读取的列",
          hint="条款列的表头应为“编号 名称”（如“5 部门信息公开”）；请勿改动表头，也不要在检查表中加列",
          _="{column} 列（表头“{header}”）填有内容，但表头不是“编号 名称”的条款列或说明列，该列无法读取；"
            "该列填有内容的单位暂不排名：如是条款请恢复表头，如是自加的列请删除后重新运行"),
    _code("internal-error", "usage", "error", "内部错误",
          _="内部错误：请加 --debug 重新运行并把输出交给维护人员"),
    _code("input-missing", "usage", "error", "找不到输入的文件或文件夹",
          _="找不到{what} {paths}：请检查路径", folder="{what} {paths} 是一个文件夹，请给出文件"),
    _code("input-own-output", "usage", "note", "本工具生成的文件，不是交回的评分表",
          _="本工具生成的{kind}，不是交回的评分表，未读取"),
    _code("input-empty", "usage", "warning", "没有找到任何评分表",
          _="没有找到任何评分表（{suffixes}）{others}；请检查路径", skipped="（另有 {count} 个非表格文件已跳过）"),
    # last season's results (rank --previous) and the 通报 draft (rank --report)
    _code("previous-invalid", "usage", "error", "上年结果文件无法使用",
          _="上年结果 {path} 无法使用：{why}；"
            "请给出上年 zwgk rank --json 的输出（.json）或 zwgk rank 写的汇总工作簿（.xlsx）",
          missing="找不到上年结果 {path}：请检查路径",
          folder="上年结果 {path} 是文件夹；请给出上年 rank --json 的输出或汇总工作簿文件",
          # what is wrong with it (the {why} above)
          unreadable="无法读取该文件", kind="既不是 JSON 文本也不是 .xlsx 工作簿",
          json="不是有效的 JSON 文本", error_doc="是一次出错运行的输出（{message}）",
          no_rank="其中的单位没有名次（可能是 score --json 的输出）", no_units="其中没有任何已排名的单位",
          entry="第 {n} 个单位的{field}无效（{value}）", damaged="文件已损坏或不是可读的工作簿",
          no_sheet="没有“排名”工作表（不是 zwgk rank 写的汇总工作簿）",
          no_header="“{sheet}”工作表中找不到含“名次、单位、总分”的表头行",
          cell="{sheet}!{cell} 的{field}「{value}」无效"),
    _code("previous-rules", "rules", "warning", "上年与本年的考核细则不同",
          _="上年结果按考核细则 {then} 计分，本年按 {now} 计分；得分和名次的比较仅供参考",
          other_class="“{unit}”上年在{then}类排名，本年在{now}类，名次不作比较（只列上年得分）"),
    _code("previous-ambiguous", "unit", "warning", "上年结果中对应的单位不唯一",
          _="“{unit}”在上年结果中对应多个单位（{names}），未取上年得分和名次；请核对名单的“曾用名”列",
          shared="上年的“{name}”同时对应本年的 {units}，均未取上年得分和名次；请核对名单的“曾用名”列"),
]

CATALOGUE: dict[str, Code] = {entry.code: entry for entry in _ENTRIES}

# Stable codes and their titles (kept for scripts that imported it).
CODES: dict[str, str] = {code: entry.title for code, entry in CATALOGUE.items()}


def message(code: str, variant: str = "", /, **values: object) -> str:
    """The message of a catalogued code (see :meth:`Code.message`).

    >>> message("output-exists", path="汇总.xlsx")
    '汇总.xlsx 已存在，未覆盖；如需覆盖请加 --force'
    """
    return CATALOGUE[code].message(variant, **values)


def family(code: str) -> Family:
    """The family of a catalogued code."""
    return CATALOGUE[code].family


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth knowing) about an input, with where it is."""

    code: str
    message: str
    level: Level = Level.ERROR
    file: str = ""
    sheet: str = ""
    cell: str = ""
    value: str = ""

    @classmethod
    def of(cls, code: str, variant: str = "", /, *, level: Level | None = None, file: str = "",
           sheet: str = "", cell: str = "", value: str = "", **values: object) -> Problem:
        """A problem whose message comes from the catalogue, at the code's usual level unless
        ``level`` says otherwise.

        >>> Problem.of("value-max", file="县财政局.xlsx", cell="H12", value="7", raw="7", most=5).text()
        '县财政局.xlsx：「7」超过本项最多 5'
        """
        entry = CATALOGUE[code]
        if level is not None and level not in entry.levels:  # a call site and the catalogue disagree
            raise ValueError(f"{code} is catalogued as {', '.join(entry.levels)}, not {level}")
        return cls(code, entry.message(variant, **values), level or entry.level, file, sheet, cell, value)

    @property
    def family(self) -> Family:
        """The catalogue family of this problem's code."""
        return CATALOGUE[self.code].family

    def where(self) -> str:
        """Location as a clerk reads it: ``县财政局.xlsx 评分表!H12``."""
        place = f"{self.sheet}!{self.cell}" if self.sheet and self.cell else self.sheet
        return " ".join(part for part in (self.file, place) if part)

    def text(self) -> str:
        """The full Chinese line: location, then the message."""
        where = self.where()
        return f"{where}：{self.message}" if where else self.message

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "level": str(self.level),
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "value": self.value,
            "message": self.text(),
        }


class ZwgkError(Exception):
    """A problem that stops a command before it writes anything (exit code 2).

    Every such error has a stable ``code`` (``usage`` unless a subclass or the caller
    says more), which ``--json`` prints in its error document.

    >>> ZwgkError("找不到 x", code="input-missing").to_dict()
    {'code': 'input-missing', 'message': '找不到 x'}
    """

    code = "usage"
    exit_status = ExitStatus.STOPPED

    def __init__(self, message: str = "", *, code: str | None = None):
        super().__init__(message)
        if code is not None:
            if code not in CATALOGUE:  # every exit-2 error carries a catalogued code
                raise ValueError(f"{code} is not a catalogued problem code")
            self.code = code

    @classmethod
    def of(cls, code: str, variant: str = "", /, **values: object) -> ZwgkError:
        """The error ``code`` with its catalogued message.

        >>> OutputError.of("output-exists", path="汇总.xlsx").to_dict()
        {'code': 'output-exists', 'message': '汇总.xlsx 已存在，未覆盖；如需覆盖请加 --force'}
        """
        return cls(message(code, variant, **values), code=code)

    def to_dict(self) -> dict:
        """The ``error`` member of the JSON document printed on exit code 2."""
        return {"code": self.code, "message": str(self)}


class RuleSetError(ZwgkError):
    """A rule set file that cannot be used; carries every problem found."""

    code = "rules-invalid"

    def __init__(self, source: str, problems: list[Problem], *, check: bool = False):
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p.text()}" for p in problems)
        super().__init__(message("rules-invalid", "checked" if check else "unusable", source=source, lines=lines))

    def to_dict(self) -> dict:
        return {**super().to_dict(), "problems": [p.to_dict() for p in self.problems]}


class OutputError(ZwgkError):
    """An output file that must not or cannot be written."""

    code = "output-locked"


class PartialOutputError(OutputError):
    """A run whose outputs were being replaced when one failed: ``written`` are this run's,
    ``missing`` are as they were (exit code 3, not 2: something was written)."""

    code = "output-partial"
    exit_status = ExitStatus.PARTIAL

    def __init__(self, text: str, written: list, missing: list):
        super().__init__(text, code="output-partial")
        self.written, self.missing = list(written), list(missing)

    def to_dict(self) -> dict:
        return {**super().to_dict(), "written": [str(p) for p in self.written],
                "not_written": [str(p) for p in self.missing]}
