"""What a real spreadsheet program does with the workbooks: LibreOffice recalculates the
in-sheet formulas and saves .xlsx/.xls/.ods; the tool's numbers must match both ways."""

import random
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook
from support.paths import DEMO_B, DEMO_C

from zwgk_cli import constants as C
from zwgk_cli.exact import decimal_of
from zwgk_cli.scoring.pipeline import rank_paths, score_paths
from zwgk_cli.workbooks.formulas import sheet_layout

CASES = {
    "flags_and_counts": ({"1": "是", "2": "否", "3": 2, "5": 5, "10a": 6, "10b": 1}, {}),
    "category_cap": ({"17": "是", "18": 2, "19": 4, "20": 3}, {}),
    "bonus_in_category": ({"14": 2, "16a": "是", "16b": 2, "15": 3}, {}),
    "whole_unit": ({"J1": 2, "J2": 1, "J4": 0.5, "K6": 1.25, "K8": 0.3},
                   {"J4": "酌情加分", "K8": "酌情扣分"}),
    "floor": ({"K1": 30}, {}),
    "empty": ({}, {}),
    "tie_a": ({"1": "是"}, {}),
    "tie_b": ({"5": 2}, {}),
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
    from zwgk_cli.workbooks.fill import fill_workbook

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
    assert_formulas_match(workbooks, rules, soffice, tmp_path)


def test_formulas_match_under_other_policies(soffice, tmp_path):
    """单项指标扣完为止, no category cap, a bonus cap and no floor, in the sheet's formulas too."""

    from zwgk_cli.rules.loading import load_rules
    from zwgk_cli.workbooks.fill import fill_workbook
    from zwgk_cli.workbooks.template import write_templates

    demo = load_rules(DEMO_B)
    (blank,) = write_templates(demo, ["示范镇"], tmp_path / "blank")
    cases = {"b_empty": {}, "b_indicator": {"B2": 3, "B3": 10, "B4": 12}, "b_both": {"B1": "是", "B2": 9},
             "b_village": {"B5": 6, "B6": 10}, "b_bonus": {"BJ1": 4, "B4": 1}, "b_negative": {"BK1": 12}}
    paths = [fill_workbook(blank, tmp_path / f"{name}.xlsx", entries, unit=name,
                           notes={"B6": "酌情"} if "B6" in entries else None)
             for name, entries in cases.items()]
    report = assert_formulas_match(paths, demo, soffice, tmp_path)
    totals = {u.unit: u.total for u in report.units}
    assert totals["b_negative"] == -20 and totals["b_bonus"] == 102
    grade_row = sheet_layout(demo).total_row + 1  # 等次, computed by the sheet's own formula
    grades = {p.stem: _sheet_values(p)[grade_row - 1][10] for p in (tmp_path / "recalc").iterdir()}
    assert grades == {u.unit: u.grade for u in report.units}


def assert_formulas_match(workbooks, rules, soffice, tmp_path):
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
            if clause.id in result.veto and cell == C.VETOED:  # a 一票否决 without points says so
                assert clause.points == 0, (path.stem, clause.id)
                continue
            assert decimal_of(cell) == clause.points, (path.stem, clause.id)
        for name, row, _, _ in layout.subtotal_rows:
            if name in categories:
                assert decimal_of(rows[row - 1][10]) == result.categories[name], (path.stem, name)
        assert decimal_of(rows[layout.total_row - 1][10]) == result.total, path.stem
        for name, row, _, _ in layout.subtotal_rows:
            if name not in categories:  # section subtotals: 综合加分项 (capped), 重大扣分项
                bonus = next(s.bonus for s in rules.sections if s.name == name)
                expected = result.bonus if bonus else -result.major_deductions
                assert decimal_of(rows[row - 1][10]) == expected, (path.stem, name)
    return report


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_saved_by_libreoffice_scores_the_same(workbooks, soffice, rules, tmp_path, fmt):
    saved = soffice(workbooks, fmt, tmp_path / fmt)
    original = {u.unit: (u.total, u.categories) for u in score_paths(workbooks, rules).units}
    report = score_paths(saved, rules)
    assert not report.errors, [e.text() for e in report.errors]
    assert {u.unit: (u.total, u.categories) for u in report.units} == original
    assert original["floor"][0] == 0 and original["empty"][0] == 100
    assert original["whole_unit"][0] == Decimal("113.7")  # 100 + 10 + 6 + 0.5 − 2.5 − 0.3
    ranks = [(u.rank, u.unit) for u in rank_paths(saved, rules).units]
    assert ranks == [(u.rank, u.unit) for u in rank_paths(workbooks, rules).units]
    tied = {u: r for r, u in ranks if u in ("tie_a", "tie_b")}
    assert tied["tie_a"] == tied["tie_b"]


def test_wps_et_file_is_read_as_xls(workbooks, soffice, rules, tmp_path):
    import shutil

    (xls,) = soffice(workbooks[:1], "xls", tmp_path / "xls")
    et = shutil.copy(xls, tmp_path / f"{xls.stem}.et")
    report = score_paths([tmp_path / f"{xls.stem}.et"], rules)
    assert not report.errors and report.units[0].total == score_paths(workbooks[:1], rules).units[0].total
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


def test_validation_protection_and_print_setup_survive_a_libreoffice_save(blank, soffice, rules, tmp_path):
    import openpyxl

    (saved,) = soffice([blank], "xlsx", tmp_path / "saved")
    wb = openpyxl.load_workbook(saved)
    ws = wb[C.SCORE_SHEET]
    layout = sheet_layout(rules)
    by_cell = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in range(rng.min_row, rng.max_row + 1):
                by_cell[f"H{row}"] = dv
    flag = by_cell[f"H{layout.clause_rows['1']}"]
    assert flag.type == "list" and "是" in flag.formula1 and "否" in flag.formula1
    assert flag.showErrorMessage and flag.errorStyle in (None, "stop")
    count = by_cell[f"H{layout.clause_rows['3']}"]
    assert (count.type, count.formula1, count.formula2) == ("whole", "0", "3")
    assert len([c for c in rules.clauses if f"H{layout.clause_rows[c.id]}" in by_cell]) == len(rules.clauses)
    assert ws.protection.sheet
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}
    inputs = {f"{col}{r}" for r in layout.clause_rows.values() for col in "HI"}
    assert inputs <= unlocked and unlocked - inputs <= {"C2", "D2", "E2", "F2"}
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$4:$4"
    assert wb[C.META_SHEET].sheet_state == "hidden"


