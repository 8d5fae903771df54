"""Year over year: last season's totals and ranks by name or 曾用名, new and gone units, and a
previous-results file that cannot be used."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from support.seasons import DEMO_B, build_seasons, rank

from zwgk_cli.model import PreviousSeason, Report, Standing, UnitResult
from zwgk_cli.reading.roster import load_roster
from zwgk_cli.rules.loading import load_rulebook
from zwgk_cli.scoring.pipeline import rank_paths
from zwgk_cli.scoring.seasons import change_label, compare_seasons
from zwgk_cli.workbooks.run_outputs import write_rank_outputs


@pytest.fixture(scope="module")
def seasons(tmp_path_factory):
    return build_seasons(tmp_path_factory.mktemp("seasons"))


def _rank_2023(seasons, previous, out, *extra):
    result = rank([seasons["returns"], "--roster", seasons["roster"], "--rules", DEMO_B, "-o", out,
                   "--previous", previous, "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


EXPECTED = {  # unit: (rank, previous, rank_change)
    "县民政局": (1, {"total": 96, "rank": 2}, 1),
    "县发展和改革局": (2, {"total": 94, "rank": 3}, 1),  # matched by its 曾用名 县发展计划局
    "县应急管理局": (3, None, None),  # new
    "县财政局": (4, {"total": 100, "rank": 1}, -3),
}


@pytest.mark.parametrize("source", ["json", "summary"])
def test_renamed_new_and_gone_units_get_last_seasons_total_rank_and_change(seasons, tmp_path, source):
    data = _rank_2023(seasons, seasons[source], tmp_path / "汇总.xlsx")
    got = {u["unit"]: (u["rank"], u["previous"], u["rank_change"]) for u in data["units"]}
    assert got == EXPECTED
    assert data["previous_only"] == [{"unit": "县档案局", "total": 92, "rank": 4}]
    assert data["previous_season"]["rule_sets"] == ["jiangxian-2022-a 第1版"]
    said = [w for w in data["warnings"] if w["code"] == "previous-rules"]  # 2022 and 2023 used different tables
    assert len(said) == 1 and "demo-2023-b 第2版" in said[0]["message"]


def test_rank_json_with_previous_equals_the_library_report(seasons, tmp_path):
    from zwgk_cli.reading.previous import load_previous

    data = _rank_2023(seasons, seasons["json"], tmp_path / "汇总.xlsx")
    roster = load_roster(seasons["roster"])
    library = rank_paths([seasons["returns"]], load_rulebook([str(DEMO_B)]), roster.names, roster.classes,
                         previous=load_previous(seasons["json"]), former_names=roster.former,
                         roster_warnings=roster.warnings)
    write_rank_outputs(library, tmp_path / "汇总.xlsx", force=True)
    expected = library.to_dict()
    for document in (data, expected):
        document.pop("generated_at")
    assert data == expected


def test_without_previous_the_json_has_no_previous_fields(seasons, tmp_path):
    result = rank([seasons["returns"], "--rules", DEMO_B, "-o", tmp_path / "s.xlsx", "--json"])
    data = json.loads(result.stdout)
    assert "previous_only" not in data and "previous" not in data["units"][0]


def test_roster_former_names_are_read_from_the_csv_column(seasons):
    assert load_roster(seasons["roster"]).former == {"县发展和改革局": ["县发展计划局", "县计委"]}


def _unit(name: str, rank: int) -> UnitResult:
    return UnitResult(name, "", "", Decimal(90), {}, Decimal(0), Decimal(0), [], [], rank=rank)


def _compare(units, previous, former=None) -> Report:
    from zwgk_cli.rules.loading import load_rules

    report = Report(load_rules(), units, [], [], "")
    compare_seasons(report, PreviousSeason("上年.json", [], previous), former)
    return report


def test_a_former_name_claimed_by_two_units_is_said_and_taken_by_neither():
    report = _compare([_unit("县文化和旅游局", 1), _unit("县体育局", 2)],
                      [Standing("县文体局", Decimal(95), 1)],
                      {"县文化和旅游局": ["县文体局"], "县体育局": ["县文体局"]})
    assert [u.previous for u in report.units] == [None, None]
    assert [n.code for n in report.warnings] == ["previous-ambiguous"]


def test_own_name_wins_over_another_units_former_name():
    report = _compare([_unit("县教育局", 1), _unit("县教育科技局", 2)],
                      [Standing("县 教育局", Decimal(95), 3)], {"县教育科技局": ["县教育局"]})
    assert report.units[0].rank_change == 2 and report.units[1].previous is None
    assert report.warnings == [] and report.previous.only == []


def test_change_labels_as_published():
    then = [Standing("甲", Decimal(1), 1), Standing("乙", Decimal(1), 4), Standing("丙", Decimal(1), 1)]
    units = _compare([_unit("甲", 1), _unit("乙", 2), _unit("丙", 3), _unit("丁", 4)], then).units
    assert [change_label(u) for u in units] == ["–", "↑2", "↓2", "新"]


@pytest.mark.parametrize(("content", "words"), [
    (b"", "JSON"),
    (b"{not json", "不是有效的 JSON"),
    (b'{"error": {"code": "output-exists", "message": "x"}}', "出错"),
    (b'{"units": [{"unit": "a", "total": 1}]}', "没有名次"),
    (b'{"units": []}', "没有任何已排名的单位"),
    ("{\"units\": [{\"unit\": \"a\", \"total\": \"很高\", \"rank\": 1}]}".encode(), "总分"),
    (b"PK\x03\x04 broken zip", "已损坏"),
    (b"\x00\x01binary", "既不是 JSON"),
])
def test_unusable_previous_file_stops_with_exit_2_and_writes_nothing(seasons, tmp_path, content, words):
    previous = tmp_path / "上年.json"
    previous.write_bytes(content)
    out = tmp_path / "汇总.xlsx"
    result = rank([seasons["returns"], "--rules", DEMO_B, "-o", out, "--previous", previous, "--json"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "previous-invalid" and words in error["message"]
    assert "Error" not in result.stderr and not out.exists()


def test_a_workbook_that_is_not_a_summary_is_refused(seasons, tmp_path):
    result = rank([seasons["returns"], "--rules", DEMO_B, "-o", tmp_path / "s.xlsx",
                   "--previous", next(seasons["returns"].iterdir())])
    assert result.exit_code == 2 and "没有“排名”工作表" in result.stderr


def test_missing_previous_file_and_folder_are_refused(seasons, tmp_path):
    for path, words in ((tmp_path / "无.json", "找不到上年结果"), (tmp_path, "是文件夹")):
        result = rank([seasons["returns"], "--rules", DEMO_B, "-o", tmp_path / "s.xlsx", "--previous", path])
        assert result.exit_code == 2 and words in result.stderr


def test_roster_former_names_in_a_spreadsheet_split_on_commas_and_enumeration_marks(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    rows = (["序号", "单位名称", "曾用名"], [1, "县发展和改革局", "县发展计划局, 县计委，县物价局"],
            [2, "县财政局", None])
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "名单.xlsx")
    roster = load_roster(tmp_path / "名单.xlsx")
    assert roster.names == ["县发展和改革局", "县财政局"]
    assert roster.former == {"县发展和改革局": ["县发展计划局", "县计委", "县物价局"]}


def test_a_unit_ranked_in_another_class_last_season_keeps_its_total_but_no_rank_change():
    then = [Standing("县财政局", Decimal(90), 3, "a", "A"), Standing("镇政府", Decimal(95), 1, "b", "B")]
    report = _compare([_unit("县财政局", 1), _unit("镇政府", 2)], then)  # now both in class A
    assert report.units[0].rank_change == 2
    moved = report.units[1]
    assert (moved.previous.total, moved.previous.rank, moved.rank_change) == (95, None, None)
    assert [change_label(u) for u in report.units] == ["↑2", "类别变更"]
    assert [(n.code, "镇政府" in n.message) for n in report.warnings] == [("previous-rules", True)]
