"""Find every number-with-unit in running (clean) Chinese news text.

A number counts only with a unit or measure word right after it (``909.4亿元``, ``48.3%``,
``29个``, ``2个百分点``, ``增长2.1倍``, ``三成``), or in a percent form (``百分之四十``,
``千分之五``).  Dates and times, ordinals (第三次), formulas and codes (7×24, 1+1+4, G236,
5A级), numbers before 大 (五大产业) and a bare 一 used as an article (一个, 一批) are not
quantities.  Values are exact Decimals in the canonical unit with multipliers folded in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from zonedb.numbers import QUALIFIERS, QUALIFIERS_POST, QUALIFIERS_PRE, Amount, parse_amount
from zonedb.units import lookup_unit, unit_words

__all__ = ["Quantity", "find_quantities"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity found in a text; ``text[start:end] == printed``."""

    start: int
    end: int
    number_start: int
    number_end: int
    value: Decimal
    high: Decimal | None
    unit: str
    dimension: str
    qualifier: str | None
    printed: str


_CN = "零〇一二三四五六七八九两俩兩倆壹贰貳叁參肆伍陆陸柒捌玖廿卅卌"
_MULT = "十百千万亿拾佰仟萬億"
_ARABIC = r"[0-9]+(?:,[0-9]{3}(?![0-9]))*(?:\.[0-9]+)?"
_BODY = (
    rf"(?:{_ARABIC}|[{_CN}{_MULT}])"
    rf"(?:[0-9]+(?:\.[0-9]+)?|[{_CN}{_MULT}]|[点點](?=[0-9{_CN}])|[余多几](?=[{_MULT}])"
    r"|[ \t](?=[万亿千百]))*"
)
_RANGE = "—–~～〜至到-"
_NUMBER_RE = re.compile(
    rf"(?:[负-])?(?:(?P<pct>百分之|千分之|万分之)(?:负)?(?:{_BODY})"
    rf"|(?:{_BODY})(?:[{_RANGE}](?:{_BODY}))?)"
)
_DIGIT_OR_TEN = frozenset("0123456789" + _CN + "十拾")
_UNIT_WORDS: dict[str, str] = {w: w for w in unit_words()}
_UNIT_WORDS["成"] = "成"
_APPROX_CHARS = "余多几"
_POST = dict(QUALIFIERS_POST)
_PRE: dict[str, str] = {w: c for w, c in QUALIFIERS_PRE.items()}
_FORMULA = frozenset("×+/*＊=＝xX")
_BLOCK_BEFORE = frozenset("第")
_ARTICLE_ONE = frozenset({"一", "壹"})
_CN_DIGITS = "0-9零〇一二三四五六七八九两壹贰貳叁參肆伍陆陸柒捌玖"
_MONEY_TAIL_RE = re.compile(rf"[{_CN_DIGITS}]+[角毛](?:[{_CN_DIGITS}]+分)?|零?[{_CN_DIGITS}]+分")
_MONEY_MAIN = frozenset({"元", "块", "圆"})


def _by_first(words: dict[str, str]) -> dict[str, tuple[int, ...]]:
    """First character -> lengths of the words starting with it, longest first."""
    out: dict[str, set[int]] = {}
    for w in words:
        out.setdefault(w[0], set()).add(len(w))
    return {c: tuple(sorted(v, reverse=True)) for c, v in out.items()}


_UNIT_FIRST = _by_first(_UNIT_WORDS)
_POST_FIRST = _by_first(_POST)
_PRE_LAST: dict[str, tuple[int, ...]] = {}
for _w in _PRE:
    _PRE_LAST[_w[-1]] = tuple(sorted({len(_w), *_PRE_LAST.get(_w[-1], ())}, reverse=True))


def _match_word(text: str, pos: int, table: dict[str, str], first: dict[str, tuple[int, ...]]) -> str | None:
    lens = first.get(text[pos:pos + 1])
    if lens is None:
        return None
    for n in lens:
        w = text[pos:pos + n]
        if w in table:
            return w
    return None


def _match_pre(text: str, pos: int) -> str | None:
    lens = _PRE_LAST.get(text[pos - 1:pos]) if pos > 0 else None
    if lens is None:
        return None
    for n in lens:
        if pos - n >= 0 and text[pos - n:pos] in _PRE:
            return text[pos - n:pos]
    return None


# Arabic number with 万/亿 multipliers only: the common case, valued without the full parser.
_PLAIN_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?)([万亿]*)")
_MULT_OF = {"": 1, "万": 10**4, "亿": 10**8, "万亿": 10**12, "亿亿": 10**16, "万万": 10**8}


