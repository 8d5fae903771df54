"""印证材料 as the evidence tests fill it: the clauses of the built-in set that ask for it, a
cell for each, the returns folder with the unit's minutes, and the evidence warnings of a unit
as (code, clause, cell, value)."""

from __future__ import annotations

from pathlib import Path

# The clauses of the built-in set whose 考核方式 asks for 印证材料 (deductions), and its bonuses.
PROVEN = ["1", "2", "3", "4", "7", "8", "9", "10a", "10b", "11", "16a", "16b"]
MINUTES = b"%PDF-1.4 minutes of the party group meeting"


def proof(**more: str) -> dict[str, str]:
    """A 印证材料 cell for every clause that asks for one (纪要.pdf), changed by ``more`` ("" : none)."""
    return {k: v for k, v in {**dict.fromkeys(PROVEN, "纪要.pdf"), **more}.items() if v}


def evidence_warnings(unit) -> list[tuple[str, str, str, str]]:
    return [(w.code, w.clause, w.cell, w.value) for w in unit.warnings if w.family == "evidence"]


def returns_with_minutes(base: Path) -> Path:
    """A returns folder 收回 under ``base`` with a folder 县财政局 holding its 纪要.pdf."""
    folder = base / "收回"
    (folder / "县财政局").mkdir(parents=True)
    (folder / "县财政局" / "纪要.pdf").write_bytes(MINUTES)
    return folder
