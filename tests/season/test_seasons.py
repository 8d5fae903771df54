"""Year over year: last season's totals and ranks by name or 曾用名, new and gone units, through
``rank --previous`` (the ``seasons`` fixture: tests/support/seasons.py). A previous-results file that
cannot be used: tests/reading/test_previous.py."""

from __future__ import annotations

import json

import pytest
from support.seasons import DEMO_B, rank

from zwgk_cli.reading.roster import load_roster
from zwgk_cli.rules.loading import load_rulebook
from zwgk_cli.scoring.pipeline import rank_paths
from zwgk_cli.workbooks.run_outputs import write_rank_outputs


def _rank_2023(seasons, previous, out, *extra):
    result = rank([seasons["returns"], "--roster", seasons["roster"], "--rules", DEMO_B, "-o", out,
                   "--previous", previous, "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


EXPECTED = {  # unit: (rank, previous, rank_change)
    "县民政局": (1, {"total": 96, "rank": 2}, 1),
    "县发展和改革局": (2, {"total": 94, "rank": 3}, 1),  # matched by its 曾用名 县发展计划局
    "县应急管理局": (3, None, None),  # new
    "县财政局": (4, {"total": 100, "rank": 1}, -3),
}


@pytest.mark.parametrize("source", ["json", "summary"])
def test_renamed_new_and_gone_units_get_last_seasons_total_rank_and_change(seasons, tmp_path, source):
    data = _rank_2023(seasons, seasons[source], tmp_path / "汇总.xlsx")
    got = {u["unit"]: (u["rank"], u["previous"], u["rank_change"]) for u in data["units"]}
    assert got == EXPECTED
    assert data["previous_only"] == [{"unit": "县档案局", "total": 92, "rank": 4}]
    assert data["previous_season"]["rule_sets"] == ["jiangxian-2022-a 第1版"]
    said = [w for w in data["warnings"] if w["code"] == "previous-rules"]  # 2022 and 2023 used different tables
    assert len(said) == 1 and "demo-2023-b 第2版" in said[0]["message"]


def test_rank_json_with_previous_equals_the_library_report(seasons, tmp_path):
    from zwgk_cli.reading.previous import load_previous

    data = _rank_2023(seasons, seasons["json"], tmp_path / "汇总.xlsx")
    roster = load_roster(seasons["roster"])
    library = rank_paths([seasons["returns"]], load_rulebook([str(DEMO_B)]), roster.names, roster.classes,
                         previous=load_previous(seasons["json"]), former_names=roster.former,
                         roster_warnings=roster.warnings)
    write_rank_outputs(library, tmp_path / "汇总.xlsx", force=True)
    expected = library.to_dict()
    for document in (data, expected):
        document.pop("generated_at")
    assert data == expected


def test_without_previous_the_json_has_no_previous_fields(seasons, tmp_path):
    result = rank([seasons["returns"], "--rules", DEMO_B, "-o", tmp_path / "s.xlsx", "--json"])
    data = json.loads(result.stdout)
    assert "previous_only" not in data and "previous" not in data["units"][0]
