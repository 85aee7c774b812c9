"""The combined extraction layer: entities, HS codes, dates and citations.

What it does: for a text or a :class:`~nlp.records.Document` returns one
record (the issue's shape)::

    {"doc_id", "source", "lang", "published",
     "entities": [{"start", "end", "text", "label"}],
     "hs_codes": [...], "dates": [...], "citations": [...]}

plus ``"text"`` when asked and ``"warnings"`` when a layer was skipped or
failed. Entities come from :mod:`nlp.extract.entities`; the other layers are
the sibling modules ``hs_codes.find_hs_codes(text, lang)``,
``dates.find_dates(text, lang, published)`` and
``citations.find_citations(text, lang)``, imported lazily: a missing module
skips its layer (with a warning) instead of failing the run. Many documents
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

import importlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Callable, Iterable

from ..annotations import CITATION, DATE, ENTITY, HS_CODE, STORE_LABEL
from ..ingest.textutil import detect_lang, parse_date
from ..records import Document, content_id
from .entities import Gazetteer, find_entities_batch

# record key -> (module under nlp.extract, function, store layer name)
LAYERS = {
    "hs_codes": ("hs_codes", "find_hs_codes", HS_CODE),
    "dates": ("dates", "find_dates", DATE),
    "citations": ("citations", "find_citations", CITATION),
}
ENTITY_LAYER = ENTITY
_STORE_LABEL = STORE_LABEL


@lru_cache(maxsize=None)
def layer_function(key: str) -> Callable | None:
    """The finder function of a layer, or None when its module is not there."""
    module_name, function_name, _ = LAYERS[key]
    full = f"{__package__}.{module_name}"
    try:
        module = importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name == full:
            return None
        raise
    return getattr(module, function_name, None)


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
    """A document's job: its own language unless one is forced, the given date first."""
    chosen = doc.lang if lang in (None, "", "auto") and doc.lang else resolve_lang(doc.text, lang)
    return Job(text=doc.text, lang=chosen, published=_iso(published) or _iso(doc.published),
               doc_id=doc.doc_id, source=doc.source)


def _run_layer(key: str, job: Job, reference: date | None, warnings: list[str]) -> list[dict]:
    finder = layer_function(key)
    if finder is None:
        warnings.append(f"{key}: layer skipped (module nlp.extract.{LAYERS[key][0]} not installed)")
        return []
    try:
        if key == "dates":
            items = finder(job.text, job.lang, reference)
        else:
            items = finder(job.text, job.lang)
    except Exception as exc:  # one layer's bug must not lose the other layers
        warnings.append(f"{key}: layer failed: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}")
        return []
    return [dict(item) for item in items]


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
        for key in LAYERS:
            record[key] = _run_layer(key, job, reference, warnings)
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
    for key, (_, _, layer) in LAYERS.items():
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
