"""Tag a new article: list matches, goods, countries, acts, dates, claims, topics.

``tag_article`` runs the extraction layer over the text, then adds what a
monitoring desk wants on arrival:

* **entities with list matches**: every PERSON/ORG entity is matched against
  the sanctions lists in the store (:mod:`nlp.tag.names`, at the stricter
  ``tag_threshold``). Guards against the commonest false hits, each found in
  the hand check of ``docs/tag.md``: one-word person names, bare country
  names and names under four letters are not sent to the lists; a name left
  with a single distinctive word ("Packages", "POLITICO", "Банк Россита")
  must agree almost exactly (``SINGLE_TOKEN_MIN`` and a consonant-skeleton
  check); a hit only through an alias the list itself marks as weak needs
  near-exact agreement too. Russian names are also tried in the nominative
  (natasha's pymorphy2 vocabulary: "Сергея Шойгу" -> "Сергей Шойгу",
  "Газпромбанка" -> "Газпромбанк"); entities spanning several lines or
  bullets are cut into their pieces first;
* **HS codes** with CHP tiers, **legal acts** (CELEX), **dates** (TIMEX3 +
  interval), **countries** as ISO 3166 alpha-2 (GPE/LOC entities; Russian
  inflections put in the nominative first; cities, regions and aggregates
  such as "EU" or "America" are left out);
* **claims** with verdicts (:mod:`nlp.link`);
* **topics** from the editable taxonomy ``nlp/data/topics.yaml``.

With ``store_it`` the article goes through the pipeline runner
(:mod:`nlp.pipeline`): into the store (a file as ``ingest`` reads it, a text
as one document), its annotation layers, the search index when one exists,
and its claims into the ``claims`` table.

What it does not do: find the entities (``nlp.extract``), score names
(``nlp.tag.names``), verify claims (``nlp.link``) or watch folders and feeds
(``nlp.tag.watch``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import weakref
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..records import Block, Document, content_id
from ..settings import DATA_DIR
from ..store import Store

TOPICS_PATH = DATA_DIR / "topics.yaml"
PERSON_LABELS = {"PERSON", "PER"}
ORG_LABELS = {"ORG"}
PLACE_LABELS = {"GPE", "LOC"}


def _cue_regex(cue: str, whole_word: bool) -> str:
    body = re.escape(cue.strip()).replace(r"\ ", r"\s+")
    return body + (r"(?![\w-])" if whole_word else r"[\w-]*")


def load_taxonomy(path: Path) -> dict[str, Any]:
    """A topic taxonomy file: ``cues`` match as word prefixes, ``words`` as whole words.

    Each topic's cues become one alternation (longest first), so a place in
    the text counts once even when two cues fit it ("central bank", "bank").
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for topic in data["topics"].values():
        cues = [(c, False) for c in topic.get("cues", []) or []] + \
               [(str(w), True) for w in topic.get("words", []) or []]
        cues.sort(key=lambda c: -len(c[0]))
        topic["_pattern"] = re.compile(
            r"(?<![\w-])(?:" + "|".join(_cue_regex(c, whole) for c, whole in cues) + ")", re.I) \
            if cues else None
    return data


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, Any]:
    return load_taxonomy(TOPICS_PATH)


