"""Product resolver: English or Russian words for goods -> HS codes.

``resolve(phrase, lang)`` maps a noun phrase ("memory chips", "tapered
roller bearings", «маршрутизаторы», «конические роликовые подшипники») to
the HS codes it names, at the most specific level the words support, with a
confidence and the description that matched. ``find_products(sentence,
lang)`` finds the product words of a whole sentence (used by claim framing,
and usable by tag and search filters).

How it matches, in order:

1. **Synonyms** (``nlp/data/products/synonyms.yaml``): trade-press words
   («микросхемы», "routers", "scopes") that official texts do not use,
   matched on English Snowball stems / Russian lemmas (pymorphy2 via natasha), longest
   match first. Coordinated words ("routers and switches", "processors and
   microcontrollers") are one product, their codes united.
2. **Qualifiers** on a group of subheadings: "other X" / «прочие X» / "X not
   specified elsewhere" keep the group's residual (n.e.c.) subheadings; "X
   other than A, B and C" drops the subheadings whose HS 2022 text names A,
   B or C.
3. **Nomenclature** (``nlp/data/products/nomenclature.csv.gz``: HS 2022 and
   2017 in English, CN 2024 English, EAEU TN VED Russian): an IDF-weighted
   share of the phrase's stems found in a subheading's text (its own words,
   then those of its national subdivisions, then its heading's). The
   subheadings with the top share win; when only heading words matched, the
   answer is the heading. Below :data:`MIN_CONFIDENCE` there is no answer,
   never a guess.

What it does not do: read codes written as digits (that is
:mod:`nlp.extract.hs_codes`) or decide what the rest of a sentence says.
"""

from __future__ import annotations

import bisect
import csv
import gzip
import io
import math
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from .settings import DATA_DIR

PRODUCTS_DIR = DATA_DIR / "products"
MIN_CONFIDENCE = 0.75
_WORD = re.compile(r"[A-Za-zА-Яа-яЁё]+|\d+(?:[.,]\d+)?")
_STOP = {
    "en": {"of", "and", "the", "a", "an", "for", "to", "in", "or", "with", "by", "its", "their", "goods", "products",
           "product", "items", "item", "other", "than", "those", "that", "is", "all", "kinds", "kind", "such", "as",
           "type", "types", "whether", "not", "which", "including", "used", "use", "eu", "exports", "export",
           "shipments", "sales", "imports"},
    "ru": {"и", "для", "из", "в", "во", "на", "с", "со", "по", "к", "или", "а", "товар", "продукция", "изделие",
           "прочий", "кроме", "тот", "их", "все", "весь", "вид", "который", "не", "экспорт", "поставка", "импорт"},
}


@dataclass
class ProductMatch:
    codes: list[str]
    level: int                      # 4 (heading), 6 (subheading), or 0 for a mix
    confidence: float
    description: str                # what matched (synonym label or nomenclature text)
    method: str                     # synonym | nomenclature
    text: str = ""                  # the words in the input
    start: int = -1
    end: int = -1
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- normalising words ---------------------------------------------------------------------

@lru_cache(maxsize=1)
def _stemmers() -> tuple[Any, Any]:
    import warnings

    import Stemmer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # natasha imports pkg_resources, which warns on import
        # natasha's vocabulary is pymorphy2 with the patch Python 3.11 needs.
        from natasha import MorphVocab

        return Stemmer.Stemmer("english"), MorphVocab()


# Abbreviations trade reporting writes for words the nomenclature spells out.
_ABBREVIATIONS = {"tv": "television", "tvs": "television"}
# Words the English stemmer merges with another ("clothes", "cloth": cloth): the word the nomenclature uses.
_STEM_APART = {"clothes": "apparel", "clothing": "apparel"}


