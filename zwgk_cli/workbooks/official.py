"""The look of a Chinese official document (党政机关公文格式, GB/T 9704, roughly) in python-docx:
A4, its margins, 方正小标宋简体 title, 黑体/楷体 headings, 仿宋_GB2312 body at 三号 on a fixed
28-point line, page numbers 「— 1 —」 in the footer.

East-Asian font names go in ``w:rFonts/@w:eastAsia`` (python-docx's ``font.name`` sets only the
Latin ones). A machine without the official fonts gets the font table's ``altName`` (宋体, 黑体,
仿宋, 楷体: on every Chinese Windows) and, failing that, its own CJK fallback.
"""

from __future__ import annotations

import io
import re
import zipfile

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
FALLBACKS = {TITLE_FONT: "宋体", HEADING_FONT: "SimHei", SUBHEADING_FONT: "楷体", BODY_FONT: "仿宋"}
BODY_SIZE = Pt(16)  # 三号
LINE = Pt(28)  # 22 lines a page on the type area below
TITLE_SIZE = Pt(22)  # 二号
TYPE_WIDTH = Mm(210 - 28 - 26)  # the type area between the margins


def page_setup(document) -> None:
    """A4 portrait with the standard's margins (天头 37 mm, 订口 28 mm); body font as default."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    normal = document.styles["Normal"]
    set_font(normal.font, normal.element.get_or_add_rPr(), BODY_FONT, BODY_SIZE)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    _page_numbers(section.footer.paragraphs[0])


def set_font(font, rpr, east_asia: str, size, *, bold: bool = False) -> None:
    """Latin and east-Asian font names, size and weight on a run's or style's properties."""
    font.name = LATIN_FONT
    font.size = size
    font.bold = bold
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def paragraph(document, text: str = "", *, font: str = BODY_FONT, size=BODY_SIZE, bold: bool = False,
              align=None, indent: bool = True, line=LINE):
    """A paragraph of one run: body text indented by two characters unless ``indent`` is off."""
    para = document.add_paragraph()
    fmt = para.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    if indent:
        fmt.first_line_indent = size * 2
    if align is not None:
        para.alignment = align
    if text:
        add_run(para, text, font=font, size=size, bold=bold)
    return para


def add_run(para, text: str, *, font: str = BODY_FONT, size=BODY_SIZE, bold: bool = False):
    run = para.add_run(text)
    set_font(run.font, run.element.get_or_add_rPr(), font, size, bold=bold)
    return run


def title(document, text: str, size=TITLE_SIZE) -> None:
    """The document's title: 方正小标宋简体 二号, centred, a blank line below."""
    paragraph(document, text, font=TITLE_FONT, size=size, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
              line=Pt(size.pt + 13))
    paragraph(document, indent=False)


def heading(document, text: str, *, level: int = 1) -> None:
    """一、 headings in 黑体, （一） headings in 楷体, both indented like body text."""
    paragraph(document, text, font=HEADING_FONT if level == 1 else SUBHEADING_FONT)


def _page_numbers(para) -> None:
    """「— N —」 centred, the number a PAGE field (Word and LibreOffice fill it in)."""
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    size = Pt(14)  # 四号
    add_run(para, "— ", font="宋体", size=size)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = add_run(para, "", font="宋体", size=size)
        if kind is not None:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run.element.append(mark)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run.element.append(instruction)
        else:
            run.text = text
    add_run(para, " —", font="宋体", size=size)


def repeat_header_row(row) -> None:
    """Repeat a table's header row on every page."""
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    row_element(row).get_or_add_trPr().append(mark)


def row_element(row):
    """The ``<w:tr>`` of a table row whose first cell holds text, reached from a run's public
    ``element``: python-docx gives no public handle on a row's XML (repeating a header row and
    copying rows fast both need it)."""
    return row.cells[0].paragraphs[0].runs[0].element.getparent().getparent().getparent()


_FONT_ENTRY = ('<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
               '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>')


def with_font_fallbacks(docx: bytes) -> bytes:
    """The saved document with the official fonts in its font table, each naming a fallback
    (``altName``) that every Chinese Windows has."""
    entries = "".join(_FONT_ENTRY.format(name=name, alt=alt) for name, alt in FALLBACKS.items())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/fontTable.xml":
                data = re.sub(rb"</w:fonts>\s*$", entries.encode("utf-8") + b"</w:fonts>", data)
            target.writestr(item, data)
    return out.getvalue()
