"""印证材料 as units write it (zwgk_cli/reading/evidence.py): a cell split into items, each a file
name, a link (its form only), a link written wrongly or a path on the unit's own PC; a listed name
found among the files that came with the workbook as Windows would find it."""

import pytest

from zwgk_cli.reading.evidence import BAD_LINK, FILE, LINK, LOCAL, FileIndex, evidence_items, link_ok


def test_a_cell_lists_items_one_per_line_or_between_separators_never_split_on_commas():
    text = "党组会议纪要.pdf\n关于加强政务公开，规范发布的通知.docx、台账.xlsx；截图.png;  《年报.pdf》\n\n台账.xlsx"
    assert [i.text for i in evidence_items(text)] == [
        "党组会议纪要.pdf", "关于加强政务公开，规范发布的通知.docx", "台账.xlsx", "截图.png", "年报.pdf"]


@pytest.mark.parametrize(("text", "kind"), [
    ("https://www.jiangxian.gov.cn/zwgk/bm01/", LINK),
    ("HTTP://www.jiangxian.gov.cn/a?b=1#c", LINK),
    ("http://政务公开.中国/目录", LINK),
    ("www.jiangxian.gov.cn/zwgk", BAD_LINK),  # no http://: the office cannot open it as written
    ("jiangxian.gov.cn/zwgk/1.html", BAD_LINK),
    ("ftp://files.jiangxian.gov.cn/a.pdf", BAD_LINK),
    ("https://www.jiangxian.gov.cn/a b.html", BAD_LINK),
    ("https://localhost:99999/", BAD_LINK),
    ("C:\\Users\\科员\\Desktop\\纪要.pdf", LOCAL),
    ("\\\\fileserver\\材料\\纪要.pdf", LOCAL),
    ("材料/纪要.pdf", FILE),
    ("2023.会议纪要.pdf", FILE),
])
def test_each_item_is_a_file_a_link_a_bad_link_or_a_local_path(text, kind):
    (item,) = evidence_items(text)
    assert item.kind == kind


def test_a_link_is_checked_for_its_form_only():
    assert link_ok("https://www.gov.cn/zhengce/") and not link_ok("https://") and not link_ok("http://x")


def test_names_are_found_as_windows_finds_them():
    index = FileIndex(["县财政局/材料/党组会议纪要.PDF", "县财政局/年报.pdf", "县财政局/截图/首页.png",
                       "县公安局/年报.pdf"])
    assert index.find("党组会议纪要.pdf") == ["县财政局/材料/党组会议纪要.PDF"]  # case, as Windows
    assert index.find("材料\\党组会议纪要.pdf") == ["县财政局/材料/党组会议纪要.PDF"]  # a path's ending, \\ as /
    assert index.find("首页") == ["县财政局/截图/首页.png"]  # the name without its extension
    assert index.find("年报.pdf") == ["县财政局/年报.pdf", "县公安局/年报.pdf"]  # ambiguous: both
    assert index.find("县公安局/年报.pdf") == ["县公安局/年报.pdf"]
    assert index.find("整改报告.pdf") == [] and index.find("") == []
