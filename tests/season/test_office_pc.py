"""The office PC, simulated on Linux: a GBK console with output redirected (a .bat job, Task
Scheduler), workers started by spawn, no ``resource`` module, Windows file-name rules, files as
Windows programs write them, outputs open in WPS. Every command must end with its documented exit
code, never 内部错误. (Its pieces by module: the memory cap in tests/reading/test_memorycap.py, worker
deaths and the start method in tests/reading/test_isolation.py, outputs open in WPS in
tests/workbooks/test_run_outputs.py, reserved names in tests/workbooks/test_output.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from support import visible, visible_paths
from support.paths import RETURNED

from zwgk_cli.workbooks.fill import fill_matrix, fill_review, fill_workbook
from zwgk_cli.workbooks.output import NAME_BYTES

HOSTILE_UNITS = ["县公安局", "县😀局", "县𠀾局", "县✓办"]  # an emoji, CJK Extension B, a check mark: none in GBK


# --- every command on a GBK console, output redirected, spawn, no `resource` -------------------------

@pytest.fixture(scope="module")
def office(tmp_path_factory) -> dict:
    """The environment of a Windows job on Linux: a folder whose `resource.py` hides the real one."""
    shadow = tmp_path_factory.mktemp("no-resource")
    (shadow / "resource.py").write_text('raise ImportError("no resource module here, as on Windows")\n')
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "ZWGK_START_METHOD": "spawn", "PYTHONPATH": str(shadow)}
    env.pop("COLUMNS", None)
    return {"env": env, "cwd": tmp_path_factory.mktemp("office")}


def _zwgk(office: dict, *args: object, name: str) -> tuple[int, bytes, str]:
    """Run ``python -m zwgk_cli`` with stdout redirected to a file, as a .bat job does; the exit
    code, the stdout bytes and stderr as the GBK console wrote it."""
    out = office["cwd"] / f"{name}.out"
    with open(out, "wb") as stdout:
        done = subprocess.run([sys.executable, "-m", "zwgk_cli", *map(str, args)], cwd=office["cwd"],
                              env=office["env"], stdout=stdout, stderr=subprocess.PIPE, timeout=300, check=False)
    stderr = done.stderr.decode("gbk")  # strict: whatever was written is GBK
    assert "内部错误" not in stderr and "Traceback" not in stderr, (name, stderr)
    return done.returncode, out.read_bytes(), stderr


def test_the_simulated_office_has_no_resource_module(office):
    done = subprocess.run([sys.executable, "-c", "import resource"], env=office["env"], capture_output=True,
                          check=False)
    assert done.returncode == 1 and b"no resource module here" in done.stderr


@pytest.mark.slow
def test_every_command_ends_with_its_exit_code_on_a_gbk_console_with_hostile_names(office):
    here = office["cwd"]
    (here / "名单.txt").write_text("\n".join(HOSTILE_UNITS) + "\n", encoding="utf-8")
    for args in ([], ["--help"], ["template", "--help"], ["score", "--help"], ["rank", "--help"],
                 ["rules", "--help"], ["archive", "--help"], ["--version"]):
        code, out, _ = _zwgk(office, *args, name="help")
        assert code == 0 and out.decode("gbk")
    assert _zwgk(office, "rnak", name="typo")[0] == 2

    assert _zwgk(office, "template", "--roster", "名单.txt", "-o", "下发", name="template")[0] == 0
    made = visible(here / "下发")
    assert made == sorted(f"{u}.xlsx" for u in HOSTILE_UNITS)
    for unit in HOSTILE_UNITS[:3]:
        fill_workbook(here / "下发" / f"{unit}.xlsx", here / "收回" / f"{unit}.xlsx", {"1": "✓", "5": "2处"},
                      notes={"5": "栏目😀未更新𠀾"}, evidence={"1": "纪要😀.pdf\n整改𠀾.pdf"})
    (here / "收回" / "纪要😀.pdf").write_bytes(b"%PDF-1.4 minutes")  # 整改𠀾.pdf is missing: said
    fill_workbook(here / "下发" / "县✓办.xlsx", here / "收回" / "县✓办.xlsx", {"5": "😀"})  # refused, its value said
    assert _zwgk(office, "template", "--matrix", "--roster", "名单.txt", "--clauses", "6",
                 "--source", "检查组😀", "-o", "检查", name="matrix")[0] == 0
    (matrix,) = (here / "检查").iterdir()
    fill_matrix(matrix, here / "收回" / matrix.name, {"县𠀾局": {"6": 1}})
    assert _zwgk(office, "template", "--adjustments", "--roster", "名单.txt", "-o", "复核", name="review")[0] == 0
    fill_review(here / "复核" / "复核调整表.xlsx", here / "收回" / "复核调整表.xlsx", [("县😀局", "5", "1", "核实😀")])

    code, out, stderr = _zwgk(office, "score", "收回", "-o", "反馈单", name="score")
    assert code == 1 and "😀" not in stderr and "?" in out.decode("gbk")
    code, out, _ = _zwgk(office, "rank", "收回", "--roster", "名单.txt", "-o", "上年.xlsx", "--json", name="rank1")
    first = json.loads(out.decode("utf-8"))  # --json stays UTF-8 whatever the console
    assert code == 1 and {u["unit"] for u in first["units"]} == set(HOSTILE_UNITS[:3])
    (here / "上年.json").write_bytes(out.decode("utf-8").encode("utf-16"))  # PowerShell 5.1's `>`
    code, out, _ = _zwgk(office, "rank", "收回", "--roster", "名单.txt", "-o", "汇总.xlsx", "--report", "通报.docx",
                         "--previous", "上年.json", "--archive", "归档😀.zip", name="rank2")
    assert code == 1 and "县?局" in out.decode("gbk") and (here / "通报.docx").exists()
    code, out, _ = _zwgk(office, "archive", "verify", "归档😀.zip", name="verify")
    assert code == 0 and out.decode("gbk")

    assert _zwgk(office, "rules", "list", name="rules-list")[0] == 0
    assert _zwgk(office, "rules", "show", name="rules-show")[0] == 0
    assert _zwgk(office, "rules", "check", name="rules-check")[0] == 0
    assert _zwgk(office, "rules", "parse", "每发现一处✓扣1分😀", name="rules-parse")[0] in (0, 1)
    assert _zwgk(office, "rules", "export", "jiangxian-2022-a", "-o", "细则.xlsx", name="export")[0] == 0
    assert _zwgk(office, "rules", "import", "细则.xlsx", "-o", "细则.yaml", name="import")[0] in (0, 1)


# --- names and paths as Windows takes them ----------------------------------------------------


def test_a_very_long_unit_name_gets_feedback_sheets_of_both_kinds(cli, tmp_path, rules):
    long_unit = "县" + "政务服务管理和大数据应用发展" * 6 + "中心"  # 87 characters, 261 bytes
    other = long_unit[:-2] + "办公室"
    roster = tmp_path / "名单.txt"
    roster.write_text(f"{long_unit}\n{other}\n", encoding="utf-8")
    assert cli("template", "--roster", roster, "-o", tmp_path / "下发").exit_code == 0
    blanks = visible_paths(tmp_path / "下发")
    fill_workbook(blanks[0], tmp_path / "收回" / blanks[0].name, {"5": 1})
    fill_workbook(blanks[1], tmp_path / "收回" / blanks[1].name, {"5": "若干"})  # rejected
    result = cli.json("score", tmp_path / "收回", "-o", tmp_path / "反馈单")
    assert result.exit_code == 1, result.output
    written = visible(tmp_path / "反馈单")
    assert len(written) == 2 and all(len(n.encode()) <= NAME_BYTES for n in written)
    assert {n.rsplit("_", 1)[1] for n in written} == {"扣分情况反馈单.xlsx", "退回修改反馈单.xlsx"}
    assert sorted(result.data["outputs"]) == sorted(str(tmp_path / "反馈单" / n) for n in written)


def test_a_full_path_longer_than_windows_allows_is_warned_about(cli, tmp_path, rules):
    deep = tmp_path.joinpath(*["政务公开工作考核资料归档"] * 20)
    result = cli.json("rank", RETURNED, "-o", deep / "汇总.xlsx")
    assert result.exit_code == 0, result.output
    warned = [w for w in result.data["warnings"] if w["code"] == "output-path-long"]
    assert [w["file"] for w in warned] == [str(deep / "汇总.xlsx")]


def test_a_pattern_cmd_exe_did_not_expand_is_expanded(cli, tmp_path):
    result = cli.json("score", RETURNED / "县*.xlsx")
    assert result.exit_code == 0, result.output
    assert len(result.data["units"]) == len(list(RETURNED.glob("县*.xlsx")))
    missing = cli.json("score", RETURNED / "*.ods")
    assert missing.exit_code == 2 and missing.data["error"]["code"] == "input-missing"
