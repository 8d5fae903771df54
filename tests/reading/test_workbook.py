"""Reading a unit's findings workbook (zwgk_cli/reading/workbook.py; docs/workbook.md): a round trip
as a clerk fills them, bad entries at their cells, formulas typed over, and 不适用."""

import re
from decimal import Decimal

import openpyxl
import pytest

from zwgk_cli import constants as C
from zwgk_cli.model import Entry, Findings
from zwgk_cli.reading.inputs import read_input as read_workbook
from zwgk_cli.scoring.compute import score_units
from zwgk_cli.scoring.pipeline import score_paths
from zwgk_cli.workbooks.fill import fill_workbook
from zwgk_cli.workbooks.formulas import PTS, SCORE, sheet_layout

CLERK = {"1": "√", "5": "2处", "10a": "２", "12": "两", "15": 3, "16b": "1件", "J4": "0.5", "K6": 1}
NOTES = {"J4": "领导小组酌情加分", "5": "机构职能未更新"}
D = Decimal


def test_round_trip_equals_direct_scoring(filled, rules):
    path = filled(CLERK, notes=NOTES)
    read = read_workbook(path, rules)
    assert read.ok, [p.text() for p in read.problems]
    assert read.findings.unit == "县财政局"
    direct = Findings("县财政局", {"1": Entry(Decimal(1)), "5": Entry(Decimal(2)),
                                  "10a": Entry(Decimal(2)), "12": Entry(Decimal(2)),
                                  "15": Entry(Decimal(3)), "16b": Entry(Decimal(1)),
                                  "J4": Entry(Decimal("0.5")), "K6": Entry(Decimal(1))})
    assert score_units(rules, [read.findings])[0].total == score_units(rules, [direct])[0].total
    result = score_units(rules, [read.findings])[0]
    assert result.total == Decimal("85.5")  # 100 −4 −4 −2 −4 +3 −2 +0.5 −2
    five = result.clause("5")
    assert (five.input, five.points, five.note) == ("2处", -4, "机构职能未更新")
    assert five.cell == "H11"


def test_bad_entry_names_file_sheet_cell_and_value(filled, rules):
    path = filled({"5": "若干"})
    read = read_workbook(path, rules, label="县财政局.xlsx")
    assert not read.ok
    (error,) = read.errors
    assert (error.code, error.sheet, error.cell, error.value) == ("value-quantity", "评分表", "H11", "若干")
    assert error.text() == "县财政局.xlsx 评分表!H11：「若干」不是有效的数量"


def test_discretionary_points_need_a_note(filled, rules):
    read = read_workbook(filled({"K8": 2}), rules)
    assert [p.code for p in read.errors] == ["note-required"]
    row = sheet_layout(rules).clause_rows["K8"]
    assert [(p.sheet, p.cell, p.value) for p in read.errors] == [("评分表", f"H{row}", "2")]
    assert read_workbook(filled({"K8": 2}, notes={"K8": "通报批评"}, name="b.xlsx"), rules).ok


def test_rows_sorted_and_blank_rows_inserted_still_read(filled, rules, tmp_path):
    path = filled({"5": 3, "J1": 1})
    wb = openpyxl.load_workbook(path)
    ws = wb[C.SCORE_SHEET]
    ws.protection.sheet = False
    for merged in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(merged))
    ws.insert_rows(5, amount=3)          # blank rows above the table body
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=8, max_row=ws.max_row)]
    rows.reverse()                        # a clerk sorted the table upside down
    for offset, values in enumerate(rows):
        for col, value in enumerate(values, start=1):
            ws.cell(row=8 + offset, column=col).value = value
    moved = tmp_path / "moved.xlsx"
    wb.save(moved)
    read = read_workbook(moved, rules)
    assert read.ok, [p.text() for p in read.errors]
    result = score_units(rules, [read.findings])[0]
    assert result.total == 100 - 6 + 5
    assert result.clause("5").cell != "H11"  # the real address after the move


