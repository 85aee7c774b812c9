"""English time expressions read together: the second pass of :mod:`nlp.extract.dates.en`.

The rules of ``dates.en`` resolve each expression against the publication
date. A story told in the past moves its own reference time: "In 2019 the
deal was signed ... Later that year ..." is 2019, and "the second half"
after "the first half of 2023" is 2023-H2. This pass keeps that reference
time (the last expression that named its year) and reads:

* ``that day/week/month/year``, ``that same day``, ``the same year``,
  ``earlier/later that day`` as that period of the reference time;
* a half or quarter without a year ("the second half") in a sentence that
  named a year before it, as that year's;
* ``the next/following day/week/month/year`` as the period after the one just
  narrated ("agreed in December, published the next month" = January);
* ``that December``, ``the same March`` as that month of the reference year;
* an offset compared with a plan ("a month earlier than scheduled") as the
  DURATION it measures ("a month", P1M), not a date;
* ``at the time`` as TimeML's ``PAST_REF`` ("the time" is the extent);
* a clock time without its day ("at 14:30 local time on Friday", "On
  Friday, trading stopped at 2 p.m.") on the day named next to it;
* year ranges ("2022-2023") as two years, and wire-service clock times
  ("0930 GMT") as TIMEs;
* a unit after an amount ("$5 billion a year", "24 hours a day",
  "100 per year") as a rate, TimeML SET.

Pure functions over :class:`~nlp.extract.dates.calendar.Timex` lists.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from nlp.extract.dates.calendar import Timex, value_at

_NAMED_YEAR = re.compile(r"(?<!\d)(?:1[6-9]|20)\d\d(?!\d)")
_VALUE = re.compile(r"^(?P<y>\d{4})(?:-(?P<rest>.+))?$")
_THAT_PERIOD = re.compile(
    r"(?<![\w'])(?:(?P<adv>earlier|later)\s+)?(?P<det>that\s+same|that|the\s+same)\s+(?P<unit>day|week|month|year)(?![\w'])",
    re.I)
# The leading (?<![\w']) holds wherever (?<=\bat\s) does; it lets the rule scanner run this pattern.
_AT_THE_TIME = re.compile(r"(?<![\w'])(?<=\bat\s)the\s+time(?!\s+(?:of|when|that|to|being|in\s+which|needed|it|for)\b)(?![\w'])",
                          re.I)
_RATE = re.compile(r"(?<![\w'])(?:a|an|per)\s+(?P<unit>year|month|week|day|quarter|hour)(?![\w'-])", re.I)
_RATE_CODES = {"year": "P1Y", "month": "P1M", "week": "P1W", "day": "P1D", "quarter": "P1Q", "hour": "PT1H"}
# The rate follows its amount closely: "$5 billion a year", "700 seats a
# week", "twice a month", "hundreds of interviews a day".
_AMOUNT_BEFORE = re.compile(
    r"(?:\d[\d,.]*%?|\b(?:once|twice|thrice|times|dozens|hundreds|thousands|millions|billions))"
    r"(?:\s+(?:million|billion|thousand|trillion|percent|per\s+cent|of))?(?:\s+[a-z]+){0,2}\s+$", re.I)
_RATE_AFTER = re.compile(r"\s*(?:$|[.,;:!?)\"'”]|\b(?:and|or|in|for|from|since|until|by|on|at|to|over|through|but)\b)",
                         re.I)
_PARTIAL = re.compile(r"^(?:the\s+)?(?:first|second|third|fourth|final|last|1st|2nd|3rd|4th)[\s-]+(?P<kind>half|quarter)$",
                      re.I)
_BARE_MONTH = re.compile(r"^(?:early|late|mid-?)?\s*(?:January|February|March|April|May|June|July|August|September|"
                         r"October|November|December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)$")
# "a year earlier", "three days later", "the year-earlier": an offset from
# the period just narrated (the comparison's other side), not from the
# publication date, when that period stands within a few sentences.
_OFFSET = re.compile(
    r"(?i)(?P<q>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
    r"(?P<unit>year|month|week|day|quarter)s?\s+(?P<dir>earlier|later)")
_OFFSET_REACH = 300
_FOLLOWING = re.compile(r"(?i)the\s+(?:next|following)\s+(?P<unit>day|week|month|year)")
_MONTH_NUMBERS = {name: n for n, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), 1)}
_THAT_MONTH = re.compile(
    r"(?<![\w'])(?:[Tt]hat\s+same|[Tt]hat|[Tt]he\s+same)\s+(?P<mon>January|February|March|April|May|June|July|August|"
    r"September|October|November|December)(?![\w'])")
_SAME_PERIOD = re.compile(r"(?i)^the\s+(?:same|comparable|corresponding|year-earlier|year-ago)\s+period")
_THAN = re.compile(r"\s+than\b", re.I)
_FREQUENCY_BEFORE = re.compile(r"(?i)(?<![\w'])(?:once|twice|thrice|(?:\d+|two|three|four|five|six|several|many)\s+times)\s+$")
_YEAR_RANGE = re.compile(r"(?<![\d$€£¥.,#/-])(?P<y1>(?:19|20)\d\d)\s*[-–—]\s*(?P<y2>(?:19|20)\d\d)(?![\d%]|[.,/-]\d)")
_WIRE_CLOCK = re.compile(r"(?<![\d.,:/(-])(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s+(?:GMT|UTC|EST|EDT|ET|CET|CEST|BST|MSK)\b")
_CLOCK_SURFACE = re.compile(r"(?i)^(?:about\s+|around\s+)?\d{1,4}(?:[:.]\d\d)?\s*(?:[ap]\.?\s?m\.?|o'clock)?"
                            r"(?:\s+\(?[A-Z]{2,4}\)?|\s+(?:local|Moscow|Kyiv|Brussels|Astana)\s+time)?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UNIT_CODES = {"year": "Y", "month": "M", "week": "W", "day": "D", "quarter": "Q"}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10}
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”]?\s+(?=[A-Z\"“])|\n")


# The patterns below that open with the rules' guard (?<![\w']): dates.en scans
# them together with its rules and passes their matches in (``matches``).
SCANNED = (_AT_THE_TIME, _THAT_PERIOD, _THAT_MONTH, _RATE)


def _finditer(text: str) -> Callable[[re.Pattern], Iterable[re.Match]]:
    return lambda pattern: pattern.finditer(text)


def extra_candidates(text: str, dct: dt.date | None,
                     matches: Callable[[re.Pattern], Iterable[re.Match]] | None = None) -> list[Timex]:
    """Candidates only the joint reading can give a value to (placeholders here).

    ``matches(pattern)`` gives the matches of a pattern of ``SCANNED`` in
    ``text`` as ``finditer`` does (the default)."""
    matches = matches or _finditer(text)
    found = [Timex(m.start(), m.end(), "DATE", "PAST_REF") for m in matches(_AT_THE_TIME)]
    for m in matches(_THAT_PERIOD):
        unit = m["unit"].lower()
        found.append(Timex(m.start(), m.end(), "DATE", {"day": "XXXX-XX-XX", "week": "XXXX-WXX",
                                                        "month": "XXXX-XX", "year": "XXXX"}[unit]))
    for m in _YEAR_RANGE.finditer(text):
        first, second = int(m["y1"]), int(m["y2"])
        if 0 < second - first <= 30:
            found.append(Timex(m.start("y1"), m.end("y1"), "DATE", m["y1"]))
            found.append(Timex(m.start("y2"), m.end("y2"), "DATE", m["y2"]))
    for m in _WIRE_CLOCK.finditer(text):
        day = dct.isoformat() if dct else "XXXX-XX-XX"
        found.append(Timex(m.start(), m.end(), "TIME", f"{day}T{m['h']}:{m['mi']}"))
    for m in _FOLLOWING.finditer(text):
        if m["unit"].lower() == "day":  # "the next day": the other units are found by the rules
            value = (dct + dt.timedelta(days=1)).isoformat() if dct else "XXXX-XX-XX"
            found.append(Timex(m.start(), m.end(), "DATE", value))
    for m in matches(_THAT_MONTH):
        found.append(Timex(m.start(), m.end(), "DATE", f"XXXX-{_MONTH_NUMBERS[m['mon'].lower()]:02d}"))
    for m in matches(_RATE):
        if _AMOUNT_BEFORE.search(text[max(0, m.start() - 60):m.start()]) and _RATE_AFTER.match(text, m.end()):
            # "twice a year": the frequency belongs to the SET's extent (TimeML freq="2X").
            frequency = _FREQUENCY_BEFORE.search(text, max(0, m.start() - 20), m.start())
            start = frequency.start() if frequency else m.start()
            found.append(Timex(start, m.end(), "SET", _RATE_CODES[m["unit"].lower()]))
    return found


def resolve(text: str, found: list[Timex], dct: dt.date | None) -> list[Timex]:
    """Values that depend on the narrative (see module doc)."""
    return _clock_on_named_day(text, _narrative(text, found, dct))


def _clock_on_named_day(text: str, found: list[Timex]) -> list[Timex]:
    out = list(found)
    for index, timex in enumerate(out):
        if timex.type != "TIME" or "T" not in timex.value or not _CLOCK_SURFACE.match(text[timex.start:timex.end]):
            continue
        clock = timex.value[timex.value.index("T"):]
        after = out[index + 1] if index + 1 < len(out) else None
        before = out[index - 1] if index else None
        if after is not None and _DAY.match(after.value) and re.fullmatch(r",?\s+on\s+", text[timex.end:after.start], re.I):
            out[index] = replace(timex, value=after.value + clock)
        elif before is not None and _DAY.match(before.value) and _same(text, before.end, timex.start, _SENTENCE_BREAK):
            out[index] = replace(timex, value=before.value + clock)
    return out


def _narrative(text: str, found: list[Timex], dct: dt.date | None) -> list[Timex]:
    out: list[Timex] = []
    reference: Timex | None = None  # the last expression with a concrete value
    named: Timex | None = None  # the last expression whose text names its year
    for timex in found:
        surface = text[timex.start:timex.end]
        that = _THAT_PERIOD.fullmatch(surface)
        offset = _OFFSET.fullmatch(surface)
        following = _FOLLOWING.fullmatch(surface)
        that_month = _THAT_MONTH.fullmatch(surface)
        if offset and _THAN.match(text, timex.end):
            timex = _measured(timex, offset)
        elif offset and reference is not None and timex.start - reference.end <= _OFFSET_REACH:
            timex = _offset_from(timex, offset, reference)
        elif following and reference is not None and timex.start - reference.end <= _OFFSET_REACH:
            timex = _following(timex, following["unit"].lower(), reference)
        elif that_month:
            timex = _month_of_reference(timex, reference, dct)
        elif _SAME_PERIOD.match(surface) and reference is not None \
                and _same(text, reference.end, timex.start, _SENTENCE_BREAK):
            timex = _same_period_before(timex, surface, reference)
        elif that and timex.value.startswith("XXXX"):
            timex = _that_period(timex, that["unit"].lower(), reference)
        elif named is not None and _PARTIAL.match(surface) and _same(text, named.end, timex.start, _SENTENCE_BREAK):
            year = _nearest_year(named.value, timex.value)
            if year is not None and timex.value[:4] != year:
                timex = replace(timex, value=year + timex.value[4:])
        elif named is not None and dct is not None and _BARE_MONTH.match(surface) \
                and _same(text, named.end, timex.start, _SENTENCE_BREAK):
            timex = _narrated_month(timex, named, dct)
        if _VALUE.match(timex.value) and not offset:
            reference = timex
            if timex.type in ("DATE", "TIME") and _NAMED_YEAR.search(surface):
                named = timex
        out.append(timex)
    return out


def _same_period_before(timex: Timex, surface: str, reference: Timex) -> Timex:
    """ "the first half ... from the same period a year earlier" = the half a year before;
    "the same period of 2021" = that half in 2021."""
    part = re.fullmatch(r"(\d{4})-((?:Q[1-4])|(?:H[12]))", reference.value)
    if not part:
        return timex
    named = _NAMED_YEAR.search(surface)
    year = int(named.group()) if named else int(part[1]) - 1
    return replace(timex, value=f"{year:04d}-{part[2]}")


def _measured(timex: Timex, offset: re.Match) -> Timex:
    """ "a month earlier than scheduled": the amount is a DURATION, the comparison is not a date."""
    word = offset["q"].lower()
    amount = int(word) if word.isdigit() else _NUMBERS[word]
    unit = offset["unit"].lower()
    value = f"P{amount * 3}M" if unit == "quarter" else f"P{amount}{_UNIT_CODES[unit]}"
    end = timex.start + len(offset.string[:offset.start("dir")].rstrip())
    return replace(timex, end=end, type="DURATION", value=value, mod=None)


def _following(timex: Timex, unit: str, reference: Timex) -> Timex:
    """ "the next month" after a narrated December: the period after the reference, at the unit's grain."""
    value = reference.value
    day = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    month = re.match(r"^(\d{4})-(\d{2})(?:$|-)", value)
    year = re.match(r"^(\d{4})", value)
    if unit == "year" and year:
        return replace(timex, value=f"{int(year[1]) + 1:04d}")
    if unit == "month" and month:
        index = int(month[1]) * 12 + int(month[2])
        return replace(timex, value=f"{index // 12:04d}-{index % 12 + 1:02d}")
    if unit in ("day", "week") and day:
        base = dt.date(int(day[1]), int(day[2]), int(day[3]))
        if unit == "day":
            return replace(timex, value=(base + dt.timedelta(days=1)).isoformat())
        return replace(timex, value=value_at(base + dt.timedelta(days=7), "W"))
    return timex


