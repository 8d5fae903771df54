"""Names shared by the template writer and the reader, defined once so they cannot drift
(the layout they describe: docs/workbook.md)."""

VERSION = "0.1.0"  # the package's version (pyproject reads it here; a frozen build has no metadata)

SCORE_SHEET = "评分表"
GUIDE_SHEET = "填报说明"
META_SHEET = "_meta"

COL_ID = "编号"
COL_CATEGORY = "一级指标"
COL_GROUP = "二级指标"
COL_INDICATOR = "三级指标"
COL_POINTS = "赋分"
COL_RULE = "评分标准"
COL_METHOD = "考核方式"
COL_INPUT = "填报"
COL_NOTE = "说明"
COL_CLAUSE_POINTS = "扣分/加分"
COL_SCORE = "得分"
COL_EVIDENCE = "印证材料"  # file names and web links, one per line (a template of format 2 and later)
HEADERS = (
    COL_ID,
    COL_CATEGORY,
    COL_GROUP,
    COL_INDICATOR,
    COL_POINTS,
    COL_RULE,
    COL_METHOD,
    COL_INPUT,
    COL_NOTE,
    COL_EVIDENCE,
    COL_CLAUSE_POINTS,
    COL_SCORE,
)

UNIT_LABEL = "被考核单位："
UNIT_LABEL_CELL, UNIT_CELL = "A2", "C2"  # where the template puts the label and the name
UNIT_SEARCH_ROWS = 8  # rows searched for the label when the header row is missing
SUBTOTAL_LABEL = "小计"
TOTAL_LABEL = "总分"
GRADE_LABEL = "等次"
SUMMARY_LABELS = (SUBTOTAL_LABEL, TOTAL_LABEL, GRADE_LABEL)  # rows whose 得分 is a live formula
# The whole-unit sections of the official tables. Outputs take the names from the rule set
# (rules.wording.section_label); these are for a rule set without such a section, and for
# recognising the sections in a county's spreadsheet (rules import).
BONUS_SECTION, MAJOR_SECTION = "综合加分项", "重大扣分项"
SECTION_NAMES = (BONUS_SECTION, MAJOR_SECTION)

# Words a clerk writes for "none found": 0 in a count or amount cell, 否 in a 是否 cell.
# The reader and the template's live formulas both use this one list.
NONE_WORDS = ("无", "没有", "未发现", "没发现", "无此情形")
# Accepted spellings for 是否 clauses. The template's dropdown offers the first of each.
YES_WORDS = ("是", "√", "✓", "✔", "有", "y", "yes", "true", "t")
NO_WORDS = ("否", "×", "✗", "✘", "x", "n", "no", "false", "f", *NONE_WORDS)
YES, NO = YES_WORDS[0], NO_WORDS[0]
# 不适用 in 填报: the clause's indicator does not apply to the unit (rule sets with na indicators);
# 否决 marks a 一票否决 that applied, wherever results are shown.
NOT_APPLICABLE = "不适用"
VETO_LABEL, VETOED = "一票否决", "否决"
# What a live formula shows when it cannot read a 填报 cell the way the tool does.
PENDING = "待核"
# The largest quantity a 填报 cell may hold: the reader refuses more, the template's validation too.
LARGEST = 9999
# Unit words a clerk may write after a count: 2处, 3件, 1项, 2次.
UNIT_SUFFIXES = "处件项次个条例份篇家起批"

# Points in every workbook written: up to two decimals, no trailing point, a plain 0.
NUMBER_FORMAT = "0.##;-0.##;0"

TEMPLATE_FORMAT = 2  # 2: the 印证材料 column

# File names a user gets by default.
SUMMARY_FILE = "汇总.xlsx"
FEEDBACK_SUFFIX = "_扣分情况反馈单.xlsx"
REJECTED_SUFFIX = "_退回修改反馈单.xlsx"  # for a file that was not scored
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods")  # .et: WPS, read as .xls
ARCHIVE_SUFFIXES = (".zip",)  # a unit's submission: its workbook and its 印证材料
OTHER_ARCHIVES = (".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".arj", ".cab")  # not opened: said

# A file's status in a run (说明 sheet, JSON ``inputs``).
STATUS_OK, STATUS_ERROR, STATUS_DUPLICATE = "已评分", "有错误", "重复"
STATUS_SKIPPED = "已跳过"  # not a spreadsheet: listed, not read, does not change the exit code
STATUS_COPY, STATUS_SUPERSEDED = "相同副本", "已被替代"  # counted once / replaced under --newest
STATUS_OPENED = "已拆包"  # a unit's .zip, opened: its files have statuses of their own
STATUS_EVIDENCE = "印证材料"  # a file some clause lists as evidence
KIND_SUBMISSION, KIND_EVIDENCE = "submission", "evidence"  # InputFile kinds besides the inputs read

# The leading bytes of an OLE compound file (.xls, .et, an encrypted .xlsx).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Sources of findings besides one workbook per unit (docs/workbook.md, "Several sources").
KIND_UNIT, KIND_MATRIX, KIND_REVIEW = "unit", "matrix", "adjustments"  # _meta kind; none = unit
INPUT_KIND_LABELS = {KIND_UNIT: "评分表", KIND_MATRIX: "检查表", KIND_REVIEW: "复核调整表"}
FILE_KIND_LABELS = {**INPUT_KIND_LABELS, "submission": "压缩包", "evidence": "印证材料", "output": "本工具生成"}
# Files the tool writes that are no input (the matrices and review tables it writes are): marked in
# a hidden _meta (kind), or known by their sheets when it is gone; found among the returns, they
# are listed as skipped, never read as a unit's version.
KIND_OUTPUT = "output"  # a WorkbookRead of one of these
SUMMARY_SHEETS = ("排名", "分项得分", "说明")  # 排名（A类）… when there are classes
FEEDBACK_SHEET, REJECTED_SHEET = "扣分情况反馈单", "退回修改反馈单"
OUTPUT_KINDS = {"summary": "汇总表", "feedback": FEEDBACK_SHEET, "rejected-feedback": REJECTED_SHEET,
                "archive-manifest": "归档清单"}
MATRIX_SHEET = "检查表"  # one row per unit, one column per clause
REVIEW_SHEET = "复核调整表"  # one row per correction
COL_UNIT = "单位名称"
COL_ADJUSTED, COL_REASON, COL_HANDLER, COL_DATE = "调整为", "理由", "经办人", "日期"
REVIEW_HEADERS = (COL_UNIT, COL_ID, COL_ADJUSTED, COL_REASON, COL_HANDLER, COL_DATE, COL_EVIDENCE)
NOTE_HEADER = "说明（{id}）"  # a matrix's note column for a clause that needs one
UNIT_SOURCE = "单位评分表"  # the source name of a unit's own workbook
REVIEW_SOURCE = "复核"  # the source name of a review row
