"""zonedb serve: Datasette on loopback with metadata, canned queries and segmented search."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.test_facts import ISSUE, OTHER, write
from zonedb.cli import app
from zonedb.serve import metadata

runner = CliRunner()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        assert response.status == 200
        return response.read().decode("utf-8")


def test_metadata_describes_tables_and_has_canned_queries(tmp_path: Path) -> None:
    meta = metadata("zones")
    db = meta["databases"]["zones"]
    assert set(db["queries"]) == {"series", "conflicts", "search"}
    assert ":zone" in db["queries"]["series"]["sql"] and ":metric" in db["queries"]["series"]["sql"]
    assert db["tables"]["article"]["fts_table"] == "article_fts"
    assert "元" in db["tables"]["observation"]["columns"]["unit"]
    out = tmp_path / "meta.json"
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "zones.sqlite"), "--write-metadata", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["databases"]["zones"]["queries"]["conflicts"]


def test_serve_answers_on_loopback(tmp_path: Path) -> None:
    pytest.importorskip("datasette", reason="datasette is not installed (pip install 'zonedb[serve]')")
    db = tmp_path / "zones.sqlite"
    write(tmp_path / "p", "paper-20240910.txt", ISSUE)
    write(tmp_path / "p", "paper-20240917.txt", OTHER.replace("415.7 亿元", "451.7 亿元"))
    assert runner.invoke(app, ["ingest", str(tmp_path / "p"), "--db", str(db), "-q"]).exit_code == 0
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "zonedb", "serve", "--db", str(db), "--port", str(port),
                             "--host", "127.0.0.1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(f"{base}/-/versions.json")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    _out, err = proc.communicate(timeout=10)
                    pytest.fail(f"zonedb serve did not answer: {err.decode(errors='replace')[-2000:]}")
                time.sleep(0.3)
        page = fetch(f"{base}/zones/v_fact")
        assert "高平经济技术开发区" in page and "营业收入" in page
        q = urllib.parse.urlencode({"zone": "高平经开区", "metric": "总投资", "_shape": "array"})
        series = json.loads(fetch(f"{base}/zones/series.json?{q}"))
        assert [(r["period"], r["value"], r["unit"], r["status"], r["n_sources"]) for r in series] == [
            ("2024", 5260000000, "元", "agree", 2)]
        conflicts = json.loads(fetch(f"{base}/zones/conflicts.json?_shape=array"))
        assert {(r["metric"], r["printed"], r["document"]) for r in conflicts} == {
            ("营业收入", "415.7 亿元", "paper-20240910.txt"), ("营业收入", "451.7 亿元", "paper-20240917.txt")}
        q = urllib.parse.urlencode({"q": "营业收入", "_shape": "array"})
        found = json.loads(fetch(f"{base}/zones/search.json?{q}"))
        assert sorted(r["document"] for r in found) == ["paper-20240910.txt", "paper-20240917.txt"]
        q = urllib.parse.urlencode({"_search": "临汾 开发区", "_shape": "array", "_col": "seq"})
        assert [r["seq"] for r in json.loads(fetch(f"{base}/zones/article.json?{q}"))] == [2, 2]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
