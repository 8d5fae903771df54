"""Writing output files: atomically, never over an existing file unless asked, and with
input strings kept as text.

>>> safe_filename('县/财政:局?')
'县_财政_局_'
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from .problems import OutputError

_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(name: str) -> str:
    """A unit name turned into a file name any system can hold."""
    cleaned = _FORBIDDEN.sub("_", name).strip().rstrip(". ")
    if not cleaned or cleaned.upper() in _RESERVED:
        cleaned = f"_{cleaned}"
    return cleaned[:120]


def check_writable(path: Path, *, force: bool) -> None:
    """Raise OutputError if ``path`` exists and ``force`` is off."""
    if path.exists() and not force:
        raise OutputError(f"{path} 已存在，未覆盖；如需覆盖请加 --force")


def atomic_write(path: Path, write: Callable[[Path], None], *, force: bool) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place.

    A reader of ``path`` sees the old file or the whole new one, never half of one.
    """
    check_writable(path, force=force)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem[:40]}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, _default_mode())  # mkstemp makes 0600; give the file the usual permissions
        os.replace(tmp, path)
    except PermissionError:
        raise OutputError(
            f"无法写入 {path}：文件可能正在 Excel/WPS 中打开，或没有写权限；请关闭后重试"
        ) from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _default_mode() -> int:
    """0666 less the process umask, as a plainly created file would have."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def text_cell(cell, value: object):
    """Put a value from an input file into an openpyxl cell as plain text, never a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def write_only_text(ws, value: object):
    """A write-only cell holding ``value`` as text (for streaming sheets)."""
    from openpyxl.cell import WriteOnlyCell

    return text_cell(WriteOnlyCell(ws), value)
