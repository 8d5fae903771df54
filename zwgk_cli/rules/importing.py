"""A county's scoring table (its spreadsheet, shaped like :mod:`.table`) turned into rule-file
data, in pure steps: the sheet's rows → records (one per table row, merged and continued cells
filled in) → categories and sections, with their indicators → clauses (from the structured
columns when filled, else from the rule text: :mod:`.text`).

Clauses that cannot be derived are kept with ``kind: null`` and said, so that the file does not
load until a person fills them in.

>>> rows = [["一级指标", "三级指标", "赋分", "扣分标准"],
...         ["主动公开（8分）", "部门信息公开", "8", "每发现一处，扣2分。"]]
>>> result = rules_from_table(rows, {}, [], "表.xlsx")
>>> clause = result.data["categories"][0]["indicators"][0]["clauses"][0]
>>> clause["id"], clause["kind"], clause["per"], result.unparsed
('1', 'count', 2, [])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .. import constants as C
from ..cells import cell_at, cell_text
from ..exact import decimal_of, places, plain_number
from ..problems import Problem, ZwgkError
from .table import (
    COL_BONUSES,
    COL_CAP,
    COL_COUNTS,
    COL_DEDUCTIONS,
    COL_EVIDENCE,
    COL_KIND,
    COL_MAX,
    COL_NEEDS_NOTE,
    COL_PER,
    DASHES,
    EVIDENCE_OF_LABEL,
    INFO_KEYS,
    INFO_SHEET,
    KIND_OF_LABEL,
    NO_FLOOR,
    WEIGHT,
    YES,
)
from .text import ParsedClause, parse_rule_text

_CONTINUED = (C.COL_INDICATOR, C.COL_METHOD)  # blank: the row continues the indicator above
_JOINED = (C.COL_CATEGORY, C.COL_GROUP, C.COL_INDICATOR, C.COL_METHOD)  # PDF copies break words with spaces


@dataclass
class ImportResult:
    """The rule set as YAML-ready data, and what needs a person."""

    data: dict
    unparsed: list[Problem] = field(default_factory=list)
    invalid: list[Problem] = field(default_factory=list)  # why the written file cannot be used as it is


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of the table: its number in the sheet, its cells by column name, and whether it
    starts an indicator (a 赋分, or another 三级指标 than the row above)."""

    number: int
    cells: dict[str, str]
    new_indicator: bool

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


def rules_from_table(rows: list[list], info: dict, errata: list[list], source: str) -> ImportResult:
    """The rule-file data of a table's rows (its 细则信息 pairs ``info`` and 勘误 rows ``errata``
    beside), and the cells that need a person; ZwgkError when no row is a header."""
    records = table_records(rows, source)
    categories, sections = [], []
    unparsed: list[Problem] = []
    bonus_min_total = None
    for record in records:
        name, weight = _part_name(record.get(C.COL_CATEGORY))
        if name.startswith(C.SECTION_NAMES):
            read = _section_row(sections, name, record, source)
        else:
            read = _category_row(categories, name, weight, record, source, unparsed)
        unparsed += read.problems
        bonus_min_total = read.bonus_min_total if read.bonus_min_total is not None else bonus_min_total
    _number_clauses(categories)
    unparsed += [Problem.of("rules-invalid", "table-key", file=source, sheet=INFO_SHEET, value=key, key=key,
                            sheet_name=INFO_SHEET, keys="、".join(INFO_KEYS))
                 for key in info if key not in INFO_KEYS]  # a damaged or misspelt item: its setting would be lost
    return ImportResult(rule_data(categories, sections, info, errata, source, bonus_min_total), unparsed)


