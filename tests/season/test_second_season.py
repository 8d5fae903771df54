"""A second season, tried as a clerk would: each test is a situation that once ended wrong (a unit
ranked in the wrong class, the tool's own files read as returns, stale feedback, a formula
never calculated, 类别 as typed, …) and what the clerk should see instead."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from support import visible
from support.paths import DEMO_B, FIXTURES, RETURNED, SAMPLES
from typer.testing import CliRunner

from zwgk_cli.cli.commands import app
from zwgk_cli.problems import RuleSetError
from zwgk_cli.reading.roster import load_roster
from zwgk_cli.rules.loading import load_rules, parse_rules
from zwgk_cli.workbooks.fill import fill_workbook

TWO_CLASSES = ["--rules", "jiangxian-2022-a", "--rules", str(DEMO_B)]


def _run(*args) -> tuple[int, dict]:
    result = CliRunner().invoke(app, [str(a) for a in args] + ["--json"])
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def county(tmp_path):
    """Three departments (class A) and two towns (class B), each unit's workbook from its class."""
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称,类别\n县财政局,A\n县教育局,A\n县民政局,A\n城关镇,B\n横水镇,B\n", encoding="utf-8-sig")
    out = tmp_path / "下发"
    assert CliRunner().invoke(app, ["template", "--roster", str(roster), "-o", str(out), *TWO_CLASSES]).exit_code == 0
    back = tmp_path / "收回"
    fills = {"县财政局": {"5": 1}, "县教育局": {"5": 2}, "县民政局": {"5": 3}, "城关镇": {"B2": 1}}
    for unit, entries in fills.items():
        fill_workbook(out / f"{unit}.xlsx", back / f"{unit}.xlsx", entries)
    return tmp_path, roster, out, back


# --- 1. a workbook of the wrong class ---------------------------------------------------------------

def test_a_town_that_filled_the_departments_master_is_not_ranked_in_their_class(county):
    here, roster, out, back = county
    master = here / "模板"
    assert CliRunner().invoke(app, ["template", "-o", str(master)]).exit_code == 0  # the class-A blank master
    fill_workbook(master / "scoring_template.xlsx", back / "横水镇.xlsx", {}, unit="横水镇")
    code, data = _run("rank", back, "--roster", roster, "-o", here / "汇总.xlsx", *TWO_CLASSES)
    assert code == 1
    ranks = {u["unit"]: (u["rules"], u["rank"]) for u in data["units"]}
    assert ranks == {"县财政局": ("jiangxian-2022-a", 1), "县教育局": ("jiangxian-2022-a", 2),
                     "县民政局": ("jiangxian-2022-a", 3), "城关镇": ("demo-2023-b", 1)}
    (error,) = [e for e in data["errors"] if e["code"] == "unit-class"]
    assert Path(error["file"]).name == "横水镇.xlsx" and "jiangxian-2022-a" in error["message"]
    assert "B" in error["message"] and "demo-2023-b" in error["message"]
    assert "横水镇" not in data["missing"]  # it answered: it waits for the right workbook


@pytest.mark.parametrize("typed", ["Ｂ类", "b", "B 类", " b类 "])
def test_a_class_typed_as_offices_type_it_picks_its_rule_set(county, typed):
    here, roster, out, back = county
    roster.write_text(f"单位名称,类别\n县财政局,A\n县教育局,a类\n县民政局,Ａ\n城关镇,{typed}\n横水镇,B\n",
                      encoding="utf-8-sig")
    code, data = _run("rank", back, "--roster", roster, "-o", here / "汇总.xlsx", *TWO_CLASSES)
    assert code == 0
    assert {u["unit"]: u["rules"] for u in data["units"]}["城关镇"] == "demo-2023-b"


def test_a_blank_class_among_filled_ones_stops_template_and_rank_up_front(county):
    here, roster, out, back = county
    roster.write_text("单位名称,类别\n县财政局,A\n县教育局,\n城关镇,B\n", encoding="utf-8-sig")
    for args in (["template", "--roster", roster, "-o", here / "新下发", *TWO_CLASSES],
                 ["rank", back, "--roster", roster, "-o", here / "汇总.xlsx", *TWO_CLASSES]):
        code, data = _run(*args)
        assert code == 2 and data["error"]["code"] == "roster-class" and "县教育局" in data["error"]["message"]
    assert not (here / "新下发").exists() and not (here / "汇总.xlsx").exists()


