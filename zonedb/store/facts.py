"""Maintain the ``fact`` table and read facts and series.

A fact's observations are found by joining on its key columns (zone_id, metric_id,
period_id — NULL matching NULL — and measure); ``fact.key`` spells the key as text so it
can be unique on every database.  Refreshing recomputes only the keys asked for, updating
rows in place, so fact ids stay stable and ``rebuild`` gives the same table as a history
of incremental refreshes.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import itertools
import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    delete,
    exists,
    func,
    make_url,
    select,
    text,
    update,
)

from zonedb.facts import FactAccumulator, FactSummary
from zonedb.store.models import Article, Document, Fact, Observation
from zonedb.store.queries import metric_ids, zone_ids

Key = tuple[int, int, int | None, str]

__all__ = [
    "Key",
    "RefreshCounts",
    "fact_key",
    "finish_ingest",
    "is_current",
    "iter_facts",
    "iter_series",
    "last_observation_id",
    "rebuild",
    "refresh_since",
]


def fact_key(key: Key) -> str:
    """Text form of a key: ``zone:metric:period:measure`` with ``-`` for no period."""
    zone_id, metric_id, period_id, measure = key
    return f"{zone_id}:{metric_id}:{'-' if period_id is None else period_id}:{measure}"


@dataclass
class RefreshCounts:
    """What a refresh changed."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def add(self, other: RefreshCounts) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.deleted += other.deleted
        self.unchanged += other.unchanged


_BATCH_KEYS = 500  # keys summarised and written per step, so memory stays bounded


_ROW_CHUNK = 5_000  # observation rows resolved (bodies, documents) and folded per step


def _summaries(conn: Connection, stmt: Any) -> Iterator[tuple[Key, FactSummary]]:
    """(key, summary) for every key of the observations of ``stmt``, in key order, as they
    stream in.  Rows are folded into one accumulator per key a few thousand at a time, so
    memory stays bounded however many observations a key has."""
    ordered = stmt.order_by(Observation.zone_id, Observation.metric_id, Observation.period_id.nulls_first(),
                            Observation.measure, Observation.id)
    rows = _stream(conn, ordered)
    batch: dict[Key, FactAccumulator] = {}
    pending: list[Any] = []
    for key, group in itertools.groupby(rows, key=_KEY_OF_ROW):
        if len(batch) >= _BATCH_KEYS:
            _fold(conn, batch, pending)
            yield from ((k, acc.summary()) for k, acc in batch.items())
            batch = {}
        batch[key] = FactAccumulator()
        while chunk := list(itertools.islice(group, _ROW_CHUNK)):
            pending.extend(chunk)
            if len(pending) >= _ROW_CHUNK:
                _fold(conn, batch, pending)
    if batch:
        _fold(conn, batch, pending)
        yield from ((k, acc.summary()) for k, acc in batch.items())


def _write_facts(conn: Connection, summaries: Iterable[tuple[Key, FactSummary]]) -> RefreshCounts:
    """Write the facts of ``summaries`` (in key order) in batches."""
    counts = RefreshCounts()
    it = iter(summaries)
    while batch := dict(itertools.islice(it, _BATCH_KEYS)):
        counts.add(_apply(conn, list(batch), batch))
    return counts


def _stream(conn: Connection, stmt: Any) -> Iterable[Any]:
    """The rows of ``stmt`` as they come.  On SQLite they are the driver's own tuples, read on a
    cursor of the same connection (a refresh streams hundreds of thousands: SQLAlchemy's row
    objects cost more than the rest of the loop); elsewhere a server-side cursor."""
    if conn.dialect.name == "sqlite":
        compiled = stmt.compile(dialect=conn.dialect)
        params = compiled.construct_params()
        args = [params[name] for name in compiled.positiontup or ()]
        return conn.connection.driver_connection.execute(str(compiled), args)  # type: ignore[union-attr]
    # Options on the statement only: the inserts and updates of the refresh use ordinary cursors.
    return conn.execute(stmt.execution_options(stream_results=True, yield_per=2000))


# Observation columns only: the article's body hash and the document's date and publication are
# looked up once per batch (joining them row by row costs more than the whole rest of a refresh).
_OBS_COLUMNS = (
    Observation.id, Observation.document_id, Observation.article_id, Observation.value_exact,
    Observation.value_high_exact, Observation.unit, Observation.qualifier, Observation.printed,
    Observation.zone_id, Observation.metric_id, Observation.period_id, Observation.measure,
)
_KEY_OF_ROW = operator.itemgetter(8, 9, 10, 11)  # zone_id, metric_id, period_id, measure
_IN_CHUNK = 500


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _lookup(conn: Connection, columns: tuple[Any, ...], id_column: Any, ids: set[int]) -> dict[int, tuple[Any, ...]]:
    found: dict[int, tuple[Any, ...]] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), _IN_CHUNK):
        stmt = select(id_column, *columns).where(id_column.in_(ordered[i:i + _IN_CHUNK]))
        found.update((r[0], tuple(r[1:])) for r in conn.execute(stmt))
    return found


