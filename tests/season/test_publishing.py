"""What gets published: the summary's 排名 with last season, 共性问题 and 分数分布 sheets, the
leaderboard's change column, and the 通报 draft read back from the .docx."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest
from support.paths import RETURNED, ROSTER
from support.seasons import DEMO_B, rank


@pytest.fixture(scope="module")
def summary_2023(seasons, tmp_path_factory):
    """2023 ranked against 2022: the summary workbook and the terminal output."""
    out = tmp_path_factory.mktemp("summary") / "汇总.xlsx"
    result = rank([seasons["returns"], "--roster", seasons["roster"], "--rules", DEMO_B, "-o", out,
                   "--previous", seasons["json"]])
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out), result.stdout, out


def _table(ws, first_header: str) -> list[list]:
    """The rows under the header row that starts with ``first_header``, up to a blank row."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    body = []
    for row in rows[at + 1:]:
        if row[0] in (None, ""):
            break
        body.append(tuple(row))
    return body


def test_ranking_sheet_has_last_seasons_total_rank_and_change(summary_2023):
    ws = summary_2023[0]["排名"]
    header = [c.value for c in ws[3]]
    assert header[:6] == ["名次", "单位", "总分", "上年得分", "上年名次", "名次变化"]
    rows = {r[1]: r[3:6] for r in _table(ws, "名次")}
    assert rows == {"县民政局": (96, 2, "↑1"), "县发展和改革局": (94, 3, "↑1"),
                    "县应急管理局": (None, None, "新"), "县财政局": (100, 1, "↓3")}


def test_leaderboard_shows_the_change_and_the_units_gone_since(summary_2023):
    out = summary_2023[1]
    assert "较上年" in out
    line = next(line for line in out.splitlines() if "县财政局" in line)
    assert line.rstrip().endswith("↓3")
    assert "县档案局（上年第4名）" in out


def test_common_problems_sheet_lists_indicators_by_units_that_lost_points(summary_2023):
    ws = summary_2023[0]["共性问题"]
    indicators = _table(ws, "序号")
    assert indicators[0][1:7] == ("基础工作", "信息公开专栏", None, 3, 22, 7.33)
    assert [r[2] for r in indicators] == ["信息公开专栏", "工作机构", "惠民惠农资金公开"]
    assert len(ws._charts) == 1


def test_category_scores_have_average_lowest_and_highest(summary_2023):
    ws = summary_2023[0]["共性问题"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r[0] == "三、各一级指标得分")
    assert rows[at + 2][1:7] == ["基础工作", 40, 32, 24, 40, 3]
    assert rows[at + 3][1:7] == ["重点领域公开", 60, 58.5, 54, 60, 1]


def test_distribution_is_per_grade_when_the_rule_set_has_grades(summary_2023):
    ws = summary_2023[0]["分数分布"]
    assert [r[:3] for r in _table(ws, "等次")] == [("优秀", 90, 2), ("良好", 80, 1), ("合格", 60, 1), ("不合格", 0, 0)]
    assert len(ws._charts) == 1


def test_distribution_is_per_five_points_without_grades(seasons, tmp_path):
    out = tmp_path / "汇总.xlsx"
    assert rank([seasons["json"].parent / "收回", "-o", out]).exit_code == 0
    ws = openpyxl.load_workbook(out)["分数分布"]
    assert [r[:4] for r in _table(ws, "分数段")] == [("90–95", 90, 95, 2), ("95–100", 95, 100, 1),
                                                    ("100–105", 100, 105, 1)]


def test_summary_without_previous_has_no_previous_columns(seasons, tmp_path):
    out = tmp_path / "汇总.xlsx"
    result = rank([seasons["returns"], "--rules", DEMO_B, "-o", out, "--json"])
    assert result.exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert "上年得分" not in [c.value for c in wb["排名"][3]]
    assert wb.sheetnames[-3:] == ["共性问题", "分数分布", "_meta"]
    assert "previous_only" not in json.loads(result.stdout)


# --- the 通报 draft -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def notice_2023(seasons, tmp_path_factory):
    """2023 (graded) against 2022: the .docx written with --report, and the JSON of the run."""
    folder = tmp_path_factory.mktemp("notice")
    result = rank([seasons["returns"], "--roster", seasons["roster"], "--rules", DEMO_B, "-o", folder / "汇总.xlsx",
                   "--previous", seasons["json"], "--report", folder / "通报.docx", "--json"])
    assert result.exit_code == 0, result.output
    return folder / "通报.docx", json.loads(result.stdout)


def _text(path) -> tuple[list[str], list[list[str]]]:
    """The paragraphs and the table rows of a .docx, as python-docx reads them back."""
    from docx import Document

    document = Document(str(path))
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    return [p.text for p in document.paragraphs], rows


def test_notice_has_the_title_every_unit_the_grades_and_the_top_common_problem(notice_2023):
    paragraphs, rows = _text(notice_2023[0])
    assert paragraphs[0] == "关于2023年度示范县政务公开工作考核（B类）结果的通报"
    assert "优秀（2个）：县民政局、县发展和改革局。" in paragraphs
    assert "良好（1个）：县应急管理局。" in paragraphs and "合格（1个）：县财政局。" in paragraphs
    assert "不合格：无。" in paragraphs
    problems = paragraphs[paragraphs.index("三、存在的共性问题") + 2]
    assert problems == "（一）信息公开专栏（基础工作）：3个单位失分，合计扣22分。"
    assert any("〔X〕月〔X〕日前" in p for p in paragraphs)  # the deadline is the office's to set
    assert rows[0] == ["名次", "单位", "总分", "等次", "上年名次", "名次变化"]
    assert rows[1:] == [["1", "县民政局", "100", "优秀", "2", "↑1"], ["2", "县发展和改革局", "98", "优秀", "3", "↑1"],
                        ["3", "县应急管理局", "86", "良好", "", "新"], ["4", "县财政局", "78", "合格", "1", "↓3"]]


