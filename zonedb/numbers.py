"""Parse ONE Chinese / Arabic number expression into an exact :class:`~decimal.Decimal`.

Handles Arabic numbers (``1,234.5``, ``.77``, full-width digits), Chinese numerals (小写, 大写,
traditional, 两/俩/廿/卅/卌/〇), colloquial elisions (三万二, 两千六, 千三, 13万2), mixed forms
(3.5万, 1万2千, 1.2万亿, 200亿零四千230), Latin multipliers (15k, 30w, 1.04M, 8kw), 点
decimals read digit by digit (一七二零点一三四), fractions (三分之一, 三百五十又3分之1, 一半,
半百), percent forms (百分之四十, 48.3%, 2个百分点, 三成), money with 角/分 (十块三毛),
ranges (3—5亿元, 三五百, 十七八万, 几十万) and qualifiers (约, 超过, 以上, 余, 多 …), which
are reported but never change the value.

:func:`parse_amount` returns an :class:`Amount` (value in the stated unit, multipliers folded
in); :func:`parse_number` returns just the number, or ``(low, high)`` for a range.
Invalid input raises :class:`ValueError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal, DecimalException, getcontext, localcontext
from typing import Any

from zonedb.textnorm import fold_width
from zonedb.units import CURRENCY_NAMES, Unit, lookup_unit, unit_words

__all__ = ["QUALIFIERS", "Amount", "canonical_qualifier", "parse_amount", "parse_number"]

_CTX = Context(prec=40)
# Sums and products of parsed decimals stay exact below this many significant digits.
_MIN_PREC = 28

# ----------------------------------------------------------------------------- token kinds
DIG, NUM, SMALL, BIG, POINT, DASH, NEG, FRAC, AND, RANGE, JI, APPROX, HALF = range(13)
UNIT, SUB, SKIP, QPRE, QPOST = range(13, 18)

_CORE_KINDS = frozenset({DIG, NUM, SMALL, BIG, POINT, DASH, NEG, FRAC, AND, RANGE, JI, APPROX, HALF})
_NUMBER_START = frozenset({DIG, NUM, SMALL, BIG, POINT, DASH, NEG, JI, HALF})

Token = tuple[int, Any, str]

_DIGITS: dict[str, int] = {}
for _chars, _v in (
    ("零〇○洞", 0), ("一壹幺", 1), ("二贰貳两兩俩倆", 2), ("三叁參叄", 3), ("四肆", 4),
    ("五伍", 5), ("六陆陸", 6), ("七柒", 7), ("八捌", 8), ("九玖", 9),
):
    for _c in _chars:
        _DIGITS[_c] = _v
_SMALLS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIGS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_LATIN = {"k": 10**3, "K": 10**3, "w": 10**4, "W": 10**4, "M": 10**6, "kw": 10**7, "Kw": 10**7}

#: Qualifier words and their canonical form.
QUALIFIERS_PRE: dict[str, str] = {
    "约": "约", "大约": "约", "大概": "约", "近": "近", "将近": "近", "接近": "近",
    "超": "超过", "超过": "超过", "超过了": "超过", "逾": "逾", "至少": "至少", "最少": "至少",
    "不少于": "至少", "不低于": "至少", "小于": "小于", "低于": "小于", "少于": "小于",
    "大于": "大于", "高于": "大于", "多于": "大于", "不到": "不到", "不足": "不足",
    "不超过": "不超过", "最多": "最多",
}
QUALIFIERS_POST: dict[str, str] = {
    "以上": "以上", "以下": "以下", "左右": "左右", "上下": "上下", "以内": "以内", "之多": "多",
    "有余": "余", "开外": "多", "出头": "多",
}
_APPROX = {"多": "多", "余": "余", "几": "几"}
#: Every qualifier word (pre and post) -> canonical form.
QUALIFIERS: dict[str, str] = {**QUALIFIERS_PRE, **QUALIFIERS_POST, **_APPROX}

_SUBS = {"角": Decimal("0.1"), "毛": Decimal("0.1"), "分": Decimal("0.01"), "美分": Decimal("0.01"),
         "仙": Decimal("0.01")}
_SKIPS = ("钱", "整", "正", "（含）", "(含)", "（不含）", "(不含)", "了")
_RANGES = ("至", "到", "~", "～", "〜", "—", "–", "——", "－")
_CURRENCY_PREFIXES = frozenset({"人民币", "港币", "港元", "新台币", "台币", "美元", "美金", "RMB",
                                "欧元", "日元", "英镑", "韩元"})
_GENERIC_YUAN = "元"


def _word_tokens() -> dict[str, Token]:
    table: dict[str, Token] = {}
    for w in unit_words():
        table[w] = (UNIT, w, w)
    table["成"] = (UNIT, "成", "成")
    for w, f in _SUBS.items():
        table[w] = (SUB, f, w)
    for w in _SKIPS:
        table[w] = (SKIP, None, w)
    for w, c in QUALIFIERS_PRE.items():
        table[w] = (QPRE, c, w)
    for w, c in QUALIFIERS_POST.items():
        table[w] = (QPOST, c, w)
    for w in _RANGES:
        table[w] = (RANGE, None, w)
    table["分之"] = (FRAC, None, "分之")
    table["个亿"] = (BIG, 10**8, "个亿")
    table["个万"] = (BIG, 10**4, "个万")
    table["kw"] = (BIG, 10**7, "kw")
    table["Kw"] = (BIG, 10**7, "Kw")
    return table


_WORDS = _word_tokens()
_CHARS: dict[str, Token] = {}
for _c, _v in _DIGITS.items():
    _CHARS[_c] = (DIG, _v, _c)
for _c, _v in _SMALLS.items():
    _CHARS[_c] = (SMALL, _v, _c)
for _c, _v in _BIGS.items():
    _CHARS[_c] = (BIG, _v, _c)
for _c, _v in _LATIN.items():
    _CHARS.setdefault(_c, (BIG, _v, _c))
for _c in "点點":
    _CHARS[_c] = (POINT, None, _c)
_CHARS["."] = (POINT, None, ".")
_CHARS["-"] = (DASH, None, "-")
for _c in "负負":
    _CHARS[_c] = (NEG, None, _c)
_CHARS["又"] = (AND, None, "又")
_CHARS["几"] = (JI, None, "几")
_CHARS["幾"] = (JI, None, "幾")
_CHARS["多"] = (APPROX, "多", "多")
_CHARS["余"] = (APPROX, "余", "余")
_CHARS["餘"] = (APPROX, "余", "餘")
_CHARS["半"] = (HALF, None, "半")
# 廿/卅/卌 are two tokens each: a digit and 十.
_COMPOSITE = {"廿": 2, "卅": 3, "卌": 4}

# Scientific notation is accepted so that str() of any returned Decimal parses back.
_ARABIC = r"(?:[0-9]+(?:[,，][0-9]{3}(?![0-9]))*(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3}(?![0-9]))?"
_ARABIC_RE = re.compile(_ARABIC)
_ARABIC_START = frozenset("0123456789.")
# Multi-character words by first character, longest first (one dict probe per length).
_MULTI: dict[str, tuple[int, ...]] = {}
for _w in _WORDS:
    if len(_w) > 1:
        _MULTI[_w[0]] = tuple(sorted({len(_w), *_MULTI.get(_w[0], ())}, reverse=True))
# 百分 without 之 is a percent prefix only before a number (百分三十, 百分百).
_PCT_NEXT = frozenset("负負-0123456789.零〇一二三四五六七八九十百两點点壹贰貳叁參肆伍陆陸柒捌玖拾佰")
_PCT_TOKENS = ((SMALL, 100, "百"), (FRAC, None, "分"))


# Characters that make one token each.  When a text holds none of the multi-character words,
# no Arabic digit, no 百分 and no other character, it is tokenised by a dict lookup per char.
_ONE_CHAR: dict[str, Token] = {
    c: t for c, t in {**{w: t for w, t in _WORDS.items() if len(w) == 1}, **_CHARS}.items()
    if len(c) == 1 and c not in _ARABIC_START
}
# Single-character tokens that never start a longer word.
_PLAIN_CHAR: dict[str, Token] = {c: t for c, t in _ONE_CHAR.items() if c not in _MULTI and c != "百"}
_OTHER_CHAR_RE = re.compile("[^" + "".join(re.escape(c) for c in sorted(_ONE_CHAR)) + "]")


def _multi_word_re() -> re.Pattern[str]:
    by_first: dict[str, list[str]] = {}
    for w in _WORDS:
        if len(w) > 1:
            by_first.setdefault(w[0], []).append(w[1:])
    by_first.setdefault("百", []).append("分")
    return re.compile("|".join(
        re.escape(c) + "(?:" + "|".join(re.escape(r) for r in sorted(rest, key=len, reverse=True)) + ")"
        for c, rest in sorted(by_first.items())))


_MULTI_WORD_RE = _multi_word_re()


def _tokenize(s: str) -> list[Token]:
    """Split a whitespace-free expression into tokens; raise ValueError on a stray character."""
    if _OTHER_CHAR_RE.search(s) is None and _MULTI_WORD_RE.search(s) is None:
        return [_ONE_CHAR[c] for c in s]  # every character is a token of its own
    toks: list[Token] = []
    append = toks.append
    plain = _PLAIN_CHAR
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        tok = plain.get(c)
        if tok is not None:
            append(tok)
            i += 1
            continue
        if c in _ARABIC_START:
            m = _ARABIC_RE.match(s, i)
            if m is not None:
                txt = m.group()
                if txt.isdigit():
                    append((NUM, int(txt), txt))
                else:
                    append((NUM, Decimal(txt.replace(",", "").replace("，", "")), txt))
                i = m.end()
                continue
        lens = _MULTI.get(c)
        if lens is not None:
            for size in lens:
                tok = _WORDS.get(s[i:i + size])
                if tok is not None:
                    append(tok)
                    i += size
                    break
            else:
                tok = None
            if tok is not None:
                continue
        if c == "百" and s[i + 1:i + 2] == "分" and s[i + 2:i + 3] in _PCT_NEXT and i + 2 < n:
            toks.extend(_PCT_TOKENS)
            i += 2
            continue
        tok = _CHARS.get(c) or _WORDS.get(c)
        if tok is not None:
            append(tok)
        elif c in _COMPOSITE:
            append((DIG, _COMPOSITE[c], c))
            append((SMALL, 10, c))
        else:
            raise ValueError(f"unexpected character {c!r} in number expression")
        i += 1
    return toks


# ----------------------------------------------------------------------------- core grammar
def _int_part(toks: list[Token]) -> tuple[Decimal | int, bool]:
    """Integer grammar over digit / multiplier tokens; return (value, saw_any_numeral)."""
    result: Decimal | int = 0
    section: Decimal | int = 0
    pending: Decimal | int | None = None
    single = False          # pending is one digit (candidate for a colloquial elision)
    zero = False            # 零 seen since the last multiplier
    last_small = 0          # last 十/百/千 in the current section
    last_unit = 0           # last multiplier of any kind
    max_big = 0
    prev = -1
    seen = False
    for kind, val, _txt in toks:
        if kind == DIG:
            seen = True
            if prev == DIG and pending is not None:
                pending = pending * 10 + val  # type: ignore[operator]
                single = False
            elif val == 0 and prev != DIG:
                if pending is not None:
                    raise ValueError("零 after a bare digit")
                zero = True
            else:
                if pending is not None:
                    raise ValueError("two numbers without a multiplier between them")
                pending = val  # type: ignore[assignment]
                single = True
        elif kind == NUM:
            seen = True
            if pending is not None:
                raise ValueError("two numbers without a multiplier between them")
            pending = val  # type: ignore[assignment]
            single = len(_txt) == 1
        elif kind == SMALL:
            seen = True
            if last_small and val >= last_small:  # type: ignore[operator]
                raise ValueError("multipliers out of order")
            p = 1 if pending is None else pending
            section = section + p * val  # type: ignore[operator]
            last_small = last_unit = val  # type: ignore[assignment]
            pending = None
            zero = False
        elif kind == BIG:
            seen = True
            tail: Decimal | int = 0
            if pending is not None:
                tail = pending * (last_small // 10) if (single and not zero and last_small >= 100) else pending
            cur = section + tail
            if pending is None and not section:
                if not result and not max_big:
                    cur = 1
                elif val < max_big:  # type: ignore[operator]
                    raise ValueError("multipliers out of order")
            if val >= max_big:  # type: ignore[operator]
                result = (result + cur) * val  # type: ignore[operator]
                max_big = val  # type: ignore[assignment]
            else:
                result = result + cur * val  # type: ignore[operator]
            section = 0
            last_small = 0
            last_unit = val  # type: ignore[assignment]
            pending = None
            zero = False
        else:
            raise ValueError("unexpected token in a number")
        prev = kind
    if pending is not None:
        if single and not zero and last_unit >= 100:
            pending = pending * (last_unit // 10)
        section = section + pending
    return result + section, seen


# Pure Chinese integer numerals are valued straight from the characters (same grammar as
# _int_part, without building tokens): digit -> 0..9, 十/百/千 -> 10..1000, 万/亿 -> 10**4, 10**8.
_CN_CODE: dict[str, int] = {**_DIGITS, **_SMALLS, **_BIGS}
_CN_ONLY_RE = re.compile("[负負-]?[" + "".join(sorted(_CN_CODE)) + "]+")


def _cn_int(s: str) -> int | None:
    """Value of a (signed) pure Chinese integer numeral, or None to defer to the token grammar."""
    neg = s[0] in "负負-"
    code = _CN_CODE
    result = section = 0
    pending = -1            # -1: no pending digit
    single = zero = prev_digit = False
    last_small = last_unit = max_big = 0
    run = run_first = 0
    for c in s[1:] if neg else s:
        v = code[c]
        if v < 10:
            if prev_digit and pending >= 0:
                pending = pending * 10 + v
                single = False
                run += 1
            elif v == 0 and not prev_digit:
                if pending >= 0:
                    raise ValueError("零 after a bare digit")
                zero = True
            else:
                if pending >= 0:
                    raise ValueError("two numbers without a multiplier between them")
                pending = v
                single = True
                run = 1
                run_first = v
            prev_digit = True
            continue
        if run == 2 and pending >= 0 and 0 < run_first < pending % 10:
            return None  # 三五百, 十七八万: ranges, for the full grammar
        prev_digit = False
        run = 0
        if v < 10000:
            if last_small and v >= last_small:
                raise ValueError("multipliers out of order")
            section += v if pending < 0 else pending * v
            last_small = last_unit = v
            pending = -1
            zero = False
        else:
            if pending >= 0:
                cur = section + (pending * (last_small // 10) if single and not zero and last_small >= 100
                                 else pending)
            else:
                cur = section
                if not section:
                    if not result and not max_big:
                        cur = 1
                    elif v < max_big:
                        raise ValueError("multipliers out of order")
            if v >= max_big:
                result = (result + cur) * v
                max_big = v
            else:
                result += cur * v
            section = last_small = 0
            last_unit = v
            pending = -1
            zero = False
    if pending >= 0:
        section += pending * (last_unit // 10) if single and not zero and last_unit >= 100 else pending
    value = result + section
    return -value if neg else value


def _number(toks: list[Token]) -> Decimal | int:
    """One unsigned number: integer grammar, optional 点 fraction and trailing multipliers."""
    if not toks:
        raise ValueError("no number")
    if toks[-1][0] == HALF:
        if len(toks) == 2 and toks[0][0] == DIG and toks[0][1] == 1:
            return Decimal("0.5")  # 一半
        raise ValueError("misplaced 半")
    if toks[0][0] == HALF:  # 半百, 半万
        if len(toks) >= 2 and toks[1][0] in (SMALL, BIG):
            return Decimal("0.5") * _number([(DIG, 1, "一")] + toks[1:])
        raise ValueError("misplaced 半")
    point = -1
    for idx, t in enumerate(toks):
        if t[0] == POINT:
            if point >= 0:
                raise ValueError("two decimal points")
            point = idx
    if point < 0:
        value, seen = _int_part(toks)
        if not seen:
            raise ValueError("no digits")
        return value
    ipart, seen = _int_part(toks[:point]) if point else (0, False)
    digits: list[str] = []
    mult = 1
    for kind, val, txt in toks[point + 1:]:
        if kind == DIG and mult == 1:
            digits.append(str(val))
        elif kind == NUM and mult == 1 and txt.isdigit():
            digits.append(txt)
        elif kind == BIG and digits:
            mult *= val  # type: ignore[operator]
        else:
            raise ValueError("bad fractional part")
    if not digits:
        raise ValueError("no digits after the decimal point")
    frac = "".join(digits)
    if not seen and not point and not frac.strip("0"):
        raise ValueError("bare 点 with no significant digit")
    value = _CTX.add(Decimal(ipart), Decimal("0." + frac))
    return _CTX.multiply(value, Decimal(mult)) if mult != 1 else value


_PCT_DENOMS = {("百", 100): "%", ("佰", 100): "%", ("千", 1000): "‰", ("仟", 1000): "‰",
               ("万", 10**4): "‱", ("萬", 10**4): "‱"}


def _signed(toks: list[Token]) -> tuple[Decimal | int, bool]:
    if toks and toks[0][0] in (NEG, DASH):
        return _number(toks[1:]), True
    return _number(toks), False


def _fraction(toks: list[Token], f: int) -> tuple[Decimal | int, str | None]:
    """``den 分之 num`` (optionally ``whole 又 den 分之 num``); bare 百/千/万 give percent forms."""
    den_toks, num_toks = toks[:f], toks[f + 1:]
    num, neg = _signed(num_toks)
    if neg:
        num = -num
    if len(den_toks) == 1 and den_toks[0][0] in (SMALL, BIG):
        kind = _PCT_DENOMS.get((den_toks[0][2], den_toks[0][1]))  # type: ignore[arg-type]
        if kind is not None:
            return num, kind
    whole: Decimal | int = Decimal(0)
    for idx, t in enumerate(den_toks):
        if t[0] == AND:
            whole = _number(den_toks[:idx])
            den_toks = den_toks[idx + 1:]
            break
    den = _number(den_toks)
    if not den:
        raise ValueError("zero denominator")
    return _CTX.add(whole, _CTX.divide(num, den)), None


def _pair_range(toks: list[Token]) -> tuple[list[Token], list[Token]] | None:
    """三五百 / 十七八万 / 八九亿: two ascending Chinese digits before a multiplier."""
    n = len(toks)
    for i in range(n - 2):
        a, b, c = toks[i], toks[i + 1], toks[i + 2]
        if a[0] == POINT:
            break  # digits after 点 are read one by one
        if (a[0] == DIG and b[0] == DIG and c[0] in (SMALL, BIG)
                and 0 < a[1] < b[1]  # type: ignore[operator]
                and (i == 0 or toks[i - 1][0] != DIG)):
            return toks[:i] + [a] + toks[i + 2:], toks[:i] + [b] + toks[i + 2:]
    return None


@dataclass(slots=True)
class _Core:
    lo: Decimal | int
    hi: Decimal | int | None = None
    qualifier: str | None = None
    pct: str | None = None


def _approx_well_placed(kinds: list[int]) -> bool:
    """多/余/几 inside a number must sit between numerals, never next to 点 or to each other."""
    for idx, kind in enumerate(kinds):
        if kind in (APPROX, JI):
            if idx and kinds[idx - 1] not in (DIG, NUM, SMALL, BIG, NEG, DASH):
                return False
            if idx + 1 < len(kinds) and kinds[idx + 1] not in (SMALL, BIG):
                return False
    return True


def _single(toks: list[Token]) -> _Core:
    """A signed number, fraction, pair range or 几 range (no range connector inside)."""
    qualifier = None
    neg = False
    if toks and toks[0][0] in (NEG, DASH):
        neg = True
        toks = toks[1:]
    lead_ji = False
    kinds = [t[0] for t in toks]
    if APPROX in kinds or JI in kinds:  # 多/余/几 qualify the number; a leading 几 is a range
        if not _approx_well_placed(kinds):
            raise ValueError("misplaced 多/余/几")
        clean: list[Token] = []
        for idx, t in enumerate(toks):
            if t[0] == APPROX:
                qualifier = qualifier or t[1]  # type: ignore[assignment]
            elif t[0] == JI:
                if idx == 0 and len(toks) > 1 and toks[1][0] in (SMALL, BIG):
                    lead_ji = True
                    clean.append((DIG, 1, "一"))
                else:
                    qualifier = qualifier or "几"
            else:
                clean.append(t)
        toks = clean
        kinds = [t[0] for t in toks]
    if not toks:
        raise ValueError("no number")
    core: _Core
    f = kinds.index(FRAC) if FRAC in kinds else -1
    if f >= 0:
        value, pct = _fraction(toks, f)
        core = _Core(value, None, qualifier, pct)
    elif lead_ji:
        lo = _number(toks)
        core = _Core(lo, lo * 10, qualifier)
    else:
        pair = _pair_range(toks)
        if pair is not None:
            core = _Core(_number(pair[0]), _number(pair[1]), qualifier)
        else:
            core = _Core(_number(toks), None, qualifier)
    if neg:
        core.lo = -core.lo
        if core.hi is not None:
            core.hi = -core.hi
    return core


def _trailing_mult(toks: list[Token]) -> int:
    mult = 1
    for t in reversed(toks):
        if t[0] != BIG:
            break
        mult *= t[1]  # type: ignore[operator]
    return mult


def _core(toks: list[Token]) -> _Core:
    """Core tokens, possibly ``low RANGE high`` (3—5亿, 两到三万, 1万-5万)."""
    kinds = [t[0] for t in toks]
    if RANGE not in kinds and DASH not in kinds[1:]:
        return _single(toks)
    split = -1
    for idx, t in enumerate(toks):
        if t[0] == RANGE or (t[0] == DASH and idx > 0 and toks[idx - 1][0] not in (RANGE, DASH, NEG)):
            if split >= 0:
                raise ValueError("several range connectors")
            split = idx
    if split < 0:
        return _single(toks)
    left, right = toks[:split], toks[split + 1:]
    lo, hi = _single(left), _single(right)
    if lo.hi is not None or hi.hi is not None:
        raise ValueError("nested range")
    if not any(t[0] == BIG for t in left):
        mult = _trailing_mult(right)
        if mult != 1:
            lo.lo = lo.lo * mult
    pct = lo.pct or hi.pct
    if lo.pct and hi.pct and lo.pct != hi.pct:
        raise ValueError("range with different units")
    return _Core(lo.lo, hi.lo, lo.qualifier or hi.qualifier, pct)


# ----------------------------------------------------------------------------- amount
# Internal result: (value, high, unit, qualifier); values may still be int before tidying.
_Raw = tuple[Decimal | int, Decimal | int | None, str | None, str | None]
# Public result: tidied Decimals.
_Result = tuple[Decimal, Decimal | None, str | None, str | None]

@dataclass(frozen=True, slots=True)
class Amount:
    """A parsed expression: ``value`` (low end of a range) and ``high`` in canonical ``unit``."""

    value: Decimal
    high: Decimal | None = None
    unit: str | None = None
    qualifier: str | None = None


def canonical_qualifier(word: str) -> str | None:
    """Canonical form of a qualifier word (超 -> 超过, 大约 -> 约), or None if not one."""
    return QUALIFIERS.get(word)


def _read_core(toks: list[Token], i: int) -> int:
    """Index just past the core tokens starting at ``i``."""
    n = len(toks)
    j = i
    while j < n:
        kind = toks[j][0]
        if kind not in _CORE_KINDS:
            break
        # 一半 at the very end, 半 before a multiplier; otherwise 半 belongs to a unit.
        if (kind == HALF and j > i and not (j + 1 == n and j - i == 1)
                and not (j + 1 < n and toks[j + 1][0] in (SMALL, BIG))):
            break
        if kind == AND and not any(t[0] == FRAC for t in toks[j + 1:]):
            break
        if kind in (RANGE, DASH) and j > i and (j + 1 >= n or toks[j + 1][0] not in _NUMBER_START):
            break
        j += 1
    return j


def _canon_unit(word: str) -> str:
    unit = lookup_unit(word)
    if unit is None:
        raise ValueError(f"unknown unit {word!r}")
    return unit.name


_NUMERAL_KINDS = frozenset({DIG, NUM, SMALL, BIG, POINT})
_NO_UNIT = Unit("", "", "", Decimal(0))


def _fast(body: list[Token], kinds: list[int]) -> Decimal | int | None:
    """Value of a plain (signed) numeral without units, qualifiers or ranges; else None."""
    neg = kinds[0] in (NEG, DASH)
    if neg:
        body = body[1:]
        kinds = kinds[1:]
        if not kinds:
            return None
    if not _NUMERAL_KINDS.issuperset(kinds):
        return None
    if kinds.count(DIG) > 1:
        # 三五百, 十七八万 may be ranges: leave two digits before a multiplier to the full grammar
        point = kinds.index(POINT) if POINT in kinds else len(kinds)
        for idx in range(1, min(point, len(kinds) - 1)):
            if kinds[idx] == DIG == kinds[idx - 1] and kinds[idx + 1] in (SMALL, BIG) and body[idx][1]:
                return None
    if POINT in kinds:
        value = _number(body)
    else:
        value = _int_part(body)[0]
    return -value if neg else value


_MONEY_MAIN_WORDS = frozenset(w for w in unit_words() if (lookup_unit(w) or _NO_UNIT).dimension.startswith(
    "currency:"))


def _simple(toks: list[Token]) -> _Raw | None:
    """[qualifier] plain numeral [多/余] [unit] [qualifier]: the common shape, done directly."""
    kinds = [t[0] for t in toks]
    n = len(toks)
    i = 0
    pre = None
    while i < n and kinds[i] == QPRE:
        pre = pre or toks[i][1]
        i += 1
    prefix = None
    if i < n and kinds[i] == UNIT and toks[i][2] in _CURRENCY_PREFIXES:
        prefix = _canon_unit(toks[i][2])  # 港币两千元, 人民币8千元
        i += 1
        if i < n and kinds[i] == QPRE:
            return None
    j = n
    post = None
    while j > i and kinds[j - 1] in (QPOST, SKIP):
        if kinds[j - 1] == QPOST:
            post = toks[j - 1][1]
        j -= 1
    cents: Decimal | int = 0
    if j > i and kinds[j - 1] == SUB:
        # 123元1角1分, 十块三毛: single-digit 角/分 after a money unit
        while j - 2 > i and kinds[j - 1] == SUB and kinds[j - 2] in (DIG, NUM):
            digit = toks[j - 2]
            if digit[0] == NUM and not digit[2].isdigit():
                return None
            cents += digit[1] * toks[j - 1][1]  # type: ignore[operator]
            j -= 2
            if kinds[j - 1] == DIG and toks[j - 1][1] == 0:
                j -= 1  # 壹万元零壹分
        if kinds[j - 1] != UNIT or toks[j - 1][2] not in _MONEY_MAIN_WORDS:
            return None
    word = None
    if j > i and kinds[j - 1] == UNIT:
        word = toks[j - 1][2]
        j -= 1
    approx = None
    if j > i and kinds[j - 1] == APPROX:
        approx = toks[j - 1][1]
        j -= 1
    if j == i:
        return None
    if i or j < n:
        body = toks[i:j]
        kinds = kinds[i:j]
    else:
        body = toks
    if RANGE in kinds or DASH in kinds[1:]:
        return None  # ranges go to the full grammar
    if word is not None and kinds == [DIG, DIG] and 0 < body[0][1] < body[1][1]:  # type: ignore[operator]
        return None  # 两三个: a range, left to the full grammar
    pct = None
    if FRAC in kinds:
        # 百分之四十, 负千分之15, 三分之一, 一百万分之五: plain denominator and numerator
        if word is not None:
            return None
        neg = kinds[0] in (NEG, DASH)
        f = kinds.index(FRAC)
        den_toks = body[1 if neg else 0:f]
        if not den_toks or f + 1 >= len(kinds) or den_toks[0][0] in (NEG, DASH):
            return None
        if len(den_toks) == 1 and den_toks[0][0] in (SMALL, BIG):
            pct = _PCT_DENOMS.get((den_toks[0][2], den_toks[0][1]))  # type: ignore[arg-type]
        value = _fast(body[f + 1:], kinds[f + 1:])
        if pct is None and value is not None:
            if AND in kinds:
                return None
            den = _fast(den_toks, kinds[1 if neg else 0:f])
            if not den:
                return None
            value = _CTX.divide(value, den)
        if value is not None and neg:
            value = -value
    elif approx is None and (APPROX in kinds or JI in kinds):
        # 一千多万, 500余万, 二十几万: the qualifier sits inside; a leading 几 is a range
        if kinds[0] in (APPROX, JI) or kinds[0] in (NEG, DASH) and len(kinds) > 1 and kinds[1] in (APPROX, JI):
            return None
        if RANGE in kinds or DASH in kinds[1:] or not _approx_well_placed(kinds):
            return None
        approx = next(t[1] or "几" for t in body if t[0] in (APPROX, JI))  # type: ignore[misc]
        body = [t for t in body if t[0] not in (APPROX, JI)]
        value = _fast(body, [t[0] for t in body])
    else:
        value = _fast(body, kinds)
    if value is None:
        return None
    unit = pct
    if word is not None:
        unit = _canon_unit(word)
        if word == "成":
            value = value * 10
    if prefix is not None:
        if unit is not None and unit != prefix and unit != _GENERIC_YUAN or pct is not None or word == "成":
            return None
        unit = prefix
    if cents:
        value = value + cents if value >= 0 else value - cents
    return value, None, unit, pre or approx or post  # type: ignore[return-value]


def _amount(s: str, direct: bool = True, cn_tried: bool = False) -> _Raw:
    """Value an expression; ``direct`` allows the shortcuts for common shapes (same results)."""
    if direct:
        if not cn_tried and _CN_ONLY_RE.fullmatch(s) is not None and (s[0] not in "负負-" or len(s) > 1):
            cn_value = _cn_int(s)
            if cn_value is not None:
                return cn_value, None, None, None
        raw = _arabic_fast(s) if s[0] in _FAST_FIRST else None
        if raw is None:
            raw = _chinese_fast(s)
        if raw is not None:
            return raw
    toks = _tokenize(s)
    if toks and direct:
        simple = _simple(toks)
        if simple is not None:
            return simple
    n = len(toks)
    i = 0
    qualifier: str | None = None
    unit: str | None = None
    prefix_unit = False
    while i < n:
        kind, val, txt = toks[i]
        if kind == QPRE:
            qualifier = qualifier or val  # type: ignore[assignment]
        elif kind == UNIT and txt in _CURRENCY_PREFIXES and unit is None:
            unit = _canon_unit(txt)
            prefix_unit = True
        else:
            break
        i += 1
    j = _read_core(toks, i)
    if j == i:
        raise ValueError("no number")
    ctoks = toks[i:j]
    if (j < n and toks[j][0] == UNIT and len(ctoks) == 2 and ctoks[0][0] == DIG == ctoks[1][0]
            and 0 < ctoks[0][1] < ctoks[1][1]):  # type: ignore[operator]
        core = _Core(Decimal(ctoks[0][1]), Decimal(ctoks[1][1]))  # 两三个, 三五家
    else:
        core = _core(ctoks)
    value, high = core.lo, core.hi
    qualifier = qualifier or core.qualifier
    if core.pct:
        unit = core.pct
    scale_word: str | None = None
    i = j
    money_main = False
    while i < n:
        kind, val, txt = toks[i]
        if kind == UNIT:
            canon = _canon_unit(txt)
            if unit is None:
                unit = canon
                scale_word = txt
            elif canon == unit:
                pass
            elif unit == _GENERIC_YUAN and canon in CURRENCY_NAMES and not prefix_unit:
                unit = canon  # 三万元欧元, 9000元日币
            elif prefix_unit and canon == _GENERIC_YUAN:
                pass  # 新台币177.1亿元
            else:
                raise ValueError("two units")
            money_main = canon in CURRENCY_NAMES
            i += 1
            if i < n and toks[i][0] == HALF:
                value = value + Decimal("0.5")
                i += 1
            elif i < n and txt in ("块", "成") and toks[i][0] == DIG and (i + 1 == n or toks[i + 1][0] != SUB):
                value = value + Decimal("0.1") * toks[i][1]  # type: ignore[operator]
                i += 1
            continue
        if kind == SUB:
            raise ValueError("misplaced sub-unit")
        if kind in (QPOST,):
            qualifier = qualifier or val  # type: ignore[assignment]
            i += 1
            continue
        if kind == APPROX:
            qualifier = qualifier or val  # type: ignore[assignment]
            i += 1
            continue
        if kind == SKIP:
            i += 1
            continue
        if kind in (RANGE, DASH) and high is None and i + 1 < n:
            k = _read_core(toks, i + 1)
            if k == i + 1:
                raise ValueError("range without a high end")
            hi_core = _core(toks[i + 1:k])
            if hi_core.hi is not None:
                raise ValueError("nested range")
            high = hi_core.lo
            i = k
            continue
        if kind == AND and money_main:
            i += 1
            continue
        if kind in _NUMBER_START:
            # money sub-units: 十块三毛, 123元1角1分, 壹万元零壹分; or 伍角 with no 元
            if money_main and i + 1 < n and toks[i + 1][0] == SUB and kind in (DIG, NUM) and (
                    kind == DIG or txt.isdigit()):
                add = val * toks[i + 1][1]  # type: ignore[operator]
                value = value + add if value >= 0 else value - add
                i += 2
                continue
            k = _read_core(toks, i)
            if k < n and toks[k][0] == SUB:
                sub = _core(toks[i:k])
                if sub.hi is not None:
                    raise ValueError("range in a sub-unit")
                add = sub.lo * toks[k][1]  # type: ignore[operator]
                if not money_main:
                    raise ValueError("sub-unit after a non-money unit")
                value = value + add if value >= 0 else value - add
                i = k + 1
                continue
        raise ValueError(f"unexpected {txt!r} after the number")
    if unit == "%" and scale_word == "成":
        value = value * 10
        high = high * 10 if high is not None else None
    return value, high, unit, qualifier


def _tidy(d: Decimal | int) -> Decimal:
    """Drop exponent and trailing zeros without scientific notation (2000.0 -> 2000)."""
    if isinstance(d, int):
        return Decimal(d)
    if d == d.to_integral_value():
        return Decimal(int(d))
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0")
    return Decimal(text)


def _prep_table() -> dict[int, str | None]:
    """One translate table: fold_width's mapping plus deletion of every white-space character."""
    table: dict[int, str | None] = {}
    for cp in (*range(0xFF01, 0xFF5F), 0x3000):
        folded = fold_width(chr(cp))
        if folded != chr(cp):
            table[cp] = folded
    for cp in range(0x3001):
        if chr(cp).isspace():
            table[cp] = None
    return table


