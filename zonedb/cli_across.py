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
                      "n_sources", "n_documents", "observation_ids", "documents")
SERIES_TABLE_COLUMNS = ("period", "measure", "value", "unit", "qualifier", "status", "n_sources", "printed",
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

    Reprints of the same article count as one document (n_sources) but every issue is
    listed (n_documents, documents).  Status: single (one source), agree, conflict.

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


@app.command()
def chart(
    zone: Annotated[str, typer.Option(help="Zone name or alias, e.g. 高平经开区.")],
    metric: Annotated[str, typer.Option(help="Metric name or alias, e.g. 总投资.")],
    output: Annotated[str, typer.Option("--output", "-o", help="File to write: .svg or .html.")],
    db: DbOption = None,
    measure: MeasureOption = None,
) -> None:
    """Draw a zone's metric per period as an SVG chart (or an HTML page holding it).

    Periods run along the x axis in time order; money is shown in 亿元 or 万元 when that reads
    best.  Facts without a stated period are left out (listed by `zonedb series`); a red
    point marks a period whose sources disagree.

    Example: zonedb chart --zone 高平经开区 --metric 总投资 -o gaoping.svg
    """
    from collections import Counter
    from pathlib import Path

    from zonedb.chart import Point, render_html, render_svg
    from zonedb.store.facts import iter_facts

    path = Path(output)
    if path.suffix.lower() not in (".svg", ".html", ".htm"):
        raise typer.BadParameter("the file name must end in .svg or .html", param_hint="--output")
    database = _open(db)
    try:
        rows = list(iter_facts(database.engine, zone=zone, metric=metric, measure=measure))
    finally:
        database.close()
    if not rows:
        raise _fail(f"no facts for zone {zone!r} and metric {metric!r}")
    measures = Counter(r["measure"] for r in rows)
    chosen = measure or ("level" if "level" in measures else measures.most_common(1)[0][0])
    rows = [r for r in rows if r["measure"] == chosen]
    unit = Counter(r["unit"] for r in rows).most_common(1)[0][0]
    dated = [r for r in rows if r["period"] is not None and r["unit"] == unit]
    left_out = len(rows) - len(dated)
    points = [Point(r.get("period_label") or r["period"], Decimal(r["value_exact"]), r["status"], r["n_sources"])
              for r in dated]
    title = f"{rows[0]['zone']} · {rows[0]['metric']}"
    subtitle = f"度量 {chosen}；{len(points)} 个时期；来源 {len({d for r in dated for d in (r['documents'] or '').split(',') if d})} 份文件"
    svg = render_svg(points, title=title, unit=unit, subtitle=subtitle)
    text = svg if path.suffix.lower() == ".svg" else render_html(svg, title=title)
    path.write_text(text, encoding="utf-8")
    note = f"; {left_out} fact(s) without a period or in another unit left out" if left_out else ""
    _err(f"wrote {path} ({len(points)} period(s){note})")


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8001,
    write_metadata: Annotated[str | None, typer.Option(
        "--write-metadata", help="Write the Datasette metadata (JSON) to this file and exit.")] = None,
) -> None:
    """Browse the database in Datasette, with descriptions, canned queries (series, conflicts,
    search) and article search on the segmented index (needs `pip install 'zonedb[serve]'`).

    In Datasette's search box separate Chinese words by spaces (临汾 开发区); the canned
    `search` query takes Chinese as it is.

    Example: zonedb serve --db zones.sqlite --port 8001
    """
    import json
    from pathlib import Path

    from zonedb.serve import database_name, metadata
    from zonedb.store.engine import resolve_url, sqlite_path

    path = sqlite_path(resolve_url(db))
    if path is None:
        raise _fail("zonedb serve needs an SQLite database file")
    if write_metadata is not None:
        Path(write_metadata).write_text(json.dumps(metadata(database_name(path)), ensure_ascii=False, indent=2)
                                        + "\n", encoding="utf-8")
        _err(f"wrote {write_metadata}")
        return
    _open(db).close()  # create or upgrade the schema first
    try:
        from zonedb.serve import serve as run
    except ImportError:  # pragma: no cover - the import itself is light
        raise _fail("Datasette is not installed: pip install 'zonedb[serve]'") from None
    _err(f"serving {path} at http://{host}:{port}/{database_name(path)} (Ctrl-C stops)")
    try:
        run(path, host=host, port=port)
    except ImportError:
        raise _fail("Datasette is not installed: pip install 'zonedb[serve]'") from None
    except KeyboardInterrupt:
        pass
