"""Build an offline install bundle of zwgk: the project's wheel plus binary wheels of every
dependency, for Windows (win_amd64) and Linux (manylinux x86_64 / aarch64), CPython 3.11 / 3.12.

Run it as ``python tools/offline-bundle -o dist/`` on any machine with internet access (Linux or
Windows).  It uses the standard library only and runs pip (``sys.executable -m pip``, pip >= 22.2)
as a subprocess, with the user's own pip configuration (a mirror in pip.ini is honoured).

What it does, per target (e.g. ``win-amd64-cp311``):

1. ``pip install --dry-run --ignore-installed --only-binary=:all: --platform ... --python-version
   ... --implementation cp --abi ... --report`` on the project's wheel.  This resolves the whole
   tree from index metadata (PEP 658: no wheel is downloaded) and fails when a dependency has no
   binary wheel for the target.
2. The trap: pip evaluates environment markers (``sys_platform``, ``platform_system``,
   ``platform_machine``, ``os_name``, even ``python_version``) against the interpreter running pip,
   not against ``--platform``/``--python-version``.  So from Linux the Windows set lacks
   ``colorama`` (typer: ``colorama; platform_system == "Windows"``) and from Python 3.11 a cp312
   set misses anything marked ``python_version >= "3.12"``.  The tool therefore walks the resolved
   metadata again from the root with the markers evaluated for the *target* (``close``).  Every
   requirement that applies to the target but not to the marker environment pip used (its report
   states it) is handed back to pip, marker stripped, as a top-level requirement of a new round;
   rounds repeat until nothing new appears.  (Handing them to the resolver rather than fetching each with ``--no-deps``
   lets pip resolve their own dependencies and all version ranges together.)  What pip pulled in
   only because of the host's markers is left out of the target's set.
3. Without ``--check``: ``pip download --no-deps`` of exactly the resolved ``name==version`` set
   into a per-target folder, then the downloaded wheels' METADATA ``Requires-Dist`` is read and
   the closure checked once more on the files themselves; the folders are merged into one
   de-duplicated ``wheels/``.

Marker evaluation is implemented here (``evaluate_marker``) rather than imported from
``packaging``: the script must run with nothing but a Python and its pip (no temporary install,
which would need the network before ``--check`` can even start), ``pip._vendor.packaging`` is
pip's private API, and the subset needed -- PEP 508 markers of published METADATA evaluated for
six fixed environments -- is small.  The tests compare it with ``packaging`` on every marker form
the dependency tree uses.

Limitation: pip still resolves with the host's markers, so a dependency needed only on the host
that has no wheel for a target would make that target fail.  None of zwgk's dependencies is such.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.parser import Parser
from pathlib import Path

PROJECT = "zwgk"
HERE = Path(__file__).resolve().parent
OFFLINE_FILES = HERE / "offline"

# ---------------------------------------------------------------------------------------------
# Targets


# Newest glibc a bundle may require.  Domestic desktops (UOS 20, Deepin 20, Kylin V10) ship glibc
# 2.28 or newer; wheels tagged for a newer glibc would not install there.
DEFAULT_GLIBC = (2, 28)

_TARGET_RE = re.compile(r"^(?:(?P<win>win)-(?P<warch>amd64)|linux-(?P<larch>x86_64|aarch64))-cp3(?P<minor>1[1-9])$")

DEFAULT_TARGETS = (
    "win-amd64-cp311",
    "win-amd64-cp312",
    "linux-x86_64-cp311",
    "linux-x86_64-cp312",
    "linux-aarch64-cp311",
    "linux-aarch64-cp312",
)


@dataclass(frozen=True)
class Target:
    system: str  # "win" or "linux"
    arch: str  # "amd64", "x86_64" or "aarch64"
    minor: int  # Python 3.<minor>

    @property
    def name(self) -> str:
        return f"{self.system}-{self.arch}-cp3{self.minor}"

    @property
    def python_version(self) -> str:
        return f"3.{self.minor}"

    @property
    def abi(self) -> str:
        return f"cp3{self.minor}"

    def platforms(self, glibc: tuple[int, int] = DEFAULT_GLIBC) -> list[str]:
        """Platform tags pip may accept for this target, most preferred first."""
        if self.system == "win":
            return ["win_amd64"]
        major, newest = glibc
        if major != 2 or newest < 17:
            raise ValueError(f"unsupported glibc level {major}.{newest} (need 2.17 or newer)")
        tags = [f"manylinux_2_{m}_{self.arch}" for m in range(newest, 16, -1)]
        tags.append(f"manylinux2014_{self.arch}")  # the legacy alias of manylinux_2_17
        return tags

    def pip_args(self, glibc: tuple[int, int] = DEFAULT_GLIBC) -> list[str]:
        args: list[str] = []
        for tag in self.platforms(glibc):
            args += ["--platform", tag]
        return args + ["--python-version", self.python_version, "--implementation", "cp", "--abi", self.abi]

    def environments(self) -> list[dict[str, str]]:
        """PEP 508 marker environments of the target: one for the first and one for a late patch
        release, so that a requirement needed on any 3.x.y is kept."""
        if self.system == "win":
            fixed = {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows",
                     "platform_machine": "AMD64"}
        else:
            fixed = {"os_name": "posix", "sys_platform": "linux", "platform_system": "Linux",
                     "platform_machine": self.arch}
        envs = []
        for patch in (0, 99):
            full = f"3.{self.minor}.{patch}"
            env = {
                **fixed,
                "python_version": self.python_version,
                "python_full_version": full,
                "implementation_name": "cpython",
                "implementation_version": full,
                "platform_python_implementation": "CPython",
                "platform_release": "",
                "platform_version": "",
                "extra": "",
            }
            envs.append(env)
        return envs


def parse_target(name: str) -> Target:
    m = _TARGET_RE.match(name.strip())
    if not m:
        raise ValueError(
            f"unknown target {name!r}: expected win-amd64-cp3XY, linux-x86_64-cp3XY or linux-aarch64-cp3XY "
            f"(XY 11 or newer), e.g. {', '.join(DEFAULT_TARGETS[:3])}")
    if m["win"]:
        return Target("win", m["warch"], int(m["minor"]))
    return Target("linux", m["larch"], int(m["minor"]))


def parse_targets(values: Iterable[str] | None) -> list[Target]:
    """``--targets a,b --targets c`` -> targets, in order, without repeats; none -> the defaults."""
    names: list[str] = []
    for value in values or ():
        names += [part for part in re.split(r"[,\s]+", value) if part]
    if not names:
        names = list(DEFAULT_TARGETS)
    targets: list[Target] = []
    for n in names:
        t = parse_target(n)
        if t not in targets:
            targets.append(t)
    return targets


def parse_glibc(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d+)\.(\d+)", text.strip())
    if not m or int(m[1]) != 2 or int(m[2]) < 17:
        raise ValueError(f"--glibc wants a version like 2.28 (2.17 or newer), not {text!r}")
    return int(m[1]), int(m[2])


# ---------------------------------------------------------------------------------------------
# Names, versions and specifiers (the PEP 440 subset markers need)


def canonical_name(name: str) -> str:
    """PEP 503 normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


