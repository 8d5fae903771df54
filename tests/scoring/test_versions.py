"""Who a returned workbook is from: the roster decides, resubmissions are never ranked silently,
identical copies count once, and --newest takes the version a unit saved last."""

import io
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from support.saved import set_saved
from typer.testing import CliRunner

from zwgk_cli.cli.commands import app
from zwgk_cli.model import WorkbookRead
from zwgk_cli.reading.biff import last_saved_xls
from zwgk_cli.scoring.pipeline import rank_paths, score_paths
from zwgk_cli.scoring.versions import newest_of
from zwgk_cli.workbooks.fill import fill_workbook
from zwgk_cli.workbooks.summary import build_summary
from zwgk_cli.workbooks.template import write_templates

ROSTER = ["县民政局", "县财政局", "县市场监督管理局（知识产权局）"]


@pytest.fixture(scope="module")
def made(tmp_path_factory, rules):
    """Templates as the office hands them out, one per roster unit (plus a misspelt one)."""
    out = tmp_path_factory.mktemp("made")
    paths = write_templates(rules, [*ROSTER, "县民证局"], out)
    return {p.stem: p for p in paths}


@pytest.fixture
def back(tmp_path, made):
    """back(template_unit, file_name, entries, unit=typed name) -> a returned workbook."""
    folder = tmp_path / "收回"
    folder.mkdir()

    def fill(template_unit, name, entries, unit=None):
        return fill_workbook(made[template_unit], folder / name, entries, unit=unit)

    fill.folder = folder
    return fill


def _status(report) -> dict[str, str]:
    return {Path(i.file).name: i.status for i in report.inputs}


def test_resubmission_with_an_error_is_not_ranked_silently(back, rules):
    back("县民政局", "县民政局.xlsx", {"5": 1})
    back("县民政局", "县民政局（改）.xlsx", {"5": "若干"})
    report = rank_paths([back.folder], rules, ROSTER)
    assert [u.unit for u in report.units] == []
    assert sorted(p.code for p in report.errors) == ["unit-duplicate", "unit-duplicate", "value-quantity"]
    assert set(_status(report).values()) == {"重复"}
    assert "县民政局" not in report.missing and "县财政局" in report.missing
    assert report.exit_code == 1


def test_byte_identical_copy_counts_once_with_a_warning_naming_both(back, rules):
    original = back("县民政局", "县民政局.xlsx", {"5": 1})
    copy = shutil.copyfile(original, back.folder / "县民政局(1).xlsx")
    report = rank_paths([back.folder], rules, ROSTER)
    (unit,) = report.units
    assert unit.unit == "县民政局"
    (warning,) = [p for p in report.warnings if p.code == "file-identical"]
    assert {Path(warning.file).name, Path(warning.value).name} == {copy.name, original.name}
    assert Path(warning.value).name in warning.message
    assert _status(report)[Path(warning.file).name] == "相同副本"
    assert report.errors == [] and report.exit_code == 0


def test_typed_name_with_the_county_prefix_is_the_template_unit(back, rules):
    back("县民政局", "绛县民政局.xlsx", {"5": 1}, unit="绛县民政局")
    report = rank_paths([back.folder], rules, ROSTER)
    (unit,) = report.units
    assert unit.unit == "县民政局" and unit.total == 98
    assert [(w.code, w.cell, w.value) for w in unit.warnings] == [("unit-mismatch", "C2", "绛县民政局")]
    assert "县民政局" not in report.missing


def test_prefixed_name_without_a_template_record_is_matched_to_the_roster(back, rules, made):
    path = back("县财政局", "民政.xlsx", {"5": 1}, unit="绛县 民政局")
    book = openpyxl.load_workbook(path)
    next(r for r in book["_meta"].iter_rows() if r[0].value == "unit")[1].value = None
    book.save(path)
    (unit,) = rank_paths([back.folder], rules, ROSTER).units
    assert unit.unit == "县民政局"
    assert [w.code for w in unit.warnings] == ["unit-alias"]


def test_name_differing_only_in_width_and_spaces_is_the_roster_unit(back, rules):
    typed = "县市场监督管理局(知识产权局)\u00a0\u200b"
    back("县市场监督管理局（知识产权局）", "市场.xlsx", {}, unit=typed)
    report = rank_paths([back.folder], rules, ROSTER)
    (unit,) = report.units
    assert unit.unit == "县市场监督管理局（知识产权局）"
    assert [w.code for w in unit.warnings] == ["sheet-empty"]


