"""Rule sets to and from spreadsheets shaped like the official table.

``export_rules`` writes the official columns (一级指标 … 考核方式) plus structured ones
(编号, 计分方式, 每次分值, 上限, 最多次数, 加分, 须说明); ``import_rules`` reads such a sheet
back — or one with only the official columns, merged cells and all — and derives what is
missing from the rule text (:mod:`zwgk_cli.rules.text`). Clauses it cannot derive are written
with ``kind: null`` so that the file does not load until a person fills them in.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .. import constants as C
from ..cells import cell_at, cell_text, col_letter
from ..exact import decimal_of, plain_number, show
from ..model import SCORING_KIND_LABELS, RuleSet
from ..problems import Level, Problem, RuleSetError, ZwgkError
from ..reading.containers import inspect_container
from ..reading.isolation import isolated_call
from ..rules.text import ParsedClause, parse_rule_text

TABLE_SHEET, INFO_SHEET, ERRATA_SHEET = "评分表", "细则信息", "勘误"
OFFICIAL = (C.COL_CATEGORY, C.COL_GROUP, C.COL_INDICATOR, C.COL_POINTS, "扣分标准", "加分标准", C.COL_METHOD)
STRUCTURED = (C.COL_ID, "计分方式", "每次分值", "上限", "最多次数", "须说明", "填报内容",
              C.NOT_APPLICABLE, C.VETO_LABEL)
KIND_OF_LABEL = {label: kind.value for kind, label in SCORING_KIND_LABELS.items()}  # str: YAML cannot dump an enum
_WEIGHT = re.compile(r"^(.*?)[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]\s*$")
NO_FLOOR = "不设"


def export_rules(rules: RuleSet, path: Path, *, force: bool = False) -> Path:
    """The rule set as a spreadsheet a county office can edit (one row per clause)."""
    from openpyxl import Workbook

    from .output import atomic_write, text_cell
    from .style import print_setup, set_widths, styles, table_header

    st = styles()
    wb = Workbook()
    ws = wb.active
    ws.title = TABLE_SHEET
    table_header(ws, 1, OFFICIAL + STRUCTURED, st)
    for row, values in enumerate(_table_rows(rules), start=2):
        for col, value in enumerate(values, start=1):
            cell = text_cell(ws.cell(row=row, column=col), value if value != "" else None)
            cell.alignment = st["wrap"]
            cell.border = st["border"]
    widths = (14, 10, 18, 6, 44, 30, 16, 7, 8, 8, 7, 8, 7, 20, 7, 8)
    set_widths(ws, {col_letter(i): width for i, width in enumerate(widths)})
    ws.freeze_panes = "A2"
    print_setup(ws, title_rows="1:1")
    _info_sheet(wb.create_sheet(INFO_SHEET), rules)
    errata = wb.create_sheet(ERRATA_SHEET)
    for row, values in enumerate([("编号", "位置", "原表", "处理"),
                                  *((e.id, e.where, e.source, e.decision) for e in rules.errata)], start=1):
        for col, value in enumerate(values, start=1):
            text_cell(errata.cell(row=row, column=col), value)
    return atomic_write(path, wb.save, force=force)


def _table_rows(rules: RuleSet):
    """One row per clause; an indicator's group, name and 赋分 on its first row only (the
    rows below continue it, as in the official table)."""
    for part in (*rules.categories, *rules.sections):
        name = part.name if part.whole_unit else f"{part.name}（{show(part.weight)}分）"
        for indicator in part.indicators:
            for clause in indicator.clauses:
                first = clause is indicator.clauses[0]
                rule = ("", clause.text) if clause.bonus else (clause.text, "")
                yield (name, indicator.group if first else "", indicator.name if first else "",
                       show(indicator.stated_points(clause.id)), *rule, indicator.method,
                       clause.id, SCORING_KIND_LABELS[clause.kind], show(clause.per), show(clause.cap),
                       clause.max_count or "", "是" if clause.needs_note else "", clause.counts,
                       "是" if indicator.na else "", "是" if clause.veto else "")


def _info_sheet(ws, rules: RuleSet) -> None:
    from .output import text_cell

    rows = [("项目", "值")]
    grades = "；".join(f"{g.name}:{show(g.min)}" for g in rules.grades)
    for key, value in (("id", rules.id), ("title", rules.title), ("issuer", rules.issuer),
                       ("year", rules.year), ("class", rules.klass), ("version", rules.version),
                       ("full_marks", show(rules.full_marks)),
                       ("category_cap", "是" if rules.category_cap else "否"),
                       ("indicator_cap", "是" if rules.indicator_cap else "否"),
                       ("bonus_cap", show(rules.bonus_cap)),
                       ("floor", show(rules.floor) if rules.floor is not None else NO_FLOOR),
                       ("grades", grades), ("not_applicable", rules.not_applicable),
                       ("veto_total", show(rules.veto_total)), ("bonus_min_total", show(rules.bonus_min_total))):
        rows.append((key, value))
    for row, (key, value) in enumerate(rows, start=1):
        text_cell(ws.cell(row=row, column=1), key)
        text_cell(ws.cell(row=row, column=2), value)


@dataclass
class ImportResult:
    """The rule set as YAML-ready data, and what needs a person."""

    data: dict
    unparsed: list[Problem] = field(default_factory=list)
    invalid: list[Problem] = field(default_factory=list)  # why the written file cannot be used as it is


def import_rules(path: Path) -> ImportResult:
    """Read an official-shaped table (with or without the structured columns)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ZwgkError.of("table-invalid", path=path, why=exc.strerror) from None
    parts = isolated_call(_table_parts, data, _unusable)
    if parts is None:
        raise ZwgkError.of("table-invalid", "format", path=path)
    rows, info, errata = parts
    builder = _Importer(path.name)
    builder.read_rows(rows)
    return ImportResult(builder.finish(info, errata[1:]), builder.unparsed)


