"""The double-click guide of the frozen build (zwgk_cli/cli/launch.py), with the platform facts
given as parameters and a fake kernel32: no Windows needed."""

from __future__ import annotations

import io
import sys

import pytest

from zwgk_cli.cli import launch
from zwgk_cli.cli.launch import (
    PROMPT,
    console_input,
    console_process_count,
    guide_if_started_alone,
    guide_text,
    show_guide,
    started_alone,
    wait_for_enter,
)

ALONE = {"frozen": True, "windows": True, "interactive": True, "console_processes": 1}


@pytest.mark.parametrize(("change", "expected"), [
    ({}, True),  # double-click on a onedir zwgk.exe
    ({"argv": ["rank"]}, False),  # a command was given
    ({"argv": ["--help"]}, False),
    ({"frozen": False}, False),  # pip-installed zwgk: the help as always
    ({"windows": False}, False),  # frozen on Linux: run from a terminal anyway
    ({"interactive": False}, False),  # a pipe, a file, NUL: never wait
    ({"console_processes": 2}, False),  # cmd.exe (or PowerShell) + zwgk
    ({"console_processes": 3}, False),
    ({"console_processes": None}, False),  # unknown: not alone
    ({"console_processes": 0}, False),  # the call failed
    ({"console_processes": 2, "own_processes": 2}, True),  # onefile: its bootloader is the parent
    ({"console_processes": 3, "own_processes": 2}, False),  # onefile from cmd.exe
])
def test_decision_table(change, expected):
    facts = {"argv": [], **ALONE, **change}
    argv = facts.pop("argv")
    assert started_alone(argv, **facts) is expected


class FakeKernel32:
    """GetConsoleProcessList and GetConsoleMode as Windows answers them."""

    def __init__(self, processes: int = 1, console: bool = True, fail: bool = False):
        self.processes, self.console, self.fail = processes, console, fail
        self.asked = []

    def GetConsoleProcessList(self, ids, size):  # noqa: N802 - the Windows API's name
        self.asked.append(size)
        if self.fail:
            return 0
        for i in range(min(size, self.processes)):
            ids[i] = 1000 + i
        return self.processes  # more than size: the size needed, still the count

    def GetStdHandle(self, which):  # noqa: N802
        return 0x50 if which == -10 else None

    def GetConsoleMode(self, handle, mode):  # noqa: N802
        return 1 if self.console and handle == 0x50 else 0


class TypedKernel32:
    """kernel32's functions as real ctypes foreign functions with the declared prototypes
    (launch._declarations), calling back into FakeKernel32: the arguments are marshalled as
    they would be for the DLL (arrays and byref() to pointers, the handle pointer-sized)."""

    def __init__(self, fake: FakeKernel32):
        import ctypes

        self._keep = []
        for name, restype, argtypes in launch._declarations():
            prototype = ctypes.CFUNCTYPE(restype, *argtypes)
            callback = prototype(getattr(fake, name))
            function = ctypes.cast(callback, prototype)
            self._keep.append(callback)
            setattr(self, name, function)


def test_the_declared_prototypes_marshal_the_arguments():
    fake = FakeKernel32(3)
    assert console_process_count(TypedKernel32(fake)) == 3 and fake.asked == [8]
    assert console_input(TypedKernel32(FakeKernel32(console=True))) is True
    assert console_input(TypedKernel32(FakeKernel32(console=False))) is False


def test_console_process_count_through_the_api():
    assert console_process_count(FakeKernel32(1)) == 1
    assert console_process_count(FakeKernel32(12)) == 12  # more than the buffer holds
    assert console_process_count(FakeKernel32(fail=True)) is None
    assert console_process_count(object()) is None  # no such function


def test_console_input_only_for_a_real_console():
    assert console_input(FakeKernel32(console=True)) is True
    assert console_input(FakeKernel32(console=False)) is False  # NUL, a pipe: isatty() may lie
    assert console_input(object()) is False


class Terminal(io.StringIO):
    """A standard input that is a terminal, with what the clerk types."""

    def isatty(self):
        return True


class Counting(Terminal):
    def __init__(self, text=""):
        super().__init__(text)
        self.lines_read = 0

    def readline(self, *args):
        self.lines_read += 1
        return super().readline(*args)


