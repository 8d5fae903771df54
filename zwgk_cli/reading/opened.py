"""A file opened by the front door (:mod:`.inputs`), and what every reader asks of it: a sheet's
rows (parsed once, cleaned of what no workbook can hold) and the rule set its ``_meta`` names."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import constants as C
from ..cells import cell_ref, clean_rows
from ..model import Meta, RuleBook, RuleSet
from ..problems import Level
from .collector import FATAL, Collector, technical_detail


@dataclass(slots=True)
class OpenedFile:
    """A file opened once: its label, digest, checked container, calamine workbook, sheet names,
    ``_meta`` and the collector of its problems. Each sheet is parsed at most once."""

    label: str
    sha256: str
    container: object
    workbook: object
    names: list[str]
    out: Collector
    meta: Meta = field(default_factory=Meta)
    _rows: dict[str, list[list]] = field(default_factory=dict)

    def rows(self, sheet: str) -> list[list]:
        """A sheet's cells from A1, cleaned of characters no workbook can hold (each said, with its
        cell); calamine reads sheets lazily, so damage can surface here as a refusal."""
        if sheet not in self._rows:
            self._rows[sheet] = _sheet_rows(self.workbook, sheet, self.out)
        return self._rows[sheet]


def _sheet_rows(workbook, sheet: str, out: Collector) -> list[list]:
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


def rules_of(opened: OpenedFile, book: RuleBook, *, findings: bool) -> RuleSet:
    """The rule set the file was made from, by its ``_meta``; a refusal when it is none of the
    book's. A findings workbook without ``_meta`` is read with the book's default, said as a
    warning (one whose ``_meta`` names no set is refused); a matrix copied into a team's own
    workbook has none, and is read with the default."""
    meta, out = opened.meta, opened.out
    made_id, made_version = meta.text("rules_id"), meta.text("rules_version")
    if findings and not meta.present:
        out.add("meta-ruleset", "no-meta", level=Level.WARNING, sheet="", meta_sheet=C.META_SHEET,
                rules=book.default.label())
        return book.default
    if not made_id and not findings:
        return book.default
    rules = book.find(made_id, made_version)
    if rules is None:
        raise out.reject("meta-ruleset", "other", sheet=C.META_SHEET, made_id=made_id or "（未知）",
                         made_version=made_version or "?", known="、".join(r.label() for r in book.sets))
    if meta.text("rules_sha256") not in ("", rules.sha256):  # the set was edited since
        out.add("meta-ruleset", "changed", level=Level.WARNING, sheet=C.META_SHEET, rules=rules.label())
    return rules
