"""Russian time-expression rules: TIMEX3 extents and values for Russian news text.

Russian inflects every part of a date ("7 июня 2024 года", "в июне",
"в прошлом году", "с начала 2024 года", "за последние три года"), so the
patterns match word stems (``июн\\w*``, ``прошл\\w+ год\\w*``) instead of word
lists; numerals are read from their stems too. Extents follow the English
module: the preposition ("в", "с", "до", "после") is a signal outside the
extent and sets the mod/opens the interval; the noun "года"/"году" after a
year and position words ("конце", "начала") are inside.

Covered: absolute dates (day-month-year, month-year, years with "год",
"2024-го", decades "1990-х"), numeric ``dd.mm.yyyy`` and ISO dates, relative
dates (сегодня, вчера, "в прошлом году", "на этой неделе", weekdays, "три
года назад"), quarters and half-years, START/MID/END positions, durations
("два месяца", "последние восемь месяцев"), sets (ежегодно, "каждый месяц")
and domain anchors from ``nlp/data/time/anchors.yaml`` ("до начала СВО").

Also: abbreviated months ("12 мар."), halves as TimeML ``2023-H2`` ("во
второй половине 2023 года"), rates ("в месяц" after an amount) and
«того же года». Expressions read together (weekday + date, date + clock
time, a range with the year at its end, periods counted from one named
before) are the second pass, :mod:`nlp.extract.dates.ru_context`.

Clock times as "в 15:00 (по московскому времени)" and "в 9 утра".
Not covered: spelled-out ordinal dates ("седьмого июня"), month ranges
("январь–сентябрь") as one expression (the first month takes the closing
year), and fiscal periods.
natasha's ``DatesExtractor`` was tried as the absolute-date finder, but it
finds nothing for relative phrases, "2024-го" or "1990-х" and drops the
position of "в конце 2023 года", so these rules stand alone (see
docs/extract_dates.md). natasha's ``MorphVocab`` is used, lazily, for one
thing: the tense of the clause's verb when a month or weekday without a year
must be placed before or after the publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from nlp.extract.dates.calendar import Timex, season_index, shift, value_at
from nlp.extract.dates.en import select_longest
from nlp.extract.dates.ru_context import resolve
from nlp.extract.dates.vocab import anchors_ru
from nlp.extract.regex_scan import RuleScanner

MONTH_STEMS = [("январ", 1), ("феврал", 2), ("март", 3), ("апрел", 4), ("ма", 5), ("июн", 6), ("июл", 7),
               ("август", 8), ("сентябр", 9), ("октябр", 10), ("ноябр", 11), ("декабр", 12)]
MON = r"(?P<mon>январ[ьяеюё]\w*|феврал[ьяеюё]\w*|март[аеу]?\w*|апрел[ьяеюё]\w*|ма(?:ем|[йяею])|июн[ьяеюё]\w*|июл[ьяеюё]\w*|август[аеу]?\w*|сентябр[ьяеюё]\w*|октябр[ьяеюё]\w*|ноябр[ьяеюё]\w*|декабр[ьяеюё]\w*)"
YEAR_WORD = r"(?:\s*(?:год(?:ами|ах|ам|а|у|ом|е|ы)?(?!\w)|гг?\.)|-(?:го|м|й|е|х|му)(?!\w))"
YEAR = rf"(?P<year>(?:1[6-9]|20)\d\d)(?P<yw>{YEAR_WORD})?"
NUM_STEMS = [
    ("одиннадцат", 11), ("двенадцат", 12), ("тринадцат", 13), ("четырнадцат", 14), ("пятнадцат", 15),
    ("шестнадцат", 16), ("семнадцат", 17), ("восемнадцат", 18), ("девятнадцат", 19), ("двадцат", 20),
    ("тридцат", 30), ("сорок", 40), ("пятьдесят", 50), ("пятидесят", 50), ("полтор", 1.5),
    ("одн", 1), ("один", 1), ("дв", 2), ("тр", 3), ("четыр", 4), ("пят", 5), ("шест", 6), ("сем", 7),
    ("восем", 8), ("восьм", 8), ("девят", 9), ("десят", 10), ("пар", 2),
]
NUMWORD = (r"(?:одиннадцат\w*|двенадцат\w*|тринадцат\w*|четырнадцат\w*|пятнадцат\w*|шестнадцат\w*|"
           r"семнадцат\w*|восемнадцат\w*|девятнадцат\w*|двадцат\w*|тридцат\w*|сорок\w*|пят\w*десят\w*|"
           r"полтор[аы]|одн[аиогу]\w*|один|дв[аеу]\w*|тр[еёи]\w*|четыр\w*|пят[ьи]\w*|шест[ьи]\w*|сем[ьи]\w*|"
           r"вос[еь]м\w*|девят[ьи]\w*|десят[ьи]\w*|пар[уы]|нескольк\w+|несколько)")
QUANT = rf"(?P<q>\d+(?:[.,]5)?|{NUMWORD})"
UNIT = (r"(?P<unit>лет|год(?:а|у|ом)?|месяц\w*|недел[ьиюяе]\w*|дн(?:я|ей|ям|ями)|день|сут(?:ок|ки)|"
        r"час(?:а|ов)?|минут\w*|секунд\w*|десятилети\w*|век(?:а|ов)?|квартал(?:а|ов)?|полугоди\w*)")
POS = r"(?:(?P<pos>начал[аеоу]?|середин[аеуы]|конц[аеу]|кон[её]ц|перв\w+\s+половин\w+|втор\w+\s+половин\w+|рубеж[аеу]?)\s+)"
WEEKDAYS = [("понедельник", 1), ("вторник", 2), ("сред", 3), ("четверг", 4), ("пятниц", 5), ("суббот", 6),
            ("воскресень", 7)]
SIGNALS = re.compile(r"(?:^|(?<=\s))(начиная\s+с|с|со|после|до|к|по|вплоть\s+до)\s+$", re.I)
SIGNAL_NAMES = {"с": "since", "со": "since", "начиная с": "since", "после": "after", "до": "before",
                "вплоть до": "until", "к": "by", "по": "until"}
# Verbs that announce a start ("вступает в силу", "начнут действовать",
# "вводится"): with them a date early in the year, written late in it, is
# the coming one.
_FORWARD = re.compile(r"(?<!\w)(?:вступа\w*\s+в\s+силу|вступ[ия]т\s+в\s+силу|начина\w*\s+действовать|"
                      r"начн\w*\s+действовать|заработа[ею]т|ввод[ия]тся|будут?\s+введен\w*)", re.I)
FUTURE_CUES = re.compile(r"\b(?:будет|будут|планиру\w+|намерен\w*|собира\w+|состоится|пройд[её]т|ожида\w+|"
                         r"следующ\w+|предстоящ\w+)\b", re.I)


MONTH_ABBR = {"янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7, "авг": 8, "сен": 9,
              "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12}
MON_ABBR = r"(?P<mon>(?:янв|февр?|мар|апр|июн|июл|авг|сент?|окт|нояб?|дек)(?:\.|(?!\w)))"


def _month(word: str) -> int | None:
    word = word.lower()
    if word.rstrip(".") in MONTH_ABBR:
        return MONTH_ABBR[word.rstrip(".")]
    for stem, number in MONTH_STEMS:
        if word.startswith(stem):
            if stem == "ма" and word not in ("май", "мая", "мае", "маю", "маем"):
                return None
            return number
    return None


def _number(word: str) -> float | None:
    word = word.lower().replace(",", ".")
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word) if "." in word else int(word)
    if word.startswith("нескольк"):
        return None
    for stem, value in NUM_STEMS:
        if word.startswith(stem):
            return value
    return None


def _unit_code(word: str) -> str | None:
    word = word.lower()
    for prefix, code in (("лет", "Y"), ("год", "Y"), ("месяц", "M"), ("недел", "W"), ("дн", "D"), ("день", "D"),
                         ("сут", "D"), ("час", "H"), ("минут", "MIN"), ("секунд", "S"), ("десятилети", "E"),
                         ("век", "C"), ("квартал", "Q"), ("полугоди", "HY")):
        if word.startswith(prefix):
            return code
    return None


def _duration_value(n: float | None, code: str) -> str:
    amount = "X" if n is None else (str(int(n)) if float(n).is_integer() else None)
    if amount is None and n is not None:  # полтора года = 18 months, полторы недели ~ 10 days
        months = {"Y": 12 * n, "M": None}.get(code)
        if months:
            return f"P{int(months)}M"
        amount = str(int(n * 2)) if code != "W" else str(int(n * 7))
        code = {"M": "W", "W": "D"}.get(code, code)
        if code == "W":
            amount = str(int(n * 4))
    if code in ("H", "S"):
        return f"PT{amount}{code}"
    if code == "MIN":
        return f"PT{amount}M"
    if code == "E":
        return f"P{'X' if n is None else int(n) * 10}Y"
    if code == "C":
        return f"P{amount}C" if n is None else f"P{int(n) * 100}Y"
    if code == "HY":
        return f"P{'X' if n is None else int(n) * 6}M"
    return f"P{amount}{code}"


@lru_cache(maxsize=1)
def _morph():
    """natasha's MorphVocab (pymorphy2 dictionaries), loaded once; None if unavailable."""
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # natasha imports pkg_resources, which warns on import
            from natasha import MorphVocab

            return MorphVocab()
    except Exception:  # noqa: BLE001 - tense cues then fall back to word lists
        return None


