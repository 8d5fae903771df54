"""印证材料 checked (zwgk_cli/scoring/evidence.py): the files a clause lists found where the unit's
workbook lies, each problem placed on its cell, and the rule set's evidence_policy applied — warn
keeps the points, strict withholds exactly the unproven bonuses and scores an unproven "nothing
found" as found. Zip submissions: tests/reading/test_submission.py; the outputs:
tests/season/test_evidence.py."""

import hashlib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

from zwgk_cli.rules.loading import load_rules, rule_file_bytes
from zwgk_cli.scoring.pipeline import rank_paths, score_paths
from zwgk_cli.workbooks.fill import fill_matrix, fill_workbook
from zwgk_cli.workbooks.sources import write_source_template
from zwgk_cli.workbooks.template import write_templates

# The clauses of the built-in set whose 考核方式 asks for 印证材料 (deductions), and its bonuses.
PROVEN = ["1", "2", "3", "4", "7", "8", "9", "10a", "10b", "11", "16a", "16b"]
MINUTES = b"%PDF-1.4 minutes of the party group meeting"


def proof(**more: str) -> dict[str, str]:
    """A 印证材料 cell for every clause that asks for one (纪要.pdf), changed by ``more`` ("" : none)."""
    return {k: v for k, v in {**dict.fromkeys(PROVEN, "纪要.pdf"), **more}.items() if v}


def evidence_warnings(unit) -> list[tuple[str, str, str, str]]:
    return [(w.code, w.clause, w.cell, w.value) for w in unit.warnings if w.family == "evidence"]


@pytest.fixture
def returns(tmp_path) -> Path:
    folder = tmp_path / "收回"
    (folder / "县财政局").mkdir(parents=True)
    (folder / "县财政局" / "纪要.pdf").write_bytes(MINUTES)
    return folder


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


def test_what_is_missing_or_wrong_is_said_on_its_cell(filled, returns, rules):
    evidence = proof(**{"1": "纪要.pdf\n整改报告.pdf", "2": "", "4": "www.jiangxian.gov.cn/cz",
                        "7": "C:\\Users\\科员\\桌面\\项目.pdf", "8": "台账?.pdf"})
    filled({"5": 1, "2": "否"}, folder=returns / "县财政局", evidence=evidence)
    (unit,) = score_paths([returns], rules).units
    said = evidence_warnings(unit)
    assert ("evidence-missing", "1", "J5", "整改报告.pdf") in said
    assert ("evidence-absent", "2", "J6", "否") in said  # 否 (nothing found) without proof
    assert ("evidence-link-invalid", "4", "J9", "www.jiangxian.gov.cn/cz") in said
    assert ("evidence-absent", "4", "J9", "") in said  # a link written wrongly proves nothing
    assert ("evidence-missing", "7", "J13", "C:\\Users\\科员\\桌面\\项目.pdf") in said
    assert ("evidence-missing", "8", "J14", "台账?.pdf") in said
    messages = {w.clause + w.code: w.message for w in unit.warnings}
    assert "本机上的路径" in messages["7evidence-missing"] and "（?）" in messages["8evidence-missing"]
    assert unit.clause("1").evidence_missing == ("整改报告.pdf",) and unit.clause("1").evidence  # the minutes count
    assert unit.total == Decimal(98)  # warn: the points are as entered


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


def test_a_workbook_made_before_the_column_is_read_without_evidence_checks_said_once(filled, returns, rules):
    path = filled({"5": 1}, folder=returns / "县财政局")
    wb = openpyxl.load_workbook(path)
    wb["评分表"]["J4"] = "备注"  # the column of a template made before 印证材料
    wb.save(path)
    (unit,) = score_paths([returns], rules).units
    assert [(w.code, w.level) for w in unit.warnings if w.family == "evidence"] == [("evidence-no-column", "note")]
    assert unit.total == Decimal(98)


# --- evidence_policy: strict -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    """The built-in set under 未提供印证材料的视为未开展 (its own id), and a blank of it for 县财政局."""
    folder = tmp_path_factory.mktemp("strict")
    data = yaml.safe_load(rule_file_bytes(load_rules()))
    data["id"] = "jiangxian-2022-a-strict"
    data.setdefault("policy", {})["evidence_policy"] = "strict"
    path = folder / "严格.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    rules = load_rules(path)
    return rules, write_templates(rules, ["县财政局"], folder)[0]


def test_strict_withholds_exactly_the_unproven_bonuses_and_scores_unproven_flags_as_found(strict, returns):
    rules, blank = strict
    entries = {"J1": 1, "J3": 1, "1": "否", "3": 0, "5": 1}
    evidence = proof(**{"J1": "纪要.pdf", "1": "", "3": ""})
    fill_workbook(blank, returns / "县财政局" / "县财政局.xlsx", entries, evidence=evidence)
    (unit,) = rank_paths([returns], rules).units
    effects = {c.id: c.evidence_effect for c in unit.clauses if c.evidence_effect}
    assert effects == {"J3": "bonus-withheld", "1": "scored-as-found"}
    assert unit.clause("J1").points == 5 and unit.clause("J3").points == 0  # J1 proven, J3 not
    assert unit.clause("1").points == -4  # 否 without the meeting minutes: as if there was no meeting
    assert unit.clause("3").points == 0  # a count keeps its count, and is said
    said = {w.clause: w.message for w in unit.warnings if w.code == "evidence-absent"}
    assert "该项加分不计" in said["J3"] and "扣 4 分" in said["1"] and "计数类条款仍按所填数量计分" in said["3"]
    assert unit.total == Decimal(100) - 2 - 4 + 5  # 5: 1 处 (−2); 1 as found (−4); J1 (+5)
    assert unit.clause("J3").input == "1"  # what the unit wrote stays shown


def test_a_clause_an_inspection_matrix_answers_needs_no_evidence_from_the_unit(strict, returns, tmp_path):
    rules, blank = strict
    fill_workbook(blank, returns / "县财政局" / "县财政局.xlsx", {}, evidence=proof(**{"1": ""}))
    made = write_source_template(rules, ["县财政局"], tmp_path / "m", review=False, clause_ids="1,2",
                                 source="督查组")
    row = {"1": "否", "2": "否", "印证材料": "督查记录.pdf"}
    fill_matrix(made.path, returns / "检查表_督查组.xlsx", {"县财政局": row})
    (returns / "督查记录.pdf").write_bytes(b"record")
    (unit,) = rank_paths([returns], rules).units
    assert unit.clause("1").points == 0 and unit.clause("1").evidence_effect == ""
    assert [w for w in unit.warnings if w.code == "evidence-absent"] == []
    assert unit.clause("1").evidence[0].name == "督查记录.pdf"  # the team's own proof, found beside its matrix


def test_a_unit_only_a_matrix_covers_is_not_told_its_workbook_lacks_the_column(strict, tmp_path):
    rules, _ = strict
    returns = tmp_path / "收回"
    returns.mkdir()
    made = write_source_template(rules, ["县财政局"], tmp_path / "m", review=False, source="督查组",
                                 clause_ids=",".join(c.id for c in rules.clauses))
    fill_matrix(made.path, returns / "检查表_督查组.xlsx", {"县财政局": {"1": "否", "2": "否"}})
    (unit,) = rank_paths([returns], rules).units
    assert [w.code for w in unit.warnings if w.code.startswith("evidence")] == []
