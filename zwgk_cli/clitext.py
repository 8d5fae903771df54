"""The command line's own words in Chinese: help headings and usage errors.

Typer and click print "Usage:", "Options:", "[default: …]" and "Missing argument …" in
English; a clerk reads Chinese. The help formatter and command classes here translate the
fixed words, and :func:`usage_error_text` turns click's usage errors into Chinese messages.

>>> translate("[default: 汇总.xlsx]  [required]")
'[默认：汇总.xlsx]  [必填]'
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import typer
from typer import _click as click
from typer._click import exceptions as errors

SECTIONS = {"Arguments": "参数", "Options": "选项", "Commands": "命令"}
PHRASES = (("[default: ", "[默认："), ("[required]", "[必填]"),
           ("Show this message and exit.", "显示本帮助并退出。"))


def translate(text: str) -> str:
    for english, chinese in PHRASES:
        text = text.replace(english, chinese)
    return text


class ChineseFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")

    @contextmanager
    def section(self, name: str):
        with super().section(SECTIONS.get(name, name)):
            yield

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, translate(text)) for term, text in rows], col_max, col_spacing)


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


class ZwgkGroup(typer.core.TyperGroup):
    context_class = ChineseContext


class ZwgkCommand(typer.core.TyperCommand):
    context_class = ChineseContext


def usage_error_text(exc: errors.UsageError) -> str:
    """A usage error as a Chinese message, with where to find the usage."""
    try:
        text = _translated(exc)
    except Exception:  # never a traceback for a typo on the command line: click's own words then
        text = exc.format_message()
    where = exc.ctx.command_path if exc.ctx is not None else "zwgk"
    return f"错误：{text}\n用法见：{where} --help"


def _translated(exc: errors.UsageError) -> str:
    if isinstance(exc, errors.NoSuchOption):
        text = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            text += f"（是否想用 {'、'.join(sorted(exc.possibilities))}？）"
    elif isinstance(exc, errors.MissingParameter):
        argument = getattr(exc.param, "param_type_name", exc.param_type) == "argument"
        text = f"缺少{'参数' if argument else '选项'} {_hint(exc)}"
    elif isinstance(exc, errors.BadParameter):
        text = f"{_hint(exc)} 的值无效：{_value_problem(exc.message)}"
    elif exc.message.startswith("No such command"):
        text = "没有这个命令：" + exc.message.removeprefix("No such command").strip(" .'\"")
    elif exc.message.startswith("Got unexpected extra argument"):
        text = "多余的参数：" + exc.message.split("(", 1)[-1].rstrip(")")
    else:
        text = exc.message
    return text


_VALUE_PROBLEMS = (
    (re.compile(r"greater than or equal to (\S+)"), r"应不小于 \1"),
    (re.compile(r"less than or equal to (\S+)"), r"应不大于 \1"),
    (re.compile(r"valid integer"), "应为整数"),
    (re.compile(r"valid number"), "应为数字"),
)


def _value_problem(message: str) -> str:
    for pattern, chinese in _VALUE_PROBLEMS:
        match = pattern.search(message)
        if match:
            return match.expand(chinese)
    return message


def _hint(exc: errors.BadParameter) -> str:
    if exc.param_hint:
        return exc.param_hint if isinstance(exc.param_hint, str) else " / ".join(exc.param_hint)
    if exc.param is not None:
        names = getattr(exc.param, "opts", None) or [getattr(exc.param, "name", "")]
        return " / ".join(str(n) for n in names if n)
    return ""
