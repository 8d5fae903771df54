"""印证材料 looked up (zwgk_cli/scoring/holdings.py): the files a clause lists found where the
unit's workbook lies (its folder, a flat returns folder, beside a workbook named on the command
line), each hashed once, a spreadsheet a unit lists taken as evidence, and the files nobody lists
said once per folder. What they prove: tests/scoring/test_evidence.py; zip submissions:
tests/reading/test_submission.py."""

import hashlib
from pathlib import Path

import openpyxl
import pytest
from support.evidence import MINUTES, PROVEN, evidence_warnings, proof, returns_with_minutes

from zwgk_cli.scoring.pipeline import rank_paths, score_paths
from zwgk_cli.workbooks.fill import fill_review, fill_workbook
from zwgk_cli.workbooks.sources import write_review


@pytest.fixture
def returns(tmp_path) -> Path:
    return returns_with_minutes(tmp_path)


def test_listed_files_are_found_in_the_units_folder_hashed_once_and_said_nowhere(filled, returns, rules):
    filled({"5": 1}, folder=returns / "县财政局", evidence=proof(**{"1": "纪要.pdf\nhttps://www.jiangxian.gov.cn/cz/"}))
    report = score_paths([returns], rules)
    (unit,) = report.units
    assert evidence_warnings(unit) == []
    items = [e.to_dict() for e in unit.clause("1").evidence]
    assert items == [{"name": "纪要.pdf", "file": str(returns / "县财政局" / "纪要.pdf"), "size": len(MINUTES),
                      "sha256": hashlib.sha256(MINUTES).hexdigest()}, {"url": "https://www.jiangxian.gov.cn/cz/"}]
    assert all(unit.clause(c).evidence for c in PROVEN)
    (listed,) = [i for i in report.inputs if i.kind == "evidence"]  # one file proving twelve clauses: once
    assert (listed.status, listed.unit, listed.sha256) == ("印证材料", "县财政局", hashlib.sha256(MINUTES).hexdigest())
    assert report.exit_code == 0


def test_the_unit_folder_decides_between_files_of_one_name_in_a_flat_returns_folder(blank, tmp_path, rules):
    returns = tmp_path / "收回"
    for unit in ("县财政局", "县公安局"):
        (returns / unit).mkdir(parents=True)
        (returns / unit / "纪要.pdf").write_bytes(unit.encode())
        fill_workbook(blank, returns / f"{unit}.xlsx", {}, unit=unit, evidence=proof())
    (returns / "旧材料").mkdir()
    (returns / "旧材料" / "年报.pdf").write_bytes(b"1")
    (returns / "新材料").mkdir()
    (returns / "新材料" / "年报.pdf").write_bytes(b"2")
    fill_workbook(blank, returns / "县民政局.xlsx", {}, unit="县民政局", evidence=proof(**{"1": "年报.pdf"}))
    report = score_paths([returns], rules)
    by_unit = {u.unit: u for u in report.units}
    for unit in ("县财政局", "县公安局"):
        assert by_unit[unit].clause("1").evidence[0].sha256 == hashlib.sha256(unit.encode()).hexdigest()
        assert evidence_warnings(by_unit[unit]) == []
    said = evidence_warnings(by_unit["县民政局"])
    assert ("evidence-missing", "1", "J5", "年报.pdf") in said  # two of that name, no folder of the unit
    assert "多个文件" in next(w.message for w in by_unit["县民政局"].warnings if w.clause == "1")
    # both are listed, neither can be told apart: never called unlisted
    inputs = {Path(i.file).parent.name: (i.status, i.unit, i.reason) for i in report.inputs
              if i.file.endswith("年报.pdf")}
    why = "列为印证材料，但有同名的其他文件，无法确定是哪一个"
    assert inputs == dict.fromkeys(["旧材料", "新材料"], ("印证材料", "县民政局", why))
    assert not [w for w in report.warnings if w.code == "evidence-unlisted" and "年报.pdf" in w.message]


def test_a_workbook_named_on_the_command_line_finds_the_files_beside_it(filled, returns, rules):
    path = filled({}, folder=returns / "县财政局", evidence=proof())
    (unit,) = score_paths([path], rules).units
    assert evidence_warnings(unit) == [] and unit.clause("2").evidence[0].name == "纪要.pdf"


def test_a_spreadsheet_a_unit_lists_is_evidence_not_a_rejected_return(filled, returns, rules):
    ledger = openpyxl.Workbook()
    ledger.active.append(["公文标题", "公开属性"])
    ledger.save(returns / "县财政局" / "公文台账.xlsx")
    filled({}, folder=returns / "县财政局", evidence=proof(**{"8": "公文台账.xlsx"}))
    report = score_paths([returns], rules)
    assert report.errors == [] and report.exit_code == 0
    (ledger_input,) = [i for i in report.inputs if i.file.endswith("公文台账.xlsx")]
    assert (ledger_input.status, ledger_input.unit) == ("印证材料", "县财政局")
    (item,) = report.units[0].clause("8").evidence
    assert (item.name, item.size) == ("公文台账.xlsx", (returns / "县财政局" / "公文台账.xlsx").stat().st_size)


def test_files_nobody_lists_are_one_notice_per_folder(filled, returns, rules):
    filled({}, folder=returns / "县财政局", evidence=proof())
    for name in ("单位简介.docx", "照片.jpg"):
        (returns / "县财政局" / name).write_bytes(b"x")
    report = score_paths([returns], rules)
    (notice,) = [w for w in report.warnings if w.code == "evidence-unlisted"]
    assert notice.level == "note" and "2 个文件" in notice.message and "照片.jpg" in notice.message
    assert {i.reason for i in report.inputs if i.status == "已跳过"} == {"没有条款把该文件列为印证材料"}
    assert report.exit_code == 0


def test_a_review_row_s_evidence_is_found_beside_the_review_table(filled, returns, rules, tmp_path):
    filled({"5": 2}, folder=returns / "县财政局", evidence=proof())
    blank = write_review(rules, ["县财政局"], tmp_path / "复核模板")
    fill_review(blank, returns / "复核调整表.xlsx",
                [("县财政局", "5", 1, "经复核只有一处", "王主任", "2026-12-01", "复核记录.pdf")])
    (returns / "复核记录.pdf").write_bytes(b"%PDF-1.4 review")
    (unit,) = rank_paths([returns], rules).units
    clause = unit.clause("5")
    assert (clause.input, clause.source) == ("1", "复核")
    (item,) = clause.evidence
    assert (item.name, item.sha256) == ("复核记录.pdf", hashlib.sha256(b"%PDF-1.4 review").hexdigest())
    assert evidence_warnings(unit) == []
