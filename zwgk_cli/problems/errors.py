"""The exceptions that stop a command: every one carries a catalogued code and the exit status
it ends with (docs/cli.md, Exit codes)."""

from __future__ import annotations

from .catalogue import CATALOGUE, message
from .problem import Problem
from .vocabulary import ExitStatus


class ZwgkError(Exception):
    """A problem that stops a command before it writes anything (exit code 2).

    Every such error has a stable ``code`` (``usage`` unless a subclass or the caller
    says more), which ``--json`` prints in its error document.

    >>> ZwgkError("找不到 x", code="input-missing").to_dict()
    {'code': 'input-missing', 'message': '找不到 x'}
    """

    code = "usage"
    exit_status = ExitStatus.STOPPED

    def __init__(self, message: str = "", *, code: str | None = None):
        super().__init__(message)
        if code is not None:
            if code not in CATALOGUE:  # every exit-2 error carries a catalogued code
                raise ValueError(f"{code} is not a catalogued problem code")
            self.code = code

    @classmethod
    def of(cls, code: str, variant: str = "", /, **values: object) -> ZwgkError:
        """The error ``code`` with its catalogued message.

        >>> OutputError.of("output-exists", path="汇总.xlsx").to_dict()
        {'code': 'output-exists', 'message': '汇总.xlsx 已存在，未覆盖；如需覆盖请加 --force'}
        """
        return cls(message(code, variant, **values), code=code)

    def to_dict(self) -> dict:
        """The ``error`` member of the JSON document printed on exit code 2."""
        return {"code": self.code, "message": str(self)}


class RuleSetError(ZwgkError):
    """A rule set file that cannot be used; carries every problem found."""

    code = "rules-invalid"

    def __init__(self, source: str, problems: list[Problem], *, check: bool = False):
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p.text()}" for p in problems)
        super().__init__(message("rules-invalid", "checked" if check else "unusable", source=source, lines=lines))

    def to_dict(self) -> dict:
        return {**super().to_dict(), "problems": [p.to_dict() for p in self.problems]}


class OutputError(ZwgkError):
    """An output file that must not or cannot be written."""

    code = "output-locked"


class PartialOutputError(OutputError):
    """A run whose outputs were being replaced when one failed: ``written`` are this run's,
    ``missing`` are as they were (exit code 3, not 2: something was written)."""

    code = "output-partial"
    exit_status = ExitStatus.PARTIAL

    def __init__(self, text: str, written: list, missing: list):
        super().__init__(text, code="output-partial")
        self.written, self.missing = list(written), list(missing)

    def to_dict(self) -> dict:
        return {**super().to_dict(), "written": [str(p) for p in self.written],
                "not_written": [str(p) for p in self.missing]}
