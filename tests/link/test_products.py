"""The product resolver: words -> HS codes at the level the words support."""

from __future__ import annotations

import pytest

from nlp.products import find_products, in_edition, resolve


@pytest.mark.parametrize("phrase, lang, codes", [
    ("memory chips", "en", ["854232"]),
    ("processors and microcontrollers", "en", ["854231"]),
    ("microchips", "en", ["854231", "854232", "854233", "854239"]),
    ("integrated circuits other than processors, memories and amplifiers", "en", ["854239"]),
    ("optical devices and instruments not specified elsewhere", "en", ["901380"]),
    ("tapered roller bearings", "en", ["848220"]),
    ("bearings", "en", ["8482"]),
    ("routers and switches", "en", ["851762"]),
    ("laptops and other computers", "en", ["8471"]),
    ("маршрутизаторов", "ru", ["851762"]),
    ("конических роликовых подшипников", "ru", ["848220"]),
    ("запчастей для самолётов и вертолётов", "ru", ["880730"]),
    ("прочих интегральных схем", "ru", ["854239"]),
    ("gas turbines", "en", ["841181", "841182"]),   # nomenclature, no synonym; not the parts subheading
    ("parts of gas turbines", "en", ["841199"]),
])
def test_resolves_at_the_right_level(phrase, lang, codes):
    match = resolve(phrase, lang)
    assert match is not None and match.codes == codes


@pytest.mark.parametrize("phrase", ["widgets", "sanctioned goods", "штуковины"])
def test_abstains_below_confidence(phrase):
    assert resolve(phrase) is None


def test_sentence_products_skip_other_words():
    match = find_products("EU exports to Kyrgyzstan of integrated circuits other than processors, memories and "
                          "amplifiers rose more than tenfold", "en")
    assert match.codes == ["854239"] and match.method == "synonym"


def test_editions():
    assert in_edition("880730", "hs2022") and not in_edition("880730", "hs2017")
    assert in_edition("8806", "hs2022") and not in_edition("8806", "hs2017")
    assert in_edition("901380", "hs2017")


def test_subheadings_and_editions_read_from_the_sorted_codes():
    from nlp.products import nomenclature, subheadings

    nom = nomenclature()
    for prefix in ("", "85", "8542", "854231", "8806", "880730", "9999", "8542311"):
        assert subheadings(prefix) == sorted(c for c in nom.hs6 if c.startswith(prefix))
        for edition in ("hs2017", "hs2022"):
            codes = nom.editions[edition]
            expected = any(c.startswith(prefix) for c in codes) if len(prefix) < 6 else prefix[:6] in codes
            assert in_edition(prefix, edition) == expected
    assert in_edition("8806", "hs2022") and not in_edition("8806", "hs2017")  # drones: new in HS 2022


def test_the_word_lookup_follows_a_reloaded_nomenclature():
    from nlp import products

    first = products._lookup()
    assert first.of is products.nomenclature()
    products.nomenclature.cache_clear()
    try:
        again = products._lookup()
        assert again.of is products.nomenclature() and again is not first
        assert again.codes_by_word == first.codes_by_word
    finally:
        products.nomenclature.cache_clear()


@pytest.mark.parametrize("phrase, lang, wrong", [
    ("телевизоры", "ru", "850431"),    # only in a complement: transformers «для телевизоров»
    ("расходомеры", "ru", "841311"),   # pumps «имеющие расходомер»
])
def test_a_head_noun_in_a_complement_does_not_name_the_goods(phrase, lang, wrong):
    from nlp.products import resolve_in_nomenclature

    match = resolve_in_nomenclature(phrase, lang)
    assert match is None or wrong not in match.codes


@pytest.mark.parametrize("phrase", ["промышленные товары", "санкционные товары", "оборудование", "luxury goods"])
def test_a_category_of_goods_or_a_generic_word_abstains(phrase):
    assert resolve(phrase) is None


def test_phrase_head():
    from nlp.products import norm, phrase_head

    assert phrase_head("gearboxes for vehicles") == norm("gearboxes")
    assert phrase_head("лекарственные средства") == norm("средства")
    assert phrase_head("стиральные машины") == norm("машины")


@pytest.mark.parametrize("phrase, lang, codes", [
    ("car parts", "en", ["8708"]),
    ("TV sets", "en", ["852872", "852873"]),
    ("кофемашины", "ru", ["851671"]),
])
def test_trade_press_words(phrase, lang, codes):
    match = resolve(phrase, lang)
    assert match is not None and match.codes == codes


def test_an_unknown_compound_head_abstains():
    # «фотоаппарат» is not «фото» + «аппарат» (diffraction apparatus)
    assert resolve("фотоаппаратов", "ru") is None


def test_a_head_noun_is_read_with_each_of_its_lemmas():
    # «часов»: «час» (hours) or «часы»; and «часы» are watches (9101, 9102) or clocks (9103, 9105)
    match = resolve("часов", "ru")
    assert match is None


@pytest.mark.parametrize("phrase, wrong", [("car batteries", "8703"), ("aircraft engines", "8802"),
                                           ("medical devices", "3004")])
def test_a_synonym_for_a_modifier_does_not_name_the_goods(phrase, wrong):
    match = resolve(phrase)
    assert match is None or wrong not in match.codes


@pytest.mark.parametrize("phrase, wrong", [("steel", "7227"), ("grain", "1007"), ("cement", "6810"),
                                           ("rubber", "5604")])
def test_a_word_many_headings_share_is_not_narrowed_to_one(phrase, wrong):
    match = resolve(phrase)
    assert match is None or wrong not in match.codes


@pytest.mark.parametrize("phrase, lang, wrong", [("engine oil", "en", "842123"), ("steel sheets", "en", "730110"),
                                                 ("железная руда", "ru", "720310"), ("clothes", "en", "731419"),
                                                 ("литий", "ru", "284530"), ("lithium", "en", "850650"),
                                                 ("jewellery", "en", "7117")])
def test_a_word_that_only_modifies_other_goods_does_not_name_them(phrase, lang, wrong):
    match = resolve(phrase, lang)
    assert match is None or wrong not in match.codes


def test_a_broadcaster_is_not_a_product():
    match = find_products("Russian state TV reported that EU exports of chips to Kazakhstan doubled")
    assert match is not None and all(c.startswith("8542") for c in match.codes)


def test_a_phrase_only_word_counts_as_the_whole_phrase():
    match = resolve("TV", "en")
    assert match is not None and match.codes == ["852872", "852873"]
    assert find_products("state TV reported it") is None
