"""Country labels of trade tables -> ISO 3166 alpha-2 codes or aggregate codes.

CLDR territory names in English, Russian, Lithuanian and Kyrgyz (Babel) plus a
short alias list; aggregates (``WORLD``, ``EU27``, ``CIS``, ``EAEU``, ...) get
stable codes; anything else is ``ZZ`` (ISO's "unknown").

What it does not do: read files or build facts.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

# -- countries ---------------------------------------------------------------

AGGREGATES: dict[str, str] = {
    # WORLD: all partners together.
    "world": "WORLD", "total": "WORLD", "all countries": "WORLD", "всего": "WORLD",
    "весь мир": "WORLD", "бардыгы": "WORLD", "итого": "WORLD", "мир": "WORLD",
    "all partners": "WORLD", "extra eu": "EXTRA_EU27", "extra-eu": "EXTRA_EU27",
    # The Union. NSC/BNS "EU" rows are the Union as composed in each year; the
    # label is kept, the code says "the EU aggregate".
    "eu27": "EU27", "eu": "EU27", "the eu": "EU27", "european union": "EU27",
    "ес": "EU27", "страны ес": "EU27", "евросоюз": "EU27", "европейский союз": "EU27",
    "eu27_2020": "EU27", "европос бирлиги": "EU27",
    # Other groups: not ISO countries; short stable codes.
    "cis": "CIS", "cis countries": "CIS", "снг": "CIS", "страны снг": "CIS", "кмш": "CIS",
    "кмш өлкөлөрү": "CIS", "out of cis countries": "NON_CIS", "вне снг": "NON_CIS",
    "eaeu": "EAEU", "еаэс": "EAEU", "страны еаэс": "EAEU", "еаэб": "EAEU",
    "страны вне еаэс": "CIS_NON_EAEU", "sco": "SCO", "шос": "SCO",
    "europe": "EUROPE", "европа": "EUROPE", "asia": "ASIA", "азия": "ASIA",
    "africa": "AFRICA", "африка": "AFRICA", "america": "AMERICA", "америка": "AMERICA",
    "oceania": "OCEANIA", "океания": "OCEANIA", "australia and oceania": "OCEANIA",
    "австралия и океания": "OCEANIA", "остальные страны мира": "REST_OF_WORLD",
    "other countries": "REST_OF_WORLD", "undefined country": "ZZ", "unknown country": "ZZ",
    "euro area": "EURO_AREA", "intra-eu27": "INTRA_EU27", "intra-ue27": "INTRA_EU27",
    "extra-ue27": "EXTRA_EU27", "страны вне ес": "NON_EU", "extra-eu27": "EXTRA_EU27",
    "неопределенная страна": "ZZ",
}

# Official or statistical spellings that CLDR's short names miss.
COUNTRY_ALIASES: dict[str, str] = {
    "russian federation": "RU", "russia": "RU", "российская федерация": "RU", "рф": "RU",
    "korea republic of": "KR", "republic of korea": "KR", "korea rep": "KR", "korea south": "KR",
    "корея республика": "KR", "республика корея": "KR",
    "korea democratic people's republic of": "KP", "north korea": "KP", "кндр": "KP",
    "iran islamic republic of": "IR", "iran": "IR", "moldova republic of": "MD",
    "republic of moldova": "MD", "united states of america": "US", "usa": "US", "сша": "US",
    "viet nam": "VN", "vietnam": "VN", "turkey": "TR", "türkiye": "TR", "turkiye": "TR",
    "czech republic": "CZ", "чешская республика": "CZ", "чехия": "CZ",
    "united kingdom": "GB", "great britain": "GB", "uk": "GB", "великобритания": "GB",
    "china": "CN", "китай": "CN", "кнр": "CN", "hong kong": "HK", "china hong kong sar": "HK",
    "macao": "MO", "china macao sar": "MO", "taiwan": "TW", "taipei chinese": "TW",
    "other asia nes": "TW",
    "lao people's democratic republic": "LA", "laos": "LA", "syrian arab republic": "SY",
    "bolivia plurinational state of": "BO", "venezuela bolivarian republic of": "VE",
    "tanzania united republic of": "TZ", "united republic of tanzania": "TZ",
    "congo democratic republic of": "CD", "democratic republic of the congo": "CD",
    "congo dem rep of the": "CD", "congo": "CG", "cote d'ivoire": "CI", "côte d'ivoire": "CI",
    "ivory coast": "CI", "north macedonia": "MK", "macedonia": "MK",
    "former yugoslav republic of macedonia": "MK", "eswatini": "SZ", "swaziland": "SZ",
    "myanmar": "MM", "burma": "MM", "cabo verde": "CV", "cape verde": "CV",
    "kyrgyz republic": "KG", "kyrgyzstan": "KG", "киргизия": "KG", "кыргызстан": "KG",
    "belorussia": "BY", "белоруссия": "BY", "беларусь": "BY",
    "palestine": "PS", "occupied palestinian territory": "PS", "state of palestine": "PS",
    "vatican city state": "VA", "holy see": "VA", "micronesia federated states of": "FM",
    "saint helena": "SH", "falkland islands": "FK", "faroe islands": "FO",
    "bosnia and herzegovina": "BA", "босния и герцеговина": "BA",
    "serbia": "RS", "kosovo": "XK", "косово": "XK", "curacao": "CW", "curaçao": "CW",
    "brunei darussalam": "BN", "timor-leste": "TL", "east timor": "TL",
    "the netherlands": "NL", "netherlands": "NL", "нидерланды": "NL", "голландия": "NL",
    "eastern samoa": "AS", "american samoa": "AS", "восточное самоа": "AS",
    "юар": "ZA", "южно-африканская республика": "ZA", "оаэ": "AE",
    "объединенные арабские эмираты": "AE", "united arab emirates": "AE",
    "papua-new guinea": "PG", "папуа-новая гвинея": "PG", "уоллис и футуна": "WF",
    "gaza and jericho": "PS", "greenland": "GL", "gibraltar": "GI",
    "heard island and mcdonald islands": "HM", "bouvet island": "BV",
    "saint pierre and miquelon": "PM", "wallis and futuna": "WF",
    "french southern territories": "TF", "british indian ocean territory": "IO",
    "us minor outlying islands": "UM", "united states minor outlying islands": "UM",
    "соединенное королевство": "GB", "соединенные штаты америки": "US", "гонконг": "HK",
    "макао": "MO", "македония": "MK", "мьянма": "MM", "сейшелы": "SC", "бермуды": "BM",
    "czech rep": "CZ", "bosnia herzegovina": "BA", "libyan arab jamahiriya": "LY", "monako": "MC",
    "korea dpr of": "KP", "faeroe islands": "FO", "american saoma": "AS", "reunion": "RE",
    "wallis and futuna islands": "WF", "svalbard and jan mayen islands": "SJ",
    "cote d' ivoire": "CI", "west bank and gaza": "PS", "палестина государство": "PS",
    "каймановы острова": "KY", "острова кука": "CK", "острова теркс и кайкос": "TC",
    "коморские острова": "KM", "виргинские острова (брит.)": "VG", "аландские острова": "AX",
    "виргинские острова, сша": "VI", "virgin islands, united states": "VI",
    "united states virgin islands": "VI", "iles vierges des etats unis": "VI",
    "china (sar hong kong)": "HK", "macau": "MO", "car": "CF",
    "democratic republic of congo": "CD", "republique democratique du congo": "CD",
    "congo democratic republic of": "CD", "демократическая республика конго": "CD", "конго": "CG",
    "южная африка": "ZA", "сирийская арабская республика": "SY", "сирия": "SY",
    "лаосская народно-демократическая республика": "LA", "бруней-даруссалам": "BN",
    "korea dprk": "KP", "dprk": "KP", "saint vincent and the grenadines": "VC", "sar-hong kong": "HK",
    "taiwan china province": "TW", "bostwana": "BW", "burkino faso": "BF", "zaire": "CD",
    "sakartvelas": "GE", "uk": "GB", "pitcairn": "PN", "питкерн": "PN", "токелау": "TK", "tokelau": "TK",
}

# Cyrillic texts typed with Latin look-alikes ("Китaй" with a Latin "a").
_LATIN_TO_CYRILLIC = str.maketrans("aceopxyAEKMHOPCTXB", "асеорхуАЕКМНОРСТХВ")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_PARENS = re.compile(r"\s*\([^)]*\)")
_FOOTNOTE = re.compile(r"(\s+\d{1,2}|\*+)$")


def _norm_label(label: str) -> str:
    """Lookup key for a country label; CLDR names go through the same steps."""
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


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Normalised territory name -> ISO2 from CLDR (en, ru, lt, ky) + aliases."""
    from babel import Locale

    names: dict[str, str] = {}
    short: dict[str, set[str]] = {}
    # French and German too: Comext exports mix label languages.
    for locale in ("de", "fr", "ky", "lt", "ru", "en"):  # later (English) names win clashes
        for code, name in Locale(locale).territories.items():
            if len(code) == 2 and code.isalpha() and code not in ("EU", "EZ", "UN", "ZZ", "QO"):
                names[_norm_label(name)] = code
                short.setdefault(_norm_label(_PARENS.sub("", name)), set()).add(code)
    # Names without their bracket ("Виргинские о-ва (США)") only where that
    # leaves them unambiguous (not for the British and US Virgin Islands).
    for key, codes in short.items():
        if len(codes) == 1:
            names.setdefault(key, next(iter(codes)))
    for alias, code in COUNTRY_ALIASES.items():
        names[_norm_label(alias)] = code
    return names


