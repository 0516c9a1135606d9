"""Facts: the observations of one (zone, metric, period, measure) grouped across issues.

Pure logic, no storage.  Every printed figure admits an interval of true values:

* printed precision — ``12.3亿`` admits [12.25, 12.35]亿 (half a unit of the last printed
  digit; a figure without Arabic digits uses its last non-zero digit);
* ranges — ``3—5亿`` admits [2.5, 5.5]亿;
* qualifiers — 约/左右/上下 widen by :data:`APPROX_TOLERANCE` each side, 近/将近 below only;
  超过/逾/大于/以上/至少 are open upwards; 多/余 (``300多``) admit up to the next step of the
  last non-zero digit (300–400); 不到/不足/小于/以下/以内/不超过/最多 are open downwards.

Sources are compared per article body: the same article reprinted in another issue (same
``body_hash``) is one source, not an independent confirmation.  One body may print several
figures for a key (a total and a subtotal, several projects); it supports every value it
printed.  A fact *agrees* when some value lies in an interval printed by every independent
body, is in *conflict* when no value does, and is *single* when only one body reports it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from zonedb.numbers import decimal_text

__all__ = [
    "APPROX_TOLERANCE", "FactObservation", "FactSummary", "Interval", "interval_of", "summarize",
]

#: Relative tolerance admitted by 约, 左右, 上下 (each side) and by 近 (below).
APPROX_TOLERANCE = Decimal("0.05")

_APPROX = frozenset({"约", "左右", "上下"})
_NEARLY = frozenset({"近"})
_ABOVE = frozenset({"超过", "逾", "大于", "以上", "至少"})
_MORE = frozenset({"多", "余", "几"})
_BELOW = frozenset({"不到", "不足", "小于", "以下", "以内", "不超过", "最多"})

_FOLD = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_NUMERAL = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed interval of values; ``None`` bounds are open (unbounded)."""

    low: Decimal | None
    high: Decimal | None

    def intersect(self, other: Interval) -> Interval | None:
        """The common part, or None when the two are disjoint or only touch (12.3 and 12.4
        share the bound 12.35 but are different printed values)."""
        low = _max(self.low, other.low)
        high = _min(self.high, other.high)
        if low is not None and high is not None and low >= high:
            return None
        return Interval(low, high)

    def contains(self, value: Decimal) -> bool:
        return (self.low is None or self.low <= value) and (self.high is None or value <= self.high)

    @property
    def width(self) -> Decimal | None:
        """The width, None when unbounded."""
        if self.low is None or self.high is None:
            return None
        return self.high - self.low


