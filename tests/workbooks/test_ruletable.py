"""Rule sets through spreadsheets (zwgk_cli/workbooks/ruletable.py): export, edit in a spreadsheet
program, import, use. Reading the table: tests/reading/test_ruletable.py; the import's pure steps:
tests/rules/test_importing.py."""

import openpyxl
from support.paths import DEMO_B, DEMO_C, ROSTER

from zwgk_cli.rules.loading import load_rules
from zwgk_cli.workbooks.fill import fill_workbook
from zwgk_cli.workbooks.ruletable import export_rules


def _clauses(rules):
    def row(c, indicator):
        return (c.id, c.kind, c.per, c.cap, c.max_count, c.bonus, c.needs_note, c.text, c.counts, c.evidence,
                rules.part_of(c.id).name, indicator.group, indicator.name, indicator.points, indicator.method,
                c is indicator.clauses[0])
    return [row(c, rules.indicator_of(c.id)) for c in rules.clauses]


def _round_trip(cli, spec, tmp_path):
    table, back = tmp_path / "table.xlsx", tmp_path / "rules.yaml"
    assert cli("rules", "export", spec, "-o", table).exit_code == 0
    assert cli("rules", "import", table, "-o", back).exit_code == 0
    return table, back


def test_export_then_import_gives_the_same_rule_set(cli, tmp_path, rules):
    _, back = _round_trip(cli, "jiangxian-2022-a", tmp_path)
    again = load_rules(back)
    assert _clauses(again) == _clauses(rules)
    assert [(c.name, c.weight) for c in again.categories] == [(c.name, c.weight) for c in rules.categories]
    assert again.errata == rules.errata and (again.id, again.version, again.klass) == (rules.id, 1, "A")


def test_policies_survive_the_round_trip(cli, tmp_path):
    demo = load_rules(DEMO_B)
    _, back = _round_trip(cli, DEMO_B, tmp_path)
    again = load_rules(back)
    assert (again.category_cap, again.indicator_cap, again.bonus_cap, again.floor, again.grades,
            again.evidence_policy) == (demo.category_cap, demo.indicator_cap, demo.bonus_cap, demo.floor, demo.grades,
                                       demo.evidence_policy)
    assert _clauses(again) == _clauses(demo)


