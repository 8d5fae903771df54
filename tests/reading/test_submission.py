"""A unit's .zip as one submission (zwgk_cli/reading/submission.py): its workbook read where it
lies inside, its 印证材料 found there, names a Windows zip tool wrote in GBK decoded, one unit per
.zip; a .rar said, not read. Hostile archives: tests/reading/test_submission_hostile.py."""

import hashlib
import zipfile
from pathlib import Path

import pytest
from support.saved import set_saved

from zwgk_cli.reading.submission import member_name, read_submission
from zwgk_cli.scoring.pipeline import rank_paths, score_paths
from zwgk_cli.workbooks.fill import fill_workbook

PROVEN = ["1", "2", "3", "4", "7", "8", "9", "10a", "10b", "11", "16a", "16b"]
MINUTES = b"%PDF-1.4 minutes"


class _GbkInfo(zipfile.ZipInfo):
    """A member named as Windows zip tools in China name it: GBK bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's own name)
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def make_zip(target: Path, members: dict[str, bytes], *, gbk: bool = False) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = (_GbkInfo if gbk else zipfile.ZipInfo)(name, date_time=(2023, 1, 10, 9, 30, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return target


@pytest.fixture
def workbook(blank, tmp_path):
    """fill(entries, unit=..., evidence=...) -> the bytes of a filled findings workbook."""
    def fill(entries=None, *, unit="县财政局", evidence=None) -> bytes:
        path = tmp_path / "filled" / f"{unit}-{len(list(tmp_path.glob('filled/*')))}.xlsx"
        return fill_workbook(blank, path, entries or {}, unit=unit, evidence=evidence).read_bytes()
    return fill


@pytest.mark.parametrize(("name", "encoding"), [
    # UTF-8 without the flag, as Info-ZIP zip on Linux and macOS's Archive Utility write it
    ("会议纪要（终稿）.pdf", "utf-8"), ("图片/现场①.jpg", "utf-8"), ("材料/2023年·总结—定稿.docx", "utf-8"),
    ("报告😀.pdf", "utf-8"), ("notes-v2.txt", "utf-8"),
    # GBK, as Windows zip tools in China write it: these bytes are valid UTF-8 too (通知 is D6AA CDA8,
    # ֪ͨ in UTF-8; 路 is C2 B7, ·)
    ("通知.pdf", "gbk"), ("图片\\现场.jpg", "gbk"), ("学习平台.pdf", "gbk"), ("路.pdf", "gbk"),
    ("会议纪要（终稿）.pdf", "gbk"), ("誠信承诺.pdf", "gbk"),
])
def test_a_name_without_the_utf8_flag_reads_as_its_maker_meant(name, encoding):
    info = zipfile.ZipInfo(name.encode(encoding).decode("cp437"))  # as zipfile reads a name without the flag
    assert member_name(info) == name.replace("\\", "/")


@pytest.mark.parametrize("gbk", [False, True], ids=["utf-8", "gbk-names"])
def test_a_zip_is_read_as_its_units_submission_with_its_evidence_inside(workbook, tmp_path, rules, gbk):
    returns = tmp_path / "收回"
    returns.mkdir()
    evidence = {**dict.fromkeys(PROVEN, "纪要.pdf"), "1": "纪要.pdf\n会议照片.jpg"}
    make_zip(returns / "县财政局.zip", {"县财政局.xlsx": workbook({"5": 1}, evidence=evidence),
                                       "印证材料/纪要.pdf": MINUTES, "印证材料/会议照片.jpg": b"jpeg",
                                       "印证材料/说明.docx": b"docx"}, gbk=gbk)
    report = score_paths([returns], rules)
    (unit,) = report.units
    assert unit.total == 98 and unit.file == f"{returns / '县财政局.zip'}/县财政局.xlsx"
    assert [w.code for w in unit.warnings if w.family == "evidence"] == []
    minutes = unit.clause("1").evidence[0]
    assert (minutes.file, minutes.size, minutes.sha256) == (
        f"{returns / '县财政局.zip'}/印证材料/纪要.pdf", len(MINUTES), hashlib.sha256(MINUTES).hexdigest())
    statuses = {Path(i.file).name: (i.status, i.kind, Path(i.submission).name) for i in report.inputs}
    assert statuses == {"县财政局.zip": ("已拆包", "submission", ""),
                        "县财政局.xlsx": ("已评分", "unit", "县财政局.zip"),
                        "纪要.pdf": ("印证材料", "evidence", "县财政局.zip"),
                        "会议照片.jpg": ("印证材料", "evidence", "县财政局.zip"),
                        "说明.docx": ("已跳过", "evidence", "县财政局.zip")}
    (notice,) = [w for w in report.warnings if w.code == "evidence-unlisted"]
    assert "压缩包" in notice.message and "印证材料/说明.docx" in notice.message
    assert report.exit_code == 0


def test_a_zip_named_on_the_command_line_is_a_submission_too(workbook, tmp_path, rules):
    path = make_zip(tmp_path / "县财政局.zip", {"评分表.xlsx": workbook({"5": 2})})
    (unit,) = score_paths([path], rules).units
    assert (unit.unit, unit.total) == ("县财政局", 96)


def test_two_units_in_one_zip_are_both_refused_and_named(workbook, tmp_path, rules):
    path = make_zip(tmp_path / "材料.zip", {"县财政局.xlsx": workbook(), "县公安局.xlsx": workbook(unit="县公安局")})
    report = score_paths([path], rules)
    assert report.units == []
    refused = [e for e in report.errors if e.code == "submission-units"]
    assert len(refused) == 2 and all("县财政局、县公安局" in e.message for e in refused)
    assert report.exit_code == 1


def test_two_versions_of_one_unit_in_a_zip_are_versions_as_loose_files_are(workbook, tmp_path, rules):
    path = make_zip(tmp_path / "县财政局.zip", {"县财政局.xlsx": workbook({"5": 1}),
                                               "县财政局(修改).xlsx": workbook({"5": 2})})
    report = score_paths([path], rules)
    assert report.units == [] and {e.code for e in report.errors} == {"unit-duplicate"}


def test_a_refused_zip_is_its_units_answer_not_a_missing_unit(tmp_path, rules):
    returns = tmp_path / "收回"
    returns.mkdir()
    with zipfile.ZipFile(returns / "县财政局.zip", "w") as archive:
        archive.writestr("../县财政局.xlsx", b"x")  # a path leaving the archive: refused whole
    report = rank_paths([returns], rules, ["县财政局", "县公安局"])
    (error,) = report.errors
    assert error.code == "submission-unsafe" and "../县财政局.xlsx" in error.message
    assert report.missing == ["县公安局"]  # 县财政局 answered: listed with its error, not as 未提交


@pytest.mark.parametrize(("name", "head", "kind"), [("县公安局.rar", b"Rar!\x1a\x07\x00", "RAR"),
                                                    ("县公安局.7z", b"7z\xbc\xaf\x27\x1c", "7Z")])
def test_a_rar_or_7z_is_listed_with_what_to_do_never_read(tmp_path, rules, filled, name, head, kind):
    returns = tmp_path / "收回"
    returns.mkdir()
    filled({}, folder=returns)
    (returns / name).write_bytes(head)
    report = score_paths([returns], rules)
    (warning,) = [w for w in report.warnings if w.code == "submission-format"]
    assert kind in warning.message and "zip" in warning.message
    assert [Path(i.file).name for i in report.inputs if i.status == "已跳过"] == [name]


def test_newest_chooses_between_versions_inside_a_zip_by_their_own_save_time(blank, tmp_path, rules):
    versions = {}
    for name, count, when in (("县财政局.xlsx", 1, "2023-01-10T09:00:00Z"),
                              ("县财政局(2).xlsx", 2, "2023-01-11T09:00:00Z")):
        path = fill_workbook(blank, tmp_path / name, {"5": count})
        set_saved(path, when)
        versions[name] = path.read_bytes()
    report = score_paths([make_zip(tmp_path / "县财政局.zip", versions)], rules, newest=True)
    (unit,) = report.units
    assert unit.total == 96 and unit.file.endswith("县财政局(2).xlsx")
    assert [Path(f).name for f in report.newest[0].superseded] == ["县财政局.xlsx"]


@pytest.mark.parametrize("shape", ["comment", "stub", "cut-at-inner-end"])
def test_the_end_record_read_is_the_zips_own(workbook, tmp_path, rules, shape):
    """An archive comment, or a stub before the zip (a self-extracting archive's), reads as before;
    a .zip cut right after a workbook stored uncompressed ends with that workbook's end record,
    and is damaged, not that workbook (the hostile cases cut 200 bytes later)."""
    book = workbook({"5": 1})
    path = tmp_path / "县财政局.zip"
    with zipfile.ZipFile(path, "w") as archive:  # stored, as Bandizip stores what is compressed already
        archive.writestr("纪要.pdf", MINUTES)
        archive.writestr("县财政局.xlsx", book)
        archive.writestr("材料/照片.jpg", b"jpeg" * 100)
        if shape == "comment":
            archive.comment = "WinRAR 打包".encode("gbk")
    data = path.read_bytes()
    if shape == "stub":
        path.write_bytes(b"MZ" + bytes(998) + data)
    elif shape == "cut-at-inner-end":
        path.write_bytes(data[:data.index(book) + len(book)])
    found = read_submission(path, rules, label="县财政局.zip")
    if shape == "cut-at-inner-end":
        assert [p.code for p in found.problems] == ["submission-corrupt"] and not found.reads
    else:
        assert not found.problems and [(r.file, r.ok) for r in found.reads] == [("县财政局.zip/县财政局.xlsx", True)]
        assert sorted(f.path for f in found.files) == ["材料/照片.jpg", "纪要.pdf"]
