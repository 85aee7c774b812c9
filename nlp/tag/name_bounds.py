"""Which shortlisted names can reach a threshold: an upper bound on the pair scorer's score.

A list search scores about 40 shortlisted names fully (token alignment,
joined and merged forms, acronyms) and keeps the few at or above the
threshold; nearly all the others fall far short. :func:`reachable` bounds
the score of every candidate at once, from the word-pair similarities of
one matrix (rapidfuzz ``cdist``, in C) and a few exact checks, and marks
only the candidates whose bound reaches the threshold; the search scores
those and skips the rest, with the same result (a skipped name would have
been dropped).

Why the bound holds (:func:`nlp.tag.names.score_names` step by step):

* **words**: a word pair's similarity (``token_similarity``) is the better
  optimal string alignment similarity of the ASCII forms and of the
  skeletons, or a value the scorer puts in its place: for numbers and
  initials, and identical words, that value is used here too; a word on
  another's stem or a patronymic gets 0.5 (so no bound is below 0.5); one
  given name in two forms, 0.85 when their name symbols meet (so neither is
  a bound where they meet); the Arabic compound rule only lowers it. Words
  in their own script are compared as written, which the ASCII column
  covers;
* **names**: the plain comparison scores at most the mean, over the
  shorter name's words, of each word's best bound among the longer name's
  words (the alignment picks one partner each), less the cheapest penalty
  for each word of the longer name that cannot have a partner (a missing
  "1" costs nothing); the mismatch, one-word and bin/ibn rules only lower
  it. The whole-name comparisons (without spaces, with particles) replace
  it only when they reach 0.9, and they are computed exactly;
* **variants**: names with Arabic or Hebrew script (vowels compared apart),
  organisation names with a Russian word for a country ("Сбербанк России",
  also compared as "Sberbank Russia"), and pairs with a merged-word or
  acronym variant are always scored: those compare other word lists, so
  the bound does not cover them.

A candidate is skipped only when its bound is below the threshold by more
than float rounding could explain (``MARGIN``).

What it does not do: score names (:mod:`nlp.tag.names`) or choose
candidates (:class:`nlp.tag.names.ListMatcher`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .names import (
    _ABJAD,
    _RUSSIAN_COUNTRY,
    AFFIX_SIMILARITY,
    MERGE_SIMILARITY,
    ORG_SCHEMAS,
    SAME_NAME_SIMILARITY,
    NameForm,
    _acronym_variants,
    _given_name_symbols,
    _is_number,
    _lev_sim,
    _merged_variants,
    _whole_similarity,
    prepare,
    rules,
    skeleton,
)

MARGIN = 1e-9
WHOLE_NAME_MIN = 0.9  # the whole-name comparisons count from here (nlp.tag.names._score_forms)
MERGE_LENGTH_SLACK = 2  # a joined pair is compared with words this much longer or shorter (_merged_variants)


def token_bounds(query: Sequence[str], words: Sequence[str], schema: str) -> np.ndarray:
    """A matrix at least :func:`nlp.tag.names.token_similarity` of every
    query word (rows) and every word (columns), under the name symbols in
    effect."""
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import cdist

    plain = cdist(query, words, scorer=OSA.normalized_similarity, dtype=np.float64, workers=1)
    query_skeletons = [skeleton(t) for t in query]
    word_skeletons = [skeleton(t) for t in words]
    folded = cdist(query_skeletons, word_skeletons, scorer=OSA.normalized_similarity, dtype=np.float64, workers=1)
    bounds = np.maximum(np.maximum(plain, folded), AFFIX_SIMILARITY)
    special_rows = [i for i, t in enumerate(query) if len(t) == 1 or t.isdigit() or not query_skeletons[i]]
    special_cols = [j for j, t in enumerate(words) if len(t) == 1 or t.isdigit() or not word_skeletons[j]]
    for i in special_rows:
        for j in range(len(words)):
            bounds[i, j] = _special_bound(query[i], words[j])
    for j in special_cols:
        for i in range(len(query)):
            bounds[i, j] = _special_bound(query[i], words[j])
    if schema == "Person":
        rows = {i: _given_name_symbols(t) for i, t in enumerate(query)
                if i not in special_rows and t.isascii()}
        rows = {i: symbols for i, symbols in rows.items() if symbols}
        if rows:
            below = bounds < SAME_NAME_SIMILARITY
            for j in np.flatnonzero(below[list(rows)].any(axis=0)).tolist():
                word = words[j]
                if j in special_cols or not word.isascii():
                    continue
                symbols = _given_name_symbols(word)
                if symbols:
                    for i, query_symbols in rows.items():
                        if below[i, j] and query_symbols & symbols:
                            bounds[i, j] = SAME_NAME_SIMILARITY
    return bounds


def _special_bound(a: str, b: str) -> float:
    """The pair's similarity where a number, an initial or an empty skeleton
    is involved: exactly as the scorer computes it, or (an empty skeleton,
    which no rule makes of a word) an upper bound."""
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit():
        return 1.0 if a.lstrip("0") == b.lstrip("0") else rules()["number_mismatch"]
    if len(a) == 1 or len(b) == 1:
        return 0.9 if a[0] == b[0] else 0.0
    return max(_lev_sim(a, b), _lev_sim(skeleton(a), skeleton(b)), AFFIX_SIMILARITY, SAME_NAME_SIMILARITY)


def _always_scored(name: str, schema: str) -> bool:
    """Names whose score the bound does not cover (see the module docstring):
    Arabic or Hebrew script, and organisation names that change when Russian
    country words are written in English (the scorer compares them so too)."""
    if _ABJAD.search(name):
        return True
    return schema in ORG_SCHEMAS and bool(_RUSSIAN_COUNTRY.search(name)) and \
        prepare(name, schema, True) != prepare(name, schema)


def _may_merge(this: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether two adjacent words of ``this`` (no numbers) joined can be
    similar enough to a word of ``other`` for a merged variant: an edit
    distance is at least the difference of the lengths, and at least the
    number of distinct letters one string has and the other lacks."""
    if len(this) < 2:
        return False
    lengths = [len(t) for t in other]
    shortest, longest = min(lengths) - MERGE_LENGTH_SLACK, max(lengths) + MERGE_LENGTH_SLACK
    for i in range(len(this) - 1):
        n = len(this[i]) + len(this[i + 1])
        if n > longest or n < shortest or not any(abs(m - n) <= MERGE_LENGTH_SLACK for m in lengths) or \
                _is_number(this[i]) or _is_number(this[i + 1]):
            continue
        joined = this[i] + this[i + 1]
        if any(abs(len(t) - n) <= MERGE_LENGTH_SLACK and _edit_bound(joined, t) >= MERGE_SIMILARITY - MARGIN
               for t in other):
            return True
    return False


