"""The one country resolver: codes, names in several languages and cases,
demonyms, groups, and mentions in running text."""

import pytest

from nlp.countries import code_of, find_countries, members_of, name_of, resolve


@pytest.mark.parametrize("label, code", [
    ("KZ", "KZ"), ("KAZ", "KZ"), ("Kazakhstan", "KZ"), ("Kazakh", "KZ"), ("Kazakh buyers", "KZ"),
    ("Казахстан", "KZ"), ("Казахстана", "KZ"), ("Казахстаном", "KZ"), ("казахстанские", "KZ"),
    ("РФ", "RU"), ("России", "RU"), ("Russian Federation", "RU"),
    ("Киргизия", "KG"), ("Кыргызстан", "KG"), ("Киргизии", "KG"), ("Kyrgyz Republic", "KG"),
    ("Китая", "CN"), ("Южной Кореи", "KR"), ("Соединенных Штатов", "US"),
    ("Korea, Republic of", "KR"), ("EL", "GR"), ("UK", "GB"), ("Türkiye", "TR"),
    ("EU27", "EU27"), ("the European Union", "EU27"), ("страны ЕС", "EU27"), ("the bloc", "EU27"),
    ("European exporters", "EU27"), ("ЕАЭС", "EAEU"), ("World", "WORLD"),
])
def test_labels_resolve_to_one_code(label, code):
    assert code_of(label) == code


@pytest.mark.parametrize("label", ["Almaty", "the", "exports", "", None, "memory chips"])
def test_non_countries_resolve_to_none(label):
    assert code_of(label) is None
    assert resolve(label) is None


def test_groups_list_their_members():
    eu = resolve("EU27")
    assert eu is not None and eu.kind == "aggregate" and len(eu.members) == 27 and "DE" in eu.members
    assert set(members_of("EAEU")) == {"AM", "BY", "KZ", "KG", "RU"}
    assert members_of("KZ") == ("KZ",)
    assert name_of("KZ") == "Kazakhstan" and name_of("KZ", "ru") == "Казахстан"
    assert name_of("NOPE") == "NOPE"


def test_mentions_in_english_and_russian_text_have_offsets():
    text = ("EU exports of chips to Kazakhstan rose, while imports via the UAE fell; Kazakh buyers. "
            "Экспорт из Казахстана в Россию и страны ЕС через Киргизию; казахстанские компании.")
    mentions = find_countries(text)
    assert [(m.text, m.country.code) for m in mentions] == [
        ("EU", "EU27"), ("Kazakhstan", "KZ"), ("UAE", "AE"), ("Kazakh", "KZ"),
        ("Казахстана", "KZ"), ("Россию", "RU"), ("ЕС", "EU27"), ("Киргизию", "KG"),
        ("казахстанские", "KZ")]
    for m in mentions:
        assert text[m.start:m.end] == m.text


def test_lower_case_common_words_are_not_countries():
    assert find_countries("a roast turkey and fine china") == []
    assert [m.form for m in find_countries("Russian exports", demonyms=True)] == ["demonym"]
    assert find_countries("Russian exports", demonyms=False) == []
