from nlp.index.lexical import index_text, match_expression, terms


def test_terms_stem_by_script_and_drop_stop_words():
    assert terms("The exports of integrated circuits") == ["export", "integr", "circuit"]
    assert terms("Реэкспорт товаров в Россию") == ["реэкспорт", "товар", "росс"]
    # Codes survive; mixed-language text uses both stemmers.
    assert terms("HS 8542.31 микросхемы chips") == ["hs", "8542", "31", "микросхем", "chip"]


def test_match_expression_ors_distinct_quoted_terms():
    assert match_expression("chips and more chips") == '"chip" OR "more"'
    assert match_expression("the of and") is None
    assert match_expression('say "quoted"') == '"say" OR "quot"'
    assert index_text("Exports exported") == "export export"
