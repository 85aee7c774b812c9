"""Small text facts every stage needs: language, dates, titles, corpus metadata.

* :func:`detect_lang` -- the script first (Cyrillic vs Latin letters, after
  dropping URLs, @handles and #tags, which are Latin in any language), then
  py3langid (a maintained, offline identifier; the langid.py model) among
  that script's languages only, on that script's words only;
  :func:`checked_lang` lets a confident detection overrule a declared
  language that the text contradicts (front matter saying ``en`` over a
  German article).
* :func:`parse_date` -- an ISO date from ISO strings or words in English and
  Russian (dateparser).
* :func:`title_from_text` -- a headline from the first lines of a text when
  the source gives none (never a number, a date, a photo credit).
* :func:`is_corpus_metadata` -- README, PROVENANCE, LICENSE and similar files
  describe a collection; they are not news.
* :func:`front_matter_end` / :func:`without_front_matter` -- a YAML
  front-matter header (``---`` lines) at the top of a text is metadata about
  the article; extraction reads the text with it blanked out, offsets kept.

What it does not do: decode bytes (:mod:`nlp.ingest.textutil`).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

LANGUAGES = ["en", "ru", "de", "fr", "uk", "kk", "es", "it", "nl", "pl", "ky", "hy"]
CYRILLIC_LANGS = frozenset({"ru", "uk", "kk", "ky"})

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z]")
# Latin in any language: links, handles, tags, e-mail addresses.
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|[@#][\w.]+|\]\([^)]*\)")
# A text is in Cyrillic script when at least this share of its letters
# (links and handles left out) are Cyrillic: a tie goes to Cyrillic, since
# Russian posts name brands and tickers in Latin ("Нефть Brent").
CYRILLIC_SHARE = 0.5
MIN_LETTERS = 20
# Enough letters to say which script a text is in.
SCRIPT_LETTERS = 8
# A declared language gives way to a detection at least this confident on
# at least this many letters.
OVERRULE_PROBABILITY = 0.95
OVERRULE_LETTERS = 400


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(LANGUAGES)
    return ident


def _classify(text: str, default: str) -> tuple[str, float, int]:
    sample = _NOISE.sub(" ", text[:5000])
    cyr, lat = len(_CYRILLIC.findall(sample)), len(_LATIN.findall(sample))
    if cyr + lat < MIN_LETTERS:
        return ("ru" if cyr > lat else default), 0.0, cyr + lat
    cyrillic_main = cyr >= CYRILLIC_SHARE * (cyr + lat)
    keep = _CYRILLIC if cyrillic_main else _LATIN
    words = " ".join(w for w in sample.split() if keep.search(w))
    lang, probability = _identifier().classify(words)
    if cyrillic_main and lang not in CYRILLIC_LANGS:
        lang = "ru"
    if not cyrillic_main and lang in CYRILLIC_LANGS:
        lang = default
    if lang in ("uk", "kk", "ky") and not re.search(r"[іїєґәғқңөұүһ]", sample, re.IGNORECASE):
        # Short Russian texts are often mistaken for neighbours; keep those
        # only when the letters that Russian lacks are actually there.
        lang = "ru"
    return lang, float(probability), cyr + lat


def detect_lang(text: str, default: str = "en") -> str:
    """ISO 639-1 code of the text's main language (see the module docstring)."""
    return _classify(text, default)[0]


def checked_lang(declared: str | None, text: str, default: str = "en") -> str:
    """The declared language, unless the text says otherwise clearly (another
    script, or a confident detection over a long enough text)."""
    detected, probability, letters = _classify(text, default)
    declared = (declared or "").strip().lower().split("-")[0].split("_")[0]
    if not declared:
        return detected
    if (declared in CYRILLIC_LANGS) != (detected in CYRILLIC_LANGS) and letters >= SCRIPT_LETTERS:
        return detected
    if detected != declared and letters >= OVERRULE_LETTERS and probability >= OVERRULE_PROBABILITY:
        return detected
    return declared


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


_CREDIT = re.compile(r"^(photo|фото|image|picture|источник|source|credit|read more|читайте|subscribe|подпишитесь)\b",
                     re.IGNORECASE)
# Page chrome a copied page starts with: the site's search box and menus.
_CHROME = re.compile(r"^(найти в|поиск|меню|главная|войти|поддержите|search|menu|home|skip to|sign in|log in|support|"
                     r"donate)\b", re.IGNORECASE)
