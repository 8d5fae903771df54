"""Malformed rule files: every one is `rules-invalid` with its place, never an internal error."""

import copy
import json
import random
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from zwgk_cli.cli.commands import app
from zwgk_cli.problems import RuleSetError
from zwgk_cli.rules.loading import load_rules, parse_rules

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = yaml.safe_load((FIXTURES / "demo-2023-b.yaml").read_text(encoding="utf-8"))


def _problems(raw: bytes) -> list[str]:
    """The problem texts of a rule file that must not load (all of them rules-invalid)."""
    with pytest.raises(RuleSetError) as caught:
        parse_rules(raw, source="细则.yaml")
    assert {p.code for p in caught.value.problems} == {"rules-invalid"}
    return [p.message for p in caught.value.problems]


def _with(path: str, value) -> bytes:
    """The demo rule set with the value at ``path`` (a.b[0].c) replaced."""
    data = copy.deepcopy(DEMO)
    *parents, last = _steps(path)
    node = data
    for step in parents:
        node = node[step]
    node[last] = value
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


def _steps(path: str) -> list:
    return [int(part) if part.isdigit() else part for part in path.replace("[", ".").replace("]", "").split(".")]


@pytest.mark.parametrize(("path", "value", "place"), [
    ("categories", ["x"], "categories[0]"),  # a list of text where mappings belong
    ("categories", "基础工作", "categories"),  # text where a list belongs
    ("categories[0]", ["x"], "categories[0]"),
    ("categories[0].indicators", {"a": 1}, "categories[0].indicators"),
    ("categories[0].indicators[0]", "工作机构", "categories[0].indicators[0]"),
    ("categories[0].indicators[0].clauses", "B1", "categories[0].indicators[0].clauses"),
    ("categories[0].indicators[0].clauses[0]", 3, "categories[0].indicators[0].clauses[0]"),
    ("categories[0].indicators[0].clauses[0].text", 10, "clauses[0].text"),  # a number where text belongs
    ("categories[0].indicators[0].clauses[0].kind", ["flag"], "clauses[0]"),
    ("categories[0].indicators[0].clauses[0].per", {"x": 1}, "clauses[0].per"),
    ("categories[0].indicators[0].clauses[0].needs_note", "yes", "clauses[0].needs_note"),
    ("categories[0].indicators[0].name", ["a"], "indicators[0].name"),
    ("categories[0].indicators[0].errata", "E1", "indicators[0].errata"),
    ("categories[0].name", 2023, "categories[0].name"),
    ("categories[0].weight", "四十", "categories[0].weight"),
    ("policy", ["category_cap"], "policy"),
    ("policy.category_cap", "false", "policy.category_cap"),  # text "false" must not read as true
    ("policy.grades", "优秀", "policy.grades"),
    ("policy.grades[0]", "优秀", "policy.grades[0]"),
    ("sections", {"name": "x"}, "sections"),
    ("sections[0].clauses[0]", "BJ1", "sections[0].clauses[0]"),
    ("sections[0].bonus", "是", "sections[0].bonus"),
    ("title", ["a", "b"], "title"),
    ("version", "第二版", "version"),
    ("year", 2023.5, "year"),
])
def test_rule_file_of_the_wrong_shape_names_the_place(path, value, place):
    problems = _problems(_with(path, value))
    assert any(message.startswith(place) or f".{place}" in message.split("：")[0] for message in problems), problems


@pytest.mark.parametrize(("raw", "words"), [
    (b"", "文件为空"),
    (b"  \n# only a comment\n", "文件为空"),
    (b"id: x\n title: [\n", "第 2 行"),
    (b"id: x\n\ttitle: y\n", "YAML 语法错误"),
    (b"id: x\ntitle: \x00\x01\x02\n", "编码无法识别"),
    (b"- a\n- b\n", "顶层应为映射"),
    (b"just text", "顶层应为映射"),
    (b"id: x\ndate: 2022-13-45\n", "无法识别的值"),
    (b"id: x\ntitle: t\nversion: 1\ncategories: " + b"[" * 5000 + b"]" * 5000 + b"\n", "YAML|categories"),
])
def test_rule_file_that_is_no_usable_yaml_is_rules_invalid(raw, words):
    problems = _problems(raw)
    assert any(re.search(words, message) for message in problems), problems


@pytest.mark.parametrize("written", ["0x10", "0o17", "010", "1_000", "1:20", "1_000.5", "1:20.5"])
def test_a_number_yaml_would_read_otherwise_than_written_is_refused(written):
    """YAML 1.1 reads 0x10 as 16, 010 as 8, 1:20 as 80 and drops the _ of 1_000: a clause's 扣分
    or the set's version would silently differ from what its author typed. Only decimal digits
    (a sign, a point, an exponent) are numbers."""
    raw = (FIXTURES / "demo-2023-b.yaml").read_text(encoding="utf-8")
    edited = raw.replace("\nversion: 2\n", f"\nversion: {written}\n", 1)
    assert edited != raw
    problems = _problems(edited.encode("utf-8"))
    assert any(f"文字「{written}」" in message for message in problems), problems


def test_decimal_numbers_still_load():
    ours = load_rules(FIXTURES / "demo-2023-b.yaml")
    raw = (FIXTURES / "demo-2023-b.yaml").read_text(encoding="utf-8").replace("version: ", "version: +", 1)
    assert parse_rules(raw.encode("utf-8")).version == ours.version


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_a_rule_file_saved_by_notepad_loads_as_the_same_rule_set(encoding, tmp_path):
    """Notepad on a Chinese Windows saves "ANSI" (GBK), "Unicode" (UTF-16 with a BOM) or UTF-8 with a BOM."""
    original = FIXTURES / "demo-2024-c.yaml"
    saved = tmp_path / f"{encoding}.yaml"
    saved.write_bytes(original.read_text(encoding="utf-8").encode(encoding))
    ours, theirs = load_rules(original), load_rules(saved)
    assert [(c.id, c.text, c.per) for c in theirs.clauses] == [(c.id, c.text, c.per) for c in ours.clauses]
    assert (theirs.title, theirs.issuer) == (ours.title, ours.issuer)


