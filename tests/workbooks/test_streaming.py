"""Streamed sheets (zwgk_cli/workbooks/streaming.py): rows written as sheet XML read back in
openpyxl and python-calamine as the cells openpyxl itself would have written."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from python_calamine import CalamineWorkbook

from zwgk_cli import constants as C
from zwgk_cli.workbooks.streaming import Formatted, StreamedBook
from zwgk_cli.workbooks.style import styles


def _book() -> bytes:
    book = StreamedBook()
    sheet = book.sheet("表", styles())
    sheet.set_widths({1: 10, 2: 12, 3: 8})
    sheet.title("标题", "说明")
    sheet.header(("单位", "备注", "得分"))
    sheet.rows([("=SUM(A1)", " 前后空格 ", Decimal("-0.5")),
                ("A&B<C>", "第一行\n第二行", Formatted(2, '0"（并列）"')),
                ("", None, 3)], numbers=(3,))
    sheet.blank()
    sheet.rows([("很长的单位名称写不下一行需要换行显示", "", 1)], numbers=(3,))
    sheet.rows([("", "长" * 40_000, 1)], numbers=(3,), fit=False)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_values_read_back_as_written_and_text_is_never_a_formula():
    data = _book()
    ws = openpyxl.load_workbook(io.BytesIO(data))["表"]
    assert [c.value for c in ws[4]] == ["=SUM(A1)", " 前后空格 ", -0.5]
    assert ws["A4"].data_type == "s"  # shown as typed, never calculated
    assert [c.value for c in ws[5]] == ["A&B<C>", "第一行\n第二行", 2]
    assert ws["A6"].value in ("", None) and ws["C6"].value == 3
    assert len(ws["B9"].value) == 32_767 and ws["B9"].value.endswith("长…")  # what a cell holds, cut visibly
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("表").to_python()
    assert rows[3] == ["=SUM(A1)", " 前后空格 ", -0.5] and rows[4][0] == "A&B<C>"


def test_cells_carry_the_styles_of_their_kind_and_rows_their_heights():
    ws = openpyxl.load_workbook(io.BytesIO(_book()))["表"]
    header, body, number = ws["A3"], ws["A4"], ws["C4"]
    assert header.font.b and header.fill.fgColor.rgb.endswith("D9E1F2") and header.alignment.horizontal == "center"
    assert not body.font.b and body.font.name == styles()["body"].name and body.border.left.style == "thin"
    assert number.number_format == C.NUMBER_FORMAT and number.alignment.horizontal == "center"
    assert ws["C5"].number_format == '0"（并列）"'
    assert ws["B6"].border.left.style == "thin"  # an empty cell of the table keeps its border
    assert ws.row_dimensions[1].height == 30 and ws.row_dimensions[4].height is None
    assert ws.row_dimensions[5].height == 2 * 13.5 + 4  # two lines typed in one cell
    assert ws.row_dimensions[8].height >= 2 * 13.5 + 4  # a name wider than its column wraps
    assert ws.column_dimensions["B"].width == 12
