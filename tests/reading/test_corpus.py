"""The whole bad-input corpus in one nightly-style batch: every file gets its outcome,
the rest is still scored, inputs stay untouched and outputs stay clean."""

import hashlib
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from support.cli import Cli
from support.corpus import REJECTED, SCORED, build_corpus

pytestmark = pytest.mark.slow  # the corpus is built and ranked once for the module (~5 s)


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


@pytest.fixture(scope="module")
def batch(tmp_path_factory, blank):
    folder = tmp_path_factory.mktemp("corpus")
    expect = build_corpus(folder / "收回", blank)
    roster = folder / "名单.txt"
    scored_units = ["县审计局", "县档案局", "县统计局", "县水利局", "县林业局", "县文旅局", "县医保局"]
    roster.write_text("\n".join([*scored_units, "县未交局"]), encoding="utf-8")
    before = _hashes(folder / "收回")
    out = folder / "out" / "汇总.xlsx"
    result = Cli().json("rank", folder / "收回", "--roster", roster, "-o", out)
    return expect, result, before, folder, out


def test_every_file_gets_its_outcome(batch):
    expect, result, _, _, _ = batch
    data = json.loads(result.stdout)
    inputs = {Path(i["file"]).name: i for i in data["inputs"]}
    assert set(inputs) == set(expect), "lock and hidden files are skipped, nothing else"
    errors: dict[str, set[str]] = {}
    for error in data["errors"]:
        errors.setdefault(Path(error["file"]).name, set()).add(error["code"])
    units = {Path(u["file"]).name: u for u in data["units"]}
    for name, outcome in expect.items():
        assert inputs[name]["status"] == outcome.status, name
        if outcome.status == SCORED:
            warnings = {w["code"] for w in units[name]["warnings"]}
            assert set(outcome.codes) <= warnings, name
            assert warnings - set(outcome.codes) <= {"unit-mismatch", "unit-unknown", "evidence-absent"}, name
            assert Decimal(str(units[name]["total"])) == Decimal(outcome.total), name
        else:
            assert errors[name] == set(outcome.codes), name


def test_errors_name_file_sheet_cell_and_value(batch):
    _, result, _, _, _ = batch
    data = json.loads(result.stdout)
    several = [e for e in data["errors"] if Path(e["file"]).name == "多处错误.xlsx"]
    assert {(e["sheet"], e["cell"], e["value"]) for e in several} == {
        ("评分表", "H11", "若干"), ("评分表", "H5", "也许"), ("评分表", "H7", "9")}
    encrypted = next(e for e in data["errors"] if Path(e["file"]).name == "加密.xlsx")
    assert "文件已加密，请取消密码后另存为 .xlsx 再提交" in encrypted["message"]
    forestry = next(u for u in data["units"] if u["unit"] == "县林业局")
    assert ("unit-mismatch", "C2") in {(w["code"], w["cell"]) for w in forestry["warnings"]}
    renamed = next(e for e in data["errors"] if Path(e["file"]).name == "改名.xlsx")
    assert "评分表(1)" in renamed["message"]  # the closest sheet name is suggested


def test_exit_code_missing_and_untouched_inputs(batch):
    _, result, before, folder, _ = batch
    assert result.exit_code == 1
    assert json.loads(result.stdout)["missing"] == ["县未交局"]
    assert _hashes(folder / "收回") == before


def test_outputs_hold_no_formula_and_no_error_value(batch):
    _, _, _, _, out = batch
    wb = openpyxl.load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type in ("f", "e")]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert any(t.startswith("=HYPERLINK") for t in texts)
    assert any("=注入.xlsx" in t for t in texts)
    assert {c.value for c in wb["排名"]["B"]} >= {"县统计局", "县水利局"}
    assert REJECTED in {c.value for c in wb["说明"]["C"]}