def test_change_a_weight_and_a_rule_in_the_spreadsheet_then_use_it(cli, tmp_path, filled):
    table, _ = _round_trip(cli, "jiangxian-2022-a", tmp_path)
    wb = openpyxl.load_workbook(table)
    ws = wb["评分表"]
    for row in ws.iter_rows(min_row=2):
        if row[7].value == "5":          # 部门信息公开: now 3 points a finding
            row[9].value = "3"
        if row[0].value and str(row[0].value).startswith("主动公开"):
            row[0].value = "主动公开（40分）"
        if row[0].value and str(row[0].value).startswith("日常监管"):
            row[0].value = "日常监管（20分）"
    info = wb["细则信息"]
    for row in info.iter_rows(min_row=2):
        if row[0].value == "id":
            row[1].value = "jiangxian-2023-a"
    wb.save(table)
    edited = tmp_path / "edited.yaml"
    roster = ROSTER
    # The weights changed, the 赋分 below them did not: the import says so, and nothing uses the file.
    imported = cli("rules", "import", table, "-o", edited)
    assert imported.exit_code == 1 and "rules-points-sum" not in imported.output and "主动公开" in imported.output
    check = cli.json("rules", "check", edited)
    assert check.exit_code == 1
    assert {f["code"] for f in check.data["findings"] if f["level"] == "error"} == {"rules-points-sum"}
    assert {f["sheet"] for f in check.data["findings"] if f["level"] == "error"} == {"主动公开", "日常监管"}
    refused = cli.json("template", "--rules", edited, "-o", tmp_path / "no", "--roster", roster)
    assert refused.exit_code == 2 and refused.data["error"]["code"] == "rules-invalid"
    assert not (tmp_path / "no").exists()
    # The office moves 2 points of 赋分 (and of clause 5's cap) with each weight: the table adds up again.
    for row in ws.iter_rows(min_row=2):
        if row[7].value == "5":
            row[3].value = row[10].value = "10"
        if row[7].value == "20":
            row[3].value = "4"
    wb.save(table)
    assert cli("rules", "import", table, "-o", edited, "--force").exit_code == 0
    out = tmp_path / "out"
    assert cli("template", "--rules", edited, "-o", out, "--roster", roster).exit_code == 0
    back = tmp_path / "back"
    fill_workbook(out / "县财政局.xlsx", back / "县财政局.xlsx", {"5": 2})
    result = cli.json("rank", back, "--rules", edited, "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 0, result.output
    unit = result.data["units"][0]
    assert unit["rules"] == "jiangxian-2023-a" and unit["total"] == 94 and unit["categories"]["主动公开"] == 34


def test_a_rule_table_cell_that_is_no_number_is_said_and_the_import_exits_1(cli, tmp_path, rules):
    table = export_rules(rules, tmp_path / "表.xlsx")
    book = openpyxl.load_workbook(table)
    for row in book["评分表"].iter_rows(min_row=2):
        if row[7].value == "3":
            row[11].value = "3次"  # 最多次数
    book.save(table)
    result = cli("rules", "import", table, "-o", tmp_path / "细则.yaml")
    assert result.exit_code == 1 and "3次" in result.output and "内部错误" not in result.output


def test_a_maximum_count_that_is_no_whole_number_is_said_not_dropped(cli, tmp_path, rules):
    table = export_rules(rules, tmp_path / "表.xlsx")
    book = openpyxl.load_workbook(table)
    for row in book["评分表"].iter_rows(min_row=2):
        if row[7].value == "3":
            row[11].value = 2.5  # 最多次数
    book.save(table)
    result = cli("rules", "import", table, "-o", tmp_path / "细则.yaml")
    assert result.exit_code == 1 and "2.5" in result.output and "最多次数" in result.output


def test_an_item_of_the_information_sheet_that_is_not_known_is_said_not_dropped(cli, tmp_path, rules):
    """A damaged or misspelt 细则信息 item (grades typed as grade) would lose its setting silently."""
    table = export_rules(rules, tmp_path / "表.xlsx")
    book = openpyxl.load_workbook(table)
    for row in book["细则信息"].iter_rows(min_row=2):
        if row[0].value == "grades":
            row[0].value = "grade"
    book.save(table)
    result = cli("rules", "import", table, "-o", tmp_path / "细则.yaml")
    assert result.exit_code == 1 and "「grade」" in result.output and "细则信息" in result.output


def test_export_then_import_keeps_na_veto_and_the_policies(cli, tmp_path):
    table, back = _round_trip(cli, DEMO_C, tmp_path)
    demo, again = load_rules(DEMO_C), load_rules(back)
    assert [(i.name, i.allows_not_applicable) for i in again.indicators] == [
        (i.name, i.allows_not_applicable) for i in demo.indicators]
    assert [(c.id, c.veto) for c in again.clauses] == [(c.id, c.veto) for c in demo.clauses]
    assert (again.not_applicable, again.veto_total, again.bonus_min_total) == ("rescale-category", 59, 80)


def test_evidence_set_in_the_spreadsheet_is_what_the_imported_set_asks(cli, tmp_path):
    table, _ = _round_trip(cli, "jiangxian-2022-a", tmp_path)
    wb = openpyxl.load_workbook(table)
    ws = wb["评分表"]
    header = [c.value for c in ws[1]]
    id_col, evidence_col = header.index("编号"), header.index("印证材料")
    for row in ws.iter_rows(min_row=2):
        if row[id_col].value in ("1", "5"):  # 1 asked for minutes, 5 asked for nothing
            row[evidence_col].value = {"1": "可选", "5": "必须"}[row[id_col].value]
    for row in wb["细则信息"].iter_rows(min_row=2):
        if row[0].value == "evidence_policy":
            row[1].value = "strict"
    wb.save(table)
    back = tmp_path / "edited.yaml"
    assert cli("rules", "import", table, "-o", back).exit_code == 0
    edited = load_rules(back)
    assert (edited.clause("1").evidence, edited.clause("5").evidence, edited.evidence_policy) == (
        "optional", "required", "strict")