@lru_cache(maxsize=50_000)
def verb_tense(word: str) -> str | None:
    """'futr', 'past' or 'pres' when ``word`` is most likely a finite verb ("сменит" -> futr)."""
    morph = _morph()
    if morph is None:
        return None
    forms = morph.parse(word.lower())
    if not forms or forms[0].tag.POS != "VERB":
        return None
    return forms[0].tag.tense


def _tenses(text: str) -> set[str]:
    return {t for w in re.findall(r"[а-яё]{3,}", text, re.I) if (t := verb_tense(w))}


class _Ctx:
    def __init__(self, text: str, dct: dt.date | None):
        self.text, self.dct = text, dct

    def future(self, start: int) -> bool:
        """Future tense cue ("будет", "планирует", "следующем") within the clause around ``start``."""
        left = self.text[max(0, start - 60):start]
        right = self.text[start:start + 50]
        left = re.split(r"[.!?\n]", left)[-1]
        right = re.split(r"[.!?\n]", right)[0]
        if FUTURE_CUES.search(left) or FUTURE_CUES.search(right):
            return True
        tenses = _tenses(left[-40:] + " " + right[:40])
        return "futr" in tenses and "past" not in tenses

    def past_verb(self, start: int) -> bool:
        """A past-tense verb in the clause around ``start`` (natasha morphology)."""
        left = re.split(r"[.!?\n]", self.text[max(0, start - 40):start])[-1]
        right = re.split(r"[.!?\n]", self.text[start:start + 40])[0]
        tenses = _tenses(left + " " + right)
        return "past" in tenses and "futr" not in tenses

    def _clause(self, start: int) -> str:
        left = re.split(r"[.!?\n;]", self.text[max(0, start - 60):start])[-1]
        right = re.split(r"[.!?\n;]", self.text[start:start + 60])[0]
        return left + " " + right

    def present(self, start: int) -> bool:
        """A present-tense verb and no past or future one in the clause around ``start``."""
        left = re.split(r"[.!?\n]", self.text[max(0, start - 40):start])[-1]
        right = re.split(r"[.!?\n]", self.text[start:start + 40])[0]
        tenses = _tenses(left + " " + right)
        return tenses == {"pres"}

    def past(self, start: int) -> bool:
        """ "ещё/уже в ..." or a past-tense verb in the clause."""
        window = self.text[max(0, start - 40):start]
        return bool(re.search(r"(?:^|\s)(?:ещ[её]|уже)\s+(?:в|во)?\s*$", window, re.I)) or self.past_verb(start)

    def anchor(self) -> dt.date:
        """The document date; callers check that there is one first."""
        if self.dct is None:
            raise ValueError("expression needs a document date")
        return self.dct

    def year_for_month(self, month: int, start: int) -> int:
        dct = self.anchor()
        diff = month - dct.month
        before = self.text[max(0, start - 12):start].lower()
        if re.search(r"(?:^|\s)за\s+$", before):
            # "данные за май": a reporting period, the last one that has ended or is running.
            return dct.year if diff <= 0 else dct.year - 1
        if diff < 0 and not self.past_verb(start) and self.future(start):
            return dct.year + 1  # "будут действовать с 1 февраля" written in December
        if diff < -1 and not self.past_verb(start) and _FORWARD.search(self._clause(start)):
            # "с 1 января вступают в силу", "начнут действовать с 1 марта"
            # written late in the year: a start still to come.
            return dct.year + 1
        if re.search(r"(?:^|\s)(?:с|со|после|прошл\w+)\s+$", before) or (diff < 0 and self.past(start)):
            return dct.year if diff <= 0 else dct.year - 1
        if diff >= 6 and not self.future(start):
            return dct.year - 1
        if diff < 0 and self.future(start):
            return dct.year + 1  # a month already past this year, in a future clause: next year
        if diff <= -6 and self.present(start):
            # "вступают в силу 1 января" written in December: a present-tense
            # clause about a month half a year back is about the coming one.
            return dct.year + 1
        return dct.year

    def rel(self, unit: str, amount: int) -> str:
        if not self.dct:
            return {"Y": "XXXX", "Q": "XXXX-QX", "M": "XXXX-XX", "W": "XXXX-WXX"}.get(unit, "XXXX-XX-XX")
        return value_at(shift(self.dct, unit, amount), unit)


