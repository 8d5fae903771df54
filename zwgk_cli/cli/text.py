"""The command line's own words in Chinese: help text and usage errors.

Typer prints "Usage:", "Options:", "[default: …]" and "Missing argument …" in English; a
clerk reads Chinese. The command classes here translate the finished help text, and
:func:`usage_error_text` turns a usage error into a Chinese message. Only typer's public
names are used (``typer.core.TyperGroup``/``TyperCommand`` and their public methods); a
usage error is recognised by its public attributes, not by a class from a private module.

>>> translate("  -o, --output 文件  汇总工作簿。  [default: 汇总.xlsx]  [required]")
'  -o, --output 文件  汇总工作簿。  [默认：汇总.xlsx]  [必填]'
>>> translate("Usage: zwgk rank [OPTIONS] 文件或文件夹...")
'用法：zwgk rank [选项] 文件或文件夹...'
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Iterator

import typer

from ..problems import ExitStatus, message

PHRASES = (
    ("Usage: ", "用法："), ("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]..."),
    ("[default: ", "[默认："), ("[required]", "[必填]"), ("; required]", "；必填]"),
    ("Show this message and exit.", "显示本帮助并退出。"),
)
SECTIONS = {"Arguments:": "参数：", "Options:": "选项：", "Commands:": "命令："}
# a phrase may be wrapped over two lines: match any run of spaces and line breaks inside it
_PHRASES = [(re.compile(r"\s+".join(map(re.escape, english.split(" ")))), chinese)
            for english, chinese in PHRASES]
_REWRITES = (
    (re.compile(r"\[x>=(\S+?)\]"), r"[不小于 \1]"),
    (re.compile(r" <[A-Za-z][A-Za-z_ \[\],]*>"), ""),  # typer's type names: <list[Path]>, <int range>
    (re.compile(r"\{([^{}\s]+)\}"), r"\1"),  # a required argument in the usage line: {文件或文件夹}
    (re.compile(r"\\\["), "["),  # typer 0.15 escapes brackets for rich even without rich
)


def translate(text: str) -> str:
    """Help text with typer's fixed English words in Chinese."""
    for pattern, chinese in _PHRASES:
        text = pattern.sub(chinese, text)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return "\n".join(_aligned([SECTIONS.get(line, line) for line in text.split("\n")]))


_ROW = re.compile(r"  (\S.*?)(?: {2,}(\S.*))?$")


def _aligned(lines: list[str]) -> list[str]:
    """Each section's rows realigned by display width: typer counts a Chinese metavar's
    characters as one column each, a terminal shows them two wide."""
    out, i = [], 0
    while i < len(lines):
        out.append(lines[i])
        end = i + 1
        if lines[i] in SECTIONS.values():
            while end < len(lines) and lines[end].startswith("  "):
                end += 1
            out += _align_block(lines[i + 1:end])
        i = end
    return out


def _align_block(rows: list[str]) -> list[str]:
    parsed = []  # (term, help); term None for a help text continued on the next line
    for line in rows:
        match = _ROW.fullmatch(line)
        parsed.append((None, line.strip()) if match is None or line.startswith("   ")
                      else (match.group(1), match.group(2) or ""))
    column = max((_width(term) for term, _ in parsed if term is not None), default=0) + 2
    return [" " * (2 + column) + text if term is None
            else ("  " + term + " " * (column - _width(term)) + text).rstrip() for term, text in parsed]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _Chinese:
    """Help and usage lines translated (mixed into typer's public command classes)."""

    def get_help(self, ctx) -> str:
        return translate(super().get_help(ctx))

    def get_usage(self, ctx) -> str:
        return translate(super().get_usage(ctx))


class ZwgkCommand(_Chinese, typer.core.TyperCommand):
    """A command whose help is in Chinese."""


class ZwgkGroup(_Chinese, typer.core.TyperGroup):
    """The command groups; the top one also turns usage errors into Chinese (exit code 2)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        argv = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.Abort:
            write_line(sys.stderr, "已中止")
            code = ExitStatus.INTERRUPTED
        except Exception as exc:
            if is_usage_error(exc):
                code = show_usage_error(exc, as_json="--json" in argv)
            elif "--debug" in argv:
                raise
            else:  # outside a command body (its own guard is in cli.py): still no traceback
                code = show_internal_error(as_json="--json" in argv)
        if standalone_mode:
            sys.exit(code or 0)
        return code


def is_usage_error(exc: BaseException) -> bool:
    """A command-line error raised while parsing (click's UsageError and its kin): it has an
    exit code and formats its own message."""
    return isinstance(getattr(exc, "exit_code", None), int) and callable(getattr(exc, "format_message", None))


def show_usage_error(exc: Exception, *, as_json: bool) -> int:
    """Print a usage error (or the help, when no command was given); the exit code."""
    if type(exc).__name__ == "NoArgsIsHelpError":  # `zwgk` alone: the help is the answer
        write_line(sys.stdout, exc.format_message())
        return ExitStatus.OK
    text = usage_error_text(exc)
    if as_json:
        emit_json({"error": {"code": "usage", "message": text}})
    write_line(sys.stderr, f"错误：{text}\n用法见：{_command_path(exc)} --help")
    return ExitStatus.STOPPED


def tolerant_streams() -> None:
    """Standard output and error that can never fail on the console's encoding.

    A Chinese Windows console writes GBK when output goes to a file or a pipe (a .bat job, Task
    Scheduler), and GBK has no ✓, no emoji and no CJK Extension B (县𠀾局): such characters are
    replaced by ``?`` instead of ending the run after its outputs were written. ``--json`` is
    written as UTF-8 bytes whatever the encoding (:func:`emit_json`). A start without any console
    (``sys.stdout`` None) writes nowhere instead of failing."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - for the process's life
        elif callable(getattr(stream, "reconfigure", None)):
            stream.reconfigure(errors="replace")


def write_line(stream, line: str) -> None:
    """A line, flushed at once: messages and JSON must not overtake each other."""
    stream.write(line + "\n")
    stream.flush()


def emit_json(data: dict) -> None:
    """One JSON document on stdout, UTF-8 whatever the console's encoding; written a list item at
    a time, so that 10,000 units never sit in memory as one string and its bytes besides."""
    stream = getattr(sys.stdout, "buffer", None)
    if stream is not None:
        sys.stdout.flush()
        for piece in _json_pieces(data):
            stream.write(piece.encode("utf-8", "backslashreplace"))  # a lone surrogate stays a JSON escape
        stream.flush()
    else:
        for piece in _json_pieces(data):
            sys.stdout.write(piece)


def _json_pieces(data: dict):
    """The compact JSON text of ``data``, in pieces: each item of a top-level list (or iterator,
    whose items are then made only as they are written) is one."""
    import json

    def dumps(value) -> str:  # a tree of fresh dicts and lists: the cycle check would cost a tenth of the time
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), check_circular=False)

    yield "{"
    for n, (key, value) in enumerate(data.items()):
        yield ("," if n else "") + dumps(key) + ":"
        if isinstance(value, list | Iterator):
            yield "["
            for index, item in enumerate(value):
                yield ("," if index else "") + dumps(item)
            yield "]"
        else:
            yield dumps(value)
    yield "}\n"


