"""Schema migrations, run programmatically with Alembic.

The migration scripts live in the top-level ``migrations/`` folder of a checkout and ship
inside the installed package as ``zonedb._migrations``, so an installed zonedb creates and
upgrades databases anywhere.  Before an automatic upgrade of an SQLite file that already
holds data, the file is copied to ``<file>.bak-<revision>``.
"""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from zonedb.errors import SchemaError
from zonedb.store.engine import sqlite_path


def script_location() -> str:
    """Folder of the Alembic scripts: the packaged copy, else the checkout's ``migrations/``."""
    spec = importlib.util.find_spec("zonedb._migrations")
    if spec is not None and spec.submodule_search_locations:
        return str(Path(next(iter(spec.submodule_search_locations))))
    return str(Path(__file__).resolve().parents[2] / "migrations")


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to ``engine`` (no ini file needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", script_location())
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The newest revision this zonedb knows."""
    head = ScriptDirectory(script_location()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a database zonedb never touched."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _run(engine: Engine, fn: str, *args: object) -> None:
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, fn)(cfg, *args)


def upgrade(engine: Engine, revision: str = "head", *, backup: bool = True) -> Path | None:
    """Upgrade the database to ``revision``; return the backup file made, if any.

    :raises SchemaError: the database is at a revision this zonedb does not know (it was
        written by a newer zonedb), or it holds tables that are not zonedb's.
    """
    scripts = ScriptDirectory(script_location())
    # Check and migrate in one transaction: on SQLite a write engine begins it with BEGIN
    # IMMEDIATE, so processes opening a fresh file at the same moment queue here, and the
    # later ones find the schema already created instead of half of it.
    with engine.begin() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        if current is not None:
            try:
                scripts.get_revision(current)
            except Exception as exc:  # alembic raises several kinds for unknown revisions
                raise SchemaError(
                    f"the database is at schema revision {current}, which this zonedb does not know "
                    "(it was written by a newer zonedb); upgrade zonedb instead"
                ) from exc
            if current == scripts.get_current_head() and revision == "head":
                return None
        elif set(inspect(conn).get_table_names()) - {"alembic_version"}:
            raise SchemaError("the database holds tables but no zonedb schema revision; refusing to touch it")
        backup_path = None
        path = sqlite_path(str(engine.url))
        if backup and current is not None and path is not None and path.exists():
            backup_path = path.with_name(f"{path.name}.bak-{current}")
            _backup_sqlite(path, backup_path)
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return backup_path


def _backup_sqlite(path: Path, target: Path) -> None:
    """Copy a live SQLite database (WAL included) with SQLite's online backup API."""
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade the database to ``revision`` (used by tests of the upgrade path)."""
    _run(engine, "downgrade", revision)


def check(engine: Engine) -> None:
    """Raise if the models and the migrations disagree (``alembic check``)."""
    _run(engine, "check")