def _pos(m: re.Match) -> str | None:
    pos = (m.groupdict().get("pos") or "").lower()
    if not pos:
        return None
    if pos.startswith("начал") or pos.startswith("перв"):
        return "START"
    if pos.startswith("середин"):
        return "MID"
    return "END"


def _half(m: re.Match) -> int | None:
    """1 or 2 when the position words name a half ("во второй половине")."""
    pos = (m.groupdict().get("pos") or "").lower()
    if "половин" not in pos:
        return None
    return 1 if pos.startswith("перв") else 2


def _year_or_half(m: re.Match, year: str) -> Timex:
    """A year, or its half when the position words name one (TimeML ``2023-H2``)."""
    half = _half(m)
    if half and year[:4].isdigit():
        return _t(m, "DATE", f"{year}-H{half}")
    return _t(m, "DATE", year, _pos(m))


def _t(m, timex_type, value, mod=None, anchor=None) -> Timex:
    return Timex(m.start(), m.end(), timex_type, value, mod, anchor)


def h_numeric(m, ctx):
    try:
        day = dt.date(int(m["y"]) if len(m["y"]) == 4 else 2000 + int(m["y"]), int(m["b"]), int(m["a"]))
    except ValueError:
        return None
    return _t(m, "DATE", day.isoformat())


def h_iso(m, ctx):
    try:
        return _t(m, "DATE", dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat())
    except ValueError:
        return None


def h_day_month(m, ctx):
    month = _month(m["mon"])
    if month is None:
        return None
    day = int(m["day"])
    if m["year"]:
        year = int(m["year"])
    elif ctx.dct:
        year = ctx.year_for_month(month, m.start())
    else:
        try:
            dt.date(2000, month, day)  # a leap year: is there such a day at all?
        except ValueError:
            return None
        return _t(m, "DATE", f"XXXX-{month:02d}-{day:02d}", _pos(m))
    try:
        return _t(m, "DATE", dt.date(year, month, day).isoformat(), _pos(m))
    except ValueError:
        return None


def h_month(m, ctx):
    month = _month(m["mon"])
    if month is None:
        return None
    if m["mon"].lower() in ("мая", "маю") and not m["year"] and not m["pos"] and not m["rel"]:
        return None  # bare "мая"/"маю" are also forms of other words ("мая" = possessive "my")
    if m["year"]:
        return _t(m, "DATE", f"{int(m['year']):04d}-{month:02d}", _pos(m))
    if not ctx.dct:
        return _t(m, "DATE", f"XXXX-{month:02d}", _pos(m))
    rel = (m["rel"] or "").lower()
    if rel.startswith(("эт", "текущ")):
        year = ctx.dct.year
    elif rel.startswith(("прошл", "прошедш")):
        year = ctx.dct.year - (1 if month >= ctx.dct.month else 0)
    elif rel.startswith(("следующ", "будущ")):
        year = ctx.dct.year + (1 if month <= ctx.dct.month else 0)
    else:
        year = ctx.year_for_month(month, m.start())
    return _t(m, "DATE", f"{year:04d}-{month:02d}", _pos(m))


def h_month_rel_year(m, ctx):
    """"в декабре прошлого года": a month of a year named relative to the publication."""
    month = _month(m["mon"])
    if month is None:
        return None
    rel = m["yrel"].lower()
    offset = -2 if rel.startswith("позапрошл") else -1 if rel.startswith("прошл") else \
        1 if rel.startswith(("следующ", "будущ")) else 0
    year = f"{ctx.dct.year + offset:04d}" if ctx.dct else "XXXX"
    return _t(m, "DATE", f"{year}-{month:02d}", _pos(m))


