"""Commands that look across issues: facts, series, chart, search, serve.

Registered on :data:`zonedb.cli.app` when :mod:`zonedb.cli` imports this module.  Thin like
the rest of the CLI: parse options, call the library, print (data to stdout, messages to
stderr).
"""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Annotated, Any

import typer

from zonedb.cli import DbOption, FormatOption, _check_format, _err, _fail, _open, app
from zonedb.errors import ZonedbError

facts_app = typer.Typer(
    help="Facts: one row per zone, metric, period and measure across every issue, with agreement.",
    invoke_without_command=True,
)
app.add_typer(facts_app, name="facts")

STATUSES = ("single", "agree", "conflict")
FACT_TABLE_COLUMNS = ("id", "zone", "metric", "period", "measure", "value", "unit", "qualifier", "status",
                      "n_documents", "n_publications", "observation_ids", "documents")
SERIES_TABLE_COLUMNS = ("period", "measure", "value", "unit", "qualifier", "status", "n_documents", "printed",
                        "observation_ids", "documents")
SERIES_ISSUE_TABLE_COLUMNS = ("period", "published", "value", "unit", "qualifier", "values", "fact_status",
                              "observation_ids", "documents")
SEARCH_TABLE_COLUMNS = ("document", "published", "article_seq", "title", "snippet", "figures")
SEARCH_COLUMNS = ("article_id", "document", "published", "source", "article_seq", "title", "snippet", "figures")

ZoneOption = Annotated[str | None, typer.Option(help="Zone name or alias, e.g. 高平经开区.")]
MetricOption = Annotated[str | None, typer.Option(help="Metric name or alias, e.g. 总投资.")]
MeasureOption = Annotated[str | None, typer.Option(help="Only this measure: level, yoy_pct, share_pct …")]


def _decimals(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    if row.get("value_exact") is not None:
        row["value"] = Decimal(row["value_exact"])
    for name in ("value_low", "value_high"):
        if row.get(name) is not None:
            row[name] = Decimal(row[name])
    return row


@facts_app.callback()
def facts(
    ctx: typer.Context,
    db: DbOption = None,
    zone: ZoneOption = None,
    metric: MetricOption = None,
    status: Annotated[str | None, typer.Option(help="Only facts with this status: single, agree or conflict.")] = None,
    measure: MeasureOption = None,
    fmt: FormatOption = "table",
) -> None:
    """List facts: each zone, metric, period and measure with its best value, how many
    independent documents report it and whether they agree.

    Reprints of the same article count as one document (n_documents) but every issue is
    listed (n_publications, documents).  Status: single (one source), agree, conflict.

    Example: zonedb facts --status conflict --format jsonl
    """
    if ctx.invoked_subcommand is not None:
        return
    from zonedb.output import write_rows
    from zonedb.store.facts import FACT_COLUMNS, iter_facts

    _check_format(fmt)
    if status is not None and status not in STATUSES:
        raise typer.BadParameter(f"choose one of {', '.join(STATUSES)}", param_hint="--status")
    database = _open(db)
    try:
        rows = (_decimals(r) for r in iter_facts(database.engine, zone=zone, metric=metric, status=status,
                                                  measure=measure))
        columns = FACT_TABLE_COLUMNS if fmt == "table" else FACT_COLUMNS
        # sources are the point of this listing: do not shorten them in the table
        n = write_rows(columns, ([r.get(c) for c in columns] for r in rows), fmt, sys.stdout, max_cell=160)
    finally:
        database.close()
    if n == 0:
        _err("no facts match")


@facts_app.command("rebuild")
def facts_rebuild(db: DbOption = None) -> None:
    """Recompute every fact from all observations (the same result as the incremental
    updates made on ingest).

    Example: zonedb facts rebuild --db zones.sqlite
    """
    from zonedb.store.facts import rebuild

    database = _open(db)
    try:
        with database.engine.begin() as conn:
            counts = rebuild(conn)
    except ZonedbError as exc:
        raise _fail(str(exc)) from None
    finally:
        database.close()
    _err(f"facts inserted {counts.inserted}, updated {counts.updated}, deleted {counts.deleted}, "
         f"unchanged {counts.unchanged}")


@app.command()
def series(
    zone: Annotated[str, typer.Option(help="Zone name or alias, e.g. 高平经开区.")],
    metric: Annotated[str, typer.Option(help="Metric name or alias, e.g. 总投资.")],
    db: DbOption = None,
    measure: MeasureOption = None,
    by_issue: Annotated[bool, typer.Option("--by-issue", help="One row per period and publication date.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """The value of one zone's metric per period (with --by-issue: per period and issue),
    each row with its observation ids and documents.

    Example: zonedb series --zone 高平经开区 --metric 总投资 --by-issue
    """
    from zonedb.output import write_dicts
    from zonedb.store.facts import SERIES_BY_ISSUE_COLUMNS, SERIES_COLUMNS, iter_series

    _check_format(fmt)
    database = _open(db)
    try:
        rows = (_decimals(r) for r in iter_series(database.engine, zone=zone, metric=metric, measure=measure,
                                                   by_issue=by_issue))
        if by_issue:
            columns = SERIES_ISSUE_TABLE_COLUMNS if fmt == "table" else SERIES_BY_ISSUE_COLUMNS
        else:
            columns = SERIES_TABLE_COLUMNS if fmt == "table" else SERIES_COLUMNS
        n = write_dicts(rows, columns, fmt, sys.stdout)
    finally:
        database.close()
    if n == 0:
        _err("no facts match")


def _json_figure(figure: dict[str, Any]) -> dict[str, Any]:
    value = Decimal(figure["value_exact"])
    return {**figure, "value": int(value) if value == value.to_integral_value() else float(value)}


def _figures_text(figures: list[dict[str, Any]]) -> str:
    return "; ".join(f"#{f['id']} {f['metric']} {f['period'] or '-'} {f['printed']}" for f in figures)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find, e.g. 专项债 or 临汾 开发区.")],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many articles.")] = 20,
    fmt: FormatOption = "table",
) -> None:
    """Find articles by Chinese words (segmented full-text search) and list their figures.

    The query is cut into words like the index; every word must occur.  A one-character
    query searches the text with LIKE.

    Example: zonedb search 专项债 --format jsonl
    """
    from zonedb.output import write_dicts
    from zonedb.store.search import search_articles

    _check_format(fmt)
    database = _open(db)
    try:
        method, rows = search_articles(database.engine, query, limit=limit)
    finally:
        database.close()
    if fmt != "jsonl":
        rows = [{**r, "figures": _figures_text(r["figures"])} for r in rows]
    else:
        rows = [{**r, "figures": [_json_figure(f) for f in r["figures"]]} for r in rows]
    write_dicts(rows, SEARCH_TABLE_COLUMNS if fmt == "table" else SEARCH_COLUMNS, fmt, sys.stdout)
    _err(f"{len(rows)} article(s) ({'full-text index' if method == 'fts' else 'substring search'})")
