"""The matrix (检查表) and review table (复核调整表) templates (zwgk_cli/workbooks/sources.py): what a
clerk gets, and what survives LibreOffice (.xlsx/.xls/.ods round trip, validation, protection, print setup)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from zwgk_cli import constants as C
from zwgk_cli.scoring.pipeline import rank_paths
from zwgk_cli.workbooks.fill import fill_matrix, fill_review, fill_workbook
from zwgk_cli.workbooks.sources import build_matrix, write_matrix, write_review
from zwgk_cli.workbooks.template import write_templates

UNITS = ["县财政局", "县民政局", "县公安局"]


@pytest.fixture(scope="module")
def matrix_book(rules):
    return build_matrix(rules, [rules.clause(i) for i in ("1", "5", "J4")], UNITS, "网上检查组")


def test_matrix_header_has_the_unit_column_and_a_cell_per_clause_with_its_rule(matrix_book, rules):
    ws = matrix_book[C.MATRIX_SHEET]
    header = [c.value for c in ws[4]]
    assert header[:2] == ["序号", "单位名称"]
    assert header[2].startswith("1 ") and header[3].startswith("5 ") and header[4].startswith("J4 ")
    assert header[5] == "说明（J4）"
    assert rules.clause("5").text in ws["D3"].value and rules.clause("5").text in ws["D4"].comment.text
    assert [ws.cell(row=r, column=2).value for r in (5, 6, 7)] == UNITS


def test_matrix_inputs_are_validated_and_the_only_cells_open(matrix_book):
    ws = matrix_book[C.MATRIX_SHEET]
    by_column = {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}
    assert by_column["C"].type == "list" and "是" in by_column["C"].formula1
    assert (by_column["D"].type, by_column["D"].formula2) == ("whole", str(C.LARGEST))
    assert by_column["E"].type == "decimal" and "F" not in by_column  # the note column is free text
    assert all(dv.errorStyle == "stop" and dv.showErrorMessage for dv in by_column.values())
    assert ws.protection.sheet
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}
    assert unlocked == {f"{col}{row}" for col in "CDEFG" for row in (5, 6, 7)}  # G: 印证材料, free text


def test_matrix_prints_a4_landscape_with_unit_column_and_header_repeated(matrix_book):
    ws = matrix_book[C.MATRIX_SHEET]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == "$4:$4" and ws.print_title_cols == "$A:$B"
    assert C.GUIDE_SHEET in matrix_book.sheetnames


def test_matrix_meta_records_kind_source_rules_clauses_and_units(matrix_book, rules):
    meta = matrix_book[C.META_SHEET]
    values = {r[0].value: r[1].value for r in meta.iter_rows()}
    assert meta.sheet_state == "hidden"
    assert (values["kind"], values["source"], values["rules_id"]) == ("matrix", "网上检查组", rules.id)
    assert (values["clauses"], values["units"]) == ("1,5,J4", 3)


def test_review_table_header_dropdowns_and_meta(tmp_path, rules):
    path = write_review(rules, UNITS, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[C.REVIEW_SHEET]
    assert [c.value for c in ws[3]][:4] == ["单位名称", "编号", "调整为", "理由"]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["A4"] == "_lists!$A$1:$A$3" and lists["B4"] == f"_lists!$B$1:$B${len(rules.clauses)}"
    assert [wb["_lists"].cell(row=r, column=1).value for r in (1, 2, 3)] == UNITS
    assert {r[0].value: r[1].value for r in wb[C.META_SHEET].iter_rows()}["kind"] == "adjustments"
    assert not ws["D4"].protection.locked and ws["A1"].protection.locked


@pytest.mark.parametrize("args, words", [
    (["--matrix", "--clauses", "5"], "--source"),
    (["--matrix", "--source", "组"], "--clauses 或 --method"),
    (["--matrix", "--clauses", "5", "--method", "网上检查", "--source", "组"], "只能给一个"),
    (["--matrix", "--clauses", "5,99", "--source", "组"], "没有编号 99"),
    (["--matrix", "--method", "飞行检查", "--source", "组"], "飞行检查"),
])
def test_template_matrix_refuses_incomplete_options_with_exit_2(cli, tmp_path, args, words):
    roster = tmp_path / "名单.txt"
    roster.write_text("\n".join(UNITS), encoding="utf-8")
    result = cli("template", *args, "--roster", roster, "-o", tmp_path / "out")
    assert result.exit_code == 2 and words in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    error = cli.error("template", *args, "--roster", roster, "-o", tmp_path / "out")
    assert error["code"] == "template-source" and words in error["message"]


def test_template_matrix_by_method_and_no_overwrite(cli, tmp_path):
    roster = tmp_path / "名单.txt"
    roster.write_text("\n".join(UNITS), encoding="utf-8")
    args = ["template", "--matrix", "--method", "网上检查", "--source", "网上检查组", "--roster", roster,
            "-o", tmp_path / "out"]
    assert cli(*args).exit_code == 0
    ws = openpyxl.load_workbook(tmp_path / "out" / "检查表_网上检查组.xlsx")[C.MATRIX_SHEET]
    assert [c.value.split(" ")[0] for c in ws[4][2:]] == ["4", "5", "6", "7", C.COL_EVIDENCE]
    again = cli(*args)
    assert again.exit_code == 2 and "已存在" in again.output
    assert cli.error(*args)["code"] == "output-exists"
    review = cli.json("template", "--adjustments", "--roster", roster, "-o", tmp_path / "out")
    assert review.data["files"] == [str(tmp_path / "out" / "复核调整表.xlsx")]


# --- LibreOffice ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def season(tmp_path_factory, rules) -> list[Path]:
    """A filled season: the units' own workbooks, two matrices (one equal value), a review row."""
    blanks, folder = tmp_path_factory.mktemp("blanks"), tmp_path_factory.mktemp("season")
    own, civil, police = write_templates(rules, UNITS, blanks)
    web = write_matrix(rules, [rules.clause(i) for i in ("5", "6", "J4")], UNITS, "网上检查组", blanks)
    office = write_matrix(rules, [rules.clause(i) for i in ("1", "6")], UNITS, "政府办", blanks)
    review = write_review(rules, UNITS, blanks)
    return [fill_workbook(own, folder / "县财政局.xlsx", {"5": 2, "6": 1}),
            fill_matrix(web, folder / "检查表_网上检查组.xlsx",
                        {"县财政局": {"6": "1处"}, "县民政局": {"5": 3, "J4": 1.5, "说明（J4）": "经验推广"}}),
            fill_matrix(office, folder / "检查表_政府办.xlsx", {"县公安局": {"1": "是", "6": 2}}),
            fill_review(review, folder / "复核调整表.xlsx", [("县公安局", "6", 1, "复核：一处已整改")]),
            fill_workbook(civil, folder / "县民政局.xlsx", {}),  # the matrices answer only some clauses
            fill_workbook(police, folder / "县公安局.xlsx", {})]


