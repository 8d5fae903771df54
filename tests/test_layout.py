"""The package's shape: dependencies point one way, and the module map of docs/architecture.md is the tree.

Stages, lowest first: the base modules, ``rules``, ``reading``, ``scoring``, ``workbooks``,
``cli``. A module imports only its own stage and lower ones (imports inside functions count),
and no import cycle exists at all. ``zwgk_cli/__init__`` and ``__main__`` may import anything.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "zwgk_cli"
BASE = ("model", "problems", "constants", "exact", "cells", "decoding", "acyclic")
STAGES = ("rules", "reading", "scoring", "workbooks", "cli")
FREE = {"zwgk_cli", "zwgk_cli.__main__"}  # the package's front door
# Imports that still point the wrong way, each with the reason; the test fails once one is gone.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}


def _modules() -> dict[str, Path]:
    """Dotted name -> file, for every module of the package (a package is its __init__)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _package_of(name: str) -> str:
    return name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]


def _imports(name: str) -> set[str]:
    """The package's modules that ``name`` imports, anywhere in its file."""
    targets = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names if alias.name.split(".")[0] == "zwgk_cli"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package_of(name).split(".")
                base = base[:len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != "zwgk_cli":
                continue
            # ``from .. import constants`` imports the module constants, not the package
            named = {f"{source}.{alias.name}" for alias in node.names} & MODULES.keys()
            targets |= named or {source}
    return {t for t in targets if t in MODULES and t != name}


GRAPH = {name: _imports(name) for name in MODULES}


def _rank(name: str) -> int:
    parts = name.split(".")
    if len(parts) == 1 or name in FREE:
        return len(STAGES) + 1
    if parts[1] in BASE:
        return 0
    return STAGES.index(parts[1]) + 1


def test_the_stages_are_the_tree():
    """Every module belongs to a stage or is a base module (a new top-level module must be placed)."""
    stray = [n for n in MODULES if n not in FREE and n.split(".")[1] not in BASE + STAGES]
    assert not stray


def test_no_module_imports_a_higher_stage():
    upward = {(source, target) for source, targets in GRAPH.items() if source not in FREE
              for target in targets if _rank(target) > _rank(source)}
    assert upward - KNOWN_UPWARD.keys() == set()
    assert KNOWN_UPWARD.keys() - upward == set(), "an exception is no longer needed: remove it"


def test_no_import_cycle():
    cycles, done = [], set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycles.append(path[path.index(name):] + [name])
            return
        if name in done:
            return
        for target in sorted(GRAPH[name]):
            visit(target, path + [name])
        done.add(name)

    for name in sorted(GRAPH):
        visit(name, [])
    assert not cycles


def test_the_walk_sees_imports_inside_functions():
    assert "zwgk_cli.reading.biff" in GRAPH["zwgk_cli.reading.containers"]  # imported in a function
    assert "zwgk_cli.constants" in GRAPH["zwgk_cli.reading.workbook"]  # from .. import constants as C


def _module_map() -> list[tuple[str, str]]:
    """The module map of docs/architecture.md, line by line: (module, "folder" or "file") for the
    tree drawn in the first ``text`` block of its section "Module map"."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text[text.index("## Module map"):]
    block = re.search(r"```text\n(.*?)```", section, re.S).group(1)
    listed, folders = [], []
    for line in block.splitlines():
        match = re.match(r"( *)(\S+)", line)
        if not match:
            continue
        depth, entry = len(match.group(1)) // 2, match.group(2)
        folders = folders[:depth]
        if entry.endswith("/"):
            folders.append(entry.rstrip("/"))
            listed.append((".".join(folders), "folder"))
        elif entry == "__init__.py":  # the package itself, beside its folder line
            listed.append((".".join(folders), "file"))
        elif entry.endswith(".py"):
            listed.append((".".join([*folders, entry.removesuffix(".py")]), "file"))
    return listed


@pytest.mark.parametrize("direction", ["every module is listed", "every line is a module", "no line twice"])
def test_the_module_map_matches_the_tree(direction):
    lines = _module_map()
    listed = {name for name, _ in lines}
    if direction == "every module is listed":
        assert set(MODULES) - listed == set()
    elif direction == "every line is a module":
        assert listed - set(MODULES) == set()
    else:
        assert sorted(line for line in set(lines) if lines.count(line) > 1) == []


MODULE_LINES, CLASS_LINES = 420, 160  # "about 400" and "about 150" (docs/architecture.md)


def test_modules_and_classes_stay_small():
    """One module, one job: a module or class past its size is split by what its parts do."""
    modules = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in _modules().items()}
    classes = {f"{name}.{node.name}": node.end_lineno - node.lineno + 1
               for name, path in _modules().items()
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.ClassDef)}
    assert {name: n for name, n in modules.items() if n > MODULE_LINES} == {}
    assert {name: n for name, n in classes.items() if n > CLASS_LINES} == {}
    assert max(modules.values()) > MODULE_LINES // 2  # the walk saw the package's modules
