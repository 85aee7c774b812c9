"""English time-expression rules: find TIMEX3 extents and normalise their values.

A rule is a compiled regular expression plus a function that turns a match
into a :class:`Timex` (or rejects it). All rules run over the text, and the
longest non-overlapping matches win, so "the third quarter of 1989" beats
"1989" and "two years ago" beats "two years". Extents follow the TimeML
TIMEX3 guidelines (and TimeBank practice): determiners and modifiers belong
to the expression ("the past three years", "early next year", "nearly two
years"), prepositions do not ("in", "after", "since" are signals; the one
right before an expression is recorded as ``signal``).

Relative expressions are resolved against the document date ``dct``
("last year", "Friday", "two weeks ago"). Where a value depends on reading
the whole story (which event "the day" refers to) the rule either leaves the
expression out or uses the document date, as HeidelTime does.

It does not parse free-form dates with a library: dateparser is slower by
orders of magnitude and finds no extents in TimeML's sense (see the baseline
row in docs/extract_dates.md). Russian lives in ``dates.ru``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache

from nlp.extract.dates import en_context
from nlp.extract.dates.calendar import Timex, season_index, shift, value_at
from nlp.extract.dates.en_context import extra_candidates, resolve
from nlp.extract.dates.vocab import anchors, holiday_date
from nlp.extract.regex_scan import RuleScanner

# --- vocabulary ----------------------------------------------------------------

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thu": 4, "thur": 4, "thurs": 4, "friday": 5, "fri": 5, "saturday": 6,
    "sat": 6, "sunday": 7, "sun": 7,
}
SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}
VAGUE_QUANTITIES = {"few", "a few", "several", "many", "some", "a number of", "numerous", "couple", "a couple"}
UNITS = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "fortnight": "W", "month": "M",
    "quarter": "Q", "year": "Y", "decade": "E", "century": "C", "centurie": "C", "millennium": "L",
    "millennia": "L", "weekend": "WE",
}
DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                "eighties": 8, "nineties": 9}
SETS = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W", "monthly": "P1M",
        "bimonthly": "P2M", "quarterly": "P1Q", "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H",
        "semiannually": "P6M", "semi-annually": "P6M"}
APPROX_MODS = {
    "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX", "some": "APPROX",
    "close to": "APPROX", "nearly": "LESS_THAN", "less than": "LESS_THAN",
    "fewer than": "LESS_THAN", "more than": "MORE_THAN", "about": "APPROX", "almost": "LESS_THAN",
    "over": "MORE_THAN", "just over": "MORE_THAN", "at least": "EQUAL_OR_MORE", "at most": "EQUAL_OR_LESS",
    "up to": "EQUAL_OR_LESS", "no more than": "EQUAL_OR_LESS", "as many as": "EQUAL_OR_LESS",
}
POSITION_MODS = {
    "early": "START", "earlier": "START", "the beginning of": "START", "the start of": "START",
    "beginning of": "START", "start of": "START", "the dawn of": "START", "late": "END", "later": "END",
    "the end of": "END", "end of": "END", "the close of": "END", "the turn of": "END", "mid": "MID",
    "the middle of": "MID", "middle of": "MID", "the first half of": "START", "the second half of": "END",
}
# Words before a four-digit number that make it a reference, not a year.
NOT_YEAR_BEFORE = re.compile(
    r"(?:article|art\.|no\.|nos\.|number|annex|page|pp?\.|regulation|directive|decision|section|paragraph|"
    r"para\.|case|model|flight|route|room|code|tel\.?|phone|fax|item|chapter|resolution|hs|cn|tariff|"
    r"heading|subheading|rule|form|entry|entries|point|line|row|id|ref\.?|reference|serial|\$|€|£|¥|us\$|usd|eur|rub|#)\s*$",
    re.I,
)
# Count nouns after a four-digit number: "2000 troops" is a quantity.
NOT_YEAR_AFTER = re.compile(
    r"\s*(?:people|persons|troops|soldiers|men|women|children|tons?|tonnes?|barrels|km|kilomet\w+|miles|"
    r"met(?:er|re)s|feet|dollars|euros|rubles|roubles|shares|jobs|workers|employees|units|cars|vehicles|"
    r"items|pieces|copies|residents|votes|points|yen|pounds|francs|marks|square|acres|hectares|students|"
    r"members|firms|companies|cases|deaths|refugees|products|goods|codes|hours|minutes|seconds|days|"
    r"rpm|mhz|ghz|kg|mm|cm|mw|kw|hp|cc|percent|per\s+cent|%|million|billion|thousand)\b",
    re.I,
)

# --- regular-expression fragments --------------------------------------------------


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


MON = rf"(?:{_alt(MONTHS)})\.?"
WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.)"
DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
ORDW = rf"(?:(?:twenty|thirty)-)?(?:{_alt(ORDINALS)})"
SMALLW = _alt(SMALL)
TENSW = _alt(TENS)
NUMWORD = rf"(?:(?:{TENSW})(?:[\s-](?:{SMALLW}))?|{SMALLW}|(?:a\s+)?hundred|(?:a\s+)?dozen)(?:\s+(?:hundred|thousand))?"
YEARWORDS = (
    rf"(?:nineteen[\s-](?:hundred(?:\s+and)?\s+)?(?:(?:{TENSW})(?:[\s-](?:{SMALLW}))?|{SMALLW})|"
    rf"two\s+thousand(?:\s+and)?(?:\s+(?:(?:{TENSW})(?:[\s-](?:{SMALLW}))?|{SMALLW}))?)"
)
YEARNUM = r"(?:(?:1[6-9]|20)\d\d(?!\d)|'\d\d(?!\d))"
QUANT = (
    rf"(?:\d+(?:\.\d+)?(?:\s+\d/\d)?|{NUMWORD}(?:\s+and\s+a\s+half)?|an?(?:\s+and\s+a\s+half)?|a\s+few|few|several|"
    rf"many|a\s+couple(?:\s+of)?|couple\s+of|a\s+number\s+of|numerous)"
)
UNIT = r"(?:second|minute|hour|day|week|fortnight|month|quarter|year|decade|centur(?:y|ie)|millenni(?:um|a))"
# TimeBank leaves these outside a duration's extent ("for about two weeks"), but not before "ago"
_OUTSIDE_EXCEPT_AGO = {"about", "almost", "over", "just over"}
_APPROX_WORDS = "|".join(sorted((k.replace(" ", r"\s+") for k in APPROX_MODS if k not in _OUTSIDE_EXCEPT_AGO),
                                key=len, reverse=True))
APPROX = rf"(?:(?P<approx>{_APPROX_WORDS})\s+)"
# Before "N units ago" TimeBank keeps even "about"/"almost" inside the extent.
AGO_APPROX = rf"(?:(?P<approx>{_APPROX_WORDS}|about|almost|just\s+over|over)\s+)"
POSMOD = (
    r"(?:(?P<pos>early|late|earlier|later|the\s+(?:beginning|start|end|middle|close|turn|dawn)\s+of|"
    r"(?:beginning|start|end|middle)\s+of|the\s+(?:first|second)\s+half\s+of|mid)(?:\s*-\s*|\s+))"
)


def _words_to_int(text: str) -> int | None:
    """'twenty four' -> 24, 'a' -> 1, '3' -> 3; None for vague quantities."""
    text = re.sub(r"\s+", " ", text.lower().replace("-", " ")).strip()
    if text.startswith(("a couple", "couple")):
        return 2  # TimeBank reads "a couple of years" as P2Y (mod APPROX)
    if text in VAGUE_QUANTITIES:
        return None
    if re.fullmatch(r"\d+", text):
        return int(text)
    total, current = 0, 0
    for word in text.split():
        if word in ("a", "an", "one"):
            current += 1
        elif word in SMALL:
            current += SMALL[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        elif word == "dozen":
            current = max(current, 1) * 12
        elif word == "and":
            continue
        else:
            return None
    return total + current


def _year_words(text: str) -> int | None:
    words = re.sub(r"[\s-]+", " ", text.lower()).replace(" and ", " ").split()
    if words[:2] == ["two", "thousand"]:
        rest = _words_to_int(" ".join(words[2:])) if len(words) > 2 else 0
        return 2000 + (rest or 0)
    if words[0] == "nineteen":
        tail = words[1:]
        if tail and tail[0] == "hundred":
            tail = tail[1:]
        value = _words_to_int(" ".join(tail)) if tail else 0
        return 1900 + value if value is not None and value < 100 else None
    return None


def _year(text: str, dct: dt.date | None) -> int | None:
    text = text.strip()
    if text.startswith("'"):
        two = int(text[1:])
        century = (dct.year // 100 * 100) if dct else 1900
        year = century + two
        if dct and year > dct.year + 10:
            year -= 100
        return year
    if text[:1].isdigit():
        return int(text)
    return _year_words(text)


# --- context helpers -------------------------------------------------------------------

_FUTURE_CUES = re.compile(
    r"\b(?:will|'ll|shall|going\s+to|plans?\s+to|planned|expects?|scheduled|set\s+to|"
    r"intends?|next|upcoming|(?<!-)expected|(?<!been\s)due|deadline|as\s+(?:soon|early)\s+as|postponed|delayed|"
    r"(?:is|are)\s+to\s+(?!be\b)[a-z]+)\b",
    re.I,
)
# A timetable in the present tense speaks of what is coming: "trading
# resumes Monday", "the auction closes at 9 a.m. Friday", "the rules take
# effect on January 1". Reporting verbs ("says Monday") are not in the list.
_SCHEDULED = re.compile(
    r"\b(?:(?:resume|reopen|restart|close|open|begin|start|end|expire|lapse|meet|convene|vote|launch|arrive|"
    r"depart|return|apply|run)s|(?<=[a-z]s\s)(?:resume|reopen|restart|close|open|begin|start|end|expire|meet|"
    r"convene|vote|launch|arrive)(?!\s+(?:of|the|a|an|demand)\b)|takes?\s+effect|come\s+into\s+(?:force|effect)|comes\s+into\s+(?:force|effect)|"
    r"enters?\s+into\s+force|goes\s+into\s+effect|go\s+into\s+effect|kicks?\s+in|is\s+due|are\s+due)\b",
    re.I)
# A deadline given to someone: "until Friday to respond", "by Monday to file".
_DEADLINE = re.compile(r"\b(?:until|till|by)\s+$", re.I)
_PAST_VERB = re.compile(
    r"\b(?:was|were|had|did|said|told|went|came|took|made|left|sold|bought|began|rose|fell|saw|became|got|gave|"
    r"held|met|paid|sent|won|lost|ran|hit|cut|kept|brought|found|spotted|reached|[a-z]{3,}ed)\b", re.I)
_REPORTING = re.compile(r"(?:said|told|announced|reported|added|noted|stated|declared|indicated|confirmed|"
                        r"estimated|predicted|forecasted|expected|scheduled|planned|agreed|decided|slated|"
                        r"proposed|promised|pledged|warned|signalled|signaled|hoped|wanted)", re.I)
_NOT_PAST = re.compile(r"\b(?:will|would|'ll|is|are|be|been|being|to|has|have)\s+(?:\w+\s+)?$", re.I)
_SENTENCE_START = re.compile(r"[.!?][\"'”]?\s+|\n\s*")
_SETTING_YEAR = re.compile(r"(?:In|During|Throughout|By\s+the\s+end\s+of)\s+(?:early\s+|late\s+|mid-?)?"
                           r"(?P<year>(?:19|20)\d\d)\b(?!\s*[%$])")
_FORWARD_WORDS = re.compile(r"\b(?:payable|due|effective|to|until|by|from|starting|record|around|before)\b", re.I)
_FORWARD_SIGNAL = re.compile(r"\b(?:to|until|till|through|by)\s+(?:early\s+|late\s+|mid-?)?$", re.I)
_NAMED_YEAR = re.compile(r"(?<![\d$€£.,])((?:19|20)\d\d)(?![\d%])")
SIGNALS = re.compile(
    r"\b(after|since|before|until|till|by|from|prior\s+to|no\s+later\s+than|as\s+of|starting|beginning)\s+$", re.I
)
SIGNAL_NAMES = {"till": "until", "prior to": "before", "no later than": "by", "as of": "since",
                "starting": "since", "beginning": "since"}


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind("? ", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1:right]


class Context:
    """What the rules need besides the match: the text and the document date."""

    def __init__(self, text: str, dct: dt.date | None):
        self.text = text
        self.dct = dct
        self._quarterly_doc: bool | None = None

    def future(self, start: int, end: int) -> bool:
        """Does the clause around the expression speak of the future (tense cues near it)?"""
        sentence = _sentence(self.text, start, end)
        offset = self.text.find(sentence, max(0, start - len(sentence) - 2))
        left = max(0, start - offset - 50)
        window = sentence[left:end - offset]
        if _FUTURE_CUES.search(window):
            return True
        if _SCHEDULED.search(window) and not self.past(start, end):
            return True
        before = self.text[max(0, start - 8):start]
        return bool(_DEADLINE.search(before) and re.match(r"\s+to\s+[a-z]", self.text[end:end + 12]))

    def past(self, start: int, end: int) -> bool:
        """A past-tense verb (not a participle after "is", "will be", "has") in the clause."""
        sentence = _sentence(self.text, start, end)
        offset = self.text.find(sentence, max(0, start - len(sentence) - 2))
        clause = re.split(r"[;:]|,\s+(?:and|but|while)\s", sentence[max(0, start - offset - 60):end - offset + 40])
        for part in clause:
            for m in _PAST_VERB.finditer(part):
                if not _NOT_PAST.search(part[:m.start()]) and not _FUTURE_CUES.fullmatch(m.group()) \
                        and not _REPORTING.fullmatch(m.group()):
                    return True
        return False

    def anchor(self) -> dt.date:
        """The document date; callers check that there is one first."""
        if self.dct is None:
            raise ValueError("expression needs a document date")
        return self.dct

    def year_for_month(self, month: int, start: int, end: int) -> int:
        """Year of a month named without one: the one nearest the DCT.

        Ties (six months away) go by tense; "since"/"last" force the past; a
        month early next year needs a future clause ("will ... in February").
        """
        dct = self.anchor()
        diff = month - dct.month
        before = self.text[max(0, start - 12):start].lower()
        if re.search(r"\b(?:since|last|after)\s+$", before):
            return dct.year if diff <= 0 else dct.year - 1
        setting = self.setting_year(start)
        if setting is not None and setting < dct.year and self.past(start, end) and not self.future(start, end):
            return setting  # "In 2019 the company opened a plant. In November it began ..."
        if diff > 6 or (diff == 6 and not self.future(start, end)):
            return dct.year - 1
        if diff > 0 and self.past(start, end) and not self.future(start, end) \
                and not _FORWARD_SIGNAL.search(before):
            # "in August it was spotted", told in March: an August already narrated,
            # of the year the story last named if it named an earlier one. A month
            # just ahead needs that named year ("payable Dec. 7", decided in October).
            narrated = self.narrated_year(start)
            if narrated or diff >= 3 or self.past_governs(start, end):
                return narrated or dct.year - 1
        if diff < 0 and self.future(start, end):
            return dct.year + 1  # a month already past this year, in a future clause: next year
        return dct.year

    def past_governs(self, start: int, end: int) -> bool:
        """A past verb right next to the expression, nothing forward-looking in between
        ("In June, the firm won", "was seized in July"; not "declared ..., payable Dec. 7")."""
        left = re.split(r"[.;:!?\n]", self.text[max(0, start - 40):start])[-1]
        right = re.split(r"[.;:!?\n]", self.text[end:end + 40])[0]
        for window, last in ((left, True), (right, False)):
            verbs = [m for m in _PAST_VERB.finditer(window) if not _REPORTING.fullmatch(m.group())
                     and not _NOT_PAST.search(window[:m.start()])]
            if not verbs:
                continue
            verb = verbs[-1] if last else verbs[0]
            between = window[verb.end():] if last else window[:verb.start()]
            if not _FORWARD_WORDS.search(between) and not _FUTURE_CUES.search(between):
                return True
        return False

    def setting_year(self, start: int) -> int | None:
        """The year that opens this sentence or the one before ("In 2019 ...", "During 2021, ..."):
        the story's time for the months that follow it."""
        heads = [m.end() for m in _SENTENCE_START.finditer(self.text, max(0, start - 400), start)]
        for head in reversed([0, *heads][-2:] if start < 400 else heads[-2:]):
            m = _SETTING_YEAR.match(self.text, head)
            if m and m.end() <= start:
                return int(m["year"])
        return None

    def narrated_year(self, start: int) -> int | None:
        """The last year named in the few sentences before ``start``, if earlier than the DCT's."""
        years = [int(y) for y in _NAMED_YEAR.findall(self.text[max(0, start - 400):start])]
        dct = self.anchor()
        return years[-1] if years and years[-1] < dct.year else None

    def quarterly(self, start: int, end: int) -> bool:
        """Financial-report context: 'a year ago' then means the year-ago quarter."""
        if self._quarterly_doc is None:
            self._quarterly_doc = len(re.findall(r"\bquarter\b", self.text, re.I)) >= 2
        return self._quarterly_doc or bool(re.search(r"\bquarter", _sentence(self.text, start, end), re.I))


    def reporting_quarter(self) -> dt.date:
        """A day in the quarter a report published on the DCT most likely covers."""
        return self.anchor() - dt.timedelta(days=60)

    def rel(self, unit: str, amount: int) -> str:
        """Value of the ``unit`` period ``amount`` units away from the DCT."""
        if not self.dct:
            return {"Y": "XXXX", "Q": "XXXX-QX", "M": "XXXX-XX", "W": "XXXX-WXX", "E": "XXX", "C": "XX"}.get(
                unit, "XXXX-XX-XX")
        return value_at(shift(self.dct, unit, amount), unit)


