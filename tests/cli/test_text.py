"""The command line's own words (zwgk_cli/cli/text.py): help and usage errors in Chinese, exit 2."""

import re

import pytest
from support.paths import RETURNED

from zwgk_cli.cli.commands import app


def test_every_command_has_help(cli):
    for args in (["template"], ["score"], ["rank"], ["rules", "list"], ["rules", "show"], ["rules", "check"],
                 ["rules", "export"], ["rules", "import"], ["rules", "parse"]):
        result = cli(*args, "--help")
        assert result.exit_code == 0 and len(result.output.strip().splitlines()) > 3, args


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


def test_help_is_chinese(cli):
    result = cli("rank", "--help")
    assert "用法：" in result.output and "选项" in result.output and "显示本帮助并退出。" in result.output
    assert "Show this message" not in result.output and "[default:" not in result.output


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


def test_usage_error_with_json_prints_an_error_document(cli):
    error = cli.error("rank", RETURNED, "--top", "0")
    assert error["code"] == "usage" and "--top" in error["message"]


@pytest.mark.parametrize("command", [[], ["template"], ["score"], ["rank"], ["rules"], ["rules", "show"],
                                     ["rules", "check"], ["rules", "parse"], ["rules", "export"],
                                     ["rules", "import"], ["rules", "list"]])
def test_help_is_chinese_with_short_alias(runner, command):
    result = runner.invoke(app, [*command, "-h"])
    assert result.exit_code == 0 and result.stdout.startswith("用法：")
    assert not re.search(r"<[a-z]|\[default|Usage|Options|Arguments|OPTIONS|\{[^\"]|\\", result.stdout), result.stdout
    assert result.stdout == runner.invoke(app, [*command, "--help"]).stdout
