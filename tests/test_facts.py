"""Facts across issues: intervals, agreement, reprints, incremental refresh vs rebuild, CLI,
and the upgrade of a database filled at revision 0001."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tests.conftest import SEEDS, NewDb, execute, need
from tests.conftest import rows as db_rows
from zonedb.cli import app
from zonedb.facts import FactObservation, Interval, interval_of, summarize

runner = CliRunner()

# Written for these tests; the figures are made up.
ISSUE = (
    "示范报讯 本文为测试文本，数字仅作演示。今年以来，高平经济技术开发区坚持项目为王，\n\n"
    "本年度累计签约项目 18 个，总投资 52.6 亿元。\n\n"
    "今年 1—7 月份，全区完成规上工业增加值 38.5 亿元，同比增长 12.4%。\n\n"
    "示范报讯 截至 6 月底，临汾经济开发区累计入驻企业 326 家，2023 年实现营业收入 415.7 亿元，同比增长 9.6%。\n"
)
# Another newspaper's independent report of the same figures (different wording).
OTHER = ISSUE.replace("示范报讯 本文为测试文本，数字仅作演示。", "另一报讯 记者从开发区获悉。").replace(
    "示范报讯 截至", "另一报讯 截至")
N_FACTS = 7


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def write(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def fact_rows(db: str | Path) -> list[tuple[object, ...]]:
    return db_rows(db, "SELECT * FROM fact ORDER BY id")


def facts_json(db: Path, *args: str) -> list[dict[str, object]]:
    out = invoke("facts", "--db", str(db), "--format", "jsonl", *args)
    assert out.exit_code == 0, out.output
    return [json.loads(line) for line in out.stdout.splitlines()]


# -- pure logic ----------------------------------------------------------------------------------
def test_printed_precision_sets_the_interval() -> None:
    assert interval_of(Decimal("1230000000"), printed="12.3亿") == Interval(Decimal("1225000000"),
                                                                           Decimal("1235000000"))
    assert interval_of(Decimal("12.4"), printed="12.4%") == Interval(Decimal("12.35"), Decimal("12.45"))
    assert interval_of(Decimal("30"), printed="三成") == Interval(Decimal("25"), Decimal("35"))
    assert interval_of(Decimal("300"), qualifier="多", printed="300多家") == Interval(Decimal("300"),
                                                                                     Decimal("400"))
    assert interval_of(Decimal("1200000000"), qualifier="超过", printed="超12亿元") == Interval(
        Decimal("1150000000"), None)
    assert interval_of(Decimal("100"), qualifier="不到", printed="不到100个").low is None
    about = interval_of(Decimal("1230000000"), qualifier="约", printed="约12.3亿")
    assert about.low == Decimal("1168500000") and about.high == Decimal("1291500000")
    assert interval_of(Decimal("300000000"), Decimal("500000000"), printed="3—5亿元") == Interval(
        Decimal("250000000"), Decimal("550000000"))


def obs(i: int, body: str, value: str, printed: str, qualifier: str | None = None, unit: str = "元",
        day: int = 1, doc: int | None = None) -> FactObservation:
    return FactObservation(id=i, document_id=doc or i, publication="科学导报", body_hash=body, published=dt.date(2024, 9, day),
                           value_exact=value, value_high_exact=None, unit=unit, qualifier=qualifier,
                           printed=printed)


def test_summarize_agree_conflict_single_and_reprints() -> None:
    rounded = summarize([obs(1, "a", "1230000000", "12.3亿元"), obs(2, "b", "1234000000", "12.34亿元", day=8)])
    assert (rounded.status, rounded.n_sources, rounded.value_exact) == ("agree", 2, "1234000000")
    assert (rounded.value_low_exact, rounded.value_high_exact) == ("1233500000", "1234500000")
    assert summarize([obs(1, "a", "1230000000", "12.3亿元"),
                      obs(2, "b", "1240000000", "12.4亿元")]).status == "conflict"
    assert summarize([obs(1, "a", "1230000000", "约12.3亿元", "约"),
                      obs(2, "b", "1260000000", "12.6亿元")]).status == "agree"
    assert summarize([obs(1, "a", "1200000000", "超12亿元", "超过"),
                      obs(2, "b", "1500000000", "15亿元")]).status == "agree"
    assert summarize([obs(1, "a", "12", "12个", unit="个"), obs(2, "b", "12", "12家", unit="家")]).status == "conflict"
    reprint = summarize([obs(1, "a", "1230000000", "12.3亿元"), obs(2, "a", "1230000000", "12.3亿元", day=8)])
    assert (reprint.status, reprint.n_sources, reprint.n_documents) == ("single", 1, 2)
    assert reprint.first_published == dt.date(2024, 9, 1) and reprint.last_published == dt.date(2024, 9, 8)
    # a total and a subtotal in one article, the total confirmed elsewhere: agree on the total
    several = summarize([obs(1, "a", "5260000000", "52.6亿元", doc=1), obs(2, "a", "4020000000", "40.2亿元", doc=1),
                         obs(3, "b", "5260000000", "52.6亿元", day=8)])
    assert (several.status, several.value_exact, several.n_values, several.n_observations) == (
        "agree", "5260000000", 2, 3)
    with pytest.raises(ValueError):
        summarize([])


# -- database and CLI ----------------------------------------------------------------------------
def test_two_issues_agree_a_changed_figure_conflicts_and_rebuild_is_identical(tmp_path: Path, new_db: NewDb) -> None:
    db = new_db("f.sqlite")
    papers = tmp_path / "papers"
    write(papers, "paper-20240910.txt", ISSUE)
    write(papers, "paper-20240917.txt", OTHER)
    assert invoke("ingest", str(papers), "--db", str(db), "-q").exit_code == 0
    facts = facts_json(db)
    assert len(facts) == N_FACTS
    assert all(f["n_sources"] == 2 and f["n_documents"] == 2 for f in facts)
    assert {f["status"] for f in facts} == {"agree"}
    assert all(f["first_published"] == "2024-09-10" and f["last_published"] == "2024-09-17" for f in facts)
    assert facts_json(db, "--status", "conflict") == []

    # one figure changed in a third issue: exactly that fact becomes a conflict
    write(tmp_path / "more", "paper-20240924.txt", ISSUE.replace("415.7 亿元", "451.7 亿元"))
    assert invoke("ingest", str(tmp_path / "more"), "--db", str(db), "-q").exit_code == 0
    conflicts = facts_json(db, "--status", "conflict")
    assert len(conflicts) == 1
    c = conflicts[0]
    assert (c["zone"], c["metric"], c["period"], c["status"]) == ("临汾经济开发区", "营业收入", "2023", "conflict")
    assert c["documents"].split(",") == ["paper-20240910.txt", "paper-20240917.txt", "paper-20240924.txt"]
    assert len(c["observation_ids"].split(",")) == 3
    assert c["value"] == 41570000000  # two independent sources against one
    table = invoke("facts", "--status", "conflict", "--db", str(db))
    assert "paper-20240910.txt" in table.stdout and "paper-20240924.txt" in table.stdout
    assert sum(f["status"] == "agree" for f in facts_json(db)) == N_FACTS - 1

    # a reprint (same article, another issue) is one more publication, not one more document
    write(tmp_path / "reprint", "paper-20241001.txt", ISSUE.replace("451.7", "415.7") + "\n\n")
    assert invoke("ingest", str(tmp_path / "reprint"), "--db", str(db), "-q").exit_code == 0
    revenue = facts_json(db, "--zone", "临汾经开区", "--metric", "营业收入")[0]
    assert (revenue["n_sources"], revenue["n_documents"], revenue["n_observations"]) == (3, 4, 4)

    incremental = fact_rows(db)
    rebuilt = invoke("facts", "rebuild", "--db", str(db))
    assert rebuilt.exit_code == 0 and "unchanged 7" in rebuilt.stderr
    assert fact_rows(db) == incremental
    execute(db, "DELETE FROM fact")
    assert invoke("facts", "rebuild", "--db", str(db)).exit_code == 0
    assert [r[1:] for r in fact_rows(db)] == [r[1:] for r in incremental] or \
        sorted(r[1:] for r in fact_rows(db)) == sorted(r[1:] for r in incremental)

    # a fact whose key has no observation (here: a measure nothing printed) is dropped by a
    # rebuild, and the fact of the real key comes back
    fact_id = facts_json(db, "--zone", "临汾经开区", "--metric", "营业收入")[0]["id"]
    execute(db, "UPDATE fact SET measure = 'gone', key = key || '-gone' WHERE id = :id", {"id": fact_id})
    dropped = invoke("facts", "rebuild", "--db", str(db))
    assert dropped.exit_code == 0
    assert "inserted 1, updated 0, deleted 1, unchanged 6" in dropped.stderr
    assert db_rows(db, "SELECT count(*) FROM fact WHERE measure = 'gone'") == [(0,)]
    assert sorted(r[2:] for r in fact_rows(db)) == sorted(r[2:] for r in incremental)  # all but id, key


def test_v_fact_and_series_by_issue(tmp_path: Path, new_db: NewDb) -> None:
    db = new_db("v.sqlite")
    papers = tmp_path / "p"
    write(papers, "paper-20240910.txt", ISSUE)
    write(papers, "paper-20240917.txt", OTHER.replace("52.6 亿元", "约 53 亿元"))
    assert invoke("ingest", str(papers), "--db", str(db), "-q").exit_code == 0
    [row] = db_rows(db, "SELECT value_exact, status, n_sources, documents, printed FROM v_fact "
                     "WHERE zone = '高平经济技术开发区' AND metric = '总投资'")
    assert row == ("5260000000", "agree", 2, "paper-20240910.txt,paper-20240917.txt", "52.6 亿元")
    out = invoke("series", "--zone", "高平经开区", "--metric", "总投资", "--by-issue", "--format", "jsonl",
                 "--db", str(db))
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [(r["period"], r["published"], r["value"], r["qualifier"], r["documents"]) for r in rows] == [
        ("2024", "2024-09-10", 5260000000, None, "paper-20240910.txt"),
        ("2024", "2024-09-17", 5300000000, "约", "paper-20240917.txt"),
    ]
    csv_out = invoke("series", "--zone", "高平经开区", "--metric", "总投资", "--format", "csv", "--db", str(db))
    lines = csv_out.stdout.splitlines()
    assert lines[0].startswith("zone,metric,measure,period,")
    assert lines[1].startswith("高平经济技术开发区,总投资,level,2024,2024-01-01,2024-12-31,5260000000,元,")


def test_series_on_the_seed_page(tmp_path: Path, new_db: NewDb) -> None:
    need(SEEDS)
    db = new_db("seed.sqlite")
    assert invoke("ingest", str(SEEDS), "--published", "2024-09-10", "--db", str(db), "-q").exit_code == 0
    out = invoke("series", "--zone", "高平经开区", "--metric", "总投资", "--format", "jsonl", "--db", str(db))
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    by_period = {r["period"]: r for r in rows}
    assert {"2024", "since 2023-01-01"} <= set(by_period)
    assert by_period["2024"]["value"] == 4840000000 and by_period["2024"]["printed"] == "48.4 亿元"
    assert by_period["2024"]["period_start"] == "2024-01-01" and by_period["2024"]["unit"] == "元"
    assert by_period["since 2023-01-01"]["period_start"] == "2023-01-01"
    assert all(r["documents"] == "000_a4b5a92d446ad6d5.txt" and r["status"] == "single" for r in rows)
    # every 总投资 observation of the zone is traceable to exactly one row
    query = invoke("query", "--zone", "高平经开区", "--metric", "总投资", "--format", "jsonl", "--db", str(db))
    observed = {json.loads(line)["id"]: json.loads(line) for line in query.stdout.splitlines()}
    listed = [int(i) for r in rows for i in r["observation_ids"].split(",")]
    assert sorted(listed) == sorted(observed) and len(listed) >= 9
    by_issue = invoke("series", "--zone", "高平经开区", "--metric", "总投资", "--by-issue", "--format", "jsonl",
                      "--db", str(db))
    issue_rows = {json.loads(line)["period"]: json.loads(line) for line in by_issue.stdout.splitlines()}
    assert issue_rows["2024"]["published"] == "2024-09-10"
    for figure in ("48.4 亿元", "32.3 亿元", "30 亿元"):
        assert figure in issue_rows["2024"]["values"]
    for figure in ("50.4 亿元", "49.53 亿元", "44.43 亿元", "25.75 亿元", "18.51 亿元"):
        assert figure in issue_rows["since 2023-01-01"]["values"]


def test_upgrade_from_0001_keeps_rows_and_builds_facts_and_index(tmp_path: Path, new_db: NewDb) -> None:
    from zonedb.extract import Extractor
    from zonedb.gazetteer import default_gazetteer
    from zonedb.ingest import extract_document
    from zonedb.store import migrate
    from zonedb.store.database import Database, sync_reference_data
    from zonedb.store.engine import make_engine, resolve_url
    from zonedb.store.search import search_articles
    from zonedb.store.writer import KeyCache, write_document

    url = resolve_url(new_db("old.sqlite"))
    engine = make_engine(url)
    migrate.upgrade(engine, "0001")
    assert migrate.current_revision(engine) == "0001"
    gaz = default_gazetteer()
    sync_reference_data(Database(url, engine), gaz)
    extractor = Extractor(gaz)
    for name, body in (("paper-20240910.txt", ISSUE), ("paper-20240917.txt", OTHER)):
        doc = extract_document(name, None, body.encode(), published=None, source=None, extractor=extractor)
        with engine.begin() as conn:
            write_document(conn, KeyCache(), doc.document, doc.articles)
    tables = ("document", "article", "observation", "zone", "metric", "period")
    with engine.connect() as conn:
        before = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}
        obs_before = conn.execute(text("SELECT * FROM observation ORDER BY id")).fetchall()
    assert before["observation"] == 2 * N_FACTS

    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as conn:
        after = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}
        assert conn.execute(text("SELECT * FROM observation ORDER BY id")).fetchall() == obs_before
        statuses = conn.execute(text("SELECT status, n_sources, count(*) FROM fact GROUP BY 1, 2")).fetchall()
        indexed = conn.execute(text("SELECT count(*) FROM article_seg")).scalar()
    assert after == before
    assert statuses == [("agree", 2, N_FACTS)]
    assert indexed == before["article"] == 4
    method, hits = search_articles(engine, "营业收入")
    assert method == "fts" and len(hits) == 2
    assert {h["document"] for h in hits} == {"paper-20240910.txt", "paper-20240917.txt"}
    engine.dispose()
