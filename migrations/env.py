"""Alembic environment: runs against a connection handed over by zonedb, or a URL."""

from __future__ import annotations

from alembic import context
from zonedb.store.engine import make_engine, resolve_url
from zonedb.store.models import Base

config = context.config
target_metadata = Base.metadata

# Views, FTS tables and their shadow tables are created with op.execute; autogenerate must
# not propose to drop them.
_UNMANAGED_PREFIXES = ("v_", "article_fts")


# On PostgreSQL the search index is a generated tsvector column of article_seg (and its GIN
# index), also created with op.execute.
_UNMANAGED_PG = {("column", "fts"), ("index", "ix_article_seg_fts")}

# Key of the PostgreSQL advisory lock held while migrating: two processes opening a fresh
# database at the same moment then run the migrations one after the other, and the second
# finds the schema already at head.
MIGRATION_LOCK_KEY = 0x7A6F6E656462  # "zonedb"


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    if type_ == "table" and name is not None:
        return not name.startswith(_UNMANAGED_PREFIXES)
    if (type_, name) in _UNMANAGED_PG and isinstance(parent_names, dict) \
            and parent_names.get("table_name") == "article_seg":
        return False
    return True


def _lock(connection) -> None:  # type: ignore[no-untyped-def]
    if connection.dialect.name == "postgresql":
        # Held until the migration transaction ends.
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _lock(connection)
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option("sqlalchemy.url")
    engine = make_engine(resolve_url(url))
    with engine.begin() as conn:
        _lock(conn)
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
