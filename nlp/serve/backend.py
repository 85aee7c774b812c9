"""The served store's lifecycle and locks: one object per served store.

What it does: holds the store folder, a SQLite connection per worker thread,
the embedder the search index uses (tests pass a small stand-in), whether
verification looks up evidence, the list matcher's connection, and the one
lock around the parts that are not thread-safe (the NLP models, the index's
temporary filter table, matplotlib). The search index itself is opened and
reopened by :mod:`nlp.index.current`.

What it does not do: answer requests (:mod:`nlp.serve.actions`), HTTP
(:mod:`nlp.serve.api`, :mod:`nlp.serve.pages`), or any analysis.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..store import Store


@dataclass
class Backend:
    """The served store and the shared, lazily loaded machinery around it."""

    store_dir: Path
    embedder: Any = None  # tests pass a small stand-in; None = the index's model
    evidence: bool = True  # look up evidence passages when verifying
    _local: threading.local = field(default_factory=threading.local)
    nlp_lock: threading.RLock = field(default_factory=threading.RLock)

    @property
    def store(self) -> Store:
        """This thread's connection (sqlite connections are not shared between threads)."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.store_dir)
            from ..link import CLAIMS_SCHEMA

            store.ensure_schema(CLAIMS_SCHEMA)
            self._local.store = store
        return store

    def list_matcher(self) -> Any:
        """The store's ListMatcher; :func:`nlp.tag.names.list_matcher` rebuilds it
        off the request path after an ingest and swaps it in (the server turns that on)."""
        from ..tag.names import list_matcher

        with _MATCHER_STORES_LOCK:
            store = _MATCHER_STORES.get(str(self.store_dir))
            if store is None:
                store = _MATCHER_STORES[str(self.store_dir)] = Store(self.store_dir)
        return list_matcher(store)


# One connection per served store for the list matcher, shared by its threads.
_MATCHER_STORES: dict[str, Store] = {}
_MATCHER_STORES_LOCK = threading.Lock()
