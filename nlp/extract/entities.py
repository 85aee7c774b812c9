"""Named entities in English and Russian, with one label set for both.

What it does: finds PERSON, ORG, GPE, LOC, NORP, FAC, LAW, PRODUCT, EVENT,
WORK_OF_ART, LANGUAGE and MONEY mentions (see :data:`LABELS`) in English text
with spaCy's ``en_core_web_md`` (``$SANCTIONS_EN_MODEL``; only its ``ner``
component runs: it has its own token-to-vector layer, so the tagger, parser
and lemmatizer are skipped)
and in Russian text with natasha's slovnet ``NewsNERTagger`` (PER/ORG/LOC).
On top of the models, five general layers (each can be switched off in
:class:`NerOptions` so ``scripts/eval_ner.py`` can measure it):

* ``line_segments`` - the model reads one line at a time (headlines, table
  rows and list items are separate units) and its spans are trimmed to the
  name (no leading "the", trailing "'s", numbers or lower-case words).
* ``recase_caps`` - all-caps lines (headlines, list entries) are shown to the
  model title-cased (same length, so offsets hold); small models trained on
  mixed-case news miss most names in upper case.
* ``gazetteer`` - names from :mod:`nlp.data.gazetteers` (EU institutions,
  international bodies, cities, regions; countries from Babel's CLDR names in
  English and Russian) and, when given, the parties of the stored sanctions
  lists. Russian names match inflected forms ("Москва" finds "Москве").
* ``rules`` - legal forms (``ООО «Ромашка»``, ``JSC Rosneft``, ``Kontron AG``)
  are ORG; "Given SURNAME" spellings of sanctions lists are PERSON.
* ``consistency`` - a name the document tags once is tagged at its other
  mentions too, and a person's surname alone takes the person label.

What it does not do: link mentions to list entries (see :mod:`nlp.link`),
find dates, codes or citations (their own modules), or nested entities.
Numeric spaCy types (DATE, TIME, CARDINAL, ORDINAL, QUANTITY, PERCENT) are
dropped: the dates layer owns dates.

Offsets are Python code-point offsets into the text given.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Iterable, Iterator

from .. import settings

GAZETTEER_DIR = settings.DATA_DIR / "gazetteers"

# The project's label set (OntoNotes names, shared by both languages).
LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "LAW", "PRODUCT", "EVENT",
          "WORK_OF_ART", "LANGUAGE", "MONEY")
_NATASHA_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}

# Chunks keep model memory flat on long documents; cut at a line or sentence end.
CHUNK_CHARS = 20_000


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    text: str
    label: str
    source: str = "model"  # model | gazetteer | rule | consistency

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "label": self.label}


@dataclass(frozen=True)
class NerOptions:
    line_segments: bool = True
    recase_caps: bool = True
    gazetteer: bool = True
    rules: bool = True
    consistency: bool = True

    @classmethod
    def bare(cls) -> "NerOptions":
        return cls(line_segments=False, recase_caps=False, gazetteer=False, rules=False,
                   consistency=False)


# -- name keys: how gazetteer names and text tokens are compared -----------

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:[-&]\w+)*|[^\w\s]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
# Russian case endings, longest first; stripping them from both the listed
# name and the text token gives the same key for most inflected proper names
# (Россия/России/Россией -> росс). Snowball was tried first but stems a base
# form and its inflections differently (Казахстан -> казахста, Казахстане ->
# казахстан), which breaks exact key lookup.
_RU_ENDINGS = sorted({
    "а", "я", "о", "е", "у", "ю", "ы", "и", "й", "ь",
    "ой", "ей", "ом", "ем", "ам", "ям", "ах", "ях", "ую", "юю", "ая", "яя", "ое", "ее",
    "ые", "ие", "ых", "их", "ым", "им", "ия", "ии", "ию", "ий", "ья", "ье", "ью", "ьи",
    "ою", "ею", "ов", "ев", "ого", "его", "ому", "ему", "ами", "ями", "ией", "иям",
    "иях", "ыми", "ими",
}, key=len, reverse=True)
_MIN_STEM = 3


def _fold(token: str) -> str:
    return token.casefold().replace("ё", "е")


def name_key(token: str) -> str:
    """The key a listed name's token is stored under."""
    folded = _fold(token)
    if _CYRILLIC.search(folded) and len(folded) > 4:
        for ending in _RU_ENDINGS:
            if folded.endswith(ending) and len(folded) - len(ending) >= _MIN_STEM:
                return folded[: -len(ending)]
    return folded


@lru_cache(maxsize=1 << 16)
def token_keys(token: str) -> frozenset[str]:
    """Every key a text token may match (all ending strips for Russian).

    Cached: every gazetteer pass keys every token of the text, and the same
    words recur across passes, documents and gazetteers."""
    folded = _fold(token)
    keys = {folded}
    if _CYRILLIC.search(folded) and len(folded) > 4:
        for ending in _RU_ENDINGS:
            if folded.endswith(ending) and len(folded) - len(ending) >= _MIN_STEM:
                keys.add(folded[: -len(ending)])
        # A base form that itself looks inflected ("Газпром" -> "газпр")
        # is keyed with that ending off; its case forms must reach the same key.
        keys |= {name_key(k) for k in list(keys)}
    return frozenset(keys)


