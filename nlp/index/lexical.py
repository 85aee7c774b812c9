"""Lexical side of search: stemmed terms and a BM25 index (bm25s).

What it does: turns text into lower-cased, stop-word-free, stemmed terms
(PyStemmer's Snowball stemmers: Russian for Cyrillic words, English for the
rest, so mixed-language collections and queries work; stop words from
bm25s's English and Russian lists) and ranks passages by BM25 (Lucene
variant, k1 = 1.2, b = 0.75) with :class:`Bm25Index`, a thin wrapper over
bm25s's sparse score matrix keyed by passage ids.

Why bm25s: a query is a sum of a few sparse columns and a partial sort, a
few milliseconds at 100k passages, where SQLite FTS5's ``bm25()`` scored
every matching row (about 0.7 s per SciFact claim at 100k, measured with
scripts/bench_search.py). BM25 statistics (IDF, mean length) are global, so
the matrix is recomputed from the stored terms after each update; that is a
recount, not a re-tokenisation or re-embedding.

What it does not do: decide which passages a filter allows, or persist
anything but its own files (see :mod:`nlp.index.build`).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

_TOKEN = re.compile(r"\w+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_RUSSIAN

    return frozenset(w.lower() for w in (*STOPWORDS_EN, *STOPWORDS_RUSSIAN))


@lru_cache(maxsize=None)
def _stemmer(language: str):
    import Stemmer

    return Stemmer.Stemmer(language)


def terms(text: str) -> list[str]:
    """Stemmed terms of ``text`` in order (duplicates kept, for term frequency)."""
    stop = _stopwords()
    words = [w for w in (m.group(0).lower().replace("_", "") for m in _TOKEN.finditer(text))
             if w and w not in stop]
    if not words:
        return []
    ru = [w for w in words if _CYRILLIC.search(w)]
    stems_ru = dict(zip(ru, _stemmer("russian").stemWords(ru))) if ru else {}
    other = [w for w in words if w not in stems_ru]
    stems_en = dict(zip(other, _stemmer("english").stemWords(other))) if other else {}
    return [stems_ru.get(w) or stems_en.get(w) or w for w in words]


def index_text(text: str) -> str:
    """How the terms are stored beside a passage: the stems separated by spaces."""
    return " ".join(terms(text))


K1, B = 1.2, 0.75
# Filter masks kept for id arrays that recur (see Bm25Index._mask).
MASKS_KEPT = 4


class Bm25Index:
    """BM25 over passages; ``ids`` maps matrix columns to passage ids (sorted)."""

    def __init__(self, retriever, ids: np.ndarray):
        self.retriever = retriever
        self.ids = ids

    @classmethod
    def build(cls, ids: Sequence[int], term_lists: Sequence[Sequence[str]]) -> "Bm25Index":
        import bm25s

        order = np.argsort(np.asarray(ids, dtype=np.int64), kind="stable")
        ids_sorted = np.asarray(ids, dtype=np.int64)[order]
        corpus = [list(term_lists[i]) for i in order]
        retriever = None
        if len(corpus):
            retriever = bm25s.BM25(k1=K1, b=B, method="lucene")
            retriever.index(corpus, show_progress=False)
        return cls(retriever, ids_sorted)

    def __len__(self) -> int:
        return len(self.ids)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(passage id, score) best first; only passages with some matching term."""
        if self.retriever is None:
            return []
        wanted = list(dict.fromkeys(terms(query)))
        token_ids = self.retriever.get_tokens_ids(wanted)
        if not token_ids:
            return []
        scores = self.retriever.get_scores_from_ids(token_ids)
        if allowed is not None:
            scores = np.where(self._mask(allowed), scores, 0.0)
        k = min(k, int(np.count_nonzero(scores > 0)))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.ids[i]), float(scores[i])) for i in top]

    def _mask(self, allowed: np.ndarray) -> np.ndarray:
        """Which matrix columns ``allowed`` holds. The masks of the last few id
        arrays are kept, keyed by the array object (the per-language id arrays
        of cross-language search come back on every query; callers never
        change an array they passed)."""
        kept: list = self.__dict__.setdefault("_masks", [])
        for array, mask in kept:
            if array is allowed:
                return mask
        mask = np.isin(self.ids, allowed)
        self._masks = [(allowed, mask), *kept[:MASKS_KEPT - 1]]
        return mask

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / "ids.npy", self.ids)
        if self.retriever is not None:
            self.retriever.save(str(directory), show_progress=False)
        (directory / "meta.json").write_text(json.dumps({"empty": self.retriever is None}))

    @classmethod
    def load(cls, directory: Path) -> "Bm25Index":
        import bm25s

        meta = json.loads((directory / "meta.json").read_text())
        ids = np.load(directory / "ids.npy")
        retriever = None if meta["empty"] else bm25s.BM25.load(str(directory), show_progress=False)
        return cls(retriever, ids)
