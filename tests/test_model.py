"""The data model: where a clause sits, indicators stated once, kind as an enum, run state on the report."""

import dataclasses
import json
import pickle
from decimal import Decimal as D
from pathlib import Path

import pytest

from zwgk_cli.model import (
    SCORING_KIND_LABELS,
    Category,
    Clause,
    Entry,
    Findings,
    Indicator,
    Kind,
    RuleBook,
    RuleSet,
    Section,
)
from zwgk_cli.rules.loading import load_rules
from zwgk_cli.scoring.pipeline import score_by_rule_set

DEMO = Path(__file__).parent / "fixtures" / "demo-2023-b.yaml"


def test_every_clause_knows_its_indicator_and_category(rules):
    for clause in rules.clauses:
        indicator, part = rules.indicator_of(clause.id), rules.part_of(clause.id)
        assert clause in indicator.clauses, clause.id
        assert indicator in part.indicators, clause.id
        assert rules.clause(clause.id) is clause
        assert isinstance(part, Section) == clause.id.startswith(("J", "K")), clause.id
    assert rules.part_of("11").name == "主动公开"
    eleven = rules.indicator_of("11")
    assert (eleven.group, eleven.name) == ("公文管理", "行政规范性文件审核备案及公示情况")
    assert rules.indicator_of("10a") is rules.indicator_of("10b")


def test_indicator_points_are_stated_once(rules):
    ten = rules.indicator_of("10a")
    assert [c.id for c in ten.clauses] == ["10a", "10b"]
    assert (ten.stated_points("10a"), ten.stated_points("10b")) == (ten.points, None)
    for indicator in rules.indicators:
        stated = [rules.indicator_of(c.id).stated_points(c.id) for c in indicator.clauses]
        assert stated == [indicator.points] + [None] * (len(stated) - 1), indicator.name
    assert rules.indicators == tuple(i for c in rules.categories for i in c.indicators)


def test_whole_unit_items_keep_their_part_and_name(rules):
    bonus, major = rules.sections
    assert (bonus.name, bonus.bonus, major.name, major.bonus) == ("综合加分项", True, "重大扣分项", False)
    j1 = rules.indicator_of("J1")
    assert (j1.group, j1.name, j1.points, j1.method) == (
        "（一）", "国家级、省级、市级表彰（可累计）", None, "被考核单位提供印证材料")
    assert all(len(i.clauses) == 1 for s in rules.sections for i in s.indicators)
    assert rules.clause("J1").bonus and not rules.clause("K1").bonus
    assert rules.clauses[-len(bonus.clauses) - len(major.clauses):] == bonus.clauses + major.clauses


def test_kind_is_an_enum_that_reads_and_writes_as_text(rules):
    assert {c.kind for c in rules.clauses} == set(Kind)
    assert all(isinstance(c.kind, Kind) for c in rules.clauses)
    five = rules.clause("5")
    assert five.kind is Kind.COUNT and five.kind == "count" and f"{five.kind}" == "count"
    assert json.dumps({"kind": five.kind}) == '{"kind": "count"}'
    assert SCORING_KIND_LABELS[Kind.FLAG] == SCORING_KIND_LABELS["flag"] == "是否"
    assert list(Kind) == ["flag", "count", "amount"]  # the order messages list them in


def test_rule_book_is_run_input_and_the_report_says_which_sets_were_used():
    a, b = load_rules(), load_rules(DEMO)
    book = RuleBook([a, b])
    assert book.sets == (a, b)
    with pytest.raises(dataclasses.FrozenInstanceError):
        book.sets = ()
    assert not hasattr(book, "used")
    findings = [Findings("城关镇", {"B2": Entry(D(1))}, rules_id=b.id)]
    results, used = score_by_rule_set(book, findings)
    assert [r.rules_id for r in results] == [b.id] and used == [b]
    assert book.sets == (a, b)  # scoring left the book as it was


def test_rule_set_crosses_to_worker_processes_with_its_look_ups(rules):
    copy = pickle.loads(pickle.dumps(rules))
    assert copy == rules
    assert copy.indicator_of("10b") == rules.indicator_of("10b")
    assert copy.part_of("J4").name == "综合加分项"


def test_a_rule_set_built_by_hand():
    flag = Clause("1", Kind.FLAG, D(4), "未听取的，扣4分。")
    count = Clause("2", Kind.COUNT, D(2), "每少一项，扣2分。", cap=D(6))
    lead = Indicator("组织领导", "研究部署", D(10), "印证", (flag, count))
    honour = Clause("J1", Kind.COUNT, D(5), "每项加5分", bonus=True)
    extra = Section("综合加分项", True, (Indicator("（一）", "表彰", None, "", (honour,)),))
    rules = RuleSet.from_parts("hand", [Category("组织领导与工作保障", D(10), (lead,))], [extra])
    assert [c.id for c in rules.clauses] == ["1", "2", "J1"]
    assert rules.full_marks == D(10) and rules.part_of("J1") is extra and rules.indicator_of("2") is lead
    assert not rules.has_clause("3")
    assert (flag.largest, count.largest) == (D(4), D(6))