def tokenize(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True)
class KeyedTokens:
    """A text's tokens as gazetteers read them: ``spans`` (start, end, token),
    the :func:`token_keys` of each, and the indexes of the tokens a name may
    start at (an upper-case letter or a digit first)."""

    spans: list[tuple[int, int, str]]
    keys: list[frozenset[str]]
    starts: list[int]


def keyed_tokens(text: str) -> KeyedTokens:
    """Tokenise and key ``text`` once for every gazetteer that reads it."""
    spans = tokenize(text)
    keys = [token_keys(t) for _, _, t in spans]
    starts = [i for i, (_, _, t) in enumerate(spans) if t[0].isupper() or t[0].isdigit()]
    return KeyedTokens(spans, keys, starts)


# -- gazetteers -----------------------------------------------------------

@dataclass
class Gazetteer:
    """Names to labels, matched token by token (longest match wins).

    A match must start with an upper-case letter or digit in the text, and a
    one-token name of three letters or fewer ("EU", "UN", "ЕС") only matches
    when written in capitals, so "us" is never the United States.
    """

    trie: dict = field(default_factory=dict)
    size: int = 0

    def add(self, name: str, label: str) -> None:
        tokens = [t for _, _, t in tokenize(name)]
        if not tokens:
            return
        node = self.trie
        for token in tokens:
            node = node.setdefault(name_key(token), {})
        if "\0" not in node:
            self.size += 1
        node.setdefault("\0", label)  # the first label given for a name stays

    def extend(self, pairs: Iterable[tuple[str, str]]) -> "Gazetteer":
        for name, label in pairs:
            self.add(name, label)
        return self

    def find(self, text: str, tokens: "KeyedTokens | None" = None) -> list[Entity]:
        """Names in ``text``; ``tokens`` is :func:`keyed_tokens` of it, when
        the caller already has it (every gazetteer reads the same tokens)."""
        if tokens is None:
            tokens = keyed_tokens(text)
        spans, keys = tokens.spans, tokens.keys
        trie = self.trie
        found: list[Entity] = []
        free = 0  # the first token not inside a name found already
        for i in tokens.starts:
            if i < free:
                continue
            frontier = [trie[k] for k in keys[i] if k in trie]
            if not frontier:
                continue
            best: tuple[int, str] | None = None
            j = i
            while True:
                for node in frontier:
                    if "\0" in node:
                        best = (j, node["\0"])
                j += 1
                if j >= len(spans):
                    break
                frontier = [node[k] for node in frontier for k in keys[j] if k in node]
                if not frontier:
                    break
            if best is not None:
                end_tok, label = best
                first = spans[i][2]
                short = end_tok == i and len(first) <= 3
                if not short or first.isupper():
                    start, end = spans[i][0], spans[end_tok][1]
                    found.append(Entity(start, end, text[start:end], label, "gazetteer"))
                    free = end_tok + 1
        return found


def _read_tsv(path: Path) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip() and not line.startswith("#"):
                label, _, name = line.rstrip("\n").partition("\t")
                if name.strip():
                    yield name.strip(), label.strip()


# CLDR codes that are not places (EU, UN, "unknown region", pseudo-locales).
_NON_PLACES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "001"}


def _country_names() -> Iterator[tuple[str, str]]:
    """Country names (nlp.countries, English then Russian) as GPE; world
    regions (CLDR's numeric territories: "Central Asia", "Европа") as LOC."""
    from babel import Locale

    from ..countries import all_countries

    countries = all_countries()
    yield from ((c.name, "GPE") for c in countries)
    yield from ((c.name_ru, "GPE") for c in countries)
    for lang in ("en", "ru"):
        for code, name in Locale(lang).territories.items():
            if code.isdigit() and code not in _NON_PLACES:
                yield name, "LOC"


@lru_cache(maxsize=1)
def country_gazetteer() -> Gazetteer:
    """Country and world-region names (CLDR via Babel, plus short forms).

    These are unambiguous enough to correct the model's label on the same
    span (small models often call "Sri Lanka" a person or "Tajikistan" NORP).
    """
    gaz = Gazetteer()
    gaz.extend(_read_tsv(GAZETTEER_DIR / "aliases.tsv"))
    gaz.extend(_country_names())
    return gaz


@lru_cache(maxsize=1)
def region_gazetteer() -> Gazetteer:
    """Regions, seas and territories (LOC rows of places.tsv): as unambiguous
    as countries ("West Bank" is never a bank)."""
    return Gazetteer().extend((n, label) for n, label in _read_tsv(GAZETTEER_DIR / "places.tsv")
                              if label == "LOC")


@lru_cache(maxsize=1)
def builtin_gazetteer() -> Gazetteer:
    """Organisations and cities shipped with the project (cities can be
    people or teams, so these do not overrule the model's label)."""
    gaz = Gazetteer()
    gaz.extend(_read_tsv(GAZETTEER_DIR / "organisations.tsv"))
    gaz.extend((n, label) for n, label in _read_tsv(GAZETTEER_DIR / "places.tsv") if label != "LOC")
    return gaz


_LISTING_LABELS = {"Person": "PERSON", "Organization": "ORG", "LegalEntity": "ORG",
                   "Company": "ORG", "PublicBody": "ORG"}
_COMMA_NAME = re.compile(r"^([^,]+),\s*([^,]+)$")


