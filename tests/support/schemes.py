"""The demo rule set of other published schemes (tests/fixtures/demo-2024-c.yaml): 不适用 (na
indicators, kept or rescaled), 一票否决 and the bonus threshold. Its variants for the checks and the
scoring tests, and one ranked pair of units for the views that show them."""

from __future__ import annotations

import copy

import yaml

from support.paths import DEMO_C

RAW = yaml.safe_load(DEMO_C.read_text(encoding="utf-8"))


def rule_set(change=None):
    """The demo-2024-c rule set, changed by ``change(data)`` first."""
    from zwgk_cli.rules.loading import parse_rules

    data = copy.deepcopy(RAW)
    if change:
        change(data)
    return parse_rules(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"), source="c.yaml")


def shown_report(demo, blank, folder):
    """甲局 (C3 不适用, C8 一票否决, a bonus) and 乙局, ranked under rule set C."""
    from zwgk_cli.scoring.pipeline import rank_paths
    from zwgk_cli.workbooks.fill import fill_workbook

    paths = [fill_workbook(blank, folder / "甲局.xlsx", {"C3": "不适用", "C1": 1, "C8": "是", "CJ1": 2}, unit="甲局"),
             fill_workbook(blank, folder / "乙局.xlsx", {"C7": 1}, unit="乙局")]
    return rank_paths(paths, demo)


def sheet_values(ws) -> list[list]:
    """Every row of a worksheet as values."""
    return [[cell for cell in row] for row in ws.iter_rows(values_only=True)]
