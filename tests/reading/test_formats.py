"""What LibreOffice (and WPS) save is read as the tool wrote it: .xlsx, .xls, .et and .ods, their
formula and error cells, the OLE mini stream, numbers typed over the formulas (the workbooks come
from the ``case_workbooks`` and ``blank`` fixtures)."""

from decimal import Decimal

import pytest

from zwgk_cli import constants as C
from zwgk_cli.scoring.pipeline import rank_paths, score_paths
from zwgk_cli.workbooks.formulas import PTS, SCORE, sheet_layout


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_saved_by_libreoffice_scores_the_same(case_workbooks, soffice, rules, tmp_path, fmt):
    saved = soffice(case_workbooks, fmt, tmp_path / fmt)
    original = {u.unit: (u.total, u.categories) for u in score_paths(case_workbooks, rules).units}
    report = score_paths(saved, rules)
    assert not report.errors, [e.text() for e in report.errors]
    assert {u.unit: (u.total, u.categories) for u in report.units} == original
    assert original["floor"][0] == 0 and original["empty"][0] == 100
    assert original["whole_unit"][0] == Decimal("113.7")  # 100 + 10 + 6 + 0.5 − 2.5 − 0.3
    ranks = [(u.rank, u.unit) for u in rank_paths(saved, rules).units]
    assert ranks == [(u.rank, u.unit) for u in rank_paths(case_workbooks, rules).units]
    tied = {u: r for r, u in ranks if u in ("tie_a", "tie_b")}
    assert tied["tie_a"] == tied["tie_b"]


def test_wps_et_file_is_read_as_xls(case_workbooks, soffice, rules, tmp_path):
    import shutil

    (xls,) = soffice(case_workbooks[:1], "xls", tmp_path / "xls")
    et = shutil.copy(xls, tmp_path / f"{xls.stem}.et")
    report = score_paths([tmp_path / f"{xls.stem}.et"], rules)
    assert not report.errors and report.units[0].total == score_paths(case_workbooks[:1], rules).units[0].total
    assert et.exists()


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_formula_and_error_cells_survive_a_libreoffice_save(blank, soffice, rules, tmp_path, fmt):
    from support.corpus import _cached_formula

    from zwgk_cli.workbooks.fill import fill_workbook

    formula = fill_workbook(blank, tmp_path / "formula.xlsx", {}, unit="公式单位")
    _cached_formula(formula, "5", "1+1", "2", error=False)
    error = fill_workbook(blank, tmp_path / "error.xlsx", {}, unit="错误单位")
    _cached_formula(error, "5", "1/0", "#DIV/0!", error=True)
    saved = soffice([formula, error], fmt, tmp_path / fmt)
    report = score_paths(saved, rules)
    assert [u.unit for u in report.units] == ["公式单位"]
    assert "formula-cell" in {w.code for w in report.units[0].warnings}
    assert report.units[0].total == 96
    assert [(e.code, e.cell) for e in report.errors] == [("value-error", "H11")]


def test_small_xls_keeps_its_workbook_in_the_mini_stream(soffice, tmp_path):
    """A workbook stream under 4 KiB lives in the OLE mini stream; errors are found there too."""
    import openpyxl

    from zwgk_cli.reading.biff import special_cells_xls

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws["H2"], ws["H3"], ws["H4"] = "=1/0", "=1+1", 5
    wb.save(tmp_path / "tiny.xlsx")
    (xls,) = soffice([tmp_path / "tiny.xlsx"], "xls", tmp_path / "xls")
    assert special_cells_xls(xls.read_bytes(), "评分表", "H") == {"H2": "#DIV/0!", "H3": "formula"}


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_numbers_typed_over_formulas_are_found_after_a_libreoffice_save(blank, soffice, rules, tmp_path, fmt):
    """Recalculated formulas hold values in every format; only the typed-over cells are warned."""
    import openpyxl

    from zwgk_cli.workbooks.fill import fill_workbook

    layout = sheet_layout(rules)
    path = fill_workbook(blank, tmp_path / "typed.xlsx", {"3": 1}, notes={"5": "扣2分"})
    wb = openpyxl.load_workbook(path)
    wb[C.SCORE_SHEET][f"{PTS}5"] = -4
    wb[C.SCORE_SHEET][f"{SCORE}{layout.total_row}"] = 94
    wb.save(path)
    (saved,) = soffice([path], fmt, tmp_path / fmt)
    (unit,) = score_paths([saved], rules).units
    assert unit.total == 98  # clause 3 only
    assert sorted((w.code, w.cell) for w in unit.warnings if w.family != "evidence") == [
        ("formula-overwritten", f"{PTS}5"), ("formula-overwritten", f"{SCORE}{layout.total_row}"),
        ("note-without-input", "I11")]
