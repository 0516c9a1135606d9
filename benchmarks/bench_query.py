"""Query latency on a generated database of 1,000,000 observations, 5,000 zones and 200 metrics.

    python benchmarks/bench_query.py [--rows 1000000] [--zones 5000] [--metrics 200] [--db PATH]

The database is made by ``open_database`` (migrations and packaged reference data), then filled
with synthetic zones and metrics up to the requested counts and with observations generated in
SQL (a recursive CTE feeding ``INSERT … SELECT``), not through the extractor.  Each zone has
20 metrics over 10 periods (200 observations), so a zone+metric pair is a 10-point series.
If the ``fact`` table exists it is filled from the observations with one ``INSERT … SELECT``.

Measured in one run, each with its plan (EXPLAIN QUERY PLAN):

* zone+metric lookup: ``iter_observations(zone=…, metric=…)`` (what ``zonedb query --zone
  --metric`` runs, alias resolution included), p50 and p99 over random pairs;
* series: a zone's whole series, ``iter_observations(zone=…)`` (200 rows), p50 and p99;
* facts filter: ``iter_facts(zone=…, status=…)`` when the fact table exists;
* the same lookup as a CLI call (``zonedb query … --format jsonl``), wall time, against
  ``python -c "import sqlalchemy"``.

Ratios: each p50 against a bare ``sqlite3`` query returning the same rows by ids (the cost of
the ORM, the view and alias resolution) and against its target (lookup 2 ms, series 10 ms);
CLI wall against ``import sqlalchemy`` (target < 3×).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PERIODS = 10
METRICS_PER_ZONE = 20


def generate(db: Path, n_rows: int, n_zones: int, n_metrics: int) -> None:
    from zonedb.store.database import open_database

    open_database(str(db)).close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    with conn:
        have = conn.execute("SELECT count(*) FROM zone").fetchone()[0]
        conn.executemany(
            "INSERT INTO zone (key, name, kind, builtin, source) VALUES (?, ?, 'development_zone', 0, 'benchmark')",
            [(f"基准示范区{i:05d}", f"基准示范区{i:05d}") for i in range(have, n_zones)])
        conn.execute("INSERT INTO zone_alias (zone_id, alias) SELECT id, '基准区' || substr(key, 6) FROM zone "
                     "WHERE source = 'benchmark'")
        have = conn.execute("SELECT count(*) FROM metric").fetchone()[0]
        conn.executemany("INSERT INTO metric (name, dimension, builtin) VALUES (?, 'money', 0)",
                         [(f"基准指标{i:04d}",) for i in range(have, n_metrics)])
        conn.executemany(
            "INSERT INTO period (code, kind, start_date, end_date, label) VALUES (?, 'year', ?, ?, ?)",
            [(f"bench-{2010 + p}", f"{2010 + p}-01-01", f"{2010 + p}-12-31", f"{2010 + p}年") for p in range(PERIODS)])
        n_docs = 1000
        conn.execute(
            "WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < :n - 1) "
            "INSERT INTO document (name, sha256, media_type, published, published_from, text) "
            "SELECT 'bench-' || i || '.txt', printf('%064d', i), 'text/plain', "
            "date('2015-01-01', '+' || i || ' days'), 'option', '本报讯 基准示范区完成产值909.4亿元。' FROM c",
            {"n": n_docs})
        conn.execute(
            "INSERT INTO article (document_id, seq, title, body, doc_start, doc_end, body_hash) "
            "SELECT id, 1, '基准', text, 0, length(text), sha256 FROM document WHERE name LIKE 'bench-%'")
        ids = {t: conn.execute(f"SELECT min(id), max(id), count(*) FROM {t}").fetchone()
               for t in ("zone", "metric", "period", "document", "article")}
        for t, (lo, hi, n) in ids.items():
            if hi - lo + 1 != n:
                raise SystemExit(f"{t} ids are not contiguous; use a fresh --db")
        zmin, mmin, pmin = ids["zone"][0], ids["metric"][0], conn.execute(
            "SELECT min(id) FROM period WHERE code LIKE 'bench-%'").fetchone()[0]
        dmin, amin = ids["document"][0], ids["article"][0]
        conn.execute(
            "WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < :n - 1) "
            "INSERT INTO observation (document_id, article_id, zone_id, metric_id, period_id, value_exact, value, "
            "unit, dimension, measure, scope, metric_text, printed, span_start, span_end, sentence_start, "
            "sentence_end, zone_inferred, unit_inferred, period_inferred) "
            "SELECT :dmin + i % :nd, :amin + i % :nd, :zmin + i % :nz, "
            ":mmin + ((i % :nz) * 7 + (i / :nz) % :mpz) % :nm, :pmin + (i / :nz / :mpz) % :np, "
            "CAST(i AS TEXT), i * 1.0, '元', 'money', 'level', 'zone', '产值', '909.4亿元', "
            "i, i + 6, 0, 20, 0, 0, 0 FROM c",
            {"n": n_rows, "dmin": dmin, "amin": amin, "nd": n_docs, "zmin": zmin, "nz": n_zones, "mmin": mmin,
             "mpz": METRICS_PER_ZONE, "nm": n_metrics, "pmin": pmin, "np": PERIODS})
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='fact'").fetchone():
            try:
                conn.execute(
                    "INSERT INTO fact (key, zone_id, metric_id, period_id, measure, status, best_observation_id, "
                    "value_exact, value, unit, qualifier, printed, value_low_exact, value_high_exact, n_observations, "
                    "n_sources, n_documents, n_publications, n_values, first_published, last_published) "
                    "SELECT o.zone_id || ':' || o.metric_id || ':' || coalesce(o.period_id, '-') || ':' || o.measure, "
                    "o.zone_id, o.metric_id, o.period_id, o.measure, "
                    "CASE WHEN count(*) > 1 AND min(o.value) < max(o.value) THEN 'conflict' "
                    "WHEN count(*) > 1 THEN 'agree' ELSE 'single' END, min(o.id), min(o.value_exact), min(o.value), "
                    "min(o.unit), NULL, min(o.printed), NULL, NULL, count(*), count(*), count(*), count(*), count(*), "
                    "min(d.published), max(d.published) FROM observation o JOIN document d ON d.id = o.document_id "
                    "GROUP BY o.zone_id, o.metric_id, o.period_id, o.measure")
            except sqlite3.DatabaseError as exc:
                print(f"(fact table not filled: {exc})")
    conn.execute("ANALYZE")
    conn.close()


def timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def plan(conn: sqlite3.Connection, sql: str, params: dict[str, object] | tuple[object, ...]) -> str:
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return "\n".join(f"    {r[-1]}" for r in rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--zones", type=int, default=5000)
    ap.add_argument("--metrics", type=int, default=200)
    ap.add_argument("--db", type=Path, help="keep the generated database here (default: a temp file)")
    ap.add_argument("--n", type=int, default=300, help="queries per measurement")
    ap.add_argument("--cli-runs", type=int, default=7)
    args = ap.parse_args()

    tmpdir = tempfile.TemporaryDirectory(prefix="zonedb-query-")
    db = args.db or Path(tmpdir.name) / "q.sqlite"
    if not db.exists():
        t0 = time.perf_counter()
        generate(db, args.rows, args.zones, args.metrics)
        print(f"generated {db.name}: {args.rows:,} observations in {time.perf_counter() - t0:.1f} s")

    from zonedb.store.database import open_database
    from zonedb.store.queries import iter_observations

    raw = sqlite3.connect(db)
    counts = {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("observation", "zone", "metric")}
    print(f"database: {counts}")
    rng = random.Random(7)
    sample_ids = rng.sample(range(1, counts["observation"] + 1), k=min(args.n, counts["observation"]))
    pairs = [raw.execute("SELECT z.name, m.name, o.zone_id, o.metric_id FROM observation o "
                         "JOIN zone z ON z.id = o.zone_id JOIN metric m ON m.id = o.metric_id WHERE o.id = ?",
                         (i,)).fetchone() for i in sample_ids]
    database = open_database(str(db), upgrade=False)
    engine = database.engine
    it = iter(range(10**9))

    def lookup() -> int:
        z, m, _, _ = pairs[next(it) % len(pairs)]
        return len(list(iter_observations(engine, zone=z, metric=m)))

    def series() -> int:
        z, _, _, _ = pairs[next(it) % len(pairs)]
        return len(list(iter_observations(engine, zone=z)))

    raw_sql_pair = ("SELECT * FROM v_observation WHERE id IN (SELECT id FROM observation WHERE zone_id = ? "
                    "AND metric_id = ?) ORDER BY published, document, article_seq, span_start, id")
    raw_sql_zone = ("SELECT * FROM v_observation WHERE id IN (SELECT id FROM observation WHERE zone_id = ?) "
                    "ORDER BY published, document, article_seq, span_start, id")

    def raw_lookup() -> int:
        _, _, zi, mi = pairs[next(it) % len(pairs)]
        return len(raw.execute(raw_sql_pair, (zi, mi)).fetchall())

    def raw_series() -> int:
        _, _, zi, _ = pairs[next(it) % len(pairs)]
        return len(raw.execute(raw_sql_zone, (zi,)).fetchall())

    lookup(), series()  # warm caches (compiled statements, pages)
    n_lookup_rows, n_series_rows = lookup(), series()
    t_lookup, t_series = timed(lookup, args.n), timed(series, args.n)
    t_raw_lookup, t_raw_series = timed(raw_lookup, args.n), timed(raw_series, args.n)

    print()
    print("plans (EXPLAIN QUERY PLAN):")
    z, m, zi, mi = pairs[0]
    print("  zone name/alias → ids:")
    print(plan(raw, "SELECT zone.id FROM zone WHERE zone.name = :n UNION SELECT zone.id FROM zone WHERE zone.key = :n "
                    "UNION SELECT zone_alias.zone_id FROM zone_alias WHERE zone_alias.alias = :n", {"n": z}))
    print("  metric name/alias → ids:")
    print(plan(raw, "SELECT metric.id FROM metric WHERE metric.name = :n UNION SELECT metric_alias.metric_id "
                    "FROM metric_alias WHERE metric_alias.alias = :n", {"n": m}))
    order = " ORDER BY v.published, v.document, v.article_seq, v.span_start, v.id"
    print("  zone+metric observations:")
    print(plan(raw, "SELECT v.* FROM v_observation v JOIN observation o ON o.id = v.id WHERE o.zone_id IN (?) "
                    "AND o.metric_id IN (?)" + order, (zi, mi)))
    print("  zone series:")
    print(plan(raw, "SELECT v.* FROM v_observation v JOIN observation o ON o.id = v.id WHERE o.zone_id IN (?)"
               + order, (zi,)))

    print()
    p50_l, p99_l, p50_s, p99_s = pct(t_lookup, 50), pct(t_lookup, 99), pct(t_series, 50), pct(t_series, 99)
    r50_l, r50_s = pct(t_raw_lookup, 50), pct(t_raw_series, 50)
    print(f"zone+metric lookup ({n_lookup_rows} rows): p50 {p50_l * 1e3:6.2f} ms  p99 {p99_l * 1e3:6.2f} ms  "
          f"bare sqlite3 p50 {r50_l * 1e3:5.2f} ms  → {p50_l / r50_l:4.1f}x bare, {p50_l / 0.002:4.2f}x the 2 ms target")
    print(f"zone series ({n_series_rows} rows):      p50 {p50_s * 1e3:6.2f} ms  p99 {p99_s * 1e3:6.2f} ms  "
          f"bare sqlite3 p50 {r50_s * 1e3:5.2f} ms  → {p50_s / r50_s:4.1f}x bare, {p50_s / 0.010:4.2f}x the 10 ms target")

    try:
        from zonedb.store import facts as facts_mod
    except ImportError:
        facts_mod = None  # type: ignore[assignment]
    has_fact = raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 'fact'").fetchone()[0]
    n_facts = raw.execute("SELECT count(*) FROM fact").fetchone()[0] if has_fact else 0
    if facts_mod is not None and n_facts:
        def facts_filter() -> int:
            z, _, _, _ = pairs[next(it) % len(pairs)]
            return len(list(facts_mod.iter_facts(engine, zone=z, status="single")))

        def fact_series() -> int:
            z, m, _, _ = pairs[next(it) % len(pairs)]
            return len(list(facts_mod.iter_series(engine, zone=z, metric=m)))

        facts_filter()
        t_f = timed(facts_filter, args.n)
        print(f"facts filter zone+status ({facts_filter()} rows): p50 {pct(t_f, 50) * 1e3:6.2f} ms  "
              f"p99 {pct(t_f, 99) * 1e3:6.2f} ms  ({n_facts:,} facts)")
        print(plan(raw, "SELECT * FROM fact f WHERE f.zone_id IN (?) AND f.status = ?", (zi, "single")))
        if hasattr(facts_mod, "iter_series"):
            fact_series()
            t_fs = timed(fact_series, args.n)
            print(f"fact series zone+metric ({fact_series()} rows): p50 {pct(t_fs, 50) * 1e3:6.2f} ms  "
                  f"p99 {pct(t_fs, 99) * 1e3:6.2f} ms")
    else:
        print("facts filter: skipped (no fact table or no facts)")
    database.close()

    def wall(cmd: list[str]) -> float:
        runs = []
        for _ in range(args.cli_runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            runs.append(time.perf_counter() - t0)
        return statistics.median(runs)

    w_sqla = wall([sys.executable, "-c", "import sqlalchemy"])
    w_cli = wall([sys.executable, "-m", "zonedb", "query", "--zone", z, "--metric", m, "--format", "jsonl",
                  "--db", str(db)])
    print()
    print(f"CLI: zonedb query --zone {z} --metric {m} --format jsonl: median {w_cli * 1e3:.0f} ms wall; "
          f"python -c 'import sqlalchemy': {w_sqla * 1e3:.0f} ms → {w_cli / w_sqla:.2f}x (target < 3)")
    raw.close()
    tmpdir.cleanup()


if __name__ == "__main__":
    main()
