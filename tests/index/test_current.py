"""nlp.index.current: one open index per store folder, reopened when a new one is written."""

from __future__ import annotations

import pytest
from index_helpers import HashEmbedder, news_en, put, regulation

from nlp.errors import IndexError_
from nlp.index.build import sync_index
from nlp.index.current import forget, has_index, using_index
from nlp.store import Store


def test_reopened_only_when_the_index_changes(tmp_path):
    embedder = HashEmbedder()
    with Store(tmp_path / "s") as store:
        with pytest.raises(IndexError_):
            with using_index(store.dir, embedder):
                pass
        put(store, "a", regulation())
        sync_index(store, embedder=embedder)
        assert has_index(store.dir)
        with using_index(store.dir, embedder) as first:
            assert first.search("integrated circuits", k=1)
        with using_index(store.dir, embedder) as again:
            assert again is first
        put(store, "b", news_en())
        sync_index(store, embedder=embedder)
        with using_index(store.dir, embedder) as newer:
            assert newer is not first
            assert {h.doc_id for h in newer.search("re-exports of cars", k=5)} >= {"en1"}
        forget(store.dir)
