"""Hybrid passage search: dense (faiss) + lexical (BM25), fused, filtered.

What it does: opens the index a store holds (:mod:`nlp.index.build`), checks
that the query model is the index's model, resolves filters to the set of
passage ids they allow, runs the dense and/or lexical search restricted to
that set, fuses the two rankings (:mod:`nlp.index.fusion`) and returns
:class:`Hit` records with provenance.

Filters (all optional, combined with AND):

* ``kind``, ``lang`` -- the document's kind and language;
* ``since``/``until`` -- ISO dates; a passage passes when its document's
  publication date is in range *or* a date the extract stage found inside
  the passage (``annotations`` layer ``date``, ``data.interval``) overlaps it;
* ``hs`` -- an HS code or prefix (chapter ``85``, heading ``8542``, dotted
  or not) mentioned in the passage (layer ``hs_code``, ``data.code``);
  ``chp_tier`` -- CHP tier of such a code (``data.chp_tier``);
* ``entity`` -- an entity mentioned in the passage (layer ``entity``: the
  mention text or its normalised name, compared after folding quotes,
  apostrophes, case and script);
* ``country`` -- an ISO code, English or Russian name (:mod:`nlp.countries`):
  a country named in the passage, an annotation whose ``data.country`` is
  that country, or a location entity naming it.

Filters are looked up in the filter tables built with the index
(:mod:`nlp.index.facets`) and handed to faiss as an ``IDSelector`` and to
BM25 as a mask; nothing is scanned at query time. Values are checked
(:mod:`nlp.index.filters`): an impossible date is an error, not zero hits.

What it does not do: build or update the index; decide how to print hits.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .lexical import Bm25Index
from .build import IndexError_, Manifest, ModelMismatch, index_dir, read_manifest
from .dense import DenseIndex
from .embed import canonical_name, get_embedder
from .facets import FacetTables
from .filters import Filters, hs_digits
from .fusion import DENSE_WEIGHT, LEXICAL_WEIGHT, RRF_K, reciprocal_rank_fusion

MODES = ("hybrid", "dense", "lexical")
# Candidates taken from each side before fusion.
CANDIDATES = 100


@dataclass
class Hit:
    rank: int
    score: float
    doc_id: str
    source: str | None
    source_id: str | None
    passage_id: str
    text: str
    kind: str | None
    lang: str | None
    page: int | None
    section: str | None
    start: int
    end: int
    title: str | None = None
    published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def normalise_hs(code: str) -> str:
    return hs_digits(code)


class SearchIndex:
    """A loaded index; reuse it for many queries (the model loads once)."""

    def __init__(self, store_dir: Path, model: str | None = None, embedder=None):
        self.store_dir = Path(store_dir)
        self.directory = index_dir(self.store_dir)
        manifest = read_manifest(self.directory)
        if manifest is None:
            raise IndexError_(f"no index in {self.directory}: run `sanctions index` first")
        if model is not None and canonical_name(model) != manifest.model:
            raise ModelMismatch(f"the index was built with model {manifest.model!r}; "
                                f"it cannot be queried with {canonical_name(model)!r}")
        self.manifest: Manifest = manifest
        try:
            self.db = sqlite3.connect(f"file:{self.directory / manifest.passages_file}?mode=ro",
                                      uri=True, check_same_thread=False)
            self.db.execute("SELECT 1 FROM passages LIMIT 1")
            self.dense = DenseIndex.read(self.directory / manifest.dense_file)
            self.bm25 = Bm25Index.load(self.directory / manifest.lexical_dir)
        except (sqlite3.DatabaseError, RuntimeError, OSError, ValueError) as exc:
            raise IndexError_(f"{self.directory}: damaged index ({exc}); rebuild with "
                              "`sanctions index --rebuild`") from exc
        self.facets = _open_facets(self.directory, manifest, self.db)
        if embedder is not None and embedder.name != manifest.model:
            raise ModelMismatch(f"the index was built with model {manifest.model!r}; "
                                f"it cannot be queried with {embedder.name!r}")
        self._embedder = embedder

    @property
    def embedder(self):
        if self._embedder is None:
            self._embedder = get_embedder(self.manifest.model)
        return self._embedder

    def close(self) -> None:
        if self.facets is not None:
            self.facets.close()
        self.db.close()

    def __enter__(self) -> "SearchIndex":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- filters -------------------------------------------------------------
    def allowed_ids(self, filters: Filters) -> np.ndarray | None:
        """Passage ids the filters allow (indexed lookups in the filter
        tables); None when no filter is set. A bad value is a ValueError."""
        if not filters.active():
            return None
        if self.facets is None:
            raise IndexError_(f"{self.directory}: the index has no filter tables; "
                              "update it with `sanctions index`")
        return self.facets.allowed_ids(filters)

    # -- the two searches ----------------------------------------------------
    def dense_ranking(self, vectors: np.ndarray, k: int,
                      allowed: np.ndarray | None) -> list[list[tuple[int, float]]]:
        scores, ids = self.dense.search(vectors, k, allowed)
        return [[(int(i), float(s)) for i, s in zip(row_ids, row_scores) if i >= 0]
                for row_ids, row_scores in zip(ids, scores)]

    def lexical_ranking(self, query: str, k: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        if allowed is not None and len(allowed) == 0:
            return []
        return self.bm25.search(query, k, allowed)

    # -- public --------------------------------------------------------------
    def search(self, query: str, *, k: int = 10, mode: str = "hybrid",
               filters: Filters | None = None, model: str | None = None) -> list[Hit]:
        return self.search_many([query], k=k, mode=mode, filters=filters, model=model)[0]

    def search_many(self, queries: Sequence[str], *, k: int = 10, mode: str = "hybrid",
                    filters: Filters | None = None, model: str | None = None,
                    candidates: int = CANDIDATES, rrf_k: float = RRF_K,
                    weights: tuple[float, float] = (DENSE_WEIGHT, LEXICAL_WEIGHT)) -> list[list[Hit]]:
        """Ranked hits per query; the query model must be the index's."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")
        if model is not None and canonical_name(model) != self.manifest.model:
            raise ModelMismatch(f"the index was built with model {self.manifest.model!r}; "
                                f"it cannot be queried with {canonical_name(model)!r}")
        allowed = self.allowed_ids(filters or Filters())
        depth = max(k, candidates)
        dense_lists: list[list[tuple[int, float]]] = [[] for _ in queries]
        if mode in ("hybrid", "dense") and self.dense.ntotal:
            vectors = self.embedder.encode(list(queries))
            dense_lists = self.dense_ranking(vectors, depth, allowed)
        results = []
        for query, dense_list in zip(queries, dense_lists):
            lexical_list = self.lexical_ranking(query, depth, allowed) if mode != "dense" else []
            if mode == "dense":
                ranked = dense_list[:k]
            elif mode == "lexical":
                ranked = lexical_list[:k]
            else:
                ranked = reciprocal_rank_fusion([[i for i, _ in dense_list], [i for i, _ in lexical_list]],
                                                weights=weights, k=rrf_k)[:k]
            results.append(self._hits(ranked))
        return results

    def _hits(self, ranked: list[tuple[int, float]]) -> list[Hit]:
        if not ranked:
            return []
        ids = [i for i, _ in ranked]
        rows = {r["id"]: r for r in self._rows(ids)}
        hits = []
        for rank, (pid, score) in enumerate(((i, s) for i, s in ranked if i in rows), 1):
            r = rows[pid]
            hits.append(Hit(rank=rank, score=round(score, 6), doc_id=r["doc_id"], source=r["source"],
                            source_id=r["source_id"], passage_id=r["passage_id"], text=r["text"],
                            kind=r["kind"], lang=r["lang"], page=r["page"], section=r["section"],
                            start=r["start"], end=r["end"], title=r["title"], published=r["published"]))
        return hits

    def _rows(self, ids: list[int]) -> list[sqlite3.Row]:
        self.db.row_factory = sqlite3.Row
        try:
            marks = ",".join("?" * len(ids))
            return list(self.db.execute(f"SELECT * FROM passages WHERE id IN ({marks})", ids))
        finally:
            self.db.row_factory = None


def _open_facets(directory: Path, manifest: Manifest, passages: sqlite3.Connection) -> FacetTables | None:
    if not manifest.facets_file or not (directory / manifest.facets_file).exists():
        return None
    try:
        return FacetTables(directory / manifest.facets_file, passages)
    except sqlite3.DatabaseError as exc:
        raise IndexError_(f"{directory}: damaged filter tables ({exc}); rebuild with "
                          "`sanctions index --rebuild`") from exc


def open_index(store_dir: Path, model: str | None = None) -> SearchIndex:
    return SearchIndex(store_dir, model)