def test_name_off_the_roster_is_warned_with_suggestions_never_assigned(back, rules):
    back("县民证局", "县民证局.xlsx", {"5": 1})
    report = rank_paths([back.folder], rules, ROSTER)
    (unit,) = report.units
    assert unit.unit == "县民证局"
    (warning,) = unit.warnings
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


def test_newest_takes_the_version_saved_last_and_says_so(back, rules):
    old = back("县民政局", "县民政局.xlsx", {"5": 1})
    new = back("县民政局", "县民政局-修改.xlsx", {"5": 2})
    set_saved(old, "2026-11-20T08:00:00Z")
    set_saved(new, "2026-11-21T08:00:00Z")
    report = rank_paths([back.folder], rules, ROSTER, newest=True)
    (unit,) = report.units
    assert (Path(unit.file).name, unit.total) == (new.name, 96)
    assert _status(report) == {old.name: "已被替代", new.name: "已评分"}
    assert [(p.code, Path(p.file).name) for p in report.warnings] == [("unit-superseded", old.name)]
    assert report.exit_code == 0
    about = [c.value for row in _sheet_rows(build_summary(report), "说明") for c in row]
    assert "取最新版本" in about and unit.file in about
    assert "--newest" in next(v for v in about if isinstance(v, str) and v.startswith("本次使用了"))
    assert rank_paths([back.folder], rules, ROSTER).units == []  # without the option: duplicates


def test_newest_version_with_an_error_is_the_one_taken(back, rules):
    old = back("县民政局", "县民政局.xlsx", {"5": 1})
    new = back("县民政局", "县民政局-修改.xlsx", {"5": "若干"})
    set_saved(old, "2026-11-20T08:00:00Z")
    set_saved(new, "2026-11-21T08:00:00Z")
    report = rank_paths([back.folder], rules, ROSTER, newest=True)
    assert report.units == []
    assert [e.code for e in report.errors] == ["value-quantity"]
    assert _status(report) == {old.name: "已被替代", new.name: "有错误"}


def test_newest_refuses_to_choose_when_save_times_are_equal(back, rules):
    for name in ("县民政局.xlsx", "县民政局-2.xlsx"):
        set_saved(back("县民政局", name, {"5": 1} if "2" in name else {}), "2026-11-20T08:00:00Z")
    report = rank_paths([back.folder], rules, ROSTER, newest=True)
    assert report.units == []
    assert {e.code for e in report.errors} == {"unit-duplicate"}
    assert all("保存时间相同" in e.message for e in report.errors)
    assert report.newest == []


def test_newest_refuses_to_choose_among_files_without_a_save_time():
    group = [WorkbookRead("a.xls", "1", None, unit="县民政局"),
             WorkbookRead("b.xlsx", "2", None, unit="县民政局", saved_at="2026-11-20T08:00:00Z")]
    winner, why = newest_of(group)
    assert winner is None and "a.xls" in why and "保存时间" in why