@lru_cache(maxsize=200_000)
def norm(word: str) -> str:
    """Stem (English) or lemma (Russian) of one word, lower case, ё as е."""
    word = word.lower().replace("ё", "е")
    english, morph = _stemmers()
    if re.search(r"[а-я]", word):
        return morph.parse(word)[0].normal_form.replace("ё", "е")
    if word.isdigit():
        return word
    word = _ABBREVIATIONS.get(word, word)
    word = _STEM_APART.get(word, word)
    stem = english.stemWord(word)
    return {"aerial": "antenna", "antenna": "antenna", "antenna_": "antenna"}.get(stem, stem)


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised word) for every word of ``text``."""
    return [(m.start(), m.end(), norm(m.group(0))) for m in _WORD.finditer(text)]


# -- the synonym table --------------------------------------------------------------------------

@dataclass
class _Synonym:
    words: tuple[str, ...]
    codes: list[str]
    label: str
    phrase: str
    phrase_only: bool = False   # a word that names goods only as a whole product phrase ("TV")


# Head nouns that say only "kit" ("routing equipment", "routing gear"): a synonym ending in
# one also matches with the others.
_GENERIC_HEADS = ("equip", "apparatus", "gear", "hardwar")
# Words for parts, interchangeable inside a multi-word synonym (normalised forms).
_PARTS_WORDS = ("part", "compon", "запчасть", "часть", "деталь", "комплектующие", "компонент")


@lru_cache(maxsize=1)
def synonyms() -> dict[str, list[_Synonym]]:
    """First normalised word -> synonyms starting with it (longest first)."""
    table = yaml.safe_load((PRODUCTS_DIR / "synonyms.yaml").read_text(encoding="utf-8"))
    index: dict[str, list[_Synonym]] = {}
    for entry in table:
        for lang in ("en", "ru"):
            for phrase in entry.get(lang, []):
                words = tuple(t for _, _, t in tokens(str(phrase)))
                variants = [words]
                if len(words) >= 3 and words[1] in ("and", "и", "or", "или"):
                    # coordinated words read in either order: "switching and routing" = "routing and switching"
                    variants.append((words[2], words[1], words[0], *words[3:]))
                for at, word in enumerate(words if len(words) >= 2 else ()):
                    if word in _PARTS_WORDS:
                        # "aircraft parts" = "aircraft components", «запчасти» = «комплектующие» = «детали»
                        variants += [(*v[:at], other, *v[at + 1:]) for v in list(variants) for other in _PARTS_WORDS
                                     if other != word and len(v) == len(words)]
                if len(words) >= 2 and words[-1] in _GENERIC_HEADS:
                    # "routing equipment" = "routing gear" = "routing hardware"
                    variants += [(*v[:-1], head) for v in list(variants) for head in _GENERIC_HEADS
                                 if head != v[-1]]
                for variant in variants:
                    index.setdefault(variant[0], []).append(
                        _Synonym(variant, [str(c) for c in entry["codes"]], entry["label"], str(phrase),
                                 bool(entry.get("phrase_only"))))
    for entries in index.values():
        entries.sort(key=lambda s: -len(s.words))
    return index


# -- the nomenclature ------------------------------------------------------------------------

@dataclass
class _Nomenclature:
    hs6: dict[str, set[str]]            # subheading -> stems of its own text
    below: dict[str, set[str]]          # subheading -> stems of its national subdivisions
    heading: dict[str, set[str]]        # heading -> stems of its text
    text: dict[str, str]                # code -> a description (English first)
    idf: dict[str, float]
    editions: dict[str, set[str]]       # hs2022 / hs2017 -> subheadings
    sequences: dict[str, set[str]]      # heading or subheading -> its descriptions as normalised word sequences
    residual: dict[str, bool]           # subheading -> some description of it is a residual ("other", «прочие»)
    heads: dict[str, set[str]]          # heading or subheading -> words that name its goods (not a complement)
    leads: dict[str, set[str]]          # heading or subheading -> the head nouns of its noun groups (not modifiers)


@lru_cache(maxsize=1)
def nomenclature() -> _Nomenclature:
    """The nomenclature's word index, derived once and kept on disk (:mod:`nlp.derived_cache`)."""
    from dataclasses import fields
    from pathlib import Path

    from .derived_cache import derived

    names = [f.name for f in fields(_Nomenclature)]

    def encode(table: _Nomenclature) -> dict[str, dict[str, Any]]:
        return {k: {c: sorted(v) if isinstance(v, set) else v for c, v in getattr(table, k).items()}
                for k in names}

    def decode(data: dict[str, dict[str, Any]]) -> _Nomenclature:
        parts: dict[str, Any] = {k: {c: set(v) if isinstance(v, list) else v for c, v in data[k].items()}
                                 for k in names}
        return _Nomenclature(**parts)

    return derived("nomenclature", [PRODUCTS_DIR / "nomenclature.csv.gz", DATA_DIR / "hs2017.csv",
                                    DATA_DIR / "hs2022.csv", Path(__file__)], _build_nomenclature,
                   packages=("pymorphy2", "pymorphy2-dicts-ru", "PyStemmer", "natasha"),
                   encode=encode, decode=decode)


@dataclass(frozen=True)
class _Lookup:
    """Indexes over the nomenclature, made once per process: which
    current-edition subheadings a word can score for (in their own text, their
    national subdivisions or their heading) and every heading word, so that a
    phrase is scored against those subheadings only, not all 5,000; and the
    subheadings in code order, so that the ones under a heading are a range."""

    of: _Nomenclature
    codes_by_word: dict[str, frozenset[str]]
    heading_words: frozenset[str]
    hs6: tuple[str, ...]
    editions: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def _build_lookup() -> _Lookup:
    nom = nomenclature()
    current = nom.editions["hs2022"]
    codes: dict[str, set[str]] = {}
    for code, own in nom.hs6.items():
        if code in current:
            for w in own | nom.below.get(code, set()) | nom.heading.get(code[:4], set()):
                codes.setdefault(w, set()).add(code)
    return _Lookup(nom, {w: frozenset(c) for w, c in codes.items()},
                   frozenset(w for h in nom.heading.values() for w in h), tuple(sorted(nom.hs6)),
                   {edition: tuple(sorted(members)) for edition, members in nom.editions.items()})


def _lookup() -> _Lookup:
    found = _build_lookup()
    if found.of is not nomenclature():  # the nomenclature was loaded again
        _build_lookup.cache_clear()
        found = _build_lookup()
    return found


def _starting_with(codes: tuple[str, ...], prefix: str, limit: int | None = None) -> list[str]:
    """The codes of a sorted tuple that start with ``prefix`` (at most ``limit``), in order."""
    out: list[str] = []
    for i in range(bisect.bisect_left(codes, prefix), len(codes)):
        if not codes[i].startswith(prefix) or len(out) == limit:
            break
        out.append(codes[i])
    return out


