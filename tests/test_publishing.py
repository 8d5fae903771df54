"""What gets published: the summary's 排名 with last season, 共性问题 and 分数分布 sheets, the
leaderboard's change column, and the 通报 draft read back from the .docx."""

from __future__ import annotations

import json

import openpyxl
import pytest
from seasons import DEMO_B, build_seasons, rank


@pytest.fixture(scope="module")
def seasons(tmp_path_factory):
    return build_seasons(tmp_path_factory.mktemp("publishing"))


@pytest.fixture(scope="module")
def summary_2023(seasons, tmp_path_factory):
    """2023 ranked against 2022: the summary workbook and the terminal output."""
    out = tmp_path_factory.mktemp("summary") / "汇总.xlsx"
    result = rank([seasons["returns"], "--roster", seasons["roster"], "--rules", DEMO_B, "-o", out,
                   "--previous", seasons["json"]])
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out), result.stdout


def _table(ws, first_header: str) -> list[list]:
    """The rows under the header row that starts with ``first_header``, up to a blank row."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    body = []
    for row in rows[at + 1:]:
        if row[0] in (None, ""):
            break
        body.append(tuple(row))
    return body


def test_ranking_sheet_has_last_seasons_total_rank_and_change(summary_2023):
    ws = summary_2023[0]["排名"]
    header = [c.value for c in ws[3]]
    assert header[:6] == ["名次", "单位", "总分", "上年得分", "上年名次", "名次变化"]
    rows = {r[1]: r[3:6] for r in _table(ws, "名次")}
    assert rows == {"县民政局": (96, 2, "↑1"), "县发展和改革局": (94, 3, "↑1"),
                    "县应急管理局": (None, None, "新"), "县财政局": (100, 1, "↓3")}


def test_leaderboard_shows_the_change_and_the_units_gone_since(summary_2023):
    out = summary_2023[1]
    assert "较上年" in out
    line = next(line for line in out.splitlines() if "县财政局" in line)
    assert line.rstrip().endswith("↓3")
    assert "县档案局（上年第4名）" in out


def test_common_problems_sheet_lists_indicators_by_units_that_lost_points(summary_2023):
    ws = summary_2023[0]["共性问题"]
    indicators = _table(ws, "序号")
    assert indicators[0][1:7] == ("基础工作", "信息公开专栏", None, 3, 22, 7.33)
    assert [r[2] for r in indicators] == ["信息公开专栏", "工作机构", "惠民惠农资金公开"]
    assert len(ws._charts) == 1


def test_category_scores_have_average_lowest_and_highest(summary_2023):
    ws = summary_2023[0]["共性问题"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r[0] == "三、各一级指标得分")
    assert rows[at + 2][1:7] == ["基础工作", 40, 32, 24, 40, 3]
    assert rows[at + 3][1:7] == ["重点领域公开", 60, 58.5, 54, 60, 1]


def test_distribution_is_per_grade_when_the_rule_set_has_grades(summary_2023):
    ws = summary_2023[0]["分数分布"]
    assert [r[:3] for r in _table(ws, "等次")] == [("优秀", 90, 2), ("良好", 80, 1), ("合格", 60, 1), ("不合格", 0, 0)]
    assert len(ws._charts) == 1


def test_distribution_is_per_five_points_without_grades(seasons, tmp_path):
    out = tmp_path / "汇总.xlsx"
    assert rank([seasons["json"].parent / "收回", "-o", out]).exit_code == 0
    ws = openpyxl.load_workbook(out)["分数分布"]
    assert [r[:4] for r in _table(ws, "分数段")] == [("90–95", 90, 95, 2), ("95–100", 95, 100, 1),
                                                    ("100–105", 100, 105, 1)]


def test_summary_without_previous_has_no_previous_columns(seasons, tmp_path):
    out = tmp_path / "汇总.xlsx"
    result = rank([seasons["returns"], "--rules", DEMO_B, "-o", out, "--json"])
    assert result.exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert "上年得分" not in [c.value for c in wb["排名"][3]]
    assert wb.sheetnames[-2:] == ["共性问题", "分数分布"]
    assert "previous_only" not in json.loads(result.stdout)
