"""Name matching across scripts: pairs, and names against the sanctions lists.

How two names are compared (:func:`score_names`):

1. **Clean** with rigour (OpenSanctions' name library): person honorifics
   are stripped ("President", "Mr"), vessel prefixes too ("MV", "M/T"),
   company legal forms are rewritten to one compare form
   (``Aktiengesellschaft``/``AG``, ``ООО``/``LLC``, ``OAO``/``JSC``, and the
   Russian forms rigour leaves in Cyrillic: ``ПАО``, ``ОАО``, "Публичное
   акционерное общество") and set aside, so they neither help nor hurt the
   match of the distinctive words. A qualifier before a legal form is part
   of it ("Private JSC", "Open Joint Stock Company").
2. **Transliterate** every script to ASCII with normality (ICU ``Any-Latin``:
   Cyrillic, Greek, Arabic, CJK, Thai, ...); words in the Russian alphabet
   take ICU's BGN/PCGN romanisation first ("Юрий" -> "Yuriy", as English
   lists write it, not ISO 9 "Urij"). Lower-case, split into tokens, and
   drop particles (``al``, ``bin``, ``van``, ``the``), but never an initial
   ("I. I. Sechin"). Tens and units make one number ("Forty 4" = 44); in
   company names Roman numerals become digits ("Trust XV" = "Trust 15").
   The Arabic article is split from its word first ("الأسد" -> "al asd");
   Hangul is written as lists spell Korean names (McCune-Reischauer without
   breves, surname apart: "김여정" -> "kim yojong", "박동석" -> "pak tongsok").
   A script ICU cannot romanise (Khmer) keeps its own words.
3. **Compare tokens** by the better of two Levenshtein similarities: on the
   ASCII forms, and on a *skeleton* that folds common romanisation variants
   together (``kh``/``h``, ``zh``/``j``, ``y``/``i``, ``w``/``v``, double
   letters...; rules in ``nlp/data/names/rules.yaml``). One-letter tokens
   match as initials. Different numbers are a near variant (0.5) that
   lowers the mean but is no mismatch (a series, a vintage, a sister ship);
   a missing "1" costs nothing ("Fund" = "Fund I"). A word
   that is another plus a chunk ("Gazprombank"/"Belgazprombank") or a
   patronymic ending ("Abramov"/"Abramovich") is another word, and so are
   company words starting with different naming elements ("Ros-"/"Russ-",
   list in the rules file). Two forms of one given name in different
   languages ("Sergejs"/"Sergey") agree through rigour's name symbols.
   A surname on a patronymic's root ("Petrova"/"Petrovna") or made of a
   name ("Konstantin"/"Konstantinov", "Spivak"/"Spivakovsky") is another
   word; Arabic compound names sharing an element ("Abdurrahim"/
   "Abdurrahman", "-uddin") are compared on the part that differs.
4. **Align** tokens one-to-one with the Hungarian algorithm (scipy), so word
   order does not matter ("Shoigu Sergey" = "Sergey Shoigu"); names of up
   to four words try every assignment instead (the solver still decides a
   tie, so the result is the solver's); also compare
   with two adjacent words joined when the join is a word of the other name
   ("Patr ushev"), with Russian country words in English ("Сбербанк России"
   = "Sberbank of Russia"), and the names with spaces removed
   ("RamiMakhlouf"; not when the extra word is a number: "Solutions II",
   nor when company words start with different naming elements: "NK
   Rosneft"/"NK Russ Neft"), the names written with their particles
   ("Van der Bilt" = "Vanderbilt"), and an organisation's acronym against
   the words it abbreviates ("PLA"; worth 0.9 of the match).
5. **Score**: the mean similarity of the shorter name's tokens, pulled down
   when any token is a mismatch (a swapped surname or clan name is a
   different person; less so in long names), minus a small cost per extra
   token on the longer name (dropped middle names and patronymics are
   common, added places in company names are not, except a country after
   "of": "Sberbank of Russia"). One word never matches a person's full name
   (a bare given-name alias such as «Сергей»), and two Arabic names whose
   word before "bin" differs are father and son. The threshold is chosen on
   the development pairs by bootstrap (``scripts/eval_names.py --calibrate``)
   and kept in the rules file.

Against the lists (:class:`ListMatcher`), candidates come from an n-gram
index over every listed name and alias (character trigrams of the
skeleton), so a query touches a few hundred names, not all of them.

This module does not find names in text (see :mod:`nlp.extract.entities`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations
from typing import Any, Callable, Iterable

import yaml

from ..settings import DATA_DIR
from .matcher_swap import SwappingCache

RULES_PATH = DATA_DIR / "names" / "rules.yaml"
ORG_SCHEMAS = {"Organization", "Company", "LegalEntity", "Entity", "Vessel", "Asset"}
MATCH_SCHEMAS = ("Person", *sorted(ORG_SCHEMAS))


def match_schema(schema: str | None) -> str | None:
    """The schema a name is matched as, spelled as the lists spell it (any
    case accepted); None for "any". An unknown schema is an error rather than
    a silent search over everything."""
    if schema is None or not schema.strip():
        return None
    for known in MATCH_SCHEMAS:
        if schema.strip().lower() == known.lower():
            return known
    raise ValueError(f"unknown schema {schema.strip()[:40]!r}: one of {', '.join(MATCH_SCHEMAS)}")


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    data = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    data["_skeleton"] = [(re.compile(a), b) for a, b in data["skeleton"]]
    data["_particles"] = frozenset(data["particles"])
    data["_org_stems"] = sorted(((spelling, group[0]) for group in data["org_stems"] for spelling in group),
                                key=lambda pair: -len(pair[0]))
    # Consonant spellings only: rules whose pattern names no vowel.
    data["_light"] = [(p, r) for p, r in data["_skeleton"]
                      if not re.search(r"[aeiouy]", p.pattern) and "\\1" not in p.pattern]
    # The same rules as steps: a pattern that is plain letters is replaced
    # as a string (the same result as ``re.sub``, several times faster).
    data["_skeleton_steps"] = [(True, p.pattern, r) if _is_literal(p.pattern, r) else (False, p, r)
                               for p, r in data["_skeleton"]]
    return data


def _is_literal(pattern: str, replacement: str) -> bool:
    return bool(pattern) and re.escape(pattern) == pattern and "\\" not in replacement


# Raise when the compare form of names changes in code (the rules file is
# hashed too): stored blocking indexes are rebuilt when it changes.
NAME_FORM_VERSION = 4


@lru_cache(maxsize=1)
def name_form_version() -> str:
    import hashlib

    digest = hashlib.sha256(RULES_PATH.read_bytes()).hexdigest()[:12]
    return f"{NAME_FORM_VERSION}-{digest}"


@lru_cache(maxsize=100_000)
def ascii_form(text: str) -> str:
    from normality import ascii_text

    if _RUSSIAN_WORD.search(text):
        text = _RUSSIAN_WORD.sub(lambda m: _russian_latin(m.group(0)), text)
    if _HANGUL_WORD.search(text):
        text = _HANGUL_WORD.sub(lambda m: _korean_latin(m.group(0)), text)
    return (ascii_text(text) or "").lower()


_HANGUL_WORD = re.compile(r"[\uAC00-\uD7A3]+")
# Revised Romanisation (ICU) -> the McCune-Reischauer spelling lists use for
# Korean names, without breves: eo/eu are o/u, g/d/b are k/t/p at either
# end of a syllable (as each syllable of a listed name is written: "Kyong",
# "Tong", "Pak"; not "ng"), and a syllable-initial l is r.
_MR_VOICELESS = {"g": "k", "d": "t", "b": "p"}


@lru_cache(maxsize=10_000)
def _korean_latin(word: str) -> str:
    """A Hangul name as English-language lists spell it: the first syllable
    (the surname, as in most Korean names) apart, the given name's
    syllables together: "김여정" -> "kim yojong", "박동석" -> "pak tongsok"
    (ICU alone gives Revised Romanisation: "gim-yeojeong", "bagdongseog")."""
    try:
        import icu
    except ImportError:
        return word
    transliterator = icu.Transliterator.createInstance("Hangul-Latin")
    syllables = []
    for i, syllable in enumerate(word):
        latin = transliterator.transliterate(syllable).replace("eo", "o").replace("eu", "u")
        latin = re.sub(r"^[gdb]|(?<!n)[gdb]$", lambda m: _MR_VOICELESS[m.group(0)], latin)
        latin = re.sub(r"^l", "r", latin)
        syllables.append(latin + (" " if i == 0 and len(word) > 1 else ""))
    return "".join(syllables)


# A word written in the Russian alphabet only (not Kazakh, Ukrainian or
# Belarusian letters, which ICU's generic Any-Latin handles).
_RUSSIAN_WORD = re.compile(r"(?<!\w)[А-Яа-яЁё]+(?!\w)")
_SIGNS = re.compile("[\u02b9\u02ba\u00b7]")  # BGN's soft/hard signs, the э/е separator


@lru_cache(maxsize=100_000)
def _russian_latin(word: str) -> str:
    """BGN/PCGN romanisation (ICU ``Russian-Latin/BGN``): "Юрий Ковальчук"
    -> "Yuriy Kovalchuk", as English-language lists write Russian names;
    ICU's generic transform gives ISO 9 ("Urij Koval'cuk"), which
    shares too little with it. Without ICU, the generic transform is used."""
    try:
        transliterator = _bgn()
    except ImportError:
        return word
    return _SIGNS.sub("", transliterator.transliterate(word))


@lru_cache(maxsize=1)
def _bgn():
    import icu

    return icu.Transliterator.createInstance("Russian-Latin/BGN")


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    for literal, step, replacement in rules()["_skeleton_steps"]:
        token = token.replace(step, replacement) if literal else step.sub(replacement, token)
    return token


_LEGAL_SPLIT = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class NameForm:
    """A name prepared for comparison."""

    raw: str
    tokens: tuple[str, ...]       # distinctive ASCII tokens
    legal_forms: tuple[str, ...]  # legal forms set aside (companies)
    # The name before "bin"/"ibn" (Arabic: "X bin Y" is X, son of Y): two
    # names whose X differ are father and son, not one person.
    patronym_head: str | None = None
    # Country names inside a company name ("Sberbank of Russia"): a
    # qualifier, so missing on the other side costs little.
    places: tuple[str, ...] = ()
    # The name's words written together with its particles ("Van der Bilt"
    # -> "vanderbilt"), for names one side writes as one word.
    spelled: str = ""

    @property
    def joined(self) -> str:
        return "".join(self.tokens)


@lru_cache(maxsize=100_000)
def prepare(name: str, schema: str = "Person", english_places: bool = False) -> NameForm:
    """The name's compare form; with ``english_places``, Russian words that
    name a country in any case form ("России", "Казахстана") are written as
    the country's English name first, as English-language lists write them
    ("Sberbank of Russia")."""
    text = name.strip()
    legal: list[str] = []
    if schema == "Vessel":
        from rigour.names import remove_obj_prefixes

        text = remove_obj_prefixes(text) or text  # "MV", "M/V", "MT" ...
    if schema in ORG_SCHEMAS:
        text = _rigour_names().replace_org_types_compare(text)
    else:
        text = _rigour_names().remove_person_prefixes(text)
    text = _CAMEL_JOIN.sub(" ", text)  # "SiemensAG" -> "Siemens AG"
    if english_places:
        text = _RUSSIAN_COUNTRY.sub(_country_in_english, text)  # "Сбербанк России" -> "Сбербанк Russia"
    text = _ARABIC_ARTICLE.sub("\\g<0> ", text)  # "الأسد" -> "ال أسد": "al" is a particle
    folded = _APOSTROPHES.sub("", ascii_form(text))  # "HYO'K" is one syllable
    tokens = [t for t in _LEGAL_SPLIT.split(folded) if t]
    if not tokens:
        # A script without a Latin transliteration (Khmer, Lao...): compare
        # the words as written.
        tokens = [t for t in _OWN_SCRIPT_SPLIT.split(text.casefold()) if t]
    # Initials ("I. I. Sechin") are never particles, even "I." or "Y.".
    initials = {m.group(1) for m in _INITIAL.finditer(folded)}
    if schema in ORG_SCHEMAS:
        forms = _legal_form_tokens()
        legal = [t for i, t in enumerate(tokens) if t in forms or _qualifies_legal_form(tokens, i, forms)]
        tokens = [t for t in tokens if t not in legal] or tokens
        tokens = _roman_numerals(tokens)
    numbers = rules()["numbers"]
    tokens = _compound_numbers([numbers.get(t, t) for t in tokens])
    particles = rules()["_particles"]
    head = None
    if schema == "Person":
        at = next((i for i, t in enumerate(tokens) if t in PATRONYMIC_PARTICLES), None)
        if at:
            head = next((t for t in reversed(tokens[:at]) if t not in particles), None)
    # "bin"/"ben" joins a name to the father's; first in a name, "Ben" is a name.
    kept = [t for i, t in enumerate(tokens)
            if t not in particles or t in initials
            or (i == 0 and t in PATRONYMIC_PARTICLES and len(tokens) > 1)] or tokens
    # "Sberbank of Russia": the place after "of" qualifies the name;
    # "Banco Santander Chile" is another company than "Banco Santander".
    places = tuple(t for i, t in enumerate(tokens) if i and tokens[i - 1] == "of" and _is_place(t)) \
        if schema in ORG_SCHEMAS and len(kept) > 1 else ()
    return NameForm(raw=name, tokens=tuple(kept), legal_forms=tuple(legal), patronym_head=head, places=places,
                    spelled="".join(tokens))


@lru_cache(maxsize=1)
def _rigour_names() -> Any:
    import rigour.names

    return rigour.names


_CAMEL_JOIN = re.compile(r"(?<=[a-z])(?=[A-Z])")
_APOSTROPHES = re.compile(r"['’ʼ`ʻ]")
# The Arabic definite article written onto the next word ("الأسد").
_ARABIC_ARTICLE = re.compile(r"(?<![\u0600-\u06FF])ال(?=[\u0600-\u06FF]{2,})")
_OWN_SCRIPT_SPLIT = re.compile(r"[\s\-_.,;:/()\"'«»“”‘’·]+")
# Words that make a legal form more specific: "Private JSC", "Open Joint
# Stock Company", "Public Limited Company".
LEGAL_QUALIFIERS = frozenset({"private", "public", "open", "closed", "non", "nonpublic"})


def _qualifies_legal_form(tokens: list[str], i: int, forms: frozenset[str]) -> bool:
    return tokens[i] in LEGAL_QUALIFIERS and i + 1 < len(tokens) and \
        (tokens[i + 1] in forms or _qualifies_legal_form(tokens, i + 1, forms))


_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _roman_numerals(tokens: list[str]) -> list[str]:
    """Roman numerals after a company's first word become digits ("Trust II"
    -> "Trust 2"), so series numbers compare as numbers; a single letter
    only as the last word ("Capital Trust I")."""
    out = list(tokens)
    for i, token in enumerate(tokens):
        if not i or len(token) > 4 or not _ROMAN.match(token):
            continue
        if len(token) > 1 or (token in "ivx" and i == len(tokens) - 1):
            values = [_ROMAN_VALUES[c] for c in token]
            out[i] = str(sum(-v if j + 1 < len(values) and v < values[j + 1] else v
                             for j, v in enumerate(values)))
    return out


PATRONYMIC_PARTICLES = frozenset({"bin", "ibn", "ben", "bint", "binti"})


def _compound_numbers(tokens: list[str]) -> list[str]:
    """Tens followed by a unit make one number: "Forty 4" / "forty four" -> 44."""
    out: list[str] = []
    for token in tokens:
        if out and len(token) == 1 and token.isdigit() and token != "0" and \
                out[-1].isdigit() and len(out[-1]) == 2 and out[-1].endswith("0") and out[-1] != "10":
            out[-1] = str(int(out[-1]) + int(token))
        else:
            out.append(token)
    return out
_INITIAL = re.compile(r"(?<![a-z0-9])([a-z])\.")
_RUSSIAN_COUNTRY = re.compile(r"(?<!\w)[А-ЯЁ][а-яё]{3,}(?!\w)")


def _country_in_english(match: re.Match) -> str:
    """A Russian word that names a country in any case form ("России",
    "Казахстана") becomes the country's English name, as English-language
    lists write it ("Sberbank of Russia")."""
    country = _russian_country(match.group(0))
    return country if country is not None else match.group(0)


@lru_cache(maxsize=50_000)
def _russian_country(word: str) -> str | None:
    from ..countries import resolve

    country = resolve(word)
    return country.name if country is not None and country.kind == "country" else None


@lru_cache(maxsize=50_000)
def _is_place(token: str) -> bool:
    """A country's name (in the project's resolver) used as a word of a company name."""
    from ..countries import resolve

    if len(token) < 4 or token.isdigit():
        return False
    country = resolve(token)
    return country is not None and country.kind == "country" and \
        ascii_form(country.name).replace(" ", "") == token


@lru_cache(maxsize=1)
def _legal_form_tokens() -> frozenset[str]:
    """Compare forms that rigour rewrites legal forms to, lower-cased."""
    from rigour.names import replace_org_types_compare

    samples = ["Aktiengesellschaft", "GmbH", "LLC", "Limited", "Ltd", "JSC", "OJSC", "OAO", "ZAO", "PJSC",
               "ООО", "АО", "ПАО", "ТОО", "Inc.", "Corporation", "Corp", "Company", "Co.", "S.A.", "S.L.",
               "B.V.", "N.V.", "plc", "SE", "A/S", "L.P.", "LLP", "Sp. z o.o.", "Joint Stock Company",
               "Limited Liability Company", "Open Joint Stock Company", "Gesellschaft mit beschränkter Haftung",
               "PT", "P.T.", "BVBA", "AB", "AG", "SA", "KG", "Trust", "CJSC", "Closed Joint Stock Company",
               # Russian forms rigour's compare table leaves in Cyrillic.
               "ОАО", "ЗАО", "НАО", "ЧАО", "ПрАО", "ОДО", "ФГУП", "ГУП", "МУП", "АНО", "НКО",
               "Публичное акционерное общество", "Открытое акционерное общество",
               "Закрытое акционерное общество", "Непубличное акционерное общество", "НПО", "NPO",
               "Акционерное общество", "Общество с ограниченной ответственностью"]
    forms: set[str] = set()
    for sample in samples:
        for token in _LEGAL_SPLIT.split(ascii_form(replace_org_types_compare(sample))):
            if len(token) > 1:
                forms.add(token)
    return frozenset(forms - {"trust"})


def _lev_sim(a: str, b: str) -> float:
    # Optimal string alignment: Levenshtein plus transpositions ("Donlad").
    return _osa_similarity()(a, b)


@lru_cache(maxsize=1)
def _osa_similarity() -> Callable[[str, str], float]:
    from rapidfuzz.distance import OSA

    return OSA.normalized_similarity


_ABJAD = re.compile(r"[\u0590-\u06FF\u0750-\u077F]")
_VOWELS = re.compile(r"[aeiouy]")


# A word that is another word plus a chunk of this many letters is another
# name: "Abramov"/"Abramovich" (a patronymic suffix), "Gazprombank"/
# "Belgazprombank" (the Belarusian bank).
AFFIX_MIN = 3
AFFIX_SIMILARITY = 0.5


def _affixed(a: str, b: str) -> bool:
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 4 or len(long) - len(short) < AFFIX_MIN:
        return False
    # A word's stem without its ending vowel counts too: "Zvezda"/"Zvezdochka".
    stem = short[:-1] if short[-1] in "aeiouy" and len(short) >= 5 else short
    return long.startswith(stem) or long.endswith(short)


@lru_cache(maxsize=200_000)
def light_skeleton(token: str) -> str:
    """The skeleton's consonant rules only (kh/h, ts/c, zh/j), without the vowel
    and double-letter folds: for company names, where "Rosneft" and "Russneft"
    are two companies, not two spellings."""
    for pattern, replacement in rules()["_light"]:
        token = pattern.sub(replacement, token)
    return token


def token_similarity(a: str, b: str, schema: str = "Person") -> float:
    if a == b:
        return 1.0
    # The same word pairs come up query after query (listed names share
    # their words); the name-symbol source is part of the key because it
    # decides the result.
    return _token_similarity(a, b, schema, _SYMBOLS.get())


@lru_cache(maxsize=200_000)
def _token_similarity(a: str, b: str, schema: str, symbols: Callable[[str], frozenset[str]] | None) -> float:
    """:func:`token_similarity` of two different words, with ``symbols``
    the name-symbol lookup in effect (see ``_SYMBOLS``)."""
    if a.isdigit() or b.isdigit():
        # A different number (a series, a vintage: "Trust 2004-1"/"2005-1")
        # is a near variant worth a look, not an unrelated word.
        return 1.0 if a.lstrip("0") == b.lstrip("0") else rules()["number_mismatch"]
    if len(a) == 1 or len(b) == 1:
        return 0.9 if a[0] == b[0] else 0.0
    if not (a.isascii() and b.isascii()):
        return _lev_sim(a, b)  # words kept in their own script: no romanisation folds
    if schema in ORG_SCHEMAS:
        if _affixed(a, b) or _affixed(skeleton(a), skeleton(b)) or _stems_differ(a, b):
            return AFFIX_SIMILARITY
    elif _patronymic_of(a, b):
        return AFFIX_SIMILARITY
    similarity = max(_lev_sim(a, b), _lev_sim(skeleton(a), skeleton(b)))
    if schema == "Person":
        similarity = min(similarity, _compound_similarity(a, b))
    if schema == "Person" and similarity < SAME_NAME_SIMILARITY and _given_name_symbols(a) & _given_name_symbols(b):
        # One name in two languages or forms ("Sergejs"/"Sergey", "Sasha"/
        # "Aleksandr"): rigour's name symbols (from Wikidata) say so.
        similarity = SAME_NAME_SIMILARITY
    return similarity


SAME_NAME_SIMILARITY = 0.85

# Arabic compound names share a servant/faith element and differ in the other
# part: "Abdurrahim"/"Abdurrahman" (abd al-Rahim / abd al-Rahman),
# "Shamsuddin"/"Sahabuddin" (-ud-din). Such words are compared on the part
# that differs, so the shared element does not make them look alike.
_COMPOUND_HEAD = re.compile(r"^abd(?:ul|ur|ar|al|el|us|un|uz|ud|us)?")
_COMPOUND_TAIL = re.compile(r"(?:ud|ad|ed|al|ul|u|e)?(?:din|dina|deen|dine|allah|ullah|ulla)$")


def _compound_similarity(a: str, b: str) -> float:
    """Similarity of the distinct parts of two compound names sharing a
    head (abd-) or tail (-uddin, -ullah); 1.0 when they are not such a pair."""
    for pattern in (_COMPOUND_HEAD, _COMPOUND_TAIL):
        match_a, match_b = pattern.search(a), pattern.search(b)
        if match_a and match_b:
            rest_a = a[:match_a.start()] + a[match_a.end():]
            rest_b = b[:match_b.start()] + b[match_b.end():]
            if len(rest_a) >= 3 and len(rest_b) >= 3:
                return max(_lev_sim(rest_a, rest_b), _lev_sim(skeleton(rest_a), skeleton(rest_b)))
    return 1.0
PATRONYMIC_SUFFIXES = ("ich", "vich", "ovich", "evich", "ovna", "evna", "ichna", "ogly", "kyzy")
PATRONYMIC_SUFFIXES_LONGEST_FIRST = ("ovich", "evich", "ichna", "vich", "ovna", "evna", "ich")


# Surname endings built on the same root as a patronymic: "Petrov(a)" /
# "Petrovna", "Ivanov" / "Ivanovich".
SURNAME_ENDINGS = ("", "a", "ov", "ova", "ev", "eva", "in", "ina")
# Endings that make a surname of a name ("Konstantin"/"Konstantinov",
# "Spivak"/"Spivakovsky", "Petrov"/"Petrovsky"): the longer word is another name.
SURNAME_SUFFIXES = ("ov", "ova", "ev", "eva", "in", "ina", "sky", "skiy", "ski", "skaya", "ovsky", "ovskiy",
                    "evsky", "enko", "chenko", "uk", "chuk", "yuk")


@lru_cache(maxsize=200_000)
def _patronymic_of(a: str, b: str) -> bool:
    """One word is the other plus a patronymic ending ("Abramov"/"Abramovich"),
    or a surname on a patronymic's root ("Petrova"/"Petrovna")."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 4 or short == long:
        return False
    if long.startswith(short) and long[len(short):] in PATRONYMIC_SUFFIXES + SURNAME_SUFFIXES:
        return True
    for suffix in PATRONYMIC_SUFFIXES_LONGEST_FIRST:
        if long.endswith(suffix) and len(long) - len(suffix) >= 3:
            root = long[:-len(suffix)]
            return any(short == root + ending for ending in SURNAME_ENDINGS)
    return False


