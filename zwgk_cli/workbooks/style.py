"""Look of every workbook the tool writes: fonts, borders, print setup, row heights.

Shared by the template, the feedback sheet and the summary, so they read as one set.
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache

from .output import text_cell

FONT_NAME = "宋体"
TITLE_FONT_NAME = "黑体"


def styles():
    """Named styles as plain objects (built lazily: openpyxl is imported on use)."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    return {
        "title": Font(name=TITLE_FONT_NAME, size=16, bold=True),
        "bold": Font(name=FONT_NAME, size=10, bold=True),
        "body": Font(name=FONT_NAME, size=10),
        "small": Font(name=FONT_NAME, size=9, color="404040"),
        "header_fill": PatternFill("solid", fgColor="D9E1F2"),
        "input_fill": PatternFill("solid", fgColor="FFF2CC"),
        "subtotal_fill": PatternFill("solid", fgColor="EDEDED"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "wrap": Alignment(wrap_text=True, vertical="center"),
        "center": Alignment(wrap_text=True, vertical="center", horizontal="center"),
        "left": Alignment(vertical="center", horizontal="left"),
    }


def text_width(text: object) -> int:
    """Display width in Excel column units: a Chinese character counts two.

    >>> text_width("https://x.cn"), text_width("县财政局 A")
    (12, 10)
    """
    text = str(text or "")
    return len(text) if text.isascii() else sum(map(_char_width, text))


@lru_cache(maxsize=8192)
def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def lines_needed(text: object, width: float) -> int:
    """How many wrapped lines ``text`` takes in a column ``width`` units wide."""
    usable = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in str(text or "").split("\n"))


def fit_row_height(ws, row: int, widths: dict[str, float], line_height: float = 13.5) -> None:
    """Set a row's height so its wrapped text shows whole (Excel does not do it on open)."""
    lines = 1
    for letter, width in widths.items():
        value = ws[f"{letter}{row}"].value
        if isinstance(value, str) and not value.startswith("="):
            lines = max(lines, lines_needed(value, width))
    ws.row_dimensions[row].height = lines * line_height + 4


def set_widths(ws, widths: dict[str, float]) -> None:
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def print_setup(ws, *, title_rows: str | None = None, landscape: bool = True) -> None:
    """A4, fit to one page wide, header rows repeated, centred horizontally."""
    ws.page_setup.paperSize = "9"  # A4 (write-only sheets lack the PAPERSIZE_A4 constant)
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def table_header(ws, row: int, headers, st) -> None:
    """Write a bold, filled, bordered header row."""
    for col, name in enumerate(headers, start=1):
        cell = text_cell(ws.cell(row=row, column=col), name)
        cell.font = st["bold"]
        cell.fill = st["header_fill"]
        cell.border = st["border"]
        cell.alignment = st["center"]


def title_rows(ws, title: str, subtitle: str, last_col: str, st) -> None:
    """A merged title in row 1 and a merged subtitle line in row 2."""
    text_cell(ws["A1"], title)
    ws["A1"].font = st["title"]
    ws["A1"].alignment = st["center"]
    ws.merge_cells(f"A1:{last_col}1")
    ws.row_dimensions[1].height = 30
    text_cell(ws["A2"], subtitle)
    ws["A2"].font = st["small"]
    ws["A2"].alignment = st["left"]
    ws.merge_cells(f"A2:{last_col}2")
