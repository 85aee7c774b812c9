"""Rank fusion: combine the dense and lexical result lists into one.

What it does: weighted reciprocal rank fusion (Cormack et al., 2009):
``score(p) = sum over lists of weight / (k + rank)``, rank counted from 1;
a passage missing from a list gets nothing from it. Pure functions only.

The defaults were tuned on the SciFact training claims with
``scripts/eval_scifact.py --tune`` (see docs/search.md).

What it does not do: produce the lists (see :mod:`nlp.index.search`).
"""

from __future__ import annotations

from typing import Sequence

RRF_K = 20
DENSE_WEIGHT = 0.75
LEXICAL_WEIGHT = 1.0


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], weights: Sequence[float] | None = None,
                           k: float = RRF_K) -> list[tuple[int, float]]:
    """Fuse ranked id lists into (id, score) pairs, best first (ties: first list wins)."""
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    scores: dict[int, float] = {}
    order: dict[int, tuple[int, int]] = {}
    for list_index, (ranking, weight) in enumerate(zip(rankings, weights)):
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
            order.setdefault(item, (rank, list_index))
    return sorted(scores.items(), key=lambda pair: (-pair[1], order[pair[0]]))
