"""The command line: parses options, calls the library, renders, sets the exit code.

Owns the commands (``commands``), the Chinese help text and usage errors (``text``) and the
terminal views (``views``).

May import: every other stage.
"""
