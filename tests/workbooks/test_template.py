"""The findings workbook (zwgk_cli/workbooks/template.py; docs/workbook.md), checked in what openpyxl
reads back, and in what LibreOffice keeps and prints."""

import dataclasses
from pathlib import Path

import openpyxl
import pytest
import yaml
from support.paths import DEMO_B, ROOT

from zwgk_cli import constants as C
from zwgk_cli.problems import OutputError
from zwgk_cli.rules.loading import load_rules
from zwgk_cli.workbooks.formulas import BARE, LETTER, PTS, QTY, SCORE, TEXT, sheet_layout
from zwgk_cli.workbooks.template import MASTER_FILE, UNIT_CELL, write_templates


def test_header_and_rows_in_table_order(blank, rules):
    ws = openpyxl.load_workbook(blank)[C.SCORE_SHEET]
    layout = sheet_layout(rules)
    header = [c.value for c in ws[layout.header_row]]
    assert header[:len(C.HEADERS)] == list(C.HEADERS) and not any(header[len(C.HEADERS):])
    ids = [ws.cell(row=r, column=1).value for r in layout.clause_rows.values()]
    assert ids == [c.id for c in rules.clauses]
    assert ws[f"D{layout.total_row}"].value == C.TOTAL_LABEL
    assert ws["A2"].value == C.UNIT_LABEL and ws[UNIT_CELL].value == "县财政局"


def test_formulas_on_every_clause_subtotal_and_total(blank, rules):
    ws = openpyxl.load_workbook(blank)[C.SCORE_SHEET]
    layout = sheet_layout(rules)
    for row in layout.clause_rows.values():
        assert str(ws[f"{PTS}{row}"].value).startswith("=")
    for _, row, _, _ in layout.subtotal_rows:
        assert str(ws[f"{SCORE}{row}"].value).startswith("=")
    assert "MAX(0," in ws[f"{SCORE}{layout.total_row}"].value


def test_helper_columns_of_the_live_formulas_are_hidden_and_locked(blank, rules):
    ws = openpyxl.load_workbook(blank)[C.SCORE_SHEET]
    row = sheet_layout(rules).clause_rows["5"]
    helpers = (TEXT, BARE, QTY)
    assert all(ws.column_dimensions[col].hidden for col in helpers)
    assert all(str(ws[f"{col}{row}"].value).startswith("=") and ws[f"{col}{row}"].protection.locked
               for col in helpers)


def test_validation_rejects_bad_input(blank, rules):
    ws = openpyxl.load_workbook(blank)[C.SCORE_SHEET]
    layout = sheet_layout(rules)
    by_cell = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.showErrorMessage and dv.errorStyle == "stop"
        for rng in dv.sqref.ranges:
            by_cell[rng.coord] = dv
    flag = by_cell[f"H{layout.clause_rows['1']}"]
    assert flag.type == "list" and flag.formula1 == '"是,否"'
    count = by_cell[f"H{layout.clause_rows['3']}"]
    assert (count.type, count.formula1, count.formula2) == ("whole", "0", "3")
    assert by_cell[f"H{layout.clause_rows['5']}"].formula2 == "9999"
    assert by_cell[f"H{layout.clause_rows['K6']}"].type == "decimal"
    assert len(by_cell) == len(rules.clauses)


def test_protection_leaves_only_inputs_editable(blank, rules):
    wb = openpyxl.load_workbook(blank)
    ws = wb[C.SCORE_SHEET]
    assert ws.protection.sheet and not ws.protection.password
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}
    layout = sheet_layout(rules)
    name_cells = {"C2", "D2", "E2", "F2"}  # the merged unit name cell
    expected = name_cells | {f"{col}{r}" for r in layout.clause_rows.values() for col in "HI"}
    evidence = {f"{LETTER[C.COL_EVIDENCE]}{layout.clause_rows[c.id]}" for c in rules.clauses if c.evidence != "none"}
    assert unlocked == expected | evidence  # 印证材料 open where the clause asks for it


def test_print_setup_and_layout(blank):
    wb = openpyxl.load_workbook(blank)
    ws = wb[C.SCORE_SHEET]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$4:$4"
    assert ws.freeze_panes == "E5"
    assert ws.column_dimensions["F"].width >= 40
    assert wb[C.META_SHEET].sheet_state == "hidden"
    assert C.GUIDE_SHEET in wb.sheetnames


def test_meta_records_rule_set_and_unit(blank, rules):
    meta = {r[0]: r[1] for r in openpyxl.load_workbook(blank)[C.META_SHEET].iter_rows(values_only=True)}
    assert meta["rules_id"] == rules.id and meta["rules_version"] == rules.version
    assert meta["rules_sha256"] == rules.sha256 and meta["unit"] == "县财政局"
    assert meta["generated_at"] and meta["template_format"] == C.TEMPLATE_FORMAT


def test_guide_lists_the_errata(blank, rules):
    ws = openpyxl.load_workbook(blank)[C.GUIDE_SHEET]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for erratum in rules.errata:
        assert erratum.id in text and erratum.decision in text


