"""A worker's memory cap, on every platform the office uses.

A damaged file can make a native parser allocate without bound; the worker reading it must run
out of memory alone, long before the PC does. The cap is set by the worker on itself, before it
reads anything:

- Linux (and other POSIX systems with ``/proc``): ``RLIMIT_AS``, the address space, at the
  worker's present size plus the allowance;
- Windows: a Job Object of its own with ``JOB_OBJECT_LIMIT_PROCESS_MEMORY``, the committed
  memory, at its present commit plus the allowance (jobs nest since Windows 8, so this works
  inside a job a terminal or a scheduler made too).

Either way an allocation past the cap fails: Python raises MemoryError, a native parser aborts,
and the parent classifies the worker's end (:func:`zwgk_cli.reading.isolation.death_of_exit`).

>>> limit_memory(1 << 40, platform="none")
''
"""

from __future__ import annotations

import ctypes
import os
import sys


def limit_memory(extra: int, *, platform: str | None = None) -> str:
    """Cap this process at its present size plus ``extra`` bytes; the mechanism used ("rlimit",
    "job"), or "" where there is none (no ``resource`` module and not Windows)."""
    platform = platform or ("windows" if sys.platform == "win32" else "posix")
    try:
        if platform == "windows":
            return job_object_cap(extra)
        if platform == "posix":
            return _rlimit_cap(extra)
    except (ImportError, OSError, ValueError, AttributeError):
        pass
    return ""


def _rlimit_cap(extra: int) -> str:
    import resource

    with open("/proc/self/statm", encoding="ascii") as statm:
        size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + extra if hard == resource.RLIM_INFINITY else min(hard, size + extra)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return "rlimit"


# Windows structures (winnt.h), spelled out with fixed-size types so that this module imports and
# its layout can be checked on any platform.
_DWORD, _ULONGLONG, _LARGE_INTEGER = ctypes.c_uint32, ctypes.c_uint64, ctypes.c_int64
_SIZE_T, _HANDLE = ctypes.c_size_t, ctypes.c_void_p


class IoCounters(ctypes.Structure):
    _fields_ = [(name, _ULONGLONG) for name in (
        "ReadOperationCount", "WriteOperationCount", "OtherOperationCount",
        "ReadTransferCount", "WriteTransferCount", "OtherTransferCount")]


class BasicLimits(ctypes.Structure):
    _fields_ = [("PerProcessUserTimeLimit", _LARGE_INTEGER), ("PerJobUserTimeLimit", _LARGE_INTEGER),
                ("LimitFlags", _DWORD), ("MinimumWorkingSetSize", _SIZE_T), ("MaximumWorkingSetSize", _SIZE_T),
                ("ActiveProcessLimit", _DWORD), ("Affinity", _SIZE_T), ("PriorityClass", _DWORD),
                ("SchedulingClass", _DWORD)]


class ExtendedLimits(ctypes.Structure):
    """JOBOBJECT_EXTENDED_LIMIT_INFORMATION (144 bytes on 64-bit Windows)."""

    _fields_ = [("BasicLimitInformation", BasicLimits), ("IoInfo", IoCounters),
                ("ProcessMemoryLimit", _SIZE_T), ("JobMemoryLimit", _SIZE_T),
                ("PeakProcessMemoryUsed", _SIZE_T), ("PeakJobMemoryUsed", _SIZE_T)]


class MemoryCounters(ctypes.Structure):
    """PROCESS_MEMORY_COUNTERS_EX: ``PrivateUsage`` is the process's commit charge."""

    _fields_ = [("cb", _DWORD), ("PageFaultCount", _DWORD), ("PeakWorkingSetSize", _SIZE_T),
                ("WorkingSetSize", _SIZE_T), ("QuotaPeakPagedPoolUsage", _SIZE_T),
                ("QuotaPagedPoolUsage", _SIZE_T), ("QuotaPeakNonPagedPoolUsage", _SIZE_T),
                ("QuotaNonPagedPoolUsage", _SIZE_T), ("PagefileUsage", _SIZE_T),
                ("PeakPagefileUsage", _SIZE_T), ("PrivateUsage", _SIZE_T)]


JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9  # JOBOBJECTINFOCLASS
JOB_OBJECT_LIMIT_PROCESS_MEMORY = 0x100


def job_object_cap(extra: int, kernel32=None) -> str:
    """Put this process in a new Job Object whose per-process memory limit is its present commit
    plus ``extra`` bytes. ``kernel32`` is the Windows API (a stand-in in tests); OSError when a
    call fails. The job's handle is left open for the life of the process, as the limit needs."""
    if kernel32 is None:
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    for name, restype, argtypes in (
            ("GetCurrentProcess", _HANDLE, []),
            ("K32GetProcessMemoryInfo", ctypes.c_int, [_HANDLE, ctypes.c_void_p, _DWORD]),
            ("CreateJobObjectW", _HANDLE, [ctypes.c_void_p, ctypes.c_wchar_p]),
            ("SetInformationJobObject", ctypes.c_int, [_HANDLE, ctypes.c_int, ctypes.c_void_p, _DWORD]),
            ("AssignProcessToJobObject", ctypes.c_int, [_HANDLE, _HANDLE])):
        function = getattr(kernel32, name)
        function.restype, function.argtypes = restype, argtypes
    me = kernel32.GetCurrentProcess()
    counters = MemoryCounters(cb=ctypes.sizeof(MemoryCounters))
    if not kernel32.K32GetProcessMemoryInfo(me, ctypes.byref(counters), counters.cb):
        raise OSError("GetProcessMemoryInfo")
    job = kernel32.CreateJobObjectW(None, None)
    if not job:
        raise OSError("CreateJobObjectW")
    limits = ExtendedLimits()
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_PROCESS_MEMORY
    limits.ProcessMemoryLimit = counters.PrivateUsage + extra
    if not kernel32.SetInformationJobObject(job, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION, ctypes.byref(limits),
                                            ctypes.sizeof(limits)):
        raise OSError("SetInformationJobObject")
    if not kernel32.AssignProcessToJobObject(job, me):
        raise OSError("AssignProcessToJobObject")
    return "job"
