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
