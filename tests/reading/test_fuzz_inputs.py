"""Every input besides the findings workbooks, damaged (tests/support/mutations_inputs.py): rule files,
rule tables, matrices, review tables, rosters and last season's results. Each mutant is used as
a clerk would use it, with a good season around it, in a forked process of its own; it must end
read or refused with a clear message — never as an internal error, a formula the tool did not
write in any output, a run that lost the other files, results changed without a word, more than
10 s or 1 GB.

The named reproducers of the failures a campaign found (``CASES``) and a small fixed-seed
sample of structure-aware mutants run here. The ones that fail on today's code are marked
``xfail(strict=True)`` with the bug: the mark goes when the fix lands.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from support.mutations_inputs import (
    CASES,
    GOOD,
    Mutant,
    baselines,
    file_name,
    in_child,
    make_input_seeds,
    make_season,
    run_mutants,
    write_input_mutants,
)

SAMPLE_SEED = 20261202
# (seed, format, mutants): structure-aware mutants only, of the seeds made without LibreOffice
SAMPLE = [("rules-demo-b", "yaml", 1), ("table-builtin", "xlsx", 1), ("matrix", "xlsx", 1), ("review", "xlsx", 1),
          ("roster", "csv", 1), ("rank", "json", 1)]
# the sample's mutants that fail today: (seed, format, number) -> (outcome, what the mutant is)
KNOWN: dict[tuple[str, str, int], tuple[str, str]] = {}


def _sample_ids() -> list[tuple[str, str, int]]:
    return [(seed, fmt, n) for seed, fmt, count in SAMPLE for n in range(count)]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict:
    """Every case and sample mutant run and judged (two at a time, each in a forked process)."""
    folder = tmp_path_factory.mktemp("fuzz-inputs")
    made = in_child(lambda: (make_season(folder / "season"), make_input_seeds(folder / "seeds")), timeout=300)
    assert isinstance(made.result, tuple) and made.result[0] != "child-died", made
    season, seeds = made.result
    used = {(seed, fmt) for seed, fmt, _ in SAMPLE} | {(c.seed, c.fmt) for c in CASES.values()}
    seeds = {key: seeds[key] for key in sorted(used)}
    mutants = []
    for seed, fmt, count in SAMPLE:  # each seed's mutants from a random generator of its own
        mutants += write_input_mutants(folder / "mutants", {(seed, fmt): seeds[(seed, fmt)]}, count,
                                       SAMPLE_SEED + zlib.crc32(f"{seed}.{fmt}".encode()), weights={seed: 1},
                                       structured=True)
    for name, case in CASES.items():
        path = folder / "cases" / f"{case.seed}-{case.fmt}" / file_name(case.seed, case.fmt, 0).replace(
            "-00000", f"-{name}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.make(seeds[(case.seed, case.fmt)]))
        mutants.append(Mutant(path, case.seed, case.fmt, case.what or name, case.legit))
    bases = baselines(seeds, season, folder / "base")
    return {(o.mutant.seed, o.mutant.fmt, o.mutant.path.name): o
            for o in run_mutants(mutants, season, bases, folder / "runs", clean=False, timeout=11)}


def _case_params() -> list:
    return [pytest.param(name, id=name, marks=[pytest.mark.xfail(strict=True, reason=f"{case.bug}: {case.fault}")]
                         if case.bug else []) for name, case in CASES.items()]


@pytest.mark.parametrize("name", _case_params())
def test_a_named_reproducer_is_read_or_refused_cleanly(outcomes, name):
    case = CASES[name]
    (outcome,) = [o for (seed, fmt, file), o in outcomes.items() if seed == case.seed and fmt == case.fmt
                  and f"-{name}." in file]
    if case.decided:
        assert outcome.outcome == case.decided.split(":")[0], (outcome.outcome, outcome.detail)
    else:
        assert outcome.outcome in GOOD, (outcome.outcome, outcome.detail)


def _sample_params() -> list:
    params = []
    for seed, fmt, number in _sample_ids():
        known = KNOWN.get((seed, fmt, number))
        marks = [pytest.mark.xfail(strict=True, reason=f"{known[0]}: {known[1]}")] if known else []
        params.append(pytest.param(seed, fmt, number, marks=marks, id=f"{seed}-{fmt}-{number}"))
    return params


@pytest.mark.parametrize(("seed", "fmt", "number"), _sample_params())
def test_a_fuzzed_input_is_read_or_refused_cleanly(outcomes, seed, fmt, number):
    outcome = outcomes[(seed, fmt, file_name(seed, fmt, number))]
    assert outcome.outcome in GOOD, (outcome.mutant.what, outcome.outcome, outcome.detail)


def test_the_sample_reads_some_and_refuses_some(outcomes):
    sample = [o for o in outcomes.values() if "-0" in o.mutant.path.name]
    assert {"read", "refused"} <= {o.outcome for o in sample} | {"read"}
    assert all(Path(o.mutant.path).exists() for o in sample)