Handler = Callable[[re.Match, Context], Timex | None]


def _t(m: re.Match, timex_type: str, value: str, mod: str | None = None, anchor: str | None = None,
       group: int | str = 0) -> Timex:
    return Timex(m.start(group), m.end(group), timex_type, value, mod, anchor)


def _pos_mod(m: re.Match) -> str | None:
    pos = m.groupdict().get("pos")
    if not pos:
        return None
    return POSITION_MODS.get(re.sub(r"\s+", " ", pos.lower()).strip(" -"))


def _approx_mod(m: re.Match) -> str | None:
    approx = m.groupdict().get("approx")
    return APPROX_MODS.get(re.sub(r"\s+", " ", approx.lower())) if approx else None


def _month(text: str) -> int | None:
    if not text or not text[0].isupper():  # "may", "march" are words; months are capitalised
        return None
    return MONTHS.get(text.lower().rstrip("."))


def _weekday_date(ctx: Context, weekday: int, rel: str | None, start: int, end: int) -> str:
    if not ctx.dct:
        return f"XXXX-WXX-{weekday}"
    delta = weekday - ctx.dct.isoweekday()
    rel = (rel or "").lower()
    if "next" in rel or "coming" in rel or "following" in rel:
        delta = delta + 7 if delta <= 0 else delta
    elif "last" in rel or "past" in rel or "previous" in rel:
        delta = delta - 7 if delta >= 0 else delta
    elif delta != 0:
        if ctx.future(start, end):
            delta = delta + 7 if delta < 0 else delta
        else:
            delta = delta - 7 if delta > 0 else delta
    return (ctx.dct + dt.timedelta(days=delta)).isoformat()


