"""The options and arguments the commands share, defined once (their Chinese help included)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import constants as C

DEFAULT_RULES = ["jiangxian-2022-a"]

RulesOpt = Annotated[list[str], typer.Option(
    "--rules", metavar="编号或文件",
    help="考核细则：内置编号或 YAML 文件路径；可多次给出（如 A 类、B 类），第一个为默认。")]
RulesArg = Annotated[str, typer.Argument(metavar="编号或文件", help="内置编号或 YAML 文件。")]
JsonOpt = Annotated[bool, typer.Option(
    "--json", help="在标准输出打印一份 JSON，不打印表格（出错时为 {\"error\": …}）。")]
ForceOpt = Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件。")]
PathsArg = Annotated[list[Path], typer.Argument(
    metavar="文件或文件夹", help="交回的评分表文件或文件夹（递归查找）。")]
NewestOpt = Annotated[bool, typer.Option(
    "--newest", help=f"同一单位交回多份时，按工作簿自身记录的保存时间取最新的一份，其余列为“{C.STATUS_SUPERSEDED}”。")]
PreviousOpt = Annotated[Path | None, typer.Option(
    "--previous", metavar="文件",
    help="上年结果：上年 rank --json 的输出或 rank 写的汇总工作簿；排名中加上年得分、名次和名次变化。")]
ReportOpt = Annotated[Path | None, typer.Option(
    "--report", metavar="文件",
    help="同时写考核结果通报的草稿（.docx；没有扩展名时自动加上）：总体情况、等次或前后名单、共性问题、整改要求、附件排名表。")]
RosterOpt = Annotated[Path | None, typer.Option(
    "--roster", metavar="文件", help="单位名单：.txt（每行一个）、.csv 或 .xlsx（“单位名称”列）。")]
ArchiveOpt = Annotated[Path | None, typer.Option(
    "--archive", metavar="文件",
    help="同时写本次考核的归档（.zip）：收到的全部文件、本次的输出、考核细则和归档清单（路径、大小、sha256）；"
         "用 zwgk archive verify 核对。")]
