"""The archive commands (``zwgk archive …``): check a season's archive written by ``rank --archive``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..problems import ExitStatus
from .options import JsonOpt
from .running import guarded, out_console
from .text import emit_json

ArchiveArg = Annotated[Path, typer.Argument(metavar="归档文件", help="zwgk rank --archive 写的 .zip。")]


def archive_verify(ctx: typer.Context, archive: ArchiveArg, as_json: JsonOpt = False) -> None:
    """核对归档：按归档清单重新计算每个文件的 sha256；全部一致时退出码为 0，有不一致时为 1，不是归档文件时为 2。"""

    def verify():
        from ..reading.archive import verify_archive
        from .views import verification_view

        found = verify_archive(archive)
        if as_json:
            emit_json(found.to_dict())
        else:
            out_console().print(verification_view(found))
        raise typer.Exit(ExitStatus.OK if found.ok else ExitStatus.REJECTED)

    guarded(ctx, verify, as_json)