def _month_of_reference(timex: Timex, reference: Timex | None, dct: dt.date | None) -> Timex:
    """ "that December": the month in the reference year (the publication year's nearest past one without one)."""
    month = timex.value[5:7]
    if reference is not None and reference.value[:4].isdigit():
        return replace(timex, value=f"{reference.value[:4]}-{month}")
    if dct is not None:
        year = dct.year if int(month) <= dct.month else dct.year - 1
        return replace(timex, value=f"{year:04d}-{month}")
    return timex


def _same(text: str, start: int, end: int, breaks: re.Pattern) -> bool:
    return start <= end and not breaks.search(text, start, end)


def _that_period(timex: Timex, unit: str, reference: Timex | None) -> Timex:
    if reference is None:
        return timex
    m = _VALUE.match(reference.value)
    if not m:
        return timex
    value = reference.value
    year = m["y"]
    if unit == "year":
        return replace(timex, value=year)
    if unit == "month":
        month = re.match(r"^\d{4}-(\d{2})", value)
        return replace(timex, value=f"{year}-{month[1]}" if month else f"{year}-XX")
    day = re.match(r"^\d{4}-\d{2}-\d{2}", value)
    if unit == "week":
        if day:
            return replace(timex, value=value_at(dt.date.fromisoformat(day.group()), "W"))
        return replace(timex, value=f"{year}-WXX")
    if day:
        return replace(timex, value=day.group())
    month = re.match(r"^\d{4}-(\d{2})", value)
    return replace(timex, value=f"{year}-{month[1]}-XX" if month else f"{year}-XX-XX")