def listing_names(entries: Iterable) -> Iterator[tuple[str, str]]:
    """(name, label) pairs for the persons and organisations on sanctions lists.

    Takes :class:`~nlp.records.ListingEntry` records. One-word names are left
    out (too many collide with common words); "SURNAME, Given" is also added
    as "Given SURNAME", the order running text uses.
    """
    for entry in entries:
        label = _LISTING_LABELS.get(entry.schema)
        if label is None:
            continue
        for name in entry.names():
            name = " ".join(str(name).split())
            if not (6 <= len(name) <= 120):
                continue
            words = [t for t in tokenize(name) if t[2][0].isalnum()]
            if len(words) < 2 or len(words) > 8:
                continue
            yield name, label
            m = _COMMA_NAME.match(name)
            if m and label == "PERSON":
                yield f"{m[2]} {m[1]}", label


def store_gazetteer(store) -> Gazetteer:
    """A gazetteer of every person and organisation in the store's lists,
    plus listed companies' names without their legal form ("Sovcomflot")."""
    from .entity_checks import core_listing_names

    pairs = list(listing_names(store.listings()))
    return Gazetteer().extend(pairs).extend(core_listing_names(pairs))


@lru_cache(maxsize=1)
def organisation_gazetteer() -> Gazetteer:
    """Organisation rows of the shipped gazetteer; they overrule a model's
    LOC/GPE on the same span («ЕС», «Европейский союз»)."""
    from .entity_checks import organisation_names

    return Gazetteer().extend((name, "ORG") for name in organisation_names())


# -- rules ----------------------------------------------------------------

_QUOTED = r"[\"«“„][^\"«»“”„\n]{1,80}[\"»”“]"
_CAP_WORD = r"[A-Z][\w&.'-]{0,40}"  # bounded: keeps the rules linear in the text
_CAP_WORD_RU = r"[А-ЯЁA-Z][\w&.'-]{0,40}"
_EN_PREFIX_FORMS = r"PJSC|OJSC|CJSC|JSC|LLC|OOO|OAO|ZAO|PAO|AO|TOO|LLP|JSCB|FSUE|CJSC"
_EN_SUFFIX_FORMS = (r"LLC|L\.L\.C\.|Ltd\.?|Limited|Inc\.?|Incorporated|Corp\.?|Corporation|GmbH|"
                    r"AG|S\.A\.|SA|SE|plc|PLC|B\.V\.|BV|N\.V\.|NV|LLP|LP|Oy|AB|A/S|ASA|S\.p\.A\.|SpA|"
                    r"S\.r\.l\.|Srl|JSC|PJSC|OJSC|Co\.,?\s+Ltd\.?|Holding|Holdings|Group")
_RU_FORMS = r"ООО|ОАО|ЗАО|ПАО|АО|НАО|ТОО|ГУП|ФГУП|МУП|АНО|НКО|ФГБУ|ФКП|ИП"
_RU_LONG_FORMS = (r"(?:[Оо]бществ\w*\s+с\s+ограниченной\s+ответственностью|"
                  r"(?:(?:[Пп]убличн|[Нн]епубличн|[Зз]акрыт|[Оо]ткрыт)\w*\s+)?[Аа]кционерн\w*\s+обществ\w*|"
                  r"[Гг]осударственн\w*\s+корпораци\w*|[Гг]оскорпораци\w*)")

_ORG_HEADS = ("Department|Ministry|Bank|Reserve|Exchange|Council|Commission|Committee|Agency|"
              "Service|Office|Party|Union|Association|Federation|Organi[sz]ation|Institute|"
              "University|Corporation|Company|Fund|Court|Parliament|Assembly|Board|Authority|"
              "Bureau|Club|Airlines|Airways|Bancorp|Foundation|Army|Police|Academy|Movement|"
              "Consortium|Concern|Shipyard|Plant|Factory|Directorate|Inspectorate|Treasury")
# A day or month name ends an organisation's name: "the Union on Friday",
# "the Bank in March" are a name and a date, not one name.
_TIME_WORD = (r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|"
              r"March|April|May|June|July|August|September|October|November|December)\b)")
_OF_TAIL = (rf"(?:of|for|on)[ \t]+(?:the[ \t]+)?{_TIME_WORD}[A-Z][\w'-]*"
            rf"(?:[ \t]+(?:(?:and|of|in|for)[ \t]+)?{_TIME_WORD}[A-Z][\w'-]*){{0,5}}")

