"""Find and resolve reporting periods (``2023年``, ``今年1—7月份``, ``截至6月底`` …) in text.

A period is an interval of dates; its identity is the interval, so wording variants collapse:
``上半年`` and ``1—6月`` are the same :class:`Period`.  :func:`period_between` derives the
kind and code of an interval, :func:`find_periods` scans text, :func:`parse_period` reads one
whole expression.

Year-less expressions (``上半年``, ``7月``, ``截至6月底`` …) take the ``year`` the caller has
established from context; without one they take the latest year in which the period has
*ended* on or before the publication date (for ``…以来`` forms: has *started*).  ``今年``,
``本年``, ``本年度`` and ``当年`` always mean the publication year (or ``year`` when given);
``去年``/``上年``, ``前年`` and ``明年`` are counted from the publication year.  ``全年`` is
year-less: a January issue's 全年 is last year.

Relative spans such as ``近三年`` or ``两年来`` become a ``since`` period that starts on the
same month and day N years before publication (29 February clamps to the 28th) and ends on
the publication date; ``近年来`` is too vague and is not matched.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

__all__ = ["KINDS", "Period", "PeriodMatch", "find_periods", "parse_period", "period_between"]

KINDS = frozenset({"year", "half", "quarter", "month", "ytd", "range", "since", "as_of", "day"})
_MIN_YEAR, _MAX_YEAR = 1949, 2100
_CN_QUARTER = "一二三四"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _is_month_end(d: date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive date interval with its kind; ``start`` is None for stocks "as of" a date."""

    start: date | None
    end: date | None
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown period kind {self.kind!r}")
        if self.kind == "as_of":
            if self.start is not None or self.end is None:
                raise ValueError("an as_of period has no start and a known end")
        elif self.start is None:
            raise ValueError(f"a {self.kind} period needs a start")
        elif self.kind != "since" and self.end is None:
            raise ValueError(f"a {self.kind} period needs an end")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"period starts after it ends: {self.start} > {self.end}")

    @property
    def code(self) -> str:
        """Canonical code, unique per interval: ``2024``, ``2024-H1``, ``2024-Q3``, ``2024-07`` …"""
        s, e, k = self.start, self.end, self.kind
        if k == "as_of":
            assert e is not None
            return f"as of {e.isoformat()}"
        assert s is not None
        if k == "since":
            return f"since {s.isoformat()}" + (f"..{e.isoformat()}" if e is not None else "")
        assert e is not None
        if k == "year":
            return f"{s.year}"
        if k == "half":
            return f"{s.year}-H{1 if s.month == 1 else 2}"
        if k == "quarter":
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        if k == "month":
            return f"{s.year}-{s.month:02d}"
        if k == "day":
            return s.isoformat()
        if s.day == 1 and _is_month_end(e):
            return f"{s.year}-{s.month:02d}..{e.year}-{e.month:02d}"
        return f"{s.isoformat()}..{e.isoformat()}"

    @property
    def label(self) -> str:
        """Short Chinese label for charts and tables: ``2024年三季度``, ``截至2024年6月底`` …"""
        s, e, k = self.start, self.end, self.kind
        if k == "as_of":
            assert e is not None
            if e.month == 12 and e.day == 31:
                return f"截至{e.year}年底"
            if _is_month_end(e):
                return f"截至{e.year}年{e.month}月底"
            return f"截至{_day_label(e)}"
        assert s is not None
        if k == "since":
            if s.month == 1 and s.day == 1:
                return f"{s.year}年以来"
            if s.day == 1:
                return f"{s.year}年{s.month}月以来"
            return f"{_day_label(s)}以来"
        assert e is not None
        if k == "year":
            return f"{s.year}年"
        if k == "half":
            return f"{s.year}年{'上' if s.month == 1 else '下'}半年"
        if k == "quarter":
            return f"{s.year}年{_CN_QUARTER[(s.month - 1) // 3]}季度"
        if k == "month":
            return f"{s.year}年{s.month}月"
        if k == "day":
            return _day_label(s)
        if s.day == 1 and _is_month_end(e):
            if s.month == 1 and e.month == 12:
                return f"{s.year}—{e.year}年"
            if s.year == e.year:
                return f"{s.year}年{s.month}—{e.month}月"
            return f"{s.year}年{s.month}月—{e.year}年{e.month}月"
        if s.year == e.year:
            return f"{_day_label(s)}—{e.month}月{e.day}日"
        return f"{_day_label(s)}—{_day_label(e)}"