def table_records(rows: list[list], source: str) -> list[TableRow]:
    """The table's rows below its header (the row holding 三级指标), as records: blank rows and a
    header repeated on a new page left out, a row that continues an indicator given its name and
    考核方式, every row its 一级指标."""
    header_at = next((i for i, r in enumerate(rows) if C.COL_INDICATOR in [str(v).strip() for v in r]), None)
    if header_at is None:
        raise ZwgkError.of("table-invalid", "header", source=source, column=C.COL_INDICATOR)
    columns = {str(v).strip().replace(" ", ""): i for i, v in enumerate(rows[header_at]) if v not in (None, "")}
    last: dict[str, str] = {}
    records = []
    for number, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        cells = {name: _text(row, col) for name, col in columns.items()}
        for name in _JOINED:
            cells[name] = re.sub(r"\s+", "", cells.get(name, ""))
        if not any(cells.values()) or cells[C.COL_INDICATOR] == C.COL_INDICATOR \
                or cells[C.COL_CATEGORY] == C.COL_CATEGORY:
            continue  # blank, or the header repeated on a new page
        indicator = cells[C.COL_INDICATOR]
        new_indicator = bool(cells.get(C.COL_POINTS)) or bool(indicator and indicator != last.get(C.COL_INDICATOR))
        cells[C.COL_CATEGORY] = last[C.COL_CATEGORY] = cells[C.COL_CATEGORY] or last.get(C.COL_CATEGORY, "")
        whole_unit = cells[C.COL_CATEGORY].startswith(C.SECTION_NAMES)
        for name in _CONTINUED:
            if cells.get(name):
                last[name] = cells[name]
            elif not new_indicator and not whole_unit:
                cells[name] = last.get(name, "")
        records.append(TableRow(number, cells, new_indicator))
    return records


def _part_name(text: str) -> tuple[str, Decimal | None]:
    """A 一级指标 cell's name and weight: 主动公开（38分） → (主动公开, 38)."""
    match = WEIGHT.match(text)
    return (match.group(1).strip(), decimal_of(match.group(2))) if match else (text.strip(), None)


@dataclass
class RowClauses:
    """What one row's rule gives: its clauses, what could not be read, whether it says the
    indicator may not apply (无此项工作的不扣分), and a bonus threshold (总分达到X分以上的，方可加分)."""

    clauses: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    not_applicable: bool = False
    bonus_min_total: Decimal | None = None


def _category_row(categories: list[dict], name: str, weight: Decimal | None, record: TableRow, source: str,
                  unparsed: list[Problem]) -> RowClauses:
    """A category's row: a new category when the name changes, a new indicator when the row starts
    one; its clauses join the indicator."""
    if not categories or categories[-1]["name"] != name:
        if weight is None:
            unparsed.append(Problem.of("rules-invalid", "no-weight", file=source, cell=f"A{record.number}",
                                       category=record.get(C.COL_CATEGORY)))
        categories.append({"name": name, "weight": _num(weight or Decimal(0)), "indicators": []})
    indicators = categories[-1]["indicators"]
    if record.new_indicator or not indicators:
        points = decimal_of(record.get(C.COL_POINTS) or None)
        indicators.append({"group": record.get(C.COL_GROUP), "name": record.get(C.COL_INDICATOR),
                           "points": _num(points), "method": record.get(C.COL_METHOD), "clauses": []})
    indicator = indicators[-1]
    read = row_clauses(record, indicator["points"], source)
    indicator["clauses"] += read.clauses
    if record.get(C.NOT_APPLICABLE) == YES or read.not_applicable:
        indicator["na"] = True
    return read


def _section_row(sections: list[dict], name: str, record: TableRow, source: str) -> RowClauses:
    """A whole-unit section's row (综合加分项, 重大扣分项): each clause an item of its own."""
    bonus = name.startswith(C.BONUS_SECTION) or bool(record.get(COL_BONUSES)) and not record.get(COL_DEDUCTIONS)
    if not sections or sections[-1]["name"] != name:
        sections.append({"name": name, "bonus": bonus, "method": record.get(C.COL_METHOD), "clauses": []})
    section = sections[-1]
    letter = "J" if section["bonus"] else "K"  # the items are numbered J1… (bonus) and K1… in table order
    numbered = sum(len(s["clauses"]) for s in sections if s["bonus"] == section["bonus"])
    read = row_clauses(record, None, source, whole_unit=True)
    for n, clause in enumerate(read.clauses, start=numbered + 1):
        clause.setdefault("id", f"{letter}{n}")
        clause.setdefault("name", record.get(C.COL_INDICATOR) or clause["text"][:30])
        clause.setdefault("part", record.get(C.COL_GROUP))
        clause.pop("bonus", None)
    section["clauses"] += read.clauses
    return read


