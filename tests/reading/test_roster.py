"""Rosters as offices keep them: headers, 序号 columns and 合计 footers are not units, every
dropped line is reported, and a damaged roster is a clear error, never an internal one."""

import random
import time
from pathlib import Path

import openpyxl
import pytest
from support import visible

from zwgk_cli.problems import ZwgkError
from zwgk_cli.reading.roster import load_roster


def _xlsx(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_spreadsheet_roster_footer_and_title_rows_are_dropped_and_reported(tmp_path):
    path = _xlsx(tmp_path / "名单.xlsx", [
        ["2022年度政务公开考核单位名单"],
        ["序号", "单位名称", "类别"],
        [1, "县财政局", "A", "总数以县编办核定为准"],  # a remark is not a footer
        [2, "县教育局", "A"],
        [None, "合计", None],
        ["共2个单位"],
        [3, None, "A"],
    ])
    roster = load_roster(path)
    assert roster.names == ["县财政局", "县教育局"]
    assert roster.classes == {"县财政局": "A", "县教育局": "A"}
    assert [(w.code, w.cell) for w in roster.warnings] == [
        ("roster-line-dropped", "A1"), ("roster-line-dropped", "A2"), ("roster-line-dropped", "B5"),
        ("roster-line-dropped", "A6"), ("roster-line-dropped", "A7")]
    assert all(w.file == str(path) and w.sheet for w in roster.warnings)


@pytest.mark.parametrize("text", [
    "单位名称\n县财政局\n县教育局\n总计：2\n",
    "序号\t单位名称\n1\t县财政局\n2\t县教育局\n",
    "序号,单位名称\n1,县财政局\n2,县教育局\n合计,2\n",
    "1、县财政局\n2. 县教育局\n",
    "序号 单位名称\n1 县财政局\n2 县教育局\n",
    "1 县财政局\n2，县教育局\n共 2 个单位\n",
])
def test_txt_roster_takes_the_name_column_of_numbered_or_separated_lines(tmp_path, text):
    path = tmp_path / "名单.txt"
    path.write_text(text, encoding="utf-8")
    roster = load_roster(path)
    assert roster.names == ["县财政局", "县教育局"]
    dropped = [line for line in text.splitlines() if "单位名称" in line or "计" in line or "共" in line]
    assert len(roster.warnings) == len(dropped)
    assert all(w.code == "roster-line-dropped" and w.cell.startswith("第") for w in roster.warnings)


def test_txt_roster_saved_as_unicode_by_notepad_is_read(tmp_path):
    path = tmp_path / "名单.txt"
    path.write_bytes("县财政局\r\n县教育局\r\n".encode("utf-16"))
    assert load_roster(path).names == ["县财政局", "县教育局"]


def test_roster_names_equal_after_normalising_are_duplicates(tmp_path):
    path = tmp_path / "名单.txt"
    path.write_text("县市场监督管理局（知识产权局）\n县市场监督管理局(知识产权局)\u3000\n", encoding="utf-8")
    with pytest.raises(ZwgkError, match="重复") as caught:
        load_roster(path)
    assert caught.value.code == "roster-invalid" and "县市场监督管理局（知识产权局）" in str(caught.value)


def _damaged(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / {"xlsx": "名单.xlsx", "encoding": "名单.txt", "folder": "名单", "empty": "名单.txt",
                       "binary": "名单.txt", "truncated": "名单.xlsx", "xls": "名单.xls"}[kind]
    if kind == "folder":
        path.mkdir()
    elif kind == "truncated":
        good = _xlsx(tmp_path / "good.xlsx", [["单位名称"], ["县财政局"]])
        path.write_bytes(good.read_bytes()[:300])
    else:
        path.write_bytes({"xlsx": b"PK\x03\x04not really", "encoding": b"\x80\x80\x80",
                          "empty": b" \n", "binary": b"PK\x03\x04\x00\x01\x02rest",
                          "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)}[kind])
    return path


@pytest.mark.parametrize("kind", ["xlsx", "encoding", "folder", "empty", "binary", "truncated", "xls"])
def test_damaged_roster_gives_a_clear_error_and_exit_2(cli, tmp_path, kind):
    path = _damaged(tmp_path, kind)
    with pytest.raises(ZwgkError) as caught:
        load_roster(path)
    assert str(path) in str(caught.value) and "Error" not in str(caught.value)
    assert caught.value.code == "roster-invalid"
    result = cli("rank", tmp_path, "--roster", path, "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code == 2
    assert "内部错误" not in result.output and "名单" in result.output
    assert not (tmp_path / "汇总.xlsx").exists()


def _mutated(data: bytes, rng) -> bytes:
    """Bytes flipped, cut or inserted, as a damaged download or disk would leave them."""
    d = bytearray(data)
    how = rng.randrange(3)
    if how == 0:
        for _ in range(rng.randint(1, 20)):
            d[rng.randrange(len(d))] = rng.randrange(256)
    elif how == 1:
        del d[rng.randrange(len(d)):]
    else:
        at = rng.randrange(len(d))
        d[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 50)))
    return bytes(d)


@pytest.mark.slow
def test_mutated_rosters_end_as_a_roster_or_a_clear_error(tmp_path):
    rng = random.Random(20261129)
    sources = {
        "名单.xlsx": _xlsx(tmp_path / "src.xlsx", [["序号", "单位名称", "类别"], [1, "县财政局", "A"],
                                                   ["合计", None, None]]).read_bytes(),
        "名单.csv": "单位名称,类别\n县财政局,A\n县教育局,B\n".encode(),
        "名单.txt": "序号\t单位名称\n1\t县财政局\n2、县教育局\n".encode("gbk"),
    }
    for name, data in sources.items():
        for _ in range(80):
            path = tmp_path / name
            path.write_bytes(_mutated(data, rng))
            try:
                load_roster(path)
            except ZwgkError as exc:
                assert "Error" not in str(exc) and "Exception" not in str(exc)
                assert exc.code == "roster-invalid" and str(path) in str(exc)


def test_a_roster_whose_first_sheet_is_a_cover_page_is_read_from_the_sheet_with_the_names(cli, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "封面"
    book.active["A1"] = "2023年度政务公开考核单位名单"
    names = book.create_sheet("名单")
    names.append(["序号", "单位名称"])
    names.append([1, "县财政局"])
    book.save(tmp_path / "名单.xlsx")
    assert load_roster(tmp_path / "名单.xlsx").names == ["县财政局"]
    del book["名单"]
    book.create_sheet("附表").append(["单位"])
    book.save(tmp_path / "无名单.xlsx")
    result = cli("template", "--roster", tmp_path / "无名单.xlsx", "-o", tmp_path / "o")
    assert result.exit_code == 2 and "封面、附表" in result.output
    with pytest.raises(ZwgkError) as refused:
        load_roster(tmp_path / "无名单.xlsx")
    assert refused.value.code == "roster-invalid" and "封面、附表" in str(refused.value)


def test_a_roster_line_of_half_a_million_characters_is_dropped_quickly(cli, tmp_path):
    roster = tmp_path / "名单.txt"
    roster.write_text("县财政局\n" + "局" * 500_000 + "\n", encoding="utf-8")
    started = time.monotonic()
    result = cli.json("template", "--roster", roster, "-o", tmp_path / "o")
    assert time.monotonic() - started < 10 and result.exit_code == 0
    assert visible(tmp_path / "o") == ["县财政局.xlsx"]
    assert [w["code"] for w in result.data["warnings"]] == ["roster-line-dropped"]
    assert [w["cell"] for w in result.data["warnings"]] == ["第2行"]


def test_roster_former_names_are_read_from_the_csv_column(seasons):
    assert load_roster(seasons["roster"]).former == {"县发展和改革局": ["县发展计划局", "县计委"]}


def test_roster_former_names_in_a_spreadsheet_split_on_commas_and_enumeration_marks(tmp_path):
    wb = openpyxl.Workbook()
    rows = (["序号", "单位名称", "曾用名"], [1, "县发展和改革局", "县发展计划局, 县计委，县物价局"],
            [2, "县财政局", None])
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "名单.xlsx")
    roster = load_roster(tmp_path / "名单.xlsx")
    assert roster.names == ["县发展和改革局", "县财政局"]
    assert roster.former == {"县发展和改革局": ["县发展计划局", "县计委", "县物价局"]}
