"""How fast is zwgk on a batch of N returned workbooks, against what a plain script costs?

    python benchmarks/bench.py --n 1000 [--reps 3] [--jobs score calamine]

Builds N filled workbooks from the real template, each listing a link as 印证材料 for every clause
that asks for evidence (cached in benchmarks/cache/N), then runs,
alternating and taking medians over ``--reps`` repetitions, each as its own process:

- ``zwgk rank DIR -o summary.xlsx --json`` (the whole nightly job)
- ``zwgk score DIR --json``
- a plain openpyxl read of the same files (what a straightforward script does)
- a bare python-calamine read of the 评分表 sheets (the floor)
- ``zwgk --help`` against ``python -c "import typer"``
- ``zwgk template`` for N units against copying the blank master N times

and prints times, per-workbook times, ratios and peak memory (the largest sum of the resident
sets of the process and its reading workers, sampled every 20 ms).

    python benchmarks/bench.py --n 1000 --sources

times the season with several sources instead: ``zwgk rank`` over N per-unit workbooks that
leave the inspection clauses blank plus two matrices of N rows that fill them (网上检查组:
4–7, 政府办: 1–3), against ``zwgk rank`` over N per-unit workbooks alone (targets: within 2×
the time and 1.5× the memory).

    python benchmarks/bench.py --matrix [--against "/path/to/other/python -m zwgk_cli"]

times ``zwgk rank`` over one inspection matrix of every clause for 6,000 units (more rows than a
findings sheet may hold), against the same with another zwgk (an earlier version installed
elsewhere), alternating.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
ZWGK = [sys.executable, "-m", "zwgk_cli"]
OPENPYXL_CAP = 1000  # above this many files the openpyxl read is timed on a sample and scaled

OPENPYXL_READ = """
import sys, openpyxl
from pathlib import Path
files = sorted(Path(sys.argv[1]).glob("*.xlsx"))[: int(sys.argv[2])]
total = 0
for f in files:
    ws = openpyxl.load_workbook(f, data_only=True)["评分表"]
    total += sum(1 for row in ws.iter_rows(values_only=True) if row[0] is not None)
print(total)
"""
CALAMINE_READ = """
import sys
from pathlib import Path
from python_calamine import CalamineWorkbook
total = 0
for f in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    rows = CalamineWorkbook.from_path(str(f)).get_sheet_by_name("评分表").to_python(skip_empty_area=False)
    total += len(rows)
