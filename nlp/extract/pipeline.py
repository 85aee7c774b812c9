"""The combined extraction layer: entities, HS codes, dates and citations.

What it does: for a text or a :class:`~nlp.records.Document` returns one
record::

    {"doc_id", "source", "lang", "published",
     "entities": [{"start", "end", "text", "label"}],
     "hs_codes": [...], "dates": [...], "citations": [...]}

plus ``"text"`` when asked and ``"warnings"`` when a layer failed (its list
is then empty and the other layers stand). Entities come from
:mod:`nlp.extract.entities`; the other layers give what their spaCy
components (:mod:`nlp.extract.components`: ``hs_codes``,
``time_expressions``, ``legal_citations``) put on a Doc, read from their
finders without tokenising the text (``components.layer_items``). Many documents
go through :func:`extract_many`, which batches each language through its
model once. :func:`store_record` writes a record to the store's annotation
layers ``entity``, ``hs_code``, ``date`` and ``citation``.

What it does not do: read files (``nlp.ingest.read_path``), run processes
(``nlp.extract.commands``) or decide what the annotations mean downstream.

``published`` in the record is the reference date given by the caller, else
the document's own date, else null; relative dates ("last year") are resolved
against that date; when it is null they keep TimeML's placeholders
(``XXXX-06-18``) instead of being resolved against today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from ..annotations import CITATION, DATE, ENTITY, HS_CODE, STORE_LABEL
from ..ingest.textutil import detect_lang, parse_date
from ..records import Document, content_id
from ..text import without_front_matter
from . import components
from .entities import Gazetteer, find_entities_batch

# record key -> store layer name; each runs through its spaCy component
LAYERS = {"hs_codes": HS_CODE, "dates": DATE, "citations": CITATION}
ENTITY_LAYER = ENTITY
_STORE_LABEL = STORE_LABEL


@dataclass
class Job:
    """One text to extract from, with what the record says about it."""

    text: str
    lang: str
    published: str | None = None
    doc_id: str | None = None
    source: str | None = None


def resolve_lang(text: str, lang: str | None) -> str:
    return detect_lang(text) if lang in (None, "", "auto") else lang


def _iso(value: date | str | None) -> str | None:
    if value is None or value == "":
        return None
    return parse_date(value)


def job_for_text(text: str, lang: str = "auto", published: date | str | None = None, *,
                 doc_id: str | None = None, source: str | None = None) -> Job:
    return Job(text=text, lang=resolve_lang(text, lang), published=_iso(published),
               doc_id=doc_id or content_id(text), source=source)


def job_for_document(doc: Document, lang: str | None = "auto",
                     published: date | str | None = None) -> Job:
    """A document's job: its own language unless one is forced, the given date
    first; a front-matter header is blanked (offsets unchanged), it is not prose."""
    chosen = doc.lang if lang in (None, "", "auto") and doc.lang else resolve_lang(doc.text, lang)
    return Job(text=without_front_matter(doc.text), lang=chosen, published=_iso(published) or _iso(doc.published),
               doc_id=doc.doc_id, source=doc.source)


def _failed(key: str, exc: Exception) -> str:
    return f"{key}: layer failed: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"


def _run_layers(job: Job, reference: date | None, warnings: list[str]) -> dict[str, list[dict]]:
    """Every layer's items, as its spaCy component finds them; a layer that
    fails is empty with a warning, the others stand."""
    found = {}
    for key in LAYERS:
        try:
            found[key] = components.layer_items(key, job.text, job.lang, reference)
        except Exception as exc:  # one layer's bug must not lose the other layers
            warnings.append(_failed(key, exc))
            found[key] = []
    return found


def extract_many(jobs: list[Job], *, gazetteer: Gazetteer | None = None,
                 with_text: bool = False) -> list[dict[str, Any]]:
    """Records for many jobs; each language goes through its model in one batch."""
    entities: dict[int, list] = {}
    by_lang: dict[str, list[int]] = {}
    for index, job in enumerate(jobs):
        by_lang.setdefault(job.lang, []).append(index)
    for lang, indexes in by_lang.items():
        found = find_entities_batch([jobs[i].text for i in indexes], lang, gazetteer=gazetteer)
        entities.update(zip(indexes, found))
    records = []
    for index, job in enumerate(jobs):
        warnings: list[str] = []
        if job.lang not in ("en", "ru"):
            warnings.append(f"entities: no model for language {job.lang!r}; "
                            "gazetteer and rules only")
        # Without a publication date nothing anchors "18 June" or "last year":
        # they keep TimeML's X placeholders rather than borrowing today.
        reference = date.fromisoformat(job.published) if job.published else None
        record: dict[str, Any] = {
            "doc_id": job.doc_id, "source": job.source, "lang": job.lang,
            "published": job.published,
            "entities": [e.to_dict() for e in entities[index]],
        }
        record.update(_run_layers(job, reference, warnings))
        if with_text:
            record["text"] = job.text
        if warnings:
            record["warnings"] = warnings
        records.append(record)
    return records


def extract_text(text: str, lang: str = "auto", published: date | str | None = None, *,
                 gazetteer: Gazetteer | None = None, with_text: bool = False,
                 doc_id: str | None = None, source: str | None = None) -> dict[str, Any]:
    """The extraction record of one text (``lang="auto"`` detects the language)."""
    job = job_for_text(text, lang, published, doc_id=doc_id, source=source)
    return extract_many([job], gazetteer=gazetteer, with_text=with_text)[0]


def extract_document(doc: Document, lang: str | None = "auto",
                     published: date | str | None = None, *,
                     gazetteer: Gazetteer | None = None, with_text: bool = False) -> dict[str, Any]:
    """The extraction record of a document; ``published`` overrides its date."""
    return extract_many([job_for_document(doc, lang, published)], gazetteer=gazetteer,
                        with_text=with_text)[0]


def extract_documents(docs: Iterable[Document], lang: str | None = "auto",
                      published: date | str | None = None, *,
                      gazetteer: Gazetteer | None = None, with_text: bool = False) -> list[dict]:
    return extract_many([job_for_document(d, lang, published) for d in docs],
                        gazetteer=gazetteer, with_text=with_text)


def annotation_layers(record: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The store layers of a record; layers that were skipped are left out,
    so what an earlier run stored for them stays."""
    skipped = {w.split(":", 1)[0] for w in record.get("warnings", [])
               if "layer skipped" in w or "layer failed" in w}
    layers = {ENTITY_LAYER: list(record["entities"])}
    for key, layer in LAYERS.items():
        if key in skipped:
            continue
        items = []
        for item in record.get(key, []):
            item = dict(item)
            if "label" not in item and _STORE_LABEL[layer] in item:
                item["label"] = None if item[_STORE_LABEL[layer]] is None \
                    else str(item[_STORE_LABEL[layer]])
            items.append(item)
        layers[layer] = items
    return layers


def store_record(store, record: dict[str, Any]) -> bool:
    """Write a record's layers for its document; False when the store lacks it."""
    if store.document(record["doc_id"], with_blocks=False) is None:
        return False
    store.replace_annotations(record["doc_id"], annotation_layers(record))
    return True