# Where name symbols come from during a list search: the table stored with
# the blocking index (no analyser to load), else rigour's analyser.
_SYMBOLS: ContextVar[Callable[[str], frozenset[str]] | None] = ContextVar("name_symbols", default=None)


def _given_name_symbols(token: str) -> frozenset[str]:
    lookup = _SYMBOLS.get()
    return lookup(token) if lookup is not None else analysed_symbols(token)


@lru_cache(maxsize=100_000)
def analysed_symbols(token: str) -> frozenset[str]:
    """rigour's NAME symbols of one word (loading the analyser takes seconds, once)."""
    from rigour.names import NameTypeTag, SymbolCategory, analyze_names

    if len(token) < 3:
        return frozenset()
    return frozenset(str(span.symbol) for name in analyze_names(NameTypeTag.PER, [token])
                     for span in name.spans if span.symbol.category == SymbolCategory.NAME)


@lru_cache(maxsize=100_000)
def _stem(token: str) -> str | None:
    return next((stem for spelling, stem in rules()["_org_stems"] if token.startswith(spelling)), None)


def _stems_differ(a: str, b: str) -> bool:
    """Both words start with a naming element, and not the same one:
    "Rosneft" (ros-, the state) / "Russneft" (russ-), "Belaruskali" / "Uralkali"."""
    stem_a, stem_b = _stem(a), _stem(b)
    return stem_a is not None and stem_b is not None and stem_a != stem_b


