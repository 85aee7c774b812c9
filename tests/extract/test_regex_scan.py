"""Tests for nlp.extract.regex_scan: the rules tried only where they can start give
exactly the matches of ``finditer``."""

from __future__ import annotations

import random
import re
import sys

import pytest

from nlp.extract import citations, hs_codes
from nlp.extract.dates import en, ru
from nlp.extract.regex_scan import _ALPHABET, RuleScanner, fold, start_keys


def _matches(scanner: RuleScanner, text: str) -> list[list[tuple]]:
    index = scanner.index(text)
    return [[(m.span(), m.groups()) for m in scanner.finditer(n, index)] for n in range(len(scanner.patterns))]


def _plain(scanner: RuleScanner, text: str) -> list[list[tuple]]:
    return [[(m.span(), m.groups()) for m in p.finditer(text)] for p in scanner.patterns]


# --- folding agrees with the regular-expression engine, character by character ------------


@pytest.fixture(scope="module")
def every_character() -> str:
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def test_fold_keeps_length_and_maps_digits_and_spaces(every_character):
    folded = fold(every_character)
    assert len(folded) == len(every_character)
    for m in re.finditer(r"\d", every_character):
        assert folded[m.start()] == "0"
    for m in re.finditer(r"\s", every_character):
        assert folded[m.start()] == " "


def test_fold_gives_the_letter_the_engine_matches_case_insensitively(every_character):
    folded = fold(every_character)
    letters = "".join(sorted(_ALPHABET))
    for m in re.finditer(f"[{letters}]", every_character, re.I):
        char = m.group()
        matched = [a for a in letters if re.fullmatch(a, char, re.I)]
        assert matched == [folded[m.start()]], (hex(ord(char)), matched, folded[m.start()])


@pytest.mark.parametrize("guard_class", [r"\w", r"[\w']", r"[\d.,/+\-\w]"])
def test_fold_keeps_every_character_in_or_out_of_the_guard_class(every_character, guard_class):
    folded = fold(every_character)
    inside = {m.start() for m in re.finditer(guard_class, every_character)}
    assert inside == {m.start() for m in re.finditer(guard_class, folded)}


def test_the_scanners_use_the_checked_guards():
    assert en.RULE_GUARD == r"(?<![\w'])" and ru.RULE_GUARD == r"(?<!\w)"
    assert citations._GUARD == r"(?<!\w)" and hs_codes._NOT_AFTER == r"(?<![\d.,/+\-\w])"


# --- start keys ---------------------------------------------------------------------------


def test_start_keys_of_alternatives_optional_words_and_classes():
    keys = start_keys(re.compile(r"(?<!\w)(?:(?:early\s+)?(?:Jan|Feb)\.?\s+\d{1,2})", re.I), 3)
    assert keys == {"ear", "jan", "feb"}
    assert start_keys(re.compile(r"(?<!\w)(?:\d{4}-\d\d)"), 3) == {"000"}
    assert start_keys(re.compile(r"(?<!\w)(?:[Qq][1-4])"), 3) == {"q0"}
    assert start_keys(re.compile(r"(?<!\w)(?:в\s+(?:мае|июне))", re.I), 3) == {"в м", "в и", "в  "}
    keys = start_keys(re.compile(r"(?<!\w)(?:\d+\s+(?:years?|months?)\s+ago)", re.I), 6)
    assert {"0 year", "00 yea", "0000 y", "000000", "0 mont"} <= keys
    assert not any(key.startswith("0 a") for key in keys)


def test_start_keys_give_up_where_a_match_could_start_anywhere():
    assert start_keys(re.compile(r"(?<!\w)(?:\w+ago)")) is None  # \w is not listed
    assert start_keys(re.compile(r"(?<!\w)(?:(?:the)?)")) is None  # can match nothing
    assert start_keys(re.compile(r"(?<!\w)(?:(?P<a>x)(?P=a))")) == {"x"}  # back-reference ends the key
    assert start_keys(re.compile(r"(?<!\w)(?:ünter)", re.I)) is None  # a letter outside the alphabets


def test_scanner_refuses_other_guards():
    with pytest.raises(ValueError):
        RuleScanner([re.compile(r"\bx")], r"\b")


def test_a_text_whose_folding_changes_length_is_scanned_plainly():
    scanner = en.rule_scanner()
    text = "On 7 June 2024 in İstanbul; ﬀ March 2023."
    index = scanner.index(text)
    assert _matches(scanner, text) == _plain(scanner, text)
    assert index.usable == (len(fold(text)) == len(text))


# --- the same matches as finditer -----------------------------------------------------------

