"""spaCy Docs for hostile text without spaCy's slow paths.

What it does: :func:`make_safe_doc` tokenises like ``nlp.make_doc`` unless
the text holds a run without whitespace longer than 64 characters (spaCy's
tokenizer strips affixes one at a time, quadratic in a token's length: 8,000
``(`` take tens of seconds). Such a text is split into runs of at most 64
characters and whitespace, and the Doc is built from those words, so its text
is the text given, character for character, and offsets hold. Lone
surrogates, which spaCy cannot hash, become U+FFFD (same length).

What it does not do: run pipeline components (the caller does).
"""

from __future__ import annotations

import re

from .entities import MAX_TOKEN_CHARS

_LONG_RUN = re.compile(rf"\S{{{MAX_TOKEN_CHARS + 1},}}")
_PIECE = re.compile(rf"\S{{1,{MAX_TOKEN_CHARS}}}|\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def safe_text(text: str) -> str:
    """The text a safe Doc holds: lone surrogates as U+FFFD, nothing else changed."""
    return _SURROGATE.sub("\ufffd", text)


def make_safe_doc(nlp, text: str):
    text = safe_text(text)
    if not _LONG_RUN.search(text):
        return nlp.make_doc(text)
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    for m in _PIECE.finditer(text):
        piece = m.group()
        if not piece.isspace():
            words.append(piece)
            spaces.append(False)
            continue
        if words and not spaces[-1] and not words[-1].isspace() and piece[0] == " ":
            spaces[-1] = True
            piece = piece[1:]
        if piece:
            words.append(piece)
            spaces.append(False)
    return Doc(nlp.vocab, words=words, spaces=spaces)
