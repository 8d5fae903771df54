"""Regenerate the samples and the blank master from the generator, so they stay in step.

    python samples/make_samples.py

Writes samples/roster.txt, samples/returned/*.xlsx (one unit of the roster has not
answered yet) and templates/scoring_template.xlsx.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from zwgk_cli.rules.loading import load_rules
from zwgk_cli.workbooks.fill import fill_workbook
from zwgk_cli.workbooks.template import write_templates

HERE = Path(__file__).parent
ROOT = HERE.parent

# Findings as an inspection team would record them: 填报 values by 编号 (with the
# spellings clerks use), and 说明 notes.
FINDINGS: dict[str, tuple[dict[str, object], dict[str, str]]] = {
    "县发展和改革局": ({"5": "1处", "19": 1, "15": 2}, {"5": "领导信息未及时更新"}),
    "县教育科技局": ({"6": 1, "13": "两件", "J1": 1}, {"J1": "省级政务公开先进单位"}),
    "县公安局": ({"16b": 1, "19": 1}, {"19": "第三季度通报"}),
    "县民政局": ({"5": "２", "10a": 3, "20": 1}, {}),
    "县财政局": ({"5": 5, "6": 3, "19": 1}, {"5": "财政预决算栏目多处未更新"}),
    "县人力资源和社会保障局": ({"7": "是", "12": 1}, {"7": "项目信息未在门户网站首发"}),
    "县自然资源局": ({"18": "1次", "14": 1, "J4": 1.5}, {"J4": "领导小组认定：不动产登记公开成效突出"}),
    "县住房和城乡建设局": ({"1": "√", "3": "1项"}, {"1": "全年未听取政务公开工作汇报"}),
    "县交通运输局": ({"16a": "是", "4": "两项", "K6": 0.5}, {"K6": "造成市对县考核扣0.5分"}),
    "县农业农村局": ({"9": "否", "15": 3, "J3": 1}, {"J3": "运城市领导批示表扬"}),
    "县卫生健康局": ({"17": "是", "19": 4, "20": 2}, {"17": "私自开设抖音号"}),
}
NOT_ANSWERED = "县市场监督管理局"
ROSTER = [*FINDINGS, NOT_ANSWERED]


def main() -> None:
    rules = load_rules()
    (HERE / "roster.txt").write_text("\n".join(ROSTER) + "\n", encoding="utf-8")
    returned = HERE / "returned"
    shutil.rmtree(returned, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        blanks = write_templates(rules, list(FINDINGS), Path(tmp))
        for path in blanks:
            entries, notes = FINDINGS[path.stem]
            fill_workbook(path, returned / path.name, entries, notes=notes)
    write_templates(rules, [], ROOT / "templates", force=True)
    print(f"samples: {len(FINDINGS)} returned workbooks, roster of {len(ROSTER)}")


if __name__ == "__main__":
    main()