print(total)
"""


def build_corpus(n: int, skip: tuple[str, ...] = (), folder: Path | None = None,
                 evidence: dict[str, str] | None = None) -> Path:
    """N filled workbooks with varied findings (seeded), made by stamping the real template;
    the clauses in ``skip`` left blank (another source fills them), the 印证材料 cells
    ``evidence`` (by clause) filled in."""
    from zwgk_cli.rules.loading import load_rules
    from zwgk_cli.workbooks.template import TIME_TOKEN, UNIT_TOKEN, sheet_layout, stamped_template

    folder = folder or HERE / "cache" / str(n)
    marker = folder / ".complete"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rules = load_rules()
    rows = sheet_layout(rules).clause_rows
    stamp = stamped_template(rules)
    rng = random.Random(n)
    for i in range(n):
        unit = f"单位{i:05d}"
        data = stamp.copy({UNIT_TOKEN: unit, TIME_TOKEN: "2026-01-01T00:00:00+08:00"})
        (folder / f"{unit}.xlsx").write_bytes(_fill(data, rules, rows, rng, skip, evidence))
    marker.write_text("ok")
    return folder


def _fill(data: bytes, rules, rows: dict[str, int], rng: random.Random, skip: tuple[str, ...] = (),
          evidence: dict[str, str] | None = None) -> bytes:
    """The stamped workbook with 填报 values (and 印证材料 cells: ``evidence`` by clause) written in."""
    values = _values(rules.clauses, rng)
    for clause_id in skip:
        values.pop(clause_id, None)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            raw = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = raw.decode("utf-8")
                cells = [("H", clause_id, value) for clause_id, value in values.items()]
                cells += [("J", clause_id, value) for clause_id, value in (evidence or {}).items()]
                for column, clause_id, value in cells:
                    row = rows[clause_id]
                    text, found = re.subn(rf'<c r="{column}{row}" s="(\d+)" t="n"(?: />|></c>)',
                                          _cell(column, row, value), text)
                    assert found == 1, (column, clause_id)  # the template's empty cell, written over
                raw = text.encode("utf-8")
            dst.writestr(info, raw)
    return out.getvalue()


def _values(clauses, rng: random.Random) -> dict[str, object]:
    """Random findings for about a quarter of the clauses (none for those needing a note)."""
    values = {}
    for clause in clauses:
        if clause.needs_note or rng.random() > 0.25:
            continue
        if clause.kind == "flag":
            values[clause.id] = rng.choice(["是", "否"])
        elif clause.kind == "count":
            values[clause.id] = rng.randint(0, clause.max_count or 5)
        else:
            values[clause.id] = rng.choice([0.5, 1, 2])
    return values


MATRICES = {"网上检查组": ("4", "5", "6", "7"), "政府办": ("1", "2", "3")}


def build_sources(n: int) -> Path:
    """N per-unit workbooks without the matrices' clauses, and two matrices of N rows (cached)."""
    from zwgk_cli.rules.loading import load_rules
    from zwgk_cli.workbooks.fill import fill_matrix
    from zwgk_cli.workbooks.sources import write_matrix

    folder = HERE / "cache" / f"{n}-sources"
    marker = folder / ".complete"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    skip = tuple(c for clauses in MATRICES.values() for c in clauses)
    build_corpus(n, skip, folder / "units")
    rules, rng = load_rules(), random.Random(-n)
    units = [f"单位{i:05d}" for i in range(n)]
    for source, ids in MATRICES.items():
        clauses = [rules.clause(i) for i in ids]
        blank = write_matrix(rules, clauses, units, source, folder / "blank")
        fill_matrix(blank, folder / "matrices" / blank.name, {u: _values(clauses, rng) for u in units})
    shutil.rmtree(folder / "blank")
    marker.write_text("ok")
    return folder


MATRIX_UNITS = 6_000


def build_matrix() -> Path:
    """benchmarks/cache/matrix-6000/收回/检查表.xlsx: every clause, 6,000 units, the last with a finding."""
    from zwgk_cli.rules.loading import load_rules
    from zwgk_cli.workbooks.fill import fill_matrix
    from zwgk_cli.workbooks.sources import write_matrix

    folder = HERE / "cache" / f"matrix-{MATRIX_UNITS}"
    if (folder / ".complete").exists():
        return folder / "收回"
    shutil.rmtree(folder, ignore_errors=True)
    rules = load_rules()
    units = [f"单位{i:05d}" for i in range(MATRIX_UNITS)]
    blank = write_matrix(rules, list(rules.clauses), units, "网上检查组", folder / "blank")
    fill_matrix(blank, folder / "收回" / "检查表.xlsx", {units[-1]: {"6": 1}})
    (folder / "roster.txt").write_text("\n".join(units), encoding="utf-8")
    (folder / ".complete").write_text("ok")
    return folder / "收回"


def measure_matrix(reps: int, against: list[str] | None) -> dict:
    """rank over the 6,000-row matrix, with this zwgk and (alternating) with ``against``."""
    returns = build_matrix()
    work = Path(tempfile.mkdtemp(prefix="zwgk-bench-"))
    commands = {"rank_matrix": ZWGK, **({"rank_matrix_against": against} if against else {})}
    jobs = {name: (lambda command=command, name=name: run(
        [*command, "rank", str(returns), "--roster", str(returns.parent / "roster.txt"), "-o",
         str(work / f"{name}.xlsx"), "--json", "--force"], cwd=work))  # not this checkout: -m would import it
        for name, command in commands.items()}
    result = alternate(jobs, reps)
    shutil.rmtree(work, ignore_errors=True)
    print(f"\n6,000-row matrix   ({os.cpu_count()} cores, Python {platform.python_version()})")
    for name, value in result.items():
        print(f"{name:<22}{value['seconds']:>10.3f} s{value['peak_mb']:>10.0f} MB")
    if against:
        ratio = result["rank_matrix"]["seconds"] / result["rank_matrix_against"]["seconds"]
        print(f"{'this / against':<22}{ratio:>10.2f}")
    return result


