"""Find HS / CN / TARIC / TN VED goods codes in text.

:func:`find_hs_codes` returns one dict per code mention::

    {"start", "end", "text", "code", "level", "system", "description",
     "chp_tier", "ex", "range", "chp_items", "edition"}

``code`` is digits only; ``level`` the number of digits (2 chapter, 4 heading,
6 subheading, 8 CN, 10 TARIC / TN VED); ``system`` "HS", "CN", "TARIC" or
"TNVED" (named by the cue word, else guessed from the length: 8 digits CN,
10 digits TARIC, or TNVED when ``lang="ru"``); ``description`` the HS2022 (else
HS2017) text of the code's HS part; ``chp_tier`` from :mod:`nlp.reference`
(for a heading or chapter: the most sensitive tier of the CHP subheadings it
covers, which ``chp_items`` lists); ``ex`` True when an "ex" prefix marks only
part of the code's goods; ``range`` "8401-8412" on both endpoints of a range
("headings 8401 to 8412" gives two items), else None; ``edition`` the newest
shipped edition listing the code (HS2022, HS2017, CN2024, CN2023, TNVED2022).

How a number qualifies (precision first, since every number in a regulation
is a candidate):

* after a cue word ("CN code", "heading", "HS", "ТН ВЭД", "subheading",
  "Chapter" with nomenclature context, ...) and in the list that continues
  it ("CN codes 8471, 8523 and 9027", "headings 8401 to 8412"); a system
  named elsewhere in the sentence ("позиции 8542 ТН ВЭД") sets ``system``;
* at the start of a table row followed by a dash and text ("2507 00 80 –
  Other kaolinic clays", OJ annex tables), or in a tab-separated table cell
  of a column that a header row above names as codes ("HS code", "Код /
  ТН ВЭД ЕАЭС"), ranges and "72 (кроме 7201-7204)" included;
* anywhere in the CN spacing ``dddd dd dd`` (and TN VED ``dddd dd ddd d``),
  which amounts, dates and phone numbers do not use;
* dotted ("85.42", "8542.31", "85.42.31") when a cue word stands earlier in
  the same paragraph and it does not read as a date ("10.06.23");

* a bare number at a row or list-item start, in a table cell, or after a
  line-initial "Chapter"/"Группа", when the words next to it match that
  code's own nomenclature description (:mod:`nlp.extract.hs_keys`); in prose
  when its description stands right beside it, or when a trade name of goods
  under that code stands right before it in parentheses («ноутбуков (8471)»,
  from the synonym table of :mod:`nlp.products`); in a run-in list item after
  ":" or ";" with its description; after the "ex" prefix; a CN code whose last
  pair went to the next line of a PDF column when the line goes on in prose;

and in every case the code must exist in HS2022 or HS2017 (chapter, heading,
subheading; CN/TARIC digits below HS6 are not checked), and the words around
it must not make it an amount, year, article, page, phone or case number.
The cue words and negative contexts are data: ``nlp/data/hs_cues.yaml``.

This module does not read documents, guess codes from product names alone, or
check national tariff lines below HS6. Plain ``re`` is used rather than a
spaCy Matcher: the patterns are about digit grouping and punctuation, which
tokenizers split inconsistently ("8542.31" vs "8542 31"). The spaCy component
``hs_codes`` (:mod:`nlp.extract.components`) wraps the same function.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .. import reference
from ..settings import DATA_DIR
from . import hs_keys
from .regex_scan import RuleScanner

_SPACE = r"[ \u00a0\u202f]"
# A ten-digit TN VED code is sometimes broken over a line ("8542 31\n900 0");
# its 4-2-3-1 grouping is distinctive enough to join the parts.
_SPACE_OR_BREAK = r"(?:[ \u00a0\u202f]|[ \t]*\n[ \t]*)"
# The written forms of one code, longest first. No look-behind here: list
# items are matched right after a joiner such as "-" ("0201-0204").
_CODE_FORMS = (
    rf"\d{{4}}{_SPACE}\d{{2}}{_SPACE_OR_BREAK}\d{{3}}{_SPACE}?\d(?!\d)"  # TN VED 8542 31 000 0
    # A CN code whose last pair went to the next line of a PDF column
    # ("8542 31\n90 are also ..."): joined only when the line goes on in
    # lower case or punctuation, never when a new row starts there.
    rf"|\d{{4}}{_SPACE}\d{{2}}[ \t]*\n[ \t]*\d{{2}}(?=[,;.)]|[ \t]+(?-i:[a-zа-яё(]))"
    rf"|\d{{4}}(?:{_SPACE}\d{{2}}(?!\d)){{1,3}}"  # CN 8542 31 00
    r"|\d{4}\.\d{2}\.\d{4}(?!\d)"  # US HTS 8542.31.0000
    r"|\d{4}\.\d{2}(?:\.\d{2}){0,2}(?!\d)"  # 8542.31(.00)
    r"|\d{2}\.\d{2}(?:\.\d{2}){0,3}(?!\d)"  # 85.42.31
    r"|\d{10}(?!\d)|\d{8}(?!\d)|\d{6}(?!\d)|\d{4}(?!\d)|\d{1,2}(?!\d)"
)
_CODE = re.compile(rf"(?P<ex>\bex{_SPACE}*)?(?P<code>{_CODE_FORMS})(?![.,]\d)", re.I)
_NOT_AFTER = r"(?<![\d.,/+\-\w])"
_BARE_CN = re.compile(
    rf"{_NOT_AFTER}(?P<ex>\bex{_SPACE}+)?(?P<code>\d{{4}}{_SPACE}\d{{2}}"
    rf"(?:{_SPACE_OR_BREAK}\d{{3}}{_SPACE}\d|{_SPACE}\d{{2}}(?:{_SPACE}\d{{2}})?))"
    r"(?![\d]|[.,]\d)", re.I)
# A table row: a code (or code range) at the line start, then a dash and text.
_ROW = re.compile(
    rf"^[ \t]*(?:Except:?[ \t]*|[•·*\-][ \t]+)?(?P<ex>ex{_SPACE}+)?(?P<code>{_CODE_FORMS})"
    rf"(?:[ \t]*(?P<joiner>[-–—])[ \t]*(?P<code2>{_CODE_FORMS}))?"
    # A trailing lone digit is a partial subheading ("7202 2 – Ferro-silicon"
    # = 7202 2x): the code is kept at the level written in full.
    rf"(?:[ \t]\d(?!\d))?(?=[ \t]*[–—-][ \t]*[A-ZА-ЯЁ\"“«])",
    re.M)
# Dotted codes without a cue right before them ("85.42", "8542.31",
# "85.42.31") count only when a cue word stands earlier in the same paragraph.
_DOTTED = re.compile(
    rf"{_NOT_AFTER}(?P<ex>\bex{_SPACE}+)?(?P<code>\d{{4}}\.\d{{2}}(?:\.\d{{2}}){{0,2}}|\d{{2}}\.\d{{2}}(?:\.\d{{2}}){{0,3}})"
    r"(?![\d]|[.,]\d)", re.I)
_NUMBER_SIGN = re.compile(r"(?:(?:№|N)\s*(?=\d))?")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_DATE_LIKE = re.compile(r"(?:0[1-9]|[12]\d|3[01])\.(?:0[1-9]|1[0-2])\.\d{2}")
_PHONE_LEAD = re.compile(r"(?:\+|\b(?:tel|phone|fax|тел|факс)\.?:?)[\d\s()\-.]*$", re.I)
_YEAR_LIKE = re.compile(r"(19[5-9]\d|20[0-4]\d)")
_SENTENCE_END = re.compile(r"[.!?;\n](?=\s|$)")


@dataclass(frozen=True)
class _Cues:
    cue: re.Pattern  # any cue word; group names tell which family
    cue_system: dict[str, str]  # lower-cased cue text -> system
    chapter_words: frozenset[str]
    chapter_context: re.Pattern
    filler: re.Pattern  # what may sit between a cue and the first code
    list_joiner: re.Pattern
    range_joiner: re.Pattern
    negative_before: re.Pattern
    negative_after: re.Pattern
    negative_cue_prefix: re.Pattern
    bare_chapter_above: int
    header: re.Pattern  # a table column header naming codes
    header_system: dict[str, str | None]


def _alternation(words: list[str]) -> str:
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _words_re(words: list[str], before: bool) -> re.Pattern:
    body = _alternation(words)
    if before:  # the words end right before the number
        return re.compile(rf"(?:^|(?<=[\s(]))(?:{body})\s*$|(?:[€$£+]|(?<!\w)№)\s*$", re.I)
    return re.compile(rf"^\s*(?:{body})(?!\w)", re.I)


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    import yaml

    with (DATA_DIR / "hs_cues.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)

    def both(key: str) -> list[str]:
        value = data[key]
        return [*value.get("en", []), *value.get("ru", [])] if isinstance(value, dict) else list(value)

    cue_system: dict[str, str] = {}
    system_words: list[str] = []
    for system, words in data["systems"].items():
        for word in words:
            cue_system[" ".join(word.lower().split())] = system
            system_words.append(word)
    level_words = both("level_words")
    chapter_words = both("chapter_words")
    # Abbreviations in capitals ("HS", "CN", "ТН ВЭД") must match in capitals:
    # "cn" or "hs" in running text are something else.
    caps = [w for w in system_words if w.upper() == w]
    other = [w for w in system_words if w.upper() != w] + level_words
    cue = re.compile(
        rf"(?<!\w)(?:(?P<caps>{_alternation(caps)})|(?i:(?P<chapter>{_alternation(chapter_words)})"
        rf"|(?P<word>{_alternation(other)})))"
        # "HS85", "CN8542": an abbreviation glued to its code.
        r"(?:(?!\w)|(?<=[A-ZА-ЯЁ])(?=\d))")
    joiners = both("list_joiners")
    ranges = both("range_joiners")
    word_joiners = [w for w in joiners if w[0].isalpha()]
    sign_joiners = [w for w in joiners if not w[0].isalpha()]
    list_joiner = re.compile(
        rf"\s*(?:(?:{_alternation(sign_joiners)})\s*(?:(?:{_alternation(word_joiners)})\s+)?"
        rf"|\s(?:{_alternation(word_joiners)})\s+)", re.I)
    word_ranges = [w for w in ranges if w[0].isalpha()]
    sign_ranges = [w for w in ranges if not w[0].isalpha()]
    range_joiner = re.compile(
        rf"\s*(?:{_alternation(sign_ranges)})\s*|\s+(?:{_alternation(word_ranges)})\s+", re.I)
    # "позиции N 8525": Russian legal texts write the number sign as a capital N.
    filler = re.compile(r"(?:\s*(?:[:(]|-(?=\d)|№|(?-i:N)(?=\s*\d)|(?:no\.?|nos\.?|numbers?|is|are)(?!\w)))*\s*",
                        re.I)
    context = both("chapter_context")
    header_system: dict[str, str | None] = {}
    for system, words in data["header_words"].items():
        for word in words:
            header_system[word.lower()] = None if system in (None, "null") else system
    return _Cues(
        cue=cue,
        cue_system=cue_system,
        chapter_words=frozenset(w.lower() for w in chapter_words),
        chapter_context=re.compile(rf"(?<!\w)(?:{_alternation(context)})", re.I),
        filler=filler,
        list_joiner=list_joiner,
        range_joiner=range_joiner,
        negative_before=_words_re(both("negative_before"), before=True),
        negative_after=_words_re(both("negative_after"), before=False),
        bare_chapter_above=int(data.get("bare_chapter_above", 99)),
        header=re.compile(rf"(?<!\w)(?:{_alternation(list(header_system))})(?!\w)", re.I),
        header_system=header_system,
        negative_cue_prefix=re.compile(rf"(?<!\w)(?:{_alternation(both('negative_cue_prefix'))})\s*$", re.I),
    )


def _system_of(digits: str, cue_system: str | None, lang: str) -> str:
    if cue_system:
        return cue_system
    if len(digits) == 10:
        return "TNVED" if lang == "ru" else "TARIC"
    if len(digits) == 8:
        return "TNVED" if lang == "ru" else "CN"
    return "HS"


def _item(text: str, start: int, end: int, digits: str, system: str, ex: bool,
          code_range: str | None) -> dict[str, Any]:
    covered = reference.chp_items_under(digits) if len(digits) < 6 else []
    return {
        "start": start,
        "end": end,
        "text": text[start:end],
        "code": digits,
        "level": len(digits),
        "system": system,
        "description": reference.hs_description(digits),
        "chp_tier": reference.chp_tier(digits),
        "ex": ex,
        "range": code_range,
        "chp_items": [item.hs6 for item in covered],
        "edition": hs_keys.edition_of(digits),
    }


def _is_quantity(text: str, end: int, cues: _Cues) -> bool:
    # Sliced: "^" in the pattern does not match at a ``pos`` argument.
    return bool(cues.negative_after.match(text[end:end + 20]))


def _negative_before(text: str, start: int, cues: _Cues) -> bool:
    return bool(cues.negative_before.search(text[max(0, start - 20):start]))


def _sentence(text: str, pos: int) -> str:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, pos - 400), pos)), default=max(0, pos - 400))
    right = _SENTENCE_END.search(text, pos)
    return text[left:right.end() if right else min(len(text), pos + 400)]


def _sentence_system(sentence: str, cues: _Cues) -> str | None:
    """The one code system a sentence names, if exactly one."""
    named = {cues.cue_system[" ".join(m.group(0).lower().split())]
             for m in cues.cue.finditer(sentence)
             if " ".join(m.group(0).lower().split()) in cues.cue_system}
    return named.pop() if len(named) == 1 else None


def _digits_for(raw: str, chapter: bool) -> str | None:
    digits = reference.normalize_code(raw)
    if chapter:
        # "Chapter 1" / "Chapters 84 and 85": one or two digits only.
        return digits.zfill(2) if len(digits) <= 2 else None
    if len(digits) not in (2, 4, 6, 8, 10):
        return None
    return digits if reference.is_valid_hs(digits) else None


# A cue counts only when a code follows it closely, so the cue pattern (a
# long case-insensitive alternation, the finder's slowest scan) runs only on
# the stretch before each run of digits.
_CUE_REACH = 120
_DIGIT_RUN = re.compile(r"\d+")


def _digit_windows(text: str) -> list[tuple[int, int]]:
    """Merged (start, end) stretches of text that end at a digit run's first digit."""
    windows: list[tuple[int, int]] = []
    for m in _DIGIT_RUN.finditer(text):
        start, end = max(0, m.start() - _CUE_REACH), m.start() + 1
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _next_cue(cues: _Cues, text: str, pos: int, windows: list[tuple[int, int]]) -> re.Match | None:
    index = max(bisect.bisect_right(windows, (pos, len(text) + 1)) - 1, 0)
    while index < len(windows):
        start, end = windows[index]
        index += 1
        if end <= pos:
            continue
        cue = cues.cue.search(text, max(pos, start), end)
        if cue:
            return cue
    return None


