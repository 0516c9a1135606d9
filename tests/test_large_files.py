"""Large plain-text files are read, decoded and extracted piece by piece.

The thresholds are lowered here (a "large" file of a few dozen kilobytes, segments of a few
thousand characters, an encoding sample of a few kilobytes) so the piecewise path runs on
small files; the benchmark ``benchmarks/bench_memory.py`` measures it on hundreds of megabytes.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import rows
from zonedb.cli import app

runner = CliRunner()


def paragraphs(n: int) -> str:
    """Own generated report text: every paragraph a different set of figures."""
    out = []
    for i in range(n):
        out.append(f"本报讯 {2019 + i % 5} 年，高平经济技术开发区完成产值 {100 + i}.{i % 10} 亿元，"
                   f"同比增长 {i % 9 + 1}.2%；新签约项目 {i % 40 + 3} 个，总投资 {20 + i % 70}.5 亿元。\n")
        if i % 7 == 0:
            out.append(f"临汾经济开发区 {i % 12 + 1} 月份规上工业增加值 {12 + i % 30}.4 亿元。\n\n")
    return "".join(out)


TEXT = paragraphs(400)


@pytest.fixture
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    import zonedb.ingest
    import zonedb.sources._text

    monkeypatch.setattr(zonedb.ingest, "LARGE_FILE_BYTES", 4096)
    monkeypatch.setattr(zonedb.ingest, "SEGMENT_CHARS", 3000)
    monkeypatch.setattr(zonedb.sources._text, "SAMPLE_BYTES", 2048)


def ingest(db: Path, *paths: Path, jobs: int = 1):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["ingest", *map(str, paths), "--db", str(db), "--published", "2024-09-10",
                               "--jobs", str(jobs)])


FIGURES = ("SELECT z.key, m.name, coalesce(p.code, ''), o.value_exact, o.unit, o.printed FROM observation o "
           "JOIN zone z ON z.id = o.zone_id JOIN metric m ON m.id = o.metric_id "
           "LEFT JOIN period p ON p.id = o.period_id")


def figures(db: Path) -> Counter[tuple[object, ...]]:
    return Counter(rows(db, FIGURES))


def whole_reading(tmp_path: Path, data: bytes, name: str = "report.txt") -> Path:
    """The file ingested the ordinary way (whole file in memory), for comparison."""
    folder = tmp_path / "whole"
    folder.mkdir()
    (folder / name).write_bytes(data)
    db = tmp_path / "whole.sqlite"
    result = ingest(db, folder / name)
    assert result.exit_code == 0, result.output
    return db


def test_piecewise_reading_finds_the_same_figures(tmp_path: Path, small_thresholds: None) -> None:
    data = TEXT.encode("utf-8")
    reference = figures(whole_reading(tmp_path, data))
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    db = tmp_path / "large.sqlite"
    result = ingest(db, path)
    assert result.exit_code == 0, result.output
    assert sum(reference.values()) > 1000
    assert figures(db) == reference
    # The document keeps no copy of the text; its articles hold every character of it, at their
    # offsets, and every figure slices back to its printed text.
    assert rows(db, "SELECT text, encoding FROM document") == [("", "utf-8")]
    articles = rows(db, "SELECT doc_start, doc_end, body FROM article ORDER BY doc_start")
    assert len(articles) > 10  # cut into segments
    assert all(TEXT[a:b] == body for a, b, body in articles)
    assert "".join("".join(body.split()) for *_, body in articles) == "".join(TEXT.split())
    assert rows(db, "SELECT count(*) FROM observation o JOIN article a ON a.id = o.article_id "
                    "WHERE substr(a.body, o.span_start + 1, o.span_end - o.span_start) != o.printed") == [(0,)]


def test_piecewise_gb18030_and_utf16(tmp_path: Path, small_thresholds: None) -> None:
    reference = figures(whole_reading(tmp_path, TEXT.encode("utf-8")))
    for codec, stored in (("gb18030", "gb18030"), ("utf-16", "utf-16")):
        path = tmp_path / f"report-{codec}.txt"
        path.write_bytes(TEXT.encode(codec))
        db = tmp_path / f"{codec}.sqlite"
        result = ingest(db, path)
        assert result.exit_code == 0, result.output
        assert rows(db, "SELECT encoding FROM document") == [(stored,)]
        assert figures(db) == reference


def test_bad_bytes_after_the_sample_fail_by_name_and_write_nothing(tmp_path: Path, small_thresholds: None) -> None:
    data = TEXT.encode("utf-8")
    cut = data.index("本报讯".encode(), 40_000)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.txt").write_bytes(data[:cut] + b"\xff\xfe" + data[cut:])
    (folder / "small.txt").write_text("本报讯 高平经济技术开发区完成产值 909.4 亿元。\n", encoding="utf-8")
    db = tmp_path / "db.sqlite"
    result = ingest(db, folder)
    assert result.exit_code == 1
    assert f"broken.txt: cannot decode as utf-8 at byte {cut}" in result.stderr
    assert "documents 1," in result.stderr and "failed 1" in result.stderr
    assert rows(db, "SELECT name FROM document") == [("small.txt",)]
    assert rows(db, "SELECT count(*) FROM observation") == [(1,)]
    assert rows(db, "SELECT count(*) FROM article") == [(1,)]


def test_truncated_large_file_is_named(tmp_path: Path, small_thresholds: None) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes(TEXT.encode("utf-8") + "亿".encode()[:2])
    db = tmp_path / "db.sqlite"
    result = ingest(db, path)
    assert result.exit_code == 1
    assert "cut.txt: truncated UTF-8" in result.stderr
    assert rows(db, "SELECT count(*) FROM document") == [(0,)]


def test_binary_large_file_is_refused(tmp_path: Path, small_thresholds: None) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(TEXT.encode("utf-8")[:10_000] + bytes(range(1, 32)) * 2000)
    db = tmp_path / "db.sqlite"
    result = ingest(db, path)
    assert result.exit_code == 1
    assert "blob.txt: binary file, not text" in result.stderr
    assert rows(db, "SELECT count(*) FROM observation") == [(0,)]


def test_jobs_and_reruns_with_a_large_file(tmp_path: Path, small_thresholds: None) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("本报讯 临汾经济开发区完成产值 12.5 亿元。\n", encoding="utf-8")
    (folder / "b-large.txt").write_bytes(TEXT.encode("utf-8"))
    (folder / "c.txt").write_text("本报讯 太原高新技术产业开发区营业收入 921.36 亿元。\n", encoding="utf-8")
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    r1, r2 = ingest(one, folder, jobs=1), ingest(two, folder, jobs=2)
    assert r1.exit_code == r2.exit_code == 0, r1.output + r2.output
    assert r1.stderr == r2.stderr
    assert rows(two, "SELECT name, text = '' FROM document ORDER BY id") == [
        ("a.txt", 0), ("b-large.txt", 1), ("c.txt", 0)]
    for table in ("document", "article", "observation", "fact"):
        columns = "*" if table != "document" else "id, name, sha256, encoding, text"
        query = f"SELECT {columns} FROM {table} ORDER BY id"
        assert rows(two, query) == rows(one, query), table
    again = ingest(two, folder, jobs=2)
    assert again.exit_code == 0
    assert "skipped 3" in again.stderr