def _build_nomenclature() -> _Nomenclature:
    raw = gzip.decompress((PRODUCTS_DIR / "nomenclature.csv.gz").read_bytes()).decode("utf-8")
    hs6: dict[str, set[str]] = {}
    below: dict[str, set[str]] = {}
    heading: dict[str, set[str]] = {}
    text: dict[str, str] = {}
    editions: dict[str, set[str]] = {"hs2022": set(), "hs2017": set()}
    sequences: dict[str, set[str]] = {}
    residual: dict[str, bool] = {}
    heads: dict[str, set[str]] = {}
    leads: dict[str, set[str]] = {}
    for row in csv.DictReader(io.StringIO(raw)):
        code, description = row["code"], row["description"]
        affirmed = _affirmed(description)
        words = {t for _, _, t in tokens(affirmed) if len(t) > 1 and not t.isdigit()}
        if len(code) in (4, 6):
            sequences.setdefault(code, set()).add(_sequence(affirmed))
        heads.setdefault(code[:6], set()).update(_head_words(affirmed))
        leads.setdefault(code[:6], set()).update(_lead_words(affirmed))
        if len(code) == 6:
            residual[code] = residual.get(code, False) or bool(_RESIDUAL_TEXT.search(description))
        if len(code) == 4:
            heading.setdefault(code, set()).update(words)
        elif len(code) == 6:
            hs6.setdefault(code, set()).update(words)
            if row["source"] in editions:
                editions[row["source"]].add(code)
        else:
            below.setdefault(code[:6], set()).update(words)
        if code not in text or row["lang"] == "en" and row["source"] == "hs2022":
            text[code] = description
    # The nomenclature file holds HS2017 rows only where HS2022 dropped or
    # reworded them; edition membership comes from the full edition tables.
    for edition in ("hs2017", "hs2022"):
        with (DATA_DIR / f"{edition}.csv").open(encoding="utf-8") as f:
            editions[edition] = {r["code"] for r in csv.DictReader(f) if r["level"] == "6"}
    _add_compound_parts([hs6, below, heading])
    documents = [hs6.get(c, set()) | below.get(c, set()) for c in hs6]
    counts: dict[str, int] = {}
    for words in documents:
        for w in words:
            counts[w] = counts.get(w, 0) + 1
    n = len(documents)
    idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in counts.items()}
    return _Nomenclature(hs6, below, heading, text, idf, editions, sequences, residual, heads, leads)


# What a description says its goods are not ("Ovens ...; (excluding microwaves)", "Vacuum cleaners, other than
# with a self-contained electric motor", «кроме ...»): those words do not describe the code.
_NEGATED = re.compile(r"\b(?:other\s+than|excluding|except(?:\s+for)?|not\s+incorporating|not\s+designed\s+to\s+"
                      r"incorporate)\b[^;()]*|(?<![\w-])(?:кроме|за\s+исключением|не\s+включающ\w*)(?![\w-])[^;()]*",
                      re.I)
# A residual subheading: "Other", «прочие» at either end, or after its goods' noun («игры прочие, ...»).
_RESIDUAL_TEXT = re.compile(r"^\s*(?:other\b(?!\s+than)|прочи\w*)|^\s*[а-яё]+\s+прочи\w*\b|(?:^|[;,/:]\s*)(?:other|прочи\w*)\s*$|"
                            r"(?<![\w-])прочи\w*\s*$", re.I)


_SEQUENCE_TOKEN = re.compile(r"[A-Za-zА-Яа-яЁё]+|[,;:()]")


def _sequence(text: str) -> str:
    """Normalised words in order, with "|" where punctuation ends a noun group."""
    return " ".join("|" if m.group(0) in ",;:()" else norm(m.group(0)) for m in _SEQUENCE_TOKEN.finditer(text))


# Words that open a complement of the goods, not the goods: "apparatus for television", "pumps fitted with a
# measuring device", «трансформаторы для телевизоров», «насосы, имеющие расходомер».
_COMPLEMENT_OPENERS = {"for", "with", "of", "contain", "includ", "incl", "use", "such", "e", "like", "from", "in",
                       "on", "to", "by", "whether", "fit", "design", "have", "para", "для", "с", "со", "из", "к", "от",
                       "в", "на", "по", "при", "без", "содержать", "включая", "иметь", "использовать", "применять",
                       "предназначить", "предусматривать", "который", "типа", "вид", "изготовить", "оснастить",
                       "что", "как", "чем", "as", "that", "than", "получить", "obtain"}


def _head_words(text: str) -> set[str]:
    """The words of a description that can name its goods: in each noun group, those before a
    preposition or participle that opens a complement ("Reception apparatus | for television")."""
    out: set[str] = set()
    for clause in re.split(r"[;:]", text):
        # a complement runs on over commas to the end of its clause: «для легковых автомобилей, автобусов»
        for group in _sequence(clause).split("|"):
            words = group.split()
            opener = next((i for i, w in enumerate(words) if w in _COMPLEMENT_OPENERS), None)
            out.update(words[:opener])
            if opener is not None:
                break
    return out


_CONJUNCTION = {"and", "or", "и", "или"}


def _lead_words(text: str) -> set[str]:
    """The head nouns of a description's noun groups, not their modifiers: the last word of each
    English conjunct ("oil or petrol filters": filters; "sheet piling": piling; "Iron ores and
    concentrates": ores, concentrates) and the first noun of each Russian one («Продукты прямого
    восстановления железной руды»: продукты), a one-word conjunct before a longer one being a shared
    modifier ("ball or roller bearings")."""
    out: set[str] = set()
    morph = _stemmers()[1]
    for clause in re.split(r"[;:]", text):
        for position, group in enumerate(re.split(r"[,()]", clause)):
            raw = _SEQUENCE_TOKEN.findall(group)
            words = [norm(w) for w in raw]
            opener = next((i for i, w in enumerate(words) if w in _COMPLEMENT_OPENERS), len(words))
            if position and opener == len(words) == 1:
                continue  # a lone word after a comma qualifies the goods: "Cells and batteries; primary, lithium"
            conjuncts: list[list[tuple[str, str]]] = [[]]
            for r, w in zip(raw[:opener], words[:opener]):
                if w in _CONJUNCTION:
                    conjuncts.append([])
                else:
                    conjuncts[-1].append((r, w))
            # "Carpets and other textile floor coverings": "other" opens another kind of goods
            others = [bool(c) and c[0][1] in ("other", "прочий", "другой") for c in conjuncts]
            for i, conjunct in enumerate(conjuncts):
                if not conjunct:
                    continue
                if re.search(r"[А-Яа-яЁё]", conjunct[0][0]):
                    nouns = [w for r, w in conjunct if morph.parse(r)[0].pos == "NOUN"]
                    out.update(nouns[:1] or [conjunct[0][1]])
                elif len(conjunct) > 1 or i + 1 >= len(conjuncts) or len(conjuncts[i + 1]) <= 1 or others[i + 1]:
                    out.add(conjunct[-1][1])
                    if conjunct[-1][1] in _GENERIC:
                        # "Air conditioning machines": a machine named by what it does
                        out.update(w for _, w in conjunct)
            if opener < len(words):
                break
    return out


