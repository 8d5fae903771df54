"""What a real spreadsheet program does with the workbooks: LibreOffice recalculates the
in-sheet formulas and saves .xlsx/.xls/.ods; the tool's numbers must match both ways."""

import random
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from zwgk_cli import constants as C
from zwgk_cli.exact import decimal_of
from zwgk_cli.pipeline import score_paths
from zwgk_cli.template import sheet_layout

CASES = {
    "flags_and_counts": ({"1": "是", "2": "否", "3": 2, "5": 5, "10a": 6, "10b": 1}, {}),
    "category_cap": ({"17": "是", "18": 2, "19": 4, "20": 3}, {}),
    "bonus_in_category": ({"14": 2, "16a": "是", "16b": 2, "15": 3}, {}),
    "whole_unit": ({"J1": 2, "J2": 1, "J4": 0.5, "K6": 1.25, "K8": 0.3},
                   {"J4": "酌情加分", "K8": "酌情扣分"}),
    "floor": ({"K1": 30}, {}),
    "empty": ({}, {}),
}


def random_case(seed: int, rules) -> dict:
    rng = random.Random(seed)
    entries = {}
    for clause in rules.clauses:
        if rng.random() < 0.4:
            if clause.kind == "flag":
                entries[clause.id] = rng.choice(["是", "否"])
            elif clause.kind == "count":
                entries[clause.id] = rng.randint(0, clause.max_count or 6)
            else:
                entries[clause.id] = rng.choice([0.5, 1, 1.25, 2])
    return entries


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory, rules, blank):
    from zwgk_cli.fill import fill_workbook

    folder = tmp_path_factory.mktemp("cases")
    paths = []
    cases = dict(CASES)
    for seed in range(8):
        entries = random_case(seed, rules)
        notes = {k: "酌情" for k in ("J4", "K8") if k in entries}
        cases[f"random{seed}"] = (entries, notes)
    for name, (entries, notes) in cases.items():
        paths.append(fill_workbook(blank, folder / f"{name}.xlsx", entries, notes=notes, unit=name))
    return paths


def _sheet_values(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(C.SCORE_SHEET).to_python(
        skip_empty_area=False)


def test_formulas_recalculated_by_libreoffice_match_the_tool(workbooks, soffice, rules, tmp_path):
    recalculated = soffice(workbooks, "xlsx", tmp_path / "recalc")
    report = score_paths(workbooks, rules)
    assert not report.errors
    layout = sheet_layout(rules)
    categories = [c.name for c in rules.categories]
    by_unit = {u.unit: u for u in report.units}
    for path in recalculated:
        rows = _sheet_values(path)
        result = by_unit[path.stem]
        for clause in result.clauses:
            cell = rows[layout.clause_rows[clause.id] - 1][9]
            assert decimal_of(cell) == clause.points, (path.stem, clause.id)
        for name, row, _, _ in layout.subtotal_rows:
            if name in categories:
                assert decimal_of(rows[row - 1][10]) == result.categories[name], (path.stem, name)
        assert decimal_of(rows[layout.total_row - 1][10]) == result.total, path.stem


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_saved_by_libreoffice_scores_the_same(workbooks, soffice, rules, tmp_path, fmt):
    saved = soffice(workbooks, fmt, tmp_path / fmt)
    original = {u.unit: (u.total, u.categories) for u in score_paths(workbooks, rules).units}
    report = score_paths(saved, rules)
    assert not report.errors, [e.text() for e in report.errors]
    assert {u.unit: (u.total, u.categories) for u in report.units} == original
    assert original["floor"][0] == 0 and original["empty"][0] == 100
    assert original["whole_unit"][0] == Decimal("113.7")  # 100 + 10 + 6 + 0.5 − 2.5 − 0.3


def test_wps_et_file_is_read_as_xls(workbooks, soffice, rules, tmp_path):
    import shutil

    (xls,) = soffice(workbooks[:1], "xls", tmp_path / "xls")
    et = shutil.copy(xls, tmp_path / f"{xls.stem}.et")
    report = score_paths([tmp_path / f"{xls.stem}.et"], rules)
    assert not report.errors and report.units[0].total == score_paths(workbooks[:1], rules).units[0].total
    assert et.exists()


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_formula_and_error_cells_survive_a_libreoffice_save(blank, soffice, rules, tmp_path, fmt):
    from corpus import _cached_formula

    from zwgk_cli.fill import fill_workbook

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