def _align(short: tuple[str, ...], long: tuple[str, ...],
           schema: str = "Person") -> tuple[list[float], list[int], list[tuple[str, str]]]:
    """Similarities of the short name's tokens to their one-to-one partners,
    the long name's token positions left without a partner, and the partners."""
    matrix = [[token_similarity(a, b, schema) for b in long] for a in short]
    cols = _unique_best_assignment(matrix, len(long)) if len(long) <= EXHAUSTIVE_TOKENS else None
    if cols is None:
        import numpy as np
        from scipy.optimize import linear_sum_assignment

        rows, found = linear_sum_assignment(-np.array(matrix))
        cols = [int(c) for c in found]
    rows = range(len(short))
    unmatched = sorted(set(range(len(long))) - set(cols))
    return [float(matrix[r][c]) for r, c in zip(rows, cols)], unmatched, \
        [(short[r], long[c]) for r, c in zip(rows, cols)]


# Names of up to this many words are aligned by trying every assignment
# (at most 4 x 3 x 2 = 24): cheaper than the Hungarian solver's set-up for
# a handful of words.
EXHAUSTIVE_TOKENS = 4
# Totals closer than this count as a tie (float sums in another order).
TIE_MARGIN = 1e-9


def _unique_best_assignment(matrix: list[list[float]], width: int) -> list[int] | None:
    """The column of each row in the one assignment with the highest total,
    found by trying them all; None when another assignment comes within
    ``TIE_MARGIN`` of it (then the solver decides, as it always has, so a
    tie is broken the same way)."""
    best = second = float("-inf")
    best_cols: tuple[int, ...] = ()
    for cols in permutations(range(width), len(matrix)):
        total = sum(row[c] for row, c in zip(matrix, cols))
        if total > best:
            best, second, best_cols = total, best, cols
        elif total > second:
            second = total
    if best - second <= TIE_MARGIN:
        return None
    return list(best_cols)


