"""nlp.reference: shipped HS nomenclature and CHP list."""

from __future__ import annotations

import csv

import pytest

from nlp import reference


def test_descriptions_and_validity():
    assert reference.hs_description("8542").startswith("Electronic integrated circuits")
    assert reference.hs_description("8542.31") == reference.hs_description("854231")
    assert reference.is_valid_hs("8542 31 00")  # CN 8 under a real HS6
    assert reference.is_valid_hs("9026 00 00")  # CN zero padding: the whole heading 9026
    assert not reference.is_valid_hs("2024")  # a year, not a heading
    assert not reference.is_valid_hs("010000")  # a chapter is never zero-padded
    assert not reference.is_valid_hs("8542 99")  # heading exists, subheading does not
    assert not reference.is_valid_hs("123")


def test_editions_differ():
    # 854151 exists only from HS2022; an HS2017-only code still validates.
    assert reference.hs_entry("854151", "2022") is not None
    assert reference.hs_entry("854151", "2017") is None
    assert reference.is_valid_hs("854151")
    only_2017 = set(reference._nomenclature("2017")) - set(reference._nomenclature("2022"))
    code = sorted(c for c in only_2017 if len(c) == 6)[0]
    assert reference.is_valid_hs(code)
    assert reference.hs_description(code, "2022") == reference.hs_entry(code, "2017").description


def test_chp_tiers():
    assert reference.chp_tier("854231") == "1"
    assert reference.chp_tier("8542 31 90") == "1"  # CN 8 takes its HS6 tier
    assert reference.chp_tier("880730") == "3B"
    assert reference.chp_tier("8401") is None
    # A heading gets the most sensitive tier among the CHP items under it.
    assert reference.chp_tier("8517") == "2"
    assert [i.hs6 for i in reference.chp_items_under("8542")] == ["854231", "854232", "854233", "854239"]
    assert reference.chp_tier("85") == "1"
    assert len(reference.chp_items()) == 50
    assert reference.chp_items()[0].tier == "1"


def test_tier_sets_come_from_data():
    sets = reference.tier_sets()
    assert sets["most_sensitive"] == ["1", "2"]
    assert reference.in_tier_set("8517 62 00", "most_sensitive")
    assert not reference.in_tier_set("880730", "most_sensitive")
    with pytest.raises(KeyError):
        reference.in_tier_set("854231", "no such set")


def test_shipped_chp_matches_corpus(corpus):
    """The shipped CHP list is the corpus list (rebuild with scripts/build_reference_data.py)."""
    with (corpus / "chp_items" / "chp_list_2024-02-23_hs6_tiers.csv").open(encoding="utf-8") as handle:
        source = {row["hs6"]: row["tier"] for row in csv.DictReader(handle)}
    assert {item.hs6: item.tier for item in reference.chp_items()} == source
    assert all(reference.is_valid_hs(code) for code in source)
