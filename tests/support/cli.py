"""zwgk's commands run in this process through typer's test runner: what the ``cli`` fixture is.

    def test_something(cli, tmp_path):
        result = cli("rank", RETURNED, "-o", tmp_path / "汇总.xlsx")      # arguments as str() or Path
        assert result.exit_code == 0 and "县财政局" in result.stdout
        data = cli.json("score", RETURNED).data                           # --json added, stdout parsed
        error = cli.error("rank", tmp_path / "无", "-o", tmp_path / "s.xlsx")  # exit 2: its JSON error
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping

from typer.testing import CliRunner

from zwgk_cli.cli.commands import app

# The terminal width rich lays tables out in: fixed, so that no table wraps by chance of where the
# tests run (a test may ask for another width with ``Cli(env={"COLUMNS": ...})``).
COLUMNS = "160"


def make_runner(env: Mapping[str, str] | None = None) -> CliRunner:
    """A CliRunner at a fixed width that keeps stdout and stderr apart (click before 8.2 mixes them
    unless told; typer's own runner always keeps them apart)."""
    env = {"COLUMNS": COLUMNS, **(env or {})}
    try:
        return CliRunner(env=env, mix_stderr=False)
    except TypeError:
        return CliRunner(env=env)


class Cli:
    """``cli(*args)`` runs ``zwgk ARGS``; ``cli.json(*args)`` adds ``--json`` and parses stdout into
    ``result.data``; ``cli.error(*args)`` is the JSON error document of a run that must exit 2."""

    def __init__(self, env: Mapping[str, str] | None = None):
        self.runner = make_runner(env)

    def __call__(self, *args: object, env: Mapping[str, str] | None = None):
        return self.runner.invoke(app, [str(a) for a in args], env=env)

    def json(self, *args: object, env: Mapping[str, str] | None = None):
        result = self(*args, "--json", env=env)
        try:
            result.data = json.loads(result.stdout)
        except ValueError as exc:
            raise AssertionError(f"exit {result.exit_code}, stdout is not JSON: {result.output[-2000:]}") from exc
        return result

    def error(self, *args: object) -> dict:
        """The JSON error document of an exit-2 run (``--json`` added)."""
        result = self.json(*args)
        assert result.exit_code == 2, result.output
        return result.data["error"]


def zwgk_process(*args: object, cwd=None) -> subprocess.CompletedProcess:
    """``python -m zwgk_cli ARGS`` in a process of its own, at 80 columns, output not a terminal."""
    return subprocess.run([sys.executable, "-m", "zwgk_cli", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env={**os.environ, "COLUMNS": "80"})
