"""Scoring semantics (zwgk_cli/scoring/compute.py; docs/scoring.md), table-driven, on findings built by
hand: the built-in table, other policies (demo-2023-b), and 不适用, 一票否决 and the bonus threshold
(demo-2024-c: docs/scoring.md, Not applicable, Veto, Bonus threshold)."""

from decimal import Decimal

import pytest
from support.schemes import rule_set

from zwgk_cli.model import Entry, Findings
from zwgk_cli.rules.loading import parse_rules
from zwgk_cli.scoring.compute import cap_notes, rank_units, score_units

D = Decimal


def score(rules, entries: dict, unit="单位"):
    """One unit's result from hand-made findings (a value, or an :class:`Entry` as it is)."""
    findings = Findings(unit, {k: v if isinstance(v, Entry) else Entry(D(str(v))) for k, v in entries.items()})
    return score_units(rules, [findings])[0]


@pytest.mark.parametrize("entries, category, expected_category, expected_total", [
    ({}, "主动公开", 38, 100),
    ({"1": 1}, "组织领导与工作保障", 10, 96),                       # flag gives per
    ({"1": 0}, "组织领导与工作保障", 14, 100),                      # 否 gives nothing
    ({"3": 2}, "组织领导与工作保障", 10, 96),                       # count n × per
    ({"5": 5}, "主动公开", 30, 92),                                 # 5 × 2 = 10, clause cap 8
    ({"10a": 6, "10b": 1}, "主动公开", 32, 94),                     # 10a capped at 4, + 2
    ({"7": 1}, "主动公开", 34, 96),                                 # E1: deducts 4 although 赋分 2
    ({"12": 2, "13": 2, "11": 1}, "依申请公开", 0, 88),             # E2: 11 counts in 主动公开
    ({"17": 1, "18": 2, "19": 4, "20": 3}, "日常监管", 0, 78),      # 27 capped at weight 22
    ({"17": 1}, "日常监管", 17, 95),                                # deduction-only indicator
    ({"15": 2}, "政策解读及公众参与", 14, 102),                     # bonus above the weight
    ({"15": 9}, "政策解读及公众参与", 15, 103),                     # bonus capped at 3
    ({"14": 2, "16a": 1, "16b": 5, "15": 3}, "政策解读及公众参与", 3, 91),  # W − min(W, 12) + 3
])
def test_clause_and_category_rules(rules, entries, category, expected_category, expected_total):
    result = score(rules, entries)
    assert result.categories[category] == expected_category
    assert result.total == expected_total


def test_whole_unit_bonus_and_major_deductions(rules):
    result = score(rules, {"J1": 2, "J2": 1, "J3": 1, "J4": "0.5", "K1": 1, "K6": "1.25", "K8": 2})
    assert result.bonus == D("19.5")   # 10 + 6 + 3 + 0.5
    assert result.major_deductions == D("9.5")    # 5 + 2.5 + 2
    assert result.total == D("110")
    assert result.clause("K6").points == D("-2.5")
    assert result.clause("J4").points == D("0.5")


def test_major_deductions_are_uncapped_and_total_floored_at_zero(rules):
    result = score(rules, {"K1": 30})
    assert result.major_deductions == 150
    assert result.total == 0


def test_exact_decimals_tie(rules):
    a = score(rules, {"K8": "0.3"}, unit="甲")
    b = score(rules, {"K8": "0.1", "K6": "0.1"}, unit="乙")
    assert a.total == b.total == D("99.7")
    ranked = rank_units([b, a], roster=["甲", "乙"])
    assert [(r.unit, r.rank) for r in ranked] == [("甲", 1), ("乙", 1)]


def test_competition_ranking_and_tie_break(rules):
    units = [score(rules, e, unit=u) for u, e in [
        ("丙", {"1": 1}), ("甲", {}), ("乙", {"2": 1}), ("丁", {"5": 1}), ("戊", {"5": 1})]]
    ranked = rank_units(units, roster=["甲", "乙", "丙"])
    assert [(r.rank, r.unit) for r in ranked] == [
        (1, "甲"), (2, "丁"), (2, "戊"), (4, "乙"), (4, "丙")]  # 丁/戊 not in roster: by name


