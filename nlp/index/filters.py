"""Search filters: what an analyst may ask for, checked and put in compare form.

What it does: holds :class:`Filters` (kind, language, date range, HS code,
CHP tier, entity, country), validates them with one clear message per
mistake (an impossible date such as ``2024-13-45`` is a ``ValueError``, which
the CLI prints as one line and the web app answers with 400), and turns each
value into the form the filter tables of :mod:`nlp.index.facets` hold:

* dates -> integer bounds ``YYYYMMDD`` (``2024`` covers 20240000..20249999);
* HS codes -> digits only (``8542.31`` -> ``854231``), matched as a prefix;
* entities -> :func:`entity_key`: Unicode-normalised, quotes and apostrophes
  dropped (``O’Sullivan`` = ``O'Sullivan`` = ``OSullivan``), every script
  transliterated to ASCII (``Сбербанк`` = ``Sberbank``), case folded;
* countries -> ISO 3166-1 alpha-2 or aggregate codes through the project's
  one resolver, :mod:`nlp.countries` (``KZ``, ``KAZ``, ``Kazakhstan`` and
  ``Казахстана`` are the same filter).

What it does not do: look anything up in an index (see :mod:`nlp.index.facets`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from typing import Any

MODES = ("hybrid", "dense", "lexical")


@dataclass
class Filters:
    kind: str | None = None
    lang: str | None = None
    since: str | None = None
    until: str | None = None
    hs: str | None = None
    chp_tier: str | None = None
    entity: str | None = None
    country: str | None = None

    def active(self) -> bool:
        return any(v not in (None, "") for v in asdict(self).values())

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def date_bound(value: str, what: str, *, upper: bool) -> int:
    """``YYYY[-MM[-DD]]`` as an integer ``YYYYMMDD``; a partial date covers its
    whole period (the lower bound starts it, the upper bound ends it).

    >>> date_bound("2024-06", "since", upper=False), date_bound("2024-06", "until", upper=True)
    (20240600, 20240699)
    """
    text = str(value).strip()
    m = _DATE.fullmatch(text)
    if not m:
        raise ValueError(f"{what} must be a date YYYY[-MM[-DD]], not {text[:40]!r}")
    year, month, day = int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None
    try:
        date(year if year > 0 else 1, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"{what} is not a calendar date: {text[:40]!r}") from None
    if month is None:
        return year * 10000 + (9999 if upper else 0)
    if day is None:
        return year * 10000 + month * 100 + (99 if upper else 0)
    return year * 10000 + month * 100 + day


def interval_bounds(start: str | None, end: str | None) -> tuple[int, int] | None:
    """Integer bounds of a stored interval (ISO, possibly partial), or None."""
    if not start or not re.match(r"\d{4}", str(start)):
        return None
    end = end or start
    if not re.match(r"\d{4}", str(end)):
        end = start
    try:
        low = date_bound(str(start)[:10], "start", upper=False)
        high = date_bound(str(end)[:10], "end", upper=True)
    except ValueError:
        return None
    return (low, high) if low <= high else (high, low)


def date_range(filters: Filters) -> tuple[int, int] | None:
    """The filter's date range as integer bounds, checked; None when unset."""
    if not filters.since and not filters.until:
        return None
    low = date_bound(filters.since, "since", upper=False) if filters.since else 0
    high = date_bound(filters.until, "until", upper=True) if filters.until else 99999999
    if low > high:
        raise ValueError(f"since ({filters.since}) is after until ({filters.until})")
    return low, high


def hs_digits(code: str) -> str:
    return re.sub(r"[^0-9]", "", code or "")


def checked_hs(code: str) -> str:
    digits = hs_digits(code)
    if not digits or not re.fullmatch(r"[0-9][0-9 .\-]*", code.strip()) or len(digits) > 10:
        raise ValueError(f"not an HS code: {code!r} (give a chapter, heading or code: 85, 8542, 8542.31)")
    return digits


_QUOTES = re.compile(r"[\"'`´‘’‚‛“”„‟«»‹›ʹʺʻʼʽˈ′″]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=200_000)
def entity_key(name: str) -> str:
    """One compare form for an entity name: quotes and apostrophes dropped,
    any script in ASCII, case folded, punctuation as single spaces.

    >>> entity_key("David O’Sullivan") == entity_key("DAVID O'SULLIVAN")
    True
    """
    from normality import ascii_text

    text = unicodedata.normalize("NFKC", str(name))
    text = _QUOTES.sub("", text)
    text = (ascii_text(text) or "").lower()
    return " ".join(_NON_WORD.sub(" ", text).split())


def country_codes(value: str) -> tuple[str, ...]:
    """Codes a country filter accepts: the resolved code of an ISO code or an
    English or Russian name; an error for a value that names no country."""
    from ..countries import resolve

    text = str(value).strip()
    country = resolve(text)
    if country is None:
        raise ValueError(f"not a country: {text[:60]!r} (give an ISO code such as KZ or a name)")
    return (country.code,)


def tier_key(value: Any) -> str:
    return str(value).strip().upper()


def checked_tier(value: Any) -> str:
    """A CHP tier as stored (``3a`` -> ``3A``); an error for one the list does not have."""
    from ..reference import tier_order

    key = tier_key(value)
    if key not in tier_order():
        raise ValueError(f"not a CHP tier: {str(value).strip()[:20]!r} (one of {', '.join(tier_order())})")
    return key


def checked_kind(value: Any) -> str:
    """A document kind from the project's vocabulary; an error for any other word."""
    from ..records import KINDS

    kind = str(value).strip()
    if kind not in KINDS:
        raise ValueError(f"not a document kind: {kind[:40]!r} (one of {', '.join(KINDS)})")
    return kind