def h_month_range(m, ctx):
    """"январь–октябрь 2024 года": the first month takes the year of the second."""
    month = _month(m["mon"])
    if month is None:
        return None
    return Timex(m.start("mon"), m.end("mon"), "DATE", f"{int(m['year']):04d}-{month:02d}")


def h_year(m, ctx):
    year = int(m["year"])
    if not m["yw"] and not m["pos"]:
        before = ctx.text[max(0, m.start() - 12):m.start()].lower()
        after = ctx.text[m.end():m.end() + 12]
        if not (re.search(r"(?:^|\s)(?:в|во|с|со|до|к|по|от|после|на|между|и|начиная\s+с)\s+$", before)
                and (re.match(r"\s*[–—-]\s*(?:1[6-9]|20)\d\d", after) or re.match(r"\s*(?:[.,;:)]|$|(?:и|или|по|до)\s)", after))):
            return None
    return _year_or_half(m, f"{year:04d}")


def h_decade(m, ctx):
    return _t(m, "DATE", m["dec"][:3], _pos(m))


# A clause about how things are nowadays, set against the past: "сегодня" in
# it is TimeML's PRESENT_REF, not the publication day.
_GENERAL_PRESENT = re.compile(
    r"(?<!\w)(?:уже\s+не|больше\s+не|вс[её]\s+больше|вс[её]\s+чаще|привычн\w+|обыденн\w+|нормой|реальностью|"
    r"в\s+отличие|чем\s+(?:раньше|прежде|когда-либо|до)|в\s+наши\s+дни|по-прежнему)(?!\w)", re.I)


def _clause_around(text: str, start: int, end: int) -> str:
    left = re.split(r"[.!?\n;]", text[max(0, start - 80):start])[-1]
    right = re.split(r"[.!?\n;]", text[end:end + 80])[0]
    return left + " " + right


def h_ref(m, ctx):
    word = re.sub(r"\s+", " ", m["ref"].lower())
    part = re.match(r"\s+(утром|дн[её]м|вечером|ночью)(?!\w)", ctx.text[m.end():m.end() + 10], re.I)
    if part and word in ("сегодня", "вчера", "завтра") and ctx.dct:
        # "сегодня вечером": the part of that day, a TIME
        day = ctx.dct + dt.timedelta(days={"сегодня": 0, "вчера": -1, "завтра": 1}[word])
        code = next(c for stem, c in _DAY_PARTS.items() if part[1].lower().startswith(stem))
        return Timex(m.start(), m.end() + part.end(), "TIME", f"{day.isoformat()}T{code}")
    if word == "сегодня" and _GENERAL_PRESENT.search(_clause_around(ctx.text, m.start(), m.end())):
        return _t(m, "DATE", "PRESENT_REF")  # "сегодня санкции стали нормой": today in general
    if word in ("сегодня", "вчера", "завтра", "позавчера", "послезавтра"):
        offset = {"сегодня": 0, "вчера": -1, "завтра": 1, "позавчера": -2, "послезавтра": 2}[word]
        value = (ctx.dct + dt.timedelta(days=offset)).isoformat() if ctx.dct else "XXXX-XX-XX"
        return _t(m, "DATE", value)
    if word in ("сейчас", "теперь", "ныне", "нынче", "настоящее время", "данный момент", "текущий момент"):
        return _t(m, "DATE", "PRESENT_REF")
    if word in ("недавно", "последнее время", "ранее", "прошлом"):
        return _t(m, "DATE", "PAST_REF")
    return _t(m, "DATE", "FUTURE_REF")


REL_UNITS = {"год": "Y", "месяц": "M", "недел": "W", "квартал": "Q", "полугоди": "HY", "десятилети": "E", "век": "C"}


def h_relative_unit(m, ctx):
    rel = m["rel"].lower()
    unit_word = m["unit"].lower()
    unit = next((code for stem, code in REL_UNITS.items() if unit_word.startswith(stem)), None)
    if unit is None or unit_word in ("годы", "годах", "годам", "месяцы", "месяцах", "недели") and rel.endswith(("и", "их")):
        return None  # "эти годы", "последние месяцы": plural spans, not one calendar period
    if rel.startswith(("эт", "текущ", "нынешн", "сегодняшн")) or rel == "":
        offset = 0
    elif rel.startswith(("прошл", "предыдущ", "минувш", "прошедш")):
        offset = -1
    elif rel.startswith("позапрошл"):
        offset = -2
    elif rel.startswith(("следующ", "будущ", "предстоящ", "ближайш")):
        offset = 1
    else:
        return None
    if unit == "HY":
        if not ctx.dct:
            return _t(m, "DATE", "XXXX-HX", _pos(m))
        day = shift(ctx.dct, "M", 6 * offset)
        return _t(m, "DATE", f"{day.year:04d}-H{1 if day.month <= 6 else 2}", _pos(m))
    if unit == "E":
        return _t(m, "DATE", value_at(shift(ctx.dct, "Y", 10 * offset), "E") if ctx.dct else "XXX", _pos(m))
    if unit == "C":
        return _t(m, "DATE", value_at(shift(ctx.dct, "Y", 100 * offset), "C") if ctx.dct else "XX", _pos(m))
    if unit == "Y":
        return _year_or_half(m, ctx.rel(unit, offset))
    return _t(m, "DATE", ctx.rel(unit, offset), _pos(m))


def h_bare_period(m, ctx):
    """"конца года", "начале месяца": a position in the current period."""
    unit = {"год": "Y", "месяц": "M", "недел": "W"}[next(s for s in ("год", "месяц", "недел") if m["unit"].lower().startswith(s))]
    if unit == "Y":
        return _year_or_half(m, ctx.rel(unit, 0))
    return _t(m, "DATE", ctx.rel(unit, 0), _pos(m))