_VERSION_RE = re.compile(
    r"""^\s*v?
    (?:(?P<epoch>\d+)!)?
    (?P<release>\d+(?:\.\d+)*)
    (?:[-_.]?(?P<pre_l>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?P<pre_n>\d+)?)?
    (?:(?:-(?P<post_n1>\d+))|(?:[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>\d+)?))?
    (?:[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>\d+)?)?
    (?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
    \s*$""",
    re.VERBOSE | re.IGNORECASE,
)

_PRE_ORDER = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}
_INF = float("inf")


@dataclass(frozen=True)
class Version:
    epoch: int
    release: tuple[int, ...]
    pre: tuple[int, int] | None
    post: int | None
    dev: int | None

    @property
    def is_prerelease(self) -> bool:
        return self.pre is not None or self.dev is not None

    @property
    def base(self) -> tuple[int, tuple[int, ...]]:
        return self.epoch, _strip_zeros(self.release)

    def key(self) -> tuple:
        # The ordering of packaging.version: dev < pre < final < post.
        if self.pre is None and self.post is None and self.dev is not None:
            pre: tuple = (-_INF, 0)
        elif self.pre is None:
            pre = (_INF, 0)
        else:
            pre = self.pre
        post = -_INF if self.post is None else self.post
        dev = _INF if self.dev is None else self.dev
        return self.epoch, _strip_zeros(self.release), pre, post, dev


def _strip_zeros(release: tuple[int, ...]) -> tuple[int, ...]:
    items = list(release)
    while len(items) > 1 and items[-1] == 0:
        items.pop()
    return tuple(items)


def parse_version(text: str) -> Version | None:
    """A PEP 440 version, or None when ``text`` is not one.  Local labels are accepted and
    ignored (no marker value of a target has one)."""
    m = _VERSION_RE.match(text)
    if not m:
        return None
    pre = None
    if m["pre_l"]:
        pre = (_PRE_ORDER[m["pre_l"].lower()], int(m["pre_n"] or 0))
    post = None
    if m["post_n1"] is not None:
        post = int(m["post_n1"])
    elif m["post_l"]:
        post = int(m["post_n2"] or 0)
    dev = int(m["dev_n"] or 0) if m["dev_l"] else None
    return Version(int(m["epoch"] or 0), tuple(int(p) for p in m["release"].split(".")), pre, post, dev)


_SPEC_OPS = ("===", "~=", "==", "!=", "<=", ">=", "<", ">")