def score_names(name1: str, name2: str, schema: str = "Person") -> tuple[float, str]:
    """Similarity in [0, 1] and a one-line explanation."""
    a, b = prepare(name1, schema), prepare(name2, schema)
    if not a.tokens or not b.tokens:
        return 0.0, "a name has no letters or digits"
    best = _score_forms(a, b, name1, name2, schema)
    if schema in ORG_SCHEMAS and any(_RUSSIAN_COUNTRY.search(n) for n in (name1, name2)):
        places_a, places_b = prepare(name1, schema, True), prepare(name2, schema, True)
        if (places_a, places_b) != (a, b) and places_a.tokens and places_b.tokens:
            score, why = _score_forms(places_a, places_b, name1, name2, schema)
            if score > best[0]:
                best = score, f"{why}; country names in English"
    # A name written in two words on one side and one on the other
    # ("Patr ushev", "Mohammad Hasni" / "Mohammadhasni"): also compare with
    # those two words joined.
    for merged_a, merged_b, joined in _merged_variants(a, b):
        score, why = _score_forms(merged_a, merged_b, name1, name2, schema)
        if score > best[0]:
            best = score, f"{why}; joined {joined!r}"
    # An organisation's acronym ("PLA" / "People's Liberation Army"): the
    # words it abbreviates become the acronym, and the match counts a little less.
    if schema in ORG_SCHEMAS and schema != "Vessel":
        for short_a, short_b, acronym in _acronym_variants(a, b):
            score, why = _score_forms(short_a, short_b, name1, name2, schema)
            score *= ACRONYM_WEIGHT
            if score > best[0]:
                best = score, f"{why}; {acronym!r} as an acronym"
    return best


