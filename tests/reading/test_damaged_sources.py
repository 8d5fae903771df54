"""Damaged files of the other kinds zwgk reads: inspection matrices, review tables, last season's
results (rank --previous) and rosters. Each ends read or refused with a clear Chinese message
naming the file — a matrix alone (exit 1, nobody ranked behind its back), the previous season or
the roster for the whole run (exit 2) — whatever it does to the parser. The files come from
tests/support/mutations_sources.py: the killers a campaign names, and a fixed-seed sample of mutants."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest
from support.cli import Cli
from support.faults import faulty_reader
from support.mutations import CLASS_NAME, _last_cell_at, _member, _with_shared_strings, _yes_row_repeated
from support.mutations_sources import (
    UNITS,
    bad_message,
    load_outcome,
    make_source_seeds,
    mutate_any,
    source_outcome,
    write_source_mutants,
)

from zwgk_cli.problems import ZwgkError
from zwgk_cli.reading.previous import load_previous
from zwgk_cli.reading.roster import load_roster
from zwgk_cli.scoring.pipeline import rank_paths, read_all, read_files

FUZZ_SEED = 20261129
PER_SEED = 8
_SHEET = "xl/worksheets/sheet1.xml"

# the native parser aborted the whole process on these ("memory allocation of … bytes failed")
KILLERS = {
    "文本数声明4294967296": _with_shared_strings(b"4294967296"),
    "单元格引用XFD1048576": lambda d: _member(d, _SHEET, _last_cell_at(b"XFD1048576")),
}  # (a declared dimension of A1:XFD1048576 alone is read correctly: calamine sizes by the cells)


@pytest.fixture(scope="module")
def made(tmp_path_factory, rules) -> tuple[Path, dict]:
    """The seeds (.xlsx, .json, .csv: no LibreOffice needed) and their returns folder."""
    folder = tmp_path_factory.mktemp("sources")
    return folder, make_source_seeds(folder, rules)


def _cli(*args: str):
    result = Cli().json(*args)
    return result.exit_code, result.data


def _returns(made, tmp_path: Path) -> Path:
    """A copy of the seeds' returns folder (one findings workbook per unit)."""
    returns = tmp_path / "收回"
    returns.mkdir()
    for own in (made[0] / "收回").iterdir():
        (returns / own.name).write_bytes(own.read_bytes())
    return returns


