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
* **word translation** -- the index's vocabulary per language (frequent
  words of prose passages) is embedded once with the index's multilingual
  model (``vocabulary.<g>.npz`` beside the index, written by ``sanctions
  index``); a query's words are replaced by their nearest words in the
  other language (cosine >= ``WORD_SIMILARITY``) and searched with BM25
  there. When the vocabulary exists, the gate compares the two coverages
  (own words in the own language against translated words in the other,
  :func:`comparative_gate`) instead of using the fixed bounds.
* **pseudo-relevance lexical leg** -- the multilingual model's best
  passages in each other language stand in for a translation of the query:
  the stems shared by at least two of them are searched with BM25 inside
  that language.

What it does not do: run the same-language searches or the fusion itself
(:mod:`nlp.index.search`, :mod:`nlp.index.fusion`); translate with a
dictionary or a translation model (word neighbours only: no grammar, no
phrases).
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from .lexical import terms

if TYPE_CHECKING:
    from .lexical import Bm25Index

# Coverage below GATE_LOW: the same-language lexical leg gets no say; above
# GATE_HIGH: its full weight (chosen on the corpus-wide cross-lingual and
# same-language control sets; the grid is in docs/search.md).
GATE_LOW = 0.2
GATE_HIGH = 0.4
# With translated words: the gate compares the two coverages (see
# comparative_gate); a lead of this much decides fully for one language.
COMPARE_SPREAD = 0.2
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


def comparative_gate(own: float, translated: float, spread: float = COMPARE_SPREAD) -> float:
    """Weight of the same-language lexical leg from the two coverages: 0.5
    when the query's own words cover a passage of its language as well as
    its translated words cover one of the other language; 1 (0) when the
    own (translated) coverage is ahead by ``spread`` or more."""
    return float(min(1.0, max(0.0, 0.5 + (own - translated) / (2 * spread))))


def other_language_legs(query_lang: str, groups: dict[str, np.ndarray], gates: dict[str, float],
                        dense_in: Callable[[np.ndarray], list[int]],
                        passage_terms: Callable[[list[int]], list[list[str]]],
                        bm25_in: Callable[[str, np.ndarray], list[int]],
                        allowed: np.ndarray | None,
                        translations: dict[str, list[str]] | None = None) -> list[Leg]:
    """For each language of the index other than the query's, with that
    language's gate g: the dense ranking inside it (weight
    ``OTHER_DENSE_WEIGHT * (1 - g)``), the query's words translated through
    the vocabulary (``WORD_WEIGHT * max(WORD_FLOOR, 1 - g)``) and the
    pseudo-relevance lexical leg (``TRANSLATED_WEIGHT``)."""
    legs: list[Leg] = []
    for lang, ids in groups.items():
        if lang == query_lang:
            continue
        subset = ids if allowed is None else np.intersect1d(ids, allowed, assume_unique=True)
        if len(subset) == 0:
            continue
        gate_weight = gates.get(lang, 1.0)
        ranking = dense_in(subset)
        if gate_weight < 1.0 and ranking:
            legs.append(Leg(ranking, OTHER_DENSE_WEIGHT * (1.0 - gate_weight), f"dense:{lang}"))
        translated = (translations or {}).get(lang) or []
        if translated:
            legs.append(Leg(bm25_in(" ".join(translated), subset),
                            WORD_WEIGHT * max(WORD_FLOOR, 1.0 - gate_weight), f"words:{lang}"))
        top = ranking[:TRANSLATED_PASSAGES]
        if len(top) < 2:
            continue
        shared = shared_terms(passage_terms(top))
        if shared:
            legs.append(Leg(bm25_in(" ".join(shared), subset), TRANSLATED_WEIGHT, f"translated:{lang}"))
    return legs


# -- word translation through the multilingual model ---------------------------

# The index's vocabulary per language: words of prose passages (not listing
# entries, tables or reference files, whose words are names and codes), seen
# at least twice, the most frequent first, embedded one by one. A query word
# is "translated" into each of its nearest words in another language whose
# cosine is at least WORD_SIMILARITY (at most WORD_NEIGHBOURS of them);
# numbers and Latin words in a Cyrillic query are carried over as they are.
VOCABULARY_KINDS = ("news", "regulation")
VOCABULARY_SIZE = 20_000
WORD_SIMILARITY = 0.75
WORD_NEIGHBOURS = 3
WORD_WEIGHT = 1.0
WORD_FLOOR = 0.5
_WORD = re.compile(r"[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё\-]+")
_CYRILLIC = re.compile(r"[а-яё]")