# Rules that match only text holding a Cyrillic letter (Russian legal forms
# and initials): a text without one skips their scan.
# ООО «Ромашка», АО "Концерн", ПАО Сбербанк
_RU_FORM_RULE = re.compile(rf"\b(?:{_RU_FORMS})[ \t]*(?:{_QUOTED}|{_CAP_WORD_RU}(?:[ \t]+{_CAP_WORD_RU}){{0,2}})")
_RU_LONG_FORM_RULE = re.compile(rf"{_RU_LONG_FORMS}[ \t]*{_QUOTED}")
# И. И. Иванов
_RU_INITIALS_RULE = re.compile(r"(?<![\w.])[А-ЯЁ]\.(?:[ ]?[А-ЯЁ]\.){0,3}[ \t]*[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\b")
_CYRILLIC_RULES = frozenset((_RU_FORM_RULE, _RU_LONG_FORM_RULE, _RU_INITIALS_RULE))
_RULES: list[tuple[re.Pattern, str]] = [
    (_RU_FORM_RULE, "ORG"),
    (_RU_LONG_FORM_RULE, "ORG"),
    # JSC Rosneft, LLC "Sfera", OOO Techno Trade
    (re.compile(rf"\b(?:{_EN_PREFIX_FORMS})[ \t]+(?:{_QUOTED}|{_CAP_WORD}(?:[ \t]+{_CAP_WORD}){{0,3}})"), "ORG"),
    # Kontron AG, Acme Trading Co., Ltd, Huawei Technologies Co. Ltd
    (re.compile(rf"\b{_CAP_WORD}(?:[ \t]+(?:{_CAP_WORD}|&|of|de)){{0,4}},?[ \t]+(?:{_EN_SUFFIX_FORMS})(?![\w])"), "ORG"),
    # Names headed by an organisation noun: Commerce Department, Federal Reserve,
    # Ministry of Defence, Organisation for Security and Cooperation in Europe
    (re.compile(rf"(?:{_CAP_WORD}[ \t]+){{1,4}}(?:{_ORG_HEADS})\b(?:[ \t]+{_OF_TAIL})?"
                rf"|\b(?:{_ORG_HEADS})[ \t]+{_OF_TAIL}"), "ORG-HEAD"),
    # Sanctions-list spelling: Given [Patronymic] SURNAME (Aleksandr Viktorovich SIDYAKIN)
    (re.compile(r"\b[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){0,2}[ \t]+[A-Z]{3,}(?:-[A-Z]{2,})?\b(?![ \t]+[A-Z][a-z])"), "PERSON"),
    # Initials and surname: P. Simmons, J.R. Smith (not U.S. Treasury: see _NOT_INITIALS)
    (re.compile(r"(?<![\w.])[A-Z]\.(?:[ ]?[A-Z]\.){0,3}[ \t]+[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b"), "PERSON"),
    (_RU_INITIALS_RULE, "PERSON"),
]
# Sentence-initial words a capitalised-word run may swallow before a legal form.
_LEADING_NOISE = {"Die", "Der", "Das", "Le", "La", "Les", "El", "The", "A", "An", "In", "On", "At", "By", "For", "From", "With", "And", "Of",
                  "To", "As", "But", "Its", "His", "Her", "Their", "That", "This", "While",
                  "When", "After", "Before", "Since", "Both", "Also", "Under", "Via"}
_NOT_INITIALS = {"U.S.", "U.K.", "U.N.", "E.U.", "U.S.A.", "U.A.E.", "N.Y.", "D.C.", "A.M.", "P.M."}
_NOT_SURNAME = {"LLC", "JSC", "PJSC", "OJSC", "CJSC", "OOO", "PLC", "GMBH", "USA", "UAE",
                "NATO", "OSCE", "OFAC", "CHP", "USD", "EUR", "RUB", "CEO", "ООО", "ОАО",
                "ЗАО", "ПАО", "США", "ООН"}


_ORG_HEAD_WORD = re.compile(rf"\b(?:{_ORG_HEADS})\b")


def find_rule_entities(text: str) -> list[Entity]:
    from .entity_checks import name_form_entities, org_head_end

    found: list[Entity] = [Entity(a, b, text[a:b], "ORG", "rule") for a, b in name_form_entities(text)]
    cyrillic = _CYRILLIC.search(text) is not None
    for pattern, kind in _RULES:
        if not cyrillic and pattern in _CYRILLIC_RULES:
            continue
        # Organisation-noun names are a weaker cue than legal forms: "West
        # Bank" is a place, so gazetteers get the first word on those.
        label, source = ("ORG", "org-head") if kind == "ORG-HEAD" else (kind, "rule")
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            if label == "ORG":
                # Drop sentence-initial words swallowed by the capitalised run.
                while True:
                    word = re.match(r"(\S+)\s+", text[start:end])
                    if word and (word.group(1) in _LEADING_NOISE or word.group(1).endswith("-based")):
                        start += word.end()
                    else:
                        break
                if kind == "ORG-HEAD":
                    end = org_head_end(text, start, end, _ORG_HEAD_WORD)
            else:
                head = re.match(r"[^\s]+(?:[ ][A-ZА-ЯЁ]\.)*", text[start:end])
                initials = head.group().replace(" ", "") if head else ""
                if initials in _NOT_INITIALS:
                    continue
                if head and head.group() in _LEADING_NOISE:
                    continue  # "The RCMP", "In OSCE": a function word, not a given name
                last = re.search(r"\S+$", text[start:end])
                surname = last.group() if last else ""
                if surname.split("-")[0] in _NOT_SURNAME or surname in _NOT_SURNAME:
                    continue
            if end - start >= 3:
                found.append(Entity(start, end, text[start:end], label, source))
    return found


# -- all-caps recasing ----------------------------------------------------

_VOWELS = set("aeiouyAEIOUYаеёиоуыэюяАЕЁИОУЫЭЮЯ")
_SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by",
                "with", "from", "as", "vs", "over", "after", "into", "is", "are", "was"}
