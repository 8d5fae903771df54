"""The roster of the identity tests (who a returned workbook is from, and its versions): the
``handed_out`` and ``back`` fixtures (tests/conftest.py) make its templates and returns."""

ROSTER = ["县民政局", "县财政局", "县市场监督管理局（知识产权局）"]
MISSPELT = "县民证局"  # a template made for a name off the roster