ACRONYM_WEIGHT = 0.9


def _acronym_variants(a: NameForm, b: NameForm) -> list[tuple[NameForm, NameForm, str]]:
    """A word of one name that is the initials of two or more adjacent words
    of the other, with those words replaced by it."""
    from dataclasses import replace

    variants = []
    for this, other, first in ((a, b, True), (b, a, False)):
        for acronym in {t for t in this.tokens if 2 <= len(t) <= 6 and t.isalpha()} - set(other.tokens):
            n = len(acronym)
            for i in range(len(other.tokens) - n + 1):
                run = other.tokens[i:i + n]
                if "".join(t[0] for t in run) == acronym and all(len(t) > 1 for t in run):
                    short = replace(other, tokens=other.tokens[:i] + (acronym,) + other.tokens[i + n:])
                    variants.append((this, short, acronym) if first else (short, this, acronym))
    return variants


MERGE_SIMILARITY = 0.9


def _merged_variants(a: NameForm, b: NameForm) -> list[tuple[NameForm, NameForm, str]]:
    """Each pair of adjacent words on one side whose concatenation is (nearly)
    a word on the other side, joined."""
    from dataclasses import replace

    variants = []
    for this, other, first in ((a, b, True), (b, a, False)):
        for i in range(len(this.tokens) - 1):
            if _is_number(this.tokens[i]) or _is_number(this.tokens[i + 1]):
                continue  # "Solutions II" is not "Solutions"
            joined = this.tokens[i] + this.tokens[i + 1]
            if joined in other.tokens or any(_lev_sim(joined, t) >= MERGE_SIMILARITY for t in other.tokens
                                             if abs(len(t) - len(joined)) <= 2):
                merged = replace(this, tokens=this.tokens[:i] + (joined,) + this.tokens[i + 2:])
                variants.append((merged, other, joined) if first else (other, merged, joined))
    return variants


