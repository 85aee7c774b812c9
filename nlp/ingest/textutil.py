"""Decoding, language detection and date parsing shared by the readers.

Choices: charset-normalizer guesses encodings when bytes are not UTF-8
(maintained, no C dependency); py3langid identifies languages (fast, offline,
restricted here to the languages the corpus has); dateparser reads dates
written in words in English and Russian ("7 июня 2024").
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from .registry import ReadError

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z]")
LANGUAGES = ["en", "ru", "de", "fr", "uk", "kk", "es", "it", "nl", "pl", "ky", "hy"]


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


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(LANGUAGES)
    return ident


def detect_lang(text: str, default: str = "en") -> str:
    """ISO 639-1 code of the text's main language.

    The script decides first (more Cyrillic or more Latin letters), then
    py3langid picks among that script's languages using only the words in
    that script, so a Russian quote in an English article (or the reverse)
    does not flip the verdict.
    """
    sample = text[:5000]
    cyr, lat = len(_CYRILLIC.findall(sample)), len(_LATIN.findall(sample))
    if cyr + lat < 20:
        return "ru" if cyr > lat else default
    cyrillic_main = cyr > lat
    keep = _CYRILLIC if cyrillic_main else _LATIN
    words = " ".join(w for w in sample.split() if keep.search(w))
    lang, _ = _identifier().classify(words)
    if cyrillic_main and lang not in _CYRILLIC_LANGS:
        lang = "ru"
    if not cyrillic_main and lang in _CYRILLIC_LANGS:
        lang = default
    if lang in ("uk", "kk", "ky") and not re.search(r"[іїєґәғқңөұүһ]", sample, re.I):
        # Short Russian texts are often mistaken for neighbours; keep those
        # only when the letters that Russian lacks are actually there.
        lang = "ru"
    return lang


_CYRILLIC_LANGS = {"ru", "uk", "kk", "ky"}


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_date(value: object, languages: list[str] | None = None) -> str | None:
    """An ISO date (YYYY-MM-DD) from a date-ish value, or None."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    text = str(value).strip()
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    import dateparser

    parsed = dateparser.parse(
        text, languages=languages or ["en", "ru"],
        settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"], "DATE_ORDER": "DMY"},
    )
    return parsed.date().isoformat() if parsed else None
