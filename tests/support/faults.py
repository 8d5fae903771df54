"""Readers and work functions that die on purpose, for the isolation tests.

They live in a module of their own, not in a test: a worker started by spawn (Windows, or
ZWGK_START_METHOD=spawn) imports what it runs by name and inherits nothing a test patched in
this process. A file asks for its fault by the end of its stem: ``乙-abort.xlsx``.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from zwgk_cli.reading.inputs import read_input

FAULTS = {
    "abort": os.abort,  # what a failed native allocation does
    "segfault": lambda: os.kill(os.getpid(), signal.SIGSEGV),
    "exit": lambda: os._exit(7),
    "forever": lambda: time.sleep(600),
    "greedy": lambda: bytearray(1 << 30),  # 1 GiB, against a smaller cap in the test
    "panic": lambda: (_ for _ in ()).throw(Panic("called `Option::unwrap()` on a `None` value")),
}


class Panic(BaseException):
    """What python-calamine raises on some damaged files: not an Exception."""


def fault_of(name: str) -> str:
    """The fault a file name asks for ("" for none)."""
    stem = Path(name).stem
    return next((fault for fault in FAULTS if stem.endswith(f"-{fault}")), "")


def faulty_reader(path, rules, *, label=None, debug=False):
    """:func:`zwgk_cli.reading.inputs.read_input`, after the fault the file's name asks for."""
    fault = fault_of(str(path))
    if fault:
        FAULTS[fault]()
    return read_input(path, rules, label=label, debug=debug)


def faulty_work(item: str) -> str:
    """A work item for ``isolated_map``: its fault, then itself."""
    fault = fault_of(item)
    if fault:
        FAULTS[fault]()
    return item


def gc_enabled(_item) -> bool:
    import gc

    return gc.isenabled()


def unpicklable_work(item: str):
    """A work item whose result cannot be sent back when its name ends in ``-unpicklable``."""
    return (lambda: item) if Path(item).stem.endswith("-unpicklable") else item


class _DiesWhenSent:
    """A result whose sending kills its worker: stands for any death while results go back (the
    OOM killer, say), which leaves no file to blame."""

    def __reduce__(self):
        os._exit(9)


class _HangsWhenSent:
    """A result whose sending never ends."""

    def __reduce__(self):
        time.sleep(600)


def sending_work(item: str):
    """A work item whose result kills (``*-dies-sent``) or stalls (``*-hangs-sent``) its worker as
    it is sent back."""
    stem = Path(item).stem
    if stem.endswith("-dies-sent"):
        return _DiesWhenSent()
    if stem.endswith("-hangs-sent"):
        return _HangsWhenSent()
    return item


def timed_work(item: str) -> str:
    """A work item that takes the seconds its name gives after an @ (``1-slow@2.5``)."""
    if "@" in item:
        time.sleep(float(item.rsplit("@", 1)[1]))
    return item
