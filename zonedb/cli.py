"""The ``zonedb`` command line: parses options, calls the library, prints.

Data goes to stdout, messages and progress to stderr.  Exit codes: 0 ok, 1 an error (bad
input, database problem), 2 a usage error, 130 interrupted.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import sys
from decimal import Decimal
from typing import Annotated, Any

import typer

from zonedb.errors import ZonedbError

app = typer.Typer(
    name="zonedb",
    help=(
        "Turn Chinese economic news about development zones into an indicator database.\n\n"
        "Every figure becomes a row of zone, metric, period and value, with its unit and the "
        "exact source text.\n\n"
        "Example:\n\n"
        "  zonedb ingest papers/ --db zones.sqlite\n\n"
        "  zonedb query --zone 高平经开区 --metric 总投资 --db zones.sqlite"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Create, upgrade and inspect the database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="ZONEDB_DATABASE_URL", show_envvar=True,
                 help="Database file or SQLAlchemy URL [default: ./zonedb.sqlite]."),
]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="Output format: table, jsonl or csv.")]

EXPORT_COLUMNS = (
    "id", "document", "zone", "metric", "value", "unit", "period_start", "period_end", "period",
    "qualifier", "value_high", "measure", "modifiers", "scope", "metric_text", "published", "source",
    "article_title", "printed", "evidence", "span_start", "span_end", "doc_start", "doc_end",
    "value_exact", "zone_inferred",
)
QUERY_COLUMNS = ("id", "zone", "metric", "period", "value", "unit", "qualifier", "published", "document", "printed")


_LINE_BREAKS = re.compile(r"[ \t\u3000]*\r?\n[ \t\u3000]*")


def _err(message: str) -> None:
    typer.echo(message, err=True)


_interrupt_reported: list[bool] = []
_swallowed_interrupts: list[bool] = []


def _raise_swallowed_interrupt() -> None:
    if _swallowed_interrupts:
        raise KeyboardInterrupt


def _report_interrupt(message: str = "interrupted") -> None:
    """Say once that the run was interrupted (a second Ctrl-C must not print it again)."""
    if not _interrupt_reported:
        _interrupt_reported.append(True)
        _err(message)


def _fail(message: str, code: int = 1) -> typer.Exit:
    _err(f"error: {message}")
    return typer.Exit(code)


def _check_format(fmt: str, allowed: tuple[str, ...] = ("table", "jsonl", "csv")) -> str:
    if fmt not in allowed:
        raise typer.BadParameter(f"choose one of {', '.join(allowed)}", param_hint="--format")
    return fmt


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form", param_hint=option) from None


def _open(db: str | None):  # type: ignore[no-untyped-def]
    from zonedb.store.database import open_database

    try:
        return open_database(db)
    except ZonedbError as exc:
        raise _fail(str(exc)) from None


def _exact(row: dict[str, Any]) -> dict[str, Any]:
    """Exact Decimal values, and the evidence sentence with the PDF line breaks joined."""
    row = dict(row)
    if row.get("evidence"):
        row["evidence"] = _LINE_BREAKS.sub("", row["evidence"]).strip()
    if row.get("value_exact") is not None:
        row["value"] = Decimal(row["value_exact"])
    if row.get("value_high") is not None:
        row["value_high"] = Decimal(row["value_high"])
    return row


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (searched recursively); - reads stdin.")],
    db: DbOption = None,
    published: Annotated[str | None, typer.Option(
        help="Publication date YYYY-MM-DD for every file; else taken from the file name "
             "(xwlb-20230724-08.txt), the page metadata or the text's dateline.")] = None,
    source: Annotated[str | None, typer.Option(help="Publication name, e.g. 科学导报.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no per-file lines.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1,
                                      help="Processes that read and extract files in parallel, this one "
                                           "included (use the number of cores); documents are "
                                           "still written in input order.")] = 1,
) -> None:
    """Extract every figure from text, PDF, HTML or .docx files into the database.

    Identical files are stored once, so running the same ingest again adds nothing.
    Documents are written in transactions that never hold half a document; a file that
    cannot be read is reported by name and the others still go in (exit code 1 if any file
    failed).  Plain-text files over 32 MB are read piece by piece, in bounded memory.

    Example: zonedb ingest papers/ --published 2024-09-10 --source 科学导报 --db zones.sqlite
    """
    from zonedb.errors import InputError
    from zonedb.ingest import collect_inputs, iter_ingest

    pub = _date(published, "--published")
    try:
        inputs = collect_inputs(paths)
    except InputError as exc:
        raise _fail(str(exc)) from None
    database = _open(db)
    totals = {"added": 0, "skipped": 0, "empty": 0, "failed": 0}
    n_articles = n_obs = 0
    show_bar = not quiet and len(inputs) > 1 and sys.stderr.isatty()
    outcomes = None
    try:
        outcomes = iter_ingest(database, inputs, published=pub, source=source, jobs=jobs)
        if show_bar:
            with typer.progressbar(outcomes, length=len(inputs), label="ingesting", file=sys.stderr) as bar:
                results = []
                for outcome in bar:
                    results.append(outcome)
                    _raise_swallowed_interrupt()
                    if outcome.status in ("failed", "empty"):
                        _err(f"\n{outcome.status}: {outcome.name}: {outcome.detail}")
        else:
            results = []
            for outcome in outcomes:
                results.append(outcome)
                _raise_swallowed_interrupt()
                if outcome.status in ("failed", "empty"):
                    _err(f"{'error' if outcome.status == 'failed' else 'warning'}: {outcome.name}: {outcome.detail}")
        for o in results:
            totals[o.status] += 1
            n_articles += o.articles
            n_obs += o.observations
    except KeyboardInterrupt:
        if outcomes is not None:
            outcomes.close()  # stops --jobs workers now, not whenever the generator is collected
        _report_interrupt("interrupted: documents written so far are complete; "
                          "run the same command again to continue")
        raise typer.Exit(130) from None
    except ZonedbError as exc:
        raise _fail(str(exc)) from None
    finally:
        database.close()
    _err(
        f"documents {totals['added']}, articles {n_articles}, observations {n_obs}, "
        f"skipped {totals['skipped']}, empty {totals['empty']}, failed {totals['failed']}"
    )
    if totals["failed"]:
        raise typer.Exit(1)


@app.command()
def export(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl or csv.")] = "jsonl",
) -> None:
    """Write every observation, one row each, with its source text and offsets.

    Example: zonedb export --format csv --db zones.sqlite > observations.csv
    """
    from zonedb.output import write_dicts
    from zonedb.store.queries import iter_observations

    _check_format(fmt, ("jsonl", "csv"))
    database = _open(db)
    try:
        write_dicts((_exact(r) for r in iter_observations(database.engine)), EXPORT_COLUMNS, fmt, sys.stdout)
    finally:
        database.close()


@app.command()
def query(
    db: DbOption = None,
    zone: Annotated[str | None, typer.Option(help="Zone name or alias, e.g. 高平经开区.")] = None,
    metric: Annotated[str | None, typer.Option(help="Metric name or alias, e.g. 总投资.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Periods ending on or after YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Periods starting on or before YYYY-MM-DD.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Observations of a zone and/or metric, across every ingested issue.

    Example: zonedb query --zone 高平经开区 --metric 总投资 --format jsonl
    """
    from zonedb.output import write_dicts
    from zonedb.store.queries import iter_observations

    _check_format(fmt)
    start, end = _date(date_from, "--from"), _date(date_to, "--to")
    database = _open(db)
    try:
        rows = (_exact(r) for r in iter_observations(database.engine, zone=zone, metric=metric,
                                                      date_from=start, date_to=end))
        columns = QUERY_COLUMNS if fmt == "table" else EXPORT_COLUMNS
        n = write_dicts(rows, columns, fmt, sys.stdout)
    finally:
        database.close()
    if n == 0:
        _err("no observations match")