def _fold(conn: Connection, batch: dict[Key, FactAccumulator], rows: list[Any]) -> None:
    """Add ``rows`` to their keys' accumulators (looking up bodies and documents once) and
    empty ``rows``."""
    if not rows:
        return
    bodies = _lookup(conn, (Article.body_hash,), Article.id, {r[2] for r in rows})
    docs = {k: (_as_date(published), source or name) for k, (published, source, name) in
            _lookup(conn, (Document.published, Document.source, Document.name), Document.id,
                    {r[1] for r in rows}).items()}
    by_key: dict[Key, list[tuple[Any, ...]]] = {}
    # Plain tuples in FactObservation's field order (unpacked in _OBS_COLUMNS order).
    for (oid, doc_id, art_id, value_exact, value_high_exact, unit, qualifier, printed, *key) in rows:
        published, publication = docs[doc_id]
        by_key.setdefault(tuple(key), []).append(  # type: ignore[arg-type]
            (oid, doc_id, publication, bodies[art_id][0], published, value_exact, value_high_exact, unit,
             qualifier, printed))
    for key, observations in by_key.items():
        batch[key].add_many(observations)
    rows.clear()


def _base_select():  # type: ignore[no-untyped-def]
    return select(*_OBS_COLUMNS)


def _row(key: Key, s: FactSummary) -> dict[str, Any]:
    zone_id, metric_id, period_id, measure = key
    return {
        "key": fact_key(key), "zone_id": zone_id, "metric_id": metric_id, "period_id": period_id,
        "measure": measure, "status": s.status, "best_observation_id": s.best_observation_id,
        "value_exact": s.value_exact, "value": float(Decimal(s.value_exact)), "unit": s.unit,
        "qualifier": s.qualifier, "printed": s.printed, "value_low_exact": s.value_low_exact,
        "value_high_exact": s.value_high_exact, "n_observations": s.n_observations,
        "n_sources": s.n_sources, "n_documents": s.n_documents, "n_publications": s.n_publications, "n_values": s.n_values,
        "first_published": s.first_published, "last_published": s.last_published,
    }


_COMPARED = ("status", "best_observation_id", "value_exact", "unit", "qualifier", "printed",
             "value_low_exact", "value_high_exact", "n_observations", "n_sources", "n_documents", "n_publications",
             "n_values", "first_published", "last_published")


def _apply(conn: Connection, keys: Iterable[Key], summaries: dict[Key, FactSummary]) -> RefreshCounts:
    """Write the facts of ``keys``: insert, update or (for a key without a summary) delete."""
    counts = RefreshCounts()
    wanted = {fact_key(k): k for k in sorted(set(keys), key=_order)}
    existing: dict[str, dict[str, Any]] = {}
    names = list(wanted)
    table = Fact.__table__
    for i in range(0, len(names), 500):
        stmt = select(table).where(table.c.key.in_(names[i:i + 500]))
        existing.update({r["key"]: dict(r) for r in conn.execute(stmt).mappings()})
    inserts, updates, deletes = [], [], []
    for name, key in wanted.items():
        summary = summaries.get(key)
        old = existing.get(name)
        if summary is None:
            if old is not None:
                deletes.append(old["id"])
            continue
        new = _row(key, summary)
        if old is None:
            inserts.append(new)
        elif any(_same(old[c]) != _same(new[c]) for c in _COMPARED):
            updates.append({**new, "fact_id": old["id"]})
        else:
            counts.unchanged += 1
    if deletes:
        conn.execute(delete(table).where(table.c.id.in_(deletes)))
    if updates:
        stmt = update(table).where(table.c.id == bindparam("fact_id"))
        conn.execute(stmt, updates)
    if inserts:
        conn.execute(table.insert(), inserts)
    counts.inserted, counts.updated, counts.deleted = len(inserts), len(updates), len(deletes)
    return counts


def _order(key: Key) -> tuple[int, int, int, int, str]:
    return (key[0], key[1], key[2] is not None, key[2] or 0, key[3])


