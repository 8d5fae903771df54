"""One cell reader for every value an office enters: a findings workbook's 填报, a matrix's clause
cell, a review row's 调整为. Each is read exactly the same way (docs/workbook.md, "What a
returned workbook may contain"): a formula's result is read and said, an error value or a formula
never calculated is refused, 不适用 only where the rule set allows it, anything else through
:func:`zwgk_cli.reading.values.entry_of`; a discretionary clause (酌情) needs its note.

>>> from zwgk_cli.rules.loading import load_rules
>>> from zwgk_cli.reading.collector import Collector
>>> place = Place(load_rules(), "评分表", {}, Collector("县财政局.xlsx"))
>>> read_entry(place, "5", "2处", "H11", "").quantity, read_entry(place, "5", "若干", "H11", "").quantity
(Decimal('2'), None)
>>> [p.code for p in place.out.problems]
['value-quantity']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..cells import cell_at, cell_text, col_letter, is_blank
from ..model import Entry, RuleSet
from .collector import Collector
from .evidence import evidence_texts
from .values import EntryError, entry_of, is_not_applicable


@dataclass(slots=True)
class Place:
    """Where values are read: the rule set, the sheet, its formula and error cells
    ({"H12": "formula"|"#DIV/0!"}), the file's problems, and a look-up of the formula cells that
    hold no stored result (asked only for a formula that reads as blank)."""

    rules: RuleSet
    sheet: str
    specials: dict[str, str]
    out: Collector
    uncalculated: Callable[[str], bool] = field(default=lambda cell: False)

    def add(self, code: str, variant: str = "", /, **values: object) -> None:
        self.out.add(code, variant, sheet=self.sheet, **values)


def read_entry(place: Place, clause_id: str, raw: object, cell: str, note: str, *,
               note_column: str = "说明") -> Entry:
    """The value of ``raw`` (in ``cell``) for the clause ``clause_id``, its ``note`` kept; every
    problem said at ``cell``. An entry that cannot be read has no quantity (and its problem is an
    error in ``place.out``); a blank one neither, without a problem."""
    special = place.specials.get(cell)
    if special and special != "formula":
        place.add("value-error", cell=cell, value=special, raw=special)
        return Entry(None, special, cell, note)
    if special == "formula" and is_blank(raw) and place.uncalculated(cell):
        place.add("formula-uncalculated", cell=cell)
        return Entry(None, "", cell, note)
    text = cell_text(raw)
    if special == "formula":
        place.add("formula-cell", cell=cell, value=text, raw=text)
    if is_blank(raw):  # most cells of a returned sheet: nothing to read, nothing to check
        return Entry(None, "", cell, note)
    if is_not_applicable(raw):
        indicator = place.rules.indicator_of(clause_id)
        if not indicator.allows_not_applicable:
            place.add("value-not-applicable", cell=cell, value=text, id=clause_id, name=indicator.name)
        return Entry(None, text, cell, note, not_applicable=True)
    clause = place.rules.clause(clause_id)
    try:
        quantity = entry_of(clause, raw)
    except EntryError as exc:
        place.out.add_built(exc.code, exc.message, sheet=place.sheet, cell=cell, value=text)
        quantity = None
    if clause.needs_note and quantity and not note:
        place.add("note-required", cell=cell, value=text, id=clause_id, sign="加" if clause.bonus else "扣",
                  raw=text, note_column=note_column)
    return Entry(quantity, text, cell, note)


def filled(entry: Entry) -> bool:
    """Whether an entry says something (blank says nothing; 0, 否 and 不适用 do)."""
    return entry.quantity is not None or entry.not_applicable


def with_evidence(entry: Entry, row: list, row_no: int, column: int | None) -> Entry:
    """The entry just read, given the 印证材料 its row lists in ``column`` (none without the
    column). Set on it rather than copied: nothing else has seen it yet."""
    value = cell_at(row, column)
    if column is None or is_blank(value):
        return entry
    items = tuple(evidence_texts(cell_text(value)))
    if items:
        entry.evidence, entry.evidence_cell = items, f"{col_letter(column)}{row_no}"
    return entry