def test_empty_sheet_scores_full_marks_with_a_warning(filled, rules):
    read = read_workbook(filled({}), rules)
    assert read.ok
    warnings = [w for w in read.findings.warnings if w.family != "evidence"]
    assert [w.code for w in warnings] == ["sheet-empty"]
    assert [w.sheet for w in warnings] == ["评分表"]
    assert score_units(rules, [read.findings])[0].total == 100


def test_other_rule_set_is_rejected_with_both_ids(filled, rules, tmp_path):
    path = filled({})
    wb = openpyxl.load_workbook(path)
    meta = wb[C.META_SHEET]
    meta["B1"] = "other-2023-b"
    wb.save(path)
    (error,) = read_workbook(path, rules).errors
    assert error.code == "meta-ruleset" and error.sheet == "_meta"
    assert "other-2023-b" in error.message and rules.id in error.message


def test_changed_rule_text_warns_and_scores_from_the_rule_set(filled, rules):
    path = filled({"5": 1})
    wb = openpyxl.load_workbook(path)
    wb[C.SCORE_SHEET]["F11"] = "每发现一处扣0.5分"
    wb[C.SCORE_SHEET]["E11"] = 1
    wb.save(path)
    read = read_workbook(path, rules)
    assert read.ok and "text-changed" in [w.code for w in read.findings.warnings]
    changed = next(w for w in read.findings.warnings if w.code == "text-changed")
    assert changed.sheet == "评分表" and "编号 5" in changed.message
    assert score_units(rules, [read.findings])[0].total == 98


def test_unexpected_failure_in_one_file_becomes_a_per_file_error(filled, rules, monkeypatch):
    from zwgk_cli.reading import workbook as reader

    path = filled({"5": 1})

    def broken(rows, header_at, sheet, out):
        raise KeyError("boom")

    monkeypatch.setattr(reader, "_entries", broken)
    read = read_workbook(path, rules)
    assert not read.ok and read.errors[0].code == "file-unreadable"
    assert "KeyError" not in read.errors[0].message and "--debug" in read.errors[0].message
    with pytest.raises(KeyError):  # --debug: the cause shows as a traceback
        read_workbook(path, rules, debug=True)


def test_openpyxl_reads_through_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def _type_over(path, cells: dict[str, object]):
    """Type plain values into cells of 评分表, as a clerk overwriting a formula would."""
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        wb[C.SCORE_SHEET][ref] = value
    wb.save(path)
    return path


def test_finding_written_only_in_the_note_is_warned_at_the_note_cell(filled, rules):
    read = read_workbook(filled({}, notes={"5": "机构职能未更新，扣2分"}), rules)
    assert read.ok
    warnings = [(w.code, w.cell, w.value) for w in read.findings.warnings]
    assert warnings == [("note-without-input", "I11", "机构职能未更新，扣2分")]  # no sheet-empty claim


def test_note_beside_a_filled_input_is_not_warned(filled, rules):
    read = read_workbook(filled({"5": 2, "1": "否"}, notes={"5": "两处", "1": "已研究部署"}), rules)
    assert read.ok and read.findings.warnings == []


def test_numbers_typed_over_the_formulas_are_warned_and_not_scored(filled, rules):
    from zwgk_cli.workbooks.formulas import sheet_layout

    layout = sheet_layout(rules)
    subtotal = layout.subtotal_rows[0][1]
    path = _type_over(filled({}), {f"{PTS}5": -4, f"{SCORE}{subtotal}": 10, f"{SCORE}{layout.total_row}": 96})
    report = score_paths([path], rules)
    (unit,) = report.units
    assert unit.total == 100  # what counts is 填报, which is empty
    warnings = sorted((w.code, w.cell, w.value) for w in unit.warnings if w.family != "evidence")
    assert warnings == sorted([("formula-overwritten", f"{PTS}5", "-4"),
                               ("formula-overwritten", f"{SCORE}{subtotal}", "10"),
                               ("formula-overwritten", f"{SCORE}{layout.total_row}", "96")])


def test_untouched_formulas_give_no_warning(filled, rules):
    read = read_workbook(filled({"1": "是", "3": 2}), rules)
    assert read.ok and read.findings.warnings == []


