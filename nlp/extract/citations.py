"""Find citations of EU legal acts, articles and annexes (English and Russian)
and normalise the acts to CELEX numbers.

:func:`find_citations` returns one dict per mention, in text order::

    {"start", "end", "text", "celex", "article", "annex",
     "kind": "act" | "article" | "annex", "act_type", "number", "year",
     "paragraph"}

* Acts: "Council Regulation (EU) No 833/2014" -> ``32014R0833``,
  "Implementing Regulation (EU) 2024/1746" -> ``32024R1746``,
  "Decision 2014/512/CFSP" -> ``32014D0512``, "Directive 2009/65/EC" ->
  ``32009L0065``, "Регламент (ЕС) № 833/2014" -> ``32014R0833``. CELEX is
  sector 3 + year + R (regulations, implementing and delegated ones too) /
  D (decisions) / L (directives) + the number padded to 4 digits. Which part
  of "a/b" is the year follows EU numbering: "No 833/2014" (number/year, acts
  before 2015 and decisions "No 1247/2002/EC"), "2024/1745" (year/number,
  regulations from 2015, all CFSP decisions and directives); two-digit
  years ("No 2658/87") are 19xx from 50 up. Lists continue the act type:
  "Regulations (EU) No 269/2014, (EU) No 692/2014 or (EU) 2022/263" gives
  three acts.
* Articles and annexes ("Article 12g", "Articles 2, 2a and 2b",
  "Article 3k(1)", "Annex XXIII", "Annexes XVII and XXI", "статья 12g",
  "приложение XXIII"): one item each, ``article`` / ``annex`` kept as written
  ("12g", "XXIII"), a paragraph number in ``paragraph``. The act is the one
  named right after it ("Article 12g of Regulation (EU) No 833/2014",
  "статьи 2 Регламента № 833/2014"), else the nearest act mentioned before it
  in the same paragraph; "of this Regulation" / "настоящего Регламента"
  means the citing document itself: ``celex`` is the ``this_act`` argument
  there (None when not given), and None when no act is in reach.

This module does not fetch anything from EUR-Lex, does not check that a
CELEX number exists, and does not resolve points ("point (b)") or recitals.
Plain ``re``: citation syntax is punctuation-heavy and fixed by the
Publications Office style guide, which regular expressions express directly.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ..celex import build, full_year
from .regex_scan import RuleScanner, TextIndex

_RU_TYPES = (("регламент", "regulation"), ("решени", "decision"), ("директив", "directive"))

# Words between the act type and its number: issuers, qualifiers in brackets.
_QUALIFIER = r"\((?:EU|EC|EEC|Euratom|CFSP|ECSC|EU,\s*Euratom|ЕС|ЕЭС|ОВПБ|ЕС,\s*Евратом)\)"
_NUMBER = r"(?P<a>\d{1,4})/(?P<b>\d{2,4})(?!\d)(?:/(?P<suffix>CFSP|PESC|EU|EC|EEC|JHA|Euratom|ОВПБ|ЕС|ЕЭС)\b)?"
_NO = r"(?P<no>No\.?|Nr\.?|№|N°)"

_EN_ACT = re.compile(
    r"(?<!\w)(?:(?:Council|Commission|European\s+Parliament\s+and\s+(?:of\s+the\s+)?Council)\s+)?"
    r"(?:(?P<impl>Implementing|Delegated)\s+)?"
    r"(?P<type>Regulations?|Decisions?|Directives?|Reg\.)"
    rf"(?:\s*{_QUALIFIER})?(?:\s*{_NO})?\s*{_NUMBER}",
    re.I)
_RU_ACT = re.compile(
    r"(?<!\w)(?:(?P<impl>[Ии]мплементационн\w*|[Дд]елегированн\w*)\s+)?"
    r"(?P<type>[Рр]егламент\w*|[Рр]ешени\w*|[Дд]иректив\w*)"
    r"(?:\s+(?:Совета|Комиссии|Европейского\s+парламента\s+и\s+Совета))?(?:\s+(?:ЕС|ЕЭС)(?!\w))?"
    rf"(?:\s*{_QUALIFIER})?(?:\s*{_NO})?\s*{_NUMBER}")
# A further act in a list: ", (EU) No 692/2014", " or (EU) 2022/263".
_LIST_ACT = re.compile(
    rf"\s*(?:,|;)?\s*(?:and|or|и|или)?\s*(?:{_QUALIFIER})\s*(?:{_NO})?\s*{_NUMBER}", re.I)

# "XXIII", "XXXVIIIA", "XIX.A"; the boundary keeps "Annex I to Council ..."
# from reading the "C" of "Council" as Annex C.
_ROMAN = r"[IVXLC]+[A-Z]?(?:\.[A-Z0-9]+)?(?![\w])"
_ARTICLE_ID = r"\d{1,3}[a-zа-я]{0,3}(?![\w])(?:\((?P<par>\d{1,2}[a-z]?)\))?"
_EN_ARTICLE = re.compile(r"(?<!\w)(?P<word>Articles?|Art\.)\s+", re.I)
_RU_ARTICLE = re.compile(r"(?<!\w)(?P<word>[Сс]тать[яиеюйямх]{1,3}|ст\.)\s+")
_EN_ANNEX = re.compile(r"(?<!\w)(?P<word>Annex(?:es)?)\s+", re.I)
_RU_ANNEX = re.compile(r"(?<!\w)(?P<word>[Пп]риложени[еяюйиям]{1,3})\s+(?:№\s*)?")
_ITEM_JOINER = re.compile(r"\s*(?:,|and|or|to|и|или|по|-|–)\s*", re.I)
_OF_ACT = re.compile(r"\s*(?:of|to|in|under)\s+(?:the\s+)?", re.I)
_THIS_ACT = re.compile(
    r"\s*(?:(?:of|to|in|under)\s+)?(?:this|the\s+present)\s+(?:Regulation|Decision|Directive)"
    r"|\s*настоящ\w+\s+(?:[Рр]егламент|[Рр]ешени|[Дд]иректив)\w*", re.I)
_THAT_ACT = re.compile(
    r"\s*(?:(?:of|to|in|under)\s+)?(?:that|the\s+said)\s+(?P<type>Regulation|Decision|Directive)"
    r"|\s*(?:указанн|этого|этой|данн)\w*\s+(?P<rutype>[Рр]егламент|[Рр]ешени|[Дд]иректив)\w*", re.I)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _act_type(word: str) -> str:
    lower = word.lower()
    for stem, kind in _RU_TYPES:
        if lower.startswith(stem):
            return kind
    return "regulation" if lower == "reg." else lower.rstrip("s")


def _year_number(act_type: str, a: str, b: str, numbered_no: bool, suffix: str | None) -> tuple[int, int] | None:
    """(year, number) from the two parts of 'a/b' by EU numbering rules."""
    if numbered_no:
        year, number = full_year(b), int(a)  # "No 833/2014", "No 1247/2002/EC"
    elif act_type == "regulation" and not suffix:
        # From 2015 regulations are year/number; before, number/year.
        if len(a) == 4 and 2015 <= int(a) <= 2099:
            year, number = int(a), int(b)
        else:
            year, number = full_year(b), int(a)
    else:  # decisions and directives: year/number ("2014/512/CFSP", "2009/65/EC")
        if len(a) not in (2, 4):
            year, number = full_year(b), int(a)
        else:
            year, number = full_year(a), int(b)
    if not (1950 <= year <= 2099) or number <= 0 or number > 9999:
        return None
    return year, number


celex_of = build  # the act's CELEX number (see nlp.celex)


def _act_item(text: str, start: int, end: int, act_type: str, match: re.Match) -> dict[str, Any] | None:
    parsed = _year_number(act_type, match.group("a"), match.group("b"), bool(match.group("no")),
                          match.group("suffix"))
    if parsed is None:
        return None
    year, number = parsed
    return {"start": start, "end": end, "text": text[start:end], "celex": celex_of(act_type, year, number),
            "article": None, "annex": None, "kind": "act", "act_type": act_type, "number": number,
            "year": year, "paragraph": None}


# The patterns a text is scanned with, in this order; each starts with _GUARD.
_GUARD = r"(?<!\w)"
_SCANNED = (_EN_ACT, _RU_ACT, _EN_ARTICLE, _RU_ARTICLE, _EN_ANNEX, _RU_ANNEX)


@lru_cache(maxsize=1)
def _scanner() -> RuleScanner:
    """The scanned patterns, each tried only where a match can start (same matches as finditer)."""
    return RuleScanner(_SCANNED, _GUARD)


def _matches(pattern: re.Pattern, index: TextIndex) -> Iterator[re.Match]:
    return _scanner().finditer(_SCANNED.index(pattern), index)


def _acts(text: str, index: TextIndex) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for pattern in (_EN_ACT, _RU_ACT):
        for match in _matches(pattern, index):
            act_type = _act_type(match.group("type"))
            item = _act_item(text, match.start(), match.end(), act_type, match)
            if item is None:
                continue
            found.append(item)
            cursor = match.end()
            while (more := _LIST_ACT.match(text, cursor)) is not None:
                # The listed act starts at its "(EU)", not at the joiner.
                lead = re.match(r"\s*(?:,|;)?\s*(?:and|or|и|или)?\s*", more.group(0), re.I)
                nxt = _act_item(text, more.start() + (lead.end() if lead else 0), more.end(), act_type, more)
                if nxt is None:
                    break
                found.append(nxt)
                cursor = more.end()
    found.sort(key=lambda item: item["start"])
    kept: list[dict[str, Any]] = []
    for item in found:  # the two patterns may both match a mixed-script span
        if not kept or item["start"] >= kept[-1]["end"]:
            kept.append(item)
    return kept


def _items_after(text: str, pos: int, item_re: str) -> list[tuple[int, int, str, str | None]]:
    """'2, 2a and 2b' -> [(start, end, id, paragraph), ...] starting at pos."""
    pattern = re.compile(item_re)
    items = []
    cursor = pos
    while True:
        match = pattern.match(text, cursor)
        if not match:
            break
        ident = re.sub(r"\(.*", "", match.group(0))
        items.append((match.start(), match.end(), ident, match.groupdict().get("par")))
        joiner = _ITEM_JOINER.match(text, match.end())
        if not joiner or not pattern.match(text, joiner.end()):
            break
        cursor = joiner.end()
    return items


def _paragraph_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _PARAGRAPH_BREAK.finditer(text))]


def _resolve(text: str, end: int, start: int, acts: list[dict[str, Any]], act_starts: list[int],
             paragraphs: list[int], this_act: str | None) -> str | None:
    """CELEX of the act an article/annex list belongs to (see module doc)."""
    if _THIS_ACT.match(text, end):
        return this_act
    that = _THAT_ACT.match(text, end)
    following = _OF_ACT.match(text, end)
    after = following.end() if following else end
    # An act named right after: "Article 2 of Council Regulation (EU) No
    # 833/2014" (issuer words may sit between "of" and the number).
    index = bisect.bisect_left(act_starts, end)
    if index < len(acts):
        act = acts[index]
        if act["start"] <= after + 45 and not re.search(r"[.;\n]", text[end:act["start"]]):
            return act["celex"]
    paragraph = paragraphs[bisect.bisect_right(paragraphs, start) - 1]
    wanted = _act_type(that.group("type") or that.group("rutype")) if that else None
    for act in reversed(acts[:bisect.bisect_left(act_starts, start)]):
        if act["start"] < paragraph:
            break
        if act["end"] <= start and (wanted is None or act["act_type"] == wanted):
            return act["celex"]
    return None


def _parts(text: str, text_index: TextIndex, acts: list[dict[str, Any]], this_act: str | None) -> list[dict[str, Any]]:
    found = []
    act_starts = [act["start"] for act in acts]
    paragraphs = _paragraph_starts(text)
    specs = ((_EN_ARTICLE, "article", _ARTICLE_ID), (_RU_ARTICLE, "article", _ARTICLE_ID),
             (_EN_ANNEX, "annex", _ROMAN), (_RU_ANNEX, "annex", rf"(?:{_ROMAN}|\d{{1,2}}(?!\d))"))
    for word_re, kind, item_re in specs:
        for word in _matches(word_re, text_index):
            items = _items_after(text, word.end(), item_re)
            if not items:
                continue
            celex = _resolve(text, items[-1][1], word.start(), acts, act_starts, paragraphs, this_act)
            for index, (start, end, ident, paragraph) in enumerate(items):
                item_start = word.start() if index == 0 else start
                found.append({"start": item_start, "end": end, "text": text[item_start:end], "celex": celex,
                              "article": ident if kind == "article" else None,
                              "annex": ident if kind == "annex" else None, "kind": kind,
                              "act_type": None, "number": None, "year": None, "paragraph": paragraph})
    return found


def find_citations(text: str, lang: str = "en", *, this_act: str | None = None) -> list[dict[str, Any]]:
    """All act, article and annex citations in ``text``, in text order.

    ``lang`` is accepted for symmetry with the other extractors; English and
    Russian forms are both looked for whatever it says (sanctions texts mix
    them). ``this_act``: CELEX of the document itself, given to "Article 5 of
    this Regulation" (None when unknown)."""
    if not text:
        return []
    index = _scanner().index(text)
    acts = _acts(text, index)
    act_starts = [act["start"] for act in acts]

    def inside_act(part: dict[str, Any]) -> bool:
        index = bisect.bisect_right(act_starts, part["start"]) - 1
        return any(0 <= i < len(acts) and part["start"] < acts[i]["end"] and acts[i]["start"] < part["end"]
                   for i in (index, index + 1))

    parts = [p for p in _parts(text, index, acts, this_act) if not inside_act(p)]
    return sorted([*acts, *parts], key=lambda item: item["start"])

