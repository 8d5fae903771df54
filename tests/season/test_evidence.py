"""A season with 印证材料, as a clerk runs it: units send folders and .zip files with PDFs and links,
some files are missing, one .zip is hostile; under a strict rule set exactly the unproven bonuses
are withheld. Each unit's feedback sheet says what was found and what is missing, the summary
lists every file with its sha256, the 通报 names the withheld bonuses, the archive verifies."""

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from docx import Document

from zwgk_cli.rules.loading import load_rules, rule_file_bytes
from zwgk_cli.workbooks.fill import fill_workbook
from zwgk_cli.workbooks.template import write_templates

PROVEN = ["1", "2", "3", "4", "7", "8", "9", "10a", "10b", "11", "16a", "16b"]
UNITS = ["县财政局", "县公安局", "县民政局", "县教育科技局"]


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    """The office's folder: a strict rule set, its workbooks handed out, and what came back."""
    work = tmp_path_factory.mktemp("evidence-season")
    data = yaml.safe_load(rule_file_bytes(load_rules()))
    data["id"], data["policy"]["evidence_policy"] = "jiangxian-2022-a-strict", "strict"
    (work / "细则.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    rules = load_rules(work / "细则.yaml")
    blanks = {p.stem: p for p in write_templates(rules, UNITS, work / "下发")}
    returns = work / "收回"
    proof = dict.fromkeys(PROVEN, "工作台账.pdf")
    # 县财政局: a folder; proves everything and its bonus J1 (a link for 4)
    folder = returns / "县财政局"
    folder.mkdir(parents=True)
    fill_workbook(blanks["县财政局"], folder / "县财政局.xlsx", {"J1": 1},
                  evidence={**proof, "4": "https://www.jiangxian.gov.cn/czj/ml/", "J1": "省级表彰.pdf"})
    for name in ("工作台账.pdf", "省级表彰.pdf"):
        (folder / name).write_bytes(f"%PDF {name}".encode())
    # 县公安局: a .zip; claims J1 and J3, proves J1 only; its minutes for clause 1 are missing
    made = fill_workbook(blanks["县公安局"], work / "tmp" / "县公安局.xlsx", {"J1": 1, "J3": 1},
                         evidence={**proof, "1": "党组会议纪要.pdf", "J1": "表彰文件.pdf"})
    with zipfile.ZipFile(returns / "县公安局.zip", "w") as archive:
        archive.write(made, "县公安局.xlsx")
        archive.writestr("材料/工作台账.pdf", b"%PDF ledger")
        archive.writestr("材料/表彰文件.pdf", b"%PDF award")
    # 县民政局: loose, sends nothing beside its workbook: every clause unproven
    fill_workbook(blanks["县民政局"], returns / "县民政局.xlsx", {"5": 1})
    # 县教育科技局: a hostile .zip (a member leaving the archive): refused alone
    with zipfile.ZipFile(returns / "县教育科技局.zip", "w") as archive:
        archive.write(blanks["县教育科技局"], "县教育科技局.xlsx")
        archive.writestr("../../etc/cron.d/x", b"* * * * * root true")
    (work / "名单.txt").write_text("\n".join(UNITS) + "\n", encoding="utf-8")
    return work, rules


def test_strict_withholds_exactly_the_unproven_bonuses_and_every_unit_is_told(season, cli, tmp_path):
    work, rules = season
    before = {p: p.read_bytes() for p in (work / "收回").rglob("*") if p.is_file()}
    out = tmp_path / "out"
    result = cli.json("rank", work / "收回", "--roster", work / "名单.txt", "--rules", work / "细则.yaml",
                      "-o", out / "汇总.xlsx", "--report", out / "通报.docx", "--archive", out / "归档.zip")
    assert result.exit_code == 1  # the hostile .zip is refused; the rest is ranked
    units = {u["unit"]: u for u in result.data["units"]}
    assert set(units) == {"县财政局", "县公安局", "县民政局"}
    effects = {(u, c["id"]): c["evidence_effect"] for u, unit in units.items() for c in unit["clauses"]
               if c["evidence_effect"]}
    assert {key for key, effect in effects.items() if effect == "bonus-withheld"} == {("县公安局", "J3")}
    flags = {u for (u, _), effect in effects.items() if effect == "scored-as-found"}
    assert flags == {"县公安局", "县民政局"}  # 公安: clause 1 without its minutes; 民政: nothing at all
    assert units["县财政局"]["bonus"] == 5 and units["县公安局"]["bonus"] == 5  # J1 proven by both
    (refused,) = result.data["errors"]
    assert refused["code"] == "submission-unsafe" and "县教育科技局.zip" in refused["file"]
    assert "县教育科技局" not in result.data["missing"]  # it answered; its file is wrong
    clause_4 = next(c for c in units["县财政局"]["clauses"] if c["id"] == "4")
    assert clause_4["evidence"] == [{"url": "https://www.jiangxian.gov.cn/czj/ml/"}]
    clause_1 = next(c for c in units["县公安局"]["clauses"] if c["id"] == "1")
    assert clause_1["evidence_missing"] == ["党组会议纪要.pdf"] and clause_1["points"] == -4
    assert {p: p.read_bytes() for p in (work / "收回").rglob("*") if p.is_file()} == before  # inputs untouched
    assert not list(work.rglob("cron.d")) and not Path("/etc/cron.d/x").exists()
    # the 通报 names the bonus withheld; the archive verifies
    text = "\n".join(p.text for p in Document(out / "通报.docx").paragraphs)
    assert "县公安局（J3）申报的加分因未提供印证材料未予计分" in text
    assert cli("archive", "verify", out / "归档.zip").exit_code == 0


def test_each_feedback_sheet_says_what_evidence_was_found_and_what_is_missing(season, cli, tmp_path):
    work, _ = season
    result = cli("score", work / "收回", "--rules", work / "细则.yaml", "-o", tmp_path)
    assert result.exit_code == 1
    sheet = openpyxl.load_workbook(tmp_path / "县公安局_扣分情况反馈单.xlsx")["扣分情况反馈单"]
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(rows) if row[0] and str(row[0]).startswith("印证材料"))
    table = {row[0]: row for row in rows[start + 2:] if row[0]}
    assert "工作台账.pdf" in table["2"][3] and table["2"][7] in (None, "")
    assert "党组会议纪要.pdf" in table["1"][4] and "按存在扣分情形扣 4 分" in table["1"][7]
    assert table["J3"][4] == "未提供" and "该项加分不计" in table["J3"][7]
    assert "表彰文件.pdf" in table["J1"][3]
    summary_rows = openpyxl.load_workbook(tmp_path / "县民政局_扣分情况反馈单.xlsx")["扣分情况反馈单"]
    assert any("未提供" in str(c) for row in summary_rows.iter_rows(values_only=True) for c in row)