def test_never_overwrites_without_force(tmp_path, rules):
    first = write_templates(rules, ["县财政局"], tmp_path)[0]
    stamp = first.read_bytes()
    with pytest.raises(OutputError) as refused:
        write_templates(rules, ["县教育局", "县财政局"], tmp_path)
    assert refused.value.code == "output-exists" and str(first) in str(refused.value)
    assert first.read_bytes() == stamp
    assert not (tmp_path / "县教育局.xlsx").exists()  # nothing written at all
    write_templates(rules, ["县财政局"], tmp_path, force=True)


def test_unit_names_stay_text_and_file_names_are_safe(tmp_path, rules):
    path = write_templates(rules, ['=HYPERLINK("http://x")', "县/财政局"], tmp_path)
    assert [p.name for p in path] == ['=HYPERLINK(_http___x_).xlsx', "县_财政局.xlsx"]
    ws = openpyxl.load_workbook(path[0])[C.SCORE_SHEET]
    assert ws[UNIT_CELL].data_type == "s"


def _contents(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    cells = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None and not (ws.title == C.META_SHEET and c.row == 6):
                    cells[(ws.title, c.coordinate)] = c.value
    return cells


def test_master_template_is_in_step_with_the_generator(tmp_path, rules):
    fresh = write_templates(rules, [], tmp_path)[0]
    assert fresh.name == MASTER_FILE
    assert _contents(ROOT / "templates" / MASTER_FILE) == _contents(fresh), (
        "templates/scoring_template.xlsx is stale: run python samples/make_samples.py")


def test_guide_names_the_clauses_of_its_own_rule_set_that_need_a_note():
    from zwgk_cli.workbooks.guide import guide_lines

    def note_line(spec):
        return next(text for _, item, text in guide_lines(load_rules(spec)) if item == C.COL_NOTE)

    assert "J4、K8 酌情加减分必须填写说明" in note_line("jiangxian-2022-a")
    demo = note_line(DEMO_B)
    assert "B6 酌情加减分必须填写说明" in demo and "J4" not in demo


def test_text_from_a_rule_file_is_text_in_every_workbook_and_quoted_in_formulas(cli, tmp_path):
    data = yaml.safe_load(DEMO_B.read_text(encoding="utf-8"))
    data["title"] = '=HYPERLINK("http://x","点")'
    data["categories"][0]["name"] = "+1+1"
    data["policy"]["grades"][0]["name"] = '优"秀'
    rules = tmp_path / "注入.yaml"
    rules.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "下发"
    assert cli("template", "-o", out, "--rules", rules).exit_code == 0
    assert cli("rules", "export", rules, "-o", tmp_path / "表.xlsx").exit_code == 0
    for path in (out / "scoring_template.xlsx", tmp_path / "表.xlsx"):
        book = openpyxl.load_workbook(path)
        formulas = [c.value for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]
        assert not [f for f in formulas if "HYPERLINK" in f or f.startswith("=+1")], path.name
    grade = [c.value for row in openpyxl.load_workbook(out / "scoring_template.xlsx")["评分表"].iter_rows()
             for c in row if c.data_type == "f" and "秀" in str(c.value)]
    assert grade and all('"优""秀"' in f for f in grade)


def _cell(demo, clause_id):
    return f"H{sheet_layout(demo).clause_rows[clause_id]}"


def test_template_offers_not_applicable_only_in_cells_of_na_indicators(demo_c, demo_c_blank):
    ws = openpyxl.load_workbook(demo_c_blank)["评分表"]
    checks = {str(cell): dv for dv in ws.data_validations.dataValidation for cell in dv.sqref.ranges}
    assert checks[_cell(demo_c, "C5")].formula1 == '"是,否,不适用"'  # a 是否 clause: in its dropdown
    assert checks[_cell(demo_c, "C3")].type == "custom" and "不适用" in checks[_cell(demo_c, "C3")].formula1
    optional = {_cell(demo_c, c.id) for c in demo_c.clauses if demo_c.indicator_of(c.id).allows_not_applicable}
    offering = {cell for cell, dv in checks.items() if "不适用" in (dv.formula1 or "")}
    assert offering == optional


# --- LibreOffice ------------------------------------------------------------------------------


def test_validation_protection_and_print_setup_survive_a_libreoffice_save(blank, soffice, rules, tmp_path):
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
    evidence = {f"{LETTER[C.COL_EVIDENCE]}{layout.clause_rows[c.id]}" for c in rules.clauses if c.evidence != "none"}
    assert inputs | evidence <= unlocked and unlocked - inputs - evidence <= {"C2", "D2", "E2", "F2"}
    assert len(evidence) == 17  # the 13 clauses whose 考核方式 asks for 印证材料, and the 4 other bonuses
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


def test_units_of_two_rule_sets_without_a_digest_each_get_their_own_workbook(tmp_path, rules, demo_b):
    a, b = dataclasses.replace(rules, sha256=""), dataclasses.replace(demo_b, sha256="")  # as built by hand
    paths = write_templates(a, ["县财政局", "城关镇"], tmp_path, rules_by_unit={"城关镇": b})
    made = {}
    for path in paths:
        meta = {r[0]: r[1] for r in openpyxl.load_workbook(path)[C.META_SHEET].iter_rows(values_only=True)}
        made[meta["unit"]] = meta["rules_id"]
    assert made == {"县财政局": rules.id, "城关镇": demo_b.id}