def _score_forms(a: NameForm, b: NameForm, name1: str, name2: str, schema: str) -> tuple[float, str]:
    cfg = rules()
    short, long = (a, b) if len(a.tokens) <= len(b.tokens) else (b, a)
    sims, unmatched, partners = _align(short.tokens, long.tokens, schema)
    if _ABJAD.search(name1 + name2):
        # Arabic and Hebrew script write few vowels: compare consonants too.
        consonants = [_lev_sim(_VOWELS.sub("", skeleton(x)), _VOWELS.sub("", skeleton(y)))
                      for x, y in zip(short.tokens, long.tokens)] if len(short.tokens) == len(long.tokens) else []
        sims = [max(s, 0.95 * c) for s, c in zip(sims, consonants)] if consonants else sims
    mean = sum(sims) / len(sims)
    # A different number in the same place (a series, a vintage, a sister
    # ship: "Trust 2004-1"/"2004-2") lowers the mean but is no mismatch.
    worded = [s for s, (x, y) in zip(sims, partners) if not (x.isdigit() and y.isdigit())]
    weakest = min(worded or sims)
    floor = cfg["token_floor"]
    if weakest >= floor:
        score = mean
    else:
        # A token without a counterpart pulls the score down, less so in a
        # long name (one different word of seven is not one of two).
        exponent = cfg["mismatch_exponent"] * 2 / max(2, len(short.tokens))
        score = mean * (weakest / floor) ** exponent * 0.9
    # The first of a series is often written without its number: "Fund" = "Fund I".
    unmatched = [i for i in unmatched if long.tokens[i] != "1"]
    extra = len(unmatched)
    penalty = cfg["extra_token_penalty"].get(schema, 0.06)
    places = [long.tokens[i] for i in unmatched if long.tokens[i] in long.places]
    if extra:
        score -= len(places) * cfg["place_token_penalty"] + (extra - len(places)) * penalty
        if len(short.tokens) == 1 and len(places) < extra:
            score -= cfg["single_token_penalty"]
        elif extra > len(short.tokens):
            score -= cfg["outnumbered_penalty"]
    why = f"tokens {list(short.tokens)} ~ {list(long.tokens)}: mean {mean:.2f}, weakest {weakest:.2f}"
    if extra:
        why += f", {extra} extra token(s)" + (f" ({', '.join(places)}: place)" if places else "")
    whole = False
    if extra and not any(_is_number(long.tokens[i]) for i in unmatched) and not _stems_apart(a, b, schema):
        # Split or merged words ("RamiMakhlouf", "Patr ushev"): compare the
        # names with spaces removed, but only when the token counts differ
        # and the extra word is no number ("Solutions II" is another company).
        joined = _whole_similarity(a.joined, b.joined)
        if joined >= 0.9 and joined > score:
            score, why, whole = joined, f"whole names without spaces agree ({joined:.2f})", True
    if len(a.spelled) - len(a.joined) != len(b.spelled) - len(b.joined) and not _stems_apart(a, b, schema):
        # Particles written into a word on one side ("Van der Bilt"/"Vanderbilt").
        spelled = _whole_similarity(a.spelled, b.spelled)
        if spelled >= 0.9 and spelled > score:
            score, why, whole = spelled, f"whole names with particles agree ({spelled:.2f})", True
    if a.patronym_head and b.patronym_head and \
            token_similarity(a.patronym_head, b.patronym_head) < floor:
        score = min(score, cfg["threshold"] - 0.2)
        why += f"; different names before bin/ibn ({a.patronym_head} / {b.patronym_head})"
    if schema == "Person" and len(short.tokens) == 1 and len(long.tokens) > 1 and not whole:
        # One word (often a bare given name, "Сергей") is not a person's name.
        score = min(score, cfg["threshold"] - 0.1)
        why += "; one word against a full name"
    return max(0.0, min(1.0, score)), why