def _affirmed(description: str) -> str:
    return _NEGATED.sub(" ", description)


def _compound_part(word: str, vocabulary: set[str]) -> list[str]:
    """The known words a compound is made of ("oleohydraulic" -> "hydraulic", «кофеварка» -> «кофе»):
    the longest known head (at least 5 letters) and the longest known modifier (at least 4)."""
    if len(word) < 9 or not word.isalpha():
        return []
    parts = []
    head = next((w for i in range(3, len(word) - 4) for w in (word[i:], norm(word[i:])) if w in vocabulary), None)
    if head:
        parts.append(head)
    modifier = next((word[:i] for i in range(len(word) - 3, 3, -1) if word[:i] in vocabulary), None)
    if modifier:
        parts.append(modifier)
    return parts


def _closed_compound(word: str, vocabulary: set[str]) -> list[str]:
    """An English word written as two known words run together ("gearbox" -> "gear", "box";
    "wristwatch" -> "wrist", "watch"), or nothing."""
    if not re.fullmatch(r"[a-z]{6,}", word):
        return []
    for i in range(3, len(word) - 2):
        left, right = word[:i], word[i:]
        if left in vocabulary:
            right = right if right in vocabulary else norm(right)
            if right in vocabulary and len(right) >= 3:
                return [left, right]
    return []


def _add_compound_parts(tables: list[dict[str, set[str]]]) -> None:
    vocabulary = {w for table in tables for words in table.values() for w in words if len(w) >= 4}
    for table in tables:
        for words in table.values():
            words.update(part for w in list(words) for part in _compound_part(w, vocabulary))


def description(code: str) -> str | None:
    return nomenclature().text.get(code)


def subheadings(prefix: str) -> list[str]:
    return _starting_with(_lookup().hs6, prefix)


def in_edition(code: str, edition: str) -> bool:
    """Whether a subheading (or any under a heading) exists in an HS edition (hs2017, hs2022)."""
    if len(code) < 6:
        return bool(_starting_with(_lookup().editions[edition], code, limit=1))
    return code[:6] in nomenclature().editions[edition]


def _is_parts(code: str) -> bool:
    text = (description(code) or "").lower()
    return bool(re.search(r"\bparts?\b|accessor", text)) and len(code) == 6


_WASTE_WORDS = {norm(w) for w in ("waste", "scrap", "отходы", "лом")}


def _names_parts(code: str, words: list[str]) -> bool:
    """A subheading for parts or accessories of goods ("Engines; parts of aircraft engines", "Railway
    locomotives; parts n.e.c."), unless it also names some of the words as goods of its own ("parts,
    axles and wheels"); not one that also covers their parts ("gear boxes and parts thereof")."""
    tail = (description(code) or "").split(";")[-1].strip().lower()
    return len(code) == 6 and bool(re.match(r"(?:parts?|accessories)\b", tail)) and \
        not set(words) & (_head_words(re.split(r"[(:]|\bof\b", tail)[0]) - {"part", "accessori", "and", "or", "thereof"})


def _is_waste(code: str) -> bool:
    return bool(re.search(r"\b(?:waste|scrap)\b", description(code) or "", re.I))


def _is_residual(code: str) -> bool:
    """A subheading for what the others leave ("Optical devices ...; n.e.c. in heading 9013")."""
    text = (description(code) or "").lower()
    tail = text.split(";")[-1].strip()
    return bool(re.match(r"(?:n\.e\.[cs]|other\b(?!\s+than))", tail)) or bool(re.match(r"other\b(?!\s+than)", text))


# -- resolving a phrase ----------------------------------------------------------------------

_GENERIC = {norm(w) for w in ("equipment", "apparatus", "devices", "device", "machines", "instruments", "appliances",
                              "sets",
                              "systems", "hardware", "оборудование", "аппаратура", "устройство", "прибор", "техника")}
_OTHER = re.compile(r"(?<![\w-])(?:other|others|прочи\w*|други\w*)(?![\w-])|"
                    r"not\s+(?:elsewhere\s+)?specified|n\.e\.[cs]",
                    re.I)


# Head nouns that name a machine or an instrument: the goods are then in the machinery, electrical,
# vehicle and instrument chapters ("coffee machines" are coffee makers, not coffee).
_MACHINE_HEADS = {norm(w) for w in ("machines", "machine", "equipment", "apparatus", "devices", "appliances",
                                    "instruments", "машина", "оборудование", "аппаратура", "устройство", "прибор",
                                    "техника")}
_MACHINE_CHAPTERS = ("84", "85", "86", "87", "88", "89", "90", "91")


# Head nouns that name a category of goods, not goods: "dual-use goods", «промышленные товары».
_CATEGORY_HEADS = {"good", "goods", "product", "item", "commod", "товар", "продукция", "продукт"}
_PREPOSITION = re.compile(r"(?<![\w-])(?:for|of|with|from|to|in|для|из|с|со|от|к|в|на)(?![\w-])", re.I)


# What follows the goods and only qualifies them ("... not specified elsewhere", "other than ...", «кроме ...»).
_QUALIFIER_TAIL = re.compile(r"[\s,(]+(?:(?:that\s+are\s+)?not\s+(?:elsewhere\s+)?(?:specified|included)|n\.?\s?e\.?\s?[cs]\b|"
                             r"other\s+than|excluding|except|не\s+включенн\w+|в\s+другом\s+месте|кроме|"
                             r"за\s+исключением|помимо)", re.I)


