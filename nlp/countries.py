"""Countries and country groups: one resolver for every stage.

What it does: turns a country label as it appears in a trade table, a list, a
query filter or a sentence ("KZ", "KAZ", "Kazakhstan", "Kazakh buyers",
"Казахстана", "РФ", "страны ЕС", "the bloc", "EU27") into a :class:`Country`
with an ISO 3166-1 alpha-2 code, or an aggregate code (``EU27``, ``EAEU``,
``CIS``, ``WORLD`` ...) whose members are listed; and finds country mentions
in running English and Russian text with their offsets.

Where the names come from: CLDR territory names in English, Russian, German,
French, Lithuanian and Kyrgyz (Babel; trade tables mix label languages),
OpenSanctions' territory data (rigour) for official and historical names,
and three data files in ``nlp/data/countries/``: ``aliases.tsv`` (official,
statistical and everyday spellings the libraries miss), ``aggregates.yaml``
(groups and their members) and ``demonyms.tsv`` (adjectives such as "Kazakh",
«казахстанский»).

What it does not do: decide what role a country plays in a sentence
(reporter, partner, transit: that is claim framing), or geocode cities and
regions (``resolve("Almaty")`` is ``None``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

DATA_DIR = Path(__file__).parent / "data" / "countries"

CountryKind = Literal["country", "aggregate"]
MentionForm = Literal["name", "code", "demonym"]


@dataclass(frozen=True)
class Country:
    """A country (ISO alpha-2 code) or a named group of countries."""

    code: str
    name: str
    name_ru: str
    kind: CountryKind = "country"
    members: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "name_ru": self.name_ru,
                "kind": self.kind, "members": list(self.members)}


@dataclass(frozen=True)
class CountryMention:
    """A country named in running text, with character offsets."""

    start: int
    end: int
    text: str
    country: Country
    form: MentionForm = field(default="name")

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text,
                "code": self.country.code, "form": self.form}


# -- label normalisation ------------------------------------------------------

# Cyrillic texts typed with Latin look-alikes ("Китaй" with a Latin "a").
_LATIN_TO_CYRILLIC = str.maketrans("aceopxyAEKMHOPCTXB", "асеорхуАЕКМНОРСТХВ")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_PARENS = re.compile(r"\s*\([^)]*\)")
_FOOTNOTE = re.compile(r"(\s+\d{1,2}|\*+)$")


def normalise_label(label: str) -> str:
    """Lookup key for a country label; every name table goes through the same steps."""
    text = unicodedata.normalize("NFC", " ".join(str(label).split()))
    if _CYRILLIC.search(text):
        text = text.translate(_LATIN_TO_CYRILLIC)
        # CLDR abbreviates "острова"/"остров" as "о-ва"/"о-в".
        text = re.sub(r"(?i)\bострова\b", "о-ва", text)
        text = re.sub(r"(?i)\bостров\b", "о-в", text)
    else:
        # "Egypte"/"Égypte", "Iles"/"Îles": compare Latin labels without accents.
        text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    text = text.casefold().replace("ё", "е").replace("’", "'").replace("&", " and ")
    text = re.sub(r"\bst\.?\s", "saint ", text)
    text = _FOOTNOTE.sub("", text).strip(" :.*")
    text = re.sub(r"(?<=\w)-(?=\w)", " ", text)  # "Timor-Oriental" = "Timor oriental"
    return " ".join(text.split())


# -- reference tables ---------------------------------------------------------

def _read_tsv(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, value = line.partition("\t")
        rows.append((key.strip(), value.strip()))
    return rows


@lru_cache(maxsize=1)
def _aggregates() -> dict[str, Country]:
    raw = yaml.safe_load((DATA_DIR / "aggregates.yaml").read_text(encoding="utf-8"))
    return {code: Country(code=code, name=spec["name"], name_ru=spec["name_ru"], kind="aggregate",
                          members=tuple(spec.get("members") or ()))
            for code, spec in raw.items()}


_NOT_PLACES = frozenset({"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"})


@lru_cache(maxsize=1)
def _countries() -> dict[str, Country]:
    """ISO alpha-2 code -> Country with CLDR English and Russian names."""
    from babel import Locale

    english, russian = Locale("en").territories, Locale("ru").territories
    table = {}
    for code, name in english.items():
        if len(code) == 2 and code.isalpha() and code not in _NOT_PLACES:
            table[code] = Country(code=code, name=name, name_ru=russian.get(code, name))
    table.setdefault("XK", Country(code="XK", name="Kosovo", name_ru="Косово"))
    return table


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Normalised name -> code, from CLDR (several languages) and the alias file."""
    from babel import Locale

    names: dict[str, str] = {}
    short: dict[str, set[str]] = {}
    # Later locales win clashes, so English names come last.
    for locale in ("de", "fr", "ky", "lt", "ru", "en"):
        for code, name in Locale(locale).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_PLACES:
                names[normalise_label(name)] = code
                short.setdefault(normalise_label(_PARENS.sub("", name)), set()).add(code)
    # Names without their bracket ("Виргинские о-ва (США)") only where that
    # leaves them unambiguous (not for the British and US Virgin Islands).
    for key, codes in short.items():
        if len(codes) == 1:
            names.setdefault(key, next(iter(codes)))
    for alias, code in _read_tsv(DATA_DIR / "aliases.tsv"):
        names[normalise_label(alias)] = code
    return names


