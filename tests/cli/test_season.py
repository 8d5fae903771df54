"""The season's commands (zwgk_cli/cli/season.py): ``template``, ``score`` and ``rank`` — their JSON
equals the library's result, exit codes, the terminal's lines."""

from pathlib import Path

import openpyxl
from support import visible
from support.paths import RETURNED, ROSTER

from zwgk_cli.reading.roster import load_roster, read_roster
from zwgk_cli.scoring.pipeline import rank_paths, score_paths
from zwgk_cli.workbooks.feedback import write_feedback_sheets
from zwgk_cli.workbooks.run_outputs import write_rank_outputs


def _strip_times(data: dict) -> dict:
    data.pop("generated_at", None)
    return data


def test_rank_json_equals_library_result(cli, tmp_path, rules):
    out = tmp_path / "汇总.xlsx"
    result = cli.json("rank", RETURNED, "--roster", ROSTER, "-o", out)
    assert result.exit_code == 0, result.output
    library = rank_paths([RETURNED], rules, read_roster(ROSTER))
    write_rank_outputs(library, out, force=True)  # what the command does next, through the library
    assert _strip_times(result.data) == _strip_times(library.to_dict())
    data = result.data
    assert data["missing"] == ["县市场监督管理局"]
    assert [u["rank"] for u in data["units"]][:3] == [1, 2, 3]
    assert set(data["units"][0]["categories"]) == {c.name for c in rules.categories}
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["排名", "分项得分", "未提交", "问题", "印证材料", "说明", "总分图", "共性问题", "分数分布",
                             "_meta"]
    assert wb["_meta"].sheet_state == "hidden"  # marks the summary as this tool's: never read as a return
    assert wb["未提交"]["B4"].value == "县市场监督管理局"


def test_rank_table_and_top(cli, tmp_path):
    result = cli("rank", RETURNED, "--roster", ROSTER, "-o", tmp_path / "s.xlsx", "--top", "3")
    assert result.exit_code == 0
    assert "县农业农村局" in result.stdout and "县财政局" not in result.stdout
    assert "县市场监督管理局" in result.stdout


def test_score_json_and_feedback_sheets(cli, tmp_path, rules):
    result = cli.json("score", RETURNED, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    library = score_paths([RETURNED], rules)
    write_feedback_sheets(library, tmp_path, force=True)
    assert _strip_times(result.data) == _strip_times(library.to_dict())
    sheet = openpyxl.load_workbook(tmp_path / "县财政局_扣分情况反馈单.xlsx").active
    text = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "整改情况" in text and "被考核单位：县财政局" in text and "H11" in text


def test_rejected_file_gives_exit_1_and_the_rest_is_scored(cli, tmp_path, filled):
    filled({"5": 1}, name="ok.xlsx")
    filled({"5": "若干"}, unit="县教育局", name="bad.xlsx")
    result = cli.json("score", tmp_path)
    assert result.exit_code == 1
    data = result.data
    assert [u["unit"] for u in data["units"]] == ["县财政局"]
    assert data["errors"][0]["cell"] == "H11" and data["errors"][0]["value"] == "若干"
    assert data["errors"][0]["code"] == "value-quantity" and data["errors"][0]["sheet"] == "评分表"


def test_template_with_roster_and_no_overwrite(cli, tmp_path):
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称,备注\n县财政局,\n县教育局,\n", encoding="utf-8-sig")
    out = tmp_path / "out"
    assert cli("template", "--roster", roster, "-o", out).exit_code == 0
    assert visible(out) == ["县教育局.xlsx", "县财政局.xlsx"]
    again = cli("template", "--roster", roster, "-o", out)
    assert again.exit_code == 2
    blank = cli("template", "-o", out)
    assert blank.exit_code == 0 and (out / "scoring_template.xlsx").exists()


def test_rank_json_with_a_junky_roster_equals_the_library_report(cli, tmp_path):
    from zwgk_cli.rules.loading import load_rulebook

    roster = tmp_path / "名单.txt"
    names = ROSTER.read_text(encoding="utf-8")
    roster.write_text("单位名称\n" + names + "合计：12个单位\n", encoding="utf-8")
    result = cli.json("rank", RETURNED, "--roster", roster, "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code == 0, result.output
    listed = load_roster(roster)
    library = rank_paths([RETURNED], load_rulebook(), listed.names, listed.classes,
                         roster_warnings=listed.warnings)
    write_rank_outputs(library, tmp_path / "汇总.xlsx", force=True)
    data = result.data
    assert [w["code"] for w in data["warnings"]][:2] == ["roster-line-dropped"] * 2
    assert _strip_times(data) == _strip_times(library.to_dict())


def test_rank_json_with_roster_reports_identity_duplicates_and_dropped_roster_lines(cli, back, tmp_path):
    roster = tmp_path / "名单.txt"
    roster.write_text("序号\t单位名称\n1\t县民政局\n2\t县财政局\n3\t县市场监督管理局（知识产权局）\n合计\t3个单位\n",
                      encoding="utf-8")
    back("县民政局", "绛县民政局.xlsx", {"5": 1}, unit="绛县民政局")
    back("县财政局", "县财政局.xlsx", {"5": 1})
    back("县财政局", "县财政局-新.xlsx", {"1": "也许"})
    result = cli.json("rank", back.folder, "--roster", roster, "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code == 1, result.output
    data = result.data
    assert [(u["unit"], u["rank"]) for u in data["units"]] == [("县民政局", 1)]
    assert data["missing"] == ["县市场监督管理局（知识产权局）"]
    assert sorted(e["code"] for e in data["errors"]) == ["unit-duplicate", "unit-duplicate", "value-flag"]
    dropped = [(w["code"], w["cell"]) for w in data["warnings"] if w["code"] == "roster-line-dropped"]
    assert dropped == [("roster-line-dropped", "第1行"), ("roster-line-dropped", "第5行")]
    assert {i["unit"] for i in data["inputs"]} == {"县民政局", "县财政局"}
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    assert [r[1].value for r in wb["未提交"].iter_rows(min_row=4)] == ["县市场监督管理局（知识产权局）"]
    problems = {(r[1].value and Path(r[1].value).name, r[6].value) for r in wb["问题"].iter_rows(min_row=4)}
    assert ("县财政局-新.xlsx", "unit-duplicate") in problems


def test_an_identical_copy_is_said_as_such_on_the_last_line(cli, tmp_path):
    samples = RETURNED
    for name in ("县财政局.xlsx", "县民政局.xlsx"):
        (tmp_path / name).write_bytes((samples / name).read_bytes())
    (tmp_path / "县财政局(1).xlsx").write_bytes((samples / "县财政局.xlsx").read_bytes())
    result = cli("score", tmp_path)
    assert result.exit_code == 0
    assert "1 个文件与另一文件完全相同，只计一次" in result.output and "未计分" not in result.output


def test_the_last_line_counts_what_was_skipped_and_names_it_as_it_is(cli, tmp_path):
    (tmp_path / "县财政局.xlsx").write_bytes((RETURNED / "县财政局.xlsx").read_bytes())
    (tmp_path / "材料{0}{}.rar").write_bytes(b"Rar!")  # braces in a name are text, not a placeholder
    result = cli("score", tmp_path)
    assert result.exit_code == 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("共读取 1 个工作簿，计分 1 个单位，跳过 1 个不是表格的文件（") and "材料{0}{}.rar）" in last