_LETTER_RUN = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _acronyms() -> frozenset[str]:
    words = {line.strip() for line in (GAZETTEER_DIR / "acronyms.txt").read_text("utf-8").splitlines()
             if line.strip() and not line.startswith("#")}
    return frozenset(words | {"США", "ООН", "ЕС", "РФ", "ОАЭ", "СНГ", "ЕАЭС", "НАТО", "ООО", "ОАО",
                              "ЗАО", "ПАО", "АО", "ФТС", "МИД", "ЦБ", "КНР", "КНДР"})


def _is_caps_line(line: str) -> bool:
    letters = list(filter(str.isalpha, line))  # filter and map: no Python loop per character
    if len(letters) < 4:
        return False
    return sum(map(str.isupper, letters)) >= 0.8 * len(letters)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.ru.stop_words import STOP_WORDS as RU

    return frozenset(EN | RU | _SMALL_WORDS)


def recase_caps(text: str) -> str:
    """Truecase all-caps lines; the result has the same length.

    A word the document also writes in lower case elsewhere, or a stop word,
    is lower-cased ("NAMED AS" -> "named as"); acronyms stay; every other word
    is capitalised, so only likely names look like names to the model
    ("SHEARER NAMED AS ENGLAND CAPTAIN" -> "Shearer named as England captain").
    """
    lines = text.splitlines(keepends=True)
    if not any(_is_caps_line(line) for line in lines):
        return text
    acronyms, stop = _acronyms(), _stop_words()
    common = {w for line in lines if not _is_caps_line(line)
              for w in _LETTER_RUN.findall(line) if w.islower()}
    out: list[str] = []
    for line in lines:
        if not _is_caps_line(line):
            out.append(line)
            continue
        pieces, last, first = [], 0, True
        for m in _LETTER_RUN.finditer(line):
            word = m.group()
            lower = word.lower()
            if word in acronyms or (len(word) >= 3 and not (set(word) & _VOWELS)) or len(word) == 1:
                new = word
            elif lower in common or lower in stop:
                new = word[0] + word[1:].lower() if first else lower
            else:
                new = word[0] + word[1:].lower()
            if len(new) != len(word):  # rare letters whose case forms differ in length
                new = word
            pieces.append(line[last:m.start()] + new)
            last, first = m.end(), False
        pieces.append(line[last:])
        out.append("".join(pieces))
    recased = "".join(out)
    return recased if len(recased) == len(text) else text


# -- models ---------------------------------------------------------------

def english_model():
    """The English spaCy pipeline (``$SANCTIONS_EN_MODEL``) with only its entity
    recogniser; the small model when the configured package is not installed."""
    return _english_model(settings.en_model())


@lru_cache(maxsize=2)
def _english_model(name: str):
    settings.offline_models()
    import warnings

    import spacy

    exclude = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
    with warnings.catch_warnings():
        # en_core_web_md 3.7 declares spaCy <3.8; its entity recogniser loads and
        # scores the same under 3.8 (scripts/eval_ner.py), so the notice is noise.
        warnings.filterwarnings("ignore", message=r".*\[W095\]")
        try:
            nlp = spacy.load(name, exclude=exclude)
        except OSError:
            if name == settings.EN_MODEL_FALLBACK:
                raise
            import sys

            print(f"English model {name!r} is not installed (pip install -e . installs it); "
                  f"using {settings.EN_MODEL_FALLBACK!r}", file=sys.stderr)
            nlp = spacy.load(settings.EN_MODEL_FALLBACK, exclude=exclude)
    nlp.max_length = max(nlp.max_length, CHUNK_CHARS * 2)
    return nlp


@lru_cache(maxsize=1)
def russian_model():
    """natasha's slovnet news NER tagger (navec embeddings), loaded once."""
    settings.offline_models()
    from natasha import NewsEmbedding, NewsNERTagger

    return NewsNERTagger(NewsEmbedding())


_LINE = re.compile(r"[^\n]+")


