"""What every command shares (zwgk_cli/cli/running.py): the guard that turns library errors into a
Chinese message and an exit code, the order of the checks that need no returned file, where
lines go, and --debug."""

import json
import os
import subprocess
import sys

from support.cli import zwgk_process
from support.paths import DEMO_B, RETURNED

from zwgk_cli.rules.loading import load_rules


def test_usage_errors_give_exit_2_without_traceback(cli, tmp_path):
    for args in (["score", tmp_path / "nowhere"],
                 ["score", tmp_path, "--rules", "no-such-rules"],
                 ["rank", tmp_path, "--roster", tmp_path / "missing.txt"]):
        result = cli(*args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output
    codes = [cli.error(*args)["code"] for args in (["score", tmp_path / "nowhere"],
                                                   ["score", tmp_path, "--rules", "no-such-rules"],
                                                   ["rank", tmp_path, "--roster", tmp_path / "missing.txt"])]
    assert codes == ["input-missing", "rules-invalid", "input-missing"]


def test_json_is_utf8_even_when_the_console_is_gbk(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    out = subprocess.run([sys.executable, "-m", "zwgk_cli", "score", str(RETURNED), "--json"],
                         capture_output=True, env=env, check=False)
    assert out.returncode == 0, out.stderr.decode("utf-8", "replace")
    data = json.loads(out.stdout.decode("utf-8"))
    assert "县财政局" in {u["unit"] for u in data["units"]}


def test_debug_shows_the_traceback_and_nothing_else_does(cli, tmp_path, monkeypatch):
    from zwgk_cli.scoring import pipeline

    def boom(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(pipeline, "score_units", boom)
    plain = cli("score", RETURNED)
    assert plain.exit_code == 2 and "内部错误" in plain.output and "Traceback" not in plain.output
    debug = cli("--debug", "score", RETURNED)
    assert debug.exit_code == 2 and "Traceback" in debug.output


def test_missing_input_is_reported_before_existing_output(cli, tmp_path):
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"keep me")
    error = cli.error("rank", tmp_path / "收回", "-o", out)
    assert error["code"] == "input-missing" and "收回" in error["message"]


def test_rule_set_then_roster_are_checked_before_the_returns(cli, tmp_path):
    args = ["rank", tmp_path / "收回", "-o", tmp_path / "汇总.xlsx"]
    bad_rules = cli.error(*args, "--rules", tmp_path / "细则.yaml", "--roster", "无.txt")
    assert bad_rules["code"] == "rules-invalid"
    no_roster = cli.error(*args, "--roster", tmp_path / "名单.txt")
    assert no_roster["code"] == "input-missing" and "名单" in no_roster["message"]
    assert list(tmp_path.iterdir()) == []


def test_stderr_messages_are_not_wrapped_when_not_a_terminal(tmp_path):
    out = tmp_path / ("很长的文件夹名称" * 6) / "县政务公开工作考核汇总表（二〇二二年度第一次）.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"keep me")
    result = zwgk_process("rank", RETURNED, "-o", out)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"错误：{out} 已存在，未覆盖；如需覆盖请加 --force"]


def test_roster_that_is_a_folder_is_refused_in_chinese(cli, tmp_path):
    error = cli.error("rank", RETURNED, "--roster", tmp_path, "-o", tmp_path / "汇总.xlsx")
    assert error["code"] == "input-missing" and "文件夹" in error["message"]
    assert list(tmp_path.iterdir()) == []


def test_internal_error_with_json_names_no_exception_class(cli, tmp_path, monkeypatch):
    import zwgk_cli.scoring.pipeline

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(zwgk_cli.scoring.pipeline, "rank_paths", broken)
    result = cli.json("rank", RETURNED, "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code == 2, result.output
    assert result.data["error"]["code"] == "internal-error"
    assert "KeyError" not in result.output + result.stderr and "Traceback" not in result.stderr


def test_a_rule_set_with_an_error_is_refused_by_the_commands_that_use_it(cli, tmp_path):
    import yaml

    data = yaml.safe_load(DEMO_B.read_text(encoding="utf-8"))
    data["categories"][0]["weight"] += 5  # the weights no longer add up to 满分
    broken = tmp_path / "错.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_rules(broken).id == "demo-2023-b"  # loads (for rules check)
    result = cli.json("template", "-o", tmp_path / "o", "--rules", broken)
    code, data = result.exit_code, result.data
    assert code == 2 and data["error"]["code"] == "rules-invalid" and not (tmp_path / "o").exists()
    assert "rules-weight-sum" in {p["code"] for p in data["error"]["problems"]}
    exported = cli("rules", "export", broken, "-o", tmp_path / "t.xlsx")
    assert exported.exit_code == 2 and "权重合计" in exported.output
    assert cli("rules", "check", broken).exit_code == 1