def test_the_summary_lists_every_file_with_its_sha256_and_counts_per_unit(season, cli, tmp_path):
    work, _ = season
    cli("rank", work / "收回", "--rules", work / "细则.yaml", "-o", tmp_path / "汇总.xlsx")
    rows = [row for row in openpyxl.load_workbook(tmp_path / "汇总.xlsx")["印证材料"].iter_rows(values_only=True)]
    first = rows[3:next(i for i, row in enumerate(rows) if i > 3 and not any(row))]  # counts, above the files
    counts = {row[0]: row for row in first}
    assert set(counts) == {"县财政局", "县公安局", "县民政局"}
    assert counts["县财政局"][1:4] == (2, 1, 0)  # two files, one link, nothing missing
    assert counts["县公安局"][3] == 1 and "J3" in counts["县公安局"][4] and "J3" in counts["县公安局"][5]
    award = next(row for row in rows if row[3] == "表彰文件.pdf")
    assert award[1] == "J1" and award[4].endswith("县公安局.zip/材料/表彰文件.pdf") and len(award[6]) == 64
    ledger = next(row for row in rows if row[0] == "县财政局" and row[3] == "工作台账.pdf")
    assert ledger[1].split("、") == ["1", "2", "3", "7", "8", "9", "10a", "10b", "11", "16a", "16b"]  # one row


def test_a_season_without_evidence_columns_still_ranks_as_before(tmp_path, cli, blank):
    """Workbooks of a template made before 印证材料 (their column is something else): no checks, said once."""
    returns = tmp_path / "收回"
    returns.mkdir()
    path = fill_workbook(blank, returns / "县财政局.xlsx", {"5": 1})
    wb = openpyxl.load_workbook(path)
    wb["评分表"]["J4"] = "备注"
    wb.save(path)
    result = cli.json("rank", returns, "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code == 0 and result.data["units"][0]["total"] == 98
    assert [w["code"] for w in result.data["units"][0]["warnings"]] == ["evidence-no-column"]
    shutil.rmtree(returns)
