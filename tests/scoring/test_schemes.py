"""The scoring rules of other published schemes: 不适用 (na indicators, kept or rescaled), 一票否决
and the bonus threshold — in rule files, rules check, export/import and scoring."""

import copy

import pytest
import yaml
from support.paths import DEMO_C, README
from typer.testing import CliRunner

from zwgk_cli.cli.commands import app
from zwgk_cli.rules.checking import check_rules
from zwgk_cli.rules.loading import load_rules, parse_rules

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
    assert [i.name for i in demo.indicators if i.allows_not_applicable] == ["重大建设项目", "留言办理", "在线访谈"]
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


def test_export_then_import_keeps_na_veto_and_the_policies(tmp_path):
    runner = CliRunner()
    table, back = tmp_path / "table.xlsx", tmp_path / "rules.yaml"
    assert runner.invoke(app, ["rules", "export", str(DEMO_C), "-o", str(table)]).exit_code == 0
    assert runner.invoke(app, ["rules", "import", str(table), "-o", str(back)]).exit_code == 0
    demo, again = load_rules(DEMO_C), load_rules(back)
    assert [(i.name, i.allows_not_applicable) for i in again.indicators] == [
        (i.name, i.allows_not_applicable) for i in demo.indicators]
    assert [(c.id, c.veto) for c in again.clauses] == [(c.id, c.veto) for c in demo.clauses]
    assert (again.not_applicable, again.veto_total, again.bonus_min_total) == ("rescale-category", 59, 80)


