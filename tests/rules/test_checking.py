"""Consistency checks of a rule set (zwgk_cli/rules/checking.py): what a careful reader would flag."""


from support.paths import AS_PRINTED
from support.schemes import rule_set

from zwgk_cli.problems import Level
from zwgk_cli.rules.checking import check_rules
from zwgk_cli.rules.loading import load_rules


def test_check_on_builtin_gives_notes_only(rules):
    findings = check_rules(rules)
    assert {f.level for f in findings} == {Level.NOTE}
    assert "rules-clause-over-points" in {f.code for f in findings}  # E1


def test_check_on_source_as_printed_reports_the_spec_findings():
    printed = load_rules(AS_PRINTED)
    found = {(f.code, f.sheet, f.level) for f in check_rules(printed)}
    assert found == {
        ("rules-points-sum", "主动公开", Level.ERROR),            # 32 against 38
        ("rules-points-sum", "依申请公开", Level.ERROR),          # 12 against 8
        ("rules-name-duplicate", "依申请公开/对依申请公开的规范答复情况", Level.WARNING),
        ("rules-name-duplicate", "日常监管/检查通报情况", Level.WARNING),  # E4
        ("rules-clause-over-points", "主动公开/重大项目建设信息公开情况", Level.NOTE),  # E1
    }


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


def _findings(rules):
    return [(p.code, p.level.value, p.sheet) for p in check_rules(rules)]


def test_check_finds_a_veto_that_does_nothing():
    def no_effect(data):
        del data["policy"]["grades"], data["policy"]["veto_total"]
    assert ("rules-veto", "error", "安全防护/网站安全") in _findings(rule_set(no_effect))
    assert ("rules-veto", "error", "重大扣分项/泄密事件") in _findings(rule_set(no_effect))


def test_check_accepts_a_veto_with_only_a_lowest_grade_or_only_a_veto_total():
    assert not [f for f in _findings(rule_set(lambda d: d["policy"].pop("veto_total"))) if f[0] == "rules-veto"]
    assert not [f for f in _findings(rule_set(lambda d: d["policy"].pop("grades"))) if f[0] == "rules-veto"]


def test_check_finds_a_veto_on_a_bonus_clause():
    def veto_bonus(data):
        data["sections"][0]["clauses"][0]["veto"] = True
    assert ("rules-veto", "error", "综合加分项/经验推广") in _findings(rule_set(veto_bonus))


def test_check_notes_a_veto_total_that_reads_as_a_better_grade():
    def high(data):
        data["policy"]["veto_total"] = 60  # 合格 starts at 60: a vetoed 60 would read as 合格, graded 不合格
    [finding] = [p for p in check_rules(rule_set(high)) if p.code == "rules-veto"]
    assert finding.level.value == "note" and "合格" in finding.message and "60" in finding.message


def test_check_finds_a_bonus_threshold_with_nothing_to_act_on_or_out_of_reach():
    def no_bonus(data):
        data["sections"] = [s for s in data["sections"] if not s.get("bonus")]
    assert ("rules-bonus-threshold", "warning", "policy") in _findings(rule_set(no_bonus))
    assert ("rules-bonus-threshold", "error", "policy") in _findings(
        rule_set(lambda d: d["policy"].update(bonus_min_total=101)))


def test_check_finds_rescaling_with_no_na_indicator_and_na_without_points():
    def no_na(data):
        for category in data["categories"]:
            for indicator in category["indicators"]:
                indicator.pop("na", None)
    assert _findings(rule_set(no_na)) == [("rules-not-applicable", "warning", "policy")]

    def no_points(data):
        del data["categories"][0]["indicators"][2]["points"]
    assert ("rules-not-applicable", "error", "信息发布/重大建设项目") in _findings(rule_set(no_points))
