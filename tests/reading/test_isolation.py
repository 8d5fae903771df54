"""Running a parser where a failure costs only its file (zwgk_cli/reading/isolation.py): a worker
that aborts, crashes, exits, panics, runs forever or takes too much memory is refused alone,
the batch goes on in order. The faults are asked for by file name and done by
tests/support/faults.py in the worker itself: these tests hold under spawn
(ZWGK_START_METHOD=spawn, as on Windows) as under fork."""

from __future__ import annotations

import gc
import hashlib
import re
import shutil
import sys
from functools import partial
from pathlib import Path

import pytest
from support.faults import faulty_reader, faulty_work, gc_enabled, sending_work, timed_work, unpicklable_work
from support.mutations import CLASS_NAME

from zwgk_cli.reading.inputs import read_input as read_workbook
from zwgk_cli.reading.isolation import BATCH, FIRST_CHUNK, Limits, death_of_exit, isolated_map, start_method
from zwgk_cli.scoring.pipeline import read_all
from zwgk_cli.workbooks.fill import fill_workbook


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


@pytest.fixture(scope="session")
def three_filled(tmp_path_factory, blank) -> list[Path]:
    """Three good workbooks (units 县单位0, 1 and 2), filled once per session."""
    folder = tmp_path_factory.mktemp("three")
    return [fill_workbook(blank, folder / f"{index}.xlsx", {"5": 1}, unit=f"县单位{index}") for index in range(3)]


@pytest.fixture
def three(three_filled, tmp_path):
    """make(fault) -> a folder of three good workbooks, the middle one asking for ``fault``."""

    def make(fault: str) -> Path:
        folder = tmp_path / fault
        folder.mkdir()
        for source, name in zip(three_filled, ["甲.xlsx", f"乙-{fault}.xlsx", "丙.xlsx"], strict=True):
            shutil.copyfile(source, folder / name)
        return folder

    return make


@pytest.mark.parametrize(("fault", "code"), [
    ("abort", "file-too-complex"),  # a native allocation failure aborts the process
    ("segfault", "file-corrupt"),
    ("exit", "file-corrupt"),
    ("panic", "file-corrupt"),
])
def test_a_file_that_kills_its_reader_is_refused_alone(three, rules, fault, code):
    reads = read_all([three(fault)], rules, reader=faulty_reader)
    assert [(Path(r.file).name, r.ok) for r in reads] == [
        ("丙.xlsx", True), (f"乙-{fault}.xlsx", False), ("甲.xlsx", True)]
    (error,) = reads[1].errors
    assert error.code == code and Path(error.file).name == f"乙-{fault}.xlsx"
    assert not CLASS_NAME.search(error.message) and not re.search(r"signal|exit", error.message)


@pytest.mark.slow  # the time limit is 3 seconds
def test_a_file_that_reads_forever_is_refused_at_the_time_limit(three, rules):
    reads = read_all([three("forever")], rules, limits=Limits(seconds=3), reader=faulty_reader)
    assert [(Path(r.file).name, r.ok) for r in reads] == [
        ("丙.xlsx", True), ("乙-forever.xlsx", False), ("甲.xlsx", True)]
    assert [e.code for e in reads[1].errors] == ["file-too-complex"]


def test_a_worker_cannot_take_more_memory_than_its_limit(three, rules):
    reads = read_all([three("greedy")], rules, limits=Limits(memory=256 << 20), reader=faulty_reader)
    assert [(Path(r.file).name, r.ok) for r in reads] == [
        ("丙.xlsx", True), ("乙-greedy.xlsx", False), ("甲.xlsx", True)]
    assert [e.code for e in reads[1].errors] == ["file-too-complex"]


def test_a_file_too_big_for_its_worker_is_not_read_whole_here(rules, tmp_path):
    """The parent names and hashes a file whose worker died a chunk at a time: a file that was too
    big for the worker (a 1.1 GiB .zip) is too big for the batch's own process too."""
    from support.mutations_inputs import in_child

    path = tmp_path / "乙-exit.xlsx"
    with open(path, "wb") as out:
        out.truncate(400 << 20)  # 400 MiB of zeros, a hole on disk
    forked = in_child(lambda: [(r.ok, r.sha256, [e.code for e in r.errors]) for r in
                               read_all([path], rules, reader=faulty_reader)], timeout=60)
    digest = hashlib.sha256()
    for _ in range(400):
        digest.update(bytes(1 << 20))
    assert forked.result == [(False, digest.hexdigest(), ["file-corrupt"])]
    assert forked.peak < 100 << 20, f"{forked.peak >> 20} MiB"


@pytest.mark.parametrize("fault", ["abort", "segfault", "exit", pytest.param("forever", marks=pytest.mark.slow),
                                   "panic"])
def test_a_dying_worker_costs_only_its_own_item_and_the_rest_keep_their_order(fault):
    deaths = _one_bad(faulty_work, 12, 5, f"5-{fault}.xlsx", workers=2, limits=Limits(seconds=3))
    assert deaths == {f"5-{fault}.xlsx": {"abort": "memory", "forever": "time"}.get(fault, "crash")}