def _day_label(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True, slots=True)
class PeriodMatch:
    """A period found in text; ``[start, end)`` is the half-open span of ``text``."""

    start: int
    end: int
    text: str
    period: Period


def period_between(start: date | None, end: date | None) -> Period:
    """Derive the kind of the interval ``[start, end]``.

    A standard year, half, quarter or month wins over ``ytd`` (1 January to a month end of the
    same year), which wins over ``range``; one day is ``day``; no start is ``as_of``; no end is
    an open ``since``.  A ``since`` with a known end cannot be told from a range and is only
    produced by :func:`find_periods`.
    """
    if start is None:
        if end is None:
            raise ValueError("a period needs a start or an end")
        return Period(None, end, "as_of")
    if end is None:
        return Period(start, None, "since")
    if start > end:
        raise ValueError(f"period starts after it ends: {start} > {end}")
    if start == end:
        return Period(start, end, "day")
    if start.day == 1 and start.year == end.year and _is_month_end(end):
        m0, m1 = start.month, end.month
        if m0 == 1 and m1 == 12:
            kind = "year"
        elif m1 - m0 == 5 and m0 in (1, 7):
            kind = "half"
        elif m1 - m0 == 2 and m0 % 3 == 1:
            kind = "quarter"
        elif m0 == m1:
            kind = "month"
        elif m0 == 1:
            kind = "ytd"
        else:
            kind = "range"
        return Period(start, end, kind)
    return Period(start, end, "range")


# ---------------------------------------------------------------------------------------------
# Numbers

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def _num(s: str) -> int:
    """Read ``7``, ``07``, ``七``, ``十二``, ``二十三`` or ``两`` as an int (up to 99)."""
    if s.isascii():
        return int(s)
    if "十" in s:
        tens, _, units = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    return _CN_DIGITS[s]


def _year_digits(s: str) -> int:
    return int("".join(str(_CN_DIGITS[c]) for c in s)) if not s.isascii() else int(s)


# ---------------------------------------------------------------------------------------------
# Patterns

_SP = r" ?"
_DASH = r"(?:——|[-—–~～－−―‐﹣]|至|到)"
_CN_NUM = "〇零○一二三四五六七八九十两"
_Y = (
    r"(?:(?P<y>(?<![\d.])\d{4})|(?P<ycn>(?<![" + _CN_NUM + r"])[〇零○一二三四五六七八九]{4})"
    r"|(?P<yrel>今|本|(?<!相)当|去|(?<![以之])上一?|(?<![提之])前|明))"
)
_YEAR = _Y + _SP + r"年(?!代)(?:度)?"
_YOPT = rf"(?:{_YEAR}{_SP})?"
_MON = (
    r"(?:(?<![\d.])(?:1[0-2]|0?[1-9])(?!\d)"
    r"|(?<![" + _CN_NUM + r"])(?:十[一二]?|[一二三四五六七八九]))"
)
_DAY = (
    r"(?:(?<!\d)(?:3[01]|[12]\d|0?[1-9])(?!\d)"
    r"|(?:[一二]?十[一二三四五六七八九]?|三十一?|[一二三四五六七八九]))"
)
_N12 = r"(?:(?<!\d)(?:1[0-2]|[1-9])(?!\d)|十[一二]?|[一二三四五六七八九两])"
_Q = r"[一二三四1-4]"
_N99 = (
    r"(?:(?<!\d)[1-9]\d?(?!\d)|[二三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])"
)
_OPEN_Q = r"[“\"「『'‘]"
_CLOSE_Q = r"[”\"」』'’]"