def _spec_version(op: str, text: str) -> tuple[Version, bool] | None:
    """The version of a ``<op><text>`` specifier and whether it ends in ``.*``; None if invalid."""
    wildcard = text.endswith(".*")
    if wildcard:
        if op not in ("==", "!="):
            return None
        text = text[:-2]
    if "+" in text and op not in ("==", "!="):
        return None
    v = parse_version(text)
    if v is None:
        return None
    if wildcard and (v.pre or v.post is not None or v.dev is not None):
        return None
    if op == "~=" and len(v.release) < 2:
        return None
    return v, wildcard


def specifier_contains(op: str, spec_text: str, candidate: str) -> bool | None:
    """Whether version ``candidate`` matches ``<op><spec_text>`` (pre-releases allowed, as markers
    do); None when ``<op><spec_text>`` is not a valid version specifier."""
    if op == "===":
        return candidate.strip().lower() == spec_text.strip().lower()
    parsed = _spec_version(op, spec_text.strip())
    if parsed is None:
        return None
    spec, wildcard = parsed
    cand = parse_version(candidate)
    if cand is None:
        return False
    if op in ("==", "!="):
        if wildcard:
            n = len(spec.release)
            padded = cand.release + (0,) * max(0, n - len(cand.release))
            equal = cand.epoch == spec.epoch and padded[:n] == spec.release
        else:
            equal = cand.key() == spec.key()
        return equal if op == "==" else not equal
    c, s = cand.key(), spec.key()
    if op == "<=":
        return c <= s
    if op == ">=":
        return c >= s
    if op == "<":
        # "<V" excludes pre-releases of V itself unless V is one.
        return c < s and not (not spec.is_prerelease and cand.is_prerelease and cand.base == spec.base)
    if op == ">":
        if not c > s:
            return False
        # ">V" excludes post-releases of V unless V is one.
        return not (spec.post is None and cand.post is not None and cand.base == spec.base)
    # "~=": ">=" plus "==" on the release without its last part.
    prefix = spec.release[:-1]
    padded = cand.release + (0,) * max(0, len(prefix) - len(cand.release))
    return c >= s and cand.epoch == spec.epoch and padded[: len(prefix)] == prefix


# ---------------------------------------------------------------------------------------------
# PEP 508 markers

MARKER_VARIABLES = {
    "python_version", "python_full_version", "os_name", "sys_platform", "platform_release",
    "platform_system", "platform_version", "platform_machine", "platform_python_implementation",
    "implementation_name", "implementation_version", "extra",
}
# Old spellings that packaging still accepts.
_ALIASES = {
    "os.name": "os_name", "sys.platform": "sys_platform", "platform.version": "platform_version",
    "platform.machine": "platform_machine", "platform.python_implementation": "platform_python_implementation",
    "python_implementation": "platform_python_implementation",
}

