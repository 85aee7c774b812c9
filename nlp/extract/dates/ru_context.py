"""Russian time expressions read together: the second pass of :mod:`nlp.extract.dates.ru`.

The rules of ``dates.ru`` read one expression at a time. Some values depend
on the expressions around them, and some pairs are one expression in TimeML:

* weekday + date ("в пятницу, 14 июня") is one DATE;
* date + clock time ("17.04.2023 09:30", "17 апреля в 10:00 по московскому
  времени") is one TIME;
* a range whose year stands at its end ("с января по август 2023 года",
  "с 15 апр. по 20 апр. 2024 г."): the first end takes the year of the
  second (the year before when its month comes later);
* "того же года" / "того же месяца" take the period last named with a year;
  "предыдущий квартал", "следующий год" after a period named with a year in
  the same sentence count from that period, not from the publication date
  ("в апреле–июне 2023 года ... по сравнению с предыдущим кварталом" = 2023-Q1);
* a half or quarter without a year after a period named with one in the same
  sentence takes the year that puts it nearest ("во втором полугодии 2024
  года ... по сравнению с первым полугодием" = 2024-H1);
* a month without a year in a past-tense clause, within a couple of sentences
  after an earlier year was named, is that year's ("В 2022 году ... В мае
  она переориентировалась" = 2022-05): the story keeps its own time.

Pure functions over :class:`~nlp.extract.dates.calendar.Timex` lists; this
module finds no expressions of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from nlp.extract.dates.calendar import Timex

_EXPLICIT_YEAR = re.compile(r"(?:1[6-9]|20)\d\d")
_VALUE = re.compile(r"^(?P<y>\d{4})(?:-(?:(?P<q>Q[1-4])|(?P<h>H[12])|(?P<m>\d{2})))?")
_DAY_VALUE = re.compile(r"^(?:\d{4}|XXXX)-\d{2}-\d{2}$")
_WEEKDAY = re.compile(r"(?i)^(?:понедельник|вторник|сред|четверг|пятниц|суббот|воскресень)\w*$")
_WEEKDAY_JOIN = re.compile(r",?\s*")
_CLOCK_AFTER = re.compile(
    r"(?:,\s*|\s+)(?:(?:в|во|около)\s+)?(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?![\d:.,]\d|\d)"
    r"(?:\s+(?:по\s+)?(?:московскому|местному|мск)(?:\s+времени)?|\s+мск)?", re.I)
_RANGE_JOIN = re.compile(r"\s*[–—-]\s*|\s+(?:по|до)\s+", re.I)
_SAME = re.compile(r"(?i)(?:того|этого)\s+же\s+(?P<unit>года|месяца)")
_ANAPHORIC = re.compile(r"(?i)(?P<rel>предыдущ|следующ)\w*\s+(?P<unit>год|квартал|месяц|полугоди)")
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[А-ЯЁA-Z0-9«\"])|\n")


_PARTIAL = re.compile(r"(?i)^(?:перв|втор|трет|четв[её]рт|I|II|III|IV|[1-4])\S*\s+(?:квартал|полугоди|половин)")
_BARE_MONTH = re.compile(r"(?i)^(?:(?:начале|конце|середине)\s+)?(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|"
                         r"сентябр|октябр|ноябр|декабр)\w*$")
_NARRATIVE_REACH = 400


def resolve(text: str, found: list[Timex], past: Callable[[int], bool] | None = None,
            dct_year: int | None = None) -> list[Timex]:
    """The expressions of one text after the joint reading (see module doc).

    ``past(start)`` says whether the clause at ``start`` is in the past tense;
    with it and the publication year, yearless months follow the story's time.
    """
    found = _join_weekday_dates(text, found)
    found = _join_clock_times(text, found)
    found = _ranges(text, found)
    found = _anaphora(text, found)
    found = _clock_on_named_day(text, found)
    found = _same_period_earlier(text, found)
    return _narrative(text, found, past, dct_year)


_SAME_PERIOD = re.compile(r"(?i)^(?:аналогичн\w+|т(?:ем|от|ого|ому|ом)\s+же)\s+период")


def _same_period_earlier(text: str, found: list[Timex]) -> list[Timex]:
    """ "в первом полугодии 2024 года ... по сравнению с аналогичным периодом прошлого года"
    = 2023-H1: the quarter or half named before in the sentence, in the year the phrase names."""
    out: list[Timex] = []
    for timex in found:
        if _SAME_PERIOD.match(text[timex.start:timex.end]) and out and _same_sentence(text, out[-1].end, timex.start):
            surface = text[timex.start:timex.end]
            part = re.fullmatch(r"(\d{4})-((?:Q[1-4])|(?:H[12]))", out[-1].value)
            if part and re.fullmatch(r"\d{4}", timex.value):
                # "прошлого года" counts from the period named, not from the publication date
                year = timex.value if _EXPLICIT_YEAR.search(surface) else \
                    f"{int(part[1]) - (2 if re.search(r'(?i)позапрошл', surface) else 1):04d}"
                timex = replace(timex, value=f"{year}-{part[2]}")
        out.append(timex)
    return out


_CLOCK_ONLY = re.compile(r"(?i)^(?:\d{1,2}[:.]\d{2}|\d{1,2}\s+(?:час\w*\s+)?(?:утра|вечера|дня|ночи))")


def _clock_on_named_day(text: str, found: list[Timex]) -> list[Timex]:
    """ "в пятницу, 11 апреля, торги завершатся в 19:00": a bare clock time
    is on the day named before it in the same sentence."""
    out: list[Timex] = []
    day: Timex | None = None
    for timex in found:
        if timex.type == "DATE" and _DAY_VALUE.match(timex.value):
            day = timex
        elif day is not None and timex.type == "TIME" and _CLOCK_ONLY.match(text[timex.start:timex.end]) \
                and _same_sentence(text, day.end, timex.start) and "T" in timex.value:
            timex = replace(timex, value=day.value + timex.value[timex.value.index("T"):])
        out.append(timex)
    return out


def _narrative(text: str, found: list[Timex], past: Callable[[int], bool] | None,
               dct_year: int | None) -> list[Timex]:
    out: list[Timex] = []
    named: Timex | None = None
    setting = False  # the named period opens its sentence ("В 2022 году ...")
    for timex in found:
        surface = text[timex.start:timex.end]
        value = _VALUE.match(timex.value)
        if named is not None and value and timex.type == "DATE" and not _EXPLICIT_YEAR.search(surface):
            year = named.value[:4]
            if _PARTIAL.match(surface) and _same_sentence(text, named.end, timex.start):
                compared = bool(_COMPARED.search(text, named.end, timex.start))
                nearest = _nearest_year(named.value, timex.value, compared)
                if nearest is not None:
                    timex = replace(timex, value=nearest + timex.value[4:])
            elif setting and _BARE_MONTH.match(surface) and past is not None and dct_year is not None \
                    and year.isdigit() and _sentences_between(text, named.end, timex.start) <= 1 \
                    and int(year) < dct_year and timex.start - named.end <= _NARRATIVE_REACH \
                    and not _SAME.search(surface) and past(timex.start):
                timex = replace(timex, value=year + timex.value[4:])
        if timex.type in ("DATE", "TIME") and _EXPLICIT_YEAR.search(surface) and _VALUE.match(timex.value):
            named = timex
            setting = _opens_sentence(text, timex.start)
        out.append(timex)
    return out


_SETTING = re.compile(r"(?i)[^\w]*(?:в|во)\s+")


def _opens_sentence(text: str, start: int) -> bool:
    """ "В 2022 году ..." at the head of its sentence sets the story's time;
    "минимум с апреля 2022 года", "год назад, в 2023-м" only compare with it."""
    head = max(text.rfind(mark, 0, start) for mark in (".", "!", "?", "\n")) + 1
    return bool(_SETTING.fullmatch(text, head, start))


_COMPARED = re.compile(r"(?i)(?:по\s+сравнению|против|относительно|чем|в\s+сравнении)")


def _nearest_year(named: str, partial: str, compared: bool = False) -> str | None:
    """The year that puts a yearless half or quarter nearest the named period;
    a tie goes to the same year, or to the earlier one when the second is the
    base of a comparison ("по сравнению со вторым полугодием")."""
    part = re.fullmatch(r"\d{4}-(?:Q([1-4])|H([12]))", partial)
    base = _VALUE.match(named)
    if not part or not base:
        return None
    year = int(base["y"])
    if base["q"]:
        month = (int(base["q"][1]) - 1) * 3
    elif base["h"]:
        month = (int(base["h"][1]) - 1) * 6
    elif base["m"]:
        month = int(base["m"]) - 1
    else:
        return f"{year:04d}"
    start = (int(part[1]) - 1) * 3 if part[1] else (int(part[2]) - 1) * 6
    preferred = year - 1 if compared and start >= month else year
    best = min((year, year + 1, year - 1),
               key=lambda y: (abs((y * 12 + start) - (year * 12 + month)), y != preferred))
    return f"{best:04d}"


def _join_weekday_dates(text: str, found: list[Timex]) -> list[Timex]:
    out: list[Timex] = []
    for timex in found:
        if out and timex.type == "DATE" and _DAY_VALUE.match(timex.value):
            prev = out[-1]
            if prev.type == "DATE" and _WEEKDAY.match(text[prev.start:prev.end].split()[-1]) \
                    and _WEEKDAY_JOIN.fullmatch(text, prev.end, timex.start):
                out[-1] = replace(timex, start=prev.start)
                continue
        out.append(timex)
    return out


_CLOCK_VALUE = re.compile(r"^(?:\d{4}|XXXX)-\d{2}-\d{2}(T\d{2}:\d{2})$")


def _join_clock_times(text: str, found: list[Timex]) -> list[Timex]:
    found = _join_clock_then_date(text, found)
    out: list[Timex] = []
    skip_until = -1
    for index, timex in enumerate(found):
        if timex.start < skip_until:
            continue
        if timex.type == "DATE" and _DAY_VALUE.match(timex.value):
            clock = _CLOCK_AFTER.match(text, timex.end)
            if clock:
                value = f"{timex.value}T{int(clock['h']):02d}:{clock['mi']}"
                out.append(Timex(timex.start, clock.end(), "TIME", value))
                skip_until = clock.end()
                continue
        out.append(timex)
    return out


def _join_clock_then_date(text: str, found: list[Timex]) -> list[Timex]:
    """"в 6:00 16 ноября", "в 9 утра 3 марта": the clock time takes its day."""
    out: list[Timex] = []
    for timex in found:
        prev = out[-1] if out else None
        clock = _CLOCK_VALUE.match(prev.value) if prev is not None and prev.type == "TIME" else None
        if prev is not None and clock and timex.type == "DATE" and _DAY_VALUE.match(timex.value) \
                and re.fullmatch(r",?\s+", text[prev.end:timex.start]):
            out[-1] = Timex(prev.start, timex.end, "TIME", f"{timex.value}{clock[1]}")
            continue
        out.append(timex)
    return out


def _month_of(value: str) -> tuple[int, int] | None:
    m = _VALUE.match(value)
    if not m or not m["m"]:
        return None
    return int(m["y"]), int(m["m"])


def _ranges(text: str, found: list[Timex]) -> list[Timex]:
    out = list(found)
    for index in range(len(out) - 1):
        first, second = out[index], out[index + 1]
        if first.type != "DATE" or second.type != "DATE" or _EXPLICIT_YEAR.search(text[first.start:first.end]):
            continue
        if not _RANGE_JOIN.fullmatch(text, first.end, second.start):
            continue
        a, b = _month_of(first.value), _month_of(second.value)
        if not a or not b or a[0] == b[0] and a[1] <= b[1]:
            continue
        year = b[0] if a[1] <= b[1] else b[0] - 1
        out[index] = replace(first, value=f"{year:04d}{first.value[4:]}")
    return out


def _period_in(value: str) -> dict | None:
    m = _VALUE.match(value)
    return m.groupdict() if m else None


def _anaphora(text: str, found: list[Timex]) -> list[Timex]:
    out: list[Timex] = []
    last_named: Timex | None = None  # the last expression naming its year
    last_concrete: Timex | None = None  # the last expression with a calendar value
    for timex in found:
        surface = text[timex.start:timex.end]
        same = _SAME.search(surface)
        anaphoric = _ANAPHORIC.search(surface)
        if same and last_named is not None:
            year = last_named.value[:4]
            timex = replace(timex, value=year + timex.value[4:])
        elif anaphoric and last_concrete is not None and _same_sentence(text, last_concrete.end, timex.start):
            shifted = _shift_period(last_concrete.value, anaphoric["unit"].lower(),
                                    -1 if anaphoric["rel"].lower().startswith("предыдущ") else 1)
            if shifted:
                timex = replace(timex, value=shifted)
        if timex.type in ("DATE", "TIME") and _VALUE.match(timex.value) and not anaphoric:
            last_concrete = timex
            if _EXPLICIT_YEAR.search(surface):
                last_named = timex
        out.append(timex)
    return out


def _sentences_between(text: str, start: int, end: int) -> int:
    return len(_SENTENCE_END.findall(text, start, end))


def _same_sentence(text: str, start: int, end: int) -> bool:
    return not _SENTENCE_END.search(text, start, end)


def _shift_period(value: str, unit: str, step: int) -> str | None:
    period = _period_in(value)
    if not period:
        return None
    year = int(period["y"])
    if unit.startswith("год"):
        return f"{year + step:04d}"
    if unit.startswith("квартал"):
        if period["q"]:
            quarter = int(period["q"][1])
        elif period["m"]:
            quarter = (int(period["m"]) - 1) // 3 + 1
        else:
            return None
        index = year * 4 + quarter - 1 + step
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if unit.startswith("полугоди"):
        if period["h"]:
            half = int(period["h"][1])
        elif period["m"]:
            half = 1 if int(period["m"]) <= 6 else 2
        else:
            return None
        index = year * 2 + half - 1 + step
        return f"{index // 2:04d}-H{index % 2 + 1}"
    if unit.startswith("месяц") and period["m"]:
        index = year * 12 + int(period["m"]) - 1 + step
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    return None