class _Base:
    """A matched period before year resolution: an explicit year (or None) and a builder."""

    __slots__ = ("as_of", "build", "year")

    def __init__(
        self, year: int | None, build: Callable[[int], Period | None], as_of: bool
    ) -> None:
        self.year, self.build, self.as_of = year, build, as_of


_BAD = -1  # explicit but out-of-range year
_Handler = Callable[[re.Match[str], date, int | None], "_Base | Period | None"]


def _explicit_year(m: re.Match[str], published: date, year: int | None) -> int | None:
    gd = m.groupdict()
    if gd.get("y"):
        v = int(gd["y"])
    elif gd.get("ycn"):
        v = _year_digits(gd["ycn"])
    elif gd.get("yrel"):
        rel = gd["yrel"]
        if rel in ("今", "本", "当"):
            return year if year is not None else published.year
        v = published.year + {"去": -1, "上": -1, "上一": -1, "前": -2, "明": 1}[rel]
    else:
        return None
    return v if _MIN_YEAR <= v <= _MAX_YEAR else _BAD


def _safe(build: Callable[[int], Period | None]) -> Callable[[int], Period | None]:
    def wrapped(y: int) -> Period | None:
        try:
            return build(y)
        except ValueError:
            return None

    return wrapped


def _base(m: re.Match[str], published: date, year: int | None,
          build: Callable[[int], Period | None], as_of: bool = False) -> _Base | None:
    y = _explicit_year(m, published, year)
    if y == _BAD:
        return None
    return _Base(y, _safe(build), as_of)


def _months(y: int, m0: int, m1: int) -> Period | None:
    if not 1 <= m0 <= m1 <= 12:
        return None
    return period_between(date(y, m0, 1), _month_end(y, m1))


def _h_year(m: re.Match[str], pub: date, year: int | None) -> _Base | None:
    return _base(m, pub, year, lambda y: Period(date(y, 1, 1), date(y, 12, 31), "year"))


def _h_year_end(m: re.Match[str], pub: date, year: int | None) -> _Base | None:
    return _base(m, pub, year, lambda y: Period(date(y, 1, 1), date(y, 12, 31), "year"), True)


def _h_half(m: re.Match[str], pub: date, year: int | None) -> _Base | None:
    m0 = 1 if m["half"] == "上" else 7
    return _base(m, pub, year, lambda y: _months(y, m0, m0 + 5), bool(m["end"]))


def _h_quarter(m: re.Match[str], pub: date, year: int | None) -> _Base | None:
    q = _num(m["q"])
    return _base(m, pub, year, lambda y: _months(y, 3 * q - 2, 3 * q), bool(m["end"]))


def _h_quarter_ytd(m: re.Match[str], pub: date, year: int | None) -> _Base | None:
    q = _num(m["nq"])
    return _base(m, pub, year, lambda y: _months(y, 1, 3 * q) if 1 <= q <= 4 else None)


def _h_quarter_range(m: re.Match[str], pub: date, year: int | None) -> _Base | None:
    q0, q1 = _num(m["q0"]), _num(m["q1"])
    if q0 >= q1 or (m["sep"] == "、" and q1 != q0 + 1):
        return None
    return _base(m, pub, year, lambda y: _months(y, 3 * q0 - 2, 3 * q1))


def _h_month_ytd(m: re.Match[str], pub: date, year: int | None) -> _Base | None:
    n = _num(m["nm"])
    return _base(m, pub, year, lambda y: _months(y, 1, n))


def _h_month_range(m: re.Match[str], pub: date, year: int | None) -> _Base | None:
    m0, m1 = _num(m["m0"]), _num(m["m1"])
    if m0 >= m1 or (m["sep"] == "、" and m1 != m0 + 1):
        return None
    return _base(m, pub, year, lambda y: _months(y, m0, m1))