def _head_word(phrase: str) -> str | None:
    """The head noun of a noun phrase as written: in Russian the first noun ("жгуты проводов" -> «жгуты»),
    in English the last word before a preposition ("gearboxes for vehicles" -> "gearboxes")."""
    group = _PREPOSITION.split(_QUALIFIER_TAIL.split(phrase, maxsplit=1)[0], maxsplit=1)[0]
    words = [m.group(0) for m in _WORD.finditer(group) if not m.group(0).isdigit()]
    if not words:
        return None
    if re.search(r"[а-яё]", " ".join(words), re.I):
        morph = _stemmers()[1]
        for word in words:
            if any(p.tag.POS == "NOUN" for p in morph.parse(word.lower())[:1]):
                return word
    return words[-1]


def phrase_head(phrase: str) -> str | None:
    """The normalised head noun of a noun phrase (:func:`norm` of :func:`_head_word`)."""
    word = _head_word(phrase)
    return norm(word) if word else None


def _head_lemmas(word: str) -> list[str]:
    """Every noun lemma a Russian head word can have, the likeliest first («часов»: «час», «часы»);
    an English word's stem."""
    first = norm(word)
    if not re.search(r"[а-яё]", word, re.I):
        return [first]
    parses = _stemmers()[1].parse(word.lower())
    others = [p.normal_form.replace("ё", "е") for p in parses if p.tag.POS == "NOUN"]
    return list(dict.fromkeys([first, *others]))


def _nomenclature_reading(phrase: str) -> ProductMatch | None:
    """The nomenclature's answer for a phrase, read with each lemma its head noun can have; None when
    no reading is confident or two readings name different goods («часов»: hours or watches)."""
    words = [t for _, _, t in tokens(phrase) if t not in _STOP["en"] | _STOP["ru"] and not t.isdigit()]
    raw_head = _head_word(phrase)
    if not words or raw_head is None:
        return None
    head = norm(raw_head)
    other = bool(_OTHER.search(phrase))
    readings = []
    for lemma in _head_lemmas(raw_head):
        match = _lexical([lemma if w == head else w for w in words], other=other, head=lemma)
        if match is not None and match.confidence >= MIN_CONFIDENCE:
            readings.append(match)
    if len({tuple(m.codes) for m in readings}) != 1:
        return None
    match = readings[0]
    match.text, match.start, match.end = phrase, 0, len(phrase)
    return match


def _lexical(words: list[str], other: bool = False, head: str | None = None) -> ProductMatch | None:
    content = [w for w in words if w not in _GENERIC]
    if not content or head in _CATEGORY_HEADS:
        return None  # «оборудование», "equipment", "luxury goods": no goods named
    return _lexical_core(content, other, phrase=words, head=None if head in _GENERIC else head)


_SPARE_PARTS_WORDS = ("запчасть", "комплектующие", "деталь")


def _known_words(words: list[str], nom: _Nomenclature) -> list[str]:
    """The words as the nomenclature writes them: Russian words for spare parts as «части»
    («запчасти», «комплектующие»), a compound it does not know as its known parts («кофемашина»)."""
    out = []
    for w in words:
        if w in _SPARE_PARTS_WORDS:
            w = "часть"  # «запчасти», «комплектующие», «детали»: the nomenclature's «части»
        if w in nom.idf:
            out.append(w)
        else:
            vocabulary = set(nom.idf)
            out += _compound_part(w, vocabulary) or _closed_compound(w, vocabulary) or [w]
    return out


