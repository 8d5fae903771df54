"""The draft 考核结果通报 (zwgk_cli/workbooks/report.py); the season's notice end to end is in
tests/season/test_publishing.py."""

from __future__ import annotations


def test_a_tie_reaching_both_cuts_names_each_unit_once_in_the_notice():
    from decimal import Decimal
    from types import SimpleNamespace

    from zwgk_cli.workbooks.report import _top_bottom_lines

    totals = [99, 95, 95, 95, 95, 95, 80]  # ranks 1, 2 (×5, tied), 7; --top 3
    units = [SimpleNamespace(unit=f"单位{i}", total=Decimal(t), rank=1 + sum(1 for o in totals if o > t))
             for i, t in enumerate(totals)]
    high, low = _top_bottom_lines(units, 3)
    assert high.count("分）") == 6  # the first and everyone tied at the cut
    assert low == "得分居后的单位：单位6（80分）。"  # the tied units are not named again at the bottom
