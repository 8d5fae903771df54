"""The summary's sheets, written fast: each row becomes sheet XML as it is made (kept encoded in a
temporary file, :class:`SpooledRows`), and the rows are put into the workbook openpyxl saves,
whose write-only sheets carry everything else (column widths, frozen panes, print setup, charts,
the hidden meta sheet).

openpyxl spends about 13 µs on a cell it writes; the summary of a 6,000-unit matrix has 300,000
of them. The XML written here is what openpyxl writes for the same cells (inline strings, the
style index openpyxl gives the same style, numbers as ``%.16g``), so any reader sees one format.

>>> _cell("B4", 3, "县财政局"), _cell("C4", 3, Decimal("-0.5")), _cell("D4", 3, None)
('<c r="B4" s="3" t="inlineStr"><is><t>县财政局</t></is></c>', '<c r="C4" s="3" t="n"><v>-0.5</v></c>', \
'<c r="D4" s="3" t="n"></c>')
>>> _cell("A1", 2, " a<b "), _cell("A2", 2, "")
('<c r="A1" s="2" t="inlineStr"><is><t xml:space="preserve"> a&lt;b </t></is></c>', \
'<c r="A2" s="2" t="inlineStr"></c>')
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .. import constants as C
from ..cells import col_letter, xml_text
from .style import lines_needed, set_widths

LINE_HEIGHT = 13.5
CELL_CHARACTERS = 32_767  # the most a cell holds
_EMPTY_DATA = ("<sheetData></sheetData>", "<sheetData/>")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


@dataclass(frozen=True, slots=True)
class Formatted:
    """A number written with a format of its own (a tied rank)."""

    value: object
    number_format: str


class SummarySheet:
    """Appends styled rows to one write-only sheet of a :class:`StreamedBook`; input strings
    always stay text (never a formula), holding only what a workbook can hold."""

    def __init__(self, book: StreamedBook, title: str, st):
        self.ws, self.st, self.row = book.wb.create_sheet(title), st, 0
        self.widths: dict[int, float] = {}
        self.xml = SpooledRows()
        self._style_ids: dict[tuple, int] = {}  # the workbook's index of each kind of cell
        self._styles_of: dict[tuple, dict[int, int]] = {}  # a kind of row: its columns' style indexes
        book.sheets.append(self)

    def set_widths(self, widths: dict[int, float]) -> None:
        self.widths = widths
        set_widths(self.ws, {col_letter(col - 1): width for col, width in widths.items()})

    def title(self, title: str, subtitle: str) -> None:
        self._append([title], font=self.st["title"], height=30, border=False, wrap=False)
        self._append([subtitle], font=self.st["small"], border=False, wrap=False)

    def heading(self, text: str) -> None:
        """A bold line above a table, without borders (a sheet holding several tables)."""
        self._append([text], font=self.st["bold"], border=False, wrap=False)

    def header(self, values, height: float | None = None) -> None:
        self._append(values, font=self.st["bold"], fill=self.st["header_fill"], centre=True, height=height)

    def rows(self, rows, *, numbers: tuple[int, ...] = (), bold: tuple[int, ...] = (), fit: bool = True) -> None:
        """Rows of the table; ``fit`` False for a long list of one-line values (no height worked out)."""
        for values in rows:
            self._append(values, numbers=numbers, bold=bold, height=self._fit(values) if fit else None)

    def blank(self) -> None:
        self._append([])

    def _fit(self, values) -> float | None:
        widths = self.widths  # a one-line text narrower than its column (most of them) is not measured
        lines = max((lines_needed(v, widths[i]) for i, v in enumerate(values, start=1)
                     if isinstance(v, str) and i in widths and (2 * len(v) > widths[i] - 1.5 or "\n" in v)),
                    default=1)
        return lines * LINE_HEIGHT + 4 if lines > 1 else None

    def _append(self, values, *, font=None, fill=None, centre=False, numbers=(), bold=(),
                height=None, border=True, wrap=True) -> None:
        self.row += 1
        row = str(self.row)
        kind = (id(font), id(fill), centre, numbers, bold, border, wrap)  # a row's cells: one style a column
        by_column = self._styles_of.get(kind)
        if by_column is None:
            by_column = self._styles_of[kind] = {}
        parts = [f'<row r="{row}" customHeight="1" ht="{_number(height)}">' if height else f'<row r="{row}">']
        for col, value in enumerate(values, start=1):
            if isinstance(value, Formatted):
                style = self._style(font, fill, centre, numbers, bold, border, wrap, col, value.number_format)
                value = value.value
            else:
                style = by_column.get(col)
                if style is None:
                    style = by_column[col] = self._style(font, fill, centre, numbers, bold, border, wrap, col,
                                                         C.NUMBER_FORMAT)
            parts.append(_cell(col_letter(col - 1) + row, style, value))
        parts.append("</row>")
        self.xml.append("".join(parts))

    def _style(self, font, fill, centre, numbers, bold, border, wrap, col: int, shown: str) -> int:
        key = (id(font), col in bold, id(fill), border, centre or col in numbers, col in numbers and shown, wrap)
        style = self._style_ids.get(key)
        if style is None:
            style = self._style_ids[key] = self._style_id(key, font, fill)
        return style

    def _style_id(self, key: tuple, font, fill) -> int:
        """The workbook's index of one kind of cell's style, registered once through a cell
        openpyxl styles (``style_id`` is the index openpyxl itself writes for that cell)."""
        from openpyxl.cell import WriteOnlyCell

        _, is_bold, _, border, centred, number, wrap = key
        proto = WriteOnlyCell(self.ws)
        proto.font = self.st["bold"] if is_bold else (font or self.st["body"])
        if fill is not None:
            proto.fill = fill
        if border:
            proto.border = self.st["border"]
        if centred:
            proto.alignment = self.st["center"]
        elif wrap:
            proto.alignment = self.st["wrap"]
        if number:
            proto.number_format = number
        return proto.style_id


class StreamedBook:
    """A write-only openpyxl workbook whose :class:`SummarySheet` rows are written at save."""

    def __init__(self):
        from openpyxl import Workbook

        self.wb = Workbook(write_only=True)
        self.sheets: list[SummarySheet] = []

    def sheet(self, title: str, st) -> SummarySheet:
        return SummarySheet(self, title, st)

    def save(self, target: Path | io.BytesIO) -> None:
        """Save to a path or a binary file: openpyxl writes the workbook with empty sheet data,
        then each part is copied, the sheets' rows put where their data belongs."""
        saved = io.BytesIO()
        self.wb.save(saved)
        rows = {sheet.ws.path.lstrip("/"): sheet.xml for sheet in self.sheets}
        try:
            with zipfile.ZipFile(saved) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
                for info in source.infolist():
                    data = source.read(info)
                    if info.filename not in rows:
                        out.writestr(info, data)
                        continue
                    text = data.decode("utf-8")
                    empty = next(e for e in _EMPTY_DATA if e in text)
                    before, after = text.split(empty, 1)
                    with out.open(_fresh(info), "w") as part:
                        part.write((before + "<sheetData>").encode("utf-8"))
                        for chunk in rows[info.filename].chunks():
                            part.write(chunk)
                        part.write(("</sheetData>" + after).encode("utf-8"))
        finally:
            for sheet in self.sheets:
                sheet.xml.close()