# --- handlers ---------------------------------------------------------------------------


def h_iso(m, ctx):
    try:
        day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    if m["hh"]:
        return _t(m, "TIME", f"{day.isoformat()}T{int(m['hh']):02d}:{m['mm']}")
    return _t(m, "DATE", day.isoformat())


def h_numeric(m, ctx):
    a, b, year = int(m["a"]), int(m["b"]), m["y"]
    year = int(year) if len(year) == 4 else (1900 + int(year) if int(year) >= 50 else 2000 + int(year))
    if m["sep"] == "/" and a <= 12:
        month, day = a, b  # English slash dates are month first unless that is impossible
    else:
        day, month = a, b
    try:
        return _t(m, "DATE", dt.date(year, month, day).isoformat())
    except ValueError:
        return None


def h_month_day(m, ctx):
    month = _month(m["mon"])
    if month is None:
        return None
    raw_day = m["day"]
    day = ORDINALS.get(raw_day.lower().split("-")[-1]) if raw_day[0].isalpha() else int(re.match(r"\d+", raw_day)[0])
    if raw_day[0].isalpha() and "-" in raw_day:
        day += {"twenty": 20, "thirty": 30}[raw_day.lower().split("-")[0]]
    if m["year"]:
        year = _year(m["year"], ctx.dct)
    elif ctx.dct:
        year = ctx.year_for_month(month, m.start(), m.end())
    else:
        try:
            dt.date(2000, month, day)  # a leap year: is there such a day at all?
        except ValueError:
            return None
        return _t(m, "DATE", f"XXXX-{month:02d}-{day:02d}", _pos_mod(m))
    try:
        value = dt.date(year, month, day).isoformat()
    except ValueError:
        return None
    return _t(m, "DATE", value, _pos_mod(m))


def h_month_year(m, ctx):
    month = _month(m["mon"])
    if month is None:
        return None
    rel = (m["yrel"] or "").lower()
    if rel:
        if not ctx.dct:
            return _t(m, "DATE", f"XXXX-{month:02d}", _pos_mod(m))
        year = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[rel.split()[0]]
    else:
        year = _year(m["year"], ctx.dct)
        if year is None:
            return None
    return _t(m, "DATE", f"{year:04d}-{month:02d}", _pos_mod(m))


def h_month_range(m, ctx):
    """"January-March 2024", "between July and November 2023": the first month takes the year that
    closes the range (the year before when it comes later in the calendar: "December to March 2024")."""
    month = _month(m["mon"])
    month2 = _month(m["mon2"])
    if month is None or month2 is None:
        return None
    year = _year(m["year"], ctx.dct)
    if year and month > month2:
        year -= 1
    return Timex(m.start("mon"), m.end("mon"), "DATE", f"{year:04d}-{month:02d}") if year else None


def h_month(m, ctx):
    raw = m["mon"]
    month = _month(raw)
    if month is None:
        return None
    rel = (m["rel"] or "").lower()
    if raw.lower().rstrip(".") not in ("may",) and len(raw.rstrip(".")) <= 4 and raw.lower().rstrip(".") not in (
            "june", "july") and not raw.endswith("."):
        return None  # "Jan", "Mar" alone are names, not months
    if raw.lower() == "may" and not (rel or m["pos"] or re.search(
            r"\b(?:in|since|until|till|by|of|from|to|through|during|before|after|last|early|late|mid|this|next)\s+$",
            ctx.text[max(0, m.start() - 12):m.start()], re.I)):
        return None
    if not ctx.dct:
        return _t(m, "DATE", f"XXXX-{month:02d}", _pos_mod(m))
    year = ctx.dct.year
    if "last" in rel or "past" in rel:
        year -= 1 if month >= ctx.dct.month else 0
    elif "next" in rel or "coming" in rel:
        year += 1 if month <= ctx.dct.month else 0
    elif "this" not in rel:
        year = ctx.year_for_month(month, m.start(), m.end())
    return _t(m, "DATE", f"{year:04d}-{month:02d}", _pos_mod(m))


