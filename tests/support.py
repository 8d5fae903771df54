"""Helpers shared by the tests (not fixtures: those are in conftest.py)."""

from __future__ import annotations

from pathlib import Path


def visible(folder: Path) -> list[str]:
    """The names a clerk sees in ``folder``, sorted: hidden files (the tool's own manifest of what it
    wrote there, ``.zwgk-输出清单.json``) left out."""
    return sorted(p.name for p in Path(folder).iterdir() if not p.name.startswith("."))


def visible_paths(folder: Path) -> list[Path]:
    return [Path(folder) / name for name in visible(folder)]
