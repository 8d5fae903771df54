"""Builds the bad-input corpus from the real template: every file a county office has been
sent back, broken or hostile, with the outcome the tool must give it.

    python tests/support/corpus.py OUT_DIR      # to look at the files by hand

``build_corpus(folder, blank)`` returns {file name: Expect}; files not in the mapping
(lock files, hidden files) must be skipped by the reader.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from zwgk_cli import constants as C
from zwgk_cli.workbooks.fill import fill_workbook
from zwgk_cli.workbooks.formulas import PTS

SCORED, REJECTED = "已评分", "有错误"


@dataclass(frozen=True)
class Expect:
    status: str
    codes: tuple[str, ...] = ()  # error codes when rejected, warning codes when scored
    total: str | None = None  # expected total when scored


def _edit(path: Path, change) -> None:
    """Open with openpyxl, unprotect, apply ``change(ws, wb)``, save in place."""
    wb = openpyxl.load_workbook(path)
    ws = wb[C.SCORE_SHEET]
    ws.protection.sheet = False
    change(ws, wb)
    wb.save(path)


def _rewrite_part(path: Path, part: str, edit) -> None:
    """Rewrite one XML part of an .xlsx with ``edit(text) -> text``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == part:
                data = edit(data.decode("utf-8")).encode("utf-8")
            dst.writestr(item, data)
    path.write_bytes(buffer.getvalue())


def _row_of(ws, clause_id: str) -> int:
    return next(c.row for c in ws["A"] if str(c.value) == clause_id)


