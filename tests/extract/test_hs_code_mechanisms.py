"""Goods codes: a CN code broken over a PDF line, run-in list items confirmed by
their description, and trade names of goods beside a bare number (project-written text)."""

from __future__ import annotations

import pytest

from nlp.extract.hs_codes import find_hs_codes
from nlp.products import synonym_codes


def codes(text: str, lang: str = "en") -> list[str]:
    return [item["code"] for item in find_hs_codes(text, lang)]


def test_cn_code_broken_before_its_last_pair():
    assert codes("Processors falling within CN code 8542 31\n90 are also covered.") == ["85423190"]
    # A new row after the break is not glued to the code above it.
    assert codes("CN code 8542 31\n90 Optical, photographic and measuring instruments") == ["854231", "90"]


def test_run_in_list_items_confirmed_by_their_description():
    text = ("Annex II: 8430 49 Boring or sinking machinery, other; "
            "8905 20 Floating or submersible drilling or production platforms")
    assert codes(text) == ["843049", "890520"]
    # An amount after a colon has no description words of its code.
    assert codes("Budget: 8430 49 staff members were paid; 2023 was a hard year") == []


@pytest.mark.parametrize("text, expected", [
    ("Поставки ноутбуков (8471) и смартфонов (8517) выросли в три раза.", ["8471", "8517"]),
    ("Shipments of laptops (8471) rose.", ["8471"]),
    ("Поставки ноутбуков (2023) выросли.", []),          # a year in parentheses
    ("Поставки ноутбуков (8542) выросли.", []),          # not the code of laptops
    ("Ноутбуки подорожали, а компания выпустила (8471) штук.", []),
])
def test_trade_names_of_goods_beside_a_parenthesised_number(text, expected):
    lang = "ru" if any("а" <= ch <= "я" for ch in text.lower()) else "en"
    assert codes(text, lang) == expected


def test_synonym_codes_are_spans_with_codes():
    found = synonym_codes("Поставки ноутбуков")
    assert found and found[0][2] == ["847130"] and found[0][1] == len("Поставки ноутбуков")


def test_row_items_say_which_edition_holds_an_older_code():
    items = find_hs_codes("8517 12\tTelephones for cellular networks or for other wireless networks\n"
                          "8541 40\tPhotosensitive semiconductor devices, including photovoltaic cells")
    assert [(i["code"], i["edition"]) for i in items] == [("851712", "HS2017"), ("854140", "HS2017")]
