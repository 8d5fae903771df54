"""The ``zwgk`` command: the typer app, its commands registered from the modules that define them
(:mod:`.season`, :mod:`.rulesets`), and the console entry :func:`run`.

Heavy libraries (pandas, openpyxl) are imported inside the commands so that ``zwgk --help``
answers at once.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ..problems import ExitStatus
from . import archives, rulesets, season
from .text import ZwgkCommand, ZwgkGroup, tolerant_streams, write_line

app = typer.Typer(
    cls=ZwgkGroup,
    help="政务公开工作考核：生成评分表、评分、排名。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(cls=ZwgkGroup, help="查看、检查考核细则。", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(rules_app, name="rules")
archive_app = typer.Typer(cls=ZwgkGroup, help="核对考核归档。", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(archive_app, name="archive")

for command in (season.template, season.score, season.rank):
    app.command(cls=ZwgkCommand)(command)
for name, command in (("list", rulesets.rules_list), ("show", rulesets.rules_show), ("check", rulesets.rules_check),
                      ("parse", rulesets.rules_parse), ("export", rulesets.rules_export),
                      ("import", rulesets.rules_import)):
    rules_app.command(name, cls=ZwgkCommand)(command)
archive_app.command("verify", cls=ZwgkCommand)(archives.archive_verify)


def run(argv: list[str] | None = None) -> None:
    """The ``zwgk`` console command (usage errors in Chinese, exit code 2: see ZwgkGroup).

    In a frozen build a worker process is this executable started again: ``freeze_support``
    turns it into the worker before any option is parsed."""
    import multiprocessing

    multiprocessing.freeze_support()
    tolerant_streams()
    from .launch import guide_if_started_alone

    if guide_if_started_alone(argv):  # zwgk.exe double-clicked in Explorer: a guide, not a vanishing help
        return
    app(args=argv, prog_name="zwgk")


def _show_version(value: bool) -> None:
    if value:
        from ..constants import VERSION  # not the installed metadata: a frozen build has none

        write_line(sys.stdout, f"zwgk {VERSION}")
        raise typer.Exit(ExitStatus.OK)


@app.callback()
def main(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="出错时显示完整的调用栈。")] = False,
    version: Annotated[bool, typer.Option("--version", help="显示版本号并退出。", is_eager=True,
                                          callback=_show_version)] = False,
) -> None:
    """政务公开工作考核：生成评分表、评分、排名。"""
    ctx.obj = {"debug": debug}  # the commands' context inherits it (no state kept at module level)
