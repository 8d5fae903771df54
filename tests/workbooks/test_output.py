"""The command line in the messy season: skipped files, outputs, usage order, exit-2 JSON,
an empty returns folder, messages in Chinese, and typer's public API only."""

import errno
import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console
from support.paths import DEMO_B, RETURNED, ROOT
from typer.testing import CliRunner

from zwgk_cli.cli.commands import app
from zwgk_cli.cli.views import leaderboard
from zwgk_cli.problems import OutputError
from zwgk_cli.scoring.pipeline import rank_paths
from zwgk_cli.workbooks import output as output_module
from zwgk_cli.workbooks.output import atomic_write


@pytest.fixture
def runner():
    try:  # stdout and stderr apart (click before 8.2 mixes them unless told)
        return CliRunner(env={"COLUMNS": "160"}, mix_stderr=False)
    except TypeError:
        return CliRunner(env={"COLUMNS": "160"})


def _error(result) -> dict:
    """The JSON error document of an exit-2 run."""
    assert result.exit_code == 2, result.output
    return json.loads(result.stdout)["error"]


def _zwgk(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zwgk_cli", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env={**os.environ, "COLUMNS": "80"})


# --- files in the returns folder that are not workbooks ---------------------------------

def test_non_spreadsheet_files_in_returns_folder_are_listed_not_scored(runner, tmp_path, filled):
    returns = tmp_path / "收回"
    returns.mkdir()
    filled({"5": 1}, folder=returns)
    (returns / "县民政局扫描件.pdf").write_bytes(b"%PDF-1.4")
    (returns / "材料.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    (returns / "~$县财政局.xlsx").write_bytes(b"lock")  # Office lock file: silently skipped
    (returns / ".DS_Store").write_bytes(b"x")  # hidden: silently skipped
    out = tmp_path / "汇总.xlsx"
    result = runner.invoke(app, ["rank", str(returns), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output  # skipping does not change the exit code
    inputs = json.loads(result.stdout)["inputs"]
    skipped = {Path(i["file"]).name: i["reason"] for i in inputs if i["status"] == "已跳过"}
    assert skipped == {"县民政局扫描件.pdf": "不是表格文件（.pdf）", "材料.zip": "不是表格文件（.zip）"}
    assert [Path(i["file"]).name for i in inputs if i["status"] == "已评分"] == ["县财政局.xlsx"]
    assert "跳过 2 个不是表格的文件" in result.stderr
    about = [c for row in openpyxl.load_workbook(out)["说明"].iter_rows(values_only=True) for c in row if c]
    assert "不是表格文件（.pdf）" in about and any(str(c).endswith("县民政局扫描件.pdf") for c in about)


def test_empty_returns_folder_warns_with_input_empty(runner, tmp_path):
    (tmp_path / "收回").mkdir()
    result = runner.invoke(app, ["rank", str(tmp_path / "收回"), "-o", str(tmp_path / "汇总.xlsx"), "--json"])
    assert result.exit_code == 0
    assert [w["code"] for w in json.loads(result.stdout)["warnings"]] == ["input-empty"]
    assert "警告：" in result.stderr and "没有找到任何评分表" in result.stderr


# --- outputs -----------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["template", "score"])
def test_output_folder_that_is_a_file_is_refused_before_anything_is_written(runner, tmp_path, command):
    target = tmp_path / "下发"
    target.write_bytes(b"keep me")
    args = ["template", "-o", str(target)] if command == "template" else ["score", str(RETURNED), "-o", str(target)]
    assert _error(runner.invoke(app, [*args, "--json"]))["code"] == "output-not-folder"
    assert target.read_bytes() == b"keep me" and sorted(p.name for p in tmp_path.iterdir()) == ["下发"]


def test_summary_path_that_is_a_folder_is_refused(runner, tmp_path):
    folder = tmp_path / "汇总.xlsx"
    folder.mkdir()
    error = _error(runner.invoke(app, ["rank", str(RETURNED), "-o", str(folder), "--json"]))
    assert error["code"] == "output-is-folder"
    assert list(folder.iterdir()) == []


def test_summary_name_without_suffix_gets_xlsx_and_says_so(runner, tmp_path):
    result = runner.invoke(app, ["rank", str(RETURNED), "-o", str(tmp_path / "汇总")])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]
    assert "汇总.xlsx" in result.stderr and "没有扩展名" in result.stderr


@pytest.mark.parametrize("name", ["汇总.xls", "汇总.ods", "汇总.csv"])
def test_summary_name_with_another_file_type_is_refused(runner, tmp_path, name):
    error = _error(runner.invoke(app, ["rank", str(RETURNED), "-o", str(tmp_path / name), "--json"]))
    assert error["code"] == "output-suffix" and name in error["message"]
    assert list(tmp_path.iterdir()) == []


def test_read_only_output_folder_gives_output_readonly_and_no_temp_file(runner, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):  # what the system answers in a read-only folder (also for root)
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output_module.tempfile, "mkstemp", refuse)
    error = _error(runner.invoke(app, ["rank", str(RETURNED), "-o", str(tmp_path / "汇总.xlsx"), "--json"]))
    assert error["code"] == "output-readonly" and "汇总.xlsx" in error["message"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder_for_real(tmp_path):
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = _zwgk("rank", RETURNED, "-o", folder / "汇总.xlsx", "--json")
        assert result.returncode == 2 and json.loads(result.stdout)["error"]["code"] == "output-readonly"
    finally:
        folder.chmod(0o755)


def test_failed_write_leaves_no_temp_file_and_names_the_problem(tmp_path, monkeypatch):
    def read_only_fs(src, dst):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(output_module.os, "replace", read_only_fs)
    with pytest.raises(OutputError) as caught:
        atomic_write(tmp_path / "汇总.xlsx", lambda tmp: tmp.write_bytes(b"data"), force=False)
    assert caught.value.code == "output-readonly" and "Read-only" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_existing_output_gives_output_exists_with_json(runner, tmp_path):
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"keep me")
    result = runner.invoke(app, ["rank", str(RETURNED), "-o", str(out), "--json"])
    error = _error(result)
    assert error["code"] == "output-exists" and "--force" in error["message"]
    assert "--force" in result.stderr and out.read_bytes() == b"keep me"


# --- usage errors: order, JSON, wording --------------------------------------------------

def test_missing_input_is_reported_before_existing_output(runner, tmp_path):
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"keep me")
    error = _error(runner.invoke(app, ["rank", str(tmp_path / "收回"), "-o", str(out), "--json"]))
    assert error["code"] == "input-missing" and "收回" in error["message"]


def test_rule_set_then_roster_are_checked_before_the_returns(runner, tmp_path):
    nowhere = str(tmp_path / "收回")
    args = ["rank", nowhere, "-o", str(tmp_path / "汇总.xlsx"), "--json"]
    bad_rules = runner.invoke(app, [*args, "--rules", str(tmp_path / "细则.yaml"), "--roster", "无.txt"])
    assert _error(bad_rules)["code"] == "rules-invalid"
    no_roster = _error(runner.invoke(app, [*args, "--roster", str(tmp_path / "名单.txt")]))
    assert no_roster["code"] == "input-missing" and "名单" in no_roster["message"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["rnak"], ["rank", "--rules"], ["rank", str(RETURNED), "--bogus"], ["rank"],
    ["rank", str(RETURNED), "--top", "x"], ["rank", str(RETURNED), "--top", "0"], ["score", "x", "--rulez", "a"],
    ["rules", "parse"], ["rank", str(RETURNED), "--json", "--top"],
])
def test_usage_errors_are_in_chinese_with_exit_2(runner, args):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：") and "用法见：" in result.stderr
    english = ("Did you mean", "requires an argument", "No such", "Missing", "Invalid value", "Usage", "Error")
    assert not [phrase for phrase in english if phrase in result.stderr], result.stderr


