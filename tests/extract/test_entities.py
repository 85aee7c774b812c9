"""Entities: rules, gazetteers and recasing (fast), models on corpus text (slow)."""

from __future__ import annotations

import json

import pytest

from nlp.extract.entities import (
    Entity,
    Gazetteer,
    NerOptions,
    builtin_gazetteer,
    clean_span,
    country_gazetteer,
    find_entities,
    find_rule_entities,
    keyed_tokens,
    listing_names,
    merge,
    name_key,
    recase_caps,
    segments,
    token_keys,
)
from nlp.records import ListingEntry


def rule_spans(text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label) for e in find_rule_entities(text)}


# -- rules ------------------------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("Поставки вела компания ООО «Ромашка» из Москвы.", "ООО «Ромашка»"),
    ('Договор подписало АО "Концерн Калашников".', 'АО "Концерн Калашников"'),
    ("Акционерное общество «Вектор» получило лицензию.", "Акционерное общество «Вектор»"),
    ("The board of Kontron AG approved the sale.", "Kontron AG"),
    ("JSC Rosneft shipped the cargo.", "JSC Rosneft"),
    ('Goods were sold to LLC "Sfera" in Moscow.', 'LLC "Sfera"'),
    ("Huawei Technologies Co., Ltd. denied it.", "Huawei Technologies Co., Ltd."),
])
def test_legal_forms_are_organisations(text, name):
    assert (name, "ORG") in rule_spans(text)


def test_legal_form_rule_drops_sentence_initial_words():
    found = rule_spans("The Ohio-based KeyCorp Inc. said so.")
    assert ("KeyCorp Inc.", "ORG") in found


def test_rules_do_not_cross_lines():
    assert not any("\n" in name for name, _ in rule_spans("Larry Fine\nNEW YORK 1996\nAcme\nInc"))


def test_list_style_and_initial_names_are_persons():
    found = rule_spans("Aleksandr Viktorovich SIDYAKIN and P. Simmons met.")
    assert ("Aleksandr Viktorovich SIDYAKIN", "PERSON") in found
    assert ("P. Simmons", "PERSON") in found
    assert not rule_spans("The U.S. Treasury and NATO OSCE said.") & {("U.S. Treasury", "PERSON")}


def test_organisation_heads():
    assert ("Commerce Department", "ORG") in rule_spans("The Commerce Department said.")
    assert ("Ministry of Defence of Russia", "ORG") in rule_spans("the Ministry of Defence of Russia said")


# -- gazetteers -------------------------------------------------------------

def test_russian_keys_match_inflected_forms():
    for base, inflected in [("Россия", "России"), ("Москва", "Москвой"), ("Казахстан", "Казахстане"),
                            ("Китай", "Китае"), ("Германия", "Германией")]:
        assert name_key(base) in token_keys(inflected), (base, inflected)
    assert name_key("Kazakhstan") == "kazakhstan"


def test_gazetteer_longest_match_and_case_rules():
    gaz = Gazetteer().extend([("European Commission", "ORG"), ("EU", "ORG"), ("Европейский союз", "ORG")])
    found = {(e.text, e.label) for e in gaz.find("The European Commission and the EU; us and eu. "
                                                  "Решение Европейского союза.")}
    assert found == {("European Commission", "ORG"), ("EU", "ORG"), ("Европейского союза", "ORG")}


def test_gazetteers_share_one_tokenisation_of_a_text():
    text = ("The European Union and the EU-Kazakhstan council met in Astana; "
            "в Казахстане и России. European Commission, European Commission Spokesperson.")
    tokens = keyed_tokens(text)
    assert [tokens.spans[i][2] for i in tokens.starts][:3] == ["The", "European", "Union"]
    for gaz in (country_gazetteer(), builtin_gazetteer(),
                Gazetteer().extend([("European Commission", "ORG"), ("European", "NORP")])):
        assert gaz.find(text, tokens) == gaz.find(text)
    # Names do not overlap: the longest match at a token wins, the next search starts after it.
    found = Gazetteer().extend([("European Commission", "ORG"), ("Commission Spokesperson", "X")]).find(text)
    assert [(e.text, e.label) for e in found] == [("European Commission", "ORG"), ("European Commission", "ORG")]


