"""Running a parser over untrusted files where a failure costs only that file.

The native parsers (python-calamine) read bytes from outside: a damaged file can make them
panic, abort the process ("memory allocation of … bytes failed") or allocate without bound.
So every file is parsed in a worker process with a memory limit and a time limit per file. The
memory limit is the worker's own: ``RLIMIT_AS`` on Linux, a Job Object on Windows
(:mod:`zwgk_cli.reading.memorycap`). Workers are kept for the whole batch and fed chunks of files; each result
comes back as soon as it is ready, so the parent always knows which file a worker is on. A
worker that dies or overruns its time is replaced, its file gets ``failed(item, death)``, and
the rest of its chunk goes to the next worker. Results stay in input order.

Workers start with the platform's start method: fork on Linux, spawn on Windows (and in a frozen
build). ``ZWGK_START_METHOD=spawn`` (or ``fork``, ``forkserver``) forces one, so that the path
Windows takes is run and tested on Linux too.

>>> isolated_map(abs, [-2, 3], lambda item, death: None, workers=1)
[2, 3]
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait

from .memorycap import limit_memory

MEMORY_LIMIT = 1 << 30  # bytes a worker may grow by over its size at start (a file needs ~20 MB)
FILE_SECONDS = 30.0  # per file; a real findings workbook takes a few milliseconds
CHUNK = 16  # files sent to a worker at once
FIRST_CHUNK = 8 * CHUNK  # the first chunk: enough work to last while this process imports pandas


@dataclass(frozen=True)
class Limits:
    """What one file may cost in a worker: added address space (bytes) and wall-clock seconds."""

    memory: int = MEMORY_LIMIT
    seconds: float = FILE_SECONDS


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Death:
    """Why a worker gave no result for a file: ``time``, ``memory`` or ``crash``; ``detail``
    (signal, exception) is for --debug and logs, never for a clerk's message."""

    reason: str
    detail: str = ""


def isolated_map(work: Callable, items: list, failed: Callable, *, workers: int,
                 limits: Limits = DEFAULT_LIMITS, meanwhile: Callable | None = None) -> list:
    """``[work(item) for item in items]`` computed in worker processes under ``limits``.

    An item whose worker died, ran out of memory or time gives ``failed(item, death)``
    instead. ``meanwhile()`` runs in this process once the workers have started.
    """
    results: list = [None] * len(items)
    pool = _Pool(work, failed, items, results, limits, max(1, workers))
    try:
        pool.start()
        if meanwhile:
            meanwhile()
        pool.run()
    finally:
        pool.close()
    return results


@dataclass
class _Worker:
    process: multiprocessing.Process
    conn: object
    chunk: list[int] = field(default_factory=list)
    done: int = 0
    since: float = 0.0  # when its current file started

    @property
    def current(self) -> int | None:
        return self.chunk[self.done] if self.done < len(self.chunk) else None


