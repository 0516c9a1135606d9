"""Write one extracted document (document, articles, observations) in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from zonedb.store.models import Article, ArticleSeg, Document, Metric, Observation, Period, Zone
from zonedb.store.upsert import insert_ignore


@dataclass(frozen=True, slots=True)
class ObservationRow:
    """What the writer needs of one observation (storage-agnostic)."""

    zone_key: str
    zone_name: str
    zone_kind: str
    metric: str
    period_code: str | None
    period_kind: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    period_label: str | None
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ArticleRow:
    seq: int
    title: str | None
    body: str
    doc_start: int
    doc_end: int
    page: int | None
    zone_key: str | None
    body_hash: str
    observations: list[ObservationRow]
    title_seg: str = ""  # search-mode words, space-joined, for the full-text index
    body_seg: str = ""


@dataclass
class KeyCache:
    """Ids of zones, metrics and periods already known, so each is looked up once per run."""

    zones: dict[str, int] = field(default_factory=dict)
    metrics: dict[str, int] = field(default_factory=dict)
    periods: dict[str, int] = field(default_factory=dict)

    def clear(self) -> None:
        self.zones.clear()
        self.metrics.clear()
        self.periods.clear()


_CHUNK = 500  # keys per IN (…) list, well under every database's parameter limit


def _ids(conn: Connection, column: Any, id_column: Any, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i in range(0, len(keys), _CHUNK):
        stmt = select(column, id_column).where(column.in_(keys[i : i + _CHUNK]))
        found.update((k, v) for k, v in conn.execute(stmt))
    return found


def _prefetch(conn: Connection, cache: KeyCache, articles: list[ArticleRow]) -> None:
    """Look up (and create) every zone, metric and period of a document in a few statements,
    in the order a row-by-row lookup would meet them, so ids come out the same."""
    zones: dict[str, dict[str, Any]] = {}
    metrics: dict[str, dict[str, Any]] = {}
    periods: dict[str, dict[str, Any]] = {}
    for art in articles:
        if art.zone_key and art.zone_key not in cache.zones and art.zone_key not in zones:
            zones[art.zone_key] = {"key": art.zone_key, "name": art.zone_key, "kind": "development_zone"}
        for obs in art.observations:
            if obs.zone_key not in cache.zones and obs.zone_key not in zones:
                zones[obs.zone_key] = {"key": obs.zone_key, "name": obs.zone_name or obs.zone_key,
                                       "kind": obs.zone_kind or "development_zone"}
            if obs.metric not in cache.metrics and obs.metric not in metrics:
                metrics[obs.metric] = {"name": obs.metric, "dimension": obs.values.get("dimension")}
            code = obs.period_code
            if code is not None and code not in cache.periods and code not in periods:
                periods[code] = {"code": code, "kind": obs.period_kind, "start_date": obs.period_start,
                                 "end_date": obs.period_end, "label": obs.period_label or code}
    for table, model, column, id_column, key, rows, extra in (
        (cache.zones, Zone, Zone.key, Zone.id, "key", zones,
         {"builtin": False, "source": "named in an ingested text"}),
        (cache.metrics, Metric, Metric.name, Metric.id, "name", metrics, {"builtin": False}),
        (cache.periods, Period, Period.code, Period.id, "code", periods, {}),
    ):
        if not rows:
            continue
        table.update(_ids(conn, column, id_column, list(rows)))
        missing = [{**row, **extra} for k, row in rows.items() if k not in table]
        if missing:
            # One statement for all new keys, in the order the text meets them; a key another
            # writer created meanwhile is skipped by ON CONFLICT and looked up below.
            conn.execute(insert_ignore(conn, model, [key]), missing)
            table.update(_ids(conn, column, id_column, [m[key] for m in missing]))


def write_document(conn: Connection, cache: KeyCache, document: dict[str, Any],
                   articles: Iterable[ArticleRow], *, index: bool = False) -> tuple[int, int]:
    """Insert a document with its articles and observations on ``conn`` (inside the caller's
    transaction); return (articles written, observations written).  ``articles`` may be a
    generator: each article is written as it comes, so memory does not grow with the file.
    With ``index`` the articles' segmented words go to the full-text index (``article_seg``)."""
    doc_id = conn.execute(Document.__table__.insert().returning(Document.id), document).scalar_one()
    n_obs = n_art = 0
    for art in articles:
        n_art += 1
        _prefetch(conn, cache, [art])
        # _prefetch has looked up or created every key of the article: ids come from the cache.
        zone_id = cache.zones[art.zone_key] if art.zone_key else None
        art_id = conn.execute(
            Article.__table__.insert().returning(Article.id),
            {"document_id": doc_id, "seq": art.seq, "title": art.title, "body": art.body,
             "doc_start": art.doc_start, "doc_end": art.doc_end, "page": art.page,
             "zone_id": zone_id, "body_hash": art.body_hash},
        ).scalar_one()
        if index:
            conn.execute(ArticleSeg.__table__.insert(),
                         {"article_id": art_id, "title_seg": art.title_seg, "body_seg": art.body_seg})
        rows = []
        for obs in art.observations:
            rows.append({
                **obs.values,
                "document_id": doc_id,
                "article_id": art_id,
                "zone_id": cache.zones[obs.zone_key],
                "metric_id": cache.metrics[obs.metric],
                "period_id": cache.periods[obs.period_code] if obs.period_code is not None else None,
            })
        if rows:
            conn.execute(insert_ignore(conn, Observation, ["article_id", "span_start", "span_end", "metric_id"]),
                         rows)
            n_obs += len(rows)
    return n_art, n_obs