@lru_cache(maxsize=1)
def _iso3_to_iso2() -> dict[str, str]:
    from babel.core import get_global

    table = {}
    for alias, targets in get_global("territory_aliases").items():
        if len(alias) == 3 and alias.isalpha() and len(targets) == 1:
            table[alias.upper()] = targets[0]
    return table


@lru_cache(maxsize=1)
def _demonyms() -> tuple[dict[str, str], dict[str, str]]:
    """(English demonym -> code, Russian adjective stem -> code)."""
    english: dict[str, str] = {}
    russian: dict[str, str] = {}
    for word, code in _read_tsv(DATA_DIR / "demonyms.tsv"):
        (russian if _CYRILLIC.search(word) else english)[word.casefold()] = code
    return english, russian


# -- resolving one label ------------------------------------------------------

def get(code: str) -> Country | None:
    """The Country for a code this module issues (ISO alpha-2 or aggregate)."""
    return _countries().get(code) or _aggregates().get(code)


def all_countries() -> list[Country]:
    """Every country this module knows (not the groups), by code."""
    return sorted(_countries().values(), key=lambda c: c.code)


def name_of(code: str, lang: str = "en") -> str:
    """Display name of a code; the code itself when unknown."""
    country = get(code)
    if country is None:
        return code
    return country.name_ru if lang == "ru" else country.name


def members_of(code: str) -> tuple[str, ...]:
    """Member codes of an aggregate; a country is its own only member."""
    country = get(code)
    if country is None:
        return ()
    return country.members if country.kind == "aggregate" else (country.code,)


_RU_NOUN_ENDINGS = ("иями", "ами", "ов", "ией", "ии", "ию", "ия", "ой", "ою", "ей", "ем", "ом", "ам", "ах",
                    "ы", "и", "е", "у", "ю", "а", "я", "ь")
_RU_ADJ_ENDINGS = ("ими", "ыми", "ого", "ему", "ому", "ая", "яя", "ое", "ее", "ой", "ей",
                   "ую", "юю", "ий", "ый", "ие", "ые", "их", "ых", "им", "ым", "ом", "ем")


@lru_cache(maxsize=8192)
def _lookup_key(key: str) -> str | None:
    """Code for a normalised label, trying the forms tables and lists use."""
    names = _names()
    # Most specific first: the label, without brackets (also unbalanced
    # ones), "Korea, Republic of" reordered, punctuation dropped, a leading
    # "Republic of"; the bare head before a comma only last ("Congo,
    # Democratic Republic of" must not become "Congo").
    base = _PARENS.sub("", key).strip()
    candidates = [key, base, re.sub(r"\s*\(.*$", "", key).strip()]
    head = tail = ""
    if "," in base:  # "Korea, Republic of" / "Молдова, Республика"
        head, _, tail = (part.strip() for part in base.partition(","))
        candidates.append(f"{tail} {head}")
    candidates.append(re.sub(r"[^\w' ]", " ", base))
    candidates.append(re.sub(r"^(republic of|the|республика)\s+", "", base))
    if head and not re.search(r"democratic|демократическ|democratique", tail):
        candidates.append(head)
    for candidate in candidates:
        candidate = " ".join(candidate.split())
        if candidate in names:
            return names[candidate]
    # What is inside the brackets: "Belarus (Belorussia)", "(Russia)".
    for inner in re.findall(r"\(([^)]*)\)", key):
        if inner.strip() in names:
            return names[inner.strip()]
    return None