def test_notice_overview_states_scores_grades_and_last_season(notice_2023):
    paragraphs, _ = _text(notice_2023[0])
    overview = paragraphs[paragraphs.index("一、总体情况") + 1:paragraphs.index("二、考核结果")]
    assert overview[0] == ("计分4个单位，总分最高100分（县民政局），最低78分（县财政局），平均90.5分。"
                           "其中优秀2个、良好1个、合格1个、不合格0个。")
    assert "县档案局" in overview[1] and "名次上升的2个，下降的1个" in overview[1]


def test_json_says_where_the_notice_was_written(notice_2023):
    path, data = notice_2023
    assert data["report"] == str(path)


def test_notice_without_grades_names_top_and_bottom_units_with_ties(tmp_path):
    out = tmp_path / "通报.docx"
    result = rank([RETURNED, "--roster", ROSTER, "-o", tmp_path / "s.xlsx",
                   "--report", out, "--top", "3"])
    assert result.exit_code == 0, result.output
    paragraphs, rows = _text(out)
    assert paragraphs[0] == "关于2022年度绛县政务公开工作考核（A类）结果的通报"
    assert "得分居前的单位：县农业农村局（106分）、县教育科技局（99分）、县发展和改革局（98分）。" in paragraphs
    assert "得分居后的单位：县卫生健康局（83分）、县财政局（86分）、县民政局（91分）。" in paragraphs
    assert any("县市场监督管理局（未提交评分表）" in p for p in paragraphs)
    assert len(rows) == 12 and rows[0] == ["名次", "单位", "总分"]


def test_notice_asks_for_the_official_fonts_on_a4_with_page_numbers(notice_2023):
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(str(notice_2023[0]))
    title_fonts = document.paragraphs[0].runs[0]._element.rPr.rFonts
    assert title_fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    heading = next(p for p in document.paragraphs if p.text == "一、总体情况")
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    body = document.paragraphs[2].runs[0]._element.rPr.rFonts
    assert body.get(qn("w:eastAsia")) == "仿宋_GB2312"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    footer = section.footer.paragraphs[0]._element.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer
    import zipfile

    with zipfile.ZipFile(notice_2023[0]) as docx:
        fonts = docx.read("word/fontTable.xml").decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts


@pytest.mark.parametrize(("name", "code"), [("通报.docx", "output-exists"), ("通报.xlsx", "output-suffix"),
                                             ("已有文件夹.docx", "output-is-folder")])
def test_notice_follows_the_output_rules_and_nothing_is_written(seasons, tmp_path, name, code):
    (tmp_path / "通报.docx").write_bytes(b"keep me")
    (tmp_path / "已有文件夹.docx").mkdir()
    summary = tmp_path / "汇总.xlsx"
    result = rank([seasons["returns"], "--rules", DEMO_B, "-o", summary, "--report", tmp_path / name, "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["code"] == code
    assert not summary.exists() and (tmp_path / "通报.docx").read_bytes() == b"keep me"


def test_notice_is_replaced_with_force(seasons, tmp_path):
    out = tmp_path / "通报.docx"
    out.write_bytes(b"old")
    result = rank([seasons["returns"], "--rules", DEMO_B, "-o", tmp_path / "s.xlsx", "--report", out, "--force"])
    assert result.exit_code == 0 and _text(out)[0][0].startswith("关于2023年度")
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_libreoffice_opens_the_notice_and_the_new_sheets(soffice, notice_2023, summary_2023, tmp_path):
    text = soffice([notice_2023[0]], "txt:Text (encoded):UTF8", tmp_path)[0].read_text(encoding="utf-8-sig")
    assert "关于2023年度示范县政务公开工作考核（B类）结果的通报" in text and "县应急管理局" in text
    pdf = soffice([notice_2023[0]], "pdf", tmp_path)[0]
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.\d+ 841\.\d+", pdf.read_bytes())  # A4
    saved = openpyxl.load_workbook(soffice([summary_2023[2]], "xlsx", tmp_path / "lo")[0])
    assert [len(saved[name]._charts) for name in ("共性问题", "分数分布")] == [1, 1]  # LibreOffice kept the charts
    assert saved["共性问题"]["C5"].value == "信息公开专栏"


def test_notice_marks_a_unit_whose_grade_a_veto_set(tmp_path):
    from support.paths import FIXTURES
    from support.seasons import fill_season

    from zwgk_cli.rules.loading import load_rules

    rules_file = FIXTURES / "demo-2024-c.yaml"
    returned = fill_season(load_rules(rules_file), {"县甲局": {}, "县乙局": {"C8": "是"}}, tmp_path)
    out = tmp_path / "通报.docx"
    result = rank([returned, "--rules", rules_file, "-o", tmp_path / "s.xlsx", "--report", out])
    assert result.exit_code == 0, result.output
    paragraphs, rows = _text(out)
    assert any(p.endswith("县乙局（一票否决）。") for p in paragraphs)
    assert rows[2][1] == "县乙局" and rows[2][3].endswith("（一票否决）")
