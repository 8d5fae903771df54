"""Reading returned findings workbooks (docs/workbook.md, "Reading: …") with python-calamine.

The table is found by its header row and the 编号 column, never by fixed addresses, and
the tool scores from its own rule set by 编号: the sheet's formulas and texts are only
compared, never trusted. Every problem names file, sheet, cell and value.

>>> find_workbooks([])
[]
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .. import constants as C
from ..cells import cell_at, cell_ref, cell_text, clean_rows, col_letter, id_text, is_blank
from ..exact import decimal_of, show
from ..model import Entry, Findings, RuleBook, RuleSet, WorkbookRead
from ..problems import CATALOGUE, Level, Problem, ZwgkError
from .containers import DAMAGE, inspect_container, special_cells, uncalculated_cells
from .names import tidy_name
from .values import EntryError, entry_of, is_not_applicable


def is_candidate(path: Path) -> bool:
    """A spreadsheet to read: not an Office lock file (~$) and not hidden."""
    return _is_candidate_name(path.name)


def _is_candidate_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in C.SPREADSHEET_SUFFIXES and not _is_hidden(name)


def _is_hidden(name: str) -> bool:
    return name.startswith(("~$", "."))


@dataclass(slots=True)
class InputScan:
    """What the paths given hold: workbooks to read, and other files found in the folders
    (a scanned .pdf, a .zip) with why each is not read. Lock and hidden files are in neither."""

    workbooks: list[Path]
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def scan_inputs(paths: list[Path]) -> InputScan:
    """Files named, and spreadsheets under folders named (recursively), in a stable order.

    A file named on the command line is always read (the reader says what it is); a file
    inside a folder is read only when its name ends in a spreadsheet suffix.
    """
    paths = expand_patterns(paths)
    check_inputs(paths)
    found: list[str] = []  # resolved paths
    skipped: list[tuple[Path, str]] = []
    for path in paths:
        if not path.is_dir():
            found.append(str(path.resolve()))
            continue
        inside: list[tuple[tuple[str, ...], str]] = []  # (the file's Path.parts, for its order; resolved)
        for folder, folders, names in os.walk(path):
            folders[:] = [f for f in folders if not f.startswith(".")]  # hidden folders skipped
            parts, real = Path(folder).parts, None
            for name in names:
                if _is_candidate_name(name):
                    real = real or os.path.realpath(folder)
                    inside.append(((*parts, name), _resolved_in(real, folder, name)))
                elif not _is_hidden(name):
                    file = Path(folder, name)
                    skipped.append((file, f"不是表格文件（{file.suffix.lower() or '无扩展名'}）"))
        found += [resolved for _, resolved in sorted(inside)]
    unique = dict.fromkeys(found)  # a file named twice is read once
    return InputScan([Path(p) for p in unique], sorted(skipped))


def _resolved_in(real_folder: str, folder: str, name: str) -> str:
    """``Path(folder, name).resolve()`` when ``real_folder`` is the folder resolved: one lstat
    instead of one per component (10,000 files took 0.35 s)."""
    file = os.path.join(folder, name)
    return str(Path(file).resolve()) if os.path.islink(file) else os.path.join(real_folder, name)


def find_workbooks(paths: list[Path]) -> list[Path]:
    """The workbooks to read under ``paths`` (see :func:`scan_inputs`)."""
    return scan_inputs(paths).workbooks


_PATTERN_CHARACTERS = frozenset("*?[")


def expand_patterns(paths: list[Path]) -> list[Path]:
    """Each path that does not exist but holds ``*``, ``?`` or ``[`` replaced by the files it
    matches, sorted: cmd.exe passes ``收回\\*.xlsx`` on as it is (a Linux shell expands it
    itself). A pattern that matches nothing stays, so that it is reported as missing.

    >>> [str(p) for p in expand_patterns([Path("no-such-folder/*.xlsx")])]
    ['no-such-folder/*.xlsx']
    """
    import glob

    expanded: list[Path] = []
    for path in paths:
        text = str(path)
        matches = sorted(glob.glob(text)) if _PATTERN_CHARACTERS & set(text) and not path.exists() else []
        expanded += [Path(m) for m in matches] or [path]
    return expanded


def check_inputs(paths: list[Path], what: str = "", *, files_only: bool = False) -> None:
    """ZwgkError (``input-missing``) naming every path given that does not exist (or, with
    ``files_only``, is a folder); a pattern (``*.xlsx``) counts as the files it matches."""
    paths = expand_patterns(paths)
    folders = [str(p) for p in paths if files_only and p.is_dir()]
    if folders:
        raise ZwgkError.of("input-missing", "folder", what=what, paths="、".join(folders))
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ZwgkError.of("input-missing", what=what, paths="、".join(missing))


def read_workbook(path: Path, rules: RuleSet | RuleBook, *, label: str | None = None,
                  debug: bool = False) -> WorkbookRead:
    """Read one returned workbook; never raises for a bad file.

    With a RuleBook the workbook is read against the set recorded in its _meta sheet
    (the book's default when there is none); with a RuleSet, against that set only. With
    ``debug`` (``--debug``) an unexpected error is raised, for its traceback, and refusals
    carry their technical cause.
    """
    name = label or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return WorkbookRead(name, "", None, [Problem.of("file-unreadable", file=name, why=exc.strerror)])
    digest = hashlib.sha256(data).hexdigest()
    out, seen = Collector(name, debug=debug), _Seen()
    try:
        findings = _read_bytes(data, rules if isinstance(rules, RuleBook) else RuleBook([rules]), out, seen)
    except Rejected:
        findings = None
    except OwnOutput as own:
        return WorkbookRead(name, digest, None, kind=C.KIND_OUTPUT, source=own.kind)
    except BaseException as exc:  # a pyo3 PanicException is not an Exception; one file must not stop the batch
        if isinstance(exc, FATAL) or debug:
            raise
        out.add(*unexpected_problem(exc), sheet="", detail=technical_detail(exc, debug))
        findings = None
    if findings is not None:
        findings.sha256 = digest
        findings.file = name
    return WorkbookRead(name, digest, findings, out.problems, seen.typed_unit, seen.unit_cell, seen.meta_unit,
                        seen.typed_unit or seen.meta_unit)


FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit)  # never swallowed


def technical_detail(exc: BaseException | str, debug: bool) -> str:
    """The technical cause, shown only with --debug (never a class name in a clerk's message)."""
    if not debug:
        return ""
    return f"（调试信息：{exc if isinstance(exc, str) else f'{type(exc).__name__}: {exc}'}）"


def unexpected_problem(exc: BaseException) -> tuple[str, str]:
    """Code and template variant for an error the reader did not foresee."""
    if isinstance(exc, MemoryError):
        return "file-too-complex", "memory"
    if not isinstance(exc, Exception):  # a native parser's panic: the bytes are damaged
        return "file-corrupt", "panic"
    return "file-unreadable", "unexpected"


_DEATHS = {"time": ("file-too-complex", "time"), "memory": ("file-too-complex", "memory")}


def worker_death_problem(death, label: str, *, debug: bool = False) -> Problem:
    """The refusal of a file whose reading process died or overran its limits
    (see :mod:`zwgk_cli.reading.isolation`); ``debug`` appends the technical cause."""
    code, variant = _DEATHS.get(death.reason, ("file-corrupt", "worker"))
    return Problem.of(code, variant, file=label, detail=technical_detail(death.detail, debug))


class Rejected(Exception):
    """The file cannot be read further; the reason is already in problems."""


class OwnOutput(Exception):
    """The file is one this tool wrote (a summary, a feedback sheet): no input at all."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def own_output(workbook, names: list[str], out: Collector) -> str:
    """The kind (:data:`constants.OUTPUT_KINDS`) of a file this tool wrote, from its hidden _meta,
    or from its sheets when _meta is gone (a file saved again by WPS keeps its sheets); "" for an
    input. A workbook holding 评分表 is a findings workbook whatever else it holds."""
    if C.SCORE_SHEET in names:
        return ""
    if C.META_SHEET in names:
        kind = cell_text(next((r[1] for r in sheet_rows_of(workbook, C.META_SHEET, out)
                               if len(r) >= 2 and cell_text(r[0]) == "kind"), ""))
        if kind in C.OUTPUT_KINDS:
            return kind
    if C.FEEDBACK_SHEET in names:
        return "feedback"
    if C.REJECTED_SHEET in names:
        return "rejected-feedback"
    if all(any(n.startswith(s) for n in names) for s in C.SUMMARY_SHEETS):
        return "summary"
    return ""


@dataclass(slots=True)
class Collector:
    """The problems found in one file, each placed on 评分表 unless told otherwise."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    debug: bool = False  # --debug: refusals carry their technical cause

    def add(self, code: str, variant: str = "", /, *, level: Level | None = None, sheet: str = C.SCORE_SHEET,
            cell: str = "", value: str = "", **values: object) -> None:
        """Add the catalogued problem ``code`` (its ``variant`` filled with ``values``)."""
        self.problems.append(Problem.of(code, variant, level=level, file=self.file, sheet=sheet, cell=cell,
                                        value=value, **values))

    def add_built(self, code: str, text: str, *, sheet: str = C.SCORE_SHEET, cell: str = "", value: str = "") -> None:
        """Add a problem whose message a lower step already built from the catalogue."""
        self.problems.append(Problem(code, text, CATALOGUE[code].level, self.file, sheet, cell, value))

    def reject(self, code: str, variant: str = "", /, **where: object) -> Rejected:
        """Add the problem and return the exception that stops reading this file."""
        self.add(code, variant, level=Level.ERROR, **where)
        return Rejected()

    def has(self, code: str) -> bool:
        return any(p.code == code for p in self.problems)

    def has_errors(self) -> bool:
        return any(p.level == Level.ERROR for p in self.problems)


@dataclass(slots=True)
class _Seen:
    """Who the file is from, as far as reading got (kept when the file is rejected)."""

    typed_unit: str = ""
    unit_cell: str = C.UNIT_CELL
    meta_unit: str = ""


@dataclass(frozen=True, slots=True)
class _Sheet:
    """What the per-row checks need: the rule set chosen, the header's columns, the 填报
    cells holding formulas or errors, and a (lazy) look-up of the formula columns' formulas."""

    rules: RuleSet
    columns: dict[str, int]
    specials: dict[str, str]
    formula_cells: Callable[[], dict[str, str]]
    container: object


def _read_bytes(data: bytes, book: RuleBook, out: Collector, seen: _Seen) -> Findings:
    """Container dispatch: refuse what is not a sound spreadsheet before any parser sees it."""
    container = inspect_container(data)
    if not container.ok:
        out.add_built(container.code, container.message, sheet="")
        raise Rejected
    try:
        return _read_sheet(data, container, book, out, seen)
    finally:
        if container.archive is not None:
            container.archive.close()


def _read_sheet(data: bytes, container, book: RuleBook, out: Collector, seen: _Seen) -> Findings:
    workbook, names = open_workbook(data, out)
    own = own_output(workbook, names, out)
    if own:
        raise OwnOutput(own)
    _require_score_sheet(names, out)
    rules = book.default
    meta = _meta_values(workbook, names, book, out)
    if meta is not None:
        seen.meta_unit = tidy_name(cell_text(meta.get("unit") or ""))  # known even if rejected below
        rules = _rule_set_of(meta, book, out)
    rows = sheet_rows_of(workbook, C.SCORE_SHEET, out)
    header = find_header(rows)
    typed = unit_name(rows[:header[0] if header else C.UNIT_SEARCH_ROWS])  # known even if rejected below
    if typed is not None:
        seen.typed_unit, seen.unit_cell = typed
    if header is None:
        raise out.reject("header-missing", id_column=C.COL_ID, input_column=C.COL_INPUT)
    header_at, columns = header
    sheet = _Sheet(rules, columns, _special_cells(container, col_letter(columns[C.COL_INPUT]), out),
                   _formula_lookup(container, columns, out), container)
    unit = _checked_unit(seen, out)
    entries = _entries(rows, header_at, sheet, out)
    return Findings(unit=unit, entries=entries, rules_id=rules.id, rules_version=rules.version, warnings=[
        p for p in out.problems if p.level != Level.ERROR])


def open_workbook(data: bytes, out: Collector):
    """The calamine workbook and its sheet names; a refusal when no parser can open it."""
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return workbook, workbook.sheet_names
    except PasswordError:
        raise out.reject("file-encrypted", sheet="") from None
    except BaseException as exc:  # calamine raises several unrelated types for bad files, panics too
        if isinstance(exc, FATAL):
            raise
        raise out.reject("file-format", sheet="", detail=technical_detail(exc, out.debug)) from None


def _require_score_sheet(names: list[str], out: Collector) -> None:
    """Refuse a workbook without 评分表, suggesting the sheet it was probably renamed to."""
    if C.SCORE_SHEET in names:
        return
    close = difflib.get_close_matches(C.SCORE_SHEET, names, n=1, cutoff=0.3)
    raise out.reject("sheet-missing", "renamed" if close else "", sheet="", sheet_name=C.SCORE_SHEET,
                     close=close[0] if close else "")


def _meta_values(workbook, names: list[str], book: RuleBook, out: Collector) -> dict | None:
    """The _meta sheet's key/value pairs; None (with a warning) when the sheet is missing."""
    if C.META_SHEET not in names:
        out.add("meta-ruleset", "no-meta", level=Level.WARNING, sheet="", meta_sheet=C.META_SHEET,
                rules=book.default.label())
        return None
    return {str(r[0]).strip(): r[1] for r in sheet_rows_of(workbook, C.META_SHEET, out) if len(r) >= 2 and r[0]}


def _rule_set_of(meta: dict, book: RuleBook, out: Collector) -> RuleSet:
    """The rule set the workbook was made from; a refusal when it is none of the book's."""
    made_id = str(meta.get("rules_id", "")).strip()
    made_version = cell_text(meta.get("rules_version", ""))
    rules = book.find(made_id, made_version)
    if rules is None:
        raise out.reject("meta-ruleset", "other", sheet=C.META_SHEET, made_id=made_id or "（未知）",
                         made_version=made_version or "?", known="、".join(r.label() for r in book.sets))
    if str(meta.get("rules_sha256", "")).strip() not in ("", rules.sha256):
        out.add("meta-ruleset", "changed", level=Level.WARNING, sheet=C.META_SHEET, rules=rules.label())
    return rules


def sheet_rows_of(workbook, sheet: str, out: Collector) -> list[list]:
    """A sheet's cells from A1; calamine reads sheets lazily, so damage can surface here."""
    try:
        rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except BaseException as exc:
        if isinstance(exc, FATAL):
            raise
        detail = technical_detail(exc, out.debug)
        raise out.reject("file-corrupt", "sheet", sheet=sheet, name=sheet, detail=detail) from None
    for row, column, chars in clean_rows(rows):
        out.add("text-cleaned", sheet=sheet, cell=cell_ref(row, column), value=rows[row][column], chars=chars)
    return rows


def _special_cells(container, columns: str | tuple[str, ...], out: Collector) -> dict[str, str]:
    """Formula and error cells of 评分表; parts the parser accepted may not read back (bad CRC, …)."""
    try:
        return special_cells(container, C.SCORE_SHEET, columns)
    except DAMAGE as exc:
        raise out.reject("file-corrupt", "checksum", sheet="", detail=technical_detail(exc, out.debug)) from None


def _uncalculated(container, sheet: str, cell: str, out: Collector) -> bool:
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
    id_col = sheet.columns[C.COL_ID]
    entries: dict[str, Entry] = {}
    changed: list[str] = []
    for index in range(header_at + 1, len(rows)):
        row = rows[index]
        clause_id = id_text(row[id_col] if id_col < len(row) else None)
        if not clause_id:
            if cell_at(row, sheet.columns.get(C.COL_INDICATOR)) in C.SUMMARY_LABELS:
                _check_formula_kept(row, index + 1, sheet, C.COL_SCORE, out)
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
    columns, rules = sheet.columns, sheet.rules
    raw = cell_at(row, columns.get(C.COL_INPUT))
    note = cell_at(row, columns.get(C.COL_NOTE))
    note = "" if is_blank(note) else cell_text(note)
    cell = f"{col_letter(columns[C.COL_INPUT])}{row_no}"
    if not rules.has_clause(clause_id):
        out.add("id-unknown", level=Level.WARNING if is_blank(raw) else Level.ERROR,
                cell=f"{col_letter(columns[C.COL_ID])}{row_no}", value=clause_id, id=clause_id, rules=rules.label())
        return None
    _check_formula_kept(row, row_no, sheet, C.COL_CLAUSE_POINTS, out)
    if note and is_blank(raw) and cell not in sheet.specials:
        out.add("note-without-input", cell=f"{col_letter(columns[C.COL_NOTE])}{row_no}", value=note, id=clause_id,
                note=note, note_column=C.COL_NOTE, input_column=C.COL_INPUT, input_cell=cell)
    special = sheet.specials.get(cell)
    if special and special != "formula":
        out.add("value-error", cell=cell, value=special, raw=special)
        return Entry(None, special, cell, note)
    if special == "formula" and is_blank(raw) and _uncalculated(sheet.container, C.SCORE_SHEET, cell, out):
        out.add("formula-uncalculated", cell=cell)
        return Entry(None, "", cell, note)
    if special == "formula":
        out.add("formula-cell", cell=cell, value=cell_text(raw), raw=cell_text(raw))
    if is_not_applicable(raw):
        return _not_applicable(rules, clause_id, cell_text(raw), cell, note, out)
    quantity = _quantity(rules.clause(clause_id), raw, note, cell, out)
    return Entry(quantity, "" if is_blank(raw) else cell_text(raw), cell, note)


def _quantity(clause, raw: object, note: str, cell: str, out: Collector) -> Decimal | None:
    """The 填报 value as its clause reads it (None when invalid), and the note a 酌情 needs."""
    try:
        quantity = entry_of(clause, raw)
    except EntryError as exc:
        out.add_built(exc.code, exc.message, cell=cell, value=cell_text(raw))
        quantity = None
    if clause.needs_note and quantity and not note:
        out.add("note-required", cell=cell, value=cell_text(raw), id=clause.id, sign="加" if clause.bonus else "扣",
                raw=cell_text(raw), note_column=C.COL_NOTE)
    return quantity


def _not_applicable(rules: RuleSet, clause_id: str, raw: str, cell: str, note: str, out: Collector) -> Entry:
    """不适用 typed: allowed only in an indicator that may not apply (docs/workbook.md)."""
    indicator = rules.indicator_of(clause_id)
    if not indicator.na:
        out.add("value-not-applicable", cell=cell, value=raw, id=clause_id, name=indicator.name)
    return Entry(None, raw, cell, note, na=True)


def _check_not_applicable(entries: dict[str, Entry], rules: RuleSet, out: Collector) -> None:
    """An indicator marked 不适用 in one clause holds no other value in another."""
    for indicator in {rules.indicator_of(i): None for i, e in entries.items() if e.na}:
        marked = next(entries[c.id] for c in indicator.clauses if c.id in entries and entries[c.id].na)
        for clause in indicator.clauses:
            entry = entries.get(clause.id)
            if entry is not None and entry.raw and not entry.na:
                out.add("value-not-applicable", "mixed", cell=entry.cell, value=entry.raw, name=indicator.name,
                        na_cell=marked.cell, raw=entry.raw)


def _check_formula_kept(row: list, row_no: int, sheet: _Sheet, name: str, out: Collector) -> None:
    """Warn about a value typed over the template's formula: the tool never reads it."""
    col = sheet.columns.get(name)
    value = cell_at(row, col)
    if col is None or is_blank(value) or f"{col_letter(col)}{row_no}" in sheet.formula_cells():
        return
    out.add("formula-overwritten", cell=f"{col_letter(col)}{row_no}", value=cell_text(value), column=name,
            raw=cell_text(value), input_column=C.COL_INPUT)


def _text_differs(row: list, sheet: _Sheet, clause_id: str) -> bool:
    """Whether the row's 评分标准 or 赋分 differ from the rule set's (the rule set is scored)."""
    text, points_text, points = _expected_texts(sheet.rules)[clause_id]
    if C.COL_RULE in sheet.columns:
        rule_text = cell_at(row, sheet.columns[C.COL_RULE])
        if rule_text != text and str(rule_text or "").strip() != text:
            return True
    if C.COL_POINTS in sheet.columns:
        cell = cell_at(row, sheet.columns[C.COL_POINTS])
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
    blank = all(e.quantity is None and not e.na for e in entries.values())
    if entries and blank and not elsewhere and not out.has_errors():
        out.add("sheet-empty", full_marks=show(rules.full_marks))


_EXPECTED: dict[str, dict[str, tuple[str, str, Decimal | None]]] = {}


def _expected_texts(rules: RuleSet) -> dict[str, tuple[str, str, Decimal | None]]:
    """Per clause: rule text, 赋分 as the template writes it, 赋分 as a number."""
    if rules.sha256 not in _EXPECTED:
        stated = {c.id: rules.indicator_of(c.id).stated_points(c.id) for c in rules.clauses}
        _EXPECTED[rules.sha256] = {c.id: (c.text, show(stated[c.id]), stated[c.id]) for c in rules.clauses}
    return _EXPECTED[rules.sha256]
