"""The claimed size of a change in trade, English and Russian, and its verdict rule.

``find_measure(text)`` reads what a statement claims about the change from a
baseline to a window and returns a :class:`Measure` of one kind:

=========  =====================================  ==========================================
kind       examples                               value
=========  =====================================  ==========================================
``dir``    rose, fell, picked up; вырос, снизился  none (direction only)
``more``   more than doubled / tenfold / five      X: the ratio is claimed to exceed X
           times their level; более чем вдвое
``less``   fell by more than a third / 90 %;       X = 1 - Y: the ratio is claimed below X
           more than halved; более чем вчетверо
``times``  roughly tripled, quadrupled, about      X: the ratio is about X (a fall «в пять
           four times as much, twentyfold;        раз» is X = 0.2)
           вдвое, в два с половиной раза
``pct``    by about 30 %, a fifth, half, two      p: the change is about p (signed)
           thirds, sixty per cent; на три четверти
``flat``   essentially flat, held steady;         none
           практически не изменился
=========  =====================================  ==========================================

``judge(measure, ratio)`` applies the tolerance of each kind (documented in
docs/link.md): r = window / baseline, c = r - 1.

Numbers may be digits or words ("two and a half times", «в полтора раза»,
"sixty per cent"). A bound ("more than", "over", «более чем», «свыше») turns
a multiple or a percentage into ``more`` / ``less``; "about", "roughly",
"almost", «примерно», «почти» or no qualifier mean ``times`` / ``pct``.

This module reads only the words of the measure; periods, products and
countries are read elsewhere (:mod:`nlp.link.frames`).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

from .change_words import find_change

MeasureKind = Literal["dir", "more", "less", "times", "pct", "flat"]
Direction = Literal["up", "down", "flat"]
# What a claim check ends in; judge() gives the first two, verification the others.
Verdict = Literal["supported", "contradicted", "mixed", "no_data"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)


# -- numbers in words ---------------------------------------------------------------

_EN_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a hundred": 100, "one hundred": 100,
}
_EN_FOLD = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
            "hundred": 100}
_EN_VERBS = {"doubl": 2.0, "tripl": 3.0, "trebl": 3.0, "quadrupl": 4.0, "quintupl": 5.0, "sextupl": 6.0}
_EN_FRACTIONS = {
    "half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "two thirds": 2 / 3,
    "two-thirds": 2 / 3, "a quarter": 0.25, "one quarter": 0.25, "three quarters": 0.75,
    "three-quarters": 0.75, "a fifth": 0.2, "one fifth": 0.2, "two fifths": 0.4, "three fifths": 0.6,
    "four fifths": 0.8, "a tenth": 0.1, "one tenth": 0.1, "three tenths": 0.3, "seven tenths": 0.7,
    "nine tenths": 0.9,
}
_RU_ADVERBS = {"вдвое": 2, "втрое": 3, "вчетверо": 4, "впятеро": 5, "вшестеро": 6, "всемеро": 7,
               "ввосьмеро": 8, "вдевятеро": 9, "вдесятеро": 10}
_RU_VERBS = {"удвои": 2.0, "утрои": 3.0, "учетвери": 4.0}
_RU_NUMBERS = {
    "полтора": 1.5, "полторы": 1.5, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6,
    "семь": 7, "восемь": 8, "девять": 9, "десять": 10, "двадцать": 20, "тридцать": 30, "сто": 100,
}
_RU_FRACTIONS = {
    "треть": 1 / 3, "две трети": 2 / 3, "четверть": 0.25, "три четверти": 0.75, "половину": 0.5,
    "пятую часть": 0.2, "десятую часть": 0.1, "пятую": 0.2,
}
# «сократился до трети (от уровня 2021 года)»: the window as a share of the baseline
_RU_SHARES = {"трети": 1 / 3, "четверти": 0.25, "половины": 0.5, "пятой части": 0.2, "десятой части": 0.1,
              "двух третей": 2 / 3, "трех четвертей": 0.75, "трёх четвертей": 0.75}
_RU_PERCENT_WORDS = {"десять": 10, "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50,
                     "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80, "девяносто": 90}


def _alt(words: dict[str, Any]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in sorted(words, key=len, reverse=True))


def _number(text: str) -> float:
    text = text.strip().lower().replace(",", ".").replace("-", " ")
    text = re.sub(r"\s+", " ", text)
    for table in (_EN_NUMBERS, _RU_NUMBERS, _RU_PERCENT_WORDS):
        if text in table:
            return float(table[text])
    return float(text)


_NUM = r"\d+(?:[.,]\d+)?"
_EN_NUM_WORD = _alt(_EN_NUMBERS)
_RU_NUM_WORD = _alt(_RU_NUMBERS)

# -- the measure ---------------------------------------------------------------------


@dataclass
class Measure:
    kind: MeasureKind
    direction: Direction | None
    value: float | None = None  # X (ratio) for more/less/times, p (signed change) for pct
    text: str = ""
    start: int = -1

    def rule(self) -> str:
        x = self.value if self.value is not None else 0.0
        if self.kind == "dir":
            return ("supported if r >= 1.25, contradicted if r <= 0.75" if self.direction == "up"
                    else "supported if r <= 0.75, contradicted if r >= 1.25")
        if self.kind == "flat":
            return "supported if |c| <= 0.05, contradicted if |c| >= 0.25"
        if self.kind == "more":
            return f"supported if r >= {1.2 * x:.3g}, contradicted if r <= {0.8 * x:.3g}"
        if self.kind == "less":
            return f"supported if r <= {0.8 * x:.3g}, contradicted if r >= {1.2 * x:.3g}"
        if self.kind == "times":
            return f"supported if |r/{x:.3g} - 1| <= 0.15, contradicted if r <= {0.75 * x:.3g} or r >= {1.5 * x:.3g}"
        return f"supported if |c - ({x:+.3g})| <= 0.06, contradicted if |c - ({x:+.3g})| >= 0.25"

    def describe(self) -> str:
        x = self.value if self.value is not None else 0.0
        if self.kind == "dir":
            return "a rise" if self.direction == "up" else "a fall"
        if self.kind == "flat":
            return "no change"
        if self.kind == "more":
            return f"a ratio above {x:.3g}"
        if self.kind == "less":
            return f"a fall of more than {(1 - x) * 100:.0f}% (ratio below {x:.3g})"
        if self.kind == "times":
            return f"a ratio of about {x:.3g}"
        return f"a change of about {x * 100:+.0f}%"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rule"] = self.rule()
        return data


def judge(measure: Measure, ratio: float) -> tuple[Verdict, bool]:
    """(verdict, clear) for a measure and the observed ratio window / baseline.

    ``clear`` is False in the grey zone between the supported and the
    contradicted conditions; the verdict is then the nearer side.
    """
    r, c, x = ratio, ratio - 1, measure.value
    if measure.kind == "dir":
        up = measure.direction == "up"
        if r >= 1.25 or r <= 0.75:
            return ("supported" if (r >= 1.25) == up else "contradicted"), True
        return ("supported" if (r > 1.0) == up and abs(c) > 0.05 else "contradicted"), False
    if measure.kind == "flat":
        if abs(c) <= 0.05:
            return "supported", True
        return "contradicted", abs(c) >= 0.25
    assert x is not None
    if measure.kind == "more":
        if r >= 1.2 * x or r <= 0.8 * x:
            return ("supported" if r >= 1.2 * x else "contradicted"), True
        return ("supported" if r >= x else "contradicted"), False
    if measure.kind == "less":
        if r <= 0.8 * x or r >= 1.2 * x:
            return ("supported" if r <= 0.8 * x else "contradicted"), True
        return ("supported" if r <= x else "contradicted"), False
    if measure.kind == "times":
        if abs(r / x - 1) <= 0.15:
            return "supported", True
        if r <= 0.75 * x or r >= 1.5 * x:
            return "contradicted", True
        return "contradicted", False
    if abs(c - x) <= 0.06:
        return "supported", True
    return "contradicted", abs(c - x) >= 0.25


# -- direction words ------------------------------------------------------------------

_UP_VERBS = (r"ros[ea]|rise[sn]?|rising|increas\w*|gr[eo]w\w*|jump\w*|surg\w*|soar\w*|climb\w*|picked up|"
             r"pick(?:s|ing)? up|expand\w*|went up|gone up|goes up|rebound\w*|exceed\w*|"
             r"вырос\w*|выросл\w*|увеличи\w*|рост\w*|подскочи\w*|возросл?\w*|прибави\w*|нарасти\w*")
_DOWN_VERBS = (r"fell|fall(?:s|en|ing)?|declin\w*|decreas\w*|dropp?\w*|slipp?\w*|slump\w*|plung\w*|"
               r"collaps\w*|shr[iau]nk\w*|contract\w*|sank|sunk|tumbl\w*|went down|"
               r"снизи\w*|сниж\w*|сократи\w*|сокращ\w*|упал\w*|уменьши\w*|обвали\w*|рухну\w*|"
               r"упа[дл]\w*|паден\w*")
_UP_COMPARATIVE = r"higher|more|above|greater|larger|up|больше|выше"
_DOWN_COMPARATIVE = r"lower|less|below|smaller|down|меньше|ниже"


def _direction(text: str, masked: list[tuple[int, int]]) -> tuple[Direction | None, int]:
    """up / down from the verbs, else from comparatives; with the position."""
    def free(m: re.Match) -> bool:
        return not any(a <= m.start() < b for a, b in masked)

    for pattern_up, pattern_down in ((_UP_VERBS, _DOWN_VERBS), (_UP_COMPARATIVE, _DOWN_COMPARATIVE)):
        hits: list[tuple[int, Direction]] = []
        sides: tuple[tuple[Direction, str], ...] = (("up", pattern_up), ("down", pattern_down))
        for direction, pattern in sides:
            for m in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w-])", text, re.I):
                if m.group(0).lower().endswith("ingly"):
                    continue  # "increasingly important": an adverb, not a change
                rest = text[m.end():]
                word = m.group(0).lower()
                if pattern_up == _UP_COMPARATIVE and (
                        word in ("more", "less") and re.match(r"\s+\w+(?:ly|ent|ant|ive|ful|able|ible|ic|al|ous)\b",
                                                              rest, re.I)
                        or word in ("up", "down") and not (
                            re.match(r"\s+(?:by|about|around|roughly|some|nearly|almost|over|more|\d)", rest, re.I)
                            or re.search(r"\b(?:were|was|is|are|been|be)\s+$", text[:m.start()], re.I))):
                    continue  # "less dependent", "more closely", "made up": not a change in trade
                if free(m) and not re.match(r"\s+(?:than\s+|чем\s+)?\d+(?:[.,]\d+)?\s*(?:W|Вт|kg|кг|V|В|mm|мм)\b",
                                            rest) \
                        and not (m.group(0).lower() in ("more", "less", "больше", "меньше")
                                 and re.match(r"\s+(?:than|чем)\b", rest, re.I)):
                    hits.append((m.start(), direction))
        if hits:
            hits.sort()
            return hits[0][1], hits[0][0]
        if pattern_up == _UP_VERBS:
            # other change verbs and nouns, by lemma ("edged up", "dwindled", «обвалились», "a dip")
            change = find_change(text, masked)
            if change and change[0] != "flat":
                return change[0], change[1]  # type: ignore[return-value]
    return None, -1


_FLAT = re.compile(
    r"(?:(?:essentially|broadly|virtually|largely|practically|roughly|almost|nearly)\s+)?"
    r"(?:flat|unchanged|steady|stable|little changed|level)\b(?!\s+(?:of|with|at)\b)"
    r"|(?:were|was|is|are|stayed|remained|held)\s+(?:roughly\s+|about\s+|broadly\s+|almost\s+|nearly\s+)?level\s+with\b"
    r"|held\s+(?:essentially\s+|broadly\s+|roughly\s+)?steady|stayed\s+put"
    r"|(?:stayed|remained|held|were|was)\s+(?:roughly\s+|about\s+|broadly\s+|essentially\s+|virtually\s+|much\s+)?"
    r"the\s+same\b(?!\s+(?:period|months?|quarter|half|time))|on\s+(?:a\s+)?par\s+with"
    r"|barely\s+changed|hardly\s+changed|(?:практически|почти|фактически)?\s*не\s*измен\w*|без\s+изменени\w*"
    r"|(?:remained|stayed|held|hovered)\s+(?:roughly\s+|about\s+|close\s+to\s+|near\s+|at\s+|around\s+)+"
    r"(?:the\s+|their\s+|its\s+)?(?:(?:19|20)\d{2}\s+)?levels?\b"
    r"|(?:держал|удерживал|сохранял|сохранил)\w*\s+(?:практически\s+|почти\s+|примерно\s+)?на\s+(?:том\s+же\s+|прежнем\s+)?уровне"
    r"|остал\w*\s+(?:практически\s+|почти\s+|примерно\s+|фактически\s+)?на\s+(?:том\s+же\s+|прежнем\s+|преж\w+\s+)?уровне|стабильн\w*|на\s+прежнем\s+уровне",
    re.I)

_BOUND_MORE = re.compile(r"(?:more\s+than|over|at\s+least|upwards\s+of|above|in\s+excess\s+of|"
                         r"более\s+чем|больше\s+чем|свыше|не\s+менее\s+чем|не\s+менее|более)\s+"
                         r"(?:by\s+|на\s+|with\s+)?(?:an?\s+)?$", re.I)
_ABOUT = re.compile(r"(?:about|around|roughly|some|approximately|almost|nearly|close\s+to|just\s+(?:over|under)|"
                    r"примерно|около|приблизительно|порядка|почти|почти\s+что)\s+(?:by\s+|на\s+)?$", re.I)

# Multiples: (pattern, group with the number or None, fixed value, implies direction)
_TIMES_WORDS = (r"(?:times|x)\s*(?:as\s+(?:much|high|large|many)|higher|more|larger|bigger|greater|over|"
                r"(?:their|its|the)\s+(?:\w+\s+){0,3}(?:level|value|figure)s?|that\s+of|those\s+of|what)?")
_MULTIPLES: list[tuple[re.Pattern, str]] = [
    (re.compile(rf"\b({_EN_NUM_WORD}|{_NUM})\s+and\s+a\s+half\s+times", re.I), "half_times"),
    (re.compile(r"\bone\s+and\s+a\s+half\s+times|\b1\.5\s+times", re.I), "one_half"),
    (re.compile(rf"\b({_NUM}|{_alt(_EN_FOLD)})[\s-]?fold\b", re.I), "fold"),
    (re.compile(rf"\b({_NUM}|{_EN_NUM_WORD})\s+{_TIMES_WORDS}", re.I), "times"),
    (re.compile(r"\btwice\b", re.I), "twice"),
    (re.compile(r"\b(?:by\s+)?a\s+factor\s+of\s+(" + _NUM + "|" + _EN_NUM_WORD + r")\b", re.I), "factor"),
    (re.compile(r"(?<![\w-])x\s?(" + _NUM + r")\b", re.I), "factor"),
    (re.compile(r"(?<![\w.,])(" + _NUM + r")\s?x(?![\w-])", re.I), "factor"),
    (re.compile(r"\b(" + "|".join(_EN_VERBS) + r")\w*", re.I), "en_verb"),
    (re.compile(r"\bhalv(?:ed|ing|es)\b|\bcut\s+in\s+half\b", re.I), "halved"),
    (re.compile(r"(?<![\w-])(" + "|".join(_RU_ADVERBS) + r")(?![\w-])", re.I), "ru_adverb"),
    (re.compile(rf"(?<![\w-])в\s+({_RU_NUM_WORD}|{_NUM})\s+с\s+половиной\s+раза?(?![\w-])", re.I), "ru_half_times"),
    (re.compile(rf"(?<![\w-])в\s+({_RU_NUM_WORD}|{_NUM})\s+(?:с\s+лишним\s+)?раза?(?![\w-])", re.I), "ru_times"),
    (re.compile(r"(?<![\w-])(" + "|".join(_RU_VERBS) + r")\w*", re.I), "ru_verb"),
]

_PCT = re.compile(rf"({_NUM}|{_EN_NUM_WORD}|{_alt(_RU_PERCENT_WORDS)})(?:[\s-]+(?:and\s+a\s+half\s+)?)?"
                  r"\s*(?:%|per\s*cent|percent|pct\b|pc\b|процент\w*|проц\.?(?!\w)|п\.\s?п\.)", re.I)
_FRACTION_EN = re.compile(rf"(?<![\w-])({_alt(_EN_FRACTIONS)})(?![\w-])", re.I)
_FRACTION_RU = re.compile(rf"(?<![\w-])(?:на|в)\s+({_alt(_RU_FRACTIONS)})(?![\w-])|(?<![\w-])(наполовину)(?![\w-])",
                          re.I)


_RU_SHARE = re.compile(rf"(?<![\w-])до\s+({_alt(_RU_SHARES)})(?![\w-])", re.I)
_SCALE = {"k": 1e3, "thousand": 1e3, "тыс": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6, "млн": 1e6,
          "bn": 1e9, "b": 1e9, "billion": 1e9, "млрд": 1e9}
_MONEY = (r"(?:[€$£]|eur\b|euro?s?\b|usd\b|евро\b|долл\w*)?\s?(?P<{n}>\d{{1,3}}(?:,\d{{3}})+(?![\d.,])|\d+(?:[.,]\d+)?)\s?"
          r"(?P<{s}>k|thousand|тыс\.?|mn|mln|m|million|млн|bn|b|billion|млрд)?\b\.?\s?"
          r"(?:[€$£]|eur\b|euros?\b|usd\b|евро\b|долл\w*|dollars?\b)?")
# "from EUR 12.3m in 2021 to EUR 5.1m in 2022": a short period phrase may follow the first amount
_PERIOD_BETWEEN = r"(?:,?\s+(?:in|during|over|в|во|за)\s+[\w\s–-]{1,30}?)?"
_AMOUNT_PAIR = re.compile(
    r"(?<![\w-])(?P<w1>from|с|со)\s+" + _MONEY.format(n="a", s="sa") + _PERIOD_BETWEEN + r"\s*(?:to|до)\s+" +
    _MONEY.format(n="b", s="sb") +
    r"|(?<![\w-])(?P<w2>to|до|reached|hit|total(?:l)?ed|amounted\s+to|stood\s+at|came\s+to|составил\w*|достиг\w*)\s+" +
    _MONEY.format(n="c", s="sc") + _PERIOD_BETWEEN +
    r"\s*(?:,\s*)?(?:from|up\s+from|down\s+from|compared\s+with|against|versus|vs\.?|с|со|против|"
    r"по\s+сравнению\s+с)\s+" + _MONEY.format(n="d", s="sd"), re.I)


def _scale(word: str | None) -> float:
    return _SCALE.get((word or "").lower().rstrip("."), 0.0)


def _amount_number(digits: str) -> float:
    """"311,216" is thousands-grouped; "4,5" and "4.5" are decimals."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", digits):
        return float(digits.replace(",", ""))
    return float(digits.replace(",", "."))


