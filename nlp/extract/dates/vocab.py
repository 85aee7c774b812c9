"""Vocabulary data for the date rules: domain anchors (from a YAML file) and holidays.

``anchors()`` reads ``nlp/data/time/anchors.yaml`` once: named events such as
Russia's full-scale invasion of Ukraine (2022-02-24) that sanctions texts date
things by ("pre-invasion"). ``holiday_date`` computes fixed and movable
holidays (Easter via dateutil, which dateparser already depends on).
It does not find anything in text.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import yaml

from nlp.settings import DATA_DIR

ANCHORS_FILE = DATA_DIR / "time" / "anchors.yaml"


@lru_cache(maxsize=1)
def anchor_table() -> dict:
    """The raw anchors file: ``{name: {date, note, en: [...], ru: [...]}}``."""
    with open(ANCHORS_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)["anchors"]


@lru_cache(maxsize=1)
def anchors() -> dict[str, dt.date]:
    """English anchor words (lower case) -> the day the event began."""
    out: dict[str, dt.date] = {}
    for entry in anchor_table().values():
        day = dt.date.fromisoformat(str(entry["date"]))
        for word in entry.get("en", []):
            out[word.lower()] = day
    return out


@lru_cache(maxsize=1)
def anchors_ru() -> list[tuple[str, dt.date]]:
    """Russian anchor patterns (regular expressions) with their days."""
    return [(pattern, dt.date.fromisoformat(str(entry["date"])))
            for entry in anchor_table().values() for pattern in entry.get("ru", [])]


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """n-th ``weekday`` (Mon=0) of a month; n=-1 is the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(year, 12, 31)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def holiday_date(name: str, year: int) -> dt.date | None:
    """Calendar day of a named (mostly US/Christian) holiday in ``year``."""
    name = name.lower()
    fixed = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
             "new year's day": (1, 1), "new year's eve": (12, 31), "halloween": (10, 31),
             "independence day": (7, 4), "valentine's day": (2, 14), "victory day": (5, 9)}
    if name in fixed:
        return dt.date(year, *fixed[name])
    if name.startswith("thanksgiving"):
        return _nth_weekday(year, 11, 3, 4)
    if name == "labor day":
        return _nth_weekday(year, 9, 0, 1)
    if name == "memorial day":
        return _nth_weekday(year, 5, 0, -1)
    if name == "election day":
        return _nth_weekday(year, 11, 0, 1) + dt.timedelta(days=1)
    if name.startswith("easter"):
        from dateutil.easter import easter

        return easter(year)
    return None
