"""Start-up of the frozen bundle against the pip-installed command.

    python benchmarks/startup.py [--frozen dist/zwgk/zwgk] [--pip zwgk] [--runs 7]

Times ``zwgk --help`` and ``zwgk rank samples/returned --roster samples/roster.txt -o TMP --force``
(workers by the platform's start method, and by spawn as on Windows) with each command, runs
alternating, and prints the medians and the bundle's size on disk as a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def command(text: str) -> list[str]:
    path = Path(text)
    if path.exists():
        return [str(path.resolve())]
    found = shutil.which(text)
    if not found:
        sys.exit(f"startup.py: no such command: {text}")
    return [found]


def timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"startup.py: {' '.join(args)} exited {done.returncode}")
    return seconds


def bundle_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frozen", default=str(ROOT / "dist" / "zwgk" / "zwgk"), help="the frozen program")
    parser.add_argument("--pip", default="zwgk", help="the pip-installed command")
    parser.add_argument("--runs", type=int, default=7, help="runs of each job with each command (median)")
    options = parser.parse_args()
    programs = {"frozen": command(options.frozen), "pip": command(options.pip)}
    base = {k: v for k, v in os.environ.items() if k != "ZWGK_START_METHOD"}
    with tempfile.TemporaryDirectory(prefix="zwgk-startup-") as tmp:
        rank = ["rank", str(SAMPLES / "returned"), "--roster", str(SAMPLES / "roster.txt"),
                "-o", str(Path(tmp) / "汇总.xlsx"), "--force"]
        jobs = [("`zwgk --help`", ["--help"], base),
                ("`zwgk rank samples … --force` (fork)" if os.name != "nt" else "`zwgk rank samples … --force`",
                 rank, base),
                ("`zwgk rank samples … --force` (spawn)", rank, {**base, "ZWGK_START_METHOD": "spawn"})]
        if os.name == "nt":
            jobs.pop()  # spawn is the default there
        times: dict[tuple[str, str], list[float]] = {}
        for name, args, env in jobs:
            for program in programs.values():  # one warm-up each (file cache)
                timed(program + args, env)
            for _ in range(options.runs):
                for side, program in programs.items():
                    times.setdefault((name, side), []).append(timed(program + args, env))
    size, count = bundle_size(Path(programs["frozen"][0]).parent)
    print(f"{options.runs} runs each, medians; {sys.platform}, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs\n")
    print("| job | frozen bundle | pip-installed | frozen / pip |")
    print("|---|---:|---:|---:|")
    for name, _args, _env in jobs:
        frozen, pip = (statistics.median(times[(name, side)]) for side in ("frozen", "pip"))
        print(f"| {name} | {frozen:.3f} s | {pip:.3f} s | {frozen / pip:.2f} |")
    print(f"\nbundle: {Path(programs['frozen'][0]).parent} — {size / 1e6:.1f} MB on disk, {count} files")


if __name__ == "__main__":
    main()
