"""Last season's results, as an earlier ``zwgk rank`` published them (``rank --previous``).

Two forms are read: the JSON printed by ``rank --json``, and the summary workbook ``rank``
wrote (its 排名 sheets). Anything else, or a damaged file, stops the command with
``previous-invalid`` before anything is written.

>>> import json, tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "2022.json"
>>> _ = p.write_text(json.dumps({"rule_sets": [{"id": "a", "version": 1}],
...     "units": [{"rank": 1, "unit": "县财政局", "total": 98.5, "rules": "a"}]}), encoding="utf-8")
>>> season = load_previous(p)
>>> season.rule_sets, [(s.unit, s.total, s.rank) for s in season.units]
(['a 第1版'], [('县财政局', Decimal('98.5'), 1)])
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from ..cells import cell_ref, cell_text, escaped_unsafe, unsafe_characters
from ..decoding import decode_text
from ..exact import decimal_of
from ..model import PreviousSeason, Standing
from ..problems import ZwgkError, message
from .sheets import sheet_rows

_RANK_SHEET = "排名"
_HEADERS = ("名次", "单位", "总分")
_RANK = re.compile(r"^\s*(\d{1,6})\s*(?:（并列）|\(并列\))?\s*$")  # 3, or 3（并列） as the summary writes ties
_RULES_LABEL = re.compile(r"考核细则：(\S+ 第\d+版)")
_CLASS = re.compile(r"（([^（）·]+?)类[）·]")  # 排名（A类）, or a title ending （B类·乡镇）得分排名


def load_previous(path: Path) -> PreviousSeason:
    """Last season's standings from ``path``; ZwgkError (``previous-invalid``) when unusable."""
    data = _read(path)
    if data[:2] == b"PK":
        return _from_workbook(data, path)
    return _from_json(data, path)


def _fail(path: Path, why: str, /, **values) -> ZwgkError:
    return ZwgkError.of("previous-invalid", path=path, why=message("previous-invalid", why, **values))


