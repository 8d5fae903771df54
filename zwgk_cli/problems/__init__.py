"""Problems a user can cause, each with a stable code and a location.

A problem is a record, not an exception: readers and checks collect them so that a clerk can fix
every cell in one pass. Only what stops a command raises (:mod:`.errors`), and a rule set that
cannot be used carries every problem found before giving up.

Every code is defined once in the catalogue (:mod:`.entries`, looked up through
:mod:`.catalogue`) with its family, level(s), Chinese title, message templates and hint; call sites
name the code (and a template variant) and fill in the values, so the same problem is always
worded the same way. This package imports nothing else from zwgk_cli: every stage may use it.
"""

from .catalogue import CATALOGUE, CODES, family, message
from .errors import OutputError, PartialOutputError, RuleSetError, ZwgkError
from .problem import Problem
from .vocabulary import LEVEL_LABELS, SHARED, Code, ExitStatus, Family, Level

__all__ = ["CATALOGUE", "CODES", "LEVEL_LABELS", "SHARED", "Code",
           "ExitStatus", "Family", "Level", "OutputError", "PartialOutputError", "Problem", "RuleSetError",
           "ZwgkError", "family", "message"]
