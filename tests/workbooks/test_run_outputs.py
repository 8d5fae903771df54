"""The files one ``rank`` run writes, replaced together (zwgk_cli/workbooks/run_outputs.py): a
draft open in WPS, a rename that fails halfway."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
from support.paths import RETURNED, ROSTER

from zwgk_cli.problems import OutputError, PartialOutputError
from zwgk_cli.scoring.pipeline import rank_paths
from zwgk_cli.workbooks.run_outputs import write_rank_outputs


@pytest.fixture
def ranked(rules):
    return rank_paths([RETURNED], rules, ROSTER.read_text(encoding="utf-8").split())


def _lock(monkeypatch, locked: Path) -> None:
    """``locked`` behaves as a file open in WPS on Windows: it cannot be opened for writing."""
    real_open = os.open

    def opened(path, flags, *args, **kwargs):
        if Path(path) == locked and flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(13, "The process cannot access the file")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", opened)


def test_a_draft_open_in_wps_is_found_before_the_summary_is_replaced(ranked, tmp_path, monkeypatch):
    summary, draft = tmp_path / "汇总.xlsx", tmp_path / "通报.docx"
    summary.write_bytes(b"last night's summary")
    draft.write_bytes(b"last night's draft")
    _lock(monkeypatch, draft)
    with pytest.raises(OutputError) as refused:
        write_rank_outputs(ranked, summary, draft=draft, force=True)
    assert refused.value.code == "output-locked" and refused.value.exit_status == 2
    assert summary.read_bytes() == b"last night's summary" and draft.read_bytes() == b"last night's draft"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx", "通报.docx"]  # no temporary left


def test_a_locked_draft_stops_rank_with_exit_2_and_nothing_written(cli, tmp_path, monkeypatch):
    summary, draft = tmp_path / "汇总.xlsx", tmp_path / "通报.docx"
    summary.write_bytes(b"old")
    draft.write_bytes(b"old")
    _lock(monkeypatch, draft)
    result = cli.json("rank", RETURNED, "-o", summary, "--report", draft, "--force")
    assert result.exit_code == 2
    assert result.data["error"]["code"] == "output-locked"
    assert summary.read_bytes() == b"old" and draft.read_bytes() == b"old"


def test_a_rename_that_fails_after_another_says_what_was_written(cli, tmp_path, monkeypatch):
    summary, draft = tmp_path / "汇总.xlsx", tmp_path / "通报.docx"
    draft.write_bytes(b"old draft")
    real_replace = os.replace

    def replace(source, target):
        if Path(target) == draft:  # opened in WPS between the check and the rename
            raise PermissionError(13, "The process cannot access the file")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    result = cli.json("rank", RETURNED, "-o", summary, "--report", draft, "--force")
    assert result.exit_code == 3
    error = result.data["error"]
    assert error["code"] == "output-partial"
    assert (error["written"], error["not_written"]) == ([str(summary)], [str(draft)])
    assert openpyxl.load_workbook(summary).sheetnames[0] == "排名" and draft.read_bytes() == b"old draft"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx", "通报.docx"]


def test_a_partial_error_is_an_output_error_with_its_own_exit_status():
    error = PartialOutputError("部分写入", [Path("a.xlsx")], [Path("b.docx")])
    assert error.exit_status == 3 and error.to_dict()["not_written"] == ["b.docx"]
    assert isinstance(error, OutputError) and error.code == "output-partial"
    assert error.to_dict()["written"] == ["a.xlsx"]
