"""Damaged files: every one ends scored or refused with a stable code, alone, whatever it does to
the parser (panic, abort, endless work), and the batch goes on. The files come from
tests/mutations.py: named cases a fuzz campaign found, and a fixed-seed batch of fresh mutants."""

from __future__ import annotations

import gc
import json
import re
from pathlib import Path

import pytest
from support.faults import faulty_reader, faulty_work, gc_enabled
from support.mutations import CASES, CLASS_NAME, ENTRIES, UNIT, personalise, stored_seeds, write_cases, write_mutants
from typer.testing import CliRunner

from zwgk_cli.cli.commands import app
from zwgk_cli.constants import STATUS_ERROR, STATUS_OK
from zwgk_cli.problems import CODES
from zwgk_cli.reading.inputs import read_input as read_workbook
from zwgk_cli.reading.isolation import Limits, isolated_map
from zwgk_cli.scoring.pipeline import read_all, score_paths

FUZZ_SEED = 20261129
PER_FORMAT = 400


@pytest.fixture(scope="session")
def seeds() -> dict[str, bytes]:
    """The filled seed workbook as .xlsx, and as .xls and .ods saved by LibreOffice: stored, so that
    every run mutates the same bytes (tests/mutations.py --store-seeds makes them afresh)."""
    return stored_seeds()


def test_the_stored_seeds_are_filled_findings_workbooks_in_each_format(seeds, rules, tmp_path):
    """The stored seeds stay what the mutants need: a readable workbook of the seed unit with its entries."""
    for fmt, data in seeds.items():
        path = tmp_path / f"种子.{fmt}"
        path.write_bytes(data)
        read = read_workbook(path, rules)
        assert read.ok and read.unit == UNIT, (fmt, [p.text() for p in read.problems])
        assert {cid for cid, e in read.findings.entries.items() if e.raw} == set(ENTRIES), fmt


@pytest.mark.parametrize("name", list(CASES))
def test_damage_found_by_fuzzing_is_refused_with_its_code(name, seeds, rules, tmp_path):
    fmt, damage, codes = CASES[name]
    path = tmp_path / f"{name}.{fmt}"
    path.write_bytes(damage(personalise(seeds[fmt], fmt, 1)))
    read = read_workbook(path, rules)  # in this process: a panic or an abort here would fail the test
    assert not read.ok
    assert {e.code for e in read.errors} <= set(codes), [e.text() for e in read.errors]
    assert not [e.message for e in read.errors if CLASS_NAME.search(e.message)]


def test_fuzzed_workbooks_end_scored_or_refused_in_one_batch(seeds, tmp_path):
    folder = tmp_path / "收回"
    made = write_mutants(folder, seeds, PER_FORMAT, FUZZ_SEED)
    made.update(dict.fromkeys(write_cases(folder, seeds), "case"))
    result = CliRunner().invoke(app, ["score", str(folder), "--json"])
    assert result.exit_code in (0, 1), result.output[-2000:]
    data = json.loads(result.stdout)
    statuses = {Path(i["file"]).name: i["status"] for i in data["inputs"]}
    assert statuses.keys() == made.keys()
    assert set(statuses.values()) <= {STATUS_OK, STATUS_ERROR}
    assert STATUS_OK in statuses.values() and STATUS_ERROR in statuses.values()
    bad = [f"{e['file']} {e['code']} {e['message']}: {made.get(Path(e['file']).name)}" for e in data["errors"]
           if e["code"] not in CODES or CLASS_NAME.search(e["message"]) or "意外" in e["message"]]
    assert not bad
    refused = {Path(e["file"]).name for e in data["errors"]}
    assert refused == {name for name, status in statuses.items() if status == STATUS_ERROR}


def test_library_and_cli_agree_on_a_fuzzed_batch(seeds, rules, tmp_path):
    folder = tmp_path / "收回"
    write_mutants(folder, seeds, 20, FUZZ_SEED + 1)
    report = score_paths([folder], rules)
    result = CliRunner().invoke(app, ["score", str(folder), "--json"])
    data = json.loads(result.stdout)
    assert data["inputs"] == report.to_dict()["inputs"]
    assert data["errors"] == report.to_dict()["errors"]


# --- isolation: what a dying parser costs ------------------------------------------------------
# The faults are asked for by file name and done by tests/faults.py in the worker itself: these
# tests hold under spawn (ZWGK_START_METHOD=spawn, as on Windows) as under fork.

@pytest.fixture
def three(filled, tmp_path):
    """make(fault) -> a folder of three good workbooks, the middle one asking for ``fault``."""

    def make(fault: str) -> Path:
        folder = tmp_path / fault
        for index, name in enumerate(["甲.xlsx", f"乙-{fault}.xlsx", "丙.xlsx"]):
            filled({"5": 1}, unit=f"县单位{index}", name=name, folder=folder)
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


@pytest.mark.parametrize("fault", ["abort", "segfault", "exit", "forever", "panic"])
def test_a_dying_worker_costs_only_its_own_item_and_the_rest_keep_their_order(fault):
    items = [f"{n}.xlsx" for n in range(12)]
    items[5] = f"5-{fault}.xlsx"
    deaths = {}
    results = isolated_map(faulty_work, items, lambda item, death: deaths.setdefault(item, death.reason),
                           workers=2, limits=Limits(seconds=3))
    assert results[:5] + results[6:] == items[:5] + items[6:]
    assert deaths == {items[5]: {"abort": "memory", "forever": "time"}.get(fault, "crash")}


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