def _killer(made, seed: str, damage: str, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(KILLERS[damage](made[1][(seed, "xlsx")]))
    return path


@pytest.mark.parametrize("damage", list(KILLERS))
def test_a_previous_summary_that_kills_the_parser_is_refused_with_exit_2(made, damage, tmp_path):
    path = _killer(made, "summary", damage, tmp_path, "上年汇总.xlsx")
    with pytest.raises(ZwgkError) as refused:  # read here: an abort in this process would end the test run
        load_previous(path)
    assert refused.value.code == "previous-invalid"
    code, data = _cli("rank", str(made[0] / "收回"), "--previous", str(path), "-o", str(tmp_path / "汇总.xlsx"))
    assert code == 2 and data["error"]["code"] == "previous-invalid"
    assert "上年汇总.xlsx" in data["error"]["message"] and not CLASS_NAME.search(data["error"]["message"])
    assert not (tmp_path / "汇总.xlsx").exists()


@pytest.mark.parametrize("damage", list(KILLERS))
def test_a_roster_that_kills_the_parser_is_refused_with_exit_2(made, damage, tmp_path):
    path = _killer(made, "roster", damage, tmp_path, "名单.xlsx")
    code, data = _cli("rank", str(made[0] / "收回"), "--roster", str(path), "-o", str(tmp_path / "汇总.xlsx"))
    assert code == 2 and data["error"]["code"] == "roster-invalid"
    assert "名单.xlsx" in data["error"]["message"] and not CLASS_NAME.search(data["error"]["message"])


def test_an_ods_roster_repeating_a_row_a_million_times_is_refused(made, tmp_path, soffice):
    converted = soffice([made[0] / "roster.xlsx"], "ods", tmp_path)[0]
    repeated = tmp_path / "名单.ods"
    def damage(body: bytes) -> bytes:  # the row the damage repeats must hold 是
        return _yes_row_repeated(body.replace("县测试甲局".encode(), "是".encode()))

    repeated.write_bytes(_member(converted.read_bytes(), "content.xml", damage))
    with pytest.raises(ZwgkError) as refused:
        load_roster(repeated)
    assert "名单.ods" in str(refused.value) and not CLASS_NAME.search(str(refused.value))
    assert refused.value.code == "roster-invalid"


@pytest.mark.parametrize("damage", list(KILLERS))
def test_a_matrix_that_kills_the_parser_is_refused_and_holds_back_every_unit(made, rules, damage, tmp_path):
    returns = _returns(made, tmp_path)
    (returns / "检查表_网上检查组.xlsx").write_bytes(KILLERS[damage](made[1][("matrix", "xlsx")]))
    report = rank_paths([returns], rules, list(UNITS))
    assert report.units == []
    assert {e.code for e in report.errors if Path(e.file).name == "检查表_网上检查组.xlsx"} >= {"source-refused"}


def test_fuzzed_matrices_and_review_tables_are_read_or_refused_cleanly(made, rules, tmp_path):
    folder, seeds = made
    sources = {k: v for k, v in seeds.items() if k[0] in ("matrix", "review", "copied")}
    mutants = write_source_mutants(tmp_path / "m", sources, PER_SEED, FUZZ_SEED)
    reads = read_files(list(mutants), rules)
    outcomes = {source_outcome(r) for r in reads}
    assert "ok" in outcomes and outcomes - {"ok"}  # the sample holds both
    bad = [f"{r.file} {e.code} {e.message}" for r in reads for e in r.errors if bad_message(e.code, e.message)]
    assert not bad


def test_a_batch_with_a_damaged_matrix_ranks_nobody(made, rules, tmp_path):
    seeds, returns = made[1], _returns(made, tmp_path)
    rng, damaged = random.Random(FUZZ_SEED), None
    while damaged is None:  # the first mutant of the matrix that cannot be read at all
        (returns / "检查表_网上检查组.xlsx").write_bytes(mutate_any(seeds[("matrix", "xlsx")], "xlsx", rng)[0])
        read = read_files([returns / "检查表_网上检查组.xlsx"], rules)[0]
        damaged = read if read.errors and not read.rows else None
    report = rank_paths([returns], rules, list(UNITS))
    assert report.units == [] and "source-refused" in {e.code for e in report.errors}


@pytest.mark.parametrize(("seed", "fmt", "load"), [("summary", "xlsx", load_previous), ("rank", "json", load_previous),
                                                   ("roster", "xlsx", load_roster), ("roster", "csv", load_roster)])
def test_fuzzed_previous_seasons_and_rosters_are_read_or_refused_cleanly(made, seed, fmt, load, tmp_path):
    mutants = write_source_mutants(tmp_path, {(seed, fmt): made[1][(seed, fmt)]}, PER_SEED * 2, FUZZ_SEED)
    outcomes = [(path, *load_outcome(load, path)) for path in mutants]  # anything but ZwgkError fails here
    assert {code for _, code, _ in outcomes} <= {"ok", "previous-invalid", "roster-invalid"}
    assert not [text for path, code, text in outcomes if code != "ok" and (path.name not in text
                                                                           or bad_message(code, text))]


@pytest.mark.parametrize(("value", "shown"), [("null", "null"), ("true", "true"), ('{"a": 1}', '{"a": 1}'),
                                              ("1e30", "1E+30")])  # 1e30 once ended the run after 汇总 was written
def test_a_bad_value_in_previous_json_is_shown_as_the_file_writes_it(value, shown, tmp_path):
    path = tmp_path / "上年结果.json"
    path.write_text(f'{{"units": [{{"unit": "县财政局", "total": {value}, "rank": 1}}]}}', encoding="utf-8")
    with pytest.raises(ZwgkError) as refused:
        load_previous(path)
    assert f"总分无效（{shown}）" in str(refused.value) and "None" not in str(refused.value)
    assert refused.value.code == "previous-invalid" and "上年结果.json" in str(refused.value)


def test_a_matrix_whose_clause_header_was_changed_is_refused_and_holds_back_every_unit(made, rules, tmp_path):
    """Found by fuzzing: a header cell edited (or damaged) to text that is no 编号 dropped that
    clause's column, and its findings, without a word."""
    returns = _returns(made, tmp_path)
    matrix = returns / "检查表_网上检查组.xlsx"
    matrix.write_bytes(made[1][("matrix", "xlsx")])
    book = openpyxl.load_workbook(matrix)
    header = next(c for row in book["检查表"].iter_rows() for c in row if str(c.value or "").startswith("1 "))
    header.value = "4294967296"
    book.save(matrix)
    report = rank_paths([returns], rules, list(UNITS))
    assert report.units == []
    errors = {(e.code, e.cell) for e in report.errors if Path(e.file).name == matrix.name}
    assert ("header-missing", "B4") in errors and "source-refused" in {code for code, _ in errors}


@pytest.mark.parametrize("seed", ["matrix", "copied"])
def test_a_matrix_that_kills_its_reader_is_refused_alone(made, rules, seed, tmp_path):
    """The worker reading the matrix aborts (tests/support/faults.py, in the worker: this holds under spawn
    too); the matrix is refused with the memory refusal and the files beside it are read."""
    returns = _returns(made, tmp_path)
    (returns / "检查表_网上检查组-abort.xlsx").write_bytes(made[1][(seed, "xlsx")])
    reads = read_all([returns], rules, reader=faulty_reader)
    refused = [r for r in reads if not r.ok and r.errors]
    assert [(Path(r.file).name, [e.code for e in r.errors]) for r in refused] == [
        ("检查表_网上检查组-abort.xlsx", ["file-too-complex"])]
    assert len(reads) > 1 and all(r.ok for r in reads if r not in refused)


def test_a_copied_matrix_whose_clause_header_was_changed_says_the_column_was_not_read(made, rules, tmp_path):
    """Found by fuzzing: without _meta nothing lists the clauses, so a header damaged into other
    text dropped its column without a word; now the column is named, and the units with a value
    in it wait (their findings there cannot be placed)."""
    copied = tmp_path / "网上检查组.xlsx"
    copied.write_bytes(made[1][("copied", "xlsx")])
    book = openpyxl.load_workbook(copied)
    header = next(c for row in book.active.iter_rows() for c in row if str(c.value or "").startswith("1 "))
    header.value = "NaN"
    book.save(copied)
    read = read_files([copied], rules)[0]
    assert [(p.code, p.level.value, p.sheet, p.cell, p.value) for p in read.problems] == [
        ("source-column-ignored", "error", "Sheet1", f"{header.column_letter}{header.row}", "NaN")]
    column = header.column - 1
    for row in read.rows:  # a unit with a value under the damaged header is not ranked behind its back
        values = [r for r in book.active.iter_rows(values_only=True) if r[1] == row.typed]
        assert row.held == any(v[column] not in (None, "") for v in values)
    assert any(row.held for row in read.rows)


def test_a_matrix_as_made_has_no_column_it_does_not_read(made, rules):
    read = read_files([made[0] / "matrix.xlsx", made[0] / "copied.xlsx"], rules)
    assert [[p.code for p in r.problems] for r in read] == [[], []]


@pytest.mark.parametrize("damage", list(KILLERS))
def test_a_rule_table_that_kills_the_parser_is_refused_with_exit_2(cli, rules, damage, tmp_path):
    from zwgk_cli.reading.ruletable import import_rules
    from zwgk_cli.workbooks.ruletable import export_rules

    table = export_rules(rules, tmp_path / "细则表.xlsx")
    table.write_bytes(KILLERS[damage](table.read_bytes()))
    with pytest.raises(ZwgkError) as refused:  # read here: an abort in this process would end the test run
        import_rules(table)
    assert "细则表.xlsx" in str(refused.value) and not CLASS_NAME.search(str(refused.value))
    assert refused.value.code == "table-invalid"
    result = cli("rules", "import", table, "-o", tmp_path / "细则.yaml")
    assert result.exit_code == 2 and "细则表.xlsx" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "细则.yaml").exists()
