"""Two classes in one county: A (县直部门, built-in) and B (乡镇, a custom rule file), through a whole
season: templates per class, returns, ``rank`` ranking each class on its own."""

import shutil
from pathlib import Path

import openpyxl
import pytest
from support.cli import Cli
from support.paths import BUILTIN, DEMO_B

from zwgk_cli.workbooks.fill import fill_workbook

DEMO = DEMO_B
RULES = ["--rules", "jiangxian-2022-a", "--rules", str(DEMO)]
ROSTER = "单位名称,类别\n县财政局,A\n县教育局,A类\n城关镇,B\n南樊镇,B\n横水镇,demo-2023-b\n"


@pytest.fixture(scope="session")
def county_season(tmp_path_factory) -> Path:
    """``zwgk template`` for the county's roster and the units' returns, made once per session in
    ``下发`` and ``收回``: each test copies them (``county``)."""
    here = tmp_path_factory.mktemp("county-classes")
    roster = here / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8-sig")
    out = here / "下发"
    result = Cli().json("template", "--roster", roster, "-o", out, *RULES)
    assert result.exit_code == 0, result.output
    back = here / "收回"
    fills = {"县财政局": {"5": 2}, "县教育局": {"1": "是"}, "城关镇": {"B2": 1}, "南樊镇": {"B4": 20}}
    for unit, entries in fills.items():  # 横水镇 has not answered
        fill_workbook(out / f"{unit}.xlsx", back / f"{unit}.xlsx", entries)
    return here


@pytest.fixture
def county(tmp_path, county_season):
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8-sig")
    out = shutil.copytree(county_season / "下发", tmp_path / "下发")
    back = shutil.copytree(county_season / "收回", tmp_path / "收回")
    return roster, out, back


def _meta(path: Path) -> dict:
    return {r[0]: r[1] for r in openpyxl.load_workbook(path)["_meta"].iter_rows(values_only=True)}


def test_each_unit_gets_its_class_template(county):
    _, out, _ = county
    assert _meta(out / "县教育局.xlsx")["rules_id"] == "jiangxian-2022-a"
    assert _meta(out / "城关镇.xlsx")["rules_id"] == "demo-2023-b"
    assert _meta(out / "横水镇.xlsx")["rules_id"] == "demo-2023-b"


def test_rank_ranks_each_class_on_its_own(cli, county, tmp_path):
    roster, _, back = county
    summary = tmp_path / "汇总.xlsx"
    result = cli.json("rank", back, "--roster", roster, "-o", summary, *RULES)
    assert result.exit_code == 0, result.output
    data = result.data
    ranks = {u["unit"]: (u["rules"], u["rank"], u["total"], u.get("grade")) for u in data["units"]}
    assert ranks == {
        "县教育局": ("jiangxian-2022-a", 1, 96, None), "县财政局": ("jiangxian-2022-a", 1, 96, None),
        "城关镇": ("demo-2023-b", 1, 95, "优秀"), "南樊镇": ("demo-2023-b", 2, 70, "合格"),
    }
    assert [r["id"] for r in data["rule_sets"]] == ["jiangxian-2022-a", "demo-2023-b"]
    assert data["missing"] == ["横水镇"]
    wb = openpyxl.load_workbook(summary)
    assert {"排名（A类）", "排名（B类）", "分项得分（A类）", "分项得分（B类）"} <= set(wb.sheetnames)
    assert [c.value for c in wb["未提交"][4]][1:3] == ["横水镇", "demo-2023-b"]  # as the roster says


def test_a_class_b_workbook_without_its_rules_is_rejected_with_both_ids(cli, county):
    _, _, back = county
    result = cli.json("score", back / "城关镇.xlsx")
    assert result.exit_code == 1
    (error,) = result.data["errors"]
    assert error["code"] == "meta-ruleset"
    assert "demo-2023-b" in error["message"] and "jiangxian-2022-a" in error["message"]


def test_unknown_class_in_roster_is_a_usage_error(cli, tmp_path):
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称,类别\n某局,C\n", encoding="utf-8-sig")
    result = cli("template", "--roster", roster, "-o", tmp_path / "o")
    assert result.exit_code == 2 and "类别" in result.output
    error = cli.error("template", "--roster", roster, "-o", tmp_path / "o")
    assert error["code"] == "roster-class" and "某局" in error["message"] and "C" in error["message"]
    assert str(roster) in error["message"]  # which file to correct


def test_two_versions_of_one_rule_set_each_score_their_own_workbooks(cli, tmp_path):
    """A county corrects its table mid-season (version 2: clause 5 deducts 3 a time): each
    workbook is scored with the version it was made from, never silently with the other."""
    builtin = BUILTIN
    text = builtin.read_text(encoding="utf-8")
    v2 = tmp_path / "v2.yaml"
    changed = text.replace("\nversion: 1\n", "\nversion: 2\n", 1).replace(
        '{id: "5", kind: count, per: 2,', '{id: "5", kind: count, per: 3,', 1)
    assert changed.count("version: 2") == 1 and changed.count('id: "5", kind: count, per: 3,') == 1
    v2.write_text(changed, encoding="utf-8")
    for name, spec in (("旧版", "jiangxian-2022-a"), ("新版", v2)):
        assert cli("template", "-o", tmp_path / name, "--rules", spec).exit_code == 0
    back = tmp_path / "收回"
    fill_workbook(tmp_path / "旧版" / "scoring_template.xlsx", back / "县财政局.xlsx", {"5": 2}, unit="县财政局")
    fill_workbook(tmp_path / "新版" / "scoring_template.xlsx", back / "县教育局.xlsx", {"5": 1}, unit="县教育局")
    result = cli.json("rank", back, "--rules", v2, "--rules", "jiangxian-2022-a", "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code == 0, result.output
    units = {u["unit"]: u for u in result.data["units"]}
    assert units["县财政局"]["total"] == 96  # version 1: 2 × 2
    assert units["县教育局"]["total"] == 97  # version 2: 1 × 3
    classes = [s.title for s in openpyxl.load_workbook(tmp_path / "汇总.xlsx").worksheets]
    assert len(classes) == len(set(classes))  # one 排名 sheet per version, named apart
    assert any("第1版" in t for t in classes) and any("第2版" in t for t in classes)


@pytest.mark.parametrize("kind", [["--matrix", "--method", "网上检查", "--source", "网上检查组"], ["--adjustments"]])
def test_a_matrix_or_review_table_names_the_other_class_units_it_leaves_out(cli, county, tmp_path, kind):
    roster = county[0]
    result = cli.json("template", *kind, "--roster", roster, "-o", tmp_path / "表", *RULES)
    assert result.exit_code == 0, result.output
    [warning] = result.data["warnings"]
    assert warning["code"] == "source-left-out"
    assert "城关镇、南樊镇、横水镇" in warning["message"]  # class B: read against another rule set
    written = openpyxl.load_workbook(result.data["files"][0])
    names = {c.value for sheet in written.worksheets for row in sheet.iter_rows() for c in row}  # rows or lists
    assert {"县财政局", "县教育局"} <= names and not names & {"城关镇", "南樊镇", "横水镇"}
