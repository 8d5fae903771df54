
import pytest
from support.paths import FIXTURES

from zwgk_cli.problems import Level, RuleSetError
from zwgk_cli.rules.checking import check_rules
from zwgk_cli.rules.loading import builtin_ids, load_rules, parse_rules


def test_builtin_rule_set_matches_the_spec_table(rules):
    assert builtin_ids() == ["jiangxian-2022-a"]
    assert [c.id for c in rules.clauses] == [
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "10a", "10b", "11", "12", "13", "14", "15",
        "16a", "16b", "17", "18", "19", "20", "J1", "J2", "J3", "J4",
        "K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8"]
    assert {c.name: int(c.weight) for c in rules.categories} == {
        "组织领导与工作保障": 14, "基层政务公开": 6, "主动公开": 38, "依申请公开": 8,
        "政策解读及公众参与": 12, "日常监管": 22}
    assert [e.id for e in rules.errata] == ["E1", "E2", "E3", "E4"]
    eleven = rules.indicator_of("11")
    assert (rules.part_of("11").name, eleven.group, eleven.name) == (
        "主动公开", "公文管理", "行政规范性文件审核备案及公示情况")
    assert rules.clause("15").bonus and rules.clause("J4").needs_note


def test_largest_deduction_per_category_equals_weight_except_daily_supervision(rules):
    for category in rules.categories:
        largest = sum(c.largest for c in category.clauses if not c.bonus)
        expected = 27 if category.name == "日常监管" else category.weight
        assert largest == expected, category.name


def test_check_on_builtin_gives_notes_only(rules):
    findings = check_rules(rules)
    assert {f.level for f in findings} == {Level.NOTE}
    assert "rules-clause-over-points" in {f.code for f in findings}  # E1


def test_check_on_source_as_printed_reports_the_spec_findings():
    printed = load_rules(FIXTURES / "jiangxian-2022-a-as-printed.yaml")
    found = {(f.code, f.sheet, f.level) for f in check_rules(printed)}
    assert found == {
        ("rules-points-sum", "主动公开", Level.ERROR),            # 32 against 38
        ("rules-points-sum", "依申请公开", Level.ERROR),          # 12 against 8
        ("rules-name-duplicate", "依申请公开/对依申请公开的规范答复情况", Level.WARNING),
        ("rules-name-duplicate", "日常监管/检查通报情况", Level.WARNING),  # E4
        ("rules-clause-over-points", "主动公开/重大项目建设信息公开情况", Level.NOTE),  # E1
    }


def test_invalid_rule_file_lists_every_problem():
    bad = """
id: x
title: t
version: 1
categories:
  - name: 甲
    weight: 10
    indicators:
      - name: 乙
        clauses:
          - {id: "1", kind: sometimes, per: 2, text: 扣分}
          - {id: "1", kind: count, per: -1, text: ""}
"""
    with pytest.raises(RuleSetError) as exc:
        parse_rules(bad.encode())
    messages = " ".join(p.message for p in exc.value.problems)
    assert "sometimes" in messages and "编号重复" in messages and "-1" in messages
    assert "text" in messages


def test_unknown_rule_set_is_a_clear_error():
    with pytest.raises(RuleSetError):
        load_rules("no-such-rules")


def test_check_flags_what_a_careful_reader_would(tmp_path):
    text = """
id: careless
title: 有问题的细则
version: 1
full_marks: 100
categories:
  - name: 甲
    weight: 60
    indicators:
      - name: 一
        points: 10
        clauses:
          - {id: "1", kind: count, per: 3, cap: 10, text: "每发现一处，扣2分，扣分上限为10分。"}
      - name: 二
        points: 5
        clauses:
          - {id: "2", kind: count, per: 1, bonus: true, text: "每次加1分，加分上限为3分"}
          - {id: "3", kind: count, per: 2, cap: 5, text: "每项扣2分，扣分上限为5分"}
"""
    path = tmp_path / "careless.yaml"
    path.write_text(text, encoding="utf-8")
    found = {(f.code, f.level) for f in check_rules(load_rules(path))}
    assert found == {
        ("rules-weight-sum", Level.ERROR),            # 60 against full marks 100
        ("rules-points-sum", Level.ERROR),            # 15 against 60
        ("rules-text-mismatch", Level.WARNING),       # per 3, the text says 扣2分
        ("rules-bonus-uncapped", Level.WARNING),      # the text states 加分上限为3分
        ("rules-cap-unreachable", Level.WARNING),     # cap 5 is not a multiple of 2
    }
