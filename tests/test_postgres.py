"""PostgreSQL: concurrent writers, copying between engines, read-only SQL, Chinese search.

Each test needs a server (``ZONEDB_TEST_DATABASE_URL``) and skips with that reason when
none is configured; the copy test needs nothing else, since SQLite is always there.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLES, SEEDS, create_pg_database, drop_pg_database, need_postgres, rows, scalar
from tests.test_facts import ISSUE, OTHER
from zonedb.cli import app

runner = CliRunner()

# Written for these tests; the figures are made up.
TEXTS = {
    f"paper-2024091{i}.txt": ISSUE.replace("52.6 亿元", f"5{i}.6 亿元").replace("326 家", f"3{i}6 家")
    for i in range(6)
}
TEXTS["other-20240920.txt"] = OTHER


@pytest.fixture
def pg() -> list[str]:
    """Fresh PostgreSQL databases made with ``pg.append(create_pg_database())``; dropped after."""
    need_postgres()
    made: list[str] = []
    yield made  # type: ignore[misc]
    for url in made:
        drop_pg_database(url)


def new_pg(pg: list[str]) -> str:
    url = create_pg_database()
    pg.append(url)
    return url


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def export(db: str) -> list[dict[str, object]]:
    out = invoke("export", "--db", db)
    assert out.exit_code == 0, out.output
    return [json.loads(line) for line in out.stdout.splitlines()]


def facts(db: str) -> list[dict[str, object]]:
    out = invoke("facts", "--format", "jsonl", "--db", db)
    assert out.exit_code == 0, out.output
    return [json.loads(line) for line in out.stdout.splitlines()]


def inputs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in TEXTS.items():
        (folder / name).write_text(body, encoding="utf-8")
    return folder


TABLES = ("document", "article", "zone", "zone_alias", "metric", "metric_alias", "period", "observation",
          "fact", "article_seg")


def table_rows(db: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (timestamps left out), by id."""
    out = {}
    for t in TABLES:
        columns = {"document": "id, name, sha256, published, text",
                   "article_seg": "article_id, title_seg, body_seg"}.get(t, "*")
        key = "article_id" if t == "article_seg" else "id"
        out[t] = rows(db, f"SELECT {columns} FROM {t} ORDER BY {key}")
    return out