def _max(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return b if a is None else a if b is None else max(a, b)


def _min(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return b if a is None else a if b is None else min(a, b)


def _last_digit_exponent(value: Decimal) -> int:
    """Exponent of the last non-zero digit: 5260000000 → 7, 12.4 → -1, 0 → 0."""
    if value == 0:
        return 0
    sign, digits, exp = value.normalize().as_tuple()
    assert isinstance(exp, int)
    return exp


def _printed_numerals(printed: str) -> list[str]:
    return [m.group().replace(",", "") for m in _NUMERAL.finditer(printed.translate(_FOLD))]


def _step(value: Decimal, printed: str | None, position: int = 0) -> Decimal:
    """One unit of the last printed digit of ``value``, in the value's own unit.

    ``52.6 亿元`` with value 5260000000 → 10000000 (0.1亿).  The scale between the printed
    numeral and the stored value comes from the printed text; without Arabic digits the
    last non-zero digit of the value sets the step.
    """
    numerals = _printed_numerals(printed or "")
    if numerals:
        text = numerals[min(position, len(numerals) - 1)]
        try:
            shown = Decimal(text)
        except ArithmeticError:  # pragma: no cover - the regex only admits numerals
            shown = Decimal(0)
        if shown != 0 and value != 0:
            scale = value / shown
            decimals = len(text.split(".", 1)[1]) if "." in text else 0
            step = scale * Decimal(1).scaleb(-decimals)
            if step > 0:
                return step
    return Decimal(1).scaleb(_last_digit_exponent(value))


def interval_of(value: Decimal, high: Decimal | None = None, qualifier: str | None = None,
                printed: str | None = None) -> Interval:
    """The values a printed figure admits (see the module docstring)."""
    step = _step(value, printed, 0)
    half = step / 2
    top = high if high is not None else value
    top_half = _step(high, printed, 1) / 2 if high is not None else half
    low, upper = value - half, top + top_half
    if qualifier in _APPROX:
        return Interval(min(low, value * (1 - APPROX_TOLERANCE)), max(upper, top * (1 + APPROX_TOLERANCE)))
    if qualifier in _NEARLY:
        return Interval(min(low, value * (1 - APPROX_TOLERANCE)), upper)
    if qualifier in _ABOVE:
        return Interval(low, None)
    if qualifier in _MORE:
        if high is not None:
            return Interval(low, upper)
        return Interval(value, value + Decimal(1).scaleb(_last_digit_exponent(value)) * (
            10 if qualifier == "几" else 1))
    if qualifier in _BELOW:
        return Interval(None, upper)
    return Interval(low, upper)


class FactObservation(NamedTuple):
    """What agreement needs of one observation (a named tuple: refreshes build them by the
    hundred thousand)."""

    id: int
    document_id: int
    publication: str  # the publication's name, else the document's own name
    body_hash: str
    published: dt.date
    value_exact: str
    value_high_exact: str | None
    unit: str
    qualifier: str | None
    printed: str

    @property
    def interval(self) -> Interval:
        return _interval(self.value_exact, self.value_high_exact, self.qualifier, self.printed)


@lru_cache(maxsize=1 << 16)
def _interval(value_exact: str, high_exact: str | None, qualifier: str | None, printed: str) -> Interval:
    # The same printed figure recurs across issues and reprints: its interval is computed once.
    high = Decimal(high_exact) if high_exact is not None else None
    return interval_of(Decimal(value_exact), high, qualifier, printed)


@dataclass(frozen=True, slots=True)
class FactSummary:
    """The derived fact of one key."""

    status: str  # 'single', 'agree' or 'conflict'
    best_observation_id: int
    value_exact: str
    unit: str
    qualifier: str | None
    printed: str
    value_low_exact: str | None  # the common interval (agree) or the best figure's interval
    value_high_exact: str | None
    n_observations: int
    n_sources: int  # distinct article bodies (reprints count once)
    n_documents: int  # distinct ingested documents (issues), reprints included
    n_publications: int  # distinct publications (科学导报, 新闻联播 …) among them
    n_values: int  # distinct printed values
    first_published: dt.date
    last_published: dt.date


def _text(value: Decimal | None) -> str | None:
    return None if value is None else decimal_text(value)


def _common(bodies: Sequence[Sequence[tuple[str, Interval]]]) -> list[Interval]:
    """Regions where every body has an interval (each body: (unit, interval) pairs)."""
    units = {u for body in bodies for u, _ in body}
    regions: list[Interval] = []
    for unit in sorted(units):
        current = [iv for u, iv in bodies[0] if u == unit]
        for body in bodies[1:]:
            mine = [iv for u, iv in body if u == unit]
            # dict.fromkeys: the same region found twice is kept once (repeated figures).
            current = list(dict.fromkeys(c for a in current for b in mine if (c := a.intersect(b)) is not None))
            if not current:
                break
        regions.extend(current)
    return regions


def summarize(observations: Iterable[FactObservation]) -> FactSummary:
    """Status, best value and counts of one key's observations.

    The best figure is printed by the most bodies (within the common region when the
    sources agree), then the most precise, then the latest issue, then the earliest printed.

    :raises ValueError: no observations.
    """
    acc = FactAccumulator()
    for o in observations:
        acc.add(o)
    return acc.summary()


class FactAccumulator:
    """The observations of one key, folded as they stream in, in memory that does not grow with
    repeats: one representative per article body and printed figure (the one the rule would pick
    among them: latest issue, then earliest printed), plus the counts.  A key printed in a
    hundred thousand copies of the same article costs no more than one."""

    def __init__(self) -> None:
        self._reps: dict[tuple[Any, ...], FactObservation] = {}  # by body and printed figure
        self.n_observations = 0
        self._documents: set[int] = set()
        self._publications: set[str] = set()
        self._first: dt.date | None = None
        self._last: dt.date | None = None

    def add(self, o: FactObservation) -> None:
        self.add_many((o,))

    def add_many(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Add observations given as :class:`FactObservation` or as plain tuples in its field
        order (a refresh folds hundreds of thousands; only representatives become objects)."""
        reps, documents, publications = self._reps, self._documents, self._publications
        first, last, n = self._first, self._last, 0
        for row in rows:
            n += 1
            oid, document_id, publication, body_hash, published, value, high, unit, qualifier, printed = row
            documents.add(document_id)
            publications.add(publication)
            if first is None or published < first:
                first = published
            if last is None or published > last:
                last = published
            figure = (body_hash, value, high, unit, qualifier, printed)
            rep = reps.get(figure)
            if rep is None or published > rep.published or (published == rep.published and oid < rep.id):
                reps[figure] = row if isinstance(row, FactObservation) else FactObservation._make(row)
        self.n_observations += n
        self._first, self._last = first, last

    def summary(self) -> FactSummary:
        """:raises ValueError: nothing was added."""
        if not self._reps:
            raise ValueError("a fact needs at least one observation")
        obs = sorted(self._reps.values(), key=lambda o: o.id)
        n_sources = len({o.body_hash for o in obs})
        if len({(o.unit, o.value_exact, o.value_high_exact, o.qualifier, o.printed) for o in obs}) == 1:
            status, best, bounds = _same(obs, n_sources)
        else:
            status, best, bounds = _mixed(obs)
        assert self._first is not None and self._last is not None
        return FactSummary(
            status=status,
            best_observation_id=best.id,
            value_exact=best.value_exact,
            unit=best.unit,
            qualifier=best.qualifier,
            printed=best.printed,
            value_low_exact=_text(bounds.low),
            value_high_exact=_text(bounds.high),
            n_observations=self.n_observations,
            n_sources=n_sources,
            n_documents=len(self._documents),
            n_publications=len(self._publications),
            n_values=len({(o.unit, Decimal(o.value_exact), o.value_high_exact, o.qualifier) for o in obs}),
            first_published=self._first,
            last_published=self._last,
        )


def _same(obs: list[FactObservation], n_sources: int) -> tuple[str, FactObservation, Interval]:
    """Every observation prints the same figure (the common case: one figure reprinted across
    issues, by ``n_sources`` article bodies): the general rule reduces to every body supporting
    it and the latest issue's earliest observation being the best."""
    latest = max(o.published for o in obs)
    best = next(o for o in obs if o.published == latest)  # obs are sorted by id
    return ("single" if n_sources == 1 else "agree"), best, best.interval


def _mixed(obs: list[FactObservation]) -> tuple[str, FactObservation, Interval]:
    """The general rule (status, best observation, bounds) for ``obs`` sorted by id."""
    by_body: dict[str, list[FactObservation]] = {}
    for o in obs:
        by_body.setdefault(o.body_hash, []).append(o)
    interval = {o.id: o.interval for o in obs}  # computed once per observation
    # Each body's distinct (unit, interval) pairs: a figure repeated in one article counts once.
    bodies = [list(dict.fromkeys((o.unit, interval[o.id]) for o in group)) for group in by_body.values()]
    regions = _common(bodies) if len(bodies) > 1 else []
    if len(bodies) == 1:
        status = "single"
    else:
        status = "agree" if regions else "conflict"

    supported: dict[tuple[str, Interval], int] = {}

    def support(o: FactObservation) -> int:
        key = (o.unit, interval[o.id])
        if key not in supported:
            supported[key] = sum(1 for body in bodies
                                 if any(u == o.unit and iv.intersect(key[1]) is not None for u, iv in body))
        return supported[key]

    def precision(o: FactObservation) -> tuple[int, Decimal]:
        width = interval[o.id].width
        return (1, Decimal(0)) if width is None else (0, width)

    candidates = obs
    if regions:
        candidates = [o for o in obs if any(interval[o.id].intersect(r) is not None for r in regions)] or obs
    best = min(candidates, key=lambda o: (-support(o), precision(o), -o.published.toordinal(), o.id))
    bounds = interval[best.id]
    if regions:
        # The narrowest common region the best figure lies in (then the lowest): several can,
        # and which one must not depend on the order the observations came in.
        bounds = min((r for r in regions if r.intersect(bounds) is not None), key=_narrowest)
    return status, best, bounds


def _narrowest(region: Interval) -> tuple[bool, Decimal, bool, Decimal]:
    width, low = region.width, region.low
    return (width is None, width or Decimal(0), low is None, low or Decimal(0))