def test_usage_error_with_json_prints_an_error_document(runner):
    error = _error(runner.invoke(app, ["rank", str(RETURNED), "--top", "0", "--json"]))
    assert error["code"] == "usage" and "--top" in error["message"]


def test_stderr_messages_are_not_wrapped_when_not_a_terminal(tmp_path):
    out = tmp_path / ("很长的文件夹名称" * 6) / "县政务公开工作考核汇总表（二〇二二年度第一次）.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"keep me")
    result = _zwgk("rank", RETURNED, "-o", out)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"错误：{out} 已存在，未覆盖；如需覆盖请加 --force"]


@pytest.mark.parametrize("command", [[], ["template"], ["score"], ["rank"], ["rules"], ["rules", "show"],
                                     ["rules", "check"], ["rules", "parse"], ["rules", "export"],
                                     ["rules", "import"], ["rules", "list"]])
def test_help_is_chinese_with_short_alias(runner, command):
    result = runner.invoke(app, [*command, "-h"])
    assert result.exit_code == 0 and result.stdout.startswith("用法：")
    assert not re.search(r"<[a-z]|\[default|Usage|Options|Arguments|OPTIONS|\{[^\"]|\\", result.stdout), result.stdout
    assert result.stdout == runner.invoke(app, [*command, "--help"]).stdout


