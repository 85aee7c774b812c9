"""Trade-statistics readers: spreadsheets and CSV exports to ``TradeFact`` records.

Each reader turns one statistics file into :class:`~nlp.records.TradeFact`
records (one per numeric observation) plus ONE ``trade_table`` Document whose
text is a short generated description of the file (title, reporters,
partners, products, periods, units, counts). Facts carry ``location`` =
``"sheet!row"`` (or ``"csv!line"``) so every figure can be traced back.

Shapes handled (sniffed from header lines / workbook sheet names, so renamed
files still work):

* Eurostat Comext spreadsheet exports (one sheet per CN8 product, reporter x
  partner rows, one column per month; ``:`` = not available -> no fact) and the
  derived ``partner, reporter, month, sanctioned_export`` table;
* Comext CSV "relational view" exports (``REPORTER,PARTNER,PRODUCT,FLOW,...``);
* UN Comtrade-style CSV (``period, reporter, partner_iso, commodity_code,
  trade_flow, trade_value_us ...``), the Armenian re-export estimates, the
  official re-export series and the by-country table (unit not stated);
* Kazakhstan BNS bulletin (old ``.xls``, thousand USD, partner rows) and the
  BNS monthly total-exports CSV;
* Kyrgyz NSC trilingual yearly tables (thousand USD or thousand soms);
* Russian FTS tables: monthly trade with main partners (million USD), key
  imported goods by TN VED code (January 2022), trade by HS chapter, by
  country group and by commodity group (billion USD); IMF IMTS wide CSV;
* a documented generic long CSV (``reporter, partner, flow, product_code,
  period, value, currency`` [``code_system, quantity, quantity_unit,
  product_label, scale``]) for project-written samples (docs/ingest_trade.md).

What it does not do: it does not convert currencies, does not reconcile
mirror statistics, and keeps growth-rate and share columns out of the facts.
Country names become ISO 3166 alpha-2 codes through CLDR territory names in
English, Russian, Lithuanian and Kyrgyz (Babel, already a dependency of
dateparser) plus a short alias list; recognised aggregates get ``WORLD``,
``EU27`` or a group code (``CIS``, ``EAEU``, ``SCO``, ``EUROPE``, ``ASIA``,
...); anything else gets ``ZZ`` (ISO's "unknown") with the printed label kept
in ``partner_label`` and counted in the Document's ``meta``.

Libraries: openpyxl (``read_only=True``, ``iter_rows(values_only=True)``:
streaming) for ``.xlsx``; for the big Comext exports only, the stdlib's C
ElementTree ``iterparse`` over the sheet XML (same rows, a third of the CPU
time; see :func:`_xlsx_sheets_fast`); xlrd for BIFF ``.xls``; the stdlib
``csv`` module for CSV.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..records import Document, ReadResult, TextBuilder, TradeFact, content_id
from .registry import ReadError, reader, suffix
from .textutil import decode_text

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


# -- values, periods, flows --------------------------------------------------

SCALES = {"thousand": 1e3, "тыс": 1e3, "миң": 1e3, "million": 1e6, "millions": 1e6,
          "млн": 1e6, "миллион": 1e6, "billion": 1e9, "млрд": 1e9, "миллиард": 1e9}
_MONTHS_EN = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_MONTHS_RU = {m: i for i, m in enumerate(
    ["январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр",
     "ноябр", "декабр"], 1)}


def to_number(cell: Any) -> float | None:
    """A cell as a number, or None for blanks, ':' , '-', '...' and text."""
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        return float(cell)
    text = str(cell).strip().replace("\u00a0", "").replace(" ", "")
    if not text or text in (":", "-", "–", "—", "...", "…", "x", "X", "NA", "n/a"):
        return None
    text = text.rstrip("%")
    # "1376,4" (NSC tables) is a decimal comma; "1,234" and "1,234,567" are
    # thousands separators.
    if re.fullmatch(r"-?\d+,(\d{1,2}|\d{4,})", text):
        text = text.replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def scaled(value: float, scale: float) -> float:
    # 15 significant digits drop the binary noise of multiplying out
    # (23324.600000000002 * 1e6) without touching real digits.
    return float(f"{value * scale:.15g}")


def unit_note(scale: float, currency: str | None) -> str:
    word = {1e3: "thousand", 1e6: "million", 1e9: "billion"}.get(scale)
    unit = currency or "(currency not stated)"
    return f"source in {word} {unit}, multiplied out" if word else f"source in {unit}"


def scale_of(text: str) -> float:
    low = text.casefold()
    for word, factor in SCALES.items():
        if re.search(rf"(?<!\w){word}", low):
            return factor
    return 1.0


def currency_of(text: str) -> str | None:
    low = text.casefold()
    if re.search(r"долл|dollar|usd|доллар", low):
        return "USD"
    if re.search(r"euro|eur\b|евро", low):
        return "EUR"
    if re.search(r"сом|soms?\b", low):
        return "KGS"
    return None


def flow_of(text: Any) -> str | None:
    low = str(text or "").casefold().strip()
    if not low:
        return None
    if "re-export" in low or "reexport" in low or "реэкспорт" in low or low in ("rx", "re"):
        return "re-export"
    if "re-import" in low or "reimport" in low or "реимпорт" in low or low == "rm":
        return "re-import"
    if "export" in low or "экспорт" in low or low in ("x", "2", "exports"):
        return "export"
    if "import" in low or "импорт" in low or low in ("m", "1", "mg"):
        return "import"
    return None


def period_of(value: Any) -> str | None:
    """``YYYY-MM`` or ``YYYY`` from the many ways these files write periods."""
    if isinstance(value, (datetime, date)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, (int, float)) and 1900 <= value <= 2100 and float(value).is_integer():
        return f"{int(value):04d}"
    text = " ".join(str(value or "").split())
    if not text:
        return None
    m = re.fullmatch(r"((?:19|20)\d\d)(?:\s*\*+|\s+\d{1,2})?", text)  # "2023", "2023 1" (footnote)
    if m:
        return m[1]
    m = re.fullmatch(r"((?:19|20)\d\d)-?(\d\d)(?:-\d\d)?", text)
    if m and 1 <= int(m[2]) <= 12:
        return f"{m[1]}-{m[2]}"
    # Comext labels: "202408-Aug. 2024", "Apr. 2019", "Jan.-Dec. 2010", "201952-Jan.-Dec. 2019"
    m = re.search(r"jan\.?\s*-\s*dec\.?\s*((?:19|20)\d\d)", text, re.I)
    if m:
        return m[1]
    m = re.search(r"\b([A-Za-z]{3})[a-z]*\.?\s+((?:19|20)\d\d)\b", text)
    if m and m[1].lower() in _MONTHS_EN:
        return f"{m[2]}-{_MONTHS_EN[m[1].lower()]:02d}"
    m = re.search(r"(январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*\s+((?:19|20)\d\d)",
                  text, re.I)
    if m:
        return f"{m[2]}-{russian_month(m[1]):02d}"
    m = re.fullmatch(r"(?:январь\s*-\s*декабрь|jan(?:uary)?\s*-\s*dec(?:ember)?)\s+((?:19|20)\d\d).*", text, re.I)
    if m:
        return m[1]
    return None


def russian_month(text: str) -> int | None:
    low = str(text).strip().casefold()
    if low.startswith("ма") and not low.startswith("март"):
        return 5
    for stem, number in _MONTHS_RU.items():
        if stem != "ма" and low.startswith(stem):
            return number
    return None


def product_code_fields(code: Any, system: str | None = None) -> tuple[str, str, int | None]:
    """(product_code, code_system, code_level) for a printed code."""
    text = str(code if code is not None else "").strip()
    if not text or text.casefold() in ("total", "total-total", "всего", "ttl"):
        return "TOTAL", "TOTAL", None
    digits = text.replace(".", "").replace(" ", "")
    if digits.isdigit():
        level = len(digits)
        if system is None:
            system = {8: "CN", 10: "TNVED"}.get(level, "HS")
        return digits, system, level
    return text, "LABEL", None


def slug(label: str) -> str:
    words = re.sub(r"[^\w]+", "-", _FOOTNOTE.sub("", label.strip())).strip("-")
    return words.upper()[:80] or "UNLABELLED"


# -- building results --------------------------------------------------------

@dataclass
class FactBuilder:
    """Collects facts of one file and writes its describing Document."""

    path: Path
    data: bytes
    title: str
    facts: list[TradeFact] = field(default_factory=list)
    tables: TextBuilder = field(default_factory=TextBuilder)
    notes: dict[str, Any] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)
    published: str | None = None  # publication date printed in the file, ISO

    def __post_init__(self) -> None:
        self.doc_id = content_id(self.data)

    def add(self, *, reporter_label: Any, partner_label: Any, flow: str, code: Any,
            period: str, value: float | None, currency: str | None, location: str,
            code_system: str | None = None, product_label: str | None = None,
            reporter: str | None = None, partner: str | None = None,
            quantity: float | None = None, quantity_unit: str | None = None) -> None:
        product_code, system, level = product_code_fields(code, code_system)
        if code_system == "LABEL":
            product_code, system, level = str(code), "LABEL", None
        self.facts.append(TradeFact(
            reporter=reporter or country_code(reporter_label),
            partner=partner or country_code(partner_label),
            flow=flow, product_code=product_code, code_system=system, period=period,
            value=value, currency=currency,
            reporter_label=None if reporter_label is None else " ".join(str(reporter_label).split()),
            partner_label=None if partner_label is None else " ".join(str(partner_label).split()),
            code_level=level, product_label=product_label, quantity=quantity,
            quantity_unit=quantity_unit, source=str(self.path), location=location,
            doc_id=self.doc_id,
        ))

    def result(self) -> ReadResult:
        if not self.facts and not self.tables.blocks:
            raise ReadError(f"unrecognised trade table: no numeric observations found in {self.path.name}")
        return ReadResult(documents=[self.document()], trade_facts=self.facts)

    def document(self) -> Document:
        facts = self.facts
        def summary(values: Iterable[str], limit: int = 12) -> str:
            counts = Counter(v for v in values if v)
            items = [k for k, _ in counts.most_common(limit)]
            more = len(counts) - len(items)
            return ", ".join(items) + (f" and {more} more" if more > 0 else "")

        periods = sorted({f.period for f in facts})
        unmapped = sorted({lbl for f in facts for code, lbl in
                           ((f.partner, f.partner_label), (f.reporter, f.reporter_label))
                           if code == "ZZ" and lbl})
        meta: dict[str, Any] = {
            "facts": len(facts),
            "reporters": sorted({f.reporter for f in facts}),
            "partners": len({f.partner for f in facts}),
            "flows": sorted({f.flow for f in facts}),
            "code_systems": sorted({f.code_system for f in facts}),
            "products": len({f.product_code for f in facts}),
            "period_from": periods[0] if periods else None,
            "period_to": periods[-1] if periods else None,
            "currencies": sorted({f.currency or "unknown" for f in facts}),
            "unmapped_country_labels": unmapped[:50],
            "unmapped_country_label_count": len(unmapped),
            **({"skipped": dict(self.skipped)} if self.skipped else {}),
            **self.notes,
        }
        lines = TextBuilder()
        lines.add("title", self.title)
        if facts:
            products = summary(f"{f.product_code} {f.product_label or ''}".strip()
                               if f.code_system not in ("TOTAL",) else "TOTAL (all products)"
                               for f in facts)
            lines.add("paragraph", "\n".join([
                f"Trade statistics table: {len(facts):,} observations.",
                f"Reporters: {summary(f'{f.reporter_label} ({f.reporter})' for f in facts)}.",
                f"Partners: {summary(f'{f.partner_label} ({f.partner})' for f in facts)}.",
                f"Flows: {', '.join(meta['flows'])}.",
                f"Products ({', '.join(meta['code_systems'])}): {products}.",
                f"Periods: {meta['period_from']} to {meta['period_to']} "
                f"({'monthly' if any(f.period_type == 'month' for f in facts) else 'yearly'}).",
                ("Units: values as printed, unit not stated" if meta["currencies"] == ["unknown"] else
                 f"Units: values in whole {', '.join(meta['currencies'])} units")
                + (f"; {self.notes['unit_note']}." if self.notes.get("unit_note") else "."),
            ]))
        base = len(lines.text) + (2 if lines.text else 0)
        text = lines.text
        blocks = list(lines.blocks)
        if self.tables.blocks:
            meta["table_blocks"] = len(self.tables.blocks)
            text = f"{text}\n\n{self.tables.text}" if text else self.tables.text
            for block in self.tables.blocks:
                block.start += base if lines.text else 0
                block.end += base if lines.text else 0
                blocks.append(block)
        return Document(doc_id=self.doc_id, kind="trade_table", lang="en", text=text,
                        source=str(self.path), title=self.title, published=self.published,
                        blocks=blocks, meta=meta)

    def keep_sheet(self, sheet: str, rows: list[tuple]) -> None:
        """Keep a sheet that holds no facts (cover, legend, notes) as a table block."""
        kept = [[" ".join(str(c).split()) for c in r if c not in (None, "")] for r in rows[:200]]
        if self.tables.add_table(kept, section=sheet):
            self.notes.setdefault("sheets_kept_as_tables", []).append(sheet)


# -- workbook access -----------------------------------------------------------

def _xlsx_sheets(data: bytes) -> Iterator[tuple[str, list[tuple]]]:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Workbook contains no default style"
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise ReadError(f"not a readable .xlsx workbook: {type(exc).__name__}") from None
    try:
        for sheet in book.worksheets:
            # Some exporters write a wrong <dimension>; without a reset
            # read-only mode would stop at its first row.
            sheet.reset_dimensions()
            yield sheet.title, list(sheet.iter_rows(values_only=True))
    finally:
        book.close()


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@lru_cache(maxsize=1024)
def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _xlsx_sheets_fast(data: bytes) -> Iterator[tuple[str, list[tuple]]]:
    """Rows of every sheet, as openpyxl's ``iter_rows(values_only=True)``
    gives them (missing rows as empty tuples, gaps in a row as None), for
    workbooks without date cells.

    Why: the Comext exports hold ~800,000 inline-string cells (':'), and
    openpyxl builds a rich-text object for each (most of its read time). The
    stdlib's C ElementTree ``iterparse`` over the same sheet XML takes about a
    third of openpyxl's CPU time (``scripts/trade_ingest_timing.py
    --compare-xlsx``). Used only by the Comext reader, whose sheets hold no
    dates; everything else goes through openpyxl. A test checks both give
    the same rows.
    """
    import zipfile
    from xml.etree import ElementTree

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise ReadError(f"not a readable .xlsx workbook: {type(exc).__name__}") from None
    targets = {rel.get("Id"): rel.get("Target") or "" for rel in rels}
    shared: list[str] = []
    if "xl/sharedStrings.xml" in archive.namelist():
        for _, item in ElementTree.iterparse(io.BytesIO(archive.read("xl/sharedStrings.xml"))):
            if item.tag == f"{_MAIN_NS}si":
                shared.append("".join(t.text or "" for t in item.iter(f"{_MAIN_NS}t")))
                item.clear()
    tag_row, tag_v, tag_is = f"{_MAIN_NS}row", f"{_MAIN_NS}v", f"{_MAIN_NS}is"
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        try:
            xml = archive.read(part)
        except KeyError:
            raise ReadError(f"not a readable .xlsx workbook: sheet part {part} missing") from None
        rows: list[tuple] = []
        for _, row in ElementTree.iterparse(io.BytesIO(xml)):
            if row.tag != tag_row:
                continue
            number = int(row.get("r") or len(rows) + 1)
            while len(rows) < number - 1:
                rows.append(())
            cells: list[Any] = []
            for cell in row:
                ref = cell.get("r")
                if ref:
                    column = _column_index(ref.rstrip("0123456789"))
                    if column > len(cells):
                        cells.extend([None] * (column - len(cells)))
                kind = cell.get("t", "n")
                value: Any = None
                for child in cell:  # <v>, <is>, <f>
                    if child.tag == tag_v:
                        raw = child.text or ""
                        if kind == "s":
                            value = shared[int(raw)]
                        elif kind == "n":
                            value = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
                        elif kind == "b":
                            value = raw == "1"
                        else:  # "str" (formula text), "e" (error)
                            value = raw
                    elif child.tag == tag_is:
                        value = "".join(child.itertext())
                cells.append(value)
            rows.append(tuple(cells))
            row.clear()
        yield sheet.get("name") or part, rows


def _xls_sheets(data: bytes) -> Iterator[tuple[str, list[tuple]]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:
        raise ReadError(f"not a readable .xls workbook: {type(exc).__name__}") from None
    for sheet in book.sheets():
        yield sheet.name, [tuple(sheet.row_values(i)) for i in range(sheet.nrows)]


def _sheets(path: Path, data: bytes) -> Iterator[tuple[str, list[tuple]]]:
    return _xls_sheets(data) if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" else _xlsx_sheets(data)


def _cells_text(rows: Iterable[tuple], limit: int = 12) -> str:
    return " ".join(str(c) for row in list(rows)[:limit] for c in row if c not in (None, ""))


@lru_cache(maxsize=64)
def workbook_hints(head: bytes) -> tuple[tuple[str, ...], str]:
    """Sheet names and the readable start of the shared strings of an .xlsx,
    from its first bytes only (for sniffing without opening the workbook).

    An .xlsx is a zip; the local entries ``xl/workbook.xml`` and
    ``xl/sharedStrings.xml`` usually lie within the head, deflated. A
    truncated entry is decompressed as far as it goes.
    """
    import struct
    import zlib

    sheets: tuple[str, ...] = ()
    shared = ""
    offset = 0
    while True:
        offset = head.find(b"PK\x03\x04", offset)
        if offset < 0 or offset + 30 > len(head):
            break
        method, compressed, name_len, extra_len = (struct.unpack("<H", head[offset + 8:offset + 10])[0],
                                                   struct.unpack("<I", head[offset + 18:offset + 22])[0],
                                                   *struct.unpack("<HH", head[offset + 26:offset + 30]))
        name = head[offset + 30:offset + 30 + name_len].decode("utf-8", "replace")
        start = offset + 30 + name_len + extra_len
        if name in ("xl/workbook.xml", "xl/sharedStrings.xml"):
            raw = head[start:start + compressed] if compressed else head[start:]
            try:
                body = zlib.decompressobj(-15).decompress(raw) if method == 8 else raw
            except zlib.error:
                body = b""
            text = body.decode("utf-8", "replace")
            if name == "xl/workbook.xml":
                sheets = tuple(re.findall(r'<sheet [^>]*name="([^"]*)"', text))
            else:
                shared = re.sub(r"<[^>]+>", " ", text)
        offset = start
    return sheets, shared


def _xlsx_hint(path: Path, head: bytes) -> tuple[set[str], str]:
    if suffix(path) != "xlsx" or head[:2] != b"PK":
        return set(), ""
    sheets, shared = workbook_hints(bytes(head))
    return set(sheets), shared


# -- CSV helpers ---------------------------------------------------------------

def _csv_rows(data: bytes) -> tuple[list[str], list[dict[str, str]], dict]:
    text, notes = decode_text(data)
    reader_ = csv.DictReader(io.StringIO(text))
    if not reader_.fieldnames:
        raise ReadError("unrecognised trade table: no header line")
    header = [h.strip().lstrip("\ufeff") for h in reader_.fieldnames]
    reader_.fieldnames = header
    return header, list(reader_), notes


def _header(head: bytes) -> list[str]:
    line = head[:4096].decode("utf-8", "replace").lstrip("\ufeff").splitlines()
    if not line:
        return []
    return [h.strip().strip('"').lstrip("\ufeff") for h in next(csv.reader([line[0]]), [])]


def _has(head: bytes, *names: str) -> bool:
    header = {h.casefold() for h in _header(head)}
    return all(n.casefold() in header for n in names)


# -- Eurostat Comext spreadsheet export -----------------------------------------

_BRACKET_CODE = re.compile(r"\[(\d{2,10})\]\s*$")


@reader("comext-xlsx", "Eurostat Comext spreadsheet export (sheet per CN8 product, month columns)",
        sniff=lambda path, head: suffix(path) == "xlsx" and (
            "comext" in path.name.casefold()
            or {"Summary", "Structure", "Sheet 1"} <= _xlsx_hint(path, head)[0]), priority=60)
def read_comext_xlsx(path: Path, data: bytes) -> ReadResult:
    build = FactBuilder(path, data, "Eurostat Comext: EU trade by CN8 product, reporter and partner")
    found_sheet = False
    for sheet, rows in _xlsx_sheets_fast(data):
        meta = {str(r[0]).strip(): r[2] for r in rows[:12] if len(r) >= 3 and r[0]}
        product = str(next((v for k, v in meta.items() if k.upper().startswith("PRODUCT")), None) or "")
        time_row = next((i for i, r in enumerate(rows[:20]) if r and r[0] == "TIME"), None)
        if time_row is None or not product:
            if sheet == "Summary":
                title = next((str(r[0]) for r in rows if r and r[0]), "")
                if title:
                    build.notes["dataset"] = title[:200]
            continue
        if "extracted" not in build.notes and rows and rows[0] and rows[0][0]:
            build.notes["extracted"] = str(rows[0][0])[:120]  # "Data extracted on 21/01/2023 ..."
        found_sheet = True
        match = _BRACKET_CODE.search(product)
        code = match[1] if match else product
        label = _BRACKET_CODE.sub("", product).strip().split(";")[0]
        label = re.sub(r"\(\d{4}-\d{4}\)$", "", label).strip()
        flow = flow_of(next((v for k, v in meta.items() if k.upper().startswith("FLOW")), None)) or "export"
        indicator = str(next((v for k, v in meta.items() if k.upper().startswith("INDICATOR")), None) or "")
        currency = "EUR" if "EURO" in indicator.upper() else None
        if currency is None:
            build.skipped["non-value indicator sheets"] += 1
            continue
        periods = [period_of(c) for c in rows[time_row]]
        for number, row in enumerate(rows[time_row + 3:], start=time_row + 4):
            if len(row) < 3 or not row[0] or not row[1]:
                continue
            for column in range(2, min(len(row), len(periods))):
                value = to_number(row[column])
                if value is None or periods[column] is None:
                    continue
                build.add(reporter_label=row[0], partner_label=row[1], flow=flow, code=code,
                          code_system="CN" if len(code) == 8 else None, period=periods[column],
                          value=value, currency=currency, product_label=label,
                          location=f"{sheet}!{number}")
    if not found_sheet:
        raise ReadError("unrecognised trade table: expected Comext sheets with PRODUCT/FLOW/INDICATORS "
                        "and a TIME row")
    return build.result()


@reader("comext-sanctioned-xlsx",
        "Derived EU exports of sanction-listed CN8 goods per partner x reporter x month",
        sniff=lambda path, head: suffix(path) == "xlsx" and (
            "sanctioned" in path.name.casefold() or "sanctioned_export" in _xlsx_hint(path, head)[1]),
        priority=60)
def read_sanctioned_xlsx(path: Path, data: bytes) -> ReadResult:
    build = FactBuilder(path, data, "EU exports of sanction-listed CN8 goods by partner, reporter and month "
                                    "(derived from Eurostat Comext)")
    for sheet, rows in _xlsx_sheets(data):
        if not rows:
            continue
        header = [str(c or "").strip().casefold() for c in rows[0]]
        needed = ("partner", "reporter", "month")
        if not all(n in header for n in needed) or not any("export" in h for h in header):
            raise ReadError("unrecognised trade table: expected columns partner, reporter, month, "
                            f"*_export; got {', '.join(h for h in header if h)}")
        col = {n: header.index(n) for n in needed}
        value_col = next(i for i, h in enumerate(header) if "export" in h)
        for number, row in enumerate(rows[1:], start=2):
            value = to_number(row[value_col]) if len(row) > value_col else None
            period = period_of(row[col["month"]]) if len(row) > col["month"] else None
            if value is None or period is None:
                continue
            build.add(reporter_label=row[col["reporter"]], partner_label=row[col["partner"]],
                      flow="export", code="SANCTIONED-CN8-SET", code_system="LABEL",
                      product_label="all CN8 goods on the EU export-sanctions list for Russia "
                                    "(as compiled by the source author), summed",
                      period=period, value=value, currency="EUR", location=f"{sheet}!{number}")
    build.notes["unit_note"] = "EUR (Comext VALUE_IN_EUROS summed over the sanctioned CN8 set)"
    return build.result()


# -- Comext CSV relational view -------------------------------------------------

@reader("comext-csv", "Eurostat Comext CSV export (REPORTER,PARTNER,PRODUCT,FLOW,...,PERIOD,VALUE_IN_EUR)",
        sniff=lambda path, head: suffix(path) == "csv" and _has(head, "REPORTER", "PARTNER", "PRODUCT",
                                                               "FLOW", "PERIOD"),
        priority=60)
def read_comext_csv(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    value_col = next((h for h in header if h.upper().startswith("VALUE")), None)
    if value_col is None:
        raise ReadError("unrecognised trade table: expected a VALUE_IN_EUR column")
    currency = "EUR" if "EUR" in value_col.upper() else None
    build = FactBuilder(path, data, "Eurostat Comext export: EU trade by reporter and partner")
    build.notes.update(notes)
    for number, row in enumerate(rows, start=2):
        value = to_number(row.get(value_col))
        period = period_of(row.get("PERIOD"))
        if value is None or period is None:
            build.skipped["no value or period"] += 1
            continue
        product = str(row.get("PRODUCT") or "").strip()
        code, _, label = product.partition("-")
        if code.casefold() == "total" or product.casefold() == "total":
            code, label = "TOTAL", "Total"
        build.add(reporter_label=row.get("REPORTER"), partner_label=row.get("PARTNER"),
                  flow=flow_of(row.get("FLOW")) or "export", code=code.strip(),
                  product_label=label.strip() or None, period=period, value=value,
                  currency=currency, location=f"csv!{number}")
    return build.result()


# -- UN Comtrade-style CSV --------------------------------------------------------

@reader("comtrade-csv", "UN Comtrade-style CSV (period, reporter, partner_iso, commodity_code, trade_flow, "
        "trade_value_us)",
        sniff=lambda path, head: suffix(path) == "csv" and _has(head, "period", "reporter", "partner",
                                                               "commodity_code", "trade_flow"),
        priority=60)
def read_comtrade_csv(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    value_col = next((h for h in ("trade_value_us", "primaryValue", "trade_value") if h in header), None)
    if value_col is None:
        raise ReadError("unrecognised trade table: expected a trade_value_us column")
    build = FactBuilder(path, data, "UN Comtrade extract: trade by reporter, partner and commodity")
    build.notes.update(notes)
    for number, row in enumerate(rows, start=2):
        value = to_number(row.get(value_col))
        period = period_of(row.get("period"))
        flow = flow_of(row.get("trade_flow"))
        if value is None or period is None or flow is None:
            build.skipped["no value, period or flow"] += 1
            continue
        partner_iso = str(row.get("partner_iso") or "").strip()
        partner = country_code(partner_iso) if partner_iso else None
        if partner_iso.upper() in ("WLD", "W00"):
            partner = "WORLD"
        build.add(reporter_label=row.get("reporter"), partner_label=row.get("partner"),
                  partner=partner if partner and partner != "ZZ" else None,
                  flow=flow, code=row.get("commodity_code"), code_system="HS",
                  product_label=(row.get("commodity") or None), period=period, value=value,
                  currency="USD", quantity=to_number(row.get("netweight_kg")),
                  quantity_unit="kg" if to_number(row.get("netweight_kg")) is not None else None,
                  location=f"csv!{number}")
    return build.result()


# -- Armenia (tvyal newsletter) -------------------------------------------------

@reader("armenia-reexports-csv", "Estimated Armenian re-exports (and total exports) by HS6 and month (USD)",
        sniff=lambda path, head: suffix(path) == "csv" and _has(head, "period", "commodity_code",
                                                               "reexports"),
        priority=60)
def read_armenia_reexports(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    build = FactBuilder(path, data, "Armenia: estimated re-exports by HS6 product and month")
    build.notes.update(notes)
    # The file's "reexports_text" column prints reexports / 1e6 with one
    # decimal ("750.4" for 750448639.12), so "reexports" is in whole USD.
    build.notes["unit_note"] = "USD (reexports_text = reexports / 1e6, i.e. millions)"
    # "X" is the same product's total exports that month, so a claim such as
    # "re-exports were 89.5 % of exports" can be checked against both.
    for number, row in enumerate(rows, start=2):
        period = period_of(row.get("period"))
        for column, flow in (("reexports", "re-export"), ("X", "export")):
            value = to_number(row.get(column))
            if value is None or period is None:
                build.skipped[f"no {column} value or period"] += 1
                continue
            build.add(reporter_label="Armenia", partner_label="World", flow=flow,
                      code=row.get("commodity_code"), code_system="HS",
                      product_label=row.get("commodity") or None, period=period, value=value,
                      currency="USD", location=f"csv!{number}")
    return build.result()


@reader("armenia-official-rx-csv", "Armenia official re-exports (RX) and exports (X) by year",
        sniff=lambda path, head: suffix(path) == "csv" and _has(head, "year", "RX", "X"), priority=60)
def read_armenia_official_rx(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    build = FactBuilder(path, data, "Armenia: official re-exports and total exports by year")
    build.notes.update(notes)
    build.notes["unit_note"] = "USD assumed (magnitudes match Armenia's exports in USD)"
    for number, row in enumerate(rows, start=2):
        period = period_of(row.get("year"))
        for column, flow in (("RX", "re-export"), ("X", "export")):
            value = to_number(row.get(column))
            if value is None or period is None:
                continue
            build.add(reporter_label="Armenia", partner_label="World", flow=flow, code="TOTAL",
                      period=period, value=value, currency="USD", location=f"csv!{number}")
    return build.result()


@reader("armenia-country-csv", "Armenia trade by partner country and month (unit not stated)",
        sniff=lambda path, head: suffix(path) == "csv" and _has(head, "country", "year", "month", "export",
                                                               "import_origin"),
        priority=60)
def read_armenia_country(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    build = FactBuilder(path, data, "Armenia: exports and imports by partner country and month")
    build.notes.update(notes)
    build.notes["unit_note"] = ("unit not stated in the file: currency recorded as unknown, "
                                "values kept as printed")
    build.notes["unit_stated"] = False
    for number, row in enumerate(rows, start=2):
        year, month = to_number(row.get("year")), to_number(row.get("month"))
        if year is None or month is None:
            build.skipped["no period"] += 1
            continue
        period = f"{int(year):04d}-{int(month):02d}"
        # import_origin = by country of origin (the usual import partner);
        # import_consignment (by consigning country) is a second view of the
        # same imports and is left out rather than double counted.
        for column, flow in (("export", "export"), ("import_origin", "import")):
            value = to_number(row.get(column))
            if value is None:
                continue
            build.add(reporter_label="Armenia", partner_label=row.get("country"), flow=flow,
                      code="TOTAL", period=period, value=value, currency=None,
                      location=f"csv!{number}")
    return build.result()


# -- Kazakhstan BNS ------------------------------------------------------------------

def _kz_bulletin(path: Path, head: bytes) -> bool:
    if suffix(path) not in ("xls", "xlsx"):
        return False
    name = path.name.casefold()
    if ("kz" in name or "kazakh" in name or "казахстан" in name) and ("trade" in name or "торгов" in name):
        return True
    # BIFF stores these strings as UTF-16LE in the shared-string table.
    return all(word.encode("utf-16-le") in head for word in ("Экспорт", "Казахстан")) or \
        ("внешней торговли Республики Казахстан" in _xlsx_hint(path, head)[1])


@reader("kz-bns-xls", "Kazakhstan BNS bulletin: trade by partner country (thousand USD)",
        sniff=_kz_bulletin, priority=60)
def read_kz_bulletin(path: Path, data: bytes) -> ReadResult:
    build = FactBuilder(path, data, "Kazakhstan (BNS): main indicators of foreign trade by partner country")
    found = False
    for sheet, rows in _sheets(path, data):
        period = period_of(sheet.strip())
        header_row = next((i for i, r in enumerate(rows[:12])
                           if any("экспорт" in str(c).casefold() for c in r)), None)
        if period is None or header_row is None:
            build.keep_sheet(sheet, rows)  # cover, legend, methodology
            build.published = build.published or _printed_date(rows)
            continue
        head_text = _cells_text(rows[:header_row + 2], 12)
        scale, currency = scale_of(head_text), currency_of(head_text)
        if currency is None:
            raise ReadError(f"unrecognised trade table: sheet {sheet!r} states no currency")
        columns = {}
        for i, cell in enumerate(rows[header_row]):
            flow = flow_of(cell)
            if flow in ("export", "import"):
                columns[flow] = i  # the "total" column sits under the flow heading
        found = True
        for number, row in enumerate(rows[header_row + 2:], start=header_row + 3):
            label = str(row[0]).strip() if row and row[0] is not None else ""
            if not label:
                continue
            for flow, column in columns.items():
                value = to_number(row[column]) if column < len(row) else None
                if value is None:
                    continue
                build.add(reporter_label="Kazakhstan", reporter="KZ", partner_label=label, flow=flow,
                          code="TOTAL", period=period, value=scaled(value, scale), currency=currency,
                          location=f"{sheet}!{number}")
    if not found:
        raise ReadError("unrecognised trade table: expected year sheets with Экспорт/Импорт columns")
    build.notes["unit_note"] = unit_note(scale, currency)
    return build.result()


@reader("kz-bns-exports-csv", "Kazakhstan BNS total monthly exports (date, value, transformation)",
        sniff=lambda path, head: suffix(path) == "csv" and _has(head, "date", "value", "transformation"),
        priority=55)
def read_kz_exports_csv(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    build = FactBuilder(path, data, "Kazakhstan (BNS): total exports by month")
    build.notes.update(notes)
    flow = "import" if "import" in path.name.casefold() else "export"
    # Unit not stated; magnitudes (e.g. ~5.35 million for 2019-01) match BNS
    # monthly exports in thousand USD, so values are multiplied by 1,000.
    build.notes["unit_note"] = "unit not stated in the file; read as thousand USD (magnitudes match BNS)"
    for number, row in enumerate(rows, start=2):
        value, period = to_number(row.get("value")), period_of(row.get("date"))
        if value is None or period is None or (row.get("transformation") or "level") != "level":
            build.skipped["no value/period or not a level"] += 1
            continue
        build.add(reporter_label="Kazakhstan", reporter="KZ", partner_label="World", flow=flow,
                  code="TOTAL", period=period, value=scaled(value, 1e3), currency="USD",
                  location=f"csv!{number}")
    return build.result()


# -- Kyrgyz NSC ------------------------------------------------------------------------

def _printed_date(rows: list[tuple]) -> str | None:
    """'Дата опубликования: 25.07.2024' or '" 10 " марта 2022 года' -> ISO date."""
    from .textutil import parse_date

    for row in rows:
        for cell in row:
            text = " ".join(str(cell or "").replace('"', " ").split())
            match = re.search(r"опубликования:\s*(\d\d\.\d\d\.\d{4})", text) or \
                re.fullmatch(r"(\d{1,2}\s+[а-я]+\s+\d{4})\s+года", text)
            if match:
                found = parse_date(match[1], languages=["ru"])
                if found:
                    return found
    return None


def _is_kg_nsc(path: Path, head: bytes) -> bool:
    name = path.name.casefold()
    if suffix(path) not in ("xlsx", "xls"):
        return False
    return bool(re.search(r"4\.03\.00\.\d\d", name) or "kg_nsc" in name
                or re.search(r"4\.03\.00\.\d\d", _xlsx_hint(path, head)[1]))


@reader("kg-nsc-xlsx", "Kyrgyz NSC trilingual yearly trade tables (4.03.00.xx)", sniff=_is_kg_nsc,
        priority=60)
def read_kg_nsc(path: Path, data: bytes) -> ReadResult:
    build: FactBuilder | None = None
    for sheet, rows in _sheets(path, data):
        year_row = next((i for i, r in enumerate(rows[:10])
                         if sum(1 for c in r[3:] if period_of(c) and len(period_of(c)) == 4) >= 5), None)
        if year_row is None:
            continue
        title = " ".join(str(c).strip() for c in rows[0][:3] if c)
        english_title = str(rows[0][2] or title).strip()
        head_text = _cells_text(rows[:year_row + 1], 6)
        currency, scale = currency_of(head_text), scale_of(head_text)
        flow = flow_of(english_title) or flow_of(title) or "export"
        # Partner tables list countries and groups; commodity tables list
        # goods. Decide by the row labels rather than by the title wording.
        labels = [str(r[2]).strip() for r in rows[year_row + 1:] if len(r) > 2 and r[2]]
        known = sum(1 for label in labels if country_code(label) != "ZZ")
        by_commodity = known < max(2, len(labels) // 4)
        if build is None:
            build = FactBuilder(path, data, f"Kyrgyz Republic (NSC): {_FOOTNOTE.sub('', english_title)}")
            build.notes["unit_note"] = unit_note(scale, currency)
        periods = [period_of(c) if i >= 3 else None for i, c in enumerate(rows[year_row])]
        for number, row in enumerate(rows[year_row + 1:], start=year_row + 2):
            label_en = str(row[2]).strip() if len(row) > 2 and row[2] else ""
            label = label_en or (str(row[1]).strip() if len(row) > 1 and row[1] else "")
            if not label:
                continue
            for column in range(3, min(len(row), len(periods))):
                value = to_number(row[column])
                if value is None or periods[column] is None:
                    continue
                if by_commodity:
                    clean = _FOOTNOTE.sub("", label).strip()
                    is_total = clean.casefold() == "total"
                    build.add(reporter_label="Kyrgyzstan", reporter="KG", partner_label="World",
                              partner="WORLD", flow=flow,
                              code="TOTAL" if is_total else slug(clean),
                              code_system=None if is_total else "LABEL",
                              product_label=None if is_total else clean, period=periods[column],
                              value=scaled(value, scale), currency=currency,
                              location=f"{sheet}!{number}")
                else:
                    build.add(reporter_label="Kyrgyzstan", reporter="KG",
                              partner_label=_FOOTNOTE.sub("", label).strip(), flow=flow, code="TOTAL",
                              period=periods[column], value=scaled(value, scale), currency=currency,
                              location=f"{sheet}!{number}")
    if build is None:
        raise ReadError("unrecognised trade table: expected an NSC table with a row of years")
    return build.result()


# -- Russia: FTS and IMF -----------------------------------------------------------------

def _is_ru_fts(path: Path, head: bytes) -> bool:
    name = path.name.casefold()
    if suffix(path) not in ("xlsx", "xls"):
        return False
    if name.startswith(("ru_fts", "ru_trade")):
        return True
    sheets, shared = _xlsx_hint(path, head)
    if {"Экспорт", "Импорт"} <= sheets:
        return True
    return bool(re.search(r"Российской Федерации|России|ТН ВЭД", shared)
                and re.search(r"экспорт|импорт", shared, re.I))


def _fts_main_partners(build: FactBuilder, sheet: str, rows: list[tuple]) -> bool:
    """Monthly sheets: year rows, then month rows; one column per partner."""
    flow = flow_of(sheet) or flow_of(_cells_text(rows[:4], 4))
    header_row = next((i for i, r in enumerate(rows[:10]) if sum(1 for c in r[1:] if isinstance(c, str)) >= 5),
                      None)
    if flow is None or header_row is None:
        return False
    head_text = _cells_text(rows[:header_row], 6)
    scale, currency = scale_of(head_text), currency_of(head_text)
    partners = rows[header_row]
    build.notes["unit_note"] = unit_note(scale, currency)
    year = None
    for number, row in enumerate(rows[header_row + 1:], start=header_row + 2):
        first = row[0] if row else None
        if period_of(first) and len(period_of(first)) == 4:
            year = period_of(first)
            continue
        month = russian_month(first) if isinstance(first, str) else None
        if year is None or month is None:
            continue
        for column in range(1, min(len(row), len(partners))):
            value = to_number(row[column])
            if value is None or not partners[column]:
                continue
            build.add(reporter_label="Россия", reporter="RU", partner_label=partners[column], flow=flow,
                      code="TOTAL", period=f"{year}-{month:02d}", value=scaled(value, scale),
                      currency=currency, location=f"{sheet}!{number}")
    return True


def _fts_two_period_table(build: FactBuilder, sheet: str, rows: list[tuple], by: str) -> bool:
    """FTS/Rosstat comparison tables: a row of flow headings and a row of
    period headings (either above the other), values below.

    ``by`` = ``"product"`` (rows are HS chapters / commodity groups, partner
    = world) or ``"partner"`` (rows are country groups, product = total).
    Turnover and growth-rate columns are not facts and are skipped.
    """
    flow_row = next((i for i, r in enumerate(rows[:10]) if sum(1 for c in r if flow_of(c)) >= 2), None)
    if flow_row is None:
        return False
    period_row = next((i for i in (flow_row - 1, flow_row + 1) if 0 <= i < len(rows)
                       and sum(1 for c in rows[i] if _period_text(c)) >= 2), None)
    if period_row is None:
        return False
    head_text = _cells_text(rows[:min(flow_row, period_row)], 6)
    scale, currency = scale_of(head_text), currency_of(head_text)

    def spread(row: tuple, parse: Callable[[Any], str | None]) -> list[str | None]:
        # Merged heading cells: a heading holds for the columns to its right
        # until the next heading.
        out, current = [], None
        for cell in row:
            if cell not in (None, ""):
                current = parse(cell)
            out.append(current)
        return out

    flows = spread(rows[flow_row], flow_of)
    periods = spread(rows[period_row], lambda c: _period_text(c) or None)
    # A growth-rate or turnover heading is not a flow/period, so spreading
    # resets to None there and those columns drop out.
    lower = rows[max(flow_row, period_row)]
    columns = [(i, flows[i], periods[i]) for i in range(1, min(len(flows), len(periods)))
               if flows[i] in ("export", "import") and periods[i]
               and i < len(lower) and lower[i] not in (None, "")]
    if not columns:
        return False
    build.notes["unit_note"] = unit_note(scale, currency)
    for number, row in enumerate(rows[max(flow_row, period_row) + 1:], start=max(flow_row, period_row) + 2):
        label = " ".join(str(row[0]).split()) if row and row[0] is not None else ""
        if not label or _INCLUDING.match(label):
            continue
        for column, flow, period in columns:
            value = to_number(row[column]) if column < len(row) else None
            if value is None:
                continue
            if by == "partner":
                build.add(reporter_label="Россия", reporter="RU", partner_label=label, flow=flow,
                          code="TOTAL", period=period, value=scaled(value, scale), currency=currency,
                          location=f"{sheet}!{number}")
            else:
                code, system, product_label = _hs_group(label)
                build.add(reporter_label="Россия", reporter="RU", partner_label="Весь мир",
                          partner="WORLD", flow=flow, code=code, code_system=system,
                          product_label=product_label, period=period, value=scaled(value, scale),
                          currency=currency, location=f"{sheet}!{number}")
    return True


_INCLUDING = re.compile(r"^(в том числе|including|из них|of which|алардын ичинен)\b|:$", re.I)


def _period_text(cell: Any) -> str:
    text = " ".join(str(cell or "").split())
    m = re.search(r"январ\w*\s*-\s*декабр\w*\s+((?:19|20)\d\d)", text, re.I)
    return m[1] if m else ""


def _hs_group(label: str) -> tuple[str, str | None, str | None]:
    """'27-ТОПЛИВО ...' -> HS chapter 27; '01-24-Продовольственные ...' or
    '68-70, 84-97-Машины ...' -> a labelled group of chapters."""
    if label.casefold().startswith(("всего", "total")):
        return "TOTAL", None, None
    m = re.match(r"^(\d{2}(?:\s*[-,]\s*\d{2})*)\s*-\s*(\D.*)$", label)
    if not m:
        return slug(label), "LABEL", label
    chapters, name = m[1].replace(" ", ""), m[2].strip()
    if re.fullmatch(r"\d{2}", chapters):
        return chapters, "HS", name
    return f"HS{chapters}", "LABEL", f"HS chapters {chapters}: {name}"


def _fts_key_goods(build: FactBuilder, sheet: str, rows: list[tuple]) -> bool:
    """'Импорт России важнейших товаров': TN VED code, name, tonnes, million USD."""
    header_row = next((i for i, r in enumerate(rows[:40]) if r and str(r[0] or "").strip().startswith("Код")),
                      None)
    if header_row is None:
        return False
    title_text = _cells_text(rows[:header_row], 40)
    flow = flow_of(title_text) or "import"
    heads = [" ".join(str(c or "").split()) for c in rows[header_row]]
    # Month-only columns: "январь 2022" (not "январь - январь 2022", the
    # cumulative year-to-date one, nor the growth-rate columns).
    month_col = next((i for i, h in enumerate(heads)
                      if re.fullmatch(r"(январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*\s+(19|20)\d\d",
                                      h, re.I)), None)
    if month_col is None:
        month_col = next((i for i, h in enumerate(heads) if re.search(r"(19|20)\d\d", h) and
                          not h.startswith("Темп")), None)
    if month_col is None:
        return False
    text = heads[month_col]
    year = re.search(r"(19|20)\d\d", text)[0]
    month = russian_month(text.split()[-2] if "-" in text else text.split()[0]) or 1
    period = f"{year}-{month:02d}"
    # Two header lines under the value column: "млн." / "долл.США".
    value_scale = scale_of(str(rows[header_row + 1][month_col + 1] or "")) if header_row + 1 < len(rows) else 1.0
    build.notes["unit_note"] = unit_note(value_scale, "USD") + "; quantities as printed (unit in quantity_unit)"
    for number, row in enumerate(rows[header_row + 3:], start=header_row + 4):
        if len(row) <= month_col + 1:
            continue
        code_text = " ".join(str(row[0] or "").split())
        name = " ".join(str(row[1] or "").split())
        value = to_number(row[month_col + 1])
        if value is None or not (code_text or name):
            continue
        quantity = to_number(row[month_col])
        unit_match = re.search(r",\s*([^,]*(?:Т|ШТ|ПАР|КВ\.М|КУБ\.М|КВТ-Ч)\.?)\s*$", name)
        quantity_unit = unit_match[1].strip().lower() if unit_match else "тыс.т"
        if not code_text and name.upper().startswith("ВСЕГО"):
            code, system = "TOTAL", None
        elif re.fullmatch(r"\d{2,10}", code_text):
            code, system = code_text, "TNVED"
        else:
            code, system = code_text or slug(name), "LABEL"
        build.add(reporter_label="Россия", reporter="RU", partner_label="Весь мир", partner="WORLD",
                  flow=flow, code=code, code_system=system,
                  product_label=None if code == "TOTAL" else name or None, period=period,
                  value=scaled(value, value_scale), currency="USD",
                  quantity=quantity if quantity is not None and code != "TOTAL" else None,
                  quantity_unit=quantity_unit if quantity is not None and code != "TOTAL" else None,
                  location=f"{sheet}!{number}")
    return True


@reader("ru-fts-xlsx", "Russian FTS/Rosstat trade tables (main partners monthly, key goods by TN VED, "
        "HS chapters, country groups, commodity structure)", sniff=_is_ru_fts, priority=60)
def read_ru_fts(path: Path, data: bytes) -> ReadResult:
    build: FactBuilder | None = None
    for sheet, rows in _sheets(path, data):
        title = next((" ".join(str(c).split()) for r in rows[:15] for c in r
                      if isinstance(c, str) and len(c.strip()) > 15 and "содержани" not in c.casefold()), sheet)
        if build is None:
            build = FactBuilder(path, data, f"Russia: {title}")
        low = _cells_text(rows, 20).casefold()
        parsed = False
        if sheet.casefold() in ("экспорт", "импорт") or "основные страны" in low:
            parsed = _fts_main_partners(build, sheet, rows)
        elif "важнейших товаров" in low or "тн вэд" in low:
            parsed = _fts_key_goods(build, sheet, rows)
        elif "групп" in low and "стран" in low:
            parsed = _fts_two_period_table(build, sheet, rows, by="partner")
        elif any(flow_of(c) for r in rows[:10] for c in r):
            parsed = _fts_two_period_table(build, sheet, rows, by="product")
        if not parsed:
            build.keep_sheet(sheet, rows)  # contents pages, notes
        if build.published is None:
            build.published = _printed_date(rows[:15])
    if build is None:
        raise ReadError("unrecognised trade table: workbook has no sheets")
    return build.result()


@reader("imf-imts-csv", "IMF IMTS CSV (wide year columns, COUNTERPART_COUNTRY, SCALE, TRADE_FLOW)",
        sniff=lambda path, head: suffix(path) == "csv" and _has(head, "COUNTRY", "COUNTERPART_COUNTRY",
                                                               "TRADE_FLOW"),
        priority=60)
def read_imf_imts(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    years = [h for h in header if re.fullmatch(r"(19|20)\d\d", h)]
    if not years:
        raise ReadError("unrecognised trade table: IMF IMTS CSV without year columns")
    build = FactBuilder(path, data, "IMF IMTS: goods trade by counterpart country")
    build.notes.update(notes)
    for number, row in enumerate(rows, start=2):
        flow = flow_of(row.get("TRADE_FLOW")) or flow_of(row.get("INDICATOR"))
        scale = scale_of(row.get("SCALE") or "")
        indicator = row.get("INDICATOR") or ""
        currency = currency_of(indicator) or ("USD" if "USD" in (row.get("INDICATOR.ID") or "") else None)
        reporter_iso3 = (row.get("COUNTRY.ID") or "").strip()
        partner_iso3 = (row.get("COUNTERPART_COUNTRY.ID") or "").strip()
        partner = _iso3_to_iso2().get(partner_iso3)
        if partner_iso3 in ("G001", "W00", "WLD"):
            partner = "WORLD"
        for year in years:
            value = to_number(row.get(year))
            if value is None or flow is None:
                continue
            build.add(reporter_label=row.get("COUNTRY"), reporter=_iso3_to_iso2().get(reporter_iso3),
                      partner_label=row.get("COUNTERPART_COUNTRY"), partner=partner, flow=flow,
                      code="TOTAL", product_label=indicator or None, period=year,
                      value=scaled(value, scale), currency=currency, location=f"csv!{number}")
    build.notes["unit_note"] = "source in USD millions, multiplied out"
    return build.result()


# -- generic long CSV -----------------------------------------------------------------------

GENERIC_COLUMNS = ("reporter", "partner", "flow", "product_code", "period", "value", "currency")
GENERIC_OPTIONAL = ("code_system", "quantity", "quantity_unit", "product_label", "scale")


@reader("trade-csv", "Generic long trade CSV: reporter, partner, flow, product_code, period, value, currency "
        "[, code_system, quantity, quantity_unit, product_label, scale]",
        sniff=lambda path, head: suffix(path) in ("csv", "tsv") and _has(head, "reporter", "partner", "flow",
                                                                        "period", "value"),
        priority=50)
def read_generic_trade_csv(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    lower = {h.casefold(): h for h in header}
    missing = [c for c in GENERIC_COLUMNS if c not in lower]
    if missing:
        raise ReadError(f"unrecognised trade table: expected columns {', '.join(GENERIC_COLUMNS)}; "
                        f"missing {', '.join(missing)}")
    build = FactBuilder(path, data, f"Trade table {path.stem}")
    build.notes.update(notes)
    extra = [h for h in header if h.casefold() not in GENERIC_COLUMNS + GENERIC_OPTIONAL]
    if extra:
        build.notes["ignored_columns"] = extra  # kept in the file, not in the facts
    get: Callable[[dict, str], str] = lambda row, name: str(row.get(lower.get(name, ""), "") or "").strip()
    for number, row in enumerate(rows, start=2):
        value = to_number(get(row, "value"))
        period = period_of(get(row, "period"))
        flow = flow_of(get(row, "flow"))
        if value is None or period is None or flow is None:
            build.skipped["bad value, period or flow"] += 1
            continue
        scale_text = get(row, "scale")
        scale = to_number(scale_text) or scale_of(scale_text) if scale_text else 1.0
        system = get(row, "code_system").upper() or None
        if system and system not in ("HS", "CN", "TNVED", "TOTAL", "LABEL"):
            build.skipped[f"unknown code_system {system}"] += 1
            continue
        build.add(reporter_label=get(row, "reporter"), partner_label=get(row, "partner"), flow=flow,
                  code=get(row, "product_code") or "TOTAL", code_system=system,
                  product_label=get(row, "product_label") or None, period=period,
                  value=scaled(value, scale), currency=get(row, "currency").upper() or None,
                  quantity=to_number(get(row, "quantity")), quantity_unit=get(row, "quantity_unit") or None,
                  location=f"csv!{number}")
    if not build.facts:
        raise ReadError(f"unrecognised trade table: no valid rows ({sum(build.skipped.values())} skipped)")
    return build.result()