class SpooledRows:
    """A sheet's rows as XML, kept encoded in a temporary file that stays in memory up to a few
    megabytes: the 印证材料 list of 10,000 units is ~150 MB of XML, which a list of strings held
    in memory until the workbook was saved.

    >>> rows = SpooledRows(); rows.append('<row r="1"/>'); b"".join(rows.chunks())
    b'<row r="1"/>'
    """

    BATCH = 2000  # rows joined and encoded at once
    IN_MEMORY = 16 * 1024 * 1024  # bytes kept in memory before the file goes to disk

    def __init__(self):
        self._batch: list[str] = []
        self._file = tempfile.SpooledTemporaryFile(max_size=self.IN_MEMORY)

    def append(self, xml: str) -> None:
        self._batch.append(xml)
        if len(self._batch) >= self.BATCH:
            self._flush()

    def chunks(self):
        """The rows' bytes, from the first, a megabyte at a time."""
        self._flush()
        self._file.seek(0)
        while chunk := self._file.read(1 << 20):
            yield chunk

    def close(self) -> None:
        self._file.close()

    def _flush(self) -> None:
        if self._batch:
            self._file.write("".join(self._batch).encode("utf-8"))
            self._batch.clear()


def _fresh(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    made = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    made.compress_type = zipfile.ZIP_DEFLATED
    return made


def _number(value) -> str:
    return f"{float(value):.16g}"  # as openpyxl writes numbers


def _cell(ref: str, style: int, value: object) -> str:
    """One cell as openpyxl writes it (text always as text, never a formula)."""
    if value is None:
        return f'<c r="{ref}" s="{style}" t="n"></c>'
    if isinstance(value, str):
        text = xml_text(value)
        if len(text) > CELL_CHARACTERS:  # what Excel and WPS hold in a cell: the end cut, and said so
            text = text[:CELL_CHARACTERS - 1] + "…"
        if not text:
            return f'<c r="{ref}" s="{style}" t="inlineStr"></c>'
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{text.translate(_ESCAPES)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}" s="{style}" t="n"><v>{_number(value)}</v></c>'
    raise TypeError(f"no cell for {type(value).__name__}")