def test_russian_rules_still_run_on_mixed_text():
    text = "The supplier, ООО «Ромашка», was named by И.И. Иванов in the filing."
    found = rule_spans(text)
    assert ("ООО «Ромашка»", "ORG") in found
    assert any(label == "PERSON" and name.endswith("Иванов") for name, label in found)
    assert not any("Ромашка" in name for name, _ in rule_spans("The supplier, OOO Romashka, was named."))


def test_builtin_gazetteers_cover_countries_cities_and_institutions():
    countries = {e.text: e.label for e in country_gazetteer().find("Kazakhstan, Россией и Кыргызстан")}
    assert countries == {"Kazakhstan": "GPE", "Россией": "GPE", "Кыргызстан": "GPE"}
    others = {e.text: e.label for e in builtin_gazetteer().find(
        "The European Parliament met in Brussels; в Бишкеке и Еврокомиссия")}
    assert others["European Parliament"] == "ORG"
    assert others["Brussels"] == "GPE"
    assert others["Бишкеке"] == "GPE"
    assert others["Еврокомиссия"] == "ORG"


def test_listing_names_from_entries():
    entries = [
        ListingEntry(entry_id="1", list_name="EU 269/2014", source_id="1", schema="Person",
                     name="SIDYAKIN, Aleksandr Gennadyevich", aliases=["Александр СИДЯКИН"]),
        ListingEntry(entry_id="2", list_name="EU 833/2014", source_id="2", schema="LegalEntity",
                     name="Rosneft"),
        ListingEntry(entry_id="3", list_name="EU 833/2014", source_id="3", schema="Vessel",
                     name="OCEAN STAR"),
    ]
    names = set(listing_names(entries))
    assert ("Aleksandr Gennadyevich SIDYAKIN", "PERSON") in names
    assert ("Александр СИДЯКИН", "PERSON") in names
    assert not any(label != "PERSON" for _, label in names)  # one-word names and vessels left out


# -- recasing, spans, merging -----------------------------------------------

def test_recase_caps_keeps_length_and_acronyms():
    text = "SOCCER - EU BANS RUSSIAN CLUBS FROM THE CUP\nNormal line with Moscow."
    recased = recase_caps(text)
    assert len(recased) == len(text)
    assert recased.startswith("Soccer - EU Bans Russian Clubs from the Cup\n")
    assert recased.endswith("Normal line with Moscow.")


def test_segments_are_lines_with_offsets():
    text = "First line\n\n  Second line\n"
    assert [(o, p) for o, p in segments(text)] == [(0, "First line"), (12, "  Second line")]


def test_clean_span_trims_the_and_tails():
    text = "the United States 's Interfax news agency"
    assert clean_span(text, 0, 20, "en") == [(4, 17)]
    assert clean_span(text, 21, len(text), "en") == [(21, 29)]
    dash = "Romania - Cosmin Contra"
    assert clean_span(dash, 0, len(dash), "en") == [(0, 7), (10, 23)]


def test_merge_prefers_covering_spans_and_keeps_model_on_ties():
    model = [Entity(8, 14, "Russia", "GPE")]
    longer = [Entity(0, 14, "Bank of Russia", "ORG", "gazetteer")]
    assert merge(model, longer, override_equal=False) == longer
    same = [Entity(8, 14, "Russia", "ORG", "gazetteer")]
    assert merge(model, same, override_equal=False) == model
    assert merge(model, same, override_equal=True) == same


def test_other_languages_get_gazetteer_and_rules_without_a_model():
    found = {(e.text, e.label) for e in find_entities("Die Kontron AG liefert nach Russland und Kasachstan.", "de")}
    assert ("Kontron AG", "ORG") in found


# -- models on real corpus text ------------------------------------------------

@pytest.mark.slow
@pytest.mark.corpus
def test_english_entities_on_the_vlast_article(corpus):
    text = (corpus / "news/vlast/2024-06-07_vlast_kazakhstans-re-exports-increase.txt").read_text("utf-8")
    found = {(e.text, e.label) for e in find_entities(text, "en")}
    for expected in [("Kazakhstan", "GPE"), ("Russia", "GPE"), ("European Commission", "ORG"),
                     ("Francesca Dalboni", "PERSON")]:
        assert expected in found, expected
    for e in find_entities(text, "en"):
        assert text[e.start:e.end] == e.text