def test_signed_clause_points_explain_the_total(rules):
    result = score(rules, {"5": 2, "15": 1, "J1": 1})
    by_id = {c.id: c.points for c in result.clauses}
    assert by_id["5"] == -4 and by_id["15"] == 1 and by_id["J1"] == 5
    assert sum(by_id.values()) + 100 == result.total  # no cap reached: points add up


def test_many_units_scored_at_once_keep_order(rules):
    findings = [Findings(f"单位{i}", {"5": Entry(D(i % 5))}) for i in range(50)]
    results = score_units(rules, findings)
    assert [r.unit for r in results] == [f"单位{i}" for i in range(50)]
    assert [r.total for r in results] == [100 - min(2 * (i % 5), 8) for i in range(50)]


@pytest.mark.parametrize("entries, category, expected_category, expected_total, grade", [
    ({}, "基础工作", 40, 100, "优秀"),
    ({"B2": 3, "B3": 10}, "基础工作", 10, 70, "合格"),            # 15 + 20 capped at the indicator's 30
    ({"B1": 1, "B2": 9}, "基础工作", 0, 60, "合格"),              # no category cap, but each indicator capped
    ({"B4": 12}, "重点领域公开", 30, 70, "合格"),                  # 扣完为止 at 30
    ({"B5": 6, "B6": "10"}, "重点领域公开", 30, 70, "合格"),       # 30 + 10 capped at 30
    ({"B4": 1, "BJ1": 4}, "重点领域公开", 57, 102, "优秀"),        # bonus 8 capped at 5
    ({"BK1": 12}, "基础工作", 40, -20, "不合格"),                  # no floor: below zero
    ({"B3": 8}, "基础工作", 24, 84, "良好"),
])
def test_other_policies(demo_b, entries, category, expected_category, expected_total, grade):
    result = score(demo_b, entries)
    assert result.categories[category] == expected_category
    assert result.total == expected_total
    assert result.grade == grade


def test_builtin_has_no_grades(rules):
    assert score(rules, {}).grade is None


def test_both_caps_together(rules):
    from dataclasses import replace

    both = replace(rules, indicator_cap=True)
    assert score(rules, {"7": 1}).categories["主动公开"] == 34   # E1 deducts 4 over its 赋分 2
    assert score(both, {"7": 1}).categories["主动公开"] == 36    # 扣完为止 at the indicator's 2
    assert score(both, {"17": 1, "18": 2, "19": 4, "20": 3}).categories["日常监管"] == 0  # 17 has no 赋分: uncapped


def test_cap_notes_explain_where_caps_applied(demo_b, rules):
    from zwgk_cli.scoring.compute import cap_notes

    assert cap_notes(demo_b, score(demo_b, {"B4": 20, "BJ1": 4})) == [
        "重点领域公开：各条款扣分合计 60 分，按扣分上限实扣 30 分",
        "综合加分项：各项合计 8 分，按加分上限计 5 分"]
    assert cap_notes(rules, score(rules, {"5": 2})) == []


# --- 不适用, 一票否决 and the bonus threshold (demo-2024-c) ---------------------------------------

NA = Entry(None, "不适用", not_applicable=True)


HALF = """
id: half
title: 折算测试
version: 1
policy: {not_applicable: rescale-category}
categories:
  - name: 甲
    weight: 10
    indicators:
      - {group: 一, name: 可不适用, points: 2, method: 检查, na: true,
         clauses: [{id: A1, kind: flag, per: 2, text: "未做的，扣2分。"}]}
      - {group: 一, name: 酌情, points: 8, method: 检查,
         clauses: [{id: A2, kind: amount, per: 1, cap: 8, text: "在8分内酌情扣分。"}]}
"""


def test_rescaling_gives_a_repeating_decimal_rounded_half_up(demo_c):
    # 信息发布: W = 20, 重大建设项目 (5) not applicable: W_a = 15, D = 1 → 14 × 20 / 15 = 18.666…
    result = score(demo_c, {"C3": NA, "C1": 1})
    assert result.categories["信息发布"] == D("18.67") and result.total == D("98.67")
    assert result.not_applicable == ["C3"]
    assert cap_notes(demo_c, result) == ["信息发布：重大建设项目不适用，按适用赋分 15 分折算为 18.67 分"]


