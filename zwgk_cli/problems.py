"""Problems a user can cause, each with a stable code and a location.

A problem is a record, not an exception: readers and checks collect them so that a
clerk can fix every cell in one pass. Only an unusable rule set raises
(:class:`RuleSetError`), and it carries every problem found before giving up.

>>> p = Problem("value-quantity", "「若干」不是有效的数量", file="县财政局.xlsx",
...             sheet="评分表", cell="H12", value="若干")
>>> p.where()
'县财政局.xlsx 评分表!H12'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    """How bad a problem is: an error rejects the file, a warning is reported only."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


LEVEL_LABELS = {Level.ERROR: "错误", Level.WARNING: "警告", Level.NOTE: "提示"}

# Stable codes and what each means. The message itself is built where the problem
# is found; the code is what tests and scripts rely on.
CODES: dict[str, str] = {
    # reading returned workbooks
    "file-unreadable": "文件无法读取",
    "file-format": "不是可识别的表格文件",
    "file-empty": "文件为空",
    "file-encrypted": "文件已加密",
    "file-corrupt": "文件已损坏",
    "file-bomb": "文件解压后过大（疑似压缩炸弹）",
    "file-xml": "文件含不允许的 XML 声明",
    # damaged files (issue 9): limits of rows, columns, repeats, memory and time per file
    "file-too-complex": "文件过大或过于复杂",
    "sheet-missing": "缺少评分表工作表",
    "header-missing": "找不到表头行",
    "meta-ruleset": "工作簿来自其他考核细则或版本",
    "unit-missing": "未填写被考核单位",
    "unit-mismatch": "被考核单位与模板记录不一致",
    "unit-duplicate": "同一单位有多份工作簿",
    "id-unknown": "编号不在考核细则中",
    "id-duplicate": "编号重复",
    "clause-missing": "评分表缺少某条款的行",
    "value-quantity": "数量无效",
    "value-amount": "分值无效",
    "value-flag": "是/否无效",
    "value-max": "超过最多次数",
    "note-required": "酌情加减分须填写说明",
    "formula-cell": "填报单元格为公式",
    "value-error": "填报单元格为错误值",
    "text-changed": "赋分或评分标准被改动",
    "sheet-empty": "评分表未填写任何内容",
    # unit identity, resubmissions and the roster (issue 9: names.py, pipeline, roster.py)
    "unit-unknown": "单位不在名单中",
    "unit-alias": "单位名称写法与名单不同",
    "unit-conflict": "填写的单位与模板所属单位都在名单中且不同",
    "unit-superseded": "已被同一单位较新的版本替代（--newest）",
    "file-identical": "与另一文件内容完全相同，只计一次",
    "roster-line-dropped": "名单中未作为单位的行",
    # findings written outside 填报 (issue 9)
    "note-without-input": "说明有内容而填报为空",
    "formula-overwritten": "公式被手填数值覆盖",
    # rule sets
    "rules-invalid": "考核细则文件格式错误",
    "rules-weight-sum": "一级指标权重合计与满分不符",
    "rules-points-sum": "三级指标赋分合计与一级指标权重不符",
    "rules-name-duplicate": "三级指标名称重复",
    "rules-clause-over-points": "条款扣分超过本项赋分",
    "rules-cap-unreachable": "扣分上限不是每次分值的整数倍",
    "rules-bonus-uncapped": "加分原文有上限而细则未设",
    "rules-text-mismatch": "分值或上限与评分标准原文不一致",
    # outputs
    "output-exists": "输出文件已存在",
    "output-locked": "输出文件无法写入",
    # command line, inputs and outputs that stop a run or warn about it (issue 9)
    "usage": "命令行用法或配置错误",
    "internal-error": "内部错误",
    "input-missing": "找不到输入的文件或文件夹",
    "input-empty": "没有找到任何评分表",
    "output-not-folder": "输出文件夹的位置是一个文件",
    "output-is-folder": "输出文件的位置是一个文件夹",
    "output-suffix": "输出文件的扩展名不对",
    "output-readonly": "输出位置不可写",
}


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

    def __init__(self, message: str = "", *, code: str | None = None):
        super().__init__(message)
        if code is not None:
            self.code = code

    def to_dict(self) -> dict:
        """The ``error`` member of the JSON document printed on exit code 2."""
        return {"code": self.code, "message": str(self)}


class RuleSetError(ZwgkError):
    """A rule set file that cannot be used; carries every problem found."""

    code = "rules-invalid"

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p.text()}" for p in problems)
        super().__init__(f"考核细则 {source} 无法使用：\n{lines}")

    def to_dict(self) -> dict:
        return {**super().to_dict(), "problems": [p.to_dict() for p in self.problems]}


class OutputError(ZwgkError):
    """An output file that must not or cannot be written."""

    code = "output-locked"