@lru_cache(maxsize=1)
def _aggregates() -> dict[str, str]:
    return {_norm_label(label): code for label, code in AGGREGATES.items()}


@lru_cache(maxsize=1)
def _iso2_codes() -> frozenset[str]:
    return frozenset(_country_names().values())


@lru_cache(maxsize=1)
def _iso3_to_iso2() -> dict[str, str]:
    from babel.core import get_global

    table = {}
    for alias, targets in get_global("territory_aliases").items():
        if len(alias) == 3 and alias.isalpha() and len(targets) == 1:
            table[alias.upper()] = targets[0]
    return table


@lru_cache(maxsize=4096)
def country_code(label: Any) -> str:
    """ISO2 code, aggregate code (WORLD, EU27, CIS, ...) or ``ZZ`` for a label."""
    if label is None:
        return "ZZ"
    raw = " ".join(str(label).split())
    if not raw:
        return "ZZ"
    if re.fullmatch(r"[A-Z]{2}", raw):
        # Eurostat writes Greece as EL; "UK" is common for GB.
        code = {"EL": "GR", "UK": "GB"}.get(raw, raw)
        if code in _iso2_codes():
            return code
    if re.fullmatch(r"[A-Z]{3}", raw) and raw in _iso3_to_iso2():
        return _iso3_to_iso2()[raw]
    key = _norm_label(raw)
    if key.startswith(("european union", "union europeenne", "europaische union", "eu27", "eu 27")):
        return "EU27"
    names = _country_names()
    # Most specific first: the label, without brackets (also unbalanced
    # ones: "United States (incl. Navassa Island (part of 'UM') ...)"),
    # "Korea, Republic of" reordered, punctuation dropped, a leading
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
        if candidate in _aggregates():
            return _aggregates()[candidate]
        if candidate in names:
            return names[candidate]
    # "Parenthesised" official name: "Belarus (Belorussia)" tried above; also
    # try what is inside the brackets ("(Russia)").
    for inner in re.findall(r"\(([^)]*)\)", key):
        if inner.strip() in names:
            return names[inner.strip()]
    return "ZZ"
