"""Filled findings workbooks for the LibreOffice round trips: named cases (caps, bonuses, the floor,
a tie, whole-unit items) and eight random ones from fixed seeds."""

from __future__ import annotations

import random
from pathlib import Path

CASES = {
    "flags_and_counts": ({"1": "是", "2": "否", "3": 2, "5": 5, "10a": 6, "10b": 1}, {}),
    "category_cap": ({"17": "是", "18": 2, "19": 4, "20": 3}, {}),
    "bonus_in_category": ({"14": 2, "16a": "是", "16b": 2, "15": 3}, {}),
    "whole_unit": ({"J1": 2, "J2": 1, "J4": 0.5, "K6": 1.25, "K8": 0.3},
                   {"J4": "酌情加分", "K8": "酌情扣分"}),
    "floor": ({"K1": 30}, {}),
    "empty": ({}, {}),
    "tie_a": ({"1": "是"}, {}),
    "tie_b": ({"5": 2}, {}),
}


def random_case(seed: int, rules) -> dict:
    rng = random.Random(seed)
    entries = {}
    for clause in rules.clauses:
        if rng.random() < 0.4:
            if clause.kind == "flag":
                entries[clause.id] = rng.choice(["是", "否"])
            elif clause.kind == "count":
                entries[clause.id] = rng.randint(0, clause.max_count or 6)
            else:
                entries[clause.id] = rng.choice([0.5, 1, 1.25, 2])
    return entries


def fill_cases(folder: Path, rules, blank: Path) -> list[Path]:
    """One filled copy of ``blank`` per case in ``folder``, the case's name as its unit: the
    ``case_workbooks`` fixture (tests/conftest.py), built once per session."""
    from zwgk_cli.workbooks.fill import fill_workbook

    paths = []
    cases = dict(CASES)
    for seed in range(8):
        entries = random_case(seed, rules)
        notes = {k: "酌情" for k in ("J4", "K8") if k in entries}
        cases[f"random{seed}"] = (entries, notes)
    for name, (entries, notes) in cases.items():
        paths.append(fill_workbook(blank, folder / f"{name}.xlsx", entries, notes=notes, unit=name))
    return paths
