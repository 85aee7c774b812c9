"""Name matching across scripts: pairs, and names against the sanctions lists.

How two names are compared (:func:`score_names`):

1. **Clean** with rigour (OpenSanctions' name library): person honorifics
   are stripped ("President", "Mr"), company legal forms are rewritten to
   one compare form (``Aktiengesellschaft``/``AG``, ``ООО``/``LLC``,
   ``OAO``/``JSC``) and set aside, so they neither help nor hurt the match
   of the distinctive words.
2. **Transliterate** every script to ASCII with normality (ICU ``Any-Latin``:
   Cyrillic, Greek, Arabic, CJK, Thai, ...), lower-case, split into tokens,
   and drop particles (``al``, ``bin``, ``van``, ``the``).
3. **Compare tokens** by the better of two Levenshtein similarities: on the
   ASCII forms, and on a *skeleton* that folds common romanisation variants
   together (``kh``/``h``, ``zh``/``j``, ``y``/``i``, ``w``/``v``, double
   letters...; rules in ``nlp/data/names/rules.yaml``). One-letter tokens
   match as initials. Numbers must be equal.
4. **Align** tokens one-to-one with the Hungarian algorithm (scipy), so word
   order does not matter ("Shoigu Sergey" = "Sergey Shoigu"); also compare
   the names with spaces removed ("RamiMakhlouf").
5. **Score**: the mean similarity of the shorter name's tokens, pulled down
   when any token is a mismatch (a swapped surname or clan name is a
   different person), minus a small cost per extra token on the longer name
   (dropped middle names and patronymics are common, added places in
   company names are not). The threshold is chosen on the development pairs
   (``scripts/eval_names.py``) and kept in the rules file.

Against the lists (:class:`ListMatcher`), candidates come from an n-gram
index over every listed name and alias (character trigrams of the
skeleton), so a query touches a few hundred names, not all of them.

This module does not find names in text (see :mod:`nlp.extract.entities`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

import yaml

from ..settings import DATA_DIR
from .matcher_swap import SwappingCache

RULES_PATH = DATA_DIR / "names" / "rules.yaml"
ORG_SCHEMAS = {"Organization", "Company", "LegalEntity", "Entity", "Vessel", "Asset"}


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    data = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    data["_skeleton"] = [(re.compile(a), b) for a, b in data["skeleton"]]
    data["_particles"] = frozenset(data["particles"])
    return data


@lru_cache(maxsize=100_000)
def ascii_form(text: str) -> str:
    from normality import ascii_text

    return (ascii_text(text) or "").lower()


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    for pattern, replacement in rules()["_skeleton"]:
        token = pattern.sub(replacement, token)
    return token


_LEGAL_SPLIT = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class NameForm:
    """A name prepared for comparison."""

    raw: str
    tokens: tuple[str, ...]       # distinctive ASCII tokens
    legal_forms: tuple[str, ...]  # legal forms set aside (companies)

    @property
    def joined(self) -> str:
        return "".join(self.tokens)


@lru_cache(maxsize=100_000)
def prepare(name: str, schema: str = "Person") -> NameForm:
    from rigour.names import remove_person_prefixes, replace_org_types_compare

    text = name.strip()
    legal: list[str] = []
    if schema in ORG_SCHEMAS:
        compared = replace_org_types_compare(text)
        text = compared
    else:
        text = remove_person_prefixes(text)
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)  # "SiemensAG" -> "Siemens AG"
    folded = re.sub(r"['’ʼ`ʻ]", "", ascii_form(text))  # "HYO'K" is one syllable
    tokens = [t for t in _LEGAL_SPLIT.split(folded) if t]
    if schema in ORG_SCHEMAS:
        forms = _legal_form_tokens()
        legal = [t for t in tokens if t in forms]
        tokens = [t for t in tokens if t not in forms] or tokens
    numbers = rules()["numbers"]
    tokens = [numbers.get(t, t) for t in tokens]
    particles = rules()["_particles"]
    kept = [t for t in tokens if t not in particles] or tokens
    return NameForm(raw=name, tokens=tuple(kept), legal_forms=tuple(legal))


@lru_cache(maxsize=1)
def _legal_form_tokens() -> frozenset[str]:
    """Compare forms that rigour rewrites legal forms to, lower-cased."""
    from rigour.names import replace_org_types_compare

    samples = ["Aktiengesellschaft", "GmbH", "LLC", "Limited", "Ltd", "JSC", "OJSC", "OAO", "ZAO", "PJSC",
               "ООО", "АО", "ПАО", "ТОО", "Inc.", "Corporation", "Corp", "Company", "Co.", "S.A.", "S.L.",
               "B.V.", "N.V.", "plc", "SE", "A/S", "L.P.", "LLP", "Sp. z o.o.", "Joint Stock Company",
               "Limited Liability Company", "Open Joint Stock Company", "Gesellschaft mit beschränkter Haftung",
               "PT", "P.T.", "BVBA", "AB", "AG", "SA", "KG", "Trust"]
    forms: set[str] = set()
    for sample in samples:
        for token in _LEGAL_SPLIT.split(ascii_form(replace_org_types_compare(sample))):
            if token:
                forms.add(token)
    return frozenset(forms - {"trust"})


def _lev_sim(a: str, b: str) -> float:
    # Optimal string alignment: Levenshtein plus transpositions ("Donlad").
    from rapidfuzz.distance import OSA

    return OSA.normalized_similarity(a, b)


_ABJAD = re.compile(r"[\u0590-\u06FF\u0750-\u077F]")
_VOWELS = re.compile(r"[aeiouy]")


def token_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit():
        return 1.0 if a.lstrip("0") == b.lstrip("0") else 0.0
    if len(a) == 1 or len(b) == 1:
        return 0.9 if a[0] == b[0] else 0.0
    return max(_lev_sim(a, b), _lev_sim(skeleton(a), skeleton(b)))


def _align(short: tuple[str, ...], long: tuple[str, ...]) -> list[float]:
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    matrix = np.array([[token_similarity(a, b) for b in long] for a in short])
    rows, cols = linear_sum_assignment(-matrix)
    return [float(matrix[r, c]) for r, c in zip(rows, cols)]


def score_names(name1: str, name2: str, schema: str = "Person") -> tuple[float, str]:
    """Similarity in [0, 1] and a one-line explanation."""
    cfg = rules()
    a, b = prepare(name1, schema), prepare(name2, schema)
    if not a.tokens or not b.tokens:
        return 0.0, "a name has no letters or digits"
    short, long = (a, b) if len(a.tokens) <= len(b.tokens) else (b, a)
    sims = _align(short.tokens, long.tokens)
    if _ABJAD.search(name1 + name2):
        # Arabic and Hebrew script write few vowels: compare consonants too.
        consonants = [_lev_sim(_VOWELS.sub("", skeleton(x)), _VOWELS.sub("", skeleton(y)))
                      for x, y in zip(short.tokens, long.tokens)] if len(short.tokens) == len(long.tokens) else []
        sims = [max(s, 0.95 * c) for s, c in zip(sims, consonants)] if consonants else sims
    mean = sum(sims) / len(sims)
    weakest = min(sims)
    floor = cfg["token_floor"]
    score = mean if weakest >= floor else mean * (weakest / floor) ** 2 * 0.9
    extra = len(long.tokens) - len(short.tokens)
    penalty = cfg["extra_token_penalty"].get(schema, 0.06)
    if extra:
        score -= extra * penalty
        if len(short.tokens) == 1:
            score -= cfg["single_token_penalty"]
        elif extra > len(short.tokens):
            score -= cfg["outnumbered_penalty"]
    why = f"tokens {list(short.tokens)} ~ {list(long.tokens)}: mean {mean:.2f}, weakest {weakest:.2f}"
    if extra:
        why += f", {extra} extra token(s)"
    if extra:
        # Split or merged words ("RamiMakhlouf", "Patr ushev"): compare the
        # names with spaces removed, but only when the token counts differ.
        joined = max(_lev_sim(a.joined, b.joined), _lev_sim(skeleton(a.joined), skeleton(b.joined)))
        if joined >= 0.9 and joined > score:
            score, why = joined, f"whole names without spaces agree ({joined:.2f})"
    return max(0.0, min(1.0, score)), why


def _alternatives(name: str) -> list[str]:
    """"Al-Qa'ida/Islamic Army" names two alternatives."""
    parts = [p.strip() for p in name.split("/") if len(p.strip()) > 1]
    return parts if len(parts) > 1 and not re.search(r"\d/\d", name) else [name]


def match_pair(name1: str, name2: str, schema: str = "Person") -> dict[str, Any]:
    score, why = max((score_names(a, b, schema) for a in _alternatives(name1)
                      for b in _alternatives(name2)), key=lambda r: r[0])
    return {"name1": name1, "name2": name2, "score": round(score, 4),
            "match": score >= rules()["threshold"], "explanation": why}


# -- matching against the lists ------------------------------------------------

def _grams(text: str, n: int = 3) -> set[str]:
    padded = f" {text} "
    return {padded[i:i + n] for i in range(max(1, len(padded) - n + 1))}


SHORTLIST = 40  # names fully scored per query (of up to 200 trigram candidates)


class ListMatcher:
    """Listed names and aliases with a trigram index for candidate generation."""

    def __init__(self, entries: Iterable[Any]):
        self.entries: list[Any] = []
        self.names: list[tuple[int, str, str]] = []  # (entry index, name, schema)
        self.index: dict[str, list[int]] = defaultdict(list)
        self.keys: list[str] = []  # token-sorted skeleton per name, for the cheap second stage
        for entry in entries:
            position = len(self.entries)
            self.entries.append(entry)
            schema = "Person" if entry.schema == "Person" else \
                ("Vessel" if entry.schema == "Vessel" else "Organization")
            for name in dict.fromkeys(entry.names()):
                if not name or len(name) > 300:
                    continue
                name_id = len(self.names)
                self.names.append((position, name, schema))
                form = prepare(name, schema)
                self.keys.append(" ".join(sorted(skeleton(t) for t in form.tokens)))
                for gram in _grams(skeleton(" ".join(form.tokens))):
                    self.index[gram].append(name_id)

    @classmethod
    def from_store(cls, store) -> "ListMatcher":
        return cls(store.listings())

    def candidates(self, name: str, schema: str | None, limit: int = 200) -> list[int]:
        form = prepare(name, schema or "Person")
        grams = _grams(skeleton(" ".join(form.tokens)))
        counts: dict[int, int] = defaultdict(int)
        for gram in grams:
            postings = self.index.get(gram, ())
            if len(postings) > 5000:
                continue  # too common to tell names apart
            for name_id in postings:
                counts[name_id] += 1
        need = max(2, len(grams) // 3)
        ranked = sorted((c, i) for i, c in counts.items() if c >= need)
        return [i for _, i in ranked[::-1][:limit]]

    def shortlist(self, name: str, schema: str | None, size: int = SHORTLIST) -> list[int]:
        """Trigram candidates, narrowed by a cheap token-set similarity of the
        skeletons before the full (alignment) score is computed."""
        from rapidfuzz import fuzz, process

        candidates = self.candidates(name, schema)
        if len(candidates) <= size:
            return candidates
        key = " ".join(sorted(skeleton(t) for t in prepare(name, schema or "Person").tokens))
        choices = {name_id: self.keys[name_id] for name_id in candidates}
        return [name_id for _, _, name_id in
                process.extract(key, choices, scorer=fuzz.token_set_ratio, limit=size)]

    def search(self, name: str, schema: str | None = None, limit: int = 10,
               threshold: float | None = None) -> list[dict[str, Any]]:
        threshold = rules()["threshold"] if threshold is None else threshold
        best: dict[int, dict[str, Any]] = {}
        for name_id in self.shortlist(name, schema):
            position, listed, listed_schema = self.names[name_id]
            if schema and (schema == "Person") != (listed_schema == "Person"):
                continue
            score, why = score_names(name, listed, listed_schema)
            if score < threshold or (position in best and best[position]["score"] >= score):
                continue
            entry = self.entries[position]
            best[position] = {
                "score": round(score, 4), "matched_name": listed,
                "explanation": f"'{name}' ~ '{listed}' ({'alias' if listed != entry.name else 'primary name'}): {why}",
                "entry_id": entry.entry_id, "list_name": entry.list_name, "name": entry.name,
                "schema": entry.schema, "programme": entry.programme, "listing_date": entry.listing_date,
                "legal_act": entry.legal_act, "source_id": entry.source_id,
            }
        return sorted(best.values(), key=lambda m: -m["score"])[:limit]


_MATCHERS: SwappingCache[ListMatcher] = SwappingCache()


def list_matcher(store) -> ListMatcher:
    """One matcher per store, rebuilt when the number of listings changes:
    in the background, serving the previous one meanwhile (see :mod:`.matcher_swap`)."""
    from ..store import Store

    count = store.totals()["listings"]
    folder = store.dir

    def build() -> ListMatcher:
        with Store(folder) as own:  # the rebuild thread's own connection
            return ListMatcher.from_store(own)

    return _MATCHERS.get(str(store.path), count, build)
