"""Writing output files: atomically, never over an existing file unless asked, and with
input strings kept as text.

>>> safe_filename('县/财政:局?'), safe_filename('aux'), safe_filename('~$局'), safe_filename('.局')
('县_财政_局_', '_aux', '_~$局', '_.局')
>>> unique_filenames(["县财政局", "县/财政局", "县:财政局", "AUX", "aux"], ".xlsx")
['县财政局.xlsx', '县_财政局.xlsx', '县_财政局(2).xlsx', '_AUX.xlsx', '_aux(2).xlsx']
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..cells import xml_text
from ..problems import OutputError, PartialOutputError, Problem, message

_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
# Windows reserves these names whatever follows the first dot (aux.xlsx, LPT1.txt.xlsx), the digit
# 0 and the superscript digits included (Microsoft, "Naming Files, Paths, and Namespaces")
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{port}{n}" for port in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³"))}
NAME_BYTES = 255  # longest file name (one path component) in UTF-8 on Linux; NTFS allows 255 UTF-16 units, never fewer
WINDOWS_PATH = 260  # MAX_PATH: a longer full path fails in Explorer, Excel and WPS on an unconfigured Windows
_TAG_BYTES = 8  # room left for a "(12)" that tells two units' files apart


def safe_filename(name: str, suffix: str = "") -> str:
    """A unit name turned into a file name stem any system can hold, and that the reader does
    not skip (no leading ``.`` or ``~$``); short enough in UTF-8 bytes for ``suffix`` (every
    character of it: ``_退回修改反馈单.xlsx`` is 28 bytes) and a tag."""
    cleaned = _FORBIDDEN.sub("_", name).strip().rstrip(". ")
    stem = cleaned.split(".")[0].rstrip(" ").upper()
    if not cleaned or stem in _RESERVED or cleaned.startswith((".", "~$")):
        cleaned = f"_{cleaned}"
    return fit_filename(cleaned, suffix)


def fit_filename(stem: str, suffix: str) -> str:
    """``stem`` cut (whole characters, never half of one) so that ``stem``, a tag and ``suffix``
    fit in one file name.

    >>> len((fit_filename("局" * 200, "_退回修改反馈单.xlsx") + "(2)_退回修改反馈单.xlsx").encode()) <= 255
    True
    """
    budget = NAME_BYTES - len(suffix.encode("utf-8")) - _TAG_BYTES
    encoded = stem.encode("utf-8")
    if len(encoded) > budget:
        stem = encoded[:budget].decode("utf-8", "ignore")
    return stem.rstrip(". ")


def inside_inputs(outputs: list[Path], inputs: list[Path]) -> list[Problem]:
    """A warning (``output-in-input``) per input folder that an output is written into: the next
    run finds it there (and skips it as this tool's own file), but the returns folder is the
    units', and a summary or feedback sheet among them is one more thing to mistake."""
    folders = [Path(p).resolve() for p in inputs if Path(p).is_dir()]
    found = {}
    for output in outputs:
        where = Path(output).resolve()
        for folder in folders:
            if folder in where.parents:
                found.setdefault(folder, where)
    return [Problem.of("output-in-input", file=str(path), path=path, folder=folder) for folder, path in found.items()]


def long_path_warnings(paths) -> list[Problem]:
    """A warning (``output-path-long``) per path whose full form is longer than Windows opens
    without a setting changed (MAX_PATH, 260 characters with the final NUL).

    >>> [p.code for p in long_path_warnings([Path("/" + "局" * 300), Path("汇总.xlsx")])]
    ['output-path-long']
    """
    found = []
    for path in paths:
        full = str(Path(path).absolute())
        if len(full) >= WINDOWS_PATH:
            found.append(Problem.of("output-path-long", file=full, path=full, length=len(full), limit=WINDOWS_PATH))
    return found


def unique_filenames(names: list[str], suffix: str) -> list[str]:
    """Safe file names (``suffix`` included), one per name, no two alike even ignoring case."""
    taken: set[str] = set()
    chosen = []
    for name in names:
        stem = safe_filename(name, suffix)
        candidate, n = f"{stem}{suffix}", 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{stem}({n}){suffix}"
        taken.add(candidate.casefold())
        chosen.append(candidate)
    return chosen


def output_file(path: Path, suffixes: tuple[str, ...] = (".xlsx",)) -> Path:
    """The output file a user meant: the first of ``suffixes`` added to a name without one;
    OutputError (``output-suffix``) for a name ending in another file type (``.xls``, ``.csv``).

    >>> [output_file(Path(name)).name for name in ("汇总", "县.2022", "a.XLSX")]
    ['汇总.xlsx', '县.2022.xlsx', 'a.XLSX']
    """
    if path.suffix.lower() in suffixes:
        return path
    if _FILE_TYPE.fullmatch(path.suffix):
        wanted = "/".join(suffixes)
        raise OutputError.of("output-suffix", path=path, wanted=wanted, suffix=path.suffix,
                             name=path.with_suffix(suffixes[0]).name)
    return path.with_name(path.name + suffixes[0])


_FILE_TYPE = re.compile(r"\.[A-Za-z]{1,5}")  # what looks like a file type; 县.2022 does not


def check_folder(folder: Path, target: Path | None = None) -> None:
    """Raise OutputError unless ``folder`` is, or can be made as, a writable folder (for
    ``target``, the file named in the message). Called once per command, before reading."""
    existing = _nearest_folder(folder)
    if existing is not None:
        _probe(existing, target or folder)


def check_writable(path: Path, *, force: bool) -> None:
    """Raise OutputError if ``path`` is a folder, exists and ``force`` is off, or has a file
    where one of its folders should be."""
    if path.is_dir():
        example = "通报.docx" if path.suffix.lower() == ".docx" else "汇总.xlsx"
        raise OutputError.of("output-is-folder", path=path, example=path / example)
    if path.exists() and not force:
        raise OutputError.of("output-exists", path=path)
    _nearest_folder(path.parent)


def _nearest_folder(folder: Path) -> Path | None:
    """The folder itself or its nearest existing parent; OutputError if a file is in the way."""
    for place in (folder, *folder.parents):
        if place.is_dir():
            return place
        if place.exists():
            raise OutputError.of("output-not-folder", path=place)
    return None


def _probe(folder: Path, target: Path) -> None:
    """Create and remove a temporary file in ``folder``: the only sure test of writing."""
    try:
        fd, name = tempfile.mkstemp(prefix=".zwgk-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _os_error(exc, target) from None
    os.close(fd)
    os.unlink(name)


def atomic_write(path: Path, write: Callable[[Path], None] | bytes, *, force: bool) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path`` (or write the bytes ``write``
    to it), then rename it into place: a one-file :class:`Outputs`.

    A reader of ``path`` sees the old file or the whole new one, never half of one; the
    temporary file never stays behind.
    """
    outputs = Outputs(force=force)
    outputs.add(path, write)
    return outputs.commit()[0]


class Outputs:
    """The files one run writes, replaced together at its end.

    Every target is named first (:meth:`add` refuses one that exists without ``force``), then
    :meth:`commit` checks that each existing target can be replaced — a file open in Excel or WPS
    is found before any file is touched —, writes every file to a temporary beside its target,
    and only then renames them into place. A failure before the renames leaves every target as
    it was (OutputError, exit code 2: nothing written); a rename that still fails after others
    succeeded raises :class:`PartialOutputError`, which names what was written and what was not.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> run = Outputs(force=False); _ = run.add(folder / "a.txt", b"a"); _ = run.add(folder / "b.txt", b"b")
    >>> [p.name for p in run.commit()]
    ['a.txt', 'b.txt']
    """

    def __init__(self, *, force: bool):
        self.force = force
        self.planned: list[tuple[Path, Callable[[Path], None] | bytes]] = []

    def add(self, path: Path, write: Callable[[Path], None] | bytes) -> Path:
        """Plan ``path``, written by ``write(tmp)`` or holding the bytes ``write``."""
        check_writable(path, force=self.force)
        self.planned.append((path, write))
        return path

    def commit(self) -> list[Path]:
        """Write every planned file (see the class); the paths written, in the order planned."""
        for path, _ in self.planned:
            check_replaceable(path)
        temporaries: list[Path] = []
        try:
            for path, write in self.planned:
                fd, tmp = _temporary(path, make_parent=True)
                temporaries.append(tmp)
                _fill(fd, tmp, write)
                os.chmod(tmp, _default_mode())  # mkstemp makes 0600; give the file the usual permissions
        except BaseException as exc:
            for tmp in temporaries:
                tmp.unlink(missing_ok=True)
            failed = self.planned[min(len(temporaries), len(self.planned) - 1)][0]
            if isinstance(exc, PermissionError):
                raise OutputError.of("output-locked", "open", path=failed) from None
            if isinstance(exc, OSError):
                raise _os_error(exc, failed) from None
            if isinstance(exc, UnicodeEncodeError):  # a name the file system's encoding lacks (a GBK locale)
                raise OutputError.of("output-locked", "os-name", path=failed) from None
            raise
        return self._replace_all(temporaries)

    def _replace_all(self, temporaries: list[Path]) -> list[Path]:
        written: list[Path] = []
        for (path, _), tmp in zip(self.planned, temporaries, strict=True):
            try:
                os.replace(tmp, path)
            except OSError as exc:
                for left in temporaries[len(written):]:
                    left.unlink(missing_ok=True)
                cause = (OutputError.of("output-locked", "open", path=path) if isinstance(exc, PermissionError)
                         else _os_error(exc, path))
                if not written:  # nothing replaced yet: the usual refusal, nothing written
                    raise cause from None
                missing = [p for p, _ in self.planned[len(written):]]
                text = message("output-partial", cause=str(cause), written="、".join(map(str, written)),
                               missing="、".join(map(str, missing)))
                raise PartialOutputError(text, written, missing) from None
            written.append(path)
        return written


def check_replaceable(path: Path) -> None:
    """OutputError when ``path`` exists and cannot be opened for writing: on Windows, the file is
    open in Excel or WPS (they deny others the right to write), or it is read-only. Nothing is
    changed: the file is opened without truncating and closed at once."""
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise OutputError.of("output-is-folder", path=path, example=path / "汇总.xlsx") from None
    except PermissionError:
        raise OutputError.of("output-locked", "open", path=path) from None
    except OSError as exc:
        raise _os_error(exc, path) from None
    os.close(fd)


def _temporary(path: Path, *, make_parent: bool) -> tuple[int, Path]:
    """An open descriptor and the name of a new empty file beside ``path``."""
    try:
        if make_parent:
            path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem[:40]}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _os_error(exc, path) from None
    return fd, Path(tmp_name)


def _fill(fd: int, tmp: Path, write: Callable[[Path], None] | bytes) -> None:
    """Bytes through the open descriptor (no second open); otherwise ``write(tmp)``."""
    if isinstance(write, bytes):
        with open(fd, "wb") as stream:
            stream.write(write)
    else:
        os.close(fd)
        write(tmp)


def make_folder(folder: Path, target: Path) -> None:
    """Create ``folder`` (and its parents) if missing; OutputError naming ``target`` if refused."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _os_error(exc, target) from None


_OS_ERRORS = {  # errno → (code, catalogue variant)
    errno.EACCES: ("output-readonly", "os-denied"),
    errno.EPERM: ("output-readonly", "os-denied"),
    errno.EROFS: ("output-readonly", "os-readonly"),
    errno.ENOTDIR: ("output-not-folder", "os"),
    errno.EEXIST: ("output-not-folder", "os"),
    errno.EISDIR: ("output-is-folder", "os"),
    errno.ENOSPC: ("output-locked", "os-no-space"),
    errno.ENAMETOOLONG: ("output-locked", "os-too-long"),
}


def _os_error(exc: OSError, path: Path) -> OutputError:
    """An operating-system refusal as a Chinese message with a code, never its English text."""
    code, variant = _OS_ERRORS.get(exc.errno, ("output-locked", "os"))
    return OutputError.of(code, variant, path=path, errno=exc.errno)


def _default_mode() -> int:
    """0666 less the process umask, as a plainly created file would have."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def text_cell(cell, value: object):
    """Put a value into an openpyxl cell as plain text, never a formula (a rule text or a unit
    name starting with ``=`` stays text), holding only what a workbook can hold."""
    if isinstance(value, str):
        value = xml_text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def formula_string(text: str) -> str:
    """``text`` as a string literal inside a formula the tool writes: its quotes doubled, so that
    a grade named ``优"秀`` stays one string and never ends the literal early.

    >>> formula_string('优"秀')
    '"优""秀"'
    """
    return '"' + xml_text(text).replace('"', '""') + '"'


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE = 31  # the longest sheet name Excel accepts


def sheet_title(text: str) -> str:
    """A sheet name Excel and WPS accept made of ``text`` (a class name from a rule file, say):
    ``[ ] : * ? / \\`` become ``_``, quotes may not start or end it, 31 characters at most.

    >>> sheet_title("排名（A/B:类）"), sheet_title("'x'")
    ('排名（A_B_类）', 'x')
    """
    title = _SHEET_FORBIDDEN.sub("_", xml_text(text)).strip("'")[:SHEET_TITLE]
    return title or "_"


def write_only_text(ws, value: object):
    """A write-only cell holding ``value`` as text (for streaming sheets)."""
    from openpyxl.cell import WriteOnlyCell

    return text_cell(WriteOnlyCell(ws), value)
