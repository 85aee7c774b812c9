"""``sanctions load``: a results folder into the SQLite store and its search index.

What it does: for every file in the results folder whose partitions the
store has not loaded yet (or that a later run replaced), swaps what the store
holds for that file (:meth:`nlp.store.Store.replace_file`, one transaction),
then replaces the annotation layers of its documents. A failed file is
recorded as ``ingest`` records it (earlier good rows stay). Then the index
is brought in step with :func:`nlp.index.build.sync_index`, whose vectors
come from the passages dataset (:class:`PrecomputedEmbedder`): nothing is
embedded again unless a passage is missing from the dataset.

Idempotent: the store keeps, per file, a fingerprint of the partitions it
loaded (table ``scale_loaded``); a second load of the same folder adds
nothing, and a load after a rerun touches only the files the rerun replaced.

What it does not do: read source files or run models (except as the fallback
for passages missing from the dataset).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..records import ReadResult
from ..store import Store
from .dataset import PARTITION, ResultsDir
from .stages import TABLES, embedder_for, row_to_document, row_to_fact, row_to_listing, rows_to_layers

LOADED_SCHEMA = """
CREATE TABLE IF NOT EXISTS scale_loaded (
    path        TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    loaded_at   REAL NOT NULL
);
"""


class LoadError(ValueError):
    """A folder that cannot be loaded, with the reason in one line."""


@dataclass
class LoadSummary:
    files: int = 0
    loaded: int = 0
    unchanged: int = 0
    failed: int = 0
    documents: int = 0
    annotated: int = 0
    index: dict[str, Any] | None = None
    failures: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def fingerprint(results: ResultsDir, fid: str) -> str:
    """Identity of one file's partitions: their part files' names and sizes."""
    digest = hashlib.sha1()
    for table in TABLES:
        for part in sorted((results.path / table / f"{PARTITION}={fid}").glob("*.parquet")):
            digest.update(f"{table}/{part.name}:{part.stat().st_size}\n".encode())
    return digest.hexdigest()


class PrecomputedEmbedder:
    """Passage vectors computed elsewhere, looked up by the text the model saw.

    Token counts come from the model's own tokenizer (so ``sync_index`` cuts
    the same passages the vectors were made for); a passage without a vector
    is embedded by the model and counted in ``computed``.
    """

    def __init__(self, model: str, texts: Sequence[str], vectors: np.ndarray):
        self.model = embedder_for(model)
        self.name, self.dim, self.max_tokens = self.model.name, self.model.dim, self.model.max_tokens
        self._vectors = {_key(t): i for i, t in enumerate(texts)}
        self._matrix = np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)
        self.reused = self.computed = 0

    @classmethod
    def from_results(cls, results: ResultsDir, model: str) -> "PrecomputedEmbedder":
        """The vectors of a results folder's passages dataset."""
        table = results.read("passages", columns=["embed_text", "vector"])
        flat = table.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False)
        return cls(model, table.column("embed_text").to_pylist(), flat)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.model.count_tokens(texts)

    @property
    def words_embedder(self):
        """The model itself, for the index's word vocabulary (not passages:
        not counted as passage vectors computed)."""
        return self.model

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = []
        for row, text in enumerate(texts):
            index = self._vectors.get(_key(text))
            if index is None:
                missing.append(row)
            else:
                out[row] = self._matrix[index]
        if missing:
            out[missing] = self.model.encode([texts[i] for i in missing], batch_size)
        self.reused += len(texts) - len(missing)
        self.computed += len(missing)
        return out


def _key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


def load_results(directory: str | Path, store: Store, *, index: bool = True,
                 rebuild_index: bool = False) -> LoadSummary:
    """Bring the results in ``directory`` into ``store`` (and its index)."""
    results = ResultsDir(directory)
    if not results.has("files"):
        raise LoadError(f"{directory}: no results here (expected files/file_id=*/…parquet from `sanctions run`)")
    store.ensure_schema(LOADED_SCHEMA)
    loaded = {r[0]: r[1] for r in store.query("SELECT path, fingerprint FROM scale_loaded")}
    summary = LoadSummary()
    pending = []
    for row in sorted(results.rows("files"), key=lambda r: r["path"]):
        summary.files += 1
        mark = fingerprint(results, row[PARTITION])
        if loaded.get(row["path"]) == mark:
            summary.unchanged += 1
            continue
        pending.append((row, mark))
    for row, mark in pending:
        _load_file(results, store, row, summary)
        with store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO scale_loaded VALUES (?, ?, julianday('now'))",
                       (row["path"], mark))
    if index:
        summary.index = _sync_index(results, store, rebuild_index)
    return summary


def _load_file(results: ResultsDir, store: Store, row: dict[str, Any], summary: LoadSummary) -> None:
    fid, path = row[PARTITION], row["path"]
    if row["status"] != "ok":
        store.record_failure(path, row["sha256"], row["size"] or 0, row["reason"] or "failed", row["reader"])
        summary.failed += 1
        summary.failures.append({"path": path, "reason": row["reason"]})
        return
    docs = [row_to_document(r) for r in results.rows("documents", [fid])]
    result = ReadResult(documents=docs,
                        listings=[row_to_listing(r) for r in results.rows("listings", [fid])],
                        trade_facts=[row_to_fact(r) for r in results.rows("trade_facts", [fid])])
    store.replace_file(path, row["sha256"], row["size"], row["reader"], result)
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in results.rows("annotations", [fid]):
        by_doc[item["doc_id"]].append(item)
    for doc in docs:
        store.replace_annotations(doc.doc_id, rows_to_layers(by_doc.get(doc.doc_id, [])))
        summary.annotated += 1
    summary.loaded += 1
    summary.documents += len(docs)


def _sync_index(results: ResultsDir, store: Store, rebuild: bool) -> dict[str, Any]:
    from ..index.build import sync_index

    model = results.manifest().get("model")
    if not model:
        return {"skipped": "the results hold no passages"}
    embedder = PrecomputedEmbedder.from_results(results, model)
    summary = sync_index(store, rebuild=rebuild, embedder=embedder).to_dict()
    summary.update(vectors_reused=embedder.reused, vectors_computed=embedder.computed)
    return summary