def row_clauses(record: TableRow, points, source: str, *, whole_unit: bool = False) -> RowClauses:
    """A row's clauses: from its structured columns when 计分方式 and 每次分值 are filled, else
    parsed from its rule text; what cannot be read is said (and kept with ``kind: null``)."""
    text = record.get(COL_DEDUCTIONS) or record.get(COL_BONUSES)
    bonus = not record.get(COL_DEDUCTIONS) and bool(record.get(COL_BONUSES))
    read = RowClauses()
    if record.get(COL_KIND) and record.get(COL_PER):
        read.clauses.append(_structured(record, text, bonus, source, read.problems))
        return read
    parsed = parse_rule_text(text, decimal_of(points) if points is not None else None)
    read.not_applicable = parsed.not_applicable and not whole_unit  # a whole-unit item always applies
    read.bonus_min_total = parsed.bonus_min_total
    read.clauses = [_parsed(c, whole_unit) for c in parsed.clauses]
    for sentence in parsed.unparsed:
        read.problems.append(Problem.of("rules-invalid", "unparsed", file=source, cell=f"行{record.number}",
                                        value=sentence, sentence=sentence))
        read.clauses.append({"kind": None, "per": None, "text": sentence, "bonus": bonus})
    return read


def _structured(record: TableRow, text: str, bonus: bool, source: str, problems: list[Problem]) -> dict:
    """A clause from the structured columns, each number checked (never dropped without a word)."""
    def number(column: str):
        value = decimal_of(record.get(column))
        if value is None or not value.is_finite() or places(value) > 2:  # 1e-400 is no rule's number
            problems.append(Problem.of("rules-invalid", "table-number", file=source, cell=f"行{record.number}",
                                       value=record.get(column), column=column, got=record.get(column)))
            return None
        return _num(value)

    kind = record.get(COL_KIND)
    clause = {"kind": KIND_OF_LABEL.get(kind, kind), "per": number(COL_PER), "text": text, "bonus": bonus}
    if record.get(C.COL_ID):
        clause["id"] = record.get(C.COL_ID)
    if record.get(COL_CAP):
        clause["cap"] = number(COL_CAP)
    if record.get(COL_MAX):
        most = number(COL_MAX)
        if most is not None and not isinstance(most, int):  # 2.5 times: no count can reach it
            problems.append(Problem.of("rules-invalid", "table-whole", file=source, cell=f"行{record.number}",
                                       value=record.get(COL_MAX), column=COL_MAX, got=record.get(COL_MAX)))
            most = None
        clause["max"] = most
    if record.get(COL_NEEDS_NOTE) == YES:
        clause["needs_note"] = True
    if record.get(COL_COUNTS):
        clause["counts"] = record.get(COL_COUNTS)
    if record.get(C.VETO_LABEL) == YES:
        clause["veto"] = True
    if record.get(COL_EVIDENCE) in EVIDENCE_OF_LABEL:
        clause["evidence"] = EVIDENCE_OF_LABEL[record.get(COL_EVIDENCE)]
    elif record.get(COL_EVIDENCE):
        problems.append(Problem.of("rules-invalid", "table-choice", file=source, cell=f"行{record.number}",
                                   value=record.get(COL_EVIDENCE), column=COL_EVIDENCE, got=record.get(COL_EVIDENCE),
                                   choices="、".join(EVIDENCE_OF_LABEL)))
    return clause


def _parsed(parsed: ParsedClause, whole_unit: bool) -> dict:
    kind = parsed.kind
    if whole_unit and kind == "flag" and not parsed.bonus and not parsed.veto:
        kind = "count"  # 重大扣分项: the deduction applies to each case (a veto applies once)
    clause = {"kind": kind, "per": _num(parsed.per), "text": parsed.text, "bonus": parsed.bonus}
    if parsed.veto:
        clause["veto"] = True
    if parsed.cap is not None:
        clause["cap"] = _num(parsed.cap)
    if parsed.max_count is not None:
        clause["max"] = parsed.max_count
    return clause


