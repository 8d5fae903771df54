"""A second season, tried as a clerk would: each test is a situation that once ended wrong (a unit
ranked in the wrong class, the tool's own files read as returns, stale feedback, a formula
never calculated, 类别 as typed, …) and what the clerk should see instead."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from support import visible
from support.cli import Cli
from support.paths import DEMO_B, RETURNED

from zwgk_cli.workbooks.fill import fill_workbook

TWO_CLASSES = ["--rules", "jiangxian-2022-a", "--rules", str(DEMO_B)]
ROSTER = "单位名称,类别\n县财政局,A\n县教育局,A\n县民政局,A\n城关镇,B\n横水镇,B\n"


def _run(*args) -> tuple[int, dict]:
    """``zwgk ARGS --json``: the exit code and the JSON document."""
    result = Cli().json(*args)
    return result.exit_code, result.data


@pytest.fixture(scope="session")
def county_season(tmp_path_factory) -> Path:
    """``zwgk template`` for the county's roster (both classes) and four units' returns, made once
    per session in ``下发`` and ``收回``: each test copies them (``county``)."""
    here = tmp_path_factory.mktemp("county-second-season")
    roster = here / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8-sig")
    out = here / "下发"
    assert Cli()("template", "--roster", roster, "-o", out, *TWO_CLASSES).exit_code == 0
    back = here / "收回"
    fills = {"县财政局": {"5": 1}, "县教育局": {"5": 2}, "县民政局": {"5": 3}, "城关镇": {"B2": 1}}
    for unit, entries in fills.items():
        fill_workbook(out / f"{unit}.xlsx", back / f"{unit}.xlsx", entries)
    return here


@pytest.fixture
def county(tmp_path, county_season):
    """Three departments (class A) and two towns (class B), each unit's workbook from its class."""
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8-sig")
    out = shutil.copytree(county_season / "下发", tmp_path / "下发")
    back = shutil.copytree(county_season / "收回", tmp_path / "收回")
    return tmp_path, roster, out, back


# --- 1. a workbook of the wrong class ---------------------------------------------------------------

def test_a_town_that_filled_the_departments_master_is_not_ranked_in_their_class(cli, county):
    here, roster, out, back = county
    master = here / "模板"
    assert cli("template", "-o", master).exit_code == 0  # the class-A blank master
    fill_workbook(master / "scoring_template.xlsx", back / "横水镇.xlsx", {}, unit="横水镇")
    code, data = _run("rank", back, "--roster", roster, "-o", here / "汇总.xlsx", *TWO_CLASSES)
    assert code == 1
    ranks = {u["unit"]: (u["rules"], u["rank"]) for u in data["units"]}
    assert ranks == {"县财政局": ("jiangxian-2022-a", 1), "县教育局": ("jiangxian-2022-a", 2),
                     "县民政局": ("jiangxian-2022-a", 3), "城关镇": ("demo-2023-b", 1)}
    (error,) = [e for e in data["errors"] if e["code"] == "unit-class"]
    assert Path(error["file"]).name == "横水镇.xlsx" and "jiangxian-2022-a" in error["message"]
    assert "B" in error["message"] and "demo-2023-b" in error["message"]
    assert "横水镇" not in data["missing"]  # it answered: it waits for the right workbook


@pytest.mark.parametrize("typed", ["Ｂ类", "b", "B 类", " b类 "])
def test_a_class_typed_as_offices_type_it_picks_its_rule_set(county, typed):
    here, roster, out, back = county
    roster.write_text(f"单位名称,类别\n县财政局,A\n县教育局,a类\n县民政局,Ａ\n城关镇,{typed}\n横水镇,B\n",
                      encoding="utf-8-sig")
    code, data = _run("rank", back, "--roster", roster, "-o", here / "汇总.xlsx", *TWO_CLASSES)
    assert code == 0
    assert {u["unit"]: u["rules"] for u in data["units"]}["城关镇"] == "demo-2023-b"


