"""The roster: which units are assessed, in the office's own order.

A .txt file holds one name a line (``序号、名称``, tab- or comma-separated columns and a header
line are understood); a .csv or .xlsx/.xls/.ods file has a column 单位名称. Lines that are not
units (a title, a header, a 合计 footer, a row without a name) are dropped, each reported.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "roster.txt"
>>> _ = p.write_text("序号\\t单位名称\\n1\\t县财政局\\n\\n# 注释\\n2、县教育局\\n合计 2 个单位\\n", encoding="utf-8")
>>> roster = load_roster(p)
>>> roster.names, [w.cell for w in roster.warnings]
(['县财政局', '县教育局'], ['第1行', '第6行'])
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..cells import cell_ref, cell_text
from ..constants import SPREADSHEET_SUFFIXES
from ..decoding import decode_text
from ..model import RuleBook, RuleSet
from ..problems import Problem, ZwgkError, message
from .names import duplicate_names, name_key, tidy_name
from .sheets import sheet_rows

NAME_COLUMN = "单位名称"
MAX_NAME = 100  # characters: the longest official unit names are about 40
CLASS_COLUMN = "类别"
FORMER_COLUMN = "曾用名"  # former names (机构改革 renames), for comparing with last season
_FORMER_SEPARATORS = re.compile(r"[、,，;；]")
_FOOTER = re.compile(r"^(合计|总计|小计|共计|总数|单位数|单位总数|"
                     r"共[0-9一二三四五六七八九十百零〇两]+个?(单位|部门)?$)")
_NUMBER = re.compile(r"^[(（]?\d{1,4}[)）]?[、.．:：]?$")  # a 序号 cell: 1, 1., (1)
_NUMBERED = re.compile(r"^\s*([(（]?\d{1,4}(?:[、.．:：)）]|\s))\s*(\S.*)$")  # 1、县财政局 / 1 县财政局


@dataclass
class Roster:
    """Unit names in roster order, 类别 per unit, and every line that was dropped."""

    names: list[str]
    classes: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    former: dict[str, list[str]] = field(default_factory=dict)  # 曾用名 per unit, where given
    path: Path | None = None
    class_column: bool = False  # the roster has a 类别 column: every unit must then name its class


def rules_for_roster(book: RuleBook, roster: Roster | None) -> dict[str, RuleSet]:
    """The rule set of each roster unit whose 类别 names one, checked before anything is read or
    written: a 类别 no rule set has, or a blank 类别 on a roster whose other units name theirs,
    is a ZwgkError (a unit would otherwise be ranked silently with the default class)."""
    if roster is None:
        return {}
    blank = [u for u in roster.names if u not in roster.classes] if roster.class_column and roster.classes else []
    if blank:
        raise ZwgkError.of("roster-class", "blank", path=roster.path, units="、".join(blank[:10]),
                           more=f" 等 {len(blank)} 个单位" if len(blank) > 10 else "", column=CLASS_COLUMN)
    chosen: dict[str, RuleSet] = {}
    for unit, klass in roster.classes.items():
        rules = book.for_class(klass)
        if rules is None:
            known = "、".join(f"{r.id}（{r.klass}类）" if r.klass else r.id for r in book.sets)
            raise ZwgkError.of("roster-class", roster=f"名单 {roster.path} " if roster.path else "名单", unit=unit,
                               klass=klass, known=known)
        chosen[unit] = rules
    return chosen


@dataclass(slots=True)
class _Line:
    """One line or row of the roster file: where it is, and its cells."""

    place: str  # 第3行 or B7
    cells: list[str]
    sheet: str = ""


def read_roster(path: Path) -> list[str]:
    """Unit names in roster order; ZwgkError for an unusable roster or duplicate names."""
    return load_roster(path).names


def load_roster(path: Path) -> Roster:
    """The roster with its dropped lines as warnings; ZwgkError for an unusable roster."""
    lines, header_needed, cleaned = _roster_lines(path)
    roster = _Table(path, lines, header_needed).read()
    roster.warnings[:0] = cleaned
    duplicates = duplicate_names(roster.names)
    if duplicates:
        raise ZwgkError.of("roster-invalid", "duplicates", path=path, names="、".join(duplicates))
    if not roster.names:
        raise ZwgkError.of("roster-invalid", "empty", path=path)
    return roster


class _Table:
    """Finds the name column and keeps the lines that name a unit."""

    def __init__(self, path: Path, lines: list[_Line], header_needed: bool):
        self.path, self.lines, self.header_needed = path, lines, header_needed
        self.roster = Roster([], path=path)

    def drop(self, line: _Line, why: str, **values: object) -> None:
        """Keep ``line`` out of the roster, saying ``why`` (a roster-line-dropped variant)."""
        text = " ".join(c for c in line.cells if c)
        shown = text if len(text) <= 60 else f"{text[:60]}…"
        where = "" if line.sheet else line.place  # a sheet's cell is shown with the sheet's name
        self.roster.warnings.append(Problem.of(
            "roster-line-dropped", file=str(self.path), sheet=line.sheet, cell=line.place, value=shown,
            where=where, text=shown, why=message("roster-line-dropped", why, column=NAME_COLUMN, **values)))

    def read(self) -> Roster:
        at = header_line(self.lines)
        if at is None and self.header_needed:
            raise ZwgkError.of("roster-invalid", "no-column", path=self.path, column=NAME_COLUMN)
        name_col = klass_col = None
        self.former_col = None
        if at is not None:
            for line in self.lines[:at]:
                self.drop(line, "before-header")
            header = [name_key(c) for c in self.lines[at].cells]
            self.drop(self.lines[at], "header")
            name_col = header.index(NAME_COLUMN) if NAME_COLUMN in header else None
            klass_col = header.index(CLASS_COLUMN) if CLASS_COLUMN in header else None
            self.roster.class_column = klass_col is not None
            self.former_col = header.index(FORMER_COLUMN) if FORMER_COLUMN in header else None
        for line in self.lines[(at + 1 if at is not None else 0):]:
            self.keep(line, name_col, klass_col)
        return self.roster

    def keep(self, line: _Line, name_col: int | None, klass_col: int | None) -> None:
        if name_col is None:  # no header: the first cell that is not a 序号
            name_col = next((i for i, c in enumerate(line.cells) if c and not _NUMBER.match(c)), None)
        name = tidy_name(line.cells[name_col]) if name_col is not None and name_col < len(line.cells) else ""
        leading = line.cells[:(name_col if name_col is not None else len(line.cells)) + 1]  # 序号 and name
        if any(_FOOTER.match(name_key(c)) for c in leading if c):
            self.drop(line, "total")
        elif NAME_COLUMN in name_key(name):
            self.drop(line, "header-again")
        elif not name:
            self.drop(line, "no-name")
        elif len(name) > MAX_NAME:  # a pasted paragraph, not a unit (and no file name could hold it)
            self.drop(line, "too-long", length=len(name), most=MAX_NAME)
        else:
            self.roster.names.append(name)
            klass = line.cells[klass_col].strip() if klass_col is not None and klass_col < len(line.cells) else ""
            if klass:
                self.roster.classes[name] = klass
            self.keep_former(name, line)

    def keep_former(self, name: str, line: _Line) -> None:
        """The unit's former names (曾用名 column: separated by 、 or ,)."""
        if self.former_col is None or self.former_col >= len(line.cells):
            return
        names = [tidy_name(n) for n in _FORMER_SEPARATORS.split(line.cells[self.former_col])]
        if any(names):
            self.roster.former[name] = [n for n in names if n]