_PREP_TABLE = _prep_table()
_NEEDS_PREP_RE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_PREP_TABLE)) + "]")


def _prepare(text: str) -> str:
    if not isinstance(text, str):
        raise ValueError("expected a string")  # noqa: TRY004 - the contract is ValueError only
    s = text.translate(_PREP_TABLE)
    if not s:
        raise ValueError("empty expression")
    if len(s) > 200:
        raise ValueError("expression too long")
    return s


def parse_amount(text: str) -> Amount:
    """Parse one expression into an :class:`Amount`; raise ValueError if it is not one.

    >>> parse_amount("约909.4亿元")
    Amount(value=Decimal('90940000000'), high=None, unit='元', qualifier='约')
    >>> parse_amount("3—5亿元").high
    Decimal('500000000')
    """
    return Amount(*_parse(text))


# Arabic number, 万/亿 multipliers and at most a unit word: valued without tokenizing.
_FAST_FIRST = frozenset("0123456789.-负負百千万" + "".join(w[0] for w in QUALIFIERS_PRE))
_PRE_ALT = "|".join(re.escape(w) for w in sorted(QUALIFIERS_PRE, key=len, reverse=True))
_ARABIC_FAST_RE = re.compile(
    rf"({_PRE_ALT})?(-|负|負)?(百分之|千分之|万分之)?([0-9]{{1,3}}(?:,[0-9]{{3}})+(?![0-9])|[0-9]*)(\.[0-9]+)?"
    r"([万亿萬億]{0,2}|kw|Kw|[kKwWM])([多余])?([^0-9.,，万亿萬億多余kKwWM]*)")
