"""OpenDocument spreadsheets (.ods): content.xml looked at once, before any parser expands it.

A parser expands ``table:number-rows-repeated`` and ``number-columns-repeated`` into real rows
and cells, so a damaged count (a million repeats of a filled row, or zero, which makes a value
vanish) must be refused first. The same pass notes formula and error cells (read as plain values
or blanks by python-calamine) and cells whose value attributes contradict their type (a string
cell 是 carrying a stray ``office:boolean-value`` reads as 否).
"""

from __future__ import annotations

from ..cells import cell_ref
from .refusals import MAX_COLUMNS, Container, damaged, number_lost, refuse, row_limit, too_complex

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CALC = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
_SPAN = 1 << 20  # more rows or columns, even empty, than any spreadsheet program has
# Value attributes and the value types they belong to (ODF 1.2, 19.385-19.389).
_TYPED = ((f"{_OFFICE}boolean-value", ("boolean",)), (f"{_OFFICE}value", ("float", "percentage", "currency")),
          (f"{_OFFICE}date-value", ("date",)), (f"{_OFFICE}time-value", ("time",)))


class _Odd(Exception):
    """Damage found while scanning; the refusal is carried along."""

    def __init__(self, refusal: Container):
        super().__init__(refusal.message)
        self.refusal = refusal


def scan_content(container: Container) -> Container | None:
    """Check every table of content.xml; fill ``container.specials``. A refusal, or None."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    try:
        with container.archive.open("content.xml") as stream:
            _scan(iterparse(stream, events=("start", "end")), container.specials)
    except _Odd as odd:
        return odd.refusal
    except DefusedXmlException:
        return refuse("file-xml", member="content.xml")
    except ParseError:
        return damaged("odd-xml")
    return None


class _Table:
    """Where the scan is in one table, and how far its content reaches."""

    def __init__(self, name: str = ""):
        self.max_rows = row_limit(name)
        self.row = self.col = self.repeat = 0
        self.filled_row = False
        self.last_row = self.last_col = 0
        self.specials: dict[str, str] = {}

    def cell(self, element) -> None:
        repeat = _repeat(element, "number-columns-repeated")
        value_type = element.get(f"{_OFFICE}value-type")
        for attribute, types in _TYPED:
            if element.get(attribute) is not None and value_type not in types:
                raise _Odd(damaged("odd-type", cell=self.ref()))
        number = element.get(f"{_OFFICE}value")
        if number is not None and number_lost(number):
            raise _Odd(damaged("odd-number", value=number[:40]))
        if value_type is not None or element.text or len(element):
            self.filled_row = True
            self.last_col = max(self.last_col, self.col + repeat)
        if element.get(f"{_TABLE}formula") is not None:
            error = element.get(f"{_CALC}value-type") == "error"
            self.specials[self.ref()] = "".join(element.itertext()) if error else "formula"
        self.col += repeat
        if self.col > _SPAN:
            raise _Odd(too_complex(self.row + 1, self.col))

    def end_row(self) -> None:
        if self.filled_row:
            self.last_row = self.row + self.repeat
        self.row += self.repeat
        if self.row > _SPAN or self.last_row > self.max_rows or self.last_col > MAX_COLUMNS:
            raise _Odd(too_complex(max(self.row, self.last_row), max(self.col, self.last_col), max_rows=self.max_rows))

    def ref(self) -> str:
        return cell_ref(self.row, self.col)


def _scan(events, specials: dict[str, dict[str, str]]) -> None:
    table: _Table | None = None
    for event, element in events:
        tag = element.tag
        if tag == f"{_TABLE}table":
            if event == "start":
                table = _Table(element.get(f"{_TABLE}name", ""))
            else:
                specials[element.get(f"{_TABLE}name", "")] = table.specials
                table = None
                element.clear()
        elif table is None:
            continue
        elif tag == f"{_TABLE}table-row":
            if event == "start":
                table.col, table.filled_row = 0, False
                table.repeat = _repeat(element, "number-rows-repeated")
            else:
                table.end_row()
                element.clear()
        elif tag in _CELLS and event == "end":
            table.cell(element)


def _repeat(element, attribute: str) -> int:
    """A repeat count: a whole number from 1 (a count of 0 would make the cell vanish)."""
    text = element.get(f"{_TABLE}{attribute}", "1")
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise _Odd(damaged("odd-repeat", text=text[:20]))
    return int(text)
