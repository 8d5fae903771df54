"""Reading returned findings workbooks (SPEC §4) with python-calamine.

The table is found by its header row and the 编号 column, never by fixed addresses, and
the tool scores from its own rule set by 编号: the sheet's formulas and texts are only
compared, never trusted. Every problem names file, sheet, cell and value.

>>> col_letter(7), col_letter(27)
('H', 'AB')
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import io
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .. import constants as C
from ..exact import decimal_of, show
from ..problems import Level, Problem, ZwgkError
from ..rules.loading import RuleBook, RuleSet
from ..scoring.compute import Entry, Findings
from .containers import DAMAGE, col_letter, inspect_container, special_cells
from .names import tidy_name
from .values import EntryError, display, entry_of, is_blank


@dataclass(slots=True)
class WorkbookRead:
    """What one file gave: findings when usable, and every problem found."""

    file: str
    sha256: str
    findings: Findings | None
    problems: list[Problem] = field(default_factory=list)
    # Who the file is from, as far as the reader got (kept for rejected files too, so that
    # a unit's second version is a duplicate whatever state either is in): the name typed
    # on the sheet, its cell, the unit recorded in _meta, and the unit decided from them.
    typed_unit: str = ""
    unit_cell: str = ""
    meta_unit: str = ""
    unit: str = ""
    saved_at: str = ""  # the workbook's own last-saved time, read only when --newest must choose

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == Level.ERROR]

    @property
    def ok(self) -> bool:
        return self.findings is not None and not self.errors


def is_candidate(path: Path) -> bool:
    """A spreadsheet to read: not an Office lock file (~$) and not hidden."""
    return path.suffix.lower() in C.SPREADSHEET_SUFFIXES and not _is_hidden(path)


def _is_hidden(path: Path) -> bool:
    return path.name.startswith(("~$", "."))


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
    check_inputs(paths)
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        inside: list[Path] = []
        for folder, folders, names in os.walk(path):
            folders[:] = [f for f in folders if not f.startswith(".")]  # hidden folders skipped
            for name in names:
                file = Path(folder, name)
                if is_candidate(file):
                    inside.append(file)
                elif not _is_hidden(file):
                    skipped.append((file, f"不是表格文件（{file.suffix.lower() or '无扩展名'}）"))
        found += sorted(inside)
    unique = dict.fromkeys(p.resolve() for p in found)
    return InputScan([Path(p) for p in unique], sorted(skipped))


def find_workbooks(paths: list[Path]) -> list[Path]:
    """The workbooks to read under ``paths`` (see :func:`scan_inputs`)."""
    return scan_inputs(paths).workbooks


def check_inputs(paths: list[Path], what: str = "", *, files_only: bool = False) -> None:
    """ZwgkError (``input-missing``) naming every path given that does not exist (or, with
    ``files_only``, is a folder)."""
    folders = [str(p) for p in paths if files_only and p.is_dir()]
    if folders:
        raise ZwgkError(f"{what} {'、'.join(folders)} 是一个文件夹，请给出文件", code="input-missing")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ZwgkError(f"找不到{what} {'、'.join(missing)}：请检查路径", code="input-missing")


def read_workbook(path: Path, rules: RuleSet | RuleBook, *, label: str | None = None) -> WorkbookRead:
    """Read one returned workbook; never raises for a bad file.

    With a RuleBook the workbook is read against the set recorded in its _meta sheet
    (the book's default when there is none); with a RuleSet, against that set only.
    """
    name = label or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return WorkbookRead(name, "", None, [Problem("file-unreadable",
                            f"无法读取文件（{exc.strerror}）", file=name)])
    digest = hashlib.sha256(data).hexdigest()
    sheet_reader = _SheetReader(name, rules)
    try:
        findings = sheet_reader.read(data)
    except _Rejected:
        findings = None
    except BaseException as exc:  # a pyo3 PanicException is not an Exception; one file must not stop the batch
        if isinstance(exc, _FATAL) or _debug():
            raise
        sheet_reader.add(*_unexpected(exc), sheet="")
        findings = None
    if findings is not None:
        findings.sha256 = digest
        findings.file = name
    r = sheet_reader
    return WorkbookRead(name, digest, findings, r.problems, r.typed_unit, r.unit_cell, r.meta_unit,
                        r.typed_unit or r.meta_unit)


_FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit)  # never swallowed
_RESAVE = "请在 Excel/WPS 中打开后重新保存为 .xlsx 再提交"


def _debug() -> bool:
    return bool(os.environ.get("ZWGK_DEBUG"))


def _detail(exc: BaseException | str) -> str:
    """The technical cause, shown only with --debug (never a class name in a clerk's message)."""
    if not _debug():
        return ""
    return f"（调试信息：{exc if isinstance(exc, str) else f'{type(exc).__name__}: {exc}'}）"


def _unexpected(exc: BaseException) -> tuple[str, str]:
    """Code and message for an error the reader did not foresee."""
    if isinstance(exc, MemoryError):
        return "file-too-complex", f"读取所需内存超过上限，文件可能已损坏或过于复杂；{_RESAVE}{_detail(exc)}"
    if not isinstance(exc, Exception):  # a native parser's panic: the bytes are damaged
        return "file-corrupt", f"文件已损坏，无法解析；{_RESAVE}{_detail(exc)}"
    return "file-unreadable", f"读取时出现意外错误，该文件未计分；{_RESAVE}（加 --debug 可查看详情）"


def worker_death_problem(death, label: str) -> Problem:
    """The refusal of a file whose reading process died or overran its limits
    (see :mod:`zwgk_cli.reading.isolation`)."""
    if death.reason == "time":
        code, what = "file-too-complex", "读取超过时间上限仍未完成，文件可能已损坏或过于复杂"
    elif death.reason == "memory":
        code, what = "file-too-complex", "读取所需内存超过上限，文件可能已损坏或过于复杂"
    else:
        code, what = "file-corrupt", "文件已损坏，解析程序无法读取"
    return Problem(code, f"{what}；{_RESAVE}{_detail(death.detail)}", file=label)


class _Rejected(Exception):
    """The file cannot be read further; the reason is already in problems."""


class _SheetReader:
    def __init__(self, file: str, rules: RuleSet | RuleBook):
        self.file = file
        self.book = rules if isinstance(rules, RuleBook) else RuleBook([rules])
        self.rules = self.book.default
        self.problems: list[Problem] = []
        self.specials: dict[str, str] = {}
        self.typed_unit, self.unit_cell, self.meta_unit = "", C.UNIT_CELL, ""
        self.formula_cells = dict  # replaced per sheet by a cached look-up of the formula columns

    def add(self, code: str, message: str, level: Level = Level.ERROR, **where) -> None:
        sheet = where.pop("sheet", C.SCORE_SHEET)
        self.problems.append(Problem(code, message, level, file=self.file, sheet=sheet, **where))

    def reject(self, code: str, message: str, **where) -> _Rejected:
        self.add(code, message, **where)
        return _Rejected()

    def read(self, data: bytes) -> Findings:
        container = inspect_container(data)
        if not container.ok:
            raise self.reject(container.code, container.message, sheet="")
        try:
            return self._read_sheet(data, container)
        finally:
            if container.archive is not None:
                container.archive.close()

    def _read_sheet(self, data: bytes, container) -> Findings:
        from python_calamine import CalamineWorkbook, PasswordError

        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            names = workbook.sheet_names
        except PasswordError:
            raise self.reject("file-encrypted", "文件已加密，请取消密码后另存为 .xlsx 再提交", sheet="") from None
        except BaseException as exc:  # calamine raises several unrelated types for bad files, panics too
            if isinstance(exc, _FATAL):
                raise
            raise self.reject("file-format", f"不是可识别的 Excel/WPS/ODS 文件，可能已损坏；"
                              f"请重新保存为 .xlsx 后提交{_detail(exc)}", sheet="") from None
        if C.SCORE_SHEET not in names:
            close = difflib.get_close_matches(C.SCORE_SHEET, names, n=1, cutoff=0.3)
            hint = f"；是否把“{close[0]}”改了名？请改回“{C.SCORE_SHEET}”" if close else ""
            raise self.reject("sheet-missing", f"没有“{C.SCORE_SHEET}”工作表{hint}", sheet="")
        self.meta_unit = self.check_meta(workbook, names)
        rows = self.sheet_rows(workbook, C.SCORE_SHEET)
        header = self.find_header(rows)
        self.unit_name(rows[:header[0] if header else C.UNIT_SEARCH_ROWS])  # known even if rejected below
        if header is None:
            raise self.reject("header-missing",
                              f"找不到含“{C.COL_ID}”和“{C.COL_INPUT}”的表头行；请勿删除或改动表头")
        header_at, columns = header
        self.specials = self.special_cells(container, col_letter(columns[C.COL_INPUT]))
        formula_columns = tuple(col_letter(columns[n]) for n in (C.COL_CLAUSE_POINTS, C.COL_SCORE)
                                if n in columns)
        # Looked up only when one of those cells shows a value: a sheet no spreadsheet program
        # has saved holds no results there, and then nothing needs explaining.
        self.formula_cells = functools.cache(lambda: self.special_cells(container, formula_columns))
        unit = self.checked_unit()
        entries = self.entries(rows, header_at, columns)
        return Findings(unit=unit, entries=entries, rules_id=self.rules.id, warnings=[
            p for p in self.problems if p.level != Level.ERROR])

    def check_meta(self, workbook, names: list[str]) -> str:
        """Reject a workbook made from another rule set; return the unit recorded in _meta."""
        if C.META_SHEET not in names:
            self.add("meta-ruleset", f"缺少隐藏的 {C.META_SHEET} 工作表，按 {self.rules.label()} 评分",
                     Level.WARNING, sheet="")
            return ""
        meta = {str(r[0]).strip(): r[1] for r in self.sheet_rows(workbook, C.META_SHEET)
                if len(r) >= 2 and r[0]}
        self.meta_unit = tidy_name(display(meta.get("unit") or ""))  # known even if rejected below
        made_id = str(meta.get("rules_id", "")).strip()
        made_version = display(meta.get("rules_version", ""))
        made_by = self.book.find(made_id, made_version)
        if made_by is None:
            known = "、".join(r.label() for r in self.book.sets)
            raise self.reject(
                "meta-ruleset",
                f"该工作簿由考核细则 {made_id or '（未知）'} 第{made_version or '?'}版生成，"
                f"与本次使用的 {known} 均不符；请用 --rules 指定对应细则，或重新下发模板",
                sheet=C.META_SHEET)
        self.rules = made_by
        if str(meta.get("rules_sha256", "")).strip() not in ("", self.rules.sha256):
            self.add("meta-ruleset", f"模板生成时的考核细则内容与当前 {self.rules.label()} 不一致"
                     "（版本号相同），按当前细则评分", Level.WARNING, sheet=C.META_SHEET)
        return self.meta_unit

    def sheet_rows(self, workbook, sheet: str) -> list[list]:
        """A sheet's cells from A1; calamine reads sheets lazily, so damage can surface here."""
        try:
            return workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except BaseException as exc:
            if isinstance(exc, _FATAL):
                raise
            raise self.reject("file-corrupt", f"“{sheet}”工作表已损坏，无法读取；{_RESAVE}{_detail(exc)}",
                              sheet=sheet) from None

    def special_cells(self, container, columns: str | tuple[str, ...]) -> dict[str, str]:
        """Formula and error cells of 评分表; parts the parser accepted may not read back (bad CRC, …)."""
        try:
            return special_cells(container, C.SCORE_SHEET, columns)
        except DAMAGE as exc:
            raise self.reject("file-corrupt", f"文件已损坏（内部数据校验失败）；{_RESAVE}{_detail(exc)}",
                              sheet="") from None

    def find_header(self, rows: list[list]) -> tuple[int, dict[str, int]] | None:
        """The header row's index and the column of each known header; None when there is none."""
        for index, row in enumerate(rows):
            cells = [str(v).strip() if isinstance(v, str) else "" for v in row]
            if C.COL_ID in cells and C.COL_INPUT in cells:
                return index, {name: cells.index(name) for name in C.HEADERS if name in cells}
        return None

    def unit_name(self, top_rows: list[list]) -> None:
        """Record the name typed after 被考核单位： and its cell (the template's name cell when
        the label is missing, or the cell right of a label standing alone)."""
        for index, row in enumerate(top_rows):
            for col, value in enumerate(row):
                if isinstance(value, str) and value.strip().startswith(C.UNIT_LABEL[:-1]):
                    name, at = value.strip()[len(C.UNIT_LABEL) - 1:].lstrip("：:").strip(), col
                    if not name:  # the label alone: the name is the next filled cell of the row
                        at = next((c for c in range(col + 1, len(row)) if not is_blank(row[c])), None)
                        name = "" if at is None else tidy_name(display(row[at]))
                    self.typed_unit = tidy_name(name)
                    self.unit_cell = f"{col_letter(at)}{index + 1}" if at is not None else self.empty_name_cell(
                        index, col)
                    return

    @staticmethod
    def empty_name_cell(row: int, label_col: int) -> str:
        """Where the name belongs when the label stands alone: the template's cell when the label
        is where the template puts it, else the cell right of the label."""
        label = f"{col_letter(label_col)}{row + 1}"
        return C.UNIT_CELL if label == C.UNIT_LABEL_CELL else f"{col_letter(label_col + 1)}{row + 1}"

    def checked_unit(self) -> str:
        """The unit as far as this file alone tells (the roster may decide otherwise later)."""
        if not self.typed_unit and not self.meta_unit:
            raise self.reject("unit-missing", f"未填写被考核单位；请在“{C.UNIT_LABEL}”后填写单位全称",
                              cell=self.unit_cell)
        return self.typed_unit or self.meta_unit

    def entries(self, rows: list[list], header_at: int, columns: dict[str, int]) -> dict[str, Entry]:
        id_col = columns[C.COL_ID]
        entries: dict[str, Entry] = {}
        changed: list[str] = []
        for index in range(header_at + 1, len(rows)):
            row = rows[index]
            clause_id = _id_text(row[id_col] if id_col < len(row) else None)
            if not clause_id:
                if _cell(row, columns.get(C.COL_INDICATOR)) in C.SUMMARY_LABELS:
                    self.check_formula_kept(row, index + 1, columns, C.COL_SCORE)
                continue
            entry = self.entry(row, index + 1, clause_id, columns)
            if entry is None:
                continue
            if clause_id in entries:
                self.add("id-duplicate", f"编号 {clause_id} 出现了两次（另一处在 {entries[clause_id].cell}）",
                         cell=f"{col_letter(id_col)}{index + 1}", value=clause_id)
                continue
            entries[clause_id] = entry
            if self.text_differs(row, columns, clause_id):
                changed.append(clause_id)
        self.after_rows(entries, changed)
        return entries

    def entry(self, row: list, row_no: int, clause_id: str, columns: dict[str, int]) -> Entry | None:
        raw = _cell(row, columns.get(C.COL_INPUT))
        note = _cell(row, columns.get(C.COL_NOTE))
        note = "" if is_blank(note) else display(note)
        cell = f"{col_letter(columns[C.COL_INPUT])}{row_no}"
        if not self.rules.has_clause(clause_id):
            level = Level.WARNING if is_blank(raw) else Level.ERROR
            self.add("id-unknown", f"编号「{clause_id}」不在考核细则 {self.rules.label()} 中",
                     level, cell=f"{col_letter(columns[C.COL_ID])}{row_no}", value=clause_id)
            return None
        clause = self.rules.clause(clause_id)
        self.check_formula_kept(row, row_no, columns, C.COL_CLAUSE_POINTS)
        if note and is_blank(raw) and cell not in self.specials:
            note_cell = f"{col_letter(columns[C.COL_NOTE])}{row_no}"
            self.add("note-without-input", f"编号 {clause_id} 的“{C.COL_NOTE}”写有「{note}」，但“{C.COL_INPUT}”为空，"
                     f"本条未计分；如有扣分/加分情形，请在 {cell} 填写", Level.WARNING, cell=note_cell, value=note)
        special = self.specials.get(cell)
        if special and special != "formula":
            self.add("value-error", f"单元格显示错误值「{special}」，请改为数字或留空", cell=cell, value=special)
            return Entry(None, special, cell, note)
        if special == "formula":
            self.add("formula-cell", f"填报单元格是公式，已按其计算结果「{display(raw)}」读取；请直接填写数值",
                     Level.WARNING, cell=cell, value=display(raw))
        try:
            quantity = entry_of(clause, raw)
        except EntryError as exc:
            self.add(exc.code, exc.message, cell=cell, value=display(raw))
            quantity = None
        if clause.needs_note and quantity and not note:
            self.add("note-required", f"{clause.id} 酌情{'加' if clause.bonus else '扣'}分"
                     f"「{display(raw)}」须在“{C.COL_NOTE}”列写明理由", cell=cell, value=display(raw))
        return Entry(quantity, "" if is_blank(raw) else display(raw), cell, note)

    def check_formula_kept(self, row: list, row_no: int, columns: dict[str, int], name: str) -> None:
        """Warn about a value typed over the template's formula: the tool never reads it."""
        col = columns.get(name)
        value = _cell(row, col)
        if col is None or is_blank(value) or f"{col_letter(col)}{row_no}" in self.formula_cells():
            return
        self.add("formula-overwritten", f"“{name}”列的公式被改成了手填的「{display(value)}」，不参与计分"
                 f"（工具只按“{C.COL_INPUT}”列计分）；如有扣分/加分情形，请在“{C.COL_INPUT}”列填写",
                 Level.WARNING, cell=f"{col_letter(col)}{row_no}", value=display(value))

    def text_differs(self, row: list, columns: dict[str, int], clause_id: str) -> bool:
        text, points_text, points = _expected_texts(self.rules)[clause_id]
        if C.COL_RULE in columns:
            rule_text = _cell(row, columns[C.COL_RULE])
            if rule_text != text and str(rule_text or "").strip() != text:
                return True
        if C.COL_POINTS in columns:
            cell = _cell(row, columns[C.COL_POINTS])
            return cell != points_text and decimal_of(cell) != points
        return False

    def after_rows(self, entries: dict[str, Entry], changed: list[str]) -> None:
        missing = [c.id for c in self.rules.clauses if c.id not in entries]
        if missing:
            self.add("clause-missing", f"评分表缺少编号 {'、'.join(missing)} 的行，按未填写计",
                     Level.WARNING)
        if changed:
            self.add("text-changed", f"编号 {'、'.join(changed)} 的赋分或评分标准与考核细则不同；"
                     "已按考核细则原文评分", Level.WARNING)
        # Not "empty" when something was written where the tool does not read it (warned above).
        elsewhere = any(e.note for e in entries.values()) or any(
            p.code == "formula-overwritten" for p in self.problems)
        if entries and all(e.quantity is None for e in entries.values()) and not elsewhere and not any(
                p.level == Level.ERROR for p in self.problems):
            self.add("sheet-empty", f"评分表未填写任何内容，按满分 {show(self.rules.full_marks)} 计；"
                     "请确认是否交回了空表", Level.WARNING)


_EXPECTED: dict[str, dict[str, tuple[str, str, Decimal | None]]] = {}


def _expected_texts(rules: RuleSet) -> dict[str, tuple[str, str, Decimal | None]]:
    """Per clause: rule text, 赋分 as the template writes it, 赋分 as a number."""
    if rules.sha256 not in _EXPECTED:
        _EXPECTED[rules.sha256] = {
            c.id: (c.text, show(c.points) if c.first_of_indicator else "",
                   c.points if c.first_of_indicator else None)
            for c in rules.clauses
        }
    return _EXPECTED[rules.sha256]


def _cell(row: list, col: int | None) -> object:
    return row[col] if col is not None and col < len(row) else None


def _id_text(value: object) -> str:
    """编号 as text: a typed 1 or 1.0 reads as "1"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if value is not None and not isinstance(value, bool) else ""
