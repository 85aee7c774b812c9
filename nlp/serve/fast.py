"""What keeps search and tag requests cheap in the web app (measured with ``scripts/bench_serve.py``).

Profiling the backend on a served store showed most of a request's time
outside the search engine and the tagger themselves:

* **the query embedding** (a MiniLM forward pass, ~50 ms on a loaded
  2-core machine), computed while the index lock was held, so concurrent
  searches queued behind each other's model calls. :class:`CachedEmbedder`
  keeps the vectors of recent query texts (LRU), and :func:`embed_query`
  computes a missing one *before* the lock is taken (torch runs outside the
  GIL, so two requests embed in parallel; the locked section then finds
  the vector in the cache);
* **snippets**: stemming every word of every hit passage again per
  request.
* **tagging** held the one NLP lock for the whole request (models, list
  matching, claim verification). :class:`ExtractionBatcher` holds it only
  for the model step, runs the texts of requests that queue meanwhile in
  one batch, and remembers the extraction records of recent texts. Snippets
  come from :func:`nlp.index.commands.snippet`, which caches each word's stem.

* **repeated searches**: :class:`SearchAnswers` keeps the answers of recent
  search requests for as long as the index on disk is the one they came
  from (its manifest stamp is part of the key).

What it does not do: cache tags (list matching and verification always run
against the store as it is; their repeated reads are remembered per
connection only while the store is unchanged, :mod:`nlp.store_memo`), or
change any ranking.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Sequence

import numpy as np

from ..index.commands import snippet as index_snippet

QUERY_CACHE_SIZE = 4096
class CachedEmbedder:
    """An embedder that remembers the vectors of the texts it encoded last (LRU, thread-safe)."""

    def __init__(self, inner: Any, size: int = QUERY_CACHE_SIZE):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.max_tokens = getattr(inner, "max_tokens", None)
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.inner.count_tokens(texts)

    def cached(self, text: str) -> bool:
        with self._lock:
            return text in self._vectors

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        texts = list(texts)
        with self._lock:
            found = {t: self._vectors[t] for t in texts if t in self._vectors}
            for text in found:
                self._vectors.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            vectors = self.inner.encode(missing, batch_size=batch_size)
            with self._lock:
                for text, vector in zip(missing, vectors):
                    self._vectors[text] = np.array(vector, dtype=np.float32)
                    found[text] = self._vectors[text]
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(np.stack([found[t] for t in texts]), dtype=np.float32)


def cache_queries(index: Any) -> Any:
    """Give ``index`` (a :class:`~nlp.index.search.SearchIndex`) a query-vector cache; returns it."""
    if not isinstance(index.embedder, CachedEmbedder):
        index._embedder = CachedEmbedder(index.embedder)
    return index


def embed_query(store_dir: Any, embedder: Any, query: str, mode: str) -> None:
    """Put the query's vector in the held index's cache, computing it outside the index lock.

    The index lock (:func:`nlp.index.current.using_index`) is taken only to
    open the index the first time; the model call runs without it, so
    concurrent searches embed in parallel and then find their vectors cached.
    """
    from ..index.current import held_index, using_index

    if mode not in ("hybrid", "dense"):
        return
    index = held_index(store_dir, embedder)
    if index is None or not isinstance(index.embedder, CachedEmbedder):
        with using_index(store_dir, embedder) as index:  # opens it (once)
            cache_queries(index)
    cached = index.embedder
    if index.dense.ntotal and not cached.cached(query):
        cached.encode([query])


# One snippet implementation (with cached per-word stems) for the CLI and the web app.
snippet = index_snippet


# -- search answers, remembered while the index is unchanged ---------------------------

ANSWER_CACHE_SIZE = 2048


class SearchAnswers:
    """Search answers of recent requests, valid while the index on disk is the same.

    The key holds the index's manifest stamp (:func:`nlp.index.current.manifest_stamp`:
    every index update, including the filter tables' and the story links', writes a
    new manifest), so an answer is never served for an index other than the one it
    came from. Callers get their own copy of the answer and of each hit row (the
    search page adds fields to them).
    """

    def __init__(self, size: int = ANSWER_CACHE_SIZE):
        self.size = size
        self._answers: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._running: dict[tuple, threading.Lock] = {}  # one search per key at a time

    def answer(self, store_dir: Any, request: Any, compute: Any, embedder: Any = None) -> dict[str, Any]:
        from dataclasses import astuple
        from pathlib import Path

        from ..index.current import manifest_stamp

        stamp = manifest_stamp(Path(store_dir))
        key = (str(store_dir), id(embedder) if embedder is not None else 0, stamp, astuple(request))
        found = self._get(key)
        if found is None:
            # Clients that send the same new query at once wait for one search
            # instead of each queueing its own behind the index lock.
            with self._lock:
                running = self._running.setdefault(key, threading.Lock())
            try:
                with running:
                    found = self._get(key)
                    if found is None:
                        found = compute()
                        if stamp is not None and manifest_stamp(Path(store_dir)) == stamp:  # not mid-update
                            with self._lock:
                                self._answers[key] = found
                                while len(self._answers) > self.size:
                                    self._answers.popitem(last=False)
            finally:
                with self._lock:
                    self._running.pop(key, None)
        return {**found, "hits": [dict(hit) for hit in found["hits"]]}

    def _get(self, key: tuple) -> dict[str, Any] | None:
        with self._lock:
            found = self._answers.get(key)
            if found is not None:
                self._answers.move_to_end(key)
            return found


SEARCH_ANSWERS = SearchAnswers()


# -- tagging: the model step batched across concurrent requests ------------------------

RECORD_CACHE_SIZE = 256


class ExtractionBatcher:
    """Runs the extraction models for concurrent requests together, one batch at a time.

    The records of the last ``RECORD_CACHE_SIZE`` texts are kept (keyed by
    the text's hash, language and reference date, all that extraction
    depends on), so a text tagged again skips the models; list matching and
    claim verification always run again against the store as it is now.

    Each request queues its job and then takes the NLP lock; whoever gets
    the lock runs *every* job queued by then in one ``extract_many`` call
    (spaCy batches them), so requests that arrive while a batch runs wait
    for one more batch rather than one each. A failing batch is retried
    job by job, so one bad text fails only its own request.
    """

    def __init__(self, lock: Any, cache_size: int = RECORD_CACHE_SIZE, key: Any = None):
        self.lock = lock
        self._key = key or self._job_key
        self._mutex = threading.Lock()
        self._pending: list[dict[str, Any]] = []
        self._records: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
        self.cache_size = cache_size

    @staticmethod
    def _job_key(job: Any) -> tuple:
        import hashlib

        return (hashlib.sha256(job.text.encode("utf-8")).hexdigest(), job.lang, job.published)

    def extract(self, job: Any) -> dict[str, Any]:
        key = self._key(job)
        with self._mutex:
            cached = self._records.get(key)
            if cached is not None:
                self._records.move_to_end(key)
        if cached is not None:
            return dict(cached, doc_id=getattr(job, "doc_id", None), source=getattr(job, "source", None))
        item: dict[str, Any] = {"job": job, "done": threading.Event(), "record": None, "error": None}
        with self._mutex:
            self._pending.append(item)
        with self.lock:
            if not item["done"].is_set():
                with self._mutex:
                    batch, self._pending = self._pending, []
                self._run(batch)
        if item["error"] is not None:
            raise item["error"]
        with self._mutex:
            self._records[key] = item["record"]
            while len(self._records) > self.cache_size:
                self._records.popitem(last=False)
        return item["record"]

    @staticmethod
    def _run(batch: list[dict[str, Any]]) -> None:
        from ..extract.pipeline import extract_many

        try:
            records = extract_many([i["job"] for i in batch])
            for item, record in zip(batch, records):
                item["record"] = record
        except Exception:
            for item in batch:
                try:
                    item["record"] = extract_many([item["job"]])[0]
                except Exception as exc:  # this request's own failure, reported to it alone
                    item["error"] = exc
        for item in batch:
            item["done"].set()


def extraction_batcher(backend: Any) -> ExtractionBatcher:
    """The backend's batcher (one per backend, over its NLP lock)."""
    batcher = getattr(backend, "_extraction_batcher", None)
    if batcher is None:
        batcher = ExtractionBatcher(backend.nlp_lock)
        backend._extraction_batcher = batcher
    return batcher


