"""Several files of one unit (zwgk_cli/scoring/versions.py): resubmissions are never ranked silently,
identical copies count once, and --newest takes the version a unit saved last. Whose a workbook is:
tests/reading/test_names.py."""

import io
import shutil
from pathlib import Path

import openpyxl
from support.identity import ROSTER
from support.saved import set_saved

from zwgk_cli.model import WorkbookRead
from zwgk_cli.reading.biff import last_saved_xls
from zwgk_cli.scoring.pipeline import rank_paths, score_paths
from zwgk_cli.scoring.versions import newest_of
from zwgk_cli.workbooks.summary import build_summary


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


def _sheet_rows(wb, name):
    """Rows of a write-only workbook's sheet, read back after saving."""
    buffer = io.BytesIO()
    wb.save(buffer)
    return list(openpyxl.load_workbook(buffer)[name].iter_rows())


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


def test_duplicate_units_are_both_reported_and_neither_scored(filled, rules, tmp_path):
    filled({"1": "是"}, name="a.xlsx")
    filled({}, name="b.xlsx")
    report = score_paths([tmp_path], rules)
    assert report.units == []
    assert sorted(p.code for p in report.errors) == ["unit-duplicate", "unit-duplicate"]
    assert sorted((Path(p.file).name, p.value) for p in report.errors) == [
        ("a.xlsx", "县财政局"), ("b.xlsx", "县财政局")]
    assert report.exit_code == 1