_EN_WORDS = [
    "the", "The", "early", "late", "mid", "mid-", "beginning", "of", "end", "first", "second", "half",
    "January", "Jan.", "MAY", "may", "March", "mar", "Sept.", "June", "Monday", "Tues.", "Friday", "Fridays",
    "year", "years", "ago", "earlier", "later", "last", "next", "this", "past", "quarter", "Q3", "H1",
    "fiscal", "FY", "2024", "1990s", "'90s", "17th", "century", "21st", "two", "twenty-five", "a", "few",
    "about", "nearly", "more", "than", "weeks", "months", "days", "daily", "every", "each", "other",
    "today", "yesterday", "tonight", "morning", "evening", "noon", "9", "9:30", "a.m.", "p.m.", "GMT",
    "at", "7.3.2014", "2024-06-07", "17/03/2014", "Christmas", "Easter", "pre-invasion", "post-war",
    "full-scale", "invasion", "war", "Russia's", "Ukraine", "now", "currently", "recently", "future",
    "spring", "summer", "winter", "nineteen", "eighty-four", "two", "thousand", "and", "decade", "year-ago",
    "year-end", "weekend", "so", "or", "to", "since", "$", "5", "%", "1,000", "No.", "Article", "’s",
    "ſeptember", "İ", "K", "ıt",
]
_RU_WORDS = [
    "в", "В", "на", "с", "по", "до", "после", "мае", "июне", "июня", "Июля", "январе", "2024", "2024-м",
    "году", "года", "г.", "гг.", "прошлом", "прошлого", "этом", "следующем", "начале", "конце", "середине",
    "первом", "втором", "квартале", "полугодии", "полгода", "месяца", "недели", "дней", "лет", "назад",
    "спустя", "через", "течение", "ежегодно", "каждый", "понедельник", "пятницу", "утром", "вечером",
    "сегодня", "вчера", "завтра", "накануне", "весной", "летом", "90-х", "1990-х", "XX", "веке", "два",
    "три", "пять", "десять", "раз", "выходные", "выходных", "7.06.2024", "10:30", "мск", "часов", "утра",
    "ᲀ", "ё", "Ё", "—", "7", "17",
]
_GLUE = [" ", " ", " ", "  ", "\n", "\u00a0", ", ", ". ", "-", " (", ") ", "'", "’", "/", ":"]


def _random_text(words: list[str], rng: random.Random, length: int = 400) -> str:
    parts = []
    for _ in range(length):
        parts.append(rng.choice(words))
        parts.append(rng.choice(_GLUE))
    return "".join(parts)


@pytest.mark.parametrize(("module", "words"), [(en, _EN_WORDS), (ru, _RU_WORDS), (ru, _EN_WORDS + _RU_WORDS)])
def test_scanner_finds_what_finditer_finds_in_random_texts(module, words):
    scanner = module.rule_scanner()
    rng = random.Random(20240607)
    for _ in range(30):
        text = _random_text(words, rng)
        assert _matches(scanner, text) == _plain(scanner, text)


_CITATION_WORDS = [
    "Council", "Commission", "Implementing", "Delegated", "Regulation", "Regulations", "REGULATION", "Reg.",
    "Decision", "Directive", "(EU)", "(CFSP)", "No", "No.", "№", "N°", "833/2014", "2022/263", "269/2014/CFSP",
    "Article", "Articles", "Art.", "ART.", "2", "2a", "12g(1)", "Annex", "Annexes", "IV", "XXIII", "of", "and",
    "Регламент", "Регламента", "регламентом", "Решение", "решения", "Директивы", "Совета", "ЕС", "статья",
    "Статьи", "ст.", "Приложение", "приложении", "имплементационный", "настоящего",
]


def test_citation_scanner_finds_what_finditer_finds_in_random_texts():
    scanner = citations._scanner()
    rng = random.Random(8332014)
    for _ in range(30):
        text = _random_text(_CITATION_WORDS, rng)
        assert _matches(scanner, text) == _plain(scanner, text)


_CODE_WORDS = [
    "8542", "8542 31", "8542 31 00", "8542.31", "85.42", "85.42.31", "8542.31.0000", "ex", "ex 8411", "HS",
    "CN", "code", "codes", "heading", "integrated circuits", "(8542)", "“machinery”", "2024", "12", "0.5",
    "+7", "(727)", "2458 12 34", "TN VED", "ТН ВЭД", "код", "10.06.23", "1,000", "84", "-", "/",
]


def test_code_scanner_finds_what_finditer_finds_in_random_texts():
    scanner = hs_codes._scanner()
    rng = random.Random(854231)
    for _ in range(30):
        text = _random_text(_CODE_WORDS, rng)
        assert _matches(scanner, text) == _plain(scanner, text)


def test_the_index_kept_for_the_last_text_is_that_texts():
    scanner = en.rule_scanner()
    first = scanner.index("In May 2024 the rules changed.")
    assert scanner.index("In May 2024 the rules changed.") is first
    other = scanner.index("In June 2023 the rules changed.")
    assert other is not first and other.text == "In June 2023 the rules changed."
    assert _matches(scanner, "In June 2023 the rules changed.") == _plain(scanner, "In June 2023 the rules changed.")
    assert fold("In June 2023") == "in june 0000" and fold("In May 2024") == "in may 0000"


def test_scanner_finds_what_finditer_finds_in_written_sentences():
    text = ("In early January 2024, two years ago, the EU said on Monday, June 17th, that the 21st-century rules "
            "of the third quarter of fiscal 2023 apply until 31.12.2024 at 9:30 a.m. GMT; since the full-scale "
            "invasion of Ukraine, pre-invasion levels of the 1990s were back in nearly three and a half years.")
    scanner = en.rule_scanner()
    assert _matches(scanner, text) == _plain(scanner, text)
    assert any(_matches(scanner, text))
    text_ru = "В мае 2024 года, в начале прошлого года и 7.06.2024 в 10:30 мск, через два месяца после 90-х."
    scanner = ru.rule_scanner()
    assert _matches(scanner, text_ru) == _plain(scanner, text_ru)
    assert any(_matches(scanner, text_ru))


@pytest.mark.slow
@pytest.mark.corpus
def test_scanner_finds_what_finditer_finds_in_the_corpus(corpus):
    from nlp.ingest import read_path, walk
    from nlp.ingest.registry import ReadError

    roots = [corpus / name for name in ("news", "news_en", "news_ru", "eu_regulations") if (corpus / name).exists()]
    checked = 0
    for path in sorted(walk(roots)):
        try:
            _, result = read_path(path)
        except ReadError:
            continue
        for doc in result.documents:
            for scanner in (en.rule_scanner(), ru.rule_scanner(), citations._scanner(), hs_codes._scanner()):
                assert _matches(scanner, doc.text) == _plain(scanner, doc.text), path
            checked += 1
    assert checked > 100
