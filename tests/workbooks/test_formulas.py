"""The findings workbook's live formulas (zwgk_cli/workbooks/formulas.py, scheme_formulas.py): LibreOffice
recalculates them, and they must give the tool's numbers — or 待核, never another number. (What
LibreOffice saves, read back: tests/reading/test_formats.py.)"""

from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook
from support.paths import DEMO_B, DEMO_C

from zwgk_cli import constants as C
from zwgk_cli.exact import decimal_of
from zwgk_cli.rules.loading import load_rules
from zwgk_cli.scoring.pipeline import score_paths
from zwgk_cli.workbooks.fill import fill_workbook
from zwgk_cli.workbooks.formulas import sheet_layout
from zwgk_cli.workbooks.template import write_templates

PTS_AT, SCORE_AT = C.HEADERS.index(C.COL_CLAUSE_POINTS), C.HEADERS.index(C.COL_SCORE)  # 0-based columns


def _sheet_values(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(C.SCORE_SHEET).to_python(
        skip_empty_area=False)


def test_formulas_recalculated_by_libreoffice_match_the_tool(case_workbooks, soffice, rules, tmp_path):
    assert_formulas_match(case_workbooks, rules, soffice, tmp_path)


def test_formulas_match_under_other_policies(soffice, tmp_path):
    """单项指标扣完为止, no category cap, a bonus cap and no floor, in the sheet's formulas too."""
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
    grades = {p.stem: _sheet_values(p)[grade_row - 1][SCORE_AT] for p in (tmp_path / "recalc").iterdir()}
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
            cell = rows[layout.clause_rows[clause.id] - 1][PTS_AT]
            if clause.id in result.veto and cell == C.VETOED:  # a 一票否决 without points says so
                assert clause.points == 0, (path.stem, clause.id)
                continue
            assert decimal_of(cell) == clause.points, (path.stem, clause.id)
        for name, row, _, _ in layout.subtotal_rows:
            if name in categories:
                assert decimal_of(rows[row - 1][SCORE_AT]) == result.categories[name], (path.stem, name)
        assert decimal_of(rows[layout.total_row - 1][SCORE_AT]) == result.total, path.stem
        for name, row, _, _ in layout.subtotal_rows:
            if name not in categories:  # section subtotals: 综合加分项 (capped), 重大扣分项
                bonus = next(s.bonus for s in rules.sections if s.name == name)
                expected = result.bonus if bonus else -result.major_deductions
                assert decimal_of(rows[row - 1][SCORE_AT]) == expected, (path.stem, name)
    return report


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
    paths = [fill_workbook(blank, tmp_path / f"{name}.xlsx", entries)
             for name, (entries, _) in SPELLINGS.items()]
    recalculated = soffice(paths, "xlsx", tmp_path / "recalc")
    layout = sheet_layout(rules)
    for path, original in zip(recalculated, paths, strict=True):
        entries, readable = SPELLINGS[path.stem]
        report = score_paths([original], rules)
        rows = _sheet_values(path)
        shown = {c.id: rows[layout.clause_rows[c.id] - 1][PTS_AT] for c in rules.clauses}
        total = rows[layout.total_row - 1][SCORE_AT]
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
    demo = load_rules(DEMO_B)
    (blank,) = write_templates(demo, ["示范镇"], tmp_path / "blank")
    path = fill_workbook(blank, tmp_path / "pending.xlsx", {"B2": "十二"})
    (recalculated,) = soffice([path], "xlsx", tmp_path / "recalc")
    layout = sheet_layout(demo)
    rows = _sheet_values(recalculated)
    assert rows[layout.total_row - 1][SCORE_AT] == C.PENDING
    assert rows[layout.total_row][SCORE_AT] == C.PENDING  # 等次
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
    grades = {p.stem: _sheet_values(p)[grade_row - 1][SCORE_AT] for p in (tmp_path / "recalc").iterdir()}
    assert grades == {u.unit: u.grade for u in report.units}
    vetoed = _sheet_values(tmp_path / "recalc" / "c_veto_bonus.xlsx")[sheet_layout(demo).clause_rows["C8"] - 1][PTS_AT]
    assert vetoed == C.VETOED


def test_not_applicable_beside_another_value_shows_pending_not_a_number(soffice, tmp_path):
    demo = load_rules(DEMO_C)
    (blank,) = write_templates(demo, ["示范局"], tmp_path / "blank")
    paths = [fill_workbook(blank, tmp_path / "mixed.xlsx", {"C4a": "不适用", "C4b": "否"}, unit="甲局"),
             fill_workbook(blank, tmp_path / "must_apply.xlsx", {"C7": "不适用"}, unit="乙局")]
    layout = sheet_layout(demo)
    for path in soffice(paths, "xlsx", tmp_path / "recalc"):
        rows = _sheet_values(path)
        assert rows[layout.total_row - 1][SCORE_AT] == C.PENDING, path.stem
        assert rows[layout.total_row][SCORE_AT] == C.PENDING, path.stem  # 等次
    assert {e.code for e in score_paths(paths, demo).errors} == {"value-not-applicable"}
