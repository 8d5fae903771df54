"""Reading a published 扣分标准/加分标准 sentence into clauses (kind, per, cap, bonus).

Only shapes that published tables use are read; a sentence it cannot read with
confidence goes to ``unparsed`` for manual entry — never a guess.

>>> r = parse_rule_text("部门信息公开不及时的，每发现一处，扣2分，扣分上限为8分。")
>>> [(c.kind, c.per, c.cap, c.bonus) for c in r.clauses], r.unparsed
([('count', Decimal('2'), Decimal('8'), False)], [])
>>> parse_rule_text("发现两次及以上的，不得分。", points=Decimal(4)).unparsed
['发现两次及以上的,不得分']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from ..exact import chinese_number

NUMBER = r"(\d+(?:\.\d+)?|[零一二两三四五六七八九十]+)"
_NUMBERING = re.compile(r"^(?:[①-⑳]|\(\d+\)|\([一二三四五六七八九十]+\)|\d+[、.](?!\d)|[一二三四五六七八九十]+、)\s*")
_AMOUNT = re.compile(rf"(扣|加|减)\s*{NUMBER}\s*分")
_CAP = re.compile(rf"(?:扣分|加分|减分)?(?:上限为?|最多(?:扣|加)?|最高(?:扣|加)?|累计不超过|不超过)\s*{NUMBER}\s*分")
_UNTIL_GONE = re.compile(r"扣完为止|扣完本项分值为止")
_DISCRETION = re.compile(rf"在\s*{NUMBER}\s*分(?:以)?内酌情(扣分|给分|加分|减分)")
_ZERO = re.compile(r"不得分|得0分|该项不得分")
_PER = re.compile(r"每(?:发现)?(?:一)?(?:处|条|例|件|次|项|个月|个|领域|篇|家|份)|每少一项|每缺一项|缺一项|"
                  r"(?:发现|有)(?:一)?(?:处|条|例|件|次|项|个)|"
                  # an occurrence without 每, right before its amount: 一件扣2分, 出现一个月扣1分
                  r"(?:出现)?一(?:个月|处|件|条|例|次|项|个|篇|家|份),?(?=扣|加|减)")
_PER_ITEM = re.compile(r"每一?项|每少一项|每缺一项")
_SAMPLED = re.compile(r"抽查[^,;]*?(\d+)\s*(?:件|份|个|篇)")
_LIST = re.compile(r"([\u4e00-\u9fff]{1,8}(?:、[\u4e00-\u9fff]{1,8})+)")
_RESPECTIVELY = re.compile(r"分别(加|扣)((?:\d+(?:\.\d+)?分[、和及]?)+)")
_DOUBLE = re.compile(r"双倍扣分|加倍扣分")  # the points lost elsewhere, deducted twice
# The rules of other schemes: 一票否决, an indicator that may not apply, a bonus threshold.
_VETO = re.compile(r"(?:,?(?:并且|并|同时))?(?:实行|予以|给予)?(?:一票否决|单项否决)")
# 按比例折算 alone is no 不适用 (公开率不足的按比例折算扣分 is a percentage rule for a person): it
# counts only beside 不适用 or 无此项工作, which these words already find.
_NOT_APPLICABLE = re.compile(r"不适用|无此项工作(?:的)?(?:,)?(?:不扣分)?")
_THRESHOLD = re.compile(rf"总分(?:达到|在)?\s*{NUMBER}\s*分(?:及)?以上(?:的)?,?[^;]*?方(?:可|能)?(?:计|加)分")
# A bracketed aside holding a rule of its own: "（每发现一件扣2分）", "（未开设栏目的，不适用）".
_BRACKETED = re.compile(r"\(([^()]*)\)")
# Shapes that need a person: escalations, percentages, judgement without an amount.
_UNSURE = re.compile(r"及以上|以上的|%|百分|比例|根据实际情况|视情况|酌情(?!扣分|给分|加分|减分)|另行|倍")


@dataclass(frozen=True)
class ParsedClause:
    kind: str  # flag | count | amount
    per: Decimal
    cap: Decimal | None
    bonus: bool
    text: str
    max_count: int | None = None
    veto: bool = False  # 一票否决 / 单项否决

    def to_dict(self) -> dict:
        from ..exact import json_number

        return {"kind": self.kind, "per": json_number(self.per),
                "cap": None if self.cap is None else json_number(self.cap), "bonus": self.bonus,
                "max": self.max_count, "veto": self.veto, "text": self.text}


@dataclass
class ParseResult:
    clauses: list[ParsedClause] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    not_applicable: bool = False  # 不适用 / 无此项工作的不扣分 / 按比例折算: the indicator's na
    bonus_min_total: Decimal | None = None  # 总分达到X分以上的，方可加分

    def to_dict(self) -> dict:
        from ..exact import json_number

        threshold = None if self.bonus_min_total is None else json_number(self.bonus_min_total)
        return {"clauses": [c.to_dict() for c in self.clauses], "unparsed": list(self.unparsed),
                "not_applicable": self.not_applicable, "bonus_min_total": threshold}


def _number(text: str) -> Decimal:
    value = chinese_number(text)
    return Decimal(value) if value is not None else Decimal(text)


def normalise(text: str) -> str:
    """Half-width punctuation and digits, no spaces: "扣 4 分，" -> "扣4分,"."""
    text = re.sub(r"[①-⑳]", ";", text)  # circled numbers start rules; NFKC would turn them into digits
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text).replace("。", ";")
    return _BRACKETED.sub(_unbracket, text)


def _unbracket(found: re.Match) -> str:
    """A bracketed rule loses its brackets (it reads as a part of its sentence); other asides stay."""
    inside = found.group(1).strip(",;")
    ruled = _AMOUNT.search(inside) or _ZERO.search(inside) or _DISCRETION.search(inside) or _VETO.search(inside) \
        or _NOT_APPLICABLE.search(inside) or _THRESHOLD.search(inside)
    return f",{inside}," if ruled else found.group(0)


def split_rules(text: str) -> list[str]:
    """Sentences, then complete rules inside a sentence (a rule ends after its amount and cap)."""
    pieces: list[str] = []
    for sentence in re.split(r"[;\n]", normalise(text)):
        sentence = _NUMBERING.sub("", sentence.strip(" ,"))
        if not sentence:
            continue
        if pieces and _is_cap(sentence) and not _AMOUNT.search(sentence):
            pieces[-1] += "," + sentence  # "…扣1分。扣分上限为6分。": the cap belongs to the rule before
            continue
        current: list[str] = []
        for part in sentence.split(","):
            if current and _complete(current) and not _is_cap(part) and not _VETO.fullmatch(part):
                pieces.append(",".join(current))
                current = []
            current.append(part)
        if current:
            pieces.append(",".join(current))
    return [p.strip(",") for p in pieces if p.strip(",()")]


def _complete(parts: list[str]) -> bool:
    joined = ",".join(parts)
    return bool(_AMOUNT.search(joined) or _ZERO.search(joined) or _DISCRETION.search(joined)
                or _DOUBLE.search(joined) or _VETO.search(joined))


def _is_cap(part: str) -> bool:
    return bool(_CAP.fullmatch(part) or _UNTIL_GONE.search(part) or _CAP.match(part))


def parse_rule_text(text: str, points: Decimal | None = None) -> ParseResult:
    """All clauses of one 扣分标准 or 加分标准 cell; ``points`` is the indicator's 赋分.

    "A的；B的，每项分别加6分、3分" gives A 6 and B 3 (the conditions before it have no amount).
    """
    result = ParseResult()
    waiting: list[str] = []  # conditions without an amount, for a later 分别
    for piece in split_rules(text):
        if _scheme_piece(piece, result):
            continue
        respectively = _RESPECTIVELY.search(piece)
        if respectively:
            amounts = re.findall(NUMBER + r"分", respectively.group(2))
            conditions = [*waiting, piece]
            if len(amounts) == len(conditions):
                bonus = respectively.group(1) == "加"
                result.clauses += [ParsedClause("count", _number(a), None, bonus, c)
                                   for a, c in zip(amounts, conditions, strict=True)]
            else:
                result.unparsed += conditions
            waiting = []
            continue
        if not _complete([piece]):
            waiting.append(piece)
            continue
        result.unparsed += waiting
        waiting = []
        clause = parse_one(piece, points)
        if clause is None:
            result.unparsed.append(piece)
        else:
            result.clauses.append(clause)
    result.unparsed += waiting
    return result


def _scheme_piece(piece: str, result: ParseResult) -> bool:
    """A piece that is not a clause but a rule about the indicator (不适用) or the bonuses (总分达到
    X分以上的，方可加分): recorded on ``result``; True when ``piece`` was one."""
    threshold = _THRESHOLD.search(piece)
    if threshold and not _AMOUNT.search(_THRESHOLD.sub("", piece)):
        result.bonus_min_total = _number(threshold.group(1))
        return True
    if _NOT_APPLICABLE.search(piece) and not _complete([piece]):
        result.not_applicable = True
        return True
    return False


def parse_one(piece: str, points: Decimal | None) -> ParsedClause | None:
    """One rule, or None when it cannot be read with confidence."""
    if _VETO.search(piece):
        return _veto(piece, points)
    if _DOUBLE.search(piece):
        return ParsedClause("amount", Decimal(2), None, False, piece)
    if _UNSURE.search(piece):
        return None
    discretion = _DISCRETION.search(piece)
    if discretion:
        bonus = discretion.group(2) in ("给分", "加分")
        return ParsedClause("amount", Decimal(1), _number(discretion.group(1)), bonus, piece)
    amounts = _AMOUNT.findall(_CAP.sub("", piece))
    if _ZERO.search(piece) and not amounts:
        return None if points is None else ParsedClause("flag", points, None, False, piece)
    if len(amounts) != 1:
        return None
    verb, value = amounts[0]
    bonus = verb == "加"
    cap = _cap_of(piece, points)
    if cap is False:
        return None
    if not _PER.search(piece):
        return ParsedClause("flag", _number(value), None, bonus, piece) if cap is None else None
    return ParsedClause("count", _number(value), cap, bonus, piece, None if bonus else _max_count(piece))


def _veto(piece: str, points: Decimal | None) -> ParsedClause | None:
    """一票否决 alone (a 是否 clause without points), or with the deduction its rule also states."""
    rest = _VETO.sub("", piece).strip(",")
    if _UNSURE.search(piece):  # 视情况一票否决, 两次及以上的一票否决: a person decides
        return None
    if not _complete([rest]):
        return ParsedClause("flag", Decimal(0), None, False, piece, veto=True)
    clause = parse_one(rest, points)
    if clause is None or clause.bonus:
        return None
    return ParsedClause(clause.kind, clause.per, clause.cap, False, piece, clause.max_count, veto=True)


def _cap_of(piece: str, points: Decimal | None) -> Decimal | None | bool:
    """The cap a rule states; False when it says 扣完为止 but no 赋分 is known."""
    found = _CAP.search(piece)
    if found:
        return _number(found.group(1))
    if _UNTIL_GONE.search(piece):
        return points if points is not None else False
    return None


def _max_count(piece: str) -> int | None:
    """How many times a count can occur, where the rule says so.

    抽查…2件 → 2; 每一项/每少一项 over an enumeration 机构、人员、经费 → 3.
    """
    sampled = _SAMPLED.search(piece)
    if sampled:
        return int(sampled.group(1))
    if _PER_ITEM.search(piece):
        listed = _LIST.search(piece)
        if listed:
            return len(listed.group(1).split("、"))
    return None