def _lexical_core(words: list[str], other: bool = False, phrase: list[str] | None = None,
                  head: str | None = None) -> ProductMatch | None:
    nom = nomenclature()
    index = _lookup()
    head_noun = head
    if head_noun is not None and head_noun not in nom.idf and head_noun not in index.heading_words:
        closed = _closed_compound(head_noun, set(nom.idf))
        parts = _compound_part(head_noun, set(nom.idf))
        if len(parts) == 1 and len(parts[0]) >= 0.6 * len(head_noun):
            head_noun = parts[0]  # another form of a known word ("conditioner": "conditioning")
        elif closed:
            head_noun = closed[-1]  # "gearbox": a box
        elif parts:
            # a head noun the nomenclature does not know, read as a compound of words it knows, names
            # no goods it can vouch for: «фотоаппарат» is not «фото» + «аппарат» (diffraction apparatus)
            return None
        else:
            head_noun = None
    vocabulary = set(nom.idf)
    # a compound the nomenclature does not know names goods only where both its parts are found:
    # «фотоаппарат» is not any «аппарат» («аппараты дифракционные»)
    compounds = [parts for w in words if w not in nom.idf and w not in _SPARE_PARTS_WORDS
                 and len(parts := _compound_part(w, vocabulary)) > 1]
    phrase = _known_words(phrase or words, nom)
    words = _known_words(words, nom)
    query = [w for w in dict.fromkeys(words) if w in nom.idf or w in index.heading_words]
    if not query:
        return None
    weights = {w: nom.idf.get(w, math.log(len(nom.hs6))) for w in query}
    total = sum(weights.values()) + sum(math.log(len(nom.hs6)) for w in set(words) - set(query))
    best: list[tuple[float, float, str]] = []
    # "electronic components" are not waste and scrap of electronic assemblies (8549) unless the words say so
    asks_waste = any(w in _WASTE_WORDS for w in phrase)
    # nor are "aircraft engines" the subheading for their parts unless the words say parts
    asks_parts = any(w in _PARTS_WORDS or w in _SPARE_PARTS_WORDS for w in phrase)
    # answers are in the current edition (comparability is checked at verification), and a
    # subheading that holds none of the words scores nothing; the sort below fixes the order
    for code in set().union(*(index.codes_by_word.get(w, frozenset()) for w in query)):
        own = nom.hs6[code]
        heading_text = nom.heading.get(code[:4], set())
        sub = nom.below.get(code, set())
        score = specific = 0.0
        for w in query:
            if w in own:
                score += weights[w]
                specific += weights[w]
            elif w in sub:
                score += 0.8 * weights[w]
                specific += 0.8 * weights[w]
            elif w in heading_text:
                score += 0.7 * weights[w]
        if any(not all(p in own or p in sub or p in heading_text for p in parts) for parts in compounds):
            continue
        if score and (asks_waste or not _is_waste(code)) and (asks_parts or not _names_parts(code, query)):
            best.append((score / total, specific / total, code))
    if not best:
        return None
    best.sort(reverse=True)
    top = best[0][0]
    winners = [(s, sp, c) for s, sp, c in best if s >= top - 1e-9]
    if head_noun is not None:
        # the best answers must hold the head noun as the goods, not in a complement: «трансформаторы
        # для телевизоров» are not televisions; the check comes after the ranking, so that rivals the
        # check leaves out still make a tie
        winners = [w for w in winners if head_noun in nom.heads.get(w[2], ()) or
                   head_noun in nom.heads.get(w[2][:4], ())]
        if not winners:
            return None
        # nor as a modifier of other goods: "engine oil" is not "oil or petrol filters", «железная руда»
        # not «продукты прямого восстановления железной руды»
        winners = [w for w in winners if head_noun in nom.leads.get(w[2], ()) or
                   head_noun in nom.leads.get(w[2][:4], ())]
        if not winners:
            return None
    # a heading whose own text names all the words as its goods («Пиво солодовое», «Золото») outranks
    # a subheading of another heading that only mentions them («пиво безалкогольное», «соединения
    # золота»): the ranking cannot tell which is meant, so no answer
    winning_headings = {c[:4] for _, _, c in winners}
    named_by = {h for h in {c[:4] for _, _, c in best} if set(query) <= nom.heads.get(h, set())}
    if named_by and not named_by & winning_headings:
        return None
    # subheadings of unrelated chapters that each repeat the word, under headings whose text does not hold it
    # («литий»: lithium-ion accumulators, lithium enriched in lithium-6): the word names none of them
    if len({c[:2] for c in winning_headings}) > 1 and \
            not any(set(query) <= nom.heading.get(h, set()) for h in winning_headings):
        return None
    # another heading whose text opens with the head noun names the same goods («Часы наручные ...»
    # 9101 beside «Часы прочие» 9105): the words cannot choose between them
    if head_noun is not None and any(
            (d.split() or [""])[0] == head_noun for h in named_by - winning_headings
            if head_noun in nom.leads.get(h, ())  # not "Cigarette paper"
            for d in [*nom.sequences.get(h, ()), _sequence(nom.text.get(h, ""))]):
        return None
    if any(w in _MACHINE_HEADS for w in phrase):
        winners = [w for w in winners if w[2].startswith(_MACHINE_CHAPTERS)] or winners
    if all(sp == 0 for _, sp, _ in winners):
        headings = sorted({c[:4] for _, _, c in winners})
        return ProductMatch(headings, 4, round(top, 3), "; ".join(nom.text.get(h, h) for h in headings),
                            "nomenclature")
    winners = [w for w in winners if w[1] > 0]
    if other:  # "other units of ...": the residual (n.e.c.) subheadings among them
        winners = [w for w in winners if _is_residual(w[2])] or winners
    codes = sorted(c for _, _, c in winners)
    headings = sorted({c[:4] for c in codes})
    if len(headings) > 1:
        # Several headings: the one whose descriptions hold the whole phrase in order ("washing
        # machines"), or open with it; else the one whose own text opens with the phrase's words
        # ("Tractors (other than ...)"), if exactly one does.
        named = _phrase_headings(headings, codes, phrase, nom)
        if len(named) > 1:
            # "watches": wrist-watches with precious-metal cases (9101) and the others (9102)
            return ProductMatch(named, 4, round(top, 3), "; ".join(nom.text.get(h, h) for h in named),
                                "nomenclature")
        if not named and len(headings) > 3:
            return None  # words many headings share ("steel") name none of them
        opening = named or [h for h in headings
                            if (tokens(nom.text.get(h, "")) or [(0, 0, "")])[0][2] in set(words)]
        if len(opening) != 1:
            return None
        headings = opening
        codes = [c for c in codes if c.startswith(opening[0])]
    whole = [c for c in subheadings(headings[0]) if not _is_parts(c)]
    residual_only = not other and all(nom.residual.get(c) for c in codes) and \
        set(query) <= nom.heading.get(headings[0], set())
    # «пылесосы прочие» repeats its heading's word; it is not what «пылесосы» names alone
    if len(codes) > 3 or (len(codes) > 1 and set(whole) <= set(codes)) or residual_only:
        return ProductMatch(headings, 4, round(top, 3), nom.text.get(headings[0], headings[0]), "nomenclature")
    return ProductMatch(codes, 6, round(top, 3), "; ".join(nom.text.get(c, c) for c in codes), "nomenclature")


