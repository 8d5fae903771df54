"""Reading the other sources of findings: inspection matrices (检查表) and review tables (复核调整表).

An inspection team fills one matrix for many units (a row per unit, a column per clause); the
county office corrects findings in a review table (单位名称 | 编号 | 调整为 | 理由). A file's kind
comes from its hidden ``_meta`` (``kind``), or from its header row when ``_meta`` is gone. Values
are read exactly as a findings workbook's 填报 (:func:`zwgk_cli.reading.values.entry_of`), and the
file goes through the same container checks; every problem names file, sheet, cell and value.
Which unit a row names is decided later, against the roster (``scoring.merge``).

>>> source_header([["单位名称", "5 部门信息公开", "说明（J4）"]])[:2]
('matrix', 0)
>>> source_header([["单位名称", "编号", "调整为", "理由"]])[0]
'adjustments'
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import constants as C
from ..cells import cell_at, cell_ref, cell_text, col_letter, id_text, is_blank
from ..model import Entry, RuleBook, RuleSet, SourceRow, WorkbookRead
from ..problems import Level
from .containers import DAMAGE, check_sheet, inspect_container, special_cells, uncalculated_cells
from .names import tidy_name
from .values import EntryError, entry_of, is_not_applicable
from .workbook import (
    FATAL,
    Collector,
    Rejected,
    open_workbook,
    read_workbook,
    sheet_rows_of,
    technical_detail,
    unexpected_problem,
)

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
            known = {columns.unit, *columns.clauses.values(), *columns.notes.values()}
            columns.ignored = {col: cell_text(v).strip() for col, v in enumerate(row)
                               if col not in known and not is_blank(v) and cell_text(v).strip() != _SEQ}
            return C.KIND_MATRIX, index, columns
    return None


def read_source(path: Path, rules: RuleSet | RuleBook, *, label: str | None = None,
                debug: bool = False) -> WorkbookRead | None:
    """Read a matrix or review table; None when the file holds neither sheet (it is then what
    the findings workbook reader said it is). Never raises for a bad file."""
    name = label or path.name
    try:
        data = path.read_bytes()
    except OSError:
        return None
    container = inspect_container(data)
    if not container.ok:
        return None
    book = rules if isinstance(rules, RuleBook) else RuleBook([rules])
    out = Collector(name, debug=debug)
    read = WorkbookRead(name, hashlib.sha256(data).hexdigest(), None)
    try:
        if not _read_source(data, container, book, out, read):
            return None
    except Rejected:
        pass
    except BaseException as exc:  # as the findings reader: one file must not stop the batch
        if isinstance(exc, FATAL) or debug:
            raise
        out.add(*unexpected_problem(exc), sheet="", detail=technical_detail(exc, debug))
    finally:
        if container.archive is not None:
            container.archive.close()
    read.problems = out.problems
    return read


def _read_source(data: bytes, container, book: RuleBook, out: Collector, read: WorkbookRead) -> bool:
    workbook, names = open_workbook(data, out)
    sheet = next((s for s in _SHEETS if s in names), None)
    if sheet is None:  # a matrix copied into a workbook of the team's own: its first sheet, if the header says so
        sheet = names[0] if names else ""
        _check_copied(container, sheet, out)
    rows = sheet_rows_of(workbook, sheet, out)
    found = source_header(rows)
    if sheet not in _SHEETS and found is None:
        return False
    read.kind = _SHEETS.get(sheet) or found[0]
    meta = _meta(workbook, names, out)
    if meta.get("kind") in _SHEETS.values():
        read.kind = meta["kind"]
    elif found is not None:
        read.kind = found[0]
    rules = _rules_of(meta, book, out)
    read.rules_id, read.rules_version = rules.id, rules.version
    read.source = C.REVIEW_SOURCE if read.kind == C.KIND_REVIEW else (
        str(meta.get("source") or "").strip() or Path(out.file).stem)
    if found is None or found[0] != read.kind:
        needs = "编号、调整为、理由" if read.kind == C.KIND_REVIEW else "各条款编号"
        raise out.reject("header-missing", sheet=sheet, id_column=C.COL_UNIT, input_column=needs)
    _, header_at, columns = found
    if read.kind == C.KIND_MATRIX:
        _check_made_clauses(meta, columns, cell_ref(header_at, columns.unit), sheet, out)
    reader = _review_rows if read.kind == C.KIND_REVIEW else _matrix_rows
    read.rows = reader(rows, header_at, columns, _Place(sheet, rules, container, out))
    return True


def _check_made_clauses(meta: dict, columns: Columns, cell: str, sheet: str, out: Collector) -> None:
    """Every clause the matrix was made with (``_meta`` ``clauses``) has its column: a header
    edited or damaged would otherwise lose that clause's findings without a word."""
    made = [c.strip() for c in str(meta.get("clauses") or "").split(",") if c.strip()]
    missing = [c for c in made if c not in columns.clauses]
    if missing:
        raise out.reject("header-missing", "clauses", sheet=sheet, cell=cell, ids="、".join(missing))