def test_two_processes_ingest_into_one_fresh_postgresql_database(tmp_path: Path, pg: list[str]) -> None:
    folder = inputs(tmp_path / "in")
    url = new_pg(pg)  # fresh: both processes also create the schema at the same moment
    cmd = [sys.executable, "-m", "zonedb", "ingest", str(folder), str(EXAMPLES), "--db", url, "-q"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert "failed 0" in err
    n_files = len(TEXTS) + 1
    # every document exactly once, each counted as added by exactly one of the two processes
    added = sum(int(err.split("documents ")[1].split(",")[0]) for _out, err in results)
    assert added == n_files
    assert rows(url, "SELECT count(*), count(DISTINCT sha256) FROM document") == [(n_files, n_files)]
    # the same rows as one process writing alone (ids may interleave differently)
    alone = new_pg(pg)
    assert invoke("ingest", str(folder), str(EXAMPLES), "--db", alone, "-q").exit_code == 0

    def key(r: dict[str, object]) -> tuple[object, ...]:
        return (r["document"], r["zone"], r["metric"], r["period"], r["value_exact"], r["printed"], r["span_start"])

    assert sorted(map(key, export(url))) == sorted(map(key, export(alone)))

    def fact_key(f: dict[str, object]) -> tuple[object, ...]:
        return tuple(f[k] for k in ("zone", "metric", "period", "measure", "value_exact", "status", "n_sources",
                                    "n_documents", "documents"))

    assert sorted(map(fact_key, facts(url))) == sorted(map(fact_key, facts(alone)))
    # the facts kept on ingest equal a rebuild from all observations
    before = rows(url, "SELECT * FROM fact ORDER BY id")
    rebuilt = invoke("facts", "rebuild", "--db", url)
    assert rebuilt.exit_code == 0 and "inserted 0" in rebuilt.stderr and "updated 0" in rebuilt.stderr
    assert rows(url, "SELECT * FROM fact ORDER BY id") == before


def test_copy_sqlite_to_postgresql_and_back_keeps_every_row(tmp_path: Path, pg: list[str]) -> None:
    source = str(tmp_path / "source.sqlite")
    papers = [str(inputs(tmp_path / "in")), str(EXAMPLES)]
    if SEEDS.exists():
        papers.append(str(SEEDS))
    assert invoke("ingest", *papers, "--published", "2024-09-10", "--db", source, "-q").exit_code == 0
    target = new_pg(pg)
    copied = invoke("copy", "--from", source, "--to", target)
    assert copied.exit_code == 0, copied.output
    assert "observation" in copied.stderr
    back = str(tmp_path / "back.sqlite")
    assert invoke("copy", "--from", target, "--to", back).exit_code == 0

    assert export(target) == export(source) and export(back) == export(source)
    assert facts(target) == facts(source) and facts(back) == facts(source)
    assert table_rows(target) == table_rows(source) == table_rows(back)
    for db in (source, target, back):
        out = invoke("search", "营业收入", "--format", "jsonl", "--db", db)
        assert "full-text index" in out.stderr
    assert {json.loads(line)["article_id"] for line in invoke("search", "营业收入", "--format", "jsonl", "--db",
                                                             target).stdout.splitlines()} == \
        {json.loads(line)["article_id"] for line in invoke("search", "营业收入", "--format", "jsonl", "--db",
                                                          source).stdout.splitlines()}

    # a target with documents is refused, and left as it was, unless --replace
    n = scalar(target, "SELECT count(*) FROM observation")
    refused = invoke("copy", "--from", source, "--to", target)
    assert refused.exit_code == 1 and "--replace" in refused.stderr
    assert scalar(target, "SELECT count(*) FROM observation") == n
    assert invoke("copy", "--from", source, "--to", target, "--replace").exit_code == 0
    assert export(target) == export(source)

    # ids continue after the copied ones: a new document goes in next to them
    more = tmp_path / "more"
    more.mkdir()
    (more / "late-20241001.txt").write_text(ISSUE.replace("415.7 亿元", "451.7 亿元"), encoding="utf-8")
    for db in (target, source):
        assert invoke("ingest", str(more), "--db", db, "-q").exit_code == 0
    assert export(target) == export(source)
    assert facts(target) == facts(source)


def test_read_only_sql_refuses_writes_on_postgresql(pg: list[str]) -> None:
    url = new_pg(pg)
    assert invoke("ingest", str(EXAMPLES), "--db", url, "-q").exit_code == 0
    before = rows(url, "SELECT count(*) FROM observation")
    for statement in ("DELETE FROM observation", "UPDATE zone SET name = 'x'", "DROP TABLE observation",
                      "CREATE TABLE x (y INTEGER)", "SELECT 1; DELETE FROM observation",
                      "SELECT nextval(pg_get_serial_sequence('zone', 'id'))",
                      "WITH gone AS (DELETE FROM observation RETURNING id) SELECT count(*) FROM gone",
                      "COPY zone TO STDOUT", "SET default_transaction_read_only = off",
                      "ATTACH DATABASE 'x.sqlite' AS x", "PRAGMA journal_mode=DELETE"):
        result = invoke("sql", statement, "--db", url)
        assert result.exit_code == 1, statement
        assert "read-only" in result.stderr, (statement, result.stderr)
    assert rows(url, "SELECT count(*) FROM observation") == before
    ok = invoke("sql", "SELECT zone_inferred, count(*) AS n FROM v_observation GROUP BY 1 ORDER BY 1;",
                "--format", "jsonl", "--db", url)
    assert ok.exit_code == 0, ok.output
    assert [json.loads(line)["zone_inferred"] for line in ok.stdout.splitlines()] == [0, 1]


def test_chinese_search_uses_the_tsvector_index(tmp_path: Path, pg: list[str]) -> None:
    url = new_pg(pg)
    assert invoke("ingest", str(inputs(tmp_path / "in")), "--db", url, "-q").exit_code == 0
    # the index is a generated tsvector over the segmented text, with a GIN index
    assert rows(url, "SELECT indexdef LIKE '%USING gin (fts)%' FROM pg_indexes "
                     "WHERE tablename = 'article_seg' AND indexname = 'ix_article_seg_fts'") == [(True,)]
    out = invoke("search", "营业收入", "--format", "jsonl", "--db", url)
    assert out.exit_code == 0 and "full-text index" in out.stderr
    hits = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(hits) == len(TEXTS) and all(h["article_seq"] == 2 for h in hits)
    assert all("【营业收入】" in h["snippet"] for h in hits)
    # a word inside a run of Chinese characters, several words (all required), none
    assert len(invoke("search", "临汾经济开发区", "--format", "jsonl", "--db", url).stdout.splitlines()) == len(TEXTS)
    other = invoke("search", "记者 获悉", "--format", "jsonl", "--db", url)
    assert [json.loads(line)["document"] for line in other.stdout.splitlines()] == ["other-20240920.txt"]
    none = invoke("search", "钢铁冶炼", "--format", "jsonl", "--db", url)
    assert none.stdout == "" and "0 article(s)" in none.stderr
    # quotes and tsquery operators in a query are words, not syntax
    odd = invoke("search", "营业's & | !收入", "--format", "jsonl", "--db", url)
    assert odd.exit_code == 0, odd.output
