"""The ``zwgk`` app as assembled (zwgk_cli/cli/commands.py): what it imports, its version, the
public typer API only, every command documented."""

import re
import subprocess
import sys
from importlib.metadata import version

from support.paths import ROOT


def test_help_does_not_import_pandas_or_openpyxl():
    code = ("import sys; from zwgk_cli.cli.commands import app\n"
            "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'openpyxl', 'python_calamine') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_version_prints_the_package_version(cli):
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout == f"zwgk {version('zwgk')}\n"


def test_package_uses_no_private_typer_or_click_module():
    private = re.compile(r"\b_click\b|\btyper\._|^\s*(?:from|import) click\b", re.MULTILINE)
    offenders = [p.name for p in (ROOT / "zwgk_cli").glob("*.py") if private.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
