"""A worker's memory cap (zwgk_cli/reading/memorycap.py): rlimit on Linux, a job object on Windows
(with a stand-in kernel32)."""

from __future__ import annotations

import ctypes

import pytest

from zwgk_cli.reading import isolation, memorycap


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
