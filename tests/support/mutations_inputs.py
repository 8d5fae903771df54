"""Mutation fuzzing of every input zwgk reads besides a unit's findings workbook: inspection
matrices (检查表), review tables (复核调整表), rosters (.txt/.csv/.xlsx/.xls/.ods), last season's
results (rank --json and 汇总.xlsx), rule files (YAML, ``--rules FILE`` and ``rules
check/show/export``) and rule tables (.xlsx for ``rules import``).

The method of tests/support/mutations.py and tests/support/mutations_sources.py — good seeds, then damage — with
their byte, zip, XML, BIFF, JSON and CSV mutators, and structure-aware ones on top: strings a
workbook cannot hold (U+FFFE, C0 controls, ``_x0001_``, ``&#xB;``, lone surrogates, 500,000
characters, emoji, CJK Extension B) and formula injections (``=``, ``+``, ``-``, ``@``, a ``"``
that breaks out of a formula the template writes) in every text field, odd numbers (1e308,
1.0e-400, NaN, many decimals, ``3次``), YAML anchor bombs, duplicated keys, deep nesting, tabs
and other encodings, rule sets ``rules check`` calls wrong, duplicated rule-table rows, a cell
written twice in last season's summary, wrong JSON types, roster 类别 spellings, cover pages.

Each mutant is used the way a clerk would use it, with the other inputs good (a small season:
three units of the built-in rule set, a fourth of demo-2023-b where two classes are needed), in
a process of its own (forked: its time and peak memory are measured, a hang is killed), and
every output it wrote (templates, matrices, review tables, feedback sheets, 汇总.xlsx, 通报.docx,
exported rule tables) is searched for formulas the tool did not write. Outcomes:

- ``internal-error``: exit 2 with ``internal-error``, or a Python class name or traceback in the output;
- ``injected-formula``: a formula holding the marker ZWGKINJECT, or one the unmutated run never writes;
- ``broken-output``: a workbook written that Excel cannot open (a sheet name over 31 characters or
  holding ``[]:*?/\\``);
- ``lost-outputs``: a bad matrix/review table stopped the whole run, cost other files their
  results, or held back every unit though the file itself was read;
- ``silent-change``: exit 0, no warning the unmutated run did not have, and other results —
  where the damage could not have changed a value legitimately;
- ``slow`` (a command over 10 s) and ``memory`` (over 1 GB peak RSS);
- ``unclear-refusal``: refused without naming the file, or with an unclear message;
- ``refused``, ``read``, ``read-warned`` (other results, with a warning the seed's run did not
  have) and ``read-changed`` (a legitimate change, e.g. a renamed unit): fine.

    python tests/support/mutations_inputs.py OUT_DIR [--per-seed N] [--seed S] [--jobs 2] [--kinds rule-file,roster]
    python tests/support/mutations_inputs.py OUT_DIR --cases   # each named case, every command its own process

prints a table of outcomes per input kind and writes every failing mutant, with what was done
to it and what happened, under OUT_DIR/repro/. The named reproducers of every distinct failure
found are :data:`CASES` (tested in tests/test_fuzz_inputs.py).
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import resource
import shutil
import signal
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

HERE = Path(__file__).parent.parent  # tests/
sys.path.insert(0, str(HERE))  # run by hand: python tests/support/mutations_inputs.py …

from support.mutations import CLASS_NAME, cut, flip_bytes, rewrite_zip, splice  # noqa: E402
from support.mutations_sources import OWN, ROSTER, UNITS, mutate_any  # noqa: E402

FIXTURES = HERE / "fixtures"
DEMO_B = FIXTURES / "demo-2023-b.yaml"
DEMO_C = FIXTURES / "demo-2024-c.yaml"
BUILTIN = "jiangxian-2022-a"
MARKER = "ZWGKINJECT"
FOURTH = "县测试丁局"  # the class-B unit of the two-class season (demo-2023-b)
SLOW_SECONDS = 10.0
MEMORY_BYTES = 1 << 30
KILL_SECONDS = 30.0

# --- what goes into text fields -------------------------------------------------------------

INJECTIONS = [
    f'=HYPERLINK("http://zwgk.invalid","{MARKER}")',
    f"+{MARKER}+1",
    f"-1+{MARKER}",
    f"@SUM(1)+{MARKER}",
    f'{MARKER}"&"',
    f'优秀",HYPERLINK("http://zwgk.invalid","{MARKER}"),"',  # breaks out of a "…" in a live formula
    f"=1+1&\"{MARKER}\"",
]
ODD_STRINGS = ["\ufffe", "\uffff", "甲\x01乙", "\x0b", "_x0001_", "&#xB;", "\ud800", "长" * 100_000,
               "x" * 500_000, "😀局", "𠀀𠀁局", "\u202e局", "\x00", "  ", ""]
LONG = {"长" * 100_000, "x" * 500_000}


def odd_text(rng: random.Random) -> tuple[str, str]:
    """An injection (more often) or a string a workbook cannot hold; and how to say it."""
    if rng.random() < 0.55:
        text = rng.choice(INJECTIONS)
        return text, f"inject {text[:40]!r}"
    text = rng.choice(ODD_STRINGS)
    return text, f"odd {text[:12]!r}{'…' if len(text) > 12 else ''} ({len(text)} chars)"


# --- the season: the good inputs every mutant is used with -----------------------------------

@dataclass
class Season:
    folder: Path
    returns: Path  # three units of the built-in rule set
    returns2: Path  # the same and FOURTH (demo-2023-b)
    roster1: Path  # .csv, class A
    roster2: Path  # .csv, classes A and B
    roster0: Path  # .txt, no classes
    rule_returns: dict[str, Path] = field(default_factory=dict)  # per rule seed: returns made from it


def entries_for(rules, index: int) -> tuple[dict[str, object], dict[str, str]]:
    """What unit ``index`` enters: every third clause, 是 or 1 (a note where one is needed)."""
    from zwgk_cli.model import Kind

    entries, notes = {}, {}
    for j, clause in enumerate(rules.clauses):
        if j % 3 != index % 3 or index % 3 == 0:
            continue
        entries[clause.id] = "是" if clause.kind == Kind.FLAG else 1
        if clause.needs_note:
            notes[clause.id] = "说明"
    return entries, notes


def fill_from(rules_by_unit: dict[str, object], templates: list[Path], returns: Path) -> None:
    """Fill each template as its unit (the i-th unit of the roster) would."""
    from zwgk_cli.workbooks.fill import fill_workbook

    for index, (unit, path) in enumerate(zip(rules_by_unit, templates, strict=True)):
        entries, notes = entries_for(rules_by_unit[unit], index)
        fill_workbook(path, returns / path.name, entries, notes=notes, force=True)


RULE_SEEDS = {"builtin": BUILTIN, "demo-b": str(DEMO_B), "demo-c": str(DEMO_C)}
METHODS = {"builtin": "网上检查", "demo-b": "网上检查", "demo-c": "网站检查"}


def rule_roster(path: Path, klass: str, other_class: str) -> Path:
    """The two-class roster of a rule-file run: 甲 and 乙 of the rule set under test, 丙 of the other."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["单位名称", "类别"])
        writer.writerows([[UNITS[0], klass], [UNITS[1], klass], [UNITS[2], other_class]])
    return path


def other_rules(seed: str) -> str:
    return str(DEMO_B) if seed == "builtin" else BUILTIN


def make_season(folder: Path) -> Season:
    """The good inputs (built once per campaign)."""
    from zwgk_cli.rules.loading import load_rules
    from zwgk_cli.workbooks.fill import fill_workbook
    from zwgk_cli.workbooks.template import write_templates

    folder.mkdir(parents=True, exist_ok=True)
    builtin = load_rules()
    returns, returns2 = folder / "收回", folder / "收回2"
    for unit, path in zip(UNITS, write_templates(builtin, UNITS, folder / "blank", force=True), strict=True):
        fill_workbook(path, returns / f"{unit}.xlsx", OWN[unit], force=True)
        fill_workbook(path, returns2 / f"{unit}.xlsx", OWN[unit], force=True)
    demo_b = load_rules(DEMO_B)
    fourth = write_templates(demo_b, [FOURTH], folder / "blank-b", force=True)[0]
    fill_workbook(fourth, returns2 / f"{FOURTH}.xlsx", {"B3": 2, "B1": "是"}, force=True)
    roster1, roster2 = folder / "名单1.csv", folder / "名单2.csv"
    roster1.write_text("\n".join(",".join(r) for r in ROSTER) + "\n", encoding="utf-8")
    roster2.write_text("\n".join(",".join(r) for r in [*ROSTER, [FOURTH, "B", ""]]) + "\n", encoding="utf-8")
    roster0 = folder / "名单0.txt"
    roster0.write_text("\n".join(UNITS) + "\n", encoding="utf-8")
    season = Season(folder, returns, returns2, roster1, roster2, roster0)
    for seed, spec in RULE_SEEDS.items():
        rules, other = load_rules(spec), load_rules(other_rules(seed))
        by_unit = {UNITS[0]: rules, UNITS[1]: rules, UNITS[2]: other}
        templates = [write_templates(r, [u], folder / f"blank-{seed}-{i}", force=True)[0]
                     for i, (u, r) in enumerate(by_unit.items())]
        fill_from(by_unit, templates, folder / f"收回-{seed}")
        season.rule_returns[seed] = folder / f"收回-{seed}"
    return season


# --- seeds -------------------------------------------------------------------------------------

def make_input_seeds(folder: Path, convert: Callable | None = None) -> dict[tuple[str, str], bytes]:
    """{(seed, format): bytes}: the seeds of tests/support/mutations_sources.py (matrix, review, copied,
    summary, rank, roster), a .txt and a two-class roster, the rule files and the rule tables.
    Without ``convert`` (LibreOffice) no .xls/.ods seed."""
    import openpyxl

    from support.mutations_sources import make_source_seeds
    from zwgk_cli.rules.loading import load_rules
    from zwgk_cli.workbooks.ruletable import export_rules

    seeds = make_source_seeds(folder / "sources", load_rules(), convert)
    seeds = {k: v for k, v in seeds.items() if k[0] != "roster"}  # the two-class roster below
    rows = [*ROSTER, [FOURTH, "B", ""]]
    seeds[("roster", "csv")] = "\n".join(",".join(r) for r in rows).encode("utf-8-sig")
    lines = ["单位名称\t类别", *(f"{r[0]}\t{r[1]}" for r in rows[1:])]
    seeds[("roster", "txt")] = ("\n".join(lines) + "\n").encode()
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    roster_xlsx = folder / "roster2.xlsx"
    book.save(roster_xlsx)
    seeds[("roster", "xlsx")] = roster_xlsx.read_bytes()
    tables = {}
    for seed, spec in RULE_SEEDS.items():
        path = Path(spec) if seed != "builtin" else HERE.parent / "zwgk_cli" / "rules" / "builtin" / f"{BUILTIN}.yaml"
        seeds[(f"rules-{seed}", "yaml")] = path.read_bytes()
        if seed != "demo-c":
            tables[seed] = export_rules(load_rules(spec), folder / f"table-{seed}.xlsx", force=True)
            seeds[(f"table-{seed}", "xlsx")] = tables[seed].read_bytes()
    if convert is not None:
        seeds[("roster", "xls")] = convert([roster_xlsx], "xls", folder / "xls")[0].read_bytes()
        seeds[("roster", "ods")] = convert([roster_xlsx], "ods", folder / "ods")[0].read_bytes()
        seeds[("table-builtin", "ods")] = convert([tables["builtin"]], "ods", folder / "ods")[0].read_bytes()
    return seeds


