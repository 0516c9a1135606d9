"""``zonedb ingest --jobs N``: worker processes give the same database as one process."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLES, SEEDS, NewDb, rows
from zonedb.cli import app

runner = CliRunner()

TEXTS = {
    "a-20240910.txt": "本报讯 今年 1—6 月份，临汾经济开发区完成规上工业增加值 12.5 亿元，同比增长 8.2%；"
                      "新签约项目 7 个，总投资 23.4 亿元。\n",
    "b-20240911.txt": "本报讯 2023 年，高平经济技术开发区完成产值 909.4 亿元，占全市工业产值的 48.3%。\n",
    "c-20240912.txt": "本报讯 一季度，太原高新技术产业开发区实现营业收入 921.36 亿元，同比增长 2.1 个百分点。\n",
    "d-20240913.txt": "本报讯 全年新签约项目 29 个、总投资 51.73 亿元，其中亿元以上项目十三个，开工率达 95.75%。\n",
}


def make_inputs(folder: Path, *, bad: bool = False, duplicate: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    if bad:
        (folder / "c-bad-20240912.bin").write_bytes(bytes(range(256)) * 8)  # binary: refused
        (folder / "e-nodate.txt").write_text("一段没有日期的文字，产值 5 亿元。\n", encoding="utf-8")
        (folder / "f-empty-20240914.txt").write_text("  \n", encoding="utf-8")
    if duplicate:
        (folder / "z-copy-20240910.txt").write_text(TEXTS["a-20240910.txt"], encoding="utf-8")
    return folder


def ingest(db: Path, *paths: Path | str, jobs: int, extra: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["ingest", *map(str, paths), "--db", str(db), "--jobs", str(jobs), *extra])


def export(db: Path) -> list[dict[str, object]]:
    result = runner.invoke(app, ["export", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every stored row except timestamps, so two databases can be compared exactly."""
    queries = {
        "document": "SELECT id, name, sha256, encoding, media_type, source, published, published_from, "
                    "title, text FROM document ORDER BY id",
        "article": "SELECT * FROM article ORDER BY id",
        "observation": "SELECT * FROM observation ORDER BY id",
        "zone": "SELECT * FROM zone ORDER BY id",
        "metric": "SELECT * FROM metric ORDER BY id",
        "period": "SELECT * FROM period ORDER BY id",
        "fact": "SELECT * FROM fact ORDER BY id",
    }
    return {t: rows(db, q) for t, q in queries.items()}


def test_jobs_two_gives_the_same_database_as_one(tmp_path: Path, new_db: NewDb) -> None:
    inputs = make_inputs(tmp_path / "in", duplicate=True)
    one, two = new_db("one.sqlite"), new_db("two.sqlite")
    r1 = ingest(one, inputs, EXAMPLES, jobs=1)
    r2 = ingest(two, inputs, EXAMPLES, jobs=2)
    assert r1.exit_code == 0, r1.output
    assert r2.exit_code == 0, r2.output
    assert r1.stderr == r2.stderr
    assert "skipped 1" in r2.stderr  # the duplicate, found within the run
    rows = export(one)
    assert rows, "the texts hold figures"
    assert export(two) == rows
    assert tables(two) == tables(one)


