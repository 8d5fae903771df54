"""Shared fixtures: the built-in rule set, a per-session set of blank templates, LibreOffice."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from zwgk_cli.rules.loading import load_rules
from zwgk_cli.workbooks.fill import fill_workbook
from zwgk_cli.workbooks.template import write_templates

HERE = Path(__file__).parent
ROOT = HERE.parent
FIXTURES = HERE / "fixtures"


@pytest.fixture(scope="session")
def rules():
    return load_rules()


@pytest.fixture(scope="session")
def blank(tmp_path_factory, rules) -> Path:
    """A blank findings workbook for unit 县财政局."""
    out = tmp_path_factory.mktemp("blank")
    return write_templates(rules, ["县财政局"], out)[0]


@pytest.fixture
def filled(tmp_path, blank):
    """fill(entries, notes=..., unit=..., name=...) -> path of a filled copy of the template."""

    def fill(entries, *, notes=None, unit=None, name="县财政局.xlsx", folder=None):
        target = (folder or tmp_path) / name
        return fill_workbook(blank, target, entries, notes=notes, unit=unit)

    return fill


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="session")
def soffice(tmp_path_factory):
    """convert(files, fmt, outdir): LibreOffice headless, which recalculates on load."""
    exe = soffice_path()
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI 环境中找不到 LibreOffice（soffice）")
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = tmp_path_factory.mktemp("lo-profile")

    def convert(files: list[Path], fmt: str, outdir: Path) -> list[Path]:
        outdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
             "--outdir", str(outdir), *map(str, files)],
            check=True, capture_output=True, timeout=300,
        )
        suffix = fmt.split(":")[0]
        return [outdir / f"{f.stem}.{suffix}" for f in files]

    return convert
