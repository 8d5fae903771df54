"""The season's archive (zwgk_cli/workbooks/archive.py, rank --archive) and its check
(zwgk_cli/reading/archive.py, archive verify): every input as received, every output, the rule set,
a manifest whose hashes hold; written with the other outputs or not at all; extracted, it ranks
the same."""

import csv
import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from support.paths import RETURNED, ROSTER

from zwgk_cli.problems import OutputError
from zwgk_cli.rules.loading import load_rulebook
from zwgk_cli.scoring.pipeline import rank_paths
from zwgk_cli.workbooks.archive import archive_request
from zwgk_cli.workbooks.run_outputs import write_rank_outputs


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    """The samples ranked with --report and --archive, from a copy of the returns folder."""
    from support.cli import Cli

    work = tmp_path_factory.mktemp("archive")
    shutil.copytree(RETURNED, work / "收回")
    shutil.copy(ROSTER, work / "名单.txt")
    result = Cli().json("rank", work / "收回", "--roster", work / "名单.txt", "-o", work / "汇总.xlsx",
                        "--report", work / "通报.docx", "--archive", work / "归档")  # .zip added
    assert result.exit_code == 0, result.output
    return work, result


def manifest(path: Path) -> list[dict]:
    with zipfile.ZipFile(path) as archive:
        return list(csv.DictReader(io.StringIO(archive.read("归档清单.csv").decode("utf-8-sig"))))


def test_the_archive_holds_inputs_outputs_rule_set_and_a_manifest_that_holds(season):
    work, result = season
    archive = work / "归档.zip"
    assert result.data["archive"] == str(archive) and str(archive) in result.data["outputs"]
    rows = {row["路径"]: row for row in manifest(archive)}
    returned = sorted(p.relative_to(RETURNED).as_posix() for p in RETURNED.rglob("*") if p.is_file())
    assert sorted(p.removeprefix("输入/收回/") for p in rows if p.startswith("输入/收回/")) == returned
    assert {"输入/名单.txt", "考核细则/jiangxian-2022-a-第1版.yaml", "输出/汇总.xlsx", "输出/通报.docx",
            "归档说明.txt"} <= set(rows)
    with zipfile.ZipFile(archive) as opened:
        for path, row in rows.items():
            data = opened.read(path)
            assert (len(data), hashlib.sha256(data).hexdigest()) == (int(row["大小（字节）"]), row["sha256"]), path
        assert opened.read("输出/汇总.xlsx") == (work / "汇总.xlsx").read_bytes()  # the very file written beside it
        assert set(opened.namelist()) == set(rows) | {"归档清单.csv", "归档清单.xlsx"}
    assert rows["输入/收回/县教育科技局.zip"]["种类"] == "压缩包"
    assert rows["输入/收回/县财政局.xlsx"]["单位"] == "县财政局"
    assert rows["输入/收回/县财政局/党组会议纪要.pdf"]["种类"] == "印证材料"
    assert rows["输入/收回/县交通运输局/单位简介.docx"]["种类"] == "印证材料"  # sent, listed by nobody: kept too


def test_verify_passes_names_every_difference_and_refuses_what_is_no_archive(season, tmp_path, cli):
    work, _ = season
    good = cli.json("archive", "verify", work / "归档.zip")
    assert good.exit_code == 0 and good.data["ok"] and good.data["checked"] == len(manifest(work / "归档.zip"))
    tampered = tmp_path / "改过.zip"
    with zipfile.ZipFile(work / "归档.zip") as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "输入/收回/县财政局.xlsx":
                data += b"\0"
            if info.filename != "输出/通报.docx":
                target.writestr(info, data)
        target.writestr("输入/收回/后加的.pdf", b"x")
    bad = cli.json("archive", "verify", tampered)
    assert bad.exit_code == 1 and not bad.data["ok"]
    assert {d["path"] for d in bad.data["differences"]} == {"输入/收回/县财政局.xlsx", "输出/通报.docx",
                                                           "输入/收回/后加的.pdf"}
    assert "县财政局.xlsx" in cli("archive", "verify", tampered).stdout  # the terminal names them too
    assert cli.error("archive", "verify", work / "汇总.xlsx")["code"] == "archive-invalid"
    assert cli.error("archive", "verify", tmp_path / "没有.zip")["code"] == "archive-invalid"


def test_an_extracted_archive_ranks_the_same(season, tmp_path, cli):
    work, result = season
    with zipfile.ZipFile(work / "归档.zip") as archive:
        archive.extractall(tmp_path)
    again = cli.json("rank", tmp_path / "输入" / "收回", "--roster", tmp_path / "输入" / "名单.txt",
                     "--rules", tmp_path / "考核细则" / "jiangxian-2022-a-第1版.yaml", "-o", tmp_path / "汇总.xlsx")
    assert [(u["unit"], u["total"], u["rank"]) for u in again.data["units"]] == [
        (u["unit"], u["total"], u["rank"]) for u in result.data["units"]]


def test_an_input_changed_after_scoring_stops_the_archive_and_every_output(tmp_path):
    shutil.copytree(RETURNED, tmp_path / "收回")
    book = load_rulebook()
    report = rank_paths([tmp_path / "收回"], book)
    (tmp_path / "收回" / "县财政局.xlsx").write_bytes(b"changed")  # replaced after it was scored
    request = archive_request(report, tmp_path / "归档.zip", roster=None, previous=None, command=[])
    with pytest.raises(OutputError) as raised:
        write_rank_outputs(report, tmp_path / "汇总.xlsx", force=False, inputs=[tmp_path / "收回"], archive=request)
    assert raised.value.code == "output-input-changed" and "县财政局.xlsx" in str(raised.value)
    assert not (tmp_path / "汇总.xlsx").exists() and not (tmp_path / "归档.zip").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name != "收回"] == []  # no temporary left either


def test_an_existing_archive_is_not_replaced_without_force(season, cli):
    work, _ = season
    before = (work / "归档.zip").read_bytes()
    error = cli.error("rank", work / "收回", "-o", work / "另一个汇总.xlsx", "--archive", work / "归档.zip")
    assert error["code"] == "output-exists" and (work / "归档.zip").read_bytes() == before
    assert not (work / "另一个汇总.xlsx").exists()
