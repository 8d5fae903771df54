"""Unit names: compared as a clerk means them, matched against the roster, never guessed.

Two spellings are the same unit when they agree after normalising widths, brackets,
punctuation and every kind of space; a leading place name (the issuer's 绛县, or any
「X县/X市/X区/X旗」 for a rule set without an issuer) is dropped when what remains is a roster
name. Anything else off the roster is only ever *suggested* (closest names), never assigned.

>>> name_key("县（财政）局\\u3000") == name_key("县(财政)局")
True
>>> roster = RosterNames(["县民政局", "县财政局"], issuer="绛县")
>>> roster.match("绛县民政局"), roster.match("县 民政局"), roster.match("民政所")
('县民政局', '县民政局', None)
>>> roster.closest("县财务局")
['县财政局']
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from ..problems import Level, message

# Spaces NFKC leaves alone or that a paste brings in: zero-width ones, BOM, word joiner, soft
# hyphen, and control characters (a workbook cannot hold them, so the template drops them).
_INVISIBLE = re.compile("[\\s\x00-\x1f\x7f\u200b-\u200d\u2060\ufeff\u00ad]+")
_BRACKETS = str.maketrans({"【": "(", "〔": "(", "［": "(", "[": "(", "〖": "(",
                           "】": ")", "〕": ")", "］": ")", "]": ")", "〗": ")",
                           "—": "-", "–": "-", "－": "-", "―": "-",
                           "・": "·", "•": "·", "‧": "·"})
PLACE_ENDINGS = "县市区旗"
_PLACE_SPAN = 12  # a place prefix is short: 运城市绛县 is five characters


def name_key(name: str) -> str:
    """The form two names are compared in (never shown to a user)."""
    text = unicodedata.normalize("NFKC", str(name))
    return _INVISIBLE.sub("", text).translate(_BRACKETS)


def tidy_name(name: str) -> str:
    """A name as typed, with the spaces and invisible characters at its ends removed."""
    return _INVISIBLE.sub(" ", str(name)).strip()


def place_variants(key: str, issuer: str = "") -> list[str]:
    """``key`` with a leading place name dropped: 绛县民政局 → 县民政局, 民政局.

    With an issuer only its own name is dropped (so 运城市民政局, the city's bureau, never
    becomes a county unit); without one, any leading 「X县/X市/X区/X旗」.

    >>> place_variants("绛县民政局", "绛县"), place_variants("运城市民政局", "绛县")
    (['县民政局', '民政局'], [])
    >>> place_variants("运城市绛县民政局")
    ['市绛县民政局', '绛县民政局', '县民政局', '民政局']
    """
    prefix = name_key(issuer) if issuer else ""
    if prefix:
        ends = [len(prefix) - 1] if key.startswith(prefix) else []
    else:
        ends = [at for at in range(1, min(len(key) - 1, _PLACE_SPAN)) if key[at] in PLACE_ENDINGS]
    variants = [v for at in ends for v in ((key[at:] if key[at] in PLACE_ENDINGS else ""), key[at + 1:])]
    return [v for v in dict.fromkeys(variants) if v and v != key]


def file_stem(label: str) -> str:
    """A file label's name without folders or suffix, whichever slash its folders use."""
    return PurePath(label.replace("\\", "/")).stem


class RosterNames:
    """The roster's names, for matching what a workbook says against it."""

    def __init__(self, names: list[str], issuer: str = ""):
        self.names = list(names)
        self.issuer = issuer
        self._exact = {name_key(n): n for n in names}
        loose: dict[str, set[str]] = {}
        for name in names:  # a roster written with the county's prefix matches a name without it
            for variant in place_variants(name_key(name), issuer):
                loose.setdefault(variant, set()).add(name)
        self._loose = {k: next(iter(v)) for k, v in loose.items() if len(v) == 1 and k not in self._exact}

    def __contains__(self, name: str) -> bool:
        return name_key(name) in self._exact

    def match(self, name: str) -> str | None:
        """The roster name ``name`` means, or None when it is not (unambiguously) on the roster."""
        key = name_key(name)
        if not key:
            return None
        if key in self._exact:
            return self._exact[key]
        found = {self._exact[v] for v in place_variants(key, self.issuer) if v in self._exact}
        if len(found) == 1:
            return found.pop()
        return self._loose.get(key) if not found else None

    def named_by_file(self, file: str) -> str | None:
        """The roster unit a file's name is about, for a file too damaged to say whom it is from:
        its whole name (县财政局.xlsx) or, failing that, the longest roster name it starts with
        (县财政局(2).xlsx, 县财政局-修改版.xls). None when no roster name fits."""
        stem = file_stem(file)
        found = self.match(stem)
        if found is not None:
            return found
        key = name_key(stem)
        starts = [k for k in (*self._exact, *self._loose) if key.startswith(k)]
        if not starts:
            return None
        best = max(starts, key=len)
        return self._exact.get(best) or self._loose[best]

    def closest(self, name: str, n: int = 3) -> list[str]:
        """Roster names that look like ``name``, best first (a suggestion for the clerk)."""
        keys = difflib.get_close_matches(name_key(name), list(self._exact), n=n, cutoff=0.6)
        return [self._exact[k] for k in keys]


