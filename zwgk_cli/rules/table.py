"""A rule set as a spreadsheet shaped like the official table: its sheets, its columns and its
words, defined once for the export (``rules export``) and the import (``rules import``) alike.

The 评分表 sheet has the official columns (一级指标 … 考核方式) and structured ones (编号, 计分方式,
每次分值, 上限, 最多次数, 须说明, 填报内容, 不适用, 一票否决); an indicator's group, name and 赋分
stand on its first row only, as in the official table. 细则信息 holds the rule set's fields and
policies as 项目/值 pairs, 勘误 the errata.

>>> from zwgk_cli.rules.loading import load_rules
>>> next(table_rows(load_rules()))[:4]
('组织领导与工作保障（14分）', '组织领导', '研究部署政务公开工作情况', '4')
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import constants as C
from ..exact import show
from ..model import NO_EVIDENCE, OPTIONAL, REQUIRED, SCORING_KIND_LABELS, RuleSet

TABLE_SHEET, INFO_SHEET, ERRATA_SHEET = "评分表", "细则信息", "勘误"
COL_DEDUCTIONS, COL_BONUSES = "扣分标准", "加分标准"
COL_KIND, COL_PER, COL_CAP, COL_MAX = "计分方式", "每次分值", "上限", "最多次数"
COL_NEEDS_NOTE, COL_COUNTS = "须说明", "填报内容"
COL_EVIDENCE = C.COL_EVIDENCE
OFFICIAL = (C.COL_CATEGORY, C.COL_GROUP, C.COL_INDICATOR, C.COL_POINTS, COL_DEDUCTIONS, COL_BONUSES, C.COL_METHOD)
STRUCTURED = (C.COL_ID, COL_KIND, COL_PER, COL_CAP, COL_MAX, COL_NEEDS_NOTE, COL_COUNTS, C.NOT_APPLICABLE,
              C.VETO_LABEL, COL_EVIDENCE)
EVIDENCE_LABELS = {REQUIRED: "必须", OPTIONAL: "可选", NO_EVIDENCE: "无"}
EVIDENCE_OF_LABEL = {label: level for level, label in EVIDENCE_LABELS.items()}
INFO_HEADERS, ERRATA_HEADERS = ("项目", "值"), ("编号", "位置", "原表", "处理")
KIND_OF_LABEL = {label: kind.value for kind, label in SCORING_KIND_LABELS.items()}  # str: YAML cannot dump an enum
YES = "是"
NO_FLOOR = "不设"  # 细则信息 floor: no floor at all
WEIGHT = re.compile(r"^(.*?)[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]\s*$")  # 主动公开（38分）
DASHES = ("-", "－", "—", "–")  # a dash in a cell stands for "none"


def table_rows(rules: RuleSet) -> Iterator[tuple]:
    """One row per clause, in the columns :data:`OFFICIAL` + :data:`STRUCTURED`."""
    for part in (*rules.categories, *rules.sections):
        name = part.name if part.whole_unit else f"{part.name}（{show(part.weight)}分）"
        for indicator in part.indicators:
            for clause in indicator.clauses:
                first = clause is indicator.clauses[0]
                rule = ("", clause.text) if clause.bonus else (clause.text, "")
                yield (name, indicator.group if first else "", indicator.name if first else "",
                       show(indicator.stated_points(clause.id)), *rule, indicator.method,
                       clause.id, SCORING_KIND_LABELS[clause.kind], show(clause.per), show(clause.cap),
                       clause.max_count or "", YES if clause.needs_note else "", clause.counts,
                       YES if indicator.allows_not_applicable else "", YES if clause.veto else "",
                       EVIDENCE_LABELS[clause.evidence])


# The 细则信息 items, in the order they are written (and the only ones an import reads).
INFO_KEYS = ("id", "title", "issuer", "year", "class", "version", "full_marks", "category_cap", "indicator_cap",
             "bonus_cap", "floor", "grades", "not_applicable", "veto_total", "bonus_min_total", "evidence_policy")


def info_rows(rules: RuleSet) -> list[tuple[str, object]]:
    """The 细则信息 pairs, after their header."""
    values = {
        "id": rules.id, "title": rules.title, "issuer": rules.issuer, "year": rules.year, "class": rules.klass,
        "version": rules.version, "full_marks": show(rules.full_marks),
        "category_cap": YES if rules.category_cap else "否", "indicator_cap": YES if rules.indicator_cap else "否",
        "bonus_cap": show(rules.bonus_cap), "floor": show(rules.floor) if rules.floor is not None else NO_FLOOR,
        "grades": "；".join(f"{g.name}:{show(g.min)}" for g in rules.grades),
        "not_applicable": rules.not_applicable, "veto_total": show(rules.veto_total),
        "bonus_min_total": show(rules.bonus_min_total), "evidence_policy": rules.evidence_policy}
    return [INFO_HEADERS, *((key, values[key]) for key in INFO_KEYS)]


def errata_rows(rules: RuleSet) -> list[tuple[str, ...]]:
    """The 勘误 rows, after their header."""
    return [ERRATA_HEADERS, *((e.id, e.where, e.source, e.decision) for e in rules.errata)]
