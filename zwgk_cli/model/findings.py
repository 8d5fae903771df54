"""What was read: a workbook's hidden ``_meta`` (:class:`Meta`), a unit's entries
(:class:`Findings`), a matrix's or review table's rows (:class:`SourceRow`), and what one file
gave (:class:`WorkbookRead`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .. import constants as C
from ..problems import Level, Problem


@dataclass(frozen=True, slots=True)
class Meta:
    """The hidden ``_meta`` sheet of a workbook the tool wrote: key/value rows, in this order, the
    keys the field names (docs/workbook.md, "The findings workbook"). Written by every workbook the
    tool writes, read once by the front door (:mod:`zwgk_cli.reading.inputs`); a workbook without
    one reads as ``Meta()`` (``present`` False). Every value reads back as text.

    >>> Meta.from_rows([["kind", "matrix"], ["rules_version", 1.0], ["x"]]).rules_version
    '1'
    >>> [key for key, _ in Meta(kind="summary", generator="zwgk 0.1.0", generated_at="").rows()]
    ['kind', 'generated_at', 'generator']
    """

    kind: str | None = None  # unit workbooks have none; matrix, adjustments, summary, feedback, …
    rules_id: str | None = None
    rules_version: str | int | None = None
    rules_sha256: str | None = None
    template_format: str | int | None = None
    unit: str | None = None
    generated_at: str | None = None
    source: str | None = None  # a matrix's source (检查组) name
    clauses: str | None = None  # a matrix's clause ids, comma-separated
    units: str | int | None = None  # how many units a matrix or review table was made for
    generator: str | None = None  # an output: zwgk and its version
    present: bool = field(default=False, compare=False)  # read from a workbook that has the sheet

    def rows(self) -> list[tuple[str, object]]:
        """The key/value rows to write (fields left None are not written)."""
        return [(key, getattr(self, key)) for key in META_FIELDS if getattr(self, key) is not None]

    @classmethod
    def from_rows(cls, rows: list[list]) -> Meta:
        """The record a _meta sheet's rows hold (unknown keys and short rows ignored)."""
        values = {}
        for row in rows:
            key = _text(row[0]) if row else ""
            if key in META_FIELDS and len(row) >= 2:
                values[key] = _text(row[1])
        return cls(**values, present=True)

    def text(self, key: str) -> str:
        """A value as read ("" when absent)."""
        return str(getattr(self, key) or "").strip()


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if value is not None else ""


META_FIELDS = ("kind", "rules_id", "rules_version", "rules_sha256", "template_format", "unit", "generated_at",
               "source", "clauses", "units", "generator")


@dataclass(slots=True)
class Entry:
    """What was entered for one clause: the quantity (flag: 1/0), and where it came from; the
    印证材料 listed for it (file names and links as written) and their cell.

    Not frozen only because every file read builds one per clause, and workers send them all
    (three times faster to build unfrozen); once read, nothing changes one in place: a change
    is a new one (``replace``). Only its reader completes it (its 印证材料) before handing it on."""

    quantity: Decimal | None
    raw: str = ""
    cell: str = ""
    note: str = ""
    not_applicable: bool = False  # 不适用 typed: the clause's whole indicator does not apply
    evidence: tuple[str, ...] = ()
    evidence_cell: str = ""

    def __reduce__(self):
        """Pickled as a constructor call: reading workers send thousands, and the dataclass
        default (a Python-level __setstate__) costs twice as much to load."""
        if self.evidence or self.evidence_cell:
            return (Entry, (self.quantity, self.raw, self.cell, self.note, self.not_applicable, self.evidence,
                            self.evidence_cell))
        return (Entry, (self.quantity, self.raw, self.cell, self.note, self.not_applicable))


@dataclass(slots=True)
class Findings:
    """One unit's entries, as read from its workbook (or built by hand)."""

    unit: str
    entries: dict[str, Entry]
    file: str = ""
    sha256: str = ""
    warnings: list[Problem] = field(default_factory=list)
    rules_id: str = ""  # the rule set the workbook was made from
    rules_version: int | None = None  # and its version: two versions of one set may share a run
    evidence_column: str = ""  # the 印证材料 column's letter ("" in templates made before it)


@dataclass(slots=True)
class SourceRow:
    """One row of a matrix (a unit's findings for the matrix's clauses) or of a review table
    (one clause's corrected entry, its 理由 in ``Entry.note``). ``held``: the row has an
    error, so its unit is not ranked until it is fixed (暂不排名)."""

    typed: str  # the unit as written
    cell: str  # where
    entries: dict[str, Entry]
    held: bool = False
    covers: tuple[str, ...] = ()  # a matrix row: the matrix's clauses, answered even where blank


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
    # A matrix or review table (docs/workbook.md, "Several sources"): its kind, source name
    # and rule set, and one row per unit (matrix) or per correction (review).
    kind: str = C.KIND_UNIT
    source: str = ""
    rows: list[SourceRow] = field(default_factory=list)
    rules_id: str = ""
    rules_version: int | None = None
    submission: str = ""  # the .zip the file came in ("" for a file as it lies)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == Level.ERROR]

    @property
    def ok(self) -> bool:
        return self.findings is not None and not self.errors
