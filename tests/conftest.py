"""Shared fixtures: real SQLite files in a temporary folder, the shared evaluation material."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"
EXAMPLES = REPO / "examples"


def need(path: Path) -> Path:
    """Skip the test when the shared material (seed page, corpus, gold) is not beside the repo."""
    if not path.exists():
        pytest.skip(f"shared material not available: {path.name}")
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite"


@pytest.fixture
def db_url(db_path: Path) -> str:
    return f"sqlite:///{db_path}"
