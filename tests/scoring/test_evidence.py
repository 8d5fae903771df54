"""印证材料 checked (zwgk_cli/scoring/evidence.py): each problem placed on its cell, and the rule
set's evidence_policy applied — warn keeps the points, strict withholds exactly the unproven
bonuses and scores an unproven "nothing found" as found. Where the files are found:
tests/scoring/test_holdings.py; zip submissions: tests/reading/test_submission.py; the outputs:
tests/season/test_evidence.py."""

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from support.evidence import evidence_warnings, proof, returns_with_minutes

from zwgk_cli.rules.loading import load_rules, rule_file_bytes
from zwgk_cli.scoring.pipeline import rank_paths, score_paths
from zwgk_cli.workbooks.fill import fill_matrix, fill_workbook
from zwgk_cli.workbooks.sources import write_source_template
from zwgk_cli.workbooks.template import write_templates


@pytest.fixture
def returns(tmp_path) -> Path:
    return returns_with_minutes(tmp_path)


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