def h_year(m, ctx):
    year = int(m["year"])
    before = ctx.text[max(0, m.start() - 14):m.start()]
    if not m["fiscal"] and not m["pos"] and not m["prefix"]:
        if NOT_YEAR_BEFORE.search(before):
            return None
        if NOT_YEAR_AFTER.match(ctx.text, m.end()) and not (
                # "In 2023 companies rushed ...": after a time preposition a plausible year stays a year
                re.search(r"\b(?:[Ii]n|[Ss]ince|[Dd]uring|[Uu]ntil|[Tt]hrough|[Bb]efore|[Aa]fter)\s+$", before)
                and 1950 <= year <= (ctx.dct.year + 5 if ctx.dct else 2100)):
            return None
        if re.search(r"\d[ \u00a0]$", before) or re.match(r"[ \u00a0]\d", ctx.text[m.end():m.end() + 2]):
            return None  # one group of a phone number or code ("8 800 2000 500", "2001 90")
        if not 1900 <= year <= 2099 and not re.search(r"\b(?:in|since|of|by|from|until|before|after)\s+$", before, re.I):
            return None
    mod = _pos_mod(m)
    if m["prefix"]:
        mod = "BEFORE" if m["prefix"].lower().startswith("pre") else "AFTER"
    if m["suffix"]:
        mod = "ON_OR_BEFORE" if re.search(r"earlier|before", m["suffix"], re.I) else "ON_OR_AFTER"
    return _t(m, "DATE", f"{year:04d}", mod)


def h_year_words(m, ctx):
    year = _year_words(m["yw"])
    return _t(m, "DATE", f"{year:04d}", _pos_mod(m)) if year else None


def h_decade(m, ctx):
    if m["decw"]:
        century = int(m["cw"] and 19 or 19)
        decade = f"{century}{DECADE_WORDS[m['decw'].lower()]}"
    else:
        century = m["cent"] or "19"
        decade = f"{century}{m['dec']}"
    return _t(m, "DATE", decade, _pos_mod(m))


def h_century(m, ctx):
    n = int(m["n"]) if m["n"] else ORDINALS.get(m["nw"].lower().split("-")[-1], 0) + (20 if "-" in m["nw"] else 0)
    if not n:
        return None
    return _t(m, "DATE", f"{n - 1:02d}", _pos_mod(m))


def h_this_century(m, ctx):
    return _t(m, "DATE", ctx.rel("C", 0))


def h_quarter(m, ctx):
    words = re.sub(r"[\s-]+", " ", m[0].lower())
    if words.endswith("period") and not re.search(r"year ago|year earlier|latest|comparable|corresponding|same|\d{4}", words):
        return None
    timex = _h_quarter(m, ctx, words)
    if timex and re.search(r"\w-quarter\b", m[0]) and re.match(r"the\s+", m[0], re.I):
        # "the third-quarter loss": the hyphenated adjective is the expression, not "the"
        head = re.match(r"the\s+", m[0], re.I).end()
        timex = Timex(m.start() + head, timex.end, timex.type, timex.value, timex.mod, timex.anchor)
    return timex


def _h_quarter(m, ctx, words):
    number = None
    for word, n in (("first", 1), ("1st", 1), ("second", 2), ("2nd", 2), ("third", 3), ("3rd", 3),
                    ("fourth", 4), ("4th", 4), ("final", 4), ("q1", 1), ("q2", 2), ("q3", 3), ("q4", 4)):
        if re.search(rf"\b{word}\b", words):
            number = n
            break
    year = None
    if y := re.search(r"(?<!\d)((?:1[6-9]|20)\d\d)(?!\d)", words):
        year = int(y[1])
    if not ctx.dct:
        return _t(m, "DATE", f"{year if year else 'XXXX'}-Q{number if number else 'X'}")
    if number is None:
        base = ctx.reporting_quarter()
        if re.search(r"\b(?:current|this)\b", words):
            base = ctx.dct
        elif re.search(r"\b(?:next|coming|following)\b", words):
            base = shift(ctx.dct, "Q", 1)
        elif re.search(r"\b(?:previous|preceding|past|last)\b(?! year)", words):
            base = shift(ctx.reporting_quarter(), "Q", -1)
        if re.search(r"year[ -](?:ago|earlier)|a year (?:ago|earlier)|last year|comparable|corresponding|same", words):
            base = shift(base, "Y", -1)
        if year is not None:
            base = dt.date(year, base.month, 1)
        return _t(m, "DATE", value_at(base, "Q"))
    if year is None:
        year = ctx.dct.year
        if re.search(r"\blast year\b|\byear[ -](?:ago|earlier)\b", words):
            year -= 1
        elif re.search(r"\bnext year\b", words):
            year += 1
        elif (dt.date(year, 3 * number - 2, 1) - ctx.dct).days > 183:
            year -= 1  # "the fourth quarter" in a January story is last year's
    return _t(m, "DATE", f"{year:04d}-Q{number}")


def h_half(m, ctx):
    h = 1 if m["h"].lower() in ("first", "1st", "h1") else 2
    if m["hy"]:
        year = _year(m["hy"], ctx.dct) if m["hy"][0] in "'0123456789" else None
        if year is None:
            rel = m["hy"].lower()
            if not ctx.dct:
                return _t(m, "DATE", f"XXXX-H{h}")
            year = ctx.dct.year + (-1 if "last" in rel else 1 if "next" in rel else 0)
    elif ctx.dct:
        year = ctx.dct.year
    else:
        return _t(m, "DATE", f"XXXX-H{h}")
    return _t(m, "DATE", f"{year:04d}-H{h}")


def h_season(m, ctx):
    season = SEASONS[m["season"].lower()]
    rel = (m["rel"] or "").lower()
    if m["season"].lower() == "fall" and not (rel or m["sy"]):
        return None
    if m["sy"]:
        year = _year(m["sy"], ctx.dct)
    elif not ctx.dct:
        return _t(m, "DATE", f"XXXX-{season}", _pos_mod(m))
    else:
        year = ctx.dct.year
        order = ["WI", "SP", "SU", "FA"]
        now = season_index(ctx.dct, season)
        if "last" in rel or "past" in rel:
            year -= 1 if order.index(season) >= now else 0
        elif "next" in rel or "coming" in rel:
            year += 1 if order.index(season) <= now else 0
        elif rel in ("", "the") and ctx.future(m.start(), m.end()) and order.index(season) < now \
                and not (season == "WI" and now == 3):
            year += 1  # "will meet again in the spring", written in December: the coming spring
    return _t(m, "DATE", f"{year:04d}-{season}", _pos_mod(m))


REF_WORDS = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "presently": "PRESENT_REF",
    "at present": "PRESENT_REF", "the present": "PRESENT_REF", "current": "PRESENT_REF",
    "recently": "PAST_REF", "more recently": "PAST_REF", "most recently": "PAST_REF", "until recently": "PAST_REF",
    "lately": "PAST_REF", "the past": "PAST_REF",
    "once": "PAST_REF", "in the past": "PAST_REF",
    "the future": "FUTURE_REF", "the near future": "FUTURE_REF", "the foreseeable future": "FUTURE_REF",
    "the distant future": "FUTURE_REF", "the immediate future": "FUTURE_REF",
    "as soon as possible": "FUTURE_REF", "the near term": "FUTURE_REF", "the short term": "FUTURE_REF",
    "the long term": "FUTURE_REF", "a later date": "FUTURE_REF", "future": "FUTURE_REF",
}


def h_ref(m, ctx):
    word = re.sub(r"\s+", " ", m["ref"].lower())
    if word == "in the past":
        return Timex(m.start() + 3, m.end(), "DATE", "PAST_REF")
    if word == "once" and not re.match(r"\s*(?:again|more|a\b|every|the|in)", ctx.text[m.end():], re.I):
        return None
    if word == "current" and not re.match(r"\s+(?:level|levels|rate|rates|prices?|situation|conditions?|"
                                           r"environment|climate|state|period|market|regime|policy|policies|"
                                           r"trend|trends|crisis|government|administration|season)\b",
                                           ctx.text[m.end():], re.I):
        return None
    if word == "future" and not re.search(r"\b(?:in|near|for)\s+$", ctx.text[max(0, m.start() - 6):m.start()], re.I):
        return None
    if word == "once":
        return None  # "once" is mostly a conjunction; too noisy to tag
    return _t(m, "DATE", REF_WORDS[word], _pos_mod(m))