def _check_copied(container, sheet: str, out: Collector) -> None:
    """The damage checks for a sheet of another name (.ods and .xls are checked whole already)."""
    if container.kind == "xlsx":
        refusal = check_sheet(container, sheet)
        if refusal is not None:
            out.add_built(refusal.code, refusal.message, sheet="")
            raise Rejected


def _meta(workbook, names: list[str], out: Collector) -> dict:
    """The _meta sheet's key/value pairs ({} when it is gone: the header row decides)."""
    if C.META_SHEET not in names:
        return {}
    return {str(r[0]).strip(): cell_text(r[1]) for r in sheet_rows_of(workbook, C.META_SHEET, out)
            if len(r) >= 2 and r[0]}


def _rules_of(meta: dict, book: RuleBook, out: Collector) -> RuleSet:
    """The rule set the source was made for (the default when _meta does not say)."""
    made_id, made_version = str(meta.get("rules_id", "")).strip(), str(meta.get("rules_version", "")).strip()
    if not made_id:
        return book.default
    rules = book.find(made_id, made_version)
    if rules is None:
        raise out.reject("meta-ruleset", "other", sheet=C.META_SHEET, made_id=made_id,
                         made_version=made_version or "?", known="、".join(r.label() for r in book.sets))
    if str(meta.get("rules_sha256", "")).strip() not in ("", rules.sha256):  # the set was edited since
        out.add("meta-ruleset", "changed", level=Level.WARNING, sheet=C.META_SHEET, rules=rules.label())
    return rules


@dataclass(slots=True)
class _Place:
    """What the row readers share: the sheet, the rule set, the container and the problems."""

    sheet: str
    rules: RuleSet
    container: object
    out: Collector

    def add(self, code: str, variant: str = "", /, **values: object) -> None:
        self.out.add(code, variant, sheet=self.sheet, **values)

    def error(self, exc: EntryError, cell: str, raw: object) -> None:
        self.out.add_built(exc.code, exc.message, sheet=self.sheet, cell=cell, value=cell_text(raw))

    def uncalculated(self, cell: str) -> bool:
        """Whether the formula in ``cell`` holds no stored result (its value cannot be known)."""
        try:
            return cell in uncalculated_cells(self.container, self.sheet, [cell])
        except DAMAGE as exc:
            detail = technical_detail(exc, self.out.debug)
            raise self.out.reject("file-corrupt", "checksum", sheet="", detail=detail) from None

    def specials(self, columns) -> dict[str, str]:
        """Formula and error cells of the input columns (error values read as blanks)."""
        try:
            return special_cells(self.container, self.sheet, tuple(col_letter(c) for c in columns))
        except DAMAGE as exc:
            detail = technical_detail(exc, self.out.debug)
            raise self.out.reject("file-corrupt", "checksum", sheet="", detail=detail) from None


def _matrix_rows(rows: list[list], header_at: int, columns: Columns, place: _Place) -> list[SourceRow]:
    """One SourceRow per unit row; a row without a unit name but with findings is an error."""
    lost = _check_clause_columns(header_at, columns, place) + _say_ignored(rows, header_at, columns, place)
    specials = place.specials(columns.clauses.values())
    found: list[SourceRow] = []
    for index in range(header_at + 1, len(rows)):
        row = rows[index]
        typed = tidy_name(cell_text(cell_at(row, columns.unit) or ""))
        errors = len(place.out.problems)
        entries = {cid: entry for cid, col in columns.clauses.items()
                   if (entry := _matrix_entry(row, index, cid, col, columns, specials, place)) is not None}
        blocked = any(p.level == Level.ERROR for p in place.out.problems[errors:]) or any(
            not is_blank(cell_at(row, col)) for col in lost)  # a finding the tool cannot place
        if not typed:
            if entries or blocked:
                place.add("row-incomplete", "unit", cell=cell_ref(index, columns.unit))
            continue
        found.append(SourceRow(typed, cell_ref(index, columns.unit), entries, blocked=blocked,
                               covers=tuple(columns.clauses)))
    return found


def _say_ignored(rows: list[list], header_at: int, columns: Columns, place: _Place) -> list[int]:
    """A column holding values under a header that is no clause (a header edited or damaged in
    a copy without _meta, or a column of the team's own) is not read. Its values may be findings
    nobody can place, so it is an error and the rows holding one wait; returns those columns."""
    lost = []
    for col, header in columns.ignored.items():
        if any(not is_blank(cell_at(row, col)) for row in rows[header_at + 1:]):
            place.add("source-column-ignored", level=Level.ERROR, cell=cell_ref(header_at, col), value=header,
                      column=col_letter(col), header=header)
            lost.append(col)
    return lost


