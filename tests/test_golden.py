"""Golden pages: texts written for this project in the shape of newspaper PDF text, with the
rows an annotator following the guide expects (``*.expected.jsonl`` beside each page)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import NewDb
from zonedb.cli import app

GOLDEN = Path(__file__).parent / "golden"
PAGES = sorted(GOLDEN.glob("*.txt"))
FIELDS = ("zone", "metric", "value", "unit", "period_start", "period_end")


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_golden_page_gives_exactly_the_expected_rows(page: Path, tmp_path: Path, new_db: NewDb) -> None:
    db = str(new_db("golden.sqlite"))
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(page), "--db", db]).exit_code == 0
    out = runner.invoke(app, ["export", "--format", "jsonl", "--db", db]).stdout
    got = [tuple(json.loads(line)[f] for f in FIELDS) for line in out.splitlines()]
    expected_file = page.with_name(page.stem + ".expected.jsonl")
    expected = [tuple(json.loads(line)[f] for f in FIELDS)
                for line in expected_file.read_text(encoding="utf-8").splitlines()]
    assert got == expected
