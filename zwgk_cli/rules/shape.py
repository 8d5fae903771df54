"""Reading a rule file's YAML and checking the shape of its values.

Whatever a county office types into a rule file — a list where a mapping belongs, a number
where text belongs, a tab in the indentation, a GBK file — ends as a ``rules-invalid``
problem with its place (``categories[0].weight``), never as an internal error.

>>> kind_of(["x"]), kind_of(3)
('列表', '数字 3')
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal

from ..cells import unsafe_characters
from ..decoding import decode_text
from ..exact import decimal_of, places
from ..problems import Problem, RuleSetError, message

# What a rule file may hold before anything is built from it: the built-in table is 20 KB and
# uses no alias; a 2 KB file of nested aliases ("billion laughs") would expand to gigabytes.
MAX_BYTES = 1 << 20
MAX_ALIASES = 20  # n aliases expand a document by at most ~1.44**n: 20 give ~1,500 copies
MAX_TEXT = 2_000  # characters of one text (the longest official rule texts are a few hundred)
MAX_NUMBER = Decimal(10_000)  # points, weights and caps: 100 is the usual full marks
MAX_WHOLE = 100_000  # version, year, max
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")  # how an integer is read from a rule file


def yaml_document(raw: bytes, source: str) -> object:
    """The YAML document in ``raw``; RuleSetError (in Chinese, with the line) if there is none,
    if it is too large, holds too many aliases or a key twice in one mapping."""
    import yaml

    def invalid(variant: str, **values: object) -> RuleSetError:
        return RuleSetError(source, [Problem.of("rules-invalid", variant, file=source, **values)])

    if len(raw) > MAX_BYTES:
        raise invalid("too-large", size=len(raw) // 1024, most=MAX_BYTES // 1024)
    text = decode_text(raw)  # UTF-8, or as Notepad saves it: GBK ("ANSI") or UTF-16 ("Unicode")
    if text is None:
        raise invalid("encoding")
    loader = _loader(yaml)
    try:
        aliases = sum(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=loader))
        if aliases > MAX_ALIASES:
            raise invalid("aliases", count=aliases, most=MAX_ALIASES)
        data = yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)
    except _DuplicateKey as exc:
        raise invalid("duplicate-key", key=exc.key, at=message("rules-invalid", "yaml-at", line=exc.line,
                                                               column=exc.column)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        at = message("rules-invalid", "yaml-at", line=mark.line + 1, column=mark.column + 1) if mark \
            else message("rules-invalid", "yaml-somewhere")
        raise invalid("yaml-syntax", at=at) from None
    except (ValueError, OverflowError, RecursionError):  # e.g. a date 2022-13-45, nesting too deep
        raise invalid("yaml-value") from None
    if data is None:  # only comments
        raise invalid("empty")
    return data


class _DuplicateKey(Exception):
    def __init__(self, key: object, mark):
        super().__init__(key)
        self.key, self.line, self.column = key, mark.line + 1, mark.column + 1


def _loader(yaml):
    """A safe loader (libyaml's when present: ~10× faster) that refuses a key given twice in one
    mapping: YAML keeps the last silently, so a pasted block would replace what came before."""
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):
        def construct_mapping(self, node, deep=False):
            if isinstance(node, yaml.MappingNode):
                seen = set()
                for key_node, _ in node.value:
                    key = self.construct_object(key_node, deep=deep)
                    if isinstance(key, str | int | float | bool) and key in seen:
                        raise _DuplicateKey(key, key_node.start_mark)
                    seen.add(key) if isinstance(key, str | int | float | bool) else None
            return super().construct_mapping(node, deep=deep)

        def construct_decimal_int(self, node):
            """An integer written in decimal digits. YAML 1.1's other ways (0x10, 0o17, 010 read
            as 8, 1_000, 1:20 read as 80) stay text, so that the shape checks refuse them instead
            of reading a number the author never saw."""
            if not _DECIMAL_INT.fullmatch(str(node.value)):
                return str(node.value)
            return self.construct_yaml_int(node)

        def construct_underflow(self, node):
            """A float too small for a double (1.0e-400) is not 0: kept exact, so that the number
            checks refuse it instead of reading it as nothing. One written with _ or : (1_000.5,
            1:20.5, sexagesimal) stays text, as such integers do."""
            if any(mark in str(node.value) for mark in "_:"):
                return str(node.value)
            value = self.construct_yaml_float(node)
            mantissa = str(node.value).lower().replace("_", "").split("e")[0]
            if value == 0 and any(digit in mantissa for digit in "123456789"):
                return Decimal(str(node.value).replace("_", ""))
            return value

    Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_decimal_int)
    Loader.add_constructor("tag:yaml.org,2002:float", Loader.construct_underflow)
    return Loader


def kind_of(value: object) -> str:
    """How a YAML value is named in a message (never its whole text: it may be huge)."""
    if isinstance(value, dict):
        return "映射（键: 值）"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, bool):
        return f"真假值 {str(value).lower()}"
    if isinstance(value, int | float | Decimal):
        return f"数字 {value}"
    if isinstance(value, str):
        return f"文字「{value[:40]}」"
    if value is None:
        return "空值"
    return "日期" if hasattr(value, "year") else "无法识别的值"


# The keys each mapping of a rule file may hold (the README's rule-file table), by place.
_CLAUSE_KEYS = ("id", "kind", "per", "cap", "max", "text", "counts", "needs_note", "veto", "evidence")
KEYS: dict[str, tuple[str, ...]] = {
    "top": ("id", "title", "issuer", "year", "class", "version", "full_marks", "policy", "categories",
            "sections", "errata"),
    "policy": ("category_cap", "indicator_cap", "bonus_cap", "floor", "grades", "not_applicable", "veto_total",
               "bonus_min_total", "evidence_policy"),
    "grade": ("name", "min"),
    "category": ("name", "weight", "indicators"),
    "indicator": ("group", "name", "points", "method", "errata", "clauses", "na"),
    "clause": (*_CLAUSE_KEYS, "bonus"),
    "section": ("name", "bonus", "method", "clauses"),
    "item": (*_CLAUSE_KEYS, "part", "name"),  # a whole-unit item: its section says bonus or not
    "erratum": ("id", "where", "source", "decision"),
}
PLACE_LABELS = {"top": "顶层", "policy": "policy", "grade": "policy.grades[]", "category": "categories[]",
                "indicator": "categories[].indicators[]", "clause": "indicators[].clauses[]",
                "section": "sections[]", "item": "sections[].clauses[]", "erratum": "errata[]"}


def _nearest(key: str, place: str) -> str:
    """The suggestion after an unknown key: the places where a key of that name belongs, else
    the closest key of its own place, else of another place; "" when nothing is close."""
    homes = [PLACE_LABELS[other] for other, keys in KEYS.items() if key in keys]
    if homes:
        return message("rules-invalid", "unknown-key-elsewhere", close=key, place=" 或 ".join(homes))
    close = difflib.get_close_matches(key, KEYS[place], n=1, cutoff=0.6)
    if close:
        return message("rules-invalid", "unknown-key-close", close=close[0])
    for other, keys in KEYS.items():
        close = difflib.get_close_matches(key, keys, n=1, cutoff=0.8)
        if close:
            return message("rules-invalid", "unknown-key-elsewhere", close=close[0], place=PLACE_LABELS[other])
    return ""


class Shapes:
    """Shape checks for YAML values, and the problems they found in one rule file: each check
    returns a usable value and records a rules-invalid problem at its place
    (``categories[0].weight``) when the value has the wrong shape.

    >>> shapes = Shapes("a.yaml")
    >>> shapes.number("categories[0].weight", "x"), shapes.problems[0].message
    (None, 'categories[0].weight：应为不小于 0、最多两位小数的数，而不是文字「x」')
    """

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, where: str, variant: str, /, **values: object) -> None:
        """Record the rules-invalid problem ``variant`` at ``where``."""
        self.problems.append(Problem.of("rules-invalid", variant, file=self.source, where=where, **values))

    def keys(self, where: str, data: dict, place: str) -> None:
        """Record every key of ``data`` that a mapping at ``place`` (a key of :data:`KEYS`) does
        not know, with the nearest known key: a misspelt key would otherwise be silently ignored.

        >>> shapes = Shapes("a.yaml")
        >>> shapes.keys("policy", {"indicator_cpa": True}, "policy")
        >>> shapes.problems[0].message
        'policy.indicator_cpa：未知的键「indicator_cpa」（是否应为 indicator_cap？）'
        """
        for key in data:
            if str(key) not in KEYS[place]:
                self.fail(f"{where}.{key}" if where else str(key), "unknown-key", key=key,
                          close=_nearest(str(key), place))

    def mapping(self, where: str, value: object) -> dict | None:
        """A mapping ({} when absent); None, with a problem, when the value is something else."""
        if isinstance(value, dict) or value is None:
            return value or {}
        self.fail(where, "mapping", got=kind_of(value))
        return None

    def items(self, where: str, value: object) -> list:
        if isinstance(value, list) or value is None:
            return value or []
        self.fail(where, "list", got=kind_of(value))
        return []

    def text(self, where: str, value: object, *, number_ok: bool = False) -> str:
        """Text; a number only where one reads as text (ids, class, errata). Text that no workbook
        can hold (control characters, a lone surrogate) or longer than any rule is refused: every
        template, matrix and summary writes it."""
        if isinstance(value, str) or value is None:
            text = (value or "").strip()
            if unsafe_characters(text):
                self.fail(where, "unsafe-text", chars=unsafe_characters(text))
                return ""
            if len(text) > MAX_TEXT:
                self.fail(where, "long-text", length=len(text), most=MAX_TEXT)
                return text[:MAX_TEXT]
            return text
        if number_ok and isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.fail(where, "text", got=kind_of(value))
        return ""

    def flag(self, where: str, value: object, default: bool) -> bool:
        if isinstance(value, bool) or value is None:
            return default if value is None else value
        self.fail(where, "flag", got=kind_of(value))
        return default

    def choice(self, where: str, value: object, choices: tuple[str, ...], default: str) -> str:
        """One of ``choices`` (``default`` when absent)."""
        if value is None:
            return default
        if isinstance(value, str) and value.strip() in choices:
            return value.strip()
        self.fail(where, "choice", choices=" | ".join(choices), got=kind_of(value))
        return default

    def whole(self, where: str, value: object, default: int | None) -> int | None:
        if value is None or (isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_WHOLE):
            return default if value is None else value
        self.fail(where, "whole", got=kind_of(value))
        return default

    def number(self, where: str, value: object, *, required: bool = True) -> Decimal | None:
        if value is None:
            if required:
                self.fail(where, "no-number")
            return None
        number = decimal_of(value) if isinstance(value, int | float | str | Decimal) else None
        if number is None or not number.is_finite() or number < 0 or places(number) > 2:
            self.fail(where, "number", got=kind_of(value))
            return None
        if number > MAX_NUMBER:  # beyond any table; kept exact and within 64 bits all the way through
            self.fail(where, "large", got=kind_of(value), most=MAX_NUMBER)
            return None
        return number