def _check_clause_columns(header_at: int, columns: Columns, place: _Place) -> list[int]:
    """A column headed with a 编号 the rule set does not have is an error; returns those columns:
    the rows with a value in one wait, their findings would be lost."""
    lost = []
    for cid, col in list(columns.clauses.items()):
        if not place.rules.has_clause(cid):
            place.add("id-unknown", level=Level.ERROR, cell=cell_ref(header_at, col), value=cid,
                      id=cid, rules=place.rules.label())
            del columns.clauses[cid]
            lost.append(col)
    return lost


def _matrix_entry(row: list, index: int, cid: str, col: int, columns: Columns, specials: dict[str, str],
                  place: _Place) -> Entry | None:
    """One clause cell of a unit row, read like 填报; None when nothing was found there."""
    raw, cell = cell_at(row, col), cell_ref(index, col)
    note = cell_at(row, columns.notes.get(cid))
    note = "" if is_blank(note) else cell_text(note)
    special = specials.get(cell)
    if note and is_blank(raw) and not special:  # as in a findings workbook: said, never dropped silently
        place.add("note-without-input", cell=cell_ref(index, columns.notes[cid]), value=note, id=cid, note=note,
                  note_column=C.NOTE_HEADER.format(id=cid), input_column=f"编号 {cid} 的检查结果", input_cell=cell)
    if special and special != "formula":
        place.add("value-error", cell=cell, value=special, raw=special)
        return None
    if special == "formula" and is_blank(raw) and place.uncalculated(cell):
        place.add("formula-uncalculated", cell=cell)
        return None
    if special == "formula":
        place.add("formula-cell", cell=cell, value=cell_text(raw), raw=cell_text(raw))
    clause = place.rules.clause(cid)
    entry = _value(cid, raw, cell, note, place)
    if entry is not None and clause.needs_note and entry.quantity and not note:
        place.add("note-required", cell=cell, value=cell_text(raw), id=cid, sign="加" if clause.bonus else "扣",
                  raw=cell_text(raw), note_column=C.NOTE_HEADER.format(id=cid))
    return entry


def _value(cid: str, raw: object, cell: str, note: str, place: _Place) -> Entry | None:
    """A value read exactly as 填报 is, 不适用 included; None when blank or unreadable (said)."""
    if is_not_applicable(raw):
        indicator = place.rules.indicator_of(cid)
        if not indicator.na:
            place.add("value-not-applicable", cell=cell, value=cell_text(raw), id=cid, name=indicator.name)
            return None
        return Entry(None, cell_text(raw), cell, note, na=True)
    try:
        quantity = entry_of(place.rules.clause(cid), raw)
    except EntryError as exc:
        place.error(exc, cell, raw)
        return None
    return None if quantity is None else Entry(quantity, cell_text(raw), cell, note)


def _review_rows(rows: list[list], header_at: int, columns: Columns, place: _Place) -> list[SourceRow]:
    """One SourceRow per correction: the clause's entry with its 理由 as the note; a row with
    an error names its unit (blocked) and carries no entry."""
    found: list[SourceRow] = []
    named = columns.named
    for index in range(header_at + 1, len(rows)):
        row = rows[index]
        values = [cell_at(row, named.get(n)) for n in (C.COL_UNIT, C.COL_ID, C.COL_ADJUSTED, C.COL_REASON)]
        if all(is_blank(v) for v in values):
            continue
        typed = tidy_name(cell_text(values[0] or ""))
        unit_cell = cell_ref(index, columns.unit)
        if not typed:
            place.add("row-incomplete", "unit", cell=unit_cell)
            continue
        entry = _review_entry(values, index, typed, named, place)
        found.append(SourceRow(typed, unit_cell, {} if entry is None else {entry[0]: entry[1]},
                               blocked=entry is None))
    return found


def _review_entry(values: list, index: int, unit: str, named: dict[str, int],
                  place: _Place) -> tuple[str, Entry] | None:
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
    entry = _value(cid, raw, cell, reason, place)
    if is_blank(raw):
        place.add("row-incomplete", "value", cell=cell, unit=unit, id=cid)
    if not reason:
        place.add("row-incomplete", "reason", cell=cell_ref(index, named[C.COL_REASON]), unit=unit, id=cid)
    return None if entry is None or not reason else (cid, entry)


def read_input(path: Path, rules: RuleSet | RuleBook, *, label: str | None = None,
               debug: bool = False) -> WorkbookRead:
    """Read any input: a findings workbook, or (when it has no 评分表) a matrix or review table."""
    read = read_workbook(path, rules, label=label, debug=debug)
    if read.findings is None and any(p.code == "sheet-missing" for p in read.problems):
        return read_source(path, rules, label=label, debug=debug) or read
    return read