def tag_text(backend: Any, text: str, *, title: str | None, published: str | None, lang: str) -> dict[str, Any]:
    """Tags for a posted text without storing it: only the model step holds the NLP lock."""
    import datetime as dt

    from ..extract.pipeline import job_for_document
    from ..tag.tagging import article_document, tag_extracted

    doc = article_document(text, title=title, published=published, lang=lang)
    reference = published or doc.published or dt.date.today().isoformat()
    job = job_for_document(doc, "auto" if doc.lang not in ("en", "ru") else doc.lang, reference)
    record = extraction_batcher(backend).extract(job)
    return tag_extracted(doc, record, backend.store, published=published, store_it=False)


# -- warm-up: the first request of each kind should not pay for loading ---------------
# The texts are tagging's (nlp/tag/tagging.py: WARM_UP_TEXTS): they reach the
# embedding model and the index, spaCy and natasha, the list matcher, the
# country patterns, claim detection with a product, and verification.

def warm_up(backend: Any) -> dict[str, float]:
    """Load what the first search and the first tag would load; seconds per step.

    Runs the same calls a request makes (through the backend's locks), so a
    request that arrives meanwhile waits for what it would have loaded
    itself; a failing step is skipped (the request that needs it reports it)."""
    import logging
    import time

    from ..tag.tagging import WARM_UP_TEXTS, warm_up_tables
    from . import actions
    from .checks import SearchRequest

    spent: dict[str, float] = {}
    backend._warm_up = {"done": False, "seconds": spent}
    def tag(lang: str, text: str) -> Callable[[], Any]:
        def step() -> Any:
            warm_up_tables()  # the name scorer's and verification's first-use loads (done once)
            return tag_text(backend, text, title=None, published="2023-06-01", lang=lang)
        return step

    steps: list[tuple[str, Callable[[], Any]]] = [
        ("search", lambda: actions.search(backend, SearchRequest(query=WARM_UP_TEXTS["en"][:80])))]
    steps += [(f"tag {lang}", tag(lang, text)) for lang, text in WARM_UP_TEXTS.items()]
    for name, step in steps:
        started = time.perf_counter()
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - a warm-up failure must not stop the server
            logging.getLogger("nlp.serve").info("warm-up step %s skipped: %s", name, exc)
        spent[name] = round(time.perf_counter() - started, 2)
    backend._warm_up = {"done": True, "seconds": spent}
    return spent


def warm_up_state(backend: Any) -> dict[str, Any] | None:
    """``{"done": bool, "seconds": {step: s}}`` of the backend's warm-up; None when none ran."""
    return getattr(backend, "_warm_up", None)


def start_warm_up(backend: Any) -> threading.Thread:
    """:func:`warm_up` in a background thread (the server answers meanwhile)."""
    thread = threading.Thread(target=warm_up, args=(backend,), name="warm-up", daemon=True)
    thread.start()
    return thread