def vocabulary_file(generation: int) -> str:
    return f"vocabulary.{generation}.npz"


def _words(text: str, stop: frozenset[str]) -> list[str]:
    return [w for w in (m.group(0).lower() for m in _WORD.finditer(text)) if len(w) > 2 and w not in stop]


def write_vocabulary(directory: Path, passages_file: str, generation: int, embedder: Callable[[], Any],
                     share: float = 0.05) -> Path | None:
    """Embed the vocabulary of each language holding at least ``share`` of
    the passages and save it beside the index (``vocabulary.<g>.npz``);
    files of other generations are removed. None when the index holds one
    language (nothing to translate into; the model is not loaded then).
    ``embedder`` returns the index's embedder."""
    from .lexical import _stopwords

    stop = _stopwords()
    db = sqlite3.connect(f"file:{directory / passages_file}?mode=ro", uri=True)
    try:
        sizes = dict(db.execute("SELECT lang, COUNT(*) FROM passages GROUP BY lang").fetchall())
        total = sum(sizes.values()) or 1
        langs = sorted(lang for lang, n in sizes.items() if n >= share * total)
        if len(langs) < 2:
            return None
        counts: dict[str, Counter[str]] = {lang: Counter() for lang in langs}
        marks = ",".join("?" * len(VOCABULARY_KINDS))
        for text, lang in db.execute(f"SELECT text, lang FROM passages WHERE kind IN ({marks})",
                                     VOCABULARY_KINDS):
            if lang in counts:
                cyrillic = lang in ("ru", "uk", "kk", "ky", "be", "bg", "sr")
                counts[lang].update(w for w in _words(text, stop) if bool(_CYRILLIC.search(w)) == cyrillic)
    finally:
        db.close()
    for old in directory.glob("vocabulary.*.npz"):
        old.unlink(missing_ok=True)
    model = embedder()
    arrays: dict[str, np.ndarray] = {}
    for lang in langs:
        words = [w for w, n in counts[lang].most_common(VOCABULARY_SIZE) if n >= 2]
        vectors = model.encode(words) if words else np.zeros((0, model.dim), dtype=np.float32)
        arrays[f"{lang}.words"] = np.array(words, dtype=object).astype(str)
        arrays[f"{lang}.vectors"] = np.asarray(vectors, dtype=np.float16)
    final = directory / vocabulary_file(generation)
    tmp = final.with_name(final.name + ".tmp.npz")
    np.savez(tmp, **arrays)  # type: ignore[arg-type]
    os.replace(tmp, final)
    return final


class Vocabulary:
    """A saved vocabulary: words and unit vectors per language."""

    def __init__(self, path: Path):
        with np.load(path, allow_pickle=False) as data:
            langs = sorted({key.split(".")[0] for key in data.files})
            self.words = {lang: [str(w) for w in data[f"{lang}.words"]] for lang in langs}
            self.vectors = {lang: data[f"{lang}.vectors"].astype(np.float32) for lang in langs}

    def translate(self, query: str, query_lang: str, target: str, embedder) -> list[str]:
        """Words of ``target`` nearest to the query's words (see WORD_SIMILARITY)."""
        from .lexical import _stopwords

        vectors = self.vectors.get(target)
        if vectors is None or not len(vectors):
            return []
        words = list(dict.fromkeys(_words(query, _stopwords())))
        carried = [w for w in words if target not in ("ru", "uk", "kk", "ky") and not _CYRILLIC.search(w)
                   and query_lang in ("ru", "uk", "kk", "ky")]
        numbers = re.findall(r"\d[\d.,/]*\d|\d", query)
        asked = [w for w in words if w not in carried]
        out = list(carried) + numbers
        for word in asked:
            out += self.neighbours(word, target, embedder)
        return out

    # -- one word's neighbours, remembered per word (a query's words recur across queries) --
    NEIGHBOUR_CACHE = 100_000

    def neighbours(self, word: str, target: str, embedder) -> list[str]:
        """Words of ``target`` nearest to ``word`` (cosine >= WORD_SIMILARITY), computed
        for the word alone so that the answer does not depend on the query around it."""
        cache = self.__dict__.setdefault("_neighbours", {})
        key = (word, target, getattr(embedder, "name", None) or id(embedder))
        found = cache.get(key)
        if found is None:
            row = self.vectors[target] @ embedder.encode([word])[0]
            best = np.argsort(-row)[:WORD_NEIGHBOURS]
            found = [self.words[target][i] for i in best if row[i] >= WORD_SIMILARITY]
            if len(cache) >= self.NEIGHBOUR_CACHE:
                cache.clear()
            cache[key] = found
        return list(found)
