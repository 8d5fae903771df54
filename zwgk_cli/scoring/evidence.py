"""印证材料 checked (docs/scoring.md, Evidence): for each unit and clause, the evidence found
(:mod:`.holdings` looked it up), the names listed and not found, claims without evidence said,
and the rule set's ``evidence_policy`` applied.

A claim is a bonus given, a yes/no deduction answered "nothing found" (否, 0, or left blank), or a
count or amount of 0. Without any evidence found it is ``evidence-absent``; under ``strict``
(未提供印证材料的视为未开展) the bonus is not counted and the yes/no clause is scored as found; a
count keeps its count. A clause answered by an inspection matrix or a review row needs no evidence
from the unit. Pure functions of what was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from .. import constants as C
from ..exact import show
from ..model import (
    REQUIRED,
    SCORED_AS_FOUND,
    STRICT,
    WITHHELD,
    Entry,
    Evidence,
    Findings,
    Kind,
    RuleBook,
    RuleSet,
    UnitResult,
    WorkbookRead,
)
from ..problems import Problem, message
from .holdings import Resolution


@dataclass(slots=True)
class Proof:
    """What a clause's evidence came to for one unit."""

    items: list[Evidence] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    effect: str = ""


def check_units(findings: list[Findings], given: dict[str, dict[str, object]], book: RuleBook,
                resolution: Resolution, reads_by_file: dict[str, WorkbookRead],
                before: dict[str, Findings]) -> dict[str, dict[str, Proof]]:
    """Each unit's proofs by clause; warnings added to the unit's findings, and under ``strict``
    its entries changed where a claim lacks evidence (in ``before`` too, the review's baseline)."""
    proofs: dict[str, dict[str, Proof]] = {}
    links: dict[str, Evidence] = {}  # one per link, however many units list it
    for unit in findings:
        rules = book.find(unit.rules_id, unit.rules_version) or book.default
        own_read = reads_by_file.get(unit.file)
        if own_read is not None and own_read.kind != C.KIND_UNIT:  # a unit only matrices cover
            own_read = None
        if own_read is not None and not unit.evidence_column and any(c.evidence != "none" for c in rules.clauses):
            unit.warnings.append(Problem.of("evidence-no-column", file=unit.file, sheet=C.SCORE_SHEET))
        proofs[unit.unit] = _check_unit(unit, rules, given.get(unit.unit, {}), resolution, own_read, links)
        changed = {cid: p.effect for cid, p in proofs[unit.unit].items() if p.effect}
        for target in (unit, before.get(unit.unit)):
            if target is not None and changed:
                target.entries.update({cid: _effect_entry(rules, target.entries.get(cid), cid, effect)
                                       for cid, effect in changed.items()})
    return proofs


def _check_unit(unit: Findings, rules: RuleSet, given: dict, resolution: Resolution,
                own_read: WorkbookRead | None, links: dict[str, Evidence]) -> dict[str, Proof]:
    found: dict[str, Proof] = {}
    checked_column = own_read is not None and unit.evidence_column
    for clause in rules.clauses:
        entry = unit.entries.get(clause.id) or Entry(None)
        if not entry.evidence and not (checked_column and clause.evidence == REQUIRED):
            continue  # nothing listed, nothing asked for: the usual clause, passed over quickly
        source = given.get(clause.id)
        from_unit = source is None or source.source == C.UNIT_SOURCE
        file = unit.file if from_unit else source.file
        proof = Proof()
        for text in entry.evidence:
            outcome = resolution.outcomes.get(file, {}).get(text)
            if outcome is None:  # not read in its place (a row built by hand)
                continue
            if outcome.found is not None:
                f = outcome.found
                proof.items.append(Evidence(name=text, file=f.label, size=f.size, sha256=f.sha256))
            elif outcome.url:
                if outcome.url not in links:
                    links[outcome.url] = Evidence(url=outcome.url)
                proof.items.append(links[outcome.url])
            else:
                proof.missing.append(text)
                sheet = C.SCORE_SHEET if from_unit else source.sheet
                unit.warnings.append(Problem.of(outcome.code, outcome.variant, file=file, sheet=sheet,
                                                cell=entry.evidence_cell, value=text, id=clause.id, name=text,
                                                **dict(outcome.values)))
        checked = from_unit and checked_column
        if checked and clause.evidence == REQUIRED and not proof.items:
            _absent(unit, rules, clause, entry, proof)
        if proof.items or proof.missing or proof.effect:
            found[clause.id] = proof
    return found



def _absent(unit: Findings, rules: RuleSet, clause, entry: Entry, proof: Proof) -> None:
    """A claim without any evidence found: said, and under strict what the policy does."""
    quantity = entry.quantity
    if entry.not_applicable:
        return
    if clause.bonus:
        if not quantity:
            return
        variant = "bonus"
        effect = WITHHELD if rules.evidence_policy == STRICT else ""
    elif quantity:
        return  # a deduction found needs no proof
    else:
        variant = "flag" if clause.kind == Kind.FLAG else "count"
        effect = SCORED_AS_FOUND if rules.evidence_policy == STRICT and clause.kind == Kind.FLAG else ""
    said = {WITHHELD: "withheld", SCORED_AS_FOUND: "found"}.get(effect, "counted" if rules.evidence_policy == STRICT
                                                                else "")
    effect_text = message("evidence-absent", said, points=show(clause.per)) if said else ""
    raw = entry.raw or "（空白）"
    unit.warnings.append(Problem.of("evidence-absent", variant, file=unit.file, sheet=C.SCORE_SHEET,
                                    cell=entry.evidence_cell or _evidence_cell(unit, entry), value=entry.raw,
                                    id=clause.id, raw=raw, effect=effect_text))
    proof.effect = effect


def _evidence_cell(unit: Findings, entry: Entry) -> str:
    """The 印证材料 cell of an entry's row ("" when the entry has no cell)."""
    row = entry.cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return f"{unit.evidence_column}{row}" if row and unit.evidence_column else ""


def _effect_entry(rules: RuleSet, entry: Entry | None, clause_id: str, effect: str) -> Entry:
    """The entry as scored under strict: a bonus not counted, a yes/no clause as found."""
    entry = entry or Entry(None)
    quantity = Decimal(0) if effect == WITHHELD else Decimal(1)
    return replace(entry, quantity=quantity)


def with_proofs(results: list[UnitResult], proofs: dict[str, dict[str, Proof]]) -> None:
    """Each clause result just scored given the evidence found for it, what is missing and what
    the policy did (set on it: nothing else has seen it yet)."""
    for result in results:
        unit = proofs.get(result.unit)
        if not unit:
            continue
        for clause in result.clauses:
            proof = unit.get(clause.id)
            if proof is not None and (proof.items or proof.missing or proof.effect):
                clause.evidence, clause.evidence_missing = tuple(proof.items), tuple(proof.missing)
                clause.evidence_effect = proof.effect