def _read(path: Path) -> bytes:
    if path.is_dir():
        raise ZwgkError.of("previous-invalid", "folder", path=path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ZwgkError.of("previous-invalid", "missing", path=path) from None
    except OSError:
        raise _fail(path, "unreadable") from None


def _from_json(data: bytes, path: Path) -> PreviousSeason:
    text = decode_text(data)  # PowerShell 5.1's `>` writes UTF-16 with a BOM
    try:
        document = json.loads(text, parse_float=Decimal, object_pairs_hook=_once) if text is not None else None
    except _KeyTwice as twice:
        raise _fail(path, "key-twice", key=_shown(twice.key)) from None
    except (ValueError, RecursionError):
        document = None
    if document is None:
        raise _fail(path, "json" if (text or "").lstrip()[:1] in ("{", "[") else "kind")
    if isinstance(document, dict) and isinstance(document.get("error"), dict):
        raise _fail(path, "error-doc", message=str(document["error"].get("message", "")))
    units = document.get("units") if isinstance(document, dict) else None
    if not isinstance(units, list) or not units:
        raise _fail(path, "no-units")
    if all(isinstance(u, dict) and u.get("rank") is None for u in units):
        raise _fail(path, "no-rank")
    sets = document.get("rule_sets")
    sets = [s for s in sets if isinstance(s, dict)] if isinstance(sets, list) else []
    classes = {str(s.get("id")): str(s.get("class") or "") for s in sets}
    standings = [_json_standing(unit, n, path, classes) for n, unit in enumerate(units, start=1)]
    return PreviousSeason(str(path), [f"{s.get('id')} 第{s.get('version')}版" for s in sets], standings)


class _KeyTwice(Exception):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _once(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object whose every key is given once: json keeps the last of two silently, and a
    total written twice would be read as whichever came last."""
    document = {}
    for key, value in pairs:
        if key in document:
            raise _KeyTwice(key)
        document[key] = value
    return document


def _json_standing(unit: object, n: int, path: Path, classes: dict[str, str]) -> Standing:
    """One unit of a ``rank --json`` document: its name, total and rank, checked."""
    if not isinstance(unit, dict):
        raise _fail(path, "entry", n=n, field="内容", value=_shown(unit))
    name, total, rank = unit.get("unit"), unit.get("total"), unit.get("rank")
    if not isinstance(name, str) or not name.strip() or unsafe_characters(name) or len(name) > _LONGEST_NAME:
        raise _fail(path, "entry", n=n, field="单位名称", value=_shown(name))
    if isinstance(total, bool) or not isinstance(total, (int, Decimal)) or not _plausible(Decimal(total)):
        raise _fail(path, "entry", n=n, field="总分", value=_shown(total))
    if rank is not None and (isinstance(rank, bool) or not isinstance(rank, int) or rank < 1):
        raise _fail(path, "entry", n=n, field="名次", value=_shown(rank))
    rules_id = str(unit.get("rules") or "")
    return Standing(name.strip(), Decimal(total), rank, rules_id, classes.get(rules_id, ""))


_LONGEST_NAME = 200  # characters: no unit name comes near it
_MOST = Decimal(10) ** 6  # no scoring table comes near this; beyond it a total cannot be shown to 0.01


def _plausible(total: Decimal) -> bool:
    """A total a scoring table could give (finite, |total| below a million)."""
    return total.is_finite() and abs(total) < _MOST and -total.as_tuple().exponent <= 4  # 1e-400 is no total


def _shown(value: object) -> str:
    """A JSON value as the file writes it (null, true, "x"), not as Python prints it (None, True):
    characters a message cannot carry (a lone surrogate) escaped."""
    if isinstance(value, Decimal):  # a JSON number, read exactly
        return str(value)[:40]
    return escaped_unsafe(json.dumps(value, ensure_ascii=False, default=str)[:40])


def _from_workbook(data: bytes, path: Path) -> PreviousSeason:
    rows_by_sheet = _rank_sheets(data, path)
    if not rows_by_sheet:
        raise _fail(path, "no-sheet")
    labels: list[str] = []
    standings: list[Standing] = []
    for sheet, rows in rows_by_sheet.items():
        label = next((m.group(1) for row in rows[:3] for v in row
                      if (m := _RULES_LABEL.search(cell_text(v)))), "")
        if label and label not in labels:
            labels.append(label)
        standings += _sheet_standings(rows, sheet, (label.split(" ")[0], _sheet_class(sheet, rows)), path)
    if not standings:
        raise _fail(path, "no-units")
    return PreviousSeason(str(path), labels, standings)


def _sheet_class(sheet: str, rows: list[list]) -> str:
    """The class a 排名 sheet ranks: from its name (排名（A类）) or its title (…（A类）得分排名)."""
    title = cell_text(rows[0][0]) if rows and rows[0] else ""
    found = _CLASS.search(sheet) or _CLASS.search(title)
    return found.group(1) if found else ""


def _rank_sheets(data: bytes, path: Path) -> dict[str, list[list]]:
    """The rows of every 排名 sheet (排名, 排名（A类）…); ZwgkError for a damaged workbook. Parsed
    in a worker: a file that makes the parser abort or run away is refused, not the run's end."""
    sheets = sheet_rows(data, prefix=_RANK_SHEET)
    if sheets.rows is None:
        raise _fail(path, "damaged")
    return sheets.rows


def _sheet_standings(rows: list[list], sheet: str, rules: tuple[str, str], path: Path) -> list[Standing]:
    """The units of one 排名 sheet, from its header row down to the first row without a unit."""
    at = next((i for i, row in enumerate(rows) if all(h in [cell_text(v) for v in row] for h in _HEADERS)), None)
    if at is None:
        raise _fail(path, "no-header", sheet=sheet)
    columns = [[cell_text(v) for v in rows[at]].index(h) for h in _HEADERS]
    standings = []
    for n, row in enumerate(rows[at + 1:], start=at + 1):
        rank, name, total = (row[c] if c < len(row) else "" for c in columns)
        if not cell_text(name):
            break
        rank_match = _RANK.match(cell_text(rank))
        if rank_match is None:
            raise _fail(path, "cell", sheet=sheet, cell=cell_ref(n, columns[0]), field="名次", value=cell_text(rank))
        value = decimal_of(total)
        if value is None or not _plausible(value):
            raise _fail(path, "cell", sheet=sheet, cell=cell_ref(n, columns[2]), field="总分", value=cell_text(total))
        standings.append(Standing(cell_text(name).strip(), value, int(rank_match.group(1)), *rules))
    return standings
