"""What the paths given hold (zwgk_cli/reading/scan.py): files that are not workbooks are listed,
not scored; an empty returns folder is said."""

from pathlib import Path

import openpyxl


def test_files_beside_the_workbooks_are_listed_not_scored(cli, tmp_path, filled):
    """A scan nobody lists as 印证材料 and a .zip without a workbook are files that came with the
    returns: listed with why (the .zip with a warning), never scored, the exit code unchanged."""
    returns = tmp_path / "收回"
    returns.mkdir()
    filled({"5": 1}, folder=returns)
    (returns / "县民政局扫描件.pdf").write_bytes(b"%PDF-1.4")
    (returns / "材料.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    (returns / "~$县财政局.xlsx").write_bytes(b"lock")  # Office lock file: silently skipped
    (returns / ".DS_Store").write_bytes(b"x")  # hidden: silently skipped
    out = tmp_path / "汇总.xlsx"
    result = cli.json("rank", returns, "-o", out)
    assert result.exit_code == 0, result.output  # skipping does not change the exit code
    inputs = result.data["inputs"]
    skipped = {Path(i["file"]).name: i["reason"] for i in inputs if i["status"] == "已跳过"}
    assert skipped["县民政局扫描件.pdf"] == "没有条款把该文件列为印证材料"
    assert skipped["材料.zip"].startswith("压缩包中没有评分表") and set(skipped) == {"县民政局扫描件.pdf", "材料.zip"}
    assert [Path(i["file"]).name for i in inputs if i["status"] == "已评分"] == ["县财政局.xlsx"]
    assert {w["code"] for w in result.data["warnings"]} == {"evidence-unlisted", "submission-empty"}
    assert "2 个文件未被列为印证材料" in result.stderr
    about = [c for row in openpyxl.load_workbook(out)["说明"].iter_rows(values_only=True) for c in row if c]
    assert "没有条款把该文件列为印证材料" in about and any(str(c).endswith("县民政局扫描件.pdf") for c in about)


def test_empty_returns_folder_warns_with_input_empty(cli, tmp_path):
    (tmp_path / "收回").mkdir()
    result = cli.json("rank", tmp_path / "收回", "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code == 0
    assert [w["code"] for w in result.data["warnings"]] == ["input-empty"]
    assert "警告：" in result.stderr and "没有找到任何评分表" in result.stderr