def _amount_pair(text: str) -> Measure | None:
    """"rose from EUR 76m to EUR 120m", «с 76 до 120 млн евро»: a ratio from the two amounts."""
    for m in _AMOUNT_PAIR.finditer(text):
        if m.group("w1"):
            base, base_scale, window, window_scale = m.group("a"), m.group("sa"), m.group("b"), m.group("sb")
        else:
            base, base_scale, window, window_scale = m.group("d"), m.group("sd"), m.group("c"), m.group("sc")
        if not re.search(r"[€$£]|eur|евро|usd|долл|dollar|\d\s?(?:k|m|mn|mln|bn|b|million|billion|тыс|млн|млрд)\b",
                         m.group(0), re.I):
            continue  # two bare numbers ("from 2021 to 2022") are not amounts
        first, second = _amount_number(base), _amount_number(window)
        # "from 76 to 120 million": a bare small number takes the other amount's scale
        base_factor = _scale(base_scale) or (_scale(window_scale) if first < 1000 else 0.0) or 1.0
        window_factor = _scale(window_scale) or (_scale(base_scale) if second < 1000 else 0.0) or 1.0
        first, second = first * base_factor, second * window_factor
        if first <= 0 or second <= 0 or first == second:
            continue
        ratio = second / first
        return Measure("times", "up" if ratio > 1 else "down", ratio, m.group(0).strip(), m.start())
    return None