def _number_clauses(categories: list[dict]) -> None:
    """The 编号 of every clause the table does not give one: the indicators numbered in table order
    (5, or 10a/10b when an indicator has two)."""
    for number, indicator in enumerate((i for category in categories for i in category["indicators"]), start=1):
        many = len(indicator["clauses"]) > 1
        for i, clause in enumerate(indicator["clauses"]):
            clause.setdefault("id", f"{number}{'abcdefghij'[i]}" if many else str(number))
    for clause in (c for category in categories for i in category["indicators"] for c in i["clauses"]):
        if not clause.get("bonus"):
            clause.pop("bonus", None)


def rule_data(categories: list[dict], sections: list[dict], info: dict, errata: list[list], source: str,
              bonus_min_total: Decimal | None) -> dict:
    """The rule-file data: the 细则信息 fields and policies, the parts, the errata."""
    policy = {"category_cap": _yes(info.get("category_cap"), True),
              "indicator_cap": _yes(info.get("indicator_cap"), False),
              "floor": _floor(info.get("floor"))}
    if info.get("bonus_cap") not in (None, ""):
        policy["bonus_cap"] = _num(decimal_of(info["bonus_cap"]))
    if bonus_min_total is not None:
        policy["bonus_min_total"] = _num(bonus_min_total)
    policy.update(_scheme_policy(info))
    if info.get("grades"):
        policy["grades"] = [{"name": n, "min": _num(decimal_of(m))} for n, m in
                            (g.rsplit(":", 1) for g in str(info["grades"]).split("；") if ":" in g)]
    stem = re.sub(r"[^0-9A-Za-z-]+", "-", Path(source).stem).strip("-").lower() or "imported"
    return {
        "id": str(info.get("id") or stem), "title": str(info.get("title") or Path(source).stem),
        "issuer": str(info.get("issuer") or ""), "year": _int(info.get("year")),
        "class": str(info.get("class") or ""), "version": _int(info.get("version")) or 1,
        "full_marks": _num(decimal_of(info.get("full_marks")) or Decimal(100)), "policy": policy,
        "categories": categories, "sections": sections,
        "errata": [{"id": str(r[0]), "where": str(r[1]), "source": str(r[2]), "decision": str(r[3])}
                   for r in errata if len(r) >= 4 and r[0]],
    }


def _scheme_policy(info: dict) -> dict:
    """细则信息 not_applicable, veto_total, bonus_min_total, where given."""
    policy = {}
    if info.get("not_applicable") not in (None, ""):
        policy["not_applicable"] = str(info["not_applicable"]).strip()
    for key in ("veto_total", "bonus_min_total"):
        if info.get(key) not in (None, ""):
            policy[key] = _num(decimal_of(info[key]))
    if info.get("evidence_policy") not in (None, ""):
        policy["evidence_policy"] = str(info["evidence_policy"]).strip()
    return policy


def _floor(value):
    """细则信息 floor: a number, 不设 (no floor), or blank (the usual 0)."""
    if value in (None, ""):
        return 0
    if str(value).strip() in (NO_FLOOR, "无", "否"):
        return None
    return _num(decimal_of(value))


def _text(row: list, col: int) -> str:
    """A cell of the official table; a dash standing for "none" reads as empty."""
    text = cell_text(cell_at(row, col))
    return "" if text in DASHES else text


def _num(value: Decimal | None):
    """A YAML number: int when whole."""
    return None if value is None else plain_number(value)


def _int(value) -> int | None:
    number = decimal_of(value)
    return int(number) if number is not None and number.is_finite() and abs(number) < 10 ** 9 else None


def _yes(value, default: bool) -> bool:
    if value in (None, ""):
        return default
    return str(value).strip() in (YES, "true", "True", "1", "yes")