def kind_of_seed(name: str) -> str:
    """The input kind a seed belongs to (the rows of the outcome table)."""
    if name.startswith("rules-"):
        return "rule-file"
    if name.startswith("table-"):
        return "rule-table"
    return {"matrix": "matrix", "copied": "matrix", "review": "review", "summary": "previous-summary",
            "rank": "previous-json", "roster": "roster"}[name]


FILE_NAMES = {"matrix": "检查表_网上检查组", "copied": "网上检查组", "review": "复核调整表",
              "summary": "上年汇总", "rank": "上年结果", "roster": "名单"}


def file_name(seed: str, fmt: str, number: int) -> str:
    stem = FILE_NAMES.get(seed, "细则表" if seed.startswith("table-") else "细则")
    return f"{stem}-{number:05d}.{fmt}"


# --- mutators: each returns (bytes, what, legit) — legit: the damage may change a value on purpose

Mutation = tuple[bytes, str, bool]


def _xml_text(text: str) -> str:
    """``text`` for an XML text node, with the characters XML 1.0 cannot hold as char refs."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "<>&":
            out.append({"<": "&lt;", ">": "&gt;", "&": "&amp;"}[ch])
        elif code < 0x20 and ch not in "\t\n\r" or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            out.append(f"&#x{code:X};")
        else:
            out.append(ch)
    return "".join(out)


_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.DOTALL)


def _main_sheet(names: list[str]) -> str:
    return "xl/worksheets/sheet1.xml" if "xl/worksheets/sheet1.xml" in names else names[0]


def cell_edit(data: bytes, rng: random.Random, *, rows_from: int = 1, columns: str | None = None,
              sheet: str | None = None) -> Mutation:
    """One cell of an .xlsx sheet rewritten in its XML: odd or injected text, an odd number, a
    formula with or without its cached value, or the cell written twice."""
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    member = sheet or _main_sheet(names)
    body = zipfile.ZipFile(io.BytesIO(data)).read(member)
    cells = [m for m in _CELL.finditer(body) if int(m.group(2)) >= rows_from
             and (columns is None or m.group(1).decode() in columns)]
    if not cells:
        return data, "no cell", True
    cell = rng.choice(cells)
    ref = cell.group(1) + cell.group(2)
    style = re.search(rb'\bs="\d+"', cell.group(3) or b"")
    attrs = b' r="' + ref + b'"' + (b" " + style.group() if style else b"")
    choice = rng.random()
    legit = False
    if choice < 0.45:
        text, what = odd_text(rng)
        inline = b'<is><t xml:space="preserve">' + _xml_text(text).encode() + b"</t></is>"
        new = b"<c" + attrs + b' t="inlineStr">' + inline + b"</c>"
    elif choice < 0.55:  # an OOXML escape or a char ref written as it is into the XML
        raw = rng.choice([b"_x0001_", b"&#xB;", b"&#xFFFE;", b"\xef\xbf\xbe", b"_xD800_", b"a&#x1;b"])
        new = b"<c" + attrs + b' t="inlineStr"><is><t>' + raw + b"</t></is></c>"
        what = f"raw text {raw!r}"
    elif choice < 0.75:
        number = rng.choice([b"1e-400", b"1e400", b"-1e400", b"1e308", b"1e15", b"-0", b"NaN", b"INF",
                             b"2.0000000000000001", b"0.1e1", b"4294967296"])
        new = b"<c" + attrs + b"><v>" + number + b"</v></c>"
        what = f"number {number!r}"
    elif choice < 0.9:
        formula = rng.choice([b"1+1", b"SUM(1,2)", b'"' + MARKER.encode() + b'"', b"A1", b"1/0"])
        cached = rng.choice([b"", b"<v>2</v>", b"<v></v>"])
        new = b"<c" + attrs + b"><f>" + formula + b"</f>" + cached + b"</c>"
        what = f"formula {formula!r} cached {cached!r}"
    else:  # the cell twice, the second with another value
        new = cell.group() + b"<c" + attrs + b"><v>0</v></c>"
        what = "cell written twice"
        legit = False
    changed = body[:cell.start()] + new + body[cell.end():]
    out = rewrite_zip(data, lambda name, b: changed if name == member else b)
    return out, f"{member} {ref.decode()}: {what}", legit


def _sheet_for(data: bytes, title: str) -> str | None:
    """The zip member of the sheet titled ``title`` (None when there is none)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    workbook = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    found = re.search(r'<sheet [^>]*name="' + re.escape(title) + r'"[^>]*r:id="(\w+)"', workbook)
    if not found:
        return None
    target = re.search(r'Id="' + found.group(1) + r'"[^>]*Target="([^"]+)"', rels) or \
        re.search(r'Target="([^"]+)"[^>]*Id="' + found.group(1) + r'"', rels)
    return "xl/" + target.group(1).removeprefix("/xl/") if target else None


# YAML ---------------------------------------------------------------------------------------

def _yaml_dump(data) -> bytes:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9).encode("utf-8", "surrogatepass")


def _string_places(data: dict) -> list[tuple[object, object]]:
    """(container, key) of every text field of a rule file a clerk could have typed."""
    places = [(data, k) for k in ("title", "issuer", "id", "class")]
    for grade in (data.get("policy") or {}).get("grades") or []:
        places.append((grade, "name"))
    for category in data.get("categories") or []:
        places.append((category, "name"))
        for indicator in category.get("indicators") or []:
            places += [(indicator, k) for k in ("group", "name", "method")]
            for clause in indicator.get("clauses") or []:
                places += [(clause, k) for k in ("id", "text", "counts")]
    for section in data.get("sections") or []:
        places += [(section, "name"), (section, "method")]
        for clause in section.get("clauses") or []:
            places += [(clause, k) for k in ("id", "part", "name", "text")]
    for erratum in data.get("errata") or []:
        places += [(erratum, k) for k in ("id", "where", "source", "decision")]
    return places


def _number_places(data: dict) -> list[tuple[object, object]]:
    places = [(data, "full_marks")]
    policy = data.setdefault("policy", {}) if isinstance(data.get("policy", {}), dict) else {}
    places += [(policy, k) for k in ("floor", "bonus_cap", "veto_total", "bonus_min_total")]
    for grade in policy.get("grades") or []:
        places.append((grade, "min"))
    for category in data.get("categories") or []:
        places.append((category, "weight"))
        for indicator in category.get("indicators") or []:
            places.append((indicator, "points"))
            for clause in indicator.get("clauses") or []:
                places += [(clause, k) for k in ("per", "cap", "max")]
    for section in data.get("sections") or []:
        for clause in section.get("clauses") or []:
            places += [(clause, k) for k in ("per", "cap")]
    return places


# odd numbers: the raw YAML token, and whether it may be read (a real value the file states)
ODD_NUMBERS = [("1e308", True), ("1.0e+308", True), ("1e15", True), ("1.0e+15", True), ("1.0e-400", False),
               ("1e-400", False), ("-1", False), ("-0.5", False), (".nan", False), (".inf", False),
               ("-.inf", False), ("0.1000000000000000000001", False), ("3.14159", False), ("0.005", False),
               ("1180591620717411303424", True), ("3次", False), ("八分", False), ("0x10", False),
               ("1_000", False), ("'5'", True), ("true", False), ("[]", False), ("{}", False), ("~", True),
               ("2022-01-01", False), ("99999999999999999999.99", True)]


def yaml_string(data: dict, rng: random.Random) -> tuple[dict, str, bool]:
    container, key = rng.choice(_string_places(data))
    text, what = odd_text(rng)
    container[key] = text
    # a new id or class changes which workbooks the set reads: the rest must stay the same
    return data, f"{key}: {what}", key in ("id", "class")


def yaml_number(data: dict, rng: random.Random) -> tuple[dict, str, bool, str]:
    container, key = rng.choice(_number_places(data))
    token, legit = rng.choice(ODD_NUMBERS)
    container[key] = "ZWGKNUMBER"
    return data, f"{key}: {token}", legit, token


def yaml_class(data: dict, rng: random.Random) -> tuple[dict, str, bool]:
    klass = rng.choice(["B/类", "A:B", "*", "B?", "[B]", "B类" + "x" * 40, "History", "'B'", "排名", "",
                        "B\\C", f"={MARKER}", "汇总", "A", "  B  "])
    data["class"] = klass
    return data, f"class {klass!r}", True


def yaml_checked_wrong(data: dict, rng: random.Random) -> tuple[dict, str, bool]:
    """A rule set ``rules check`` flags as an error."""
    categories = data.get("categories") or []
    indicators = [i for c in categories for i in c.get("indicators") or []]
    what = rng.choice(["na-without-points", "category-without-clauses", "weights", "indicator-no-clauses",
                       "veto-on-bonus", "bonus-threshold-above"])
    if what == "na-without-points" and indicators:
        indicator = rng.choice(indicators)
        indicator["na"] = True
        indicator.pop("points", None)
    elif what == "category-without-clauses" and categories:
        rng.choice(categories)["indicators"] = []
    elif what == "weights" and categories:
        category = rng.choice(categories)
        category["weight"] = (category.get("weight") or 0) + rng.choice([7, -3, 0.5])
    elif what == "indicator-no-clauses" and indicators:
        rng.choice(indicators)["clauses"] = []
    elif what == "veto-on-bonus":
        bonus = [c for s in data.get("sections") or [] if s.get("bonus") for c in s.get("clauses") or []]
        if bonus:
            rng.choice(bonus)["veto"] = True
    else:
        data.setdefault("policy", {})["bonus_min_total"] = 150
    return data, f"checked wrong: {what}", False