def _multiple(text: str) -> tuple[float, re.Match, bool] | None:
    """(X, match, implied fall) for the first multiple in the text."""
    best: tuple[float, re.Match, bool] | None = None
    for regex, how in _MULTIPLES:
        for m in regex.finditer(text):
            if how == "times" and re.search(r"\b(?:one|1)\s+times", m.group(0), re.I):
                continue
            if how == "half_times":
                value = _number(m.group(1)) + 0.5
            elif how == "one_half":
                value = 1.5
            elif how in ("fold", "times", "factor"):
                value = _number(m.group(1))
            elif how == "twice":
                value = 2.0
            elif how == "en_verb":
                value = next(v for k, v in _EN_VERBS.items() if m.group(1).lower().startswith(k))
            elif how == "halved":
                value = 0.5
            elif how == "ru_adverb":
                value = float(_RU_ADVERBS[m.group(1).lower()])
            elif how == "ru_half_times":
                value = _number(m.group(1)) + 0.5
            elif how == "ru_times":
                value = _number(m.group(1))
            else:  # ru_verb
                value = next(v for k, v in _RU_VERBS.items() if m.group(1).lower().startswith(k))
            if value <= 1.0 and how != "halved":
                continue
            if best is None or m.start() < best[1].start():
                best = (value, m, how == "halved")
            break
    return best


