"""A county's scoring table turned into rule-file data (zwgk_cli/rules/importing.py): the published
table as printed, veto, 不适用 and the bonus threshold read from the official columns."""

import re

import openpyxl
import yaml

from zwgk_cli.rules.loading import load_rules
from zwgk_cli.rules.text import normalise


def bare(text: str) -> str:
    """Text without punctuation or spaces, to compare wordings."""
    return re.sub(r"[\W_]", "", normalise(text))


def stem(text: str) -> str:
    """The condition of a rule, before its amount ("…表扬的" of "…表扬的,每项分别加6分、3分")."""
    return re.split(r"每项|扣\d|加\d", bare(text))[0]


def test_import_of_the_seed_table_as_published(cli, tmp_path, rules):
    """Only the official columns, merged cells as in the PDF: the parser derives the clauses."""
    from support.seed_table import write_seed_table

    table = write_seed_table(tmp_path / "seed.xlsx")
    out = tmp_path / "seed.yaml"
    result = cli("rules", "import", table, "-o", out)
    assert result.exit_code == 1  # J4 and K8 (酌情) are left for a person
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    imported = [c for cat in data["categories"] for ind in cat["indicators"] for c in ind["clauses"]]
    imported += [{**c, "bonus": sec["bonus"]} for sec in data["sections"] for c in sec["clauses"]]
    for clause in rules.clauses:
        if clause.id in ("J4", "K8"):
            continue
        got = next((c for c in imported if stem(c["text"]) in bare(clause.text)), None)
        assert got is not None, clause.id
        assert (got["kind"], got["per"], got.get("cap"), got.get("bonus", False)) == (
            clause.kind, clause.per, clause.cap, clause.bonus), clause.id
    assert sum(1 for c in imported if c["kind"] is None) == 2


def test_import_of_an_official_table_reads_veto_not_applicable_and_the_bonus_threshold(tmp_path):
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
