"""The SQLite store: atomic file replacement, failures keep old data, annotations."""

from __future__ import annotations

import sqlite3

import pytest

from nlp.records import Document, ListingEntry, ReadResult, TextBuilder, TradeFact, content_id
from nlp.store import Store, StoreError


def _doc(text: str, kind: str = "news") -> Document:
    builder = TextBuilder()
    for para in text.split("|"):
        builder.add("paragraph", para)
    return Document(doc_id=content_id(text), kind=kind, lang="en", text=builder.text,
                    source="test", blocks=builder.blocks)


def _result(text: str) -> ReadResult:
    doc = _doc(text)
    return ReadResult(
        documents=[doc],
        listings=[ListingEntry(entry_id=content_id("L", text), list_name="test", source_id="1",
                               schema="Person", name="Ivan Ivanov", aliases=["Иван Иванов"],
                               doc_id=doc.doc_id)],
        trade_facts=[TradeFact(reporter="DE", partner="KZ", flow="export", product_code="854231",
                               code_system="HS", code_level=6, period="2023-01", value=10.0,
                               currency="EUR", doc_id=doc.doc_id)],
    )


def test_replace_file_swaps_everything(store: Store):
    store.replace_file("/a.txt", "sha1", 10, "text", _result("first|para two"))
    store.replace_file("/a.txt", "sha2", 10, "text", _result("second"))
    assert store.totals() == {"documents": 1, "listings": 1, "trade_facts": 1}
    [doc] = store.documents()
    assert doc.text == "second"
    assert store.file_state("/a.txt").sha256 == "sha2"


def test_blocks_round_trip_with_offsets(store: Store):
    store.replace_file("/a.txt", "sha", 1, "text", _result("alpha|beta gamma"))
    [doc] = store.documents()
    assert [b.text for b in doc.blocks] == ["alpha", "beta gamma"]
    for block in doc.blocks:
        assert doc.text[block.start:block.end] == block.text


def test_failure_keeps_previous_version(store: Store):
    store.replace_file("/a.txt", "sha1", 10, "text", _result("kept"))
    store.record_failure("/a.txt", "sha2", 10, "truncated")
    assert store.totals()["documents"] == 1
    state = store.file_state("/a.txt")
    assert state.status == "ok" and state.sha256 == "sha1"
    assert "truncated" in state.reason


def test_failure_of_new_file_is_listed(store: Store):
    store.record_failure("/bad.pdf", "x", 3, "encrypted PDF")
    assert store.failures() == [{"path": "/bad.pdf", "reason": "encrypted PDF"}]


def test_error_inside_transaction_rolls_back(store: Store):
    store.replace_file("/a.txt", "sha1", 10, "text", _result("kept"))
    broken = _result("new")
    broken.trade_facts[0].reporter = None  # NOT NULL violation halfway through
    with pytest.raises(sqlite3.IntegrityError):
        store.replace_file("/a.txt", "sha2", 10, "text", broken)
    [doc] = store.documents()
    assert doc.text == "kept"


def test_annotations_replace_by_layer(store: Store):
    store.replace_file("/a.txt", "sha", 1, "text", _result("Kontron AG shipped"))
    [doc_id] = store.doc_ids()
    store.replace_annotations(doc_id, {"entity": [{"start": 0, "end": 10, "text": "Kontron AG",
                                                   "label": "ORG"}],
                                       "date": []})
    store.replace_annotations(doc_id, {"date": [{"start": 11, "end": 18, "text": "shipped",
                                                 "label": "DATE", "value": "X"}]})
    layers = {a["layer"]: a for a in store.annotations(doc_id)}
    assert layers["entity"]["label"] == "ORG"
    assert layers["date"]["value"] == "X"


def test_listing_and_trade_round_trip(store: Store):
    store.replace_file("/l.csv", "sha", 1, "lists", _result("x"))
    [entry] = store.listings()
    assert entry.aliases == ["Иван Иванов"]
    [fact] = store.trade_facts(partner="KZ")
    assert fact.value == 10.0 and fact.period_type == "month"


def test_not_a_database_is_a_clear_error(tmp_path):
    (tmp_path / "store.sqlite").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable store"):
        Store(tmp_path)
