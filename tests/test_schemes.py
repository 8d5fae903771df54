"""The scoring rules of other published schemes: 不适用 (na indicators, kept or rescaled), 一票否决
and the bonus threshold — in rule files, rules check, export/import and scoring."""

import copy
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from zwgk_cli.cli.commands import app
from zwgk_cli.rules.checking import check_rules
from zwgk_cli.rules.loading import load_rules, parse_rules

FIXTURES = Path(__file__).parent / "fixtures"
DEMO_C = FIXTURES / "demo-2024-c.yaml"
RAW = yaml.safe_load(DEMO_C.read_text(encoding="utf-8"))


def rule_set(change=None):
    """The demo-2024-c rule set, changed by ``change(data)`` first."""
    data = copy.deepcopy(RAW)
    if change:
        change(data)
    return parse_rules(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"), source="c.yaml")


def test_demo_rule_file_loads_every_new_field():
    demo = load_rules(DEMO_C)
    assert demo.not_applicable == "rescale-category"
    assert (demo.veto_total, demo.bonus_min_total) == (59, 80)
    assert [i.name for i in demo.indicators if i.na] == ["重大建设项目", "留言办理", "在线访谈"]
    assert [c.id for c in demo.clauses if c.veto] == ["C8", "CK2"]
    assert check_rules(demo) == []


def test_policy_not_applicable_must_be_a_known_choice():
    with pytest.raises(Exception) as caught:
        rule_set(lambda d: d["policy"].update(not_applicable="rescale"))
    (problem,) = caught.value.problems
    assert problem.message.startswith("policy.not_applicable：应为 keep | rescale-category 之一")


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


def test_check_finds_rescaling_with_no_na_indicator_and_na_without_points():
    def no_na(data):
        for category in data["categories"]:
            for indicator in category["indicators"]:
                indicator.pop("na", None)
    assert _findings(rule_set(no_na)) == [("rules-not-applicable", "warning", "policy")]

    def no_points(data):
        del data["categories"][0]["indicators"][2]["points"]
    assert ("rules-not-applicable", "error", "信息发布/重大建设项目") in _findings(rule_set(no_points))


def test_export_then_import_keeps_na_veto_and_the_policies(tmp_path):
    runner = CliRunner()
    table, back = tmp_path / "table.xlsx", tmp_path / "rules.yaml"
    assert runner.invoke(app, ["rules", "export", str(DEMO_C), "-o", str(table)]).exit_code == 0
    assert runner.invoke(app, ["rules", "import", str(table), "-o", str(back)]).exit_code == 0
    demo, again = load_rules(DEMO_C), load_rules(back)
    assert [(i.name, i.na) for i in again.indicators] == [(i.name, i.na) for i in demo.indicators]
    assert [(c.id, c.veto) for c in again.clauses] == [(c.id, c.veto) for c in demo.clauses]
    assert (again.not_applicable, again.veto_total, again.bonus_min_total) == ("rescale-category", 59, 80)


def test_rules_show_names_na_indicators_veto_clauses_and_the_policies():
    result = CliRunner().invoke(app, ["rules", "show", str(DEMO_C)], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    text = "".join(result.stdout.split())
    assert "重大建设项目（可不适用）" in text and "一票否决" in text
    assert "按比例折算" in text and "总分最高59分" in text and "达到80分及以上的，方计综合加分项" in text