def _russian_nominative(key: str) -> str | None:
    """A one-word Russian name in an oblique case back to a known name
    ("казахстана" -> "казахстан", "россии" -> "россия", "армению" -> "армения")."""
    names = _names()
    if " " in key or not _CYRILLIC.search(key):
        return None
    for ending in _RU_NOUN_ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= 3:
            stem = key[: -len(ending)]
            for nominative in (stem, stem + "ия", stem + "а", stem + "я", stem + "ь", stem + "и", stem + "й"):
                if nominative in names:
                    return names[nominative]
    return None


def _russian_phrase_nominative(key: str) -> str | None:
    """A several-word Russian name in an oblique case ("Южной Кореи",
    "Объединенных Арабских Эмиратов") back to a known name."""
    import itertools

    words = key.split()
    if len(words) < 2 or len(words) > 4 or not _CYRILLIC.search(key):
        return None
    options: list[list[str]] = []
    for i, word in enumerate(words):
        forms = {word}
        endings = _RU_NOUN_ENDINGS if i == len(words) - 1 else _RU_ADJ_ENDINGS
        for ending in endings:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                stem = word[: -len(ending)]
                extra = ("", "ия", "а", "я", "ь", "и", "й", "ы") if i == len(words) - 1 \
                    else ("ая", "ий", "ый", "ое", "ые", "ие")
                forms.update(stem + e for e in extra)
        options.append(sorted(forms))
    names = _names()
    for combo in itertools.islice(itertools.product(*options), 5000):
        code = names.get(" ".join(combo))
        if code:
            return code
    return None


def _demonym_code(key: str) -> str | None:
    english, russian = _demonyms()
    word = re.sub(r"('s|s)$", "", key) if not _CYRILLIC.search(key) else key
    if key in english:
        return english[key]
    if word in english:
        return english[word]
    words = key.split()
    # "Kazakh buyers", "European exporters": a demonym followed by a noun.
    if words and not _CYRILLIC.search(key):
        for n in (2, 1):
            if len(words) >= n and " ".join(words[:n]) in english:
                return english[" ".join(words[:n])]
    if _CYRILLIC.search(key):
        first = words[0] if words else key
        for ending in _RU_ADJ_ENDINGS:
            if first.endswith(ending) and first[: -len(ending)] in russian:
                return russian[first[: -len(ending)]]
    return None


@lru_cache(maxsize=16384)
def code_of(label: Any) -> str | None:
    """ISO alpha-2 or aggregate code for a label, or None when it names no country.

    Accepts codes ("KZ", "KAZ"; Eurostat's "EL" for Greece, "UK"), names in
    English, Russian and the other label languages of trade tables, oblique
    Russian cases, demonyms and group names ("EU27", "страны ЕС", "the bloc").
    """
    if label is None:
        return None
    raw = " ".join(str(label).split()).strip(" .,;:\"'«»“”")
    if not raw:
        return None
    if re.fullmatch(r"[A-Za-z]{2}", raw) and raw.isupper():
        code = {"EL": "GR", "UK": "GB"}.get(raw, raw)
        if code in _countries():
            return code
    if re.fullmatch(r"[A-Z]{3}", raw) and raw in _iso3_to_iso2():
        return _iso3_to_iso2()[raw]
    if raw in _aggregates():
        return raw
    key = normalise_label(raw)
    if key.startswith(("european union", "union europeenne", "europaische union", "eu27", "eu 27")):
        return "EU27"
    for finder in (_lookup_key, _russian_nominative, _russian_phrase_nominative, _demonym_code):
        found = finder(key)
        if found:
            return found
    try:
        from rigour.territories import lookup_territory

        territory = lookup_territory(raw)
    except Exception:  # rigour's tables are optional here; the others decide
        territory = None
    if territory is not None and territory.is_country and len(territory.code) == 2:
        code = territory.code.upper()
        return code if code in _countries() else None
    return None


def resolve(label: Any) -> Country | None:
    """The Country a label names, or None."""
    code = code_of(label)
    return get(code) if code else None


# -- mentions in running text -------------------------------------------------

