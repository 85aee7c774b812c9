"""One copy of each story: near-duplicate documents linked to a canonical one.

What it does: after ingest, every document gets a MinHash signature
(datasketch, 128 permutations) over its word 4-gram shingles (case-folded
words, any script), kept in ``doc_minhash``. Candidate pairs come from
MinHash LSH (``CANDIDATE_JACCARD``); a candidate pair is a copy when the
shingles of the shorter text are contained in the longer one
(``|A∩B| / min(|A|,|B|) >= COPY_CONTAINMENT``) -- containment, not
Jaccard, because copies are often excerpts (a news site's lead paragraphs
of a longer article; a repost with a channel footer). Copies form
stories (union-find); each story's canonical document is the fullest one
(longest text, then the earliest published, then the smallest id); the
others are rows of ``doc_copies`` (doc_id -> canonical, containment).
:meth:`Store.copies_of` reads them; search shows one hit per story and
evidence never cites a claim's own story. Texts under ``MIN_SHINGLES``
shingles (one-line posts) are only linked when their normalised text is
identical.

The threshold was measured on the corpus: ``scripts/eval_dedup.py`` scores
every LSH candidate pair; 36 of them, sampled across containment bins, are
hand-labelled in ``corpus/gold/dedup_pairs.jsonl``; at 0.6 precision and
recall on that sample are 0.93 and 0.93 (0.5: 0.78/1.0; 0.7: 0.95/0.68).
Below 0.6 the pairs are mostly template posts about different events
("... liberated the village of X") or shared channel footers.

What it does not do: delete anything -- copies stay in the store and in the
index; only their presentation changes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

NUM_PERM = 128
SHINGLE_WORDS = 4
MIN_SHINGLES = 8
CANDIDATE_JACCARD = 0.3
COPY_CONTAINMENT = 0.6

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    words = [w.casefold() for w in _WORD.findall(text or "")]
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def signature(grams: Iterable[str]) -> np.ndarray:
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=1)
    minhash.update_batch([g.encode("utf-8") for g in grams])
    return minhash.hashvalues.astype(np.uint64)


def containment(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@dataclass
class DedupSummary:
    documents: int = 0
    signed: int = 0
    candidate_pairs: int = 0
    copies: int = 0
    stories: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def candidate_pairs(signatures: dict[str, np.ndarray], threshold: float = CANDIDATE_JACCARD) -> set[tuple[str, str]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    hashes = {}
    for doc_id, values in signatures.items():
        minhash = MinHash(num_perm=NUM_PERM, seed=1, hashvalues=values)
        hashes[doc_id] = minhash
        lsh.insert(doc_id, minhash)
    pairs = set()
    for doc_id, minhash in hashes.items():
        for other in lsh.query(minhash):
            if other != doc_id:
                pairs.add((min(doc_id, other), max(doc_id, other)))
    return pairs


def _exact_key(text: str) -> str:
    return hashlib.sha1(" ".join(w.casefold() for w in _WORD.findall(text or "")).encode()).hexdigest()


def unsigned_documents(store) -> int:
    """Documents that have no signature yet (new, or from before dedup existed)."""
    return store.unsigned_count()


def link_duplicates(store, *, threshold: float = COPY_CONTAINMENT) -> DedupSummary:
    """Sign new documents and rewrite the store's story links."""
    summary = DedupSummary()
    known = store.signed_ids()
    rows = store.signable_texts()
    summary.documents = len(rows)
    fresh: list[tuple[str, int, bytes | None, str]] = []
    for doc_id, text in rows:
        if doc_id in known:
            continue
        grams = shingles(text)
        if len(grams) >= MIN_SHINGLES:
            fresh.append((doc_id, len(grams), signature(grams).tobytes(), _exact_key(text)))
        else:
            fresh.append((doc_id, len(grams), None, _exact_key(text)))
    store.save_signatures(fresh)
    summary.signed = len(fresh)

    signatures = {doc_id: np.frombuffer(blob, dtype=np.uint64) for doc_id, blob in store.signatures().items()}
    texts = dict(rows)
    pairs = candidate_pairs(signatures)
    summary.candidate_pairs = len(pairs)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    similarity: dict[str, float] = {}
    cache: dict[str, set[str]] = {}
    for a, b in sorted(pairs):
        if a not in texts or b not in texts:
            continue
        sa = cache.setdefault(a, shingles(texts[a]))
        sb = cache.setdefault(b, shingles(texts[b]))
        score = containment(sa, sb)
        if score >= threshold:
            parent[find(a)] = find(b)
            for doc in (a, b):
                similarity[doc] = max(similarity.get(doc, 0.0), score)
    by_key: dict[str, list[str]] = {}
    for doc_id, key in store.unsigned_keys():
        if doc_id in texts:
            by_key.setdefault(key, []).append(doc_id)
    for same in by_key.values():
        for doc in same[1:]:
            parent[find(doc)] = find(same[0])
            similarity[doc] = similarity[same[0]] = 1.0

    meta = {doc_id: (size, published or "9999", doc_id)
            for doc_id, (size, published) in store.document_sizes().items()}
    stories: dict[str, set[str]] = {}
    for doc in {*parent, *parent.values()}:
        stories.setdefault(find(doc), set()).add(doc)
    links: list[tuple[str, str, float]] = []
    for group in stories.values():
        ordered = sorted(group, key=lambda d: (-meta[d][0], meta[d][1], meta[d][2]))
        canonical = ordered[0]
        links.extend((doc, canonical, round(similarity.get(doc, 1.0), 4)) for doc in ordered[1:])
    store.replace_copies(links)
    summary.copies = len(links)
    summary.stories = len(stories)
    return summary