def _h_month(m: re.Match[str], pub: date, year: int | None) -> _Base | None:
    mo = _num(m["m"])
    return _base(m, pub, year, lambda y: _months(y, mo, mo), bool(m["end"]))


def _h_day(m: re.Match[str], pub: date, year: int | None) -> _Base | None:
    mo, d = _num(m["m"]), _num(m["d"])
    return _base(m, pub, year, lambda y: period_between(date(y, mo, d), date(y, mo, d)))


def _h_year_range(m: re.Match[str], pub: date, year: int | None) -> Period | None:
    y0, y1 = int(m["y0"]), int(m["y1"])
    if not _MIN_YEAR <= y0 < y1 <= _MAX_YEAR:
        return None
    return period_between(date(y0, 1, 1), date(y1, 12, 31))


def _h_plan(m: re.Match[str], pub: date, year: int | None) -> _Base:
    # The 6th plan (六五) ran 1981-1985; every later plan follows on for five years.
    y0 = 1981 + 5 * (10 + _num(m["n"]) - 6)
    return _Base(y0, lambda y: period_between(date(y, 1, 1), date(y + 4, 12, 31)), False)


def _minus_years(d: date, n: int) -> date:
    y = d.year - n
    return date(y, d.month, min(d.day, calendar.monthrange(y, d.month)[1]))


def _minus_months(d: date, n: int) -> date:
    idx = d.year * 12 + d.month - 1 - n
    y, mo = divmod(idx, 12)
    return date(y, mo + 1, min(d.day, calendar.monthrange(y, mo + 1)[1]))


def _h_recent(m: re.Match[str], pub: date, year: int | None) -> Period | None:
    n = _num(m["n"])
    if n < 1 or not (m["near"] or m["lai"]) or (m["lai"] == "间" and not m["near"]):
        return None
    start = _minus_months(pub, n) if m["unit"] else _minus_years(pub, n)
    return Period(start, pub, "since") if start.year >= _MIN_YEAR else None


def _h_rel_month(m: re.Match[str], pub: date, year: int | None) -> Period:
    first = date(pub.year, pub.month, 1)
    if m["rm"] != "本":
        first = _minus_months(first, 1)
    return Period(first, _month_end(first.year, first.month), "month")


def _h_now(m: re.Match[str], pub: date, year: int | None) -> Period:
    return Period(None, pub, "as_of")


_END = rf"(?P<end>{_SP}[底末])?"
_SEP = rf"{_SP}(?P<sep>{_DASH}|、){_SP}"  # 、 only joins neighbours: 三、四季度, 1、2月
# Five-year plans, optionally quoted: “十四五”, 「十三五」期间.
_PLAN = (
    rf"{_OPEN_Q}?(?<![一二三四五六七八九十百]{_OPEN_Q})(?<![一二三四五六七八九十百])"
    rf"十(?P<n>[一二三四五六七八九])五(?!年){_CLOSE_Q}?(?:{_SP}(?:规划)?(?:期间|时期))?"
)
_NO_DAY_AFTER = rf"(?!{_SP}(?:\d|[〇一二三四五六七八九十]+[日号]))"