def _narrated_month(timex: Timex, named: Timex, dct: dt.date) -> Timex:
    """A month without a year in a sentence that named an earlier year takes
    that year ("In 2019 the plant, opened in March, ...")."""
    narrated = named.value[:4]
    if not narrated.isdigit() or not timex.value[:4].isdigit() or int(narrated) >= dct.year:
        return timex
    return replace(timex, value=f"{narrated}{timex.value[4:]}")


def _offset_from(timex: Timex, offset: re.Match, reference: Timex) -> Timex:
    """The reference period moved by the offset, at the reference's own grain."""
    unit = offset["unit"].lower()
    word = offset["q"].lower()
    amount = int(word) if word.isdigit() else _NUMBERS[word]
    amount = -amount if offset["dir"].lower() == "earlier" else amount
    value = reference.value
    day = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    month = re.fullmatch(r"(\d{4})-(\d{2})", value)
    quarter = re.fullmatch(r"(\d{4})-Q([1-4])", value)
    year = re.fullmatch(r"(\d{4})", value)
    months = {"year": 12, "quarter": 3, "month": 1}.get(unit)
    if day:
        base = dt.date(int(day[1]), int(day[2]), int(day[3]))
        if months:
            shifted = _add_months(base, months * amount)
        else:
            shifted = base + dt.timedelta(days=amount * (7 if unit == "week" else 1))
        return replace(timex, type="DATE", value=shifted.isoformat())
    if month and months:
        index = int(month[1]) * 12 + int(month[2]) - 1 + months * amount
        return replace(timex, type="DATE", value=f"{index // 12:04d}-{index % 12 + 1:02d}")
    if quarter and unit in ("year", "quarter"):
        index = int(quarter[1]) * 4 + int(quarter[2]) - 1 + (4 if unit == "year" else 1) * amount
        return replace(timex, type="DATE", value=f"{index // 4:04d}-Q{index % 4 + 1}")
    if year and unit == "year":
        return replace(timex, type="DATE", value=f"{int(year[1]) + amount:04d}")
    return timex


def _add_months(day: dt.date, months: int) -> dt.date:
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_PART = re.compile(r"^(\d{4})-(Q([1-4])|H([12]))$")
_NAMED_PART = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|H([12])|(\d{2})))?")


def _nearest_year(named: str, partial: str) -> str | None:
    """The year that puts a yearless half or quarter nearest the period just
    named: "the fourth quarter of 2023 ... the first quarter" is 2024-Q1,
    "the first half of 2023 ... the second half" 2023-H2 (ties: same year)."""
    part, base = _PART.match(partial), _NAMED_PART.match(named)
    if not part or not base:
        return None
    year = int(base[1])
    # The named period's position in the year, in months (its start).
    if base[2]:
        month = (int(base[2]) - 1) * 3
    elif base[3]:
        month = (int(base[3]) - 1) * 6
    elif base[4]:
        month = int(base[4]) - 1
    else:
        return f"{year:04d}"
    start = (int(part[3]) - 1) * 3 if part[3] else (int(part[4]) - 1) * 6
    best = min((year, year + 1, year - 1), key=lambda y: (abs((y * 12 + start) - (year * 12 + month)), y != year))
    return f"{best:04d}"