def _percent(text: str) -> tuple[float, re.Match] | None:
    """(p as a fraction, match) for a percentage or a fraction of change."""
    candidates: list[tuple[float, re.Match]] = []
    for m in _PCT.finditer(text):
        number = m.group(1)
        value = _number(number) + (0.5 if "half" in m.group(0).lower() else 0)
        candidates.append((value / 100, m))
    for m in _FRACTION_EN.finditer(text):
        # "by about half", "a fifth lower": a fraction of change, never "the first half of 2022"
        before, after = text[max(0, m.start() - 40):m.start()], text[m.end():m.end() + 30]
        if re.search(r"\b(?:first|second|last|latter|former|the)\s+$", before, re.I) or \
                re.match(r"\s+(?:of|a)\s+(?:the\s+)?(?:year|\d{4}|this|last|next|month|quarter)", after, re.I):
            continue
        if re.search(r"\b(?:by|to)\s+(?:(?:only|just|merely|a\s+mere)\s+)?(?:(?:about|around|roughly|some|almost|"
                     r"nearly|more\s+than|over|just\s+over|approximately|close\s+to|less\s+than|under|just)\s+)?$",
                     before, re.I) and \
                (before.rstrip().split()[-1:] != ["to"] or re.match(r"\s+of\b", after)) or \
                re.match(r"\s+(?:lower|higher|less|more|below|above|smaller|larger|down|up)\b", after, re.I):
            candidates.append((_EN_FRACTIONS[re.sub(r"[\s-]+", " ", m.group(1).lower())], m))
    for m in _FRACTION_RU.finditer(text):
        word = (m.group(1) or m.group(2)).lower()
        word = re.sub(r"\s+", " ", word)
        candidates.append((0.5 if word == "наполовину" else _RU_FRACTIONS[word], m))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[1].start())


