"""A rule file's YAML and the shape of its values (zwgk_cli/rules/shape.py): alias bombs, keys
given twice, values no workbook or exact arithmetic can hold."""

from __future__ import annotations

import time

import pytest
from support.paths import DEMO_B

from zwgk_cli.problems import RuleSetError
from zwgk_cli.rules.loading import parse_rules


def test_a_yaml_alias_bomb_is_refused_at_once():
    levels = [b'a0: &a0 ["x","x","x","x","x","x","x","x","x"]'] + [
        b"a%d: &a%d [" % (n, n) + b",".join([b"*a%d" % (n - 1)] * 9) + b"]" for n in range(1, 9)]
    started = time.monotonic()
    with pytest.raises(RuleSetError) as refused:
        parse_rules(b"\n".join(levels) + b"\ncategories: *a8\n")
    assert time.monotonic() - started < 2 and "别名" in str(refused.value)
    assert refused.value.code == "rules-invalid"
    assert [(p.code, p.file) for p in refused.value.problems] == [("rules-invalid", "<text>")]


def test_a_key_given_twice_in_a_rule_file_is_refused_with_its_line():
    raw = DEMO_B.read_bytes().replace(b"version: 2\n", b"version: 2\nversion: 3\n", 1)
    with pytest.raises(RuleSetError) as refused:
        parse_rules(raw)
    assert "「version」在同一处出现了两次" in str(refused.value)
    (problem,) = refused.value.problems
    assert problem.code == "rules-invalid" and "（第 9 行第 1 列）" in problem.message  # the second version: line 9


@pytest.mark.parametrize(("old", "new", "words"), [
    (b"per: 2,", b"per: 1e15,", "过大"),
    (b"title: 2023", b'title: "\\x01" #', "U+0001"),
])
def test_rule_file_values_no_workbook_or_exact_arithmetic_can_hold_are_refused(old, new, words):
    raw = DEMO_B.read_bytes().replace(old, new, 1)
    with pytest.raises(RuleSetError) as refused:
        parse_rules(raw)
    assert words in str(refused.value)
    (problem,) = refused.value.problems
    where = {"过大": "categories[0].indicators[1].clauses[1].per", "U+0001": "title"}[words]  # the value's place
    assert problem.code == "rules-invalid" and problem.message.split("：")[0] == where
