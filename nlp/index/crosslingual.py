"""Hybrid fusion legs for indexes that hold more than one language.

What it does: adds to the hybrid search of a multilingual index the legs
that reach passages in the other languages, and decides how much say each
language's lexical match gets:

* **prose partitions** -- the passages of each language are split into
  prose (news, regulations) and records (sanctions-list entries,
  nomenclature rows, tables). On the whole corpus 44,000 of the 45,000
  English passages are records: a dense list over "all English passages"
  is a list of list entries, and the English article that answers a Russian
  question sits below them. So each language's prose gets its own dense
  list: the query language's (``OWN_DENSE_WEIGHT``) and each other
  language's (``OTHER_DENSE_WEIGHT``, larger: the multilingual model scores
  a passage in another language lower than an equally relevant one in the
  query's language). The dense list over every passage stays, with
  ``ALL_DENSE_WEIGHT``, for the records.
* **word translation** -- the index's vocabulary per language (frequent
  words of prose passages) is embedded once with the index's multilingual
  model (``vocabulary.<g>.npz`` beside the index, written by ``sanctions
  index``); a query's words are replaced by their nearest words in the
  other language (cosine >= ``WORD_SIMILARITY``), remembered per word, and
  searched with BM25 inside that language.
* **lexical coverage and the language gate** -- how well the best passage of
  a language covers a list of words: its BM25 score over the sum of each
  word's best single-word score there. The gate compares the coverage of
  the query's words in its own language with that of the translated words
  in the other (:func:`comparative_gate`): 0.5 when equal, towards 1 when
  the own language covers the query better. The query-language lexical leg
  gets ``2 * gate * OWN_LEXICAL_WEIGHT``, the translated-words leg
  ``2 * (1 - gate) * WORD_WEIGHT``. Without a vocabulary (older indexes)
  the glossary alone translates (:mod:`nlp.index.glossary`) and the gate is
  the own coverage mapped linearly between ``GATE_LOW`` and ``GATE_HIGH``.
* **reference translations** -- each query word's neighbours are joined by
  its words in the product glossary and, for a country word, the country's
  name (:mod:`nlp.index.glossary`).

The weights were chosen on the corpus-wide cross-lingual and same-language
control sets (docs/search.md has the grid and the figures on a check set
written before the choice).

What it does not do: run the same-language searches or the fusion itself
(:mod:`nlp.index.search`, :mod:`nlp.index.fusion`); translate with a
translation model (single words only: no grammar, no phrases).
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

import numpy as np

from ..text import CYRILLIC_LANGS
from .glossary import country_codes, reference_words
from .lexical import terms

if TYPE_CHECKING:
    from .lexical import Bm25Index

# Kinds whose passages are running text (the rest are records).
PROSE_KINDS = ("news", "regulation")
# Fusion weights while the cross-language legs are on (see the docstring).
ALL_DENSE_WEIGHT = 0.3
OWN_DENSE_WEIGHT = 0.75
OTHER_DENSE_WEIGHT = 1.5
OWN_LEXICAL_WEIGHT = 1.5
WORD_WEIGHT = 1.0
# The gate: a coverage lead of COMPARE_SPREAD decides fully for one language.
COMPARE_SPREAD = 1.2
# Without a vocabulary: coverage below GATE_LOW gives the own lexical leg no
# say, above GATE_HIGH its full weight.
GATE_LOW = 0.2
GATE_HIGH = 0.4


@dataclass
class Leg:
    """One more ranked list for the fusion and its weight."""

    ranking: list[int]
    weight: float
    name: str

    def to_dict(self) -> dict:
        return {"name": self.name, "weight": self.weight, "size": len(self.ranking)}


@dataclass
class CrossPlan:
    """Weights of the two all-language lists (dense, query-words lexical)
    and the extra legs."""

    dense_weight: float
    lexical_weight: float
    legs: list[Leg]
    gate: float

    def to_dict(self) -> dict:
        return {"dense_weight": self.dense_weight, "lexical_weight": self.lexical_weight,
                "gate": self.gate, "legs": [leg.to_dict() for leg in self.legs]}


class LanguageMasks:
    """Boolean masks over the BM25 matrix columns per language (built once)."""

    def __init__(self, bm25: "Bm25Index", groups: dict[str, np.ndarray]):
        self.bm25 = bm25
        self.masks = {lang: np.isin(bm25.ids, ids) for lang, ids in groups.items()}

    def coverage(self, query: str, lang: str) -> float:
        """Best passage's BM25 score in ``lang`` over the sum of each query
        term's best score there (1.0: one passage holds every term at its
        best; 0.0: no term occurs)."""
        return self.coverage_of([[term] for term in dict.fromkeys(terms(query))], lang)

    def _group_scores(self, groups: list[list[str]]) -> list[np.ndarray]:
        """Per group of alternative terms, each passage's BM25 score for the
        best of them (one term of a group counts, not all its variants)."""
        retriever = self.bm25.retriever
        out = []
        for group in groups:
            token_ids = retriever.get_tokens_ids(group) if retriever is not None else []
            if token_ids:
                out.append(np.max([retriever.get_scores_from_ids([token]) for token in token_ids], axis=0))
        return out

    def coverage_of(self, groups: list[list[str]], lang: str) -> float:
        """Coverage of term groups (a query word and its alternatives): the
        best passage's summed group scores over the sum of each group's best
        score in ``lang``, so a word translated into three variants weighs
        as one word."""
        mask = self.masks.get(lang)
        if mask is None:
            return 0.0
        scores = self._group_scores(groups)
        best_single = sum(float(column[mask].max(initial=0.0)) for column in scores)
        if best_single <= 0.0:
            return 0.0
        return float(np.sum(scores, axis=0)[mask].max(initial=0.0)) / best_single

    def search(self, groups: list[list[str]], lang: str, k: int, allowed: np.ndarray | None) -> list[int]:
        """Passages of ``lang`` (and ``allowed``) by summed group scores."""
        mask = self.masks.get(lang)
        scores = self._group_scores(groups)
        if mask is None or not scores:
            return []
        if allowed is not None:
            mask = mask & np.isin(self.bm25.ids, allowed)
        total = np.where(mask, np.sum(scores, axis=0), 0.0)
        k = min(k, int(np.count_nonzero(total > 0)))
        if k <= 0:
            return []
        top = np.argpartition(-total, k - 1)[:k]
        top = top[np.argsort(-total[top], kind="stable")]
        return [int(self.bm25.ids[i]) for i in top]


def gate(coverage: float, low: float = GATE_LOW, high: float = GATE_HIGH) -> float:
    """Weight of the same-language lexical leg for this coverage (no vocabulary)."""
    if high <= low:
        return 1.0 if coverage >= high else 0.0
    return float(min(1.0, max(0.0, (coverage - low) / (high - low))))


def comparative_gate(own: float, translated: float, spread: float = COMPARE_SPREAD) -> float:
    """0.5 when the query's own words cover a passage of its language as
    well as its translated words cover one of the other language; 1 (0)
    when the own (translated) coverage is ahead by ``spread`` or more."""
    return float(min(1.0, max(0.0, 0.5 + (own - translated) / (2 * spread))))


def prose_ids(rows: Iterable[tuple[int, str | None, str | None]], langs: Iterable[str]) -> dict[str, np.ndarray]:
    """Passage ids of prose kinds per language, from (id, lang, kind) rows."""
    wanted = set(langs)
    out: dict[str, list[int]] = {lang: [] for lang in wanted}
    for pid, lang, kind in rows:
        if lang in wanted and kind in PROSE_KINDS:
            out[lang].append(int(pid))
    return {lang: np.array(sorted(ids), dtype=np.int64) for lang, ids in out.items()}


def plan(query: str, own: str, groups: dict[str, np.ndarray], prose: dict[str, np.ndarray],
         masks: LanguageMasks, vocabulary: "Vocabulary | None", embedder: Any,
         dense_in: Callable[[np.ndarray], list[int]], k: int, allowed: np.ndarray | None) -> CrossPlan | None:
    """The legs for a query in language ``own`` (None when ``own`` is not a
    language of the index: the plain hybrid applies)."""
    if own not in groups or len(groups) < 2:
        return None
    own_coverage = masks.coverage(query, own)

    def restricted(ids: np.ndarray) -> np.ndarray:
        return ids if allowed is None else np.intersect1d(ids, allowed, assume_unique=True)

    legs = [Leg(dense_in(restricted(prose.get(own, np.zeros(0, np.int64)))), OWN_DENSE_WEIGHT,
                f"dense-prose:{own}")]
    gates: list[float] = []
    word_groups: list[tuple[str, list[list[str]]]] = []
    for lang in groups:
        if lang == own:
            continue
        legs.append(Leg(dense_in(restricted(prose.get(lang, np.zeros(0, np.int64)))), OTHER_DENSE_WEIGHT,
                        f"dense-prose:{lang}"))
        words = vocabulary.translate_groups(query, own, lang, embedder) if vocabulary is not None \
            else reference_groups(query, lang)
        translated = [stems for stems in (list(dict.fromkeys(terms(" ".join(group)))) for group in words) if stems]
        if translated:
            word_groups.append((lang, translated))
        # The glossary alone translates a few words of a query: their coverage
        # would not be comparable with that of the whole query.
        if translated and vocabulary is not None:
            gates.append(comparative_gate(own_coverage, masks.coverage_of(translated, lang)))
        else:
            gates.append(gate(own_coverage))
    own_gate = min(gates, default=1.0)
    if allowed is not None and not np.intersect1d(groups[own], allowed).size:
        own_gate = 0.0  # the filters leave no passage in the query's language: only translations can match
    for lang, translated in word_groups:
        legs.append(Leg(masks.search(translated, lang, k, allowed), 2 * (1 - own_gate) * WORD_WEIGHT,
                        f"words:{lang}"))
    return CrossPlan(ALL_DENSE_WEIGHT, 2 * own_gate * OWN_LEXICAL_WEIGHT, [leg for leg in legs if leg.ranking],
                     own_gate)


def reference_groups(query: str, target: str) -> list[list[str]]:
    """Translations from reference data alone (:mod:`nlp.index.glossary`),
    for indexes written before the embedded vocabulary."""
    from .lexical import _stopwords

    groups = country_codes(query, target)
    for word in dict.fromkeys(_words(query, _stopwords())):
        found = list(reference_words(word, target))
        if found:
            groups.append(found)
    return groups


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
# Query words whose neighbours are remembered (per target language).
TRANSLATION_CACHE = 50_000
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
                cyrillic = lang in CYRILLIC_LANGS
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
    for source in langs:
        for target in langs:
            if source != target:
                ids, scores = neighbour_table(arrays[f"{source}.vectors"], arrays[f"{target}.vectors"])
                arrays[f"{source}>{target}.neighbours"] = ids
                arrays[f"{source}>{target}.similarity"] = scores
    final = directory / vocabulary_file(generation)
    tmp = final.with_name(final.name + ".tmp.npz")
    np.savez(tmp, **arrays)  # type: ignore[arg-type]
    os.replace(tmp, final)
    return final


def neighbour_table(source: np.ndarray, target: np.ndarray, n: int = WORD_NEIGHBOURS,
                    chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """For each source vector, the rows of its ``n`` nearest target vectors
    (int32) and their cosines (float16), best first."""
    n = min(n, len(target))
    ids = np.zeros((len(source), n), dtype=np.int32)
    scores = np.zeros((len(source), n), dtype=np.float16)
    if n == 0:
        return ids, scores
    target32 = np.asarray(target, dtype=np.float32)
    for start in range(0, len(source), chunk):
        similarity = np.asarray(source[start:start + chunk], dtype=np.float32) @ target32.T
        best = np.argpartition(-similarity, n - 1, axis=1)[:, :n]
        picked = np.take_along_axis(similarity, best, axis=1)
        order = np.argsort(-picked, axis=1, kind="stable")
        ids[start:start + chunk] = np.take_along_axis(best, order, axis=1)
        scores[start:start + chunk] = np.take_along_axis(picked, order, axis=1)
    return ids, scores


class Vocabulary:
    """A saved vocabulary: words and unit vectors per language, and (files
    written since the table was added) each word's nearest words in every
    other language, so that translating a known word needs no arithmetic."""

    def __init__(self, words: dict[str, list[str]], vectors: dict[str, np.ndarray],
                 tables: dict[str, tuple[np.ndarray, np.ndarray]] | None = None):
        self.words = words
        self.vectors = vectors
        self.tables = tables or {}  # "en>ru" -> (neighbour rows, cosines) per source word
        self._neighbours: dict[str, dict[str, list[str]]] = {}  # per "en>ru": word -> remembered neighbours
        self._word_rows: dict[str, dict[str, int]] = {}

    @classmethod
    def load(cls, path: Path) -> "Vocabulary":
        """The vocabulary saved by :func:`write_vocabulary`."""
        with np.load(path, allow_pickle=False) as data:
            langs = sorted({key.split(".")[0] for key in data.files if ">" not in key})
            return cls({lang: [str(w) for w in data[f"{lang}.words"]] for lang in langs},
                       {lang: data[f"{lang}.vectors"].astype(np.float32) for lang in langs},
                       {key.removesuffix(".neighbours"): (data[key], data[key.replace(".neighbours", ".similarity")])
                        for key in data.files if key.endswith(".neighbours")})

    def translate(self, query: str, query_lang: str, target: str, embedder) -> list[str]:
        """Words of ``target`` nearest to the query's words (see
        WORD_SIMILARITY), all groups of :meth:`translate_groups` in a row."""
        return [word for group in self.translate_groups(query, query_lang, target, embedder) for word in group]

    def translate_groups(self, query: str, query_lang: str, target: str, embedder) -> list[list[str]]:
        """Per query word, its nearest words in ``target`` (none under
        WORD_SIMILARITY: no group); Latin words of a Cyrillic query and
        numbers are carried over as groups of one. Each word's neighbours
        are remembered."""
        from .lexical import _stopwords

        vectors = self.vectors.get(target)
        if vectors is None or not len(vectors):
            return []
        words = list(dict.fromkeys(_words(query, _stopwords())))
        carried = [w for w in words if target not in CYRILLIC_LANGS and not _CYRILLIC.search(w)
                   and query_lang in CYRILLIC_LANGS]
        numbers = re.findall(r"\d[\d.,/]*\d|\d", query)
        asked = [w for w in words if w not in carried]
        cache = self._neighbours.setdefault(f"{query_lang}>{target}", {})
        table = self.tables.get(f"{query_lang}>{target}")
        rows = self._rows(query_lang)
        if table is not None:
            for word in asked:
                if word not in cache and word in rows:
                    ids, scores = table[0][rows[word]], table[1][rows[word]]
                    cache[word] = [self.words[target][i] for i, score in zip(ids, scores)
                                   if float(score) >= WORD_SIMILARITY]
        unknown = [w for w in asked if w not in cache]
        if unknown:
            if len(cache) > TRANSLATION_CACHE:
                cache.clear()
            similarity = self._vectors_of(unknown, query_lang, embedder) @ vectors.T
            n = min(WORD_NEIGHBOURS, len(vectors))
            for word, row in zip(unknown, similarity):
                best = np.argpartition(-row, n - 1)[:n]
                best = best[np.argsort(-row[best], kind="stable")]
                cache[word] = [self.words[target][i] for i in best if row[i] >= WORD_SIMILARITY]
        groups = [[word] for word in [*carried, *numbers]] + country_codes(query, target)
        alternatives = [list(dict.fromkeys([*cache[word], *reference_words(word, target)])) for word in asked]
        return groups + [group for group in alternatives if group]

    def _rows(self, lang: str) -> dict[str, int]:
        """Row of each word in the vocabulary of ``lang`` (built once)."""
        rows = self._word_rows
        if lang not in rows:
            rows[lang] = {word: row for row, word in enumerate(self.words.get(lang, []))}
        return rows[lang]

    def _vectors_of(self, words: list[str], lang: str, embedder) -> np.ndarray:
        """Unit vectors of these words: read from the vocabulary of ``lang``
        where it holds them (no model call), embedded otherwise."""
        rows = self._rows(lang)
        out = np.zeros((len(words), next(iter(self.vectors.values())).shape[1]), dtype=np.float32)
        missing = [i for i, word in enumerate(words) if word not in rows]
        for i, word in enumerate(words):
            if word in rows:
                out[i] = self.vectors[lang][rows[word]]
        if missing:
            out[missing] = np.asarray(embedder.encode([words[i] for i in missing]), dtype=np.float32)
        return out
