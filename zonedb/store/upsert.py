"""Dialect-aware ``INSERT … ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Insert


def insert_ignore(conn: Connection, model: Any, conflict_columns: list[str]) -> Insert:
    """An insert into ``model``'s table that skips rows clashing on ``conflict_columns``."""
    table = model.__table__
    # Dialect modules load on first use: the PostgreSQL one costs a noticeable part of start-up.
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table).on_conflict_do_nothing(index_elements=conflict_columns)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table).on_conflict_do_nothing(index_elements=conflict_columns)