@pytest.mark.slow
@pytest.mark.corpus
def test_russian_entities_on_news_excerpts(corpus):
    path = corpus / "news_ru/web_excerpts/ru_sanctions_reexport_news_excerpts.jsonl"
    texts = [json.loads(line)["excerpt"] for line in path.read_text("utf-8").splitlines()[:5]]
    found = set()
    for text in texts:
        for e in find_entities(text, "ru"):
            assert text[e.start:e.end] == e.text
            found.add((e.text, e.label))
    labels = {label for _, label in found}
    assert {"PERSON", "GPE"} <= labels
    assert any(text.startswith("Казахстан") and label == "GPE" for text, label in found)


@pytest.mark.slow
def test_bare_options_turn_every_layer_off():
    text = "ООО «Ромашка» поставило товары в Казахстан."
    bare = find_entities(text, "ru", options=NerOptions.bare())
    full = find_entities(text, "ru")
    assert all(e.source == "model" for e in bare)
    assert ("ООО «Ромашка»", "ORG") in {(e.text, e.label) for e in full}


def test_merge_handles_long_listing_documents():
    base = [Entity(i * 10, i * 10 + 4, "Name", "PERSON") for i in range(20_000)]
    extra = [Entity(i * 10, i * 10 + 14, "Name xx Name", "ORG", "gazetteer") for i in range(0, 20_000, 2)]
    merged = merge(base, extra, override_equal=False)
    assert len(merged) == 10_000 and all(e.label == "ORG" for e in merged)
    assert [e.start for e in merged] == sorted(e.start for e in merged)


def test_consistency_tags_other_mentions_including_russian_inflections():
    from nlp.extract.entities import propagate

    text = "Газпром сообщил о росте. Акции Газпрома выросли."
    found = propagate(text, [Entity(0, 7, "Газпром", "ORG")], "ru")
    assert [e.text for e in found] == ["Газпром", "Газпрома"]
    english = "Rodney Eyles won. Eyles said Surrey lost."
    people = propagate(english, [Entity(0, 12, "Rodney Eyles", "PERSON"),
                                 Entity(29, 35, "Surrey", "PERSON")], "en")
    assert [(e.text, e.label) for e in people] == [("Rodney Eyles", "PERSON"), ("Eyles", "PERSON")]


def _labels(text: str, lang: str = "en") -> dict[str, str]:
    from nlp.extract.entities import find_entities

    return {e.text: e.label for e in find_entities(text, lang)}


def test_company_names_by_their_form_are_orgs_not_places():
    assert _labels("Officials said Promsvyazbank and Sovcomflot were affected.")["Promsvyazbank"] == "ORG"
    found = _labels("Санкции затронули Энерготрансбанк и Банк Дом.РФ.", "ru")
    assert found.get("Энерготрансбанк") == "ORG" and found.get("Банк Дом.РФ") == "ORG"


def test_eu_in_russian_is_an_organisation():
    found = _labels("ЕС продлил санкции. Европейский союз согласовал пакет.", "ru")
    assert found.get("ЕС") == "ORG" and found.get("Европейский союз") == "ORG"


def test_document_structure_is_not_a_person():
    found = _labels("\n\nSUBJECT MATTER\n\nAnnex XXIII lists the goods. Basel III rules apply to banks.")
    assert "PERSON" not in found.values()


def test_listed_company_without_its_legal_form():
    from nlp.extract.entities import Gazetteer, find_entities
    from nlp.extract.entity_checks import core_listing_names

    pairs = [("PJSC Kamatrans Holding", "ORG"), ("JOINT STOCK COMPANY NORDVALEX", "ORG")]
    gazetteer = Gazetteer().extend(pairs).extend(core_listing_names(pairs))
    text = "Buyers turned to Nordvalex after the ban. Nordvalex said so."
    found = [(e.text, e.label) for e in find_entities(text, "en", gazetteer=gazetteer)]
    assert ("Nordvalex", "ORG") in found
