"""The problem codes of a returned file, found while it is read: the file itself, its limits, the
findings sheet, whose workbook it is, its rows and cells, 不适用, findings written outside 填报.

Data only (see :mod:`.catalogue` for the look-ups; :mod:`.run_entries` holds the rest). A template
variant named ``_`` is the usual one; ``no_column`` is the variant ``no-column``.
"""

from __future__ import annotations

from .vocabulary import make_code as _code

FILE_ENTRIES = [
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
          _="单元格含有工作簿不能保存的字符（{chars}，如控制字符），已删除后读取；请检查该单元格"),
    # findings written outside 填报
    _code("note-without-input", "value", "warning", "说明有内容而填报为空",
          _="编号 {id} 的“{note_column}”写有「{note}」，但“{input_column}”为空，本条未计分；"
            "如有扣分/加分情形，请在 {input_cell} 填写"),
    _code("formula-overwritten", "value", "warning", "公式被手填数值覆盖",
          _="“{column}”列的公式被改成了手填的「{raw}」，不参与计分（工具只按“{input_column}”列计分）；"
            "如有扣分/加分情形，请在“{input_column}”列填写"),
]