def _plain_value(body: str) -> Decimal | None:
    m = _PLAIN_RE.fullmatch(body)
    if m is None or "," in body:
        return None
    mult = _MULT_OF.get(m.group(2))
    if mult is None:
        return None
    value = Decimal(m.group(1)) * mult
    if value == value.to_integral_value():
        return Decimal(int(value))
    return Decimal(format(value, "f").rstrip("0"))


# The longest number token taken as a figure (real ones are far shorter).
_MAX_NUMBER_CHARS = 64


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == ".")


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, left to right, non-overlapping.

    >>> [(q.value, q.unit) for q in find_quantities("完成产值909.4亿元，占48.3%")]
    [(Decimal('90940000000'), '元'), (Decimal('48.3'), '%')]
    """
    out: list[Quantity] = []
    n = len(text)
    last_end = 0
    for m in _NUMBER_RE.finditer(text):
        ns, ne = m.span()
        if ns < last_end:
            continue
        body = m.group()
        if len(body) > _MAX_NUMBER_CHARS:
            continue  # not a printed figure, and beyond what exact arithmetic should attempt
        if ns > 0:
            before = text[ns - 1]
            if before in _BLOCK_BEFORE or before in _FORMULA or _is_ascii_alnum(before):
                continue
        pre = _match_pre(text, ns) if ns > 0 else None
        if pre is not None and out and out[-1].end > ns - len(pre):
            pre = None
        if pre is None and not any(ch in _DIGIT_OR_TEN for ch in body):
            continue  # 万元, 百亿: a bare multiplier is not a number, except in 逾千家, 近万人
        pct = m.group("pct")
        if not pct and body[-1] in "千百" and len(body) > 1:
            inner = _match_word(text, ne - 1, _UNIT_WORDS, _UNIT_FIRST)
            if inner is not None and len(inner) > 1:
                ne -= 1  # 3.2亿千瓦时, 2百分点: the unit word starts with 千/百
                body = body[:-1]
        end = ne
        if end < n and text[end] in _APPROX_CHARS:
            end += 1  # 30余万元, 15多家: one 余/多/几 (the parser refuses two in a row)
        unit_pos = end
        if unit_pos < n and text[unit_pos] in " \t":
            unit_pos += 1
        word = _match_word(text, unit_pos, _UNIT_WORDS, _UNIT_FIRST)
        if word is None and not pct:
            continue
        if word is not None:
            if word[0].isascii() and unit_pos + len(word) < n and _is_ascii_alnum(text[unit_pos + len(word)]):
                continue  # part of a longer Latin token
            end = unit_pos + len(word)
            if end < n and text[end] == "半":
                end += 1  # 一吨半
            elif word in _MONEY_MAIN:
                tail = _MONEY_TAIL_RE.match(text, end)  # 十块三毛, 123元1角1分
                if tail:
                    end = tail.end()
            # 5%-8%, 3万元至5万元: a second number with the same unit
            if end + 1 < n and text[end] in _RANGE:
                m2 = _NUMBER_RE.match(text, end + 1)
                if m2 and text.startswith(word, m2.end()):
                    end = m2.end() + len(word)
        elif end != ne:
            continue
        if end < n and text[end] in _FORMULA:
            continue
        if word is not None and body in _ARTICLE_ONE:
            unit = lookup_unit(word)
            if unit is not None and unit.dimension == "count":
                continue  # 一个, 一批: an article, not a count
        post = _match_word(text, end, _POST, _POST_FIRST)
        if post is not None:
            end += len(post)
        plain = None
        if word is not None and not pct and end == unit_pos + len(word) + (len(post) if post else 0):
            try:
                plain = _plain_value(body)
            except ArithmeticError:  # decimal overflow, e.g. 1E+999999 亿
                continue
        if plain is not None:
            unit = lookup_unit(word)  # type: ignore[arg-type]
            if unit is None:
                continue
            if word == "成":
                plain = plain * 10
            approx = text[ne:unit_pos].strip()[:1]
            amount = Amount(plain, None, unit.name,
                            QUALIFIERS.get(approx) if approx else (_POST[post] if post else None))
        else:
            try:
                amount = parse_amount(text[ns:end])
            except (ValueError, ArithmeticError):
                continue
            if amount.unit is None:
                continue
            unit = lookup_unit(amount.unit)
            if unit is None:
                continue
        start = ns
        qualifier = amount.qualifier
        if pre is not None:
            start = ns - len(pre)
            qualifier = _PRE[pre]
        last_end = end
        out.append(Quantity(start, end, ns, ne, amount.value, amount.high, unit.name,
                            unit.dimension, qualifier, text[start:end]))
    return out
