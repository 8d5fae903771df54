"""Unit names the file system or the reader cannot take as they are: every template and feedback
file gets a safe, distinct name before anything is written, and still reads as its unit."""

from pathlib import Path

from support import visible, visible_paths

from zwgk_cli.reading.scan import find_workbooks

AWKWARD = [".隐藏局", "~$临时局", "aux", "Aux", "LPT1.txt", "con .局", "县/财政局", "县_财政局",
           "县" * 90 + "局"]  # the last: 273 bytes in UTF-8, more than a file name may hold


def _roster(tmp_path: Path) -> Path:
    roster = tmp_path / "名单.txt"
    roster.write_text("\n".join(AWKWARD), encoding="utf-8")
    return roster


def test_awkward_roster_names_get_safe_distinct_files_that_read_as_their_unit(cli, tmp_path):
    roster, out = _roster(tmp_path), tmp_path / "下发"
    made = cli.json("template", "--roster", roster, "-o", out)
    assert made.exit_code == 0, made.output
    files = [Path(f) for f in made.data["files"]]
    assert len({f.name.casefold() for f in files}) == len(AWKWARD)
    assert all(len(f.name.encode("utf-8")) <= 255 for f in files)
    assert all(f.exists() for f in files) and sorted(find_workbooks([out])) == sorted(files)
    assert not any(f.name.split(".")[0].upper() in ("AUX", "CON", "LPT1") for f in files)
    summary = tmp_path / "汇总.xlsx"
    ranked = cli.json("rank", out, "--roster", roster, "-o", summary)
    assert ranked.exit_code == 0, ranked.output
    data = ranked.data
    assert sorted(u["unit"] for u in data["units"]) == sorted(AWKWARD)  # _meta keeps the real name
    assert data["missing"] == []
    feedback = tmp_path / "反馈单"
    scored = cli("score", out, "-o", feedback)
    assert scored.exit_code == 0, scored.output
    sheets = visible_paths(feedback)
    assert len(sheets) == len(AWKWARD) and all(len(f.name.encode("utf-8")) <= 255 for f in sheets)


def test_template_that_cannot_write_one_file_writes_none(cli, tmp_path):
    roster, out = _roster(tmp_path), tmp_path / "下发"
    out.mkdir()
    (out / "_aux.xlsx").write_bytes(b"keep me")
    result = cli("template", "--roster", roster, "-o", out)
    assert result.exit_code == 2
    error = cli.error("template", "--roster", roster, "-o", out)
    assert error["code"] == "output-exists" and "_aux.xlsx" in error["message"]
    assert visible(out) == ["_aux.xlsx"]
    assert (out / "_aux.xlsx").read_bytes() == b"keep me"