def show_internal_error(*, as_json: bool) -> int:
    """The last line of defence: a Chinese message and exit code 2, never a traceback."""
    text = message("internal-error")
    if as_json:
        emit_json({"error": {"code": "internal-error", "message": text}})
    write_line(sys.stderr, f"错误：{text}")
    return ExitStatus.STOPPED


def _command_path(exc: Exception) -> str:
    ctx = getattr(exc, "ctx", None)
    return getattr(ctx, "command_path", "") or "zwgk"


def usage_error_text(exc: Exception) -> str:
    """A usage error as a Chinese message."""
    try:
        return _translated(exc)
    except Exception:  # never a traceback for a typo on the command line: a plain message then
        return "命令行有误"


_MESSAGES = (  # click's English usage messages, by pattern
    (re.compile(r"No such command '(.+?)'\.(?: Did you mean '?(.+?)'?\?)?$"), "没有这个命令：{0}{1}"),
    (re.compile(r"Option '(.+?)' requires (?:an argument|\d+ arguments)\.?$"), "选项 {0} 后面缺少值"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)$"), "多余的参数：{0}"),
    (re.compile(r"Missing command\.?$"), "缺少命令"),
    (re.compile(r"Option '(.+?)' does not take a value\.?$"), "选项 {0} 不接受值"),
)


def _translated(exc: Exception) -> str:
    param = getattr(exc, "param", None)
    if hasattr(exc, "param_type"):  # a missing argument or option
        argument = getattr(param, "param_type_name", exc.param_type) == "argument"
        return f"缺少{'参数' if argument else '选项'} {_hint(exc)}"
    if hasattr(exc, "param_hint"):  # a value the parameter does not accept
        return f"{_hint(exc)} 的值无效：{_value_problem(exc.message)}"
    if hasattr(exc, "option_name") and hasattr(exc, "possibilities"):  # an unknown option
        guesses = sorted(exc.possibilities or ())
        return f"没有选项 {exc.option_name}" + (f"（是否想用 {'、'.join(guesses)}？）" if guesses else "")
    message = str(getattr(exc, "message", "") or exc.format_message()).strip()
    for pattern, chinese in _MESSAGES:
        match = pattern.match(message)
        if match:
            first, guess = match.group(1), (match.group(2) if pattern.groups > 1 else None)
            return chinese.format(first, f"（是否想用 {_names(guess)}？）" if guess else "")
    return message


def _names(guess: str) -> str:
    return "、".join(name.strip(" '\"") for name in re.split(r",|\bor\b", guess) if name.strip(" '\""))


_VALUE_PROBLEMS = (
    (re.compile(r"not in the range x>=(\S+?)\.?$"), r"应不小于 \1"),
    (re.compile(r"not in the range x<=(\S+?)\.?$"), r"应不大于 \1"),
    (re.compile(r"greater than or equal to (\S+)"), r"应不小于 \1"),
    (re.compile(r"less than or equal to (\S+)"), r"应不大于 \1"),
    (re.compile(r"valid integer"), "应为整数"),
    (re.compile(r"valid (?:number|float)"), "应为数字"),
)


def _value_problem(message: str) -> str:
    for pattern, chinese in _VALUE_PROBLEMS:
        match = pattern.search(message)
        if match:
            return match.expand(chinese)
    return message


def _hint(exc: Exception) -> str:
    """The parameter as the help names it: its options, or an argument's metavar."""
    hint = getattr(exc, "param_hint", None)
    if hint:
        return hint if isinstance(hint, str) else " / ".join(hint)
    param = getattr(exc, "param", None)
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        return str(getattr(param, "metavar", None) or getattr(param, "name", "")).removesuffix("...")
    return " / ".join(str(n) for n in getattr(param, "opts", None) or [getattr(param, "name", "")] if n)
