"""What search keeps between queries gives the answers a fresh computation gives:
word neighbours per word, faiss selectors and BM25 masks per id array."""

from __future__ import annotations

import numpy as np

from nlp.index import crosslingual
from nlp.index.dense import DenseIndex
from nlp.index.lexical import Bm25Index, terms


class CountingWords:
    """Stand-in embedder: fixed random unit vectors per word, counting encode calls."""

    name = "counting-words"
    dim = 16

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        out = np.stack([np.random.default_rng(sum(map(ord, t))).normal(size=self.dim) for t in texts])
        return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


def _vocabulary(model: CountingWords) -> crosslingual.Vocabulary:
    ru = ["экспорт", "микросхем", "казахстан", "санкции", "россия", "товары"]
    # Each Russian word close to one English word, so that neighbours exist.
    english = ["exports", "circuits", "kazakhstan", "sanctions", "russia", "goods"]
    vectors = model.encode(english) + 0.05 * model.encode(ru)
    return crosslingual.Vocabulary({"ru": ru}, {"ru": vectors / np.linalg.norm(vectors, axis=1, keepdims=True)})


def test_word_neighbours_do_not_depend_on_the_query_around_them():
    model = CountingWords()
    vocabulary = _vocabulary(model)
    together = vocabulary.translate("exports of circuits to Kazakhstan in 2023", "en", "ru", model)
    assert {"экспорт", "микросхем", "казахстан"} <= set(together) and "2023" in together
    alone = [w for word in ("exports", "circuits", "kazakhstan")
             for w in vocabulary.translate(word, "en", "ru", model)]
    assert [w for w in together if w != "2023"] == alone


def test_word_neighbours_are_remembered_and_match_a_fresh_computation():
    model = CountingWords()
    vocabulary = _vocabulary(model)
    first = vocabulary.translate("sanctions against Russia", "en", "ru", model)
    calls = model.calls
    again = vocabulary.translate("Russia sanctions", "en", "ru", model)
    assert model.calls == calls  # both words known: no model call
    assert sorted(again) == sorted(first)
    fresh = _vocabulary(CountingWords()).translate("Russia sanctions", "en", "ru", CountingWords())
    assert again == fresh


def test_dense_selector_kept_per_array_gives_the_same_hits():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(200, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = DenseIndex.empty(32)
    index.add(np.arange(200), vectors)
    query = vectors[:3]
    evens, odds = np.arange(0, 200, 2), np.arange(1, 200, 2)
    first = index.search(query, 5, evens)
    again = index.search(query, 5, evens)  # the kept selector
    assert np.array_equal(first[1], again[1]) and np.all(first[1] % 2 == 0)
    other = index.search(query, 5, odds)  # another array: another selector
    assert np.all(other[1] % 2 == 1)
    changed_copy = evens.copy()  # equal ids in a new array object
    assert np.array_equal(index.search(query, 5, changed_copy)[1], first[1])


def test_bm25_mask_kept_per_array_gives_the_same_ranking():
    texts = ["exports to russia", "russia sanctions", "exports of chips", "chips and russia", "grain exports"]
    bm25 = Bm25Index.build(list(range(1, 6)), [terms(t) for t in texts])
    first_ids = np.array([1, 3, 5])
    first = bm25.search("exports russia", 5, first_ids)
    assert {pid for pid, _ in first} <= {1, 3, 5}
    assert bm25.search("exports russia", 5, first_ids) == first
    second = bm25.search("exports russia", 5, np.array([2, 4]))
    assert {pid for pid, _ in second} == {2, 4}
    assert bm25.search("exports russia", 5, np.array([1, 3, 5])) == first