def _bomb(levels: int, width: int, where: str) -> bytes:
    lines = ["a0: &a0 [lol]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return ("\n".join(lines) + f"\n{where}: *a{levels - 1}\n").encode()


def _schema_bomb(width: int) -> bytes:
    """A small file whose categories x indicators x clauses are width**3 clauses (aliases)."""
    refs = lambda name: "[" + ", ".join([f"*{name}"] * width) + "]"  # noqa: E731
    return ("id: bomb\ntitle: bomb\nversion: 1\n"
            "x-clause: &c {id: B1, kind: count, per: 1, text: 每次扣1分}\n"
            f"x-indicator: &i {{group: g, name: n, points: 1, clauses: {refs('c')}}}\n"
            f"x-category: &k {{name: k, weight: 1, indicators: {refs('i')}}}\n"
            f"categories: {refs('k')}\n").encode()


def yaml_text(raw: bytes, rng: random.Random) -> Mutation:
    """Text-level YAML damage: bombs, duplicated keys, nesting, tabs, encodings, controls."""
    text = raw.decode("utf-8")
    what = rng.choice(["bomb", "schema-bomb", "dup-key", "dup-key-flow", "nesting", "tab-indent", "tab-value",
                       "encoding", "bom", "control", "merge-key", "anchor-reuse", "crlf", "nul"])
    if what == "bomb":
        levels, width = rng.choice([(9, 10), (12, 6), (20, 3)])
        where = rng.choice(["title", "categories", "errata", "x"])
        return (text + "\n").encode() + _bomb(levels, width, where).replace(b"\ntitle:", b"\nxtitle:"), \
            f"billion laughs {levels}x{width} at {where}", False
    if what == "schema-bomb":
        width = rng.choice([10, 40, 150, 300])
        return _schema_bomb(width), f"aliases: {width}^3 clauses in 4 KB", False
    lines = text.split("\n")
    if what in ("dup-key", "dup-key-flow"):
        flows = [i for i, line in enumerate(lines) if re.search(r"\{id: [^,]+, kind: \w+, per: [\d.]+", line)]
        if what == "dup-key-flow" and flows:
            i = rng.choice(flows)
            lines[i] = re.sub(r"per: ([\d.]+)", lambda m: f"per: {m.group(1)}, per: 0", lines[i], count=1)
            return "\n".join(lines).encode(), f"duplicated key per in line {i + 1}", False
        keyed = [i for i, line in enumerate(lines) if re.match(r"\s*(\w+): (\S.*)$", line)
                 and not line.strip().startswith("-")]
        i = rng.choice(keyed)
        indent, key = re.match(r"(\s*)(\w+):", lines[i]).groups()
        value = rng.choice(["0", "99", "x", "false", "[]"])
        lines.insert(i + 1, f"{indent}{key}: {value}")
        return "\n".join(lines).encode(), f"duplicated key {key!r} at line {i + 2} ({value})", False
    if what == "nesting":
        depth = rng.choice([100, 1000, 10_000, 100_000])
        return (text + f"\nx: {'[' * depth}{']' * depth}\n").encode(), f"nesting {depth}", False
    if what == "tab-indent":
        i = rng.choice([i for i, line in enumerate(lines) if line.startswith("  ")])
        lines[i] = "\t" + lines[i][2:]
        return "\n".join(lines).encode(), f"tab indent at line {i + 1}", False
    if what == "tab-value":
        i = rng.choice([i for i, line in enumerate(lines) if ": " in line])
        lines[i] = lines[i].replace(": ", ":\t", 1)
        return "\n".join(lines).encode(), f"tab after colon at line {i + 1}", False
    if what == "encoding":
        encoding = rng.choice(["gbk", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030", "big5", "utf-8-sig"])
        try:
            return text.encode(encoding), f"encoded {encoding}", False
        except UnicodeEncodeError:
            return text.encode(encoding, "replace"), f"encoded {encoding} with ? for what it lacks", True
    if what == "bom":
        return b"\xef\xbb\xbf\xef\xbb\xbf" + raw, "two BOMs", False
    if what == "control":
        at = rng.randrange(len(raw))
        char = rng.choice([b"\x01", b"\x0b", b"\x7f", b"\xc2\x85", b"\xe2\x80\xa8", b"\xef\xbf\xbe"])
        return raw[:at] + char + raw[at:], f"control {char!r} at {at}", True
    if what == "merge-key":
        i = rng.choice([i for i, line in enumerate(lines) if re.match(r"\s+- \{id:", line)] or [0])
        lines[i] = re.sub(r"\{id:", "{<<: {per: 0}, id:", lines[i], count=1)
        return "\n".join(lines).encode(), f"merge key at line {i + 1}", False
    if what == "anchor-reuse":
        flows = [i for i, line in enumerate(lines) if re.match(r"\s+- \{id:", line)]
        if len(flows) >= 2:
            a, b = rng.sample(flows, 2)
            lines[a] = re.sub(r"- \{", "- &dup {", lines[a], count=1)
            indent = re.match(r"(\s*)", lines[b]).group(1)
            lines[b] = f"{indent}- *dup"
            return "\n".join(lines).encode(), f"line {b + 1} replaced by an alias of line {a + 1}", True
        return raw, "no flows", True
    if what == "crlf":
        return raw.replace(b"\n", b"\r\n"), "CRLF", False
    at = rng.randrange(len(raw))
    return raw[:at] + b"\x00" + raw[at:], f"NUL at {at}", True


def _choice(rng: random.Random, structured: bool, damage: float) -> float:
    """A draw in [0, 1); with ``structured``, past the first ``damage`` (the byte-level share)."""
    choice = rng.random()
    return damage + choice * (1 - damage) if structured else choice


def mutate_yaml(raw: bytes, rng: random.Random, structured: bool = False) -> Mutation:
    import yaml

    choice = _choice(rng, structured, 0.12)
    if choice < 0.12:
        mutator = rng.choice([flip_bytes, cut, splice])
        body, what = mutator(raw, rng)
        return body, f"{mutator.__name__}: {what}", True
    if choice < 0.42:
        return yaml_text(raw, rng)
    data = yaml.safe_load(raw)
    if choice < 0.72:
        data, what, legit = yaml_string(data, rng)
        return _yaml_dump(data), what, legit
    if choice < 0.88:
        data, what, legit, token = yaml_number(data, rng)
        body = _yaml_dump(data).replace(b"ZWGKNUMBER", token.encode())
        return body, what, legit
    if choice < 0.93:
        data, what, legit = yaml_class(data, rng)
        return _yaml_dump(data), what, legit
    data, what, legit = yaml_checked_wrong(data, rng)
    return _yaml_dump(data), what, legit


# rule tables ---------------------------------------------------------------------------------

TABLE_NUMBERS = {"每次分值": ["3次", "八分", "1e-400", "1e400", "NaN", "-1", "0.001", "１０", "2分", "1,5", "∞",
                         "1e308"],
                 "上限": ["3次", "八分", "1e-400", "1e400", "-5", "0.001", "１０", "20分", "inf"],
                 "最多次数": ["3次", "八", "1e-400", "1e400", "-1", "2.5", "３", "0", "4294967296"]}
INTENDED = {"3次": 3, "八分": 8, "八": 8, "１０": 10, "2分": 2, "20分": 20, "３": 3}  # what a clerk meant


def mutate_table(raw: bytes, rng: random.Random, structured: bool = False) -> Mutation:
    """A rule table (rules export's .xlsx) damaged: a cell of any sheet, a numeric column given
    words, a row written twice, a grade name or class in 细则信息 injected, or the zip damaged."""
    import openpyxl

    from support.mutations import mutate

    choice = _choice(rng, structured, 0.15)
    if choice < 0.15:
        body, what = mutate(raw, "xlsx", rng)
        return body, what, True
    if choice < 0.35:
        sheet = rng.choice(["评分表", "评分表", "细则信息", "勘误"])
        body, what, legit = cell_edit(raw, rng, rows_from=2, sheet=_sheet_for(raw, sheet))
        return body, f"{sheet} {what}", legit
    book = openpyxl.load_workbook(io.BytesIO(raw))
    ws = book["评分表"]
    header = [c.value for c in ws[1]]
    if choice < 0.55:
        column = rng.choice(list(TABLE_NUMBERS))
        col = header.index(column) + 1
        rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, header.index("编号") + 1).value]
        row = rng.choice(rows)
        value = rng.choice(TABLE_NUMBERS[column])
        ws.cell(row, col).value = value
        ws.cell(row, col).data_type = "s"
        clause = ws.cell(row, header.index("编号") + 1).value
        what = f"{column} of {clause} (row {row}) = {value!r}"
    elif choice < 0.7:
        row = rng.randrange(2, ws.max_row + 1)
        values = [c.value for c in ws[row]]
        ws.insert_rows(row + 1)
        for col, value in enumerate(values, start=1):
            ws.cell(row + 1, col).value = value
        if rng.random() < 0.5:  # the copy with another value: which one counts?
            ws.cell(row + 1, header.index("每次分值") + 1).value = "9"
            what = f"row {row} twice, the copy with 每次分值 9"
        else:
            what = f"row {row} twice"
    elif choice < 0.9:
        text, what = odd_text(rng)
        if text in ("\ud800",) or re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", text):
            text = INJECTIONS[0]
            what = f"inject {text[:40]!r}"
        sheet = rng.choice(["评分表", "细则信息", "勘误"])
        target = book[sheet]
        if sheet == "细则信息" and rng.random() < 0.6:
            key = rng.choice(["grades", "class", "title", "id", "issuer"])
            row = next(r for r in range(1, target.max_row + 1) if target.cell(r, 1).value == key)
            if key == "grades":
                text = f"优秀{text}:90；良好:80；合格:60；不合格:0"
            target.cell(row, 2).value = text
            target.cell(row, 2).data_type = "s"
            what = f"细则信息 {key}: {what}"
        else:
            row, col = rng.randrange(2, max(3, target.max_row + 1)), rng.randrange(1, target.max_column + 1)
            target.cell(row, col).value = text
            target.cell(row, col).data_type = "s"
            what = f"{sheet}!{target.cell(row, col).coordinate}: {what}"
    else:
        ws = book["细则信息"]
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "class")
        klass = rng.choice(["B/类", "A:B", "*", "B?", "[B]", "B类" + "x" * 40])
        ws.cell(row, 2).value = klass
        what = f"细则信息 class = {klass!r}"
        out = io.BytesIO()
        book.save(out)
        return out.getvalue(), what, True
    out = io.BytesIO()
    book.save(out)
    # a copied row with another 每次分值, or new grades, class or id: the rule set changes on purpose
    legit = ("twice" in what and "9" in what) or what.startswith(("细则信息 grades", "细则信息 class", "细则信息 id"))
    return out.getvalue(), what, legit


# matrices, review tables ---------------------------------------------------------------------

def mutate_source(raw: bytes, fmt: str, seed: str, rng: random.Random, structured: bool = False) -> Mutation:
    if fmt != "xlsx" or _choice(rng, structured, 0.3) < 0.3:
        body, what = mutate_any(raw, fmt, rng)
        return body, what, fmt == "xls" and what.startswith("flip")
    if seed == "review" and rng.random() < 0.4:  # the review's 理由 (D) and 单位名称 (A) columns
        return cell_edit(raw, rng, rows_from=3, columns="AD")
    return cell_edit(raw, rng, rows_from=2)


