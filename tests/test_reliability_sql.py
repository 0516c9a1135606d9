"""SQL safety on real SQLite files: ``zonedb sql`` cannot change the database in any way, and
text given to any option is data (bound parameters), never SQL."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLES
from tests.reliability_util import run, snapshot
from zonedb.cli import app

runner = CliRunner()

INJECTIONS = [
    "' OR 1=1 --",
    "'; DROP TABLE observation; --",
    "\"; DROP TABLE observation; --",
    "%",
    "_",
    "%%",
    "' OR '1'='1",
    '" OR ""="',
    "') OR ('x'='x",
    "1) OR (1=1",
    "高平经开区' OR 1=1 --",
    "高平经开区%",
    "高平%",
    "\u2019 OR 1=1 --",          # right single quotation mark
    "\u02bc OR 1=1 --",          # modifier letter apostrophe
    "\uff07 OR 1=1 --",          # fullwidth apostrophe
    "\u201c OR \u201d=\u201c",   # curly double quotes
    "\\'; DELETE FROM zone; --",
    "*/ DELETE FROM zone; /*",
    "\x00' OR 1=1",
    "0x27 OR 1=1",
    "1 UNION SELECT * FROM document --",
    "' UNION SELECT name, sql, 1, 1, 1, 1, 1, 1, 1, 1 FROM sqlite_master --",
    "?",
    ":zone_ids",
    "$1",
    "ATTACH DATABASE 'x.sqlite' AS x",
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sql") / "safe.sqlite"
    result = run("ingest", str(EXAMPLES), "--db", str(path), "-q")
    assert result.returncode == 0, result.stderr
    return path


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def files(db: Path) -> dict[str, bytes]:
    """The bytes of the database file and of its write-ahead log (absent and empty count as
    the same: a WAL reader may create an empty log; the -shm index is SQLite's shared memory)."""
    wal = db.with_name(db.name + "-wal")
    return {"db": db.read_bytes(), "wal": wal.read_bytes() if wal.exists() else b""}


REFUSED_SQL = [
    "DELETE FROM observation",
    "UPDATE zone SET name = 'x'",
    "INSERT INTO period (code, kind, label) VALUES ('x', 'year', 'x')",
    "REPLACE INTO period (code, kind, label) VALUES ('x', 'year', 'x')",
    "WITH t AS (SELECT 1) DELETE FROM observation",
    "DROP TABLE observation",
    "DROP VIEW v_observation",
    "CREATE TABLE t (x)",
    "CREATE TEMP TABLE t (x)",
    "CREATE TEMP VIEW v AS SELECT 1",
    "CREATE TEMP TRIGGER tr AFTER INSERT ON zone BEGIN SELECT 1; END",
    "CREATE INDEX ix_x ON zone (name)",
    "ALTER TABLE zone ADD COLUMN x",
    "VACUUM",
    "VACUUM INTO 'copy.sqlite'",
    "REINDEX",
    "ANALYZE",
    "ATTACH DATABASE 'x.sqlite' AS x",
    "ATTACH DATABASE ':memory:' AS x",
    "DETACH DATABASE main",
    "PRAGMA journal_mode=DELETE",
    "PRAGMA user_version=7",
    "PRAGMA writable_schema=ON",
    "PRAGMA foreign_keys=OFF",
    "PRAGMA query_only=OFF",
    "PRAGMA wal_checkpoint(TRUNCATE)",
    "PRAGMA integrity_check",
    "BEGIN IMMEDIATE",
    "SAVEPOINT s",
    "SELECT load_extension('libx')",
    "SELECT load_extension('/nonexistent/mod.so', 'sqlite3_extension_init')",
    "SELECT writefile('out.txt', 'x')",
    "SELECT readfile('/etc/passwd')",
    "SELECT 1; DELETE FROM observation",
    "SELECT 1; DROP TABLE observation;",
    "SELECT count(*) FROM zone; PRAGMA user_version=7",
    "DELETE FROM observation; SELECT 1",
    "SELECT * FROM pragma_user_version; UPDATE zone SET name = 'x'",
]


@pytest.mark.parametrize("statement", ["", ";", "   ", "-- only a comment", "/* c */"])
def test_empty_statements_do_nothing(db: Path, statement: str) -> None:
    before = files(db)
    result = invoke("sql", "--db", str(db), "--", statement)
    assert result.exit_code in (0, 1), result.output
    assert result.stdout.strip() == ""
    assert "Traceback" not in result.output
    assert files(db) == before


@pytest.mark.parametrize("statement", REFUSED_SQL)
def test_sql_that_would_write_or_change_the_connection_fails_cleanly(db: Path, statement: str,
                                                                      tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before, rows = files(db), snapshot(db)
    result = invoke("sql", statement, "--db", str(db))
    assert result.exit_code in (1, 2), (statement, result.output)
    assert result.stderr.startswith("error:") or "Usage" in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert files(db) == before, statement
    assert snapshot(db) == rows
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "a statement created a file"


@pytest.mark.parametrize("statement", [
    "SELECT count(*) AS n FROM observation",
    "SELECT count(*) AS n FROM observation;",
    "  select count(*) as n from v_observation ;  ",
    "WITH t AS (SELECT id FROM observation) SELECT count(*) AS n FROM t",
    "SELECT count(*) AS n FROM observation WHERE printed LIKE '%亿元%' OR 1=1",
])
def test_reading_statements_work_and_touch_nothing(db: Path, statement: str) -> None:
    before = files(db)
    result = invoke("sql", statement, "--format", "jsonl", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"n": 15}
    assert files(db) == before


def test_sql_statement_injection_strings(db: Path) -> None:
    before = files(db)
    for text in INJECTIONS:
        result = invoke("sql", text, "--db", str(db))
        assert result.exit_code == 1, (text, result.output)
        assert result.stderr.startswith("error:"), result.stderr
        assert "Traceback" not in result.output
    assert files(db) == before


def test_query_options_are_bound_parameters(db: Path) -> None:
    before, rows = files(db), snapshot(db)
    for text in INJECTIONS:
        for option in ("--zone", "--metric"):
            result = invoke("query", option, text, "--format", "jsonl", "--db", str(db))
            assert result.exit_code == 0, (option, text, result.output)
            assert result.stdout == "", (option, text)  # nothing leaked
            assert "no observations match" in result.stderr
        # A real zone with an injected metric, and the other way round: still nothing.
        both = invoke("query", "--zone", "高平经开区", "--metric", text, "-f", "jsonl", "--db", str(db))
        assert both.exit_code == 0 and both.stdout == ""
        both = invoke("query", "--zone", text, "--metric", "总投资", "-f", "jsonl", "--db", str(db))
        assert both.exit_code == 0 and both.stdout == ""
        for option in ("--from", "--to"):
            result = invoke("query", option, text, "--db", str(db))
            assert result.exit_code == 2, (option, text, result.output)
            assert "YYYY-MM-DD" in result.output
        for command in ("query", "export", "zones", "metrics", "sql"):
            args = [command, "--format", text, "--db", str(db)]
            if command == "sql":
                args.insert(1, "SELECT 1")
            result = invoke(*args)
            assert result.exit_code == 2, (command, text, result.output)
        zones = invoke("zones", "--kind", text, "-f", "jsonl", "--db", str(db))
        assert zones.exit_code == 0 and zones.stdout == "", text
        show = invoke("show", text, "--db", str(db))
        assert show.exit_code == 2, text
    assert files(db) == before
    assert snapshot(db) == rows


def test_real_names_still_match_exactly(db: Path) -> None:
    """The same code path returns rows for real names (so the empty results above mean
    'no match', not 'broken')."""
    result = invoke("query", "--zone", "高平经开区", "--metric", "总投资", "-f", "jsonl", "--db", str(db))
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2


def test_ingest_options_and_paths_are_stored_as_data(tmp_path: Path) -> None:
    db = tmp_path / "in.sqlite"
    text = (EXAMPLES / "zone-news-20240910.txt").read_bytes()
    for i, evil in enumerate(INJECTIONS):
        if "\x00" in evil:
            continue  # not allowed in file names or argv
        name = evil.replace("/", "_") + f" {i}-20240910.txt"
        path = tmp_path / name
        path.write_bytes(text + f"\n第 {i} 版。\n".encode())  # distinct bytes, so each one goes in
        result = invoke("ingest", str(path), "--source", evil, "--db", str(db))
        assert result.exit_code == 0, (evil, result.output)
        bad_date = invoke("ingest", str(path), "--published", evil, "--db", str(db))
        assert bad_date.exit_code == 2, evil
    missing = invoke("ingest", str(tmp_path / "'; DROP TABLE document; --"), "--db", str(db))
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT name, source FROM document ORDER BY id").fetchall()
        n_obs = conn.execute("SELECT count(*) FROM observation").fetchone()[0]
    expected = [(e.replace("/", "_") + f" {i}-20240910.txt", e) for i, e in enumerate(INJECTIONS) if "\x00" not in e]
    assert stored == expected
    assert n_obs == 15 * len(expected)


@pytest.mark.parametrize("name", ["a'b.sqlite", "c%20d.sqlite", "e?mode=rwc.sqlite", "f#g.sqlite",
                                  'h"; DROP TABLE x; --.sqlite', "数据 库.sqlite"])
def test_database_file_names_are_taken_literally(tmp_path: Path, name: str) -> None:
    """``--db`` is a file name: URL and URI syntax in it (%, ?, #) is not interpreted, and the
    read-only ``sql`` command opens that very file without creating any other."""
    db = tmp_path / name
    result = run("ingest", str(EXAMPLES), "--db", str(db), "-q")
    assert result.returncode == 0, result.stderr
    before = files(db)
    out = invoke("sql", "SELECT count(*) AS n FROM observation", "-f", "jsonl", "--db", str(db))
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == {"n": 15}
    assert invoke("sql", "DELETE FROM observation", "--db", str(db)).exit_code == 1
    assert files(db) == before
    assert {p.name for p in tmp_path.iterdir()} <= {db.name, db.name + "-wal", db.name + "-shm"}


def test_sql_on_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "missing.sqlite"
    result = invoke("sql", "SELECT 1", "--db", str(db))
    assert result.exit_code == 1 and "no database" in result.stderr
    assert list(tmp_path.iterdir()) == []
