"""A statement's claim window and baseline as calendar months.

Built on the date extractor (:func:`nlp.extract.dates.find_dates`): its
expressions (years, months, quarters, halves, durations, relative years
resolved against the publication date) are the atoms; this module composes
them the way trade statements do:

* **ranges**: "between January and November 2022", "from March to November",
  "July–December 2021", «январь–ноябрь 2022 года», «с марта по ноябрь»,
  «в марте–ноябре» (a first part without a year takes the second's);
* **counted months**: "the first eleven months of 2022", "the eleven months
  to November 2022", «за 11 месяцев 2022 года», «первые шесть месяцев»;
* **ordinal pairs**: "between the first and the third quarter of 2022";
* **baselines**: the period after a comparison cue ("compared with", "from",
  "than in", "on", "as in", «по сравнению с», «к», «чем в»); "a year
  earlier", "year on year", "the same period of 2021", «тем же периодом»,
  «год к году», «в годовом сопоставлении» (the window a year back, or in the
  year named); "quarter on quarter", "month on month", "the preceding five
  months" (the period just before); "compared with the second" (the
  window's unit, ordinal read in the window's year);
* a baseline written without a year ("from June", «к апрелю», "compared
  with the first quarter") is the latest such period before the window;
* "the last quarter of 2021" is Q4.

Every result states its window and baseline as month ranges and how the
baseline was found. Relative expressions resolve only against a publication
date; without one they are left out and the result says so.

What it does not do: read periods that are not calendar spans ("in recent
months", "pre-invasion"): :mod:`nlp.link.frames` keeps its anchor rules for
those.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

Months = tuple[int, int]   # first and last month as year * 12 + month - 1

_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "last": 0, "final": 0, "первый": 1, "первого": 1, "первом": 1, "первым": 1, "второй": 2,
            "второго": 2, "втором": 2, "вторым": 2, "третий": 3, "третьего": 3, "третьем": 3, "третьим": 3,
            "четвертый": 4, "четвёртый": 4, "четвертого": 4, "четвёртого": 4, "четвертом": 4,
            "четвёртом": 4, "четвертым": 4, "четвёртым": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "два": 2, "двух": 2, "три": 3, "трех": 3,
                 "трёх": 3, "четыре": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "восемь": 8,
                 "девять": 9, "девяти": 9, "десять": 10, "одиннадцать": 11, "одиннадцати": 11,
                 "двенадцать": 12}


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_label(span: Months | None) -> str | None:
    return f"{month_label(span[0])}..{month_label(span[1])}" if span else None


def to_interval(span: Months) -> list[str]:
    """[first ISO day, last ISO day] of a month span."""
    first = dt.date(span[0] // 12, span[0] % 12 + 1, 1)
    y, m = divmod(span[1] + 1, 12)
    last = dt.date(y, m + 1, 1) - dt.timedelta(days=1)
    return [first.isoformat(), last.isoformat()]


@dataclass
class Atom:
    start: int
    end: int
    text: str
    unit: str                 # year | half | quarter | month | range | count | anchor
    span: Months | None       # resolved months (None: needs a year from context)
    explicit_year: bool
    index: int = 0            # half / quarter / month number (for year-less atoms)
    count: int = 0            # months counted ("eleven months")
    consumed_cue: bool = False
    open_signal: bool = False   # "after April 2023", "since 2014": not a closed window


@dataclass
class PeriodReading:
    window: Months | None = None
    baseline: Months | None = None
    window_text: str = ""
    baseline_text: str = ""
    how: str = ""                     # how the baseline was found
    kind: str = ""                    # year, half, quarter, month, months
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"window": months_label(self.window), "baseline": months_label(self.baseline),
                "window_text": self.window_text, "baseline_text": self.baseline_text,
                "baseline_rule": self.how, "unit": self.kind, "notes": self.notes}


# -- atoms from the date extractor ------------------------------------------------------

_YEAR_IN_TEXT = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)|\d{2}-го", re.I)
_RELATIVE = re.compile(r"\b(?:this|last|next|previous|current|past)\s+year|этого\s+года|прошлого\s+года|"
                       r"текущего\s+года|прошлом\s+году|этом\s+году|текущем\s+году|сего\s+года", re.I)
_LAST_QUARTER = re.compile(r"\b(?:the\s+)?(?:last|final)\s+quarter\s+of\s+((?:19|20)\d{2})|"
                           r"последн\w+\s+квартал\w*\s+((?:19|20)\d{2})", re.I)


_OPEN_SIGNAL = re.compile(r"(?:\bafter|\bsince|\bbefore|\buntil|\btill|\bprior\s+to|\bup\s+to|после|(?<![\w-])до|"
                          r"начиная\s+с|с\s+момента)\s+(?:the\s+)?(?:end\s+of\s+|start\s+of\s+)?$", re.I)


def _atoms(text: str, lang: str, published: dt.date | None) -> list[Atom]:
    from ..extract.dates import find_dates

    atoms: list[Atom] = []
    for d in find_dates(text, lang=lang, published=published):
        value, piece = str(d.get("value") or ""), d["text"]
        explicit = bool(_YEAR_IN_TEXT.search(piece)) or (bool(_RELATIVE.search(piece)) and published is not None)
        m = re.fullmatch(r"(\d{4})(?:-(Q|H)(\d)|-(\d{2}))?", value)
        if m:
            year = int(m.group(1))
            if m.group(2) == "Q":
                q = int(m.group(3))
                last = _LAST_QUARTER.search(piece)
                if last:
                    q = 4
                unit, index, span = "quarter", q, (month_index(year, 3 * q - 2), month_index(year, 3 * q))
            elif m.group(2) == "H":
                h = int(m.group(3))
                unit, index, span = "half", h, (month_index(year, 6 * h - 5), month_index(year, 6 * h))
            elif m.group(4):
                mo = int(m.group(4))
                unit, index, span = "month", mo, (month_index(year, mo), month_index(year, mo))
            else:
                unit, index, span = "year", 0, (month_index(year, 1), month_index(year, 12))
            if _RELATIVE.search(piece) and published is None:
                continue  # "last year" in an undated text: no anchor
            signal = bool(_OPEN_SIGNAL.search(text[max(0, d["start"] - 20):d["start"]]))
            atoms.append(Atom(d["start"], d["end"], piece, unit, span, explicit, index, open_signal=signal))
            continue
        m = re.fullmatch(r"P(\d+)M", value)
        if m:
            atoms.append(Atom(d["start"], d["end"], piece, "count", None, False, count=int(m.group(1))))
            continue
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and d.get("mod") in ("AFTER", "ON_OR_AFTER"):
            atoms.append(Atom(d["start"], d["end"], piece, "anchor", None, True))
    return atoms


# -- composition --------------------------------------------------------------------

_RANGE_JOIN = re.compile(r"^\s*(?:–|—|-|to|through|till|until|and|по|до|и)\s*$", re.I)
_COMPARISON_BEFORE = re.compile(r"(?:сравнени\w*|сравнительно|compared|comparison)\s+$", re.I)
_RANGE_OPEN = re.compile(r"(?:\bfrom|\bbetween|(?<![\w-])с|(?<![\w-])со|(?<![\w-])между)\s+$", re.I)


def _merge_ranges(text: str, atoms: list[Atom]) -> list[Atom]:
    out: list[Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if i + 1 < len(atoms) and a.unit == "month" and atoms[i + 1].unit == "month":
            b = atoms[i + 1]
            join = text[a.end:b.start]
            if _RANGE_JOIN.match(join) and (join.strip() not in ("and", "и", "по", "до", "to", "till", "until")
                                           or _RANGE_OPEN.search(text[:a.start])
                                           or join.strip() in ("to", "through")):
                first, last = a.span, b.span
                assert first and last
                if not a.explicit_year and b.explicit_year:
                    year = last[0] // 12 - (1 if a.index > b.index else 0)
                    first = (month_index(year, a.index), month_index(year, a.index))
                opener = _RANGE_OPEN.search(text[:a.start])
                if opener and (_COMPARISON_BEFORE.search(text[:opener.start()])
                               or join.strip() in ("–", "—", "-") and out):
                    # «по сравнению с февралём–июнем», "in Q3 from April–June": the opener
                    # word belongs to the comparison, not to the range
                    opener = None
                start = opener.start() if opener else a.start
                out.append(Atom(start, b.end, text[start:b.end], "range", (first[0], last[1]),
                                a.explicit_year or b.explicit_year, consumed_cue=bool(opener)))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


_COUNT_OF_YEAR = re.compile(r"^\s*(?:of|in|за|)\s*$", re.I)
_COUNT_FROM_END = re.compile(r"\b(?:last|final|closing)\b|последни\w*|заключительн\w*", re.I)
_COUNT_TO = re.compile(r"^\s*(?:to|through|ending(?:\s+in)?|up\s+to|до|по)\s*$", re.I)


def _counted_months(text: str, atoms: list[Atom]) -> list[Atom]:
    """'the first eleven months of 2022', 'the eleven months to November 2022'."""
    out: list[Atom] = []
    skip = set()
    for i, a in enumerate(atoms):
        if i in skip:
            continue
        if a.unit == "count" and i + 1 < len(atoms):
            b = atoms[i + 1]
            join = text[a.end:b.start]
            if b.unit == "year" and _COUNT_OF_YEAR.match(join) and b.span and a.count <= 12:
                year = b.span[0] // 12
                # "the last six months of 2021", «последние три месяца 2021 года»: counted from December
                last = bool(_COUNT_FROM_END.search(text[max(0, a.start - 12):a.start + 12]))
                first_month, last_month = (12 - a.count + 1, 12) if last else (1, a.count)
                out.append(Atom(a.start, b.end, text[a.start:b.end], "range",
                                (month_index(year, first_month), month_index(year, last_month)), b.explicit_year))
                skip.add(i + 1)
                continue
            if b.unit == "month" and _COUNT_TO.match(join) and b.span:
                out.append(Atom(a.start, b.end, text[a.start:b.end], "range",
                                (b.span[0] - a.count + 1, b.span[1]), b.explicit_year))
                skip.add(i + 1)
                continue
        out.append(a)
    return out


_CUE = re.compile(
    r"(?<![\w-])(?:compared\s+(?:with|to)|as\s+against|relative\s+to|versus|vs\.?|against|than\s+(?:in|during|for|over)?|"
    r"from|on|exceed\w*|above|below|as\s+in|as\s+(?:much|high)\s+as\s+in|level\s+of|levels\s+of|level\s+with|"
    r"по\s+сравнению\s+со?|в\s+сравнении\s+со?|сравнительно\s+со?|против|относительно|чем\s+(?:в|во|за)?|"
    r"к|ко|уровн\w+|с\s+уровн\w+|(?<=\s)(?:their|its)(?=\s+$))"
    r"\s+(?:(?:that|those)\s+of\s+|(?:their|its|the)\s+(?:level\s+(?:of|in)\s+)?|в\s+|во\s+|за\s+)?$", re.I)

_SAME = re.compile(
    r"(?:the\s+)?same\s+(?:period|months?|(?:\w+\s+)?months|quarter|half|time)(?:\s+(?:of|in|a\s+year)\s+"
    r"(?P<year>(?:19|20)\d{2}|earlier|before|ago|the\s+previous\s+year|last\s+year|a\s+year\s+(?:earlier|before)))?"
    r"|(?:тем\s+же|тот\s+же|того\s+же|аналогичн\w+)\s+(?:периодом|период\w*|месяц\w*|квартал\w*|полугоди\w*)"
    r"(?:\s+(?P<ruyear>(?:19|20)\d{2}|прошлого\s+года|предыдущего\s+года)(?:\s*(?:года|г\.|-го))?)?",
    re.I)
_YEAR_BACK = re.compile(
    r"\b(?:a|one)\s+year\s+(?:earlier|before|ago|previously)|\byear[\s-]+on[\s-]+year\b|\by/y\b|\byoy\b|"
    r"\bfrom\s+a\s+year\s+(?:earlier|before)|\bthe\s+previous\s+year'?s?\s+(?:level|figure)|"
    r"год\s+к\s+году|в\s+годовом\s+(?:сопоставлении|выражении|исчислении)|годом\s+ранее|"
    r"(?:по\s+сравнению\s+с|в\s+сравнении\s+с|к|против|относительно)\s+(?:предыдущ\w+|прошл\w+)\s+год\w*|"
    r"(?:compared\s+(?:with|to)|from|over|versus|vs\.?|on)\s+the\s+(?:previous|prior|preceding)\s+year|"
    r"\bthe\s+year\s+before\b|"
    r"\b(?:the\s+)?(?:year[-\s]earlier|year[-\s]ago|prior[-\s]year|previous[-\s]year)\s+(?:period|months?|quarter|"
    r"half|levels?|figures?)\b|\bon\s+the\s+year\b(?!\s+(?:before|earlier))|(?<![\w/])г\s*/\s*г(?![\w/])", re.I)
_PREVIOUS = re.compile(
    r"(?P<unit>quarter|month)[\s-]+on[\s-]+(?:quarter|month)|\bq-?o-?q\b|\bm-?o-?m\b|"
    r"(?:the\s+)?(?:previous|preceding|prior)\s+(?P<unit2>quarter|month|half|(?:(?P<n>\w+)\s+)?months)|"
    r"(?:предыдущ\w+|предшествующ\w+|прошл\w+)\s+(?P<unit3>квартал\w*|месяц\w*|полугоди\w*)|"
    r"(?P<unit4>квартал|месяц)\s+к\s+(?:кварталу|месяцу)|"
    # "q/q", "m/m", "h/h", "half on half", "sequentially", "on the month"; «кв/кв», «м/м», «в квартальном выражении»
    r"(?<![\w/])[qmh]\s*/\s*[qmh](?![\w/])|\bhalf[\s-]+on[\s-]+half\b|\bh-?o-?h\b|\bsequential(?:ly)?\b|"
    r"\bon\s+the\s+(?:month|quarter)\b(?!\s+(?:before|earlier))|"
    r"(?<![\w/])(?:кв|к|м|мес|п)\s*/\s*(?:кв|к|м|мес|п)(?![\w/])|"
    r"в\s+(?:квартальном|поквартальном|месячном|помесячном)\s+(?:выражении|исчислении|сопоставлении)", re.I)
_ORDINAL_PAIR = re.compile(
    r"between\s+(?:the\s+)?(?P<a>first|second|third|fourth)\s+and\s+(?:the\s+)?(?P<b>first|second|third|fourth|"
    r"last)\s+(?P<unit>quarter|half|halves|quarters)s?\s+(?:of\s+)?(?P<year>(?:19|20)\d{2})|"
    r"between\s+(?:the\s+)?(?P<a2>first|second|third|fourth)\s+(?P<unit2>quarter|half)\s+and\s+(?:the\s+)?"
    r"(?P<b2>first|second|third|fourth)\s+(?:quarter|half)?\s*(?:of\s+)?(?P<year2>(?:19|20)\d{2})|"
    r"между\s+(?P<a3>\w+)\s+и\s+(?P<b3>\w+)\s+(?P<unit3>квартал|полугоди)\w*\s+(?P<year3>(?:19|20)\d{2})",
    re.I)
_BARE_ORDINAL = re.compile(
    r"(?:compared\s+(?:with|to)|from|than\s+(?:in)?|over|versus|against)\s+the\s+"
    r"(?P<o>first|second|third|fourth)(?!\s+(?:quarter|half|month|week|time|year))\b|"
    r"(?:по\s+сравнению\s+с|к)\s+(?P<o2>первым|вторым|третьим|четвертым|четвёртым)(?!\s+(?:квартал|полугод))",
    re.I)


def _unit_of(span: Months) -> tuple[str, int]:
    length = span[1] - span[0] + 1
    if length == 12 and span[0] % 12 == 0:
        return "year", 12
    if length == 6 and span[0] % 6 == 0:
        return "half", 6
    if length == 3 and span[0] % 3 == 0:
        return "quarter", 3
    if length == 1:
        return "month", 1
    return "months", length


def _resolve_yearless(atom: Atom, window: Months) -> Months:
    """A baseline without a year: the latest such period before the window."""
    year = window[0] // 12
    for y in (year, year - 1):
        if atom.unit == "quarter":
            span = (month_index(y, 3 * atom.index - 2), month_index(y, 3 * atom.index))
        elif atom.unit == "half":
            span = (month_index(y, 6 * atom.index - 5), month_index(y, 6 * atom.index))
        elif atom.unit == "month":
            span = (month_index(y, atom.index), month_index(y, atom.index))
        elif atom.unit == "range" and atom.span is not None:
            # a month range read against some other year: the same months in year y
            first, last = atom.span[0] % 12, atom.span[1] % 12 + (atom.span[1] // 12 - atom.span[0] // 12) * 12
            span = (y * 12 + first, y * 12 + last)
        elif atom.span is not None:
            return atom.span
        else:
            break
        if span[1] < window[0]:
            return span
    assert atom.span is not None
    return atom.span


_ORD_WORD = r"(first|second|third|fourth|last|1st|2nd|3rd|4th)"
_MONTH_ABBRS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                "sept": 9, "oct": 10, "nov": 11, "dec": 12, "янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4,
                "май": 5, "мая": 5, "мае": 5, "июн": 6, "июл": 7, "авг": 8, "сен": 9, "сент": 9, "окт": 10, "ноя": 11,
                "нояб": 11, "дек": 12}
_MONTH_ABBR = "|".join(sorted(_MONTH_ABBRS, key=len, reverse=True))
# a month name by its first letters, any form ("September", "Sept", «сентябрь», «сентября»)
_MONTH_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|янв|фев|мар|апр|ма[йяе]|июн|июл|авг|сен|окт|ноя|дек)"
_EXTRA_SPANS = [
    # "2022's first half", "2021's last quarter"
    (re.compile(rf"\b((?:19|20)\d{{2}})['’]s\s+{_ORD_WORD}\s+(half|quarter)\b", re.I), "possessive"),
    # "2022's first nine months", "2021's last six months"
    (re.compile(r"\b((?:19|20)\d{2})['’]s\s+(first|last|final)\s+(\w+)\s+months\b", re.I), "possessive_months"),
    # "Q1-Q3 2022", "Q1–Q3 of 2022"
    (re.compile(r"\bQ([1-4])\s*[-–—]\s*Q([1-4])\s*(?:of\s+)?((?:19|20)\d{2})\b", re.I), "quarters"),
    # "the first three quarters of 2022", "the first two quarters of 2022"
    (re.compile(r"\bfirst\s+(two|three|2|3)\s+quarters\s+(?:of\s+)?((?:19|20)\d{2})\b", re.I), "first_quarters"),
    # "1H 2022", "2H21"
    (re.compile(r"\b([12])H\s*((?:19|20)?\d{2})\b"), "half_short"),
    # "9M 2022", "11M 2022", "11M22", «9М22» (Cyrillic М), «за 11 мес. 2022 г.»
    (re.compile(r"(?<![\w.,])(\d{1,2})[MМ]\s*['’]?\s*((?:19|20)?\d{2})\b"), "months_short"),
    (re.compile(r"(?<![\w.,])(\d{1,2})\s*мес\.?\s*((?:19|20)\d{2})(?!\d)", re.I), "months_short"),
    # "2Q22", "3Q 2022", "1Q'21"
    (re.compile(r"(?<![\w.,])([1-4])Q\s*['’]?\s*((?:19|20)?\d{2})\b"), "quarter_short"),
    # «1П 2022», «2П21»: a half-year
    (re.compile(r"(?<![\w.,])([12])\s?П\s*((?:19|20)?\d{2})(?!\d)"), "half_short"),
    # "the quarter to September 2022", "the three months ended September 30, 2022", "the half-year to June 2022"
    (re.compile(rf"\b(quarter|half[-\s]year|half|three\s+months|six\s+months)\s+(?:to|ended|ending|through)\s+"
                rf"(?:the\s+end\s+of\s+|end[-\s])?({_MONTH_NAME})\w*\.?(?:\s+\d{{1,2}})?,?\s+((?:19|20)\d{{2}})\b", re.I),
     "span_to_month"),
    # year to date: "year-to-date through September 2022", "in 2022 through November", «с начала 2022 года по сентябрь»
    (re.compile(rf"\b(?:year[-\s]to[-\s]date|ytd)\s*,?\s+(?:through|to|until|till|up\s+to)\s+(?:the\s+end\s+of\s+)?"
                rf"({_MONTH_NAME})\w*\.?\s+((?:19|20)\d{{2}})\b", re.I), "to_date"),
    (re.compile(rf"\b((?:19|20)\d{{2}})\s+(?:through|to|until|till|up\s+to)\s+(?:the\s+end\s+of\s+)?({_MONTH_NAME})\w*",
                re.I), "year_through"),
    (re.compile(rf"(?<![\w-])с\s+начала\s+((?:19|20)\d{{2}})\s*(?:года|г\.?)?\s+(?:по|до)\s+(?:конца\s+)?"
                rf"({_MONTH_NAME})\w*", re.I), "year_through"),
    # "H1 2022", "H2 2021", "H1'22"
    (re.compile(r"\bH([12])\s*['’]?\s*((?:19|20)?\d{2})\b"), "half_short"),
    # abbreviated month ranges: "Jan-Nov 2022", "Mar.–Nov. 2022", «янв.–нояб. 2022»
    (re.compile(rf"(?<![\w-])({_MONTH_ABBR})\.?\s*[-–—]\s*({_MONTH_ABBR})\.?\s*((?:19|20)\d{{2}})\b", re.I),
     "month_abbr_range"),
]


def _month_number(word: str) -> int:
    word = word.lower()
    return next(n for key, n in sorted(_MONTH_ABBRS.items(), key=lambda kv: -len(kv[0])) if word.startswith(key))


def _extra_atoms(text: str) -> list[Atom]:
    """Calendar spans the date extractor does not read: quarter ranges, '1H 2022', "2022's first half"."""
    out = []
    for regex, how in _EXTRA_SPANS:
        for m in regex.finditer(text):
            if how == "possessive":
                year, index = int(m.group(1)), _ORDINAL.get(m.group(2).lower(), 0)
                length = 6 if m.group(3).lower() == "half" else 3
                index = index or 12 // length
                span = (month_index(year, (index - 1) * length + 1), month_index(year, index * length))
                unit = "half" if length == 6 else "quarter"
            elif how == "possessive_months":
                word = m.group(3).lower()
                n = int(word) if word.isdigit() else _WORD_NUMBERS.get(word, 0)
                if not 1 <= n <= 12:
                    continue
                year = int(m.group(1))
                first = 1 if m.group(2).lower() == "first" else 13 - n
                span, unit = (month_index(year, first), month_index(year, first + n - 1)), "range"
            elif how == "quarters":
                year = int(m.group(3))
                span = (month_index(year, 3 * int(m.group(1)) - 2), month_index(year, 3 * int(m.group(2))))
                unit = "range"
            elif how == "first_quarters":
                n = _WORD_NUMBERS.get(m.group(1).lower()) or int(m.group(1))
                year = int(m.group(2))
                span, unit = (month_index(year, 1), month_index(year, 3 * n)), "range"
            elif how == "month_abbr_range":
                year = int(m.group(3))
                first, last = _MONTH_ABBRS[m.group(1).lower()], _MONTH_ABBRS[m.group(2).lower()]
                if first > last:
                    continue
                span, unit = (month_index(year, first), month_index(year, last)), "range"
            elif how == "quarter_short":
                year = int(m.group(2)) if len(m.group(2)) == 4 else 2000 + int(m.group(2))
                q = int(m.group(1))
                span, unit = (month_index(year, 3 * q - 2), month_index(year, 3 * q)), "quarter"
            elif how == "span_to_month":
                length = 3 if m.group(1).lower().startswith(("quarter", "three")) else 6
                last = month_index(int(m.group(3)), _month_number(m.group(2)))
                span = (last - length + 1, last)
                unit = _unit_of(span)[0] if _unit_of(span)[0] in ("quarter", "half") else "range"
            elif how == "to_date":
                year = int(m.group(2))
                span, unit = (month_index(year, 1), month_index(year, _month_number(m.group(1)))), "range"
            elif how == "year_through":
                year = int(m.group(1))
                span, unit = (month_index(year, 1), month_index(year, _month_number(m.group(2)))), "range"
            elif how == "half_short":
                year = int(m.group(2)) if len(m.group(2)) == 4 else 2000 + int(m.group(2))
                h = int(m.group(1))
                span, unit = (month_index(year, 6 * h - 5), month_index(year, 6 * h)), "half"
            else:
                n, year = int(m.group(1)), int(m.group(2))
                year = year if year >= 100 else 2000 + year
                if not 1 <= n <= 12:
                    continue
                span, unit = (month_index(year, 1), month_index(year, n)), "range"
            out.append(Atom(m.start(), m.end(), m.group(0), unit, span, True))
    return out


def read_periods(text: str, lang: str = "en", published: dt.date | None = None) -> PeriodReading:
    """The claim window and its baseline, as month spans, from a statement."""
    reading = PeriodReading()
    pair = _ORDINAL_PAIR.search(text)
    if pair:
        a = pair.group("a") or pair.group("a2") or pair.group("a3")
        b = pair.group("b") or pair.group("b2") or pair.group("b3")
        unit = (pair.group("unit") or pair.group("unit2") or pair.group("unit3")).lower()
        year = int(pair.group("year") or pair.group("year2") or pair.group("year3"))
        length = 3 if unit.startswith(("quarter", "квартал")) else 6
        ia, ib = _ORDINAL.get(a.lower(), 0), _ORDINAL.get(b.lower(), 0) or 12 // length
        if ia and ib:
            reading.baseline = (month_index(year, (ia - 1) * length + 1), month_index(year, ia * length))
            reading.window = (month_index(year, (ib - 1) * length + 1), month_index(year, ib * length))
            reading.window_text = reading.baseline_text = pair.group(0)
            reading.how = "as stated (the first and the later period named)"
            reading.kind = _unit_of(reading.window)[0]
            return reading

    extra = _extra_atoms(text)
    base = [a for a in _atoms(text, lang, published)
            if not any(a.start < e.end and e.start < a.end for e in extra)]
    atoms = _counted_months(text, _merge_ranges(text, sorted(base + extra, key=lambda a: a.start)))
    same = _SAME.search(text)
    if same:
        atoms = [a for a in atoms if a.end <= same.start() or a.start >= same.end()]
    year_back = _YEAR_BACK.search(text)
    if year_back:
        atoms = [a for a in atoms if a.end <= year_back.start() or a.start >= year_back.end()]
    previous = _PREVIOUS.search(text)
    if previous:
        atoms = [a for a in atoms if a.end <= previous.start() or a.start >= previous.end()]
    calendar = [a for a in atoms if a.unit in ("year", "half", "quarter", "month", "range")]
    if any(a.open_signal for a in calendar if a.unit != "range"):
        reading.notes.append("an open period (after / since / before): read by the anchor rules")
        return reading
    if not calendar:
        if any(a.unit == "anchor" or a.unit == "count" for a in atoms):
            reading.notes.append("no calendar period with a year")
        return reading

    for a, b in zip(calendar, calendar[1:], strict=False):
        # "between the first half of 2021 and the first half of 2022": the
        # earlier period named is the baseline, the later the window.
        if re.search(r"(?:\bbetween|между)\s+$", text[max(0, a.start - 12):a.start], re.I) and \
                re.fullmatch(r"\s*(?:and|и)\s*", text[a.end:b.start]) and a.span and b.span and a.explicit_year:
            first, second = (a, b) if a.span[0] <= b.span[0] else (b, a)
            reading.window, reading.baseline = second.span, first.span
            reading.window_text, reading.baseline_text = second.text, first.text
            reading.how = f"as stated (between {first.text} and {second.text})"
            reading.kind = _unit_of(second.span)[0] if second.span else ""
            return reading

    def cued(a: Atom) -> bool:
        return not a.consumed_cue and bool(_CUE.search(text[max(0, a.start - 40):a.start]))

    baseline_atom = next((a for a in calendar if cued(a)), None)
    candidates = [a for a in calendar if a is not baseline_atom and not cued(a)]
    if not candidates:
        return reading
    finer = [a for a in candidates if a.unit != "year"]
    window_atom = (finer or candidates)[0]
    if window_atom.span is None:
        return reading
    window = window_atom.span
    reading.window, reading.window_text = window, window_atom.text
    unit, length = _unit_of(window)
    reading.kind = unit

    if baseline_atom is not None:
        span = baseline_atom.span if baseline_atom.explicit_year else _resolve_yearless(baseline_atom, window)
        if baseline_atom.unit == "year" and unit != "year" and baseline_atom.span and \
                not re.search(r"level|уровн", text[max(0, baseline_atom.start - 25):baseline_atom.end + 10], re.I):
            # "compared with 2021" after a quarter: the same months of that year
            shift = (baseline_atom.span[0] // 12 - window[0] // 12) * 12
            span = (window[0] + shift, window[1] + shift)
        reading.baseline, reading.baseline_text = span, baseline_atom.text
        reading.how = f"as stated ({baseline_atom.text})"
    elif same:
        named = same.group("year") or same.group("ruyear")
        if named and re.match(r"\d{4}", named):
            shift = (int(named[:4]) - window[0] // 12) * 12
        else:
            shift = -12
        if shift >= 0:
            shift = -12
        reading.baseline = (window[0] + shift, window[1] + shift)
        reading.baseline_text, reading.how = same.group(0), f"the same months of {month_label(reading.baseline[0])[:4]}"
    elif year_back:
        reading.baseline = (window[0] - 12, window[1] - 12)
        reading.baseline_text, reading.how = year_back.group(0), "the same months a year earlier"
    elif previous:
        n = previous.group("n")
        count = length
        if n:
            count = int(n) if n.isdigit() else _WORD_NUMBERS.get(n.lower(), length)
        elif (previous.group("unit") or previous.group("unit2") or previous.group("unit3")
              or previous.group("unit4") or "").lower().startswith(("month", "месяц")):
            count = 1 if length == 1 else length
        reading.baseline = (window[0] - count, window[0] - 1)
        reading.baseline_text, reading.how = previous.group(0), "the period just before the window"
    else:
        bare = _BARE_ORDINAL.search(text)
        if bare and unit in ("quarter", "half"):
            index = _ORDINAL[(bare.group("o") or bare.group("o2")).lower()]
            atom = Atom(bare.start(), bare.end(), bare.group(0), unit, None, False, index)
            reading.baseline = _resolve_yearless(atom, window) if index else None
            reading.baseline_text, reading.how = bare.group(0), f"as stated ({bare.group(0)})"
        if reading.baseline is None:
            reading.baseline = (window[0] - 12, window[1] - 12)
            reading.how = "not stated: the same months a year earlier"
    return reading