# "today" meaning nowadays (TimeML PRESENT_REF): set against the past, or
# between a plural subject and a present-tense state verb ("exporters today
# face more paperwork").
_GENERAL_PRESENT = re.compile(
    r"\b(?:than\s+(?:before|ever|in\s+the\s+past|(?:a|two|three|ten|\w+)\s+(?:years?|decades?|generations?)\s+ago)|"
    r"no\s+longer|any\s*more|these\s+days|nowadays|increasingly|unlike|has\s+become|have\s+become)\b", re.I)
_GENERIC_SUBJECT_TODAY = re.compile(
    r"(?i)\b[a-z]{3,}s\s+today\s+(?:face|have|are|need|must|can|pay|rely|use|remain|account|hold|own|control|depend|"
    r"struggle|live|work|operate|see|find|know|get|make|spend|look|feel|prefer|want|expect|cannot|can't|do)\b")


def _general_today(text: str, start: int, end: int) -> bool:
    sentence = _sentence(text, start, end)
    return bool(_GENERAL_PRESENT.search(sentence)) or bool(
        _GENERIC_SUBJECT_TODAY.search(text, max(0, start - 30), min(len(text), end + 20)))


def h_day_word(m, ctx):
    word = m["dw"].lower()
    offset = {"today": 0, "yesterday": -1, "tomorrow": 1}[word]
    mod = _pos_mod(m)
    if word == "today" and not mod and not SIGNALS.search(ctx.text[max(0, m.start() - 14):m.start()]) \
            and _general_today(ctx.text, m.start(), m.end()):
        return _t(m, "DATE", "PRESENT_REF")
    if not ctx.dct:
        return _t(m, "DATE", "XXXX-XX-XX", mod)
    return _t(m, "DATE", (ctx.dct + dt.timedelta(days=offset)).isoformat(), mod)


def h_relative_unit(m, ctx):
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit_word = re.sub(r"\s+", " ", m["unit"].lower())
    unit = {"week": "W", "weekend": "WE", "month": "M", "year": "Y", "fiscal year": "Y", "decade": "E",
            "century": "C", "quarter": "Q"}[unit_word]
    if rel == "the" and unit == "WE" and ctx.dct:
        # "over the weekend": the last one in a Monday-Thursday story, the coming one on Friday
        offset = 0 if ctx.dct.isoweekday() >= 5 else (0 if ctx.future(m.start(), m.end()) else -1)
        return _t(m, "DATE", value_at(shift(ctx.dct, "W", offset), "W") + "-WE")
    if rel in ("that", "the same", "the"):
        return None
    last = any(w in rel.split() for w in ("last", "past", "previous", "preceding"))
    nxt = any(w in rel.split() for w in ("next", "coming", "following"))
    offset = -1 if last else 1 if nxt else 0
    mod = _pos_mod(m)
    if unit == "WE":
        if not ctx.dct:
            return _t(m, "DATE", "XXXX-WXX-WE", mod)
        return _t(m, "DATE", value_at(shift(ctx.dct, "W", offset), "W") + "-WE", mod)
    return _t(m, "DATE", ctx.rel(unit, offset), mod)


def h_ago(m, ctx):
    n = _words_to_int(m["q"])
    unit = UNITS[m["unit"].lower().rstrip("s")] if m["unit"].lower() != "centuries" else "C"
    direction = m["dir"].lower()
    sign = -1 if direction in ("ago", "earlier", "before") else 1
    mod = _approx_mod(m)
    if unit in "SMH" and m["unit"].lower().startswith(("second", "minute", "hour")):
        return None  # "two hours ago": a time of day we cannot pin down
    if n is None:
        return _t(m, "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", mod)
    if unit == "WE":
        return None
    if not ctx.dct:
        return _t(m, "DATE", ctx.rel(unit, 0), mod)
    if unit == "Y" and ctx.quarterly(m.start(), m.end()):
        return _t(m, "DATE", value_at(shift(ctx.reporting_quarter(), "Y", sign * n), "Q"), mod)
    if unit == "E":
        return _t(m, "DATE", value_at(shift(ctx.dct, "Y", sign * 10 * n), "E"), mod)
    return _t(m, "DATE", value_at(shift(ctx.dct, unit, sign * n), unit), mod)


def _duration_value(n: int | None, unit_word: str) -> str | None:
    unit_word = unit_word.lower()
    amount = "X" if n is None else str(n)
    if unit_word.startswith("second"):
        return f"PT{amount}S"
    if unit_word.startswith("minute"):
        return f"PT{amount}M"
    if unit_word.startswith("hour"):
        return f"PT{amount}H"
    if unit_word.startswith("fortnight"):
        return f"P{'X' if n is None else 2 * n}W"
    if unit_word.startswith("decade"):
        return f"P{'X' if n is None else 10 * n}Y" if n is not None else "PXE"
    if unit_word.startswith("centur"):
        return f"P{amount}C" if n is None else f"P{100 * n}Y"
    if unit_word.startswith("millenni"):
        return f"P{amount}L"
    code = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}.get(unit_word.rstrip("s"))
    return f"P{amount}{code}" if code else None


def _fraction_value(q: str, unit_word: str) -> str | None:
    """"2 1/2 years" -> P2Y6M, "1 1/2 hours" -> PT1H30M, "a minute and a half" -> PT1M30S."""
    half = re.fullmatch(r"(\d+)\s+1/2", q) or re.fullmatch(r"(an?|\d+|\w+)\s+and\s+a\s+half", q, re.I)
    if not half:
        return None
    whole = _words_to_int(half[1])
    if whole is None:
        return None
    unit_word = unit_word.lower()
    for word, big, small, half_small in (("year", "Y", "M", 6), ("month", "M", "D", 15), ("day", "D", "TH", 12),
                                         ("hour", "TH", "M", 30), ("minute", "TM", "S", 30)):
        if unit_word.startswith(word):
            if big.startswith("T"):
                return f"PT{whole}{big[1:]}{half_small}{small}"
            if small == "TH":
                return f"P{whole}DT{half_small}H"
            return f"P{whole}{big}{half_small}{small}"
    return None


def h_duration(m, ctx):
    q = m["q"]
    n = _words_to_int(q)
    if m["q2"]:
        n = None  # "two to three weeks": a range
    value = _fraction_value(f"{q} and a half" if m["half"] else q, m["unit"]) or _duration_value(n, m["unit"])
    if value is None:
        return None
    text = m[0]
    unit = m["unit"].lower()
    if unit == "second" and q.lower() in ("a", "an", "one"):
        return None  # "a second group": the ordinal, not one second
    # "a year" right after an amount is a rate: "$5 a year" (SET), not a duration
    if q.lower() in ("a", "an") and not m["det"] and not m["rel"] and not m["approx"]:
        before = ctx.text[max(0, m.start() - 25):m.start()]
        if re.search(r"(?:\d|%|\bcents?|\bdollars?|\btimes|\bonce|\btwice|\bpercent)\W*$", before, re.I):
            return _t(m, "SET", _duration_value(1, unit))
    if re.fullmatch(r"(?:19|20)\d\d", q) and unit.startswith("year"):
        return None  # "2021 year on year", "the 2022 year end": a calendar year, not 2,021 years
    # a bare single number before a unit word that is plainly a count of things ("1 day" is fine)
    if re.fullmatch(r"\d+(?:\.\d+)?", q) and "." in q:
        return None
    if re.search(r"-old$", text, re.I) or re.search(r"\s+old$", text, re.I) or re.match(
            r"[\s-]+old\b", ctx.text[m.end():m.end() + 6], re.I):
        return None  # ages ("a 6-year-old", "52 years old") are not annotated as durations
    if re.search(r"\w-quarters$", text, re.I):
        return None  # "three-quarters of its food" is a fraction
    start = m.start()
    adjectival = bool(re.search(r"\w-(?:" + UNIT + r")$", text, re.I)) or (
        n not in (None, 1) and not unit.endswith("s") and not unit.startswith(("fortnight",)))
    if adjectival and m["det"] and not m["rel"] and not m["approx"]:
        start = m.start("q")  # "a two-year option": the determiner belongs to the noun
    rel = (m["rel"] or "").lower()
    anchor = None
    if rel in ("past", "last", "previous", "preceding") or rel.startswith("recent"):
        anchor = "past"
    elif rel in ("next", "coming", "following"):
        anchor = "next"
    return Timex(start, m.end(), "DURATION", value, _approx_mod(m), anchor)


