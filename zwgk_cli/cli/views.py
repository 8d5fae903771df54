"""Terminal views (rich): pure functions from results to renderables, no I/O."""

from __future__ import annotations

from collections import Counter

from rich import box
from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text

from .. import constants as C
from ..exact import show
from ..model import SCORING_KIND_LABELS, Indicator, RuleSet, UnitResult
from ..problems import CATALOGUE, LEVEL_LABELS, Family, Level, Problem
from ..rules.table import EVIDENCE_LABELS
from ..rules.wording import clause_rule, evidence_policy_text, policy_text, section_label
from ..scoring.compute import cap_notes
from ..scoring.seasons import change_label


def signed(value) -> str:
    text = show(value)
    return f"+{text}" if value > 0 else text


def _signed_shown(result: UnitResult, clause) -> str:
    shown = result.shown_points(clause)
    return shown if isinstance(shown, str) else signed(shown)


def unit_view(rules: RuleSet, result: UnitResult) -> Group:
    """One unit: the clauses that cost or gave points, category scores, total, warnings."""
    clauses = Table(box=box.SIMPLE_HEAD, title=f"{result.unit}　总分 {show(result.total)}",
                    title_style="bold", caption=result.file, caption_justify="left")
    for name, justify in (("编号", "left"), ("一级指标", "left"), ("三级指标", "left"),
                          ("填报", "right"), ("扣分/加分", "right"), ("单元格", "left"), ("说明", "left")):
        clauses.add_column(name, justify=justify, overflow="fold")
    for clause in result.clauses:
        if clause.points == 0 and not clause.input:
            continue
        clauses.add_row(clause.id, rules.part_of(clause.id).name, rules.indicator_of(clause.id).name, clause.input,
                        _signed_shown(result, clause), clause.cell, clause.note)
    if clauses.row_count == 0:
        clauses.add_row("", "", "（无扣分、加分）", "", "", "", "")
    categories = Table(box=box.SIMPLE_HEAD)
    categories.add_column("一级指标")
    categories.add_column("权重", justify="right")
    categories.add_column("得分", justify="right")
    for category in rules.categories:
        categories.add_row(category.name, show(category.weight), show(result.categories[category.name]))
    categories.add_row(section_label(rules, bonus=True), "", signed(result.bonus))
    categories.add_row(section_label(rules, bonus=False), "", signed(-result.major_deductions))
    categories.add_row(Text(C.TOTAL_LABEL, style="bold"), show(rules.full_marks),
                       Text(show(result.total), style="bold"))
    notes = Text("\n".join(f"注：{n}" for n in cap_notes(rules, result)), style="dim")
    return Group(clauses, categories, notes, problems_view(result.warnings, title=""))


def leaderboard(rules: RuleSet, results: list[UnitResult], top: int | None = None, *, label: str = "",
                width: int | None = None, changes: bool = False) -> Table:
    """Rank, unit, total, the category scores, 加分 and 重大扣分; tied ranks are marked 并列.

    Every column is kept at any ``width`` (the terminal's): when the full headers do not fit,
    each category is headed by the first four characters of its name over its weight.
    ``changes``: a column 较上年 with the change of rank since last season (↑3, ↓2, –, 新).
    """
    title = f"{rules.title} 排名" + (f"（{label}）" if label and label not in rules.title else "")
    shown = [r for r in results if top is None or (r.rank or 0) <= top]
    headers = [f"{c.name}({show(c.weight)})" for c in rules.categories]
    compact = width is not None and _full_width(headers, shown) + (8 if changes else 0) > width
    if compact:
        headers = [f"{c.name[:2]}\n{c.name[2:4]}\n({show(c.weight)})" for c in rules.categories]
    table = Table(box=box.SIMPLE_HEAD, title=title, title_style="bold", collapse_padding=True, pad_edge=False)
    table.add_column("名次", justify="right", no_wrap=True)
    table.add_column("单位", overflow="fold")  # the one column that wraps when nothing else helps
    table.add_column("总分", justify="right", style="bold", no_wrap=True)
    for header in headers:
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("加分", justify="right", no_wrap=True)
    table.add_column("重大\n扣分" if compact else "重大扣分", justify="right", no_wrap=True)
    if rules.grades:
        table.add_column("等次", no_wrap=True)
    if changes:
        table.add_column("较上年", justify="right", no_wrap=True)
    tied = _tied_ranks(results)
    for result in shown:
        rank = f"{result.rank}（并列）" if result.rank in tied else str(result.rank)
        grade = [result.grade_shown] if rules.grades else []
        change = [change_label(result)] if changes else []
        table.add_row(rank, result.unit, show(result.total),
                      *(show(result.categories[c.name]) for c in rules.categories),
                      show(result.bonus), show(result.major_deductions), *grade, *change)
    return table


