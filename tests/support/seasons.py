"""Two assessment seasons for the year-over-year and publishing tests (built once per session).

2022 (the built-in rule set): 县财政局 100, 县民政局 96, 县发展计划局 94, 县档案局 92.
2023 (demo-2023-b, with grades): 县民政局 100 优秀, 县发展和改革局 98 优秀 (renamed: 曾用名
县发展计划局), 县应急管理局 86 良好 (new), 县财政局 78 合格; 县档案局 is gone. In 2023 the
indicator 信息公开专栏 is where most units lost points (3 units, 22 points in all).
"""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import make_runner
from support.paths import DEMO_B
from zwgk_cli.cli.commands import app
from zwgk_cli.rules.loading import load_rules
from zwgk_cli.workbooks.fill import fill_workbook
from zwgk_cli.workbooks.template import write_templates

SEASON_2022 = {"县财政局": {}, "县民政局": {"5": 2}, "县发展计划局": {"5": 1, "1": "是"}, "县档案局": {"5": 4}}
SEASON_2023 = {"县民政局": {}, "县发展和改革局": {"B3": 1}, "县应急管理局": {"B2": 2, "B3": 2},
               "县财政局": {"B1": "是", "B3": 3, "B4": 2}}
ROSTER_2023 = ("单位名称,类别,曾用名\n县民政局,B,\n县发展和改革局,B,\"县发展计划局、县计委\"\n"
               "县应急管理局,B,\n县财政局,B,\n")


def fill_season(rules, units: dict[str, dict], folder: Path) -> Path:
    """One filled workbook per unit, each from its own template (as the office hands them out)."""
    blanks = folder / "下发"
    returned = folder / "收回"
    for template, entries in zip(write_templates(rules, list(units), blanks), units.values(), strict=True):
        fill_workbook(template, returned / template.name, entries)
    return returned


def rank(args: list[str]):
    """``zwgk rank ARGS`` through the CLI runner (stdout and stderr apart), 200 columns wide."""
    return make_runner({"COLUMNS": "200"}).invoke(app, ["rank", *map(str, args)])


def build_seasons(folder: Path) -> dict[str, Path]:
    """Both seasons returned and ranked: 2022's JSON and summary, 2023's returns and roster."""
    y2022 = fill_season(load_rules(), SEASON_2022, folder / "2022")
    names_2022 = folder / "2022" / "名单.txt"
    names_2022.write_text("\n".join(SEASON_2022), encoding="utf-8")
    summary = folder / "2022" / "汇总.xlsx"
    result = rank([y2022, "--roster", names_2022, "-o", summary, "--json"])
    assert result.exit_code == 0, result.output
    previous_json = folder / "2022" / "2022.json"
    previous_json.write_text(result.stdout, encoding="utf-8")
    assert [u["unit"] for u in json.loads(result.stdout)["units"]] == list(SEASON_2022)
    y2023 = fill_season(load_rules(DEMO_B), SEASON_2023, folder / "2023")
    roster = folder / "2023" / "名单.csv"
    roster.write_text(ROSTER_2023, encoding="utf-8")
    return {"json": previous_json, "summary": summary, "returns": y2023, "roster": roster}