def test_printed_pages_are_a4_landscape_with_the_chinese_text(blank, soffice, tmp_path):
    import shutil
    import subprocess

    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) not installed")
    (pdf,) = soffice([blank], "pdf", tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595" in info  # every page A4 landscape (pdfinfo reports the first)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for words in ("被考核单位", "县财政局", "组织领导与工作保障", "评分标准", "填报说明", "总分"):
        assert words in text, words


def test_rule_table_edited_and_saved_by_libreoffice_imports(soffice, tmp_path):
    """Export, change a weight and a rule, save through LibreOffice as .ods, import, use."""
    import openpyxl

    from zwgk_cli.reading.ruletable import import_rules
    from zwgk_cli.rules.loading import load_rules, parse_rules
    from zwgk_cli.workbooks.ruletable import dump_yaml, export_rules

    table = export_rules(load_rules(), tmp_path / "细则.xlsx")
    wb = openpyxl.load_workbook(table)
    for row in wb["评分表"].iter_rows(min_row=2):
        if row[7].value == "6":
            row[9].value = "1"   # 年报公开质量: 1 point a finding
    wb.save(table)
    (ods,) = soffice([table], "ods", tmp_path / "ods")
    imported = parse_rules(dump_yaml(import_rules(ods).data).encode("utf-8"))
    assert imported.clause("6").per == 1 and imported.clause("6").cap == 4
    assert [c.id for c in imported.clauses] == [c.id for c in load_rules().clauses]


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
    wb[C.SCORE_SHEET]["J5"] = -4
    wb[C.SCORE_SHEET][f"K{layout.total_row}"] = 94
    wb.save(path)
    (saved,) = soffice([path], fmt, tmp_path / fmt)
    (unit,) = score_paths([saved], rules).units
    assert unit.total == 98  # clause 3 only
    assert sorted((w.code, w.cell) for w in unit.warnings) == [
        ("formula-overwritten", "J5"), ("formula-overwritten", f"K{layout.total_row}"),
        ("note-without-input", "I11")]


# Clerk spellings the live formulas must read like the tool, or show 待核 — never another number.
SPELLINGS = {
    "trailing_space": ({"1": "是 ", "2": "否 ", "3": " 2 "}, True),
    "full_width_space": ({"1": "是\u3000", "9": "\u3000是", "5": "3\u3000"}, True),
    "ticks_and_words": ({"1": "√", "2": "Y", "7": "×", "9": "无", "11": "没有"}, True),
    "unit_words": ({"5": "2处", "6": "1项", "13": "3 件", "J1": "1次", "K6": "0.5"}, True),
    "chinese_numerals": ({"5": "两", "6": "两处", "18": "一", "19": "〇"}, True),
    "none_found": ({"5": "无", "13": "没有", "14": "未发现", "18": "0处", "K1": "零"}, True),
    "full_width_letters": ({"1": "ｙｅｓ", "13": "２", "5": "１２处"}, True),
    "beyond_the_formulas": ({"5": "十二", "6": "二十五"}, False),  # the tool reads these
    "rejected": ({"5": "若干", "1": "是"}, False),
    "rejected_number_forms": ({"5": "1,000", "6": "-1", "K6": "50%", "13": "件"}, False),
}


def test_live_formulas_read_clerk_spellings_like_the_tool_or_show_pending(blank, soffice, rules, tmp_path):
    from zwgk_cli.workbooks.fill import fill_workbook

    paths = [fill_workbook(blank, tmp_path / f"{name}.xlsx", entries)
             for name, (entries, _) in SPELLINGS.items()]
    recalculated = soffice(paths, "xlsx", tmp_path / "recalc")
    layout = sheet_layout(rules)
    for path, original in zip(recalculated, paths, strict=True):
        entries, readable = SPELLINGS[path.stem]
        report = score_paths([original], rules)
        rows = _sheet_values(path)
        shown = {c.id: rows[layout.clause_rows[c.id] - 1][9] for c in rules.clauses}
        total = rows[layout.total_row - 1][10]
        if not report.units:  # the tool rejects the file: no number of its own, so 待核
            assert all(shown[i] == C.PENDING for i in entries if i != "1"), (path.stem, shown)
            assert total == C.PENDING, path.stem
            continue
        (unit,) = report.units
        points = {c.id: c.points for c in unit.clauses}
        if readable:  # the formulas read every spelling: the very same numbers
            assert {i: decimal_of(v) for i, v in shown.items()} == points, path.stem
            assert decimal_of(total) == unit.total, path.stem
        else:
            assert all(shown[i] == C.PENDING for i in entries), (path.stem, shown)
            assert total == C.PENDING, path.stem
        assert all(v == C.PENDING or decimal_of(v) == points[i] for i, v in shown.items()), path.stem


def test_grade_shows_pending_when_the_total_does(soffice, tmp_path):
    """待核 is text, which compares above every number: the 等次 must not read it as 优秀."""

    from zwgk_cli.rules.loading import load_rules
    from zwgk_cli.workbooks.fill import fill_workbook
    from zwgk_cli.workbooks.template import write_templates

    demo = load_rules(DEMO_B)
    (blank,) = write_templates(demo, ["示范镇"], tmp_path / "blank")
    path = fill_workbook(blank, tmp_path / "pending.xlsx", {"B2": "十二"})
    (recalculated,) = soffice([path], "xlsx", tmp_path / "recalc")
    layout = sheet_layout(demo)
    rows = _sheet_values(recalculated)
    assert rows[layout.total_row - 1][10] == C.PENDING
    assert rows[layout.total_row][10] == C.PENDING  # 等次
    assert score_paths([path], demo).units[0].grade == "合格"  # the tool reads 十二: 100 − 30 (扣完为止)


SCHEME_VARIANTS = {
    "demo": {},
    "keep": {"rescale-category  #": "keep  #", "  veto_total: 59": "  floor: null"},
    "uncapped": {"  veto_total: 59": "  category_cap: false\n  indicator_cap: true\n  veto_total: 70"},
}


@pytest.mark.parametrize("variant", SCHEME_VARIANTS)
def test_formulas_match_with_not_applicable_veto_and_bonus_threshold(soffice, tmp_path, variant):
    """不适用 (kept, or rescaled with a repeating decimal and a category where nothing applies),
    一票否决 with bonuses, and a total exactly at the bonus threshold: the sheet's formulas give the
    tool's numbers, 等次 included."""

    from zwgk_cli.rules.loading import load_rules
    from zwgk_cli.workbooks.fill import fill_workbook
    from zwgk_cli.workbooks.template import write_templates

    text = (DEMO_C).read_text(encoding="utf-8")
    for old, new in SCHEME_VARIANTS[variant].items():
        assert old in text
        text = text.replace(old, new)
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    demo = load_rules(tmp_path / "c.yaml")
    (blank,) = write_templates(demo, ["示范局"], tmp_path / "blank")
    na = " 不适用 "
    cases = {"c_empty": {}, "c_thirds": {"C3": na, "C1": 1, "C2": 2}, "c_thirds_down": {"C3": "不适用", "C1": 2},
             "c_all_na": {"C4a": na, "C5": "不适用", "C6": 2}, "c_flag_na": {"C5": "不适用", "C4a": 1, "C4b": "是"},
             "c_veto_bonus": {"C8": "是", "CJ1": 3, "C6": 2}, "c_veto_section": {"CK2": "√", "C7": 1},
             "c_veto_no": {"C8": "否", "CK2": "否"}, "c_at_threshold": {"C7": 4, "CJ1": 1},
             "c_below_threshold": {"C7": 4, "C1": 1, "CJ1": 1}, "c_major": {"CK1": 1, "CJ1": 2, "C3": "不适用"},
             "c_over": {"C3": "不适用", "C1": 6, "C2": 6, "C7": 11}}
    paths = [fill_workbook(blank, tmp_path / f"{name}.xlsx", entries, unit=name) for name, entries in cases.items()]
    report = assert_formulas_match(paths, demo, soffice, tmp_path)
    results = {u.unit: u for u in report.units}
    if variant == "demo":
        assert results["c_thirds"].categories["信息发布"] == Decimal("13.33")  # (15 − 5) × 4 / 3
        assert results["c_thirds_down"].categories["信息发布"] == Decimal("17.33")  # 13 × 4 / 3
        assert (results["c_veto_bonus"].total, results["c_at_threshold"].total) == (59, 82)
    grade_row = sheet_layout(demo).total_row + 1
    grades = {p.stem: _sheet_values(p)[grade_row - 1][10] for p in (tmp_path / "recalc").iterdir()}
    assert grades == {u.unit: u.grade for u in report.units}
    vetoed = _sheet_values(tmp_path / "recalc" / "c_veto_bonus.xlsx")[sheet_layout(demo).clause_rows["C8"] - 1][9]
    assert vetoed == C.VETOED


def test_not_applicable_beside_another_value_shows_pending_not_a_number(soffice, tmp_path):

    from zwgk_cli.rules.loading import load_rules
    from zwgk_cli.workbooks.fill import fill_workbook
    from zwgk_cli.workbooks.template import write_templates

    demo = load_rules(DEMO_C)
    (blank,) = write_templates(demo, ["示范局"], tmp_path / "blank")
    paths = [fill_workbook(blank, tmp_path / "mixed.xlsx", {"C4a": "不适用", "C4b": "否"}, unit="甲局"),
             fill_workbook(blank, tmp_path / "must_apply.xlsx", {"C7": "不适用"}, unit="乙局")]
    layout = sheet_layout(demo)
    for path in soffice(paths, "xlsx", tmp_path / "recalc"):
        rows = _sheet_values(path)
        assert rows[layout.total_row - 1][10] == C.PENDING, path.stem
        assert rows[layout.total_row][10] == C.PENDING, path.stem  # 等次
    assert {e.code for e in score_paths(paths, demo).errors} == {"value-not-applicable"}
