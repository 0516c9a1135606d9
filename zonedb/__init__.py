"""zonedb: Chinese economic news about development zones, as an indicator database.

ORM access::

    from sqlalchemy import select
    from zonedb import connect, Observation, Zone

    db = connect("zonedb.sqlite")
    with db.session() as session:
        for obs in session.scalars(select(Observation).join(Observation.zone)
                                   .where(Zone.name == "高平经济技术开发区")):
            print(obs.metric.name, obs.decimal_value, obs.unit)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Article", "Database", "Document", "Metric", "MetricAlias", "Observation", "Period", "Zone",
    "ZoneAlias", "connect", "__version__",
]

if TYPE_CHECKING:
    from zonedb.store.database import Database
    from zonedb.store.models import (
        Article, Document, Metric, MetricAlias, Observation, Period, Zone, ZoneAlias,
    )

_MODELS = {"Article", "Document", "Metric", "MetricAlias", "Observation", "Period", "Zone", "ZoneAlias"}


def connect(db: str | None = None) -> Database:
    """Open (creating or upgrading) the database at ``db``: a path or an SQLAlchemy URL;
    default ``$ZONEDB_DATABASE_URL`` or ``./zonedb.sqlite``."""
    from zonedb.store.database import open_database

    return open_database(db)


def __getattr__(name: str) -> Any:
    # Models load lazily so that `zonedb --help` does not pay for SQLAlchemy.
    if name in _MODELS:
        from zonedb.store import models

        return getattr(models, name)
    if name == "Database":
        from zonedb.store.database import Database

        return Database
    raise AttributeError(f"module 'zonedb' has no attribute {name!r}")
