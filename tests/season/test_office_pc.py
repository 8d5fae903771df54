"""The office PC, simulated on Linux: a GBK console with output redirected (a .bat job, Task
Scheduler), workers started by spawn, no ``resource`` module, Windows file-name rules, files as
Windows programs write them, outputs open in WPS. Every command must end with its documented exit
code, never 内部错误."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from support import visible, visible_paths
from support.faults import gc_enabled
from support.paths import SAMPLES
from typer.testing import CliRunner

from zwgk_cli.cli.commands import app
from zwgk_cli.problems import OutputError, PartialOutputError
from zwgk_cli.reading import isolation, memorycap
from zwgk_cli.reading.isolation import death_of_exit, isolated_map, start_method
from zwgk_cli.scoring.pipeline import rank_paths
from zwgk_cli.workbooks.fill import fill_matrix, fill_review, fill_workbook
from zwgk_cli.workbooks.output import NAME_BYTES, safe_filename, unique_filenames
from zwgk_cli.workbooks.run_outputs import write_rank_outputs

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


def test_every_command_ends_with_its_exit_code_on_a_gbk_console_with_hostile_names(office):
    here = office["cwd"]
    (here / "名单.txt").write_text("\n".join(HOSTILE_UNITS) + "\n", encoding="utf-8")
    for args in ([], ["--help"], ["template", "--help"], ["score", "--help"], ["rank", "--help"],
                 ["rules", "--help"], ["--version"]):
        code, out, _ = _zwgk(office, *args, name="help")
        assert code == 0 and out.decode("gbk")
    assert _zwgk(office, "rnak", name="typo")[0] == 2

    assert _zwgk(office, "template", "--roster", "名单.txt", "-o", "下发", name="template")[0] == 0
    made = visible(here / "下发")
    assert made == sorted(f"{u}.xlsx" for u in HOSTILE_UNITS)
    for unit in HOSTILE_UNITS[:3]:
        fill_workbook(here / "下发" / f"{unit}.xlsx", here / "收回" / f"{unit}.xlsx", {"1": "✓", "5": "2处"},
                      notes={"5": "栏目😀未更新𠀾"})
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
                         "--previous", "上年.json", name="rank2")
    assert code == 1 and "县?局" in out.decode("gbk") and (here / "通报.docx").exists()

    assert _zwgk(office, "rules", "list", name="rules-list")[0] == 0
    assert _zwgk(office, "rules", "show", name="rules-show")[0] == 0
    assert _zwgk(office, "rules", "check", name="rules-check")[0] == 0
    assert _zwgk(office, "rules", "parse", "每发现一处✓扣1分😀", name="rules-parse")[0] in (0, 1)
    assert _zwgk(office, "rules", "export", "jiangxian-2022-a", "-o", "细则.xlsx", name="export")[0] == 0
    assert _zwgk(office, "rules", "import", "细则.xlsx", "-o", "细则.yaml", name="import")[0] in (0, 1)


# --- outputs replaced together ----------------------------------------------------------------

@pytest.fixture
def ranked(rules):
    return rank_paths([SAMPLES / "returned"], rules, (SAMPLES / "roster.txt").read_text(encoding="utf-8").split())


def _lock(monkeypatch, locked: Path) -> None:
    """``locked`` behaves as a file open in WPS on Windows: it cannot be opened for writing."""
    real_open = os.open

    def opened(path, flags, *args, **kwargs):
        if Path(path) == locked and flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(13, "The process cannot access the file")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", opened)


def test_a_draft_open_in_wps_is_found_before_the_summary_is_replaced(ranked, tmp_path, monkeypatch):
    summary, draft = tmp_path / "汇总.xlsx", tmp_path / "通报.docx"
    summary.write_bytes(b"last night's summary")
    draft.write_bytes(b"last night's draft")
    _lock(monkeypatch, draft)
    with pytest.raises(OutputError) as refused:
        write_rank_outputs(ranked, summary, draft=draft, force=True)
    assert refused.value.code == "output-locked" and refused.value.exit_status == 2
    assert summary.read_bytes() == b"last night's summary" and draft.read_bytes() == b"last night's draft"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx", "通报.docx"]  # no temporary left


def test_a_locked_draft_stops_rank_with_exit_2_and_nothing_written(tmp_path, monkeypatch):
    summary, draft = tmp_path / "汇总.xlsx", tmp_path / "通报.docx"
    summary.write_bytes(b"old")
    draft.write_bytes(b"old")
    _lock(monkeypatch, draft)
    result = CliRunner().invoke(app, ["rank", str(SAMPLES / "returned"), "-o", str(summary), "--report",
                                      str(draft), "--force", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["code"] == "output-locked"
    assert summary.read_bytes() == b"old" and draft.read_bytes() == b"old"


def test_a_rename_that_fails_after_another_says_what_was_written(tmp_path, monkeypatch):
    summary, draft = tmp_path / "汇总.xlsx", tmp_path / "通报.docx"
    draft.write_bytes(b"old draft")
    real_replace = os.replace

    def replace(source, target):
        if Path(target) == draft:  # opened in WPS between the check and the rename
            raise PermissionError(13, "The process cannot access the file")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    result = CliRunner().invoke(app, ["rank", str(SAMPLES / "returned"), "-o", str(summary), "--report",
                                      str(draft), "--force", "--json"])
    assert result.exit_code == 3
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "output-partial"
    assert (error["written"], error["not_written"]) == ([str(summary)], [str(draft)])
    assert openpyxl.load_workbook(summary).sheetnames[0] == "排名" and draft.read_bytes() == b"old draft"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx", "通报.docx"]


def test_a_partial_error_is_an_output_error_with_its_own_exit_status():
    error = PartialOutputError("部分写入", [Path("a.xlsx")], [Path("b.docx")])
    assert error.exit_status == 3 and error.to_dict()["not_written"] == ["b.docx"]


# --- names and paths as Windows takes them ----------------------------------------------------

@pytest.mark.parametrize("name", ["COM0", "lpt0", "COM¹", "CON.txt", "aux"])
def test_names_windows_reserves_get_a_leading_underscore(name):
    assert safe_filename(name).startswith("_")


def test_a_very_long_unit_name_gets_feedback_sheets_of_both_kinds(tmp_path, rules):
    long_unit = "县" + "政务服务管理和大数据应用发展" * 6 + "中心"  # 87 characters, 261 bytes
    other = long_unit[:-2] + "办公室"
    roster = tmp_path / "名单.txt"
    roster.write_text(f"{long_unit}\n{other}\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["template", "--roster", str(roster), "-o", str(tmp_path / "下发")]).exit_code == 0
    blanks = visible_paths(tmp_path / "下发")
    fill_workbook(blanks[0], tmp_path / "收回" / blanks[0].name, {"5": 1})
    fill_workbook(blanks[1], tmp_path / "收回" / blanks[1].name, {"5": "若干"})  # rejected
    result = runner.invoke(app, ["score", str(tmp_path / "收回"), "-o", str(tmp_path / "反馈单"), "--json"])
    assert result.exit_code == 1, result.output
    written = visible(tmp_path / "反馈单")
    assert len(written) == 2 and all(len(n.encode()) <= NAME_BYTES for n in written)
    assert {n.rsplit("_", 1)[1] for n in written} == {"扣分情况反馈单.xlsx", "退回修改反馈单.xlsx"}
    assert sorted(json.loads(result.stdout)["outputs"]) == sorted(str(tmp_path / "反馈单" / n) for n in written)


def test_names_alike_once_cut_to_length_stay_apart():
    names = unique_filenames(["局" * 200 + "甲", "局" * 200 + "乙"], "_退回修改反馈单.xlsx")
    assert names[0] != names[1] and all(len(n.encode()) <= NAME_BYTES for n in names)


def test_a_full_path_longer_than_windows_allows_is_warned_about(tmp_path, rules):
    deep = tmp_path.joinpath(*["政务公开工作考核资料归档"] * 20)
    result = CliRunner().invoke(app, ["rank", str(SAMPLES / "returned"), "-o", str(deep / "汇总.xlsx"), "--json"])
    assert result.exit_code == 0, result.output
    warned = [w for w in json.loads(result.stdout)["warnings"] if w["code"] == "output-path-long"]
    assert [w["file"] for w in warned] == [str(deep / "汇总.xlsx")]


def test_a_pattern_cmd_exe_did_not_expand_is_expanded(tmp_path):
    result = CliRunner().invoke(app, ["score", str(SAMPLES / "returned" / "县*.xlsx"), "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["units"]) == len(list((SAMPLES / "returned").glob("县*.xlsx")))
    missing = CliRunner().invoke(app, ["score", str(SAMPLES / "returned" / "*.ods"), "--json"])
    assert missing.exit_code == 2 and json.loads(missing.stdout)["error"]["code"] == "input-missing"


# --- workers: start method, deaths, memory caps -----------------------------------------------

def test_the_start_method_switch_is_honoured_and_a_spawned_worker_inherits_nothing(monkeypatch):
    import gc

    monkeypatch.setenv("ZWGK_START_METHOD", "spawn")
    assert start_method() == "spawn"
    gc.disable()  # a forked worker would inherit this; a spawned one starts afresh
    try:
        assert isolated_map(gc_enabled, [1, 2], lambda item, death: death, workers=1) == [True, True]
    finally:
        gc.enable()
    monkeypatch.setenv("ZWGK_START_METHOD", "no-such-method")
    assert start_method() == ("fork" if sys.platform != "win32" else "spawn")


@pytest.mark.parametrize(("code", "reason"), [
    (-6, "memory"),  # SIGABRT: a failed native allocation
    (-9, "memory"),  # SIGKILL: the Linux OOM killer
    (3, "memory"),  # abort() in the Windows C runtime
    (0xC0000409, "memory"),  # __fastfail, what abort() does in current Windows runtimes
    (0xC0000017, "memory"),  # STATUS_NO_MEMORY
    (-11, "crash"),  # SIGSEGV
    (0xC0000005, "crash"),  # STATUS_ACCESS_VIOLATION
    (1, "crash"),
])
def test_a_worker_death_is_classified_the_same_way_on_every_platform(code, reason):
    assert death_of_exit(code).reason == reason


def test_linux_caps_a_worker_with_rlimit_as():
    assert memorycap.limit_memory(1 << 40, platform="posix") in ("rlimit", "")  # "" only without /proc


def test_the_windows_job_object_structures_have_their_windows_sizes():
    if ctypes.sizeof(ctypes.c_void_p) != 8:
        pytest.skip("the sizes below are the 64-bit ones")
    assert ctypes.sizeof(memorycap.BasicLimits) == 64
    assert ctypes.sizeof(memorycap.ExtendedLimits) == 144
    assert ctypes.sizeof(memorycap.MemoryCounters) == 80


class _Kernel32:
    """A stand-in for the Windows API that records what the cap asks of it."""

    def __init__(self, fail: str = ""):
        self.calls: list[tuple] = []
        self.fail = fail
        self.GetCurrentProcess = self._call("GetCurrentProcess", lambda: 0xFFFF)
        self.K32GetProcessMemoryInfo = self._call("K32GetProcessMemoryInfo", self._memory)
        self.CreateJobObjectW = self._call("CreateJobObjectW", lambda security, name: 0x1234)
        self.SetInformationJobObject = self._call("SetInformationJobObject", self._limits)
        self.AssignProcessToJobObject = self._call("AssignProcessToJobObject", lambda job, process: 1)

    def _call(self, name, body):
        def call(*args):
            self.calls.append((name, *args))
            return 0 if name == self.fail else body(*args)
        return call

    @staticmethod
    def _memory(process, counters, size):
        ctypes.cast(counters, ctypes.POINTER(memorycap.MemoryCounters)).contents.PrivateUsage = 50 << 20
        return 1

    def _limits(self, job, klass, limits, size):
        info = ctypes.cast(limits, ctypes.POINTER(memorycap.ExtendedLimits)).contents
        self.limit = (klass, info.BasicLimitInformation.LimitFlags, info.ProcessMemoryLimit, size)
        return 1


def test_a_windows_worker_puts_itself_in_a_job_with_a_memory_limit():
    kernel32 = _Kernel32()
    assert memorycap.job_object_cap(1 << 30, kernel32) == "job"
    assert [c[0] for c in kernel32.calls] == ["GetCurrentProcess", "K32GetProcessMemoryInfo", "CreateJobObjectW",
                                              "SetInformationJobObject", "AssignProcessToJobObject"]
    assert kernel32.limit == (9, 0x100, (50 << 20) + (1 << 30), 144 if ctypes.sizeof(ctypes.c_void_p) == 8 else 112)
    assert kernel32.calls[-1][1:] == (0x1234, 0xFFFF)


def test_a_refused_job_leaves_the_worker_uncapped_but_reading():
    with pytest.raises(OSError):
        memorycap.job_object_cap(1 << 30, _Kernel32(fail="AssignProcessToJobObject"))
    assert memorycap.limit_memory(1 << 30, platform="windows") == ""  # no kernel32 here: no cap, no crash
    assert isolation.limit_memory is memorycap.limit_memory
