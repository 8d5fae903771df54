"""The rule-text parser on the shapes published tables use, and on the seed table."""

from decimal import Decimal

import pytest

from zwgk_cli.rules.text import parse_rule_text

D = Decimal


def shapes(text, points=None):
    result = parse_rule_text(text, D(points) if points is not None else None)
    return [(c.kind, c.per, c.cap, c.bonus) for c in result.clauses], result.unparsed


@pytest.mark.parametrize("text, points, expected", [
    ("每发现一处，扣2分，扣分上限为8分。", None, [("count", D(2), D(8), False)]),
    ("每条扣0.5分，最多扣2分", None, [("count", D("0.5"), D(2), False)]),
    ("每例扣1分，最高扣3分", None, [("count", D(1), D(3), False)]),
    ("每件扣1分，扣完为止", 4, [("count", D(1), D(4), False)]),
    ("每次扣0.1分", None, [("count", D("0.1"), None, False)]),
    ("每项扣2分", None, [("count", D(2), None, False)]),
    ("每个月未更新的扣1分，最高扣3分", None, [("count", D(1), D(3), False)]),
    ("未开展政策解读的，扣4分。", None, [("flag", D(4), None, False)]),
    ("未开展政策解读的扣4分", None, [("flag", D(4), None, False)]),
    ("未建立目录的，不得分", 6, [("flag", D(6), None, False)]),
    ("每少一项，扣2分", None, [("count", D(2), None, False)]),
    ("每缺一项扣1分", None, [("count", D(1), None, False)]),
    ("缺一项扣1分", None, [("count", D(1), None, False)]),
    ("每次加1分，加分上限为3分", None, [("count", D(1), D(3), True)]),
    ("每一领域加1分，加分上限为3分", None, [("count", D(1), D(3), True)]),
    ("在3分内酌情扣分", None, [("amount", D(1), D(3), False)]),
    ("在2分内酌情给分", None, [("amount", D(1), D(2), True)]),
    ("①未建立制度的，扣1分；②每发现一次，扣0.5分，最多扣2分",
     None, [("flag", D(1), None, False), ("count", D("0.5"), D(2), False)]),
    ("(1)未公开的，扣2分;(2)每发现一处错误，扣1分", None, [("flag", D(2), None, False), ("count", D(1), None, False)]),
    ("1、未公开的，扣2分；2、每发现一处错误，扣1分", None, [("flag", D(2), None, False), ("count", D(1), None, False)]),
    ("未设置栏目的，扣2分，发现一处错误链接，扣1分", None, [("flag", D(2), None, False), ("count", D(1), None, False)]),
    ("未设置栏目的,扣 2 分;每发现一处,扣1分,扣分上限为3分", None,
     [("flag", D(2), None, False), ("count", D(1), D(3), False)]),
    ("未按标准目录公开的，发现一项，扣1分。扣分上限为6分。", None, [("count", D(1), D(6), False)]),
])
def test_published_shapes(text, points, expected):
    clauses, unparsed = shapes(text, points)
    assert (clauses, unparsed) == (expected, [])


@pytest.mark.parametrize("text", [
    "发现两次及以上的，不得分",
    "公开率每低1%扣1分",
    "根据实际情况扣分",
    "每件扣1分，扣完为止",  # 扣完为止 without a known 赋分
    "未公开的，不得分",      # the whole 赋分, but no 赋分 given
    "领导小组酌情考虑的其他情形",
])
def test_unsure_sentences_are_left_for_a_person(text):
    clauses, unparsed = shapes(text)
    assert clauses == [] and unparsed


def test_every_clause_of_the_seed_table(rules):
    """Each built-in clause's seed text reads as the rule set has it, except where the
    published words leave the shape open (J4, K8: 酌情; K1–K7: one deduction per case)."""
    indicators = [i for part in (*rules.categories, *rules.sections) for i in part.indicators]
    for indicator in indicators:
        group = indicator.clauses
        result = parse_rule_text("".join(c.text for c in group), indicator.points)
        got = [(c.kind, c.per, c.cap, c.bonus, c.max_count) for c in result.clauses]
        want = [(c.kind, c.per, c.cap, c.bonus, c.max_count) for c in group]
        if group[0].id in ("J4", "K8"):
            assert got == [] and result.unparsed, group[0].id
        elif group[0].id.startswith("K") and group[0].kind == "count":
            assert got == [("flag", group[0].per, None, False, None)], group[0].id
        else:
            assert got == want and not result.unparsed, group[0].id