def segments(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pairs for the model: one per non-blank line, long lines cut.

    Lines, not whole documents, because headlines, table rows and list items
    are separate units: a model shown "SCHEDULE\nATLANTA" as one stream
    happily tags the two lines as one name.
    """
    out: list[tuple[int, str]] = []
    for m in _LINE.finditer(text):
        if m.group().strip():
            out.extend((m.start() + offset, piece) for offset, piece in chunks(m.group(), size))
    return out


def chunks(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering ``text``, cut at line or sentence ends."""
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            window = text[start:end]
            cut = max(window.rfind("\n"), window.rfind(". "))
            if cut > size // 2:
                end = start + cut + 1
        out.append((start, text[start:end]))
        start = end
    return out


# spaCy's tokenizer strips prefixes and suffixes one at a time, so its work
# grows with the square of a token's length ("((((...", a long run of quotes).
# Runs without whitespace longer than this are cut by a space every so many
# characters (same length, so offsets hold); no name is that long.
MAX_TOKEN_CHARS = 64
_LONG_RUN = re.compile(rf"\S{{{MAX_TOKEN_CHARS + 1},}}")


_SURROGATE = re.compile("[\ud800-\udfff]")


def cut_long_runs(text: str) -> str:
    """``text`` with a space every :data:`MAX_TOKEN_CHARS` characters of a long run."""
    def cut(m: re.Match) -> str:
        chars = list(m.group())
        chars[MAX_TOKEN_CHARS::MAX_TOKEN_CHARS + 1] = " " * len(chars[MAX_TOKEN_CHARS::MAX_TOKEN_CHARS + 1])
        return "".join(chars)
    return _LONG_RUN.sub(cut, text)


def _spacy_entities(texts: list[str], batch_size: int = 64) -> list[list[Entity]]:
    nlp = english_model()
    results = []
    shown = (cut_long_runs(text) for text in texts)
    for text, doc in zip(texts, nlp.pipe(shown, batch_size=batch_size)):
        ents = [Entity(e.start_char, e.end_char, text[e.start_char:e.end_char], e.label_)
                for e in doc.ents if e.label_ in LABELS]
        results.append(ents)
    return results


def _natasha_entities(text: str) -> list[Entity]:
    if not text.strip():  # slovnet fails on a text without tokens
        return []
    tagger = russian_model()
    markup = tagger(text)
    return [Entity(s.start, s.stop, text[s.start:s.stop], _NATASHA_LABELS[s.type])
            for s in markup.spans if s.type in _NATASHA_LABELS]


def model_entities(texts: list[str], lang: str, options: NerOptions = NerOptions()) -> list[list[Entity]]:
    """The base model's entities for each text (chunked, offsets mapped back)."""
    if lang not in ("en", "ru"):
        return [[] for _ in texts]
    pieces: list[tuple[int, int, str]] = []  # (text index, offset, piece)
    for index, text in enumerate(texts):
        shown = recase_caps(text) if options.recase_caps else text
        shown = _SURROGATE.sub("\ufffd", shown)  # models encode to UTF-8; same length
        # slovnet reads sentences itself and loses a little without the
        # neighbouring lines (measured on factRuEval), so lines are English-only.
        by_line = options.line_segments and lang == "en"
        split = segments(shown) if by_line else chunks(shown)
        pieces.extend((index, offset, piece) for offset, piece in split)
    if lang == "en":
        found = _spacy_entities([p for _, _, p in pieces])
    else:
        found = [_natasha_entities(p) for _, _, p in pieces]
    from .entity_checks import person_particle_end

    results: list[list[Entity]] = [[] for _ in texts]
    for (index, offset, _), ents in zip(pieces, found):
        original = texts[index]
        for e in ents:
            end = e.end + offset
            if by_line and e.label == "PERSON":
                end = person_particle_end(original, e.start + offset, end)
            spans = clean_span(original, e.start + offset, end, lang) \
                if by_line else [(e.start + offset, end)]
            for start, end in spans:
                results[index].append(Entity(start, end, original[start:end], e.label, e.source))
    return results


_SPACED_DASH = re.compile(r"\s+[-–—]{1,2}\s+")
_LEADING_THE = re.compile(r"(?:the|The|THE)\s+")
_TRAILING_JUNK = re.compile(r"(?:\s*['’]s|\s+\d[\d.,/-]*|\s+[a-z][a-z.]*)$")
# Role nouns a model's span may run into ("European Commission Spokesperson"):
# the person's role, not part of the organisation's name.
_TRAILING_ROLE = re.compile(
    r"\s+(?:[Ss]pokes(?:person|man|woman)|[Oo]fficials|[Cc]hairman|[Cc]hairwoman|CEO)$")


def clean_span(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    """Trim a model span to the name: no leading "the", no trailing 's, numbers
    or lower-case words ("Interfax news agency" -> "Interfax"); split at a
    spaced dash ("Romania - Cosmin Contra"). Returns the pieces left."""
    pieces = []
    cursor = start
    for m in _SPACED_DASH.finditer(text, start, end):
        pieces.append((cursor, m.start()))
        cursor = m.end()
    pieces.append((cursor, end))
    out = []
    for a, b in pieces:
        if lang == "en":
            lead = _LEADING_THE.match(text, a, b)
            if lead:
                a = lead.end()
            while True:
                tail = _TRAILING_JUNK.search(text, a, b) or _TRAILING_ROLE.search(text, a, b)
                if not tail or tail.start() <= a:
                    break
                b = tail.start()
        while a < b and not text[a].isalnum() and text[a] not in "\"«“'(":
            a += 1
        while b > a and text[b - 1] in " \t,;:":
            b -= 1
        if b - a >= 2 or (b > a and text[a].isupper()):
            out.append((a, b))
    return out


# -- combining layers -----------------------------------------------------

def _overlaps(a: Entity, b: Entity) -> bool:
    return a.start < b.end and b.start < a.end


def merge(base: list[Entity], extra: list[Entity], *, override_equal: bool) -> list[Entity]:
    """Add ``extra`` entities to ``base`` (whose spans do not overlap).

    An extra entity goes in where it overlaps nothing, or where it covers every
    entity it overlaps and is longer than them (a gazetteer's "Bank of Russia"
    replaces the model's "Russia"). On an equal span the extra label replaces
    a model's label with ``override_equal``, and always refines LOC to GPE.
    Overlaps are found by binary search, so long listing documents with tens
    of thousands of names stay fast.
    """
    result = sorted(base, key=lambda e: (e.start, e.end))
    starts = [e.start for e in result]
    for item in sorted(extra, key=lambda e: (e.start, -(e.end - e.start))):
        i = bisect_left(starts, item.start)
        lo = i - 1 if i > 0 and result[i - 1].end > item.start else i
        hi = i
        while hi < len(result) and result[hi].start < item.end:
            hi += 1
        hits = [e for e in result[lo:hi] if _overlaps(e, item)]
        if not hits:
            result.insert(i, item)
            starts.insert(i, item.start)
        elif all(item.start <= e.start and e.end <= item.end for e in hits) and \
                (len(hits) > 1 or (hits[0].start, hits[0].end) != (item.start, item.end)):
            result[lo:hi] = [item]
            starts[lo:hi] = [item.start]
        elif len(hits) == 1 and (hits[0].start, hits[0].end) == (item.start, item.end):
            old = hits[0]
            if (override_equal and old.source in ("model", "consistency")) or \
                    (old.label == "LOC" and item.label == "GPE"):
                result[lo] = item
    return result


_CONSISTENT_LABELS = ("PERSON", "ORG", "GPE", "LOC")


_TITLED_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady|President|Senator|Sen|Rep|Governor|Gov|Minister|Premier|"
    r"Chancellor|Secretary|Ambassador|Commissioner|Envoy|Spokesperson|Spokesman|General|Gen|"
    r"Colonel|Col|Judge|Justice|King|Queen|Prince|Princess|Pope|Mayor|Chairman|Director|"
    r"Sheikh|Ayatollah|Patriarch|Marshal|Admiral|Captain|Capt)\.?[ \t]+([A-Z][\w'-]+)")


_COMPANY_TAIL = re.compile(
    r"(?:,?[ \t]+(?:Inc|Corp|Co|Ltd|Cos|Corporation|Company|Companies|Limited|PLC|plc|AG|SA|S\.A|NV|N\.V|BV|"
    r"GmbH|LLC|Group|Holdings?|International|Industries|PJSC|OJSC|JSC)\.?)$")


def short_names(name: str) -> list[str]:
    """The shorter names a company's full name is cut to in running text:
    "Magna International Inc" -> "Magna International", "Magna"."""
    out = []
    current = name
    while True:
        tail = _COMPANY_TAIL.search(current)
        if not tail or tail.start() == 0:
            break
        current = current[:tail.start()].rstrip(" ,&")
        if len(current) >= 3 and current[0].isupper() and current.casefold() not in _stop_words():
            out.append(current)
    return out


def propagate(text: str, entities: list[Entity], lang: str = "en",
              tokens: KeyedTokens | None = None) -> list[Entity]:
    """One label per name in a document, and every mention of it tagged.

    A name's label is its most frequent one, except that a person's surname
    standing alone is that person ("Eyles" after "Rodney Eyles") and names
    from gazetteers or rules keep theirs. Model mentions with another label
    are relabelled; untagged mentions are added. ``tokens`` is
    :func:`keyed_tokens` of ``text``, when the caller has it.
    """
    counts: dict[str, dict[str, int]] = {}
    fixed: dict[str, str] = {}
    surnames: set[str] = set()
    for e in entities:
        if e.label not in _CONSISTENT_LABELS or len(e.text) < 3 or not e.text[0].isupper():
            continue
        if e.source in ("gazetteer", "rule"):
            fixed.setdefault(e.text, e.label)
        counts.setdefault(e.text, {}).setdefault(e.label, 0)
        counts[e.text][e.label] += 1
        words = e.text.split()
        if e.label == "PERSON" and len(words) >= 2 and len(words[-1]) >= 3 and words[-1][0].isupper():
            surnames.add(words[-1])
    labels = {name: max(c, key=lambda label: c[label]) for name, c in counts.items()}
    # News introduces people by full name; a lone capitalised word the model
    # calls a person, with no full name around it, is most often a team,
    # firm or place ("Surrey 320 for 5"), so it is dropped.
    names_in_full = {w for e in entities if e.label == "PERSON" for w in e.text.split()[:-1] or ()} | surnames
    # Russian news names people by surname alone, inflected, so only English.
    # A title before a lone name ("President Clinton") vouches for it.
    titled = {m.group(1) for m in _TITLED_NAME.finditer(text)}
    unsupported = {name for name, label in labels.items() if label == "PERSON" and " " not in name
                   and name not in names_in_full and name not in fixed and name not in titled} \
        if lang == "en" else set()
    entities = [e for e in entities if not (e.source == "model" and e.text in unsupported)]
    for name in unsupported:
        labels.pop(name)
    labels.update({name: "PERSON" for name in surnames if name not in fixed})
    # A model's non-person label on words of a person's full name in the same
    # document is that person ("Wang" after "Wang Donghai": surname first).
    full_names = [f" {name} " for name, label in labels.items() if label == "PERSON" and " " in name]
    labels.update({name: "PERSON" for name, label in labels.items()
                   if label != "PERSON" and name not in fixed and any(f" {name} " in full for full in full_names)})
    # A company named in full once is named by its short form after that
    # ("Magna International Inc" ... "Magna was up 1/8").
    for name, label in list(labels.items()):
        if label == "ORG":
            for alias in short_names(name):
                labels.setdefault(alias, "ORG")
    labels.update(fixed)
    if not labels:
        return entities
    relabelled = [Entity(e.start, e.end, e.text, labels[e.text], "consistency")
                  if e.source == "model" and e.label in _CONSISTENT_LABELS
                  and labels.get(e.text, e.label) != e.label else e for e in entities]
    # Mentions are found with a gazetteer of the document's own names: one
    # pass over the tokens however many names (a regex alternation of
    # thousands of list names would crawl), and Russian inflections match.
    mentions = Gazetteer().extend(labels.items()).find(text, tokens)
    extra = [Entity(m.start, m.end, m.text, m.label, "consistency") for m in mentions]
    return merge(relabelled, extra, override_equal=False)


def drop_unsupported_caps(text: str, entities: list[Entity], gazetteers,
                          found: list[list[Entity]] | None = None) -> list[Entity]:
    """Drop one-word model guesses on all-caps lines that nothing else supports.

    Recasing lets the model see names in headlines, but it also turns
    section labels ("CRICKET -", "SCHEDULE") into names. A one-word guess on
    such a line stays only when it is an acronym, a gazetteer name, or the
    model also tagged it on an ordinary line of the document. ``found`` is
    each gazetteer's names in ``text``, when the caller has them.
    """
    caps_spans = [(m.start(), m.end()) for m in _LINE.finditer(text) if _is_caps_line(m.group())]
    if not caps_spans:
        return entities

    caps_starts = [a for a, _ in caps_spans]

    def on_caps_line(e: Entity) -> bool:
        k = bisect_right(caps_starts, e.start) - 1
        return k >= 0 and e.end <= caps_spans[k][1]

    elsewhere = {_fold(e.text) for e in entities if not on_caps_line(e)}
    if found is None:
        found = [gaz.find(text) for gaz, _ in gazetteers]
    known = {(g.start, g.end) for names in found for g in names}
    acronyms = _acronyms()
    kept = []
    for e in entities:
        single = e.source == "model" and " " not in e.text.strip() and on_caps_line(e)
        if single and not (_fold(e.text) in elsewhere or (e.start, e.end) in known
                           or e.text in acronyms or not (set(e.text) & _VOWELS)):
            continue
        kept.append(e)
    return kept


def _entity_in(text: str, start: int, end: int, label: str, source: str) -> Entity:
    return Entity(start, end, text[start:end], label, source)


def _acronym_org(text: str, e: Entity) -> Entity:
    """A model's PERSON that is a bare acronym becomes an ORG (see
    :func:`nlp.extract.entity_checks.acronym_as_person`)."""
    if e.label != "PERSON" or e.source != "model":
        return e
    from .entity_checks import acronym_as_person

    start = acronym_as_person(text, e.text, e.start)
    return e if start is None else Entity(start, e.end, text[start:e.end], "ORG", "model")


@lru_cache(maxsize=4096)
def _is_country(name: str) -> bool:
    return any(g.start == 0 and g.end == len(name) for g in country_gazetteer().find(name))


def find_entities(text: str, lang: str, *, gazetteer: Gazetteer | None = None,
                  options: NerOptions = NerOptions()) -> list[Entity]:
    """Entities of one text; see :func:`find_entities_batch`."""
    return find_entities_batch([text], lang, gazetteer=gazetteer, options=options)[0]


def find_entities_batch(texts: list[str], lang: str, *, gazetteer: Gazetteer | None = None,
                        options: NerOptions = NerOptions()) -> list[list[Entity]]:
    """Entities of texts in one language ("en" or "ru"; others get gazetteer and rules only).

    ``gazetteer`` adds names (say, :func:`store_gazetteer`) to the built-in ones.
    """
    from .entity_checks import heading_person, sentence_initial
    from .sports_teams import relabel_teams

    base = model_entities(texts, lang, options)
    # The caller's names (sanctioned parties) are matched before the built-in
    # ones, so a listed "Bank of Russia" outranks the place "Russia".
    gazetteers = [(g, strong) for g, strong in
                  ((gazetteer, False), (country_gazetteer(), True), (region_gazetteer(), True),
                   (organisation_gazetteer(), True), (builtin_gazetteer(), False))
                  if g is not None] if options.gazetteer else []
    results = []
    for text, entities in zip(texts, base):
        # Every gazetteer reads the same tokens, and each one's names serve
        # both the all-caps check and the merge.
        tokens = keyed_tokens(text)
        names = [gaz.find(text, tokens) for gaz, _ in gazetteers]
        if options.recase_caps:
            entities = drop_unsupported_caps(text, entities, gazetteers, names)
        rules = find_rule_entities(text) if options.rules else []
        entities = merge(entities, [e for e in rules if e.source == "rule"], override_equal=True)
        for (gaz, strong), found in zip(gazetteers, names):
            if gaz is gazetteer:
                # One-word list names ("Sovcomflot") are trusted mid-sentence
                # only: a capitalised first word may be an ordinary one.
                found = [g for g in found if " " in g.text or not sentence_initial(text, g.start)]
            entities = merge(entities, found, override_equal=strong)
        entities = merge(entities, [e for e in rules if e.source == "org-head"], override_equal=True)
        if options.consistency:
            entities = propagate(text, entities, lang, tokens)
        if options.rules and lang == "en":
            entities = relabel_teams(text, entities, is_country=_is_country,
                                     make=partial(_entity_in, text))
        entities = [e for e in entities if not (e.label == "PERSON" and heading_person(text, e.text, e.start, e.end))]
        entities = [_acronym_org(text, e) for e in entities]
        results.append(entities)
    return results
