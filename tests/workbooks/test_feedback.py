"""Feedback sheets (zwgk_cli/workbooks/feedback.py): 扣分情况反馈单 and 退回修改反馈单."""

import openpyxl
from support import visible
from support.schemes import sheet_values, shown_report

from zwgk_cli.workbooks.feedback import build_feedback


def _cells(path) -> list:
    return [c.value for row in openpyxl.load_workbook(path).active.iter_rows() for c in row if c.value is not None]


def test_rejected_file_gets_a_return_sheet_with_each_error_its_cell_and_what_to_do(cli, tmp_path, filled):
    returns, out = tmp_path / "收回", tmp_path / "反馈"
    returns.mkdir()
    filled({"5": 1}, folder=returns, name="ok.xlsx")
    filled({"5": "若干", "1": "也许"}, folder=returns, name="县教育局.xlsx", unit="县教育局")
    result = cli("score", returns, "-o", out)
    assert result.exit_code == 1
    (sheet,) = out.glob("*_退回修改反馈单.xlsx")
    assert visible(out) == ["县教育局_退回修改反馈单.xlsx", "县财政局_扣分情况反馈单.xlsx"]
    text = _cells(sheet)
    assert "评分表退回修改反馈单" in text[0] and "被考核单位：" in text[2] and "退回修改" in text[3]
    rows = {c: text[text.index(c):text.index(c) + 4] for c in ("H5", "H11")}
    assert rows["H11"][1] == "若干" and "不是有效的数量" in rows["H11"][2] and "阿拉伯数字" in rows["H11"][3]
    assert rows["H5"][1] == "也许" and "是" in rows["H5"][3]


def test_a_file_that_is_not_a_workbook_gets_a_return_sheet_named_after_the_file(cli, tmp_path):
    returns, out = tmp_path / "收回", tmp_path / "反馈"
    returns.mkdir()
    (returns / "县审计局.xlsx").write_text("单位,扣分\n县审计局,2\n", encoding="utf-8")
    result = cli("score", returns, "-o", out)
    assert result.exit_code == 1
    assert visible(out) == ["县审计局_退回修改反馈单.xlsx"]
    text = _cells(out / "县审计局_退回修改反馈单.xlsx")
    assert any("文本文件" in str(v) for v in text) and any("另存为" in str(v) for v in text)


def test_two_rejected_files_of_one_unit_get_two_return_sheets(tmp_path, rules):
    from types import SimpleNamespace

    from zwgk_cli.model import InputFile
    from zwgk_cli.problems import Problem
    from zwgk_cli.workbooks.feedback import rejected_targets

    files = ["收回/县民政局.xlsx", "收回/旧/县民政局.xlsx", "收回/民政局终稿.xlsx"]
    report = SimpleNamespace(inputs=[InputFile(f, "", "县民政局", "重复") for f in files],
                             errors=[Problem("unit-duplicate", "重复", file=f) for f in files])
    taken = {tmp_path / "县民政局_退回修改反馈单.xlsx".upper()}  # a name in use, in other case
    targets = rejected_targets(report, tmp_path, taken, force=False)
    assert [p.name for p in targets.values()] == [
        "县民政局（县民政局）_退回修改反馈单.xlsx", "县民政局（2）_退回修改反馈单.xlsx",
        "县民政局（民政局终稿）_退回修改反馈单.xlsx"]


def test_feedback_sheet_shows_not_applicable_veto_and_the_grade_it_set(demo_c, demo_c_blank, tmp_path):
    report = shown_report(demo_c, demo_c_blank, tmp_path)
    vetoed = next(u for u in report.units if u.unit == "甲局")
    rows = sheet_values(build_feedback(demo_c, vetoed).active)
    by_id = {row[0]: row for row in rows if row[0] in ("C3", "C8")}
    assert by_id["C3"][4] == "不适用" and by_id["C3"][6] == "不适用"
    assert by_id["C8"][4] == "是" and by_id["C8"][6] == "否决"
    assert rows[2][5] == "总分：59　等次：不合格（一票否决）"
    notes = [row[1] for row in rows if isinstance(row[1], str) and row[1].startswith("注：")]
    assert notes == ["注：信息发布：重大建设项目不适用，按适用赋分 15 分折算为 18.67 分",
                     "注：一票否决：C8 情形成立，总分按最高 59 分计，等次为不合格"]
