"""One thing wrong (or worth knowing) about an input, with where it is.

>>> p = Problem("value-quantity", "「若干」不是有效的数量", file="县财政局.xlsx",
...             sheet="评分表", cell="H12", value="若干")
>>> p.where()
'县财政局.xlsx 评分表!H12'
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue import CATALOGUE
from .vocabulary import Family, Level


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth knowing) about an input, with where it is."""

    code: str
    message: str
    level: Level = Level.ERROR
    file: str = ""
    sheet: str = ""
    cell: str = ""
    value: str = ""
    clause: str = ""  # the 编号 it is about, when it is about one

    @classmethod
    def of(cls, code: str, variant: str = "", /, *, level: Level | None = None, file: str = "",
           sheet: str = "", cell: str = "", value: str = "", **values: object) -> Problem:
        """A problem whose message comes from the catalogue, at the code's usual level unless
        ``level`` says otherwise.

        >>> Problem.of("value-max", file="县财政局.xlsx", cell="H12", value="7", raw="7", most=5).text()
        '县财政局.xlsx：「7」超过本项最多 5'
        """
        entry = CATALOGUE[code]
        if level is not None and level not in entry.levels:  # a call site and the catalogue disagree
            raise ValueError(f"{code} is catalogued as {', '.join(entry.levels)}, not {level}")
        clause = str(values.get("id", "")) if isinstance(values.get("id"), str) else ""
        return cls(code, entry.message(variant, **values), level or entry.level, file, sheet, cell, value, clause)

    @property
    def family(self) -> Family:
        """The catalogue family of this problem's code."""
        return CATALOGUE[self.code].family

    def where(self) -> str:
        """Location as a clerk reads it: ``县财政局.xlsx 评分表!H12``."""
        place = f"{self.sheet}!{self.cell}" if self.sheet and self.cell else self.sheet
        return " ".join(part for part in (self.file, place) if part)

    def text(self) -> str:
        """The full Chinese line: location, then the message."""
        where = self.where()
        return f"{where}：{self.message}" if where else self.message

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "level": str(self.level),
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "value": self.value,
            "clause": self.clause,
            "message": self.text(),
        }
