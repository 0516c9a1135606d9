"""Helpers for the reliability tests: run the CLI as a real process, read SQLite files safely,
and take comparable snapshots of every table."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# Hang guard for one CLI process (the whole shared corpus ingests in well under this).
PROCESS_TIMEOUT = 600

# Columns whose values legitimately differ between two runs over the same input.
VOLATILE_COLUMNS = {"ingested_at"}
# Derived tables rebuilt after each run (facts across issues): their rows are compared by
# content; their own ids depend on which documents each run happened to add.
DERIVED_TABLES = {"fact"}


def zonedb(*args: str) -> list[str]:
    return [sys.executable, "-m", "zonedb", *args]


def env() -> dict[str, str]:
    out = dict(os.environ)
    out.pop("ZONEDB_DATABASE_URL", None)
    out["PYTHONPATH"] = str(REPO) + os.pathsep + out.get("PYTHONPATH", "")
    return out


def run(*args: str, timeout: float = PROCESS_TIMEOUT, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(zonedb(*args), capture_output=True, text=True, timeout=timeout, env=env(),
                          cwd=REPO, check=False, **kw)


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(zonedb(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env(), cwd=REPO)


def ro_connect(db: Path) -> sqlite3.Connection:
    """A read-only connection (never creates or changes the file)."""
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=60)


def count_documents(db: Path) -> int:
    """Documents committed so far, 0 while the file or its schema does not exist yet."""
    if not db.exists():
        return 0
    try:
        conn = ro_connect(db)
        try:
            return int(conn.execute("SELECT count(*) FROM document").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def wait_until(predicate: Callable[[], bool], proc: subprocess.Popen[str] | None = None,
               timeout: float = 300, interval: float = 0.02) -> bool:
    """Poll ``predicate`` until it holds (True), the process ends or ``timeout`` passes (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if proc is not None and proc.poll() is not None:
            return predicate()
        time.sleep(interval)
    return False


def user_tables(conn: sqlite3.Connection) -> list[str]:
    """Every table except SQLite's own and the shadow tables of virtual (e.g. FTS) tables,
    whose internal layout depends on insertion history; the virtual table itself is kept."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    out = []
    for name, _sql in rows:
        if name.startswith("sqlite_"):
            continue
        if any(name.startswith(v + "_") for v in virtual):
            continue
        out.append(name)
    return sorted(out)


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Sorted rows of every table (all columns but the volatile ones), ids included."""
    conn = ro_connect(db)
    try:
        out = {}
        for table in user_tables(conn):
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            keep = [c for c in cols if c not in VOLATILE_COLUMNS
                    and not (table in DERIVED_TABLES and c == "id")] or ["rowid"]
            sel = ", ".join(f'"{c}"' for c in keep)
            rows = conn.execute(f'SELECT {sel} FROM "{table}"').fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def table_counts(db: Path) -> dict[str, int]:
    conn = ro_connect(db)
    try:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in user_tables(conn)}
    finally:
        conn.close()


# Content of the main tables by natural keys (document sha256, article seq, zone key, metric
# name, period code) rather than autoincrement ids, for runs whose ids may interleave.
CONTENT_QUERIES = {
    "document": "SELECT name, sha256, encoding, media_type, source, published, published_from, title, "
                "url, text FROM document",
    "article": "SELECT d.sha256, a.seq, a.title, a.body, a.doc_start, a.doc_end, a.page, z.key, a.body_hash "
               "FROM article a JOIN document d ON d.id = a.document_id LEFT JOIN zone z ON z.id = a.zone_id",
    "observation": "SELECT d.sha256, a.seq, z.key, m.name, p.code, o.value_exact, o.unit, o.measure, "
                   "o.qualifier, o.printed, o.span_start, o.span_end FROM observation o "
                   "JOIN article a ON a.id = o.article_id JOIN document d ON d.id = o.document_id "
                   "JOIN zone z ON z.id = o.zone_id JOIN metric m ON m.id = o.metric_id "
                   "LEFT JOIN period p ON p.id = o.period_id",
    "zone": "SELECT key, name, kind, level, builtin FROM zone",
    # A metric first met in a text takes the dimension of that first figure, so with inputs in
    # another order it may differ; packaged metrics must match exactly.
    "metric": "SELECT name, code, builtin, CASE WHEN builtin THEN dimension END FROM metric",
    "period": "SELECT code, kind, start_date, end_date, label FROM period",
}


def content(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = ro_connect(db)
    try:
        return {t: sorted(conn.execute(q).fetchall(), key=repr) for t, q in CONTENT_QUERIES.items()}
    finally:
        conn.close()