def _start(tmp_path, kernel32, stdin, argv=(), **facts):
    stdout = io.StringIO()
    exe = tmp_path / "zwgk.exe"
    shown = guide_if_started_alone(list(argv), frozen=facts.get("frozen", True),
                                   platform=facts.get("platform", "win32"), kernel32=kernel32,
                                   stdin=stdin, stdout=stdout, executable=str(exe))
    return shown, stdout.getvalue()


def test_double_click_prints_the_guide_and_reads_one_line(tmp_path):
    stdin = Counting("\nrest\n")
    (tmp_path / launch.MANUAL).write_text("说明", encoding="utf-8")
    shown, out = _start(tmp_path, FakeKernel32(1), stdin)
    assert shown is True
    assert stdin.lines_read == 1 and stdin.read() == "rest\n"  # one line, no more
    assert out.rstrip().endswith(PROMPT)
    assert "输入 cmd" in out and "zwgk.exe" in out and "rank --help" in out
    assert f"使用说明：{tmp_path / launch.MANUAL}" in out


def test_from_cmd_or_a_script_nothing_is_shown_and_nothing_read(tmp_path):
    for kernel32, stdin, argv, facts in [
        (FakeKernel32(2), Counting(), [], {}),  # typed `zwgk` in cmd.exe: the usual help follows
        (FakeKernel32(1), Counting(), ["rank", "x"], {}),
        (FakeKernel32(1), Counting(), [], {"frozen": False}),
        (FakeKernel32(1), Counting(), [], {"platform": "linux"}),
        (FakeKernel32(1, console=False), Counting(), [], {}),  # NUL as stdin: isatty() True, no console
        (FakeKernel32(1), io.StringIO("\n"), [], {}),  # stdin not a terminal
    ]:
        shown, out = _start(tmp_path, kernel32, stdin, argv, **facts)
        assert (shown, out) == (False, "")
        if isinstance(stdin, Counting):
            assert stdin.lines_read == 0


def test_not_frozen_never_asks_windows(tmp_path):
    kernel32 = FakeKernel32(1)
    assert _start(tmp_path, kernel32, Counting(), frozen=False)[0] is False
    assert kernel32.asked == []


def test_a_stdin_that_is_not_a_terminal_is_never_waited_on():
    stdin, stdout = io.StringIO("would block\n"), io.StringIO()
    wait_for_enter(stdin, stdout)
    assert stdin.tell() == 0 and PROMPT in stdout.getvalue()

    class Closed(io.StringIO):
        def isatty(self):
            raise ValueError("I/O operation on closed file")

    wait_for_enter(Closed(), io.StringIO())  # returns, no exception


def test_ctrl_c_while_waiting_just_ends():
    class Interrupted(Terminal):
        def readline(self, *args):
            raise KeyboardInterrupt

    show_guide(io.StringIO(), Interrupted())


@pytest.mark.parametrize("executable", [None, r"D:\zwgk\zwgk.exe", r"C:\Program Files\zwgk\zwgk.exe"])
def test_the_guide_encodes_in_gbk(executable):
    """The Windows console's code page 936: no character GBK lacks (no ✓, no emoji)."""
    text = guide_text(executable, r"D:\zwgk\使用说明.txt") + PROMPT
    text.encode("gbk")  # strict: raises on any character GBK lacks
    assert guide_text(executable).encode("gbk")


def test_the_guide_names_the_season_and_quotes_a_path_with_spaces():
    text = guide_text(r"C:\Program Files\zwgk\zwgk.exe")
    assert '"C:\\Program Files\\zwgk\\zwgk.exe" rank 收回 --roster 名单.xlsx' in text
    for words in ("template --roster", "score 收回 -o 反馈单", "--report 通报.docx", "--previous", "*.xlsx", "--force"):
        assert words in text
    assert "zwgk template" in guide_text(None)


def test_onefile_bundle_counts_its_bootloader(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "zwgk.exe"))
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    assert launch.own_processes() == 1  # onedir: the bundle is inside the program's folder
    monkeypatch.setattr(sys, "_MEIPASS", "/tmp/_MEI12345")
    assert launch.own_processes() == 2


def test_run_without_arguments_outside_a_frozen_build_prints_the_help(capsys):
    from zwgk_cli.cli.commands import run

    with pytest.raises(SystemExit) as stop:
        run([])
    assert stop.value.code == 0
    assert "用法" in capsys.readouterr().out
