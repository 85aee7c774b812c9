"""Word keys of nomenclature descriptions: the evidence that a bare number is a goods code.

A number at the start of a table row or list item ("8471<TAB>Automatic
data-processing machines") is a code when the words next to it match that
code's description in a nomenclature; a paragraph number or an amount does
not have such words next to it. This module turns text into *keys* (lower
case word stems: the first five letters of each content word, so "machines",
"machinery" and Russian case forms meet) and compares them with the keys of a
code and of the levels above it (heading, HS6, CN8), read from
``nlp/data/hs_codes_valid/nomenclature_keys.tsv.gz``.

That file also lists which shipped editions hold each code (HS2022, HS2017,
CN2024, CN2023, TNVED2022), so a code from an older act is still a code and
the caller can say which edition matched. It is built by
``scripts/build_hs_keys.py`` from the HS, CN and TN VED EAEU nomenclatures in
the shared corpus (codes and description words only).

This module does not find numbers in text (see :mod:`nlp.extract.hs_codes`).
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache

from ..settings import DATA_DIR

KEYS_FILE = DATA_DIR / "hs_codes_valid" / "nomenclature_keys.tsv.gz"
EDITION_ORDER = ("HS2022", "HS2017", "CN2024", "CN2023", "TNVED2022")

_WORD = re.compile(r"[^\W\d_]{3,}")
# Words every description or row uses: they say nothing about which code.
STOPWORDS = frozenset("""
and the for with whether not other others thereof than that this their its into from
being such which used parts part nes n.e.s excluding including except those kind kinds
put including products goods articles article similar made heading headings subheading
chapter chapters new containing contained
и или для из с в на не по их прочие прочий прочая прочее кроме том числе части
также их его ее без при от до что как которые которых или либо
товары товаров изделия изделий группы группа позиции позиция субпозиции
""".split())


def keys(text: str) -> set[str]:
    """The content-word stems of a text (lower case, first five letters)."""
    out = set()
    for word in _WORD.findall(text.lower().replace("ё", "е")):
        if word in STOPWORDS:
            continue
        out.add(word[:5])
    return out


@dataclass(frozen=True)
class CodeKeys:
    editions: tuple[str, ...]
    keys: frozenset[str]


@lru_cache(maxsize=1)
def _table() -> dict[str, CodeKeys]:
    table: dict[str, CodeKeys] = {}
    with gzip.open(KEYS_FILE, "rt", encoding="utf-8") as handle:
        next(handle)  # header
        for line in handle:
            code, editions, words = line.rstrip("\n").split("\t")
            table[code] = CodeKeys(tuple(editions.split()), frozenset(words.split()))
    return table


def editions(code: str) -> tuple[str, ...]:
    """The shipped editions that list exactly this code (digits), newest first."""
    entry = _table().get(code)
    return entry.editions if entry else ()


def edition_of(code: str) -> str | None:
    """The newest edition listing the code, else the newest listing its
    longest listed prefix (a TARIC line under a CN8, a CN8 under an HS6)."""
    for size in range(len(code), 1, -2):
        found = editions(code[:size])
        if found:
            return found[0]
    return None


def code_keys(code: str) -> frozenset[str]:
    """Keys of the code's description and of the levels above it down to the
    heading (for a chapter: the chapter alone)."""
    table = _table()
    if len(code) <= 2:
        entry = table.get(code)
        return entry.keys if entry else frozenset()
    merged: set[str] = set()
    for size in (4, 6, 8, 10):
        if size > len(code):
            break
        entry = table.get(code[:size])
        if entry:
            merged |= entry.keys
    return frozenset(merged)


def overlap(code: str, text: str) -> tuple[int, int]:
    """(keys shared by the text and the code's descriptions, keys in the text)."""
    words = keys(text)
    return len(words & code_keys(code)), len(words)
