"""The fixed words of every problem: how bad it is (:class:`Level`), what it is about
(:class:`Family`), what a command's exit status says (:class:`ExitStatus`), and the record a
catalogue entry is (:class:`Code`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from ..cells import printable


class ExitStatus(IntEnum):
    """What a command's exit status says (docs/cli.md, Exit codes); every command ends with one of these."""

    OK = 0  # every input was scored
    REJECTED = 1  # some inputs were rejected (or a rule check found an error); the rest were done
    STOPPED = 2  # a usage, configuration or output error stopped the command; nothing written
    PARTIAL = 3  # outputs were being replaced when one failed: some are new, the others as they were
    INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT




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
    EVIDENCE = "evidence"  # 印证材料: files listed and found, links, what the rule set's policy did
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
    "rezip": "请把评分表和印证材料重新打包为 .zip（不设密码）后提交",
    "rezip_hint": "在 Windows 中选中评分表和印证材料，右键→发送到→压缩(zipped)文件夹，不设密码",
}


@dataclass(frozen=True, slots=True)
class Code:
    """One catalogued problem: its family, usual level, title and message templates.

    ``templates`` maps a variant name ("" for the usual one) to a ``str.format`` template;
    call sites fill in the values, they never write the sentence again.

    >>> code = make_code("value-max", "value", "error", "超过最多次数", _="「{raw}」超过本项最多 {most}")
    >>> code.message(raw="7", most=5)
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
        shown = {k: printable(v, lines=True) if isinstance(v, str) else v for k, v in values.items()}
        return self.templates[variant].format_map({**SHARED, **shown})

    def hint_text(self, **values: object) -> str:
        """What the clerk should do, with the sheet and column names filled in ("" when the
        catalogue has no hint for this code)."""
        return self.hint.format_map({**SHARED, **values}) if self.hint else ""


def make_code(code: str, family: str, levels: str, title: str, hint: str = "", **templates: str) -> Code:
    """A catalogue entry; ``levels`` like "warning error", ``_`` names the usual template."""
    variants = {("" if name == "_" else name.replace("_", "-")): text for name, text in templates.items()}
    return Code(code, Family(family), tuple(Level(word) for word in levels.split()), title, variants, hint)
