"""The language gate and the legs for other languages (nlp/index/crosslingual.py)."""

from __future__ import annotations

import numpy as np

from nlp.index import crosslingual
from nlp.index.lexical import Bm25Index, terms

EN = [
    "Kazakhstan bans the export of drones and microprocessors to Russia",
    "Russia and Kazakhstan discuss trade in grain",
    "The EU adopts a new package of sanctions against Russia",
]
RU = [
    "Казахстан запретил вывоз беспилотников и микропроцессоров в Россию",
    "Санкции против России обсуждают в Брюсселе",
]


def _index() -> tuple[Bm25Index, dict[str, np.ndarray]]:
    texts = EN + RU
    bm25 = Bm25Index.build(list(range(1, len(texts) + 1)), [terms(t) for t in texts])
    groups = {"en": np.arange(1, len(EN) + 1), "ru": np.arange(len(EN) + 1, len(texts) + 1)}
    return bm25, groups


def test_gate_is_linear_between_the_bounds():
    assert crosslingual.gate(0.1) == 0.0
    assert abs(crosslingual.gate(0.3) - 0.5) < 1e-9
    assert crosslingual.gate(0.9) == 1.0
    assert crosslingual.gate(0.5, low=0.5, high=0.5) == 1.0


def test_coverage_is_high_when_one_passage_holds_the_query_terms():
    bm25, groups = _index()
    masks = crosslingual.LanguageMasks(bm25, groups)
    full = masks.coverage("drones and microprocessors exported from Kazakhstan to Russia", "en")
    spread = masks.coverage("grain trade talks about a new sanctions package", "en")
    assert 0.0 < spread < full <= 1.0 + 1e-9
    assert masks.coverage("microprocessors", "ru") == 0.0  # no Russian passage holds the English stem
    assert masks.coverage("", "en") == 0.0


def test_shared_terms_need_two_bags():
    bags = [["drone", "russia", "kz"], ["drone", "russia", "chip"], ["chip", "tanker"]]
    assert crosslingual.shared_terms(bags) == ["drone", "russia", "chip"]
    assert crosslingual.shared_terms(bags, limit=1) == ["drone"]


def test_other_language_legs_follow_the_gate():
    bm25, groups = _index()
    ru_ids = groups["ru"]

    def dense_in(ids):
        return [int(i) for i in ids]

    def passage_terms(ids):
        return [terms((EN + RU)[i - 1]) for i in ids]

    def bm25_in(text, ids):
        return [pid for pid, _ in bm25.search(text, 10, ids)]

    open_legs = crosslingual.other_language_legs("en", groups, 0.0, dense_in, passage_terms, bm25_in, None)
    assert [leg.name for leg in open_legs] == ["dense:ru", "translated:ru"]
    assert open_legs[0].weight == crosslingual.OTHER_DENSE_WEIGHT
    assert set(open_legs[1].ranking) <= set(int(i) for i in ru_ids)
    closed = crosslingual.other_language_legs("en", groups, 1.0, dense_in, passage_terms, bm25_in, None)
    assert [leg.name for leg in closed] == ["translated:ru"]
    filtered = crosslingual.other_language_legs("en", groups, 0.0, dense_in, passage_terms, bm25_in,
                                                np.array([1, 2], dtype=np.int64))
    assert filtered == []
