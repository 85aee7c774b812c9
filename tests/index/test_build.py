import json

import pytest
from index_helpers import news_en, news_ru, put, regulation

from nlp.index.build import IndexError_, ModelMismatch, index_dir, read_manifest, sync_index
from nlp.index.search import SearchIndex


def passage_docs(store):
    with SearchIndex(store.dir, embedder=None) as index:
        return sorted({r[0] for r in index.db.execute("SELECT doc_id FROM passages")})


def test_build_then_add_only_embeds_new_documents(store, embedder):
    put(store, "a.xml", regulation())
    first = sync_index(store, embedder=embedder)
    assert (first.added_documents, first.passages, first.dense_kind) == (1, 2, "flat")
    put(store, "b.json", news_ru())
    second = sync_index(store, embedder=embedder)
    assert (second.added_documents, second.removed_documents) == (1, 0)
    assert second.added_passages == 1 and second.passages == 3
    assert second.generation == first.generation + 1
    # Nothing changed: nothing is written.
    third = sync_index(store, embedder=embedder)
    assert third.added_documents == third.removed_documents == 0
    assert third.generation == second.generation
    assert passage_docs(store) == ["reg1", "ru1"]


def test_replaced_and_deleted_documents_lose_their_passages(store, embedder):
    put(store, "a.xml", regulation())
    put(store, "c.txt", news_en())
    sync_index(store, embedder=embedder)
    # Re-ingesting a changed file gives its documents new ids.
    put(store, "c.txt", news_en(doc_id="en2", extra=" Updated."))
    summary = sync_index(store, embedder=embedder)
    assert (summary.added_documents, summary.removed_documents) == (1, 1)
    assert passage_docs(store) == ["en2", "reg1"]
    store.delete_file("a.xml")
    summary = sync_index(store, embedder=embedder)
    assert summary.removed_passages == 2
    assert passage_docs(store) == ["en2"]
    with SearchIndex(store.dir, embedder=embedder) as index:
        assert index.dense.ntotal == index.manifest.passages == summary.passages
        hits = index.search("Kontron Slovenian subsidiary", k=5)
        assert {h.doc_id for h in hits} == {"en2"}


def test_crash_before_the_manifest_leaves_the_previous_index(store, embedder):
    put(store, "a.xml", regulation())
    sync_index(store, embedder=embedder)
    put(store, "b.json", news_ru())
    with pytest.raises(SystemExit):
        sync_index(store, embedder=embedder, _crash_before_manifest=True)
    # New-generation files exist, but the manifest still names the old ones.
    assert read_manifest(index_dir(store.dir)).generation == 1
    with SearchIndex(store.dir, embedder=embedder) as index:
        assert index.manifest.passages == 2
        assert {h.doc_id for h in index.search("integrated circuits", k=5)} == {"reg1"}
    # A half-written temporary file from a crash is swept by the next update.
    (index_dir(store.dir) / "dense.9.faiss.tmp").write_bytes(b"partial")
    summary = sync_index(store, embedder=embedder)
    assert summary.passages == 3
    names = sorted(p.name for p in index_dir(store.dir).iterdir())
    # (a multilingual index also keeps its embedded vocabulary, nlp/index/crosslingual.py)
    assert [n for n in names if not n.startswith("vocabulary.")] == \
        [".lock", "dense.2.faiss", "facets.2.sqlite", "lexical.2", "manifest.json", "passages.2.sqlite"]


def test_model_mismatch_is_a_clear_error(store, embedder):
    put(store, "a.xml", regulation())
    sync_index(store, embedder=embedder)
    with pytest.raises(ModelMismatch, match="built with model 'hash-test'"):
        sync_index(store, "use-m3")
    with pytest.raises(ModelMismatch, match="cannot be queried with 'minilm'"):
        SearchIndex(store.dir, "minilm")
    with SearchIndex(store.dir, embedder=embedder) as index:
        with pytest.raises(ModelMismatch):
            index.search("x", model="use-m3")


def test_missing_or_damaged_index(store, embedder):
    with pytest.raises(IndexError_, match="run `sanctions index` first"):
        SearchIndex(store.dir)
    put(store, "a.xml", regulation())
    sync_index(store, embedder=embedder)
    manifest = index_dir(store.dir) / "manifest.json"
    manifest.write_text("{broken")
    with pytest.raises(IndexError_, match="unreadable index manifest"):
        SearchIndex(store.dir)
    data = {"model": "hash-test", "dim": 64, "generation": 1}
    manifest.write_text(json.dumps(data))
    (index_dir(store.dir) / "dense.1.faiss").write_bytes(b"garbage")
    with pytest.raises(IndexError_, match="damaged index"):
        SearchIndex(store.dir)
    # --rebuild recovers.
    summary = sync_index(store, embedder=embedder, rebuild=True)
    assert summary.passages == 2


def test_large_collections_switch_to_ivf(store, embedder):
    docs = [news_en(doc_id=f"en{i}", extra=f" Item {i} of batch.") for i in range(120)]
    put(store, "many.txt", *docs)
    summary = sync_index(store, embedder=embedder, flat_max=50)
    assert summary.dense_kind == "ivf-sq8" and summary.passages == 120
    manifest = read_manifest(index_dir(store.dir))
    assert manifest.dense_kind == "ivf-sq8" and manifest.nlist and manifest.nprobe
    put(store, "many.txt", *docs[:90])
    summary = sync_index(store, embedder=embedder, flat_max=50)
    assert (summary.passages, summary.removed_passages) == (90, 30)
    with SearchIndex(store.dir, embedder=embedder) as index:
        assert index.dense.ntotal == 90
        hits = index.search("Item 7 of batch", k=3)
        assert "en7" in {h.doc_id for h in hits}
        assert all(int(h.doc_id[2:]) < 90 for h in index.search("Armenian cars", k=50, mode="dense"))