# Each entry: compiled pattern and handler.  Patterns returning _Base are resolved by the
# scanner, which also applies the 以来/至今 suffix, 截至 prefix and X至Y ranges.
_BASES: tuple[tuple[re.Pattern[str], _Handler], ...] = tuple(
    (re.compile(p), h)
    for p, h in (
        (rf"{_YEAR}(?:{_SP}全年度?)?", _h_year),
        (r"(?<![前上下])全年度?", _h_year),
        (rf"(?:{_YEAR}{_SP}(?:年{_SP})?|(?<![\d{_CN_NUM}几多每同历当])年)[底末]", _h_year_end),
        (rf"{_YOPT}(?P<half>[上下])半年度?{_END}", _h_half),
        (rf"{_YOPT}(?<!连续)第?{_SP}(?P<q>{_Q}){_SP}季度{_END}", _h_quarter),
        (rf"{_YOPT}前(?P<nq>[一二三四两1-4])个?季度", _h_quarter_ytd),
        (rf"{_YOPT}第?(?<!\d)(?P<q0>{_Q})(?:季度)?{_SEP}第?(?P<q1>{_Q}){_SP}季度",
         _h_quarter_range),
        (rf"{_YOPT}前{_SP}(?P<nm>{_N12}){_SP}个?月份?", _h_month_ytd),
        (rf"{_YOPT}(?P<m0>{_MON})(?:{_SP}月份?)?{_SEP}(?P<m1>{_MON}){_SP}月份?",
         _h_month_range),
        (rf"{_YOPT}(?P<m>{_MON}){_SP}月{_SP}(?P<d>{_DAY}){_SP}[日号]", _h_day),
        (rf"{_YOPT}(?P<m>{_MON}){_SP}月份?(?:(?P<end>{_SP}[底末])|{_NO_DAY_AFTER})", _h_month),
        (_PLAN, _h_plan),
    )
)
_FINALS: tuple[tuple[re.Pattern[str], _Handler], ...] = tuple(
    (re.compile(p), h)
    for p, h in (
        (rf"(?P<y0>(?<![\d.])\d{{4}}){_SP}年?{_SP}{_DASH}{_SP}(?P<y1>\d{{4}}){_SP}年(?!代)度?",
         _h_year_range),
        (rf"(?P<near>近|过去)?(?P<n>{_N99}){_SP}(?:(?P<unit>个月)|年)(?P<lai>以来|来|间)?",
         _h_recent),
        (r"(?P<rm>上个?|本)月(?!份?[底末初])", _h_rel_month),
        (rf"(?:截至|截止)(?:到|至)?{_SP}(?:目前|当前|现在|今天|今日|发稿时)(?:为止)?|到目前为止",
         _h_now),
    )
)
_PREFIX = re.compile(rf"(?P<p>(?:截至|截止)(?:到|至)?|到|至){_SP}")
_SINCE = re.compile(rf"{_SP}(?:以来|至今(?!年))")
_UNTIL = re.compile(rf"{_SP}为止")
_DASH_RE = re.compile(rf"{_SP}{_DASH}{_SP}")
_DAY_ONLY = re.compile(rf"(?P<d>{_DAY}){_SP}[日号]")
_TRIGGER = rf"[\d{_CN_NUM}今本当去上下前明全近过截到至第年“”\"「『'‘]"


