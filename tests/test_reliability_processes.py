"""Crash safety, Ctrl-C and concurrent writers, with real ``python -m zonedb`` processes on the
shared corpus and real SQLite files.

Ids are deterministic: inputs are processed in sorted order, each document is one transaction
and SQLite reuses no rowid of a rolled-back transaction, so an ingest killed at any point and
run again to completion gives the very same rows (ids included) as one clean run.  Concurrent
writers interleave, so there only the content (by natural keys) is compared.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS, EXAMPLES, need
from tests.reliability_util import (
    PROCESS_TIMEOUT,
    content,
    count_documents,
    ro_connect,
    run,
    snapshot,
    start,
    table_counts,
    wait_until,
)


def corpus_files() -> int:
    return sum(1 for p in need(CORPUS).rglob("*.txt") if not p.name.startswith("."))


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole corpus ingested once, uninterrupted, into a fresh file."""
    need(CORPUS)
    db = tmp_path_factory.mktemp("clean") / "clean.sqlite"
    result = run("ingest", str(CORPUS), "--db", str(db), "-q")
    assert result.returncode == 0, result.stderr
    assert count_documents(db) == corpus_files()
    return db


def kill_when(proc: subprocess.Popen[str], db: Path, documents: int) -> int:
    """SIGKILL ``proc`` once ``db`` holds at least ``documents`` documents; return the count."""
    reached = wait_until(lambda: count_documents(db) >= documents, proc, timeout=PROCESS_TIMEOUT)
    proc.kill()
    proc.communicate(timeout=60)
    assert reached, "the ingest ended before it could be killed"
    assert proc.returncode == -signal.SIGKILL
    return count_documents(db)


def test_sigkill_then_rerun_equals_a_clean_run(tmp_path: Path, clean_run: Path) -> None:
    db = tmp_path / "killed.sqlite"
    total = corpus_files()
    first = kill_when(start("ingest", str(CORPUS), "--db", str(db), "-q"), db, 5)
    assert 5 <= first < total
    # The file is a consistent database after the kill: integrity check passes, and every
    # committed document is complete (it has its articles).
    with ro_connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM document d WHERE NOT EXISTS "
                            "(SELECT 1 FROM article a WHERE a.document_id = d.id)").fetchone() == (0,)
    # Kill the rerun too, further on, then finish.
    second = kill_when(start("ingest", str(CORPUS), "--db", str(db), "-q"), db, first + 100)
    assert first < second < total
    done = run("ingest", str(CORPUS), "--db", str(db), "-q")
    assert done.returncode == 0, done.stderr
    assert f"documents {total - second}," in done.stderr
    assert f"skipped {second}," in done.stderr
    assert table_counts(db) == table_counts(clean_run)
    assert snapshot(db) == snapshot(clean_run)


def test_ctrl_c_during_ingest_is_a_clean_exit_130(tmp_path: Path) -> None:
    db = tmp_path / "int.sqlite"
    proc = start("ingest", str(need(CORPUS)), "--db", str(db), "-q")
    assert wait_until(lambda: count_documents(db) >= 3, proc, timeout=PROCESS_TIMEOUT)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert "Traceback" not in err
    with ro_connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_two_ctrl_c_in_a_row_still_exit_130_without_traceback(tmp_path: Path) -> None:
    db = tmp_path / "int2.sqlite"
    proc = start("ingest", str(need(CORPUS)), "--db", str(db), "-q")
    assert wait_until(lambda: count_documents(db) >= 3, proc, timeout=PROCESS_TIMEOUT)
    proc.send_signal(signal.SIGINT)
    wait_until(lambda: False, timeout=0.01)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert "Traceback" not in err


def test_ctrl_c_after_the_run_has_finished_is_not_a_kill(tmp_path: Path) -> None:
    """A Ctrl-C that lands once the summary is out (the interpreter shutting down) comes too late
    to stop anything: the run keeps its exit status instead of ending "killed by SIGINT"."""
    for k in range(8):  # at and after the summary: in the command's return, then in the shutdown
        db = tmp_path / f"late{k}.sqlite"
        proc = start("ingest", str(EXAMPLES), "--db", str(db), "-q")
        assert proc.stderr is not None
        line = proc.stderr.readline()
        while line and not line.startswith("documents "):
            line = proc.stderr.readline()
        assert line.startswith("documents 1,"), line
        time.sleep(0.03 * k)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode in (0, 130), (proc.returncode, err)  # 130 only if still in the command
        assert "Traceback" not in err
        assert count_documents(db) == 1