def test_rank_refuses_a_class_no_rule_set_has_before_reading_anything(county):
    here, roster, out, back = county
    roster.write_text("单位名称,类别\n县财政局,A\n城关镇,C\n", encoding="utf-8-sig")
    code, data = _run("rank", back, "--roster", roster, "-o", here / "汇总.xlsx", *TWO_CLASSES)
    assert code == 2 and "城关镇" in data["error"]["message"] and "C" in data["error"]["message"]


# --- 2. the tool's own files among the returns --------------------------------------------------------

def test_a_summary_written_into_the_returns_folder_is_skipped_the_next_night(county):
    here, roster, out, back = county
    first, data = _run("rank", back, "--roster", roster, "-o", back / "汇总.xlsx", *TWO_CLASSES)
    assert first == 0 and "output-in-input" in {w["code"] for w in data["warnings"]}
    again, data = _run("rank", back, "--roster", roster, "-o", back / "汇总.xlsx", "--force", *TWO_CLASSES)
    assert again == 0 and len(data["units"]) == 4 and not data["errors"]
    (own,) = [i for i in data["inputs"] if Path(i["file"]).name == "汇总.xlsx"]
    assert own["status"] == "已跳过" and "汇总表" in own["reason"]


def test_feedback_sheets_written_into_the_returns_are_not_taken_for_versions_of_their_unit(county):
    here, roster, out, back = county
    fill_workbook(out / "横水镇.xlsx", back / "横水镇.xlsx", {"B2": "若干"})  # rejected: a 退回修改反馈单 too
    code, _ = _run("score", back, "-o", back / "反馈单", *TWO_CLASSES)
    assert code == 1
    code, data = _run("rank", back, "--roster", roster, "-o", here / "汇总.xlsx", *TWO_CLASSES)
    assert code == 1  # 横水镇 is still wrong, nothing else
    assert {u["unit"] for u in data["units"]} == {"县财政局", "县教育局", "县民政局", "城关镇"}
    skipped = [i for i in data["inputs"] if "反馈单" in Path(i["file"]).name]
    assert len(skipped) == 5 and {i["status"] for i in skipped} == {"已跳过"}
    assert {e["code"] for e in data["errors"]} == {"value-quantity"}


def test_a_feedback_sheet_saved_again_without_its_meta_is_still_known_by_its_sheets(county, tmp_path):
    here, roster, out, back = county
    code, _ = _run("score", back, "-o", here / "反馈单", *TWO_CLASSES)
    sheet = here / "反馈单" / "县财政局_扣分情况反馈单.xlsx"
    book = openpyxl.load_workbook(sheet)
    del book["_meta"]
    book.save(back / "县财政局_扣分情况反馈单.xlsx")
    code, data = _run("rank", back, "--roster", roster, "-o", here / "汇总.xlsx", *TWO_CLASSES)
    assert code == 0 and len(data["units"]) == 4


# --- 3. stale feedback ------------------------------------------------------------------------------

def test_a_fixed_unit_gets_its_feedback_and_its_old_return_sheet_is_removed(county):
    here, roster, out, back = county
    sheets = here / "反馈单"
    fill_workbook(out / "横水镇.xlsx", back / "横水镇.xlsx", {"B2": "若干"})
    (sheets / "说明.docx").parent.mkdir(parents=True)
    (sheets / "说明.docx").write_bytes(b"the office's own note")  # never the tool's to remove
    assert _run("score", back, "-o", sheets, *TWO_CLASSES)[0] == 1
    assert "横水镇_退回修改反馈单.xlsx" in visible(sheets)
    edited = sheets / "县财政局_扣分情况反馈单.xlsx"  # a clerk filled in 整改情况 and saved
    book = openpyxl.load_workbook(edited)
    book.active["J5"] = "已整改"
    book.save(edited)
    fill_workbook(out / "横水镇.xlsx", back / "横水镇.xlsx", {"B2": 2}, force=True)  # fixed
    (back / "县财政局.xlsx").unlink()  # and 县财政局's workbook withdrawn
    code, data = _run("score", back, "-o", sheets, "--force", *TWO_CLASSES)
    assert code == 0
    assert "横水镇_退回修改反馈单.xlsx" not in visible(sheets) and "横水镇_扣分情况反馈单.xlsx" in visible(sheets)
    assert [Path(p).name for p in data["removed"]] == ["横水镇_退回修改反馈单.xlsx"]
    assert edited.exists() and (sheets / "说明.docx").read_bytes() == b"the office's own note"
    kept = [w for w in data["warnings"] if w["code"] == "output-stale-kept"]
    assert [Path(w["file"]).name for w in kept] == ["县财政局_扣分情况反馈单.xlsx"]