def test_rule_file_that_is_a_folder_or_missing_is_rules_invalid(tmp_path):
    for spec in (tmp_path, tmp_path / "无.yaml"):
        with pytest.raises(RuleSetError) as caught:
            load_rules(spec)
        assert caught.value.code == "rules-invalid"


def _mutations(seed: int, count: int):
    """Rule files with one value replaced by a value of the wrong shape, at random places."""
    rng = random.Random(seed)
    places = list(_places(DEMO, ""))
    wrong = {dict: [["x"], "文字", 7], list: [{"a": 1}, "文字", 3], str: [["x"], {"a": "b"}],
             int: [["x"], {"a": 1}, "三"], float: [["x"], "三"], bool: ["yes", 1, ["x"]]}
    for _ in range(count):
        path, value = rng.choice(places)
        yield path, _with(path, rng.choice(wrong[type(value)]))


def _places(node, path):
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        where = f"{path}.{key}" if isinstance(key, str) else f"{path}[{key}]"
        where = where.lstrip(".")
        if value is not None:
            yield where, value
        yield from _places(value, where)


def test_random_wrong_shapes_are_all_rules_invalid():
    for path, raw in _mutations(seed=9, count=300):
        assert _problems(raw), path


def test_random_bytes_never_break_the_loader():
    rng = random.Random(2026)
    source = (FIXTURES / "demo-2023-b.yaml").read_bytes()
    for _ in range(300):
        raw = bytearray(source)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(raw))
            raw[at:at + rng.randint(1, 4)] = bytes(rng.randrange(256) for _ in range(rng.randint(0, 3)))
        try:
            parse_rules(bytes(raw), source="细则.yaml")
        except RuleSetError as exc:
            assert {p.code for p in exc.problems} == {"rules-invalid"}


def test_malformed_rule_files_through_the_cli_exit_2_with_rules_invalid(tmp_path):
    runner = CliRunner()
    for n, (path, raw) in enumerate(_mutations(seed=29, count=30)):
        rule_file = tmp_path / f"细则{n}.yaml"
        rule_file.write_bytes(raw)
        result = runner.invoke(app, ["rules", "check", str(rule_file), "--json"])
        assert result.exit_code == 2, (path, result.output)
        assert "内部错误" not in result.output
        assert json.loads(result.stdout.splitlines()[0])["error"]["code"] == "rules-invalid", path


@pytest.mark.parametrize(("path", "key", "place", "suggestion"), [
    ("policy", "indicator_cpa", "policy.indicator_cpa", "indicator_cap"),  # misspelt: would be ignored
    ("", "titel", "titel", "title"),
    ("categories[0]", "wieght", "categories[0].wieght", "weight"),
    ("categories[0].indicators[0]", "pionts", "categories[0].indicators[0].pionts", "points"),
    ("categories[0].indicators[0].clauses[0]", "points", "clauses[0].points", "categories[].indicators[]"),
    ("sections[0].clauses[0]", "bonus", "sections[0].clauses[0].bonus", "sections[]"),  # the section says it
    ("policy.grades[0]", "mni", "policy.grades[0].mni", "min"),
    ("sections[0]", "nmae", "sections[0].nmae", "name"),
])
def test_unknown_key_is_refused_with_its_place_and_the_nearest_key(path, key, place, suggestion):
    data = copy.deepcopy(DEMO)
    node = data
    for step in _steps(path) if path else []:
        node = node[step]
    node[key] = 1
    (text,) = _problems(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))
    assert place in text and f"「{key}」" in text and suggestion in text, text


def test_unknown_key_far_from_every_known_key_is_named_without_a_suggestion():
    (text,) = _problems(_with("categories[0].zzz", 1))
    assert text == "categories[0].zzz：未知的键「zzz」"


def test_builtin_and_fixture_rule_files_have_only_known_keys():
    for path in [*FIXTURES.glob("*.yaml"), "jiangxian-2022-a"]:
        assert load_rules(path).clauses


# --- the rule-file format as documented (docs/rule-files.md) --------------------------------------

RULE_FILES_DOC = Path(__file__).parent.parent / "docs" / "rule-files.md"


def test_the_documented_example_is_the_demo_rule_file_and_checks_clean():
    """docs/rule-files.md shows tests/fixtures/demo-2024-c.yaml as it is (tools/make-docs includes
    it), and it loads with no error from rules check."""
    from zwgk_cli.rules.checking import check_rules

    blocks = re.findall(r"```yaml\n(.*?)```", RULE_FILES_DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks == [(FIXTURES / "demo-2024-c.yaml").read_text(encoding="utf-8")]
    rules = parse_rules(blocks[0].encode("utf-8"))
    assert rules.not_applicable == "rescale-category" and rules.veto_total == 59 and rules.bonus_min_total == 80
    assert all(f.level.value != "error" for f in check_rules(rules))


def test_the_field_table_names_every_key_a_rule_file_may_hold():
    from zwgk_cli.rules.shape import KEYS

    text = RULE_FILES_DOC.read_text(encoding="utf-8")
    table = text[text.index("## Fields"):text.index("## An example")]
    named = {word for cell in re.findall(r"`([^`]+)`", table) for word in re.findall(r"[a-z_]+", cell)}
    assert sorted({key for keys in KEYS.values() for key in keys} - named) == []