# rosters ---------------------------------------------------------------------------------------

ROSTER_ROWS = [[*r] for r in ROSTER] + [[FOURTH, "B", ""]]


def roster_rows(rng: random.Random) -> tuple[list[list[str]], str, bool, bool]:
    """Rows of a damaged two-class roster; what was done; legit; a cover sheet wanted."""
    rows = [list(r) for r in ROSTER_ROWS]
    what = rng.choice(["long-line", "class-unknown", "class-blank", "class-spelling", "class-spelling",
                       "name-odd", "name-odd", "former-odd", "cover", "class-all-blank", "duplicate-row"])
    if what == "long-line":
        length = rng.choice([100_000, 500_000])
        rows.insert(rng.randrange(1, len(rows) + 1), ["县" * length, "A", ""])
        return rows, f"a line of {length} characters", True, False
    if what == "class-unknown":
        rows[rng.randrange(1, len(rows))][1] = rng.choice(["C", "Z类", "乡镇", "demo-2099"])
        return rows, "a 类别 naming no rule set", False, False
    if what == "class-blank":
        rows[rng.randrange(1, len(rows))][1] = ""
        return rows, "one 类别 blank among filled ones", False, False
    if what == "class-all-blank":
        for row in rows[1:]:
            row[1] = ""
        return rows, "every 类别 blank", True, False
    if what == "class-spelling":
        spelling = rng.choice(["Ｂ类", "b", "B 类", "B类", " B", "Ｂ", "b类", "B类别", "乙类"])
        rows[-1][1] = spelling
        return rows, f"类别 of {FOURTH} typed {spelling!r}", spelling in ("B类别", "乙类"), False
    if what == "cover":
        return rows, "a cover page as the first sheet", False, True
    if what == "duplicate-row":
        rows.append(list(rows[rng.randrange(1, len(rows))]))
        return rows, "a unit listed twice", False, False
    text, said = odd_text(rng)
    column = 0 if what == "name-odd" else 2
    rows[rng.randrange(1, len(rows))][column] = text
    return rows, f"{'单位名称' if column == 0 else '曾用名'}: {said}", True, False


def write_roster(rows: list[list[str]], fmt: str, cover: bool) -> bytes | None:
    """The rows as a roster file of ``fmt`` (xlsx via openpyxl; None for xls/ods: converted later)."""
    if fmt == "txt":
        return "\n".join("\t".join(r[:2]) for r in rows).encode("utf-8", "surrogatepass")
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return out.getvalue().encode("utf-8", "surrogatepass")
    import openpyxl

    book = openpyxl.Workbook()
    if cover:
        book.active.title = "封面"
        book.active["A1"] = "2024年度政务公开工作考核单位名单"
        book.active["A3"] = "县政府办公室 编"
        ws = book.create_sheet("名单")
    else:
        ws = book.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c).value = value
            ws.cell(r, c).data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sanitised_for_openpyxl(rows):
    bad = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
    return [[bad.sub(lambda m: f"_x{ord(m.group()):04X}_", v) for v in row] for row in rows]


def mutate_roster(raw: bytes, fmt: str, rng: random.Random, structured: bool = False) -> Mutation:
    if _choice(rng, structured, 0.35) < 0.35:
        body, what = mutate_any(raw, fmt, rng) if fmt != "txt" else flip_bytes(raw, rng)
        return body, what, True
    rows, what, legit, cover = roster_rows(rng)
    if fmt in ("xlsx", "xls", "ods"):
        rows = _sanitised_for_openpyxl(rows)  # as _x0001_, which a reader may decode
    body = write_roster(rows, "xlsx" if fmt in ("xls", "ods") else fmt, cover)
    return body, what + (" (converted)" if fmt in ("xls", "ods") else ""), legit


# last season ---------------------------------------------------------------------------------

