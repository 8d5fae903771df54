"""Last season's results for ``rank --previous`` (zwgk_cli/reading/previous.py): a file that cannot
be used stops the run with exit 2 and ``previous-invalid``, and nothing is written."""

from __future__ import annotations

import re
import zipfile

import pytest
from support.paths import DEMO_B, RETURNED

from zwgk_cli.problems import ZwgkError
from zwgk_cli.reading.previous import load_previous


def test_last_seasons_summary_with_a_cell_written_twice_is_refused(cli, tmp_path):
    summary = tmp_path / "上年.xlsx"
    assert cli("rank", RETURNED, "-o", summary).exit_code == 0
    with zipfile.ZipFile(summary) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(summary, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            if info.filename == "xl/worksheets/sheet1.xml":  # 排名: C4 (the first total) twice
                data = re.sub(rb'(<c r="C4"[^>]*>.*?</c>)', rb'\1<c r="C4" t="n"><v>1</v></c>', data, count=1)
            target.writestr(info, data)
    result = cli.json("rank", RETURNED, "-o", tmp_path / "今年.xlsx", "--previous", summary)
    code, data = result.exit_code, result.data
    assert code == 2 and data["error"]["code"] == "previous-invalid"


@pytest.mark.parametrize(("content", "words"), [
    (b"", "JSON"),
    (b"{not json", "不是有效的 JSON"),
    (b'{"error": {"code": "output-exists", "message": "x"}}', "出错"),
    (b'{"units": [{"unit": "a", "total": 1}]}', "没有名次"),
    (b'{"units": []}', "没有任何已排名的单位"),
    ("{\"units\": [{\"unit\": \"a\", \"total\": \"很高\", \"rank\": 1}]}".encode(), "总分"),
    (b"PK\x03\x04 broken zip", "已损坏"),
    (b"\x00\x01binary", "既不是 JSON"),
])
def test_unusable_previous_file_stops_with_exit_2_and_writes_nothing(cli, seasons, tmp_path, content, words):
    previous = tmp_path / "上年.json"
    previous.write_bytes(content)
    out = tmp_path / "汇总.xlsx"
    result = cli.json("rank", seasons["returns"], "--rules", DEMO_B, "-o", out, "--previous", previous)
    assert result.exit_code == 2
    error = result.data["error"]
    assert error["code"] == "previous-invalid" and words in error["message"]
    assert "Error" not in result.stderr and not out.exists()


def test_a_workbook_that_is_not_a_summary_is_refused(cli, seasons, tmp_path):
    workbook = next(seasons["returns"].iterdir())
    result = cli("rank", seasons["returns"], "--rules", DEMO_B, "-o", tmp_path / "s.xlsx", "--previous", workbook)
    assert result.exit_code == 2 and "没有“排名”工作表" in result.stderr
    with pytest.raises(ZwgkError) as refused:
        load_previous(workbook)
    assert refused.value.code == "previous-invalid" and workbook.name in str(refused.value)


def test_missing_previous_file_and_folder_are_refused(cli, seasons, tmp_path):
    for path, words in ((tmp_path / "无.json", "找不到上年结果"), (tmp_path, "是文件夹")):
        result = cli("rank", seasons["returns"], "--rules", DEMO_B, "-o", tmp_path / "s.xlsx", "--previous", path)
        assert result.exit_code == 2 and words in result.stderr
        with pytest.raises(ZwgkError) as refused:
            load_previous(path)
        assert refused.value.code == "previous-invalid" and str(path) in str(refused.value)
