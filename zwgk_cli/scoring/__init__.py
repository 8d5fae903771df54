"""Scoring: exact points, totals and ranks, and the pipeline from files to a report.

Owns the scoring computation (``compute``: a pure function of rule set and findings) and the
pipeline (``pipeline``: read every file, set aside the bad ones, score and rank the rest).

May import: ``reading``, ``rules`` and the base modules.
"""