@pytest.mark.parametrize("prefixed", [False, True])
def test_formula_and_error_in_input_are_found_however_the_tags_are_written(filled, rules, tmp_path, prefixed):
    # Both read as blanks through the parser; a writer may put a tab or a newline before r=,
    # or a namespace prefix on every tag.
    from support.mutations import _prefixed, rewrite_zip

    def edit(name: str, body: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return body
        body = re.sub(rb'<c r="H11"[^>]*?(/>|>.*?</c>)', b'<c\tr="H11" s="9"><f>1+2</f><v>3</v></c>', body, count=1)
        body = re.sub(rb'<c r="H12"[^>]*?(/>|>.*?</c>)', b'<c\nr="H12" t="e"><v>#DIV/0!</v></c>', body, count=1)
        return _prefixed(body) if prefixed else body

    path = tmp_path / "改写.xlsx"
    path.write_bytes(rewrite_zip(filled({"5": 1}).read_bytes(), edit))
    read = read_workbook(path, rules)
    assert {(p.code, p.cell) for p in read.problems} >= {("formula-cell", "H11"), ("value-error", "H12")}


# --- 不适用 typed in a returned workbook (rule set C: tests/fixtures/demo-2024-c.yaml) -----------


def _scored(demo, blank, folder, entries):
    path = fill_workbook(blank, folder / "示范局.xlsx", entries)
    return score_paths([path], demo)


def _cell(demo, clause_id):
    return f"H{sheet_layout(demo).clause_rows[clause_id]}"


def test_not_applicable_typed_in_a_workbook_rescales_its_category(demo_c, demo_c_blank, tmp_path):
    report = _scored(demo_c, demo_c_blank, tmp_path, {"C3": " 不适用 ", "C1": 1, "C4b": "不适用"})
    assert not report.errors
    (unit,) = report.units
    assert unit.not_applicable == ["C3", "C4a", "C4b"] and unit.clause("C3").input == "不适用"
    assert unit.categories["信息发布"] == D("18.67") and unit.categories["互动交流"] == 30
    assert report.to_dict()["units"][0]["not_applicable"] == ["C3", "C4a", "C4b"]


def test_not_applicable_on_an_indicator_that_must_apply_is_an_error_at_its_cell(demo_c, demo_c_blank, tmp_path):
    report = _scored(demo_c, demo_c_blank, tmp_path, {"C7": "不适用"})
    assert [(e.code, e.cell, e.value) for e in report.errors] == [("value-not-applicable", _cell(demo_c, "C7"),
                                                                   "不适用")]
    assert not report.units


def test_another_value_beside_not_applicable_in_one_indicator_is_an_error(demo_c, demo_c_blank, tmp_path):
    report = _scored(demo_c, demo_c_blank, tmp_path, {"C4a": "不适用", "C4b": "否"})
    assert [(e.code, e.cell, e.value) for e in report.errors] == [("value-not-applicable", _cell(demo_c, "C4b"),
                                                                   "否")]
    assert _cell(demo_c, "C4a") in report.errors[0].message


def test_a_sheet_with_only_not_applicable_is_not_called_empty(demo_c, demo_c_blank, tmp_path):
    report = _scored(demo_c, demo_c_blank, tmp_path, {"C5": "不适用"})
    assert "sheet-empty" not in {w.code for u in report.units for w in u.warnings}
    assert report.units[0].total == 100


def test_a_character_no_workbook_can_hold_is_dropped_and_said_at_its_cell(filled, rules, tmp_path):
    import zipfile

    path = filled({"5": 1}, notes={"5": "栏目MARK未更新"})
    damaged = tmp_path / "另存" / "县财政局.xlsx"
    damaged.parent.mkdir()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():  # the OOXML escape of U+0001, as another program may write it
            out.writestr(info.filename, source.read(info).replace(b"MARK", b"_x0001_"))
    read = read_workbook(damaged, rules)
    assert read.ok
    (cleaned,) = [w for w in read.findings.warnings if w.code == "text-cleaned"]
    assert (cleaned.sheet, cleaned.cell, cleaned.value) == ("评分表", "I11", "栏目未更新")
    assert "U+0001" in cleaned.message
    assert read.findings.entries["5"].note == "栏目未更新"
