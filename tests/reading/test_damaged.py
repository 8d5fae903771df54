"""Damaged files: every one ends scored or refused with a stable code, alone, whatever it does to
the parser (panic, abort, endless work), and the batch goes on (what a parser that dies costs:
test_isolation.py). The files come from tests/support/mutations.py: named cases a fuzz campaign
found, and a fixed-seed batch of fresh mutants."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.mutations import CASES, CLASS_NAME, ENTRIES, UNIT, personalise, stored_seeds, write_cases, write_mutants

from zwgk_cli.constants import STATUS_ERROR, STATUS_OK
from zwgk_cli.problems import CODES
from zwgk_cli.reading.inputs import read_input as read_workbook
from zwgk_cli.scoring.pipeline import score_paths

FUZZ_SEED = 20261129
PER_FORMAT = 400


@pytest.fixture(scope="session")
def seeds() -> dict[str, bytes]:
    """The filled seed workbook as .xlsx, and as .xls and .ods saved by LibreOffice: stored, so that
    every run mutates the same bytes (tests/support/mutations.py --store-seeds makes them afresh)."""
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


@pytest.mark.slow
def test_fuzzed_workbooks_end_scored_or_refused_in_one_batch(cli, seeds, tmp_path):
    folder = tmp_path / "收回"
    made = write_mutants(folder, seeds, PER_FORMAT, FUZZ_SEED)
    made.update(dict.fromkeys(write_cases(folder, seeds), "case"))
    result = cli.json("score", folder)
    assert result.exit_code in (0, 1), result.output[-2000:]
    data = result.data
    statuses = {Path(i["file"]).name: i["status"] for i in data["inputs"]}
    assert statuses.keys() == made.keys()
    assert set(statuses.values()) <= {STATUS_OK, STATUS_ERROR}
    assert STATUS_OK in statuses.values() and STATUS_ERROR in statuses.values()
    bad = [f"{e['file']} {e['code']} {e['message']}: {made.get(Path(e['file']).name)}" for e in data["errors"]
           if e["code"] not in CODES or CLASS_NAME.search(e["message"]) or "意外" in e["message"]]
    assert not bad
    refused = {Path(e["file"]).name for e in data["errors"]}
    assert refused == {name for name, status in statuses.items() if status == STATUS_ERROR}


def test_library_and_cli_agree_on_a_fuzzed_batch(cli, seeds, rules, tmp_path):
    folder = tmp_path / "收回"
    write_mutants(folder, seeds, 20, FUZZ_SEED + 1)
    report = score_paths([folder], rules)
    data = cli.json("score", folder).data
    assert data["inputs"] == report.to_dict()["inputs"]
    assert data["errors"] == report.to_dict()["errors"]

