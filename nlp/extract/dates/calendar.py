"""Calendar arithmetic for TimeML TIMEX3 values: shifting, granularity, intervals.

Pure functions over ``datetime.date`` and TIMEX3 value strings. It turns a
value such as ``2023``, ``2023-Q4``, ``2024-W23``, ``199`` (the 1990s) or
``2024-06-07TEV`` plus an optional ``mod`` into a calendar interval
``[first_day, last_day]`` (ISO strings), and offers the unit arithmetic the
language rules need ("two years ago", "last week").

It does not find expressions in text (see ``dates.en``/``dates.ru``) and does
not guess anything from context. Choices (documented in docs/extract_dates.md):

* ``START``/``MID``/``END`` split the interval in thirds — by months for
  intervals of three months or more, else by days. So "late 2023" is
  2023-09-01..2023-12-31 and "early June" is June 1..10.
* ``BEFORE``/``AFTER`` give half-open intervals with ``None`` at the open end;
  ``ON_OR_BEFORE``/``ON_OR_AFTER`` include the anchor itself.
* ``PRESENT_REF`` is the publication day; other ``*_REF`` values and SETs
  have no interval; a DURATION has one only when the rule anchored it
  ("the past three years" ends on the publication day).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(?:-WE)?$")
_DECADE = re.compile(r"^(\d{3})$")
_CENTURY = re.compile(r"^(\d{2})$")
_DURATION = re.compile(r"^P(?:T)?(\d+(?:\.\d+)?)([YMWDHSQEC])$")


def last_day_of_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(day: dt.date, months: int) -> dt.date:
    """Shift by whole months, clamping the day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, last_day_of_month(year, month)))


def shift(day: dt.date, unit: str, amount: int) -> dt.date:
    """Move ``day`` by ``amount`` units (Y, Q, M, W, D, E = decade, C = century)."""
    if unit == "D":
        return day + dt.timedelta(days=amount)
    if unit == "W":
        return day + dt.timedelta(weeks=amount)
    months = {"M": 1, "Q": 3, "Y": 12, "E": 120, "C": 1200}.get(unit)
    if months is None:
        return day
    return add_months(day, amount * months)


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def value_at(day: dt.date, unit: str) -> str:
    """The TIMEX3 value naming the ``unit``-long period that contains ``day``."""
    if unit == "Y":
        return f"{day.year:04d}"
    if unit == "Q":
        return f"{day.year:04d}-Q{quarter_of(day)}"
    if unit == "M":
        return f"{day.year:04d}-{day.month:02d}"
    if unit == "W":
        iso = day.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if unit == "E":
        return f"{day.year // 10:03d}"
    if unit == "C":
        return f"{day.year // 100:02d}"
    return day.isoformat()


def value_interval(value: str) -> tuple[dt.date, dt.date] | None:
    """Calendar days covered by a TIMEX3 DATE/TIME value, or None if it has none."""
    try:
        if m := _ISO_DAY.match(value):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := _ISO_MONTH.match(value):
            year, month = int(m[1]), int(m[2])
            return dt.date(year, month, 1), dt.date(year, month, last_day_of_month(year, month))
        if m := _YEAR.match(value):
            year = int(m[1])
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if m := _QUARTER.match(value):
            year, q = int(m[1]), int(m[2])
            first = dt.date(year, 3 * q - 2, 1)
            return first, add_months(first, 3) - dt.timedelta(days=1)
        if m := _HALF.match(value):
            year, h = int(m[1]), int(m[2])
            first = dt.date(year, 6 * h - 5, 1)
            return first, add_months(first, 6) - dt.timedelta(days=1)
        if m := _SEASON.match(value):
            year = int(m[1])
            first_month, last_month = SEASON_MONTHS[m[2]]
            first = dt.date(year, first_month, 1)
            last = add_months(first, last_month - first_month + 1) - dt.timedelta(days=1)
            return first, last
        if m := _WEEK.match(value):
            first = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return first, first + dt.timedelta(days=6)
        if m := _DECADE.match(value):
            decade = int(m[1]) * 10
            return dt.date(decade, 1, 1), dt.date(decade + 9, 12, 31)
        if m := _CENTURY.match(value):
            century = int(m[1]) * 100
            return dt.date(max(century, 1), 1, 1), dt.date(century + 99, 12, 31)
    except ValueError:  # e.g. 2023-02-30 or week 54: no such calendar period
        return None
    return None


