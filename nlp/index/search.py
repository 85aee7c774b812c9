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
  mention text or its normalised name, compared case-insensitively);
* ``country`` -- an ISO code or name: an annotation whose ``data.country``
  is that code, or a location entity with that name.

What it does not do: build or update the index; decide how to print hits.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .lexical import Bm25Index
from .build import IndexError_, Manifest, ModelMismatch, index_dir, read_manifest
from .dense import DenseIndex
from .embed import canonical_name, get_embedder
from .fusion import DENSE_WEIGHT, LEXICAL_WEIGHT, RRF_K, reciprocal_rank_fusion

MODES = ("hybrid", "dense", "lexical")
# Candidates taken from each side before fusion.
CANDIDATES = 100
LOCATION_LABELS = ("gpe", "loc", "location", "country", "locorg")


@dataclass
class Filters:
    kind: str | None = None
    lang: str | None = None
    since: str | None = None
    until: str | None = None
    hs: str | None = None
    chp_tier: str | None = None
    entity: str | None = None
    country: str | None = None

    def active(self) -> bool:
        return any(v not in (None, "") for v in asdict(self).values())


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


def _fold(value: Any) -> str | None:
    return " ".join(str(value).casefold().split()) if value is not None else None


def _interval(data: dict[str, Any]) -> tuple[str, str] | None:
    """(first day, last day) as ISO strings from a date annotation's data."""
    value = data.get("interval")
    if value is None:
        value = data.get("value")
    if isinstance(value, dict):
        value = (value.get("start") or value.get("begin"), value.get("end") or value.get("start"))
    elif isinstance(value, str):
        parts = re.split(r"/|\.\.", value)
        value = (parts[0], parts[-1])
    if not isinstance(value, (list, tuple)) or len(value) < 1 or not value[0]:
        return None
    start, end = str(value[0]), str(value[-1] or value[0])
    if not re.match(r"\d{4}", start):
        return None
    # Partial dates ("2024", "2024-06") cover their whole period.
    return start, end + "-99" * max(0, (10 - len(end)) // 3)


def normalise_hs(code: str) -> str:
    return re.sub(r"[^0-9]", "", code or "")


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
        self.db.create_function("fold", 1, _fold, deterministic=True)
        store_db = self.store_dir / "store.sqlite"
        self.has_store = store_db.exists()
        if self.has_store:
            self.db.execute("ATTACH DATABASE ? AS store", (f"file:{store_db}?mode=ro",))
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
        self.db.close()

    def __enter__(self) -> "SearchIndex":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- filters -------------------------------------------------------------
    def _annotated(self, layer: str, where: str = "1=1", args: Sequence[Any] = ()) -> set[int]:
        """Passage ids holding an annotation of ``layer`` matching ``where`` (over ``a``)."""
        if not self.has_store:
            return set()
        sql = ("SELECT DISTINCT p.id FROM store.annotations a JOIN passages p "
               "ON p.doc_id = a.doc_id AND a.start < p.end AND a.end > p.start "
               f"WHERE a.layer = ? AND ({where})")
        try:
            return {r[0] for r in self.db.execute(sql, (layer, *args))}
        except sqlite3.OperationalError:  # a store without annotations yet
            return set()

    def allowed_ids(self, filters: Filters) -> np.ndarray | None:
        """Passage ids the filters allow; None when no filter is set."""
        if not filters.active():
            return None
        sets: list[set[int]] = []
        where, args = [], []
        if filters.kind:
            where, args = [*where, "kind = ?"], [*args, filters.kind]
        if filters.lang:
            where, args = [*where, "lang = ?"], [*args, filters.lang]
        if where:
            sets.append({r[0] for r in self.db.execute(
                f"SELECT id FROM passages WHERE {' AND '.join(where)}", args)})
        if filters.since or filters.until:
            low, high = filters.since or "0000", (filters.until or "9999") + "-99"
            ids = {r[0] for r in self.db.execute(
                "SELECT id FROM passages WHERE published IS NOT NULL AND published >= ? AND published <= ?",
                (low, high))}
            if self.has_store:
                with_dates = ("SELECT p.id, a.data FROM store.annotations a JOIN passages p "
                              "ON p.doc_id = a.doc_id AND a.start < p.end AND a.end > p.start "
                              "WHERE a.layer = 'date'")
                try:
                    for pid, data in self.db.execute(with_dates):
                        span = _interval(json.loads(data or "{}"))
                        if span and span[0] <= high and span[1] >= low:
                            ids.add(pid)
                except sqlite3.OperationalError:
                    pass
            sets.append(ids)
        if filters.hs:
            code = normalise_hs(filters.hs)
            if not code:
                raise ValueError(f"not an HS code: {filters.hs!r}")
            sets.append(self._annotated(
                "hs_code",
                "replace(replace(replace(coalesce(json_extract(a.data, '$.code'), a.label, a.text),"
                " '.', ''), ' ', ''), '-', '') LIKE ?", (code + "%",)))
        if filters.chp_tier:
            sets.append(self._annotated(
                "hs_code", "upper(CAST(json_extract(a.data, '$.chp_tier') AS TEXT)) = upper(?)",
                (str(filters.chp_tier),)))
        if filters.entity:
            name = _fold(filters.entity)
            sets.append(self._annotated(
                "entity",
                "fold(a.text) = ? OR fold(json_extract(a.data, '$.name')) = ? OR "
                "fold(json_extract(a.data, '$.normalized')) = ? OR fold(json_extract(a.data, '$.canonical')) = ?",
                (name, name, name, name)))
        if filters.country:
            value = filters.country.strip()
            ids = set()
            for layer in ("entity", "country", "hs_code", "date"):
                ids |= self._annotated(layer, "upper(json_extract(a.data, '$.country')) = upper(?)", (value,))
            labels = ",".join("?" * len(LOCATION_LABELS))
            ids |= self._annotated("entity", f"lower(coalesce(a.label, '')) IN ({labels}) AND fold(a.text) = ?",
                                   (*LOCATION_LABELS, _fold(value)))
            sets.append(ids)
        allowed = set.intersection(*sets) if sets else set()
        return np.array(sorted(allowed), dtype=np.int64)

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


def open_index(store_dir: Path, model: str | None = None) -> SearchIndex:
    return SearchIndex(store_dir, model)
