"""Save times a workbook records, rewritten as a program saving it at another time would leave them
(for ``--newest``, which takes the version a unit saved last)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path


def set_saved(path: Path, when: str) -> None:
    """Set the workbook's own last-saved time (docProps/core.xml), as Excel would on saving."""
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info, raw in members:
            if info.filename == "docProps/core.xml":
                raw = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + when.encode(), raw)
            target.writestr(info, raw)
    path.write_bytes(buffer.getvalue())
