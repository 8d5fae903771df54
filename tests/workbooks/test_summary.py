"""The county summary workbook (zwgk_cli/workbooks/summary.py)."""

from __future__ import annotations

import openpyxl
from support.paths import RETURNED
from support.schemes import sheet_values, shown_report

from zwgk_cli.workbooks.summary import write_summary


def test_tied_ranks_in_the_summary_are_numbers_that_show_the_tie(cli, tmp_path):
    out = tmp_path / "汇总.xlsx"
    assert cli("rank", RETURNED, "-o", out).exit_code == 0
    ranks = [row[0] for row in openpyxl.load_workbook(out)["排名"].iter_rows(min_row=4)]
    assert all(isinstance(c.value, int) for c in ranks)
    tied = [c.value for c in ranks if c.number_format == '0"（并列）"']
    assert tied == [7, 7]  # the samples' one tie: shown as 7（并列）, sorted and filtered as 7


def test_summary_marks_not_applicable_and_veto_in_its_matrix_and_ranking(demo_c, demo_c_blank, tmp_path):
    wb = openpyxl.load_workbook(write_summary(shown_report(demo_c, demo_c_blank, tmp_path), tmp_path / "汇总.xlsx",
                                              force=False))
    ranking = {row[1]: row for row in sheet_values(wb[wb.sheetnames[0]]) if row[1] in ("甲局", "乙局")}
    assert ranking["甲局"][2] == 59 and "不合格（一票否决）" in ranking["甲局"]
    assert "优秀" in ranking["乙局"]
    matrix = sheet_values(wb[wb.sheetnames[1]])
    ids = matrix[2]
    row = next(r for r in matrix if r[1] == "甲局")
    assert row[ids.index("C3")] == "不适用" and row[ids.index("C8")] == "否决" and row[ids.index("C1")] == -1