def _cue_lists(text: str, lang: str, cues: _Cues) -> list[dict[str, Any]]:
    """Codes after cue words, with the lists and ranges that continue them."""
    found: list[dict[str, Any]] = []
    pos = 0
    windows = _digit_windows(text)
    while True:
        cue = _next_cue(cues, text, pos, windows)
        if not cue:
            break
        pos = cue.end()
        if cues.negative_cue_prefix.search(text[max(0, cue.start() - 30):cue.start()]):
            continue
        system: str | None = None
        chapter = False
        allow_two = False
        # Chains of cues ("кодам ТН ВЭД ЕАЭС", "heading HS") count as one.
        while True:
            word = " ".join(cue.group(0).lower().split())
            if cue.group("chapter"):
                chapter = True
            elif word in cues.cue_system:
                system = system or cues.cue_system[word]
                allow_two = True  # "HS-85", "CN 72"
            after = cues.filler.match(text, cue.end())
            nxt = cues.cue.match(text, after.end() if after else cue.end())
            if not nxt:
                break
            cue = nxt
        filler = cues.filler.match(text, cue.end())
        cursor = filler.end() if filler else cue.end()
        named_by_cue = system is not None
        if system is None:
            # "товарной позиции 8542 ТН ВЭД": the system may be named later in the sentence.
            system = _sentence_system(_sentence(text, cue.start()), cues)
        if chapter and not (system or cues.chapter_context.search(_sentence(text, cue.start()))):
            number = re.match(r"\d{2}(?!\d)", text[cursor:cursor + 3])
            english = cue.group("chapter").lower().startswith("chapter")
            if not (english and number and int(number.group()) > cues.bare_chapter_above):
                continue
        first = True
        while True:
            match = _CODE.match(text, cursor)
            if not match:
                break
            raw = match.group("code")
            digits = _digits_for(raw, chapter)
            if digits and len(digits) == 2 and not (chapter or allow_two):
                digits = None
            right_after_cue = first and not text[cue.end():match.start()].strip()
            if digits is None or _is_quantity(text, match.end(), cues) and not (right_after_cue and len(digits) >= 6):
                break  # ("CN 8471 80 00 units": a code right after its cue, not a count of units)
            if first and match.start() == cue.end() and len(digits) == 4 and _YEAR_LIKE.fullmatch(digits):
                break  # "HS2007", "CN2023": an edition, not heading 2007
            if first and match.start() == cue.end() and len(digits) == 2 and cue.group(0).upper() != "HS":
                break  # "CN23" is a postal customs form
            if first and not chapter and not named_by_cue and len(digits) == 4 and _YEAR_LIKE.fullmatch(digits) \
                    and not re.search(r"heading|позици", cue.group(0), re.I):
                break  # "code 2022" is a year more often than heading 2022
            start = match.start("ex") if match.group("ex") else match.start("code")
            item_system = _system_of(digits, system, lang)
            rng = cues.range_joiner.match(text, match.end())
            end_match = _CODE.match(text, rng.end()) if rng else None
            digits2 = _digits_for(end_match.group("code"), chapter) if end_match else None
            if rng and end_match and digits2 and len(digits2) == len(digits) and digits2 > digits \
                    and not _is_quantity(text, end_match.end(), cues):
                label = f"{digits}-{digits2}"
                found.append(_item(text, start, match.end(), digits, item_system, bool(match.group("ex")), label))
                found.append(_item(text, end_match.start("code"), end_match.end(), digits2,
                                   _system_of(digits2, system, lang), bool(end_match.group("ex")), label))
                cursor = end_match.end()
            else:
                found.append(_item(text, start, match.end(), digits, item_system, bool(match.group("ex")), None))
                cursor = match.end()
            first = False
            joiner = cues.list_joiner.match(text, cursor)
            if not joiner:
                break
            sign = _NUMBER_SIGN.match(text, joiner.end())
            cursor = sign.end() if sign else joiner.end()
        pos = max(pos, cursor)
    return found


