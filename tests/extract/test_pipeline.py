"""The extraction layer: record shape, missing layers, storing, model paths."""

from __future__ import annotations

import pytest

from nlp.extract.pipeline import annotation_layers, extract_document, extract_text, job_for_document, store_record
from nlp.records import Document, ReadResult

RECORD_KEYS = {"doc_id", "source", "lang", "published", "entities", "hs_codes", "dates", "citations"}


def german_doc(**changes) -> Document:
    fields = dict(doc_id="d1", kind="news", lang="de", source="test.txt", published="2024-06-07",
                  text="Die Kontron AG lieferte Waren nach Russland.")
    fields.update(changes)
    return Document(**fields)


def test_record_shape_without_a_model():
    # German has no model: gazetteer and rules still run and the record says so.
    record = extract_document(german_doc())
    assert RECORD_KEYS <= set(record)
    assert record["lang"] == "de" and record["published"] == "2024-06-07"
    assert {"start": 4, "end": 14, "text": "Kontron AG", "label": "ORG"} in record["entities"]
    assert any(w.startswith("entities: no model") for w in record["warnings"])
    assert "text" not in record
    assert extract_document(german_doc(), with_text=True)["text"] == german_doc().text


def test_published_argument_overrides_the_document_date():
    job = job_for_document(german_doc(), published="2020-01-31")
    assert job.published == "2020-01-31"
    assert job_for_document(german_doc(published=None)).published is None


def test_failing_layer_does_not_lose_the_others(monkeypatch):
    from nlp.extract import components

    real = components.layer_items

    def broken(key, text, lang, published=None):
        if key == "citations":
            raise ValueError("boom")
        return real(key, text, lang, published)

    monkeypatch.setattr(components, "layer_items", broken)
    record = extract_document(german_doc())
    assert any(w.startswith("citations: layer failed: ValueError: boom") for w in record["warnings"])
    assert record["entities"]
    assert "citation" not in annotation_layers(record)  # a failed layer keeps what was stored


def test_store_record_writes_the_four_layers(store):
    doc = german_doc(doc_id="abc")
    store.replace_file("/x/test.txt", "sha", 1, "text", ReadResult(documents=[doc]))
    record = extract_document(doc)
    record["hs_codes"] = [{"start": 0, "end": 4, "text": "8542", "code": "8542", "level": 4}]
    record["warnings"] = []
    assert store_record(store, record)
    stored = store.annotations("abc")
    layers = {a["layer"] for a in stored}
    assert {"entity", "hs_code", "date", "citation"} >= layers >= {"entity", "hs_code"}
    hs = store.annotations("abc", "hs_code")[0]
    assert hs["label"] == "8542" and hs["level"] == 4
    assert not store_record(store, {**record, "doc_id": "not-stored"})


def test_auto_language_detection_on_text():
    record = extract_text("Die Kontron AG lieferte Waren nach Russland und in die Ukraine.")
    assert record["lang"] == "de"
    assert record["doc_id"]


@pytest.mark.slow
def test_english_and_russian_texts_with_offsets():
    en = "JSC Rosneft and Kontron AG met in Moscow; Vladimir Putin spoke."
    ru = "ООО «Ромашка» поставляло товары в Казахстан, сообщил Дмитрий Песков."
    for text, lang in ((en, "en"), (ru, "ru")):
        record = extract_text(text, published="2024-01-15")
        assert record["lang"] == lang
        for ent in record["entities"]:
            assert text[ent["start"]:ent["end"]] == ent["text"]
    labels = {(e["text"], e["label"]) for e in extract_text(ru)["entities"]}
    assert ("ООО «Ромашка»", "ORG") in labels and ("Казахстан", "GPE") in labels


@pytest.mark.slow
def test_long_documents_are_chunked_with_offsets_mapped_back():
    unit = "Officials in Brussels met Francesca Dalboni of the European Commission. " * 40
    text = (unit + "\n") * 12  # ~35k characters, more than one chunk
    record = extract_text(text, "en")
    hits = [e for e in record["entities"] if e["text"] == "Brussels"]
    assert len(hits) == 480
    assert all(text[e["start"]:e["end"]] == "Brussels" for e in hits)