def test_a_blank_class_among_filled_ones_stops_template_and_rank_up_front(county):
    here, roster, out, back = county
    roster.write_text("单位名称,类别\n县财政局,A\n县教育局,\n城关镇,B\n", encoding="utf-8-sig")
    for args in (["template", "--roster", roster, "-o", here / "新下发", *TWO_CLASSES],
                 ["rank", back, "--roster", roster, "-o", here / "汇总.xlsx", *TWO_CLASSES]):
        code, data = _run(*args)
        assert code == 2 and data["error"]["code"] == "roster-class" and "县教育局" in data["error"]["message"]
    assert not (here / "新下发").exists() and not (here / "汇总.xlsx").exists()


def test_rank_refuses_a_class_no_rule_set_has_before_reading_anything(county):
    here, roster, out, back = county
    roster.write_text("单位名称,类别\n县财政局,A\n城关镇,C\n", encoding="utf-8-sig")
    code, data = _run("rank", back, "--roster", roster, "-o", here / "汇总.xlsx", *TWO_CLASSES)
    assert code == 2 and "城关镇" in data["error"]["message"] and "C" in data["error"]["message"]


# --- 2. the tool's own files among the returns --------------------------------------------------------

def test_a_summary_written_into_the_returns_folder_is_skipped_the_next_night(county):
    here, roster, out, back = county
    first, data = _run("rank", back, "--roster", roster, "-o", back / "汇总.xlsx", *TWO_CLASSES)
    assert first == 0 and "output-in-input" in {w["code"] for w in data["warnings"]}
    again, data = _run("rank", back, "--roster", roster, "-o", back / "汇总.xlsx", "--force", *TWO_CLASSES)
    assert again == 0 and len(data["units"]) == 4 and not data["errors"]
    (own,) = [i for i in data["inputs"] if Path(i["file"]).name == "汇总.xlsx"]
    assert own["status"] == "已跳过" and "汇总表" in own["reason"]


def test_feedback_sheets_written_into_the_returns_are_not_taken_for_versions_of_their_unit(county):
    here, roster, out, back = county
    fill_workbook(out / "横水镇.xlsx", back / "横水镇.xlsx", {"B2": "若干"})  # rejected: a 退回修改反馈单 too
    code, _ = _run("score", back, "-o", back / "反馈单", *TWO_CLASSES)
    assert code == 1
    code, data = _run("rank", back, "--roster", roster, "-o", here / "汇总.xlsx", *TWO_CLASSES)
    assert code == 1  # 横水镇 is still wrong, nothing else
    assert {u["unit"] for u in data["units"]} == {"县财政局", "县教育局", "县民政局", "城关镇"}
    skipped = [i for i in data["inputs"] if "反馈单" in Path(i["file"]).name]
    assert len(skipped) == 5 and {i["status"] for i in skipped} == {"已跳过"}
    assert {e["code"] for e in data["errors"]} == {"value-quantity"}


def test_a_feedback_sheet_saved_again_without_its_meta_is_still_known_by_its_sheets(county, tmp_path):
    here, roster, out, back = county
    code, _ = _run("score", back, "-o", here / "反馈单", *TWO_CLASSES)
    sheet = here / "反馈单" / "县财政局_扣分情况反馈单.xlsx"
    book = openpyxl.load_workbook(sheet)
    del book["_meta"]
    book.save(back / "县财政局_扣分情况反馈单.xlsx")
    code, data = _run("rank", back, "--roster", roster, "-o", here / "汇总.xlsx", *TWO_CLASSES)
    assert code == 0 and len(data["units"]) == 4


# --- 3. stale feedback ------------------------------------------------------------------------------

