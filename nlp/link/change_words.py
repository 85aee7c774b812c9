"""Direction of a claimed change read from word lemmas, English and Russian.

The verb and noun classes live in ``nlp/data/claims/vocab.yaml`` (``change_words``)
as dictionary forms ("surge", "dwindle", "edge up", «обвалиться», «подскочить»).
Both the entries and the sentence are normalised with :func:`nlp.products.norm`
(English Snowball stems, Russian pymorphy2 lemmas via natasha), so one entry covers
every inflection ("surged", "surging", «обвалились», «подскочил») and the nominal
forms that share a stem ("a dip", "a plunge"). An entry of several words is a
phrasal verb ("edge up", "tick down"); a ``flat`` entry may require a hedge before
it ("barely budge").

This module only classifies words; reading the size of a change is
:mod:`nlp.link.magnitudes`.
"""

from __future__ import annotations

import re
from functools import lru_cache

Change = tuple[str, int]  # (up / down / flat, character offset of the first word)


@lru_cache(maxsize=1)
def _classes() -> list[tuple[tuple[str, ...], str, tuple[str, ...]]]:
    """(normalised words, class, normalised hedges that must precede) — longest first."""
    from ..products import tokens
    from .frames import vocab

    table = vocab().get("change_words", {})
    entries: set[tuple[tuple[str, ...], str, tuple[str, ...]]] = set()
    for kind in ("up", "down", "flat"):
        for entry in table.get(kind, []):
            text, _, hedge = str(entry).partition("|")
            first, *rest = text.split()
            hedges = tuple(t for _, _, t in tokens(hedge))
            for form in _inflections(first):
                words = tuple(t for _, _, t in tokens(" ".join([form, *rest])))
                if words:
                    entries.add((words, kind, hedges))
    return sorted(entries, key=lambda e: (-len(e[0]), e))


def _inflections(word: str) -> list[str]:
    """An English dictionary form with its regular inflections ("nosedive" -> "nosedived",
    "nosediving"), since the stemmer does not always bring them to one stem; other
    words (Russian lemmas) as they are."""
    if not re.fullmatch(r"[a-z-]+", word):
        return [word]
    stem = word[:-1] if word.endswith("e") else word
    return [word, word + ("s" if not word.endswith(("s", "sh", "ch", "x")) else "es"), stem + "ed", stem + "ing"]


@lru_cache(maxsize=1)
def _by_first_word() -> dict[str, list[tuple[tuple[str, ...], str, tuple[str, ...]]]]:
    """:func:`_classes` grouped by their first normalised word, each group in
    the table's order (longest first): a word is compared only with the entries
    that can start at it, not with all of them."""
    groups: dict[str, list[tuple[tuple[str, ...], str, tuple[str, ...]]]] = {}
    for entry in _classes():
        groups.setdefault(entry[0][0], []).append(entry)
    return groups


@lru_cache(maxsize=1)
def _irregular() -> dict[str, str]:
    from .frames import vocab

    return {str(k).lower(): str(v) for k, v in (vocab().get("change_words", {}).get("irregular") or {}).items()}


def find_change(text: str, masked: list[tuple[int, int]] | None = None) -> Change | None:
    """The first change word of ``text`` outside ``masked`` spans, with its class."""
    from ..products import norm, tokens

    masked = masked or []
    irregular = _irregular()
    words = tokens(text)
    # English irregular past forms ("slid", "sank") are read as their dictionary form
    norms = [norm(irregular[text[a:b].lower()]) if text[a:b].lower() in irregular else w for a, b, w in words]
    by_first_word = _by_first_word()
    for i, (start, _end, _word) in enumerate(words):
        candidates = by_first_word.get(norms[i])
        if not candidates or any(a <= start < b for a, b in masked):
            continue
        for entry, kind, hedges in candidates:
            if tuple(norms[i:i + len(entry)]) != entry:
                continue
            if hedges and not (i and norms[i - 1] in hedges):
                continue
            return kind, start
    return None
