"""Engine creation: URL resolution and per-connection SQLite settings."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

DEFAULT_DB = "zonedb.sqlite"
ENV_VAR = "ZONEDB_DATABASE_URL"
BUSY_TIMEOUT_MS = 60_000


def resolve_url(db: str | None = None) -> str:
    """Turn ``--db`` (a path or an SQLAlchemy URL), else ``$ZONEDB_DATABASE_URL``, else
    ``./zonedb.sqlite``, into an SQLAlchemy URL string."""
    value = db or os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" in value:
        return value
    # Quoted, so a file name with %, ? or # stays that name instead of becoming URL syntax.
    return URL.create("sqlite", database=str(Path(value).expanduser())).render_as_string()


def sqlite_readonly_uri(path: Path) -> str:
    """A ``file:`` URI that opens ``path`` read-only (never creating it); ?, # and % in the
    name are quoted so they cannot become URI parameters."""
    return f"file:{quote(str(path.resolve()))}?mode=ro"


def sqlite_path(url: str) -> Path | None:
    """The database file of an SQLite URL, or None for other engines and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _sqlite_on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    _wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _wal(cursor) -> None:  # type: ignore[no-untyped-def]
    # Switching a fresh file to WAL can fail with "database is locked" without waiting on the
    # busy timeout when another process opens it at the same moment: retry, within that timeout.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)


def _sqlite_autocommit_driver(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
    dbapi_connection.isolation_level = None


def _begin_immediate(conn) -> None:  # type: ignore[no-untyped-def]
    # Take the write lock up front: two writers then queue on the busy timeout instead of
    # failing with "database is locked" when a read transaction tries to upgrade.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, *, write: bool = True) -> Engine:
    """Create an engine; on SQLite turn on foreign keys, WAL and a busy timeout per connection,
    and (for writers) begin every transaction with ``BEGIN IMMEDIATE``."""
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_on_connect)
        if write:
            event.listen(engine, "connect", _sqlite_autocommit_driver)
            event.listen(engine, "begin", _begin_immediate)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    if write and make_url(url).get_backend_name() == "postgresql":
        event.listen(engine, "begin", _pg_writer_lock)
    return engine


# Key of the PostgreSQL advisory lock that write transactions take first (see below).
PG_WRITER_LOCK = 0x7A6F6E65  # "zone"


def _pg_writer_lock(conn) -> None:  # type: ignore[no-untyped-def]
    # PostgreSQL's counterpart of BEGIN IMMEDIATE: writers queue on one transaction-level
    # advisory lock, so two processes ingesting at once neither compute a fact from half of
    # the observations nor clash on a new fact's key; readers (zonedb sql, other engines)
    # are not held up.
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITER_LOCK})")
