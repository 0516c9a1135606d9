"""Chinese full-text search: segmentation, FTS5 matching, LIKE fallback, figures, the command."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import ENGINE_NAME, SEEDS, NewDb, need
from tests.conftest import rows as db_rows
from tests.test_facts import ISSUE, write
from zonedb.cli import app
from zonedb.search import fts_query, like_pattern, segment_text, snippet

runner = CliRunner()


def test_index_text_and_queries_are_segmented_the_same_way() -> None:
    indexed = segment_text("争取专项债券，临汾经济开发区。").split()
    assert {"专项", "债券", "专项债", "专项债券", "临汾", "开发区"} <= set(indexed)
    assert "，" not in indexed and "。" not in indexed
    assert fts_query("专项债") == '"专项债"'
    assert fts_query("临汾经济开发区") == '"临汾" AND "经济" AND "开发区"'
    assert fts_query("临汾 开发区") == '"临汾" AND "开发区"'
    assert fts_query("临") is None and fts_query("  ") is None
    assert like_pattern("5%_x") == "%5\\%\\_x%"
    assert snippet("前文。\n争取专项债项目持续扩大。", "专项债", width=3) == "…。争取【专项债】项目持…"


def ingest(tmp_path: Path, new_db: NewDb) -> str:
    db = new_db("s.sqlite")
    write(tmp_path / "p", "paper-20240910.txt", ISSUE)
    assert runner.invoke(app, ["ingest", str(tmp_path / "p"), "--db", str(db), "-q"]).exit_code == 0
    return db


def test_search_finds_words_inside_chinese_text_with_the_article_figures(tmp_path: Path, new_db: NewDb) -> None:
    db = ingest(tmp_path, new_db)
    assert db_rows(db, "SELECT count(*) FROM article_seg") == [(2,)]
    if ENGINE_NAME == "sqlite":
        # the default tokenizer alone would not find a word inside a run of Chinese characters
        assert db_rows(db, "SELECT rowid FROM article_fts WHERE article_fts MATCH '营业收入'") == [(2,)]
    else:
        assert db_rows(db, "SELECT article_id FROM article_seg WHERE fts @@ to_tsquery('simple', '营业收入')") == [(2,)]
    out = runner.invoke(app, ["search", "营业收入", "--format", "jsonl", "--db", str(db)])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 1 and "full-text index" in out.stderr
    hit = rows[0]
    assert (hit["document"], hit["article_seq"], hit["published"]) == ("paper-20240910.txt", 2, "2024-09-10")
    assert "【营业收入】" in hit["snippet"]
    figures = {(f["metric"], f["period"], f["printed"], f["value"]) for f in hit["figures"]}
    assert ("营业收入", "2023", "415.7 亿元", 41570000000) in figures
    assert len(hit["figures"]) == 3
    # both articles mention 经济; a word in none finds nothing
    both = runner.invoke(app, ["search", "经济", "--format", "csv", "--db", str(db)])
    assert len(both.stdout.splitlines()) == 3
    none = runner.invoke(app, ["search", "钢铁冶炼", "--format", "jsonl", "--db", str(db)])
    assert none.stdout == "" and "0 article(s)" in none.stderr


def test_one_character_queries_use_like(tmp_path: Path, new_db: NewDb) -> None:
    db = ingest(tmp_path, new_db)
    out = runner.invoke(app, ["search", "汾", "--format", "jsonl", "--db", str(db)])
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["article_seq"] for r in rows] == [2] and "substring search" in out.stderr
    assert "【汾】" in rows[0]["snippet"]


def test_search_the_seed_page_for_special_bonds(tmp_path: Path, new_db: NewDb) -> None:
    need(SEEDS)
    db = new_db("seed.sqlite")
    assert runner.invoke(app, ["ingest", str(SEEDS), "--published", "2024-09-10", "--db", str(db), "-q"]).exit_code == 0
    out = runner.invoke(app, ["search", "专项债", "--format", "jsonl", "--db", str(db)])
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows and "full-text index" in out.stderr
    bodies = {i: (t or "") + b for i, t, b in db_rows(db, "SELECT id, title, body FROM article")}
    linfen = [r for r in rows if "临汾经济开发区" in bodies[r["article_id"]]]
    assert linfen, "the 临汾 article is not among the hits"
    assert "【专项债】" in linfen[0]["snippet"]
    assert linfen[0]["figures"] and all(f["printed"] for f in linfen[0]["figures"])
