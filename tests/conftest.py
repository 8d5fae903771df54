"""Shared fixtures (tests/README.md has the map of the suite).

Rule sets: ``rules`` (the built-in one), ``demo_b`` and ``demo_c`` (tests/fixtures). Workbooks:
``blank`` (a blank findings workbook), ``filled`` (a filled copy of it), ``demo_c_blank``,
``case_workbooks`` (the LibreOffice round-trip cases), ``handed_out`` and ``back`` (templates for
the identity roster, and returns made from them), ``seasons`` (2022 and 2023, returned and ranked).
Running: ``cli`` (zwgk's commands in this process), ``runner`` (the CliRunner behind it) and
``soffice`` (LibreOffice). What is built once per session is only read by the tests.

Markers: a test that uses ``soffice`` is marked ``libreoffice`` here; slow tests carry
``@pytest.mark.slow`` themselves.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support.cli import Cli
from support.filled_cases import fill_cases
from support.identity import MISSPELT, ROSTER
from support.paths import DEMO_B, DEMO_C
from support.seasons import build_seasons

from zwgk_cli.rules.loading import load_rules
from zwgk_cli.workbooks.fill import fill_workbook
from zwgk_cli.workbooks.template import write_templates


def pytest_collection_modifyitems(config, items):
    """Every test that needs LibreOffice (the ``soffice`` fixture, directly or through another
    fixture) is marked ``libreoffice``: ``pytest -m "not libreoffice"`` leaves them out."""
    for item in items:
        if "soffice" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.libreoffice)


# --- rule sets -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def rules():
    return load_rules()


@pytest.fixture(scope="session")
def demo_b():
    """demo-2023-b: a class-B table for 乡镇, with grades and other caps."""
    return load_rules(DEMO_B)


@pytest.fixture(scope="session")
def demo_c():
    """demo-2024-c: 不适用 (kept or rescaled), 一票否决 and a bonus threshold."""
    return load_rules(DEMO_C)


# --- workbooks -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def blank(tmp_path_factory, rules) -> Path:
    """A blank findings workbook for unit 县财政局."""
    out = tmp_path_factory.mktemp("blank")
    return write_templates(rules, ["县财政局"], out)[0]


@pytest.fixture
def filled(tmp_path, blank):
    """fill(entries, notes=..., unit=..., name=..., evidence=...) -> path of a filled copy of the template."""

    def fill(entries, *, notes=None, unit=None, name="县财政局.xlsx", folder=None, evidence=None):
        target = (folder or tmp_path) / name
        return fill_workbook(blank, target, entries, notes=notes, unit=unit, evidence=evidence)

    return fill


@pytest.fixture(scope="session")
def demo_c_blank(tmp_path_factory, demo_c) -> Path:
    """A blank findings workbook of rule set C for unit 示范局."""
    return write_templates(demo_c, ["示范局"], tmp_path_factory.mktemp("blank-c"))[0]


@pytest.fixture(scope="session")
def case_workbooks(tmp_path_factory, rules, blank) -> list[Path]:
    """The LibreOffice round-trip cases (tests/support/filled_cases.py), filled once per session."""
    return fill_cases(tmp_path_factory.mktemp("cases"), rules, blank)


@pytest.fixture(scope="session")
def handed_out(tmp_path_factory, rules) -> dict[str, Path]:
    """Templates as the office hands them out, one per roster unit of tests/support/identity.py
    (plus a misspelt one), by unit."""
    out = tmp_path_factory.mktemp("made")
    paths = write_templates(rules, [*ROSTER, MISSPELT], out)
    return {p.stem: p for p in paths}


@pytest.fixture
def back(tmp_path, handed_out):
    """back(template_unit, file_name, entries, unit=typed name) -> a returned workbook in
    ``back.folder`` (tmp_path/收回)."""
    folder = tmp_path / "收回"
    folder.mkdir()

    def fill(template_unit, name, entries, unit=None):
        return fill_workbook(handed_out[template_unit], folder / name, entries, unit=unit)

    fill.folder = folder
    return fill


@pytest.fixture(scope="session")
def seasons(tmp_path_factory) -> dict[str, Path]:
    """Both seasons of tests/support/seasons.py: 2022 returned and ranked (its JSON and summary),
    2023 returned with its roster."""
    return build_seasons(tmp_path_factory.mktemp("seasons"))


# --- running ---------------------------------------------------------------------------------


@pytest.fixture
def cli() -> Cli:
    """``cli("rank", folder, "-o", out)`` runs a command; ``cli.json(...)`` adds --json and parses
    it into ``result.data``; ``cli.error(...)`` is an exit-2 run's error (tests/support/cli.py)."""
    return Cli()


@pytest.fixture
def runner(cli):
    """The CliRunner behind ``cli``: ``runner.invoke(app, [...])`` as typer documents it."""
    return cli.runner


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