@app.command()
def sql(
    statement: Annotated[str, typer.Argument(help="One SELECT statement.")],
    db: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Run a read-only SQL query; statements that would write are refused.

    Example: zonedb sql "SELECT zone, metric, value, unit FROM v_observation LIMIT 5"
    """
    from zonedb.output import write_rows
    from zonedb.store.engine import resolve_url
    from zonedb.store.queries import run_readonly_sql

    _check_format(fmt)
    try:
        columns, rows = run_readonly_sql(resolve_url(db), statement)
        write_rows(columns, rows, fmt, sys.stdout)
    except ZonedbError as exc:
        raise _fail(str(exc)) from None


@app.command()
def zones(
    db: DbOption = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind: etdz, hitech, province, city …")] = None,
    used: Annotated[bool, typer.Option("--used", help="Only zones with observations.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """List the zone reference data with observation counts.

    Example: zonedb zones --used
    """
    from zonedb.output import write_dicts
    from zonedb.store.queries import zone_counts

    _check_format(fmt)
    database = _open(db)
    try:
        rows = zone_counts(database.engine, kind=kind, used_only=used)
    finally:
        database.close()
    write_dicts(rows, ("name", "kind", "level", "observations"), fmt, sys.stdout)


@app.command()
def metrics(
    db: DbOption = None,
    used: Annotated[bool, typer.Option("--used", help="Only metrics with observations.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """List the metrics (indicators) with observation counts.

    Example: zonedb metrics --used --format csv
    """
    from zonedb.output import write_dicts
    from zonedb.store.queries import metric_counts

    _check_format(fmt)
    database = _open(db)
    try:
        rows = metric_counts(database.engine, used_only=used)
    finally:
        database.close()
    write_dicts(rows, ("name", "code", "dimension", "observations"), fmt, sys.stdout)


@app.command()
def show(
    observation_id: Annotated[int, typer.Argument(help="An observation id (the id column of query/export).")],
    db: DbOption = None,
) -> None:
    """Show one observation in its sentence, with the figure marked, and where it came from.

    Example: zonedb show 12
    """
    from zonedb.store.queries import iter_observation

    database = _open(db)
    try:
        row = iter_observation(database.engine, observation_id)
    finally:
        database.close()
    if row is None:
        raise _fail(f"no observation with id {observation_id}")
    typer.echo(f"{row['zone']} | {row['metric']} | {row['period'] or '(no period)'} | "
               f"{_exact(row)['value']} {row['unit']}")
    typer.echo(row["marked"])
    where = f"page {row['page']}, " if row.get("page") else ""
    typer.echo(f"— {row['document']} ({where}article {row['article_seq']}: {row['article_title'] or 'untitled'}), "
               f"{row['source'] or 'unknown publication'}, {row['published']}, "
               f"characters {row['span_start']}–{row['span_end']} of the article")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the database or upgrade it to the newest schema (a backup of an SQLite file is kept).

    Example: zonedb db upgrade --db zones.sqlite
    """
    from zonedb.store import migrate

    database = _open(db)
    try:
        rev = migrate.current_revision(database.engine)
    finally:
        database.close()
    if database.backup:
        _err(f"backup written to {database.backup}")
    typer.echo(f"schema at revision {rev}")


@db_app.command("current")
def db_current(db: DbOption = None) -> None:
    """Print the schema revision of the database and the newest one this zonedb knows.

    Example: zonedb db current --db zones.sqlite
    """
    from zonedb.store import migrate
    from zonedb.store.engine import make_engine, resolve_url

    engine = make_engine(resolve_url(db), write=False)
    try:
        rev = migrate.current_revision(engine)
    finally:
        engine.dispose()
    typer.echo(f"current {rev or '(empty database)'}; head {migrate.head_revision()}")


from zonedb import cli_across  # noqa: E402,F401  (facts, series, chart, search, serve)
from zonedb import cli_copy  # noqa: E402,F401  (copy between engines)


def _first_sigint(_signum: int, _frame: object) -> None:
    # The run is stopping: a second Ctrl-C must not break the rollback and the close (and
    # print a traceback from the middle of them); they take a moment only.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def _unraisable(args: Any) -> None:
    # A Ctrl-C that lands in a finaliser (say a garbage-collection callback) is printed and
    # dropped by Python; remember it instead, and stop at the next file.
    if args.exc_type is not None and issubclass(args.exc_type, KeyboardInterrupt):
        _swallowed_interrupts.append(True)
        return
    sys.__unraisablehook__(args)


def main() -> None:
    """Entry point of the ``zonedb`` script."""
    sys.unraisablehook = _unraisable
    signal.signal(signal.SIGINT, _first_sigint)
    try:
        app()
    except KeyboardInterrupt:
        _report_interrupt()
        _exit_interrupted()
    except SystemExit as exc:
        # Typer turns a Ctrl-C outside a command's own handler (e.g. while the database is
        # being opened) into a silent exit 130: say why.
        if exc.code == 130:
            _report_interrupt()
            _exit_interrupted()
        raise
    finally:
        # The command is over, its work committed or rolled back: a Ctrl-C from here on comes
        # too late to stop anything, and must not turn a finished run into "killed by SIGINT"
        # while the interpreter shuts down.
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _exit_interrupted() -> None:
    # Everything is rolled back and closed by now.  Leave with 130 at once: a Ctrl-C that landed
    # in the interpreter's own code can otherwise make it end "killed by SIGINT" at shutdown,
    # after the message, as if nothing had handled it.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(130)


if __name__ == "__main__":
    main()
