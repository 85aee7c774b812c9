from nlp.index.lexical import index_text, terms


def test_terms_stem_by_script_and_drop_stop_words():
    assert terms("The exports of integrated circuits") == ["export", "integr", "circuit"]
    assert terms("Реэкспорт товаров в Россию") == ["реэкспорт", "товар", "росс"]
    # Codes survive; mixed-language text uses both stemmers.
    assert terms("HS 8542.31 микросхемы chips") == ["hs", "8542", "31", "микросхем", "chip"]


def test_index_text_keeps_repeats_for_term_frequency():
    assert index_text("Exports exported") == "export export"
    assert index_text("the of and") == ""


def test_bm25_index_ranks_filters_and_round_trips(tmp_path):
    import numpy as np

    from nlp.index.lexical import Bm25Index

    texts = {10: "integrated circuits exported to Russia", 20: "frozen funds of listed persons",
             30: "circuits and chips, circuits again", 40: "реэкспорт микросхем"}
    index = Bm25Index.build(list(texts), [terms(t) for t in texts.values()])
    assert [i for i, _ in index.search("circuits", 10)] == [30, 10]
    assert index.search("circuits", 10, allowed=np.array([10, 20])) == index.search("circuits", 10)[1:]
    assert index.search("nothing matches", 10) == []
    assert [i for i, _ in index.search("реэкспорта", 5)] == [40]
    index.save(tmp_path / "lex")
    again = Bm25Index.load(tmp_path / "lex")
    assert again.search("funds", 3) == index.search("funds", 3)
    empty = Bm25Index.build([], [])
    assert empty.search("x", 3) == []