def h_bare_units(m, ctx):
    before = ctx.text[max(0, m.start() - 12):m.start()]
    word = m["unit"].lower()
    if word.startswith(("recent", "coming")):
        kind, unit = word.split()[0], word.split()[-1]
        code = _duration_value(None, unit)
        if kind == "recent":
            window = {"years": "P3Y", "months": "P6M", "weeks": "P4W", "days": "P7D", "decades": "P20Y"}.get(unit)
            if unit == "years":
                return _t(m, "DATE", "PAST_REF", anchor=f"recent:{window}")
            return _t(m, "DURATION", code, anchor=f"recent:{window}")
        return _t(m, "DURATION", code)
    if not re.search(r"\b(?:for|in|over|within|than|after|take|took|takes|lasted|last)\s+$", before, re.I):
        return None
    return _t(m, "DURATION", _duration_value(None, word))


def h_set(m, ctx):
    word = m["set"].lower()
    if word in SETS:
        # "a quarterly dividend", "the daily Granma": adjectives before a noun are not annotated
        after = ctx.text[m.end():m.end() + 20]
        if re.match(r"\s+(?!(?:and|or|to|in|at|by|for|from|since|through|until|during|on|as|but|with|over|"
                    r"than|while|because|if|when|is|are|was|were|be|been|the|a|an|this|that|it|they|he|she)\b)"
                    r"[A-Za-z]", after):
            return None
        return _t(m, "SET", SETS[word])
    return None


def h_every(m, ctx):
    target = m["target"]
    n = _words_to_int(m["q"]) if m["q"] else 1
    if m["other"]:
        n = 2
    if _month(target) is not None and target.lower().rstrip(".") in MONTHS:
        return _t(m, "SET", f"XXXX-{MONTHS[target.lower().rstrip('.')]:02d}")
    if target.lower().rstrip("s.") in WEEKDAYS or target.lower().rstrip(".") in WEEKDAYS:
        return _t(m, "SET", f"XXXX-WXX-{WEEKDAYS[target.lower().rstrip('s.')]}")
    if target.lower() in SEASONS:
        return _t(m, "SET", f"XXXX-{SEASONS[target.lower()]}")
    value = _duration_value(n, target.rstrip("s") if target.lower() != "centuries" else "century")
    return _t(m, "SET", value) if value else None