def topics(text: str, data: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Topics whose cues the text mentions, best first, score in (0, 1)."""
    data = data or taxonomy()
    out = []
    for key, topic in data["topics"].items():
        hits = len(topic["_pattern"].findall(text)) if topic["_pattern"] is not None else 0
        score = 1 - math.exp(-hits / data["scale"])
        if score >= data["min_score"]:
            out.append({"topic": key, "label": topic["label"], "score": round(score, 3), "hits": hits})
    return sorted(out, key=lambda t: -t["score"])


# Agreement a name needs when, after legal forms are set aside, it has one
# distinctive word: "POLITICO" scored 0.875 against the alias "Polytech" and
# "Packages" against "JSC Package"; one word leaves the scorer nothing else
# to weigh, so only (near-)identical words count.
SINGLE_TOKEN_MIN = 0.95
# Words that do not tell one organisation from another: "Банк Россита"
# scored 0.93 against "Bank Rossiya" on the strength of "bank". A name whose
# other words are all generic counts as a one-word name.
GENERIC_ORG_WORDS = frozenset({"bank", "banka", "group", "gruppa", "holding", "kholding", "company",
                               "kompaniia", "commercial", "kommercheskii", "corporation", "korporatsiia",
                               # legal-form words rigour leaves behind ("Public Joint Stock
                               # Commercial Bank" -> "public jscb")
                               "public", "joint", "stock", "jscb", "jsc", "pjsc"})
# ... and the word must also agree on a lighter skeleton that folds only
# consonant spellings (kh/h, ts/c, zh/j: "Primsocbank" = "Primsotsbank"),
# not vowels or double letters: the full skeleton makes "Rosneft" and
# "Russneft" (two different listed companies) identical.
SINGLE_TOKEN_LIGHT_MIN = 0.85
# Same for hits made only through an alias the list marks as weak
# (OpenSanctions ``weakAlias``, UK "low quality" a.k.a.s): the lists say
# themselves that such names are unreliable identifiers.
WEAK_ALIAS_MIN = 0.97
MIN_NAME_CHARS = 4
# A person hit needs two full words of the name in the text (one, if the
# text gives only one besides initials) each with a counterpart in the
# listed name: "Gregory C. Allen" scored 0.91 against "Grigore CARAMALAC"
# (the initial "C." standing in for the surname), "Aleksandr Kotelnikov"
# 0.86 against "Aleksandr Vladimirovich Kolesnikov" (shared first name,
# near surname).
PERSON_TOKEN_MIN = 0.85
_CYRILLIC = re.compile(r"[а-яё]", re.I)
_POSSESSIVE = re.compile(r"['’]s$")
_QUOTES = "\"'«»“”„‘’`"


@lru_cache(maxsize=1)
def _morph():
    # natasha's vocabulary is pymorphy2 with the patch Python 3.11 needs
    # (bare pymorphy2 0.9 calls the removed inspect.getargspec).
    from natasha import MorphVocab

    return MorphVocab()


@lru_cache(maxsize=20_000)
def _nominative_word(word: str, person: bool) -> str:
    parses = _morph().parse(word)
    if not parses:
        return word

    def fits(parse) -> bool:
        feats = parse.feats or {}
        return feats.get("Number") == "Sing" and (not person or feats.get("Animacy") == "Anim")

    parse = next((p for p in parses if fits(p)), None) or \
        next((p for p in parses if (p.feats or {}).get("Number") == "Sing"), parses[0])
    form = parse.inflect({"Nom", "Sing"}) if person else None
    lemma = form.word if form is not None else parse.normal_form
    if word[:1].isupper():
        lemma = "-".join(part[:1].upper() + part[1:] for part in lemma.split("-"))
    return lemma


def nominative(name: str, person: bool = False) -> str:
    """A Russian name in the nominative ("Сергея Шойгу" -> "Сергей Шойгу");
    words in other scripts and words in quotes are left as they are."""
    out = []
    for word in name.split():
        core = word.strip(_QUOTES + ".,;:()")
        if core and _CYRILLIC.search(core) and core == word and not core.isupper():
            out.append(_nominative_word(core, person))
        else:
            out.append(word)
    return " ".join(out)


@lru_cache(maxsize=4096)
def country_of(name: str) -> str | None:
    """ISO 3166 alpha-2 code of a place name, or None (cities, regions, "EU", "America")."""
    from ..countries import resolve

    name = _POSSESSIVE.sub("", name.strip().strip(_QUOTES))
    candidates = [name]
    if _CYRILLIC.search(name):
        candidates.append(nominative(name))
    for candidate in candidates:
        country = resolve(candidate)
        if country is not None and country.kind == "country":
            return country.code
    return None


_ENTITY_BREAK = re.compile(r"\s*(?:\n|[•·▪●◦‣]|;)\s*")
_PIECE_TRIM = " \t.,:;-–—"


def split_entity(entity: dict[str, Any]) -> list[dict[str, Any]]:
    """A name entity cut at line breaks and bullets into its pieces.

    The Russian model sometimes reads a bulleted list of banks as one
    organisation ("БКС Банк.\n• Банк ДОМ РФ\n• Агророс Банк ..."); matched
    whole it hits nothing, while every line is a name of its own.
    """
    if entity.get("label") not in PERSON_LABELS | ORG_LABELS or not _ENTITY_BREAK.search(entity["text"]):
        return [entity]
    pieces, cursor, text = [], 0, entity["text"]
    for m in list(_ENTITY_BREAK.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        chunk = text[cursor:end]
        left = len(chunk) - len(chunk.lstrip(_PIECE_TRIM))
        right = len(chunk.rstrip(_PIECE_TRIM))
        if right - left >= 2:
            start = entity["start"] + cursor + left
            pieces.append({**entity, "start": start, "end": start + right - left, "text": chunk[left:right]})
        cursor = m.end() if m else cursor
    return pieces or [entity]


def list_schema(entity: dict[str, Any]) -> str | None:
    """The schema to match an entity as, or None when it should not be sent."""
    text = entity["text"].strip()
    if len(text.replace(" ", "")) < MIN_NAME_CHARS:
        return None
    if entity["label"] in PERSON_LABELS:
        return "Person" if len(text.split()) >= 2 else None
    if entity["label"] in ORG_LABELS:
        return None if country_of(text) else "Organization"
    return None


def name_variants(text: str, lang: str, schema: str) -> list[str]:
    """The forms of an entity's name to send to the lists."""
    name = _POSSESSIVE.sub("", " ".join(text.split()))
    variants = [name]
    if lang == "ru" or _CYRILLIC.search(name):
        lemma = nominative(name, person=schema == "Person")
        if lemma != name:
            variants.append(lemma)
    return variants


def _weak_aliases(entry: Any) -> set[str]:
    extra = getattr(entry, "extra", None) or {}
    return set(extra.get("weak_aliases") or [])


def _person_words_agree(query: tuple[str, ...], listed: tuple[str, ...]) -> bool:
    from .names import token_similarity

    words = [t for t in query if len(t) > 1]
    listed_words = [t for t in listed if len(t) > 1]
    agreeing = sum(1 for t in words if any(token_similarity(t, u) >= PERSON_TOKEN_MIN for u in listed_words))
    return agreeing >= min(2, len(words))


def _initials(tokens: tuple[str, ...]) -> list[str]:
    return sorted(t for t in tokens if len(t) == 1 and not t.isdigit())


def _distinctive(tokens: tuple[str, ...], schema: str) -> tuple[str, ...]:
    if schema == "Person":
        return tokens
    return tuple(t for t in tokens if t not in GENERIC_ORG_WORDS) or tokens


@lru_cache(maxsize=1)
def _consonant_rules() -> list[tuple[re.Pattern, str]]:
    from .names import rules

    # The rules of nlp/data/names/rules.yaml that mention no vowel: consonant
    # spellings only (vowel folds and the double-letter rule are left out).
    return [(pattern, repl) for pattern, repl in rules()["_skeleton"]
            if not re.search(r"[aeiou]", pattern.pattern)]


@lru_cache(maxsize=50_000)
def consonant_skeleton(token: str) -> str:
    for pattern, replacement in _consonant_rules():
        token = pattern.sub(replacement, token)
    return re.sub(r"[^a-z0-9]", "", token)


_ENTRY_MAPS: "weakref.WeakKeyDictionary[Any, dict[str, Any]]" = weakref.WeakKeyDictionary()


def _entries_by_id(matcher: Any) -> dict[str, Any]:
    if matcher not in _ENTRY_MAPS:
        _ENTRY_MAPS[matcher] = {entry.entry_id: entry for entry in matcher.entries}
    return _ENTRY_MAPS[matcher]


# Per-matcher memo of list searches: a watcher sees the same names again and
# again ("Vladimir Putin", "European Commission"), and one search costs
# tens of milliseconds. Weakly keyed, so a matcher rebuilt after the lists
# changed takes its stale results with it.
_SEARCH_MEMO: "weakref.WeakKeyDictionary[Any, dict[tuple, list]]" = weakref.WeakKeyDictionary()
SEARCH_MEMO_MAX = 50_000


def _search(matcher: Any, name: str, schema: str, floor: float) -> list[dict[str, Any]]:
    memo = _SEARCH_MEMO.setdefault(matcher, {})
    key = (name, schema, floor)
    if key not in memo:
        if len(memo) >= SEARCH_MEMO_MAX:
            memo.clear()
        memo[key] = matcher.search(name, schema=schema, limit=5, threshold=floor)
    return memo[key]


def clear_search_memo() -> None:
    _SEARCH_MEMO.clear()


def match_entity(name: str, schema: str, matcher: Any, *, lang: str = "en",
                 threshold: float | None = None) -> list[dict[str, Any]]:
    """List hits for one entity name: best per listed entry, strongest first.

    ``matcher`` is a :class:`nlp.tag.names.ListMatcher`. Each hit carries
    ``via`` ("name", "alias" or "weak alias") and the form of the name that
    matched (``query``, e.g. the nominative of a Russian name).
    """
    from .names import prepare, rules

    threshold = rules()["tag_threshold"] if threshold is None else threshold
    by_entry = _entries_by_id(matcher)
    best: dict[str, dict[str, Any]] = {}
    for variant in name_variants(name, lang, schema):
        core = _distinctive(prepare(variant, schema).tokens, schema)
        one_word = len(core) <= 1
        floor = max(threshold, SINGLE_TOKEN_MIN) if one_word else threshold
        for hit in _search(matcher, variant, schema, floor):
            if one_word and _light_similarity(
                    "".join(core), "".join(_distinctive(prepare(hit["matched_name"], hit["schema"]).tokens,
                                                        hit["schema"]))) < SINGLE_TOKEN_LIGHT_MIN:
                continue
            listed_tokens = prepare(hit["matched_name"], hit["schema"]).tokens
            if schema == "Person" and not _person_words_agree(prepare(variant, schema).tokens, listed_tokens):
                continue
            if schema != "Person" and _initials(prepare(variant, schema).tokens) != _initials(listed_tokens):
                # "Ministry of Finance" ~ "M FINANS": an initial on one side
                # standing for a word on the other.
                continue
            entry = by_entry.get(hit["entry_id"])
            if entry is not None and hit["matched_name"] == entry.name:
                via = "name"
            elif entry is not None and hit["matched_name"] in _weak_aliases(entry):
                via = "weak alias"
                if hit["score"] < WEAK_ALIAS_MIN:
                    continue
            else:
                via = "alias"
            hit = {**hit, "via": via, "query": variant}
            if hit["entry_id"] not in best or best[hit["entry_id"]]["score"] < hit["score"]:
                best[hit["entry_id"]] = hit
        tokens = prepare(variant, schema).tokens
        if not best and one_word and schema != "Person" and len(tokens) > len(core):
            # Only when the text itself pairs the word with a generic one
            # ("Банк Хлынов"): a bare "National" must not become the core
            # of "Banco Nacional".
            for hit in _core_hits(matcher, variant, core[0] if core else "", schema):
                best.setdefault(hit["entry_id"], hit)
    return sorted(best.values(), key=lambda h: -h["score"])[:3]


def _core_hits(matcher: Any, variant: str, core: str, schema: str) -> list[dict[str, Any]]:
    """Hits where both names come down to the same one distinctive word.

    "Банк Хлынов" and the listed "Commercial Bank 'Khlynov' (Joint Stock
    Company)" share only "Khlynov"; the pair scorer charges every extra word
    of a company name (rightly, in general: "Banco Santander Chile" is not
    "Banco Santander"), so the hit is missed. When generic words and legal
    forms are set aside on both sides and one word is left on each, that
    word alone decides, under the one-word rules. Place names never count
    as such a word ("Bank of China").
    """
    from .names import prepare, token_similarity

    if len(core) < 5 or core.isdigit() or country_of(core):
        return []
    memo = _SEARCH_MEMO.setdefault(matcher, {})
    key = ("core", core, schema)
    if key in memo:
        return memo[key]
    entries_seen: dict[int, dict[str, Any]] = {}
    for name_id in matcher.candidates(variant, schema):
        position, listed, listed_schema = matcher.names[name_id]
        if listed_schema == "Person" or position in entries_seen:
            continue
        listed_core = _distinctive(prepare(listed, listed_schema).tokens, listed_schema)
        if len(listed_core) != 1:
            continue
        similarity = token_similarity(core, listed_core[0])
        if similarity < SINGLE_TOKEN_MIN or \
                _light_similarity(core, listed_core[0]) < SINGLE_TOKEN_LIGHT_MIN:
            continue
        entry = matcher.entries[position]
        via = "name" if listed == entry.name else \
            ("weak alias" if listed in _weak_aliases(entry) else "alias")
        if via == "weak alias" and similarity < WEAK_ALIAS_MIN:
            continue
        entries_seen[position] = {
            "score": round(similarity, 4), "matched_name": listed,
            "explanation": f"'{variant}' ~ '{listed}': the one distinctive word agrees "
                           f"('{core}' ~ '{listed_core[0]}'); generic words and legal forms set aside",
            "entry_id": entry.entry_id, "list_name": entry.list_name, "name": entry.name,
            "schema": entry.schema, "programme": entry.programme, "listing_date": entry.listing_date,
            "legal_act": entry.legal_act, "source_id": entry.source_id, "via": via, "query": variant,
        }
    hits = sorted(entries_seen.values(), key=lambda h: -h["score"])[:5]
    memo[key] = hits
    return hits


def _light_similarity(a: str, b: str) -> float:
    from rapidfuzz.distance import OSA

    return OSA.normalized_similarity(consonant_skeleton(a), consonant_skeleton(b))


def _document_for(text: str, title: str | None, published: str | None, lang: str, source: str) -> Document:
    blocks = []
    for m in re.finditer(r"\S(?:.*?\S)?(?=\n[ \t]*\n|\s*\Z)", text, re.S):
        blocks.append(Block("paragraph", m.group(), m.start(), m.end()))
    return Document(doc_id=content_id(text), kind="news", lang=lang, text=text, source=source,
                    title=title or (text.strip().splitlines() or [""])[0][:200], published=published,
                    blocks=blocks)


def tag_document(doc: Document, store: Store | None, *, published: str | None = None,
                 store_it: bool = True, source_key: str | None = None,
                 path: Path | None = None) -> dict[str, Any]:
    """Tags for a document (already read); optionally store it through the
    pipeline (the file at ``path`` it was read from, else the document alone
    under ``source_key``)."""
    from ..extract.pipeline import extract_document

    reference = published or doc.published or dt.date.today().isoformat()
    record = extract_document(doc, "auto" if doc.lang not in ("en", "ru") else doc.lang, reference)
    return tag_extracted(doc, record, store, published=published, store_it=store_it, source_key=source_key,
                         path=path)


def tag_extracted(doc: Document, record: dict[str, Any], store: Store | None, *, published: str | None = None,
                  store_it: bool = True, source_key: str | None = None,
                  path: Path | None = None) -> dict[str, Any]:
    """Tags from a document's extraction record (the model step done; see :func:`tag_document`).

    Separate so that callers can batch the extraction of many documents
    (:mod:`nlp.tag.batch`) or run it under a lock of their own (the web app).
    """
    from ..link.frames import detect_claims
    from ..link.verify import verify_frame

    reference = published or doc.published or dt.date.today().isoformat()
    lang = record["lang"]
    matcher = None
    if store is not None and has_listings(store):
        from .names import list_matcher

        matcher = list_matcher(store)
    entities: list[dict[str, Any]] = []
    countries: dict[str, list[str]] = {}
    seen_names: dict[tuple[str, str], list] = {}
    for entity in (piece for e in record["entities"] for piece in split_entity(e)):
        item = dict(entity)
        schema = list_schema(entity)
        if matcher is not None and schema:
            key = (entity["text"], schema)
            if key not in seen_names:
                seen_names[key] = match_entity(entity["text"], schema, matcher, lang=lang)
            item["list_matches"] = seen_names[key]
        else:
            item["list_matches"] = []
        if entity["label"] in PLACE_LABELS:
            code = country_of(entity["text"])
            if code:
                item["country"] = code
                countries.setdefault(code, []).append(entity["text"])
        entities.append(item)
    claims = []
    if store is not None:
        for frame in detect_claims(doc.text, lang if lang in ("en", "ru") else "en",
                                   dt.date.fromisoformat(reference[:10])):
            result = verify_frame(frame, store)
            claims.append({"start": frame.start, "end": frame.end, "text": frame.text,
                           "verdict": result.verdict, "explanation": result.explanation,
                           "frame": frame.to_dict(), "figures": result.figures})
    tags = {
        "doc_id": doc.doc_id, "source": doc.source, "title": doc.title, "lang": lang, "kind": doc.kind,
        "published": record.get("published"),
        "entities": entities,
        "listed": listed_summary(entities),
        "hs_codes": record["hs_codes"], "countries": [{"code": c, "mentions": sorted(set(v))}
                                                     for c, v in sorted(countries.items())],
        "citations": record["citations"], "dates": record["dates"], "claims": claims,
        "topics": topics(doc.text),
    }
    if record.get("warnings"):
        tags["warnings"] = record["warnings"]
    if store is not None and store_it:
        from ..pipeline import run, run_document

        if path is not None:
            summary = run([path], store, records={doc.doc_id: record}, index="if_present")
        else:
            summary = run_document(doc, store, key=source_key or doc.source, record=record)
        tags["stored"] = True
        tags["indexed"] = summary.index is not None
        if summary.warnings:
            tags.setdefault("warnings", []).extend(summary.warnings)
    return tags


def has_listings(store: Store) -> bool:
    """Whether the store holds any listed entry (remembered while it is unchanged)."""
    from ..store_memo import remembered

    return remembered(store, "has_listings", store.has_listings)


def listed_summary(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per listed entry the article mentions: best score, mentions."""
    out: dict[str, dict[str, Any]] = {}
    for entity in entities:
        for hit in entity.get("list_matches", []):
            row = out.setdefault(hit["entry_id"], {
                "entry_id": hit["entry_id"], "name": hit["name"], "list_name": hit["list_name"],
                "schema": hit["schema"], "programme": hit["programme"], "score": hit["score"],
                "via": hit.get("via"), "mentions": []})
            if hit["score"] > row["score"]:
                row["score"], row["via"] = hit["score"], hit.get("via")
            if entity["text"] not in row["mentions"]:
                row["mentions"].append(entity["text"])
    return sorted(out.values(), key=lambda r: (-r["score"], r["name"]))


def tag_article(text: str, store: Store | None, *, published: str | None = None, lang: str = "auto",
                title: str | None = None, store_it: bool = True, source: str | None = None) -> dict[str, Any]:
    """Tags for a pasted or posted article text.

    The stored copy is keyed by source *and* content, so two different
    texts from one source (``stdin``, a feed item's link) are two documents,
    and the same text tagged twice is one.
    """
    doc = article_document(text, title=title, published=published, lang=lang, source=source)
    return tag_document(doc, store, published=published, store_it=store_it,
                        source_key=f"{source}#{doc.doc_id}" if source else doc.source)


def article_document(text: str, *, title: str | None = None, published: str | None = None,
                     lang: str = "auto", source: str | None = None) -> Document:
    """The document :func:`tag_article` tags for a pasted text (language detected for ``auto``)."""
    from ..ingest.textutil import detect_lang

    if not text or not text.strip():
        raise ValueError("empty article")
    lang = detect_lang(text) if lang in (None, "auto") else lang
    return _document_for(text, title, published, lang, source or f"tag:{content_id(text)}")


# Short texts that take every tagging step through its first use: a listed
# person's name (the list search, rigour's name analyser behind the person
# check), a country, an HS code in prose, a date, a trade claim.
WARM_UP_TEXTS = {
    "en": "Exports of integrated circuits (HS 8542) from Kazakhstan to Russia rose by 20% in 2023, "
          "Sergey Shoigu said in Moscow on 5 May 2024.",
    "ru": "Экспорт интегральных схем (код ТН ВЭД 8542) из Казахстана в Россию вырос на 20% в 2023 году, "
          "заявил Сергей Шойгу в Москве 5 мая 2024 года.",
}


# One letter of each script other than Latin that listed names use (Cyrillic,
# Arabic, Han, Greek, Thai, Hangul, Armenian, Hebrew, Georgian).
LISTED_SCRIPTS_SAMPLE = "Д ك 王 Δ เ 정 Ը א ქ"


def warm_up_tables() -> None:
    """Load what the first names and verdicts of a process load: rigour's name
    analyser (seconds, on a word's first analysis), the pair scorer's imports
    and organisation tables, ``scipy.stats`` (claim verification's first
    verdict), the HS nomenclature's word lookup (a claim's goods named in
    words) and the transliteration rules of every script the lists write
    names in (ICU loads each on first use: Han takes about 80 ms). Quick once
    done; the server's warm-up calls it too."""
    from ..products import subheadings
    from .names import analysed_symbols, ascii_form, score_names

    subheadings("8542")  # loads the nomenclature and its lookup

    analysed_symbols("Sergey")
    ascii_form(LISTED_SCRIPTS_SAMPLE)
    import scipy.stats  # noqa: F401
    score_names("Sergey Shoigu", "Sergei Kuzhugetovich Shoigu")
    score_names("Council of the EU", "Public Joint Stock Company Sberbank of Russia", "Organization")


def warm_up(store: Store | None = None, langs: tuple[str, ...] = ("en", "ru")) -> None:
    """Load what tagging otherwise loads on its first article: the entity
    models, the rule tables of every layer, the claim patterns, the name
    scorer's tables (:func:`warm_up_tables`) and (with a store) the list
    matcher; then moves all of it out of the garbage collector's full passes
    (:func:`nlp.tag.heap.freeze_loaded`). Seconds, once per process; nothing
    is stored and the results are dropped."""
    from ..link.frames import detect_claims
    from .heap import freeze_loaded

    warm_up_tables()
    for lang in langs:
        text = WARM_UP_TEXTS[lang]
        detect_claims(text, lang, dt.date(2024, 6, 1))
        tag_article(text, store, lang=lang, published="2024-06-01", store_it=False)
    freeze_loaded()


def tag_path(path: Path, store: Store | None, *, published: str | None = None,
             store_it: bool = True) -> dict[str, Any]:
    """Tags for a file in any format ingest reads (first document of the file)."""
    from ..ingest.isolation import read_file_isolated

    _, result = read_file_isolated(path)  # a killable worker under the per-file limits
    if not result.documents:
        raise ValueError(f"{path}: holds no article text")
    doc = result.documents[0]
    return tag_document(doc, store, published=published, store_it=store_it, path=path)
