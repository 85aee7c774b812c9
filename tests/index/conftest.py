"""Fixtures for the index tests (helpers live in index_helpers.py)."""

from __future__ import annotations

import pytest
from index_helpers import HashEmbedder


@pytest.fixture()
def embedder():
    return HashEmbedder()