def test_a_fixed_unit_gets_its_feedback_and_its_old_return_sheet_is_removed(county):
    here, roster, out, back = county
    sheets = here / "反馈单"
    fill_workbook(out / "横水镇.xlsx", back / "横水镇.xlsx", {"B2": "若干"})
    (sheets / "说明.docx").parent.mkdir(parents=True)
    (sheets / "说明.docx").write_bytes(b"the office's own note")  # never the tool's to remove
    assert _run("score", back, "-o", sheets, *TWO_CLASSES)[0] == 1
    assert "横水镇_退回修改反馈单.xlsx" in visible(sheets)
    edited = sheets / "县财政局_扣分情况反馈单.xlsx"  # a clerk filled in 整改情况 and saved
    book = openpyxl.load_workbook(edited)
    book.active["J5"] = "已整改"
    book.save(edited)
    fill_workbook(out / "横水镇.xlsx", back / "横水镇.xlsx", {"B2": 2}, force=True)  # fixed
    (back / "县财政局.xlsx").unlink()  # and 县财政局's workbook withdrawn
    code, data = _run("score", back, "-o", sheets, "--force", *TWO_CLASSES)
    assert code == 0
    assert "横水镇_退回修改反馈单.xlsx" not in visible(sheets) and "横水镇_扣分情况反馈单.xlsx" in visible(sheets)
    assert [Path(p).name for p in data["removed"]] == ["横水镇_退回修改反馈单.xlsx"]
    assert edited.exists() and (sheets / "说明.docx").read_bytes() == b"the office's own note"
    kept = [w for w in data["warnings"] if w["code"] == "output-stale-kept"]
    assert [Path(w["file"]).name for w in kept] == ["县财政局_扣分情况反馈单.xlsx"]


# --- 4. a formula never calculated ------------------------------------------------------------------

def test_a_formula_without_a_stored_result_refuses_the_file_instead_of_reading_blank(county):
    here, roster, out, back = county
    book = openpyxl.load_workbook(out / "横水镇.xlsx")  # a program that writes formulas, never opened in Excel
    book["评分表"]["H5"] = "=1+1"
    book.save(back / "横水镇.xlsx")
    code, data = _run("rank", back, "--roster", roster, "-o", here / "汇总.xlsx", *TWO_CLASSES)
    assert code == 1 and "横水镇" not in {u["unit"] for u in data["units"]}
    assert [(e["code"], e["cell"]) for e in data["errors"]] == [("formula-uncalculated", "H5")]


# --- 7. rule files and other inputs -----------------------------------------------------------------


def test_a_class_name_a_sheet_cannot_hold_still_gives_a_summary(cli, county):
    import yaml

    here, roster, out, back = county
    data = yaml.safe_load(DEMO_B.read_text(encoding="utf-8"))
    data["class"] = "B/乡镇:[镇]"
    odd = here / "odd.yaml"
    odd.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    roster.write_text("单位名称,类别\n县财政局,A\n城关镇,B/乡镇:[镇]\n", encoding="utf-8-sig")
    assert cli("template", "--roster", roster, "-o", here / "新", "--rules", "jiangxian-2022-a",
               "--rules", odd).exit_code == 0
    fill_workbook(here / "新" / "城关镇.xlsx", here / "新收回" / "城关镇.xlsx", {"B2": 1})
    fill_workbook(here / "新" / "县财政局.xlsx", here / "新收回" / "县财政局.xlsx", {"5": 1})
    code, data = _run("rank", here / "新收回", "--roster", roster, "-o", here / "汇总.xlsx", "--rules",
                      "jiangxian-2022-a", "--rules", odd)
    assert code == 0 and len(data["units"]) == 2
    assert "排名（B_乡镇__镇_类）" in openpyxl.load_workbook(here / "汇总.xlsx").sheetnames


def test_a_split_unit_is_listed_as_gone_with_last_seasons_result(cli, tmp_path):
    """县农业农村局 was split into two; both name it as 曾用名: it is gone, listed in previous_only."""
    code, first = _run("rank", RETURNED, "-o", tmp_path / "上年.xlsx")
    (tmp_path / "上年.json").write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "下发"
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称,曾用名\n县财政局,\n县农业局,县农业农村局\n县乡村振兴局,县农业农村局\n",
                      encoding="utf-8-sig")
    assert cli("template", "--roster", roster, "-o", out).exit_code == 0
    for unit in ("县财政局", "县农业局", "县乡村振兴局"):
        fill_workbook(out / f"{unit}.xlsx", tmp_path / "收回" / f"{unit}.xlsx", {})
    code, data = _run("rank", tmp_path / "收回", "--roster", roster, "-o", tmp_path / "汇总.xlsx",
                      "--previous", tmp_path / "上年.json")
    gone = {u["unit"] for u in data["previous_only"]}
    assert "县农业农村局" in gone and "县财政局" not in gone
