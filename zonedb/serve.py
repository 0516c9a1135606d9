"""Browse a zonedb database in Datasette (optional extra ``zonedb[serve]``).

:func:`metadata` describes the tables and columns (units, sources), configures the article
search on the segmented index and adds canned queries: ``series`` (parameters zone and
metric; names or aliases), ``conflicts`` (every source of every disputed fact) and
``search`` (Chinese text, segmented by zonedb).  Datasette's own ``?_search=`` box on the
``article`` table sends the words as typed to FTS5: separate Chinese words by spaces
(``临汾 开发区``), since the index holds jieba words, not characters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["database_name", "metadata", "serve"]

_ZONE_MATCH = ("(SELECT z.id FROM zone z WHERE z.name = :zone OR z.key = :zone "
               "UNION SELECT za.zone_id FROM zone_alias za WHERE za.alias = :zone)")
_METRIC_MATCH = ("(SELECT m.id FROM metric m WHERE m.name = :metric "
                 "UNION SELECT ma.metric_id FROM metric_alias ma WHERE ma.alias = :metric)")

SERIES_SQL = f"""SELECT f.period, f.period_label, f.period_start, f.period_end, f.measure, f.value, f.unit,
       f.qualifier, f.status, f.n_sources, f.n_documents, f.printed, f.observation_ids, f.documents
FROM v_fact f
WHERE f.zone_id IN {_ZONE_MATCH} AND f.metric_id IN {_METRIC_MATCH}
ORDER BY f.measure, f.period_start IS NULL, f.period_start, f.period_end"""

CONFLICTS_SQL = """SELECT f.id AS fact_id, f.zone, f.metric, f.period, f.measure, f.value AS fact_value, f.unit,
       o.id AS observation_id, o.printed, o.qualifier, d.published, d.name AS document, d.source
FROM v_fact f
JOIN observation o ON o.zone_id = f.zone_id AND o.metric_id = f.metric_id AND o.measure = f.measure
     AND (o.period_id = f.period_id OR (o.period_id IS NULL AND f.period_id IS NULL))
JOIN document d ON d.id = o.document_id
WHERE f.status = 'conflict'
ORDER BY f.zone, f.metric, f.period_start, d.published, o.id"""

SEARCH_SQL = """SELECT a.id AS article_id, d.name AS document, d.published, a.seq AS article_seq, a.title,
       substr(replace(a.body, char(10), ''), 1, 120) AS opening,
       (SELECT count(*) FROM observation o WHERE o.article_id = a.id) AS figures
FROM article_fts
JOIN article a ON a.id = article_fts.rowid
JOIN document d ON d.id = a.document_id
WHERE article_fts MATCH zh_query(:q)
ORDER BY article_fts.rank
LIMIT 50"""


def database_name(path: Path) -> str:
    """The name Datasette gives a database file (its stem)."""
    return path.stem


def metadata(name: str) -> dict[str, Any]:
    """Datasette metadata for the database called ``name``."""
    source = "Ingested newspaper pages, bulletins and reports (table document: name, source, published)"
    tables: dict[str, Any] = {
        "document": {
            "description": "One ingested file: name, publication, publication date, detected encoding, full text.",
            "columns": {"published": "Publication date (from --published, the file name, metadata or the text)",
                        "published_from": "Where the publication date came from",
                        "sha256": "Hash of the file's bytes; identical files are stored once"},
        },
        "article": {
            "description": "One article of a document. Search box: Chinese words separated by spaces "
                         "(e.g. 临汾 开发区); the index holds jieba-segmented words.",
            "fts_table": "article_fts",
            "fts_pk": "id",
            "columns": {"body": "Exactly document.text[doc_start:doc_end]",
                        "body_hash": "Hash ignoring spaces and punctuation: equal for reprints"},
        },
        "observation": {
            "description": "One printed figure: zone, metric, period, exact value and unit, with the printed "
                           "text and its offsets in the article body.",
            "columns": {
                "value_exact": "Exact value (Decimal text) in the unit of the unit column",
                "value": "REAL copy of value_exact for arithmetic",
                "unit": "Money in 元, percentages in %, counts with their measure word (家, 个), physical "
                        "quantities in the printed unit without multiplier",
                "qualifier": "约, 超过, 以上 … as printed",
                "measure": "level, yoy_pct (growth), share_pct …",
                "printed": "The figure exactly as printed",
                "span_start": "Start offset of the figure in article.body (code points)",
            },
        },
        "fact": {
            "description": "One zone, metric, period and measure across all issues: best value, number of "
                           "independent sources (reprints count once) and whether they agree.",
            "columns": {
                "status": "single (one source), agree (values within printed precision and qualifiers) "
                          "or conflict",
                "value_exact": "Best value (exact text), unit in the unit column",
                "n_sources": "Independent article bodies reporting it (reprints count once)",
                "n_documents": "Ingested documents (issues) reporting it, reprints included",
                "n_values": "Distinct values printed for it",
                "value_low_exact": "Lower end of the values every source admits (agree) or of the best figure",
            },
        },
        "v_fact": {"description": "Facts with zone, metric and period names, observation ids and documents."},
        "v_observation": {"description": "Observations joined with document, article, zone, metric and period."},
        "zone": {"description": "Development zones and administrative areas (reference data)."},
        "metric": {"description": "Indicators (packaged vocabulary plus wordings found in texts)."},
        "period": {"description": "Time intervals: code, kind, start and end dates, Chinese label."},
        "article_seg": {"description": "Segmented title and body (jieba search mode) indexed by article_fts.",
                        "hidden": True},
    }
    queries = {
        "series": {
            "title": "Series: one zone's metric per period",
            "description": "Parameters zone and metric accept names and aliases, e.g. 高平经开区 and 总投资.",
            "sql": SERIES_SQL,
        },
        "conflicts": {
            "title": "Conflicts: every source of every disputed fact",
            "sql": CONFLICTS_SQL,
        },
        "search": {
            "title": "Search articles (Chinese text, segmented by zonedb)",
            "description": "Type Chinese as it is (e.g. 专项债); zonedb cuts it into words. Works under "
                           "`zonedb serve`, which provides the zh_query() SQL function.",
            "sql": SEARCH_SQL,
        },
    }
    return {
        "title": "zonedb",
        "description": "Indicators of development zones extracted from Chinese economic news.",
        "source": source,
        "databases": {name: {"source": source, "tables": tables, "queries": queries}},
    }


def _zh_query(query: str | None) -> str:
    """FTS5 expression for Chinese text (an expression matching nothing when there is no word)."""
    from zonedb.search import fts_query

    return fts_query(query or "") or '""'


def serve(path: Path, *, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Run Datasette on ``path`` until interrupted.

    :raises ImportError: Datasette is not installed (``pip install 'zonedb[serve]'``).
    """
    import asyncio
    import types

    import uvicorn
    from datasette import hookimpl
    from datasette.app import Datasette
    from datasette.plugins import pm

    if pm.get_plugin("zonedb") is None:
        plugin = types.ModuleType("zonedb_datasette", "Datasette hooks: zh_query() for the search query.")

        @hookimpl
        def prepare_connection(conn: Any) -> None:
            conn.create_function("zh_query", 1, _zh_query, deterministic=True)

        plugin.prepare_connection = prepare_connection  # type: ignore[attr-defined]
        pm.register(plugin, name="zonedb")
    ds = Datasette([str(path)], metadata=metadata(database_name(path)),
                   settings={"default_page_size": 50, "sql_time_limit_ms": 3000})
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
