"""Tag a new article: list matches, goods, countries, acts, dates, claims, topics.

``tag_article`` runs the extraction layer over the text, then adds what a
monitoring desk wants on arrival:

* **entities with list matches**: every PERSON/ORG entity is matched against
  the sanctions lists in the store (:mod:`nlp.tag.names`, at the stricter
  ``tag_threshold``); one-word person names and bare country names are not
  sent to the lists (the commonest false positives);
* **HS codes** with CHP tiers, **legal acts** (CELEX), **dates** (TIMEX3 +
  interval), **countries** as ISO 3166 alpha-2 (GPE entities, Russian
  inflections lemmatised with pymorphy2);
* **claims** with verdicts (:mod:`nlp.link`);
* **topics** from the editable taxonomy ``nlp/data/topics.yaml``.

With ``store_it`` the article is added to the store (one transaction) and to
the search index incrementally when one exists.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..records import Block, Document, ReadResult, content_id
from ..settings import DATA_DIR
from ..store import Store

TOPICS_PATH = DATA_DIR / "topics.yaml"
PERSON_LABELS = {"PERSON", "PER"}
ORG_LABELS = {"ORG"}
PLACE_LABELS = {"GPE", "LOC"}


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, Any]:
    data = yaml.safe_load(TOPICS_PATH.read_text(encoding="utf-8"))
    for topic in data["topics"].values():
        topic["_patterns"] = [re.compile(r"(?<![\w-])" + re.escape(cue).replace(r"\ ", r"\s+") + r"[\w-]*", re.I)
                              for cue in topic["cues"]]
    return data


def topics(text: str) -> list[dict[str, Any]]:
    data = taxonomy()
    out = []
    for key, topic in data["topics"].items():
        hits = sum(len(p.findall(text)) for p in topic["_patterns"])
        score = 1 - math.exp(-hits / data["scale"])
        if score >= data["min_score"]:
            out.append({"topic": key, "label": topic["label"], "score": round(score, 3), "hits": hits})
    return sorted(out, key=lambda t: -t["score"])


@lru_cache(maxsize=1)
def _morph():
    import pymorphy2

    return pymorphy2.MorphAnalyzer()


@lru_cache(maxsize=4096)
def country_of(name: str) -> str | None:
    """ISO 3166 alpha-2 code of a place name, or None (cities, regions)."""
    from ..ingest.trade import country_code

    code = country_code(name)
    if code and code != "ZZ":
        return code
    if re.search(r"[а-яё]", name, re.I):
        lemma = " ".join(_morph().parse(w)[0].normal_form for w in name.split())
        code = country_code(lemma)
        if code and code != "ZZ":
            return code
    return None


def _list_worthy(entity: dict[str, Any]) -> str | None:
    """The schema to match an entity as, or None when it should not be sent."""
    text = entity["text"].strip()
    if entity["label"] in PERSON_LABELS:
        return "Person" if len(text.split()) >= 2 else None
    if entity["label"] in ORG_LABELS:
        if len(text) < 4 or country_of(text):
            return None
        return "Organization"
    return None


def _document_for(text: str, title: str | None, published: str | None, lang: str, source: str) -> Document:
    blocks = []
    for m in re.finditer(r"\S(?:.*?\S)?(?=\n[ \t]*\n|\s*\Z)", text, re.S):
        blocks.append(Block("paragraph", m.group(), m.start(), m.end()))
    return Document(doc_id=content_id(text), kind="news", lang=lang, text=text, source=source,
                    title=title or (text.strip().splitlines() or [""])[0][:200], published=published,
                    blocks=blocks)


def tag_document(doc: Document, store: Store | None, *, published: str | None = None,
                 store_it: bool = True, source_key: str | None = None) -> dict[str, Any]:
    """Tags for a document (already read); optionally store and index it."""
    from ..extract.pipeline import extract_document, store_record
    from ..link.frames import detect_claims
    from ..link.verify import verify_frame

    reference = published or doc.published or dt.date.today().isoformat()
    record = extract_document(doc, "auto" if doc.lang not in ("en", "ru") else doc.lang, reference)
    lang = record["lang"]
    matcher = None
    if store is not None and store.totals()["listings"]:
        from .names import list_matcher, rules

        matcher, threshold = list_matcher(store), rules()["tag_threshold"]
    entities, countries = [], {}
    seen_names: dict[tuple[str, str], list] = {}
    for entity in record["entities"]:
        item = dict(entity)
        schema = _list_worthy(entity)
        if matcher is not None and schema:
            key = (entity["text"], schema)
            if key not in seen_names:
                seen_names[key] = matcher.search(entity["text"], schema=schema, limit=3, threshold=threshold)
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
        "listed": sorted({(m["entry_id"], m["name"], m["list_name"]) for e in entities
                          for m in e["list_matches"]}),
        "hs_codes": record["hs_codes"], "countries": [{"code": c, "mentions": sorted(set(v))}
                                                     for c, v in sorted(countries.items())],
        "citations": record["citations"], "dates": record["dates"], "claims": claims,
        "topics": topics(doc.text),
    }
    tags["listed"] = [{"entry_id": a, "name": b, "list_name": c} for a, b, c in tags["listed"]]
    if record.get("warnings"):
        tags["warnings"] = record["warnings"]
    if store is not None and store_it:
        key = source_key or doc.source
        store.replace_file(key, content_id(doc.text), len(doc.text.encode("utf-8")), "tag",
                           ReadResult(documents=[doc]))
        store_record(store, record)
        tags["stored"] = True
        tags["indexed"] = _update_index(store)
    return tags


def _update_index(store: Store) -> bool:
    """Add the new document to an existing index (incremental); no index, no-op."""
    from ..index.build import index_dir, read_manifest, sync_index

    if read_manifest(index_dir(store.dir)) is None:
        return False
    sync_index(store)
    return True


def tag_article(text: str, store: Store | None, *, published: str | None = None, lang: str = "auto",
                title: str | None = None, store_it: bool = True, source: str | None = None) -> dict[str, Any]:
    """Tags for a pasted or posted article text."""
    from ..ingest.textutil import detect_lang

    if not text or not text.strip():
        raise ValueError("empty article")
    lang = detect_lang(text) if lang in (None, "auto") else lang
    doc = _document_for(text, title, published, lang, source or f"tag:{content_id(text)}")
    return tag_document(doc, store, published=published, store_it=store_it)


def tag_path(path: Path, store: Store | None, *, published: str | None = None,
             store_it: bool = True) -> dict[str, Any]:
    """Tags for a file in any format ingest reads (first document of the file)."""
    from ..ingest import file_key, read_path

    _, result = read_path(path)
    if not result.documents:
        raise ValueError(f"{path}: holds no article text")
    doc = result.documents[0]
    return tag_document(doc, store, published=published, store_it=store_it, source_key=file_key(path))