def _same(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def rebuild(conn: Connection) -> RefreshCounts:
    """Recompute every fact from all observations; drop facts left without observations."""
    counts = _write_facts(conn, _summaries(conn, _base_select()))
    table = Fact.__table__
    observed = exists().where(
        Observation.zone_id == table.c.zone_id, Observation.metric_id == table.c.metric_id,
        Observation.period_id.is_not_distinct_from(table.c.period_id), Observation.measure == table.c.measure)
    counts.deleted += conn.execute(delete(table).where(~observed)).rowcount
    return counts


# -- read side ---------------------------------------------------------------------------------
FACT_COLUMNS = (
    "id", "zone", "metric", "period", "period_label", "period_start", "period_end", "measure", "value", "value_exact",
    "unit", "qualifier", "printed", "value_low", "value_high", "status", "n_observations", "n_sources",
    "n_documents", "n_publications", "n_values", "first_published", "last_published", "best_observation_id",
    "observation_ids", "documents",
)


def _filters(conn: Connection, zone: str | None, metric: str | None) -> tuple[list[str], dict[str, Any]] | None:
    where: list[str] = []
    params: dict[str, Any] = {}
    if zone is not None:
        ids = zone_ids(conn, zone)
        if not ids:
            return None
        where.append("f.zone_id IN :zone_ids")
        params["zone_ids"] = ids
    if metric is not None:
        ids = metric_ids(conn, metric)
        if not ids:
            return None
        where.append("f.metric_id IN :metric_ids")
        params["metric_ids"] = ids
    return where, params


def _expanding(sql: str, params: dict[str, Any]):  # type: ignore[no-untyped-def]
    stmt = text(sql)
    for name in ("zone_ids", "metric_ids"):
        if name in params:
            stmt = stmt.bindparams(bindparam(name, expanding=True))
    return stmt


def iter_facts(engine: Engine, *, zone: str | None = None, metric: str | None = None,
               status: str | None = None, measure: str | None = None) -> Iterator[dict[str, Any]]:
    """Rows of ``v_fact``, filtered by zone/metric (names or aliases), status and measure."""
    with engine.connect() as conn:
        found = _filters(conn, zone, metric)
        if found is None:
            return
        where, params = found
        if status is not None:
            where.append("f.status = :status")
            params["status"] = status
        if measure is not None:
            where.append("f.measure = :measure")
            params["measure"] = measure
        sql = "SELECT v.* FROM v_fact v JOIN fact f ON f.id = v.id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += (" ORDER BY v.zone, v.metric, v.measure, v.period_start IS NULL, v.period_start, "
                "v.period_end, v.id")
        for row in conn.execute(_expanding(sql, params), params).mappings():
            yield dict(row)


SERIES_COLUMNS = ("zone", "metric", "measure", "period", "period_start", "period_end", "value", "unit",
                  "qualifier", "status", "n_sources", "printed", "observation_ids", "documents")
SERIES_BY_ISSUE_COLUMNS = ("zone", "metric", "measure", "period", "period_start", "period_end", "published",
                           "value", "unit", "qualifier", "values", "fact_status", "printed", "observation_ids",
                           "documents")