def h_quarter(m, ctx):
    q_word = m["qn"].lower()
    number = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(q_word)
    if number is None:
        number = int(q_word[0]) if q_word[0].isdigit() else {"перв": 1, "втор": 2, "трет": 3, "четв": 4}.get(q_word[:4])
        if number is None:
            number = {"пер": 1, "вто": 2, "тре": 3, "чет": 4}.get(q_word[:3])
    if number is None:
        return None
    half = m["kind"].lower().startswith("полугоди")
    if half and number > 2:
        return None
    year = _period_year(m, ctx)
    code = f"H{number}" if half else f"Q{number}"
    return _t(m, "DATE", f"{year}-{code}" if year else f"XXXX-{code}", _pos(m))


def _period_year(m, ctx) -> str | None:
    if m["year"]:
        return f"{int(m['year']):04d}"
    rel = (m["yrel"] or "").lower()
    if not ctx.dct:
        return None
    if rel.startswith("прошл"):
        return f"{ctx.dct.year - 1:04d}"
    if rel.startswith(("следующ", "будущ")):
        return f"{ctx.dct.year + 1:04d}"
    return f"{ctx.dct.year:04d}"


def h_ago(m, ctx):
    n = _number(m["q"]) if m["q"] else 1
    code = _unit_code(m["unit"])
    if code not in ("Y", "M", "W", "D", "E") or (n is not None and not float(n).is_integer()):
        return None
    if n is None:
        return _t(m, "DATE", "PAST_REF")
    if not ctx.dct:
        return _t(m, "DATE", ctx.rel(code, 0))
    if code == "E":
        return _t(m, "DATE", value_at(shift(ctx.dct, "Y", -10 * int(n)), "E"))
    return _t(m, "DATE", value_at(shift(ctx.dct, code, -int(n)), code))


APPROX_RU = {"около": "APPROX", "примерно": "APPROX", "порядка": "APPROX", "почти": "LESS_THAN",
             "менее": "LESS_THAN", "меньше": "LESS_THAN", "более": "MORE_THAN", "больше": "MORE_THAN",
             "свыше": "MORE_THAN", "не менее": "EQUAL_OR_MORE", "не более": "EQUAL_OR_LESS"}


def h_duration(m, ctx):
    code = _unit_code(m["unit"])
    if code is None:
        return None
    if re.match(r"(?:трет|втор|перв|четв[её]рт|пят[ыо]|шест[ыо]|седьм|восьм[ыо]|девят[ыо]|десят[ыо])", m["q"] or "", re.I):
        return None  # "на третий год войны": an ordinal, not a length
    n = _number(m["q"]) if m["q"] else 1
    value = _duration_value(n, code)
    rel = (m["rel"] or "").lower()
    anchor = "past" if rel.startswith(("последн", "прошедш", "минувш")) else \
        "next" if rel.startswith(("ближайш", "следующ", "предстоящ")) else None
    approx = APPROX_RU.get(re.sub(r"\s+", " ", (m["approx"] or "").lower()))
    return _t(m, "DURATION", value, approx, anchor)


def h_year_duration(m, ctx):
    """"за год", "на год", "полгода": a one-year (half-year) span after a preposition."""
    word = m["w"].lower()
    if word.startswith("полгод"):
        return _t(m, "DURATION", "P6M")
    before = ctx.text[max(0, m.start() - 14):m.start()]
    if word in ("года", "месяца", "недели", "суток"):
        # genitive only after "в течение" ("в течение года"); "года" elsewhere is a year word
        if not re.search(r"(?:^|\s)в\s+течение\s+$", before, re.I):
            return None
    elif not re.search(r"(?:^|\s)(?:за|на|в\s+течение)\s+$", before, re.I):
        return None
    return _t(m, "DURATION", {"год": "P1Y", "года": "P1Y", "месяц": "P1M", "месяца": "P1M", "неделю": "P1W",
                              "недели": "P1W", "сутки": "P1D", "суток": "P1D"}[word])


def h_set(m, ctx):
    word = m["s"].lower()
    for stem, value in (("ежедневн", "P1D"), ("еженедельн", "P1W"), ("ежемесячн", "P1M"),
                        ("ежеквартальн", "P1Q"), ("ежегодн", "P1Y")):
        if word.startswith(stem):
            return _t(m, "SET", value)
    return None


def h_every(m, ctx):
    code = _unit_code(m["unit"])
    if code is None:
        return None
    n = _number(m["q"]) if m["q"] else 1
    return _t(m, "SET", _duration_value(n, code))


def h_half_year_span(m, ctx):
    """ "за последние полгода": a six-month DURATION that ends (or starts) now."""
    rel = m["rel"].lower()
    anchor = "past" if rel.startswith(("последн", "прошедш", "минувш")) else "next"
    return _t(m, "DURATION", "P6M", None, anchor)


_SEASONS_RU = (("весн", "SP"), ("лет", "SU"), ("осен", "FA"), ("зим", "WI"))


def h_season(m, ctx):
    """"летом 2023 года", "осенью": a season; without a year the nearest one by tense."""
    word = m["season"].lower()
    season = next(code for stem, code in _SEASONS_RU if word.startswith(stem))
    if word in ("лето", "лета", "зима", "зимы", "весна", "весны", "осень", "осени", "лету", "зиму", "весну") \
            and not m["year"] and not m["yrel"]:
        return None  # a bare noun ("этим летом" is caught by the instrumental form; "лето" alone is too vague)
    if m["year"] or m["yrel"]:
        year = _period_year(m, ctx)
        return _t(m, "DATE", f"{year}-{season}" if year else f"XXXX-{season}")
    if not ctx.dct:
        return _t(m, "DATE", f"XXXX-{season}")
    order = ["WI", "SP", "SU", "FA"]
    now = season_index(ctx.dct, season)
    year = ctx.dct.year
    if ctx.future(m.start()) and order.index(season) < now and not (season == "WI" and now == 3):
        year += 1
    elif ctx.past_verb(m.start()) and order.index(season) > now:
        year -= 1
    return _t(m, "DATE", f"{year:04d}-{season}")


