"""Shared fixtures: real databases (SQLite files in a temporary folder, or fresh PostgreSQL
databases when ``ZONEDB_TEST_DATABASE_URL`` names a server), the shared evaluation material."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from zonedb.store.engine import resolve_url

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"
EXAMPLES = REPO / "examples"


def need(path: Path) -> Path:
    """Skip the test when the shared material (seed page, corpus, gold) is not beside the repo."""
    if not path.exists():
        pytest.skip(f"shared material not available: {path.name}")
    return path


def corpus_texts(every: int) -> list[tuple[str, str]]:
    """(file name, text) of every ``every``-th text file of the shared corpus, in name order
    (the test is skipped when the corpus is not there)."""
    files = sorted(need(CORPUS).rglob("*.txt"))[::every]
    assert files
    return [(path.name, path.read_text(encoding="utf-8")) for path in files]


# -- which engine the engine-agnostic tests run on --------------------------------------------
TEST_DATABASE_ENV = "ZONEDB_TEST_DATABASE_URL"
SERVER_URL = os.environ.get(TEST_DATABASE_ENV) or None
ON_POSTGRES = SERVER_URL is not None and make_url(SERVER_URL).get_backend_name() == "postgresql"
ENGINE_NAME = "postgresql" if ON_POSTGRES else "sqlite"


def sqlite_only(reason: str) -> None:
    """Skip (with the reason shown) when the suite runs on PostgreSQL."""
    if ON_POSTGRES:
        pytest.skip(f"SQLite-specific: {reason}")


def need_postgres() -> str:
    """The PostgreSQL server URL, or skip when none is configured."""
    if not ON_POSTGRES:
        pytest.skip(f"needs PostgreSQL: set {TEST_DATABASE_ENV}=postgresql+psycopg://user@host:port/db")
    assert SERVER_URL is not None
    return SERVER_URL


@lru_cache(maxsize=1)
def _admin() -> Engine:
    assert SERVER_URL is not None
    return create_engine(SERVER_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def create_pg_database() -> str:
    """A fresh, empty PostgreSQL database on the test server; returns its URL."""
    name = f"test_{secrets.token_hex(6)}"
    with _admin().connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)  # type: ignore[arg-type]


def drop_pg_database(url: str) -> None:
    name = make_url(url).database
    with _admin().connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def new_db(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Make a fresh database: ``new_db("one.sqlite")`` gives a file path in the test's folder
    on SQLite, or the URL of a new PostgreSQL database (dropped after the test)."""
    made: list[str] = []

    def make(name: str = "test.sqlite") -> str:
        if not ON_POSTGRES:
            return str(tmp_path / name)
        url = create_pg_database()
        made.append(url)
        return url

    yield make
    for url in made:
        drop_pg_database(url)


@pytest.fixture
def database_url(new_db: Callable[[str], str]) -> str:
    """One fresh database for the test, as a path (SQLite) or URL (PostgreSQL)."""
    return new_db("test.sqlite")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite"


@pytest.fixture
def db_url(db_path: Path, new_db: Callable[[str], str]) -> str:
    """An SQLAlchemy URL: the SQLite file ``db_path``, or a fresh PostgreSQL database."""
    return new_db("test.sqlite") if ON_POSTGRES else f"sqlite:///{db_path}"


# -- looking into a database the same way on both engines ---------------------------------------
def _plain(value: Any) -> Any:
    # SQLite hands dates back as text and booleans as 0/1: give PostgreSQL's values that shape.
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def rows(db: str | Path, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of one query on ``db`` (a path or URL), dates as ISO text and booleans as 0/1."""
    engine = create_engine(resolve_url(str(db)), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(_plain(v) for v in r) for r in conn.execute(text(sql), params or {})]
    finally:
        engine.dispose()


def dict_rows(db: str | Path, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    engine = create_engine(resolve_url(str(db)), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [{k: _plain(v) for k, v in r.items()} for r in conn.execute(text(sql), params or {}).mappings()]
    finally:
        engine.dispose()


def execute(db: str | Path, sql: str, params: dict[str, Any] | None = None) -> None:
    """Run one writing statement on ``db`` and commit."""
    engine = create_engine(resolve_url(str(db)), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params or {})
    finally:
        engine.dispose()


def scalar(db: str | Path, sql: str, params: dict[str, Any] | None = None) -> Any:
    return rows(db, sql, params)[0][0]


NewDb = Callable[[str], str]
