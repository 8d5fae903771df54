"""Reading a unit's findings workbook (docs/workbook.md, "Reading: …"), opened by the front door
(:mod:`.inputs`).

The table is found by its header row and the 编号 column, never by fixed addresses, and the tool
scores from its own rule set by 编号: the sheet's formulas and texts are only compared, never
trusted. Every problem names file, sheet, cell and value.

>>> find_header([["被考核单位："], ["编号", "x", "填报"]])
(1, {'编号': 0, '填报': 2})
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import constants as C
from ..cells import cell_at, cell_ref, cell_text, col_letter, id_text, is_blank
from ..exact import decimal_of, show
from ..model import Entry, Findings, RuleBook, RuleSet, WorkbookRead
from ..problems import Level
from .collector import Collector, Rejected, technical_detail
from .containers import DAMAGE
from .entry import Place, read_entry, with_evidence
from .names import tidy_name
from .opened import OpenedFile, rules_of
from .parts import special_cells, uncalculated_cells


@dataclass(slots=True)
class _Seen:
    """Who the file is from, as far as reading got (kept when the file is rejected)."""

    typed_unit: str = ""
    unit_cell: str = C.UNIT_CELL
    meta_unit: str = ""


@dataclass(frozen=True, slots=True)
class _Sheet:
    """What the per-row checks need: where values are read (the rule set, the 填报 cells holding
    formulas or errors), the header's columns, and a (lazy) look-up of the formula columns'
    formulas. The columns each row reads are looked up once, here (a sheet has dozens of rows)."""

    place: Place
    columns: dict[str, int]
    formula_cells: Callable[[], dict[str, str]]
    id_column: int = field(init=False)
    input_column: int = field(init=False)
    input_letter: str = field(init=False)
    note_column: int | None = field(init=False)
    evidence_column: int | None = field(init=False)
    rule_column: int | None = field(init=False)
    points_column: int | None = field(init=False)
    indicator_column: int | None = field(init=False)
    clause_points_column: int | None = field(init=False)
    score_column: int | None = field(init=False)

    def __post_init__(self) -> None:
        set_field = object.__setattr__  # frozen: the derived fields are set once, here
        set_field(self, "id_column", self.columns[C.COL_ID])
        set_field(self, "input_column", self.columns[C.COL_INPUT])
        set_field(self, "input_letter", col_letter(self.input_column))
        set_field(self, "note_column", self.columns.get(C.COL_NOTE))
        set_field(self, "evidence_column", self.columns.get(C.COL_EVIDENCE))
        set_field(self, "rule_column", self.columns.get(C.COL_RULE))
        set_field(self, "points_column", self.columns.get(C.COL_POINTS))
        set_field(self, "indicator_column", self.columns.get(C.COL_INDICATOR))
        set_field(self, "clause_points_column", self.columns.get(C.COL_CLAUSE_POINTS))
        set_field(self, "score_column", self.columns.get(C.COL_SCORE))

    @property
    def rules(self) -> RuleSet:
        return self.place.rules


def read_findings(opened: OpenedFile, book: RuleBook) -> WorkbookRead:
    """The findings of an opened workbook, and every problem found; never raises for a bad file
    (a refusal ends as the read's errors, with whatever was learnt of its unit)."""
    seen = _Seen()
    try:
        findings = _findings(opened, book, seen)
        findings.sha256, findings.file = opened.sha256, opened.label
    except Rejected:
        findings = None
    return WorkbookRead(opened.label, opened.sha256, findings, opened.out.problems, seen.typed_unit,
                        seen.unit_cell, seen.meta_unit, seen.typed_unit or seen.meta_unit)


def _findings(opened: OpenedFile, book: RuleBook, seen: _Seen) -> Findings:
    out = opened.out
    _require_score_sheet(opened.names, out)
    if opened.meta.present:
        seen.meta_unit = tidy_name(opened.meta.text("unit"))  # known even if rejected below
    rules = rules_of(opened, book, findings=True)
    rows = opened.rows(C.SCORE_SHEET)
    header = find_header(rows)
    typed = unit_name(rows[:header[0] if header else C.UNIT_SEARCH_ROWS])  # known even if rejected below
    if typed is not None:
        seen.typed_unit, seen.unit_cell = typed
    if header is None:
        raise out.reject("header-missing", id_column=C.COL_ID, input_column=C.COL_INPUT)
    header_at, columns = header
    container = opened.container
    place = Place(rules, C.SCORE_SHEET, _special_cells(container, col_letter(columns[C.COL_INPUT]), out), out,
                  functools.partial(_uncalculated, container, C.SCORE_SHEET, out))
    sheet = _Sheet(place, columns, _formula_lookup(container, columns, out))
    unit = _checked_unit(seen, out)
    entries = _entries(rows, header_at, sheet, out)
    evidence = col_letter(columns[C.COL_EVIDENCE]) if C.COL_EVIDENCE in columns else ""
    return Findings(unit=unit, entries=entries, rules_id=rules.id, rules_version=rules.version, warnings=[
        p for p in out.problems if p.level != Level.ERROR], evidence_column=evidence)


def _require_score_sheet(names: list[str], out: Collector) -> None:
    """Refuse a workbook without 评分表, suggesting the sheet it was probably renamed to."""
    if C.SCORE_SHEET in names:
        return
    close = difflib.get_close_matches(C.SCORE_SHEET, names, n=1, cutoff=0.3)
    raise out.reject("sheet-missing", "renamed" if close else "", sheet="", sheet_name=C.SCORE_SHEET,
                     close=close[0] if close else "")


def _special_cells(container, columns: str | tuple[str, ...], out: Collector) -> dict[str, str]:
    """Formula and error cells of 评分表; parts the parser accepted may not read back (bad CRC, …)."""
    try:
        return special_cells(container, C.SCORE_SHEET, columns)
    except DAMAGE as exc:
        raise out.reject("file-corrupt", "checksum", sheet="", detail=technical_detail(exc, out.debug)) from None


def _uncalculated(container, sheet: str, out: Collector, cell: str) -> bool:
    """Whether the formula in ``cell`` holds no stored result (its value cannot be known)."""
    try:
        return cell in uncalculated_cells(container, sheet, [cell])
    except DAMAGE as exc:
        raise out.reject("file-corrupt", "checksum", sheet="", detail=technical_detail(exc, out.debug)) from None


def _formula_lookup(container, columns: dict[str, int], out: Collector) -> Callable[[], dict[str, str]]:
    """The formulas of the 赋分/得分 columns, looked up only when one of those cells shows a
    value: a sheet no spreadsheet program has saved holds no results there, and then nothing
    needs explaining."""
    formula_columns = tuple(col_letter(columns[n]) for n in (C.COL_CLAUSE_POINTS, C.COL_SCORE) if n in columns)
    return functools.cache(lambda: _special_cells(container, formula_columns, out))


def find_header(rows: list[list]) -> tuple[int, dict[str, int]] | None:
    """The header row's index and the column of each known header; None when there is none.

    >>> find_header([["被考核单位："], ["编号", "x", "填报"]])
    (1, {'编号': 0, '填报': 2})
    """
    for index, row in enumerate(rows):
        cells = [str(v).strip() if isinstance(v, str) else "" for v in row]
        if C.COL_ID in cells and C.COL_INPUT in cells:
            return index, {name: cells.index(name) for name in C.HEADERS if name in cells}
    return None


def unit_name(top_rows: list[list]) -> tuple[str, str] | None:
    """The name typed after 被考核单位： and its cell (the template's name cell when the label
    is missing, or the cell right of a label standing alone); None without the label.

    >>> unit_name([["", "被考核单位：县财政局"]])
    ('县财政局', 'B1')
    """
    for index, row in enumerate(top_rows):
        for col, value in enumerate(row):
            if isinstance(value, str) and value.strip().startswith(C.UNIT_LABEL[:-1]):
                name, at = value.strip()[len(C.UNIT_LABEL) - 1:].lstrip("：:").strip(), col
                if not name:  # the label alone: the name is the next filled cell of the row
                    at = next((c for c in range(col + 1, len(row)) if not is_blank(row[c])), None)
                    name = "" if at is None else tidy_name(cell_text(row[at]))
                cell = cell_ref(index, at) if at is not None else _empty_name_cell(index, col)
                return tidy_name(name), cell
    return None


def _empty_name_cell(row: int, label_col: int) -> str:
    """Where the name belongs when the label stands alone: the template's cell when the label
    is where the template puts it, else the cell right of the label."""
    label = cell_ref(row, label_col)
    return C.UNIT_CELL if label == C.UNIT_LABEL_CELL else cell_ref(row, label_col + 1)


def _checked_unit(seen: _Seen, out: Collector) -> str:
    """The unit as far as this file alone tells (the roster may decide otherwise later)."""
    if not seen.typed_unit and not seen.meta_unit:
        raise out.reject("unit-missing", cell=seen.unit_cell, label=C.UNIT_LABEL)
    return seen.typed_unit or seen.meta_unit


def _entries(rows: list[list], header_at: int, sheet: _Sheet, out: Collector) -> dict[str, Entry]:
    """Every clause row below the header, by 编号; summary rows only checked for kept formulas."""
    id_col = sheet.id_column
    entries: dict[str, Entry] = {}
    changed: list[str] = []
    for index in range(header_at + 1, len(rows)):
        row = rows[index]
        clause_id = id_text(row[id_col]) if id_col < len(row) else ""
        if not clause_id:
            if cell_at(row, sheet.indicator_column) in C.SUMMARY_LABELS:
                _check_formula_kept(row, index + 1, sheet, C.COL_SCORE, sheet.score_column, out)
            continue
        entry = _entry(row, index + 1, clause_id, sheet, out)
        if entry is None:
            continue
        if clause_id in entries:
            out.add("id-duplicate", cell=cell_ref(index, id_col), value=clause_id, id=clause_id,
                    other=entries[clause_id].cell)
            continue
        entries[clause_id] = entry
        if _text_differs(row, sheet, clause_id):
            changed.append(clause_id)
    _after_rows(entries, changed, sheet.rules, out)
    return entries


def _entry(row: list, row_no: int, clause_id: str, sheet: _Sheet, out: Collector) -> Entry | None:
    """One clause row's 填报 and 说明, checked; None when the 编号 is not the rule set's."""
    rules = sheet.rules
    raw = cell_at(row, sheet.input_column)
    note = cell_at(row, sheet.note_column)
    note = "" if is_blank(note) else cell_text(note)
    cell = f"{sheet.input_letter}{row_no}"
    if not rules.has_clause(clause_id):
        out.add("id-unknown", level=Level.WARNING if is_blank(raw) else Level.ERROR,
                cell=f"{col_letter(sheet.id_column)}{row_no}", value=clause_id, id=clause_id, rules=rules.label())
        return None
    _check_formula_kept(row, row_no, sheet, C.COL_CLAUSE_POINTS, sheet.clause_points_column, out)
    if note and is_blank(raw) and cell not in sheet.place.specials:
        out.add("note-without-input", cell=f"{col_letter(sheet.note_column)}{row_no}", value=note, id=clause_id,
                note=note, note_column=C.COL_NOTE, input_column=C.COL_INPUT, input_cell=cell)
    entry = read_entry(sheet.place, clause_id, raw, cell, note, note_column=C.COL_NOTE)
    return with_evidence(entry, row, row_no, sheet.evidence_column)


def _check_not_applicable(entries: dict[str, Entry], rules: RuleSet, out: Collector) -> None:
    """An indicator marked 不适用 in one clause holds no other value in another."""
    for indicator in {rules.indicator_of(i): None for i, e in entries.items() if e.not_applicable}:
        marked = next(entries[c.id] for c in indicator.clauses if c.id in entries and entries[c.id].not_applicable)
        for clause in indicator.clauses:
            entry = entries.get(clause.id)
            if entry is not None and entry.raw and not entry.not_applicable:
                out.add("value-not-applicable", "mixed", cell=entry.cell, value=entry.raw, name=indicator.name,
                        na_cell=marked.cell, raw=entry.raw)


def _check_formula_kept(row: list, row_no: int, sheet: _Sheet, name: str, col: int | None, out: Collector) -> None:
    """Warn about a value typed over the template's formula (of the column ``name``, at ``col``):
    the tool never reads it."""
    value = cell_at(row, col)
    if col is None or is_blank(value) or f"{col_letter(col)}{row_no}" in sheet.formula_cells():
        return
    out.add("formula-overwritten", cell=f"{col_letter(col)}{row_no}", value=cell_text(value), column=name,
            raw=cell_text(value), input_column=C.COL_INPUT)


def _text_differs(row: list, sheet: _Sheet, clause_id: str) -> bool:
    """Whether the row's 评分标准 or 赋分 differ from the rule set's (the rule set is scored)."""
    text, points_text, points = sheet.place.rules.stated_texts[clause_id]
    if sheet.rule_column is not None:
        rule_text = cell_at(row, sheet.rule_column)
        if rule_text != text and str(rule_text or "").strip() != text:
            return True
    if sheet.points_column is not None:
        cell = cell_at(row, sheet.points_column)
        return cell != points_text and decimal_of(cell) != points
    return False


def _after_rows(entries: dict[str, Entry], changed: list[str], rules: RuleSet, out: Collector) -> None:
    """What only the whole sheet shows: missing rows, changed texts, a sheet left empty."""
    _check_not_applicable(entries, rules, out)
    missing = [c.id for c in rules.clauses if c.id not in entries]
    if missing:
        out.add("clause-missing", ids="、".join(missing))
    if changed:
        out.add("text-changed", ids="、".join(changed))
    # Not "empty" when something was written where the tool does not read it (warned above).
    elsewhere = any(e.note for e in entries.values()) or out.has("formula-overwritten")
    blank = all(e.quantity is None and not e.not_applicable for e in entries.values())
    if entries and blank and not elsewhere and not out.has_errors():
        out.add("sheet-empty", full_marks=show(rules.full_marks))