def test_rules_show_names_na_indicators_veto_clauses_and_the_policies():
    result = CliRunner().invoke(app, ["rules", "show", str(DEMO_C)], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    text = "".join(result.stdout.split())
    assert "重大建设项目（可不适用）" in text and "一票否决" in text
    assert "按比例折算" in text and "总分最高59分" in text and "达到80分及以上的，方计综合加分项" in text


# --- scoring (docs/scoring.md, Not applicable, Veto, Bonus threshold) ------------------------

from decimal import Decimal  # noqa: E402

from zwgk_cli.model import Entry, Findings  # noqa: E402
from zwgk_cli.scoring.compute import cap_notes, score_units  # noqa: E402

D = Decimal
NA = Entry(None, "不适用", not_applicable=True)


def score(rules, entries: dict):
    findings = Findings("单位", {k: v if isinstance(v, Entry) else Entry(D(str(v))) for k, v in entries.items()})
    return score_units(rules, [findings])[0]


@pytest.fixture(scope="module")
def demo():
    return load_rules(DEMO_C)


def test_rescaling_gives_a_repeating_decimal_rounded_half_up(demo):
    # 信息发布: W = 20, 重大建设项目 (5) not applicable: W_a = 15, D = 1 → 14 × 20 / 15 = 18.666…
    result = score(demo, {"C3": NA, "C1": 1})
    assert result.categories["信息发布"] == D("18.67") and result.total == D("98.67")
    assert result.not_applicable == ["C3"]
    assert cap_notes(demo, result) == ["信息发布：重大建设项目不适用，按适用赋分 15 分折算为 18.67 分"]


def test_rescaling_with_nothing_lost_keeps_the_weight(demo):
    assert score(demo, {"C3": NA}).categories["信息发布"] == 20


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


def test_category_where_everything_is_not_applicable_scores_its_weight_plus_its_bonuses(demo):
    result = score(demo, {"C4a": NA, "C5": NA, "C6": 2})
    assert result.categories["互动交流"] == 32
    assert result.not_applicable == ["C4a", "C4b", "C5"]


def test_keep_policy_not_applicable_indicator_simply_loses_nothing(demo):
    keep = rule_set(lambda d: d["policy"].update(not_applicable="keep"))
    result = score(keep, {"C3": NA, "C1": 1})
    assert result.categories["信息发布"] == 19 and result.total == 99
    assert result.not_applicable == ["C3"] and cap_notes(keep, result) == []


def test_veto_together_with_bonuses_caps_the_total_and_gives_the_lowest_grade(demo):
    result = score(demo, {"C8": "1", "CJ1": 3, "C6": 2})
    assert result.veto == ["C8"] and result.total == 59 and result.grade == "不合格"
    assert result.to_dict()["veto"] == ["C8"]
    assert cap_notes(demo, result)[-1] == "一票否决：C8 情形成立，总分按最高 59 分计，等次为不合格"


def test_veto_in_a_section_without_veto_total_gives_only_the_lowest_grade():
    no_cap = rule_set(lambda d: d["policy"].pop("veto_total"))
    result = score(no_cap, {"CK2": 1})
    assert (result.total, result.grade, result.veto) == (100, "不合格", ["CK2"])


def test_veto_clause_answered_no_does_not_veto(demo):
    result = score(demo, {"C8": 0, "CK2": 0})
    assert (result.total, result.grade, result.veto) == (100, "优秀", [])


def test_total_exactly_at_the_bonus_threshold_counts_the_bonuses(demo):
    result = score(demo, {"C7": 4, "CJ1": 1})  # 100 − 20 = 80, then + 2
    assert (result.total, result.bonus, result.grade) == (82, 2, "良好")


def test_total_below_the_bonus_threshold_does_not_count_the_bonuses(demo):
    result = score(demo, {"C7": 4, "C1": 1, "CJ1": 1})  # 79: the 2 points do not count
    assert (result.total, result.bonus) == (79, 0)
    assert cap_notes(demo, result) == ["综合加分项：各项合计 2 分；不含综合加分项的总分未达到 80 分，不计"]


def test_category_bonus_counts_towards_the_threshold_and_major_deductions_against_it(demo):
    assert score(demo, {"C7": 4, "C6": 1, "CK1": 1, "CJ1": 1}).total == 71  # 80 + 1 − 10 = 71 < 80


def test_many_units_with_and_without_the_new_rules_keep_their_own_results(demo):
    units = [{}, {"C3": NA, "C1": 1}, {"C8": 1}, {"C7": 4, "CJ1": 1}] * 50
    findings = [Findings(f"单位{i}", {k: v if isinstance(v, Entry) else Entry(D(v)) for k, v in e.items()})
                for i, e in enumerate(units)]
    totals = [r.total for r in score_units(demo, findings)]
    assert totals == [D(100), D("98.67"), D(59), D(82)] * 50


# --- 不适用 read from a returned workbook ----------------------------------------------------

from zwgk_cli.scoring.pipeline import score_paths  # noqa: E402
from zwgk_cli.workbooks.fill import fill_workbook  # noqa: E402
from zwgk_cli.workbooks.template import sheet_layout, write_templates  # noqa: E402


@pytest.fixture(scope="module")
def demo_blank(tmp_path_factory, demo):
    return write_templates(demo, ["示范局"], tmp_path_factory.mktemp("blank-c"))[0]


def _scored(demo, blank, folder, entries):
    path = fill_workbook(blank, folder / "示范局.xlsx", entries)
    return score_paths([path], demo)


def _cell(demo, clause_id):
    return f"H{sheet_layout(demo).clause_rows[clause_id]}"


def test_not_applicable_typed_in_a_workbook_rescales_its_category(demo, demo_blank, tmp_path):
    report = _scored(demo, demo_blank, tmp_path, {"C3": " 不适用 ", "C1": 1, "C4b": "不适用"})
    assert not report.errors
    (unit,) = report.units
    assert unit.not_applicable == ["C3", "C4a", "C4b"] and unit.clause("C3").input == "不适用"
    assert unit.categories["信息发布"] == D("18.67") and unit.categories["互动交流"] == 30
    assert report.to_dict()["units"][0]["not_applicable"] == ["C3", "C4a", "C4b"]


def test_not_applicable_on_an_indicator_that_must_apply_is_an_error_at_its_cell(demo, demo_blank, tmp_path):
    report = _scored(demo, demo_blank, tmp_path, {"C7": "不适用"})
    assert [(e.code, e.cell, e.value) for e in report.errors] == [("value-not-applicable", _cell(demo, "C7"),
                                                                   "不适用")]
    assert not report.units


def test_another_value_beside_not_applicable_in_one_indicator_is_an_error(demo, demo_blank, tmp_path):
    report = _scored(demo, demo_blank, tmp_path, {"C4a": "不适用", "C4b": "否"})
    assert [(e.code, e.cell, e.value) for e in report.errors] == [("value-not-applicable", _cell(demo, "C4b"),
                                                                   "否")]
    assert _cell(demo, "C4a") in report.errors[0].message


def test_a_sheet_with_only_not_applicable_is_not_called_empty(demo, demo_blank, tmp_path):
    report = _scored(demo, demo_blank, tmp_path, {"C5": "不适用"})
    assert "sheet-empty" not in {w.code for u in report.units for w in u.warnings}
    assert report.units[0].total == 100


def test_template_offers_not_applicable_only_in_cells_of_na_indicators(demo, demo_blank):
    import openpyxl

    ws = openpyxl.load_workbook(demo_blank)["评分表"]
    checks = {str(cell): dv for dv in ws.data_validations.dataValidation for cell in dv.sqref.ranges}
    assert checks[_cell(demo, "C5")].formula1 == '"是,否,不适用"'  # a 是否 clause: in its dropdown
    assert checks[_cell(demo, "C3")].type == "custom" and "不适用" in checks[_cell(demo, "C3")].formula1
    optional = {_cell(demo, c.id) for c in demo.clauses if demo.indicator_of(c.id).allows_not_applicable}
    offering = {cell for cell, dv in checks.items() if "不适用" in (dv.formula1 or "")}
    assert offering == optional


# --- where results are shown: feedback sheet, summary, terminal ----------------------------

def _shown_report(demo, blank, folder):
    from zwgk_cli.scoring.pipeline import rank_paths

    paths = [fill_workbook(blank, folder / "甲局.xlsx", {"C3": "不适用", "C1": 1, "C8": "是", "CJ1": 2}, unit="甲局"),
             fill_workbook(blank, folder / "乙局.xlsx", {"C7": 1}, unit="乙局")]
    return rank_paths(paths, demo)


def _values(ws):
    return [[cell for cell in row] for row in ws.iter_rows(values_only=True)]


def test_feedback_sheet_shows_not_applicable_veto_and_the_grade_it_set(demo, demo_blank, tmp_path):
    from zwgk_cli.workbooks.feedback import build_feedback

    report = _shown_report(demo, demo_blank, tmp_path)
    vetoed = next(u for u in report.units if u.unit == "甲局")
    rows = _values(build_feedback(demo, vetoed).active)
    by_id = {row[0]: row for row in rows if row[0] in ("C3", "C8")}
    assert by_id["C3"][4] == "不适用" and by_id["C3"][6] == "不适用"
    assert by_id["C8"][4] == "是" and by_id["C8"][6] == "否决"
    assert rows[2][5] == "总分：59　等次：不合格（一票否决）"
    notes = [row[1] for row in rows if isinstance(row[1], str) and row[1].startswith("注：")]
    assert notes == ["注：信息发布：重大建设项目不适用，按适用赋分 15 分折算为 18.67 分",
                     "注：一票否决：C8 情形成立，总分按最高 59 分计，等次为不合格"]


def test_summary_marks_not_applicable_and_veto_in_its_matrix_and_ranking(demo, demo_blank, tmp_path):
    import openpyxl

    from zwgk_cli.workbooks.summary import write_summary

    wb = openpyxl.load_workbook(write_summary(_shown_report(demo, demo_blank, tmp_path), tmp_path / "汇总.xlsx",
                                              force=False))
    ranking = {row[1]: row for row in _values(wb[wb.sheetnames[0]]) if row[1] in ("甲局", "乙局")}
    assert ranking["甲局"][2] == 59 and "不合格（一票否决）" in ranking["甲局"]
    assert "优秀" in ranking["乙局"]
    matrix = _values(wb[wb.sheetnames[1]])
    ids = matrix[2]
    row = next(r for r in matrix if r[1] == "甲局")
    assert row[ids.index("C3")] == "不适用" and row[ids.index("C8")] == "否决" and row[ids.index("C1")] == -1


def test_terminal_shows_not_applicable_and_veto(demo, demo_blank, tmp_path):
    from rich.console import Console

    from zwgk_cli.cli.views import leaderboard, unit_view

    report = _shown_report(demo, demo_blank, tmp_path)
    console = Console(width=200, record=True)
    console.print(unit_view(demo, next(u for u in report.units if u.unit == "甲局")))
    console.print(leaderboard(demo, report.units))
    text = console.export_text()
    assert "不适用" in text and "否决" in text and "不合格（一票否决）" in text


def test_import_of_an_official_table_reads_veto_not_applicable_and_the_bonus_threshold(tmp_path):
    import openpyxl

    from zwgk_cli.workbooks.ruletable import import_to_file

    wb = openpyxl.Workbook()
    ws = wb.active
    info, safety = ("信息发布（20分）", "网站检查"), ("安全防护（80分）", "检查通报")
    for row in (
        ["一级指标", "二级指标", "三级指标", "赋分", "扣分标准", "加分标准", "考核方式"],
        [info[0], "基础信息", "政策文件", 15, "政策文件未公开的，每发现一件扣2分，扣完为止。", None, info[1]],
        [info[0], "重点领域", "重大建设项目", 5,
         "批准信息未公开的，一处扣1分，扣完为止；无此项工作的不扣分，按比例折算。", None, info[1]],
        [safety[0], "安全管理", "网站安全", 80, "（被通报存在安全隐患的，每次扣5分，扣完为止。）", None, safety[1]],
        [safety[0], "安全管理", "网站安全", None, "发生严重安全事故的，实行一票否决。", None, safety[1]],
        ["综合加分项", "（一）", "经验推广", None, None, "被推广的，每次加2分；总分达到80分以上的，方可加分。", "材料"],
        ["重大扣分项", "（一）", "泄密事件", None, "发生泄密事件的，单项否决。", None, "评定"],
    ):
        ws.append(row)
    wb.save(tmp_path / "细则.xlsx")
    result = import_to_file(tmp_path / "细则.xlsx", tmp_path / "细则.yaml")
    assert result.unparsed == []
    rules = load_rules(tmp_path / "细则.yaml")
    assert [(i.name, i.allows_not_applicable) for i in rules.indicators] == [
        ("政策文件", False), ("重大建设项目", True), ("网站安全", False)]
    assert [(c.kind, c.per, c.veto) for c in rules.clauses if c.veto] == [("flag", 0, True), ("flag", 0, True)]
    assert rules.bonus_min_total == 80
    assert rules.indicator_of(rules.clauses[2].id).clauses[0].cap == 80  # the bracketed rule, 扣完为止


def test_readme_shows_the_demo_rule_file_as_it_is():
    import re

    readme = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
    assert DEMO_C.read_text(encoding="utf-8") in blocks
