"""Rules: the official scoring table as data.

Owns the rule-set records' loading from YAML (``loading``, with ``shape`` for structural
checks), the consistency checks of a table (``checking``), the rule-text parser (``text``) and
the built-in rule sets (``builtin/*.yaml``).

May import: the base modules (``model``, ``problems``, ``constants``, ``exact``, ``cells``).
"""