def _table_parts(data: bytes) -> tuple[list[list], dict[str, str], list[list]] | None:
    """In a reading worker, where a damaged table that makes the parser panic, abort or run away
    costs only a refusal: the container checks, then the table (merged cells filled), the
    细则信息 pairs and the errata. None when the container checks refuse the file."""
    from python_calamine import CalamineWorkbook

    container = inspect_container(data)
    if container.archive is not None:
        container.archive.close()
    if not container.ok:
        return None
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheet = book.get_sheet_by_name(TABLE_SHEET if TABLE_SHEET in book.sheet_names else book.sheet_names[0])
    rows = _unmerged(sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges)
    errata = book.get_sheet_by_name(ERRATA_SHEET).to_python() if ERRATA_SHEET in book.sheet_names else []
    return rows, _read_pairs(book, INFO_SHEET), errata


def _unusable(data: bytes, death) -> None:
    """A table whose parser failed, died or overran its limits: refused like a damaged one."""
    return None


def _unmerged(rows: list[list], merged) -> list[list]:
    """Every cell of a merged range holds the range's value (calamine gives it to the first only)."""
    rows = [list(r) for r in rows]
    for (top, left), (bottom, right) in merged or []:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, len(rows[r]) - 1) + 1):
                rows[r][c] = value
    return rows


def _read_pairs(book, sheet: str) -> dict[str, str]:
    if sheet not in book.sheet_names:
        return {}
    return {str(r[0]).strip(): r[1] for r in book.get_sheet_by_name(sheet).to_python()[1:]
            if len(r) > 1 and r[0] not in (None, "")}


