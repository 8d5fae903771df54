"""The contract lives in the repository: what the code cites can be opened and is linked, the
generated parts of the documents are what the code gives now, and the examples run."""

import contextlib
import importlib.machinery
import importlib.util
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CITATION = re.compile(r"docs/([\w-]+)\.md")
# A citation of a section: docs/scoring.md, "Several sources", docs/cli.md, Exit codes, or in a
# document [cli.md](cli.md), "Outputs"
SECTION = re.compile(r'([\w-]+\.md)\)?, (?:"([^"]+)"|([A-Z][A-Za-z ]*[A-Za-z]))')
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _tracked_text() -> dict[str, str]:
    """The project's own text: package, tests, docs, samples, tools, README."""
    files = [ROOT / "README.md", ROOT / "pyproject.toml", ROOT / "tools" / "make-docs"]
    for folder in ("zwgk_cli", "tests", "docs", "samples", "tools", "benchmarks"):
        files += [p for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".md", ".yaml", ".sh")]
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in files if p.is_file()}


def _documents() -> dict[str, str]:
    """README.md and every document in docs/."""
    files = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in files}


def _make_docs():
    """tools/make-docs as a module (a script without a suffix, so loaded by hand)."""
    path = ROOT / "tools" / "make-docs"
    loader = importlib.machinery.SourceFileLoader("make_docs", str(path))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("make_docs", loader))
    loader.exec_module(module)
    return module


def test_every_cited_document_exists():
    cited = {f"docs/{m}.md" for text in _tracked_text().values() for m in CITATION.findall(text)}
    assert cited, "the code cites its contract"
    assert [name for name in sorted(cited) if not (ROOT / name).is_file()] == []


def test_every_cited_section_exists():
    """docs/scoring.md, "Several sources" names a heading that begins so ("…" stands for the rest)."""
    headings = {name: [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")]
                for name, text in _documents().items()}
    cited = set()
    for text in _tracked_text().values():
        for document, quoted, bare in SECTION.findall(text):
            if (DOCS / document).is_file():
                cited.add((f"docs/{document}", " ".join((quoted or bare).replace("…", "").split())))
    assert len(cited) > 10  # the pattern still finds the citations
    missing = [(document, section) for document, section in sorted(cited)
               if not any(h.startswith(section) for h in headings.get(document, []))]
    assert missing == []


def test_every_document_is_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [p.name for p in sorted(DOCS.glob("*.md")) if f"(docs/{p.name})" not in readme] == []


def test_every_link_between_documents_resolves():
    broken = []
    for name, text in _documents().items():
        base = (ROOT / name).parent
        broken += [(name, target) for target in LINK.findall(text)
                   if "://" not in target and not (base / target).exists()]
    assert broken == []


def test_nothing_cites_a_document_outside_the_repository():
    outside = re.compile(r"\bS" r"PEC\b")  # in two pieces, so that this file does not match itself
    assert [name for name, text in _tracked_text().items() if outside.search(text)] == []


def test_generated_documents_are_up_to_date():
    """tools/make-docs regenerated in memory equals the files: run ``python tools/make-docs`` after
    changing the problem catalogue, a command's help or the demo rule file."""
    make_docs = _make_docs()
    stale = [str(path) for path, text in make_docs.documents(ROOT).items()
             if (ROOT / path).read_text(encoding="utf-8") != text]
    assert stale == []


def test_the_generator_is_deterministic():
    make_docs = _make_docs()
    assert make_docs.documents(ROOT) == make_docs.documents(ROOT)


def test_readme_documents_every_command_and_the_manual_every_problem_code():
    from zwgk_cli.problems import CODES

    manual = (DOCS / "使用说明.md").read_text(encoding="utf-8")
    assert not [code for code in CODES if f"`{code}`" not in manual]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("zwgk template", "zwgk score", "zwgk rank", "zwgk rules"):
        assert command in readme
    reference = (DOCS / "命令参考.md").read_text(encoding="utf-8")
    for path in _make_docs().command_paths():
        assert f"\n## {' '.join(('zwgk', *path))}\n" in reference, path


def test_readme_keeps_the_commands_ci_runs():
    """.ci/run runs the README's quick start and test command."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install . && zwgk rank samples/returned --roster samples/roster.txt" in readme
    assert 'pip install ".[test]" && ruff check . && pytest -q' in readme


def test_readme_stays_a_short_page_for_the_office():
    """The README is the office's first page, in Chinese; the details live in docs/."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200


def test_the_library_examples_in_architecture_run(monkeypatch):
    """The Python blocks of docs/architecture.md run, in order, and print what their comments say."""
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    assert len(blocks) == 2
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    for block in blocks:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(block, "docs/architecture.md", "exec"), namespace)  # noqa: S102 - our own example
        expected = [line.removeprefix("# ") for line in block.splitlines() if line.startswith("# ")]
        assert printed.getvalue().splitlines() == expected