# --- 4. a formula never calculated ------------------------------------------------------------------

def test_a_formula_without_a_stored_result_refuses_the_file_instead_of_reading_blank(county):
    here, roster, out, back = county
    book = openpyxl.load_workbook(out / "横水镇.xlsx")  # a program that writes formulas, never opened in Excel
    book["评分表"]["H5"] = "=1+1"
    book.save(back / "横水镇.xlsx")
    code, data = _run("rank", back, "--roster", roster, "-o", here / "汇总.xlsx", *TWO_CLASSES)
    assert code == 1 and "横水镇" not in {u["unit"] for u in data["units"]}
    assert [(e["code"], e["cell"]) for e in data["errors"]] == [("formula-uncalculated", "H5")]


# --- 6. smaller -------------------------------------------------------------------------------------

def test_a_roster_whose_first_sheet_is_a_cover_page_is_read_from_the_sheet_with_the_names(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "封面"
    book.active["A1"] = "2023年度政务公开考核单位名单"
    names = book.create_sheet("名单")
    names.append(["序号", "单位名称"])
    names.append([1, "县财政局"])
    book.save(tmp_path / "名单.xlsx")
    assert load_roster(tmp_path / "名单.xlsx").names == ["县财政局"]
    del book["名单"]
    book.create_sheet("附表").append(["单位"])
    book.save(tmp_path / "无名单.xlsx")
    result = CliRunner().invoke(app, ["template", "--roster", str(tmp_path / "无名单.xlsx"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "封面、附表" in result.output


def test_tied_ranks_in_the_summary_are_numbers_that_show_the_tie(tmp_path):
    samples = SAMPLES
    out = tmp_path / "汇总.xlsx"
    assert CliRunner().invoke(app, ["rank", str(samples / "returned"), "-o", str(out)]).exit_code == 0
    ranks = [row[0] for row in openpyxl.load_workbook(out)["排名"].iter_rows(min_row=4)]
    assert all(isinstance(c.value, int) for c in ranks)
    tied = [c.value for c in ranks if c.number_format == '0"（并列）"']
    assert tied == [7, 7]  # the samples' one tie: shown as 7（并列）, sorted and filtered as 7


def test_an_identical_copy_is_said_as_such_on_the_last_line(tmp_path):
    samples = RETURNED
    for name in ("县财政局.xlsx", "县民政局.xlsx"):
        (tmp_path / name).write_bytes((samples / name).read_bytes())
    (tmp_path / "县财政局(1).xlsx").write_bytes((samples / "县财政局.xlsx").read_bytes())
    result = CliRunner().invoke(app, ["score", str(tmp_path)])
    assert result.exit_code == 0
    assert "1 个文件与另一文件完全相同，只计一次" in result.output and "未计分" not in result.output


def _saved_at(path: Path, stamp: bytes, part: str, pattern: bytes) -> None:
    """Rewrite the save time a workbook records (as a program saving it at another time would)."""
    import re

    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            target.writestr(info, re.sub(pattern, stamp, data) if info.filename == part else data)


def test_newest_orders_an_excel_save_against_a_libreoffice_ods_in_the_office_time_zone(filled, tmp_path, soffice):
    excel = filled({"5": 1}, name="县财政局.xlsx", folder=tmp_path / "收回")  # saved 09:00 UTC = 17:00 in the office
    _saved_at(excel, b"<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2026-11-30T09:00:00Z</dcterms:modified>",
              "docProps/core.xml", rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>")
    (ods,) = soffice([filled({"5": 2}, name="县财政局(改).xlsx", folder=tmp_path / "转")], "ods", tmp_path / "收回")
    _saved_at(ods, b"<dc:date>2026-11-30T16:00:00.000000000</dc:date>", "meta.xml", rb"<dc:date>[^<]*</dc:date>")
    code, data = _run("score", tmp_path / "收回", "--newest")  # the .ods at 16:00 office time is the older one
    assert code == 0 and [(Path(u["file"]).suffix, u["total"]) for u in data["units"]] == [(".xlsx", 98)]
    assert [Path(p).name for p in data["newest"][0]["superseded"]] == [ods.name]


# --- 7. rule files and other inputs -----------------------------------------------------------------

def test_a_yaml_alias_bomb_is_refused_at_once():
    levels = [b'a0: &a0 ["x","x","x","x","x","x","x","x","x"]'] + [
        b"a%d: &a%d [" % (n, n) + b",".join([b"*a%d" % (n - 1)] * 9) + b"]" for n in range(1, 9)]
    started = time.monotonic()
    with pytest.raises(RuleSetError) as refused:
        parse_rules(b"\n".join(levels) + b"\ncategories: *a8\n")
    assert time.monotonic() - started < 2 and "别名" in str(refused.value)


def test_a_key_given_twice_in_a_rule_file_is_refused_with_its_line():
    raw = (FIXTURES / "demo-2023-b.yaml").read_bytes().replace(b"version: 2\n", b"version: 2\nversion: 3\n", 1)
    with pytest.raises(RuleSetError) as refused:
        parse_rules(raw)
    assert "「version」在同一处出现了两次" in str(refused.value)


@pytest.mark.parametrize(("old", "new", "words"), [
    (b"per: 2,", b"per: 1e15,", "过大"),
    (b"title: 2023", b'title: "\\x01" #', "U+0001"),
])
def test_rule_file_values_no_workbook_or_exact_arithmetic_can_hold_are_refused(old, new, words):
    raw = (FIXTURES / "demo-2023-b.yaml").read_bytes().replace(old, new, 1)
    with pytest.raises(RuleSetError) as refused:
        parse_rules(raw)
    assert words in str(refused.value)


def test_text_from_a_rule_file_is_text_in_every_workbook_and_quoted_in_formulas(tmp_path):
    import yaml

    data = yaml.safe_load((FIXTURES / "demo-2023-b.yaml").read_text(encoding="utf-8"))
    data["title"] = '=HYPERLINK("http://x","点")'
    data["categories"][0]["name"] = "+1+1"
    data["policy"]["grades"][0]["name"] = '优"秀'
    rules = tmp_path / "注入.yaml"
    rules.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "下发"
    assert CliRunner().invoke(app, ["template", "-o", str(out), "--rules", str(rules)]).exit_code == 0
    assert CliRunner().invoke(app, ["rules", "export", str(rules), "-o", str(tmp_path / "表.xlsx")]).exit_code == 0
    for path in (out / "scoring_template.xlsx", tmp_path / "表.xlsx"):
        book = openpyxl.load_workbook(path)
        formulas = [c.value for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]
        assert not [f for f in formulas if "HYPERLINK" in f or f.startswith("=+1")], path.name
    grade = [c.value for row in openpyxl.load_workbook(out / "scoring_template.xlsx")["评分表"].iter_rows()
             for c in row if c.data_type == "f" and "秀" in str(c.value)]
    assert grade and all('"优""秀"' in f for f in grade)


def test_a_class_name_a_sheet_cannot_hold_still_gives_a_summary(county):
    import yaml

    here, roster, out, back = county
    data = yaml.safe_load(DEMO_B.read_text(encoding="utf-8"))
    data["class"] = "B/乡镇:[镇]"
    odd = here / "odd.yaml"
    odd.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    roster.write_text("单位名称,类别\n县财政局,A\n城关镇,B/乡镇:[镇]\n", encoding="utf-8-sig")
    assert CliRunner().invoke(app, ["template", "--roster", str(roster), "-o", str(here / "新"), "--rules",
                                    "jiangxian-2022-a", "--rules", str(odd)]).exit_code == 0
    fill_workbook(here / "新" / "城关镇.xlsx", here / "新收回" / "城关镇.xlsx", {"B2": 1})
    fill_workbook(here / "新" / "县财政局.xlsx", here / "新收回" / "县财政局.xlsx", {"5": 1})
    code, data = _run("rank", here / "新收回", "--roster", roster, "-o", here / "汇总.xlsx", "--rules",
                      "jiangxian-2022-a", "--rules", odd)
    assert code == 0 and len(data["units"]) == 2
    assert "排名（B_乡镇__镇_类）" in openpyxl.load_workbook(here / "汇总.xlsx").sheetnames


def test_a_rule_set_with_an_error_is_refused_by_the_commands_that_use_it(tmp_path):
    import yaml

    data = yaml.safe_load((FIXTURES / "demo-2023-b.yaml").read_text(encoding="utf-8"))
    data["categories"][0]["weight"] += 5  # the weights no longer add up to 满分
    broken = tmp_path / "错.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_rules(broken).id == "demo-2023-b"  # loads (for rules check)
    code, data = _run("template", "-o", tmp_path / "o", "--rules", broken)
    assert code == 2 and data["error"]["code"] == "rules-invalid" and not (tmp_path / "o").exists()
    assert "rules-weight-sum" in {p["code"] for p in data["error"]["problems"]}
    exported = CliRunner().invoke(app, ["rules", "export", str(broken), "-o", str(tmp_path / "t.xlsx")])
    assert exported.exit_code == 2 and "权重合计" in exported.output
    assert CliRunner().invoke(app, ["rules", "check", str(broken)]).exit_code == 1


def test_a_rule_table_cell_that_is_no_number_is_said_and_the_import_exits_1(tmp_path, rules):
    from zwgk_cli.workbooks.ruletable import export_rules

    table = export_rules(rules, tmp_path / "表.xlsx")
    book = openpyxl.load_workbook(table)
    for row in book["评分表"].iter_rows(min_row=2):
        if row[7].value == "3":
            row[11].value = "3次"  # 最多次数
    book.save(table)
    result = CliRunner().invoke(app, ["rules", "import", str(table), "-o", str(tmp_path / "细则.yaml")])
    assert result.exit_code == 1 and "3次" in result.output and "内部错误" not in result.output


def test_a_roster_line_of_half_a_million_characters_is_dropped_quickly(tmp_path):
    roster = tmp_path / "名单.txt"
    roster.write_text("县财政局\n" + "局" * 500_000 + "\n", encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(app, ["template", "--roster", str(roster), "-o", str(tmp_path / "o"), "--json"])
    assert time.monotonic() - started < 10 and result.exit_code == 0
    assert visible(tmp_path / "o") == ["县财政局.xlsx"]
    assert [w["code"] for w in json.loads(result.stdout)["warnings"]] == ["roster-line-dropped"]


def test_last_seasons_summary_with_a_cell_written_twice_is_refused(tmp_path):
    samples = SAMPLES
    summary = tmp_path / "上年.xlsx"
    assert CliRunner().invoke(app, ["rank", str(samples / "returned"), "-o", str(summary)]).exit_code == 0
    with zipfile.ZipFile(summary) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    import re

    with zipfile.ZipFile(summary, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            if info.filename == "xl/worksheets/sheet1.xml":  # 排名: C4 (the first total) twice
                data = re.sub(rb'(<c r="C4"[^>]*>.*?</c>)', rb'\1<c r="C4" t="n"><v>1</v></c>', data, count=1)
            target.writestr(info, data)
    code, data = _run("rank", samples / "returned", "-o", tmp_path / "今年.xlsx", "--previous", summary)
    assert code == 2 and data["error"]["code"] == "previous-invalid"


def test_a_split_unit_is_listed_as_gone_with_last_seasons_result(tmp_path):
    """县农业农村局 was split into two; both name it as 曾用名: it is gone, listed in previous_only."""
    samples = SAMPLES
    code, first = _run("rank", samples / "returned", "-o", tmp_path / "上年.xlsx")
    (tmp_path / "上年.json").write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "下发"
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称,曾用名\n县财政局,\n县农业局,县农业农村局\n县乡村振兴局,县农业农村局\n",
                      encoding="utf-8-sig")
    assert CliRunner().invoke(app, ["template", "--roster", str(roster), "-o", str(out)]).exit_code == 0
    for unit in ("县财政局", "县农业局", "县乡村振兴局"):
        fill_workbook(out / f"{unit}.xlsx", tmp_path / "收回" / f"{unit}.xlsx", {})
    code, data = _run("rank", tmp_path / "收回", "--roster", roster, "-o", tmp_path / "汇总.xlsx",
                      "--previous", tmp_path / "上年.json")
    gone = {u["unit"] for u in data["previous_only"]}
    assert "县农业农村局" in gone and "县财政局" not in gone