def _full_width(headers: list[str], results: list[UnitResult]) -> int:
    """Columns the leaderboard needs with full headers and unwrapped unit names."""
    unit = max((cell_len(r.unit) for r in results), default=4)
    graded = any(r.grade for r in results)
    grade = max(6, *(cell_len(r.grade_shown) for r in results)) if graded else 0
    fixed = 9 + 5 + 4 + 8 + grade  # 名次, 总分, 加分, 重大扣分, 等次
    columns = len(headers) + 5 + graded
    return unit + fixed + sum(cell_len(h) for h in headers) + 2 * columns  # two spaces between columns


def _tied_ranks(results: list[UnitResult]) -> set[int]:
    seen: dict[int, int] = {}
    for result in results:
        seen[result.rank] = seen.get(result.rank, 0) + 1
    return {rank for rank, count in seen.items() if count > 1}


def problems_view(problems: list[Problem], title: str = "问题") -> Table | Text:
    problems = condensed(problems)
    if not problems:
        return Text("")
    table = Table(box=box.SIMPLE_HEAD, title=title or None, title_style="bold", show_header=bool(title))
    table.add_column("级别")
    table.add_column("位置", overflow="fold")
    table.add_column("问题", overflow="fold")
    for problem in problems:
        style = "red" if problem.level == Level.ERROR else "yellow"
        table.add_row(Text(LEVEL_LABELS[problem.level], style=style), problem.where(), problem.message)
    return table


def condensed(problems: list[Problem]) -> list[Problem]:
    """Problems as the terminal lists them: a file's 印证材料 warnings in one line where it has
    several (a unit without evidence has one per clause; the feedback sheet and --json list each).
    """
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.family == Family.EVIDENCE and problem.level == Level.WARNING:
            by_file.setdefault(problem.file, []).append(problem)
    shown, said = [], set()
    for problem in problems:
        evidence = problem.family == Family.EVIDENCE and problem.level == Level.WARNING
        group = by_file.get(problem.file) if evidence else None
        if group is None or len(group) == 1:
            shown.append(problem)
        elif problem.file not in said:
            said.add(problem.file)
            counts = Counter(CATALOGUE[p.code].title for p in group)
            ids = "、".join(dict.fromkeys(p.clause for p in group if p.clause))
            text = "；".join(f"{title} {n} 处" for title, n in counts.items())
            shown.append(Problem(group[0].code, f"印证材料：{text}（编号 {ids}）；逐条见反馈单或 --json",
                                 Level.WARNING, problem.file, problem.sheet))
    return shown


def verification_view(found) -> Table | Text:
    """What ``archive verify`` found: all files as listed, or each difference."""
    if found.ok:
        return Text(f"归档完好：{found.checked} 个文件的大小和 sha256 均与归档清单一致。", style="green")
    table = Table(box=box.SIMPLE_HEAD, title=f"归档与清单不一致（{len(found.differences)} 处）", title_style="bold")
    table.add_column("文件", overflow="fold")
    table.add_column("问题", overflow="fold")
    for path, what in found.differences:
        table.add_row(path, Text(what, style="red"))
    return table


