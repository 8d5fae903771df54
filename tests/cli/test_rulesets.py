"""The rule-set commands (zwgk_cli/cli/rulesets.py): ``zwgk rules list|show|check|parse``."""

from support.paths import AS_PRINTED, DEMO_C


def test_rules_commands(cli):
    listed = cli.json("rules", "list")
    assert listed.data["rules"][0]["id"] == "jiangxian-2022-a"
    shown = cli("rules", "show")
    assert shown.exit_code == 0 and "E2" in shown.stdout and "行政规范性文件审核备案及公示情况" in shown.stdout
    assert "印证材料：未提供印证材料的照常计分" in shown.stdout  # the built-in set warns
    rows = {line.split()[0]: line.split() for line in shown.stdout.splitlines() if line.strip()[:3] in ("1  ", "5  ")}
    assert "必须" in rows["1"] and "无" in rows["5"]  # 1 asks for 会议纪要; 5 is checked on the website
    assert cli("rules", "check").exit_code == 0  # notes only
    printed = AS_PRINTED
    checked = cli.json("rules", "check", printed)
    assert checked.exit_code == 1
    assert len(checked.data["findings"]) == 5
    assert sorted(f["code"] for f in checked.data["findings"]) == [
        "rules-clause-over-points", "rules-name-duplicate", "rules-name-duplicate", "rules-points-sum",
        "rules-points-sum"]


def test_rules_parse_json(cli):
    text = "每发现一处，扣2分，扣分上限为8分；发现两次及以上的，不得分"
    result = cli.json("rules", "parse", text)
    assert result.exit_code == 1  # one sentence left for a person
    data = result.data
    assert data["clauses"] == [{"kind": "count", "per": 2, "cap": 8, "bonus": False, "max": None, "veto": False,
                                "text": "每发现一处,扣2分,扣分上限为8分"}]
    assert (data["not_applicable"], data["bonus_min_total"]) == (False, None)
    assert data["unparsed"] == ["发现两次及以上的,不得分"]
    flag = cli.json("rules", "parse", "未建立目录的，不得分", "--points", "6")
    assert flag.exit_code == 0 and flag.data["clauses"][0]["per"] == 6


def test_rules_show_names_na_indicators_veto_clauses_and_the_policies(cli):
    result = cli("rules", "show", DEMO_C, env={"COLUMNS": "250"})
    assert result.exit_code == 0
    text = "".join(result.stdout.split())
    assert "重大建设项目（可不适用）" in text and "一票否决" in text
    assert "按比例折算" in text and "总分最高59分" in text and "达到80分及以上的，方计综合加分项" in text
