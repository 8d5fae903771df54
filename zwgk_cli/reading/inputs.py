"""The one front door for every input file: opened, hashed and inspected once, its kind decided
once, then given, open, to the reader of that kind.

A file's bytes are read and hashed, the container checks refuse what no parser may see
(:mod:`.containers`), python-calamine opens it, its hidden ``_meta`` is read into a :class:`Meta`,
and its kind is decided from what it holds:

- a summary or feedback sheet this tool wrote (``_meta`` kind, or its sheets): no input at all;
- a sheet 评分表: a unit's findings workbook (:mod:`.workbook`);
- a sheet 检查表 or 复核调整表, or a first sheet whose header row is a matrix's or review table's
  (one copied into a team's own workbook): a source of findings (:mod:`.matrix`);
- anything else: a findings workbook whose 评分表 is missing (refused, with the sheet it was
  probably renamed to).

Never raises for a bad file: whatever a parser does, the file ends as a :class:`WorkbookRead`
with its problems (only Ctrl-C and the like pass). With ``debug`` (``--debug``) an unexpected
error is raised, for its traceback.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from .. import constants as C
from ..model import Meta, RuleBook, RuleSet, WorkbookRead
from ..problems import Problem
from .collector import FATAL, Collector, Rejected, technical_detail, unexpected_problem
from .containers import check_sheet, inspect_container
from .opened import OpenedFile

SOURCE_SHEETS = {C.MATRIX_SHEET: C.KIND_MATRIX, C.REVIEW_SHEET: C.KIND_REVIEW}


def read_input(path: Path, rules: RuleSet | RuleBook, *, label: str | None = None,
               debug: bool = False) -> WorkbookRead:
    """Read any input file (see the module); never raises for a bad file.

    With a RuleBook the file is read against the set its ``_meta`` names (the book's default when
    it names none); with a RuleSet, against that set only.
    """
    name = label or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return WorkbookRead(name, "", None, [Problem.of("file-unreadable", file=name, why=exc.strerror)])
    return read_data(data, rules, label=name, debug=debug)


def read_data(data: bytes, rules: RuleSet | RuleBook, *, label: str, debug: bool = False) -> WorkbookRead:
    """:func:`read_input` of a file's bytes (a workbook inside a unit's .zip), named ``label``."""
    name = label
    digest = hashlib.sha256(data).hexdigest()
    book = rules if isinstance(rules, RuleBook) else RuleBook([rules])
    out = Collector(name, debug=debug)
    container = inspect_container(data)
    if not container.ok:
        out.add_built(container.code, container.message, sheet="")
        return WorkbookRead(name, digest, None, out.problems)
    try:
        return _dispatch(data, digest, container, book, out)
    except Rejected:
        return WorkbookRead(name, digest, None, out.problems)
    except BaseException as exc:  # a pyo3 PanicException is not an Exception; one file must not stop the batch
        if isinstance(exc, FATAL) or debug:
            raise
        out.add(*unexpected_problem(exc), sheet="", detail=technical_detail(exc, debug))
        return WorkbookRead(name, digest, None, out.problems)
    finally:
        if container.archive is not None:
            container.archive.close()


def _dispatch(data: bytes, digest: str, container, book: RuleBook, out: Collector) -> WorkbookRead:
    """Open the workbook, read its _meta, decide its kind, hand it to that kind's reader."""
    from .matrix import read_source
    from .workbook import read_findings

    workbook, names = open_workbook(data, out)
    opened = OpenedFile(out.file, digest, container, workbook, names, out)
    if C.META_SHEET in names:
        opened.meta = Meta.from_rows(opened.rows(C.META_SHEET))
    own = own_output(opened)
    if own:
        return WorkbookRead(out.file, digest, None, kind=C.KIND_OUTPUT, source=own)
    kind, sheet = kind_of(opened)
    if kind == C.KIND_UNIT:
        return read_findings(opened, book)
    return read_source(opened, book, kind, sheet)


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


def own_output(opened: OpenedFile) -> str:
    """The kind (:data:`constants.OUTPUT_KINDS`) of a file this tool wrote, from its hidden _meta,
    or from its sheets when _meta is gone (a file saved again by WPS keeps its sheets); "" for an
    input. A workbook holding 评分表 is a findings workbook whatever else it holds."""
    names = opened.names
    if C.SCORE_SHEET in names:
        return ""
    if opened.meta.kind in C.OUTPUT_KINDS:
        return opened.meta.kind
    if C.FEEDBACK_SHEET in names:
        return "feedback"
    if C.REJECTED_SHEET in names:
        return "rejected-feedback"
    if all(any(n.startswith(s) for n in names) for s in C.SUMMARY_SHEETS):
        return "summary"
    return ""


def kind_of(opened: OpenedFile) -> tuple[str, str]:
    """The kind of input (unit, matrix, adjustments) and the sheet its reader reads.

    A 检查表 or 复核调整表 sheet names its kind (``_meta`` may tell the two apart); a matrix copied
    into a team's own workbook is its first sheet, when the header row there is a matrix's (or a
    review table's). Anything else is read as a findings workbook."""
    from .matrix import source_header

    names, meta = opened.names, opened.meta
    if C.SCORE_SHEET in names:
        return C.KIND_UNIT, C.SCORE_SHEET
    sheet = next((s for s in SOURCE_SHEETS if s in names), None)
    if sheet is not None:
        return (meta.kind if meta.kind in SOURCE_SHEETS.values() else SOURCE_SHEETS[sheet]), sheet
    first = names[0] if names else ""
    if first:
        _check_copied(opened, first)
        found = source_header(opened.rows(first))
        if found is not None:
            return (meta.kind if meta.kind in SOURCE_SHEETS.values() else found[0]), first
    return C.KIND_UNIT, C.SCORE_SHEET


def _check_copied(opened: OpenedFile, sheet: str) -> None:
    """The damage checks for a sheet of another name (.ods and .xls are checked whole already)."""
    if getattr(opened.container, "kind", "") == "xlsx":
        refusal = check_sheet(opened.container, sheet)
        if refusal is not None:
            opened.out.add_built(refusal.code, refusal.message, sheet="")
            raise Rejected




read_workbook = read_input  # the name the package has always exported for reading one returned file