def _phrase_headings(headings: list[str], codes: list[str], phrase: list[str], nom: _Nomenclature) -> list[str]:
    """Among tied headings, those the phrase names: the one whose descriptions hold the whole phrase in
    order; else those whose own text opens by naming it as a head noun ("Wrist-watches, pocket-watches
    and other watches; ..."), narrowed to the one whose subheadings open with it ("Washing machines; ...",
    not "Dish washing machines"); else the one whose subheadings open with it."""
    sequence = " ".join(phrase)

    def descriptions(heading: str) -> list[str]:
        return [d for c in [heading, *(c for c in codes if c.startswith(heading))] for d in nom.sequences.get(c, ())]

    holding = [h for h in headings if any(f" {sequence} " in f" {d} " for d in descriptions(h))]
    if len(holding) == 1:
        return holding
    head = re.compile(rf"^(?:\S+ ){{0,8}}{re.escape(sequence)}(?: \||$)")
    # a complement, not the goods: "apparatus for radio-broadcasting or television", "with self-contained
    # electric motor", «для телевизоров»
    complement = re.compile(rf"(?:^| )(?:for|with|of|для|с|со) (?:[^|\s]+ ){{0,3}}{re.escape(sequence)}(?: \||$)")
    # a heading that is the phrase under one modifier ("Imitation jewellery") names a kind of the goods
    kind = re.compile(rf"[^|\s]+ {re.escape(sequence)}")
    named = [h for h in holding
             if any(head.search(d) and not complement.search(d) and not kind.fullmatch(d)
                    for d in nom.sequences.get(h, ()))]
    opening = [h for h in holding
               if any(re.match(rf"{re.escape(sequence)}(?: \||$)", d) for d in descriptions(h))]
    both = [h for h in named if h in opening]
    if len(both) == 1:
        return both
    if 1 < len(named) <= 3 and all(int(b) - int(a) == 1 for a, b in zip(named, named[1:])):
        return named  # one kind of goods split over neighbouring headings (watches: 9101, 9102)
    return opening if len(opening) == 1 else []


def resolve(phrase: str, lang: str = "en") -> ProductMatch | None:
    """The HS codes a noun phrase names, or None below :data:`MIN_CONFIDENCE`."""
    found = find_products(phrase, lang, whole_phrase=True)
    if found and _holds_head(phrase, found):
        return found
    # a synonym for a modifier only ("aircraft engines", "car batteries") does not name the goods
    return _nomenclature_reading(phrase)


def _holds_head(phrase: str, match: ProductMatch) -> bool:
    """Whether a match's words include the phrase's head noun (or the phrase has none)."""
    head = _head_word(phrase)
    if head is None:
        return True
    at = [m.start() for m in re.finditer(rf"(?<![\w-]){re.escape(head)}(?![\w-])", phrase)]
    return not at or any(match.start <= a < match.end for a in at) or norm(head) in _STOP["en"] | _STOP["ru"]


def resolve_in_nomenclature(phrase: str, lang: str = "en") -> ProductMatch | None:
    """The nomenclature reading of a phrase alone (no synonym table)."""
    return _nomenclature_reading(phrase)


# -- products in a sentence ---------------------------------------------------------------------

_COORD = re.compile(r"^\s*(?:,\s*)?(?:and|or|&|и|или|,)(?:\s+(?:other|similar|related|други\w*|прочи\w*))?\s*$|"
                    r"^\s*/\s*$", re.I)
_OTHER_BEFORE = re.compile(r"(?:\bother|прочи\w*|други\w*)\s+$", re.I)
_NEC_AFTER = re.compile(r"^[\s,]*(?:(?:that\s+are\s+)?not\s+(?:specified|elsewhere\s+specified|included|"
                        r"elsewhere\s+(?:specified|included))(?:\s+(?:or\s+included\s+)?elsewhere)?|n\.?\s?e\.?\s?[cs]\.?|"
                        r"не\s+включенн\w+\s+в\s+друг\w+|в\s+другом\s+месте\s+не\s+поименованн\w+)", re.I)
_EXCEPT_AFTER = re.compile(r"^[\s,(]*(?:that\s+is,?\s+)?(?:other\s+than|excluding|except(?:\s+for)?|"
                           r"кроме|за\s+исключением|помимо)\s+([^.;)]{2,120})", re.I)


def _synonym_matches(text: str, whole_phrase: bool = False) -> list[ProductMatch]:
    words = tokens(text)
    table = synonyms()
    found: list[ProductMatch] = []
    i = 0
    while i < len(words):
        hit = None
        for syn in table.get(words[i][2], []):
            if syn.phrase_only and not (whole_phrase and len(syn.words) == len(words)):
                continue  # "state TV reported ...": only a product phrase that is the word alone
            n = len(syn.words)
            if tuple(t for _, _, t in words[i:i + n]) == syn.words:
                hit = (syn, n)
                break
        if hit is None:
            i += 1
            continue
        syn, n = hit
        start, end = words[i][0], words[i + n - 1][1]
        found.append(ProductMatch(list(syn.codes), 6 if all(len(c) == 6 for c in syn.codes) else 4, 1.0,
                                  syn.label, "synonym", text[start:end], start, end))
        i += n
    return found


