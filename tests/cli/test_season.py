"""The command line: JSON equals the library's result, exit codes, no overwrites, no traceback."""

import json
import subprocess
import sys

import openpyxl
import pytest
from support import visible, visible_paths
from support.paths import AS_PRINTED, README, SAMPLES
from typer.testing import CliRunner

from zwgk_cli.cli.commands import app
from zwgk_cli.reading.roster import read_roster
from zwgk_cli.scoring.pipeline import rank_paths, score_paths
from zwgk_cli.workbooks.feedback import write_feedback_sheets
from zwgk_cli.workbooks.run_outputs import write_rank_outputs


@pytest.fixture
def runner():
    return CliRunner(env={"COLUMNS": "160"})


def _json(result) -> dict:
    return json.loads(result.stdout)


def _strip_times(data: dict) -> dict:
    data.pop("generated_at", None)
    return data


def test_rank_json_equals_library_result(runner, tmp_path, rules):
    out = tmp_path / "汇总.xlsx"
    result = runner.invoke(app, ["rank", str(SAMPLES / "returned"), "--roster",
                                 str(SAMPLES / "roster.txt"), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    library = rank_paths([SAMPLES / "returned"], rules, read_roster(SAMPLES / "roster.txt"))
    write_rank_outputs(library, out, force=True)  # what the command does next, through the library
    assert _strip_times(_json(result)) == _strip_times(library.to_dict())
    data = _json(result)
    assert data["missing"] == ["县市场监督管理局"]
    assert [u["rank"] for u in data["units"]][:3] == [1, 2, 3]
    assert set(data["units"][0]["categories"]) == {c.name for c in rules.categories}
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["排名", "分项得分", "未提交", "问题", "说明", "总分图", "共性问题", "分数分布", "_meta"]
    assert wb["_meta"].sheet_state == "hidden"  # marks the summary as this tool's: never read as a return
    assert wb["未提交"]["B4"].value == "县市场监督管理局"


def test_rank_table_and_top(runner, tmp_path):
    result = runner.invoke(app, ["rank", str(SAMPLES / "returned"), "--roster",
                                 str(SAMPLES / "roster.txt"), "-o", str(tmp_path / "s.xlsx"), "--top", "3"])
    assert result.exit_code == 0
    assert "县农业农村局" in result.stdout and "县财政局" not in result.stdout
    assert "县市场监督管理局" in result.stdout


def test_existing_output_is_not_overwritten(runner, tmp_path):
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"keep me")
    args = ["rank", str(SAMPLES / "returned"), "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and out.read_bytes() == b"keep me"
    assert "--force" in result.output
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    assert out.read_bytes() != b"keep me"


def test_score_json_and_feedback_sheets(runner, tmp_path, rules):
    result = runner.invoke(app, ["score", str(SAMPLES / "returned"), "--json", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    library = score_paths([SAMPLES / "returned"], rules)
    write_feedback_sheets(library, tmp_path, force=True)
    assert _strip_times(_json(result)) == _strip_times(library.to_dict())
    sheet = openpyxl.load_workbook(tmp_path / "县财政局_扣分情况反馈单.xlsx").active
    text = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "整改情况" in text and "被考核单位：县财政局" in text and "H11" in text


def test_rejected_file_gives_exit_1_and_the_rest_is_scored(runner, tmp_path, filled):
    filled({"5": 1}, name="ok.xlsx")
    filled({"5": "若干"}, unit="县教育局", name="bad.xlsx")
    result = runner.invoke(app, ["score", str(tmp_path), "--json"])
    assert result.exit_code == 1
    data = _json(result)
    assert [u["unit"] for u in data["units"]] == ["县财政局"]
    assert data["errors"][0]["cell"] == "H11" and data["errors"][0]["value"] == "若干"


def test_usage_errors_give_exit_2_without_traceback(runner, tmp_path):
    for args in (["score", str(tmp_path / "nowhere")],
                 ["score", str(tmp_path), "--rules", "no-such-rules"],
                 ["rank", str(tmp_path), "--roster", str(tmp_path / "missing.txt")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output


def test_template_with_roster_and_no_overwrite(runner, tmp_path):
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称,备注\n县财政局,\n县教育局,\n", encoding="utf-8-sig")
    out = tmp_path / "out"
    assert runner.invoke(app, ["template", "--roster", str(roster), "-o", str(out)]).exit_code == 0
    assert visible(out) == ["县教育局.xlsx", "县财政局.xlsx"]
    again = runner.invoke(app, ["template", "--roster", str(roster), "-o", str(out)])
    assert again.exit_code == 2
    blank = runner.invoke(app, ["template", "-o", str(out)])
    assert blank.exit_code == 0 and (out / "scoring_template.xlsx").exists()


def test_rules_commands(runner):
    listed = runner.invoke(app, ["rules", "list", "--json"])
    assert _json(listed)["rules"][0]["id"] == "jiangxian-2022-a"
    shown = runner.invoke(app, ["rules", "show"])
    assert shown.exit_code == 0 and "E2" in shown.stdout and "行政规范性文件审核备案及公示情况" in shown.stdout
    assert runner.invoke(app, ["rules", "check"]).exit_code == 0  # notes only
    printed = AS_PRINTED
    checked = runner.invoke(app, ["rules", "check", str(printed), "--json"])
    assert checked.exit_code == 1
    assert len(_json(checked)["findings"]) == 5


def test_help_does_not_import_pandas_or_openpyxl():
    code = ("import sys; from zwgk_cli.cli.commands import app\n"
            "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'openpyxl', 'python_calamine') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_strings_from_inputs_never_become_formulas(runner, tmp_path, filled):
    folder = tmp_path / "in"
    folder.mkdir()
    filled({"5": 1, "J4": 1}, notes={"5": "=1+1", "J4": "@SUM(A1)"}, unit="=HYPERLINK(\"x\")",
           name="-evil.xlsx", folder=folder)
    out = tmp_path / "out"
    assert runner.invoke(app, ["score", str(folder), "-o", str(out)]).exit_code == 0
    assert runner.invoke(app, ["rank", str(folder), "-o", str(out / "汇总.xlsx")]).exit_code == 0
    written = visible_paths(out)
    assert len(written) == 2
    for path in written:
        wb = openpyxl.load_workbook(path)
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], path.name
        texts = {c.value for c in cells if isinstance(c.value, str)}
        assert any("=HYPERLINK" in t for t in texts)


def test_json_is_utf8_even_when_the_console_is_gbk(tmp_path):
    env = {**__import__("os").environ, "PYTHONIOENCODING": "gbk"}
    out = subprocess.run([sys.executable, "-m", "zwgk_cli", "score", str(SAMPLES / "returned"), "--json"],
                         capture_output=True, env=env, check=False)
    assert out.returncode == 0, out.stderr.decode("utf-8", "replace")
    data = json.loads(out.stdout.decode("utf-8"))
    assert "县财政局" in {u["unit"] for u in data["units"]}


def test_output_open_elsewhere_gives_a_clear_message_and_keeps_the_old_file(runner, tmp_path, monkeypatch):
    import os

    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"old summary")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    result = runner.invoke(app, ["rank", str(SAMPLES / "returned"), "-o", str(out), "--force"])
    assert result.exit_code == 2
    assert "正在 Excel/WPS 中打开" in result.output and "Traceback" not in result.output
    assert out.read_bytes() == b"old summary"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]  # no temp file left


def test_debug_shows_the_traceback_and_nothing_else_does(runner, tmp_path, monkeypatch):
    from zwgk_cli.scoring import pipeline

    def boom(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(pipeline, "score_units", boom)
    plain = runner.invoke(app, ["score", str(SAMPLES / "returned")])
    assert plain.exit_code == 2 and "内部错误" in plain.output and "Traceback" not in plain.output
    debug = runner.invoke(app, ["--debug", "score", str(SAMPLES / "returned")])
    assert debug.exit_code == 2 and "Traceback" in debug.output


def test_readme_documents_every_problem_code_and_command():
    from zwgk_cli.problems import CODES

    readme = README.read_text(encoding="utf-8")
    assert not [code for code in CODES if f"`{code}`" not in readme]
    for command in ("zwgk template", "zwgk score", "zwgk rank", "zwgk rules"):
        assert command in readme


def test_every_command_has_help(runner):
    for args in (["template"], ["score"], ["rank"], ["rules", "list"], ["rules", "show"], ["rules", "check"],
                 ["rules", "export"], ["rules", "import"], ["rules", "parse"]):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0 and len(result.output.strip().splitlines()) > 3, args


def test_rules_parse_json(runner):
    text = "每发现一处，扣2分，扣分上限为8分；发现两次及以上的，不得分"
    result = runner.invoke(app, ["rules", "parse", text, "--json"])
    assert result.exit_code == 1  # one sentence left for a person
    data = _json(result)
    assert data["clauses"] == [{"kind": "count", "per": 2, "cap": 8, "bonus": False, "max": None, "veto": False,
                                "text": "每发现一处,扣2分,扣分上限为8分"}]
    assert (data["not_applicable"], data["bonus_min_total"]) == (False, None)
    assert data["unparsed"] == ["发现两次及以上的,不得分"]
    flag = runner.invoke(app, ["rules", "parse", "未建立目录的，不得分", "--points", "6", "--json"])
    assert flag.exit_code == 0 and _json(flag)["clauses"][0]["per"] == 6


def test_readme_rule_file_example_loads_and_checks():
    import re

    from zwgk_cli.rules.checking import check_rules
    from zwgk_cli.rules.loading import parse_rules

    readme = README.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.DOTALL).group(1)
    rules = parse_rules(example.encode("utf-8"))
    assert rules.indicator_cap and rules.bonus_cap == 5 and rules.grades
    assert all(f.level.value != "error" for f in check_rules(rules))


@pytest.mark.parametrize("argv, words", [
    (["score"], "缺少参数"),
    (["score", "x", "--bogus"], "没有选项 --bogus"),
    (["rank", "x", "--top", "0"], "应不小于 1"),
    (["frob"], "没有这个命令"),
    (["template"], "缺少选项 -o / --output"),
])
def test_usage_errors_are_chinese_with_exit_2(argv, words, capsys):
    from zwgk_cli.cli.commands import run

    with pytest.raises(SystemExit) as exit_info:
        run(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert words in err and "--help" in err and "Traceback" not in err


def test_help_is_chinese(runner):
    result = runner.invoke(app, ["rank", "--help"])
    assert "用法：" in result.output and "选项" in result.output and "显示本帮助并退出。" in result.output
    assert "Show this message" not in result.output and "[default:" not in result.output


def _cells(path) -> list:
    return [c.value for row in openpyxl.load_workbook(path).active.iter_rows() for c in row if c.value is not None]


def test_rejected_file_gets_a_return_sheet_with_each_error_its_cell_and_what_to_do(runner, tmp_path, filled):
    returns, out = tmp_path / "收回", tmp_path / "反馈"
    returns.mkdir()
    filled({"5": 1}, folder=returns, name="ok.xlsx")
    filled({"5": "若干", "1": "也许"}, folder=returns, name="县教育局.xlsx", unit="县教育局")
    result = runner.invoke(app, ["score", str(returns), "-o", str(out)])
    assert result.exit_code == 1
    (sheet,) = out.glob("*_退回修改反馈单.xlsx")
    assert visible(out) == ["县教育局_退回修改反馈单.xlsx", "县财政局_扣分情况反馈单.xlsx"]
    text = _cells(sheet)
    assert "评分表退回修改反馈单" in text[0] and "被考核单位：" in text[2] and "退回修改" in text[3]
    rows = {c: text[text.index(c):text.index(c) + 4] for c in ("H5", "H11")}
    assert rows["H11"][1] == "若干" and "不是有效的数量" in rows["H11"][2] and "阿拉伯数字" in rows["H11"][3]
    assert rows["H5"][1] == "也许" and "是" in rows["H5"][3]


def test_a_file_that_is_not_a_workbook_gets_a_return_sheet_named_after_the_file(runner, tmp_path):
    returns, out = tmp_path / "收回", tmp_path / "反馈"
    returns.mkdir()
    (returns / "县审计局.xlsx").write_text("单位,扣分\n县审计局,2\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(returns), "-o", str(out)])
    assert result.exit_code == 1
    assert visible(out) == ["县审计局_退回修改反馈单.xlsx"]
    text = _cells(out / "县审计局_退回修改反馈单.xlsx")
    assert any("文本文件" in str(v) for v in text) and any("另存为" in str(v) for v in text)


def test_two_rejected_files_of_one_unit_get_two_return_sheets(tmp_path, rules):
    from types import SimpleNamespace

    from zwgk_cli.model import InputFile
    from zwgk_cli.problems import Problem
    from zwgk_cli.workbooks.feedback import rejected_targets

    files = ["收回/县民政局.xlsx", "收回/旧/县民政局.xlsx", "收回/民政局终稿.xlsx"]
    report = SimpleNamespace(inputs=[InputFile(f, "", "县民政局", "重复") for f in files],
                             errors=[Problem("unit-duplicate", "重复", file=f) for f in files])
    taken = {tmp_path / "县民政局_退回修改反馈单.xlsx".upper()}  # a name in use, in other case
    targets = rejected_targets(report, tmp_path, taken, force=False)
    assert [p.name for p in targets.values()] == [
        "县民政局（县民政局）_退回修改反馈单.xlsx", "县民政局（2）_退回修改反馈单.xlsx",
        "县民政局（民政局终稿）_退回修改反馈单.xlsx"]


def test_rank_json_with_a_junky_roster_equals_the_library_report(runner, tmp_path):
    from zwgk_cli.reading.roster import load_roster
    from zwgk_cli.rules.loading import load_rulebook

    roster = tmp_path / "名单.txt"
    names = (SAMPLES / "roster.txt").read_text(encoding="utf-8")
    roster.write_text("单位名称\n" + names + "合计：12个单位\n", encoding="utf-8")
    result = runner.invoke(app, ["rank", str(SAMPLES / "returned"), "--roster", str(roster),
                                 "-o", str(tmp_path / "汇总.xlsx"), "--json"])
    assert result.exit_code == 0, result.output
    listed = load_roster(roster)
    library = rank_paths([SAMPLES / "returned"], load_rulebook(), listed.names, listed.classes,
                         roster_warnings=listed.warnings)
    write_rank_outputs(library, tmp_path / "汇总.xlsx", force=True)
    data = _json(result)
    assert [w["code"] for w in data["warnings"]][:2] == ["roster-line-dropped"] * 2
    assert _strip_times(data) == _strip_times(library.to_dict())