def h_eve(m, ctx):
    """"Накануне ЦБ повысил ставку": the day before the post ("накануне выборов" is not a date)."""
    value = (ctx.dct - dt.timedelta(days=1)).isoformat() if ctx.dct else "XXXX-XX-XX"
    return _t(m, "DATE", value)


def h_recently(m, ctx):
    return _t(m, "DATE", "PAST_REF")


def h_weekend(m, ctx):
    rel = (m["rel"] or "").lower()
    if not ctx.dct:
        return _t(m, "DATE", "XXXX-WXX-WE")
    offset = 1 if rel.startswith(("следующ", "ближайш")) else -1 if rel.startswith(("минувш", "прошл")) else 0
    if not rel:
        offset = 0 if ctx.future(m.start()) or ctx.dct.isoweekday() >= 6 else -1
    start = m.start("rel") if m["rel"] else m.start() + len(m.group()) - len(m.group().lstrip())
    return Timex(start, m.end(), "DATE", value_at(shift(ctx.dct, "W", offset), "W") + "-WE")


def h_coming_units(m, ctx):
    """"в ближайшие недели", "последние годы": an unspecified number of units."""
    code = {"недели": "W", "месяцы": "M", "годы": "Y", "дни": "D", "часы": "H"}[m["unit"].lower()]
    value = f"PT{'X'}H" if code == "H" else f"PX{code}"
    rel = m["rel"].lower()
    anchor = "past" if rel.startswith(("последн", "прошедш", "минувш")) else "next"
    return _t(m, "DURATION", value, None, anchor)


_WEEKDAY_PLURAL = {"понедельник": 1, "вторник": 2, "сред": 3, "четверг": 4, "пятниц": 5, "суббот": 6, "воскресень": 7}


def h_weekday_set(m, ctx):
    """"по понедельникам", "каждую пятницу": every such weekday, a SET."""
    word = (m["wdp"] or m["wdk"]).lower()
    number = next(n for stem, n in _WEEKDAY_PLURAL.items() if word.startswith(stem))
    return _t(m, "SET", f"XXXX-WXX-{number}")


def h_decade_short(m, ctx):
    """"90-е годы": the 1990s (the century of the publication date for "00-е", "10-е", "20-е")."""
    dd = int(m["dd"])
    century = 19 if dd >= 30 or not ctx.dct else ctx.dct.year // 100
    return _t(m, "DATE", f"{century:02d}{dd // 10}")


def h_every_half_year(m, ctx):
    return _t(m, "SET", "P6M")


def h_same_period_year(m, ctx):
    """ "по сравнению с аналогичным периодом прошлого года": the period named before, a year
    earlier (:mod:`nlp.extract.dates.ru_context` adds the quarter or half); here the year."""
    if m["year"]:
        return _t(m, "DATE", f"{int(m['year']):04d}")
    if not ctx.dct:
        return _t(m, "DATE", "XXXX")
    back = 2 if m["yrel"].lower().startswith("позапрошл") else 1
    return _t(m, "DATE", f"{ctx.dct.year - back:04d}")


def h_same_period(m, ctx):
    """"в декабре того же года": resolved later against the period named
    before (:mod:`nlp.extract.dates.ru_context`); here against the
    publication date, as a fallback."""
    unit = "Y" if m["unit"].lower().startswith("год") else "M"
    if m["mon"]:
        month = _month(m["mon"])
        if month is None:
            return None
        year = f"{ctx.dct.year:04d}" if ctx.dct else "XXXX"
        return _t(m, "DATE", f"{year}-{month:02d}", _pos(m))
    value = ctx.rel(unit, 0)
    return _year_or_half(m, value) if unit == "Y" else _t(m, "DATE", value, _pos(m))


PER_UNIT = {"месяц": "P1M", "год": "P1Y", "день": "P1D", "сутки": "P1D", "неделю": "P1W", "квартал": "P1Q",
            "час": "PT1H"}


def h_per_unit(m, ctx):
    """"2 млрд долларов в месяц", "трижды в год": a rate, TimeML SET."""
    clause = re.split(r"[.!?;\n]", ctx.text[max(0, m.start() - 50):m.start()])[-1]
    if not re.search(r"\d|(?<!\w)(?:раз|дважды|трижды|несколько\s+раз)(?!\w)|долл|руб|евро|тонн|штук|баррел|кубометр",
                     clause, re.I):
        return None
    return _t(m, "SET", PER_UNIT[m["unit"].lower()])


def h_weekday(m, ctx):
    word = m["wd"].lower()
    weekday = next(n for stem, n in WEEKDAYS if word.startswith(stem))
    if not ctx.dct:
        return _t(m, "DATE", f"XXXX-WXX-{weekday}")
    delta = weekday - ctx.dct.isoweekday()
    rel = (m["rel"] or "").lower()
    if rel.startswith(("следующ", "будущ")) or (not rel and delta != 0 and ctx.future(m.start())):
        delta = delta + 7 if delta <= 0 else delta
    elif rel.startswith("прошл") or delta > 0:
        delta = delta - 7 if delta >= 0 else delta
    return _t(m, "DATE", (ctx.dct + dt.timedelta(days=delta)).isoformat())


_DAY_PARTS = {"утр": "MO", "дн": "AF", "вечер": "EV", "ноч": "NI"}


def h_weekday_part(m, ctx):
    """"в понедельник утром": the weekday's part of day, a TIME."""
    day = h_weekday(m, ctx)
    part = next(code for stem, code in _DAY_PARTS.items() if m["part"].lower().startswith(stem))
    return _t(m, "TIME", f"{day.value}T{part}") if day is not None else None


