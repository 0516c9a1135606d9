"""Zones named in a text but missing from the reference list, and aliases a text defines.

* ``贵州铜仁大龙经济开发区`` is recognisable by its suffix and its place-name prefix, so it is
  a zone even when the packaged list lacks it; its standard short forms (大龙经开区 …) are
  derived the same way as for listed zones.
* ``临汾经济开发区（以下简称“临开”）`` defines 临开 as an alias for the rest of the document.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from zonedb.gazetteer import ADMIN_KINDS, Gazetteer, Mention, derived_aliases

SUFFIX_KINDS: tuple[tuple[str, str], ...] = (
    ("经济技术开发区", "etdz"),
    ("高新技术产业开发区", "hitech"),
    ("高新技术开发区", "hitech"),
    ("经济开发区", "development_zone"),
    ("综合保税区", "bonded"),
    ("自由贸易试验区", "ftz"),
    ("工业园区", "development_zone"),
    ("产业园区", "development_zone"),
    ("经开区", "development_zone"),
    ("高新区", "hitech"),
    ("开发区", "development_zone"),
)
_SUFFIX = re.compile(
    r"[\u4e00-\u9fff]{2,10}?(?:" + "|".join(s for s, _ in SUFFIX_KINDS) + ")"
)
_SUFFIXES_BY_LENGTH = sorted((s for s, _ in SUFFIX_KINDS), key=len)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def suffix_names(text: str) -> Iterator[tuple[int, int]]:
    """The spans ``_SUFFIX.finditer(text)`` gives (two to ten Chinese characters, then a zone
    suffix), found from the suffixes' final 区 outwards: every suffix ends in 区, so a text is
    scanned once by ``str.find`` instead of trying the pattern at every character."""
    starts: list[tuple[int, str]] = []  # where a suffix starts (at most one suffix fits a place)
    q = text.find("区")
    while q != -1:
        for suffix in _SUFFIXES_BY_LENGTH:
            if text.endswith(suffix, 0, q + 1):
                starts.append((q + 1 - len(suffix), suffix))
        q = text.find("区", q + 1)
    starts.sort()
    pos = 0
    for t, suffix in starts:
        # The leftmost start s of a name whose suffix begins at t: s >= pos, t - 10 <= s <= t - 2,
        # text[s:t] all Chinese.  That bound only grows with t, so the first t that admits one
        # gives the leftmost match, with the nearest suffix, as the regular expression would.
        s = t
        while s > max(pos, t - 10) and _is_cjk(text[s - 1]):
            s -= 1
        if s <= t - 2:
            yield s, t + len(suffix)
            pos = t + len(suffix)


# Characters and words after which a zone name starts (在贵州铜仁大龙经济开发区 → 贵州…).
_LEFT_CUT = re.compile(r".*(?:在|赴|于|到|对|与|和|及|是|为|的|了|把|将|向|从|由|以|等|入驻|落户|位于|来自|走进|考察|、)")
# 全国国家级经开区, 各省级开发区: a class of zones, not one zone.
_COLLECTIVE = re.compile(r"国家级|省级|市级|各|全国|所有|部分|重点|示范|特色|这些|该")
_DEFINED = re.compile(
    r"(?P<full>[\u4e00-\u9fff()（）]{4,30}?)[（(](?:以下)?简称[“\"「]?(?P<short>[\u4e00-\u9fff]{2,8})[”\"」]?[）)]"
)


@dataclass(frozen=True, slots=True)
class FoundZone:
    """A zone found in text: its key (the full name), kind, and every surface to match."""

    key: str
    kind: str
    surfaces: tuple[str, ...]


def _kind_of(name: str) -> str:
    return next(kind for suffix, kind in SUFFIX_KINDS if name.endswith(suffix))


def _starts_with_place(gaz: Gazetteer, name: str) -> bool:
    for m in gaz.find_zones(name):
        if m.start == 0 and any(gaz.zones[k].kind in ADMIN_KINDS for k in m.keys):
            return m.end < len(name)
    return False


def discover_zones(text: str, gaz: Gazetteer, known: list[Mention]) -> list[FoundZone]:
    """Zones of recognisable form in ``text`` that no known mention covers."""
    # Known spans sorted by start, with the furthest end reached so far: "does any known span
    # overlap [s, e)" is then one bisection (a long text has thousands of both).
    covered = sorted((m.start, m.end) for m in known)
    starts = [a for a, _ in covered]
    reach = list(accumulate((b for _, b in covered), max))
    found: dict[str, FoundZone] = {}
    for m_start, m_end in suffix_names(text):
        candidate = text[m_start:m_end]
        suffix_start = m_end - len(_kind_suffix(candidate))
        i = bisect_left(starts, m_end)  # spans starting before the match ends
        if i and reach[i - 1] > suffix_start:
            continue  # the zone itself is known (高平经开区), or its suffix belongs to one
        cut = _LEFT_CUT.match(candidate[: -len(_kind_suffix(candidate))])
        if cut:
            candidate = candidate[cut.end():]
        if candidate in found or _COLLECTIVE.search(candidate) or not _starts_with_place(gaz, candidate):
            continue
        kind = _kind_of(candidate)
        names = {candidate, *_without_places(gaz, candidate)}
        surfaces = set(names)
        for name in names:
            surfaces |= derived_aliases(name, kind)
        found[candidate] = FoundZone(candidate, kind, (candidate, *sorted(surfaces - {candidate})))
    return list(found.values())


def _without_places(gaz: Gazetteer, name: str) -> list[str]:
    """The name with its leading place names dropped one by one (贵州铜仁大龙… → 铜仁大龙…, 大龙…)."""
    out = []
    while True:
        head = next((m for m in gaz.find_zones(name) if m.start == 0), None)
        if head is None or len(name) - head.end < len(_kind_suffix(name)) + 2:
            return out
        name = name[head.end :]
        out.append(name)


def _kind_suffix(name: str) -> str:
    return next(suffix for suffix, _ in SUFFIX_KINDS if name.endswith(suffix))


def defined_aliases(text: str, gaz: Gazetteer, known: list[Mention]) -> dict[str, str]:
    """``{short: zone key}`` for aliases the text defines with 简称 after a known zone name."""
    out: dict[str, str] = {}
    if "简称" not in text:
        return out
    by_end = {m.end: m for m in known}
    for m in _DEFINED.finditer(text):
        short = m.group("short")
        full_end = m.end("full")
        mention = by_end.get(full_end)
        if mention is not None and len(mention.keys) == 1:
            out[short] = mention.keys[0]
    return out


def find_surfaces(text: str, surfaces: dict[str, str]) -> list[Mention]:
    """Plain occurrences of a few extra surfaces (``{surface: key}``), longest first, non-overlapping."""
    hits: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for surface in sorted(surfaces, key=len, reverse=True):
        start = text.find(surface)
        while start != -1:
            end = start + len(surface)
            if not any(a < end and start < b for a, b in taken):
                hits.append(Mention(start, end, surface, (surfaces[surface],)))
                taken.append((start, end))
            start = text.find(surface, end)
    return sorted(hits, key=lambda h: h.start)
