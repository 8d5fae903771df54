"""Hostile and awkward .zip submissions (tests/support/hostile_zips.py), run as a clerk runs a season.

Every case of ``CASES`` goes into one returns folder with a good loose workbook (and its evidence
beside it) and a good submission; ``zwgk rank --json`` (with the summary, the 通报 draft and the
archive), ``zwgk score -o`` (feedback sheets, the terminal's tables) and ``zwgk archive verify``
run over it once. Then, as a clerk would check:

- the run ends (exit 0 or 1: never 2, 内部错误 or a traceback), and its outputs open;
- each hostile zip ends as its case expects (:class:`support.hostile_zips.Expect`): refused with
  the right code and a message naming the zip (and the member), or read, its unit scored with the
  total its workbook gets, each listed file found with the sha256 and size a correct unzip gives;
- the good files are scored exactly as without the hostile ones;
- nothing is written anywhere but the outputs, and every input is byte-identical afterwards;
- for the bombs and limits, the parent process's peak memory stays small (a forked child each,
  its VmHWM measured; ``ALONE``: cases too big for the batch).

``ZWGK_START_METHOD=spawn`` runs it all with spawned workers.
Submissions that read well are tested in tests/reading/test_scan.py and tests/season/.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import types
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.cli import Cli
from support.hostile_zips import (
    ALONE,
    CASES,
    PDF,
    Built,
    Case,
    Member,
    Workbooks,
    build_case,
    case_units,
    gbk,
    write_zip,
)
from support.mutations_inputs import in_child

GOOD_LOOSE, GOOD_ZIP = "县良好甲局", "县良好乙局"
WHOLE = ("submission-unsafe", "submission-encrypted", "submission-corrupt")  # the zip refused whole
PARENT_BYTES = 200 * 1024 ** 2  # what the parent may grow by while a hostile zip is read
EXCEL_CELL = 32_767  # the most characters an Excel cell holds
SLIP = Path("/etc/zwgk-hostile-x")


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    data: dict | None = None


def _run(cli: Cli, *args: object, json_out: bool = False) -> Run:
    result = cli(*args, "--json") if json_out else cli(*args)
    stderr = getattr(result, "stderr", "") or ""
    data = None
    if json_out:
        try:
            data = json.loads(result.stdout)
        except ValueError as exc:
            raise AssertionError(f"exit {result.exit_code}: {result.output[-3000:]}") from exc
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += f"\nTraceback (exception in the runner): {result.exception!r}"
    return Run(result.exit_code, result.stdout, stderr, data)


def _snapshot(folder: Path) -> dict[str, tuple]:
    """Every file and folder under ``folder``: size, sha256 and modification time of each file."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink() or not path.is_file():
            found[key + "/"] = ("folder" if path.is_dir() else "other",)
        else:
            found[key] = (path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return found


@dataclass
class Batch:
    area: Path  # snapshotted whole: root (the working folder: in/, out/), home, tmp
    root: Path
    built: dict[str, Built]
    rank: Run
    score: Run
    verify: Run
    base: dict  # the good files alone: rank --json
    before: dict
    after: dict


def _good_files(books: Workbooks, folder: Path) -> None:
    """A loose workbook with its evidence beside it, and a good submission."""
    loose = folder / GOOD_LOOSE
    loose.mkdir(parents=True)
    (loose / f"{GOOD_LOOSE}.xlsx").write_bytes(books.fill(GOOD_LOOSE, evidence={"1": "甲会议纪要.pdf"}))
    (loose / "甲会议纪要.pdf").write_bytes(PDF + b"loose minutes")
    write_zip(folder / f"{GOOD_ZIP}.zip", [Member(f"{GOOD_ZIP}.xlsx", books.fill(GOOD_ZIP)),
                                           Member("会议纪要.pdf", PDF + b"good minutes"),
                                           Member("材料/获奖证书.pdf", PDF + b"good award")])


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Batch:
    area = tmp_path_factory.mktemp("hostile")
    root = area / "root"
    units = case_units()
    books = Workbooks(tmp_path_factory.mktemp("hostile-made"), [GOOD_LOOSE, GOOD_ZIP] + [units[n] for n in CASES])
    built = {name: build_case(name, case, units[name], books, root / "in") for name, case in CASES.items()}
    _good_files(books, root / "in")
    base_folder = tmp_path_factory.mktemp("hostile-base")
    _good_files(books, base_folder / "in")
    for folder in ("out", "../home", "../tmp"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    cli = Cli()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(base_folder)
        base = _run(cli, "rank", "in", "-o", "汇总.xlsx", json_out=True).data
        patch.chdir(root)
        patch.setenv("HOME", str(area / "home"))
        patch.setenv("TMPDIR", str(area / "tmp"))
        patch.setattr(tempfile, "tempdir", None)
        before = _snapshot(area)
        rank = _run(cli, "rank", "in", "-o", "out/汇总.xlsx", "--report", "out/通报.docx", "--archive",
                    "out/归档.zip", json_out=True)
        score = _run(cli, "score", "in", "-o", "out/反馈")
        verify = _run(cli, "archive", "verify", "out/归档.zip")
        after = _snapshot(area)
    return Batch(area, root, built, rank, score, verify, base, before, after)


# --- judging one case --------------------------------------------------------------------------


def _problems(data: dict, label: str) -> list[dict]:
    """The problems of the zip ``label`` and of the files in it (the units' own warnings too)."""
    every = data["errors"] + data["warnings"] + [w for unit in data["units"] for w in unit.get("warnings", [])]
    return [p for p in every if p["file"] == label or p["file"].startswith(label + "/")]


def _said(problems: list[dict], spec: str, *, error: bool) -> bool:
    code, _, text = spec.partition(":")
    return any(p["code"] == code and (p["level"] == "error") == error and text in p["message"]
               and p["message"].startswith(p["file"]) for p in problems)


def _judge(batch: Batch, name: str, case: Case) -> None:
    data, built, expect = batch.rank.data, batch.built[name], case.expect
    label = f"in/{name}.zip"
    mine = _problems(data, label)
    seen = [(p["level"], p["code"], p["message"][:300]) for p in mine]
    for spec in expect.refused:
        assert _said(mine, spec, error=True), (spec, seen)
    for spec in expect.warned:
        assert _said(mine, spec, error=False), (spec, seen)
    units = {u["unit"]: u for u in data["units"]}
    total = {u["unit"]: u["total"] for u in batch.base["units"]}[GOOD_LOOSE]
    if expect.scored:
        assert built.unit in units, ("not ranked", seen)
        assert units[built.unit]["total"] == total
        assert not [p for p in mine if p["level"] == "error"], seen
    else:
        assert built.unit not in units, "ranked"
    for path in expect.found:
        sha256, size = built.truth(path)
        items = [e for c in units[built.unit]["clauses"] for e in c["evidence"] if e.get("file") == f"{label}/{path}"]
        assert items, (path, "not found", seen)
        assert {(e["sha256"], e["size"]) for e in items} == {(sha256, size)}, path[:80]
    if expect.plain:
        (entry,) = [i for i in data["inputs"] if i["file"] == label]
        assert entry["kind"] == "evidence", entry
    if any(spec.partition(":")[0] in WHOLE for spec in expect.refused):
        # refused whole: nothing in it is read, listed or used as evidence
        assert not [i["file"] for i in data["inputs"] if i["submission"] == label]


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_zip_ends_as_a_clerk_expects(batch, name):
    _judge(batch, name, CASES[name])


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case.expect.listed])
def test_a_listed_member_is_never_called_unlisted(batch, name):
    data, label = batch.rank.data, f"in/{name}.zip"
    for path in CASES[name].expect.listed:
        notices = [p["message"].rsplit("：", 1)[-1].split("、") for p in data["warnings"]
                   if p["code"] == "evidence-unlisted" and p["file"] == label]
        assert not [names for names in notices if path in names], path
        (entry,) = [i for i in data["inputs"] if i["file"] == f"{label}/{path}"]
        assert entry["status"] == "印证材料" and entry["reason"].startswith("列为印证材料，但"), entry


