"""This season against the last (zwgk_cli/scoring/seasons.py): previous totals and ranks by name
or 曾用名, and the change labels."""

from __future__ import annotations

from decimal import Decimal

from zwgk_cli.model import PreviousSeason, Report, Standing, UnitResult
from zwgk_cli.scoring.seasons import change_label, compare_seasons


def _unit(name: str, rank: int) -> UnitResult:
    return UnitResult(name, "", "", Decimal(90), {}, Decimal(0), Decimal(0), [], [], rank=rank)


def _compare(units, previous, former=None) -> Report:
    from zwgk_cli.rules.loading import load_rules

    report = Report(load_rules(), units, [], [], "")
    compare_seasons(report, PreviousSeason("上年.json", [], previous), former)
    return report


def test_a_former_name_claimed_by_two_units_is_said_and_taken_by_neither():
    report = _compare([_unit("县文化和旅游局", 1), _unit("县体育局", 2)],
                      [Standing("县文体局", Decimal(95), 1)],
                      {"县文化和旅游局": ["县文体局"], "县体育局": ["县文体局"]})
    assert [u.previous for u in report.units] == [None, None]
    assert [n.code for n in report.warnings] == ["previous-ambiguous"]


def test_own_name_wins_over_another_units_former_name():
    report = _compare([_unit("县教育局", 1), _unit("县教育科技局", 2)],
                      [Standing("县 教育局", Decimal(95), 3)], {"县教育科技局": ["县教育局"]})
    assert report.units[0].rank_change == 2 and report.units[1].previous is None
    assert report.warnings == [] and report.previous.only == []


def test_change_labels_as_published():
    then = [Standing("甲", Decimal(1), 1), Standing("乙", Decimal(1), 4), Standing("丙", Decimal(1), 1)]
    units = _compare([_unit("甲", 1), _unit("乙", 2), _unit("丙", 3), _unit("丁", 4)], then).units
    assert [change_label(u) for u in units] == ["–", "↑2", "↓2", "新"]


def test_a_unit_ranked_in_another_class_last_season_keeps_its_total_but_no_rank_change():
    then = [Standing("县财政局", Decimal(90), 3, "a", "A"), Standing("镇政府", Decimal(95), 1, "b", "B")]
    report = _compare([_unit("县财政局", 1), _unit("镇政府", 2)], then)  # now both in class A
    assert report.units[0].rank_change == 2
    moved = report.units[1]
    assert (moved.previous.total, moved.previous.rank, moved.rank_change) == (95, None, None)
    assert [change_label(u) for u in report.units] == ["↑2", "类别变更"]
    assert [(n.code, "镇政府" in n.message) for n in report.warnings] == [("previous-rules", True)]
