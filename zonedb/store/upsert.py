"""Dialect-aware ``INSERT … ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Insert
from sqlalchemy.dialects import postgresql, sqlite


def insert_ignore(conn: Connection, model: Any, conflict_columns: list[str]) -> Insert:
    """An insert into ``model``'s table that skips rows clashing on ``conflict_columns``."""
    table = model.__table__
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=conflict_columns)
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=conflict_columns)