def iter_series(engine: Engine, *, zone: str, metric: str, measure: str | None = None,
                by_issue: bool = False) -> Iterator[dict[str, Any]]:
    """The value per period (facts), or with ``by_issue`` per period and publication date.

    By issue, ``value`` is the figure that issue printed (the one closest to the fact's best
    value when it printed several, all listed in ``values``).
    """
    if not by_issue:
        yield from iter_facts(engine, zone=zone, metric=metric, measure=measure)
        return
    facts = {r["id"]: r for r in iter_facts(engine, zone=zone, metric=metric, measure=measure)}
    if not facts:
        return
    with engine.connect() as conn:
        fact_of: dict[Key, int] = {}
        for r in conn.execute(select(Fact.id, Fact.zone_id, Fact.metric_id, Fact.period_id, Fact.measure)
                              .where(Fact.id.in_(list(facts)))):
            fact_of[(r.zone_id, r.metric_id, r.period_id, r.measure)] = r.id
        stmt = (select(Observation.id, Observation.zone_id, Observation.metric_id, Observation.period_id,
                       Observation.measure, Observation.value_exact, Observation.unit, Observation.qualifier,
                       Observation.printed, Document.published, Document.name)
                .join(Document, Document.id == Observation.document_id)
                .where(Observation.zone_id.in_({k[0] for k in fact_of}),
                       Observation.metric_id.in_({k[1] for k in fact_of}))
                .order_by(Document.published, Observation.id))
        issues: dict[tuple[int, dt.date], list[Any]] = defaultdict(list)
        for r in conn.execute(stmt):
            fid = fact_of.get((r.zone_id, r.metric_id, r.period_id, r.measure))
            if fid is not None:
                issues[(fid, _as_date(r.published))].append(r)
    order = {fid: i for i, fid in enumerate(facts)}
    for (fid, published), rows in sorted(issues.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        f = facts[fid]
        best = Decimal(f["value_exact"])
        pick = min(rows, key=lambda r: (r.unit != f["unit"], abs(Decimal(r.value_exact) - best), r.id))
        values = list(dict.fromkeys(f"{r.printed}" for r in rows))
        yield {
            "zone": f["zone"], "metric": f["metric"], "measure": f["measure"], "period": f["period"],
            "period_start": f["period_start"], "period_end": f["period_end"], "published": published,
            "value": pick.value_exact, "value_exact": pick.value_exact, "unit": pick.unit,
            "qualifier": pick.qualifier, "values": "; ".join(values), "fact_status": f["status"],
            "printed": pick.printed, "observation_ids": ",".join(str(r.id) for r in rows),
            "documents": ",".join(dict.fromkeys(r.name for r in rows)), "fact_id": fid,
        }


def last_observation_id(conn: Connection) -> int:
    """The highest observation id so far (0 for none): an ingest refreshes what comes after it."""
    return conn.execute(select(func.max(Observation.id))).scalar() or 0


def _since(observation_id: int, part: tuple[int, int] | None = None) -> Any:
    """The observations of every key that has one newer than ``observation_id``; with
    ``part`` = (k, n), only the keys whose zone id is k modulo n."""
    keys_stmt = (select(Observation.zone_id, Observation.metric_id, Observation.period_id, Observation.measure)
                 .where(Observation.id > observation_id).distinct())
    if part is not None:
        keys_stmt = keys_stmt.where(Observation.zone_id % part[1] == part[0])
    new_keys = keys_stmt.subquery()
    return _base_select().join(new_keys, and_(
        new_keys.c.zone_id == Observation.zone_id, new_keys.c.metric_id == Observation.metric_id,
        new_keys.c.period_id.is_not_distinct_from(Observation.period_id),
        new_keys.c.measure == Observation.measure))


def _part_summaries(url: str, observation_id: int, parts: int, part: int) -> Iterator[tuple[Key, FactSummary]]:
    """:func:`_summaries` of one part of the keys, on a connection of its own (in a helper
    process; the observations are committed and the writer holds the write lock, so it reads
    what the writer sees)."""
    from zonedb.store.engine import make_engine

    engine = make_engine(url, write=False)
    try:
        with engine.connect() as conn:
            yield from _summaries(conn, _since(observation_id, (part, parts)))
    finally:
        engine.dispose()


def _shareable(url: str) -> bool:
    """Whether another process can open the database at ``url`` (not an in-memory SQLite)."""
    u = make_url(url)
    return u.get_backend_name() != "sqlite" or u.database not in (None, "", ":memory:")


def refresh_since(conn: Connection, observation_id: int, *, jobs: int = 1, url: str | None = None) -> RefreshCounts:
    """Recompute the facts of every key that has an observation newer than ``observation_id``
    (the facts an ingest run touched), reading each key's observations in one statement.

    With ``jobs`` > 1 and the database's ``url``, ``jobs - 1`` helper processes summarise
    parts of the keys while this one summarises its own; the facts are written here, in key
    order, exactly as one process writes them.
    """
    if jobs <= 1 or url is None or not _shareable(url):
        return _write_facts(conn, _summaries(conn, _since(observation_id)))
    from zonedb.parallel import streamed_from_processes

    others = streamed_from_processes(functools.partial(_part_summaries, url, observation_id, jobs), range(1, jobs))
    try:
        mine = _summaries(conn, _since(observation_id, (0, jobs)))
        return _write_facts(conn, heapq.merge(mine, *others, key=lambda item: _order(item[0])))
    finally:
        for stream in others:
            stream.close()


def is_current(conn: Connection) -> bool:
    """Whether the facts account for every observation (false after an interrupted ingest)."""
    n_obs = conn.execute(select(func.count()).select_from(Observation)).scalar() or 0
    n_counted = conn.execute(select(func.coalesce(func.sum(Fact.n_observations), 0))).scalar() or 0
    return int(n_obs) == int(n_counted)


def finish_ingest(conn: Connection, observation_id: int, *, jobs: int = 1, url: str | None = None) -> RefreshCounts:
    """End of an ingest run: refresh the facts it touched (see :func:`refresh_since` for
    ``jobs`` and ``url``); if facts are still behind the observations (a run that was killed
    before this step), rebuild them all."""
    counts = refresh_since(conn, observation_id, jobs=jobs, url=url)
    if not is_current(conn):
        counts = rebuild(conn)
    return counts
