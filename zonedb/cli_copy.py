"""The ``zonedb copy`` command: move a database between engines (SQLite ⇄ PostgreSQL).

Registered on :data:`zonedb.cli.app` when :mod:`zonedb.cli` imports this module.
"""

from __future__ import annotations

from typing import Annotated

import typer

from zonedb.cli import _err, _fail, app
from zonedb.errors import ZonedbError


@app.command()
def copy(
    source: Annotated[str, typer.Option("--from", help="Source database: file or SQLAlchemy URL.")],
    target: Annotated[str, typer.Option("--to", help="Target database: file or SQLAlchemy URL.")],
    replace: Annotated[bool, typer.Option("--replace", help="Overwrite a target that already holds documents.")]
    = False,
) -> None:
    """Copy a whole database to another one, e.g. from SQLite to PostgreSQL, keeping every id.

    The target is created or upgraded to the newest schema first; a target that already
    holds documents is refused unless --replace is given.  The source is only read.

    Example: zonedb copy --from zones.sqlite --to postgresql+psycopg://user@host/zonedb
    """
    from zonedb.store.copy import copy_database

    try:
        result = copy_database(source, target, replace=replace)
    except ZonedbError as exc:
        raise _fail(str(exc)) from None
    _err(f"copied {result.source} to {result.target}: "
         + ", ".join(f"{name} {n}" for name, n in result.rows.items()))