_FAST_MULT = {"": 1, "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "万亿": 10**12, "萬億": 10**12,
              "万万": 10**8, "萬萬": 10**8, "k": 10**3, "K": 10**3, "w": 10**4, "W": 10**4, "M": 10**6,
              "kw": 10**7, "Kw": 10**7}
# Printed unit word -> canonical unit name, for the words the tokenizer knows as units.
_CANON: dict[str, str] = {w: _canon_unit(w) for w, t in _WORDS.items() if t[0] == UNIT and w != "成"}
_POST_WORDS = tuple(sorted(QUALIFIERS_POST, key=len, reverse=True))


_SKIP_TAIL = tuple(w for w in _SKIPS if w != "了")
_CN_CLASS = "".join(sorted(_CN_CODE))
_CN_FAST_RE = re.compile(
    rf"({_PRE_ALT})?(负|負|-)?(百分之|千分之|万分之)?(负|負)?([{_CN_CLASS}]*)(?:[点點]([{_CN_CLASS}]+))?"
    rf"([多余几])?([^{_CN_CLASS}多余几点點分之]*|个百分点)")
_PCT_PREFIX = {"百分之": "%", "千分之": "‰", "万分之": "‱"}


def _rest_unit(rest: str) -> tuple[str | None, str | None] | None:
    """Split what follows a number into (canonical unit, post qualifier); None if unknown."""
    unit = _CANON.get(rest)
    if unit is not None:
        return unit, None
    if rest == "成":
        return rest, None
    post = None
    for word in _POST_WORDS:
        if rest.endswith(word):
            post = QUALIFIERS_POST[word]
            rest = rest[:-len(word)]
            break
    while rest.endswith(_SKIP_TAIL):
        rest = rest[:-1] if rest[-1] in "整正钱" else rest[:-3]
    if not rest:
        return None, post
    unit = _CANON.get(rest) or ("成" if rest == "成" else None)  # 成: the caller scales to %
    return None if unit is None else (unit, post)


