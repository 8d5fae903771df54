"""Terminal views (zwgk_cli/cli/views.py): the leaderboard at 80 columns, 不适用 and 一票否决 shown."""

import os

from rich.console import Console
from support.paths import DEMO_B, RETURNED
from support.schemes import shown_report

from zwgk_cli.cli.views import leaderboard
from zwgk_cli.rules.loading import load_rules
from zwgk_cli.scoring.pipeline import rank_paths
from zwgk_cli.workbooks.template import write_templates


def test_leaderboard_keeps_every_column_at_80_columns(rules):
    report = rank_paths([RETURNED], rules)
    console = Console(width=80, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(leaderboard(rules, report.units, width=80))
    lines = console.export_text().splitlines()
    assert max(len(line) + sum(1 for ch in line if ord(ch) > 0x2E7F) for line in lines) <= 80
    text = "\n".join(lines)
    assert all(word in text for word in ("加分", "重大", "扣分", "日常", "组织"))
    for unit in report.units:
        row = next(line for line in lines if unit.unit[:4] in line).split()
        values = [*(str(unit.categories[c.name]) for c in rules.categories), str(unit.bonus),
                  str(unit.major_deductions)]
        assert [float(v) for v in row[-8:]] == [float(v) for v in values], unit.unit


def test_leaderboard_with_grades_keeps_every_column_at_80_columns(tmp_path):
    demo = load_rules(DEMO_B)
    write_templates(demo, ["县人力资源和社会保障局", "城关镇人民政府", "古绛镇"], tmp_path)
    report = rank_paths([tmp_path], demo)
    console = Console(width=80, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(leaderboard(demo, report.units, width=80))
    lines = console.export_text().splitlines()
    assert max(len(line) + sum(1 for ch in line if ord(ch) > 0x2E7F) for line in lines) <= 80
    assert all(line.rstrip().endswith("优秀") for line in lines if "古绛镇" in line or "城关镇人" in line)


def test_terminal_shows_not_applicable_and_veto(demo_c, demo_c_blank, tmp_path):
    from zwgk_cli.cli.views import unit_view

    demo = demo_c
    report = shown_report(demo, demo_c_blank, tmp_path)
    console = Console(width=200, record=True)
    console.print(unit_view(demo, next(u for u in report.units if u.unit == "甲局")))
    console.print(leaderboard(demo, report.units))
    text = console.export_text()
    assert "不适用" in text and "否决" in text and "不合格（一票否决）" in text
