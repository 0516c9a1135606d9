"""The README's ORM example runs as written and prints the example's figures in period order."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from tests.conftest import EXAMPLES, REPO
from zonedb.ingest import ingest
from zonedb.store.database import open_database


def test_readme_orm_example_runs(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", readme, re.S).group(1)  # type: ignore[union-attr]
    monkeypatch.chdir(tmp_path)
    with open_database("example.sqlite") as db:
        ingest(db, [str(EXAMPLES)])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    lines = out.getvalue().splitlines()
    assert lines[0] == "签约项目数 2024 18 个"
    assert "规上工业增加值 2024-01..2024-07 3850000000 元" in lines
    assert len(lines) == 8


def test_readme_first_lines_are_the_two_fresh_machine_commands() -> None:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[3].startswith("python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/zonedb ingest examples")
    assert lines[4] == 'python3 -m venv .venv && .venv/bin/pip install ".[test]" && .venv/bin/python -m pytest -q'
