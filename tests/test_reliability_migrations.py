"""Upgrades keep every row: a database at the revision before head, holding real ingested data,
is upgraded to head (automatically, as on first use) with a backup of the old file; a database
newer than the code is refused by the CLI without touching it.

Written for whatever revisions exist: "previous" is the down-revision of the current head."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from tests.conftest import EXAMPLES
from tests.reliability_util import ro_connect, run, snapshot, user_tables
from zonedb.ingest import ingest
from zonedb.store import migrate
from zonedb.store.database import open_database
from zonedb.store.engine import make_engine


def previous_revision() -> str:
    scripts = ScriptDirectory(migrate.script_location())
    head = scripts.get_revision(migrate.head_revision())
    down = head.down_revision
    if down is None:
        pytest.skip("only one schema revision exists: nothing to upgrade from yet")
    assert isinstance(down, str), "the test expects one linear chain of revisions"
    return down


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


def rows_of(db: Path, layout: dict[str, list[str]]) -> dict[str, list[tuple[object, ...]]]:
    """Sorted rows of the given tables, restricted to the given columns."""
    with ro_connect(db) as conn:
        out = {}
        for table, cols in layout.items():
            sel = ", ".join(f'"{c}"' for c in cols)
            out[table] = sorted(conn.execute(f'SELECT {sel} FROM "{table}"').fetchall(), key=repr)
        return out


def fill_at(revision: str, target: Path, source: Path) -> dict[str, list[str]]:
    """Create ``target`` at ``revision`` and copy into it every row of ``source`` (a database at
    head filled by the ingest API) that the older schema can hold; return the older layout."""
    engine = make_engine(f"sqlite:///{target}")
    migrate.upgrade(engine, revision)
    engine.dispose()
    conn = sqlite3.connect(target)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("ATTACH DATABASE ? AS src", (str(source),))
        layout = {}
        for table in user_tables(conn):
            if table == "alembic_version":
                continue
            cols = columns(conn, table)
            layout[table] = cols
            sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
            if sql.upper().startswith("CREATE VIRTUAL TABLE"):
                continue  # filled by its triggers from the content table
            sel = ", ".join(f'"{c}"' for c in cols)
            conn.execute(f'INSERT INTO main."{table}" ({sel}) SELECT {sel} FROM src."{table}"')
        conn.commit()
        conn.execute("DETACH DATABASE src")
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    return layout


@pytest.fixture(scope="module")
def filled_head(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A head database filled through the ingest API with the example text plus a second issue."""
    folder = tmp_path_factory.mktemp("inputs")
    text = (EXAMPLES / "zone-news-20240910.txt").read_text(encoding="utf-8")
    (folder / "zone-news-20240910.txt").write_text(text, encoding="utf-8")
    (folder / "zone-news-20241010.txt").write_text(text.replace("52.6 亿元", "58.1 亿元"), encoding="utf-8")
    db = tmp_path_factory.mktemp("head") / "head.sqlite"
    database = open_database(f"sqlite:///{db}")
    try:
        report = ingest(database, [str(folder)])
    finally:
        database.close()
    assert report.documents == 2 and report.observations > 20
    return db


def test_previous_revision_upgrades_to_head_keeping_every_row(tmp_path: Path, filled_head: Path) -> None:
    previous = previous_revision()
    db = tmp_path / "old.sqlite"
    layout = fill_at(previous, db, filled_head)
    before = rows_of(db, layout)
    assert sum(len(r) for r in before.values()) > 3000  # reference data, documents, observations
    with ro_connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (previous,)

    database = open_database(f"sqlite:///{db}")  # the automatic upgrade of first use
    backup = database.backup
    database.close()

    with ro_connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (migrate.head_revision(),)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    after = rows_of(db, layout)
    for table in layout:
        assert len(after[table]) == len(before[table]), table
        assert after[table] == before[table], table
    # The upgraded file holds what a database created at head and filled directly holds.
    assert rows_of(filled_head, layout) == after

    # The backup was written before the upgrade and holds the old revision with all its rows.
    assert backup is not None and backup == db.with_name(f"{db.name}.bak-{previous}")
    assert backup.exists()
    with ro_connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (previous,)
    assert rows_of(backup, layout) == before


def test_upgrade_through_the_cli_reports_the_backup(tmp_path: Path, filled_head: Path) -> None:
    previous = previous_revision()
    db = tmp_path / "cli.sqlite"
    layout = fill_at(previous, db, filled_head)
    before = rows_of(db, layout)
    result = run("db", "upgrade", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert f"backup written to {db}.bak-{previous}" in result.stderr
    assert result.stdout.strip() == f"schema at revision {migrate.head_revision()}"
    assert rows_of(db, layout) == before
    assert rows_of(db.with_name(f"{db.name}.bak-{previous}"), layout) == before
    # Running again changes nothing and writes no second backup.
    again = run("db", "upgrade", "--db", str(db))
    assert again.returncode == 0 and "backup" not in again.stderr


def test_downgrade_to_previous_and_upgrade_again_keeps_the_older_tables(tmp_path: Path,
                                                                         filled_head: Path) -> None:
    previous = previous_revision()
    db = tmp_path / "down.sqlite"
    db.write_bytes(filled_head.read_bytes())
    for extra in ("-wal", "-shm"):
        src = filled_head.with_name(filled_head.name + extra)
        if src.exists():
            db.with_name(db.name + extra).write_bytes(src.read_bytes())
    with ro_connect(db) as conn:
        tables = {t: columns(conn, t) for t in user_tables(conn) if t != "alembic_version"}
    engine = make_engine(f"sqlite:///{db}")
    migrate.downgrade(engine, previous)
    with engine.connect() as c:
        kept = {t: cols for t, cols in tables.items()
                if c.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = ?", (t,)).scalar()}
    engine.dispose()
    kept = {t: cols for t, cols in kept.items()
            if not any(t.startswith(v + "_") or t == v for v in ("article_fts",))}
    before = rows_of(db, kept)
    open_database(f"sqlite:///{db}").close()
    assert rows_of(db, kept) == before
    assert snapshot(db).keys() >= set(tables)


def test_cli_refuses_a_database_newer_than_the_code(tmp_path: Path) -> None:
    db = tmp_path / "newer.sqlite"
    assert run("ingest", str(EXAMPLES), "--db", str(db), "-q").returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    conn.commit()
    conn.close()  # the last connection: the log is checkpointed into the file
    before = db.read_bytes()
    for args in (["ingest", str(EXAMPLES)], ["query", "--zone", "高平经开区"], ["export"], ["zones"],
                 ["metrics"], ["show", "1"], ["db", "upgrade"]):
        result = run(*args, "--db", str(db))
        assert result.returncode == 1, (args, result.stderr)
        assert "newer zonedb" in result.stderr, args
        assert result.stderr.startswith("error:"), result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
        assert db.read_bytes() == before, args
    assert not list(tmp_path.glob("newer.sqlite.bak-*"))
