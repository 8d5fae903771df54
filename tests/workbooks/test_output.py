"""Writing output files (zwgk_cli/workbooks/output.py): atomically, never over an existing file
unless asked, never into a folder given as a file (or the other way round), with file names every
system takes, and with strings from the inputs kept as text."""

import errno
import json
import os

import openpyxl
import pytest
from support import visible_paths
from support.cli import zwgk_process
from support.paths import RETURNED

from zwgk_cli.problems import OutputError
from zwgk_cli.workbooks import output as output_module
from zwgk_cli.workbooks.output import NAME_BYTES, atomic_write, safe_filename, unique_filenames


@pytest.mark.parametrize("command", ["template", "score"])
def test_output_folder_that_is_a_file_is_refused_before_anything_is_written(cli, tmp_path, command):
    target = tmp_path / "下发"
    target.write_bytes(b"keep me")
    args = ["template", "-o", target] if command == "template" else ["score", RETURNED, "-o", target]
    assert cli.error(*args)["code"] == "output-not-folder"
    assert target.read_bytes() == b"keep me" and sorted(p.name for p in tmp_path.iterdir()) == ["下发"]


def test_summary_path_that_is_a_folder_is_refused(cli, tmp_path):
    folder = tmp_path / "汇总.xlsx"
    folder.mkdir()
    error = cli.error("rank", RETURNED, "-o", folder)
    assert error["code"] == "output-is-folder"
    assert list(folder.iterdir()) == []


def test_summary_name_without_suffix_gets_xlsx_and_says_so(cli, tmp_path):
    result = cli("rank", RETURNED, "-o", tmp_path / "汇总")
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]
    assert "汇总.xlsx" in result.stderr and "没有扩展名" in result.stderr


@pytest.mark.parametrize("name", ["汇总.xls", "汇总.ods", "汇总.csv"])
def test_summary_name_with_another_file_type_is_refused(cli, tmp_path, name):
    error = cli.error("rank", RETURNED, "-o", tmp_path / name)
    assert error["code"] == "output-suffix" and name in error["message"]
    assert list(tmp_path.iterdir()) == []


def test_read_only_output_folder_gives_output_readonly_and_no_temp_file(cli, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):  # what the system answers in a read-only folder (also for root)
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output_module.tempfile, "mkstemp", refuse)
    error = cli.error("rank", RETURNED, "-o", tmp_path / "汇总.xlsx")
    assert error["code"] == "output-readonly" and "汇总.xlsx" in error["message"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder_for_real(tmp_path):
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = zwgk_process("rank", RETURNED, "-o", folder / "汇总.xlsx", "--json")
        assert result.returncode == 2 and json.loads(result.stdout)["error"]["code"] == "output-readonly"
    finally:
        folder.chmod(0o755)


def test_failed_write_leaves_no_temp_file_and_names_the_problem(tmp_path, monkeypatch):
    def read_only_fs(src, dst):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(output_module.os, "replace", read_only_fs)
    with pytest.raises(OutputError) as caught:
        atomic_write(tmp_path / "汇总.xlsx", lambda tmp: tmp.write_bytes(b"data"), force=False)
    assert caught.value.code == "output-readonly" and "Read-only" not in str(caught.value)
    assert "汇总.xlsx" in str(caught.value) and caught.value.exit_status == 2
    assert list(tmp_path.iterdir()) == []


def test_existing_output_gives_output_exists_with_json(cli, tmp_path):
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"keep me")
    result = cli.json("rank", RETURNED, "-o", out)
    assert result.exit_code == 2, result.output
    error = result.data["error"]
    assert error["code"] == "output-exists" and "--force" in error["message"]
    assert "--force" in result.stderr and out.read_bytes() == b"keep me"


def test_existing_output_is_not_overwritten(cli, tmp_path):
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"keep me")
    args = ["rank", RETURNED, "-o", out]
    result = cli(*args)
    assert result.exit_code == 2 and out.read_bytes() == b"keep me"
    assert "--force" in result.output
    assert cli(*args, "--force").exit_code == 0
    assert out.read_bytes() != b"keep me"


def test_strings_from_inputs_never_become_formulas(cli, tmp_path, filled):
    folder = tmp_path / "in"
    folder.mkdir()
    filled({"5": 1, "J4": 1}, notes={"5": "=1+1", "J4": "@SUM(A1)"}, unit="=HYPERLINK(\"x\")",
           name="-evil.xlsx", folder=folder)
    out = tmp_path / "out"
    assert cli("score", folder, "-o", out).exit_code == 0
    assert cli("rank", folder, "-o", out / "汇总.xlsx").exit_code == 0
    written = visible_paths(out)
    assert len(written) == 2
    for path in written:
        wb = openpyxl.load_workbook(path)
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], path.name
        texts = {c.value for c in cells if isinstance(c.value, str)}
        assert any("=HYPERLINK" in t for t in texts)


def test_output_open_elsewhere_gives_a_clear_message_and_keeps_the_old_file(cli, tmp_path, monkeypatch):
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"old summary")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    result = cli("rank", RETURNED, "-o", out, "--force")
    assert result.exit_code == 2
    assert "正在 Excel/WPS 中打开" in result.output and "Traceback" not in result.output
    assert out.read_bytes() == b"old summary"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]  # no temp file left


@pytest.mark.parametrize("name", ["COM0", "lpt0", "COM¹", "CON.txt", "aux"])
def test_names_windows_reserves_get_a_leading_underscore(name):
    assert safe_filename(name).startswith("_")


def test_names_alike_once_cut_to_length_stay_apart():
    names = unique_filenames(["局" * 200 + "甲", "局" * 200 + "乙"], "_退回修改反馈单.xlsx")
    assert names[0] != names[1] and all(len(n.encode()) <= NAME_BYTES for n in names)
