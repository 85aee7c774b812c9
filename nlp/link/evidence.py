"""Evidence passages for a claim: related text that supports or contradicts it.

Candidates come from the project's search index (hybrid semantic + BM25,
:mod:`nlp.index.search`) queried with the claim sentence. Each candidate is
then read with the same framing rules as claims (:mod:`nlp.link.frames`):
a passage that names the same flow and goods or countries and states the
same direction *supports*; the opposite direction *contradicts*; otherwise it
is *related*. Shared codes and countries raise the score.

Without a built index there is no evidence (and the result says so); nothing
here builds an index as a side effect. The index is the one the process
already holds (:mod:`nlp.index.current`), reopened when a new one is written.
"""

from __future__ import annotations

from typing import Any

from ..store import Store
from .frames import ClaimFrame, find_countries, find_direction, find_flow, find_subject, sentences

OPPOSITE = {"increase": "decrease", "decrease": "increase"}


def passage_stance(frame: ClaimFrame, text: str, lang: str) -> tuple[str, list[str]]:
    """(supports | contradicts | related, what the passage shares with the claim)."""
    shared: list[str] = []
    claim_codes = set(frame.subject.get("codes", []))
    best = "related"
    for _, _, sentence in sentences(text):
        subject = find_subject(sentence, lang) if (claim_codes or frame.subject) else {}
        roles = find_countries(sentence)
        overlap = []
        codes = set(subject.get("codes", []))
        if claim_codes and any(a.startswith(b) or b.startswith(a) for a in codes for b in claim_codes):
            overlap.append("codes")
        if frame.subject.get("item_set") and subject.get("item_set") == frame.subject.get("item_set"):
            overlap.append("items")
        countries = {frame.partner, frame.transit} - {None}
        if countries & set(roles.values()):
            overlap.append("countries")
        if not overlap:
            continue
        shared = sorted(set(shared) | set(overlap))
        direction = find_direction(sentence)
        if find_flow(sentence) and direction and frame.direction:
            if direction == frame.direction:
                best = "supports"
            elif OPPOSITE.get(frame.direction) == direction and best != "supports":
                best = "contradicts"
    return best, shared


def find_evidence(frame: ClaimFrame, store: Store, k: int = 5,
                  exclude: set[str] | frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """The ``k`` best passages for a claim, supporting or contradicting ones
    first; none when the store has no usable search index. Passages of the
    documents in ``exclude`` (the claim's own document and its copies) are
    dropped before choosing, so they cannot crowd other stories out."""
    from ..errors import IndexError_
    from ..index import current

    try:
        with current.using_index(store.dir) as index:
            hits = index.search(frame.text, k=k * (12 if exclude else 4), mode="hybrid")
    except IndexError_:  # no index built for this store: evidence is optional
        return []
    scored = []
    for hit in hits:
        if hit.doc_id in exclude:
            continue
        if frame.start is not None and hit.text.strip() == frame.text.strip():
            continue  # the claim itself
        stance, shared = passage_stance(frame, hit.text, hit.lang or frame.lang)
        record = hit.to_dict()
        record.update({"stance": stance, "shared": shared,
                       "score": round(float(hit.score) * (1 + 0.25 * len(shared)), 5)})
        scored.append(record)
    scored.sort(key=lambda r: (-(r["stance"] != "related"), -r["score"]))
    for rank, record in enumerate(scored[:k], 1):
        record["rank"] = rank
    return scored[:k]