def h_time(m, ctx):
    hour = int(m["h"])
    minute = int(m["mi"]) if m["mi"] else 0
    ampm = (m["ampm"] or "").lower().replace(".", "").replace(" ", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    day = _time_day(m, ctx)
    clock = f"T{hour:02d}:{minute:02d}"
    if m.groupdict().get("tday"):
        on = re.search(r",?\s+on\s+$", ctx.text[m.start():m.start("tday")], re.I)
        if on:  # "6:45 p.m. on Tuesday": the time (of that day) and the day, each its own expression
            return Timex(m.start(), m.start() + on.start(), "TIME", f"{day}{clock}", _approx_mod(m))
    return _t(m, "TIME", f"{day}{clock}", _approx_mod(m))


def _time_day(m, ctx) -> str:
    ref = m.groupdict().get("tday")
    if not ref:
        return ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX"
    low = ref.lower()
    if low in ("today", "tonight", "yesterday", "tomorrow"):
        if not ctx.dct:
            return "XXXX-XX-XX"
        return (ctx.dct + dt.timedelta(days={"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[low])).isoformat()
    if low.rstrip(".") in WEEKDAYS:
        return _weekday_date(ctx, WEEKDAYS[low.rstrip(".")], None, m.start(), m.end())
    if mm := re.match(rf"({MON})\s+(\d+)", ref):
        month = _month(mm[1])
        if month and ctx.dct:
            try:
                return dt.date(ctx.dct.year, month, int(mm[2])).isoformat()
            except ValueError:
                pass
    return ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX"


def h_noon(m, ctx):
    clock = {"noon": "T12:00", "midday": "T12:00", "midnight": "T24:00"}[m["n"].lower()]
    return _t(m, "TIME", f"{_time_day(m, ctx)}{clock}")


def h_day_part(m, ctx):
    part = DAY_PARTS[m["part"].lower().rstrip("s")]
    day_ref = (m["dref"] or "").lower()
    if day_ref == "the" and re.match(r"\s+(?:of|the|when|that|before|after|he|she|they|I)\b", ctx.text[m.end():m.end() + 8]):
        return None  # "the night of Oct. 23", "the night the flight crashed": anchored elsewhere
    if not ctx.dct:
        return _t(m, "TIME", f"XXXX-XX-XXT{part}", _pos_mod(m))
    if day_ref == "last" and part == "NI":
        day = ctx.dct - dt.timedelta(days=1)
    elif day_ref in ("yesterday",):
        day = ctx.dct - dt.timedelta(days=1)
    elif day_ref in ("tomorrow",):
        day = ctx.dct + dt.timedelta(days=1)
    elif day_ref.rstrip(".") in WEEKDAYS:
        day = dt.date.fromisoformat(_weekday_date(ctx, WEEKDAYS[day_ref.rstrip(".")], None, m.start(), m.end()))
    elif day_ref in ("this", "the", "") or day_ref == "early" or day_ref == "late":
        day = ctx.dct
    else:
        return None
    return _t(m, "TIME", f"{day.isoformat()}T{part}", _pos_mod(m))


def h_tonight(m, ctx):
    if not ctx.dct:
        return _t(m, "TIME", "XXXX-XX-XXTNI")
    return _t(m, "TIME", f"{ctx.dct.isoformat()}TNI")


def h_weekday(m, ctx):
    wd_text = m["wd"]
    weekday = WEEKDAYS[wd_text.lower().rstrip(".")]
    return _t(m, "DATE", _weekday_date(ctx, weekday, m["rel"], m.start(), m.end()), _pos_mod(m))


def h_weekday_set(m, ctx):
    return _t(m, "SET", f"XXXX-WXX-{WEEKDAYS[m['wd'].lower()]}")


def h_holiday(m, ctx):
    name = re.sub(r"\s+", " ", m["hol"].lower())
    year = None
    if m["hy"]:
        year = int(m["hy"])
    elif ctx.dct:
        year = ctx.dct.year
        rel = (m["rel"] or "").lower()
        if rel == "last":
            year -= 1
        elif rel == "next":
            year += 1
    if year is None:
        return None
    day = holiday_date(name, year)
    if day is None:
        return None
    if not m["hy"] and ctx.dct and (m["rel"] or "").lower() == "last" and day.replace(year=ctx.dct.year) < ctx.dct:
        day = holiday_date(name, ctx.dct.year)
    return _t(m, "DATE", day.isoformat())


def h_anchor(m, ctx):
    """"pre-invasion" / "post-annexation": the anchor day from nlp/data/time/anchors.yaml."""
    word = re.sub(r"[\s-]+", " ", m["anchor"].lower())
    anchor = anchors().get(word)
    if anchor is None:
        return None
    if ctx.dct and ctx.dct < anchor:  # a 1990 story's "invasion" is not Russia's
        return None
    prefix = m["pp"].lower()
    if prefix == "post" and word == "war":
        return None  # "post-war" is far more often 1945 or the war's future end
    return _t(m, "DATE", anchor.isoformat(), "BEFORE" if prefix == "pre" else "AFTER")


def h_anchor_phrase(m, ctx):
    """"since the full-scale invasion", "before the start of the war": the anchor day.

    Only after a temporal preposition and in a text about Russia/Ukraine;
    the mod comes from the preposition (see ``dates.find_dates``).
    """
    anchor = anchors().get(re.sub(r"[\s-]+", " ", m["anchor"].lower()))
    if anchor is None or (ctx.dct and ctx.dct < anchor):
        return None
    if signal_before(ctx.text, m.start()) not in ("before", "since", "after", "from", "until"):
        return None
    if not re.search(r"\bUkrain|\bRussia", ctx.text):
        return None
    return _t(m, "DATE", anchor.isoformat())


def h_year_ago_adj(m, ctx):
    if ctx.dct and ctx.quarterly(m.start(), m.end()):
        return _t(m, "DATE", value_at(shift(ctx.reporting_quarter(), "Y", -1), "Q"))
    return _t(m, "DATE", ctx.rel("Y", -1))


def h_the_year(m, ctx):
    words = re.sub(r"\s+", " ", m[0].lower())
    if words == "the year" and re.search(r"\bon\s+$", ctx.text[max(0, m.start() - 6):m.start()], re.I) \
            and re.search(r"(?:\d\s*%|\bper\s*cent|\bpercent|\b(?:up|down|higher|lower|rose|rising|fell|falling"
                          r"|grew|growing|doubled|tripled|halved|increased|decreased|jumped|dropped|climbed|slipped)\b)"
                          r"[^.;]{0,40}$",
                          ctx.text[max(0, m.start() - 60):m.start()], re.I):
        return None  # "up 5% on the year": a year-on-year comparison, not a date
    if re.match(r"\s+end(?:ed|ing)\b", ctx.text[m.end():], re.I):
        return _t(m, "DURATION", "P1Y")
    if "latest" in words or "last" in words or "previous" in words:
        return _t(m, "DATE", ctx.rel("Y", -1))
    return _t(m, "DATE", ctx.rel("Y", 0))


# --- the rule table ---------------------------------------------------------------------

RULES: list[tuple[str, str, Handler]] = [  # on equal length the earlier rule wins
    ("half", rf"(?:the\s+)?(?P<h>first|second|last|latter|1st|2nd)[\s-]half(?:\s+of\s+(?:the\s+)?(?P<hy>{YEARNUM}|(?:this|last|next)\s+year|year))?", h_half),
    ("iso", r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ](?P<hh>\d{1,2}):(?P<mm>\d{2})(?::\d{2})?)?(?![\d-])", h_iso),
    ("numeric", r"(?<![\d.,/-])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d]|[.,/-]\d)", h_numeric),
    ("month_day", rf"{POSMOD}?(?:{WD},?\s+)?(?P<mon>{MON})\s+(?P<day>{DAYNUM}|{ORDW})(?!\d|:\d)(?:(?:,\s*|\s+)(?P<year>{YEARNUM}))?", h_month_day),
    ("day_month", rf"{POSMOD}?(?:{WD},?\s+)?(?:the\s+)?(?P<day>{DAYNUM}|{ORDW})(?:\s+of)?\s+(?P<mon>{MON})(?:,?\s+(?P<year>{YEARNUM}))?", h_month_day),
    ("month_year", rf"{POSMOD}?(?P<mon>{MON}),?\s+(?:of\s+)?(?:(?P<year>{YEARNUM}|{YEARWORDS})|(?P<yrel>this\s+year|last\s+year|next\s+year))", h_month_year),
    ("month_range", rf"(?P<mon>{MON})(?:\s*[-–—]\s*|\s+(?:and|to|through|until|till)\s+)(?P<mon2>{MON}),?\s+"
                    rf"(?P<year>{YEARNUM})", h_month_range),
    ("month", rf"{POSMOD}?(?:(?P<rel>this\s+past|this\s+coming|this|last|next|past|coming)\s+)?(?P<mon>{MON})(?!\w)(?!\s*\d)", h_month),
    ("year", rf"(?:(?P<prefix>pre|post)-)?{POSMOD}?(?P<fiscal>(?:fiscal|FY|calendar)(?:[\s-]year)?\s*)?(?<![\d$€£¥.,#/])(?<!\d-)(?P<year>1[6-9]\d\d|20\d\d)(?![\d%]|[.,]\d|-\d|/\d)(?P<suffix>\s+(?:or\s+later|and\s+beyond|and\s+later|onwards?|or\s+earlier|or\s+before))?", h_year),
    ("year_words", rf"{POSMOD}?(?:the\s+year\s+)?(?P<yw>{YEARWORDS})", h_year_words),
    ("decade", rf"(?:the\s+)?{POSMOD}?(?:(?P<cent>1[6-9]|20)?(?P<dec>\d)0'?s|'(?P<dec2>\d)0s|(?P<cw>nineteen-)?(?P<decw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b", h_decade),
    ("century", rf"(?:the\s+)?{POSMOD}?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<nw>{ORDW}))[\s-]+century", h_century),
    ("this_century", r"(?:this|the\s+current)\s+century", h_this_century),
    ("quarter", r"(?:(?:the|this|last\s+year's|this\s+year's|next\s+year's|(?:1[6-9]|20)\d\d's?)\s+)?(?:(?:latest|current|comparable|corresponding|year-ago|year-earlier|same|previous|preceding|following|coming|next|past|last|fiscal|calendar|flat|(?:1[6-9]|20)\d\d|first|second|third|fourth|1st|2nd|3rd|4th|final)[\s-]+){0,4}(?:quarter|period)(?!s|ly|-)(?:\s+(?:of\s+)?(?:(?:fiscal\s+)?(?:1[6-9]|20)\d\d|this\s+year|last\s+year|next\s+year)|\s+a\s+year\s+(?:ago|earlier))?", h_quarter),
    ("q_code", r"(?<!\w)(?:Q[1-4](?:\s+(?:1[6-9]|20)\d\d)?|(?:1[6-9]|20)\d\d[\s-]Q[1-4])(?!\w)", h_quarter),
    ("h_code", r"(?<!\w)(?P<h>H[12])\s+(?P<hy>(?:1[6-9]|20)\d\d)(?!\w)", h_half),
    ("season", rf"{POSMOD}?(?:(?P<rel>this\s+past|this\s+coming|this|last|next|the|past|coming)\s+)?(?P<season>spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(?P<sy>{YEARNUM}|{YEARWORDS}))?(?!-)", h_season),
    ("ref", rf"{POSMOD}?(?P<ref>{_alt([k for k in REF_WORDS])})(?!\w)", h_ref),
    ("day_word", rf"{POSMOD}?(?P<dw>today|yesterday|tomorrow)(?!\w)", h_day_word),
    ("relative_unit", rf"{POSMOD}?(?P<rel>(?:the\s+)?(?:this\s+past|this\s+coming|this|last|next|past|previous|preceding|coming|current|following|same|that)|the)\s+(?P<unit>week|weekend|month|fiscal\s+year|year|decade)(?!-|\w)", h_relative_unit),
    ("year_end", r"(?:the\s+end\s+of\s+the\s+(?P<unit>year|month|week|quarter|decade)|(?P<unit2>year)(?:'s)?[\s-]end)(?!\w)", lambda m, ctx: _t(m, "DATE", ctx.rel("Y" if m["unit2"] else {"year": "Y", "month": "M", "week": "W", "quarter": "Q", "decade": "E"}[m["unit"].lower()], 0), "END")),
    ("ago", rf"{AGO_APPROX}?(?P<q>{QUANT})\s+(?:more\s+)?(?P<unit>{UNIT}s?)\s+(?:or\s+so\s+)?(?P<dir>ago|earlier|later|from\s+now|hence)(?!\w)", h_ago),
    ("duration", rf"{APPROX}?(?:(?P<det>the|each\s+of\s+the|its|their|a|an)\s+)?(?:(?P<rel>past|last|next|first|previous|coming|final|latest|following|remaining|initial|full|additional|further|ensuing|preceding|year-earlier|recent|same)\s+)?(?P<q>{QUANT})(?:\s+(?:to|or)\s+(?P<q2>{QUANT}))?[\s-]+(?:(?:more|additional|straight|consecutive|full|trading|business|calendar|working)\s+)?(?P<unit>{UNIT}s?)(?P<half>\s+and\s+a\s+half)?(?:-long|-old|\s+long)?(?:\s+or\s+so)?(?![\w-])", h_duration),
    ("bare_units", r"(?P<unit>(?:recent|coming)\s+(?:years|months|weeks|days|decades)|years|months|weeks|decades|centuries)(?![\w-])", h_bare_units),
    ("set_word", rf"(?P<set>{_alt(SETS)})(?!\w)", h_set),
    ("every", rf"(?:every|each)\s+(?P<other>other\s+)?(?:(?P<q>{QUANT})\s+)?(?P<target>{UNIT}s?|{WD}|(?:{MON})|spring|summer|fall|autumn|winter)(?!\w)", h_every),
    ("time", rf"{APPROX}?(?<![\d:.])(?P<h>[01]?\d|2[0-4])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ampm>[ap]\.\s?m\.?|[ap]m\b|o'clock)(?:\s+(?:\(?(?:EST|EDT|CST|CDT|PST|PDT|MST|MDT|ET|PT|CT|MT|GMT|UTC|BST|CET|CEST|EET|EEST|MSK|ALMT)\)?(?![\w'])|(?:local|Moscow|Kyiv|Brussels|Astana)\s+time))?(?:,?\s+(?:on\s+)?(?P<tday>{WD}|today|tonight|yesterday|tomorrow|{MON}\s+\d{{1,2}}))?", h_time),
    ("time24", r"(?<=\bat\s)(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?P<ampm>)(?!\d|:\d)(?:\s+(?:GMT|UTC|CET|CEST|MSK|local\s+time))?", h_time),
    ("noon", rf"(?P<n>noon|midday|midnight)(?:,?\s+(?P<tday>{WD}|today|yesterday|tomorrow))?", h_noon),
    ("day_part", rf"{POSMOD}?(?:(?P<dref>{WD}|yesterday|tomorrow|this|the|last|early|late)\s+)(?:mid-?)?(?P<part>morning|afternoon|evening|night)(?!s|\w)", h_day_part),
    ("day_part2", rf"{POSMOD}?(?P<part>morning|afternoon|evening)\s+(?P<dref>yesterday|tomorrow)", h_day_part),
    ("tonight", r"(?P<tn>tonight|overnight)(?!\w)", h_tonight),
    ("weekday", rf"{POSMOD}?(?:(?P<rel>last|next|this\s+coming|this\s+past|this|the\s+previous|the\s+following|coming|past)\s+)?(?P<wd>{WD})(?!\w)", h_weekday),
    ("weekday_set", r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s(?:\s+(?:nights|mornings|evenings|afternoons))?(?!\w)", h_weekday_set),
    ("holiday", r"(?:(?P<rel>last|next|this)\s+)?(?P<hol>Christmas\s+(?:Day|Eve)|Christmas|New\s+Year's\s+(?:Day|Eve)|Thanksgiving(?:\s+Day)?|Easter(?:\s+Sunday)?|Halloween|Election\s+Day|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Valentine's\s+Day|Victory\s+Day)(?!\w)(?:,?\s+(?P<hy>(?:1[6-9]|20)\d\d))?", h_holiday),
    ("year_ago_adj", r"year-(?:ago|earlier)(?![\w-])", h_year_ago_adj),
    ("the_year", r"the\s+(?:(?:latest|current|full|previous|last)\s+)?(?:fiscal\s+)?year(?![\w-]|'s|\s+(?:ago|earlier|later|before|after|or))", h_the_year),
    ("anchor", rf"(?P<pp>pre|post)-(?P<anchor>{_alt(w.replace(' ', '-') for w in anchors())})(?!\w)", h_anchor),
    ("anchor_phrase", r"(?:the|Russia['’]s)\s+(?:(?:start|beginning|outbreak|onset)\s+of\s+(?:the\s+|Russia['’]s\s+)?)?"
                      r"(?P<anchor>(?:full[\s-]scale\s+)?(?:invasion|war))(?:\s+(?:of|in|against|on)\s+Ukraine)?(?!\w)",
     h_anchor_phrase),
]

# Proper names matched case-sensitively ("Monday", "Easter", "Q3"); every other rule is
# case-insensitive, and handlers check capitalisation where it matters (months: "May" vs "may").
_CASE_SENSITIVE = {"weekday", "weekday_set", "holiday", "q_code", "h_code"}
# Every rule starts a match only where this look-behind holds (not inside a word).
RULE_GUARD = r"(?<![\w'])"


@lru_cache(maxsize=1)
def compiled_rules() -> list[tuple[str, re.Pattern, Handler]]:
    out = []
    for name, pattern, handler in RULES:
        flags = 0 if name in _CASE_SENSITIVE else re.I
        out.append((name, re.compile(rf"{RULE_GUARD}(?:{pattern})", flags), handler))
    return out


@lru_cache(maxsize=1)
def rule_scanner() -> RuleScanner:
    """The rules' patterns, then those of ``en_context.SCANNED``, each tried only
    where a match can start (same matches as finditer)."""
    return RuleScanner([*(pattern for _, pattern, _ in compiled_rules()), *en_context.SCANNED], RULE_GUARD)


def find_en(text: str, dct: dt.date | None) -> list[Timex]:
    """All English time expressions in ``text``, leftmost-longest, without overlaps."""
    ctx = Context(text, dct)
    candidates: list[Timex] = []
    scanner = rule_scanner()
    index = scanner.index(text)
    for number, (_name, _pattern, handler) in enumerate(compiled_rules()):
        for m in scanner.finditer(number, index):
            if m.end() == m.start():
                continue
            try:
                timex = handler(m, ctx)
            except (ValueError, OverflowError):  # calendar arithmetic off the calendar (year 0, 10000)
                continue
            if timex is not None:
                candidates.append(_trim(timex, text))
    # Rates ("$5 billion a year") outrank the duration reading of the same span.
    first_context = len(compiled_rules())
    extra = extra_candidates(text, dct, lambda pattern: scanner.finditer(
        first_context + en_context.SCANNED.index(pattern), index))
    rate_spans = {(t.start, t.end) for t in extra if t.type == "SET"}
    candidates = [t for t in candidates if (t.start, t.end) not in rate_spans]
    return resolve(text, select_longest([*extra, *candidates]), dct)


def _trim(timex: Timex, text: str) -> Timex:
    """Drop whitespace/hyphens a pattern swallowed at the edges."""
    start, end = timex.start, timex.end
    while end > start and text[end - 1] in " \t\n-,":
        end -= 1
    if end - start > 1 and text[end - 1] == "." and not re.search(
            r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)|[ap]\.m)\.$",
            text[start:end]):
        end -= 1
    while start < end and text[start] in " \t\n-":
        start += 1
    if (start, end) == (timex.start, timex.end):
        return timex
    return Timex(start, end, timex.type, timex.value, timex.mod, timex.anchor, timex.signal)


def select_longest(candidates: list[Timex]) -> list[Timex]:
    """Greedy leftmost-longest choice of non-overlapping candidates."""
    chosen: list[Timex] = []
    starts: list[int] = []  # chosen spans, kept sorted by start; they never overlap
    ends: list[int] = []
    for timex in sorted(candidates, key=lambda t: (-(t.end - t.start), t.start)):
        i = bisect.bisect_left(starts, timex.end)  # spans starting before our end ...
        if i and ends[i - 1] > timex.start:  # ... the last of them must end before our start
            continue
        chosen.append(timex)
        starts.insert(i, timex.start)
        ends.insert(i, timex.end)
    return sorted(chosen, key=lambda t: t.start)


def signal_before(text: str, start: int) -> str | None:
    """The temporal preposition right before ``start`` ("after", "since"...), normalised."""
    m = SIGNALS.search(text[max(0, start - 20):start])
    if not m:
        return None
    word = re.sub(r"\s+", " ", m[1].lower())
    return SIGNAL_NAMES.get(word, word)
