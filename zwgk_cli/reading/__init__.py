"""Reading: what returned files and rosters say, without trusting them.

Owns what a file really is (``containers``, ``refusals``, ``biff``, ``ods``), reading it in an
isolated worker (``isolation``), what a clerk typed in a cell (``values``), unit names (``names``),
rosters (``roster``), a workbook's own save time (``savetime``) and the findings workbook
reader (``workbook``).

May import: ``rules`` and the base modules.
"""