@pytest.mark.parametrize("delay", [0.3, 0.6, 1.0])
def test_ctrl_c_while_the_database_is_being_created(tmp_path: Path, delay: float) -> None:
    """An interrupt early in the run (imports, schema creation, reference data) exits 130 with a
    message and no traceback, and leaves a file that the next run opens and completes."""
    db = tmp_path / "early.sqlite"
    proc = start("ingest", str(EXAMPLES), "--db", str(db), "-q")
    wait_until(lambda: False, proc, timeout=delay)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err
    if proc.returncode == 0:  # the run finished before the signal arrived
        return
    assert proc.returncode == 130, err
    assert "interrupted" in err
    again = run("ingest", str(EXAMPLES), "--db", str(db), "-q")
    assert again.returncode == 0, again.stderr
    assert count_documents(db) == 1


def test_two_writers_with_the_same_inputs(tmp_path: Path, clean_run: Path) -> None:
    """Two processes ingest the whole corpus into one fresh file at the same time."""
    db = tmp_path / "two.sqlite"
    procs = [start("ingest", str(CORPUS), "--db", str(db), "-q") for _ in range(2)]
    results = [p.communicate(timeout=PROCESS_TIMEOUT) for p in procs]
    for proc, (_out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err
    total = corpus_files()
    added = sum(int(err.split("documents ")[1].split(",")[0]) for _out, err in results)
    assert added == total
    with ro_connect(db) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT sha256) FROM document").fetchone() == (total, total)
    assert content(db) == content(clean_run)


def test_two_writers_with_overlapping_halves(tmp_path: Path, clean_run: Path) -> None:
    """One process ingests the TV transcripts, the other everything: the overlap goes in once."""
    db = tmp_path / "halves.sqlite"
    folders = sorted(p for p in CORPUS.iterdir() if p.is_dir())
    procs = [start("ingest", str(folders[-1]), "--db", str(db), "-q"),
             start("ingest", *map(str, reversed(folders)), "--db", str(db), "-q")]
    for proc in procs:
        _out, err = proc.communicate(timeout=PROCESS_TIMEOUT)
        assert proc.returncode == 0, err
    total = corpus_files()
    with ro_connect(db) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT sha256) FROM document").fetchone() == (total, total)
    assert content(db) == content(clean_run)


OPENER = """
import sys, time
from pathlib import Path
from zonedb.gazetteer import default_gazetteer
from zonedb.store.database import open_database
default_gazetteer()
go = Path(sys.argv[2])
deadline = time.monotonic() + 120
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.001)
open_database(sys.argv[1]).close()
print("opened")
"""


def test_processes_creating_a_fresh_file_at_the_same_moment(tmp_path: Path) -> None:
    """Schema creation and reference data on first open are safe when several processes open a
    new file at once (they wait on a start signal, then all open it together)."""
    import os
    import sys

    from tests.reliability_util import env

    script = tmp_path / "opener.py"
    script.write_text(OPENER, encoding="utf-8")
    for round_ in range(3):
        db = tmp_path / f"fresh{round_}.sqlite"
        go = tmp_path / f"go{round_}"
        procs = [subprocess.Popen([sys.executable, str(script), str(db), str(go)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=env()) for _ in range(4)]
        # Let every process finish its imports, then release them together.
        wait_until(lambda: False, timeout=2.0)
        go.touch()
        for proc in procs:
            out, err = proc.communicate(timeout=PROCESS_TIMEOUT)
            assert proc.returncode == 0, err
            assert out.strip() == "opened"
        assert os.path.exists(db)
        conn = sqlite3.connect(db)
        try:
            builtin_zones = conn.execute("SELECT count(*), count(DISTINCT key) FROM zone").fetchone()
            assert builtin_zones[0] == builtin_zones[1] > 3000
            assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
        finally:
            conn.close()
        # And the file works for a normal ingest afterwards.
        result = run("ingest", str(EXAMPLES), "--db", str(db), "-q")
        assert result.returncode == 0, result.stderr