def test_rank_json_with_roster_reports_identity_duplicates_and_dropped_roster_lines(back, tmp_path):
    roster = tmp_path / "名单.txt"
    roster.write_text("序号\t单位名称\n1\t县民政局\n2\t县财政局\n3\t县市场监督管理局（知识产权局）\n合计\t3个单位\n",
                      encoding="utf-8")
    back("县民政局", "绛县民政局.xlsx", {"5": 1}, unit="绛县民政局")
    back("县财政局", "县财政局.xlsx", {"5": 1})
    back("县财政局", "县财政局-新.xlsx", {"1": "也许"})
    result = CliRunner().invoke(app, ["rank", str(back.folder), "--roster", str(roster),
                                      "-o", str(tmp_path / "汇总.xlsx"), "--json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert [(u["unit"], u["rank"]) for u in data["units"]] == [("县民政局", 1)]
    assert data["missing"] == ["县市场监督管理局（知识产权局）"]
    assert sorted(e["code"] for e in data["errors"]) == ["unit-duplicate", "unit-duplicate", "value-flag"]
    dropped = [(w["code"], w["cell"]) for w in data["warnings"] if w["code"] == "roster-line-dropped"]
    assert dropped == [("roster-line-dropped", "第1行"), ("roster-line-dropped", "第5行")]
    assert {i["unit"] for i in data["inputs"]} == {"县民政局", "县财政局"}
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    assert [r[1].value for r in wb["未提交"].iter_rows(min_row=4)] == ["县市场监督管理局（知识产权局）"]
    problems = {(r[1].value and Path(r[1].value).name, r[6].value) for r in wb["问题"].iter_rows(min_row=4)}
    assert ("县财政局-新.xlsx", "unit-duplicate") in problems


def _sheet_rows(wb, name):
    """Rows of a write-only workbook's sheet, read back after saving."""
    buffer = io.BytesIO()
    wb.save(buffer)
    return list(openpyxl.load_workbook(buffer)[name].iter_rows())


def test_save_time_is_read_from_the_workbook_properties_of_xlsx_and_ods(back):
    from zwgk_cli.reading.savetime import saved_time

    xlsx = back("县民政局", "县民政局.xlsx", {})
    set_saved(xlsx, "2026-11-21T08:00:00Z")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as ods:
        ods.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        ods.writestr("meta.xml", "<office:document-meta><office:meta><dc:date>2026-11-21T16:00:00.5"
                     "</dc:date></office:meta></office:document-meta>")
    assert saved_time(zipfile.ZipFile(xlsx)) == "2026-11-21T08:00:00Z"
    assert saved_time(zipfile.ZipFile(buffer)) == "2026-11-21T16:00:00.5"


def test_newest_reads_the_save_time_of_xls_files(back, rules, soffice, tmp_path):
    old = back("县民政局", "县民政局.xlsx", {"5": 1})
    new = back("县民政局", "县民政局-修改.xlsx", {"5": 2})
    set_saved(old, "2026-11-20T08:00:00Z")
    set_saved(new, "2026-11-21T08:00:00Z")
    folder = tmp_path / "xls"
    soffice([old, new], "xls", folder)
    report = rank_paths([folder], rules, ROSTER, newest=True)
    (unit,) = report.units
    assert (Path(unit.file).name, unit.total) == ("县民政局-修改.xls", 96)
    assert report.newest[0].saved_at == "2026-11-21T08:00:00+00:00"
    damaged = bytearray((folder / "县民政局.xls").read_bytes())
    damaged[512:] = bytes(len(damaged) - 512)  # the directory and streams gone: no time, no choice
    assert last_saved_xls(bytes(damaged)) == ""


def test_another_places_bureau_is_not_taken_for_the_county_unit(back, rules):
    back("县民证局", "市局.xlsx", {"5": 1}, unit="运城市民政局")
    report = rank_paths([back.folder], rules, ROSTER)
    (unit,) = report.units
    assert unit.unit == "运城市民政局"
    assert [w.code for w in unit.warnings] == ["unit-unknown"]
    assert "县民政局" in report.missing


def test_two_spellings_of_one_name_without_a_roster_are_duplicates(back, rules):
    back("县民证局", "a.xlsx", {"5": 1}, unit="县市场监督管理局（知识产权局）")
    back("县民证局", "b.xlsx", {"5": 2}, unit="县市场监督管理局(知识产权局)")
    report = score_paths([back.folder], rules)
    assert report.units == []
    assert [e.code for e in report.errors] == ["unit-duplicate", "unit-duplicate"]


def test_files_that_could_not_be_read_are_not_taken_for_copies_of_each_other():
    from zwgk_cli.scoring.versions import split_duplicates

    sorting = split_duplicates([WorkbookRead("a.xlsx", "", None), WorkbookRead("b.xlsx", "", None)])
    assert sorting.warnings == [] and sorting.status == {}


def test_without_roster_the_prefixed_name_is_still_the_template_unit_and_a_duplicate(back, rules):
    back("县民政局", "a.xlsx", {"5": 1}, unit="绛县民政局")
    back("县民政局", "b.xlsx", {"5": 2})
    report = score_paths([back.folder], rules)
    assert report.units == []
    assert {(e.code, e.value) for e in report.errors} == {("unit-duplicate", "县民政局")}