def test_the_writer_extracts_while_its_worker_is_busy(tmp_path: Path, new_db: NewDb,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """--jobs 2 is this process and one worker: with one file per task and one task queued for
    the worker, this process extracts the others itself, and the database is the same."""
    import zonedb.ingest
    import zonedb.parallel

    here: list[str] = []  # files extracted by this process (the worker's calls stay in the worker)
    prepare = zonedb.ingest.prepare_file

    def counting(item, *args, **kwargs):  # type: ignore[no-untyped-def]
        here.append(item.name)
        return prepare(item, *args, **kwargs)

    inputs = make_inputs(tmp_path / "in", bad=True, duplicate=True)
    one, two = new_db("one.sqlite"), new_db("two.sqlite")
    r1 = ingest(one, inputs, EXAMPLES, jobs=1)
    monkeypatch.setattr(zonedb.parallel, "CHUNK", 1)
    monkeypatch.setattr(zonedb.parallel, "TASKS_PER_WORKER", 1)
    monkeypatch.setattr(zonedb.ingest, "prepare_file", counting)
    r2 = ingest(two, inputs, EXAMPLES, jobs=2)
    assert (r1.exit_code, r2.exit_code) == (1, 1)  # the bad files, reported alike
    assert r1.stderr == r2.stderr
    n_files = len(zonedb.ingest.collect_inputs([str(inputs), str(EXAMPLES)]))
    assert 0 < len(here) < n_files  # both processes extracted files
    assert tables(two) == tables(one)
    assert export(two) == export(one)


def test_jobs_on_the_seed_page_matches_one_process(tmp_path: Path, new_db: NewDb) -> None:
    if not SEEDS.exists():
        pytest.skip("shared seed page not available")
    one, two = new_db("one.sqlite"), new_db("two.sqlite")
    args = ("--published", "2024-09-10")
    assert ingest(one, SEEDS, EXAMPLES, jobs=1, extra=args).exit_code == 0
    assert ingest(two, SEEDS, EXAMPLES, jobs=3, extra=args).exit_code == 0
    assert export(two) == export(one)


def test_jobs_reports_a_bad_file_by_name_and_stores_the_rest(tmp_path: Path, new_db: NewDb) -> None:
    inputs = make_inputs(tmp_path / "in", bad=True)
    one, two = new_db("one.sqlite"), new_db("two.sqlite")
    r1 = ingest(one, inputs, jobs=1)
    r2 = ingest(two, inputs, jobs=2)
    assert r1.exit_code == r2.exit_code == 1
    assert r2.stderr == r1.stderr
    assert "c-bad-20240912.bin" in r2.stderr
    assert "e-nodate.txt" in r2.stderr
    assert "f-empty-20240914.txt" in r2.stderr
    assert "failed 2" in r2.stderr and "empty 1" in r2.stderr
    assert f"documents {len(TEXTS)}," in r2.stderr
    assert export(two) == export(one)


def test_jobs_rerun_skips_everything(tmp_path: Path, new_db: NewDb) -> None:
    inputs = make_inputs(tmp_path / "in")
    db = new_db("db.sqlite")
    assert ingest(db, inputs, jobs=2).exit_code == 0
    before = tables(db)
    again = ingest(db, inputs, jobs=2)
    assert again.exit_code == 0
    assert f"skipped {len(TEXTS)}" in again.stderr
    assert tables(db) == before


def test_jobs_must_be_positive(tmp_path: Path, new_db: NewDb) -> None:
    result = ingest(new_db("x.sqlite"), make_inputs(tmp_path / "in"), jobs=0)
    assert result.exit_code == 2


# -- light paths stay light (module checks, no timings) -----------------------------------------
HEAVY = ("jieba", "pdfminer", "docx", "lxml", "readability", "ahocorasick_rs", "rjieba", "alembic")


def _imported(*args: str) -> set[str]:
    import subprocess
    import sys

    code = ("import sys\nfrom zonedb.cli import main\nsys.argv = ['zonedb', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nprint('\\n'.join(sys.modules), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return {line.split(".")[0] for line in proc.stderr.splitlines()}


def test_help_query_and_sql_do_not_import_heavy_modules(tmp_path: Path, new_db: NewDb) -> None:
    db = new_db("light.sqlite")
    assert ingest(db, EXAMPLES, jobs=1).exit_code == 0
    for args in (("--help",), ("query", "--zone", "高平经开区", "--db", str(db)),
                 ("sql", "SELECT count(*) FROM observation", "--db", str(db))):
        assert not _imported(*args) & set(HEAVY), args


def test_migration_head_read_without_alembic_matches_alembic() -> None:
    from zonedb.store import migrate
    from zonedb.store.database import packaged_head

    assert packaged_head() == migrate.head_revision()


# -- workers that fail, and a writer that is interrupted or killed -------------------------------
def _children(pid: int) -> set[int]:
    """Pids of the live child processes of ``pid`` (Linux /proc)."""
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = task / "children"
        if children.exists():
            out |= {int(p) for p in children.read_text().split()}
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


class _BrokenGazetteer:
    """Stands in for the gazetteer inside the workers and fails there, as a bug would."""

    def __getattr__(self, name: str) -> object:
        raise RuntimeError(f"gazetteer broken on purpose ({name})")


def test_a_failing_worker_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    from zonedb.ingest import collect_inputs, iter_ingest
    from zonedb.parallel import WorkerError
    from zonedb.store.database import open_database

    inputs = collect_inputs([str(make_inputs(tmp_path / "in"))])
    db = open_database(str(tmp_path / "w.sqlite"))
    try:
        with pytest.raises(WorkerError, match="gazetteer broken on purpose"):
            list(iter_ingest(db, inputs, jobs=2, gazetteer=_BrokenGazetteer()))  # type: ignore[arg-type]
    finally:
        db.close()
    assert rows(tmp_path / "w.sqlite", "SELECT count(*) FROM document") == [(0,)]


def _corpus_ingest_with_workers(db: Path) -> tuple[subprocess.Popen[str], set[int]]:
    """``zonedb ingest CORPUS --jobs 3`` as a real process, once it has stored a few documents;
    the process and the pids of its two workers (--jobs counts the writing process)."""
    from tests.conftest import CORPUS, need
    from tests.reliability_util import PROCESS_TIMEOUT, count_documents, start, wait_until

    proc = start("ingest", str(need(CORPUS)), "--db", str(db), "-q", "--jobs", "3")
    assert wait_until(lambda: count_documents(db) >= 3, proc, timeout=PROCESS_TIMEOUT)
    workers = _children(proc.pid)
    assert len(workers) == 2
    return proc, workers


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_ctrl_c_under_jobs_exits_130_and_stops_the_workers(tmp_path: Path) -> None:
    proc, workers = _corpus_ingest_with_workers(tmp_path / "int.sqlite")
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert not any(_alive(pid) for pid in workers)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_workers_exit_when_the_writer_is_killed(tmp_path: Path) -> None:
    proc, workers = _corpus_ingest_with_workers(tmp_path / "kill.sqlite")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def _items(part: int) -> list[tuple[int, int]]:
    return [(part, i) for i in range(1200)]  # more than one message


def _fails(part: int) -> list[int]:
    raise RuntimeError(f"helper {part} broken on purpose")


def _dies(part: int) -> list[int]:
    import os

    os._exit(3)


def test_helper_streams_deliver_everything_in_order() -> None:
    from zonedb.parallel import streamed_from_processes

    streams = streamed_from_processes(_items, range(1, 3))
    assert [list(s) for s in streams] == [_items(1), _items(2)]


def test_a_failing_or_dying_helper_is_reported() -> None:
    from zonedb.parallel import WorkerError, streamed_from_processes

    with pytest.raises(WorkerError, match="helper 1 broken on purpose"):
        list(streamed_from_processes(_fails, [1])[0])
    with pytest.raises(WorkerError, match="died"):
        list(streamed_from_processes(_dies, [1])[0])


def test_closing_a_helper_stream_early_stops_the_helper() -> None:
    from zonedb.parallel import streamed_from_processes

    stream = streamed_from_processes(_items, [1])[0]
    assert next(stream) == (1, 0)
    stream.close()
    assert not stream._process.is_alive()
    assert list(stream) == []


def test_parallel_fact_refresh_writes_what_one_process_writes(tmp_path: Path, new_db: NewDb) -> None:
    """The facts of a run are summarised by this process and helpers, each for part of the
    keys, and written in key order: the same table, ids included, as a one-process refresh."""
    from sqlalchemy import delete

    from zonedb.store.database import open_database
    from zonedb.store.facts import refresh_since
    from zonedb.store.models import Fact

    db_path = new_db("facts.sqlite")
    assert ingest(db_path, SEEDS, EXAMPLES, jobs=1, extra=("--published", "2024-09-10")).exit_code == 0
    expected = rows(db_path, "SELECT * FROM fact ORDER BY id")
    assert len(expected) > 50
    db = open_database(str(db_path))
    try:
        for jobs in (1, 2, 3):
            with db.engine.begin() as conn:
                conn.execute(delete(Fact))
            with db.engine.begin() as conn:
                counts = refresh_since(conn, 0, jobs=jobs, url=db.url)
            assert counts.inserted == len(expected)
            # fact ids continue from the deleted ones: compare everything but the id
            assert [r[1:] for r in rows(db_path, "SELECT * FROM fact ORDER BY id")] == [r[1:] for r in expected]
    finally:
        db.close()
