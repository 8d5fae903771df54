"""The roster: which units are assessed, in the office's own order.

A .txt file holds one name a line; a .csv or .xlsx/.xls/.ods file has a column 单位名称.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "roster.txt"
>>> _ = p.write_text("县财政局\\n\\n# 注释\\n县教育局\\n", encoding="utf-8")
>>> read_roster(p)
['县财政局', '县教育局']
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .constants import SPREADSHEET_SUFFIXES
from .problems import ZwgkError

NAME_COLUMN = "单位名称"
CLASS_COLUMN = "类别"


def _decode(data: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ZwgkError(f"名单 {path} 的编码无法识别：请另存为 UTF-8")


def _pairs(rows: list[list], path: Path) -> list[tuple[str, str]]:
    """(单位名称, 类别) below the header row; 类别 is empty when the column is absent."""
    for index, row in enumerate(rows):
        cells = [str(v).strip() if v is not None else "" for v in row]
        if NAME_COLUMN in cells:
            col = cells.index(NAME_COLUMN)
            klass = cells.index(CLASS_COLUMN) if CLASS_COLUMN in cells else None
            return [(str(r[col]).strip(), _text(r, klass)) for r in rows[index + 1:]
                    if col < len(r) and r[col] is not None and str(r[col]).strip()]
    raise ZwgkError(f"名单 {path} 中找不到“{NAME_COLUMN}”列")


def _text(row: list, col: int | None) -> str:
    if col is None or col >= len(row) or row[col] is None:
        return ""
    value = row[col]
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()


def read_roster(path: Path) -> list[str]:
    """Unit names in roster order; ZwgkError for an unusable roster or duplicate names."""
    return read_roster_table(path)[0]


def read_roster_table(path: Path) -> tuple[list[str], dict[str, str]]:
    """Unit names in roster order, and 类别 per unit where the roster (.csv/.xlsx) has that column."""
    rows = _roster_rows(path)
    names = [name for name, _ in rows]
    seen: set[str] = set()
    duplicates = sorted({n for n in names if n in seen or seen.add(n)})
    if duplicates:
        raise ZwgkError(f"名单 {path} 中有重复的单位：{'、'.join(duplicates)}")
    if not names:
        raise ZwgkError(f"名单 {path} 中没有任何单位")
    return names, {name: klass for name, klass in rows if klass}


def _roster_rows(path: Path) -> list[tuple[str, str]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ZwgkError(f"无法读取名单 {path}（{exc.strerror}）") from None
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            return _pairs(sheet.to_python(), path)
        except ZwgkError:
            raise
        except Exception as exc:  # calamine raises several unrelated types
            raise ZwgkError(f"名单 {path} 无法读取（{type(exc).__name__}）") from None
    if suffix == ".csv":
        return _pairs(list(csv.reader(io.StringIO(_decode(data, path)))), path)
    lines = _decode(data, path).splitlines()
    return [(s.strip(), "") for s in lines if s.strip() and not s.strip().startswith("#")]
