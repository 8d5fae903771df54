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


def _decode(data: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ZwgkError(f"名单 {path} 的编码无法识别：请另存为 UTF-8")


def _from_table(rows: list[list], path: Path) -> list[str]:
    for index, row in enumerate(rows):
        cells = [str(v).strip() if v is not None else "" for v in row]
        if NAME_COLUMN in cells:
            col = cells.index(NAME_COLUMN)
            return [str(r[col]).strip() for r in rows[index + 1:]
                    if col < len(r) and r[col] is not None and str(r[col]).strip()]
    raise ZwgkError(f"名单 {path} 中找不到“{NAME_COLUMN}”列")


def read_roster(path: Path) -> list[str]:
    """Unit names in roster order; ZwgkError for an unusable roster or duplicate names."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ZwgkError(f"无法读取名单 {path}（{exc.strerror}）") from None
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            names = _from_table(sheet.to_python(), path)
        except ZwgkError:
            raise
        except Exception as exc:  # calamine raises several unrelated types
            raise ZwgkError(f"名单 {path} 无法读取（{type(exc).__name__}）") from None
    elif suffix == ".csv":
        names = _from_table(list(csv.reader(io.StringIO(_decode(data, path)))), path)
    else:
        lines = _decode(data, path).splitlines()
        names = [s.strip() for s in lines if s.strip() and not s.strip().startswith("#")]
    seen: set[str] = set()
    duplicates = sorted({n for n in names if n in seen or seen.add(n)})
    if duplicates:
        raise ZwgkError(f"名单 {path} 中有重复的单位：{'、'.join(duplicates)}")
    if not names:
        raise ZwgkError(f"名单 {path} 中没有任何单位")
    return names