def _table_rows(text: str, lang: str, cues: _Cues) -> list[dict[str, Any]]:
    """Codes that open a table row: '2507 00 80 – Other kaolinic clays'."""
    found = []
    for match in _ROW.finditer(text):
        digits = _digits_for(match.group("code"), chapter=False)
        if not digits or (len(digits) == 4 and _YEAR_LIKE.fullmatch(digits)):
            continue
        if _negative_before(text, match.start("code"), cues) or _is_quantity(text, match.end("code"), cues):
            continue
        start = match.start("ex") if match.group("ex") else match.start("code")
        digits2 = _digits_for(match.group("code2"), False) if match.group("code2") else None
        if digits2 and len(digits2) == len(digits) and digits2 > digits:
            label = f"{digits}-{digits2}"
            found.append(_item(text, start, match.end("code"), digits, _system_of(digits, None, lang),
                               bool(match.group("ex")), label))
            found.append(_item(text, match.start("code2"), match.end("code2"), digits2,
                               _system_of(digits2, None, lang), False, label))
        else:
            found.append(_item(text, start, match.end("code"), digits, _system_of(digits, None, lang),
                               bool(match.group("ex")), None))
    return found


_CELL_CODE = re.compile(rf"(?<![\d.,/\w])(?P<ex>ex{_SPACE}*)?(?P<code>{_CODE_FORMS})(?![.,]\d)", re.I)
_CELL_RANGE_JOIN = re.compile(r"\s*[-–—]\s*")


