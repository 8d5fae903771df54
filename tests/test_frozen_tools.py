"""The frozen build's tools (tools/build-exe, tools/season-check): their pure parts, without
building anything (.ci/frozen-check builds and runs them for real)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import zipfile
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent / "tools"


def _script(name: str):
    loader = importlib.machinery.SourceFileLoader(name.replace("-", "_"), str(TOOLS / name))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def season():
    return _script("season-check")


@pytest.fixture(scope="module")
def build():
    return _script("build-exe")


def test_pyinstaller_versions_are_compared_by_their_numbers(build):
    assert build.version_tuple("6.14.2") == (6, 14, 2)
    assert build.version_tuple("6.14.2.post1") == (6, 14, 2)
    assert build.version_tuple("6.15.0rc1") == (6, 15, 0)
    assert build.PYINSTALLER_MINIMUM <= build.version_tuple("6.22.3") < build.PYINSTALLER_BELOW
    assert not build.PYINSTALLER_MINIMUM <= build.version_tuple("6.14.0")
    assert not build.version_tuple("7.0") < build.PYINSTALLER_BELOW


def _workbook_zip(path: Path, moment: str, date_time: tuple) -> None:
    core = f'<cp:coreProperties><dcterms:created>{moment}Z</dcterms:created></cp:coreProperties>'
    meta = f'<worksheet><c><is><t>generated_at</t></is></c><c><is><t>{moment}+00:00</t></is></c></worksheet>'
    with zipfile.ZipFile(path, "w") as z:
        for name, text in (("docProps/core.xml", core), ("xl/worksheets/sheet3.xml", meta)):
            z.writestr(zipfile.ZipInfo(name, date_time), text)


def test_a_workbook_written_twice_is_normalised_to_the_same_bytes(season, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    _workbook_zip(first, "2026-12-02T15:16:00", (2026, 12, 2, 15, 16, 0))
    _workbook_zip(second, "2026-12-02T15:16:01.123", (2026, 12, 2, 15, 16, 2))
    assert first.read_bytes() != second.read_bytes()
    for path in (first, second):
        season.normalise_zip(path)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert season.SAVED_AT in z.read("docProps/core.xml").decode()


def test_json_loses_times_and_the_temporary_folder_only(season):
    unit = {"file": "/tmp/zwgk-season-x/收回/a.xlsx", "total": 95, "note": "生成时间：2026-12-02 15:21"}
    document = {"generated_at": "2026-12-02T15:21:02+00:00", "units": [unit]}
    assert season.normalise_json(document, "/tmp/zwgk-season-x") == {
        "units": [{"file": "<work>/收回/a.xlsx", "total": 95, "note": "生成时间：<time>"}]}


def test_a_table_drawn_in_boxes_and_in_ascii_has_the_same_words(season):
    boxes = ("  名次  单位          总分 \n ──────────────────────── \n         1  县教育科技局    95 \n"
             "         4  县𠀾局        -1.5 \n")
    ascii_ = ("+------------------------+\n|     名次 |单位         |总分 |\n|----------+-------------+-----|\n"
              "|        1 |县教育科技局 |  95 |\n|        4 |县?局       |-1.5 |\n+------------------------+\n")
    assert season.text_words(season.as_gbk_shows(boxes)) == season.text_words(ascii_)
    assert season.text_words("a -4 b\n") == ["a -4 b"]  # a minus sign is not a border


def test_streams_are_decoded_as_utf8_or_gbk(season):
    assert season.decode("县𠀾局".encode()) == ("县𠀾局", "utf-8")
    assert season.decode("县财政局".encode("gbk")) == ("县财政局", "gbk")


def _results(folder: Path, exit_code: int = 1, total: int = 95, stderr: str = "共读取 1 个文件") -> Path:
    (folder / "steps").mkdir(parents=True)
    step = "00-rank"
    (folder / "steps" / f"{step}.stdout").write_text(json.dumps(
        {"generated_at": str(folder), "units": [{"unit": "县𠀾局", "total": total, "file": f"{folder}/收回/x.xlsx"}]},
        ensure_ascii=False), encoding="utf-8")
    (folder / "steps" / f"{step}.stderr").write_bytes(stderr.encode("gbk", "replace"))
    (folder / "steps" / f"{step}.exit").write_text(f"{exit_code}\n")
    meta = {"zwgk": [str(folder / "zwgk")], "seconds": 1.0, "work": str(folder),
            "steps": [{"step": step, "exit": exit_code, "expected": 1, "seconds": 1.0, "stdout_encoding": "utf-8",
                       "stderr_encoding": "gbk", "problems": []}]}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    (folder / "inputs.json").write_text(json.dumps({"收回/x.xlsx": "abc"}), encoding="utf-8")
    outputs = {name: {"kind": "bytes", "digest": "d"} for name in
               (*_script("season-check").EXPECTED_OUTPUTS, "反馈单/x_扣分情况反馈单.xlsx")}
    (folder / "outputs.json").write_text(json.dumps(outputs, ensure_ascii=False), encoding="utf-8")
    return folder


def _compare(season, a: Path, b: Path, capsys) -> tuple[int, str]:
    code = season.compare(a, b)
    return code, capsys.readouterr().out


def test_two_runs_that_agree_are_equal(season, tmp_path, capsys):
    code, out = _compare(season, _results(tmp_path / "a"), _results(tmp_path / "b"), capsys)
    assert code == 0 and "equal" in out


@pytest.mark.parametrize(("change", "words"), [
    ({"exit_code": 0}, "exit code 0 / 1"),
    ({"total": 96}, "$.units[0].total: 96 / 95"),
    ({"stderr": "错误：内部错误：请加 --debug"}, "stderr contains '内部错误'"),
    ({"stderr": "Traceback (most recent call last):"}, "stderr contains 'Traceback'"),
])
def test_a_difference_is_shown_and_fails(season, tmp_path, capsys, change, words):
    code, out = _compare(season, _results(tmp_path / "a", **change), _results(tmp_path / "b"), capsys)
    assert code == 1 and words in out


def test_a_missing_output_fails(season, tmp_path, capsys):
    a = _results(tmp_path / "a")
    outputs = json.loads((a / "outputs.json").read_text(encoding="utf-8"))
    del outputs["通报.docx"]
    (a / "outputs.json").write_text(json.dumps(outputs, ensure_ascii=False), encoding="utf-8")
    code, out = _compare(season, a, _results(tmp_path / "b"), capsys)
    assert code == 1 and "output 通报.docx: only in B" in out and "outputs missing in A" in out


def test_the_filled_inputs_are_fixed_data(season):
    """Both runs fill the same values: no randomness, every roster unit but one returns."""
    assert set(season.RETURNS) == set(season.UNITS) - {season.NOT_ANSWERED}
    assert any("𠀾" in unit for unit in season.UNITS)
    values = {str(v) for entries, _ in season.RETURNS.values() for v in entries.values()}
    assert {"是", "√", "✓", "2处"} <= values
    assert set(season.MATRIX) == set(season.UNITS)