def missing_view(missing: list[str], incomplete: list[str] = ()) -> Text:
    """Who has not answered: no source at all (未提交), or no workbook while the other sources
    leave clauses unanswered."""
    if not missing and not incomplete:
        return Text("名单中的单位均已提交。", style="green")
    lines = [f"未提交（{len(missing)}）：" + "、".join(missing)] if missing else []
    if incomplete:
        lines.append(f"未提交单位评分表、其他来源也未涵盖全部条款（{len(incomplete)}）：" + "、".join(incomplete))
    return Text("\n".join(lines), style="yellow")


def previous_only_view(previous) -> Text:
    """The units ranked last season that have no result now (renamed without 曾用名, merged, gone)."""
    if not previous.only:
        return Text("")
    names = "、".join(f"{s.unit}（上年第{s.rank}名）" for s in previous.only)
    return Text(f"上年参加排名、本年无结果（{len(previous.only)}）：{names}", style="yellow")


def rules_list_view(rules_sets: list[RuleSet]) -> Table:
    table = Table(box=box.SIMPLE_HEAD)
    for name in ("编号", "名称", "版本", "条款数", "sha256"):
        table.add_column(name)
    for rs in rules_sets:
        table.add_row(rs.id, rs.title, str(rs.version), str(len(rs.clauses)), rs.sha256[:12])
    return table


def rules_view(rules: RuleSet) -> Group:
    """Categories with weights, every clause with kind, per, cap, max and whether it asks for
    印证材料; the scoring and evidence policies; then the errata."""
    parts = [Text(f"{rules.title}（{rules.label()}，满分 {show(rules.full_marks)}）", style="bold"),
             Text("计分规则：" + policy_text(rules)), Text("印证材料：" + evidence_policy_text(rules))]
    for category in rules.categories:
        parts.append(_clause_table(f"{category.name}（{show(category.weight)}分）", category.indicators))
    for section in rules.sections:
        parts.append(_clause_table(section.name, section.indicators))
    errata = Table(box=box.SIMPLE_HEAD, title="勘误", title_style="bold")
    for name in ("编号", "位置", "原表", "处理"):
        errata.add_column(name, overflow="fold")
    for erratum in rules.errata:
        errata.add_row(erratum.id, erratum.where, erratum.source, erratum.decision)
    parts.append(errata)
    return Group(*parts)


def _clause_table(title: str, indicators: tuple[Indicator, ...]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=title, title_style="bold", title_justify="left")
    for name in ("编号", "二级指标", "三级指标", "赋分", "方式", "计分", "最多", "印证材料", "评分标准"):
        table.add_column(name, overflow="fold")
    for indicator, clause in ((i, c) for i in indicators for c in i.clauses):
        name = f"{indicator.name}（可{C.NOT_APPLICABLE}）" if indicator.allows_not_applicable else indicator.name
        table.add_row(clause.id, indicator.group, name, show(indicator.points),
                      SCORING_KIND_LABELS[clause.kind] + ("·加分" if clause.bonus else ""),
                      clause_rule(clause), str(clause.max_count or ""), EVIDENCE_LABELS[clause.evidence], clause.text)
    return table


def parsed_view(result) -> Group:
    """Clauses read from a rule text, then the sentences left for a person."""
    table = Table(box=box.SIMPLE_HEAD, title="解析结果", title_style="bold")
    for name in ("方式", "每次分值", "上限", "最多", "原文"):
        table.add_column(name, overflow="fold")
    for clause in result.clauses:
        kind = SCORING_KIND_LABELS[clause.kind] + ("·加分" if clause.bonus else "") + ("·否决" if clause.veto else "")
        table.add_row(kind,
                      show(clause.per), show(clause.cap) or "—", str(clause.max_count or ""), clause.text)
    parts = [table]
    if result.not_applicable:
        parts.append(Text(f"本指标可{C.NOT_APPLICABLE}（na: true）"))
    if result.bonus_min_total is not None:
        parts.append(Text(f"加分门槛：总分达到 {show(result.bonus_min_total)} 分方可加分（policy.bonus_min_total）"))
    if result.unparsed:
        parts.append(Text("未解析（请人工录入）：\n" + "\n".join(f"  {u}" for u in result.unparsed), style="yellow"))
    return Group(*parts)