class _Pool:
    def __init__(self, work, failed, items, results, limits: Limits, size: int):
        self.work, self.failed, self.items, self.results = work, failed, items, results
        self.limits, self.size = limits, size
        per = max(1, min(CHUNK, len(items) // (size * 4) or 1))
        self.pending: deque[list[int]] = deque(list(range(i, min(i + per, len(items))))
                                               for i in range(0, len(items), per))
        self.workers: list[_Worker] = []
        self.context = multiprocessing.get_context(start_method())

    def start(self) -> None:
        # This process does other work (``meanwhile``) before it reads any result: each worker
        # gets several chunks at once so that it does not sit idle meanwhile (no more than its
        # share of a small batch).
        first = max(1, min(FIRST_CHUNK, len(self.items) // (self.size * 2)))
        while self.pending and len(self.workers) < self.size:
            self.workers.append(self.spawn())
            self.feed(self.workers[-1], first)

    def spawn(self) -> _Worker:
        here, there = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(there, self.work, self.limits.memory), daemon=True)
        process.start()
        there.close()  # so that the worker's death reads as end of file here
        return _Worker(process, here)

    def feed(self, worker: _Worker, at_least: int = 1) -> None:
        """Give an idle worker the next chunk, or chunks up to ``at_least`` files (or tell it to stop)."""
        chunk = self.pending.popleft() if self.pending else []
        while self.pending and len(chunk) + len(self.pending[0]) <= at_least:
            chunk += self.pending.popleft()
        worker.chunk, worker.done, worker.since = chunk, 0, time.monotonic()
        worker.conn.send([(i, self.items[i]) for i in chunk] if chunk else None)

    def run(self) -> None:
        while any(w.chunk for w in self.workers):
            busy = [w for w in self.workers if w.chunk]
            timeout = max(0.0, min(w.since for w in busy) + self.limits.seconds - time.monotonic())
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    self.receive(worker)
                elif time.monotonic() - worker.since > self.limits.seconds:
                    worker.process.kill()
                    self.replace(worker, Death("time", f"{self.limits.seconds:g} s"))

    def receive(self, worker: _Worker) -> None:
        # A living worker's pipe was ready: take one result (the next wait() returns at once if
        # more are buffered; polling each pipe again cost more than the result). A worker that is
        # gone: everything it sent before it died, so that only the file it was on fails.
        alive = worker.process.is_alive()
        try:
            while worker.current is not None and (alive or worker.conn.poll()):
                index, ok, payload = worker.conn.recv()
                self.results[index] = payload if ok else self.failed(self.items[index], payload)
                worker.done += 1
                worker.since = time.monotonic()
                if alive:
                    break
        except (EOFError, OSError):
            pass
        if worker.current is None and alive:
            self.feed(worker)
        elif not alive:
            self.replace(worker, _death_of(worker.process))

    def replace(self, worker: _Worker, death: Death) -> None:
        """The worker is gone: its current file fails, the rest of its chunk goes back."""
        worker.process.join()
        worker.conn.close()
        index = worker.current
        if index is not None:
            self.results[index] = self.failed(self.items[index], death)
            rest = worker.chunk[worker.done + 1:]
            if rest:
                self.pending.appendleft(rest)
        self.workers.remove(worker)
        if self.pending:
            self.workers.append(self.spawn())
            self.feed(self.workers[-1])

    def close(self) -> None:
        for worker in self.workers:
            if worker.process.is_alive() and worker.chunk:
                worker.process.kill()
            worker.process.join()
            worker.conn.close()


START_METHOD_VARIABLE = "ZWGK_START_METHOD"


def start_method() -> str:
    """How workers start: ``ZWGK_START_METHOD`` when it names a method this platform has, else
    fork where there is one (Linux: no re-import, the fastest) and spawn elsewhere (Windows).

    >>> start_method() in ("fork", "spawn", "forkserver")
    True
    """
    available = multiprocessing.get_all_start_methods()
    wanted = os.environ.get(START_METHOD_VARIABLE, "").strip().lower()
    if wanted in available:
        return wanted
    return "fork" if "fork" in available else "spawn"


# How a worker that ran out of memory ends, on each platform: a failed native allocation aborts
# (SIGABRT on POSIX; on Windows abort() ends the process with 3, or with a fast-fail
# STATUS_STACK_BUFFER_OVERRUN in current runtimes), the Linux OOM killer sends SIGKILL, and
# Windows itself may end it with STATUS_NO_MEMORY. Any other end is a crash.
_MEMORY_EXITS = {
    -signal.SIGABRT: "SIGABRT",
    -getattr(signal, "SIGKILL", 9): "SIGKILL",
    3: "abort()",
    0xC0000409: "STATUS_STACK_BUFFER_OVERRUN",
    0xC0000017: "STATUS_NO_MEMORY",
}


def death_of_exit(code: int | None) -> Death:
    """Why a worker that ended with exit status ``code`` gave no result (POSIX signals are
    negative, Windows statuses unsigned 32-bit numbers).

    >>> death_of_exit(-6).reason, death_of_exit(0xC0000409).reason, death_of_exit(0xC0000005).reason
    ('memory', 'memory', 'crash')
    """
    code = code or 0
    if code in _MEMORY_EXITS:
        return Death("memory", _MEMORY_EXITS[code])
    return Death("crash", f"signal {-code}" if code < 0 else f"exit {code} (0x{code & 0xFFFFFFFF:08X})")


def _death_of(process: multiprocessing.Process) -> Death:
    process.join()
    return death_of_exit(process.exitcode)


def _serve(conn, work: Callable, memory: int) -> None:
    """A worker: run ``work`` on each item of each chunk received, send back each result."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # The parent may run with the cyclic GC off (a batch of acyclic objects); a worker reads
    # file after file and a parser's cycles must not pile up. What it inherited is left alone.
    gc.freeze()
    gc.enable()
    _quiet_stderr()
    limit_memory(memory)
    while (chunk := conn.recv()) is not None:
        for index, item in chunk:
            try:
                conn.send((index, True, work(item)))
            except MemoryError:
                conn.send((index, False, Death("memory", "MemoryError")))
            except BaseException as exc:  # noqa: BLE001 - a panic must cost only this file
                conn.send((index, False, Death("crash", f"{type(exc).__name__}: {exc}"[:500])))
    conn.close()


def _quiet_stderr() -> None:
    """A native parser's dying words ("memory allocation of … failed") are not for the clerk:
    the file's refusal says it in Chinese."""
    import faulthandler

    faulthandler.disable()  # a test runner's dump of a dying worker is noise too
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
    except OSError:
        pass


def isolated_call(work: Callable, item: object, failed: Callable, *, limits: Limits = DEFAULT_LIMITS) -> object:
    """``work(item)`` for a single file, in one worker under ``limits`` (see :func:`isolated_map`)."""
    return isolated_map(work, [item], failed, workers=1, limits=limits)[0]