def _arabic_fast(s: str) -> _Raw | None:
    """[qualifier] Arabic number [万/亿] [多/余] [unit] [qualifier], valued without tokenizing."""
    m = _ARABIC_FAST_RE.fullmatch(s)
    if m is None:
        return None
    pre, neg, pct_word, ipart, fpart, mult_word, approx, rest = m.groups()
    mult = _FAST_MULT.get(mult_word)
    if mult is None or not (ipart or fpart) or pct_word and (rest or approx or mult != 1):
        return None
    unit = post = None
    if rest:
        split = _rest_unit(rest)
        if split is None:
            return None
        unit, post = split
    if "," in ipart:
        ipart = ipart.replace(",", "")
    if fpart:
        value: Decimal | int = _tidy(Decimal((ipart or "0") + fpart) * mult)
    else:
        value = int(ipart) * mult
    if pct_word:
        unit = _PCT_PREFIX[pct_word]
    elif unit == "成":
        value, unit = value * 10, "%"
    qualifier = QUALIFIERS_PRE[pre] if pre else approx or post
    return (-value if neg else value), None, unit, qualifier


def _chinese_fast(s: str) -> _Raw | None:
    """[qualifier] Chinese integer [多/余/几] [unit] [qualifier], valued without tokenizing."""
    m = _CN_FAST_RE.fullmatch(s)
    if m is None:
        return None
    pre, neg, pct_word, neg2, numeral, frac, approx, rest = m.groups()
    unit = post = None
    if pct_word:
        if rest or approx:
            return None
        unit = _PCT_PREFIX[pct_word]
    elif neg2:
        return None
    if rest:
        split = _rest_unit(rest)
        if split is None:
            return None
        unit, post = split
        if len(numeral) == 2 and 0 < _DIGITS.get(numeral[0], -1) < _DIGITS.get(numeral[1], -1):
            return None  # 两三个: a range, for the full grammar
    if frac is None:
        if not numeral:
            return None
        value: Decimal | int | None = _cn_int(numeral)
    else:
        # 三点一四, 二十点五万: digits read one by one after 点, then 万/亿 multiply the whole
        digits = frac.rstrip("万萬亿億")
        mult = _FAST_MULT.get(frac[len(digits):])
        if mult is None or not digits or any(c not in _DIGITS for c in digits):
            return None
        ipart = _cn_int(numeral) if numeral else 0
        if ipart is None or (not numeral and not digits.strip("零〇○洞")):
            return None
        fraction = Decimal("0." + "".join(str(_DIGITS[c]) for c in digits))
        value = _CTX.multiply(_CTX.add(Decimal(ipart), fraction), Decimal(mult)) if mult != 1 else (
            _CTX.add(Decimal(ipart), fraction))
    if value is None:
        return None
    if neg2:
        value = -value
    if unit == "成":
        value, unit = value * 10, "%"
    qualifier = QUALIFIERS_PRE[pre] if pre else approx or post
    return (-value if neg else value), None, unit, qualifier