def test_results_a_dying_worker_had_not_sent_yet_are_read_again():
    """A worker sends its results a few at a time: those it had made but not sent when it died
    are made again by the next worker, and only the file it was on fails."""
    dies = BATCH + BATCH // 2  # in the first chunk (half the items, one worker), after a batch was sent
    assert dies < min(FIRST_CHUNK, 40 // 2)
    deaths = _one_bad(faulty_work, 40, dies, f"{dies}-exit.xlsx", workers=1)
    assert deaths == {f"{dies}-exit.xlsx": "crash"}


@pytest.mark.parametrize(("fault", "reason"), [("dies-sent", "crash"), ("hangs-sent", "time")])
def test_a_worker_gone_while_sending_results_costs_only_the_file_whose_result_it_was(fault, reason):
    """Gone between files or while sending, a worker leaves no file to blame: the files left are
    read again one by one, and only the one that ends a worker again is refused."""
    deaths = _one_bad(sending_work, 40, 13, f"13-{fault}.xlsx", workers=1, limits=Limits(seconds=1))
    assert deaths == {f"13-{fault}.xlsx": reason}


def test_the_time_limit_refuses_the_file_that_overran_it_never_the_next():
    """The batch sees a worker's counter move only when it looks: a file just past the limit may
    finish, but the quick file after it is never refused for it."""
    for slow, refused in (("1-slow@1.05", None), ("1-slow@2.5", "time")):
        items = ["0", slow, "2@0.3", *map(str, range(3, 10))]
        deaths: dict[str, str] = {}
        results = isolated_map(timed_work, items, partial(_note_death, deaths), workers=1,
                               limits=Limits(seconds=1))
        assert "2@0.3" not in deaths and results[2] == "2@0.3"
        assert set(deaths) <= {slow} and (refused is None or deaths == {slow: refused})


def _note_death(deaths: dict[str, str], item: str, death) -> str:
    return deaths.setdefault(item, death.reason)


def _one_bad(work, count: int, at: int, bad: str, **options) -> dict[str, str]:
    """``work`` over ``count`` items, the one at ``at`` named ``bad``: every other item comes back as
    itself, in order (checked here); returns the reasons of the items that failed, by item."""
    items = [f"{n}.xlsx" for n in range(count)]
    items[at] = bad
    deaths: dict[str, str] = {}
    results = isolated_map(work, items, partial(_note_death, deaths), **options)
    assert results[:at] + results[at + 1:] == items[:at] + items[at + 1:]
    return deaths


def test_an_interrupted_batch_ends_without_waiting_for_its_idle_workers(monkeypatch):
    """Ctrl-C between a worker's last result and its next chunk: the worker waiting for work is
    stopped, not waited for."""
    import multiprocessing
    import threading

    from zwgk_cli.reading import isolation

    feed = isolation._Pool.feed

    def interrupted(pool, worker, at_least=1):
        if getattr(pool, "fed", False):
            raise KeyboardInterrupt
        pool.fed = True
        return feed(pool, worker, at_least)

    monkeypatch.setattr(isolation._Pool, "feed", interrupted)
    outcome = []

    def run():
        try:
            isolated_map(timed_work, [str(n) for n in range(40)], lambda item, death: None, workers=1)
            outcome.append("finished")
        except KeyboardInterrupt:
            outcome.append("interrupted")

    batch = threading.Thread(target=run, daemon=True)
    batch.start()
    batch.join(20)
    stuck = batch.is_alive()
    for child in multiprocessing.active_children():  # a worker left waiting, when the batch hangs
        child.kill()
    batch.join(5)
    assert not stuck and outcome == ["interrupted"]


def test_a_result_that_cannot_be_sent_fails_alone():
    deaths = _one_bad(unpicklable_work, 10, 3, "3-unpicklable.xlsx", workers=2)
    assert deaths == {"3-unpicklable.xlsx": "crash"}


def test_ctrl_c_is_not_taken_for_a_damaged_file(filled, rules, monkeypatch):
    from zwgk_cli.reading import workbook as reader

    def interrupted(opened, book, seen):
        raise KeyboardInterrupt

    monkeypatch.setattr(reader, "_findings", interrupted)
    with pytest.raises(KeyboardInterrupt):
        read_workbook(filled({}), rules)


def test_debug_reads_in_this_process_so_the_traceback_shows(three, rules, monkeypatch):
    from zwgk_cli.reading import workbook as reader

    def broken(rows, header_at, sheet, out):
        raise KeyError("boom")

    monkeypatch.setattr(reader, "_entries", broken)
    with pytest.raises(KeyError):
        read_all([three("none")], rules, debug=True)


def test_workers_collect_cycles_when_the_batch_turns_the_collector_off():
    """A batch runs with the cyclic GC off; a worker reading thousands of files must not
    keep every parser cycle (its memory grew by 200 MB over 5,000 files)."""
    gc.disable()
    try:
        assert isolated_map(gc_enabled, list(range(20)), lambda item, death: death, workers=2) == [True] * 20
    finally:
        gc.enable()
