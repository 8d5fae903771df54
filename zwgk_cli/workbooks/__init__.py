"""Workbooks: every file the tool writes.

Owns the shared look (``style``), atomic output (``output``), the findings template
(``template``, ``guide``, ``stamping``), filling one from data (``fill``), the feedback sheets
(``feedback``), the county summary (``summary``) and rule sets to and from the county's
spreadsheet (``ruletable``).

May import: ``scoring``, ``reading``, ``rules`` and the base modules.
"""
