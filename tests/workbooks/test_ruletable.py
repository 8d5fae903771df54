"""Rule sets through spreadsheets: export, edit in a spreadsheet program, import, use."""

import json
import struct

import openpyxl
import pytest
from support.mutations import CLASS_NAME
from support.paths import FIXTURES, ROSTER
from typer.testing import CliRunner

from zwgk_cli.cli.commands import app
from zwgk_cli.rules.loading import load_rules


def bare(text: str) -> str:
    """Text without punctuation or spaces, to compare wordings."""
    import re

    from zwgk_cli.rules.text import normalise

    return re.sub(r"[\W_]", "", normalise(text))


def stem(text: str) -> str:
    """The condition of a rule, before its amount ("…表扬的" of "…表扬的,每项分别加6分、3分")."""
    import re

    return re.split(r"每项|扣\d|加\d", bare(text))[0]


def _clauses(rules):
    def row(c, indicator):
        return (c.id, c.kind, c.per, c.cap, c.max_count, c.bonus, c.needs_note, c.text, c.counts,
                rules.part_of(c.id).name, indicator.group, indicator.name, indicator.points, indicator.method,
                c is indicator.clauses[0])
    return [row(c, rules.indicator_of(c.id)) for c in rules.clauses]


def _round_trip(spec, tmp_path):
    runner = CliRunner()
    table, back = tmp_path / "table.xlsx", tmp_path / "rules.yaml"
    assert runner.invoke(app, ["rules", "export", spec, "-o", str(table)]).exit_code == 0
    assert runner.invoke(app, ["rules", "import", str(table), "-o", str(back)]).exit_code == 0
    return table, back


def test_export_then_import_gives_the_same_rule_set(tmp_path, rules):
    _, back = _round_trip("jiangxian-2022-a", tmp_path)
    again = load_rules(back)
    assert _clauses(again) == _clauses(rules)
    assert [(c.name, c.weight) for c in again.categories] == [(c.name, c.weight) for c in rules.categories]
    assert again.errata == rules.errata and (again.id, again.version, again.klass) == (rules.id, 1, "A")


def test_policies_survive_the_round_trip(tmp_path):
    demo = load_rules(FIXTURES / "demo-2023-b.yaml")
    _, back = _round_trip(str(FIXTURES / "demo-2023-b.yaml"), tmp_path)
    again = load_rules(back)
    assert (again.category_cap, again.indicator_cap, again.bonus_cap, again.floor, again.grades) == (
        demo.category_cap, demo.indicator_cap, demo.bonus_cap, demo.floor, demo.grades)
    assert _clauses(again) == _clauses(demo)


def test_change_a_weight_and_a_rule_in_the_spreadsheet_then_use_it(tmp_path, filled):
    table, _ = _round_trip("jiangxian-2022-a", tmp_path)
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
    runner = CliRunner()
    roster = str(ROSTER)
    # The weights changed, the 赋分 below them did not: the import says so, and nothing uses the file.
    imported = runner.invoke(app, ["rules", "import", str(table), "-o", str(edited)])
    assert imported.exit_code == 1 and "rules-points-sum" not in imported.output and "主动公开" in imported.output
    check = runner.invoke(app, ["rules", "check", str(edited), "--json"])
    assert check.exit_code == 1
    assert {f["code"] for f in json.loads(check.stdout)["findings"] if f["level"] == "error"} == {"rules-points-sum"}
    refused = runner.invoke(app, ["template", "--rules", str(edited), "-o", str(tmp_path / "no"), "--roster", roster,
                                  "--json"])
    assert refused.exit_code == 2 and json.loads(refused.stdout)["error"]["code"] == "rules-invalid"
    assert not (tmp_path / "no").exists()
    # The office moves 2 points of 赋分 (and of clause 5's cap) with each weight: the table adds up again.
    for row in ws.iter_rows(min_row=2):
        if row[7].value == "5":
            row[3].value = row[10].value = "10"
        if row[7].value == "20":
            row[3].value = "4"
    wb.save(table)
    assert runner.invoke(app, ["rules", "import", str(table), "-o", str(edited), "--force"]).exit_code == 0
    out = tmp_path / "out"
    assert runner.invoke(app, ["template", "--rules", str(edited), "-o", str(out), "--roster", roster]).exit_code == 0
    from zwgk_cli.workbooks.fill import fill_workbook

    back = tmp_path / "back"
    fill_workbook(out / "县财政局.xlsx", back / "县财政局.xlsx", {"5": 2})
    result = runner.invoke(app, ["rank", str(back), "--rules", str(edited), "-o", str(tmp_path / "s.xlsx"), "--json"])
    assert result.exit_code == 0, result.output
    unit = json.loads(result.stdout)["units"][0]
    assert unit["rules"] == "jiangxian-2023-a" and unit["total"] == 94 and unit["categories"]["主动公开"] == 34


def test_import_of_the_seed_table_as_published(tmp_path, rules):
    """Only the official columns, merged cells as in the PDF: the parser derives the clauses."""
    from support.seed_table import write_seed_table

    table = write_seed_table(tmp_path / "seed.xlsx")
    out = tmp_path / "seed.yaml"
    result = CliRunner().invoke(app, ["rules", "import", str(table), "-o", str(out)])
    assert result.exit_code == 1  # J4 and K8 (酌情) are left for a person
    import yaml

    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    imported = [c for cat in data["categories"] for ind in cat["indicators"] for c in ind["clauses"]]
    imported += [{**c, "bonus": sec["bonus"]} for sec in data["sections"] for c in sec["clauses"]]
    for clause in rules.clauses:
        if clause.id in ("J4", "K8"):
            continue
        got = next((c for c in imported if stem(c["text"]) in bare(clause.text)), None)
        assert got is not None, clause.id
        assert (got["kind"], got["per"], got.get("cap"), got.get("bonus", False)) == (
            clause.kind, clause.per, clause.cap, clause.bonus), clause.id
    assert sum(1 for c in imported if c["kind"] is None) == 2


def test_damaged_table_is_refused_without_a_traceback_or_exception_name(tmp_path, rules, soffice):
    from zwgk_cli.problems import ZwgkError
    from zwgk_cli.reading.ruletable import import_rules
    from zwgk_cli.workbooks.ruletable import export_rules

    table = tmp_path / "评分表.xlsx"
    table.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(ZwgkError) as refused:
        import_rules(table)
    assert refused.value.code == "table-invalid" and "评分表.xlsx" in str(refused.value)

    # A real .xls whose directory points at the end of a sector chain: python-calamine panics on it
    # (a BaseException); the panic happens in the parsing worker, whichever way workers start.
    exported = export_rules(rules, tmp_path / "细则.xlsx", force=False)
    (xls,) = soffice([exported], "xls", tmp_path / "xls")
    damaged = tmp_path / "细则-损坏.xls"
    data = xls.read_bytes()
    damaged.write_bytes(data[:76] + struct.pack("<I", 0xFFFFFFFE) + data[80:])
    with pytest.raises(ZwgkError) as refused:
        import_rules(damaged)
    assert "细则-损坏.xls" in str(refused.value)
    assert not CLASS_NAME.search(str(refused.value)) and "unwrap" not in str(refused.value)