def build_corpus(folder: Path, blank: Path) -> dict[str, Expect]:
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, Expect] = {}

    def filled(name: str, entries: dict, unit: str, notes: dict | None = None) -> Path:
        return fill_workbook(blank, folder / name, entries, notes=notes, unit=unit, force=True)

    # --- containers -------------------------------------------------------------
    (folder / "空文件.xlsx").write_bytes(b"")
    expect["空文件.xlsx"] = Expect(REJECTED, ("file-empty",))
    (folder / "文本.xlsx").write_text("单位名称,得分\n县财政局,90\n", encoding="utf-8")
    expect["文本.xlsx"] = Expect(REJECTED, ("file-format",))
    (folder / "乱码.xls").write_bytes(random.Random(7).randbytes(4096))
    expect["乱码.xls"] = Expect(REJECTED, ("file-format",))
    whole = filled("截断.xlsx", {"5": 1}, "截断单位").read_bytes()
    (folder / "截断.xlsx").write_bytes(whole[: len(whole) // 2])
    expect["截断.xlsx"] = Expect(REJECTED, ("file-corrupt",))
    _encrypted(folder / "加密.xlsx", filled("加密.xlsx", {}, "加密单位"))
    expect["加密.xlsx"] = Expect(REJECTED, ("file-encrypted",))
    _zip_bomb(folder / "炸弹.xlsx")
    expect["炸弹.xlsx"] = Expect(REJECTED, ("file-bomb",))
    _entity_expansion(filled("实体.xlsx", {}, "实体单位"))
    expect["实体.xlsx"] = Expect(REJECTED, ("file-xml",))
    with zipfile.ZipFile(folder / "文档.xlsx", "w") as doc:
        doc.writestr("word/document.xml", "<document/>")
    expect["文档.xlsx"] = Expect(REJECTED, ("file-format",))
    shutil.copy(filled("县审计局.xlsx", {"6": 1}, "县审计局"), folder / "县审计局_实为xlsx.xls")
    (folder / "县审计局.xlsx").unlink()
    expect["县审计局_实为xlsx.xls"] = Expect(SCORED, (), "98")

    # --- layout drift --------------------------------------------------------------
    _edit(filled("改名.xlsx", {}, "改名单位"), lambda ws, wb: setattr(ws, "title", "评分表(1)"))
    expect["改名.xlsx"] = Expect(REJECTED, ("sheet-missing",))
    _edit(filled("无表头.xlsx", {}, "无表头单位"), lambda ws, wb: setattr(ws["A4"], "value", "序号"))
    expect["无表头.xlsx"] = Expect(REJECTED, ("header-missing",))
    _edit(filled("未知编号.xlsx", {"5": 1}, "未知编号单位"),
          lambda ws, wb: setattr(ws[f"A{_row_of(ws, '5')}"], "value", "5x"))
    expect["未知编号.xlsx"] = Expect(REJECTED, ("id-unknown",))
    _edit(filled("县档案局.xlsx", {"6": 2}, "县档案局"),
          lambda ws, wb: ws.delete_rows(_row_of(ws, "9")))
    expect["县档案局.xlsx"] = Expect(SCORED, ("clause-missing",), "96")
    _edit(filled("县统计局.xlsx", {"5": 2, "J1": 1}, "县统计局"), _leading_rows_and_columns)
    expect["县统计局.xlsx"] = Expect(SCORED, (), "101")

    # --- values ----------------------------------------------------------------------
    _cached_formula(filled("县水利局.xlsx", {}, "县水利局"), "5", "1+1", "2", error=False)
    expect["县水利局.xlsx"] = Expect(SCORED, ("formula-cell",), "96")
    _cached_formula(filled("错误值.xlsx", {}, "错误值单位"), "5", "1/0", "#DIV/0!", error=True)
    expect["错误值.xlsx"] = Expect(REJECTED, ("value-error",))
    _edit(filled("日期.xlsx", {}, "日期单位"),
          lambda ws, wb: setattr(ws[f"H{_row_of(ws, '5')}"], "value", dt.date(2022, 3, 2)))
    expect["日期.xlsx"] = Expect(REJECTED, ("value-quantity",))
    for name, entries, codes in [
        ("负数.xlsx", {"5": -1}, ("value-quantity",)),
        ("小数.xlsx", {"5": 1.5}, ("value-quantity",)),
        ("超过最多.xlsx", {"3": 4}, ("value-max",)),
        ("是否乱填.xlsx", {"1": "也许"}, ("value-flag",)),
        ("若干.xlsx", {"5": "若干"}, ("value-quantity",)),
        ("酌情无说明.xlsx", {"K8": 2}, ("note-required",)),
        ("多处错误.xlsx", {"5": "若干", "1": "也许", "3": 9}, ("value-quantity", "value-flag", "value-max")),
    ]:
        filled(name, entries, name.removesuffix(".xlsx"))
        expect[name] = Expect(REJECTED, codes)

    # --- findings outside 填报, none-found words --------------------------------------------
    filled("县气象局.xlsx", {}, "县气象局", notes={"5": "栏目未更新，扣2分"})
    expect["县气象局.xlsx"] = Expect(SCORED, ("note-without-input",), "100")
    _edit(filled("县地震局.xlsx", {}, "县地震局"), lambda ws, wb: setattr(ws[f"{PTS}{_row_of(ws, '5')}"], "value", -2))
    expect["县地震局.xlsx"] = Expect(SCORED, ("formula-overwritten",), "100")
    filled("县供销社.xlsx", {"5": "无", "13": "没有", "14": "未发现", "1": "没有"}, "县供销社")
    expect["县供销社.xlsx"] = Expect(SCORED, (), "100")

    # --- identity --------------------------------------------------------------------------
    no_unit = fill_workbook(blank, folder / "无单位.xlsx", {}, unit="", force=True)
    _edit(no_unit, lambda ws, wb: _set_meta(wb, "unit", ""))
    expect["无单位.xlsx"] = Expect(REJECTED, ("unit-missing",))
    filled("县林业局.xlsx", {"19": 1}, "县林业局")  # _meta still says 县财政局
    expect["县林业局.xlsx"] = Expect(SCORED, ("unit-mismatch",), "98")
    filled("重复甲.xlsx", {"1": "是"}, "县商务局")
    filled("重复乙.xlsx", {}, "县商务局")
    expect["重复甲.xlsx"] = expect["重复乙.xlsx"] = Expect("重复", ("unit-duplicate",))
    _edit(filled("他细则.xlsx", {}, "他细则单位"), lambda ws, wb: _set_meta(wb, "rules_id", "yuncheng-2023-b"))
    expect["他细则.xlsx"] = Expect(REJECTED, ("meta-ruleset",))
    _edit(filled("县文旅局.xlsx", {"5": 1}, "县文旅局"),
          lambda ws, wb: setattr(ws[f"E{_row_of(ws, '5')}"], "value", 20))
    expect["县文旅局.xlsx"] = Expect(SCORED, ("text-changed",), "98")
    filled("县医保局.xlsx", {}, "县医保局")
    expect["县医保局.xlsx"] = Expect(SCORED, ("sheet-empty",), "100")
    bad_name = filled("=注入.xlsx", {"5": 1}, '=HYPERLINK("http://x","点我")', notes={"5": "@SUM(1)"})
    expect[bad_name.name] = Expect(SCORED, (), "98")

    # --- batch: skipped, never read ------------------------------------------------------
    (folder / "~$县财政局.xlsx").write_bytes(b"owner lock")
    (folder / ".隐藏.xlsx").write_bytes(b"hidden")
    return expect


def _set_meta(wb, key: str, value: str) -> None:
    meta = wb[C.META_SHEET]
    for row in meta.iter_rows(max_col=2):
        if row[0].value == key:
            row[1].value = value


def _leading_rows_and_columns(ws, wb) -> None:
    for merged in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(merged))
    ws.insert_rows(1, amount=2)      # empty rows above everything
    ws.insert_cols(8)                 # an extra column before 填报
    ws["H6"] = "备注"
    ws.merge_cells("B10:C10")         # merged cells in the rule text area


def _encrypted(target: Path, plain: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with plain.open("rb") as stream:
        OOXMLFile(stream).encrypt("口令123", out)
    target.write_bytes(out.getvalue())


def _zip_bomb(target: Path) -> None:
    """A workbook-shaped zip whose sheet inflates to 300 MB of nothing."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/workbook.xml", "<workbook/>")
        with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b" " * (1024 * 1024)
            for _ in range(300):
                sheet.write(chunk)


def _entity_expansion(path: Path) -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
                        for i in range(9)) + "]>")
    _rewrite_part(path, "xl/workbook.xml", lambda text: laughs + re.sub(r"^<\?xml[^>]*\?>", "", text))


def _input_cell(path: Path, clause_id: str) -> str:
    ws = openpyxl.load_workbook(path)[C.SCORE_SHEET]
    return f"H{_row_of(ws, clause_id)}"


def _cached_formula(path: Path, clause_id: str, formula: str, cached: str, *, error: bool) -> None:
    """A formula in the clause's 填报 cell with its cached result, as Excel saves it
    (``t="e"`` marks an error value such as #DIV/0!)."""
    cell = _input_cell(path, clause_id)
    _edit(path, lambda ws, wb: setattr(ws[cell], "value", f"={formula}"))
    kind = ' t="e"' if error else ""
    _rewrite_part(path, "xl/worksheets/sheet1.xml",
                  lambda text: re.sub(rf'<c r="{cell}"([^>]*)>.*?</c>',
                                      rf'<c r="{cell}"\1{kind}><f>{formula}</f><v>{cached}</v></c>', text))


if __name__ == "__main__":
    from zwgk_cli.rules.loading import load_rules
    from zwgk_cli.workbooks.template import write_templates

    out = Path(sys.argv[1])
    master = write_templates(load_rules(), ["县财政局"], out / "_blank", force=True)[0]
    for name, outcome in build_corpus(out, master).items():
        print(f"{outcome.status}\t{','.join(outcome.codes)}\t{name}")