_CHROME_WORD = re.compile(r"\b(menu|меню|loading|загрузка)\b", re.IGNORECASE)
# A markdown image or link keeps its text; its URL may hold balanced brackets.
_MARKUP = re.compile(r"!?\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)|[*_#>`~]+")
_LEADING_DATE = re.compile(r"^(?:date|дата)?\s*\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\s+", re.IGNORECASE)
# A dateline with a clock time, or a weather or rate widget ("+17", "€ 533.17").
_STAMP = re.compile(r"\b\d{1,2}:\d{2}\b|(?<![\w.])[+\u2212-]\d+°?(?!\S)")
TITLE_MAX_CHARS = 200


def _is_chrome(line: str, words: list[str]) -> bool:
    """Site furniture rather than a headline: menus, language switchers
    (``ua en ru``: every word two or three letters), datelines and widgets."""
    if _CHROME.match(line) or _CREDIT.match(line):
        return True
    if all(len(word) <= 3 for word in words):
        return True
    return len(words) <= 5 and bool(_STAMP.search(line) or _CHROME_WORD.search(line))


def title_from_text(text: str, *, lines: int = 8) -> str | None:
    """The first line of ``text`` that reads as a headline: some words, mostly
    letters, not a bare number or date, not a photo credit or page chrome
    (search box, menu, language switcher, dateline, weather), not too long."""
    for raw in [line for line in (text or "").splitlines() if line.strip()][:lines]:
        line = " ".join(_MARKUP.sub(r"\1", raw).split())
        line = _LEADING_DATE.sub("", line.lstrip("►▶•·*!-–—|> ")).strip(" -–—:|")
        words = re.findall(r"\w+", line)
        letters = sum(ch.isalpha() for ch in line)
        if len(words) < 3 or letters < 0.5 * len(line) or _is_chrome(line, words):
            continue
        if parse_date(line) and len(words) <= 4:
            continue
        if len(line) > TITLE_MAX_CHARS:
            cut = line[:TITLE_MAX_CHARS].rsplit(" ", 1)[0]
            return cut + "…"
        return line
    return None


_METADATA_NAMES = re.compile(
    r"^(readme|provenance|licen[cs]e|copying|notice|authors|contributors|changelog|changes|citation|"
    r"sources|manifest|datasheet|data_?card)([._-][a-z]{2})?(\.(md|txt|rst|markdown|html?|cff|ya?ml|json))?$",
    re.IGNORECASE)


def is_corpus_metadata(path: str | Path) -> bool:
    """A file that describes a collection (README, PROVENANCE, LICENSE, ...)."""
    return bool(_METADATA_NAMES.match(Path(path).name))


def file_name(path: str | None) -> str:
    """A source for display: a file's name, or a web page's site and path
    (``fergana.media/news/134091``: the last URL segment alone is often a
    bare id). A long path keeps the site and its last part."""
    if not path:
        return ""
    text = str(path)
    if re.match(r"https?://", text, re.IGNORECASE):
        from urllib.parse import urlsplit

        parts = urlsplit(text)
        host = (parts.hostname or "").removeprefix("www.")
        where = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
        shown = host + ("/" + where.lstrip("/") if where.strip("/") else "")
        if len(shown) > 80 and "/" in parts.path.strip("/"):
            shown = f"{host}/…/{parts.path.rstrip('/').rsplit('/', 1)[-1]}"
        return shown or text
    return re.split(r"[\\/]", text.rstrip("/\\"))[-1] or text


FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(\n|\Z)", re.S)


def front_matter_end(text: str) -> int:
    """Where a YAML front-matter header at the top of ``text`` ends (0: none)."""
    match = FRONT_MATTER.match(text)
    return match.end() if match else 0


def without_front_matter(text: str) -> str:
    """``text`` with its front-matter header blanked: every character but
    line breaks becomes a space, so offsets into the result index ``text``.

    The header's ``published_date: 2025-05-27T00:00:00`` or ``author:`` lines
    are not the article's prose; read as prose they turn into times, people
    and places the article never mentions.
    """
    end = front_matter_end(text)
    if not end:
        return text
    return re.sub(r"[^\n]", " ", text[:end]) + text[end:]
