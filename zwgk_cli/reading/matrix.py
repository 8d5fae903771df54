"""Reading the other sources of findings: inspection matrices (检查表) and review tables (复核调整表).

An inspection team fills one matrix for many units (a row per unit, a column per clause); the
county office corrects findings in a review table (单位名称 | 编号 | 调整为 | 理由). A file's kind
is decided by the front door (:mod:`.inputs`); values are read exactly as a findings workbook's
填报 (:func:`zwgk_cli.reading.entry.read_entry`); every problem names file, sheet, cell and value.
Which unit a row names is decided later, against the roster (``scoring.merge``).

>>> source_header([["单位名称", "5 部门信息公开", "说明（J4）"]])[:2]
('matrix', 0)
>>> source_header([["单位名称", "编号", "调整为", "理由"]])[0]
'adjustments'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import constants as C
from ..cells import cell_at, cell_ref, cell_text, col_letter, id_text, is_blank
from ..model import RuleBook, SourceRow, WorkbookRead
from ..problems import Level
from .collector import Collector, Rejected, technical_detail
from .containers import DAMAGE
from .entry import Place, filled, read_entry, with_evidence
from .names import tidy_name
from .opened import OpenedFile, rules_of
from .parts import special_cells, uncalculated_cells

# A clause's column: its 编号, then a space or a line break, then its name ("5 部门信息公开").
_CLAUSE_HEAD = re.compile(r"^\s*([0-9A-Za-z.\-]+)[ \u3000\t\r\n]")
_NOTE_HEAD = re.compile(r"^\s*说明[（(]\s*([0-9A-Za-z.\-]+)\s*[）)]\s*$")
_SEQ = "序号"  # the matrix's first column, not read
_HEADER_ROWS = 12  # rows searched for the header (a title and the rule texts may stand above it)
_SHEETS = {C.MATRIX_SHEET: C.KIND_MATRIX, C.REVIEW_SHEET: C.KIND_REVIEW}


@dataclass(slots=True)
class Columns:
    """Where a source's header puts things: the unit column, and per clause its input (and
    note) column for a matrix, or the review table's named columns."""

    unit: int
    clauses: dict[str, int] = field(default_factory=dict)
    notes: dict[str, int] = field(default_factory=dict)
    named: dict[str, int] = field(default_factory=dict)
    ignored: dict[int, str] = field(default_factory=dict)  # a matrix's other headed columns: col -> header


def source_header(rows: list[list]) -> tuple[str, int, Columns] | None:
    """The kind the header row shows, its index and its columns; None when no row has one."""
    for index, row in enumerate(rows[:_HEADER_ROWS]):
        cells = [str(v).strip() if isinstance(v, str) else "" for v in row]
        if C.COL_UNIT not in cells:
            continue
        columns = Columns(cells.index(C.COL_UNIT))
        if all(name in cells for name in (C.COL_ID, C.COL_ADJUSTED, C.COL_REASON)):
            columns.named = {name: cells.index(name) for name in C.REVIEW_HEADERS if name in cells}
            return C.KIND_REVIEW, index, columns
        for col, text in enumerate(cells):
            clause, note = _CLAUSE_HEAD.match(text), _NOTE_HEAD.match(text)
            if note:
                columns.notes[note.group(1)] = col
            elif clause and col != columns.unit:
                columns.clauses.setdefault(clause.group(1), col)
        if columns.clauses:
            if C.COL_EVIDENCE in cells:
                columns.named[C.COL_EVIDENCE] = cells.index(C.COL_EVIDENCE)
            known = {columns.unit, *columns.clauses.values(), *columns.notes.values(), *columns.named.values()}
            columns.ignored = {col: cell_text(v).strip() for col, v in enumerate(row)
                               if col not in known and not is_blank(v) and cell_text(v).strip() != _SEQ}
            return C.KIND_MATRIX, index, columns
    return None


