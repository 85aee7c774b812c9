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


def test_comparative_gate():
    assert crosslingual.comparative_gate(0.5, 0.5) == 0.5
    assert crosslingual.comparative_gate(0.6, 0.2, spread=0.2) == 1.0
    assert crosslingual.comparative_gate(0.2, 0.6, spread=0.2) == 0.0
    # The default spread only leans: a better own coverage raises the gate.
    assert 0.5 < crosslingual.comparative_gate(0.6, 0.2) < 1.0


def test_prose_ids_leave_records_out():
    rows = [(1, "en", "news"), (2, "en", "listing"), (3, "ru", "news"), (4, "en", "regulation"), (5, "de", "news")]
    prose = crosslingual.prose_ids(rows, ["en", "ru"])
    assert prose["en"].tolist() == [1, 4] and prose["ru"].tolist() == [3]


class _Translator:
    """A vocabulary stand-in: fixed English -> Russian word pairs."""

    pairs = {"drones": ["беспилотников"], "microprocessors": ["микропроцессоров"]}

    def translate_groups(self, query, query_lang, target, embedder):
        return [self.pairs[word] for word in query.lower().split() if word in self.pairs]


def test_plan_gives_each_language_a_prose_list_and_the_translated_words():
    bm25, groups = _index()
    masks = crosslingual.LanguageMasks(bm25, groups)
    prose = {"en": groups["en"], "ru": groups["ru"]}
    asked: list[list[int]] = []

    def dense_in(ids):
        asked.append([int(i) for i in ids])
        return [int(i) for i in ids]

    cross = crosslingual.plan("drones microprocessors", "en", groups, prose, masks, _Translator(), None,
                              dense_in, 10, None)
    assert cross is not None
    assert [leg.name for leg in cross.legs] == ["dense-prose:en", "dense-prose:ru", "words:ru"]
    assert asked == [groups["en"].tolist(), groups["ru"].tolist()]
    assert cross.legs[2].ranking[0] == len(EN) + 1  # the Russian drone passage
    assert 0.0 <= cross.gate <= 1.0
    assert abs(cross.lexical_weight - 2 * cross.gate * crosslingual.OWN_LEXICAL_WEIGHT) < 1e-9
    assert abs(cross.legs[2].weight - 2 * (1 - cross.gate) * crosslingual.WORD_WEIGHT) < 1e-9
    assert cross.dense_weight == crosslingual.ALL_DENSE_WEIGHT
    # A filter that allows only English passages leaves no Russian leg.
    only_en = crosslingual.plan("drones microprocessors", "en", groups, prose, masks, _Translator(), None,
                                dense_in, 10, np.array([1, 2], dtype=np.int64))
    assert only_en is not None and [leg.name for leg in only_en.legs] == ["dense-prose:en"]
    # A filter that allows only Russian passages: the English words cannot match
    # there, so the own-language lexical list gets no weight and the translations decide.
    only_ru = crosslingual.plan("drones microprocessors", "en", groups, prose, masks, _Translator(), None,
                                dense_in, 10, groups["ru"])
    assert only_ru is not None and only_ru.gate == 0.0 and only_ru.lexical_weight == 0.0
    assert [leg.name for leg in only_ru.legs] == ["dense-prose:ru", "words:ru"]
    assert only_ru.legs[1].ranking[0] == len(EN) + 1
    # A query language the index does not hold: the plain hybrid.
    assert crosslingual.plan("Drohnen", "de", groups, prose, masks, None, None, dense_in, 10, None) is None


def test_plan_without_a_vocabulary_uses_the_fixed_gate():
    bm25, groups = _index()
    masks = crosslingual.LanguageMasks(bm25, groups)
    cross = crosslingual.plan("grain", "en", groups, {"en": groups["en"], "ru": groups["ru"]}, masks, None, None,
                              lambda ids: [int(i) for i in ids], 10, None)
    assert cross is not None and not any(leg.name.startswith("words:") for leg in cross.legs)
    assert cross.gate == crosslingual.gate(masks.coverage("grain", "en"))


def test_vocabulary_is_written_for_two_languages_and_translates(tmp_path):
    """A stand-in embedder that maps a few words of both languages to shared
    directions: the vocabulary file is written per generation, and a query
    word finds its counterpart in the other language."""
    import sqlite3

    pairs = {"drones": 0, "беспилотников": 0, "microprocessors": 1, "микропроцессоров": 1,
             "kazakhstan": 2, "казахстан": 2}

    class Words:
        dim = 8
        loads = 0

        def encode(self, texts):
            out = np.zeros((len(texts), self.dim), dtype=np.float32)
            for row, text in enumerate(texts):
                out[row, pairs.get(text, 3 + hash(text) % 5)] = 1.0
            return out

    db = sqlite3.connect(tmp_path / "passages.1.sqlite")
    db.execute("CREATE TABLE passages (id INTEGER PRIMARY KEY, text TEXT, lang TEXT, kind TEXT)")
    rows = [(EN[0], "en", "news")] * 2 + [(RU[0], "ru", "news")] * 2 + [("Entry JOHN DOE", "en", "listing")]
    db.executemany("INSERT INTO passages (text, lang, kind) VALUES (?,?,?)", rows)
    db.commit()
    db.close()
    model = Words()
    path = crosslingual.write_vocabulary(tmp_path, "passages.1.sqlite", 1, lambda: model)
    assert path is not None and path.name == crosslingual.vocabulary_file(1)
    vocabulary = crosslingual.Vocabulary.load(path)
    assert "john" not in vocabulary.words["en"]  # listing entries are names, not vocabulary
    assert set(vocabulary.tables) == {"en>ru", "ru>en"}
    found = vocabulary.translate("drones from Kazakhstan", "en", "ru", model)
    assert "беспилотников" in found and "казахстан" in found
    # Latin words and numbers of a Russian query carry over into English.
    assert "siemens" in vocabulary.translate("поставки Siemens 2024", "ru", "en", model)
    assert "2024" in vocabulary.translate("поставки Siemens 2024", "ru", "en", model)
    # Words of the vocabulary are not embedded again; another word is
    # embedded once and then answered from memory.
    calls = []
    model.encode = lambda texts: calls.append(list(texts)) or Words.encode(model, texts)
    vocabulary.translate("drones drones microprocessors", "en", "ru", model)
    vocabulary.translate("drones quadcopters", "en", "ru", model)
    vocabulary.translate("quadcopters", "en", "ru", model)
    assert calls == [["quadcopters"]]
    # One language only: nothing written, the model never loaded.
    db = sqlite3.connect(tmp_path / "passages.2.sqlite")
    db.execute("CREATE TABLE passages (id INTEGER PRIMARY KEY, text TEXT, lang TEXT, kind TEXT)")
    db.executemany("INSERT INTO passages (text, lang, kind) VALUES (?,?,?)", [(EN[0], "en", "news")])
    db.commit()
    db.close()

    def no_model():
        raise AssertionError("the model is not needed for one language")

    assert crosslingual.write_vocabulary(tmp_path, "passages.2.sqlite", 2, no_model) is None
