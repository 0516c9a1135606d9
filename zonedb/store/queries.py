"""Read side: observations for export and queries, reference data with counts, read-only SQL.

Every filter is a bound parameter; user text is never formatted into SQL.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, create_engine, func, select, text, union
from sqlalchemy.exc import DBAPIError

from zonedb.errors import ReadOnlyError, ZonedbError
from zonedb.store.engine import sqlite_path, sqlite_readonly_uri
from zonedb.store.models import Metric, MetricAlias, Observation, Zone, ZoneAlias

OBSERVATION_COLUMNS = (
    "id", "document", "source", "published", "article_id", "article_seq", "article_title", "zone",
    "zone_kind", "metric", "metric_text", "period", "period_kind", "period_start", "period_end",
    "value", "value_exact", "value_high", "unit", "dimension", "qualifier", "measure", "modifiers",
    "scope", "printed", "span_start", "span_end", "doc_start", "doc_end", "evidence",
    "zone_inferred", "unit_inferred",
)


def zone_ids(conn: Connection, name: str) -> list[int]:
    """Zones whose canonical name or any alias is ``name``."""
    # A UNION of three indexed lookups: an OR across the outer join would scan every zone.
    stmt = union(
        select(Zone.id).where(Zone.name == bindparam("n")),
        select(Zone.id).where(Zone.key == bindparam("n")),
        select(ZoneAlias.zone_id).where(ZoneAlias.alias == bindparam("n")),
    )
    return sorted(conn.execute(stmt, {"n": name}).scalars())


def metric_ids(conn: Connection, name: str) -> list[int]:
    """Metrics whose name or alias is ``name``."""
    stmt = union(
        select(Metric.id).where(Metric.name == bindparam("n")),
        select(MetricAlias.metric_id).where(MetricAlias.alias == bindparam("n")),
    )
    return sorted(conn.execute(stmt, {"n": name}).scalars())


def iter_observations(engine: Engine, *, zone: str | None = None, metric: str | None = None,
                      date_from: dt.date | None = None, date_to: dt.date | None = None,
                      ) -> Iterator[dict[str, Any]]:
    """Rows of ``v_observation`` (one per observation), filtered, in a stable order.

    ``zone`` and ``metric`` match canonical names and aliases; ``date_from``/``date_to``
    keep observations whose period overlaps the range (those without a period are kept
    only when no range is given).
    """
    with engine.connect() as conn:
        where, params = [], {}
        if zone is not None:
            ids = zone_ids(conn, zone)
            if not ids:
                return
            where.append("o.zone_id IN :zone_ids")
            params["zone_ids"] = ids
        if metric is not None:
            ids = metric_ids(conn, metric)
            if not ids:
                return
            where.append("o.metric_id IN :metric_ids")
            params["metric_ids"] = ids
        if date_from is not None:
            where.append("coalesce(v.period_end, v.period_start) >= :date_from")
            params["date_from"] = date_from.isoformat()
        if date_to is not None:
            where.append("coalesce(v.period_start, v.period_end) <= :date_to")
            params["date_to"] = date_to.isoformat()
        sql = "SELECT v.* FROM v_observation v JOIN observation o ON o.id = v.id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY v.published, v.document, v.article_seq, v.span_start, v.id"
        stmt = text(sql)
        for key in ("zone_ids", "metric_ids"):
            if key in params:
                stmt = stmt.bindparams(bindparam(key, expanding=True))
        result = conn.execution_options(stream_results=True).execute(stmt, params)
        for row in result.mappings():
            yield dict(row)


def zone_counts(engine: Engine, *, kind: str | None = None, used_only: bool = False) -> list[dict[str, Any]]:
    """Zones with their observation counts, most observed first."""
    n = func.count(Observation.id).label("observations")
    stmt = (select(Zone.name, Zone.kind, Zone.level, Zone.key, n)
            .outerjoin(Observation, Observation.zone_id == Zone.id).group_by(Zone.id))
    if kind:
        stmt = stmt.where(Zone.kind == kind)
    if used_only:
        stmt = stmt.having(n > 0)
    stmt = stmt.order_by(n.desc(), Zone.name)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]


def metric_counts(engine: Engine, *, used_only: bool = False) -> list[dict[str, Any]]:
    """Metrics with their observation counts, most observed first."""
    n = func.count(Observation.id).label("observations")
    stmt = (select(Metric.name, Metric.code, Metric.dimension, Metric.builtin, n)
            .outerjoin(Observation, Observation.metric_id == Metric.id).group_by(Metric.id))
    if used_only:
        stmt = stmt.having(n > 0)
    stmt = stmt.order_by(n.desc(), Metric.name)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]


# -- read-only SQL ---------------------------------------------------------------------------
_ALLOWED_ACTIONS = {
    sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE,
}


def _authorizer(action: int, arg1: str | None, *_rest: object) -> int:
    if action in _ALLOWED_ACTIONS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _sqlite_readonly(path: Path, sql: str, params: dict[str, Any]) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    if not path.exists():
        raise ZonedbError(f"no database at {path}")
    conn = sqlite3.connect(sqlite_readonly_uri(path), uri=True)
    conn.set_authorizer(_authorizer)
    try:
        cursor = conn.execute(sql, params)
    except (sqlite3.DatabaseError, sqlite3.ProgrammingError, sqlite3.Warning) as exc:
        conn.close()
        message = str(exc)
        if "not authorized" in message or "readonly" in message:
            raise ReadOnlyError(f"read-only: this statement would change the database ({message})") from None
        raise ZonedbError(f"SQL error: {message}") from None
    columns = [d[0] for d in cursor.description or ()]

    def rows() -> Iterator[tuple[Any, ...]]:
        try:
            yield from cursor
        finally:
            conn.close()

    return columns, rows()


_DOLLAR_TAG = re.compile(r"\$[A-Za-z_0-9]*\$")
_READING = {"select", "with", "values", "table", "show", "explain"}


def _one_statement(sql: str) -> str:
    """``sql`` without trailing semicolons; refuse a second statement after the first
    (quotes, identifiers, comments and dollar-quoted strings are skipped over)."""
    i, n, end = 0, len(sql), None
    while i < n:
        ch = sql[i]
        if ch in "'\"":
            j = sql.find(ch, i + 1)
            while j != -1 and j + 1 < n and sql[j + 1] == ch:
                j = sql.find(ch, j + 2)
            i = n if j == -1 else j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j == -1 else j + 1
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            i = n if j == -1 else j + 2
        elif ch == "$" and (m := _DOLLAR_TAG.match(sql, i)):
            j = sql.find(m.group(), m.end())
            i = n if j == -1 else j + len(m.group())
        elif ch == ";":
            if end is None:
                end = i
            i += 1
        else:
            if end is not None and not ch.isspace():
                raise ReadOnlyError("read-only: give one statement only (a second one follows a semicolon)")
            i += 1
    return sql if end is None else sql[:end]


def _check_reading(sql: str) -> str:
    """One statement that starts like a query (SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN)."""
    statement = _one_statement(sql)
    stripped = re.sub(r"^(\s|--[^\n]*(\n|$)|/\*.*?\*/)+", "", statement, flags=re.S)
    first = re.match(r"[A-Za-z]+", stripped)
    if first is None or first.group().lower() not in _READING:
        raise ReadOnlyError("read-only: only queries (SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN) may run")
    return statement


def run_readonly_sql(url: str, sql: str, params: dict[str, Any] | None = None
                     ) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """Run one statement read-only; return its column names and a row iterator.

    SQLite files are opened with ``mode=ro`` and an authorizer that allows only reading, so
    writes, ATTACH and PRAGMA fail before they touch the file; other engines accept one
    statement that starts like a query and run it in a read-only transaction (PostgreSQL:
    ``SET TRANSACTION READ ONLY``, so functions that write fail too).

    :raises ReadOnlyError: the statement tries to write or to change the connection.
    :raises ZonedbError: the statement is not valid SQL.
    """
    path = sqlite_path(url)
    if path is not None:
        return _sqlite_readonly(path, sql, params or {})
    sql = _check_reading(sql)
    engine = create_engine(url)
    conn = engine.connect()
    try:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        result = conn.execute(text(sql), params or {})
    except DBAPIError as exc:
        conn.close()
        engine.dispose()
        message = str(exc.orig)
        if "read-only" in message:
            raise ReadOnlyError(f"read-only: this statement would change the database ({message})") from None
        raise ZonedbError(f"SQL error: {message}") from None
    columns = list(result.keys())

    def rows() -> Iterator[tuple[Any, ...]]:
        try:
            yield from (tuple(r) for r in result)
        finally:
            conn.rollback()
            conn.close()
            engine.dispose()

    return columns, rows()


def iter_observation(engine: Engine, observation_id: int) -> dict[str, Any] | None:
    """One observation with its sentence, the figure marked 【…】, and the page the figure is on."""
    stmt = text(
        "SELECT v.*, a.body AS body, a.page AS page, o.sentence_start AS s0, o.sentence_end AS s1, "
        "d.media_type AS media_type "
        "FROM v_observation v JOIN observation o ON o.id = v.id JOIN article a ON a.id = o.article_id "
        "JOIN document d ON d.id = a.document_id WHERE v.id = :id"
    )
    with engine.connect() as conn:
        row = conn.execute(stmt, {"id": observation_id}).mappings().first()
    if row is None:
        return None
    out = dict(row)
    body, s0, s1, a, b = out.pop("body"), out.pop("s0"), out.pop("s1"), out["span_start"], out["span_end"]
    out["marked"] = (body[s0:a] + "【" + body[a:b] + "】" + body[b:s1]).replace("\n", "").strip()
    if out.pop("media_type") == "application/pdf" and out["page"] is not None:
        # article.page is the page the article starts on; PDF page texts hold no blank line,
        # so every "\n\n" (the reader's PAGE_SEPARATOR) before the figure is one page break.
        out["page"] += body.count("\n\n", 0, a)
    return out