def _parse_prepared(s: str) -> _Result:
    try:
        value, high, unit, qualifier = _amount(s, cn_tried=True)
    except ValueError:
        raw = _sub_only(s)
        if raw is None:
            raise
        value, high, unit, qualifier = raw
    return (Decimal(value) if type(value) is int else _tidy(value),
            None if high is None else _tidy(high), unit, qualifier)


def _parse(text: str) -> _Result:
    if type(text) is not str:
        s = _prepare(text)
    else:
        s = text.translate(_PREP_TABLE) if _NEEDS_PREP_RE.search(text) is not None else text
        if not s or len(s) > 200:
            s = _prepare(s)
    if _CN_ONLY_RE.fullmatch(s) is not None and (s[0] not in "负負-" or len(s) > 1):
        value = _cn_int(s)  # integers only: exact whatever the decimal context
        if value is not None:
            return Decimal(value), None, None, None
    try:
        if getcontext().prec >= _MIN_PREC:
            return _parse_prepared(s)
        with localcontext(_CTX):  # a caller shrank the global context: use our own
            return _parse_prepared(s)
    except (DecimalException, ArithmeticError, OverflowError) as exc:
        raise ValueError(f"number out of range: {exc}") from None


def _sub_only(s: str) -> _Raw | None:
    """伍角, 负壹分, 伍角贰分: money written in 角/分 only."""
    if not s.endswith(("角", "毛", "分")) or "分之" in s:
        return None
    neg = s[0] in "负負-"
    body = s[1:] if neg else s
    total = Decimal(0)
    for part in re.findall(r"[^角毛分]+[角毛分]", body):
        toks = _tokenize(part[:-1])
        core = _core(toks)
        if core.hi is not None:
            return None
        total += core.lo * _SUBS[part[-1]]
    if "".join(re.findall(r"[^角毛分]+[角毛分]", body)) != body:
        return None
    return -total if neg else total, None, "元", None


def parse_number(text: str) -> Decimal | tuple[Decimal, Decimal] | None:
    """Value of one expression in its stated unit, ``(low, high)`` for a range.

    Percent and 个百分点 stay in points (``48.3%`` -> 48.3); per-mille forms give the
    fraction (``千分之五`` -> 0.005); 成 gives percent (``三成`` -> 30).  Raises ValueError.

    >>> parse_number("两千万元")
    Decimal('20000000')
    >>> parse_number("十七八万")
    (Decimal('170000'), Decimal('180000'))
    """
    value, high, unit, _qualifier = _parse(text)
    if unit in ("‰", "‱"):
        div = Decimal(1000 if unit == "‰" else 10000)
        value = _tidy(_CTX.divide(value, div))
        high = _tidy(_CTX.divide(high, div)) if high is not None else None
    if high is not None:
        return value, high
    return value


def decimal_text(value: Decimal) -> str:
    """Exact, exponent-free text of a Decimal: 9.094E+10 → '90940000000', 48.30 → '48.3'."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