def test_rescaling_with_nothing_lost_keeps_the_weight(demo_c):
    assert score(demo_c, {"C3": NA}).categories["信息发布"] == 20


@pytest.mark.parametrize(("lost", "expected"), [
    ("7.98", "0.03"),  # 0.02 × 10 / 8 = 0.025: half up, not to even
    ("7.94", "0.08"),  # 0.075 → 0.08
    ("0.01", "9.99"),  # 7.99 × 1.25 = 9.9875 → 9.99
    ("8", "0"),
])
def test_rescaling_rounds_half_up_to_a_hundredth(lost, expected):
    rules = parse_rules(HALF.encode())
    assert score(rules, {"A1": NA, "A2": lost}).categories["甲"] == D(expected)


def test_rescaling_without_the_category_cap_may_go_below_zero_and_rounds_away_from_zero():
    text = HALF.replace("rescale-category}", "rescale-category, category_cap: false}")
    rules = parse_rules(text.replace("cap: 8, text", "text").encode())
    assert score(rules, {"A1": NA, "A2": "8.02"}).categories["甲"] == D("-0.03")  # −0.025


def test_category_where_everything_is_not_applicable_scores_its_weight_plus_its_bonuses(demo_c):
    result = score(demo_c, {"C4a": NA, "C5": NA, "C6": 2})
    assert result.categories["互动交流"] == 32
    assert result.not_applicable == ["C4a", "C4b", "C5"]


def test_keep_policy_not_applicable_indicator_simply_loses_nothing(demo_c):
    keep = rule_set(lambda d: d["policy"].update(not_applicable="keep"))
    result = score(keep, {"C3": NA, "C1": 1})
    assert result.categories["信息发布"] == 19 and result.total == 99
    assert result.not_applicable == ["C3"] and cap_notes(keep, result) == []


def test_veto_together_with_bonuses_caps_the_total_and_gives_the_lowest_grade(demo_c):
    result = score(demo_c, {"C8": "1", "CJ1": 3, "C6": 2})
    assert result.veto == ["C8"] and result.total == 59 and result.grade == "不合格"
    assert result.to_dict()["veto"] == ["C8"]
    assert cap_notes(demo_c, result)[-1] == "一票否决：C8 情形成立，总分按最高 59 分计，等次为不合格"


def test_veto_in_a_section_without_veto_total_gives_only_the_lowest_grade():
    no_cap = rule_set(lambda d: d["policy"].pop("veto_total"))
    result = score(no_cap, {"CK2": 1})
    assert (result.total, result.grade, result.veto) == (100, "不合格", ["CK2"])


def test_veto_clause_answered_no_does_not_veto(demo_c):
    result = score(demo_c, {"C8": 0, "CK2": 0})
    assert (result.total, result.grade, result.veto) == (100, "优秀", [])


def test_total_exactly_at_the_bonus_threshold_counts_the_bonuses(demo_c):
    result = score(demo_c, {"C7": 4, "CJ1": 1})  # 100 − 20 = 80, then + 2
    assert (result.total, result.bonus, result.grade) == (82, 2, "良好")


def test_total_below_the_bonus_threshold_does_not_count_the_bonuses(demo_c):
    result = score(demo_c, {"C7": 4, "C1": 1, "CJ1": 1})  # 79: the 2 points do not count
    assert (result.total, result.bonus) == (79, 0)
    assert cap_notes(demo_c, result) == ["综合加分项：各项合计 2 分；不含综合加分项的总分未达到 80 分，不计"]


def test_category_bonus_counts_towards_the_threshold_and_major_deductions_against_it(demo_c):
    assert score(demo_c, {"C7": 4, "C6": 1, "CK1": 1, "CJ1": 1}).total == 71  # 80 + 1 − 10 = 71 < 80


def test_many_units_with_and_without_the_new_rules_keep_their_own_results(demo_c):
    units = [{}, {"C3": NA, "C1": 1}, {"C8": 1}, {"C7": 4, "CJ1": 1}] * 50
    findings = [Findings(f"单位{i}", {k: v if isinstance(v, Entry) else Entry(D(v)) for k, v in e.items()})
                for i, e in enumerate(units)]
    totals = [r.total for r in score_units(demo_c, findings)]
    assert totals == [D(100), D("98.67"), D(59), D(82)] * 50
