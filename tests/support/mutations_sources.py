"""Damaged files of the kinds read besides the findings workbooks: inspection matrices (检查表),
review tables (复核调整表), last season's results for ``rank --previous`` (the summary workbook
and the rank --json output) and rosters. This extends tests/support/mutations.py: the same seeds-then-damage
method, its zip/XML/BIFF mutators for the workbooks, and text mutators for JSON and CSV.

    cd tests && python -m support.mutations_sources OUT_DIR [--per-seed 300] [--seed 1]   # a campaign, by hand

reads every mutant the way zwgk does (matrices and review tables in the batch's workers, the
previous season and the roster through ``load_previous``/``load_roster``), counts the outcomes by
code, lists every outcome that is not a clean refusal or an exact read, and ranks a returns
folder with each refused matrix to check that nothing is ranked behind its back.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path

from support.mutations import CLASS_NAME, cut, flip_bytes, mutate, splice

UNITS = ["县测试甲局", "县测试乙局", "县测试丙局"]
MATRIX = {"县测试甲局": {"5": 2, "6": 1}, "县测试乙局": {"1": "否"}, "县测试丙局": {"6": 3}}
REVIEW = [("县测试甲局", "6", "0", "经复核，已整改"), ("县测试丙局", "5", "1", "补充材料")]
OWN = {"县测试甲局": {"1": "是"}, "县测试乙局": {"5": 1}, "县测试丙局": {"7": "否"}}
ROSTER = [["单位名称", "类别", "曾用名"], ["县测试甲局", "A", "县测试旧局"], ["县测试乙局", "A", ""],
          ["县测试丙局", "A", "县测试老局、县测试原局"]]
# seed name -> (the reader: source/previous/roster, the file name mutants get, formats)
KINDS = {"matrix": ("source", "检查表_网上检查组", ("xlsx", "xls", "ods")),
         "review": ("source", "复核调整表", ("xlsx", "xls", "ods")),
         "copied": ("source", "网上检查组", ("xlsx",)),  # a matrix copied into the team's own workbook, no _meta
         "summary": ("previous", "上年汇总", ("xlsx", "ods")),
         "rank": ("previous", "上年结果", ("json",)),
         "roster": ("roster", "名单", ("xlsx", "xls", "ods", "csv"))}


def make_source_seeds(folder: Path, rules, convert: Callable | None = None) -> dict[tuple[str, str], bytes]:
    """{(seed, format): bytes} for every seed of :data:`KINDS` (``convert`` is LibreOffice;
    without it, only the .xlsx, .json and .csv seeds), and the returns folder they belong to."""
    import openpyxl

    from support.cli import Cli
    from zwgk_cli.workbooks.fill import fill_matrix, fill_review, fill_workbook
    from zwgk_cli.workbooks.sources import write_matrix, write_review
    from zwgk_cli.workbooks.template import write_templates

    blank, returns = folder / "blank", folder / "收回"
    for unit, path in zip(UNITS, write_templates(rules, UNITS, blank, force=True), strict=True):
        fill_workbook(path, returns / f"{unit}.xlsx", OWN[unit], force=True)
    clauses = [rules.clause(i) for i in ("1", "5", "6")]
    files = {"matrix": fill_matrix(write_matrix(rules, clauses, UNITS, "网上检查组", blank, force=True),
                                   folder / "matrix.xlsx", MATRIX, force=True),
             "review": fill_review(write_review(rules, UNITS, blank, force=True), folder / "review.xlsx", REVIEW,
                                   force=True)}
    book = openpyxl.load_workbook(files["matrix"])
    del book["_meta"]
    book.active.title = "Sheet1"
    book.save(files.setdefault("copied", folder / "copied.xlsx"))
    files["summary"] = folder / "summary.xlsx"
    result = Cli()("rank", returns, "-o", files["summary"], "--json", "--force")
    seeds = {("rank", "json"): result.stdout.encode()}
    book = openpyxl.Workbook()
    for row in ROSTER:
        book.active.append(row)
    book.save(files.setdefault("roster", folder / "roster.xlsx"))
    seeds[("roster", "csv")] = "\n".join(",".join(r) for r in ROSTER).encode("utf-8-sig")
    for name, path in files.items():
        for fmt in KINDS[name][2]:
            if fmt == "xlsx":
                seeds[(name, fmt)] = path.read_bytes()
            elif fmt in ("xls", "ods") and convert is not None:
                seeds[(name, fmt)] = convert([path], fmt, folder / fmt)[0].read_bytes()
    return seeds


# --- text: JSON and CSV ------------------------------------------------------------------------

ODD_JSON = ["1e999999999", "-1e999999999", "NaN", "Infinity", "-0", "1" + "0" * 5000, "0.1e-999999999",
            "true", "null", '"98.5"', "[]", "{}", '""', '"县测试甲局"', "4294967296", "-1", "0", "1.5",
            '"\\u0000"', '"' + "长" * 5000 + '"', "[" * 100000 + "]" * 100000]


def edit_json_value(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One value (a number, string, true/false/null) replaced by an odd one."""
    matches = list(re.finditer(rb':\s*("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)', data))
    match = rng.choice(matches)
    new = rng.choice(ODD_JSON).encode()
    return data[:match.start(1)] + new + data[match.end(1):], f"json {match.group(1)[:20]!r} -> {new[:20]!r}"