def measure_sources(n: int, reps: int) -> dict:
    """rank over per-unit workbooks alone against rank over workbooks plus two matrices."""
    corpus, sources = build_corpus(n), build_sources(n)
    work = Path(tempfile.mkdtemp(prefix="zwgk-bench-"))
    roster = work / "roster.txt"
    roster.write_text("\n".join(f"单位{i:05d}" for i in range(n)), encoding="utf-8")
    jobs = {
        "rank": lambda: run([*ZWGK, "rank", str(corpus), "--roster", str(roster), "-o",
                             str(work / "summary.xlsx"), "--json", "--force"]),
        "rank_sources": lambda: run([*ZWGK, "rank", str(sources / "units"), str(sources / "matrices"),
                                     "--roster", str(roster), "-o", str(work / "summary.xlsx"), "--json",
                                     "--force"]),
    }
    result = alternate(jobs, reps)
    shutil.rmtree(work, ignore_errors=True)
    return result


def report_sources(n: int, result: dict) -> dict:
    single, several = result["rank"], result["rank_sources"]
    ratios = {"several sources / one source, time (target ≤ 2)": several["seconds"] / single["seconds"],
              "several sources / one source, memory (target ≤ 1.5)": several["peak_mb"] / single["peak_mb"]}
    print(f"\nN = {n}, several sources   ({os.cpu_count()} cores, Python {platform.python_version()})")
    for name, value in result.items():
        print(f"{name:<14}{value['seconds']:>10.3f} s{value['peak_mb']:>10.0f} MB")
    for name, ratio in ratios.items():
        print(f"{name:<56}{ratio:>8.2f}")
    return {"n": n, "result": result, "ratios": ratios}


def _cell(column: str, row: int, value) -> str:
    if isinstance(value, str):
        return rf'<c r="{column}{row}" s="\1" t="inlineStr"><is><t>{value}</t></is></c>'
    return rf'<c r="{column}{row}" s="\1"><v>{value}</v></c>'


def alternate(jobs: dict, reps: int) -> dict:
    """Run each job ``reps`` times, alternating (one of each per round, so that a slower moment
    of the machine weighs on all alike): the median seconds and the largest peak of each."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in jobs}
    for _ in range(reps):
        for name, job in jobs.items():
            samples[name].append(job())
    return {name: {"seconds": statistics.median(s for s, _ in runs), "peak_mb": max(m for _, m in runs)}
            for name, runs in samples.items()}


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one process with its reading workers: the largest
    sum of their resident sets seen (sampled every 20 ms), or the process's own peak if larger."""
    import threading

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, max(usage.ru_maxrss * 1024, peak[0]) / (1024 * 1024)


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and its children (Linux /proc; 0 elsewhere)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            total = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as children:
            return total + sum(_tree_rss(int(child)) for child in children.read().split())
    except (OSError, ValueError):
        return 0


def copy_master(n: int, master: Path, out: Path) -> tuple[float, float]:
    start = time.perf_counter()
    for i in range(n):
        shutil.copyfile(master, out / f"{i}.xlsx")
    return time.perf_counter() - start, 0.0


def evidence_links() -> dict[str, str]:
    """A link in the 印证材料 cell of every clause that asks for evidence, as units list them."""
    from zwgk_cli.rules.loading import load_rules

    return {c.id: f"https://www.jiangxian.gov.cn/zwgk/{c.id}.html" for c in load_rules().clauses
            if c.evidence != "none"}