def mutate_previous_json(raw: bytes, rng: random.Random, structured: bool = False) -> Mutation:
    if _choice(rng, structured, 0.35) < 0.35:
        body, what = mutate_any(raw, "json", rng)
        return body, what, what.startswith(("flip", "cut", "splice", "edit_json_value", "drop", "repeat"))
    document = json.loads(raw)
    units = document.get("units") or []
    unit = rng.choice(units)
    what = rng.choice(["type", "type", "name", "surrogate", "units-type", "rules-type"])
    if what == "type":
        key = rng.choice(["total", "rank", "unit", "rules", "previous", "grade"])
        value = rng.choice([[1], {"a": 1}, "98.5", "九十", True, None, 1e308, -1, 0.5, "", 2**64, "\ud800", "1e-400"])
        unit[key] = value
        said = f"units[].{key} = {str(value)[:20]!r}"
        legit = key in ("rules", "grade", "previous")
    elif what == "name":
        text, said = odd_text(rng)
        unit["unit"] = text
        said, legit = f"units[].unit: {said}", True
    elif what == "surrogate":
        return raw.replace(UNITS[0].encode(), b"\\ud800" + UNITS[0].encode()), "a lone surrogate in a name", True
    elif what == "units-type":
        document["units"] = rng.choice([{"0": unit}, "units", 3, [[unit]], None])
        said, legit = f"units = {str(document['units'])[:30]}", False
    else:
        document[rng.choice(["rules", "rule_sets"])] = rng.choice([["x"], "x", 3, {"id": 3}, None])
        said, legit = "rules/rule_sets of another type", False
    return json.dumps(document, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass"), said, legit


def mutate_previous_summary(raw: bytes, fmt: str, rng: random.Random, structured: bool = False) -> Mutation:
    if fmt != "xlsx" or _choice(rng, structured, 0.35) < 0.35:
        body, what = mutate_any(raw, fmt, rng)
        return body, what, False
    sheet = _sheet_for(raw, "排名") or _main_sheet(zipfile.ZipFile(io.BytesIO(raw)).namelist())
    body, what, legit = cell_edit(raw, rng, rows_from=2, sheet=sheet)
    return body, what, legit or "inject" in what or "odd" in what  # a unit's name: another unit


def mutate_input(seed: str, fmt: str, raw: bytes, rng: random.Random, structured: bool = False) -> Mutation:
    """One damage of a seed; ``structured``: only the structure-aware mutators (whose mutants do
    not depend on the bytes of a seed that has a save time in it)."""
    kind = kind_of_seed(seed)
    if kind == "rule-file":
        return mutate_yaml(raw, rng, structured)
    if kind == "rule-table":
        if fmt != "xlsx":
            body, what = mutate_any(raw, fmt, rng)
            return body, what, True
        return mutate_table(raw, rng, structured)
    if kind in ("matrix", "review"):
        return mutate_source(raw, fmt, seed, rng, structured)
    if kind == "roster":
        return mutate_roster(raw, fmt, rng, structured)
    if kind == "previous-json":
        return mutate_previous_json(raw, rng, structured)
    return mutate_previous_summary(raw, fmt, rng, structured)


# how many mutants of each seed, per --per-seed unit (the campaign's weights)
WEIGHTS = {"rules-builtin": 4, "rules-demo-b": 4, "rules-demo-c": 3, "table-builtin": 3, "table-demo-b": 2,
           "matrix": 1, "copied": 1, "review": 1, "summary": 1, "rank": 2, "roster": 1}


@dataclass
class Mutant:
    path: Path
    seed: str
    fmt: str
    what: str
    legit: bool

    @property
    def kind(self) -> str:
        return kind_of_seed(self.seed)


def write_input_mutants(folder: Path, seeds: dict[tuple[str, str], bytes], per_seed: int, seed: int,
                        convert: Callable | None = None, weights: dict[str, int] | None = None,
                        structured: bool = False) -> list[Mutant]:
    """``per_seed`` × weight mutants of every seed under ``folder`` (fixed by ``seed``). Rosters
    damaged as rows are saved as .xlsx and, for .xls/.ods, converted with ``convert`` (skipped
    without it)."""
    rng = random.Random(seed)
    made: list[Mutant] = []
    to_convert: dict[str, list[tuple[Path, Mutant]]] = {}
    weights = weights or WEIGHTS
    for (name, fmt), raw in sorted(seeds.items()):
        where = folder / f"{name}-{fmt}"
        where.mkdir(parents=True, exist_ok=True)
        for i in range(per_seed * weights.get(name, 1)):
            body, what, legit = mutate_input(name, fmt, raw, rng, structured)
            path = where / file_name(name, fmt, i)
            if what.endswith("(converted)"):
                if convert is None:
                    continue
                staged = where / "_xlsx" / path.with_suffix(".xlsx").name
                staged.parent.mkdir(exist_ok=True)
                staged.write_bytes(body)
                mutant = Mutant(path, name, fmt, what, legit)
                to_convert.setdefault(fmt, []).append((staged, mutant))
                continue
            path.write_bytes(body)
            made.append(Mutant(path, name, fmt, what, legit))
    for fmt, staged in to_convert.items():
        outdir = staged[0][0].parent.parent / f"_{fmt}"
        converted = convert([s for s, _ in staged], fmt, outdir)
        for (_, mutant), result in zip(staged, converted, strict=True):
            if result.exists():
                shutil.copy(result, mutant.path)
                made.append(mutant)
    return made


# --- running a mutant the way a clerk would -------------------------------------------------------

@dataclass
class Step:
    args: list[str]
    exit: int
    stdout: str
    stderr: str
    seconds: float
    exception: str = ""

    @property
    def json(self) -> dict | None:
        try:
            return json.loads(self.stdout)
        except ValueError:
            return None


SUBPROCESS = False  # True: every command as ``python -m zwgk_cli`` in a process of its own (to confirm)


def cli(args: list[str]) -> Step:
    """``zwgk ARGS`` in this process through typer's CliRunner (or, with :data:`SUBPROCESS`, as
    its own process: a command over 1 GB peak RSS is said in the step's ``exception``)."""
    if SUBPROCESS:
        return cli_process(args)
    from typer.testing import CliRunner

    from zwgk_cli.cli.commands import app

    start = time.perf_counter()
    result = CliRunner().invoke(app, [str(a) for a in args])
    seconds = time.perf_counter() - start
    exception = ""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        exception = f"{type(result.exception).__name__}: {str(result.exception)[:200]}"
    try:
        stderr = result.stderr
    except ValueError:
        stderr = ""
    return Step([str(a) for a in args], result.exit_code, result.stdout, stderr, seconds, exception)


def cli_process(args: list[str]) -> Step:
    """``python -m zwgk_cli ARGS`` as a clerk runs it; peak RSS from ``wait4`` (rusage)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "zwgk_cli", *map(str, args)], stdout=out, stderr=err,
                                   stdin=subprocess.DEVNULL)
        while True:
            finished, status, usage = os.wait4(process.pid, os.WNOHANG)
            if finished:
                break
            if time.perf_counter() - start > KILL_SECONDS:
                process.kill()
                _, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.01)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    peak = usage.ru_maxrss * 1024
    exception = f"peak RSS {peak >> 20} MB" if peak > MEMORY_BYTES else ""
    return Step([str(a) for a in args], process.returncode, stdout, stderr, seconds, exception)


def run_rule_file(mutant: Path, seed: str, season: Season, out: Path) -> list[Step]:
    """check, show, export; then the season with it: templates, matrix, review table, filled
    returns, rank (with 通报), score (with feedback sheets)."""
    from zwgk_cli.problems import ZwgkError
    from zwgk_cli.rules.loading import load_rules

    other = other_rules(seed)
    steps = [cli(["rules", "check", mutant, "--json"]), cli(["rules", "show", mutant]),
             cli(["rules", "export", mutant, "-o", out / "细则表.xlsx"])]
    try:
        rules = load_rules(mutant)
    except ZwgkError:
        rules = None
    other_set = load_rules(other)
    klass = (rules.klass or rules.id) if rules is not None else ("A" if seed == "builtin" else "B")
    roster = rule_roster(out.parent / "名单.csv", klass, other_set.klass)
    rules_args = ["--rules", mutant, "--rules", other]
    made = cli(["template", "--roster", roster, *rules_args, "-o", out / "下发", "--json"])
    steps.append(made)
    steps.append(cli(["template", "--matrix", "--roster", roster, *rules_args, "--method", METHODS[seed],
                      "--source", "检查组", "-o", out / "检查组", "--json"]))
    steps.append(cli(["template", "--adjustments", "--roster", roster, *rules_args, "-o", out / "复核", "--json"]))
    returns = season.rule_returns[seed]
    if made.exit == 0 and rules is not None and made.json:
        files = [Path(f) for f in made.json.get("files", [])]
        by_unit = {UNITS[0]: rules, UNITS[1]: rules, UNITS[2]: other_set}
        if len(files) == 3:
            returns = out.parent / "收回"
            try:
                fill_from(by_unit, files, returns)
            except Exception as exc:  # noqa: BLE001 - a template no clerk could fill: the seed's returns instead
                steps.append(Step(["fill"], -1, "", f"{type(exc).__name__}: {exc}"[:300], 0.0))
                returns = season.rule_returns[seed]
    steps.append(cli(["rank", returns, "--roster", roster, *rules_args, "-o", out / "汇总.xlsx",
                      "--report", out / "通报.docx", "--json"]))
    steps.append(cli(["score", returns, *rules_args, "-o", out / "反馈单", "--json"]))
    return steps


def run_rule_table(mutant: Path, season: Season, out: Path) -> list[Step]:
    """rules import; then the imported rule set checked, shown and used for templates and rank."""
    imported = out / "细则.yaml"
    steps = [cli(["rules", "import", mutant, "-o", imported])]
    if imported.exists():
        steps.append(cli(["rules", "check", imported, "--json"]))
        steps.append(cli(["rules", "export", imported, "-o", out / "再导出.xlsx"]))
        roster = season.roster0
        made = cli(["template", "--roster", roster, "--rules", imported, "-o", out / "下发", "--json"])
        steps.append(made)
        if made.exit == 0 and made.json and len(made.json.get("files", [])) == 3:
            from zwgk_cli.rules.loading import load_rules

            rules = load_rules(imported)
            returns = out.parent / "收回"
            fill_from(dict.fromkeys(UNITS, rules), [Path(f) for f in made.json["files"]], returns)
            steps.append(cli(["rank", returns, "--roster", roster, "--rules", imported, "-o", out / "汇总.xlsx",
                              "--report", out / "通报.docx", "--json"]))
    return steps


def run_source(mutant: Path, season: Season, out: Path) -> list[Step]:
    """The matrix or review table among the season's returns: rank (with 通报) and score -o."""
    folder = out.parent / "收回"
    shutil.copytree(season.returns, folder)
    shutil.copy(mutant, folder / mutant.name)
    return [cli(["rank", folder, "--roster", season.roster1, "-o", out / "汇总.xlsx", "--report", out / "通报.docx",
                 "--json"]),
            cli(["score", folder, "-o", out / "反馈单", "--json"])]


def run_roster(mutant: Path, season: Season, out: Path) -> list[Step]:
    rules_args = ["--rules", BUILTIN, "--rules", DEMO_B]
    return [cli(["template", "--roster", mutant, *rules_args, "-o", out / "下发", "--json"]),
            cli(["template", "--matrix", "--roster", mutant, *rules_args, "--method", "网上检查", "--source", "检查组",
                 "-o", out / "检查组", "--json"]),
            cli(["template", "--adjustments", "--roster", mutant, *rules_args, "-o", out / "复核", "--json"]),
            cli(["rank", season.returns2, "--roster", mutant, *rules_args, "-o", out / "汇总.xlsx",
                 "--report", out / "通报.docx", "--json"])]


def run_previous(mutant: Path, season: Season, out: Path) -> list[Step]:
    return [cli(["rank", season.returns, "--roster", season.roster1, "--previous", mutant, "-o", out / "汇总.xlsx",
                 "--report", out / "通报.docx", "--json"])]


def run_input(mutant: Path, seed: str, season: Season, out: Path) -> list[Step]:
    out.mkdir(parents=True, exist_ok=True)
    kind = kind_of_seed(seed)
    if kind == "rule-file":
        return run_rule_file(mutant, seed.removeprefix("rules-"), season, out)
    if kind == "rule-table":
        return run_rule_table(mutant, season, out)
    if kind in ("matrix", "review"):
        return run_source(mutant, season, out)
    if kind == "roster":
        return run_roster(mutant, season, out)
    return run_previous(mutant, season, out)


# --- what the outputs hold ------------------------------------------------------------------------

_F = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
_FIELD = re.compile(rb'<w:instrText[^>]*>([^<]*)</w:instrText>|w:instr="([^"]*)"')
_FUNCTION = re.compile(r"([A-Z][A-Z0-9._]*)\(")


def output_category(path: Path, out: Path) -> str:
    rel = path.relative_to(out)
    if len(rel.parts) > 1:
        return rel.parts[0] + ("/退回" if "退回修改" in path.name else "")
    return path.stem


def output_formulas(out: Path) -> dict[str, list[str]]:
    """{category: formulas} of every .xlsx (sheet XML ``<f>``) and .docx (field codes) under ``out``."""
    found: dict[str, list[str]] = {}
    for path in sorted(out.rglob("*")):
        if path.suffix not in (".xlsx", ".docx") or path.name.startswith("."):
            continue
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            found.setdefault(output_category(path, out), []).append("<unreadable output>")
            continue
        formulas = found.setdefault(output_category(path, out), [])
        for name in archive.namelist():
            if path.suffix == ".xlsx" and name.startswith("xl/worksheets/") and name.endswith(".xml"):
                formulas += [unescape((m.group(1) or b"").decode("utf-8", "replace"))
                             for m in _F.finditer(archive.read(name))]
            elif path.suffix == ".docx" and name.startswith("word/") and name.endswith(".xml"):
                formulas += [unescape((m.group(1) or m.group(2)).decode("utf-8", "replace")).strip()
                             for m in _FIELD.finditer(archive.read(name))]
    return found


def formula_signature(formulas: dict[str, list[str]]) -> dict[str, set[str]]:
    """The function names each category of output uses (and DOCX field words)."""
    signature = {}
    for category, items in formulas.items():
        names = set()
        for formula in items:
            names |= set(_FUNCTION.findall(formula)) or {formula.split(" ")[0].upper() or "<blank>"}
        signature[category] = names
    return signature


_LITERAL = re.compile(r'"(?:[^"]|"")*"')
# the functions the tool's own formulas use (a rule set's policy may bring one the seed's run has not)
TOOL_FUNCTIONS = {"IF", "ISNUMBER", "MIN", "MAX", "COUNTIF", "SUBSTITUTE", "ROUND", "SUM", "SUMIF", "TRIM", "OR",
                  "AND", "LEN", "INT", "VALUE", "IFERROR", "FIND", "CLEAN", "SIGN", "RIGHT", "LEFT", "LOWER", "ASC",
                  "ABS"}


def foreign_formulas(formulas: dict[str, list[str]], baseline: dict[str, set[str]]) -> list[str]:
    """Formulas the tool did not write: one using a function (outside its quoted text) that the
    unmutated run's outputs of that kind never use, or holding the marker — unless the marker is
    only quoted text inside one of the tool's own formulas (a grade name in the 等次 formula)."""
    found = []
    for category, items in formulas.items():
        known = baseline.get(category, set())
        for formula in items:
            code = _LITERAL.sub('""', formula)
            names = set(_FUNCTION.findall(code)) or {code.split(" ")[0].upper() or "<blank>"}
            if names - known - TOOL_FUNCTIONS:
                found.append(f"{category}: {formula[:160]} (new: {sorted(names - known)})")
            elif MARKER in code or (MARKER in formula and not set(_FUNCTION.findall(code))):
                found.append(f"{category}: {formula[:160]}")
    return found


_SHEET_NAME = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"')


def broken_outputs(out: Path) -> list[str]:
    """Workbooks written that Excel cannot open: a sheet name over 31 characters, holding
    ``[]:*?/\\``, or two sheet names equal but for case."""
    found = []
    for path in sorted(out.rglob("*.xlsx")):
        try:
            workbook = zipfile.ZipFile(path).read("xl/workbook.xml")
        except (zipfile.BadZipFile, KeyError):
            found.append(f"{path.name}: not a workbook")
            continue
        names = [unescape(n.decode("utf-8", "replace")) for n in _SHEET_NAME.findall(workbook)]
        bad = [n for n in names if len(n) > 31 or re.search(r"[\[\]:*?/\\]", n)]
        twice = sorted({n for n in names if [m.casefold() for m in names].count(n.casefold()) > 1})
        if bad or twice:
            found.append(f"{output_category(path, out)}: sheet names {(bad + twice)[:3]}")
    return found


# --- judging -------------------------------------------------------------------------------------

def _made_with(path: Path) -> str:
    """The rules_sha256 a template's _meta records ("" when none is found)."""
    try:
        archive = zipfile.ZipFile(path)
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                found = re.search(rb"\b[0-9a-f]{64}\b", archive.read(name))
                if found:
                    return found.group().decode()
    except (OSError, zipfile.BadZipFile):
        pass
    return ""


def fingerprint(steps: list[Step]) -> dict:
    """What a clerk reads from the run: per ranked or scored JSON document, each unit's total,
    rank, grade and clause points, the missing units and the refused files' codes; for the
    templates of a roster, the rule set each unit's workbook was made from."""
    prints = {}
    for step in steps:
        roster_under_test = step.args[:2] == ["template", "--roster"] and Path(step.args[2]).name.startswith("名单-")
        if roster_under_test and step.json and not {"--matrix", "--adjustments"} & set(step.args):
            prints["template"] = sorted((Path(f).name, _made_with(Path(f))) for f in step.json.get("files", []))
        data = step.json
        if not data or "units" not in data or step.args[0] not in ("rank", "score"):
            continue
        # clause points in table order, without their ids: a renamed 编号 changes no score
        units = {u["unit"]: (str(u.get("total")), u.get("rank"), u.get("grade"), str(u.get("previous")),
                             u.get("rank_change"), tuple(str(c["points"]) for c in u["clauses"]))
                 for u in data["units"]}
        prints[step.args[0]] = {"units": units, "missing": sorted(data.get("missing") or []),
                                "previous_only": sorted(str(p) for p in data.get("previous_only") or []),
                                "errors": sorted((Path(e["file"]).name, e["code"]) for e in data["errors"])}
    return prints


def warning_codes(steps: list[Step]) -> set[str]:
    """The codes the runs that make and publish results said (template, score, rank: a note of
    ``rules check``, which a clerk runs or not, does not count)."""
    codes = set()
    for step in steps:
        if step.args[0] not in ("template", "score", "rank", "rules") or step.args[:2] == ["rules", "check"]:
            continue
        data = step.json or {}
        if isinstance(data, dict):
            codes |= {w.get("code") for w in data.get("warnings") or [] if isinstance(w, dict)}
            codes |= {e.get("code") for e in data.get("errors") or [] if isinstance(e, dict)}
            codes |= {f.get("code") for f in data.get("findings") or [] if isinstance(f, dict)}
            codes |= {w["code"] for u in data.get("units") or [] for w in u.get("warnings") or []}
            if "error" in data:
                codes.add(data["error"].get("code"))
        if step.exit != 0:
            codes.add(f"exit-{step.exit}")
        if "警告" in step.stderr or "提醒" in step.stderr:
            codes.add("stderr-warning")
    return codes


def internal_errors(steps: list[Step]) -> list[str]:
    bad = []
    for step in steps:
        if step.args[0] == "fill":  # the harness filling a template (a failure there is the harness's)
            continue
        data = step.json or {}
        error = data.get("error") if isinstance(data, dict) else None
        code = error.get("code", "") if isinstance(error, dict) else ""
        text = step.stdout[-3000:] + step.stderr[-3000:]
        crashed = bool(step.exception) and not step.exception.startswith("peak RSS")
        if crashed or code == "internal-error" or "内部错误" in text or CLASS_NAME.search(text) \
                or step.exit not in (0, 1, 2, 3):
            bad.append(f"{' '.join(step.args[:2])}: exit {step.exit} {step.exception or code} "
                       f"{(step.stderr or step.stdout)[-300:]!r}")
    return bad


def unclear_refusals(steps: list[Step], mutant: Path, also: tuple[str, ...] = ()) -> list[str]:
    """Refusals of the run (exit 2) that do not name the file (or ``also``: the rule file a
    table was imported into), or name a Python class."""
    from support.mutations_sources import bad_message

    bad = []
    for step in steps:
        data = step.json or {}
        if step.exit == 2:
            error = data.get("error", {}) if isinstance(data, dict) else {}
            text = error.get("message") or step.stderr
            named = [mutant.name, mutant.stem, *also]
            if not any(n in text for n in named) and error.get("code") != "output-exists":
                bad.append(f"{' '.join(step.args[:2])}: {text[:200]}")
        for problem in (data.get("errors") or []) if isinstance(data, dict) else []:
            if Path(problem.get("file", "")).name == mutant.name and bad_message(problem["code"], problem["message"]):
                bad.append(f"{problem['code']}: {problem['message'][:200]}")
    return bad


def lost_outputs(steps: list[Step], base: list[Step], mutant: Path, kind: str) -> list[str]:
    """A matrix or review table that stopped the run, or cost other files their results."""
    if kind not in ("matrix", "review"):
        return []
    lost = []
    for step, before in zip(steps, base, strict=False):
        if step.exit == 2:
            lost.append(f"{step.args[0]} exit 2: nothing written")
            continue
        mine, theirs = step.json or {}, before.json or {}
        status = {Path(i["file"]).name: i["status"] for i in mine.get("inputs", [])}
        status_before = {Path(i["file"]).name: i["status"] for i in theirs.get("inputs", [])}
        if step.args[0] == "rank" and theirs.get("units") and not mine.get("units"):
            codes = sorted({e["code"] for e in mine.get("errors", []) if Path(e["file"]).name == mutant.name})
            if "source-refused" not in codes:  # one bad row (not a file that cannot be read) held back everyone
                lost.append(f"rank: no unit ranked (the seed ranks {len(theirs['units'])}); {mutant.name}: {codes}")
        for name, was in status_before.items():
            if name not in FILE_NAMES.values() and not name.startswith(("检查表", "复核", "网上")) \
                    and status.get(name) != was:
                lost.append(f"{step.args[0]}: {name} {was} -> {status.get(name)}")
    return lost


_TABLE_NUMBER = re.compile(r"^(每次分值|上限|最多次数) of (.+) \(row \d+\) = '(.*)'$")
_FIELDS = {"每次分值": "per", "上限": "cap", "最多次数": "max"}


def table_number_dropped(mutant: Mutant, steps: list[Step], out: Path) -> list[str]:
    """A rule table's 每次分值/上限/最多次数 given as words: ``rules import`` must read what a clerk
    meant (3次 is 3) or say it cannot; a YAML that loads with another value is a silent change."""
    import yaml

    found = _TABLE_NUMBER.match(mutant.what) if mutant.kind == "rule-table" else None
    imported = out / "细则.yaml"
    if not found or not steps or steps[0].exit != 0 or not imported.exists():
        return []
    column, clause_id, typed = found.groups()
    check = next((s for s in steps if s.args[:2] == ["rules", "check"]), None)
    if check is None or check.exit == 2:  # the imported set does not load: the clerk is told
        return []
    data = yaml.safe_load(imported.read_bytes())
    clauses = [c for part in (*(data.get("categories") or []), *(data.get("sections") or []))
               for c in [*(part.get("clauses") or []), *(x for i in part.get("indicators") or []
                                                           for x in i.get("clauses") or [])]]
    clause = next((c for c in clauses if str(c.get("id")) == clause_id), None)
    if clause is None:
        return []
    value = clause.get(_FIELDS[column])
    meant = INTENDED.get(typed)
    if meant is None:
        from zwgk_cli.exact import decimal_of

        meant = decimal_of(typed)
    if meant is not None and value is not None and decimal_of_any(value) == decimal_of_any(meant):
        return []
    return [f"rules import: {column} {typed!r} of {clause_id} became {_FIELDS[column]}: {value!r}, exit 0"]


def decimal_of_any(value: object):
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@dataclass
class Outcome:
    mutant: Mutant
    outcome: str
    detail: list[str]
    seconds: float = 0.0
    peak: int = 0  # bytes
    exits: list[str] = field(default_factory=list)  # each step's command and exit code


def judge(mutant: Mutant, steps: list[Step], base: list[Step], base_signature: dict,
          out: Path) -> tuple[str, list[str]]:
    bad = internal_errors(steps)
    if bad:
        return "internal-error", bad
    foreign = foreign_formulas(output_formulas(out), base_signature)
    if foreign:
        return "injected-formula", foreign
    broken = broken_outputs(out)
    if broken:
        return "broken-output", broken
    slow = [f"{' '.join(s.args[:2])}: {s.seconds:.1f} s" for s in steps if s.seconds > SLOW_SECONDS]
    if slow:
        return "slow", slow
    lost = lost_outputs(steps, base, mutant.path, mutant.kind)
    if lost:
        return "lost-outputs", lost
    unclear = unclear_refusals(steps, mutant.path, ("细则.yaml",) if mutant.kind == "rule-table" else ())
    if unclear:
        return "unclear-refusal", unclear
    dropped = table_number_dropped(mutant, steps, out)
    if dropped:
        return "silent-change", dropped
    new_warnings = warning_codes(steps) - warning_codes(base)
    changed = fingerprint(steps) != fingerprint(base)
    refused = any(s.exit == 2 for s in steps) or any(
        Path(e.get("file", "")).name == mutant.path.name
        for s in steps for e in ((s.json or {}).get("errors") or []) if isinstance(s.json, dict))
    if refused:
        return "refused", sorted(new_warnings)
    if changed and not new_warnings:
        if mutant.legit:
            return "read-changed", []
        return "silent-change", _difference(fingerprint(base), fingerprint(steps))
    if changed:
        return "read-warned", sorted(new_warnings)
    return "read", sorted(new_warnings)


def _difference(before: dict, after: dict) -> list[str]:
    lines = []
    for command in sorted(set(before) | set(after)):
        b, a = before.get(command, {}), after.get(command, {})
        if not isinstance(b, dict) or not isinstance(a, dict):  # the templates: [(file, rules_sha256)]
            if a != b:
                lines.append(f"{command}: {str(b)[:150]} -> {str(a)[:150]}")
            continue
        for key in sorted(set(b) | set(a)):
            if b.get(key) == a.get(key):
                continue
            if key == "units":
                bu, au = b.get(key) or {}, a.get(key) or {}
                for unit in sorted(set(bu) | set(au)):
                    if bu.get(unit) != au.get(unit):
                        lines.append(f"{command} {unit[:30]}: {str(bu.get(unit))[:150]} -> {str(au.get(unit))[:150]}")
            else:
                lines.append(f"{command} {key}: {str(b.get(key))[:150]} -> {str(a.get(key))[:150]}")
    return lines[:8]


# --- forked runs: each mutant in a process of its own, timed and measured -----------------------------

@dataclass
class Forked:
    """What a forked run gave: its result (None when it died), wall seconds, peak RSS, death."""

    result: object
    seconds: float
    peak: int
    death: str = ""


def fork_map(works: list[Callable[[], object]], jobs: int = 2, timeout: float = KILL_SECONDS,
             done: Callable[[int, Forked], None] | None = None) -> list[Forked]:
    """Each ``work()`` in a forked process of its own, ``jobs`` at a time; a run past ``timeout``
    is killed. A work that raises gives ``("child-died", text)``."""
    import pickle
    import tempfile

    pending = list(enumerate(works))
    running: dict[int, tuple[int, str, float]] = {}
    results: list[Forked | None] = [None] * len(works)
    while pending or running:
        while pending and len(running) < jobs:
            index, work = pending.pop(0)
            handle, name = tempfile.mkstemp(suffix=".pickle")
            os.close(handle)
            pid = os.fork()
            if pid == 0:  # the child
                code, start_rss = 0, _own_memory(reset=True)
                try:
                    result = work()
                except BaseException as exc:  # noqa: BLE001 - reported by the parent
                    result, code = ("child-died", f"{type(exc).__name__}: {exc}"[:500]), 1
                try:
                    with open(name, "wb") as out:
                        pickle.dump((result, _own_memory(peak=True) - start_rss), out)
                finally:
                    os._exit(code)
            running[pid] = (index, name, time.perf_counter())
        time.sleep(0.005)
        for pid in list(running):
            index, name, start = running[pid]
            finished, status, usage = os.wait4(pid, os.WNOHANG)
            death = ""
            if not finished:
                if time.perf_counter() - start <= timeout:
                    continue
                os.kill(pid, signal.SIGKILL)
                _, status, usage = os.wait4(pid, 0)
                death = "killed at the time limit"
            del running[pid]
            if os.WIFSIGNALED(status) and not death:
                death = f"signal {os.WTERMSIG(status)}"
            try:
                with open(name, "rb") as data:
                    result, grown = pickle.load(data)
            except (OSError, EOFError, pickle.UnpicklingError):
                result, grown = None, -1
            os.unlink(name)
            # the child's own growth above what it was forked with (its rusage peak counts the parent's pages)
            peak = grown if grown >= 0 else usage.ru_maxrss * 1024
            forked = Forked(result, time.perf_counter() - start, peak, death)
            if done is not None:
                done(index, forked)  # a campaign keeps the outcome, not every run's output
            else:
                results[index] = forked
    return results  # type: ignore[return-value]


def _own_memory(*, reset: bool = False, peak: bool = False) -> int:
    """This process's resident set (``peak``: its high-water mark) in bytes, from /proc; ``reset``
    clears the high-water mark first (Linux; 0 where /proc is not there)."""
    try:
        if reset:
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")
        with open("/proc/self/status") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
        return int(fields["VmHWM" if peak else "VmRSS"].split()[0]) * 1024
    except (OSError, KeyError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 if peak else 0


def in_child(work: Callable[[], object], timeout: float = KILL_SECONDS) -> Forked:
    return fork_map([work], 1, timeout)[0]


def _run_one(mutant: Mutant, season: Season, work: Path) -> Callable[[], object]:
    def run():
        out = work / "out"
        shutil.rmtree(work, ignore_errors=True)
        out.mkdir(parents=True)
        steps = run_input(mutant.path, mutant.seed, season, out)
        return steps, output_formulas(out)

    return run


def baselines(seeds: dict[tuple[str, str], bytes], season: Season, work: Path, jobs: int = 2) -> dict:
    """Every seed run as a mutant would be: {(seed, fmt): (steps, formula signature)}."""
    keys = sorted(seeds)
    works = []
    for name, fmt in keys:
        folder = work / f"{name}-{fmt}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / file_name(name, fmt, 99999)
        path.write_bytes(seeds[(name, fmt)])
        works.append(_run_one(Mutant(path, name, fmt, "seed", False), season, folder / "run"))
    found = {}
    for key, forked in zip(keys, fork_map(works, jobs), strict=True):
        if not isinstance(forked.result, tuple) or forked.result[0] == "child-died" or forked.death:
            raise RuntimeError(f"seed {key} did not run: {forked.result} {forked.death}")
        steps, formulas = forked.result
        found[key] = (steps, formula_signature(formulas))
    return found


def run_mutants(mutants: list[Mutant], season: Season, bases: dict, work: Path, jobs: int = 2,
                keep: Callable[[Outcome], None] | None = None, clean: bool = True,
                timeout: float = KILL_SECONDS) -> list[Outcome]:
    """Every mutant in a forked process of its own, ``jobs`` at a time; judged against its seed."""
    folders = [work / f"m{index:05d}" for index in range(len(mutants))]
    outcomes: list[Outcome | None] = [None] * len(mutants)

    def done(index: int, forked: Forked) -> None:
        outcome = _judged(mutants[index], forked, bases, folders[index])
        outcomes[index] = outcome
        if keep is not None:
            keep(outcome)
        if clean and outcome.outcome in GOOD:
            shutil.rmtree(folders[index], ignore_errors=True)

    fork_map([_run_one(m, season, f) for m, f in zip(mutants, folders, strict=True)], jobs, timeout, done)
    return [o for o in outcomes if o is not None]


def _judged(mutant: Mutant, forked: Forked, bases: dict, folder: Path) -> Outcome:
    result, seconds, peak, death = forked.result, forked.seconds, forked.peak, forked.death
    if death or result is None:
        what = "slow" if "time" in death else "internal-error"
        return Outcome(mutant, what, [f"{death or 'no result'} (peak RSS {peak >> 20} MB)"], seconds, peak)
    if result[0] == "child-died":
        return Outcome(mutant, "harness-error", [result[1]], seconds, peak)
    steps, _ = result
    base_steps, signature = bases[(mutant.seed, mutant.fmt)]
    outcome, detail = judge(mutant, steps, base_steps, signature, folder / "out")
    heavy = [s.exception for s in steps if s.exception.startswith("peak RSS")]  # a command run as its own process
    if heavy and outcome not in ("internal-error", "injected-formula"):
        outcome, detail = "memory", [*heavy, *detail]
    elif peak > MEMORY_BYTES and outcome not in ("internal-error", "injected-formula"):
        outcome, detail = "memory", [f"peak RSS {peak >> 20} MB", *detail]
    exits = [f"{' '.join(s.args[:2])}={s.exit} {s.seconds:.1f}s" for s in steps]
    return Outcome(mutant, outcome, detail, seconds, peak, exits)


# --- the campaign ------------------------------------------------------------------------------

GOOD = ("read", "refused", "read-changed", "read-warned")
COLUMNS = ("read", "read-changed", "read-warned", "refused", "internal-error", "injected-formula", "broken-output",
           "lost-outputs", "silent-change", "slow", "memory", "unclear-refusal", "harness-error")


def table(outcomes: list[Outcome]) -> str:
    counts = Counter((o.mutant.kind, o.outcome) for o in outcomes)
    kinds = sorted({o.mutant.kind for o in outcomes})
    lines = ["| kind | mutants | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 2) + "|"]
    for kind in [*kinds, "all"]:
        row = [counts[(k, c)] for c in COLUMNS for k in [kind]] if kind != "all" else \
            [sum(counts[(k, c)] for k in kinds) for c in COLUMNS]
        lines.append(f"| {kind} | {sum(row)} | " + " | ".join(str(n) for n in row) + " |")
    return "\n".join(lines)


def confirm_cases(out: Path, jobs: int = 2) -> int:
    """Every named case (:data:`CASES`) run with each command as its own ``python -m zwgk_cli``
    process, as a clerk runs it; prints the outcome of each."""
    global SUBPROCESS

    made = in_child(lambda: (make_season(out / "season"), make_input_seeds(out / "_seeds")), timeout=900)
    season, seeds = made.result
    used = {(c.seed, c.fmt) for c in CASES.values()}
    seeds = {key: seeds[key] for key in sorted(used)}
    mutants = []
    for name, case in CASES.items():
        path = out / "cases" / f"{case.seed}-{name}.{case.fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.make(seeds[(case.seed, case.fmt)]))
        mutants.append(Mutant(path, case.seed, case.fmt, case.what or name, case.legit))
    SUBPROCESS = True
    bases = baselines(seeds, season, out / "_base", jobs)
    outcomes = run_mutants(mutants, season, bases, out / "runs", jobs=jobs, clean=False)
    for outcome in outcomes:
        print(f"{outcome.mutant.path.stem}\t{outcome.outcome}\t{outcome.mutant.path}")
        print("   ", " | ".join(outcome.exits))
        print("   ", " | ".join(outcome.detail)[:600])
    return 0


def campaign(out: Path, per_seed: int, seed: int, jobs: int = 2, kinds: set[str] | None = None) -> int:
    from support.mutations import soffice_convert

    out.mkdir(parents=True, exist_ok=True)
    made = in_child(lambda: (make_season(out / "season"),
                             make_input_seeds(out / "_seeds", soffice_convert)), timeout=900)
    if not isinstance(made.result, tuple) or made.result[0] == "child-died":
        print("seeds:", made)
        return 2
    season, seeds = made.result
    if kinds:
        seeds = {k: v for k, v in seeds.items() if kind_of_seed(k[0]) in kinds}
    mutants = write_input_mutants(out / "mutants", seeds, per_seed, seed, soffice_convert)
    random.Random(seed).shuffle(mutants)  # every kind early: a campaign cut short still covers all
    print(f"{len(mutants)} mutants of {len(seeds)} seeds", flush=True)
    bases = baselines(seeds, season, out / "_base")
    repro = out / "repro"
    log = (out / "outcomes.jsonl").open("w", encoding="utf-8")

    def keep(outcome: Outcome) -> None:
        record = {"file": str(outcome.mutant.path), "kind": outcome.mutant.kind, "seed": outcome.mutant.seed,
                  "fmt": outcome.mutant.fmt, "what": outcome.mutant.what, "legit": outcome.mutant.legit,
                  "outcome": outcome.outcome, "detail": outcome.detail, "seconds": round(outcome.seconds, 2),
                  "peak_mb": outcome.peak >> 20, "exits": outcome.exits}
        log.write(json.dumps(record, ensure_ascii=False) + "\n")
        log.flush()
        if outcome.outcome not in GOOD:
            target = repro / outcome.outcome / outcome.mutant.path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(outcome.mutant.path, target.with_name(f"{outcome.mutant.seed}-{target.name}"))
            target.with_name(f"{outcome.mutant.seed}-{target.name}.txt").write_text(
                json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
            print(f"{outcome.outcome.upper()} {outcome.mutant.seed}/{outcome.mutant.path.name}: "
                  f"{outcome.mutant.what[:80]} :: {' | '.join(outcome.detail)[:300]}", flush=True)

    outcomes = run_mutants(mutants, season, bases, out / "runs", jobs=jobs, keep=keep)
    log.close()
    print(table(outcomes))
    return 1 if any(o.outcome not in GOOD for o in outcomes) else 0


# --- named reproducers: every distinct failure the campaign found ------------------------------------

@dataclass
class Case:
    """A named reproducer: the seed it damages, how, whether the damage may change a value on
    purpose, and — while the bug is there — the outcome the campaign found and where the fault is."""

    seed: str
    fmt: str
    make: Callable[[bytes], bytes]
    legit: bool = False
    bug: str = ""  # the outcome today ("" once fixed)
    fault: str = ""
    decided: str = ""  # the outcome kept on purpose, and why (the test asserts it stays so)
    what: str = ""  # what was done, in the campaign's words, where the judge reads it (rule-table numbers)


def _yaml_edit(edit: Callable[[dict], object], token: str | None = None) -> Callable[[bytes], bytes]:
    """The rule file loaded, ``edit``ed and written back (``ZWGKNUMBER`` replaced by ``token``)."""
    def make(raw: bytes) -> bytes:
        import yaml

        data = yaml.safe_load(raw)
        edit(data)
        body = _yaml_dump(data)
        return body.replace(b"ZWGKNUMBER", token.encode()) if token is not None else body

    return make


def _rule_clause(data: dict, clause_id: str) -> dict:
    parts = [i for c in data.get("categories") or [] for i in c.get("indicators") or []] + \
        [{"clauses": s.get("clauses") or []} for s in data.get("sections") or []]
    return next(c for p in parts for c in p["clauses"] if str(c.get("id")) == clause_id)


def _set(path: tuple, value: object) -> Callable[[dict], None]:
    """Set data[path[0]][path[1]]… (a str key, an int index, or ("clause", id))."""
    def edit(data: dict) -> None:
        target = data
        for key in path[:-1]:
            target = _rule_clause(data, key[1]) if isinstance(key, tuple) else target[key]
        target[path[-1]] = value

    return edit


def _text(raw: bytes, old: bytes, new: bytes) -> bytes:
    assert old in raw, old
    return raw.replace(old, new, 1)


def _cell_xml(title: str, ref: str, inner: bytes, kind: bytes = b' t="inlineStr"') -> Callable[[bytes], bytes]:
    """The cell ``ref`` of the sheet titled ``title`` replaced by ``<c r=ref kind>inner</c>``."""
    def make(raw: bytes) -> bytes:
        member = _sheet_for(raw, title)
        body = zipfile.ZipFile(io.BytesIO(raw)).read(member)
        cell = re.search(rb'<c r="' + ref.encode() + rb'"([^>]*?)(?:/>|>.*?</c>)', body, re.DOTALL)
        assert cell, ref
        style = re.search(rb'\bs="\d+"', cell.group(1))
        new = b'<c r="' + ref.encode() + b'"' + (b" " + style.group() if style else b"") + kind + b">" + inner + b"</c>"
        changed = body[:cell.start()] + new + body[cell.end():]
        return rewrite_zip(raw, lambda name, b: changed if name == member else b)

    return make


def _cell_twice(title: str, ref: str, inner: bytes) -> Callable[[bytes], bytes]:
    """The cell ``ref`` of the sheet titled ``title`` written again right after itself, holding ``inner``."""
    def make(raw: bytes) -> bytes:
        member = _sheet_for(raw, title)
        body = zipfile.ZipFile(io.BytesIO(raw)).read(member)
        cell = re.search(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', body, re.DOTALL)
        changed = body[:cell.end()] + b'<c r="' + ref.encode() + b'">' + inner + b"</c>" + body[cell.end():]
        return rewrite_zip(raw, lambda name, b: changed if name == member else b)

    return make


_QUOTE_GRADE = f'优秀",HYPERLINK("http://zwgk.invalid","{MARKER}"),"'
_EQUALS = f'=HYPERLINK("http://zwgk.invalid","{MARKER}")'
_CLASS_SLASH = _set(("class",), "B/类")

# name -> Case. Each ran through the campaign's runner for its kind (run_input) and judged
# against its unmutated seed; a case with ``bug`` is xfail(strict) in tests/test_fuzz_inputs.py.
CASES: dict[str, Case] = {
    # --- rule files (YAML) ---
    "细则-等次名称含引号": Case(
        "rules-demo-b", "yaml", _yaml_edit(_set(("policy", "grades", 0, "name"), _QUOTE_GRADE)), legit=True),
    "细则-编号以等号开头": Case(
        "rules-demo-c", "yaml", _yaml_edit(_set((("clause", "C3"), "id"), _EQUALS)), legit=True),
    "细则-细则编号以等号开头": Case(
        "rules-demo-b", "yaml", _yaml_edit(_set(("id",), _EQUALS)), legit=True),
    "细则-勘误以等号开头": Case(
        "rules-builtin", "yaml", _yaml_edit(_set(("errata", 0, "decision"), _EQUALS))),
    "细则-标题以等号开头": Case(
        "rules-demo-b", "yaml", _yaml_edit(_set(("title",), _EQUALS))),
    "细则-一级指标名称以等号开头": Case(
        "rules-demo-b", "yaml", _yaml_edit(_set(("categories", 0, "name"), _EQUALS))),
    "细则-类别含斜杠": Case(
        "rules-demo-b", "yaml", _yaml_edit(_CLASS_SLASH), legit=True),
    "细则-每次分值1e15": Case(
        "rules-builtin", "yaml", _yaml_edit(_set((("clause", "13"), "per"), "ZWGKNUMBER"), "1e15"), legit=True),
    "细则-上限1e308": Case(
        "rules-builtin", "yaml", _yaml_edit(_set((("clause", "5"), "cap"), "ZWGKNUMBER"), "1.0e+308"), legit=True),
    "细则-类别过长": Case(
        "rules-demo-b", "yaml", _yaml_edit(_set(("class",), "B类" + "x" * 40)), legit=True),
    "细则-下限1e15": Case(
        "rules-demo-c", "yaml", _yaml_edit(_set(("policy", "floor"), "ZWGKNUMBER"), "1e15"), legit=True),
    "细则-不适用指标无赋分": Case(
        "rules-demo-c", "yaml",
        _yaml_edit(lambda data: data["categories"][0]["indicators"][2].pop("points"))),
    "细则-编号_x0001_": Case(
        "rules-demo-b", "yaml", _yaml_edit(_set((("clause", "B1"), "id"), "_x0001_")), legit=True),
    "细则-下限高于满分": Case(
        "rules-builtin", "yaml", _yaml_edit(_set(("policy", "floor"), 1000))),
    "细则-名称含控制字符": Case(
        "rules-demo-b", "yaml", _yaml_edit(_set(("categories", 0, "indicators", 0, "name"), "甲\x01乙"))),
    "细则-没有任何条款": Case(
        "rules-demo-b", "yaml", _yaml_edit(lambda data: (data.__setitem__("categories", None), data.pop("sections"))),
        legit=True),
    "细则-别名炸弹": Case(
        "rules-builtin", "yaml", lambda raw: _schema_bomb(100)),
    "细则-数值下溢1.0e-400": Case(
        "rules-builtin", "yaml", _yaml_edit(_set((("clause", "5"), "per"), "ZWGKNUMBER"), "1.0e-400")),
    "细则-重复键": Case(
        "rules-builtin", "yaml",
        lambda raw: _text(raw, b'{id: "5", kind: count, per: 2,', b'{id: "5", kind: count, per: 2, per: 0,')),
    "细则-检查有错的权重": Case(
        "rules-demo-b", "yaml", _yaml_edit(_set(("categories", 0, "weight"), 47))),
    # --- rule tables (rules import) ---
    "细则表-勘误_x0001_": Case(
        "table-builtin", "xlsx", _cell_xml("勘误", "B2", b"<is><t>_x0001_</t></is>")),
    "细则表-勘误以等号开头": Case(
        "table-builtin", "xlsx", _cell_xml("勘误", "D2", b"<is><t>" + _xml_text(_EQUALS).encode() + b"</t></is>")),
    "细则表-上限1e400": Case(
        "table-demo-b", "xlsx", _cell_xml("评分表", "K3", b"<is><t>1e400</t></is>")),
    "细则表-等次名称含冒号": Case(
        "table-demo-b", "xlsx",
        _cell_xml("细则信息", "B13", "<is><t>优秀:一等:90；良好:80；合格:60；不合格:0</t></is>".encode()), legit=True),
    "细则表-上限1e-400": Case(
        "table-builtin", "xlsx", _cell_xml("评分表", "K13", b"<is><t>1e-400</t></is>")),
    "细则表-最多次数3次": Case(
        "table-builtin", "xlsx", _cell_xml("评分表", "L23", b"<is><t>3\xe6\xac\xa1</t></is>")),
    "细则表-上限八分": Case(
        "table-builtin", "xlsx", _cell_xml("评分表", "K6", "<is><t>八分</t></is>".encode()),
        what="上限 of 5 (row 6) = '八分'"),
    # --- matrices, review tables ---
    "检查表-表头含U+FFFE": Case(
        "matrix", "xlsx", _cell_xml("检查表", "A4", b"<is><t>&#xFFFE;</t></is>")),
    "检查表-数值1e-400": Case(
        "matrix", "xlsx", _cell_xml("检查表", "D5", b"<v>1e-400</v>", b"")),
    "复核调整表-调整为是公式": Case(
        "review", "xlsx", _cell_xml("复核调整表", "C5", b"<f>A1</f><v>2</v>", b"")),
    "复核调整表-单位名称无法对应": Case(
        "review", "xlsx", _cell_xml("复核调整表", "A5", b"<is><t>" + _xml_text(_EQUALS).encode() + b"</t></is>"),
        decided="lost-outputs: a correction whose unit nobody can tell could belong to any unit; ranking them all "
                "without it could publish a wrong rank, so every unit waits (the summary says which row, exit 1) "
                "until the row names a unit"),
    # --- rosters ---
    "名单-一个类别为空": Case(
        "roster", "csv", lambda raw: _text(raw, f"{FOURTH},B,".encode(), f"{FOURTH},,".encode())),
    "名单-单位名称_x0001_": Case(
        "roster", "xlsx", _cell_xml("Sheet", "A5", b"<is><t>_x0001_</t></is>"), legit=True),
    "名单-类别写成全角Ｂ类": Case(
        "roster", "csv", lambda raw: _text(raw, f"{FOURTH},B,".encode(), f"{FOURTH},Ｂ类,".encode())),
    # --- last season ---
    "上年汇总-总分单元格写了两次": Case(
        "summary", "xlsx", _cell_twice("排名", "C4", b"<v>50</v>")),
    "上年汇总-总分1e-400": Case(
        "summary", "xlsx", _cell_xml("排名", "C4", b"<v>1e-400</v>", b"")),
    "上年结果-总分1e-400": Case(
        "rank", "json", lambda raw: re.sub(rb'"total":\s*100\b', b'"total": 1e-400', raw, count=1)),
    "上年结果-重复键": Case(
        "rank", "json", lambda raw: re.sub(rb'"total":\s*100\b', b'"total": 100, "total": 50', raw, count=1)),
    "上年结果-孤立代理项": Case(
        "rank", "json", lambda raw: _text(raw, UNITS[0].encode(), b"\\ud800" + UNITS[0].encode()), legit=True),
}

if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-seed", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--kinds", default="", help="comma-separated input kinds (rule-file, rule-table, matrix, "
                                                    "review, roster, previous-json, previous-summary)")
    parser.add_argument("--cases", action="store_true",
                        help="run the named cases instead, each command as its own process")
    args = parser.parse_args()
    if args.cases:
        sys.exit(confirm_cases(args.out, args.jobs))
    sys.exit(campaign(args.out, args.per_seed, args.seed, args.jobs, set(filter(None, args.kinds.split(",")))))