# the refusal of a zip bomb or a size over the limits names the member, so that a unit whose
# scanned .bmp compresses 250:1 knows which file to send otherwise
@pytest.mark.parametrize(("name", "member"), [
    ("bomb-ratio", "录像.mp4"), ("size-lie-large", "会议纪要.pdf")])
def test_a_bomb_refused_names_its_member(batch, name, member):
    (refusal,) = [p for p in _problems(batch.rank.data, f"in/{name}.zip") if p["code"] == "submission-unsafe"]
    assert member in refusal["message"], refusal["message"]


# --- the batch as a whole ----------------------------------------------------------------------


def test_the_runs_end_without_an_internal_error(batch):
    for run in (batch.rank, batch.score):
        assert run.exit_code in (0, 1), run.stdout[-2000:] + run.stderr[-2000:]
        text = run.stdout + run.stderr
        assert "Traceback" not in text and "内部错误" not in text and "internal-error" not in text, text[-3000:]
    assert batch.rank.data["units"]


def _evidence_of(unit: dict) -> list[tuple]:
    return sorted((c["id"], e.get("name", ""), e.get("url", ""), e.get("sha256", ""), e.get("size", 0))
                  for c in unit["clauses"] for e in c["evidence"])


@pytest.mark.parametrize("unit", [GOOD_LOOSE, GOOD_ZIP])
def test_the_good_files_are_scored_as_without_the_hostile_ones(batch, unit):
    alone = {u["unit"]: u for u in batch.base["units"]}[unit]
    among = {u["unit"]: u for u in batch.rank.data["units"]}[unit]
    assert among["total"] == alone["total"]
    assert among["categories"] == alone["categories"]
    assert [(c["id"], c["points"]) for c in among["clauses"]] == [(c["id"], c["points"]) for c in alone["clauses"]]
    assert _evidence_of(among) == _evidence_of(alone)
    assert sorted(w["code"] for w in among["warnings"]) == sorted(w["code"] for w in alone["warnings"])