_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<str>'[^']*'|"[^"]*")
      | (?P<op>===|==|!=|<=|>=|~=|<|>)
      | (?P<paren>[()])
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    )""",
    re.VERBOSE,
)


class MarkerError(ValueError):
    pass


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            raise MarkerError(f"cannot parse marker {text!r} at {text[pos:]!r}")
        pos = m.end()
        kind = m.lastgroup
        assert kind is not None
        value = m[kind]
        if kind == "word":
            if value in ("and", "or", "in", "not"):
                kind = value
            elif value in MARKER_VARIABLES or value in _ALIASES:
                kind, value = "var", _ALIASES.get(value, value)
            else:
                raise MarkerError(f"unknown marker variable {value!r} in {text!r}")
        elif kind == "str":
            value = value[1:-1]
        tokens.append((kind, value))
    return tokens


# A parsed marker: ("and"|"or", left, right) or ("cmp", (kind, value), op, (kind, value)).
MarkerTree = tuple


class _MarkerParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def _peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        if self.i >= len(self.tokens):
            raise MarkerError(f"marker {self.text!r} ends too early")
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> MarkerTree:
        tree = self._or()
        if self.i != len(self.tokens):
            raise MarkerError(f"unexpected {self.tokens[self.i][1]!r} in marker {self.text!r}")
        return tree

    def _or(self) -> MarkerTree:
        tree = self._and()
        while self._peek() == "or":
            self._take()
            tree = ("or", tree, self._and())
        return tree

    def _and(self) -> MarkerTree:
        tree = self._atom()
        while self._peek() == "and":
            self._take()
            tree = ("and", tree, self._atom())
        return tree

    def _atom(self) -> MarkerTree:
        if self._peek() == "paren":
            kind, value = self._take()
            if value != "(":
                raise MarkerError(f"unexpected ')' in marker {self.text!r}")
            tree = self._or()
            if self._take() != ("paren", ")"):
                raise MarkerError(f"missing ')' in marker {self.text!r}")
            return tree
        left = self._operand()
        kind, value = self._take()
        if kind == "op":
            op = value
        elif kind == "in":
            op = "in"
        elif kind == "not" and self._take()[0] == "in":
            op = "not in"
        else:
            raise MarkerError(f"expected a comparison in marker {self.text!r}")
        right = self._operand()
        if left[0] == right[0]:
            raise MarkerError(f"a marker compares a variable with a quoted string: {self.text!r}")
        return ("cmp", left, op, right)

    def _operand(self) -> tuple[str, str]:
        kind, value = self._take()
        if kind not in ("var", "str"):
            raise MarkerError(f"expected a variable or a string in marker {self.text!r}")
        return kind, value


def parse_marker(text: str) -> MarkerTree:
    return _MarkerParser(text).parse()


def marker_variables(tree: MarkerTree) -> set[str]:
    if tree[0] in ("and", "or"):
        return marker_variables(tree[1]) | marker_variables(tree[2])
    _, left, _, right = tree
    return {v for k, v in (left, right) if k == "var"}


# Variables compared as versions (packaging >= 25, which pip vendors); all others as strings.
VERSION_VARIABLES = {"python_version", "python_full_version", "implementation_version", "platform_release"}


def _compare(lhs: str, op: str, rhs: str, key: str) -> bool:
    if op == "in":
        return lhs in rhs
    if op == "not in":
        return lhs not in rhs
    if key in VERSION_VARIABLES:
        # A version comparison when "<op><rhs>" is a valid specifier...
        result = specifier_contains(op, rhs, lhs)
        if result is not None:
            return result
    # ... else strings, where (as in packaging) "<" and ">" never hold and "<=", ">=" mean "==".
    if op in ("==", "<=", ">="):
        return lhs == rhs
    if op == "!=":
        return lhs != rhs
    if op in ("<", ">"):
        return False
    raise MarkerError(f"undefined comparison {lhs!r} {op} {rhs!r}")


def _eval(tree: MarkerTree, env: Mapping[str, str]) -> bool:
    if tree[0] == "and":
        return _eval(tree[1], env) and _eval(tree[2], env)
    if tree[0] == "or":
        return _eval(tree[1], env) or _eval(tree[2], env)
    _, (lk, lv), op, (rk, rv) = tree
    key = lv if lk == "var" else rv
    lhs = env[lv] if lk == "var" else lv
    rhs = env[rv] if rk == "var" else rv
    if key == "extra":
        lhs, rhs = canonical_name(lhs), canonical_name(rhs)
    return _compare(lhs, op, rhs, key)


def evaluate_marker(marker: str | MarkerTree, env: Mapping[str, str]) -> bool:
    """Evaluate a PEP 508 marker in ``env`` (which must define every variable it uses)."""
    tree = parse_marker(marker) if isinstance(marker, str) else marker
    return _eval(tree, env)


# ---------------------------------------------------------------------------------------------
# Requirements and metadata


_REQ_RE = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[(?P<extras>[^\]]*)\])?(?P<rest>.*)$", re.S)


@dataclass(frozen=True)
class Requirement:
    name: str  # as written
    extras: tuple[str, ...] = ()
    specifier: str = ""  # e.g. ">=2.0,<3" ("" for any version)
    url: str = ""
    marker: str = ""  # "" when unconditional

    @property
    def key(self) -> str:
        return canonical_name(self.name)

    def without_marker(self) -> str:
        """The requirement as pip takes it on a command line, marker dropped."""
        text = self.name + (f"[{','.join(self.extras)}]" if self.extras else "")
        if self.url:
            return f"{text} @ {self.url}"
        return text + self.specifier

    def environment_dependent(self) -> bool:
        """Whether the marker depends on the environment (anything but ``extra``)."""
        return bool(self.marker) and bool(marker_variables(parse_marker(self.marker)) - {"extra"})

    def applies(self, envs: Iterable[Mapping[str, str]], extras: Iterable[str] = ()) -> bool:
        """Whether the requirement is needed in any of ``envs`` when ``extras`` are requested."""
        if not self.marker:
            return True
        tree = parse_marker(self.marker)
        wanted = ["", *extras]
        return any(_eval(tree, {**env, "extra": e}) for env in envs for e in wanted)


def parse_requirement(text: str) -> Requirement:
    m = _REQ_RE.match(text)
    if not m:
        raise ValueError(f"cannot parse requirement {text!r}")
    extras = tuple(e.strip() for e in (m["extras"] or "").split(",") if e.strip())
    rest = m["rest"].strip()
    url = marker = ""
    if rest.startswith("@"):
        parts = re.split(r"\s+;", rest[1:], maxsplit=1)
        url = parts[0].strip()
        marker = parts[1].strip() if len(parts) > 1 else ""
        spec = ""
    else:
        spec, _, marker = rest.partition(";")
        spec, marker = spec.strip(), marker.strip()
        if spec.startswith("(") and spec.endswith(")"):
            spec = spec[1:-1].strip()
        spec = re.sub(r"\s+", "", spec)
    if marker:
        parse_marker(marker)  # fail early on a marker this module cannot read
    return Requirement(m["name"], extras, spec, url, marker)


@dataclass
class Dist:
    name: str
    version: str
    requires: list[str] = field(default_factory=list)
    filename: str = ""  # the wheel's file name, when known

    @property
    def key(self) -> str:
        return canonical_name(self.name)


def parse_metadata(text: str, filename: str = "") -> Dist:
    """A Dist from the text of a wheel's ``METADATA`` (RFC 822 headers)."""
    msg = Parser().parsestr(text, headersonly=True)
    name, version = msg.get("Name"), msg.get("Version")
    if not name or not version:
        raise ValueError(f"METADATA without Name/Version{' in ' + filename if filename else ''}")
    return Dist(name.strip(), version.strip(), [r.strip() for r in msg.get_all("Requires-Dist") or []], filename)


