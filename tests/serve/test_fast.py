"""The web app's speed-ups keep results identical: snippets, cached query vectors, batched extraction."""

from __future__ import annotations

import threading
import time

import numpy as np

from nlp.serve import fast

TEXTS = [
    "EU exports of integrated circuits to Kazakhstan rose sharply in 2022, according to Eurostat.",
    "Экспорт микросхем из ЕС в Казахстан вырос в 2022 году по сравнению с 2021 годом.\nНовая строка.",
    "x" * 500 + " exports of chips " + "y" * 500,
    "",
]
QUERIES = ["exports of chips to Kazakhstan", "экспорт микросхем", "the of and", "nothing matches here"]


def test_snippet_is_the_same_as_the_index_snippet():
    from nlp.index.commands import snippet

    for text in TEXTS:
        for query in QUERIES:
            assert fast.snippet(text, query) == snippet(text, query)


class CountingEmbedder:
    name, dim, max_tokens = "counting", 3, 128

    def __init__(self):
        self.calls: list[list[str]] = []

    def encode(self, texts, batch_size=64):
        self.calls.append(list(texts))
        return np.array([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32)

    def count_tokens(self, texts):
        return [len(t.split()) for t in texts]


def test_cached_embedder_encodes_each_text_once_and_keeps_order():
    inner = CountingEmbedder()
    cached = fast.CachedEmbedder(inner, size=2)
    first = cached.encode(["a", "bb"])
    again = cached.encode(["bb", "a", "ccc"])
    assert inner.calls == [["a", "bb"], ["ccc"]]
    assert again[0][0] == 2 and again[1][0] == 1 and again[2][0] == 3 and first.dtype == np.float32
    cached.encode(["dddd"])  # size 2: the least recently used ("a") is dropped
    assert not cached.cached("a") and cached.cached("dddd")


def test_batcher_runs_concurrent_jobs_together(monkeypatch):
    from nlp.extract import pipeline

    sizes: list[int] = []

    def fake_extract_many(jobs):
        sizes.append(len(jobs))
        time.sleep(0.05)
        if any(job == "bad" for job in jobs):
            raise ValueError("bad text")
        return [{"job": job} for job in jobs]

    monkeypatch.setattr(pipeline, "extract_many", fake_extract_many)
    batcher = fast.ExtractionBatcher(threading.RLock(), key=lambda job: job)
    results: dict[str, object] = {}

    def run(job):
        try:
            results[job] = batcher.extract(job)
        except ValueError as exc:
            results[job] = exc

    threads = [threading.Thread(target=run, args=(job,)) for job in ["a", "b", "c", "bad", "d", "e"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {k: v for k, v in results.items() if k != "bad"} == {j: {"job": j} for j in "abcde"}
    assert isinstance(results["bad"], ValueError)  # only the bad text's request fails
    assert max(sizes) > 1  # some requests shared a model run


def test_batcher_remembers_records_of_texts_seen(monkeypatch):
    from nlp.extract import pipeline
    from nlp.extract.pipeline import job_for_text

    calls: list[int] = []
    monkeypatch.setattr(pipeline, "extract_many",
                        lambda jobs: calls.append(len(jobs)) or [{"doc_id": j.doc_id, "lang": j.lang} for j in jobs])
    batcher = fast.ExtractionBatcher(threading.RLock())
    first = batcher.extract(job_for_text("Same text.", "en", "2024-01-01", doc_id="a"))
    again = batcher.extract(job_for_text("Same text.", "en", "2024-01-01", doc_id="b"))
    other_day = batcher.extract(job_for_text("Same text.", "en", "2024-02-01", doc_id="c"))
    assert calls == [1, 1] and first["doc_id"] == "a" and again["doc_id"] == "b" and other_day["doc_id"] == "c"


def _put(store, path, doc_id, text):
    from nlp.records import Document, ReadResult

    doc = Document(doc_id=doc_id, kind="news", lang="en", text=text, source=f"{doc_id}.txt", published="2024-01-01")
    store.replace_file(path, "sha-" + doc_id, 1, "test", ReadResult(documents=[doc]))


def test_search_answers_are_reused_until_the_index_changes(tmp_path, monkeypatch):
    from nlp.index.build import sync_index
    from nlp.index.current import forget
    from nlp.index.embed import HashingEmbedder
    from nlp.serve import actions
    from nlp.serve.backend import Backend
    from nlp.serve.checks import SearchRequest
    from nlp.store import Store

    embedder = HashingEmbedder()
    with Store(tmp_path / "s") as store:
        _put(store, "a", "cars1", "Armenian re-exports of cars to Russia grew sharply in 2022.")
        sync_index(store, embedder=embedder)
        backend = Backend(store.dir, embedder=embedder)
        first = actions.search(backend, SearchRequest(query="re-exports of cars", k=5))
        assert [h["doc_id"] for h in first["hits"]] == ["cars1"]
        expected = {**first, "hits": [dict(h) for h in first["hits"]]}
        first["hits"][0]["pieces"] = "added by a page"  # callers get copies
        calls = []
        original = actions._search
        monkeypatch.setattr(actions, "_search", lambda b, r: calls.append(r) or original(b, r))
        assert actions.search(backend, SearchRequest(query="re-exports of cars", k=5)) == expected
        assert calls == []  # answered from memory: same request, same index
        _put(store, "b", "cars2", "Re-exports of cars from Armenia to Russia doubled again in 2023.")
        sync_index(store, embedder=embedder)
        newer = actions.search(backend, SearchRequest(query="re-exports of cars", k=5))
        assert len(calls) == 1  # the index changed: searched again
        assert {h["doc_id"] for h in newer["hits"]} == {"cars1", "cars2"}
        forget(store.dir)


def test_warm_up_runs_a_search_and_a_tag_per_language(web_app):
    backend = web_app.state.backend
    spent = fast.warm_up(backend)
    assert set(spent) == {"search", "tag en", "tag ru"}
    remembered = fast.extraction_batcher(backend)._records
    assert {key[1] for key in remembered} >= {"en", "ru"}  # the models ran for both texts