def duplicate_names(names: list[str]) -> list[str]:
    """Names that occur more than once once normalised (each in its first spelling)."""
    first: dict[str, str] = {}
    repeated: dict[str, None] = {}
    for name in names:
        key = name_key(name)
        if key in first:
            repeated[first[key]] = None
        else:
            first[key] = name
    return list(repeated)


@dataclass(frozen=True, slots=True)
class Identity:
    """Which unit a workbook is from, and what to tell the clerk about how that was decided."""

    unit: str
    code: str = ""
    message: str = ""
    level: Level = Level.WARNING


def identify(typed: str, meta: str, roster: RosterNames | None, issuer: str = "") -> Identity:
    """Decide the unit from the name typed on the sheet and the unit recorded in _meta.

    With a roster, a _meta unit on the roster is the unit; else a typed name on it (also
    spelled with the county's prefix); else the name stands, with the closest roster names
    suggested. Without a roster the typed name wins over _meta (the office may have handed
    out one blank template to everybody), with a warning, unless it is _meta's name spelled
    with the issuer's prefix (so that 绛县民政局 and 县民政局 are still one unit's duplicates).
    """
    if roster is None:
        if not typed:
            return _identity(meta, "unit-missing", "meta", unit=meta) if meta else Identity("")
        if meta and name_key(typed) != name_key(meta):
            if RosterNames([meta], issuer).match(typed):
                return _identity(meta, "unit-alias", "meta", typed=typed, meta=meta)
            return _identity(typed, "unit-mismatch", typed=typed, meta=meta)
        return Identity(meta or typed)
    on_meta = roster.match(meta) if meta else None
    on_typed = roster.match(typed) if typed else None
    if on_meta:
        return _template_unit(typed, meta, on_meta, on_typed)
    if on_typed:
        if meta and name_key(meta) != name_key(on_typed):
            return _identity(on_typed, "unit-mismatch", "roster", typed=typed, meta=meta, unit=on_typed)
        if name_key(typed) != name_key(on_typed):
            return _identity(on_typed, "unit-alias", "roster", typed=typed, unit=on_typed)
        return Identity(on_typed)
    unit = typed or meta
    made = message("unit-unknown", "made", meta=meta) if meta and name_key(meta) != name_key(unit) else ""
    close = roster.closest(unit)
    near = message("unit-unknown", "close", names="、".join(close)) if close else ""
    return _identity(unit, "unit-unknown", unit=unit, made=made, close=near)


def _identity(unit: str, code: str, variant: str = "", /, *, level: Level = Level.WARNING,
              **values: str) -> Identity:
    """The unit decided, with the catalogued problem that says how (a warning unless told)."""
    return Identity(unit, code, message(code, variant, **values), level)


def _template_unit(typed: str, meta: str, unit: str, on_typed: str | None) -> Identity:
    """The template was made for roster unit ``unit``: it is the unit, unless the sheet names
    another roster unit (then nobody can tell whose findings these are)."""
    if not typed:
        return _identity(unit, "unit-missing", "meta", unit=unit)
    if on_typed and on_typed != unit:
        return _identity(unit, "unit-conflict", level=Level.ERROR, typed=on_typed, unit=unit)
    if name_key(typed) != name_key(unit):
        return _identity(unit, "unit-mismatch", "roster", typed=typed, meta=meta, unit=unit)
    return Identity(unit)