# Abbreviations that are safe to read as countries in running text (ISO codes
# in general are not: "IN", "IT", "AM", "ME" are words).
_TEXT_ABBREVIATIONS = {"US": "US", "USA": "US", "U.S.": "US", "UK": "GB", "U.K.": "GB",
                       "EU": "EU27", "EU27": "EU27", "EU-27": "EU27", "UAE": "AE", "PRC": "CN",
                       "DPRK": "KP", "EAEU": "EAEU", "CIS": "CIS", "РФ": "RU", "США": "US",
                       "КНР": "CN", "ОАЭ": "AE", "ЕС": "EU27", "ЕАЭС": "EAEU", "СНГ": "CIS",
                       "КНДР": "KP", "ЮАР": "ZA"}


@lru_cache(maxsize=1)
def _text_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(names, abbreviations, demonyms) patterns for running text."""
    latin: set[str] = set()
    cyrillic: set[str] = set()
    for key, code in _names().items():
        if get(code) is None or len(key) < 4 or any(ch.isdigit() for ch in key):
            continue
        (cyrillic if _CYRILLIC.search(key) else latin).add(key)
    for country in _countries().values():
        latin.add(normalise_label(country.name))
    latin_alt = "|".join(re.escape(k).replace(r"\ ", r"[\s\-]+") for k in sorted(latin, key=len, reverse=True))
    # Russian names in any case: strip a final vowel/soft sign and allow endings.
    noun_endings = "(?:" + "|".join(_RU_NOUN_ENDINGS + ("й",)) + ")?"
    adjective_endings = "(?:" + "|".join(_RU_ADJ_ENDINGS) + ")"
    stems = set()
    for key in cyrillic:
        words = key.split()
        inflected = []
        for word in words[:-1]:  # "Южная Корея" -> "Южной Кореи"
            adjective = next((e for e in _RU_ADJ_ENDINGS if word.endswith(e) and len(word) > len(e) + 2), None)
            inflected.append(re.escape(word[: -len(adjective)]) + adjective_endings if adjective
                             else re.escape(word))
        last = words[-1]
        stem = re.sub(r"(ия|ья|а|я|ь|ы|и|й)$", "", last) if len(last) > 4 else last
        inflected.append(re.escape(stem) + noun_endings)
        stems.add(r"\s+".join(inflected))
    cyr_alt = "|".join(sorted(stems, key=len, reverse=True))
    names = re.compile(rf"(?<![\w\-])(?:(?i:{latin_alt})|(?i:{cyr_alt}))(?![\w\-])")
    abbreviations = re.compile(r"(?<![\w.\-])(?:" + "|".join(
        re.escape(a) for a in sorted(_TEXT_ABBREVIATIONS, key=len, reverse=True)) + r")(?![\w\-])")
    english, russian = _demonyms()
    eng = "|".join(re.escape(w) for w in sorted(english, key=len, reverse=True) if w not in ("eu", "eu27"))
    rus = "|".join(re.escape(w) for w in sorted(russian, key=len, reverse=True))
    demonyms = re.compile(rf"(?<![\w\-])(?:(?i:{eng})(?:s|'s|’s)?|(?i:{rus})(?:{'|'.join(_RU_ADJ_ENDINGS)}))(?![\w\-])")
    return names, abbreviations, demonyms


def find_countries(text: str, *, demonyms: bool = True) -> list[CountryMention]:
    """Country and group mentions in English or Russian running text, by offset.

    Latin names must start with a capital letter ("Turkey", not "turkey";
    "Chad" the country is still read as the country). Overlaps keep the
    longest mention.
    """
    names, abbreviations, demonym_pattern = _text_patterns()
    found: list[CountryMention] = []
    patterns: list[tuple[re.Pattern[str], MentionForm]] = [(names, "name"), (abbreviations, "code")]
    if demonyms:
        patterns.append((demonym_pattern, "demonym"))
    for pattern, form in patterns:
        for m in pattern.finditer(text):
            surface = m.group(0)
            if form != "code" and surface[:1].islower() and not _CYRILLIC.search(surface[:1]) \
                    and not surface.casefold().startswith("the bloc"):
                continue
            if form == "name" and _CYRILLIC.search(surface[:1]) and surface[:1].islower():
                continue
            code = _TEXT_ABBREVIATIONS.get(surface) if form == "code" else code_of(surface)
            country = get(code) if code else None
            if country is not None:
                found.append(CountryMention(m.start(), m.end(), surface, country, form))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[CountryMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept
