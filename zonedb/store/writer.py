"""Write one extracted document (document, articles, observations) in one transaction."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import Connection, func, insert, select

from zonedb.store.models import Article, ArticleSeg, Document, Metric, Observation, Period, Zone
from zonedb.store.upsert import insert_ignore


# Named tuples, not dataclasses: under --jobs they cross process boundaries by the hundred
# thousand, and tuples pickle several times faster.
class ObservationRow(NamedTuple):
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


class ArticleRow(NamedTuple):
    """What the writer needs of one article, with its observations."""

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


# An article batch is written with one statement per table; these bound its size (and memory).
ARTICLE_BATCH = 256
BATCH_CHARS = 1_000_000


def _insert_ids(conn: Connection, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` into ``model``'s table in one statement; their new ids, in row order."""
    table = model.__table__
    if not rows:
        return []
    if conn.dialect.name == "sqlite":
        # Writers hold the write lock (BEGIN IMMEDIATE) and the ids are plain rowids, so the
        # new rows get max(id) + 1, … — the very ids SQLite would give them one by one.
        first = (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        ids = list(range(first, first + len(rows)))
        conn.execute(table.insert(), [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
        return ids
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(conn.execute(stmt, rows).scalars())


def _write_articles(conn: Connection, cache: KeyCache, batch: list[tuple[int, int, ArticleRow]],
                    counts: list[list[int]], index: bool) -> None:
    """Write a batch of (document position, document id, article) with their observations."""
    arts = [art for _, _, art in batch]
    _prefetch(conn, cache, arts)
    # _prefetch has looked up or created every key of the batch: ids come from the cache.
    art_ids = _insert_ids(conn, Article, [
        {"document_id": doc_id, "seq": art.seq, "title": art.title, "body": art.body,
         "doc_start": art.doc_start, "doc_end": art.doc_end, "page": art.page,
         "zone_id": cache.zones[art.zone_key] if art.zone_key else None, "body_hash": art.body_hash}
        for _, doc_id, art in batch])
    if index:
        conn.execute(ArticleSeg.__table__.insert(), [
            {"article_id": art_id, "title_seg": art.title_seg, "body_seg": art.body_seg}
            for art_id, art in zip(art_ids, arts, strict=True)])
    rows = []
    zones, metrics, periods = cache.zones, cache.metrics, cache.periods
    for (k, doc_id, art), art_id in zip(batch, art_ids, strict=True):
        counts[k][0] += 1
        counts[k][1] += len(art.observations)
        for obs in art.observations:
            rows.append(((doc_id, art_id, zones[obs.zone_key], metrics[obs.metric],
                          periods[obs.period_code] if obs.period_code is not None else None), obs.values))
    if rows:
        _insert_observations(conn, rows)


_ID_COLUMNS = ("document_id", "article_id", "zone_id", "metric_id", "period_id")
_VALUE_COLUMNS = tuple(c.name for c in Observation.__table__.columns if c.name not in ("id", *_ID_COLUMNS))
_values_of = operator.itemgetter(*_VALUE_COLUMNS)
_CONFLICT = ["article_id", "span_start", "span_end", "metric_id"]
_SQLITE_INSERT = (
    f"INSERT INTO observation ({', '.join(_ID_COLUMNS + _VALUE_COLUMNS)}) "
    f"VALUES ({', '.join('?' * (len(_ID_COLUMNS) + len(_VALUE_COLUMNS)))}) "
    f"ON CONFLICT ({', '.join(_CONFLICT)}) DO NOTHING"
)


def _insert_observations(conn: Connection, rows: list[tuple[tuple[Any, ...], dict[str, Any]]]) -> None:
    """Insert observations given as (ids in :data:`_ID_COLUMNS` order, values by column),
    skipping one already stored (same article, span and metric)."""
    if conn.dialect.name == "sqlite":
        # Plain tuples through the driver: SQLAlchemy's parameter processing, row by row,
        # costs more than SQLite's own insert (the values need no conversion on SQLite).
        conn.exec_driver_sql(_SQLITE_INSERT, [ids + _values_of(values) for ids, values in rows])
        return
    conn.execute(insert_ignore(conn, Observation, _CONFLICT),
                 [{**values, **dict(zip(_ID_COLUMNS, ids, strict=True))} for ids, values in rows])


def write_documents(conn: Connection, cache: KeyCache,
                    documents: Sequence[tuple[dict[str, Any], Iterable[ArticleRow]]], *,
                    index: bool = False) -> list[tuple[int, int]]:
    """Insert documents with their articles and observations on ``conn`` (inside the caller's
    transaction); return (articles written, observations written) per document.

    Rows go in batches of up to :data:`ARTICLE_BATCH` articles (or :data:`BATCH_CHARS`
    characters), one statement per table and batch, across documents.  A document's
    ``articles`` may be a generator: each batch is written as it fills, so memory does not grow
    with the file.  Ids come out in input order, exactly as row-by-row writes would give them.
    With ``index`` the articles' segmented words go to the full-text index (``article_seg``).
    """
    doc_ids = _insert_ids(conn, Document, [record for record, _ in documents])
    counts = [[0, 0] for _ in documents]
    batch: list[tuple[int, int, ArticleRow]] = []
    size = 0
    for k, ((_, articles), doc_id) in enumerate(zip(documents, doc_ids, strict=True)):
        for art in articles:
            batch.append((k, doc_id, art))
            size += len(art.body)
            if len(batch) >= ARTICLE_BATCH or size >= BATCH_CHARS:
                _write_articles(conn, cache, batch, counts, index)
                batch, size = [], 0
    if batch:
        _write_articles(conn, cache, batch, counts, index)
    return [(a, o) for a, o in counts]


def write_document(conn: Connection, cache: KeyCache, document: dict[str, Any],
                   articles: Iterable[ArticleRow], *, index: bool = False) -> tuple[int, int]:
    """:func:`write_documents` for one document."""
    return write_documents(conn, cache, [(document, articles)], index=index)[0]
