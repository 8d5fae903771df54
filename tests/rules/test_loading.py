"""Rule sets loaded and validated (zwgk_cli/rules/loading.py): the built-in table, rule files with
every field, the README's examples, and files that cannot be used."""


import pytest
from support.paths import DEMO_C
from support.schemes import rule_set

from zwgk_cli.problems import RuleSetError
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
    assert exc.value.code == "rules-invalid" and len(exc.value.problems) == 4
    assert {(p.code, p.file) for p in exc.value.problems} == {("rules-invalid", "<text>")}
    assert [p.message.split("：")[0] for p in exc.value.problems] == [
        "categories[0].indicators[0].clauses[0]", "categories[0].indicators[0].clauses[1].per",
        "categories[0].indicators[0].clauses[1]", "编号 1"]


def test_unknown_rule_set_is_a_clear_error():
    with pytest.raises(RuleSetError) as exc:
        load_rules("no-such-rules")
    assert exc.value.code == "rules-invalid" and exc.value.source == "no-such-rules"
    assert [p.code for p in exc.value.problems] == ["rules-invalid"]


def test_demo_rule_file_loads_every_new_field():
    demo = load_rules(DEMO_C)
    assert demo.not_applicable == "rescale-category"
    assert (demo.veto_total, demo.bonus_min_total) == (59, 80)
    assert [i.name for i in demo.indicators if i.allows_not_applicable] == ["重大建设项目", "留言办理", "在线访谈"]
    assert [c.id for c in demo.clauses if c.veto] == ["C8", "CK2"]
    assert check_rules(demo) == []


def test_policy_not_applicable_must_be_a_known_choice():
    with pytest.raises(Exception) as caught:
        rule_set(lambda d: d["policy"].update(not_applicable="rescale"))
    (problem,) = caught.value.problems
    assert problem.message.startswith("policy.not_applicable：应为 keep | rescale-category 之一")
    assert isinstance(caught.value, RuleSetError) and caught.value.code == "rules-invalid"
    assert (problem.code, problem.file) == ("rules-invalid", "c.yaml")