def synonym_codes(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, HS codes) of every trade-press product word in ``text``
    («ноутбуков», "chips"), from the synonym table only (no nomenclature
    guesses): the evidence the code finder uses for a bare number beside it."""
    return [(m.start, m.end, list(m.codes)) for m in _synonym_matches(text)]


def _expand_group(codes: list[str]) -> list[str]:
    """Headings of a group as their subheadings (parts left out)."""
    out: list[str] = []
    for code in codes:
        if len(code) == 4:
            out += [c for c in subheadings(code) if not _is_parts(c)]
        else:
            out.append(code)
    return out


_LOW_POWER = re.compile(r"^[^.;]{0,40}?(?:less\s+than|under|below|менее|меньше|до)\s*1\s*(?:W|Вт|watt)", re.I)
_HIGH_POWER = re.compile(r"^[^.;]{0,40}?(?:(?:more\s+than|over|at\s+least|above|не\s+менее|более|свыше)"
                         r"\s*1\s*(?:W|Вт|watt)"
                         r"|1\s*(?:W|Вт|watt)\s*(?:or\s+more|and\s+(?:above|over)|и\s+более))", re.I)


def _apply_qualifiers(text: str, match: ProductMatch, others: list[ProductMatch]) -> ProductMatch:
    if set(match.codes) == {"854121", "854129"}:
        # transistors "with a dissipation rate of less than 1 W" / "of 1 W or more" (HS 8541.21 / .29)
        after = text[match.end:match.end + 80]
        for regex, code in ((_LOW_POWER, "854121"), (_HIGH_POWER, "854129")):
            m = regex.match(after)
            if m:
                return ProductMatch([code], 6, match.confidence, description(code) or code, match.method,
                                    text[match.start:match.end + m.end()], match.start, match.end + m.end())
    group = _expand_group(match.codes)
    if len(group) < 2:
        return match
    narrowed = _narrow_by_modifier(text, match, group)
    if narrowed is not None:
        return narrowed
    before = text[max(0, match.start - 20):match.start]
    after = text[match.end:]
    keep = group
    note = None
    exclusion = _EXCEPT_AFTER.match(after)
    if exclusion:
        items = [{t for _, _, t in tokens(item)} - _STOP["en"] - _STOP["ru"]
                 for item in re.split(r",|\band\b|\bor\b|\bи\b|\bили\b", exclusion.group(1))]
        dropped = []
        for code in group:
            hs_words = {t for _, _, t in tokens(description(code) or "")}
            if any(item and item <= hs_words for item in items):
                dropped.append(code)
        if dropped and len(dropped) < len(group):
            keep = [c for c in group if c not in dropped]
            note = f"other than {', '.join(dropped)}"
            match.end = match.end + exclusion.end()
    if _OTHER_BEFORE.search(before) or _NEC_AFTER.match(after) or note:
        residual = [c for c in keep if _is_residual(c)]
        if residual:
            keep = residual
            note = note or "the residual (n.e.c.) subheadings"
    if note:
        return ProductMatch(keep, 6, match.confidence, f"{match.description} ({note})", match.method,
                            text[match.start:match.end], match.start, match.end, [note])
    return match


@lru_cache(maxsize=1)
def _subheading_words() -> dict[str, set[str]]:
    """Subheading -> the normalised words of the synonyms that name it alone ("amplifier chip" -> 8542.33)."""
    out: dict[str, set[str]] = {}
    for entries in synonyms().values():
        for syn in entries:
            if len(syn.codes) == 1 and len(syn.codes[0]) == 6:
                out.setdefault(syn.codes[0], set()).update(syn.words)
    return out


def _narrow_by_modifier(text: str, match: ProductMatch, group: list[str]) -> ProductMatch | None:
    """A group word with a modifier that only some of its subheadings' synonyms use ("amplifier ICs",
    "memory ICs"): those subheadings."""
    before = tokens(text[max(0, match.start - 30):match.start])
    if not before or text[match.start - 1:match.start] not in (" ", "-"):
        return None
    modifier = before[-1][2]
    if modifier in _STOP["en"] or modifier in _STOP["ru"] or modifier.isdigit():
        return None
    words = _subheading_words()
    spread = {code for code in group if modifier in words.get(code, set())}
    if not spread or len(spread) == len(group):
        return None
    codes = sorted(spread)
    start = match.start - (len(text[:match.start]) - len(text[:match.start].rstrip(" -"))) \
        - (before[-1][1] - before[-1][0])
    return ProductMatch(codes, 6, match.confidence, ", ".join(description(c) or c for c in codes), match.method,
                        text[start:match.end], start, match.end, [f"narrowed by '{text[start:match.start].strip()}'"])


def _shared_head(earlier: str, later: str) -> ProductMatch | None:
    """The earlier name read with the later name's head noun, when the table knows that phrase
    ("helicopter" + "aeroplane parts" -> "helicopter parts")."""
    words = later.split()
    if len(words) < 2 or len(earlier.split()) != 1:
        return None
    phrase = f"{earlier} {words[-1]}"
    found = _synonym_matches(phrase)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(phrase):
        return found[0]
    return None


def find_products(text: str, lang: str = "en", exclude: list[tuple[int, int]] | None = None,
                  whole_phrase: bool = False) -> ProductMatch | None:
    """The product a sentence names by words, or None.

    Coordinated names ("routers and switches", «процессоров и контроллеров»)
    are one product; words after "other than" / «кроме» only qualify the
    product before them. ``exclude`` spans (e.g. country names) are skipped;
    ``whole_phrase``: the text is a product phrase, so words that name goods
    only on their own ("TV") count when they are all of it.
    """
    matches = [m for m in _synonym_matches(text, whole_phrase)
               if not any(a <= m.start < b for a, b in exclude or [])]
    if not matches:
        return None
    first = _apply_qualifiers(text, matches[0], matches[1:])
    codes = list(first.codes)
    end, label = first.end, [first.description]
    for other in matches[1:]:
        if other.start < end:
            continue  # inside the qualifier ("other than processors")
        if text[end:other.start] == "-" and set(other.codes) <= set(_expand_group(codes)):
            codes, label, end = list(other.codes), [other.description], other.end  # "chip-processors"
            continue
        if _COORD.match(text[end:other.start]):
            shared = _shared_head(text[first.start:end], other.text)
            if shared is not None and len(label) == 1:
                # "helicopter and aeroplane parts": the head noun belongs to both names
                codes, label = list(shared.codes), [shared.description]
            for c in other.codes:
                if c not in codes:
                    codes.append(c)
            label.append(other.description)
            end = other.end
        else:
            break
    # "laptops and other computers": a heading named with one of its own
    # subheadings covers it.
    narrowed = [c for c in codes if not any(o != c and c.startswith(o) for o in codes)]
    return ProductMatch(sorted(narrowed), 6 if all(len(c) == 6 for c in narrowed) else 4, first.confidence,
                        " + ".join(dict.fromkeys(label)), first.method, text[first.start:end], first.start, end,
                        first.notes)
