"""Open a zonedb database: create or upgrade its schema and load the reference data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from zonedb.gazetteer import Gazetteer, default_gazetteer
from zonedb.store import migrate
from zonedb.store.engine import make_engine, resolve_url, sqlite_path
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
    backup = migrate.upgrade(engine) if upgrade else None
    database = Database(url, engine, backup)
    if upgrade:
        sync_reference_data(database, gazetteer or default_gazetteer())
    return database


def sync_reference_data(db: Database, gaz: Gazetteer) -> None:
    """Insert packaged zones and metrics (with aliases) that the database does not hold yet."""
    with db.session() as session, session.begin():
        n_zones = session.scalar(select(func.count()).select_from(Zone).where(Zone.builtin.is_(True)))
        n_metrics = session.scalar(select(func.count()).select_from(Metric).where(Metric.builtin.is_(True)))
        if n_zones == len(gaz.zones) and n_metrics == len(gaz.metrics):
            return
        conn = session.connection()
        conn.execute(insert_ignore(conn, Zone, ["key"]), [
            {"key": z.key, "name": z.name, "kind": z.kind, "level": z.level, "source": z.source, "builtin": True}
            for z in gaz.zones.values()
        ])
        ids = {k: i for k, i in session.execute(select(Zone.key, Zone.id))}
        parents = [{"id": ids[z.key], "parent_id": ids[z.parent]}
                   for z in gaz.zones.values() if z.parent and z.parent in ids]
        if parents:
            session.execute(update(Zone), parents)
        alias_rows = [{"zone_id": ids[z.key], "alias": a} for z in gaz.zones.values() for a in z.aliases]
        if alias_rows:
            conn.execute(insert_ignore(conn, ZoneAlias, ["alias", "zone_id"]), alias_rows)
        conn.execute(insert_ignore(conn, Metric, ["name"]), [
            {"name": m.name, "code": m.code, "dimension": m.dimension, "builtin": True}
            for m in gaz.metrics.values()
        ])
        mids = {n: i for n, i in session.execute(select(Metric.name, Metric.id))}
        rows = [{"metric_id": mids[m.name], "alias": a} for m in gaz.metrics.values() for a in m.aliases]
        if rows:
            conn.execute(insert_ignore(conn, MetricAlias, ["alias", "metric_id"]), rows)