def read(text, points=None):
    """Clauses as (kind, per, cap, bonus, veto), the unparsed rest, the na mark and the bonus threshold."""
    result = parse_rule_text(text, D(points) if points is not None else None)
    return ([(c.kind, c.per, c.cap, c.bonus, c.veto) for c in result.clauses], result.unparsed,
            result.not_applicable, result.bonus_min_total)


@pytest.mark.parametrize("text, points, expected", [
    # 一票否决 / 实行一票否决 / 单项否决: a 是否 clause without points, or with the deduction it also states
    ("发生严重安全事故或被篡改的，实行一票否决。", None, [("flag", D(0), None, False, True)]),
    ("发生泄密事件的，单项否决。", None, [("flag", D(0), None, False, True)]),
    ("发生重大舆情事件的，一票否决", None, [("flag", D(0), None, False, True)]),
    ("未按要求整改的，扣10分，并实行一票否决。", None, [("flag", D(10), None, False, True)]),
    ("发现泄密的，每次扣5分；情节严重的，单项否决。", None,
     [("count", D(5), None, False, False), ("flag", D(0), None, False, True)]),
    # an occurrence without 每: a count
    ("栏目未更新的，出现一个月扣1分。", None, [("count", D(1), None, False, False)]),
    ("一件扣2分", None, [("count", D(2), None, False, False)]),
    ("一处扣0.5分，最多扣3分", None, [("count", D("0.5"), D(3), False, False)]),
    ("未一次性告知的，扣2分", None, [("flag", D(2), None, False, False)]),  # 一次性 is no occurrence
    ("未在一个工作日内答复的，扣1分", None, [("flag", D(1), None, False, False)]),
    # a rule wholly inside brackets, or as a bracketed aside: no bracket left over
    ("（每发现一处错误扣1分，扣完为止。）", 5, [("count", D(1), D(5), False, False)]),
    ("（未开展政策解读的，扣4分）", None, [("flag", D(4), None, False, False)]),
    ("政策文件未公开（每发现一件扣2分）", None, [("count", D(2), None, False, False)]),
    ("信息发布不规范（含部门网站），每发现一处扣1分", None, [("count", D(1), None, False, False)]),
])
def test_new_shapes_read_into_clauses(text, points, expected):
    clauses, unparsed, na, threshold = read(text, points)
    assert (clauses, unparsed, na, threshold) == (expected, [], False, None)


@pytest.mark.parametrize("text, points, expected", [
    ("批准、实施信息未公开的，一处扣1分，扣完为止；无此项工作的不扣分，按比例折算。", 5,
     [("count", D(1), D(5), False, False)]),
    ("留言超期未办结的，每发现一件扣3分，扣分上限为12分（未开设留言栏目的，不适用）。", None,
     [("count", D(3), D(12), False, False)]),
    ("年内未开展在线访谈的，不得分（无此项工作的不扣分）。", 15, [("flag", D(15), None, False, False)]),
    ("不适用的指标按比例折算。", None, []),
])
def test_not_applicable_shapes_mark_the_indicator(text, points, expected):
    assert read(text, points) == (expected, [], True, None)


@pytest.mark.parametrize("text, threshold", [
    ("经验做法被省级以上推广的，每次加2分；总分达到80分以上的，方可加分。", D(80)),
    ("获上级表彰的，每次加1分，总分达到85分以上的方可加分", D(85)),
])
def test_bonus_threshold_is_read_beside_the_bonus(text, threshold):
    clauses, unparsed, na, found = read(text)
    assert clauses[0][3] and not unparsed and not na and found == threshold


@pytest.mark.parametrize("text", [
    "获表彰的，每次加2分，一票否决",  # a veto on a bonus: a person decides
    "本项不适用按比例折算的，扣2分",  # 按比例 beside an amount: not a shape we know
    "未公开的扣2分；公开率不足的按比例折算扣分",  # a percentage rule, not 不适用: never dropped
    "情节严重的，视情况一票否决",
])
def test_new_words_in_shapes_it_cannot_read_still_go_to_unparsed(text):
    clauses, unparsed, _, _ = read(text)
    assert unparsed