def read_wheel_metadata(path: Path) -> Dist:
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        if len(names) != 1:
            raise ValueError(f"{path.name}: expected one .dist-info/METADATA, found {len(names)}")
        text = zf.read(names[0]).decode("utf-8")
    return parse_metadata(text, path.name)


def dists_from_report(report: Mapping) -> dict[str, Dist]:
    """Dists (by canonical name) from a ``pip install --report`` JSON document."""
    dists: dict[str, Dist] = {}
    for item in report.get("install", []):
        meta = item["metadata"]
        url = item.get("download_info", {}).get("url", "")
        dist = Dist(meta["name"], meta["version"], list(meta.get("requires_dist") or []), url.rsplit("/", 1)[-1])
        dists[dist.key] = dist
    return dists


@dataclass
class Closure:
    reachable: dict[str, Dist]  # by canonical name
    missing: list[Requirement]  # needed by the target, no dist of that name
    host_skipped: list[Requirement]  # needed by the target, not selected by the host's markers


def close(dists: Mapping[str, Dist], root: str, envs: list[dict[str, str]],
          host: Mapping[str, str] | None = None) -> Closure:
    """Walk ``dists`` from ``root`` following only the requirements that apply to ``envs``.

    ``host`` is the marker environment pip resolved with (its report's ``environment``): a
    requirement that applies to the target but not to the host was never seen by pip's resolver,
    even when a dist of that name is present through another path.
    """
    reachable: dict[str, Dist] = {}
    missing: dict[str, Requirement] = {}
    host_skipped: dict[str, Requirement] = {}
    requested: dict[str, set[str]] = {}
    queue: list[tuple[str, frozenset[str]]] = [(canonical_name(root), frozenset())]
    while queue:
        key, extras = queue.pop(0)
        dist = dists.get(key)
        if dist is None:
            continue
        seen = requested.get(key)
        if seen is not None and extras <= seen:
            continue
        requested[key] = (seen or set()) | set(extras)
        reachable[key] = dist
        for text in dist.requires:
            req = parse_requirement(text)
            if not req.applies(envs, requested[key]):
                continue
            if host is not None and req.environment_dependent() and not req.applies([host], requested[key]):
                host_skipped.setdefault(req.without_marker(), req)
            if req.key not in dists:
                missing.setdefault(req.without_marker(), req)
                continue
            queue.append((req.key, frozenset(canonical_name(e) for e in req.extras)))
    return Closure(reachable, list(missing.values()), list(host_skipped.values()))