def find_measure(text: str, masked: list[tuple[int, int]] | None = None) -> Measure | None:
    """The claimed change in ``text``; ``masked`` spans (product words, "less than 1 W") are skipped."""
    masked = list(masked or [])
    lowered = text
    flat: re.Match | None = _FLAT.search(lowered)
    if flat is None:
        change = find_change(lowered, masked)
        if change and change[0] == "flat":
            flat = re.compile(r"\w+").match(lowered, change[1])
    multiple = _multiple(lowered)
    percent = _percent(lowered)
    # "a fifth" inside "two and a half times" is part of the multiple
    if multiple and percent and multiple[1].start() <= percent[1].start() < multiple[1].end():
        percent = None
    spans = [(m.start(), m.end()) for m in (multiple[1] if multiple else None, percent[1] if percent else None) if m]
    direction, where = _direction(lowered, masked + spans)
    if flat and not multiple and not percent and direction is None or \
            flat and not multiple and not percent and re.search(r"held|level\s+with|остал|не\s+измени|держал|удерживал|сохран",
                                                               flat.group(0), re.I):
        return Measure("flat", "flat", None, flat.group(0).strip(), flat.start())
    chosen: tuple[str, float, re.Match] | None = None
    if multiple and (not percent or multiple[1].start() <= percent[1].start()):
        chosen = ("multiple", multiple[0], multiple[1])
    elif percent:
        chosen = ("percent", percent[0], percent[1])
    if chosen is None:
        share = _RU_SHARE.search(lowered)
        if share:
            value = _RU_SHARES[re.sub(r"[\s-]+", " ", share.group(1).lower())]
            return Measure("times", "down", value, share.group(0), share.start())
        pair = _amount_pair(lowered)
        if pair is not None:
            return pair
        if direction is None:
            return None
        return Measure("dir", direction, None, lowered[where:where + 12].split(" ")[0], where)
    how, value, m = chosen
    before = lowered[max(0, m.start() - 30):m.start()]
    after = lowered[m.end():m.end() + 30]
    at_least = bool(_BOUND_MORE.search(before))
    level = re.search(r"\bto\s+(?:(?P<b>about|around|roughly|some|just|less\s+than|under|below|more\s+than|over|"
                      r"almost|nearly)\s+)?$", before, re.I)
    if level is None and re.match(r"\s+(?:of|от)\s+(?:the\s+|their\s+|its\s+)?(?:level|value|volume|figure|уровн\w*|объ[её]м\w*)",
                                  after, re.I):
        # "were just 3% of the level of Q3 2021", «составил 5% от уровня»: a ratio, not a change
        level = re.search(r"\b(?:were|was|is|are|stood\s+at|amounted\s+to|came\s+to|составил\w*|составля\w*)\s+"
                          r"(?:(?P<b>about|around|roughly|some|just|only|merely|barely|less\s+than|under|below|"
                          r"more\s+than|over|almost|nearly|около|лишь|всего|менее|более)\s+)?$", before, re.I)
    if how == "percent" and level and re.match(r"\s+(?:of|от)\b", after):
        # "fell to a third of their 2021 level", "to less than 10% of": a ratio, not a change
        bound = (level.group("b") or "").lower()
        if bound.startswith(("less", "under", "below", "менее")):
            return Measure("less", "down", value, m.group(0), m.start())
        if bound.startswith(("more", "over", "более")):
            return Measure("more", "up", value, m.group(0), m.start())
        return Measure("times", "down" if value < 1 else "up", value, m.group(0), m.start())
    if how == "multiple":
        at_least = at_least or "лишним" in m.group(0).lower()  # «в 4 с лишним раза»: more than fourfold
        fall = multiple is not None and multiple[2]
        if re.match(r"\s*(?:lower|less|smaller|below|меньше|ниже)\b", after, re.I):
            fall = True
        if direction == "down":
            fall = True
        if fall and not (multiple and multiple[2]):
            value = 1.0 / value   # "fell fivefold", «сократился в пять раз»
        if at_least:
            return Measure("less" if fall else "more", "down" if fall else "up", value, m.group(0), m.start())
        return Measure("times", "down" if fall else "up", value, m.group(0), m.start())
    # percentages and fractions of change
    down = direction == "down" or bool(re.match(r"\s*(?:lower|less|smaller|below|down|меньше|ниже)\b", after, re.I))
    up = bool(re.match(r"\s*(?:higher|more|larger|above|up|больше|выше)\b", after, re.I))
    if up:
        down = False
    if at_least:
        if down:
            return Measure("less", "down", 1.0 - value, m.group(0), m.start())
        return Measure("more", "up", 1.0 + value, m.group(0), m.start())
    sign = re.search(r"(?:^|[\s:(])([+\-−–])\s?$", lowered[max(0, m.start() - 3):m.start()])
    if sign and direction is None and not up and not down:
        # "+360%", «−36%» in headlines and posts: the sign is the direction
        down = sign.group(1) != "+"
        up = not down
    if direction is None and not up and not down:
        return None
    return Measure("pct", "down" if down else "up", -value if down else value, m.group(0), m.start())