def read_source(opened: OpenedFile, book: RuleBook, kind: str, sheet: str) -> WorkbookRead:
    """The rows of an opened matrix (``kind`` matrix) or review table (adjustments) on ``sheet``,
    and every problem found; never raises for a bad file."""
    out = opened.out
    read = WorkbookRead(opened.label, opened.sha256, None, kind=kind)
    try:
        rules = rules_of(opened, book, findings=False)
        read.rules_id, read.rules_version = rules.id, rules.version
        read.source = C.REVIEW_SOURCE if kind == C.KIND_REVIEW else (
            opened.meta.text("source") or Path(opened.label).stem)
        rows = opened.rows(sheet)
        found = source_header(rows)
        if found is None or found[0] != kind:
            needs = "编号、调整为、理由" if kind == C.KIND_REVIEW else "各条款编号"
            raise out.reject("header-missing", sheet=sheet, id_column=C.COL_UNIT, input_column=needs)
        _, header_at, columns = found
        if kind == C.KIND_MATRIX:
            _check_made_clauses(opened.meta.text("clauses"), columns, cell_ref(header_at, columns.unit), sheet, out)
        reader = _review_rows if kind == C.KIND_REVIEW else _matrix_rows
        read.rows = reader(rows, header_at, columns, _Sheet(sheet, rules, opened.container, out))
    except Rejected:
        pass
    read.problems = out.problems
    return read


def _check_made_clauses(made_with: str, columns: Columns, cell: str, sheet: str, out: Collector) -> None:
    """Every clause the matrix was made with (``_meta`` ``clauses``) has its column: a header
    edited or damaged would otherwise lose that clause's findings without a word."""
    made = [c.strip() for c in made_with.split(",") if c.strip()]
    missing = [c for c in made if c not in columns.clauses]
    if missing:
        raise out.reject("header-missing", "clauses", sheet=sheet, cell=cell, ids="、".join(missing))


@dataclass(slots=True)
class _Sheet:
    """What the row readers share: the sheet, the rule set, the container and the problems."""

    sheet: str
    rules: object
    container: object
    out: Collector

    def add(self, code: str, variant: str = "", /, **values: object) -> None:
        self.out.add(code, variant, sheet=self.sheet, **values)

    def place(self, columns=()) -> Place:
        """Where values are read: the formula and error cells of the input ``columns`` (error values
        read as blanks), and the formulas among them without a stored result."""
        try:
            specials = special_cells(self.container, self.sheet, tuple(col_letter(c) for c in columns))
        except DAMAGE as exc:
            detail = technical_detail(exc, self.out.debug)
            raise self.out.reject("file-corrupt", "checksum", sheet="", detail=detail) from None
        return Place(self.rules, self.sheet, specials, self.out, functools.partial(self._uncalculated))

    def _uncalculated(self, cell: str) -> bool:
        try:
            return cell in uncalculated_cells(self.container, self.sheet, [cell])
        except DAMAGE as exc:
            detail = technical_detail(exc, self.out.debug)
            raise self.out.reject("file-corrupt", "checksum", sheet="", detail=detail) from None


def _matrix_rows(rows: list[list], header_at: int, columns: Columns, sheet: _Sheet) -> list[SourceRow]:
    """One SourceRow per unit row; a row without a unit name but with findings is an error."""
    lost = _check_clause_columns(header_at, columns, sheet) + _say_ignored(rows, header_at, columns, sheet)
    place = sheet.place(columns.clauses.values())
    found: list[SourceRow] = []
    for index in range(header_at + 1, len(rows)):
        row = rows[index]
        typed = tidy_name(cell_text(cell_at(row, columns.unit) or ""))
        errors = len(sheet.out.problems)
        evidence = columns.named.get(C.COL_EVIDENCE)
        entries = {cid: with_evidence(entry, row, index + 1, evidence) for cid, col in columns.clauses.items()
                   if filled(entry := _matrix_entry(row, index, cid, col, columns, place))}
        held = any(p.level == Level.ERROR for p in sheet.out.problems[errors:]) or any(
            not is_blank(cell_at(row, col)) for col in lost)  # a finding the tool cannot place
        if not typed:
            if entries or held:
                sheet.add("row-incomplete", "unit", cell=cell_ref(index, columns.unit))
            continue
        found.append(SourceRow(typed, cell_ref(index, columns.unit), entries, held=held,
                               covers=tuple(columns.clauses)))
    return found


