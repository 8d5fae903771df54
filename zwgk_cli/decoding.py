"""Text files as Windows and Linux offices write them: UTF-8 (with or without a BOM), UTF-16 with a
BOM (Notepad's "Unicode", PowerShell 5.1's ``>`` redirection) and the GBK family (Notepad's "ANSI" on
a Chinese Windows). Used for rosters, rule files and last season's JSON alike.

>>> decode_text("县财政局".encode("gbk")), decode_text("县财政局".encode("utf-16"))
('县财政局', '县财政局')
>>> decode_text(b"\\xef\\xbb\\xbfid: a"), decode_text(b"\\x00\\x01\\x02") is None
('id: a', True)
"""

from __future__ import annotations

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_text(data: bytes) -> str | None:
    """The text of ``data`` in the first encoding that reads it whole; None for bytes that are
    no text in any of them (binary, control characters: a workbook renamed, say)."""
    encodings = ("utf-16",) if data[:2] in _UTF16_BOMS else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ch < " " and ch not in "\t\r\n" for ch in text):
            return None
        return text
    return None