def _tab_tables(text: str) -> list[list[tuple[int, str]]]:
    """Runs of consecutive lines holding a tab: [(line offset, line), ...]."""
    tables: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if "\t" in body:
            current.append((offset, body))
        elif current:
            tables.append(current)
            current = []
        offset += len(line)
    if current:
        tables.append(current)
    return tables


def _table_cells(text: str, lang: str, cues: _Cues) -> list[dict[str, Any]]:
    """Codes in tab-separated tables, in columns that a header row above
    names as codes ("HS code", "Код ТН ВЭД"): every cell of such a column
    that starts with a code gives its codes and code ranges ("0201-0204",
    "72 (кроме 7201-7204)"). A bare number in any other column is a value."""
    found = []
    for table in _tab_tables(text):
        columns: dict[int, str | None] = {}
        for offset, line in table:
            cells = line.split("\t")
            row_items: list[dict[str, Any]] = []
            cell_start = offset
            for index, cell in enumerate(cells):
                stripped = cell.strip()
                if index in columns and stripped:
                    start = cell_start + cell.index(stripped)
                    row_items.extend(_cell_codes(text, start, stripped, columns[index], lang))
                cell_start += len(cell) + 1
            found.extend(row_items)
            if row_items:
                continue
            # A row without codes may be (part of) a header: note its code columns.
            for index, cell in enumerate(cells):
                label = " ".join(re.sub(r"[_\-]", " ", cell).lower().split())
                for word in cues.header.finditer(label):
                    system = cues.header_system.get(word.group(0))
                    columns[index] = columns.get(index) or system
    return found


