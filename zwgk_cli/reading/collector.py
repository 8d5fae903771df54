"""Collecting the problems of one file as it is read, and the refusals that stop reading it.

Readers add problems to a :class:`Collector` (each placed on its sheet and cell) so that a clerk
fixes every cell in one pass; a refusal adds its problem and raises :class:`Rejected`. What the
reader did not foresee — a parser's panic, memory running out — becomes the file's refusal too,
never the batch's end: only Ctrl-C and the like pass (:data:`FATAL`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import constants as C
from ..problems import CATALOGUE, Level, Problem

FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit)  # never swallowed


def technical_detail(exc: BaseException | str, debug: bool) -> str:
    """The technical cause, shown only with --debug (never a class name in a clerk's message)."""
    if not debug:
        return ""
    return f"（调试信息：{exc if isinstance(exc, str) else f'{type(exc).__name__}: {exc}'}）"


def unexpected_problem(exc: BaseException) -> tuple[str, str]:
    """Code and template variant for an error the reader did not foresee."""
    if isinstance(exc, MemoryError):
        return "file-too-complex", "memory"
    if not isinstance(exc, Exception):  # a native parser's panic: the bytes are damaged
        return "file-corrupt", "panic"
    return "file-unreadable", "unexpected"


_DEATHS = {"time": ("file-too-complex", "time"), "memory": ("file-too-complex", "memory")}


def worker_death_problem(death, label: str, *, debug: bool = False) -> Problem:
    """The refusal of a file whose reading process died or overran its limits
    (see :mod:`zwgk_cli.reading.isolation`); ``debug`` appends the technical cause."""
    code, variant = _DEATHS.get(death.reason, ("file-corrupt", "worker"))
    return Problem.of(code, variant, file=label, detail=technical_detail(death.detail, debug))


class Rejected(Exception):
    """The file cannot be read further; the reason is already in problems."""


@dataclass(slots=True)
class Collector:
    """The problems found in one file, each placed on 评分表 unless told otherwise."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    debug: bool = False  # --debug: refusals carry their technical cause

    def add(self, code: str, variant: str = "", /, *, level: Level | None = None, sheet: str = C.SCORE_SHEET,
            cell: str = "", value: str = "", **values: object) -> None:
        """Add the catalogued problem ``code`` (its ``variant`` filled with ``values``)."""
        self.problems.append(Problem.of(code, variant, level=level, file=self.file, sheet=sheet, cell=cell,
                                        value=value, **values))

    def add_built(self, code: str, text: str, *, sheet: str = C.SCORE_SHEET, cell: str = "", value: str = "") -> None:
        """Add a problem whose message a lower step already built from the catalogue."""
        self.problems.append(Problem(code, text, CATALOGUE[code].level, self.file, sheet, cell, value))

    def reject(self, code: str, variant: str = "", /, **where: object) -> Rejected:
        """Add the problem and return the exception that stops reading this file."""
        self.add(code, variant, level=Level.ERROR, **where)
        return Rejected()

    def has(self, code: str) -> bool:
        return any(p.code == code for p in self.problems)

    def has_errors(self) -> bool:
        return any(p.level == Level.ERROR for p in self.problems)