def _edit_bound(a: str, b: str) -> float:
    """At least the optimal string alignment similarity of two strings."""
    longer = max(len(a), len(b))
    if not longer:
        return 1.0
    only_a, only_b = set(a), set(b)
    distance = max(abs(len(a) - len(b)), len(only_a - only_b), len(only_b - only_a))
    return 1 - distance / longer


def _may_abbreviate(this: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether a word of ``this`` could be the initials of adjacent words of ``other``."""
    initials = "".join(t[0] for t in other)
    return any(2 <= len(t) <= 6 and t in initials for t in this)


def _has_variants(a: NameForm, b: NameForm, schema: str) -> bool:
    if (_may_merge(a.tokens, b.tokens) or _may_merge(b.tokens, a.tokens)) and _merged_variants(a, b):
        return True
    return schema in ORG_SCHEMAS and schema != "Vessel" and \
        (_may_abbreviate(a.tokens, b.tokens) or _may_abbreviate(b.tokens, a.tokens)) and \
        bool(_acronym_variants(a, b))


def plain_bounds(query: NameForm, forms: Sequence[NameForm], schema: str) -> np.ndarray:
    """At least the plain comparison's score (``_score_forms`` before the
    whole-name comparisons) of the query against each form (all with words)."""
    words: dict[str, int] = {}
    columns = [[words.setdefault(t, len(words)) for t in form.tokens] for form in forms]
    bounds = token_bounds(query.tokens, list(words), schema)
    flat = np.fromiter((c for cols in columns for c in cols), dtype=np.intp)
    sizes = np.array([len(cols) for cols in columns], dtype=np.intp)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    gathered = bounds[:, flat]
    # Query words as the shorter name: each row's best in the form's columns.
    query_short = np.maximum.reduceat(gathered, starts, axis=1).sum(axis=0) / len(query.tokens)
    # The form's words as the shorter name: each column's best among the query's words.
    form_short = np.add.reduceat(gathered.max(axis=0), starts) / sizes
    n = len(query.tokens)
    means = np.where(n <= sizes, query_short, form_short)
    cfg = rules()
    cheapest = max(0.0, min(cfg["place_token_penalty"], cfg["extra_token_penalty"].get(schema, 0.06)))
    ones_query = query.tokens.count("1")
    unpartnered = np.array([len(form.tokens) - n - form.tokens.count("1") if n <= len(form.tokens)
                            else n - len(form.tokens) - ones_query for form in forms], dtype=np.float64)
    return means - np.maximum(unpartnered, 0.0) * cheapest


def reachable(name: str, listed: Sequence[tuple[str, str]], threshold: float) -> list[bool]:
    """For each (listed name, its schema), whether ``score_names(name,
    listed name, schema)`` can be at least ``threshold``; False only when it
    certainly is not."""
    out = [True] * len(listed)
    if threshold <= 0:
        return out
    by_schema: dict[str, list[int]] = {}
    for k, (_, schema) in enumerate(listed):
        by_schema.setdefault(schema, []).append(k)
    for schema, positions in by_schema.items():
        query = prepare(name, schema)
        if _always_scored(name, schema):
            continue
        if not query.tokens:
            for k in positions:
                out[k] = False  # no letters or digits: the scorer gives 0
            continue
        bounded: list[int] = []
        for k in positions:
            listed_name = listed[k][0]
            if _always_scored(listed_name, schema):
                continue
            if not prepare(listed_name, schema).tokens:
                out[k] = False
                continue
            bounded.append(k)
        if not bounded:
            continue
        forms = [prepare(listed[k][0], schema) for k in bounded]
        plain = plain_bounds(query, forms, schema)
        for k, form, bound in zip(bounded, forms, plain.tolist()):
            if bound >= threshold - MARGIN:
                continue
            if len(query.tokens) != len(form.tokens):
                joined = _whole_similarity(query.joined, form.joined)
                if joined >= WHOLE_NAME_MIN and joined >= threshold - MARGIN:
                    continue
            if len(query.spelled) - len(query.joined) != len(form.spelled) - len(form.joined):
                spelled = _whole_similarity(query.spelled, form.spelled)
                if spelled >= WHOLE_NAME_MIN and spelled >= threshold - MARGIN:
                    continue
            if _has_variants(query, form, schema):
                continue
            out[k] = False
    return out