def _cell_codes(text: str, start: int, cell: str, system: str | None, lang: str) -> list[dict[str, Any]]:
    matches = list(_CELL_CODE.finditer(cell))
    if not matches or matches[0].start() != 0:
        return []
    items: list[dict[str, Any]] = []
    index = 0
    while index < len(matches):
        match = matches[index]
        digits = _digits_for(match.group("code"), False)
        following = matches[index + 1] if index + 1 < len(matches) else None
        if digits and following and _CELL_RANGE_JOIN.fullmatch(cell, match.end(), following.start()):
            last = _digits_for(following.group("code"), False)
            if last and len(last) == len(digits) and last > digits:
                label = f"{digits}-{last}"
                for part, code in ((match, digits), (following, last)):
                    items.append(_item(text, start + part.start(), start + part.end(), code,
                                       _system_of(code, system, lang), bool(part.group("ex")), label))
                index += 2
                continue
        if digits:
            items.append(_item(text, start + match.start(), start + match.end(), digits,
                               _system_of(digits, system, lang), bool(match.group("ex")), None))
        index += 1
    return items


# The bare-number patterns open with the same guard: one scanner runs them,
# each only where a match can start (same matches as finditer).
@lru_cache(maxsize=1)
def _scanner() -> RuleScanner:
    return RuleScanner((_BARE_CN, _DOTTED, _PROSE_NUMBER_THEN_TEXT), _NOT_AFTER)