def h_time(m, ctx):
    """"в 15:00 по московскому времени": a clock time on the publication day."""
    if not re.search(r"(?:^|\s)(?:в|во|к|до|с|со|около|после|примерно\s+в)\s+$", ctx.text[max(0, m.start() - 12):m.start()], re.I):
        return None  # "2:30" in a score or a ratio is not a time
    day = ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX"
    return _t(m, "TIME", f"{day}T{int(m['h']):02d}:{m['mi']}")


def h_clock_words(m, ctx):
    """"в 9 утра", "в 7 вечера": an hour named with the part of the day."""
    hour = int(m["h"])
    part = m["part"].lower()
    if hour > 12 or hour == 0:
        return None
    if part.startswith("вечер") or (part.startswith("дн") and hour < 12) or (part.startswith("ноч") and hour == 12):
        hour = (hour % 12) + 12 if part.startswith(("вечер", "дн")) else 0
    elif part.startswith("утр") and hour == 12:
        return None
    day = ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX"
    return _t(m, "TIME", f"{day}T{hour:02d}:00")


def h_anchor(m, ctx):
    # "СВО", "войны" alone are events, not dates; "до/после/с (начала) СВО" date things by them
    if not (m["pos"] or "").lower().startswith("начал") and signal_before_ru(ctx.text, m.start()) not in (
            "before", "after", "since"):
        return None
    for pattern, day in anchors_ru():
        if re.fullmatch(pattern, m["anchor"], re.I):
            if ctx.dct and ctx.dct < day:
                return None
            return _t(m, "DATE", day.isoformat())  # "начала СВО" is the day itself
    return None


def _anchor_alternation() -> str:
    return "|".join(p for p, _ in anchors_ru())


