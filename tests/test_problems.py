"""The problem catalogue: every code defined once, used as defined, and documented."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from zwgk_cli.problems import CATALOGUE, CODES, ExitStatus, Family, Level, Problem, message

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "zwgk_cli"

# A catalogued code (and the template variant, when one is named) handed to whatever builds a
# problem or an error: the problem's constructors, a reader's collector, a refusal, a check.
_BUILDERS = r"(?:Problem\.of|Problem|\.add|\.add_built|\.reject|refuse|EntryError|\.of|message|CATALOGUE\[)\("
_DAMAGED = re.compile(r'damaged\(\s*"([a-z-]+)"')  # a file-corrupt variant (reading.refusals.damaged)
_WITH_FIRST = r"_finding\(rules,|_identity\([^,()]+,"  # builders whose code is the second argument
_CALL = re.compile(rf'(?:{_BUILDERS}|{_WITH_FIRST})\s*"([a-z]+(?:-[a-z]+)*)"(?:,\s*"([a-z]+(?:-[a-z]+)*)")?')
_TABLE = re.compile(r'\(\s*"([a-z]+-[a-z-]+)",\s*"([a-z]+(?:-[a-z]+)*)"\)')  # (code, variant) in look-up tables
_CODE_KEYWORD = re.compile(r'\bcode\s*=\s*"([a-z]+(?:-[a-z]+)*)"')


def _sources() -> dict[str, str]:
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted(PACKAGE.rglob("*.py"))
            if "problems" not in p.relative_to(PACKAGE).parts}


def _uses() -> list[tuple[str, str, str | None]]:
    """(file, code, variant or None) for every code-like string handed to a builder."""
    found = []
    for name, text in _sources().items():
        for pattern in (_CALL, _TABLE):
            found += [(name, m.group(1), m.group(2)) for m in pattern.finditer(text)]
        found += [(name, m.group(1), None) for m in _CODE_KEYWORD.finditer(text)]
        found += [(name, "file-corrupt", m.group(1)) for m in _DAMAGED.finditer(text)]
    return found


def test_every_code_has_family_level_title_and_a_template():
    for code, entry in CATALOGUE.items():
        assert entry.code == code and isinstance(entry.family, Family)
        assert entry.levels and all(isinstance(level, Level) for level in entry.levels), code
        assert entry.title and CODES[code] == entry.title, code
        assert entry.templates and all(entry.templates.values()), code


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_template_and_hint_fills_in(code):
    entry = CATALOGUE[code]
    for variant, template in entry.templates.items():
        names = {field for _, field, _, _ in string.Formatter().parse(template) if field}
        assert entry.message(variant, **dict.fromkeys(names, "x")), (code, variant)  # no field left unfilled
    names = {field for _, field, _, _ in string.Formatter().parse(entry.hint) if field}
    assert "{" not in entry.hint_text(**dict.fromkeys(names, "x")), code


def test_every_code_used_in_the_package_is_catalogued_with_its_variant():
    uses = _uses()
    assert len(uses) > 100  # the patterns still find the call sites
    unknown = [(name, code) for name, code, _ in uses if code not in CATALOGUE]
    assert not unknown
    missing = [(name, code, variant) for name, code, variant in uses
               if variant is not None and variant not in CATALOGUE[code].templates]
    assert not missing


def test_every_catalogued_code_is_used_somewhere():
    used = {code for _, code, _ in _uses()} | {"usage"}  # usage: ZwgkError's own default code
    assert not set(CATALOGUE) - used


def test_messages_come_out_as_before():
    assert message("output-exists", path="汇总.xlsx") == "汇总.xlsx 已存在，未覆盖；如需覆盖请加 --force"
    assert message("rules-invalid", "grade", where="policy.grades[0]") == \
        "policy.grades[0]：等次应写成 {name: 优秀, min: 90}"
    problem = Problem.of("id-unknown", level=Level.WARNING, file="a.xlsx", sheet="评分表", cell="A9", value="99",
                         id="99", rules="A类")
    assert problem.to_dict() == {
        "code": "id-unknown", "level": "warning", "file": "a.xlsx", "sheet": "评分表", "cell": "A9", "value": "99",
        "clause": "99",
        "message": "a.xlsx 评分表!A9：编号「99」不在考核细则 A类 中"}
    assert problem.family == Family.SHEET


def test_a_level_the_catalogue_does_not_list_is_refused():
    with pytest.raises(ValueError, match="value-max"):
        Problem.of("value-max", level=Level.NOTE, raw="7", most=5)


def _readme_rows() -> dict[str, tuple[str, str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z-]+)` \| ([a-z]+) \| ([a-z, ]+) \| (.+) \|$", readme, flags=re.MULTILINE)
    return {code: (family, levels, meaning) for code, family, levels, meaning in rows}


def test_readme_code_table_and_the_catalogue_agree_both_ways():
    rows = _readme_rows()
    assert sorted(rows) == sorted(CATALOGUE)  # no code undocumented, no row for a code that does not exist
    for code, (family, levels, meaning) in rows.items():
        entry = CATALOGUE[code]
        assert family == entry.family, code
        assert levels == ", ".join(entry.levels), code
        assert meaning.startswith(entry.title), code


def test_exit_statuses_are_named_once():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for status in (ExitStatus.OK, ExitStatus.REJECTED, ExitStatus.STOPPED):
        assert f"\n| {int(status)} | " in readme
    for name, text in _sources().items():
        assert not re.search(r"\bEXIT_\w+\s*=|typer\.Exit\([012]\)|sys\.exit\([12]\)", text), name


def test_output_exists_and_output_locked_are_emitted(tmp_path):
    import errno

    from zwgk_cli.problems import OutputError
    from zwgk_cli.workbooks.output import atomic_write

    target = tmp_path / "汇总.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(OutputError) as exists:
        atomic_write(target, lambda tmp: tmp.write_bytes(b"new"), force=False)
    assert exists.value.code == "output-exists"

    def locked(tmp):
        raise PermissionError(errno.EACCES, "locked")

    def full(tmp):
        raise OSError(errno.ENOSPC, "full")

    for write, why in ((locked, "Excel/WPS 中打开"), (full, "磁盘空间不足")):
        with pytest.raises(OutputError) as refused:
            atomic_write(target, write, force=True)
        assert refused.value.code == "output-locked" and why in str(refused.value)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]


def test_an_error_with_an_uncatalogued_code_is_refused():
    from zwgk_cli.problems import ZwgkError

    assert ZwgkError("x").code == "usage"
    with pytest.raises(ValueError, match="no-such-code"):
        ZwgkError("x", code="no-such-code")