def _whole_similarity(a: str, b: str) -> float:
    if not (a.isascii() and b.isascii()):
        return _lev_sim(a, b)
    return max(_lev_sim(a, b), _lev_sim(skeleton(a), skeleton(b)))


def _stems_apart(a: NameForm, b: NameForm, schema: str) -> bool:
    """Company names whose words start with different naming elements only
    ("NK Rosneft"/"NK Russ Neft"): written together they may look alike,
    but they are different companies."""
    if schema not in ORG_SCHEMAS:
        return False
    stems_a = {_stem(t) for t in a.tokens} - {None}
    stems_b = {_stem(t) for t in b.tokens} - {None}
    return bool(stems_a and stems_b) and not stems_a & stems_b


_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


@lru_cache(maxsize=100_000)
def _is_number(token: str) -> bool:
    """Digits or a Roman numeral of two letters or more ("ii", "xv")."""
    return token.isdigit() or (len(token) > 1 and bool(_ROMAN.match(token)))


def _alternatives(name: str) -> list[str]:
    """"Al-Qa'ida/Islamic Army" names two alternatives."""
    parts = [p.strip() for p in name.split("/") if len(p.strip()) > 1]
    return parts if len(parts) > 1 and not re.search(r"\d/\d", name) else [name]


def match_pair(name1: str, name2: str, schema: str = "Person") -> dict[str, Any]:
    score, why = max((score_names(a, b, schema) for a in _alternatives(name1)
                      for b in _alternatives(name2)), key=lambda r: r[0])
    return {"name1": name1, "name2": name2, "score": round(score, 4),
            "match": score >= rules()["threshold"], "explanation": why}


# -- matching against the lists ------------------------------------------------

def _grams(text: str, n: int = 3) -> set[str]:
    padded = f" {text} "
    return {padded[i:i + n] for i in range(max(1, len(padded) - n + 1))}


