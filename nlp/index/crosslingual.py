"""Hybrid fusion legs for indexes that hold more than one language.

What it does: decides, per query, how much say the same-language lexical
leg gets, and adds legs that reach passages in the other languages:

* **lexical coverage** -- how well the best passage of the query's own
  language covers the query: its BM25 score divided by the sum, over the
  query's terms, of each term's best single-term score in that language.
  A question whose answer is in the query's language has a passage that
  matches most of its weighted terms (median 0.43-0.58 on the same-language
  control questions); a question answered only in another language meets
  passages that share a few generic words (Russia, sanctions, Kazakhstan:
  median 0.26-0.31). See docs/search.md for the figures.
* **language gate** -- that coverage mapped linearly to a weight in [0, 1]
  (0 at ``GATE_LOW``, 1 at ``GATE_HIGH``): the same-language lexical leg is
  weighted by it, and a dense list restricted to each other language by
  its complement, so a weak same-language lexical match hands the decision
  to the multilingual model's ranking inside the other languages (the
  per-language normalisation of the fusion).
* **translated lexical leg** -- the multilingual model's best passages in
  each other language stand in for a translation of the query: the stems
  shared by at least two of them are searched with BM25 inside that
  language (query translation by pseudo-relevance feedback).

What it does not do: run the same-language searches or the fusion itself
(:mod:`nlp.index.search`, :mod:`nlp.index.fusion`); translate with a
dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from .lexical import terms

if TYPE_CHECKING:
    from .lexical import Bm25Index

# Coverage below GATE_LOW: the same-language lexical leg gets no say; above
# GATE_HIGH: its full weight (chosen on the corpus-wide cross-lingual and
# same-language control sets; the grid is in docs/search.md).
GATE_LOW = 0.2
GATE_HIGH = 0.4
# Weight of the dense list restricted to another language, times (1 - gate).
OTHER_DENSE_WEIGHT = 1.0
# The translated lexical leg: terms shared by at least two of the model's
# best passages in that language, at most this many, weighted so.
TRANSLATED_PASSAGES = 5
TRANSLATED_TERMS = 12
TRANSLATED_WEIGHT = 0.3


@dataclass
class Leg:
    """One more ranked list for the fusion and its weight."""

    ranking: list[int]
    weight: float
    name: str

    def to_dict(self) -> dict:
        return {"name": self.name, "weight": self.weight, "size": len(self.ranking)}


class LanguageMasks:
    """Boolean masks over the BM25 matrix columns per language (built once)."""

    def __init__(self, bm25: "Bm25Index", groups: dict[str, np.ndarray]):
        self.bm25 = bm25
        self.masks = {lang: np.isin(bm25.ids, ids) for lang, ids in groups.items()}

    def coverage(self, query: str, lang: str) -> float:
        """Best passage's BM25 score in ``lang`` over the sum of each query
        term's best score there (1.0: one passage holds every term at its
        best; 0.0: no term occurs)."""
        retriever = self.bm25.retriever
        mask = self.masks.get(lang)
        if retriever is None or mask is None:
            return 0.0
        token_ids = retriever.get_tokens_ids(list(dict.fromkeys(terms(query))))
        if not token_ids:
            return 0.0
        best_single = 0.0
        for token in token_ids:
            column = retriever.get_scores_from_ids([token])
            best_single += float(column[mask].max(initial=0.0))
        if best_single <= 0.0:
            return 0.0
        together = retriever.get_scores_from_ids(token_ids)
        return float(together[mask].max(initial=0.0)) / best_single


def gate(coverage: float, low: float = GATE_LOW, high: float = GATE_HIGH) -> float:
    """Weight of the same-language lexical leg for this coverage."""
    if high <= low:
        return 1.0 if coverage >= high else 0.0
    return float(min(1.0, max(0.0, (coverage - low) / (high - low))))


def shared_terms(term_bags: Sequence[Sequence[str]], limit: int = TRANSLATED_TERMS) -> list[str]:
    """Stems found in at least two bags, most widely shared first (ties in
    first-seen order), longer than two characters."""
    counts: dict[str, int] = {}
    for bag in term_bags:
        for term in dict.fromkeys(bag):
            counts[term] = counts.get(term, 0) + 1
    shared = [t for t, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n >= 2 and len(t) > 2]
    return shared[:limit]


def other_language_legs(query_lang: str, groups: dict[str, np.ndarray], gate_weight: float,
                        dense_in: Callable[[np.ndarray], list[int]],
                        passage_terms: Callable[[list[int]], list[list[str]]],
                        bm25_in: Callable[[str, np.ndarray], list[int]],
                        allowed: np.ndarray | None) -> list[Leg]:
    """For each language of the index other than the query's: the dense
    ranking inside it (weight ``OTHER_DENSE_WEIGHT * (1 - gate)``) and the
    translated lexical leg (``TRANSLATED_WEIGHT``)."""
    legs: list[Leg] = []
    for lang, ids in groups.items():
        if lang == query_lang:
            continue
        subset = ids if allowed is None else np.intersect1d(ids, allowed, assume_unique=True)
        if len(subset) == 0:
            continue
        ranking = dense_in(subset)
        if gate_weight < 1.0 and ranking:
            legs.append(Leg(ranking, OTHER_DENSE_WEIGHT * (1.0 - gate_weight), f"dense:{lang}"))
        top = ranking[:TRANSLATED_PASSAGES]
        if len(top) < 2:
            continue
        shared = shared_terms(passage_terms(top))
        if shared:
            legs.append(Leg(bm25_in(" ".join(shared), subset), TRANSLATED_WEIGHT, f"translated:{lang}"))
    return legs