def test_version_prints_the_package_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"zwgk {version('zwgk')}\n"


def test_package_uses_no_private_typer_or_click_module():
    private = re.compile(r"\b_click\b|\btyper\._|^\s*(?:from|import) click\b", re.MULTILINE)
    offenders = [p.name for p in (ROOT / "zwgk_cli").glob("*.py") if private.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


# --- the leaderboard at 80 columns -------------------------------------------------------

def test_leaderboard_keeps_every_column_at_80_columns(rules):
    report = rank_paths([RETURNED], rules)
    console = Console(width=80, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(leaderboard(rules, report.units, width=80))
    lines = console.export_text().splitlines()
    assert max(len(line) + sum(1 for ch in line if ord(ch) > 0x2E7F) for line in lines) <= 80
    text = "\n".join(lines)
    assert all(word in text for word in ("加分", "重大", "扣分", "日常", "组织"))
    for unit in report.units:
        row = next(line for line in lines if unit.unit[:4] in line).split()
        values = [*(str(unit.categories[c.name]) for c in rules.categories), str(unit.bonus),
                  str(unit.major_deductions)]
        assert [float(v) for v in row[-8:]] == [float(v) for v in values], unit.unit


def test_roster_that_is_a_folder_is_refused_in_chinese(runner, tmp_path):
    error = _error(runner.invoke(app, ["rank", str(RETURNED), "--roster", str(tmp_path),
                                       "-o", str(tmp_path / "汇总.xlsx"), "--json"]))
    assert error["code"] == "input-missing" and "文件夹" in error["message"]
    assert list(tmp_path.iterdir()) == []


def test_internal_error_with_json_names_no_exception_class(runner, tmp_path, monkeypatch):
    import zwgk_cli.scoring.pipeline

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(zwgk_cli.scoring.pipeline, "rank_paths", broken)
    result = runner.invoke(app, ["rank", str(RETURNED), "-o", str(tmp_path / "汇总.xlsx"), "--json"])
    assert _error(result)["code"] == "internal-error"
    assert "KeyError" not in result.output + result.stderr and "Traceback" not in result.stderr


def test_leaderboard_with_grades_keeps_every_column_at_80_columns(tmp_path):
    from zwgk_cli.rules.loading import load_rules
    from zwgk_cli.workbooks.template import write_templates

    demo = load_rules(DEMO_B)
    write_templates(demo, ["县人力资源和社会保障局", "城关镇人民政府", "古绛镇"], tmp_path)
    report = rank_paths([tmp_path], demo)
    console = Console(width=80, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(leaderboard(demo, report.units, width=80))
    lines = console.export_text().splitlines()
    assert max(len(line) + sum(1 for ch in line if ord(ch) > 0x2E7F) for line in lines) <= 80
    assert all(line.rstrip().endswith("优秀") for line in lines if "古绛镇" in line or "城关镇人" in line)