def _outcome(report) -> tuple:
    return ({u.unit: (u.total, [(c.id, c.points, c.source) for c in u.clauses if c.points]) for u in report.units},
            [(a.unit, a.clause, a.before_total, a.after_total, a.reason) for a in report.adjustments],
            [i.kind for i in report.inputs], [e.code for e in report.errors])


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_season_saved_by_libreoffice_ranks_the_same(season, soffice, rules, tmp_path, fmt):
    saved = soffice(season, fmt, tmp_path / fmt)
    original = _outcome(rank_paths(season, rules, UNITS))
    assert original[0]["县民政局"][0] == 100 - 6 + 1.5 and original[1][0][2:4] == (92, 94)
    assert _outcome(rank_paths(saved, rules, UNITS)) == original


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_matrix_validation_protection_and_print_setup_survive_a_libreoffice_save(season, soffice, tmp_path, fmt):
    (saved,) = soffice(season[1:2], fmt, tmp_path / fmt)
    if fmt != "xlsx":  # openpyxl reads .xlsx only: LibreOffice converts back what it kept
        (saved,) = soffice([saved], "xlsx", tmp_path / "back")
    wb = openpyxl.load_workbook(saved)
    ws = wb[C.MATRIX_SHEET]
    kinds = {openpyxl.utils.get_column_letter(col): dv.type for dv in ws.data_validations.dataValidation
             for cells in dv.sqref.ranges for col in range(cells.min_col, cells.max_col + 1)}
    assert {col: kinds.get(col) for col in "CDEF"} == {"C": "whole", "D": "whole", "E": "decimal", "F": None}
    assert ws.protection.sheet and not ws["C5"].protection.locked and ws["B5"].protection.locked
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == "$4:$4" and ws.print_title_cols == "$A:$B"
    assert wb[C.META_SHEET].sheet_state == "hidden"


def test_matrix_prints_on_a4_landscape_with_the_chinese_text(season, soffice, tmp_path):
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) not installed")
    (pdf,) = soffice(season[1:2], "pdf", tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595" in info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for words in ("检查表", "单位名称", "县民政局", "网上检查组", "填报说明"):
        assert words in text, words
