"""Decoding shared by the readers; language detection and date parsing
re-exported from :mod:`nlp.text`.

Choices: charset-normalizer guesses encodings when bytes are not UTF-8
(maintained, no C dependency); py3langid identifies languages and
dateparser reads dates (see :mod:`nlp.text`).
"""

from __future__ import annotations

from ..text import LANGUAGES, checked_lang, detect_lang, parse_date  # noqa: F401 (the readers' imports)
from .registry import ReadError

_PREFERRED = {"cp1251": 0, "koi8_r": 1, "cp1252": 2, "utf_16": 3, "latin_1": 4}


def decode_text(data: bytes) -> tuple[str, dict]:
    """Bytes to text, saying how: UTF-8 first, then a confident guess.

    A handful of stray bytes in otherwise UTF-8 data (seen in real exports)
    are replaced with U+FFFD and counted in the returned notes.
    """
    if not data.strip():
        raise ReadError("empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), {"encoding": "utf-8"}
    except UnicodeDecodeError:
        pass
    lossy = data.decode("utf-8", errors="replace")
    bad = lossy.count("\ufffd")
    if bad <= max(3, len(data) // 100_000):
        return lossy, {"encoding": "utf-8", "replaced_bytes": bad}
    from charset_normalizer import from_bytes

    # Among near-equal guesses prefer the encodings this domain really meets
    # (Windows-1251 and KOI8-R for Russian, Windows-1252 for Western text):
    # on short texts mac_cyrillic and cp1251 are otherwise a coin toss.
    guesses = [g for g in from_bytes(data[:2_000_000]) if g.encoding]
    best = min(guesses, key=lambda g: (round(g.chaos, 2), _PREFERRED.get(g.encoding, 99)),
               default=None)
    if best is None:
        raise ReadError("undecodable bytes: not UTF-8 and no confident encoding guess")
    text = data.decode(best.encoding, errors="strict")
    controls = sum(1 for ch in text[:100_000] if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > len(text[:100_000]) * 0.01:
        raise ReadError(f"undecodable bytes: looks binary (best guess {best.encoding})")
    return text, {"encoding": best.encoding}