def test_nothing_is_written_but_the_outputs(batch):
    before, after = batch.before, batch.after
    changed = sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
    assert [key for key in changed if not key.startswith("root/out/")] == []
    assert {key for key in after if key.startswith("root/out/")} >= {"root/out/汇总.xlsx", "root/out/归档.zip"}
    inputs = {key: value for key, value in before.items() if key.startswith("root/in/")}
    assert inputs and all(after.get(key) == value for key, value in inputs.items())
    assert not SLIP.exists()


def test_every_output_opens_and_every_cell_fits(batch):
    from openpyxl import load_workbook

    too_long = []
    books = sorted((batch.root / "out").rglob("*.xlsx"))
    assert len(books) > 40  # the summary and a feedback sheet per file
    for path in books:
        book = load_workbook(path, read_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                too_long += [(path.name, sheet.title, len(v)) for v in row
                             if isinstance(v, str) and len(v) > EXCEL_CELL]
        book.close()
    assert too_long == []


def test_the_archive_verifies(batch):
    assert batch.verify.exit_code == 0, batch.verify.stdout[-2000:]


def test_the_terminal_shows_no_control_character_of_a_member_name(batch):
    text = batch.score.stdout + batch.score.stderr
    assert "红字" in text or "纪要" in text  # the names are said
    assert not [ch for ch in "\x1b\x07\r" if ch in text]


# --- memory: the parent process, while a bomb or a member past the limits is read ----------------


def _score_in_child(path: Path, folder: Path):
    """``zwgk score PATH --json`` in a forked child (its own working folder): its exit code, the
    codes said, and the units ranked with their totals and the evidence found (file, sha256, size)."""
    def run():
        os.chdir(folder)
        result = Cli()("score", path, "--json")
        data = json.loads(result.stdout)
        codes = sorted({p["code"] for p in data["errors"] + data["warnings"]})
        units = {u["unit"]: (u["total"], {e["file"]: (e["sha256"], e["size"]) for c in u["clauses"]
                                          for e in c["evidence"] if "file" in e}) for u in data["units"]}
        return result.exit_code, codes, units
    return run


@pytest.fixture(scope="module")
def warmed():
    """What the parent imports anyway, imported before a child is forked: its growth is the file's."""
    import pandas  # noqa: F401
    import python_calamine  # noqa: F401

    from zwgk_cli.cli import commands  # noqa: F401


MEMORY = ["bomb-ratio", "size-lie-small", "size-lie-small-consistent", "members-over-limit", "tiny-listed"]


@pytest.mark.parametrize("name", MEMORY)
def test_the_parent_stays_small_while_a_bomb_is_read(batch, warmed, name, tmp_path):
    forked = in_child(_score_in_child(batch.root / "in" / f"{name}.zip", tmp_path), timeout=120)
    assert isinstance(forked.result, tuple), forked
    exit_code, codes, _ = forked.result
    assert exit_code in (0, 1) and "internal-error" not in codes, forked.result
    assert forked.peak < PARENT_BYTES, f"{forked.peak / 1024 ** 2:.0f} MB"


@pytest.mark.slow
@pytest.mark.parametrize("name", list(ALONE))
def test_a_zip_too_big_for_the_batch(warmed, name, tmp_path):
    case = ALONE[name]
    unit = case_units()[name]
    built = build_case(name, case, unit, Workbooks(tmp_path / "made", [unit]), tmp_path / "in")
    forked = in_child(_score_in_child(built.path, tmp_path), timeout=170)
    assert isinstance(forked.result, tuple), forked
    exit_code, codes, units = forked.result
    assert exit_code in (0, 1) and "internal-error" not in codes, (exit_code, codes)
    for spec in case.expect.refused:
        assert any(code.startswith(spec.partition(":")[0]) for code in codes), codes
    if case.expect.scored:
        assert unit in units, codes
        found = units[unit][1]
        for path in case.expect.found:  # files are labelled relative to the working folder
            assert found[f"{built.path.relative_to(tmp_path)}/{path}"] == built.truth(path)
    assert forked.peak < PARENT_BYTES, f"{forked.peak / 1024 ** 2:.0f} MB, {forked.seconds:.1f} s"


# --- a name as zipfile gives it on Windows --------------------------------------------------------

def _windows_zipfile() -> types.ModuleType:
    fake = types.ModuleType("os")
    fake.__dict__.update(os.__dict__)
    fake.sep = "\\"
    return fake


@pytest.mark.parametrize("system", ["linux", "windows"])
def test_a_gbk_name_with_a_backslash_byte(rules, tmp_path, monkeypatch, system):
    """誠 in GBK is D5 5C: a zip tool on a Chinese Windows writes 誠信承诺.pdf with a backslash
    byte in it. zipfile on Windows turns every \\ of a name it reads into / (simulated here)."""
    from zwgk_cli.reading.submission import read_submission

    books = Workbooks(tmp_path / "made", ["县诚信局"])
    path = write_zip(tmp_path / "县诚信局.zip", [
        Member(gbk("县诚信局.xlsx"), books.fill("县诚信局", evidence={"1": "誠信承诺.pdf"})),
        Member(gbk("誠信承诺.pdf"), PDF), Member(gbk("材料\\獲獎證書.pdf"), PDF + b"award")])
    if system == "windows":
        monkeypatch.setattr(zipfile, "os", _windows_zipfile())
    found = read_submission(path, rules, label="县诚信局.zip")
    assert not found.problems
    assert sorted(f.path for f in found.files) == ["材料/獲獎證書.pdf", "誠信承诺.pdf"]
    assert [f.sha256 for f in found.files if f.path == "誠信承诺.pdf"] == [hashlib.sha256(PDF).hexdigest()]


def test_the_generator_writes_zips_other_tools_read(tmp_path):
    """The hand-written zips are zips: Python's zipfile reads a good one and its ZIP64 twin alike."""
    members = [Member("县测试局.xlsx", b"book"), Member("材料/会议纪要.pdf", PDF), Member(gbk("图表.pdf"), PDF)]
    for zip64 in (False, True):
        path = write_zip(tmp_path / f"{zip64}.zip", members, zip64=zip64)
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            assert [i.filename for i in archive.infolist()][:2] == ["县测试局.xlsx", "材料/会议纪要.pdf"]
            assert archive.read("材料/会议纪要.pdf") == PDF