def header_line(lines: list[_Line]) -> int | None:
    """The index of the line naming the 单位名称 column (单位名称（全称）, or 序号 单位名称 on one
    .txt line, when no cell is exactly 单位名称); None without one."""
    for is_header in (lambda key: key == NAME_COLUMN,
                      lambda key: key.startswith(NAME_COLUMN) or key == "序号" + NAME_COLUMN):
        at = next((i for i, line in enumerate(lines) if any(is_header(name_key(c)) for c in line.cells)), None)
        if at is not None:
            return at
    return None


def _roster_lines(path: Path) -> tuple[list[_Line], bool, list[Problem]]:
    """The file's non-empty lines (rows) as cells; True when a 单位名称 header is required; the
    cells cleaned of characters no workbook can hold, as warnings."""
    data = _roster_bytes(path)
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return _sheet_lines(data, path)
    text = _decode(data, path)
    if suffix == ".csv":
        try:
            rows = list(csv.reader(io.StringIO(text)))
        except csv.Error:  # a field beyond the csv module's limit: not a roster a clerk wrote
            raise ZwgkError.of("roster-invalid", "csv", path=path) from None
        return [_Line(f"第{n}行", [c.strip() for c in row]) for n, row in enumerate(rows, start=1)
                if any(c.strip() for c in row)], True, []
    return [_Line(f"第{n}行", _text_cells(s)) for n, s in enumerate(text.splitlines(), start=1)
            if s.strip() and not s.strip().startswith("#")], False, []


def _text_cells(line: str) -> list[str]:
    """A .txt line as cells: tab or comma columns, or 序号、名称."""
    for separator in ("\t", ",", "，"):
        if separator in line:
            return [c.strip() for c in line.split(separator)]
    numbered = _NUMBERED.match(line)
    return [numbered.group(1).strip(), numbered.group(2).strip()] if numbered else [line.strip()]


def _roster_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise ZwgkError.of("roster-invalid", "folder", path=path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ZwgkError.of("roster-invalid", "missing", path=path) from None
    except PermissionError:
        raise ZwgkError.of("roster-invalid", "denied", path=path) from None
    except OSError:
        raise ZwgkError.of("roster-invalid", "unreadable", path=path) from None
    if not data.strip():
        raise ZwgkError.of("roster-invalid", "blank", path=path)
    return data


def _decode(data: bytes, path: Path) -> str:
    text = decode_text(data)
    if text is None:
        raise ZwgkError.of("roster-invalid", "encoding", path=path, column=NAME_COLUMN)
    return text


def _sheet_lines(data: bytes, path: Path) -> tuple[list[_Line], bool, list[Problem]]:
    """The non-empty rows of the first sheet with a 单位名称 header (a cover page may come first);
    ZwgkError for a damaged or unreadable workbook (parsed in a worker, so that a file that makes
    the parser abort costs only this message), or when no sheet has that column (naming them)."""
    sheets = sheet_rows(data)
    if not sheets.rows:
        why = f"（{sheets.why}）" if sheets.why else ""
        raise ZwgkError.of("roster-invalid", "damaged", path=path, why=why)
    for sheet, rows in sheets.rows.items():
        lines = [_Line(cell_ref(n, _first(row)), [cell_text(v) for v in row], sheet)
                 for n, row in enumerate(rows) if any(cell_text(v) for v in row)]
        if header_line(lines) is not None:
            cleaned = [Problem.of("text-cleaned", file=str(path), sheet=name, cell=cell, value="", chars=chars)
                       for name, cell, chars in sheets.cleaned if name == sheet]
            return lines, True, cleaned
    raise ZwgkError.of("roster-invalid", "no-column-sheets", path=path, column=NAME_COLUMN,
                       sheets="、".join(sheets.rows) or "无")


def _first(row: list) -> int:
    return next((i for i, v in enumerate(row) if cell_text(v)), 0)
