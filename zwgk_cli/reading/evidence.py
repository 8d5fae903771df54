"""印证材料 as units write it, and where the files it names are.

A 印证材料 cell lists file names (as in the unit's submission) and web links, one per line or
separated by 、；; (never by a comma: file names hold commas). Each item is a link (http or
https, checked for its form only — nothing is fetched), a link written wrongly, a path on the
unit's own PC, or a file name, looked up in the files that came with the workbook
(:class:`FileIndex`): the unit's folder or .zip, with its subfolders.

>>> [i.kind for i in evidence_items("会议纪要.pdf、https://www.jiangxian.gov.cn/xxgk/1.html\\nwww.x.gov.cn/a")]
['file', 'link', 'bad-link']
>>> FileIndex(["材料/会议纪要.pdf", "年报.pdf"]).find("会议纪要.PDF")
['材料/会议纪要.pdf']
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

_SEPARATORS = re.compile(r"[\r\n、；;]+")
_QUOTES = "\"'“”‘’《》「」『』<>()（）[]【】 \t\u3000"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_BARE_HOST = re.compile(r"^(www\.|[\w\-]+(\.[\w\-]+)*\.(gov\.cn|com\.cn|org\.cn|net\.cn|cn|com|net|org)(/|$))",
                        re.IGNORECASE)
_LOCAL = re.compile(r"^([A-Za-z]:[\\/]|\\\\|//|/home/|/Users/)")
_HOST = re.compile(r"^[\w\-.]+$")
_SPACE = re.compile(r"\s")

FILE, LINK, BAD_LINK, LOCAL = "file", "link", "bad-link", "local"


@dataclass(frozen=True, slots=True)
class Item:
    """One listed piece of evidence: ``kind`` file, link, bad-link (a link written wrongly) or
    local (a path on the unit's own PC, which the office cannot see); ``text`` as written."""

    kind: str
    text: str


def evidence_items(text: str) -> list[Item]:
    """The items a 印证材料 cell lists, in order, each once."""
    return [Item(_kind_of(part), part) for part in evidence_texts(text)]


def evidence_texts(text: str) -> list[str]:
    """What a 印证材料 cell lists, in order, each once, as written (without telling links from files)."""
    parts = (part.strip(_QUOTES) for part in _SEPARATORS.split(text or ""))
    return list(dict.fromkeys(part for part in parts if part))


def listed_items(read) -> dict[str, str]:
    """Each item a read lists (its own entries and its matrix or review rows'), in order, each
    once, with its kind: {text: kind}. The reader split the cells already."""
    entries = list(read.findings.entries.values()) if read.findings is not None else []
    entries += [e for row in read.rows for e in row.entries.values()]
    return {text: _kind_of(text) for entry in entries for text in entry.evidence}


@lru_cache(maxsize=4096)  # units list the same few links and names over and over
def _kind_of(text: str) -> str:
    if _SCHEME.match(text):
        return LINK if link_ok(text) else BAD_LINK
    if _LOCAL.match(text):
        return LOCAL
    if _BARE_HOST.match(text):
        return BAD_LINK
    return FILE


def link_ok(text: str) -> bool:
    """Whether ``text`` is a well-formed http(s) URL with a host (its form only).

    >>> link_ok("https://www.jiangxian.gov.cn/xxgk/"), link_ok("http://政务公开.中国/a?b=1")
    (True, True)
    >>> link_ok("ftp://x.cn/a"), link_ok("http://"), link_ok("https://www.x.gov.cn/a b"), link_ok("http://x")
    (False, False, False, False)
    """
    if _SPACE.search(text):
        return False
    try:
        parts = urlsplit(text)
        port = parts.port  # raises for a port that is no number or out of range
    except ValueError:
        return False
    host = parts.hostname or ""
    del port
    return (parts.scheme.lower() in ("http", "https") and bool(_HOST.match(host))
            and ("." in host.strip(".") or host == "localhost") and ".." not in host)


def name_key(name: str) -> str:
    """A listed name or a file's path as compared: / for \\, no ./ or leading /, one form of
    each character (NFC), case folded — Windows does not tell 会议纪要.PDF from 会议纪要.pdf.

    >>> name_key(".\\\\材料\\\\Ａ.PDF")
    '材料/ａ.pdf'
    """
    text = unicodedata.normalize("NFC", name.replace("\\", "/")).strip()
    text = posixpath.normpath(text) if text else ""
    return text.lstrip("/").removeprefix("./").casefold() if text not in (".", "") else ""


_WINDOWS_ILLEGAL = re.compile(r'[<>:"|?*\x00-\x1f]')


def illegal_on_windows(name: str) -> str:
    """The characters of a file name (not its folders' separators) that Windows does not allow;
    "" when none.

    >>> illegal_on_windows("会议纪要?.pdf"), illegal_on_windows("材料/年报.pdf")
    ('?', '')
    """
    return "".join(dict.fromkeys(_WINDOWS_ILLEGAL.findall(name.replace("\\", "/").rsplit("/", 1)[-1])))


class FileIndex:
    """The files a workbook came with (relative paths, / between folders), looked up by what a
    unit lists: the path as written, else a path ending so, else the file name alone, else the
    name without its extension (a unit writes 会议纪要 for 会议纪要.pdf)."""

    def __init__(self, paths: list[str]):
        self.paths = list(paths)
        self._by_key: dict[str, list[str]] = {}
        self._by_name: dict[str, list[str]] = {}
        self._by_stem: dict[str, list[str]] = {}
        for path in self.paths:
            key = name_key(path)
            base = key.rsplit("/", 1)[-1]
            self._by_key.setdefault(key, []).append(path)
            self._by_name.setdefault(base, []).append(path)
            self._by_stem.setdefault(posixpath.splitext(base)[0], []).append(path)

    def find(self, listed: str) -> list[str]:
        """The files ``listed`` may mean: one when found, several when it is ambiguous, none."""
        key = name_key(listed)
        if not key:
            return []
        if key in self._by_key:
            return self._by_key[key]
        base = key.rsplit("/", 1)[-1]
        if "/" in key:
            ending = [p for p in self._by_name.get(base, []) if name_key(p).endswith("/" + key)]
            if ending:
                return ending
        return self._by_name.get(base) or self._by_stem.get(base) or []
