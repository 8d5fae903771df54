"""Running a parser over untrusted files where a failure costs only that file.

The native parsers (python-calamine) read bytes from outside: a damaged file can make them
panic, abort the process ("memory allocation of … bytes failed") or allocate without bound.
So every file is parsed in a worker process with a memory limit and a time limit per file. The
memory limit is the worker's own: ``RLIMIT_AS`` on Linux, a Job Object on Windows
(:mod:`zwgk_cli.reading.memorycap`). Workers are kept for the whole batch and fed chunks of files;
results come back a few at a time (each message wakes this process), and each worker keeps the
index of the file it is on in a shared counter. A worker that dies or overruns its time on a file
is replaced, that file gets ``failed(item, death)``, and the rest of its chunk (results not yet
sent included: they are read again) goes to the next worker. A worker gone between files or while
sending its results leaves no file to blame: each file left is read again alone, so that a second
death names its file. Results stay in input order.

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
BATCH = 8  # results a worker sends at once (fewer messages: each costs this process a wake-up)
TICKS = 10  # a busy worker's counter is looked at (at least) this many times per time limit


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
    progress: object  # shared with the worker: the index of the item it is on, -1 between items
    chunk: list[int] = field(default_factory=list)
    done: int = 0  # results received
    watched: int = -1  # the item it was last seen on
    since: float = 0.0  # when it was first seen on that item (or given its chunk)
    stopped: bool = False  # told there is no more work: it ends by itself

    @property
    def busy(self) -> bool:
        return self.done < len(self.chunk)

    def watch(self, now: float) -> None:
        """Note when the worker moved on to another item: its time limit counts from there."""
        at = self.progress.value
        if at != self.watched:
            self.watched, self.since = at, now


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
        progress = self.context.RawValue("q", -1)
        process = self.context.Process(target=_serve, args=(there, self.work, self.limits.memory, progress),
                                       daemon=True)
        process.start()
        there.close()  # so that the worker's death reads as end of file here
        return _Worker(process, here, progress)

    def feed(self, worker: _Worker, at_least: int = 1) -> None:
        """Give an idle worker the next chunk, or chunks up to ``at_least`` files (or tell it to stop)."""
        chunk = self.pending.popleft() if self.pending else []
        while self.pending and len(chunk) + len(self.pending[0]) <= at_least:
            chunk += self.pending.popleft()
        worker.chunk, worker.done, worker.watched, worker.since = chunk, 0, -1, time.monotonic()
        worker.stopped = not chunk
        worker.conn.send([(i, self.items[i]) for i in chunk] if chunk else None)

    def run(self) -> None:
        tick = self.limits.seconds / TICKS
        while any(w.busy for w in self.workers):
            busy = [w for w in self.workers if w.busy]
            now = time.monotonic()
            for worker in busy:
                worker.watch(now)
            timeout = max(0.0, min(min(w.since for w in busy) + self.limits.seconds - now, tick))
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    self.receive(worker, gone=worker.process.sentinel in ready)
                    continue
                worker.watch(time.monotonic())  # it may have moved on while this process waited
                if time.monotonic() - worker.since > self.limits.seconds:
                    slow = worker.watched  # read before the kill: the counter may move meanwhile
                    worker.process.kill()
                    self.receive(worker, gone=True, death=Death("time", f"{self.limits.seconds:g} s"), blamed=slow)

    def receive(self, worker: _Worker, *, gone: bool, death: Death | None = None, blamed: int | None = None) -> None:
        # A living worker's pipe was ready: take one message (the next wait() returns at once if
        # more are buffered). A worker that is gone: everything it sent before it died, so that
        # only the file it was on fails.
        try:
            while worker.busy and (not gone or worker.conn.poll()):
                for index, ok, payload in worker.conn.recv():
                    self.results[index] = payload if ok else self.failed(self.items[index], payload)
                    worker.done += 1
                if not gone:
                    break
        except (EOFError, OSError):
            gone = gone or not worker.process.is_alive()  # else its end is still closing: seen next time round
        if gone:
            self.replace(worker, death or _death_of(worker.process), blamed)
        elif not worker.busy:
            self.feed(worker)

    def replace(self, worker: _Worker, death: Death, blamed: int | None = None) -> None:
        """The worker is gone: the file it was on (``blamed``, else its counter) fails and the rest
        of its chunk goes back (results it had not sent are read again). Gone between files or
        while sending results (the OOM killer, say), no file is known to blame: each one left is
        read again alone, and a worker that dies with a single file in hand names that file."""
        worker.process.join()
        worker.conn.close()
        rest = worker.chunk[worker.done:]
        at = worker.progress.value if blamed is None else blamed
        if at in rest or (len(worker.chunk) == 1 and rest):
            index = at if at in rest else rest[0]
            self.results[index] = self.failed(self.items[index], death)
            rest.remove(index)
            if rest:
                self.pending.appendleft(rest)
        else:
            self.pending.extendleft([i] for i in reversed(rest))
        self.workers.remove(worker)
        if self.pending:
            self.workers.append(self.spawn())
            self.feed(self.workers[-1])

    def close(self) -> None:
        for worker in self.workers:
            if worker.process.is_alive() and not worker.stopped:  # busy, or waiting for work
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


def _serve(conn, work: Callable, memory: int, progress) -> None:
    """A worker: run ``work`` on each item of each chunk received, with the item's index in
    ``progress`` meanwhile; send back the results a few at a time."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # The parent may run with the cyclic GC off (a batch of acyclic objects); a worker reads
    # file after file and a parser's cycles must not pile up. What it inherited is left alone.
    gc.freeze()
    gc.enable()
    _quiet_stderr()
    limit_memory(memory)
    while (chunk := conn.recv()) is not None:
        batch: list[tuple] = []
        for n, (index, item) in enumerate(chunk, 1):
            progress.value = index
            try:
                batch.append((index, True, work(item)))
            except MemoryError:
                batch.append((index, False, Death("memory", "MemoryError")))
            except BaseException as exc:  # noqa: BLE001 - a panic must cost only this file
                batch.append((index, False, _crash(exc)))
            progress.value = -1
            if len(batch) == BATCH or n == len(chunk):
                _send(conn, batch)
                batch = []
    conn.close()


def _crash(exc: BaseException) -> Death:
    return Death("crash", f"{type(exc).__name__}: {exc}"[:500])


def _send(conn, batch: list[tuple]) -> None:
    """Send results; one that cannot be sent (it does not pickle, memory runs out) fails alone."""
    try:
        conn.send(batch)
    except BaseException:  # noqa: BLE001 - pickling fails before anything is written
        for index, ok, payload in batch:
            try:
                conn.send([(index, ok, payload)])
            except MemoryError:
                conn.send([(index, False, Death("memory", "MemoryError"))])
            except BaseException as exc:  # noqa: BLE001 - as a result's own failure: this file alone
                conn.send([(index, False, _crash(exc))])


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