def measure(n: int, reps: int, only: list[str] | None = None) -> dict:
    corpus = build_corpus(n, evidence=evidence_links())
    work = Path(tempfile.mkdtemp(prefix="zwgk-bench-"))
    roster = work / "roster.txt"
    roster.write_text("\n".join(f"单位{i:05d}" for i in range(n)), encoding="utf-8")
    master = HERE.parent / "templates" / "scoring_template.xlsx"
    sample = min(n, OPENPYXL_CAP)
    jobs = {
        "rank": lambda: run([*ZWGK, "rank", str(corpus), "--roster", str(roster), "-o",
                             str(work / "summary.xlsx"), "--json", "--force"]),
        "score": lambda: run([*ZWGK, "score", str(corpus), "--json"]),
        "openpyxl": lambda: run([sys.executable, "-c", OPENPYXL_READ, str(corpus), str(sample)]),
        "calamine": lambda: run([sys.executable, "-c", CALAMINE_READ, str(corpus)]),
        "help": lambda: run([*ZWGK, "--help"]),
        "import_typer": lambda: run([sys.executable, "-c", "import typer"]),
        "template": lambda: run([*ZWGK, "template", "--roster", str(roster), "-o", str(work / "tpl"),
                                 "--force"]),
        "copy_master": lambda: copy_master(n, master, _fresh(work / "copies")),
    }
    jobs = {name: job for name, job in jobs.items() if not only or name in only}
    result = alternate(jobs, reps)
    shutil.rmtree(work, ignore_errors=True)
    if "openpyxl" in result:
        result["openpyxl"]["seconds"] *= n / sample  # scaled when timed on a sample
        result["openpyxl"]["sampled"] = sample
    return result


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def report(n: int, result: dict) -> dict:
    t = {k: v["seconds"] for k, v in result.items()}
    pairs = {
        "rank / openpyxl read (target ≤ 0.10)": ("rank", "openpyxl"),
        "score --json / calamine floor (target ≤ 2.0)": ("score", "calamine"),
        "--help / import typer (target ≤ 2)": ("help", "import_typer"),
        "template / copy master (target ≤ 20)": ("template", "copy_master"),
    }
    ratios = {name: t[a] / t[b] for name, (a, b) in pairs.items() if a in t and b in t}
    print(f"\nN = {n}   ({platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()})")
    print(f"{'job':<14}{'seconds':>10}{'ms/workbook':>14}{'peak MB':>10}")
    for name, value in result.items():
        per = value["seconds"] / n * 1000
        note = f"  (timed on {value['sampled']} files, scaled)" if value.get("sampled", n) < n else ""
        print(f"{name:<14}{value['seconds']:>10.3f}{per:>14.3f}{value['peak_mb']:>10.0f}{note}")
    for name, ratio in ratios.items():
        print(f"{name:<48}{ratio:>8.2f}")
    return {"n": n, "result": result, "ratios": ratios}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--sources", action="store_true", help="the season with several sources (two matrices)")
    parser.add_argument("--jobs", nargs="+", metavar="JOB", help="only these jobs (e.g. score calamine)")
    parser.add_argument("--matrix", action="store_true", help="rank over one matrix of 6,000 units")
    parser.add_argument("--against", help="another zwgk command to time beside this one (--matrix)")
    args = parser.parse_args()
    # As installed by pip: the package compiled once (an editable checkout, or PYTHONDONTWRITEBYTECODE,
    # would otherwise compile it on every run and time that too).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "zwgk_cli")], check=True)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    if args.matrix:
        data = measure_matrix(args.reps, args.against.split() if args.against else None)
        (out / "bench-matrix.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return
    for n in args.n:
        if args.sources:
            data, name = report_sources(n, measure_sources(n, args.reps)), f"bench-sources-{n}.json"
        else:
            data, name = report(n, measure(n, args.reps, args.jobs)), f"bench-{n}.json"
        (out / name).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
