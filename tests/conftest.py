"""Shared fixtures.

Tests that read the real corpus find it through ``SANCTIONS_SHARED`` (set by
``make test`` and ``.ci/run`` to ``../shared``). When it is absent they are
skipped with a message that says so, rather than failing obscurely.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def shared_root() -> Path:
    return Path(os.environ.get("SANCTIONS_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared() -> Path:
    root = shared_root()
    if not (root / "corpus").is_dir():
        pytest.skip(f"shared corpus not found at {root} (set SANCTIONS_SHARED to the folder holding corpus/ and eval/)")
    return root


@pytest.fixture(scope="session")
def corpus(shared: Path) -> Path:
    return shared / "corpus"


@pytest.fixture(scope="session")
def eval_dir(shared: Path) -> Path:
    return shared / "eval"


@pytest.fixture()
def store(tmp_path):
    from nlp.store import Store

    with Store(tmp_path / "store") as db:
        yield db
