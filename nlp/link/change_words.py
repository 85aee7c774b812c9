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

from functools import lru_cache

Change = tuple[str, int]  # (up / down / flat, character offset of the first word)


@lru_cache(maxsize=1)
def _classes() -> list[tuple[tuple[str, ...], str, tuple[str, ...]]]:
    """(normalised words, class, normalised hedges that must precede) — longest first."""
    from ..products import tokens
    from .frames import vocab

    table = vocab().get("change_words", {})
    entries: list[tuple[tuple[str, ...], str, tuple[str, ...]]] = []
    for kind in ("up", "down", "flat"):
        for entry in table.get(kind, []):
            text, _, hedge = str(entry).partition("|")
            words = tuple(t for _, _, t in tokens(text))
            hedges = tuple(t for _, _, t in tokens(hedge))
            if words:
                entries.append((words, kind, hedges))
    return sorted(entries, key=lambda e: -len(e[0]))


def find_change(text: str, masked: list[tuple[int, int]] | None = None) -> Change | None:
    """The first change word of ``text`` outside ``masked`` spans, with its class."""
    from ..products import tokens

    masked = masked or []
    words = tokens(text)
    norms = [w for _, _, w in words]
    for i, (start, _end, _word) in enumerate(words):
        if any(a <= start < b for a, b in masked):
            continue
        for entry, kind, hedges in _classes():
            if tuple(norms[i:i + len(entry)]) != entry:
                continue
            if hedges and not (i and norms[i - 1] in hedges):
                continue
            return kind, start
    return None
