"""Reference data (zones, metrics) and fast matching of their names in text.

Zones come from ``data/zones.csv`` (public lists, origin per row), metrics from
``data/metrics.csv``.  Standard short forms are derived here (经济技术开发区 → 经开区,
高新技术产业开发区 → 高新区, 山西省 → 山西 …), and all names go into one Aho-Corasick
automaton that returns leftmost-longest, non-overlapping matches.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

ZONE_KINDS = (
    "country", "province", "city", "county", "etdz", "hitech", "new_area", "ftz", "ftz_area",
    "bonded", "reform_zone", "development_zone",
)
ADMIN_KINDS = frozenset({"country", "province", "city", "county"})

# Suffix rewrites that give the short names people print.
_ZONE_SUFFIX_ALIASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("经济技术开发区", ("经开区", "开发区", "经济开发区")),
    ("经济开发区", ("经开区", "开发区")),
    ("高新技术产业开发区", ("高新区", "高新技术开发区", "高新技术产业园区")),
    ("高新技术开发区", ("高新区",)),
    ("综合保税区", ("综保区",)),
    ("自由贸易试验区", ("自贸区", "自贸试验区")),
    ("综合改革示范区", ("综改示范区", "综改区")),
)
_ADMIN_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "地区", "省", "市", "盟")
# Stems that are ordinary words or too short to match safely on their own.
_UNSAFE_STEMS = frozenset({"中国", "全国", "城区", "郊区", "矿区", "新区", "东区", "西区", "南区", "北区"})


@dataclass(frozen=True, slots=True)
class ZoneEntry:
    """One zone of the reference list."""

    key: str
    name: str
    kind: str
    level: str | None
    parent: str | None
    aliases: tuple[str, ...]
    source: str | None


@dataclass(frozen=True, slots=True)
class Mention:
    """A name found in text: ``text[start:end]`` is ``surface``; ``keys`` are the candidates."""

    start: int
    end: int
    surface: str
    keys: tuple[str, ...]


def derived_aliases(name: str, kind: str) -> set[str]:
    """Standard short forms of a zone name (高平经济技术开发区 → 高平经开区, 高平开发区 …)."""
    out: set[str] = set()
    bare = re.sub(r"^中国[（(](.+?)[)）]", r"\1", name)
    if bare != name:
        out.add(bare)
    for base in {name, bare}:
        for suffix, replacements in _ZONE_SUFFIX_ALIASES:
            if base.endswith(suffix):
                stem = base[: -len(suffix)]
                if len(stem) >= 2:
                    out.update(stem + r for r in replacements)
    if kind in ("province", "city"):
        for suffix in _ADMIN_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out.add(name[: -len(suffix)])
                break
    return {a for a in out if a != name and a not in _UNSAFE_STEMS}


def _read_csv(filename: str) -> list[dict[str, str]]:
    path = resources.files("zonedb.data").joinpath(filename)
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def load_zones() -> tuple[ZoneEntry, ...]:
    """All packaged zones, with derived aliases; keys are unique (``name`` or ``parent/name``)."""
    rows = _read_csv("zones.csv")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["name"]] = counts.get(row["name"], 0) + 1
    entries = []
    for row in rows:
        name, kind = row["name"].strip(), row["kind"].strip()
        parent = (row.get("parent") or "").strip() or None
        key = name if counts[name] == 1 or not parent else f"{parent}/{name}"
        listed = {a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()}
        aliases = tuple(sorted((listed | derived_aliases(name, kind)) - {name}))
        entries.append(ZoneEntry(key, name, kind, (row.get("level") or "").strip() or None, parent, aliases,
                                 (row.get("source") or "").strip() or None))
    return tuple(entries)


@dataclass(frozen=True, slots=True)
class MetricEntry:
    """One canonical indicator of the packaged vocabulary."""

    name: str
    code: str
    dimension: str
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def load_metrics() -> tuple[MetricEntry, ...]:
    """The packaged metric vocabulary."""
    return tuple(
        MetricEntry(r["name"], r["code"], r["dimension"],
                    tuple(a for a in (r.get("aliases") or "").split("|") if a))
        for r in _read_csv("metrics.csv")
    )


class Automaton:
    """Aho-Corasick matcher over a fixed set of surface strings (``ahocorasick_rs``, imported
    only when a matcher is built): leftmost-longest non-overlapping matches, or every match."""

    def __init__(self, table: dict[str, tuple[str, ...]]) -> None:
        self._surfaces = list(table)
        self._keys = list(table.values())
        self._matchers: dict[bool, Any] = {}

    @classmethod
    def build(cls, table: dict[str, tuple[str, ...]]) -> Automaton:
        return cls(table)

    def __getstate__(self) -> dict[str, Any]:  # matchers are rebuilt on first use after pickling
        return {"_surfaces": self._surfaces, "_keys": self._keys, "_matchers": {}}

    def _matcher(self, overlapping: bool) -> Any:
        matcher = self._matchers.get(overlapping)
        if matcher is None:
            import ahocorasick_rs

            kind = ahocorasick_rs.MatchKind.Standard if overlapping else ahocorasick_rs.MatchKind.LeftmostLongest
            matcher = self._matchers[overlapping] = ahocorasick_rs.AhoCorasick(self._surfaces, matchkind=kind)
        return matcher

    def find(self, text: str, *, overlapping: bool = False) -> Iterator[Mention]:
        """Matches in ``text`` (character offsets): leftmost-longest and non-overlapping, or
        every match (ordered by end)."""
        if not self._surfaces or not text:
            return
        surfaces, keys = self._surfaces, self._keys
        for i, start, end in self._matcher(overlapping).find_matches_as_indexes(text, overlapping=overlapping):
            yield Mention(start, end, surfaces[i], keys[i])

    def contains_any(self, text: str) -> bool:
        """Whether any surface occurs in ``text``."""
        return bool(self._surfaces and text and self._matcher(False).find_matches_as_indexes(text))


@dataclass(frozen=True)
class Gazetteer:
    """Zones and metrics with their matchers; build once, share everywhere."""

    zones: dict[str, ZoneEntry]
    metrics: dict[str, MetricEntry]
    zone_matcher: Automaton
    metric_index: dict[str, str]  # alias or name → canonical metric name
    indicator_words: Automaton

    def find_zones(self, text: str) -> list[Mention]:
        """Zone names in ``text``, leftmost-longest."""
        return list(self.zone_matcher.find(text))

    def is_indicator(self, phrase: str) -> bool:
        """Whether ``phrase`` names an economic or statistical indicator (holds an indicator word)."""
        return self.indicator_words.contains_any(phrase)

    def canonical_metric(self, phrase: str) -> str | None:
        """The canonical metric whose name or alias is exactly ``phrase``."""
        return self.metric_index.get(phrase)

    def ancestors(self, key: str) -> list[str]:
        """Keys of the administrative areas containing ``key`` (nearest first)."""
        out: list[str] = []
        entry = self.zones.get(key)
        seen = set()
        while entry is not None and entry.parent and entry.parent not in seen:
            seen.add(entry.parent)
            parent = self.zones.get(entry.parent) or self._by_name(entry.parent)
            if parent is None:
                break
            out.append(parent.key)
            entry = parent
        return out

    def _by_name(self, name: str) -> ZoneEntry | None:
        for entry in self.zones.values():
            if entry.name == name:
                return entry
        return None


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer of the packaged reference data."""
    zones = {z.key: z for z in load_zones()}
    table: dict[str, list[str]] = {}
    for z in zones.values():
        if z.kind == "county" and len(z.name) < 3:
            continue  # two-character county names (城区, 郊区) are ordinary words
        # Counties match by full name only: their short forms (通道 for 通道侗族自治县) are words.
        for surface in (z.name,) if z.kind == "county" else (z.name, *z.aliases):
            table.setdefault(surface, []).append(z.key)
    metrics = {m.name: m for m in load_metrics()}
    index: dict[str, str] = {}
    for m in metrics.values():
        index[m.name] = m.name
        for alias in m.aliases:
            index.setdefault(alias, m.name)
    return Gazetteer(
        zones=zones,
        metrics=metrics,
        zone_matcher=Automaton.build({k: tuple(v) for k, v in table.items()}),
        metric_index=index,
        indicator_words=Automaton.build({w: (w,) for w in load_word_list("indicator_words.txt")}),
    )


def load_word_list(filename: str) -> list[str]:
    """A packaged word list: one word a line, ``#`` comments."""
    path = resources.files("zonedb.data").joinpath(filename)
    lines = path.read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.startswith("#")]
