"""Date and time expressions in English and Russian, normalised to TimeML TIMEX3.

``find_dates(text, lang, published)`` returns one dict per expression::

    {"start", "end", "text", "type", "value", "mod", "interval"}

``type`` is DATE/TIME/DURATION/SET; ``value`` a TIMEX3 value (``2024-06-17``,
``2023-Q4``, ``P3M``, ``PRESENT_REF``...); ``mod`` a TIMEX3 mod (START, MID,
END, BEFORE, AFTER, ON_OR_AFTER, APPROX, ...); ``interval`` the calendar days
covered, ``[first_iso, last_iso]`` (an open end is ``None``), or ``None``.

Relative expressions ("last year", "Friday", "в прошлом году") are resolved
against ``published``; without it they get TimeML's ``X`` placeholders and no
interval. A temporal preposition right before an expression ("after April
2023", "since 2014") stays outside the extent, as TimeML wants, but sets the
mod when the expression has none and opens the interval on that side.

The rules are our own regular expressions (``dates.en``, ``dates.ru``), one
compiled set per language, applied leftmost-longest; there is no model and no
per-call parsing library, so extraction is fast enough for batches. Domain
anchors ("pre-invasion" = before 2022-02-24) live in
``nlp/data/time/anchors.yaml``. See docs/extract_dates.md for the choices and
the measured scores.

The spaCy component ``time_expressions`` (:mod:`nlp.extract.components`)
writes ``doc.spans["dates"]`` with ``span._.timex`` (the dict above) and reads
the reference date from ``doc._.published``.
"""

from __future__ import annotations

import datetime as dt
import re

from nlp.extract.dates.calendar import SIGNAL_MODS, Timex, interval_for, open_by_signal

LANGS = ("en", "ru")


def _as_date(published: dt.date | dt.datetime | str | None) -> dt.date | None:
    if published is None:
        return None
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    try:
        return dt.date.fromisoformat(str(published)[:10])
    except ValueError:  # "2024", "unknown": no usable reference date, resolve nothing relative
        return None


def _to_dict(timex: Timex, text: str, published: dt.date | None, signal: str | None) -> dict:
    signal_mod = SIGNAL_MODS.get(signal) if signal and timex.type in ("DATE", "TIME") else None
    rule_mod = timex.mod
    try:
        interval = interval_for(timex.value, timex.type, rule_mod, published, timex.anchor)
        if signal_mod and rule_mod not in ("BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER"):
            interval = open_by_signal(interval, signal_mod)
    except (ValueError, OverflowError):  # an interval running off the calendar (year 1 or 9999)
        interval = None
    return {
        "start": timex.start,
        "end": timex.end,
        "text": text[timex.start:timex.end],
        "type": timex.type,
        "value": timex.value,
        "mod": rule_mod or signal_mod,
        "interval": interval,
    }


def find_dates(text: str, lang: str = "en", published: dt.date | None = None) -> list[dict]:
    """Time expressions in ``text`` (``lang`` "en" or "ru"), sorted by position.

    Other languages get the English rules, which still catch ISO and numeric
    dates. ``published`` may also be a datetime or an ISO string (as in
    ``Document.published``); an unparseable one counts as unknown.
    """
    if not text:
        return []
    dct = _as_date(published)
    if lang == "ru":
        from nlp.extract.dates.ru import find_ru, signal_before_ru

        found, signal_of = find_ru(text, dct), signal_before_ru
    else:
        from nlp.extract.dates.en import find_en, signal_before

        found, signal_of = find_en(text, dct), signal_before
        if _CYRILLIC.search(text):
            # An English article quoting a Russian dateline ("7 июня 2024"):
            # the Russian rules read those parts; the longer reading wins.
            from nlp.extract.dates.ru import find_ru, signal_before_ru

            russian = find_ru(text, dct)
            found = _merge_longest(found, russian)
            ru_spans = {(t.start, t.end) for t in russian}
            return [_to_dict(t, text, dct, (signal_before_ru if (t.start, t.end) in ru_spans else signal_of)
                             (text, t.start)) for t in found]
    return [_to_dict(t, text, dct, signal_of(text, t.start)) for t in found]


_CYRILLIC = re.compile(r"[\u0400-\u04FF]{3}")


def _merge_longest(first: list, second: list) -> list:
    """Non-overlapping union of two expression lists, longer spans first."""
    kept: list = []
    for item in sorted([*first, *second], key=lambda t: (-(t.end - t.start), t.start)):
        if all(item.end <= other.start or item.start >= other.end for other in kept):
            kept.append(item)
    return sorted(kept, key=lambda t: t.start)