def _unnamed(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


# Where any final, base or prefixed base matches (at a trigger character): the scanner jumps
# from one such place to the next inside the regex engine instead of trying every pattern at
# every digit.
_ANY = re.compile(
    rf"(?={_TRIGGER})(?:"
    + "|".join(_unnamed(p.pattern) for p, _ in (*_FINALS, *_BASES))
    + "|" + _unnamed(_PREFIX.pattern) + "(?:" + "|".join(_unnamed(p.pattern) for p, _ in _BASES) + "))"
)


@dataclass(frozen=True, slots=True)
class _Cand:
    end: int
    period: Period


def _resolve(b: _Base, published: date, year: int | None, by_start: bool) -> Period | None:
    """Resolve a base; year-less bases take ``year`` or the latest fitting year."""
    if b.year is not None:
        return b.build(b.year)
    if year is not None:
        return b.build(year)
    for y in range(published.year, published.year - 9, -1):
        p = b.build(y)
        if p is None:
            continue
        anchor = p.start if by_start else p.end
        assert anchor is not None
        if anchor <= published:
            return p
    return None


def _bases_at(
    text: str, i: int, published: date, year: int | None
) -> list[tuple[re.Match[str], _Base]]:
    out: list[tuple[re.Match[str], _Base]] = []
    for pat, handler in _BASES:
        m = pat.match(text, i)
        if m is None:
            continue
        b = handler(m, published, year)
        if isinstance(b, _Base):
            out.append((m, b))
    return out


def _as_of(p: Period) -> Period:
    assert p.end is not None
    return Period(None, p.end, "as_of")


def _longest_at(text: str, i: int, published: date, year: int | None) -> _Cand | None:
    cands: list[_Cand] = []
    for pat, handler in _FINALS:
        m = pat.match(text, i)
        if m is not None:
            p = handler(m, published, year)
            if isinstance(p, Period):
                cands.append(_Cand(m.end(), p))
    for m, b in _bases_at(text, i, published, year):
        end = m.end()
        if b.as_of:
            p = _resolve(b, published, year, False)
            if p is not None:
                cands.append(_Cand(end, _as_of(p)))
            continue
        s = _SINCE.match(text, end)
        if s is not None:
            p = _resolve(b, published, year, True)
            if p is not None and p.start is not None and p.start <= published:
                cands.append(_Cand(s.end(), Period(p.start, published, "since")))
        p = _resolve(b, published, year, False)
        if p is None:
            continue
        cands.append(_Cand(end, p))
        r = _range_after(text, end, p, published, year)
        if r is not None:
            cands.append(r)
    pm = _PREFIX.match(text, i)
    if pm is not None:
        strong = pm["p"] not in ("到", "至")
        for m, b in _bases_at(text, pm.end(), published, year):
            if not (strong or b.as_of):
                continue
            p = _resolve(b, published, year, False)
            if p is not None:
                end = m.end()
                u = _UNTIL.match(text, end)
                cands.append(_Cand(u.end() if u else end, _as_of(p)))
    if not cands:
        return None
    return max(cands, key=lambda c: c.end)  # max keeps the first of equally long candidates


def _range_after(text: str, end: int, first: Period, published: date,
                 year: int | None) -> _Cand | None:
    """``first`` followed by a dash and a second period: one range (``2023年7月至2024年6月``)."""
    d = _DASH_RE.match(text, end)
    if d is None or first.start is None or first.end is None:
        return None
    j = d.end()
    best: _Cand | None = None
    if first.kind == "day":
        m = _DAY_ONLY.match(text, j)
        if m is not None:
            try:
                last = first.start.replace(day=_num(m["d"]))
            except ValueError:
                last = None
            if last is not None and last > first.end:
                best = _Cand(m.end(), period_between(first.start, last))
    for m, b in _bases_at(text, j, published, year):
        if b.as_of or _SINCE.match(text, m.end()):
            continue
        second = b.build(b.year if b.year is not None else first.start.year)
        if second is None or second.end is None or second.start is None:
            continue
        if second.start <= first.end:
            continue
        if best is None or m.end() > best.end:
            best = _Cand(m.end(), period_between(first.start, second.end))
    return best


def find_periods(text: str, published: date, *, year: int | None = None) -> list[PeriodMatch]:
    """Return the longest non-overlapping period expressions in ``text``, left to right.

    ``published`` is the document's publication date; ``year``, when given, is a year already
    established by context and is used for year-less expressions instead of inferring one.
    """
    out: list[PeriodMatch] = []
    pos = 0
    while (t := _ANY.search(text, pos)) is not None:
        i = t.start()
        c = _longest_at(text, i, published, year)
        if c is None or c.end <= i:
            pos = i + 1
            continue
        out.append(PeriodMatch(i, c.end, text[i:c.end], c.period))
        pos = c.end
    return out


def parse_period(text: str, published: date, *, year: int | None = None) -> Period | None:
    """Read ``text`` as exactly one period expression; None if it is not one."""
    s = text.strip()
    if not s:
        return None
    c = _longest_at(s, 0, published, year)
    return c.period if c is not None and c.end == len(s) else None
