"""Copy a zonedb database to another engine (SQLite ⇄ PostgreSQL) with every row and id.

The target is created or upgraded to the newest schema, emptied (it must hold no document
unless ``replace`` is given), then filled table by table in dependency order with the
source's ids; self-references (``zone.parent_id``) are set after all rows of the table are
in.  On PostgreSQL the id sequences are moved past the copied ids, so the next ingest
continues from there.  The search index comes along as ``article_seg`` rows: SQLite's
triggers fill ``article_fts`` from them, PostgreSQL computes the tsvector column itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Table, bindparam, func, select, text, update

from zonedb.errors import ZonedbError
from zonedb.store.engine import make_engine, resolve_url, sqlite_path
from zonedb.store.models import Base, Document

__all__ = ["CopyResult", "copy_database", "reset_sequences"]

BATCH = 1000


@dataclass
class CopyResult:
    """Rows copied per table, in the order they were copied."""

    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def reset_sequences(conn: Connection) -> None:
    """PostgreSQL: move each table's id sequence past the largest id (after inserts that gave
    explicit ids); nothing elsewhere."""
    if conn.dialect.name != "postgresql":
        return
    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1:
            continue
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                           {"t": table.name, "c": pk[0].name}).scalar()
        if seq is None:
            continue
        conn.execute(text(f'SELECT setval(:s, coalesce((SELECT max("{pk[0].name}") FROM "{table.name}"), 0) + 1, '
                          "false)"), {"s": seq})


def _display(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def copy_database(source: str, target: str, *, replace: bool = False,
                  progress: Callable[[str, int], None] | None = None) -> CopyResult:
    """Copy every row of the zonedb database ``source`` into ``target`` (paths or URLs).

    :raises ZonedbError: the source is missing or not at the newest schema, the target holds
        documents and ``replace`` is false, or source and target are the same database.
    """
    from zonedb.store import migrate

    src_url, dst_url = resolve_url(source), resolve_url(target)
    if src_url == dst_url:
        raise ZonedbError("source and target are the same database")
    path = sqlite_path(src_url)
    if path is not None and not path.exists():
        raise ZonedbError(f"no database at {path}")
    src = make_engine(src_url, write=False)
    dst = make_engine(dst_url)
    try:
        head = migrate.head_revision()
        current = migrate.current_revision(src)
        if current != head:
            raise ZonedbError(
                f"the source is at schema revision {current or '(none)'}, not {head}: "
                "run `zonedb db upgrade` on it first")
        migrate.upgrade(dst)
        result = CopyResult(_display(src_url), _display(dst_url))
        with src.connect() as sconn, dst.begin() as dconn:
            n_docs = dconn.execute(select(func.count()).select_from(Document)).scalar_one()
            if n_docs and not replace:
                raise ZonedbError(f"the target already holds {n_docs} document(s); "
                                  "give --replace to overwrite it")
            tables = _tables()
            for table in reversed(tables):
                dconn.execute(table.delete())
            for table in tables:
                result.rows[table.name] = _copy_table(sconn, dconn, table)
                if progress is not None:
                    progress(table.name, result.rows[table.name])
            reset_sequences(dconn)
        return result
    finally:
        src.dispose()
        dst.dispose()


def _copy_table(sconn: Connection, dconn: Connection, table: Table) -> int:
    deferred = _self_references(table)
    pk = list(table.primary_key.columns)
    later: list[dict[str, object]] = []
    n = 0
    stmt = select(table).order_by(*pk)
    result = sconn.execution_options(stream_results=True, yield_per=BATCH).execute(stmt)
    for part in result.mappings().partitions(BATCH):
        rows = [dict(r) for r in part]
        if deferred:
            for r in rows:
                refs = {c: r[c] for c in deferred if r[c] is not None}
                if refs:
                    later.append({**{f"_{c.name}": r[c.name] for c in pk}, **refs})
                    r.update({c: None for c in refs})
        dconn.execute(table.insert(), rows)
        n += len(rows)
    if later:
        where = [c == bindparam(f"_{c.name}") for c in pk]
        for column in deferred:
            batch = [{**{k: v for k, v in r.items() if k.startswith("_")}, f"v_{column}": r[column]}
                     for r in later if column in r]
            if batch:
                dconn.execute(update(table).where(*where).values({column: bindparam(f"v_{column}")}), batch)
    return n
