"""Full-text search over articles: the segmented ``article_seg`` table and its FTS5 index.

SQLite's default FTS5 tokenizer sees a run of Chinese characters as one token, so
``article_seg`` holds jieba search-mode words joined by spaces (:func:`zonedb.search.segment_text`)
and ``article_fts`` (external content ``article_seg``, rowid = article id; kept in sync by
triggers) indexes those.  On PostgreSQL the same segmented text is indexed as a tsvector
(generated column ``article_seg.fts``, ``to_tsvector('simple', …)``, GIN index) and the query
words are joined by ``&`` in ``to_tsquery('simple', …)``.  Other databases, and
one-character queries, use ``LIKE`` on the article text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, select, text

from zonedb.search import fts_query, like_pattern, query_words, segment_text, snippet
from zonedb.store.models import Article, ArticleSeg, Document

__all__ = ["has_fts", "index_articles", "index_document", "pg_tsquery", "reindex", "search_articles"]


def has_fts(conn: Connection) -> bool:
    """Whether the database has a full-text index: ``article_fts`` (SQLite) or the tsvector
    column ``article_seg.fts`` (PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        return conn.execute(text(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = 'article_seg' AND column_name = 'fts'")).first() is not None
    if conn.dialect.name != "sqlite":
        return False
    return conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'article_fts'")).first() is not None


def pg_tsquery(query: str) -> str:
    """The query words, each quoted, joined by ``&`` (text for ``to_tsquery('simple', …)``)."""
    return " & ".join("'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in query_words(query))


def _fts_ids(conn: Connection, query: str, match: str, limit: int) -> list[int]:
    if conn.dialect.name == "postgresql":
        return list(conn.execute(text(
            "SELECT article_id FROM article_seg WHERE fts @@ to_tsquery('simple', :q) "
            "ORDER BY ts_rank(fts, to_tsquery('simple', :q)) DESC, article_id LIMIT :n"
        ), {"q": pg_tsquery(query), "n": limit}).scalars())
    return list(conn.execute(text(
        "SELECT rowid FROM article_fts WHERE article_fts MATCH :q ORDER BY rank LIMIT :n"
    ), {"q": match, "n": limit}).scalars())


def index_articles(conn: Connection, rows: Iterable[tuple[int, str | None, str]]) -> int:
    """Segment and store (article id, title, body) rows; the triggers update ``article_fts``."""
    values = [{"article_id": aid, "title_seg": segment_text(title or ""), "body_seg": segment_text(body)}
              for aid, title, body in rows]
    if not values:
        return 0
    ids = [v["article_id"] for v in values]
    conn.execute(delete(ArticleSeg).where(ArticleSeg.article_id.in_(ids)))
    conn.execute(ArticleSeg.__table__.insert(), values)
    return len(values)


def index_document(conn: Connection, document_id: int) -> int:
    """Index the articles of one document (inside the caller's transaction)."""
    ids = list(conn.execute(select(Article.id).where(Article.document_id == document_id)
                            .order_by(Article.id)).scalars())
    n = 0
    for i in range(0, len(ids), 200):  # a few hundred articles at a time: memory stays bounded
        rows = conn.execute(select(Article.id, Article.title, Article.body).where(Article.id.in_(ids[i : i + 200])))
        n += index_articles(conn, [tuple(r) for r in rows])  # type: ignore[misc]
    return n


def reindex(conn: Connection, *, only_missing: bool = False) -> int:
    """Index every article (or only those not indexed yet); return how many were indexed."""
    stmt = select(Article.id, Article.title, Article.body).order_by(Article.id)
    if only_missing:
        stmt = stmt.where(~Article.id.in_(select(ArticleSeg.article_id)))
    n = 0
    batch: list[tuple[int, str | None, str]] = []
    for row in conn.execute(stmt):
        batch.append(tuple(row))  # type: ignore[arg-type]
        if len(batch) >= 200:
            n += index_articles(conn, batch)
            batch = []
    return n + index_articles(conn, batch)


def search_articles(engine: Engine, query: str, *, limit: int = 20) -> tuple[str, list[dict[str, Any]]]:
    """Articles matching ``query``, best first, each with a snippet and its figures.

    Returns (method, rows): method is ``fts`` or ``like`` (one-character queries, databases
    without FTS5, or when the segmented query finds nothing although the text occurs).
    """
    with engine.connect() as conn:
        match = fts_query(query)
        ids: list[int] = []
        method = "like"
        if match and has_fts(conn):
            method = "fts"
            ids = _fts_ids(conn, query, match, limit)
        if not ids:
            pattern = like_pattern(query)
            found = list(conn.execute(
                select(Article.id).where((Article.body.like(pattern, escape="\\"))
                                         | (Article.title.like(pattern, escape="\\")))
                .order_by(Article.id).limit(limit)).scalars())
            if found or method != "fts":
                ids, method = found, "like"
        if not ids:
            return method, []
        arts = {r.id: r for r in conn.execute(
            select(Article.id, Article.seq, Article.title, Article.body, Document.name, Document.published,
                   Document.source)
            .join(Document, Document.id == Article.document_id)
            .where(Article.id.in_(bindparam("ids", expanding=True))), {"ids": ids})}
        figures: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        obs = conn.execute(text(
            "SELECT v.id, v.article_id, v.zone, v.metric, v.period, v.value_exact, v.unit, v.printed "
            "FROM v_observation v WHERE v.article_id IN :ids ORDER BY v.article_id, v.span_start, v.id"
        ).bindparams(bindparam("ids", expanding=True)), {"ids": ids})
        for r in obs.mappings():
            figures[r["article_id"]].append(dict(r))
    out = []
    for aid in ids:
        a = arts[aid]
        out.append({
            "article_id": aid, "document": a.name, "published": a.published, "source": a.source,
            "article_seq": a.seq, "title": a.title, "snippet": snippet(a.body, query),
            "figures": [{k: v for k, v in f.items() if k != "article_id"} for f in figures[aid]],
        })
    return method, out