def _finditer(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    scanner = _scanner()
    return scanner.finditer(scanner.patterns.index(pattern), scanner.index(text))


def _bare_cn(text: str, lang: str, cues: _Cues) -> list[dict[str, Any]]:
    found = []
    for match in _finditer(_BARE_CN, text):
        digits = _digits_for(match.group("code"), False)
        if not digits or _negative_before(text, match.start(), cues) or _is_quantity(text, match.end(), cues):
            continue
        if _PHONE_LEAD.search(text[max(0, match.start() - 25):match.start()]):
            continue  # "+7 (727) 2458 12 34": a phone number
        start = match.start("ex") if match.group("ex") else match.start("code")
        found.append(_item(text, start, match.end(), digits, _system_of(digits, None, lang),
                           bool(match.group("ex")), None))
    return found


def _dotted_in_context(text: str, lang: str, cues: _Cues) -> list[dict[str, Any]]:
    found = []
    for match in _finditer(_DOTTED, text):
        window_start = max(0, match.start() - 400)
        breaks = [m.end() for m in _PARAGRAPH_BREAK.finditer(text, window_start, match.start())]
        window = text[breaks[-1] if breaks else window_start:match.start()]
        cue = next((c for c in cues.cue.finditer(window) if not c.group("chapter")
                    and not cues.negative_cue_prefix.search(window[max(0, c.start() - 30):c.start()])), None)
        if cue is None:
            continue
        if _DATE_LIKE.fullmatch(match.group("code")):
            continue  # "10.06.23" away from a cue is a date first
        digits = _digits_for(match.group("code"), False)
        if not digits or len(digits) < 4 or _negative_before(text, match.start(), cues) \
                or _is_quantity(text, match.end(), cues):
            continue
        system = cues.cue_system.get(" ".join(cue.group(0).lower().split()))
        start = match.start("ex") if match.group("ex") else match.start("code")
        found.append(_item(text, start, match.end(), digits, _system_of(digits, system, lang),
                           bool(match.group("ex")), None))
    return found


# --- bare numbers confirmed by the nomenclature ---------------------------

# What may open a row or list item before its code: a bullet, "(a)", "1." .
_ROW_LEAD = r"^[ \t]*(?:[•·*▪\-–—][ \t]+|\(?[a-zа-я]\)[ \t]+|\d{1,3}[.)][ \t]+)?"
_DESCRIBED_ROW = re.compile(
    rf"{_ROW_LEAD}(?P<ex>ex{_SPACE}+)?(?P<code>{_CODE_FORMS})(?![.,)]?\d)"
    # A dash glued to both sides is a compound ("70-летняя"), not a separator.
    r"(?P<sep>[ \t]*[\t:][ \t]*|[ \t]+(?:[–—-][ \t]*)?|[–—-][ \t]+)(?P<rest>[^\n]*)", re.M | re.I)
_ROW_CELL = re.compile(rf"(?P<ex>ex{_SPACE}+)?(?P<code>{_CODE_FORMS})", re.I)
# An item of a run-in list: "Annex II: 8430 49 Boring machinery; 8905 20 Floating platforms".
_INLINE_ITEM = re.compile(
    rf"(?<=[;:])[ \t]+(?P<ex>ex{_SPACE}+)?(?P<code>{_CODE_FORMS})(?![.,)]?\d)[ \t]+(?P<rest>[^;\n]{{3,240}})",
    re.I)
_CHAPTER_HEAD = re.compile(
    r"^[ \t]*(?:Chapter|CHAPTER|Группа|ГРУППА|Глава|ГЛАВА)[ \t]+(?P<code>\d{1,2})(?!\d)[ \t]*[.:–—-]?[ \t]*"
    r"(?P<rest>[^\n]*)(?:\n[ \t]*(?P<next>[^\n]*))?", re.M)
# How far (in lines) a row confirmed by its description vouches for rows
# around it whose text is too short or generic to match ("Other", "прочие").
_ROW_NEIGHBOURHOOD = 4


def _confirmed(digits: str, words: str, ex: bool) -> str:
    """"strong" when the words match the code's nomenclature description,
    "weak" when they are too few or generic to tell ("Other"), "table" when
    they are the annex's own wording (no shared key), "" for a year."""
    shared, total = hs_keys.overlap(digits, words[:240])
    if shared >= 2 or (shared == 1 and (total <= 3 or ex) and len(digits) > 2):
        return "strong"
    if total == 0 or (shared == 1 and not _YEAR_LIKE.fullmatch(digits)):
        return "weak"
    if _YEAR_LIKE.fullmatch(digits) or not re.match(r"\s*[^\W\d_]", words):
        return ""
    return "table"


def _row_digits(raw: str) -> str | None:
    digits = reference.normalize_code(raw)
    if len(digits) not in (2, 4, 6, 8, 10) or not digits.isdigit():
        return None
    if reference.is_valid_hs(digits):
        return digits
    return digits if len(digits) > 6 and hs_keys.editions(digits) else None


def _described_rows(text: str, lang: str, cues: _Cues) -> list[dict[str, Any]]:
    """Bare numbers that open a table row, a tab-separated cell or a list item
    and are followed by words of that code's nomenclature description
    ("8471<TAB>Automatic data-processing machines"). Rows whose text is
    generic ("Other") count when a confirmed row stands within a few lines."""
    candidates: list[tuple[int, str, dict[str, Any]]] = []  # (line number, strength, item)
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def consider(match: re.Match, rest: str, offset: int = 0, strong_only: bool = False) -> None:
        digits = _row_digits(match.group("code"))
        if not digits or _is_quantity(text, offset + match.end("code"), cues):
            return
        if _negative_before(text, offset + match.start("code"), cues):
            return
        ex = bool(match.group("ex"))
        strength = _confirmed(digits, rest, ex)
        if not strength or (strong_only and strength != "strong"):
            return
        start = offset + (match.start("ex") if ex else match.start("code"))
        item = _item(text, start, offset + match.end("code"), digits, _system_of(digits, None, lang), ex, None)
        candidates.append((bisect.bisect_right(line_starts, start) - 1, strength, item))

    for match in _DESCRIBED_ROW.finditer(text):
        rest = match.group("rest")
        if not rest.strip():  # the description may stand on the next line
            following = text[match.end():match.end() + 241].lstrip("\n")
            rest = following.split("\n", 1)[0]
        consider(match, rest)
    for match in _INLINE_ITEM.finditer(text):
        consider(match, match.group("rest"), strong_only=True)
    for table in _tab_tables(text):
        for offset, line in table:
            cells = line.split("\t")
            cell_start = offset
            for index, cell in enumerate(cells[:-1]):
                stripped = cell.strip()
                cell_match = _ROW_CELL.fullmatch(stripped) if stripped else None
                if cell_match and index > 0:
                    # The description may stand after the code or before it.
                    consider(cell_match, cells[index + 1], cell_start + cell.index(stripped), strong_only=True)
                    if not (candidates and candidates[-1][2]["start"] == cell_start + cell.index(stripped)):
                        consider(cell_match, cells[index - 1], cell_start + cell.index(stripped), strong_only=True)
                cell_start += len(cell) + 1
    for match in _CHAPTER_HEAD.finditer(text):
        digits = match.group("code").zfill(2)
        if not reference.is_valid_hs(digits):
            continue
        rest = match.group("rest") if match.group("rest").strip() else (match.group("next") or "")
        if _confirmed(digits, rest, False) == "strong":
            item = _item(text, match.start("code"), match.end("code"), digits, _system_of(digits, None, lang),
                         False, None)
            candidates.append((bisect.bisect_right(line_starts, item["start"]) - 1, "strong", item))
    strong_lines = sorted(number for number, strength, _ in candidates if strength == "strong")

    def strong_near(line: int, needed: int) -> bool:
        low = bisect.bisect_left(strong_lines, line - _ROW_NEIGHBOURHOOD)
        high = bisect.bisect_right(strong_lines, line + _ROW_NEIGHBOURHOOD)
        return high - low >= needed

    found = []
    for line_number, strength, item in candidates:
        # A generic row needs one confirmed row nearby; a row in the annex's
        # own words needs two (it is a code because its table is one).
        if strength == "weak" and not strong_near(line_number, 1) \
                or strength == "table" and not strong_near(line_number, 2):
            continue
        found.append(item)
    return found


# A number in prose next to its own description: "85 pertains to “Electrical
# Machinery and Equipment”", "integrated circuits (8542)"; and the EU tariff
# prefix "ex 8411", which only codes carry.
_PROSE_NUMBER_THEN_TEXT = re.compile(
    rf"{_NOT_AFTER}(?P<ex>)(?P<code>\d{{4}}(?:{_SPACE}\d{{2}}){{0,2}}|\d{{2}})(?![\d]|[.,]\d)"
    r"(?P<gap>[^\n“\"«(]{0,30})[“\"«(](?P<rest>[^”\"»)\n]{3,160})")
_PROSE_TEXT_THEN_NUMBER = re.compile(
    rf"\((?P<ex>ex{_SPACE}*)?(?P<code>\d{{4}}(?:{_SPACE}\d{{2}}){{0,2}}|\d{{4}}\.\d{{2}}|\d{{2}})\)", re.I)
_EX_PREFIXED = re.compile(
    rf"(?<![\w-])(?P<ex>ex{_SPACE}+)(?P<code>\d{{4}}(?:{_SPACE}\d{{2}}){{0,3}}|\d{{4}}\.\d{{2}}|\d{{6}}|\d{{8}}|\d{{10}})"
    r"(?![\d]|[.,]\d)")


def _sentence_start(text: str, pos: int) -> int:
    return max((m.end() for m in _SENTENCE_END.finditer(text, max(0, pos - 400), pos)), default=max(0, pos - 400))


def _prose_described(digits: str, words: str) -> bool:
    shared, total = hs_keys.overlap(digits, words)
    needed = 3 if _YEAR_LIKE.fullmatch(digits) else 2
    return shared >= needed and 2 * shared >= total


# How far (characters) the product word may end before "(": "ноутбуков (8471)",
# "chips from China (8542)" is too far.
_PRODUCT_WORD_GAP = 3
_WORD_HINT = re.compile(r"[^\W\d_]{4,}")


def _named_by_product_word(digits: str, clause: str) -> bool:
    """True when the words right before a parenthesised number are a trade
    name of goods under that code (the synonym table of :mod:`nlp.products`)."""
    if len(digits) < 4 or _YEAR_LIKE.fullmatch(digits) or not _WORD_HINT.search(clause[-40:]) \
            or digits[:2] not in _synonym_chapters():
        return False
    tail = clause[-60:].rstrip()
    return any(code.startswith(digits) or digits.startswith(code) for code in _product_word_codes(tail))


@lru_cache(maxsize=1)
def _synonym_chapters() -> frozenset[str]:
    from .. import products

    return frozenset(code[:2] for entries in products.synonyms().values() for entry in entries
                     for code in entry.codes)


@lru_cache(maxsize=4096)
def _product_word_codes(tail: str) -> tuple[str, ...]:
    """Codes of the product word that ends ``tail`` (within a few characters)."""
    from .. import products

    return tuple(code for _, end, codes in products.synonym_codes(tail)
                 if len(tail) - end <= _PRODUCT_WORD_GAP for code in codes)


def _described_in_prose(text: str, lang: str, cues: _Cues) -> list[dict[str, Any]]:
    found = []
    for match in _finditer(_PROSE_NUMBER_THEN_TEXT, text):
        digits = _row_digits(match.group("code"))
        if digits and _prose_described(digits, match.group("rest")) \
                and not _negative_before(text, match.start("code"), cues):
            found.append(_item(text, match.start("code"), match.end("code"), digits,
                               _system_of(digits, None, lang), False, None))
    # "Ball bearings (8482) and machine tools (8457)": once one number in
    # parentheses is confirmed by its description, a sibling in the same
    # sentence needs only one shared word.
    confirmed_sentences: set[int] = set()
    weak: list[tuple[int, dict[str, Any]]] = []
    for match in _PROSE_TEXT_THEN_NUMBER.finditer(text):
        raw = re.sub(r"[ .\u00a0\u202f]", "", match.group("code"))
        clause = re.split(r"[.;:\n(]", text[max(0, match.start() - 120):match.start()])[-1]
        shared = hs_keys.overlap(raw, clause)[0]
        if not shared:
            # "ноутбуков (8471)": everyday words the nomenclature does not use,
            # read through the product synonym table.
            digits = _row_digits(match.group("code"))
            if digits and _named_by_product_word(digits, clause):
                start = match.start("ex") if match.group("ex") else match.start("code")
                found.append(_item(text, start, match.end("code"), digits, _system_of(digits, None, lang),
                                   bool(match.group("ex")), None))
                confirmed_sentences.add(_sentence_start(text, match.start()))
            continue  # "(2022)", "(34%)": most parenthesised numbers stop here
        digits = _row_digits(match.group("code"))
        if not digits:
            continue
        start = match.start("ex") if match.group("ex") else match.start("code")
        item = _item(text, start, match.end("code"), digits, _system_of(digits, None, lang),
                     bool(match.group("ex")), None)
        sentence_start = _sentence_start(text, match.start())
        if _prose_described(digits, clause):
            found.append(item)
            confirmed_sentences.add(sentence_start)
        elif len(digits) >= 4 and not _YEAR_LIKE.fullmatch(digits):
            weak.append((sentence_start, item))
    found.extend(item for sentence_start, item in weak if sentence_start in confirmed_sentences)
    for match in _EX_PREFIXED.finditer(text):
        digits = _row_digits(match.group("code"))
        if digits and len(digits) >= 4 and not _is_quantity(text, match.end(), cues):
            found.append(_item(text, match.start(), match.end(), digits, _system_of(digits, None, lang), True, None))
    return found


# "из 84-й и 85-й групп ТН ВЭД": chapters written as Russian ordinals.
_ORDINAL_END = r"-(?:й|я|ю|ой|ая|ей|ую|м|х|го|му)"
_ORDINAL_CHAPTERS = re.compile(
    rf"(?<![\d.,])(?P<list>\d{{1,2}}{_ORDINAL_END}(?:\s*(?:,|и|или|[-–—])\s*\d{{1,2}}{_ORDINAL_END})*)"
    r"\s+(?:товарн\w+\s+)?(?:групп|глав)\w*(?!\w)", re.I)
_ORDINAL_NUMBER = re.compile(rf"(\d{{1,2}}){_ORDINAL_END}")
# "товаров 93 группы ТН ВЭД": a bare number before a singular chapter word
# that the system name follows at once (a count would say "5 групп").
_NUMBER_CHAPTER = re.compile(
    r"(?<![\d.,])(?P<code>\d{1,2})\s+(?:товарн\w+\s+)?(?:групп(?:ы|а|е|у|ой)|глав(?:ы|а|е|у|ой))\s+"
    r"(?:ТН\s*ВЭД|ТНВЭД|ГС)(?!\w)")


_CHAPTER_WORD_HINT = re.compile(r"(?i)групп|глав")


def _ordinal_chapters(text: str, lang: str, cues: _Cues) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if not _CHAPTER_WORD_HINT.search(text):
        return found  # most texts name no chapter in Russian: skip the digit scans
    for match in _ORDINAL_CHAPTERS.finditer(text):
        sentence = _sentence(text, match.start())
        system = _sentence_system(sentence, cues)
        if not (system or cues.chapter_context.search(sentence)):
            continue
        for number in _ORDINAL_NUMBER.finditer(match.group("list")):
            digits = number.group(1).zfill(2)
            if reference.is_valid_hs(digits):
                start = match.start("list") + number.start(1)
                found.append(_item(text, start, start + len(number.group(1)), digits,
                                   _system_of(digits, system, lang), False, None))
    for match in _NUMBER_CHAPTER.finditer(text):
        digits = match.group("code").zfill(2)
        if reference.is_valid_hs(digits):
            found.append(_item(text, match.start("code"), match.end("code"), digits,
                               _system_of(digits, "TNVED", lang), False, None))
    return found


def find_hs_codes(text: str, lang: str = "en") -> list[dict[str, Any]]:
    """All goods-code mentions in ``text``, in text order (see module doc)."""
    if not text:
        return []
    cues = _cues()
    lang = (lang or "en").lower()[:2]
    ordered = [*_cue_lists(text, lang, cues), *_table_cells(text, lang, cues),
               *_table_rows(text, lang, cues), *_bare_cn(text, lang, cues),
               *_dotted_in_context(text, lang, cues), *_described_rows(text, lang, cues),
               *_described_in_prose(text, lang, cues), *_ordinal_chapters(text, lang, cues)]
    # Earlier rules win on overlaps (a cue names the system, a bare form does
    # not). Taken spans never overlap, so only the neighbours by start matter.
    starts: list[int] = []
    taken: list[dict[str, Any]] = []
    for item in ordered:
        index = bisect.bisect_left(starts, item["start"])
        neighbours = taken[max(0, index - 1):index + 1]
        if any(item["start"] < other["end"] and other["start"] < item["end"] for other in neighbours):
            continue
        starts.insert(index, item["start"])
        taken.insert(index, item)
    return taken

