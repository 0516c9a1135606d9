"""Open a zonedb database: create or upgrade its schema and load the reference data."""

from __future__ import annotations

import importlib.util
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from zonedb.gazetteer import Gazetteer, _read_csv, load_metrics, load_zones
from zonedb.store.engine import make_engine, resolve_url, sqlite_path, sqlite_readonly_uri
from zonedb.store.models import Metric, MetricAlias, Zone, ZoneAlias
from zonedb.store.upsert import insert_ignore


@dataclass
class Database:
    """An open database: its URL, a write engine and a session factory."""

    url: str
    engine: Engine
    backup: Path | None = None

    def session(self) -> Session:
        """A new ORM session (use as a context manager)."""
        return sessionmaker(self.engine, expire_on_commit=False)()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_database(db: str | None = None, *, upgrade: bool = True,
                  gazetteer: Gazetteer | None = None) -> Database:
    """Open ``db`` (a path or an SQLAlchemy URL; default ``$ZONEDB_DATABASE_URL`` or
    ``./zonedb.sqlite``), creating or upgrading the schema on first use.

    :raises zonedb.errors.SchemaError: the database is newer than this zonedb, or not zonedb's.
    """
    url = resolve_url(db)
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    backup = None
    if upgrade and not (_at_head(path) if path is not None else _engine_at_head(engine)):
        from zonedb.store import migrate  # Alembic loads only when there is something to check

        backup = migrate.upgrade(engine)
    database = Database(url, engine, backup)
    if upgrade:
        sync_reference_data(database, gazetteer)
    return database


_REVISION = re.compile(r"""^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:['"]([^'"]+)['"]|None)""", re.M)


@lru_cache(maxsize=1)
def packaged_head() -> str | None:
    """The newest migration revision, read from the migration scripts without Alembic
    (None when the scripts do not form one simple chain; callers then ask Alembic)."""
    spec = importlib.util.find_spec("zonedb._migrations")
    if spec is not None and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations))) / "versions"
    else:
        folder = Path(__file__).resolve().parents[2] / "migrations" / "versions"
    revisions, parents = set(), set()
    for script in folder.glob("*.py"):
        found = dict((k, v) for k, v in _REVISION.findall(script.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
            if found.get("down_revision"):
                parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_head(path: Path) -> bool:
    """True when the SQLite file at ``path`` is already at the newest revision (a read of one
    row: opening an up-to-date database then needs neither Alembic nor a write)."""
    head = packaged_head()
    if head is None or not path.exists():
        return False
    try:
        conn = sqlite3.connect(sqlite_readonly_uri(path), uri=True)
        try:
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return rows == [(head,)]


def _engine_at_head(engine: Engine) -> bool:
    """Like :func:`_at_head` for a server database (PostgreSQL): one read, no Alembic."""
    head = packaged_head()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    except DBAPIError:
        return False
    return [tuple(r) for r in rows] == [(head,)]


def sync_reference_data(db: Database, gaz: Gazetteer | None = None) -> None:
    """Insert packaged zones and metrics (with aliases) that the database does not hold yet."""
    with db.session() as session, session.begin():
        n_zones = session.scalar(select(func.count()).select_from(Zone).where(Zone.builtin.is_(True)))
        n_metrics = session.scalar(select(func.count()).select_from(Metric).where(Metric.builtin.is_(True)))
        # One entry per CSV row: counting the rows is enough to see that nothing is missing.
        if gaz is None and (n_zones, n_metrics) == (len(_read_csv("zones.csv")), len(_read_csv("metrics.csv"))):
            return
        zones = list(gaz.zones.values()) if gaz is not None else list(load_zones())
        metrics = list(gaz.metrics.values()) if gaz is not None else list(load_metrics())
        if n_zones == len(zones) and n_metrics == len(metrics):
            return
        conn = session.connection()
        conn.execute(insert_ignore(conn, Zone, ["key"]), [
            {"key": z.key, "name": z.name, "kind": z.kind, "level": z.level, "source": z.source, "builtin": True}
            for z in zones
        ])
        ids = {k: i for k, i in session.execute(select(Zone.key, Zone.id))}
        parents = [{"id": ids[z.key], "parent_id": ids[z.parent]}
                   for z in zones if z.parent and z.parent in ids]
        if parents:
            session.execute(update(Zone), parents)
        alias_rows = [{"zone_id": ids[z.key], "alias": a} for z in zones for a in z.aliases]
        if alias_rows:
            conn.execute(insert_ignore(conn, ZoneAlias, ["alias", "zone_id"]), alias_rows)
        conn.execute(insert_ignore(conn, Metric, ["name"]), [
            {"name": m.name, "code": m.code, "dimension": m.dimension, "builtin": True}
            for m in metrics
        ])
        mids = {n: i for n, i in session.execute(select(Metric.name, Metric.id))}
        rows = [{"metric_id": mids[m.name], "alias": a} for m in metrics for a in m.aliases]
        if rows:
            conn.execute(insert_ignore(conn, MetricAlias, ["alias", "metric_id"]), rows)