SHORTLIST = 40  # names fully scored per query (of up to 200 trigram candidates)
COMMON_GRAM = 5000  # a trigram in more names than this cannot tell names apart


def list_schema(schema: str) -> str:
    return "Person" if schema == "Person" else ("Vessel" if schema == "Vessel" else "Organization")


def listed_names(entry: Any) -> Iterable[tuple[str, str, str, set[str]]]:
    """(name, schema, shortlist key, trigrams) for each name and alias of a listed entry."""
    schema = list_schema(entry.schema)
    for name in dict.fromkeys(entry.names()):
        if not name or len(name) > 300:
            continue
        form = prepare(name, schema)
        yield (name, schema, " ".join(sorted(skeleton(t) for t in form.tokens)),
               _grams(skeleton(" ".join(form.tokens))))


class ListMatcher:
    """Listed names and aliases with a trigram index for candidate generation."""

    def __init__(self, entries: Iterable[Any]):
        self.entries: Any = []
        self.names: Any = []  # (entry index, name, schema)
        self.index: dict[str, list[int]] = defaultdict(list)
        self.keys: Any = []  # token-sorted skeleton per name, for the cheap second stage
        for position, entry in enumerate(entries):
            self.entries.append(entry)
            for name, schema, key, grams in listed_names(entry):
                name_id = len(self.names)
                self.names.append((position, name, schema))
                self.keys.append(key)
                for gram in grams:
                    self.index[gram].append(name_id)

    @classmethod
    def from_store(cls, store) -> "ListMatcher":
        return cls(store.listings())

    def candidates(self, name: str, schema: str | None, limit: int = 200) -> list[int]:
        form = prepare(name, schema or "Person")
        grams = _grams(skeleton(" ".join(form.tokens)))
        counts: dict[int, int] = defaultdict(int)
        for gram in grams:
            postings = self.index.get(gram, ())
            if len(postings) > COMMON_GRAM:
                continue  # too common to tell names apart
            for name_id in postings:
                counts[name_id] += 1
        need = max(2, len(grams) // 3)
        ranked = sorted((c, i) for i, c in counts.items() if c >= need)
        return [i for _, i in ranked[::-1][:limit]]

    def shortlist(self, name: str, schema: str | None, size: int = SHORTLIST) -> list[int]:
        """Trigram candidates, narrowed by a cheap token-set similarity of the
        skeletons before the full (alignment) score is computed."""
        from rapidfuzz import fuzz, process

        candidates = self.candidates(name, schema)
        if len(candidates) <= size:
            return candidates
        key = " ".join(sorted(skeleton(t) for t in prepare(name, schema or "Person").tokens))
        choices = self.keys_of(candidates)
        return [name_id for _, _, name_id in
                process.extract(key, choices, scorer=fuzz.token_set_ratio, limit=size)]

    def keys_of(self, name_ids: list[int]) -> dict[int, str]:
        return {name_id: self.keys[name_id] for name_id in name_ids}

    symbols: Callable[[str], frozenset[str]] | None = None  # see _SYMBOLS

    def search(self, name: str, schema: str | None = None, limit: int = 10,
               threshold: float | None = None) -> list[dict[str, Any]]:
        if self.symbols is None:
            return self._search(name, schema, limit, threshold)
        token = _SYMBOLS.set(self.symbols)
        try:
            return self._search(name, schema, limit, threshold)
        finally:
            _SYMBOLS.reset(token)

    def _search(self, name: str, schema: str | None, limit: int,
                threshold: float | None) -> list[dict[str, Any]]:
        from .name_bounds import reachable

        threshold = rules()["threshold"] if threshold is None else threshold
        best: dict[int, dict[str, Any]] = {}
        rows = [self.names[name_id] for name_id in self.shortlist(name, schema)]
        rows = [row for row in rows if not schema or (schema == "Person") == (row[2] == "Person")]
        # Names whose score cannot reach the threshold are not scored (the
        # result is the same: they would be dropped below).
        for (position, listed, listed_schema), can_reach in \
                zip(rows, reachable(name, [(listed, s) for _, listed, s in rows], threshold)):
            if not can_reach:
                continue
            score, why = score_names(name, listed, listed_schema)
            if score < threshold or (position in best and best[position]["score"] >= score):
                continue
            entry = self.entries[position]
            best[position] = {
                "score": round(score, 4), "matched_name": listed,
                "explanation": f"'{name}' ~ '{listed}' ({'alias' if listed != entry.name else 'primary name'}): {why}",
                "entry_id": entry.entry_id, "list_name": entry.list_name, "name": entry.name,
                "schema": entry.schema, "programme": entry.programme, "listing_date": entry.listing_date,
                "legal_act": entry.legal_act, "source_id": entry.source_id,
            }
        return sorted(best.values(), key=lambda m: -m["score"])[:limit]


_MATCHERS: SwappingCache[ListMatcher] = SwappingCache()


def list_matcher(store) -> ListMatcher:
    """The store's matcher over the blocking index stored beside it
    (:mod:`nlp.tag.name_index`: built at ingest, rebuilt only when the
    listings changed), one per process and listings state. A server gets the
    previous matcher while a changed index is refreshed in the background
    (see :mod:`.matcher_swap`)."""
    from ..store import Store
    from .name_index import StoredListMatcher, listings_stamp

    folder = store.dir

    def build() -> ListMatcher:
        with Store(folder) as own:  # the rebuild thread's own connection
            return StoredListMatcher.open(own)

    return _MATCHERS.get(str(store.path), listings_stamp(store), build)