def _say_ignored(rows: list[list], header_at: int, columns: Columns, sheet: _Sheet) -> list[int]:
    """A column holding values under a header that is no clause (a header edited or damaged in
    a copy without _meta, or a column of the team's own) is not read. Its values may be findings
    nobody can place, so it is an error and the rows holding one wait; returns those columns."""
    lost = []
    for col, header in columns.ignored.items():
        if any(not is_blank(cell_at(row, col)) for row in rows[header_at + 1:]):
            sheet.add("source-column-ignored", level=Level.ERROR, cell=cell_ref(header_at, col), value=header,
                      column=col_letter(col), header=header)
            lost.append(col)
    return lost


def _check_clause_columns(header_at: int, columns: Columns, sheet: _Sheet) -> list[int]:
    """A column headed with a 编号 the rule set does not have is an error; returns those columns:
    the rows with a value in one wait, their findings would be lost."""
    lost = []
    for cid, col in list(columns.clauses.items()):
        if not sheet.rules.has_clause(cid):
            sheet.add("id-unknown", level=Level.ERROR, cell=cell_ref(header_at, col), value=cid,
                      id=cid, rules=sheet.rules.label())
            del columns.clauses[cid]
            lost.append(col)
    return lost


def _matrix_entry(row: list, index: int, cid: str, col: int, columns: Columns, place: Place):
    """One clause cell of a unit row, read like 填报 (its 说明 column, if any, as the note)."""
    raw, cell = cell_at(row, col), cell_ref(index, col)
    note = cell_at(row, columns.notes.get(cid))
    note = "" if is_blank(note) else cell_text(note)
    if note and is_blank(raw) and cell not in place.specials:  # as in a findings workbook: said, never dropped
        place.add("note-without-input", cell=cell_ref(index, columns.notes[cid]), value=note, id=cid, note=note,
                  note_column=C.NOTE_HEADER.format(id=cid), input_column=f"编号 {cid} 的检查结果", input_cell=cell)
    return read_entry(place, cid, raw, cell, note, note_column=C.NOTE_HEADER.format(id=cid))


def _review_rows(rows: list[list], header_at: int, columns: Columns, sheet: _Sheet) -> list[SourceRow]:
    """One SourceRow per correction: the clause's entry with its 理由 as the note; a row with
    an error names its unit (held) and carries no entry."""
    found: list[SourceRow] = []
    named = columns.named
    place = sheet.place([named[C.COL_ADJUSTED]])  # 调整为 read like 填报: a formula said, an error refused
    for index in range(header_at + 1, len(rows)):
        row = rows[index]
        values = [cell_at(row, named.get(n)) for n in (C.COL_UNIT, C.COL_ID, C.COL_ADJUSTED, C.COL_REASON)]
        if all(is_blank(v) for v in values):
            continue
        typed = tidy_name(cell_text(values[0] or ""))
        unit_cell = cell_ref(index, columns.unit)
        if not typed:
            sheet.add("row-incomplete", "unit", cell=unit_cell)
            continue
        entry = _review_entry(row, values, index, typed, named, place)
        found.append(SourceRow(typed, unit_cell, {} if entry is None else {entry[0]: entry[1]},
                               held=entry is None))
    return found


def _review_entry(row: list, values: list, index: int, unit: str, named: dict[str, int], place: Place):
    """The corrected entry of one review row; None (with the error said) when it cannot apply."""
    _, raw_id, raw, reason = values
    cid = id_text(raw_id)
    reason = "" if is_blank(reason) else cell_text(reason)
    id_cell, cell = cell_ref(index, named[C.COL_ID]), cell_ref(index, named[C.COL_ADJUSTED])
    if not cid:
        place.add("row-incomplete", "id", cell=id_cell, unit=unit)
        return None
    if not place.rules.has_clause(cid):
        place.add("id-unknown", level=Level.ERROR, cell=id_cell, value=cid, id=cid, rules=place.rules.label())
        return None
    errors = len(place.out.problems)
    entry = with_evidence(read_entry(place, cid, raw, cell, reason, note_column=C.COL_REASON), row, index + 1,
                          named.get(C.COL_EVIDENCE))
    readable = filled(entry) and not any(p.level == Level.ERROR for p in place.out.problems[errors:])
    if is_blank(raw):
        place.add("row-incomplete", "value", cell=cell, unit=unit, id=cid)
    if not reason:
        place.add("row-incomplete", "reason", cell=cell_ref(index, named[C.COL_REASON]), unit=unit, id=cid)
    return None if not readable or not reason else (cid, entry)
