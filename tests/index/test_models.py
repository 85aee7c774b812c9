"""The real embedding models (slow: they load weights)."""

import numpy as np
import pytest
from index_helpers import news_en, news_ru, put, regulation

from nlp.index.build import sync_index
from nlp.index.embed import UnknownModel, canonical_name, get_embedder
from nlp.index.passages import chunk_document
from nlp.index.search import SearchIndex
from nlp.records import Document


def test_model_names():
    assert canonical_name("all-MiniLM-L6-v2") == "minilm"
    assert canonical_name("usem3") == "use-m3"
    with pytest.raises(UnknownModel):
        canonical_name("bert-huge")


@pytest.mark.slow
def test_minilm_window_is_counted_with_its_tokenizer():
    embedder = get_embedder("minilm")
    text = " ".join(["Dual-use goods (HS 8542.31) were re-exported via Kazakhstan."] * 200)
    doc = Document("long", "news", "en", text, "s", title="Re-exports")
    passages = chunk_document(doc, embedder.count_tokens, embedder.max_tokens)
    assert len(passages) > 5
    counts = embedder.count_tokens([p.embed_text for p in passages])
    assert max(counts) <= embedder.max_tokens
    vectors = embedder.encode([p.embed_text for p in passages[:3]])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


@pytest.mark.slow
def test_minilm_index_end_to_end(store):
    put(store, "a.xml", regulation())
    put(store, "c.txt", news_en())
    sync_index(store, "minilm")
    with SearchIndex(store.dir, "minilm") as index:
        hits = index.search("microchips export prohibition", k=2, mode="dense")
        assert hits[0].passage_id == "reg1:0"


@pytest.mark.slow
def test_use_m3_finds_russian_text_for_an_english_query(store):
    put(store, "b.json", news_ru())
    put(store, "c.txt", news_en())
    sync_index(store, "use-m3")
    with SearchIndex(store.dir) as index:
        assert index.manifest.model == "use-m3" and index.manifest.dim == 512
        hits = index.search("Kazakhstan banned re-exports of chips and drones to Russia", k=1, mode="dense")
        assert hits[0].doc_id == "ru1"
