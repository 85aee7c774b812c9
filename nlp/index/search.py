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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from . import crosslingual
from .build import IndexError_, Manifest, ModelMismatch, index_dir, read_manifest
from .dense import DenseIndex
from .embed import canonical_name, get_embedder
from .facets import FacetTables
from .filters import MODES, Filters, hs_digits
from .fusion import DENSE_WEIGHT, LEXICAL_WEIGHT, RRF_K, reciprocal_rank_fusion
from .lexical import Bm25Index

# A language with at least this share of the passages gets its own dense
# list in hybrid search (see SearchIndex.dense_ranking_per_language).
LANGUAGE_SHARE = 0.05
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
    # Other documents of the same story (near-duplicates): doc_id, source, title.
    also_published_as: list[dict[str, Any]] = field(default_factory=list)

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
        self._groups: dict[str, np.ndarray] | None = None
        self._masks: crosslingual.LanguageMasks | None = None
        self._prose: dict[str, np.ndarray] = {}
        self._vocabulary: crosslingual.Vocabulary | None = None
        self._vocabulary_checked = False
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

    def language_groups(self) -> dict[str, np.ndarray]:
        """Passage ids per language, for languages holding at least
        ``LANGUAGE_SHARE`` of the passages (computed once per index)."""
        if self._groups is None:
            rows = np.array(self.db.execute("SELECT id, lang FROM passages ORDER BY id").fetchall(), dtype=object)
            groups: dict[str, np.ndarray] = {}
            if len(rows):
                langs = rows[:, 1].astype(str)
                for lang in sorted(set(langs)):
                    ids = rows[langs == lang, 0].astype(np.int64)
                    if len(ids) >= LANGUAGE_SHARE * len(rows):
                        groups[lang] = ids
            self._groups = groups
        return self._groups

    def dense_ranking_per_language(self, vectors: np.ndarray, k: int, allowed: np.ndarray | None,
                                   groups: dict[str, np.ndarray]) -> list[list[tuple[int, float]]]:
        """One dense list merged from per-language searches, each language's
        scores standardised (z-scores over its top ``k``).

        A multilingual model scores passages in the query's own language
        higher across the board; without this a Russian answer to an English
        question sinks under English near-misses (and on a store of short
        Russian posts the reverse). Passages of small languages outside the
        groups are searched together as one more group.
        """
        grouped = np.concatenate(list(groups.values()))
        rest = None
        if len(grouped) < self.dense.ntotal:
            everything = np.array(sorted(self.passage_ids()), dtype=np.int64)
            rest = np.setdiff1d(everything, grouped, assume_unique=True)
        merged: list[dict[int, float]] = [{} for _ in range(len(vectors))]
        for ids in [*groups.values(), *([rest] if rest is not None and len(rest) else [])]:
            subset = ids if allowed is None else np.intersect1d(ids, allowed, assume_unique=True)
            if len(subset) == 0:
                continue
            for row, ranking in enumerate(self.dense_ranking(vectors, k, subset)):
                if not ranking:
                    continue
                scores = np.array([score for _, score in ranking])
                spread = float(scores.std()) or 1.0
                for pid, score in ranking:
                    merged[row][pid] = (score - float(scores.mean())) / spread
        return [sorted(row.items(), key=lambda pair: -pair[1])[:k] for row in merged]

    def passage_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM passages")]

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
                    weights: tuple[float, float] = (DENSE_WEIGHT, LEXICAL_WEIGHT),
                    per_language: bool = False, cross_lexical: bool = True) -> list[list[Hit]]:
        """Ranked hits per query; the query model must be the index's.
        In hybrid mode, unless a language filter names the query's own
        language, ``cross_lexical`` (on by default) adds the legs in the other
        languages of the index
        (:meth:`crosslingual_plan`); ``per_language`` standardises the dense
        leg per language (:meth:`dense_ranking_per_language`; off by default:
        it did not help on the cross-lingual set, see docs/search.md)."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")
        if model is not None and canonical_name(model) != self.manifest.model:
            raise ModelMismatch(f"the index was built with model {self.manifest.model!r}; "
                                f"it cannot be queried with {canonical_name(model)!r}")
        allowed = self.allowed_ids(filters or Filters())
        depth = max(k, candidates)
        dense_lists: list[list[tuple[int, float]]] = [[] for _ in queries]
        vectors: np.ndarray | None = None
        if mode in ("hybrid", "dense") and self.dense.ntotal:
            vectors = self.embedder.encode(list(queries))
            groups = self.language_groups() if per_language and mode == "hybrid" and \
                not (filters and filters.lang) else {}
            if len(groups) > 1:
                dense_lists = self.dense_ranking_per_language(vectors, depth, allowed, groups)
            else:
                dense_lists = self.dense_ranking(vectors, depth, allowed)
        from ..text import detect_lang

        results = []
        for row, (query, dense_list) in enumerate(zip(queries, dense_lists)):
            lexical_list = self.lexical_ranking(query, depth, allowed) if mode != "dense" else []
            if mode == "dense":
                ranked = dense_list
            elif mode == "lexical":
                ranked = lexical_list
            else:
                lists = [[i for i, _ in dense_list], [i for i, _ in lexical_list]]
                leg_weights = list(weights)
                # -- other languages (nlp/index/crosslingual.py) --
                query_lang = detect_lang(query) if cross_lexical and vectors is not None \
                    and len(self.language_groups()) > 1 else None
                if query_lang is not None and vectors is not None \
                        and not (filters and filters.lang and filters.lang == query_lang):
                    cross = self.crosslingual_plan(query, vectors[row], depth, allowed, query_lang)
                    if cross is not None:
                        leg_weights = [cross.dense_weight, cross.lexical_weight]
                        lists += [leg.ranking for leg in cross.legs]
                        leg_weights += [leg.weight for leg in cross.legs]
                ranked = reciprocal_rank_fusion(lists, weights=leg_weights, k=rrf_k)
            results.append(self._hits(ranked, k))
        return results

    def crosslingual_plan(self, query: str, vector: np.ndarray, k: int, allowed: np.ndarray | None,
                          query_lang: str | None = None) -> crosslingual.CrossPlan | None:
        """The legs in the other languages and the weights of the two plain
        lists (:func:`nlp.index.crosslingual.plan`); ``query_lang`` when the
        caller has detected it already."""
        from ..text import detect_lang

        groups = self.language_groups()
        if self._masks is None:
            self._masks = crosslingual.LanguageMasks(self.bm25, groups)
            self._prose = crosslingual.prose_ids(self.db.execute("SELECT id, lang, kind FROM passages"), groups)

        def dense_in(ids: np.ndarray) -> list[int]:
            return [pid for pid, _ in self.dense_ranking(vector[None, :], k, ids)[0]]

        return crosslingual.plan(query, query_lang or detect_lang(query), groups, self._prose, self._masks, self.vocabulary(),
                                 self.embedder, dense_in, k, allowed)

    def vocabulary(self) -> crosslingual.Vocabulary | None:
        """The index's embedded vocabulary per language (written by
        ``sanctions index`` for multilingual indexes), loaded once."""
        if not self._vocabulary_checked:
            path = self.directory / crosslingual.vocabulary_file(self.manifest.generation)
            self._vocabulary = crosslingual.Vocabulary.load(path) if path.exists() else None
            self._vocabulary_checked = True
        return self._vocabulary

    def _hits(self, ranked: list[tuple[int, float]], k: int) -> list[Hit]:
        """The first ``k`` hits, one per story: a passage of a copy of a
        document already shown is left out, and the shown hit lists the
        story's other documents."""
        if not ranked:
            return []
        # Rows are read in pages as the walk down the ranking needs them: most
        # answers need the first k, not all the fused candidates (whole texts).
        rows: dict[int, sqlite3.Row] = {}
        page = max(2 * k, 20)
        hits: list[Hit] = []
        shown: dict[str, str] = {}  # story -> the document shown for it
        for position, (pid, score) in enumerate(ranked):
            if position % page == 0:
                rows.update((r["id"], r) for r in self._rows([i for i, _ in ranked[position:position + page]]))
            if pid not in rows:
                continue
            r = rows[pid]
            story = self.facets.story(r["doc_id"]) if self.facets is not None else r["doc_id"]
            if shown.setdefault(story, r["doc_id"]) != r["doc_id"]:
                continue
            hits.append(Hit(rank=len(hits) + 1, score=round(score, 6), doc_id=r["doc_id"], source=r["source"],
                            source_id=r["source_id"], passage_id=r["passage_id"], text=r["text"],
                            kind=r["kind"], lang=r["lang"], page=r["page"], section=r["section"],
                            start=r["start"], end=r["end"], title=r["title"], published=r["published"]))
            if len(hits) == k:
                break
        if self.facets is not None:
            copies = {hit.doc_id: self.facets.copies(hit.doc_id) for hit in hits}
            about = self._documents(sorted({d for ds in copies.values() for d in ds}))
            for hit in hits:
                hit.also_published_as = [about[d] for d in copies[hit.doc_id] if d in about]
        return hits

    def _documents(self, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
        if not doc_ids:
            return {}
        marks = ",".join("?" * len(doc_ids))
        return {r[0]: {"doc_id": r[0], "source": r[1], "source_id": r[2], "title": r[3], "published": r[4]}
                for r in self.db.execute(f"SELECT doc_id, source, source_id, title, published FROM passages "
                                         f"WHERE doc_id IN ({marks}) GROUP BY doc_id", doc_ids)}

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