def _thirds(first: dt.date, last: dt.date, part: int) -> tuple[dt.date, dt.date]:
    """The ``part``-th third (0, 1, 2) of [first, last]."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months >= 3 and first.day == 1:
        size = months / 3
        start = add_months(first, round(size * part))
        end = add_months(first, round(size * (part + 1))) - dt.timedelta(days=1)
        return start, end
    days = (last - first).days + 1
    if days < 3:
        return first, last
    start = first + dt.timedelta(days=round(days * part / 3))
    end = first + dt.timedelta(days=round(days * (part + 1) / 3) - 1)
    return start, end


def apply_mod(first: dt.date, last: dt.date, mod: str | None) -> tuple[dt.date | None, dt.date | None]:
    """Narrow or open an interval according to a TIMEX3 ``mod``."""
    if mod == "START":
        return _thirds(first, last, 0)
    if mod == "MID":
        return _thirds(first, last, 1)
    if mod == "END":
        return _thirds(first, last, 2)
    if mod == "BEFORE":
        return None, first - dt.timedelta(days=1)
    if mod == "ON_OR_BEFORE":
        return None, last
    if mod == "AFTER":
        return last + dt.timedelta(days=1), None
    if mod == "ON_OR_AFTER":
        return first, None
    return first, last


def duration_interval(value: str, direction: str, published: dt.date) -> tuple[dt.date, dt.date] | None:
    """Interval of an anchored duration: ``past`` ends on, ``next`` starts after, ``published``."""
    m = _DURATION.match(value)
    if not m or "." in m[1]:
        return None
    amount, unit = int(m[1]), m[2]
    if value.startswith("PT"):
        return (published, published) if unit in "HMS" else None
    if direction == "past":
        return shift(published, unit, -amount) + dt.timedelta(days=1), published
    if direction == "next":
        return published + dt.timedelta(days=1), shift(published, unit, amount)
    return None


def interval_for(
    value: str,
    timex_type: str,
    mod: str | None,
    published: dt.date | None,
    anchor: str | None = None,
) -> list[str | None] | None:
    """``[first_iso, last_iso]`` for an expression, ``None`` where no interval exists.

    ``anchor`` carries rule knowledge the value lacks: ``past``/``next`` for a
    duration counted back/forward from ``published`` ("the past two years"),
    or an explicit ``recent:<P..>`` window for PAST_REF phrases such as
    "in recent months".
    """
    span: tuple[dt.date | None, dt.date | None] | None = None
    if timex_type in ("DATE", "TIME"):
        if value == "PRESENT_REF" and published:
            span = (published, published)
        elif anchor and anchor.startswith("recent:") and published:
            span = duration_interval(anchor.split(":", 1)[1], "past", published)
        else:
            days = value_interval(value)
            if days:
                span = apply_mod(days[0], days[1], mod)
    elif timex_type == "DURATION" and anchor and published:
        if anchor.startswith("recent:"):
            span = duration_interval(anchor.split(":", 1)[1], "past", published)
        elif anchor in ("past", "next"):
            span = duration_interval(value, anchor, published)
    if not span:
        return None
    return [d.isoformat() if d else None for d in span]


# --- the record the language rules produce -----------------------------------


@dataclass(frozen=True)
class Timex:
    """One time expression as found by a language module, before dict output.

    ``anchor`` is rule knowledge for the interval (see ``interval_for``);
    ``signal`` is the preposition just before the expression (``after``,
    ``since``, ``before``, ``until``...), kept outside the TimeML extent but
    used to open the interval and, when the rule set no ``mod``, as the mod.
    """

    start: int
    end: int
    type: str
    value: str
    mod: str | None = None
    anchor: str | None = None
    signal: str | None = None


SIGNAL_MODS = {"after": "AFTER", "since": "ON_OR_AFTER", "from": "ON_OR_AFTER", "before": "BEFORE",
               "until": "ON_OR_BEFORE", "by": "ON_OR_BEFORE"}


def open_by_signal(interval: list[str | None] | None, signal: str | None) -> list[str | None] | None:
    """Open an interval on one side for a preceding signal ("after April 2023")."""
    if not interval or not signal or interval[0] is None or interval[1] is None:
        return interval
    first, last = dt.date.fromisoformat(interval[0]), dt.date.fromisoformat(interval[1])
    if signal == "AFTER":
        return [(last + dt.timedelta(days=1)).isoformat(), None]
    if signal == "ON_OR_AFTER":
        return [first.isoformat(), None]
    if signal == "BEFORE":
        return [None, (first - dt.timedelta(days=1)).isoformat()]
    if signal == "ON_OR_BEFORE":
        return [None, last.isoformat()]
    return interval


def season_index(dct: dt.date, season: str) -> int:
    """Where the publication date stands in the year's seasons (WI SP SU FA = 0-3). December's
    winter belongs to the next year, so for the other seasons December comes after autumn (4);
    a winter named in autumn is the one about to start (same year)."""
    if dct.month == 12 and season != "WI":
        return 4
    return (dct.month % 12) // 3
