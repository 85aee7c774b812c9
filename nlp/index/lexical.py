"""Lexical side of search: stemmed terms for an SQLite FTS5 BM25 index.

What it does: turns text into lower-cased, stop-word-free, stemmed terms
(PyStemmer's Snowball stemmers: Russian for Cyrillic words, English for the
rest, so mixed-language collections and queries work), and builds the FTS5
``MATCH`` expression that ORs a query's terms. Ranking is FTS5's built-in
``bm25()`` (k1 = 1.2, b = 0.75).

Why FTS5 rather than bm25s: FTS5 updates in place (adding or deleting a
document touches only its rows), lives in the same SQLite file as the
passage table so one transaction keeps both in step, and filters are plain
SQL. Stop-word lists are bm25s's (English and Russian).

What it does not do: run the query (see :mod:`nlp.index.store_index`).
"""

from __future__ import annotations

import re
from functools import lru_cache

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
    """What goes into the FTS5 column: the stems separated by spaces."""
    return " ".join(terms(text))


def match_expression(query: str) -> str | None:
    """FTS5 query ORing the query's distinct stems; None when nothing is left."""
    seen: list[str] = []
    for term in terms(query):
        if term not in seen:
            seen.append(term)
    if not seen:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in seen)