_WHEEL_RE = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)(?:-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$")


def wheel_name_version(filename: str) -> tuple[str, str]:
    m = _WHEEL_RE.match(filename)
    if not m:
        raise ValueError(f"not a wheel file name: {filename}")
    return canonical_name(m["name"]), m["version"]


# ---------------------------------------------------------------------------------------------
# pip


class BundleError(Exception):
    pass


def _pip(args: list[str], log, *, check: bool = True, no_config: bool = False) -> subprocess.CompletedProcess:
    """Run pip; ``no_config``: without the user's pip configuration and PIP_* variables (which
    could add find-links folders to an offline check)."""
    cmd = [sys.executable, "-m", "pip", *args]
    env = {**os.environ, "PYTHONUTF8": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    if no_config:
        env = {k: v for k, v in env.items() if not k.upper().startswith("PIP_")}
        env["PIP_CONFIG_FILE"] = os.devnull
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace", env=env)
    if check and proc.returncode != 0:
        raise BundleError(f"pip {args[0]} failed (exit {proc.returncode}):\n{_tail(proc.stderr or proc.stdout)}")
    return proc


def _tail(text: str, lines: int = 15) -> str:
    noise = "is ignored: it is neither a file nor a directory"  # a find-links/index entry that is absent
    kept = [line for line in text.strip().splitlines() if noise not in line]
    return "\n".join("    " + line for line in kept[-lines:])


def check_pip(log) -> str:
    proc = _pip(["--version"], log)
    m = re.match(r"pip (\d+)\.(\d+)", proc.stdout)
    if not m:
        raise BundleError(f"cannot read pip's version from {proc.stdout!r}")
    if (int(m[1]), int(m[2])) < (22, 2):
        raise BundleError(f"pip {m[1]}.{m[2]} is too old (--dry-run --report need 22.2): "
                          f"{sys.executable} -m pip install --upgrade pip")
    return f"{m[1]}.{m[2]}"


_NO_DIST_RE = re.compile(r"No matching distribution found for (\S+)")


def dry_run(target: Target, requirements: list[str], glibc: tuple[int, int], workdir: Path, log) -> dict:
    report = workdir / f"report-{target.name}.json"
    # --target: pip before 24 refuses --platform without it, even with --dry-run (nothing is written).
    args = ["install", "--dry-run", "--ignore-installed", "--target", str(workdir / "never-written"),
            "--only-binary=:all:", *target.pip_args(glibc), "--quiet", "--report", str(report), *requirements]
    proc = _pip(args, log, check=False)
    if proc.returncode != 0:
        names = sorted(set(_NO_DIST_RE.findall(proc.stderr)))
        if names:
            raise BundleError(f"{target.name}: no binary wheel (or no version that fits) for: {', '.join(names)}\n"
                              f"{_tail(proc.stderr)}")
        raise BundleError(f"{target.name}: pip could not resolve the dependencies:\n{_tail(proc.stderr)}")
    return json.loads(report.read_text(encoding="utf-8"))


@dataclass
class Resolution:
    target: Target
    dists: dict[str, Dist]  # what the target needs, by canonical name
    host_missed: list[str]  # needed by the target, absent from pip's first (host-marker) answer
    host_skipped: list[str]  # requirements pip skipped for the host's markers (present or not)
    host_only: list[str]  # resolved by pip for the host's markers, not needed by the target
    rounds: int


MAX_ROUNDS = 8


def resolve(target: Target, root_wheel: Path, glibc: tuple[int, int], workdir: Path, log) -> Resolution:
    added: list[str] = []
    host_missed: list[str] | None = None
    host_skipped: list[str] = []
    root = wheel_name_version(root_wheel.name)[0]
    for round_no in range(1, MAX_ROUNDS + 1):
        report = dry_run(target, [str(root_wheel), *added], glibc, workdir, log)
        host = {**report["environment"], "extra": ""}
        closure = close(dists_from_report(report), root, target.environments(), host)
        if host_missed is None:
            host_missed = sorted({r.key for r in closure.missing})
            host_skipped = sorted({r.key for r in closure.host_skipped + closure.missing})
        new = [t for t in dict.fromkeys(r.without_marker() for r in closure.host_skipped + closure.missing)
               if t not in added]
        if not new:
            if closure.missing:
                raise BundleError(f"{target.name}: still missing after {round_no} rounds: "
                                  + ", ".join(r.without_marker() for r in closure.missing))
            host_only = sorted(set(dists_from_report(report)) - set(closure.reachable))
            return Resolution(target, closure.reachable, host_missed, host_skipped, host_only, round_no)
        added += new
    raise BundleError(f"{target.name}: the requirements did not settle in {MAX_ROUNDS} rounds")


def download(resolution: Resolution, root: str, glibc: tuple[int, int], dest: Path, log) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    pins = [f"{d.name}=={d.version}" for key, d in sorted(resolution.dists.items()) if key != root]
    _pip(["download", "--no-deps", "--only-binary=:all:", *resolution.target.pip_args(glibc), "--quiet",
          "-d", str(dest), *pins], log)
    files = sorted(dest.glob("*.whl"))
    got = {wheel_name_version(f.name) for f in files}
    want = {(key, d.version) for key, d in resolution.dists.items() if key != root}
    absent = {f"{k}=={v}" for k, v in want} - {f"{k}=={v}" for k, v in got}
    if absent:
        raise BundleError(f"{resolution.target.name}: pip did not download {', '.join(sorted(absent))}")
    return files


def offline_dry_run(target: Target, wheels: Path, glibc: tuple[int, int], workdir: Path, log) -> int:
    """Resolve the project for ``target`` from the bundle's ``wheels`` alone (``--no-index``, no
    pip configuration), as install.bat / install.sh will; return the number of distributions."""
    report = workdir / f"offline-{target.name}.json"
    args = ["install", "--dry-run", "--ignore-installed", "--target", str(workdir / "never-written"), "--no-index",
            "--find-links", str(wheels), "--only-binary=:all:", *target.pip_args(glibc), "--quiet",
            "--report", str(report), PROJECT]
    proc = _pip(args, log, check=False, no_config=True)
    if proc.returncode != 0:
        raise BundleError(f"{target.name}: the bundle's wheels alone do not install {PROJECT}:\n{_tail(proc.stderr)}")
    return len(json.loads(report.read_text(encoding="utf-8"))["install"])


def verify_files(target: Target, files: list[Path], root: str) -> list[Requirement]:
    """Read every wheel's METADATA and return what the target needs that no wheel provides."""
    dists = {}
    for f in files:
        d = read_wheel_metadata(f)
        dists[d.key] = d
    return close(dists, root, target.environments()).missing


def build_project_wheel(project: Path, dest: Path, log) -> Path:
    """``pip wheel --no-deps`` of a clean copy of the project (a stale build/ would leak old files)."""
    anywhere = shutil.ignore_patterns(".git", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache",
                                      ".hypothesis")
    at_top = {"build", "dist", ".venv", "venv", "benchmarks", "out"}

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set(anywhere(folder, names))
        if Path(folder).resolve() == project.resolve():
            skipped |= at_top & set(names)
        return skipped

    with tempfile.TemporaryDirectory(prefix="zwgk-src-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(project, src, ignore=ignore)
        _pip(["wheel", "--no-deps", "--quiet", "-w", str(dest), str(src)], log)
    wheels = sorted(dest.glob(f"{PROJECT}-*.whl"))
    if len(wheels) != 1:
        raise BundleError(f"expected one {PROJECT} wheel in {dest}, found {[w.name for w in wheels]}")
    return wheels[0]


def download_pip_wheel(targets: list[Target], dest: Path, log) -> Path:
    """pip itself (a pure wheel): install.sh runs it from the wheel where ensurepip is missing."""
    oldest = min(t.minor for t in targets)
    before = set(dest.glob("pip-*.whl"))
    _pip(["download", "--no-deps", "--only-binary=:all:", "--python-version", f"3.{oldest}", "--quiet",
          "-d", str(dest), "pip"], log)
    found = sorted(set(dest.glob("pip-*.whl")) | before)
    if not found:
        raise BundleError("pip's own wheel was not downloaded")
    return found[-1]


# ---------------------------------------------------------------------------------------------
# The bundle


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def with_line_endings(text: str, eol: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", eol)


def write_scripts(bundle: Path, version: str, targets: list[Target]) -> None:
    # Line endings are set here, whatever a Windows checkout did to the files.
    bat = (OFFLINE_FILES / "install.bat").read_text(encoding="utf-8")
    (bundle / "install.bat").write_bytes(with_line_endings(bat, "\r\n").encode("utf-8"))
    sh = (OFFLINE_FILES / "install.sh").read_text(encoding="utf-8")
    (bundle / "install.sh").write_bytes(with_line_endings(sh, "\n").encode("utf-8"))
    os.chmod(bundle / "install.sh", 0o755)
    readme = (OFFLINE_FILES / "readme.zh.txt").read_text(encoding="utf-8")
    listing = "\n".join(f"  - {describe_target(t)}" for t in targets)
    readme = readme.replace("@VERSION@", version).replace("@TARGETS@", listing)
    # UTF-8 with a BOM and CRLF: old Notepad versions read it right too.
    (bundle / "说明.txt").write_bytes(b"\xef\xbb\xbf" + with_line_endings(readme, "\r\n").encode("utf-8"))


def describe_target(t: Target) -> str:
    system = "Windows 64 位" if t.system == "win" else f"Linux {'x86_64' if t.arch == 'x86_64' else 'arm64 (aarch64)'}"
    return f"{system}，Python {t.python_version}（{t.name}）"


def make_zip(folder: Path, archive: Path) -> None:
    tmp = archive.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w") as zf:
        for path in sorted(folder.rglob("*")):
            arc = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            if path.is_dir():
                continue
            info = zipfile.ZipInfo.from_file(path, arc)
            info.compress_type = zipfile.ZIP_STORED if path.suffix == ".whl" else zipfile.ZIP_DEFLATED
            if path.name == "install.sh":
                info.external_attr = (0o100755 << 16)
            with path.open("rb") as src, zf.open(info, "w") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    os.replace(tmp, archive)


def mib(n: int) -> str:
    return f"{n / (1 << 20):.1f} MiB"


def run(args: argparse.Namespace, log) -> int:
    targets = parse_targets(args.targets)
    glibc = parse_glibc(args.glibc)
    project = Path(args.project).resolve()
    started = time.monotonic()
    pip_version = check_pip(log)
    log(f"pip {pip_version} ({sys.executable}); targets: {', '.join(t.name for t in targets)}")

    with tempfile.TemporaryDirectory(prefix="zwgk-offline-") as tmp:
        work = Path(tmp)
        t0 = time.monotonic()
        root_wheel = build_project_wheel(project, work / "root", log)
        root, version = wheel_name_version(root_wheel.name)
        log(f"built {root_wheel.name} ({time.monotonic() - t0:.1f} s)")

        resolutions: list[Resolution] = []
        failures: list[str] = []
        for target in targets:
            t0 = time.monotonic()
            try:
                res = resolve(target, root_wheel, glibc, work, log)
            except BundleError as exc:
                failures.append(str(exc))
                log(f"FAIL {exc}")
                continue
            resolutions.append(res)
            note = ""
            if res.host_skipped:
                note += "; markers pip read for the host, not the target: " + ", ".join(
                    f"{n} ({'was missing' if n in res.host_missed else 'present anyway'})" for n in res.host_skipped)
            if res.host_only:
                note += f"; left out (host markers only): {', '.join(res.host_only)}"
            log(f"ok   {target.name}: {len(res.dists)} distributions, {res.rounds} round(s), "
                f"{time.monotonic() - t0:.1f} s{note}")
        if failures:
            log(f"\n{len(failures)} of {len(targets)} target(s) cannot be bundled with binary wheels only:")
            for f in failures:
                log("  " + f.replace("\n", "\n  "))
            return 1
        if args.check:
            log(f"check passed: every dependency has a binary wheel for {len(targets)} target(s) "
                f"({time.monotonic() - started:.1f} s)")
            return 0

        out = Path(args.output).resolve()
        bundle = out / f"{PROJECT}-offline-{version}"
        if bundle.exists():
            shutil.rmtree(bundle)
        wheels = bundle / "wheels"
        wheels.mkdir(parents=True)
        shutil.copy2(root_wheel, wheels / root_wheel.name)

        manifest_targets = {}
        for res in resolutions:
            t0 = time.monotonic()
            files = download(res, root, glibc, work / "dl" / res.target.name, log)
            missing = verify_files(res.target, [*files, root_wheel], root)
            if missing:
                raise BundleError(f"{res.target.name}: downloaded wheels are not closed, missing "
                                  + ", ".join(r.without_marker() for r in missing))
            for f in files:
                dst = wheels / f.name
                if dst.exists():
                    if sha256(dst) != sha256(f):
                        raise BundleError(f"two different files named {f.name}")
                else:
                    shutil.copy2(f, dst)
            names = sorted([root_wheel.name, *(f.name for f in files)])
            size = sum((wheels / n).stat().st_size for n in names)
            manifest_targets[res.target.name] = {
                "python": res.target.python_version,
                "platforms": res.target.platforms(glibc),
                "wheels": names,
                "size_bytes": size,
                "added_for_target_markers": res.host_missed,
                "host_marker_requirements": res.host_skipped,
                "left_out_host_markers_only": res.host_only,
            }
            log(f"downloaded {res.target.name}: {len(names)} wheels, {mib(size)} ({time.monotonic() - t0:.1f} s)")

        pip_wheel = download_pip_wheel(targets, work / "pip", log)
        shutil.copy2(pip_wheel, wheels / pip_wheel.name)
        for res in resolutions:
            count = offline_dry_run(res.target, wheels, glibc, work, log)
            log(f"offline check {res.target.name}: pip --no-index installs {PROJECT} from wheels/ alone "
                f"({count} distributions for the markers of this machine)")

        files_info = {f.name: {"size": f.stat().st_size, "sha256": sha256(f)} for f in sorted(wheels.iterdir())}
        manifest = {
            "project": PROJECT,
            "version": version,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "built_with": {"python": platform.python_version(), "pip": pip_version,
                           "host": f"{sys.platform} {platform.machine()}"},
            "install": f"pip install --no-index --find-links wheels {PROJECT}",
            "max_glibc": f"{glibc[0]}.{glibc[1]}",
            "targets": manifest_targets,
            "tools": {"pip": pip_wheel.name},
            "files": files_info,
        }
        (bundle / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                              encoding="utf-8")
        write_scripts(bundle, version, targets)
        archive = out / f"{bundle.name}.zip"
        make_zip(bundle, archive)

    total = sum(info["size"] for info in files_info.values())
    log(f"\n{bundle}  ({len(files_info)} wheels, {mib(total)})")
    log(f"{archive}  ({mib(archive.stat().st_size)})")
    log(f"done in {time.monotonic() - started:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="offline-bundle",
        description="Build an offline install bundle of zwgk (binary wheels only) for Windows and Linux.")
    parser.add_argument("-o", "--output", default="dist", help="output folder (default: dist)")
    parser.add_argument("--targets", action="append", metavar="T[,T...]",
                        help=f"targets to bundle (default: all of {', '.join(DEFAULT_TARGETS)})")
    parser.add_argument("--check", action="store_true",
                        help="only resolve (index metadata, no wheel downloads); exit 1 when a dependency has "
                             "no binary wheel for a target")
    parser.add_argument("--glibc", default=f"{DEFAULT_GLIBC[0]}.{DEFAULT_GLIBC[1]}",
                        help="newest glibc the Linux wheels may need (default: %(default)s)")
    parser.add_argument("--project", default=str(HERE.parent), help="project folder (default: %(default)s)")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, flush=True)

    try:
        return run(args, log)
    except (BundleError, ValueError) as exc:
        print(f"offline-bundle: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
