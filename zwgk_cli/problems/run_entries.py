"""The problem codes of a run beyond one returned file: rule sets, outputs, the command line and its
inputs, the roster, rule tables, sources of findings, submissions, 印证材料, the archive, last season.

Data only (see :mod:`.catalogue` for the look-ups; :mod:`.file_entries` holds a returned file's).
A template variant named ``_`` is the usual one; ``no_column`` is the variant ``no-column``.
"""

from __future__ import annotations

from .vocabulary import make_code as _code

RUN_ENTRIES = [
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
          table_number="“{column}”列的「{got}」不是数字，该项已留空，请改为数字后重新导入",
          table_whole="“{column}”列的「{got}」不是正整数，该项已留空，请改为正整数后重新导入",
          table_key="“{sheet_name}”表中的「{key}」不是可识别的项目（可用：{keys}），已忽略；请改正后重新导入",
          table_choice="“{column}”列的「{got}」不是 {choices} 之一，该项已留空，请改正后重新导入"),
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
    _code("rules-floor", "rules", "error", "总分下限不低于满分",
          _="policy.floor 为 {floor} 分，不低于满分 {full_marks} 分：每个单位都会得到这个分数；请改正下限（通常为 0）"),
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
    _code("output-input-changed", "output", "error", "归档时输入文件已改变",
          _="{path} 在计分之后被修改或替换，归档中的文件将与计分所用的不同，未写入归档；请重新运行",
          unreadable="归档时无法读取 {path}（{why}），未写入归档；请检查该文件后重新运行"),
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
    # the roster
    _code("roster-invalid", "roster", "error", "名单无法使用",
          hint="名单可以是每行一个单位的 .txt，或带“单位名称”列的 .csv/.xlsx",
          duplicates="名单 {path} 中有重复的单位（全角半角、空格不计）：{names}",
          empty="名单 {path} 中没有任何单位", no_column="名单 {path} 中找不到“{column}”列",
          no_column_sheets="名单 {path} 的工作表（{sheets}）中都找不到“{column}”列；"
                           "请在名单所在的工作表中加上该列标题",
          csv="名单 {path} 不是可读的 CSV 文件；请另存为 .xlsx 或每行一个单位的 .txt",
          folder="名单 {path} 是文件夹；请给出名单文件（.txt、.csv 或 .xlsx）",
          missing="找不到名单 {path}：请检查路径", denied="无法读取名单 {path}：没有读取权限",
          unreadable="无法读取名单 {path}：请检查该文件", blank="名单 {path} 是空文件",
          encoding="名单 {path} 不是可识别的文本文件（编码无法识别或含二进制内容）：请另存为 UTF-8 文本，"
                   "或使用带“{column}”列的 .xlsx/.csv",
          damaged="名单 {path} 无法读取：文件可能已损坏或不是表格文件；请重新保存为 .xlsx 或改用 .txt{why}"),
    _code("roster-class", "roster", "error", "名单中的类别没有对应的考核细则",
          hint="类别写 A、B（或 A类）或考核细则编号，每个单位都要写；用 --rules 给出各类别的细则",
          _="{roster}中“{unit}”的类别“{klass}”没有对应的考核细则（已有：{known}）；请用 --rules 给出该类别的细则，"
            "或改正名单中的类别",
          blank="名单 {path} 中 {units}{more}的“{column}”为空，而其他单位都填了类别；请为每个单位填写类别"
                "（空白不会按默认类别处理）"),
    # a rule table to import (rules import)
    _code("table-invalid", "rules", "error", "评分表无法导入",
          hint="用 zwgk rules export 导出的表格为底稿修改，保存为 .xlsx 后再导入",
          _="无法读取 {path}（{why}）",
          format="{path} 不是可读的表格文件，可能已损坏；请重新保存为 .xlsx 后再导入",
          header="{source} 中找不到含“{column}”的表头行"),
    # the matrix and review-table templates (template --matrix / --adjustments)
    _code("template-source", "usage", "error", "检查表或复核调整表无法生成",
          _="{what}",
          roster="需要 --roster 给出名单，且名单中有属于 {rules} 的单位",
          choice="--matrix 需要 --clauses 或 --method 之一（只能给一个）",
          name="--matrix 需要 --source 给出检查组名称（如 网上检查组）",
          clauses="考核细则 {rules} 中没有编号 {ids}",
          method="考核细则 {rules} 中没有考核方式含“{word}”的条款"),
    # the command line itself (click's usage errors, an option's value)
    _code("usage", "usage", "error", "命令行用法错误",
          _="{what}", points="--points「{points}」不是数字"),
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
    # a unit's submission as a .zip (its workbook and its 印证材料)
    _code("submission-corrupt", "file", "error", "压缩包已损坏", hint="{rezip_hint}",
          _="压缩包已损坏（结构有误或未传完），无法读取；{rezip}"),
    _code("submission-unsafe", "file", "error", "压缩包含不安全或异常的内容", hint="{rezip_hint}",
          path="压缩包中的“{member}”指向压缩包以外的位置（含 ..、绝对路径或盘符），已拒绝整个压缩包；{rezip}",
          link="压缩包中的“{member}”是符号链接，已拒绝整个压缩包；{rezip}",
          duplicate="压缩包中“{member}”与“{other}”重名，无法确定用哪一个；{rezip}",
          members="压缩包内有 {count} 个文件，超过上限 {most}，已拒绝；请只打包评分表和印证材料",
          size="压缩包解压后达 {megabytes} MB，超过上限 {most} MB（其中最大的是“{member}”，{largest} MB），"
               "已拒绝；请只打包评分表和印证材料",
          ratio="压缩包中的“{member}”解压后达 {megabytes} MB，是压缩后的 {ratio} 倍（正常文件不超过 {most} 倍），"
                "疑似压缩炸弹，已拒绝整个压缩包；该文件如确是印证材料，可转为 .pdf 或 .jpg 等常见格式；{rezip}"),
    _code("submission-encrypted", "file", "error", "压缩包已加密", hint="{rezip_hint}",
          _="压缩包中的“{member}”已加密（设了密码），无法读取；请不设密码重新打包后提交"),
    _code("submission-empty", "file", "warning", "压缩包中没有评分表", hint="{rezip_hint}",
          _="压缩包中没有评分表（.xlsx/.xls/.et/.ods），作为一般文件处理：被某单位列为印证材料时是印证材料",
          nested="压缩包中没有评分表，只有压缩包 {inner}（压缩包中的压缩包不会打开）；"
                 "如其中有评分表，请解压后把评分表和印证材料直接打包成一个 .zip 提交"),
    _code("submission-units", "unit", "error", "一个压缩包中有多个单位的评分表",
          hint="每个单位单独打包（一个 .zip 只放一个单位的评分表和印证材料）",
          _="压缩包 {submission} 中有多个单位的评分表（{units}），一个压缩包只能是一个单位的提交；"
            "本文件未计分，请各单位分别打包"),
    _code("submission-format", "file", "warning", "压缩包格式无法读取",
          _="{kind} 压缩包无法读取，其中的评分表未计分：请解压后重新压缩为 .zip（Windows 中右键→发送到→"
            "压缩(zipped)文件夹），或直接提交评分表和印证材料"),
    # 印证材料: listed, found, checked (docs/scoring.md, Evidence)
    _code("evidence-missing", "evidence", "warning", "列出的印证材料没有找到",
          hint="把列出的文件与评分表放在一起（同一文件夹或同一压缩包）重新提交，或改正“印证材料”中的文件名",
          _="编号 {id} 列出的印证材料“{name}”在提交的文件中没有找到{where}",
          ambiguous="编号 {id} 列出的“{name}”对应多个文件（{paths}），无法确定是哪一个；请写明所在文件夹",
          local="编号 {id} 列出的“{name}”是本机上的路径，考核办看不到这个文件；请把文件随评分表一起提交，"
                "“印证材料”中只写文件名",
          damaged="编号 {id} 列出的“{name}”在压缩包中已损坏，无法读取；请重新打包后提交",
          illegal="编号 {id} 列出的“{name}”含 Windows 文件名不允许的字符（{chars}），不会是提交的文件名；"
                  "请改为实际的文件名"),
    _code("evidence-absent", "evidence", "warning", "需要印证材料的条款未提供",
          hint="在“印证材料”列写明文件名或网址，并随评分表提交这些文件",
          bonus="编号 {id} 填报了加分（{raw}），但没有提供印证材料{effect}",
          flag="编号 {id} 填报“{raw}”（未发现扣分情形），但没有提供印证材料{effect}",
          count="编号 {id} 填报“{raw}”（没有扣分），但没有提供印证材料{effect}",
          # the effect under evidence_policy strict
          withheld="；按“未提供印证材料的视为未开展”，该项加分不计",
          found="；按“未提供印证材料的视为未开展”，按存在扣分情形计（扣 {points} 分）",
          counted="；计数类条款仍按所填数量计分"),
    _code("evidence-link-invalid", "evidence", "warning", "印证材料中的网址格式不正确",
          hint="网址须以 http:// 或 https:// 开头，例如 https://www.xxx.gov.cn/…",
          _="编号 {id} 列出的网址“{name}”格式不正确；请写完整的网址（以 http:// 或 https:// 开头）"),
    _code("evidence-unlisted", "evidence", "note", "提交的文件未被任何条款列为印证材料",
          _="{where}中有 {count} 个文件没有被任何条款列为印证材料：{names}{more}"),
    _code("evidence-no-column", "evidence", "note", "评分表没有印证材料列",
          _="评分表没有“印证材料”列（使用的是旧版模板），本文件不作印证材料检查"),
    # the season's archive (rank --archive, archive verify)
    _code("archive-invalid", "usage", "error", "不是 zwgk 归档文件",
          _="{path} 不是有效的 .zip 文件，无法核对",
          missing="找不到归档文件 {path}：请检查路径",
          unreadable="无法读取 {path}（是文件夹或没有权限）",
          no_manifest="{path} 中没有 {manifest}，不是 zwgk rank --archive 写的归档",
          bad_manifest="{path} 中的 {manifest} 无法读取（已损坏或被改动）"),
    # last season's results (rank --previous) and the 通报 draft (rank --report)
    _code("previous-invalid", "usage", "error", "上年结果文件无法使用",
          _="上年结果 {path} 无法使用：{why}；"
            "请给出上年 zwgk rank --json 的输出（.json）或 zwgk rank 写的汇总工作簿（.xlsx）",
          missing="找不到上年结果 {path}：请检查路径",
          folder="上年结果 {path} 是文件夹；请给出上年 rank --json 的输出或汇总工作簿文件",
          # what is wrong with it (the {why} above)
          unreadable="无法读取该文件", kind="既不是 JSON 文本也不是 .xlsx 工作簿",
          json="不是有效的 JSON 文本", error_doc="是一次出错运行的输出（{message}）",
          key_twice="同一处的键 {key} 出现了两次（文件可能被手工改过），无法确定取哪一个",
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
