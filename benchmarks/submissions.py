"""How much do .zip submissions cost? ``zwgk rank`` over N units' workbooks given loose, against
the same workbooks each sent as a .zip with five evidence files of about 200 KB (and, for
comparison, as a folder per unit holding the same files).

    python benchmarks/submissions.py --n 1000 [--reps 3]

Every 印证材料 cell of a clause that asks for one lists one of the five files, so all five are
found, hashed and reported (JSON ``evidence``, the summary's 印证材料 sheet). The evidence files
are random bytes (like PDFs and photos, they do not compress). Corpora are cached in
benchmarks/cache/; each run is its own process, alternating, medians over ``--reps``. Target:
zips ≤ 1.5 × loose.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from bench import ZWGK, alternate, build_corpus, run  # noqa: E402

FILES = [f"材料{i}.pdf" for i in range(1, 6)]
FILE_BYTES = 200 * 1024


def evidence_cells() -> dict[str, str]:
    """Each clause that asks for evidence lists one of the five files, in turn."""
    from zwgk_cli.rules.loading import load_rules

    asking = [c.id for c in load_rules().clauses if c.evidence != "none"]
    return {clause_id: FILES[i % len(FILES)] for i, clause_id in enumerate(asking)}


def build(n: int) -> Path:
    """benchmarks/cache/N-submissions: loose/ (the workbooks), zips/ (a .zip per unit), folders/."""
    folder = HERE / "cache" / f"{n}-submissions"
    marker = folder / ".complete"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    loose = build_corpus(n, folder=folder / "loose", evidence=evidence_cells())
    (folder / "zips").mkdir()
    for path in sorted(loose.glob("*.xlsx")):
        rng = random.Random(path.stem)
        files = {name: rng.randbytes(FILE_BYTES + rng.randrange(-20_000, 20_000)) for name in FILES}
        with zipfile.ZipFile(folder / "zips" / f"{path.stem}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(path, path.name)
            for name, data in files.items():
                archive.writestr(f"印证材料/{name}", data)
        unit = folder / "folders" / path.stem
        unit.mkdir(parents=True)
        shutil.copy(path, unit / path.name)
        for name, data in files.items():
            (unit / name).write_bytes(data)
    marker.write_text("ok")
    return folder


def measure(n: int, reps: int) -> dict:
    corpus = build(n)
    work = Path(tempfile.mkdtemp(prefix="zwgk-bench-"))
    jobs = {layout: (lambda layout=layout: run([*ZWGK, "rank", str(corpus / layout), "-o", str(work / "s.xlsx"),
                                                "--json", "--force"]))
            for layout in ("loose", "zips", "folders")}
    result = alternate(jobs, reps)
    shutil.rmtree(work, ignore_errors=True)
    return result


def report(n: int, result: dict) -> dict:
    ratios = {"zips / loose (target ≤ 1.5)": result["zips"]["seconds"] / result["loose"]["seconds"],
              "folders / loose": result["folders"]["seconds"] / result["loose"]["seconds"]}
    print(f"\nN = {n} units, 5 evidence files of ~{FILE_BYTES // 1024} KB each   ({os.cpu_count()} cores, "
          f"Python {platform.python_version()})")
    for name, value in result.items():
        print(f"{name:<10}{value['seconds']:>10.3f} s{value['seconds'] / n * 1000:>10.2f} ms/unit"
              f"{value['peak_mb']:>10.0f} MB")
    for name, ratio in ratios.items():
        print(f"{name:<30}{ratio:>8.2f}")
    return {"n": n, "result": result, "ratios": ratios}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    data = report(args.n, measure(args.n, args.reps))
    (out / f"bench-submissions-{args.n}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2),
                                                          encoding="utf-8")


if __name__ == "__main__":
    main()
