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


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    if type_ == "table" and name is not None:
        return not name.startswith(_UNMANAGED_PREFIXES)
    return True


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
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option("sqlalchemy.url")
    engine = make_engine(resolve_url(url))
    with engine.connect() as conn:
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
