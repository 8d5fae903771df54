"""From files to results (zwgk_cli/scoring/pipeline.py): one bad or vanished file does not stop
the batch, and inputs are never modified."""

import hashlib

from zwgk_cli.scoring.pipeline import score_paths


def test_one_bad_file_does_not_stop_the_batch(filled, rules, tmp_path):
    filled({"5": 1}, name="ok.xlsx")
    filled({"5": "很多"}, unit="县教育局", name="bad.xlsx")
    (tmp_path / "junk.xlsx").write_bytes(b"not a spreadsheet")
    (tmp_path / "~$ok.xlsx").write_bytes(b"lock file")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    report = score_paths([tmp_path], rules)
    assert [u.unit for u in report.units] == ["县财政局"]
    assert {i.file.split("/")[-1]: i.status for i in report.inputs} == {
        "bad.xlsx": "有错误", "junk.xlsx": "有错误", "ok.xlsx": "已评分"}
    assert report.exit_code == 1
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    assert before == after  # inputs never modified


def test_unreadable_file_is_reported_and_the_batch_goes_on(filled, rules, tmp_path):
    """A file that is gone when its turn comes (a shortcut to a deleted file, a share that
    dropped): refused alone, with the system's reason."""
    filled({"5": 1}, name="ok.xlsx")
    (tmp_path / "gone.xlsx").symlink_to(tmp_path / "deleted.xlsx")
    report = score_paths([tmp_path], rules)
    assert [u.unit for u in report.units] == ["县财政局"]
    (error,) = report.errors
    assert error.code == "file-unreadable" and error.file.endswith("deleted.xlsx")  # the shortcut resolved
