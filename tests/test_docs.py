"""The contract lives in the repository: what the code cites can be opened, and is linked."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITATION = re.compile(r"docs/([\w-]+)\.md")


def _tracked_text() -> dict[str, str]:
    """The project's own text: package, tests, docs, samples, tools, README."""
    files = [ROOT / "README.md", ROOT / "pyproject.toml"]
    for folder in ("zwgk_cli", "tests", "docs", "samples", "tools", "benchmarks"):
        files += [p for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".md", ".yaml", ".sh")]
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in files if p.is_file()}


def test_every_cited_document_exists():
    cited = {f"docs/{m}.md" for text in _tracked_text().values() for m in CITATION.findall(text)}
    assert cited, "the code cites its contract"
    assert [name for name in sorted(cited) if not (ROOT / name).is_file()] == []


def test_every_document_is_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [p.name for p in sorted((ROOT / "docs").glob("*.md")) if f"(docs/{p.name})" not in readme] == []


def test_nothing_cites_a_document_outside_the_repository():
    outside = re.compile(r"\bS" r"PEC\b")  # in two pieces, so that this file does not match itself
    assert [name for name, text in _tracked_text().items() if outside.search(text)] == []
