"""Who a returned workbook is from (zwgk_cli/reading/names.py): the roster decides, a typed name
is matched as a clerk means it, never guessed."""

import openpyxl
from support.identity import ROSTER

from zwgk_cli.scoring.pipeline import rank_paths, score_paths


def test_typed_name_with_the_county_prefix_is_the_template_unit(back, rules):
    back("县民政局", "绛县民政局.xlsx", {"5": 1}, unit="绛县民政局")
    report = rank_paths([back.folder], rules, ROSTER)
    (unit,) = report.units
    assert unit.unit == "县民政局" and unit.total == 98
    shown = [(w.code, w.cell, w.value) for w in unit.warnings if w.family != "evidence"]
    assert shown == [("unit-mismatch", "C2", "绛县民政局")]
    assert "县民政局" not in report.missing


def test_prefixed_name_without_a_template_record_is_matched_to_the_roster(back, rules):
    path = back("县财政局", "民政.xlsx", {"5": 1}, unit="绛县 民政局")
    book = openpyxl.load_workbook(path)
    next(r for r in book["_meta"].iter_rows() if r[0].value == "unit")[1].value = None
    book.save(path)
    (unit,) = rank_paths([back.folder], rules, ROSTER).units
    assert unit.unit == "县民政局"
    assert [w.code for w in unit.warnings if w.family != "evidence"] == ["unit-alias"]


def test_name_differing_only_in_width_and_spaces_is_the_roster_unit(back, rules):
    typed = "县市场监督管理局(知识产权局)\u00a0\u200b"
    back("县市场监督管理局（知识产权局）", "市场.xlsx", {}, unit=typed)
    report = rank_paths([back.folder], rules, ROSTER)
    (unit,) = report.units
    assert unit.unit == "县市场监督管理局（知识产权局）"
    assert [w.code for w in unit.warnings if w.family != "evidence"] == ["sheet-empty"]


def test_name_off_the_roster_is_warned_with_suggestions_never_assigned(back, rules):
    back("县民证局", "县民证局.xlsx", {"5": 1})
    report = rank_paths([back.folder], rules, ROSTER)
    (unit,) = report.units
    assert unit.unit == "县民证局"
    (warning,) = [w for w in unit.warnings if w.family != "evidence"]
    assert (warning.code, warning.cell) == ("unit-unknown", "C2")
    assert "县民政局" in warning.message and "未自动对应" in warning.message
    assert "县民政局" in report.missing


def test_missing_name_is_reported_at_the_name_cell(back, rules):
    back("县民政局", "县民政局.xlsx", {}, unit="")
    (unit,) = rank_paths([back.folder], rules, ROSTER).units
    assert unit.unit == "县民政局"
    assert ("unit-missing", "C2") in {(w.code, w.cell) for w in unit.warnings}


def test_sheet_naming_another_roster_unit_is_not_ranked(back, rules):
    back("县民政局", "县民政局.xlsx", {"5": 1}, unit="县财政局")
    report = rank_paths([back.folder], rules, ROSTER)
    assert report.units == []
    (error,) = report.errors
    assert (error.code, error.cell, error.value) == ("unit-conflict", "C2", "县财政局")
    assert report.missing == ["县财政局", "县市场监督管理局（知识产权局）"]


def test_without_roster_the_typed_name_wins_with_a_warning(back, rules):
    back("县民政局", "a.xlsx", {}, unit="县教育局")
    (unit,) = score_paths([back.folder], rules).units
    assert unit.unit == "县教育局"
    assert "unit-mismatch" in [w.code for w in unit.warnings]


def test_another_places_bureau_is_not_taken_for_the_county_unit(back, rules):
    back("县民证局", "市局.xlsx", {"5": 1}, unit="运城市民政局")
    report = rank_paths([back.folder], rules, ROSTER)
    (unit,) = report.units
    assert unit.unit == "运城市民政局"
    assert [w.code for w in unit.warnings if w.family != "evidence"] == ["unit-unknown"]
    assert "县民政局" in report.missing
