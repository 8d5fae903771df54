"""Several sources of findings: per-unit workbooks, inspection matrices and the review table,
merged per clause, end to end through ``zwgk rank --json``."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from support.paths import DEMO_C

from zwgk_cli.reading.roster import read_roster
from zwgk_cli.scoring.pipeline import rank_paths
from zwgk_cli.workbooks.fill import fill_matrix, fill_review, fill_workbook
from zwgk_cli.workbooks.sources import write_matrix, write_review
from zwgk_cli.workbooks.template import write_templates

UNITS = ["县财政局", "县民政局", "县公安局", "县市场监督管理局"]


@pytest.fixture(scope="session")
def blanks(tmp_path_factory, rules) -> dict[str, Path]:
    """The blank workbooks: one per unit, two matrices, the review table."""
    out = tmp_path_factory.mktemp("blanks")
    paths = dict(zip(UNITS, write_templates(rules, UNITS, out), strict=True))
    web = [rules.clause(i) for i in ("5", "6", "J4")]
    paths["web"] = write_matrix(rules, web, UNITS, "网上检查组", out)
    office = [rules.clause(i) for i in ("1", "6")]
    paths["office"] = write_matrix(rules, office, UNITS[:3], "政府办", out)  # 县市场监督管理局 not on it
    paths["review"] = write_review(rules, UNITS, out)
    paths["full"] = write_matrix(rules, list(rules.clauses), UNITS, "综合检查组", out)  # every clause
    return paths


@pytest.fixture(scope="session")
def fill_once(tmp_path_factory):
    """fill_once(filler, blank, target, values, **kw): ``filler(blank, target, values, **kw)`` (a
    findings workbook, a matrix or the review table), each distinct one made once per session and
    copied to ``target``: the tests fill the same workbooks again and again, and change only their
    copies."""
    store = tmp_path_factory.mktemp("fills")
    made: dict[tuple, Path] = {}

    def fill(filler, blank, target: Path, values, **kw) -> Path:
        if target.exists():  # as the filler itself would: refused unless forced
            return filler(blank, target, values, **kw)
        key = (filler.__name__, str(blank), target.name, repr(values), repr(sorted(kw.items())))
        if key not in made:
            made[key] = filler(blank, store / str(len(made)) / target.name, values, **kw)
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copyfile(made[key], target))

    return fill


@pytest.fixture
def season(cli, tmp_path, blanks, fill_once):
    """Build a returns folder: own(unit, entries), web(values), office(values), review(rows)."""
    folder = tmp_path / "收回"
    folder.mkdir()
    roster = tmp_path / "名单.txt"
    roster.write_text("\n".join(UNITS), encoding="utf-8")

    class Season:
        path, roster_path = folder, roster

        written: set[str] = set()

        def own(self, unit, entries, **kw):
            self.written.add(unit)
            return fill_once(fill_workbook, blanks[unit], folder / f"{unit}.xlsx", entries, **kw)

        def own_rest(self):
            """A workbook with no findings from every unit that has not sent one yet."""
            for unit in UNITS:
                if unit not in self.written:
                    self.own(unit, {})

        def full(self, values):
            return fill_once(fill_matrix, blanks["full"], folder / "检查表_综合检查组.xlsx", values)

        def web(self, values, name="检查表_网上检查组.xlsx"):
            return fill_once(fill_matrix, blanks["web"], folder / name, values)

        def office(self, values):
            return fill_once(fill_matrix, blanks["office"], folder / "检查表_政府办.xlsx", values)

        def review(self, rows):
            return fill_once(fill_review, blanks["review"], folder / "复核调整表.xlsx", rows)

        def rank(self, *extra):
            result = cli.json("rank", folder, "--roster", roster, "-o", tmp_path / "汇总.xlsx", *extra)
            assert result.exit_code in (0, 1), result.output
            data = result.data
            data["exit_code"] = result.exit_code
            data["by_unit"] = {u["unit"]: u for u in data["units"]}
            return data

    return Season()


def _clause(unit: dict, cid: str) -> dict:
    return next(c for c in unit["clauses"] if c["id"] == cid)


def test_units_covered_only_by_matrices_are_ranked_and_not_missing(season, rules):
    season.own("县财政局", {"5": 2})
    season.full({"县民政局": {"6": "1处"}})  # 县公安局's row left empty: assessed, nothing found
    data = season.rank()
    assert data["exit_code"] == 0
    assert set(data["by_unit"]) == {"县财政局", "县民政局", "县公安局", "县市场监督管理局"}
    assert data["missing"] == []
    civil = data["by_unit"]["县民政局"]
    assert civil["total"] == 100 - 2 and _clause(civil, "6")["source"] == "综合检查组"
    assert _clause(civil, "6")["cell"] == "H6"
    assert data["by_unit"]["县公安局"]["total"] == 100
    assert _clause(data["by_unit"]["县财政局"], "5")["source"] == "单位评分表"
    kinds = {Path(i["file"]).name: (i["kind"], i["source"], i["status"]) for i in data["inputs"]}
    assert kinds["检查表_综合检查组.xlsx"] == ("matrix", "综合检查组", "已评分")
    assert kinds["县财政局.xlsx"] == ("unit", "", "已评分")
    library = rank_paths([season.path], rules, read_roster(season.roster_path)).to_dict()
    for document in (data, library):
        for key in ("generated_at", "exit_code", "by_unit", "outputs"):  # the command wrote a summary
            document.pop(key, None)
    assert data == library  # --json adds nothing to what the library returns


def test_a_unit_without_its_workbook_is_not_ranked_on_a_matrix_that_answers_only_some_clauses(season):
    season.own("县财政局", {"5": 2})
    season.web({"县民政局": {"6": "1处"}})  # clauses 5, 6, J4 only: the rest of 县民政局's table is unknown
    data = season.rank()
    assert data["exit_code"] == 1
    assert set(data["by_unit"]) == {"县财政局"}  # blank is not "no deduction" where nobody looked
    assert data["missing"] == []  # the team did assess them
    incomplete = {e["value"]: e["message"] for e in data["errors"] if e["code"] == "source-incomplete"}
    assert set(incomplete) == {"县民政局", "县公安局", "县市场监督管理局"}
    assert "编号 1、2、3" in incomplete["县民政局"] and "未提交单位评分表" in incomplete["县民政局"]


def test_a_unit_no_source_mentions_is_missing(season):
    season.own("县民政局", {})
    season.office({"县民政局": {"1": "是"}})
    data = season.rank()
    assert data["missing"] == ["县市场监督管理局"]
    assert _clause(data["by_unit"]["县民政局"], "1")["source"] == "政府办"


def test_equal_values_from_two_sources_are_accepted(season):
    season.own("县财政局", {"6": 1})
    season.web({"县财政局": {"6": "1处"}})
    season.office({"县财政局": {"6": "一"}})
    season.own_rest()
    data = season.rank()
    assert data["errors"] == [] and data["exit_code"] == 0
    assert data["by_unit"]["县财政局"]["total"] == 98


def test_different_values_are_a_source_conflict_and_the_unit_is_not_ranked(season):
    season.own("县财政局", {"6": 2})
    season.web({"县财政局": {"6": 1}})
    season.own_rest()
    data = season.rank()
    assert data["exit_code"] == 1
    assert "县财政局" not in data["by_unit"] and "县财政局" not in data["missing"]
    [error] = data["errors"]
    assert error["code"] == "source-conflict"
    assert "县财政局.xlsx 评分表!H" in error["message"] and "检查表_网上检查组.xlsx 检查表!D5" in error["message"]
    status = {Path(i["file"]).name: i["status"] for i in data["inputs"]}
    assert status["县财政局.xlsx"] == status["检查表_网上检查组.xlsx"] == "有错误"
    assert data["by_unit"]["县民政局"]["total"] == 100  # the rest of the matrix still counts


def test_two_matrices_that_disagree_conflict(season):
    season.web({"县民政局": {"6": 1}})
    season.office({"县民政局": {"6": 0}})
    season.own_rest()
    data = season.rank()
    assert [e["code"] for e in data["errors"]] == ["source-conflict"]
    assert "县民政局" not in data["by_unit"]


def test_review_row_overrides_every_source_and_is_listed(season):
    season.own("县财政局", {"5": 2, "6": 1})
    season.web({"县财政局": {"6": 1}})
    season.review([("县财政局", "6", "无", "已整改，见网页截图")])
    season.own_rest()
    data = season.rank()
    assert data["exit_code"] == 0
    unit = data["by_unit"]["县财政局"]
    assert unit["total"] == 96 and _clause(unit, "6")["source"] == "复核"
    [adjustment] = data["adjustments"]
    assert adjustment == {"unit": "县财政局", "clause": "6",
                          "before": {"input": "1", "points": -2, "total": 94},
                          "after": {"input": "无", "points": 0, "total": 96},
                          "reason": "已整改，见网页截图", "file": adjustment["file"], "cell": "C4"}
    assert adjustment["file"].endswith("复核调整表.xlsx")


def test_review_row_decides_a_conflict(season):
    season.own("县财政局", {"6": 2})
    season.web({"县财政局": {"6": 1}})
    season.review([("县财政局", "6", 1, "以网上检查为准")])
    season.own_rest()
    data = season.rank()
    assert data["errors"] == []
    assert data["by_unit"]["县财政局"]["total"] == 98
    [adjustment] = data["adjustments"]
    assert adjustment["before"] == {"input": "2（单位评分表） / 1（网上检查组）", "points": None, "total": None}


@pytest.mark.parametrize("row, code", [
    (("县财政局", "6", 0, None), "row-incomplete"),
    (("县财政局", "6", None, "核实"), "row-incomplete"),
    (("县财政局", "99", 0, "核实"), "id-unknown"),
    (("县财政局", "6", "若干", "核实"), "value-quantity"),
])
def test_a_review_row_that_cannot_apply_is_an_error_and_its_unit_is_not_ranked(season, row, code):
    season.own("县财政局", {"6": 1})
    season.review([row])
    data = season.rank()
    assert data["exit_code"] == 1
    assert [e["code"] for e in data["errors"]] == [code]
    assert data["errors"][0]["sheet"] == "复核调整表" and data["errors"][0]["cell"][1:] == "4"
    assert "县财政局" not in data["by_unit"] and data["adjustments"] == []


def test_a_review_row_for_an_unknown_unit_is_an_error_with_the_closest_names(season):
    season.own("县财政局", {"6": 1})
    season.review([("县财务局", "6", 0, "核实")])
    data = season.rank()
    [unknown] = data["errors"]  # said once, at its cell
    assert unknown["code"] == "source-unit-unknown" and unknown["level"] == "error" and unknown["cell"] == "A4"
    assert "县财务局" in unknown["message"]
    # the correction is surely somebody's: the closest assessed unit (named) is not ranked without it
    assert "（县财政局）暂不排名" in unknown["message"]
    assert "县财政局" not in data["by_unit"] and data["adjustments"] == []


def test_a_matrix_row_off_the_roster_is_a_warning_never_a_new_unit(season, tmp_path, rules):
    bigger = write_matrix(rules, [rules.clause("6")], [*UNITS, "县财务所"], "网上检查组", tmp_path / "b")
    fill_matrix(bigger, season.path / "检查表_网上检查组.xlsx", {"县财务所": {"6": 3}})
    data = season.rank()
    assert "县财务所" not in data["by_unit"]
    [warning] = [w for w in data["warnings"] if w["code"] == "source-unit-unknown"]
    assert warning["cell"] == "B9" and warning["level"] == "warning"


def test_a_matrix_value_error_names_file_sheet_cell_and_value(season):
    season.web({"县民政局": {"6": "若干"}, "县公安局": {"6": 1}})
    season.own_rest()
    data = season.rank()
    [error] = data["errors"]
    assert (error["code"], error["sheet"], error["cell"], error["value"]) == ("value-quantity", "检查表", "D6", "若干")
    assert error["file"].endswith("检查表_网上检查组.xlsx")
    assert "县民政局" not in data["by_unit"] and data["by_unit"]["县公安局"]["total"] == 98


def test_a_discretionary_clause_without_its_note_is_an_error(season):
    season.web({"县民政局": {"J4": 1}, "县公安局": {"J4": 1, "说明（J4）": "经验被推广"}})
    season.own_rest()
    data = season.rank()
    assert [(e["code"], e["cell"]) for e in data["errors"]] == [("note-required", "E6")]
    assert _clause(data["by_unit"]["县公安局"], "J4")["note"] == "经验被推广"


def test_a_unit_whose_own_workbook_was_rejected_is_not_ranked_from_a_matrix(season):
    season.own("县财政局", {"6": "若干"})
    season.web({"县财政局": {"5": 1}})
    season.own_rest()
    data = season.rank()
    assert "县财政局" not in data["by_unit"] and [e["code"] for e in data["errors"]] == ["value-quantity"]


def test_kind_is_read_from_the_header_when_meta_is_gone(season):
    path = season.web({"县民政局": {"6": 2}})
    wb = openpyxl.load_workbook(path)
    del wb["_meta"]
    wb.save(path)
    shutil.copy(path, path.with_name("抄录.xlsx"))
    path.unlink()
    season.own_rest()
    data = season.rank()
    assert _clause(data["by_unit"]["县民政局"], "6")["source"] == "抄录"
    assert [i["kind"] for i in data["inputs"] if i["file"].endswith("抄录.xlsx")] == ["matrix"]


def test_an_identical_copy_of_a_matrix_counts_once(season):
    path = season.web({"县民政局": {"6": 2}})
    shutil.copy(path, path.with_name("检查表_网上检查组(1).xlsx"))
    season.own_rest()
    data = season.rank()
    assert data["errors"] == [] and data["by_unit"]["县民政局"]["total"] == 96
    assert [w["code"] for w in data["warnings"]] == ["file-identical"]


def test_summary_lists_the_adjustments_and_every_source_file_with_kind_and_sha256(season, tmp_path):
    season.own("县财政局", {"6": 1})
    season.web({"县民政局": {"6": 2}})
    season.review([("县财政局", "6", 0, "已整改")])
    data = season.rank()
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    row = [c.value for c in wb["复核调整"][4]]
    assert row[:10] == [1, "县财政局", "6", "1", "0", -2, 0, 98, 100, "已整改"]
    about = {r[0]: r[1:6] for r in wb["说明"].iter_rows(values_only=True) if r[0]}
    matrix = next(i for i in data["inputs"] if i["kind"] == "matrix")
    assert about[matrix["file"]] == (None, "已评分", matrix["sha256"], "检查表", "网上检查组")


def test_feedback_sheet_names_each_source_and_the_units_adjustments_with_reasons(cli, season, tmp_path):
    season.own("县财政局", {"5": 1, "6": 1})
    season.web({"县财政局": {"6": 1}})
    season.review([("县财政局", "5", 0, "已整改，见截图")])
    season.own_rest()
    result = cli("score", season.path, "-o", tmp_path / "反馈单")
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(tmp_path / "反馈单" / "县财政局_扣分情况反馈单.xlsx").active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[3][7] == "来源"
    by_id = {r[0]: r for r in rows[4:] if r[0]}
    assert by_id["6"][7] == "单位评分表" and by_id["5"][7] == "复核"
    adjustment = next(r for r in rows if r[3] == "已整改，见截图" and r[7] == "复核" and r[1])
    assert adjustment[:2] == ["5", "1（-2分）"] and adjustment[4] == "0"


def test_terminal_says_each_conflict_and_counts_the_adjustments(cli, season, tmp_path):
    season.own("县财政局", {"6": 2})
    season.web({"县财政局": {"6": 1}})
    season.review([("县民政局", "6", 1, "复核")])
    season.own_rest()
    result = cli("rank", season.path, "--roster", season.roster_path, "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code == 1
    assert "来源冲突：" in result.output and "检查表!D5" in result.output
    assert "复核调整 1 项" in result.output


@pytest.fixture(scope="session")
def big_matrix(tmp_path_factory, rules) -> tuple[Path, list[str]]:
    """A returns folder holding one matrix of every clause for 6,000 units, the last with a finding,
    and its units: built once per session (writing it takes most of the test's time)."""
    folder = tmp_path_factory.mktemp("big-matrix")
    units = [f"单位{i:05d}" for i in range(6_000)]  # a findings sheet above 5,000 rows is refused
    blank = write_matrix(rules, list(rules.clauses), units, "网上检查组", folder / "blank")
    fill_matrix(blank, folder / "收回" / "检查表.xlsx", {units[-1]: {"6": 1}})
    return folder / "收回", units


@pytest.mark.slow
def test_a_matrix_may_hold_more_rows_than_a_findings_sheet(big_matrix, rules):
    returns, units = big_matrix
    report = rank_paths([returns], rules, units)
    assert not report.errors and len(report.units) == 6_000
    assert {u.unit: u.total for u in report.units}[units[-1]] == 98


def test_two_versions_of_a_matrix_count_neither_and_their_units_wait(season):
    season.own("县财政局", {"5": 1})
    season.web({"县民政局": {"6": 2}})
    season.web({"县民政局": {"6": 1}}, name="检查表_网上检查组_改.xlsx")
    data = season.rank()
    assert data["exit_code"] == 1
    assert [e["code"] for e in data["errors"]] == ["source-duplicate", "source-duplicate"]
    assert data["by_unit"] == {} and data["missing"] == []  # every unit on the matrix waits
    assert {i["status"] for i in data["inputs"] if i["kind"] == "matrix"} == {"重复"}


def test_newest_takes_the_matrix_saved_last(season):
    from support.saved import set_saved

    set_saved(season.web({"县民政局": {"6": 2}}), "2026-11-20T08:00:00Z")
    set_saved(season.web({"县民政局": {"6": 1}}, name="检查表_网上检查组_改.xlsx"), "2026-11-21T08:00:00Z")
    season.own_rest()
    data = season.rank("--newest")
    assert data["errors"] == [] and data["by_unit"]["县民政局"]["total"] == 98
    [notice] = [w for w in data["warnings"] if w["code"] == "source-duplicate"]
    assert notice["level"] == "warning" and notice["file"].endswith("检查表_网上检查组.xlsx")


def test_a_review_row_never_ranks_a_unit_no_other_source_covers(season):
    season.own("县财政局", {"6": 1})
    season.review([("县公安局", "6", 0, "核实")])  # on the roster, but nobody assessed it
    data = season.rank()
    [error] = data["errors"]
    assert error["code"] == "source-unit-unknown" and "县公安局" not in data["by_unit"]
    assert "县公安局" in data["missing"]


def test_a_review_row_for_a_unit_whose_workbook_was_rejected_does_not_rank_it(season):
    season.own("县财政局", {"6": "若干"})
    season.review([("县财政局", "6", 0, "核实")])
    data = season.rank()
    assert [e["code"] for e in data["errors"]] == ["value-quantity"]
    assert "县财政局" not in data["by_unit"] and data["adjustments"] == []


def test_a_matrix_copied_into_a_workbook_of_the_teams_own_is_read_by_its_header(season):
    path = season.web({"县民政局": {"6": 2}})
    wb = openpyxl.load_workbook(path)
    del wb["_meta"]
    wb["检查表"].title = "Sheet1"
    wb.save(path.with_name("网上检查记录.xlsx"))
    path.unlink()
    season.own_rest()
    data = season.rank()
    assert _clause(data["by_unit"]["县民政局"], "6")["source"] == "网上检查记录"


def test_a_review_table_without_meta_is_read_by_its_header(season):
    season.own("县财政局", {"6": 1})
    path = season.review([("县财政局", "6", 0, "已整改")])
    wb = openpyxl.load_workbook(path)
    del wb["_meta"]
    wb.save(path)
    data = season.rank()
    assert [i["kind"] for i in data["inputs"] if i["file"].endswith("复核调整表.xlsx")] == ["adjustments"]
    assert data["by_unit"]["县财政局"]["total"] == 100


def test_a_workbook_that_is_none_of_the_kinds_is_still_refused_for_its_missing_sheet(season):
    wb = openpyxl.Workbook()
    wb.active.append(["随便", "什么"])
    wb.save(season.path / "其他.xlsx")
    data = season.rank()
    assert [(e["code"], Path(e["file"]).name) for e in data["errors"]] == [("sheet-missing", "其他.xlsx")]


# --- a rule set whose indicators may not apply (不适用) ---------------------------------------


@pytest.fixture(scope="module")
def scheme(tmp_path_factory):
    """Rule set C (不适用 allowed in 重大建设项目, 留言办理, 在线访谈), its blanks for two units."""
    from zwgk_cli.rules.loading import load_rules

    rules = load_rules(str(DEMO_C))
    out = tmp_path_factory.mktemp("scheme")
    units = ["市财政局", "市民政局"]
    return rules, units, {"own": dict(zip(units, write_templates(rules, units, out), strict=True)),
                          "web": write_matrix(rules, list(rules.clauses), units, "网站检查组", out)}


def _scheme_rank(tmp_path, scheme, own: dict, web: dict) -> dict:
    rules, units, blanks = scheme
    folder = tmp_path / "收回"
    for unit, entries in own.items():
        fill_workbook(blanks["own"][unit], folder / f"{unit}.xlsx", entries)
    fill_matrix(blanks["web"], folder / "检查表.xlsx", web)
    return rank_paths([folder], rules, units).to_dict()


def test_a_matrix_may_mark_an_indicator_not_applicable(tmp_path, scheme):
    data = _scheme_rank(tmp_path, scheme, {}, {"市财政局": {"C3": "不适用", "C1": 1}})
    unit = next(u for u in data["units"] if u["unit"] == "市财政局")
    assert data["errors"] == [] and unit["not_applicable"] == ["C3"]
    assert _clause(unit, "C3")["source"] == "网站检查组"


def test_not_applicable_where_the_rule_set_does_not_allow_it_is_an_error_in_a_matrix(tmp_path, scheme):
    data = _scheme_rank(tmp_path, scheme, {}, {"市财政局": {"C1": "不适用"}})
    assert [(e["code"], e["cell"]) for e in data["errors"]] == [("value-not-applicable", "C5")]
    assert "市财政局" not in {u["unit"] for u in data["units"]}


def test_one_source_not_applicable_and_another_a_value_in_that_indicator_conflict(tmp_path, scheme):
    data = _scheme_rank(tmp_path, scheme, {"市财政局": {"C4a": "不适用"}}, {"市财政局": {"C4b": "是"}})
    [error] = data["errors"]
    assert error["code"] == "source-conflict" and "C4a/C4b" in error["message"]
    assert "市财政局" not in {u["unit"] for u in data["units"]}


def test_a_matrix_column_of_an_indicator_that_may_not_apply_offers_not_applicable(scheme):
    rules, units, blanks = scheme
    ws = openpyxl.load_workbook(blanks["web"])["检查表"]
    header = {c.value.split(" ")[0]: c.column_letter for c in ws[4] if c.value}
    rules_by_column = {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}
    assert "不适用" in rules_by_column[header["C3"]].formula1
    assert rules_by_column[header["C1"]].type == "whole"


def test_a_matrix_that_cannot_be_read_holds_back_every_unit(season):
    season.own("县财政局", {"5": 2})
    damaged = season.web({"县民政局": {"6": 1}})
    damaged.write_bytes(damaged.read_bytes()[:3000])  # cut short in the mail: its findings are unknown
    data = season.rank()
    assert data["exit_code"] == 1
    assert data["units"] == []  # a ranking without one inspection team's findings would be wrong
    assert data["missing"] == []  # the unreadable matrix may cover any unit: none is called 未提交
    refused = [e for e in data["errors"] if e["code"] == "source-refused"]
    assert [Path(e["file"]).name for e in refused] == ["检查表_网上检查组.xlsx"]
    assert "4 个单位均暂不排名" in refused[0]["message"]


def test_a_review_table_made_for_another_rule_set_holds_back_every_unit(season):
    season.own("县财政局", {"5": 2})
    season.web({"县民政局": {"6": 1}})
    review = season.review([("县民政局", "6", "0", "经复核，已整改")])
    book = openpyxl.load_workbook(review)
    meta = book["_meta"]
    for row in meta.iter_rows():
        if row[0].value == "rules_id":
            row[1].value = "other-county-2023"
    book.save(review)
    data = season.rank()
    assert data["units"] == [] and data["exit_code"] == 1
    codes = {e["code"] for e in data["errors"] if Path(e["file"]).name == "复核调整表.xlsx"}
    assert codes == {"meta-ruleset", "source-refused"}


def test_a_damaged_workbook_named_after_a_unit_keeps_that_unit_from_a_matrix_only_ranking(season):
    season.own("县财政局", {"5": 2})
    season.web({"县民政局": {"6": 1}, "县公安局": {"5": 1}})
    own = season.own("县民政局", {"1": "否"})
    renamed = own.with_name("县民政局(2).xlsx")
    own.rename(renamed)
    renamed.write_bytes(b"PK\x03\x04" + b"\0" * 100)  # damaged beyond telling whose it is
    season.own_rest()
    data = season.rank()
    assert data["exit_code"] == 1
    assert "县民政局" not in data["by_unit"]  # its own findings are unknown: not ranked on the matrix's alone
    assert "县民政局" not in data["missing"]  # it did answer
    assert set(data["by_unit"]) == {"县财政局", "县公安局", "县市场监督管理局"}


def test_terminal_and_summary_name_a_unit_whose_workbook_has_not_come(cli, season, tmp_path):
    season.own_rest()
    (season.path / "县公安局.xlsx").unlink()  # the team looked at its website; its own workbook never came
    season.web({"县公安局": {"5": 1}})
    result = cli("rank", season.path, "--roster", season.roster_path, "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code == 1
    assert "均已提交" not in result.output
    assert "未提交单位评分表、其他来源也未涵盖全部条款（1）：县公安局" in result.output
    rows = list(openpyxl.load_workbook(tmp_path / "汇总.xlsx")["未提交"].iter_rows(values_only=True))
    assert (1, "县公安局", None, "检查表等其他来源只涵盖部分条款，暂不排名") in rows


def test_the_notice_draft_names_every_assessed_unit_that_was_not_ranked(cli, season, tmp_path):
    import docx

    season.own("县民政局", {"6": 2})  # the matrix says 1: a conflict nobody has decided yet
    season.own_rest()
    (season.path / "县公安局.xlsx").unlink()
    season.web({"县公安局": {"5": 1}, "县民政局": {"6": 1}})
    result = cli("rank", season.path, "--roster", season.roster_path, "-o", tmp_path / "汇总.xlsx",
                 "--report", tmp_path / "通报.docx")
    assert result.exit_code == 1, result.output
    text = "\n".join(p.text for p in docx.Document(tmp_path / "通报.docx").paragraphs)
    assert "县公安局（未提交评分表）" in text and "县民政局（" in text


def test_findings_on_a_matrix_row_whose_name_is_off_the_roster_hold_back_the_unit_without_a_row(season):
    season.own_rest()
    path = season.web({"县民政局": {"6": 2}, "县公安局": {"6": 1}})
    book = openpyxl.load_workbook(path)
    assert book["检查表"]["B6"].value == "县民政局"
    book["检查表"]["B6"].value = "县民正局"  # mistyped: its two deductions belong to somebody
    book.save(path)
    data = season.rank()
    assert data["exit_code"] == 1
    assert "县民政局" not in data["by_unit"]  # never ranked without the matrix's findings
    assert data["by_unit"]["县公安局"]["total"] == 98
    [error] = [e for e in data["errors"] if e["code"] == "source-unit-unknown"]
    assert error["cell"] == "B6" and "（县民政局）暂不排名" in error["message"]
    [warning] = [w for w in data["warnings"] if w["code"] == "source-unit-unknown"]
    assert "县民政局" in warning["message"]  # the closest roster name is suggested


def test_a_damaged_second_version_named_after_a_unit_keeps_its_readable_one_from_being_ranked(season):
    season.own("县财政局", {"5": 2})
    (season.path / "县财政局(2).xlsx").write_bytes(b"PK\x03\x04" + b"\0" * 100)  # the resubmission, damaged
    data = season.rank()
    assert data["exit_code"] == 1
    assert "县财政局" not in data["by_unit"] and "县财政局" not in data["missing"]
    [error] = [e for e in data["errors"] if e["code"] == "unit-duplicate"]
    assert "县财政局(2).xlsx" in error["message"] and error["file"].endswith("县财政局.xlsx")
    status = {Path(i["file"]).name: i["status"] for i in data["inputs"]}
    assert status == {"县财政局.xlsx": "重复", "县财政局(2).xlsx": "有错误"}


@pytest.mark.parametrize("header", ["66 年报公开质量", "6"])
def test_a_unit_with_a_value_under_a_damaged_clause_header_is_not_ranked(season, header):
    season.own_rest()
    path = season.web({"县财政局": {"6": 2}, "县公安局": {"5": 1}})
    book = openpyxl.load_workbook(path)
    del book["_meta"]  # a copy: nothing else lists the matrix's clauses
    [cell] = [c for c in book["检查表"][4] if str(c.value or "").startswith("6 ")]
    cell.value = header
    book.save(path)
    data = season.rank()
    assert data["exit_code"] == 1
    assert "县财政局" not in data["by_unit"]  # its 2 deductions cannot be placed: never 100 behind its back
    assert data["by_unit"]["县公安局"]["total"] == 98  # a unit with nothing in that column still counts
    assert {e["code"] for e in data["errors"]} <= {"id-unknown", "source-column-ignored"}


def test_a_note_without_a_value_in_a_matrix_is_said_as_in_a_findings_workbook(season):
    season.own_rest()
    season.web({"县民政局": {"说明（J4）": "经验被推广"}})  # the 说明 written, the J4 cell left empty
    data = season.rank()
    [warning] = [w for w in data["warnings"] if w["code"] == "note-without-input"]
    assert warning["sheet"] == "检查表" and warning["value"] == "经验被推广" and "J4" in warning["message"]
    assert data["by_unit"]["县民政局"]["total"] == 100  # nothing scored from a note alone
