"""Shared, non-test modules of the test suite (fixtures are in tests/conftest.py).

``tests/`` is on ``sys.path`` while pytest runs (it holds the root conftest.py), so these import
as ``support.…``: ``from support.paths import SAMPLES``. Keep this package free of heavy imports:
a worker started by spawn imports ``support.faults`` by name, and this file with it.

- :mod:`.paths`: where the fixtures, the samples and the repository are, anchored on this file;
- :mod:`.cli`: zwgk's commands through typer's runner (the ``cli`` fixture);
- :mod:`.faults`: readers that die on purpose, in the worker (isolation tests, spawn-safe);
- :mod:`.mutations`, :mod:`.mutations_sources`: damaged files for the fuzz tests and campaigns;
- :mod:`.corpus`: the bad-input corpus; :mod:`.seasons`: two seasons for year-over-year tests;
- :mod:`.seed_table`: the published 2022 table typed into a spreadsheet;
- below: what a clerk sees in a folder.
"""

from __future__ import annotations

from pathlib import Path


def visible(folder: Path) -> list[str]:
    """The names a clerk sees in ``folder``, sorted: hidden files (the tool's own manifest of what it
    wrote there, ``.zwgk-输出清单.json``) left out."""
    return sorted(p.name for p in Path(folder).iterdir() if not p.name.startswith("."))


def visible_paths(folder: Path) -> list[Path]:
    return [Path(folder) / name for name in visible(folder)]
