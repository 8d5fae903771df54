"""What every command body shares: the guard that turns library errors into a Chinese message and
an exit code, the checks that need no returned file, and where lines and tables go."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import typer

from ..problems import ZwgkError
from .text import emit_json, show_internal_error, write_line


def debugging(ctx: typer.Context) -> bool:
    """Whether ``zwgk --debug`` was given (the top command keeps it in its context)."""
    return bool((ctx.obj or {}).get("debug")) if ctx is not None else False


def guarded(ctx: typer.Context, action, as_json: bool = False):
    """Run a command body; a library error becomes a Chinese message and its exit status (with
    ``--json``, also one JSON document ``{"error": {"code", "message"}}`` on stdout)."""
    try:
        return action()
    except ZwgkError as exc:
        if as_json:
            emit_json({"error": exc.to_dict()})
        say(f"错误：{exc}")
        raise typer.Exit(exc.exit_status) from None
    except typer.Exit:
        raise
    except Exception:  # last line of defence: never a traceback without --debug
        if debugging(ctx):
            traceback.print_exc()
        raise typer.Exit(show_internal_error(as_json=as_json)) from None


def out_console():
    """Tables on stdout; wide when redirected to a file, so no column is cut."""
    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)


def say(line: str) -> None:
    """A plain message on stderr: rich only for a terminal; never wrapped for a log file."""
    if sys.stderr.isatty():
        from rich.console import Console

        Console(stderr=True, highlight=False).print(line, markup=False)
    else:
        write_line(sys.stderr, line)


def load(rules: str, *, checked: bool = True):
    """A rule set to use (refused when ``rules check`` finds an error), or only to check."""
    from ..rules.loading import load_rules, usable_rules

    return usable_rules(rules) if checked else load_rules(rules)


def prepare(rules: list[str], roster: Path | None = None, paths: list[Path] = ()):
    """The checks that need no returned file, in the order a clerk fixes them: rule sets,
    roster (and that each 类别 on it has a rule set), input paths. Nothing is read from the
    returns and nothing is written before."""
    from ..reading.roster import load_roster, rules_for_roster
    from ..reading.scan import check_inputs
    from ..rules.loading import load_rulebook

    book = load_rulebook(rules)
    if roster is not None:
        check_inputs([roster], "名单", files_only=True)
    listed = load_roster(roster) if roster else None  # names, 类别 and the lines dropped
    rules_for_roster(book, listed)
    check_inputs(paths)
    return book, listed


def output_file(output: Path, force: bool, suffixes: tuple[str, ...] = (".xlsx",)) -> Path:
    """The output file checked before anything is read; said when the suffix was added."""
    from ..workbooks.output import check_folder, check_writable
    from ..workbooks.output import output_file as wanted

    target = wanted(output, suffixes)
    check_writable(target, force=force)
    check_folder(target.parent, target)
    if target != output:
        say(f"提示：输出文件名没有扩展名，将写入 {target}")
    return target