@lru_cache(maxsize=1)
def compiled_rules():
    rules = [
        ("iso", r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d-])", h_iso),
        ("numeric", r"(?<![\d.,/-])(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?P<y>\d{4}|\d{2})(?![\d]|[.,/-]\d)(?:\s*г\.)?", h_numeric),
        ("day_month_abbr", rf"{POS}?(?P<day>[12]\d|3[01]|0?[1-9])\s+{MON_ABBR}(?:\s+{YEAR})?", h_day_month),
        ("same_period_year", rf"(?:аналогичн\w+|т(?:ем|от|ого|ому|ом)\s+же)\s+период\w*\s+"
                             rf"(?:(?P<yrel>прошлого|позапрошлого|предыдущего)\s+года|{YEAR})(?!\w)", h_same_period_year),
        ("same_period", rf"{POS}?(?:{MON}\s+)?(?:того|этого)\s+же\s+(?P<unit>года|месяца)(?!\w)", h_same_period),
        ("per_unit", r"в\s+(?P<unit>месяц|год|день|сутки|неделю|квартал|час)(?=\s*(?:[.,;:)!?]|$|и\s|или\s|—|–))",
         h_per_unit),
        ("day_month", rf"{POS}?(?P<day>[12]\d|3[01]|0?[1-9])(?:-?(?:го|е|м))?\s+{MON}(?:\s+{YEAR})?(?!\w)", h_day_month),
        ("month_range", rf"{MON}\s*[–—-]\s*(?:январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*\s+{YEAR}", h_month_range),
        ("month", rf"{POS}?(?:(?P<rel>эт\w+|прошл\w+|прошедш\w+|следующ\w+|будущ\w+|текущ\w+)\s+)?{MON}(?:\s+{YEAR})?(?!\w)", h_month),
        ("year", rf"{POS}?(?<![\d.,])(?P<year>(?:1[6-9]|20)\d\d)(?P<yw>{YEAR_WORD})?(?![\d%]|[.,]\d)", h_year),
        ("decade", rf"{POS}?(?P<dec>(?:1[6-9]|20)\d0)-?[хе](?:\s+год\w*)?(?!\w)", h_decade),
        ("ref", r"(?P<ref>сегодня|вчера|завтра|позавчера|послезавтра|сейчас|теперь|ныне|нынче|настоящее\s+время|"
                r"данный\s+момент|текущий\s+момент|недавно|последнее\s+время|ранее|будущем|ближайшее\s+время|скоро)(?!\w)", h_ref),
        ("relative_unit", rf"{POS}?(?P<rel>эт\w+|прошл\w+|позапрошл\w+|следующ\w+|будущ\w+|текущ\w+|нынешн\w+|"
                          rf"предыдущ\w+|минувш\w+|предстоящ\w+)\s+(?P<unit>год\w*|месяц\w*|недел\w+|квартал\w*|"
                          rf"полугоди\w+|десятилети\w+|век\w*)(?!\w)", h_relative_unit),
        ("bare_period", rf"{POS}(?P<unit>года|году|месяца|недели)(?!\w)", h_bare_period),
        ("quarter", rf"{POS}?(?P<qn>перв\w+|втор\w+|трет\w+|четв[её]рт\w+|IV|III|II|I|[1-4](?:-?(?:м|й|го|ом))?)\s+"
                    rf"(?P<kind>квартал\w*|полугоди\w+|кв\.(?!\s*(?:м|км|см|мм|метр\w*|километр\w*)(?!\w)))(?:\s+(?:{YEAR}|(?P<yrel>этого|прошлого|текущего|следующего)\s+года))?(?!\w)", h_quarter),
        ("ago", rf"(?:{QUANT}\s+)?{UNIT}\s+(?:тому\s+)?назад(?!\w)", h_ago),
        ("duration", rf"(?:(?P<approx>около|примерно|порядка|почти|менее|меньше|более|больше|свыше|не\s+менее|не\s+более)\s+)?"
                     rf"(?:(?P<rel>последн\w+|ближайш\w+|следующ\w+|предстоящ\w+|прошедш\w+|минувш\w+|перв\w+)\s+)?{QUANT}\s+{UNIT}(?!\w)", h_duration),
        ("year_duration", r"(?P<w>год|года|месяц|месяца|неделю|недели|сутки|суток|полгода|полугода)(?!\w)", h_year_duration),
        ("set", r"(?P<s>ежедневно|еженедельно|ежемесячно|ежеквартально|ежегодно)(?!\w)", h_set),
        ("every", rf"(?:кажд\w+|(?:(?:\d+|{NUMWORD})\s+раз[а]?\s+|дважды\s+|трижды\s+|раз\s+)в)\s+(?:{QUANT}\s+)?{UNIT}(?!\w)",
         h_every),
        ("month_rel_year", rf"{POS}?{MON}\s+(?P<yrel>прошл\w+|позапрошл\w+|эт\w+|текущ\w+|следующ\w+|будущ\w+)\s+года(?!\w)",
         h_month_rel_year),
        ("season", rf"(?P<season>весной|летом|осенью|зимой|весн[аеуы]|лет[ауо]|осен[иь]|зим[аеуы])"
                   rf"(?:\s+(?:{YEAR}|(?P<yrel>этого|прошлого|текущего|следующего|будущего)\s+года))?(?!\w)", h_season),
        ("eve", r"(?P<eve>накануне)(?!\s+(?:Нового|Рождеств|Пасх|[а-яё]+(?:ия|ии|ов|ей|ых|их|ого|его|ой|а|я|ы)(?!\w)))",
         h_eve),
        ("days_ago_vague", r"на\s+днях|в\s+эти\s+дни", h_recently),
        ("weekend", r"(?P<rel>минувш\w+|прошл\w+|следующ\w+|ближайш\w+|эти)?\s*(?<!\w)выходн(?:ые|ых)(?!\s+(?:дн|данн|пособи|параметр|документ|отверсти))", h_weekend),
        ("coming_units", r"(?P<rel>ближайш\w+|последн\w+|прошедш\w+|минувш\w+|предстоящ\w+|следующ\w+)\s+"
                         r"(?P<unit>недели|месяцы|годы|дни|часы)(?!\w)", h_coming_units),
        ("weekday_set", r"(?:по\s+(?P<wdp>понедельникам|вторникам|средам|четвергам|пятницам|субботам|воскресеньям)|"
                        r"кажд\w+\s+(?P<wdk>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье))(?!\w)",
         h_weekday_set),
        ("decade_short", r"(?P<dd>[2-9]0)-(?:е|х)\s+(?:год\w*|гг\.)", h_decade_short),
        ("weekday_part", r"(?:(?P<rel>прошл\w+|следующ\w+|будущ\w+|эт\w+)\s+)?(?P<wd>понедельник|вторник|среду|четверг|"
                         r"пятницу|субботу|воскресенье)\s+(?P<part>утром|дн[её]м|вечером|ночью)(?!\w)", h_weekday_part),
        ("half_year_span", r"(?P<rel>последн\w+|ближайш\w+|следующ\w+|прошедш\w+|минувш\w+|предстоящ\w+)\s+полгода(?!\w)",
         h_half_year_span),
        ("every_half_year", r"(?:(?:раз|дважды|трижды)\s+в\s+полгода|кажд\w+\s+полгода|раз\s+в\s+полугодие)(?!\w)",
         h_every_half_year),
        ("weekday", r"(?:(?P<rel>прошл\w+|следующ\w+|будущ\w+|эт\w+)\s+)?(?P<wd>понедельник\w*|вторник\w*|среду|четверг\w*|пятниц[уаеы]|суббот[уаеы]|воскресень[ея])(?!\w)", h_weekday),
        ("time", r"(?<![\d:.,])(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?![\d:.,]\d)(?:\s+(?:по\s+)?(?:московскому|местному|мск)(?:\s+времени)?|\s+мск)?", h_time),
        ("clock_words", r"(?<=\s)(?P<h>1[0-2]|0?[1-9])\s+(?:час(?:а|ов)?\s+)?(?P<part>утра|вечера|дня|ночи)(?!\w)", h_clock_words),
        ("anchor", rf"{POS}?(?P<anchor>{_anchor_alternation()})(?!\w)", h_anchor),
    ]
    return [(name, re.compile(rf"{RULE_GUARD}(?:{pattern})", re.I), handler) for name, pattern, handler in rules]


# Every rule starts a match only where this look-behind holds (not inside a word).
RULE_GUARD = r"(?<!\w)"


@lru_cache(maxsize=1)
def rule_scanner() -> RuleScanner:
    """The rules' patterns, each tried only where a match can start (same matches as finditer)."""
    return RuleScanner([pattern for _, pattern, _ in compiled_rules()], RULE_GUARD)


def find_ru(text: str, dct: dt.date | None) -> list[Timex]:
    """All Russian time expressions in ``text``, leftmost-longest, without overlaps."""
    ctx = _Ctx(text, dct)
    candidates = []
    scanner = rule_scanner()
    index = scanner.index(text)
    for number, (_name, _pattern, handler) in enumerate(compiled_rules()):
        for m in scanner.finditer(number, index):
            try:
                timex = handler(m, ctx)
            except (ValueError, OverflowError):  # calendar arithmetic off the calendar (year 0, 10000)
                continue
            if timex is not None:
                candidates.append(timex)
    return resolve(text, select_longest(candidates), ctx.past_verb, dct.year if dct else None)


def signal_before_ru(text: str, start: int) -> str | None:
    """The preposition right before ``start`` ("с", "после", "до"...), as an English signal name."""
    m = SIGNALS.search(text[max(0, start - 14):start])
    if not m:
        return None
    return SIGNAL_NAMES.get(re.sub(r"\s+", " ", m[1].lower()))