class _Importer:
    """Rows of the official table → categories, indicators, clauses (merged cells filled down)."""

    def __init__(self, source: str):
        self.source = source
        self.categories: list[dict] = []
        self.sections: list[dict] = []
        self.unparsed: list[Problem] = []
        self.numbers = {"indicator": 0, "J": 0, "K": 0}
        self.read_na = False  # the last row's rule text said 不适用 (无此项工作的不扣分, 按比例折算)
        self.bonus_min_total: Decimal | None = None  # a rule text said 总分达到X分以上的，方可加分

    def read_rows(self, rows: list[list]) -> None:
        header_at = next((i for i, r in enumerate(rows) if "三级指标" in [str(v).strip() for v in r]), None)
        if header_at is None:
            raise ZwgkError.of("table-invalid", "header", source=self.source, column="三级指标")
        columns = {str(v).strip().replace(" ", ""): i for i, v in enumerate(rows[header_at]) if v not in (None, "")}
        last: dict[str, str] = {}
        for number, row in enumerate(rows[header_at + 1:], start=header_at + 2):
            cells = {name: _text(row, col) for name, col in columns.items()}
            for name in ("一级指标", "二级指标", "三级指标", "考核方式"):  # PDF copies break words with spaces
                cells[name] = re.sub(r"\s+", "", cells.get(name, ""))
            if not any(cells.values()) or cells.get("三级指标") == "三级指标" or cells.get("一级指标") == "一级指标":
                continue  # blank, or a header repeated on a new page
            indicator = cells.get("三级指标", "")
            new_indicator = bool(cells.get("赋分")) or bool(indicator and indicator != last.get("三级指标"))
            cells["一级指标"] = last["一级指标"] = cells.get("一级指标") or last.get("一级指标", "")
            whole_unit = cells["一级指标"].startswith(C.SECTION_NAMES)
            for name in ("三级指标", "考核方式"):  # blank: the row continues the indicator above
                if cells.get(name):
                    last[name] = cells[name]
                elif not new_indicator and not whole_unit:
                    cells[name] = last.get(name, "")
            self.add_row(cells, number, new_indicator)

    def add_row(self, cells: dict[str, str], row: int, new_indicator: bool) -> None:
        category_text = cells.get("一级指标", "")
        match = _WEIGHT.match(category_text)
        name = match.group(1).strip() if match else category_text.strip()
        if any(name.startswith(s) for s in C.SECTION_NAMES):
            self.add_section_row(name, cells, row)
            return
        if not self.categories or self.categories[-1]["name"] != name:
            weight = decimal_of(match.group(2)) if match else None
            if weight is None:
                self.unparsed.append(Problem.of("rules-invalid", "no-weight", file=self.source, cell=f"A{row}",
                                                category=category_text))
            self.categories.append({"name": name, "weight": _num(weight or Decimal(0)), "indicators": []})
        indicators = self.categories[-1]["indicators"]
        if new_indicator or not indicators:
            points = decimal_of(cells.get("赋分") or None)
            indicators.append({"group": cells.get("二级指标", ""), "name": cells.get("三级指标", ""),
                               "points": _num(points) if points is not None else None,
                               "method": cells.get("考核方式", ""), "clauses": []})
            self.numbers["indicator"] += 1
        indicator = indicators[-1]
        indicator["clauses"] += self.clauses_of(cells, row, indicator["points"])
        if cells.get(C.NOT_APPLICABLE) == "是" or self.read_na:
            indicator["na"] = True
        number, many = str(self.numbers["indicator"]), len(indicator["clauses"]) > 1
        for i, clause in enumerate(indicator["clauses"]):  # 5, or 10a/10b when an indicator has two
            if "id" not in clause or clause.get("_auto"):
                clause["id"], clause["_auto"] = (f"{number}{'abcdefghij'[i]}" if many else number), True

    def add_section_row(self, name: str, cells: dict[str, str], row: int) -> None:
        bonus = name.startswith(C.BONUS_SECTION) or bool(cells.get("加分标准")) and not cells.get("扣分标准")
        if not self.sections or self.sections[-1]["name"] != name:
            self.sections.append({"name": name, "bonus": bonus, "method": cells.get("考核方式", ""), "clauses": []})
        section = self.sections[-1]
        letter = "J" if section["bonus"] else "K"
        for clause in self.clauses_of(cells, row, None, whole_unit=True):
            self.numbers[letter] += 1
            clause.setdefault("id", f"{letter}{self.numbers[letter]}")
            clause.setdefault("name", cells.get("三级指标") or clause["text"][:30])
            clause.setdefault("part", cells.get("二级指标", ""))
            clause.pop("bonus", None)
            section["clauses"].append(clause)

    def clauses_of(self, cells: dict[str, str], row: int, points, *, whole_unit: bool = False) -> list[dict]:
        """Structured columns when filled, else what the rule text says."""
        text = cells.get("扣分标准") or cells.get("加分标准") or ""
        bonus = not cells.get("扣分标准") and bool(cells.get("加分标准"))
        if cells.get("计分方式") and cells.get("每次分值"):
            self.read_na = False
            return [self.structured(cells, text, bonus, row)]
        result = parse_rule_text(text, decimal_of(points) if points is not None else None)
        self.read_na = result.not_applicable and not whole_unit  # a whole-unit item always applies
        if result.bonus_min_total is not None:
            self.bonus_min_total = result.bonus_min_total
        clauses = [self.parsed(c, whole_unit) for c in result.clauses]
        for sentence in result.unparsed:
            self.unparsed.append(Problem.of("rules-invalid", "unparsed", file=self.source, cell=f"行{row}",
                                            value=sentence, sentence=sentence))
            clauses.append({"kind": None, "per": None, "text": sentence, "bonus": bonus})
        return clauses

    def number(self, cells: dict[str, str], column: str, row: int):
        """A structured column's number (int when whole); None, said as a problem naming the cell,
        when the cell holds something else (「八分」, 「3次」): never dropped without a word."""
        value = decimal_of(cells[column])
        if value is None or not value.is_finite():
            self.unparsed.append(Problem.of("rules-invalid", "table-number", file=self.source, cell=f"行{row}",
                                            value=cells[column], column=column, got=cells[column]))
            return None
        return _num(value)

    def structured(self, cells: dict[str, str], text: str, bonus: bool, row: int) -> dict:
        clause = {"kind": KIND_OF_LABEL.get(cells["计分方式"], cells["计分方式"]),
                  "per": self.number(cells, "每次分值", row), "text": text, "bonus": bonus}
        if cells.get("编号"):
            clause["id"] = cells["编号"]
        if cells.get("上限"):
            clause["cap"] = self.number(cells, "上限", row)
        if cells.get("最多次数"):
            most = self.number(cells, "最多次数", row)
            clause["max"] = most if isinstance(most, int) else None
        if cells.get("须说明") == "是":
            clause["needs_note"] = True
        if cells.get("填报内容"):
            clause["counts"] = cells["填报内容"]
        if cells.get(C.VETO_LABEL) == "是":
            clause["veto"] = True
        return clause

    @staticmethod
    def parsed(parsed: ParsedClause, whole_unit: bool) -> dict:
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

    def finish(self, info: dict, errata: list[list]) -> dict:
        for category in self.categories:
            for indicator in category["indicators"]:
                for clause in indicator["clauses"]:
                    clause.pop("_auto", None)
                    if not clause.get("bonus"):
                        clause.pop("bonus", None)
        policy = {"category_cap": _yes(info.get("category_cap"), True),
                  "indicator_cap": _yes(info.get("indicator_cap"), False),
                  "floor": _floor(info.get("floor"))}
        if info.get("bonus_cap") not in (None, ""):
            policy["bonus_cap"] = _num(decimal_of(info["bonus_cap"]))
        if self.bonus_min_total is not None:
            policy["bonus_min_total"] = _num(self.bonus_min_total)
        policy.update(_scheme_policy(info))
        if info.get("grades"):
            policy["grades"] = [{"name": n, "min": _num(decimal_of(m))} for n, m in
                                (g.split(":") for g in str(info["grades"]).split("；") if ":" in g)]
        stem = re.sub(r"[^0-9A-Za-z-]+", "-", Path(self.source).stem).strip("-").lower() or "imported"
        return {
            "id": str(info.get("id") or stem), "title": str(info.get("title") or Path(self.source).stem),
            "issuer": str(info.get("issuer") or ""), "year": _int(info.get("year")),
            "class": str(info.get("class") or ""), "version": _int(info.get("version")) or 1,
            "full_marks": _num(decimal_of(info.get("full_marks")) or Decimal(100)), "policy": policy,
            "categories": self.categories, "sections": self.sections,
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
    return "" if text in ("-", "－", "—", "–") else text


def _num(value: Decimal | None):
    """A YAML number: int when whole."""
    if value is None:
        return None
    return plain_number(value)


def _int(value) -> int | None:
    number = decimal_of(value)
    return int(number) if number is not None else None


def _yes(value, default: bool) -> bool:
    if value in (None, ""):
        return default
    return str(value).strip() in ("是", "true", "True", "1", "yes")


def import_to_file(table: Path, output: Path, *, force: bool = False) -> ImportResult:
    """Import ``table`` and write the rule file (atomically); the result says what needs a person."""
    from .output import atomic_write

    result = import_rules(table)
    text = dump_yaml(result.data)
    result.invalid = _refusals(text, output)
    atomic_write(output, lambda tmp: tmp.write_text(text, encoding="utf-8"), force=force)
    return result


def _refusals(text: str, output: Path) -> list[Problem]:
    """What every command would refuse in the rule file written (a duplicated row's 编号, weights
    not adding up …), so that the import says so now instead of exiting 0."""
    from ..rules.checking import check_rules
    from ..rules.loading import parse_rules

    try:
        rules = parse_rules(text.encode("utf-8"), source=str(output))
    except RuleSetError as refused:
        return [p for p in refused.problems if "kind" not in p.message]  # kind: null is said apart
    return [p for p in check_rules(rules) if p.level == Level.ERROR]


def dump_yaml(data: dict) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
