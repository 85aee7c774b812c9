"""Claim detection and framing, English and Russian.

A *claim* is a sentence that states a change, trend or level of trade
(exports, re-exports, imports) about goods and countries. ``detect_claims``
finds them; ``frame_claim`` parses one into a :class:`ClaimFrame`:

* **what**: HS/CN codes written in the sentence (via the HS-code extractor),
  product words mapped to codes, or a named item set ("all CHP items",
  "most sensitive items" = CHP tiers 1-2) — vocabularies in
  ``nlp/data/claims/vocab.yaml``;
* **flow and countries**: reporter ("EU exports", "from X"), partner ("to X",
  "в X"), transit ("via X", "через X");
* **direction** (increase / decrease / stable) and **magnitude** when stated
  ("by 35%", "doubled", "x3");
* **period and baseline** as calendar intervals from the date extractor:
  the claim window ("in 2022", "in recent months" against the publication
  date, "after April 2023") and the baseline named after "compared with" /
  "по сравнению с", or the domain anchors ("pre-invasion");
* **attribution**: who says it ("a Commission spokesperson told Vlast").

This module only reads text; checking a frame against data is
:mod:`nlp.link.verify`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from ..settings import DATA_DIR
from .magnitudes import find_measure

VOCAB_PATH = DATA_DIR / "claims" / "vocab.yaml"


@lru_cache(maxsize=1)
def vocab() -> dict[str, Any]:
    return yaml.safe_load(VOCAB_PATH.read_text(encoding="utf-8"))


def _pattern(key: str) -> str:
    """Regex for a vocabulary key: a word prefix, whole word when short."""
    escaped = re.escape(key.lower()).replace(r"\ ", r"\s+")
    if len(key) <= 3 and key.isalpha():
        return rf"(?<![\w-]){escaped}(?![\w-])"
    return rf"(?<![\w-]){escaped}[\w-]*"


@lru_cache(maxsize=None)
def _compiled(group: str) -> list[tuple[str, re.Pattern]]:
    """(value, regex) pairs for a mapping group of the vocabulary."""
    data = vocab()[group]
    pairs: list[tuple[str, re.Pattern]] = []
    if isinstance(data, dict):
        for value, keys in data.items():
            for key in keys:
                pairs.append((value, re.compile(_pattern(str(key)), re.I)))
    # Longest keys first, so "re-export" wins over "export".
    return sorted(pairs, key=lambda p: -len(p[1].pattern))


@dataclass
class Period:
    text: str
    interval: list[str | None]  # [first ISO day or None, last ISO day or None]
    value: str | None = None
    mod: str | None = None

    def bounds(self) -> tuple[dt.date | None, dt.date | None]:
        a, b = self.interval
        return (dt.date.fromisoformat(a) if a else None, dt.date.fromisoformat(b) if b else None)


@dataclass
class ClaimFrame:
    text: str
    lang: str
    published: str | None
    start: int = 0
    end: int = 0
    subject: dict[str, Any] = field(default_factory=dict)  # label, codes, item_set, tiers
    flow: str | None = None
    reporter: str | None = None
    partner: str | None = None
    transit: str | None = None
    direction: str | None = None
    magnitude: dict[str, Any] | None = None
    period: Period | None = None
    baseline: Period | None = None
    attribution: str | None = None
    measure: dict[str, Any] | None = None      # kind, direction, value, text, rule (nlp.link.magnitudes)
    periods: dict[str, Any] | None = None      # window / baseline as months and how the baseline was read
    missing: list[str] = field(default_factory=list)  # what the sentence leaves unresolved
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ClaimFrame":
        data = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("period", "baseline"):
            if data.get(key):
                data[key] = Period(**data[key])
        return cls(**data)


# -- sentence splitting ------------------------------------------------------

def sentences(text: str) -> list[tuple[int, int, str]]:
    """Sentence spans (start, end, text) via razdel (EN and RU)."""
    from razdel import sentenize

    out = []
    for sent in sentenize(text):
        # Paragraph breaks end sentences too (titles and list items).
        offset = sent.start
        for part in re.split(r"\n\s*\n", sent.text):
            stripped = part.strip()
            if stripped:
                begin = text.index(stripped, offset)
                out.append((begin, begin + len(stripped), stripped))
                offset = begin + len(stripped)
    return out


# -- pieces of a frame ---------------------------------------------------------

def _first_match(group: str, sentence: str) -> tuple[str, re.Match] | None:
    best = None
    for value, regex in _compiled(group):
        m = regex.search(sentence)
        if m and (best is None or m.start() < best[1].start()):
            best = (value, m)
    return best


def find_flow(sentence: str) -> str | None:
    hit = _first_match("flows", sentence)
    return hit[0] if hit else None


def find_direction(sentence: str) -> str | None:
    hit = _first_match("directions", sentence)
    return hit[0] if hit else None


_MAGNITUDE = [
    (re.compile(r"(?:by|на)\s+(\d+(?:[.,]\d+)?)\s*(?:%|per ?cent|процент)", re.I), "percent"),
    (re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:%|per ?cent|процент)", re.I), "percent"),
    (re.compile(r"(?<![\w-])x\s?(\d+(?:[.,]\d+)?)\b", re.I), "factor"),
    (re.compile(r"(?<![\w-])в\s+(\d+(?:[.,]\d+)?)\s+раза?\b", re.I), "factor"),
    (re.compile(r"(\d+(?:[.,]\d+)?)[- ]fold", re.I), "factor"),
]
_WORD_FACTORS = {"doubl": 2.0, "удвои": 2.0, "tripl": 3.0, "утрои": 3.0, "halv": 0.5}


_AT_LEAST = re.compile(r"(?:more than|over|at least|более чем|больше чем|свыше|не менее)\s+$", re.I)
_AT_MOST = re.compile(r"(?:less than|under|at most|almost|nearly|менее чем|меньше чем|почти|не более)\s+$", re.I)


def find_magnitude(sentence: str) -> dict[str, Any] | None:
    """The stated size of the change, with "more than"/"almost" as a bound."""
    found = None
    for regex, kind in _MAGNITUDE:
        m = regex.search(sentence)
        if m:
            found = ({"value": float(m.group(1).replace(",", ".")), "kind": kind, "text": m.group(0)}, m.start())
            break
    if found is None:
        lower = sentence.lower()
        for stem, factor in _WORD_FACTORS.items():
            at = lower.find(stem)
            if at >= 0:
                found = ({"value": factor, "kind": "factor", "text": stem}, at)
                break
    if found is None:
        return None
    magnitude, at = found
    before = sentence[max(0, at - 20):at]
    magnitude["bound"] = "at_least" if _AT_LEAST.search(before) else ("at_most" if _AT_MOST.search(before) else "about")
    return magnitude


_ROLE_BEFORE = [
    # (role, regex for the words right before a country name)
    ("transit", r"(?:via|through|transit(?:ed)?\s+through|через|транзитом\s+через)\s+"),
    ("partner", r"(?:to|into|destined\s+for|bound\s+for|for|в\s+адрес|в\s+направлении|в|во|на)\s+"),
    ("reporter", r"(?:from|out\s+of|из|от|со?\s+стороны)\s+"),
]
_GROUP_WORDS = (r"(?:(?:member\s+)?(?:states|countries)\s+of\s+(?:the\s+)?|стран\w*\s+|государств\w*[-\s]+член\w*\s+"
                # a state's long form: "the Republic of Belarus", «Республику Беларусь», «Киргизской Республики»
                r"|(?:republic|federation|kingdom)\s+of\s+|республик\w*\s+|федераци\w*\s+)?")
_NOT_A_ROLE = re.compile(r"(?:invasion\s+of|war\s+(?:in|on|against)|of|против|вторжени\w+\s+в|войн\w+\s+в)"
                         r"\s+(?:the\s+)?$",
                         re.I)


_RECEIVER_AFTER = re.compile(
    r"['’]s\s+(?:intake|purchases|receipts|deliveries\s+from)\b|"
    # a time phrase may stand between the buyer and the verb: «Казахстан в первом полугодии 2022 года закупил»
    r"(?:\s+(?:importers|buyers|companies|firms|consumers|импорт[её]р\w*|покупател\w*|компани\w*|фирм\w*))?"
    r"(?:\s+(?:in|during|over|в|во|за|по\s+итогам)\s+[^,.;:]{1,45}?)?"
    r"(?:['’]s\s+)?\s*(?:has\s+|have\s+|had\s+)?(?:received|receives|receiving|took\s+in|takes\s+in|taken\s+in|"
    r"bought|buys|purchased|obtained|got|получил\w*|получа\w*|закупил\w*|закупа\w*|приобрел\w*|приобрёл\w*|"
    r"(?:stepped|ramped|scaled)\s+up\s+(?:its\s+|their\s+)?(?:purchases|intake)|"
    r"(?:нарастил|увеличил|сократил|снизил|уменьшил|нарастил)\w*\s+(?:закупки|закупок|покупки))\b",
    re.I)
# «закупил в ЕС», «закупки часов в Евросоюзе»: after a purchase word, «в X» is where the goods were bought
_PURCHASE_BEFORE = re.compile(r"(?:закуп\w*|купил\w*|покупа\w*|покупк\w*|приобр[её]\w*)(?:\s+[^\s,.;:]+){0,4}\s+$",
                              re.I)
# "EU-made", "EU-built", "Russian-produced": the goods' origin
_ORIGIN_SUFFIX = r"made|built|produced|manufactured|sourced|origin"
_SPEAKER_AFTER = re.compile(
    r"['’]?s?\s*(?:has\s+|have\s+|had\s+|is\s+|was\s+)?(?:identified|said|says|welcomed|noted|reported|warned|stated|"
    r"told|believes|found|announced|spokes\w+|officials?|commission\w*|ministry|ambassador|delegation|"
    r"заявил\w*|сообщил\w*|отметил\w*)\b", re.I)


def country_mentions(sentence: str) -> list[tuple[int, int, str, str, str]]:
    """(start, end, text, code, form) for every country or group named, incl. "Kazakhstan-bound"."""
    return list(_country_mentions(sentence))


@lru_cache(maxsize=64)
def _country_mentions(sentence: str) -> tuple[tuple[int, int, str, str, str], ...]:
    # A claim's sentence is read for its countries twice (roles, product slot): scanned once.
    from ..countries import code_of
    from ..countries import find_countries as mentions_in

    found = [(m.start, m.end, m.text, m.country.code, m.form) for m in mentions_in(sentence)]
    for m in re.finditer(rf"\b([A-Z][\w]+)-(?:bound|{_ORIGIN_SUFFIX})\b", sentence):
        code = code_of(m.group(1))
        if code and not any(a <= m.start() < b for a, b, _, _, _ in found):
            found.append((m.start(), m.end(), m.group(0), code, "demonym"))
    return tuple(sorted(found))


def find_countries(sentence: str) -> dict[str, str]:
    """Reporter / partner / transit roles of the countries a sentence names.

    The words before a name decide ("to X"/«в X» partner, "from X"/«из X»
    reporter, "via X"/«через X» transit); for imports "from X" is the
    partner and "into X" the reporter. A name with no preposition that
    stands before the flow word or is the subject ("EU exports", "Turkish
    exports", «ЕС утроил поставки», "Kazakh buyers") is the reporter, or
    the partner when written "X-bound" / "buyers in X".
    """
    roles: dict[str, str] = {}
    lower = sentence.lower()
    flow_hit = _first_match("flows", sentence)
    flow = flow_hit[0] if flow_hit else None
    if re.search(r"\bimports?\s+(?:in)?to\b|импорт\w*\s+\w+ом\b", lower) and flow == "export":
        flow = "import"
    unplaced: list[tuple[int, str, str]] = []
    for start, end, text, code, form in country_mentions(sentence):
        before = lower[max(0, start - 30):start]
        after = lower[end:end + 12]
        role = None
        made = bool(re.search(rf"-(?:{_ORIGIN_SUFFIX})$", text.lower())
                    or re.match(rf"-?\s*(?:{_ORIGIN_SUFFIX})\b", after))
        if made:
            role = "partner" if flow == "import" else "reporter"
        elif text.lower().endswith("-bound") or re.match(r"-?\s*bound\b", after) \
                or re.search(r"buyers\s+in\s+(?:the\s+)?$", before):
            role = "partner"
        elif (_NOT_A_ROLE.search(before) and not (form == "demonym" and before.rstrip().endswith(" of"))
              and not re.search(r"(?:republic|federation|kingdom)\s+of\s+$", before)) \
                or _SPEAKER_AFTER.match(after + lower[end + 12:end + 40]):
            continue
        else:
            for name, prefix in _ROLE_BEFORE:
                if re.search(prefix + r"(?:the\s+)?" + _GROUP_WORDS + "$", before):
                    role = name
                    break
            if role is None and re.search(r"(?:^|\s)(?:in)?to\s+(?:the\s+)?$", before):
                role = "partner"
        if role == "partner" and re.search(r"(?:^|\s)(?:в|во)\s+(?:\w+\s+){0,2}$", before) \
                and _PURCHASE_BEFORE.search(lower[max(0, start - 60):start]):
            role = "reporter"
        if role is None and _RECEIVER_AFTER.match(after + lower[end + 12:end + 80]):
            role = "partner"  # "Uzbekistan received … from the EU", «Казахстан получил …»
        if flow == "import" and role in ("partner", "reporter") and not made:
            role = "reporter" if role == "partner" else "partner"  # imports into X from Y
        if role is None:
            unplaced.append((start, code, form))
        elif role not in roles:
            roles[role] = code
    for start, code, form in unplaced:
        # A name with no preposition is the reporter when it stands before
        # the flow word or right after it ("EU exports", «импорт Евросоюзом»),
        # or is an adjective ("sales of European memory chips").
        near_flow = flow_hit is None or start < flow_hit[1].start() or 0 <= start - flow_hit[1].end() <= 15 \
            or form == "demonym"
        if flow == "import" and form == "demonym" and flow_hit is not None and start > flow_hit[1].end() \
                and "partner" not in roles and code not in roles.values():
            roles["partner"] = code  # "imports of Russian cars", «импорт европейских ноутбуков»: the goods' origin
            continue
        if near_flow and "reporter" not in roles and code not in roles.values():
            roles["reporter"] = code
    return roles


_CODE_RANGE = re.compile(r"^\s*(?:–|—|-|to|through|по|до)\s*$", re.I)
_PRODUCT_SLOT = [
    # "exports of X to", "shipments of X from", "sales of X were"
    re.compile(r"(?:exports?|shipments?|sales|deliveries|supplies|imports?|re-exports?|intake|purchases|receipts)"
               r"\s+(?:\w+\s+){0,3}?of\s+"
               r"(?P<x>(?:(?!\b(?:to|from|into|in|were|was|rose|fell|by|at)\b)[\w\- ,]){3,80}?)"
               r"\s+(?:to|from|into|in|were|was|rose|fell|grew|declined|jumped|dropped|increased|decreased|"
               r"exported|shipped|by|at|had|have|has)\b", re.I),
    # "X exports from", "EU X exports"
    re.compile(r"(?:^|\b(?:eu|eu's|european|the)\s+)(?P<x>[a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,3}?)\s+"
               r"(?:exports|shipments|sales|imports)\b", re.I),
    # «экспорт X из / в», «поставки X в»
    re.compile(r"(?:экспорт\w*|поставк\w*|вывоз\w*|ввоз\w*|импорт\w*|продаж\w*|закупк\w*|закупок)\s+(?P<x>(?:(?!\b(?:из|в|во|на|с|за|по)\b)"
               r"[а-яё\w\- ]){3,80}?)\s+(?:из|в|во|на|за|по|с)\b", re.I),
]
_PRODUCT_SLOT += [
    # "bought 40% more European TV sets than", «закупил на 20% меньше стиральных машин, чем»
    re.compile(r"\b(?:more|fewer|less)\s+(?P<x>[a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,3}?)\s+(?:from|than|in|to)\b", re.I),
    re.compile(r"(?:больше|меньше)\s+(?P<x>[а-яё][\w\-]*(?:\s+[а-яё][\w\-]*){0,3}?)(?:\s*,|\s+(?:чем|в|из|за)\b)",
               re.I),
]
_NOT_PRODUCT = re.compile(r"^(?:the\s+)?(?:eu|european|union|total|overall|all|trade|goods|products|"
                          r"value|volume|товар\w*|продукци\w*|ес|евросоюз\w*|общ\w*)$", re.I)


def find_subject(sentence: str, lang: str) -> dict[str, Any]:
    """What the claim is about: codes, product words or a named item set.

    Codes written in the sentence win (a range "8541.21 to 8541.29" is every
    subheading between); then named item sets ("all CHP items"); then
    product words (:mod:`nlp.products`). Words in a product slot ("exports
    of X to") that resolve to nothing give ``{"unresolved": X}``: the claim
    is then not checked against some other set of goods.
    """
    from ..extract.hs_codes import find_hs_codes
    from ..products import find_products, resolve, resolve_in_nomenclature, subheadings

    found = find_hs_codes(sentence, lang) or _dotted_codes(sentence)
    if found:
        codes: list[str] = []
        for i, hit in enumerate(found):
            codes.append(_comparable_code(hit["code"]))
            if i and _CODE_RANGE.match(sentence[found[i - 1]["end"]:hit["start"]]) \
                    and len(hit["code"]) == len(found[i - 1]["code"]) == 6 \
                    and hit["code"][:4] == found[i - 1]["code"][:4]:
                codes += [c for c in subheadings(hit["code"][:4]) if found[i - 1]["code"] < c < hit["code"]]
        codes = sorted(set(codes))
        return {"label": "HS " + ", ".join(codes), "codes": codes, "source": "codes",
                "level": max(len(c) for c in codes)}
    for item in vocab()["item_sets"]:
        for word in item["words"]:
            if re.search(_pattern(word), sentence, re.I):
                return {"label": item["label"], "item_set": item["set"], "tiers": item["tiers"],
                        "approximate": bool(item.get("approximate")), "source": "item_set"}
    countries = [(a, b) for a, b, _, _, _ in country_mentions(sentence)]
    product = find_products(sentence, lang, exclude=countries)
    slot = _slot_words(sentence, countries)
    if product is not None and slot and len(slot) > len(product.text) + 3 and product.level == 4 \
            or product is not None and slot and re.search(r"\b(?:other|прочи\w*)\b", slot, re.I) \
            and len(product.codes) > 1:
        # "other units of automatic data processing machines": the whole
        # phrase may name one subheading of what the synonym matched.
        narrower = resolve_in_nomenclature(slot, lang)
        if narrower is not None and narrower.confidence >= 0.9 and narrower.codes != product.codes and all(
                any(c.startswith(p) for p in product.codes) for c in narrower.codes):
            product = narrower
            product.text = slot
    if product is not None:
        return {"label": f"{product.text} (HS {', '.join(product.codes)})", "codes": product.codes,
                "source": "product_words", "level": product.level, "words": product.text,
                "description": product.description, "confidence": product.confidence,
                "method": product.method}
    words = slot
    if words:
        match = resolve(words, lang)
        if match is not None:
            return {"label": f"{words} (HS {', '.join(match.codes)})", "codes": match.codes,
                    "source": "product_words", "level": match.level, "words": words,
                    "description": match.description, "confidence": match.confidence, "method": match.method}
        return {"label": words, "unresolved": words, "source": "product_words"}
    return {}


# "8517.13.00", "8542.31": the dotted HS/CN forms, read as codes in a trade claim without a cue word
# when their heading is in the nomenclature (a claim has already been recognised, so not a date).
_DOTTED_CODE = re.compile(r"(?<![\d.,/])(\d{4})\.(\d{2})(?:\.(\d{2}))?(?![\d/]|[.,]\d)")


def _dotted_codes(sentence: str) -> list[dict[str, Any]]:
    from ..products import nomenclature

    headings = nomenclature().heading
    return [{"code": "".join(g for g in m.groups() if g), "start": m.start(), "end": m.end()}
            for m in _DOTTED_CODE.finditer(sentence) if m.group(1) in headings
            and not _AMOUNT_AROUND.search(sentence[max(0, m.start() - 5):m.start()] + "#" + sentence[m.end():m.end() + 9])]


# "EUR 1205.50 million", "8471.30%": an amount, not a code
_AMOUNT_AROUND = re.compile(r"(?:[€$£]|eur|usd|rub|руб)\s*#|#\s*(?:%|m\b|mn|mln|million|bn|billion|млн|млрд|тыс|евро|долл)",
                            re.I)


def _comparable_code(code: str) -> str:
    """The code as the trade data can be read with it: a CN code ending in 00 is its HS subheading
    undivided ("8542 31 00" = 8542.31); a 10-digit national code (EAEU TN VED «8471 30 000 0") is
    its CN-level first eight digits, or the subheading when those end in 00."""
    if len(code) == 10:
        code = code[:8]
    return code[:6] if len(code) == 8 and code.endswith("00") else code


def _slot_words(sentence: str, countries: list[tuple[int, int]]) -> str | None:
    """The words in the product slot ("exports of X to", "X exports", «экспорт X из»)."""
    for slot in _PRODUCT_SLOT:
        m = slot.search(sentence)
        if not m:
            continue
        kept = [w for w in re.split(r"\s+", m.group("x").strip(" ,"))
                if w and not any(a <= sentence.find(w, m.start("x")) < b for a, b in countries)]
        words = " ".join(kept).strip(" ,")
        if not words or _NOT_PRODUCT.match(words) or re.fullmatch(r"[\d\W]+", words):
            continue
        return words
    return None


_ATTRIBUTION = re.compile(
    r"(?:according to|said|says|told|stated|заявил\w*|сообщил\w*|по данным|по словам)\s+"
    r"([A-ZА-Я][\w’'\-]*(?:\s+[A-ZА-Яa-zа-я][\w’'\-]*){0,6})", re.U)
_ATTRIBUTION_BEFORE = re.compile(
    r"((?:an?\s+|the\s+)?[A-ZА-Я][\w’'\- ]{2,80}?)\s+(?:said|told|says|stated|заявил\w*|сообщил\w*)",
    re.U)


def find_attribution(sentence: str) -> str | None:
    m = _ATTRIBUTION.search(sentence)
    if m:
        return m.group(1).strip(" ,.")
    m = _ATTRIBUTION_BEFORE.search(sentence.split(",")[-1])
    return m.group(1).strip(" ,.") if m else None


def _periods(sentence: str, lang: str, published: dt.date | None) -> list[tuple[int, Period]]:
    from ..extract.dates import find_dates

    out = []
    for d in find_dates(sentence, lang=lang, published=published):
        if d.get("interval"):
            out.append((d["start"], Period(text=d["text"], interval=list(d["interval"]),
                                           value=d.get("value"), mod=d.get("mod"))))
    lower = sentence.lower()
    for key, anchor in vocab()["anchors"].items():
        i = lower.find(key)
        if i >= 0 and not any(p <= i < p + len(q.text) or i <= p < i + len(key) for p, q in out):
            out.append((i, Period(text=sentence[i:i + len(key)], interval=list(anchor["interval"]),
                                  value=anchor["label"])))
    return sorted(out, key=lambda p: p[0])


_SAME_PERIOD = re.compile(r"same (?:period|months?|quarter|time)|тот же период|аналогичн\w* период", re.I)


def find_periods(sentence: str, lang: str, published: dt.date | None) -> tuple[Period | None, Period | None]:
    """(claim window, baseline) from the sentence's time expressions.

    The baseline is the period right after a comparison cue ("compared with
    2021", "по сравнению с 2021 годом"), wherever the cue stands in the
    sentence; the window is the first other period. "the same period of
    2021" shifts the window to that year.
    """
    periods = _periods(sentence, lang, published)
    if not periods:
        return None, None
    lower = sentence.lower()
    cue_ends = []
    for cue in vocab()["baseline_cues"]:
        cue_ends += [m.end() for m in re.finditer(_pattern(cue), lower)]
    window, baseline = None, None
    for position, period in periods:
        after_cue = any(0 <= position - end <= 40 and not re.search(r"[,.;]", lower[end:position])
                        for end in cue_ends)
        if after_cue and baseline is None:
            baseline = period
        elif window is None:
            window = period
    if baseline is not None and baseline.interval[1] is None and baseline.value:
        # "compared with 2021" / "по сравнению с 2021 годом": the comparison
        # cue governs, so a reading as "since 2021" is closed to the year.
        from ..extract.dates.calendar import value_interval

        whole = value_interval(baseline.value)
        if whole:
            baseline = Period(text=baseline.text, interval=[whole[0].isoformat(), whole[1].isoformat()],
                              value=baseline.value)
    same = _SAME_PERIOD.search(lower)
    if window is not None and baseline is not None and same and window.interval[0] and window.interval[1] \
            and baseline.interval[0]:
        years = int(baseline.interval[0][:4]) - int(window.interval[0][:4])
        shift = lambda d: f"{int(d[:4]) + years:04d}{d[4:]}"  # noqa: E731
        baseline = Period(text=sentence[same.start():same.end()] + " " + baseline.text,
                          interval=[shift(window.interval[0]), shift(window.interval[1])], value=baseline.value)
    if baseline is None:
        for _, period in periods:
            if period.interval[0] is None and period is not window:  # an open "before" anchor
                baseline = period
    return window, baseline


# -- detection -----------------------------------------------------------------

_NOT_GOODS_FLOW = re.compile(
    r"\b(?:financial|capital|money|cash|investment|migration|information|data|refugee)\s+flows?\b|"
    r"\bimportan\w*|\btrademark\w*|"
    r"\btrad(?:e|ing)\s+(?:relations?|partners?|partnership|policy|policies|agreements?|decoupling|deals?|talks|"
    r"ties|links|barriers?|routes?|restrictions?|controls?|finance|disputes?|war|(?:and\s+\w+\s+)?risks?)\b|"
    r"\bexport\s+(?:controls?|restrictions?|bans?|licen[cs]\w*|regimes?|rules?|authorit\w+)\b|"
    r"экспортн\w+\s+(?:контрол|ограничени|запрет)\w*|торгов\w+\s+(?:отношени|партн[её]р|политик|соглашени)\w*",
    re.I)
_COMPANY = re.compile(r"\b(?:company|companies|firm|firms|wholesalers?|distributors?|suppliers?|manufacturers?|"
                      r"subsidiary|"
                      r"LLC|Ltd|Inc|GmbH|OÜ|Oü|OOO|ООО|ЗАО|компани\w+|фирм\w+|дистрибьютор\w*)\b")
_AMOUNT = re.compile(r"(?:[$€£]\s?\d|\d[\d.,]*\s*(?:%|per\s*cent|percent|million|billion|bn|mln|m\b|"
                     r"млн|млрд|процент|тыс))", re.I)
CLAIM_WINDOW_WORDS = 12


_NAMED_SUBJECT = re.compile(r"((?:[A-Z][\w\-&’'.]*\s+){1,4})(?:said\s+(?:it|that)\s+|appears\s+to\s+|seems\s+to\s+)?"
                            r"(?:has\s+|have\s+|had\s+)?(?:\w+ly\s+|since\s+|also\s+|been\s+)*"
                            r"(?:shipped|exported|imported|supplied|supplying|shipping|sold|delivered|re-exported|"
                            r"increased\s+deliveries)\b")
_NOT_TRADE_SALE = re.compile(r"\bsold\s+(?:his|her|its|their|a|the)\s+(?:\d+%\s+)?(?:interest|stake|shares?|business)",
                             re.I)


def _company_subject(sentence: str) -> bool:
    """A named firm ships ("KompLiga has imported", "Asia Pacific Links shipped"): not trade statistics."""
    from ..countries import find_countries as mentions_in

    for m in _NAMED_SUBJECT.finditer(sentence):
        name = m.group(1).strip()
        if name.split()[0] in ("The", "In", "From", "Between", "EU", "And", "But", "Since", "After", "Before"):
            continue
        covered = sum(len(c.text) for c in mentions_in(name))
        if covered * 2 < len(name):
            return True
    return bool(_NOT_TRADE_SALE.search(sentence))


_WORD_START = r"(?<![\w-])"
_WORD_TAILS = (r"[\w-]*", r"(?![\w-])")


@lru_cache(maxsize=None)
def _flow_scan(group: str) -> tuple[re.Pattern | None, tuple[re.Pattern, ...]]:
    """A group's regexes as one zero-width scan, and those it cannot hold.

    The regex of a key of word characters alone (:func:`_pattern`: a word
    start, the key, a word tail) cannot match again inside its own match, so
    the starts it finds one by one are all the positions where it matches: a
    lookahead over every such key stops at each of them in one pass over the
    sentence, where running the regexes one by one takes a pass each. A key
    with a space ("purchases from") keeps its own regex.
    """
    single: list[str] = []
    other: list[re.Pattern] = []
    for _, regex in _compiled(group):
        body = regex.pattern[len(_WORD_START):] if regex.pattern.startswith(_WORD_START) else ""
        key = next((body[:-len(tail)] for tail in _WORD_TAILS if body.endswith(tail)), "")
        if key and re.fullmatch(r"(?:\w|\\-)+", key):
            single.append(body)
        else:
            other.append(regex)
    scan = re.compile(_WORD_START + "(?=" + "|".join(single) + ")", re.I) if single else None
    return scan, tuple(other)


def _flow_positions(sentence: str) -> list[int]:
    """Where flow words start, each position once, in order."""
    scan, other = _flow_scan("flows")
    positions = {m.start() for m in scan.finditer(sentence)} if scan else set()
    for regex in other:
        positions.update(m.start() for m in regex.finditer(sentence))
    return sorted(positions)


def _words_between(sentence: str, a: int, b: int) -> int:
    a, b = sorted((a, b))
    return len(sentence[a:b].split())


def is_claim(sentence: str) -> bool:
    """A trade claim: a flow of goods with a change or an amount stated next to it.

    A flow word (exports, shipments, trade, re-exports / экспорт, поставки)
    that is not part of "export controls", "trade relations", "financial
    flows"; within a dozen words of it, a stated change (a direction,
    multiple or percentage: :mod:`nlp.link.magnitudes`) or an amount; and no
    company as the subject (one firm's shipments are not trade statistics).
    """
    cleaned = _NOT_GOODS_FLOW.sub(lambda m: " " * len(m.group(0)), sentence)
    flows = _flow_positions(cleaned)
    if not flows:
        return False
    if _COMPANY.search(sentence[:max(flows)]) or _company_subject(sentence):
        return False
    # An amount next to a flow word makes a claim whatever the change reads: checked
    # first, since reading the change (find_measure) costs many times more.
    if any(min(_words_between(cleaned, m.start(), f) for f in flows) <= CLAIM_WINDOW_WORDS
           for m in _AMOUNT.finditer(cleaned)):
        return True
    measure = find_measure(cleaned)
    if measure is not None and measure.start >= 0 and \
            min(_words_between(cleaned, measure.start, f) for f in flows) <= CLAIM_WINDOW_WORDS:
        return True
    return measure is not None and measure.kind == "flat"


_CONCESSIVE = re.compile(r"^\s*(?:despite|in spite of|although|though|while|even though|несмотря на|"
                         r"хотя)\b[^,]{3,200},\s*", re.I)


def frame_claim(sentence: str, lang: str = "en", published: dt.date | None = None,
                start: int = 0) -> ClaimFrame:
    # "Despite a decrease in late 2023, trade ... has increased in recent
    # months": the main clause carries the claim; the concessive clause's
    # period is what the main clause is measured against.
    concessive = _CONCESSIVE.match(sentence)
    main = sentence[concessive.end():] if concessive else sentence
    roles = find_countries(main)
    subject = find_subject(sentence, lang)
    window, baseline, reading = _calendar_periods(main, lang, published)
    if window is None:
        window, baseline = find_periods(main, lang, published)
        if concessive and baseline is None:
            _, conceded = find_periods(concessive.group(0), lang, published)
            baseline = conceded or find_periods(concessive.group(0), lang, published)[0]
    masked = _product_span(sentence, subject)
    measure = find_measure(main, masked=[(a - (len(sentence) - len(main)), b - (len(sentence) - len(main)))
                                         for a, b in masked])
    direction = _DIRECTION_OF.get(measure.direction or "") if measure else None
    frame = ClaimFrame(
        text=sentence, lang=lang, published=published.isoformat() if published else None,
        start=start, end=start + len(sentence), subject=subject,
        flow=find_flow(main), reporter=roles.get("reporter"), partner=roles.get("partner"),
        transit=roles.get("transit"), direction=direction or find_direction(main),
        magnitude=find_magnitude(sentence), period=window, baseline=baseline,
        attribution=find_attribution(sentence), measure=measure.to_dict() if measure else None,
        periods=reading.to_dict() if reading is not None and reading.window else None,
    )
    if re.search(r"\bimports?\s+(?:in)?to\b|импорт\w*\s+\w+ом\b", main, re.I):
        frame.flow = "import"
    if frame.transit and frame.flow == "trade":
        frame.flow = "re-export"  # "trade via X to Y" is re-export through X
    if frame.period is None and frame.baseline is not None and published is not None:
        # "… at a much higher level compared to pre-invasion": the claim is
        # about now; take the months up to publication, and say so.
        first = _months_before(published, RECENT_MONTHS)
        frame.period = Period(text=f"(not stated: {RECENT_MONTHS} months up to publication)",
                              interval=[first.isoformat(), published.isoformat()])
        frame.notes.append("no claim period stated; the months up to publication are used")
    if frame.period is None and published is None and _RELATIVE_WORDS.search(main):
        frame.notes.append("relative period in an undated text: not anchored")
    if subject.get("unresolved"):
        frame.missing.append(f"product not identified: {subject['unresolved']!r}")
    if frame.period is None:
        frame.missing.append("period")
    return frame


_DIRECTION_OF = {"up": "increase", "down": "decrease", "flat": "stable"}
_RELATIVE_WORDS = re.compile(r"\b(?:this|last|past|recent|previous)\s+(?:year|months?|quarter)|"
                             r"(?:этом|прошлом|текущем)\s+году|последние\s+месяцы", re.I)


def _product_span(sentence: str, subject: dict[str, Any]) -> list[tuple[int, int]]:
    """Where the product words are, so "less than 1 W" there is not a direction."""
    spans = []
    words = subject.get("words")
    if words:
        at = sentence.find(words)
        if at >= 0:
            from .change_words import find_change

            # a product slot read too far ("… amplifiers nosedived by") stops at the change word
            change = find_change(words)
            spans.append((at, at + (change[1] if change and change[1] > 0 else len(words))))
    for m in re.finditer(r"\((?:[^()]{0,80})\)|(?:less|more)\s+than\s+\d+(?:[.,]\d+)?\s*(?:W|Вт|kg|кг)\b|"
                         r"(?:менее|более)\s+\d+(?:[.,]\d+)?\s*(?:Вт|W)\b|"
                         r"(?:those|which|that)\s+dissipating\s+[^,]+", sentence):
        spans.append((m.start(), m.end()))
    return spans


def _calendar_periods(text: str, lang: str, published: dt.date | None) -> tuple[Period | None, Period | None, Any]:
    """Window and baseline from :mod:`nlp.link.periods` as Period records."""
    from .periods import read_periods, to_interval

    reading = read_periods(text, lang, published)
    if reading.window is None:
        return None, None, reading
    window = Period(text=reading.window_text, interval=list(to_interval(reading.window)))
    baseline = None
    if reading.baseline is not None:
        baseline = Period(text=reading.baseline_text or reading.how, interval=list(to_interval(reading.baseline)))
    return window, baseline, reading


RECENT_MONTHS = 6


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def detect_claims(text: str, lang: str = "en", published: dt.date | None = None) -> list[ClaimFrame]:
    """Every trade claim in ``text`` with its frame and offsets."""
    frames: list[ClaimFrame] = []
    last_index = -10
    for index, (start, _end, sentence) in enumerate(sentences(text)):
        if len(sentence) > 600 or not is_claim(sentence):
            continue
        frame = frame_claim(sentence, lang, published, start)
        if not (frame.reporter or frame.partner or frame.transit) and frames and index - last_index <= 2:
            # "trade has been increasing for all CHP items": the countries
            # are the ones the text was just talking about.
            previous = frames[-1]
            frame.reporter, frame.partner, frame.transit = previous.reporter, previous.partner, previous.transit
            if frame.flow == "trade" and previous.flow:
                frame.flow = previous.flow
            frame.notes.append("countries taken from the preceding claim")
        if frame.reporter or frame.partner or frame.transit:
            frames.append(frame)
            last_index = index
    return frames
