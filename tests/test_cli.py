"""The command line, end to end on real SQLite files: through Typer's runner and as a subprocess."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ENGINE_NAME, EXAMPLES, SEEDS, NewDb, need, rows, scalar
from zonedb.cli import app

runner = CliRunner()

ARTICLE = (
    "本报讯 今年 1—6 月份，青川示例区所在的临汾经济开发区完成规上工业增加值 12.5 亿元，\n"
    "同比增长 8.2%；新签约项目 7 个，总投资 23.4 亿元。\n"
)


def counts(db: str | Path) -> dict[str, int]:
    return {t: scalar(db, f"SELECT count(*) FROM {t}")
            for t in ("document", "article", "observation", "zone", "metric", "period")}


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_ingest_example_then_query_by_alias(tmp_path: Path, new_db: NewDb) -> None:
    db = new_db("e.sqlite")
    result = invoke("ingest", str(EXAMPLES), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "documents 1, articles 2, observations 15" in result.stderr
    out = invoke("query", "--zone", "高平经开区", "--metric", "总投资", "--format", "jsonl", "--db", str(db))
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [(r["value"], r["unit"], r["period"]) for r in rows] == [(5260000000, "元", "2024"), (4020000000, "元", "2024")]
    assert all(r["zone"] == "高平经济技术开发区" for r in rows)


def test_ingest_twice_changes_nothing(tmp_path: Path, new_db: NewDb) -> None:
    db = new_db("twice.sqlite")
    assert invoke("ingest", str(EXAMPLES), "--db", str(db)).exit_code == 0
    first = counts(db)
    second_run = invoke("ingest", str(EXAMPLES), "--db", str(db))
    assert second_run.exit_code == 0
    assert "skipped 1" in second_run.stderr
    assert counts(db) == first


def test_seed_page_ingests_and_exports_guide_fields(tmp_path: Path, new_db: NewDb) -> None:
    need(SEEDS)
    db = new_db("s.sqlite")
    result = invoke("ingest", str(SEEDS), "--published", "2024-09-10", "--db", str(db))
    assert result.exit_code == 0, result.output
    out = invoke("export", "--format", "jsonl", "--db", str(db))
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) >= 60
    first = rows[0]
    for field in ("document", "zone", "metric", "value", "unit", "period_start", "period_end",
                  "article_title", "evidence", "span_start", "span_end", "printed"):
        assert field in first
    output_row = next(r for r in rows if r["value"] == 90940000000)
    assert (output_row["zone"], output_row["unit"], output_row["period_start"]) == (
        "山西转型综合改革示范区", "元", "2023-01-01")
    assert output_row["printed"] == "909.4 亿元"


def test_export_csv_has_header_and_one_line_per_observation(tmp_path: Path, new_db: NewDb) -> None:
    db = new_db("c.sqlite")
    invoke("ingest", str(EXAMPLES), "--db", str(db))
    out = invoke("export", "--format", "csv", "--db", str(db)).stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:8] == ["id", "document", "zone", "metric", "value", "unit", "period_start", "period_end"]
    assert len(rows) == 1 + 15
    assert rows[2][2:8] == ["高平经济技术开发区", "总投资", "5260000000", "元", "2024-01-01", "2024-12-31"]


def test_publication_date_from_file_name_and_refusal_without_one(tmp_path: Path, new_db: NewDb) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "paper-20230724.txt", ARTICLE)
    write(folder / "undated.txt", ARTICLE.replace("1—6 月份", "上半年") + "另有说明。")
    db = new_db("d.sqlite")
    result = invoke("ingest", str(folder), "--db", str(db))
    assert result.exit_code == 1
    assert "undated.txt" in result.stderr and "--published" in result.stderr
    assert rows(db, "SELECT name, published, published_from FROM document") == [
        ("paper-20230724.txt", "2023-07-24", "file name")]


def test_a_bad_file_is_named_and_the_others_still_go_in(tmp_path: Path, new_db: NewDb) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    write(folder / "good-20240301.txt", ARTICLE)
    (folder / "broken-20240301.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    (folder / "empty-20240301.txt").write_bytes(b"")
    db = new_db("m.sqlite")
    result = invoke("ingest", str(folder), "--db", str(db))
    assert result.exit_code == 1
    assert "broken-20240301.txt" in result.stderr
    assert "empty-20240301.txt" in result.stderr
    assert "documents 1," in result.stderr and "failed 1" in result.stderr and "empty 1" in result.stderr
    assert counts(db)["document"] == 1


def test_gb18030_file_and_stdin(tmp_path: Path, new_db: NewDb) -> None:
    db = new_db("g.sqlite")
    path = write(tmp_path / "gbk-20240301.txt", ARTICLE, "gb18030")
    assert invoke("ingest", str(path), "--db", str(db)).exit_code == 0
    assert rows(db, "SELECT encoding FROM document") == [("gb18030",)]
    result = invoke("ingest", "-", "--published", "2024-03-02", "--db", str(db),
                    input=ARTICLE.replace("7 个", "9 个"))
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT name FROM document ORDER BY id") == [("gbk-20240301.txt",), ("<stdin>",)]


def test_sql_is_read_only(tmp_path: Path, new_db: NewDb) -> None:
    db = new_db("ro.sqlite")
    invoke("ingest", str(EXAMPLES), "--db", str(db))
    file = Path(db) if ENGINE_NAME == "sqlite" else None
    before = file.read_bytes() if file else None
    n = counts(db)["observation"]
    for statement in ("DELETE FROM observation", "DROP TABLE observation", "PRAGMA journal_mode=DELETE",
                      "ATTACH DATABASE 'x.sqlite' AS x", "UPDATE zone SET name = 'x'"):
        result = invoke("sql", statement, "--db", str(db))
        assert result.exit_code == 1, statement
        assert "read-only" in result.stderr
    assert counts(db)["observation"] == n
    if file:
        assert file.read_bytes() == before
    for statement in ("SELECT 1; DELETE FROM zone", "SELECT count(*) FROM zone; DROP TABLE observation"):
        result = invoke("sql", statement, "--db", str(db))
        assert result.exit_code == 1 and "statement" in result.stderr, statement
    assert counts(db)["observation"] == n
    ok = invoke("sql", "SELECT count(*) AS n FROM v_observation", "--format", "jsonl", "--db", str(db))
    assert json.loads(ok.stdout) == {"n": 15}


def test_zones_and_metrics_list_counts(tmp_path: Path, new_db: NewDb) -> None:
    db = new_db("z.sqlite")
    invoke("ingest", str(EXAMPLES), "--db", str(db))
    zones = [json.loads(x) for x in invoke("zones", "--used", "-f", "jsonl", "--db", str(db)).stdout.splitlines()]
    assert {z["name"]: z["observations"] for z in zones} == {"高平经济技术开发区": 8, "临汾经济开发区": 7}
    metrics = [json.loads(x) for x in invoke("metrics", "--used", "-f", "jsonl", "--db", str(db)).stdout.splitlines()]
    assert {m["name"]: m["observations"] for m in metrics}["总投资"] == 3


def test_show_marks_the_figure_in_its_sentence(tmp_path: Path, new_db: NewDb) -> None:
    db = new_db("show.sqlite")
    invoke("ingest", str(EXAMPLES), "--db", str(db))
    out = invoke("show", "2", "--db", str(db))
    assert out.exit_code == 0
    assert "总投资 【52.6 亿元】，其中" in out.stdout
    assert "zone-news-20240910.txt" in out.stdout


def test_bad_options_are_usage_errors(tmp_path: Path, new_db: NewDb) -> None:
    db = new_db("u.sqlite")
    assert invoke("ingest", str(EXAMPLES), "--published", "2024-13-40", "--db", str(db)).exit_code == 2
    assert invoke("export", "--format", "xml", "--db", str(db)).exit_code == 2
    missing = invoke("ingest", str(tmp_path / "nope"), "--db", str(db))
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_database_from_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_db: NewDb) -> None:
    db = new_db("env.sqlite")
    monkeypatch.setenv("ZONEDB_DATABASE_URL", db if "://" in db else f"sqlite:///{db}")
    assert invoke("ingest", str(EXAMPLES)).exit_code == 0
    assert counts(db)["observation"] == 15


def test_db_commands(tmp_path: Path, new_db: NewDb) -> None:
    db = new_db("rev.sqlite")
    up = invoke("db", "upgrade", "--db", str(db))
    assert up.exit_code == 0 and "schema at revision" in up.stdout
    cur = invoke("db", "current", "--db", str(db))
    rev = up.stdout.split()[-1]
    assert cur.stdout.strip() == f"current {rev}; head {rev}"


def test_cli_as_a_subprocess(tmp_path: Path, new_db: NewDb) -> None:
    db = new_db("p.sqlite")
    ingest = subprocess.run([sys.executable, "-m", "zonedb", "ingest", str(EXAMPLES), "--db", str(db)],
                            capture_output=True, text=True, check=False)
    assert ingest.returncode == 0, ingest.stderr
    assert ingest.stdout == ""  # data only on stdout; the summary goes to stderr
    query = subprocess.run([sys.executable, "-m", "zonedb", "query", "--zone", "临汾经开区", "--metric",
                            "营业收入", "-f", "csv", "--db", str(db)], capture_output=True, text=True, check=True)
    lines = query.stdout.splitlines()
    assert len(lines) == 2 and ",41570000000,元," in lines[1]
    bad = subprocess.run([sys.executable, "-m", "zonedb", "sql", "DELETE FROM zone", "--db", str(db)],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


def test_help_explains_with_an_example() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    for command in ("ingest", "export", "query", "sql", "zones", "metrics", "show", "db"):
        assert command in result.stdout