def drop_json_key(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One key (with its value, when simple) taken out of its object."""
    document = json.loads(data)
    units = document.get("units") or [{}]
    unit = rng.choice(units)
    target = rng.choice([document, unit]) if unit else document
    key = rng.choice(sorted(target)) if target else None
    if key is not None:
        del target[key]
    return json.dumps(document, ensure_ascii=rng.random() < 0.5).encode(), f"json without {key!r}"


def repeat_json_unit(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """A unit listed twice (last season's file was edited by hand), or the list cut to one."""
    document = json.loads(data)
    units = document.get("units") or []
    if units and rng.random() < 0.7:
        units.insert(rng.randrange(len(units) + 1), dict(rng.choice(units)))
        return json.dumps(document).encode(), "json unit twice"
    document["units"] = units[:1]
    return json.dumps(document).encode(), "json one unit"


ODD_CSV = [b"\x00", b'"', b'"' * 3, b"," * 5000, b"x" * 200000, b"\r", b"\xff\xfe", b"\xe5", b"\n\n\n",
           "合计".encode(), "单位名称".encode()]


def edit_text(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Odd bytes put in at a line's start or end, or over a cell."""
    at = rng.choice([m.start() for m in re.finditer(rb"[\n,]", data)] + [0, len(data)])
    new = rng.choice(ODD_CSV)
    return data[:at] + new + data[at:], f"text {new[:10]!r} at {at}"


TEXT_MUTATORS = {"json": [flip_bytes, cut, splice, edit_json_value, edit_json_value, edit_json_value,
                          drop_json_key, repeat_json_unit],
                 "csv": [flip_bytes, cut, splice, edit_text, edit_text]}


def mutate_any(data: bytes, fmt: str, rng: random.Random) -> tuple[bytes, str]:
    """One random damage of a seed of any format (workbooks through tests/support/mutations.py)."""
    if fmt not in TEXT_MUTATORS:
        return mutate(data, fmt, rng)
    mutator = rng.choice(TEXT_MUTATORS[fmt])
    data, what = mutator(data, rng)
    return data, f"{mutator.__name__}: {what}"


def write_source_mutants(folder: Path, seeds: dict[tuple[str, str], bytes], per_seed: int,
                         seed: int) -> dict[Path, tuple[str, str, str]]:
    """``per_seed`` mutants of each seed, one subfolder per seed and format; {path: (seed, format,
    what was done)}."""
    rng = random.Random(seed)
    done = {}
    for (name, fmt), data in sorted(seeds.items()):
        where = folder / f"{name}-{fmt}"
        where.mkdir(parents=True, exist_ok=True)
        for i in range(per_seed):
            body, what = mutate_any(data, fmt, rng)
            path = where / f"{KINDS[name][1]}-{i:05d}.{fmt}"
            path.write_bytes(body)
            done[path] = (name, fmt, what)
    return done


# --- judging -------------------------------------------------------------------------------------

def bad_message(code: str, message: str) -> bool:
    """A message no clerk should see: an uncatalogued code, a Python class name, an internal error."""
    from zwgk_cli.problems import CODES

    return (code not in CODES or bool(CLASS_NAME.search(message)) or "意外" in message
            or "内部错误" in message or code == "internal-error")


def source_outcome(read) -> str:
    """A matrix or review table read: its first error code, or ``ok``."""
    return read.errors[0].code if read.errors else "ok"


def load_outcome(load: Callable, path: Path) -> tuple[str, str]:
    """``load(path)`` (load_previous, load_roster): ``ok`` or the refusal's code, and its message.
    Anything but a ZwgkError escapes: the campaign reports it."""
    from zwgk_cli.problems import ZwgkError

    try:
        load(path)
    except ZwgkError as exc:
        return exc.code, str(exc)
    return "ok", ""


def _rank_with(mutant: Path, returns: Path, work: Path, rules) -> list[str]:
    """The units ranked from the returns folder with ``mutant`` among them (roster: UNITS)."""
    import shutil

    from zwgk_cli.scoring.pipeline import rank_paths

    folder = work / "收回"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(returns, folder)
    shutil.copy(mutant, folder / mutant.name)
    return [u.unit for u in rank_paths([folder], rules, list(UNITS)).units]


def _rows(read) -> list:
    """A source's rows as plain data, to compare with the seed's."""
    return [(r.typed, r.held, sorted((c, str(e.quantity), e.not_applicable) for c, e in r.entries.items()))
            for r in read.rows]


def _seed_files(out: Path, seeds: dict[tuple[str, str], bytes]) -> list[Path]:
    """Every seed as a file (under its reader's file name, so matrices are read as matrices)."""
    paths = []
    for (name, fmt), data in seeds.items():
        path = out / "_seeds" / "each" / f"{KINDS[name][1]}-{name}.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


def _cli(args: list[str]) -> tuple[int, dict]:
    from support.cli import Cli

    result = Cli()(*args)
    try:
        return result.exit_code, json.loads(result.stdout)
    except ValueError:
        return result.exit_code, {"stdout": result.stdout[-300:]}


def campaign(out: Path, per_seed: int, seed: int, ranked: int = 40) -> int:
    """Mutants of every seed read as zwgk reads them; prints the counts and what went wrong."""
    from collections import Counter

    from support.mutations import soffice_convert
    from zwgk_cli.reading.previous import load_previous
    from zwgk_cli.reading.roster import load_roster
    from zwgk_cli.rules.loading import load_rules
    from zwgk_cli.scoring.pipeline import read_files

    rules = load_rules()
    seeds = make_source_seeds(out / "_seeds", rules, soffice_convert)
    made = write_source_mutants(out / "mutants", seeds, per_seed, seed)
    counts, bad, checked = Counter(), [], Counter()
    sources = [p for p, (n, _, _) in made.items() if KINDS[n][0] == "source"]
    exact = {key: _rows(read) for key, read in zip(seeds, read_files(_seed_files(out, seeds), rules), strict=True)}
    for path, read in zip(sources, read_files(sources, rules), strict=True):
        name, fmt, what = made[path]
        outcome = source_outcome(read)
        if outcome == "ok" and _rows(read) != exact[(name, fmt)]:  # damage read as data? look at each
            outcome = "ok-changed"
            print(f"CHANGED {path.name} {_rows(read)} warnings {[p.code for p in read.problems]}: {what}")
        counts[(name, fmt, outcome)] += 1
        bad += [f"BAD {path.name} {e.code} {e.message}: {what}" for e in read.errors if bad_message(e.code, e.message)]
        if read.errors and not read.rows and checked[(name, fmt)] < ranked:
            checked[(name, fmt)] += 1
            units = _rank_with(path, out / "_seeds" / "收回", out / "rank", rules)
            if units and name == "copied":  # a damaged copy under a name of its own: see README
                counts[(name, fmt, "damaged-and-ranked")] += 1
            elif units:
                bad.append(f"RANKED {path.name} {[e.code for e in read.errors]} -> {units}: {what}")
    loaders = {"previous": load_previous, "roster": load_roster}
    for path, (name, fmt, what) in made.items():
        reader = KINDS[name][0]
        if reader == "source":
            continue
        try:
            code, text = load_outcome(loaders[reader], path)
        except BaseException as exc:  # noqa: BLE001 - that is what the campaign looks for
            code, text = "CRASH", f"{type(exc).__name__}: {exc}"[:300]
        counts[(name, fmt, code)] += 1
        if code == "CRASH" or (code != "ok" and bad_message(code, text)):
            bad.append(f"BAD {path.name} {code} {text}: {what}")
        if reader == "previous" and checked[(name, fmt, code)] < ranked:
            checked[(name, fmt, code)] += 1
            bad += _check_previous_cli(path, code, out, what)
    for key, n in sorted(counts.items()):
        print(*key, n, sep="\t")
    print("\n".join(bad))
    return 1 if bad else 0


def _check_previous_cli(path: Path, code: str, out: Path, what: str) -> list[str]:
    """rank --previous through the CLI: exit 2 with previous-invalid in JSON when refused, a
    ranking (exit 0 or 1) when read."""
    exit_code, data = _cli(["rank", str(out / "_seeds" / "收回"), "--previous", str(path), "--json",
                            "-o", str(out / "rank" / "汇总.xlsx"), "--force"])
    error = data.get("error") or {}
    if code == "ok" and exit_code in (0, 1) and data.get("units"):
        return []
    if code != "ok" and exit_code == 2 and error.get("code") == code and path.name in error.get("message", ""):
        return []
    return [f"CLI {path.name} exit {exit_code} {str(data)[:300]}: {what}"]


if __name__ == "__main__":
    import argparse
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-seed", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sys.exit(campaign(args.out, args.per_seed, args.seed))
