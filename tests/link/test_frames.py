"""Claim detection and framing on the Vlast article and on written sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.link.frames import detect_claims, find_countries, frame_claim, is_claim

VLAST = "news/vlast/2024-06-07_vlast_kazakhstans-re-exports-increase.txt"
PUBLISHED = dt.date(2024, 6, 7)


@pytest.fixture(scope="module")
def vlast_claims(corpus):
    text = (corpus / VLAST).read_text(encoding="utf-8")
    return text, detect_claims(text, "en", PUBLISHED)


def _claim_with(claims, words):
    matches = [c for c in claims if all(w in c.text for w in words)]
    assert matches, f"no claim containing {words}: {[c.text[:80] for c in claims]}"
    return matches[0]


def test_vlast_three_trade_statements_are_found(vlast_claims):
    text, claims = vlast_claims
    for claim in claims:
        assert text[claim.start:claim.end] == claim.text
    _claim_with(claims, ["increasing for all CHP items"])
    _claim_with(claims, ["sharp decrease", "after April 2023"])
    _claim_with(claims, ["late 2023", "recent months"])


def test_vlast_recent_months_frame(vlast_claims):
    _, claims = vlast_claims
    frame = _claim_with(claims, ["late 2023", "recent months"])
    assert (frame.transit, frame.partner, frame.direction) == ("KZ", "RU", "increase")
    assert frame.flow == "re-export"
    assert frame.subject["item_set"] == "chp" and frame.subject["approximate"]
    assert frame.period.interval[1] == "2024-06-07"


def test_vlast_after_april_frame(vlast_claims):
    _, claims = vlast_claims
    frame = _claim_with(claims, ["sharp decrease", "after April 2023"])
    assert (frame.reporter, frame.partner, frame.direction) == ("KZ", "RU", "decrease")
    assert frame.subject["tiers"] == ["1", "2"]  # "the most sensitive items"
    assert frame.period.mod == "AFTER" and frame.period.interval[0] == "2023-05-01"


def test_vlast_pre_invasion_baseline(vlast_claims):
    _, claims = vlast_claims
    frame = _claim_with(claims, ["increasing for all CHP items"])
    assert frame.subject["label"] == "all CHP items"
    assert frame.direction == "increase"
    assert frame.baseline is not None and frame.baseline.interval[1] == "2022-02-23"


def test_code_and_product_word_subjects():
    frame = frame_claim("EU exports of microchips to Kyrgyzstan rose by 35% in 2022.", "en", PUBLISHED)
    assert frame.subject["codes"] == ["8542"]
    assert frame.magnitude == {"value": 35.0, "kind": "percent", "text": "by 35%", "bound": "about"}
    assert (frame.reporter, frame.partner) == ("EU27", "KG")
    frame = frame_claim("Exports of HS 8806 drones from China to Russia fell sharply in 2023.", "en", PUBLISHED)
    assert frame.subject["codes"] == ["8806"]
    assert (frame.reporter, frame.partner, frame.direction) == ("CN", "RU", "decrease")


def test_russian_frame():
    frame = frame_claim("Экспорт микросхем из ЕС в Казахстан вырос в 2022 году по сравнению с 2021 годом.",
                        "ru", dt.date(2023, 6, 1))
    assert (frame.reporter, frame.partner, frame.direction, frame.flow) == ("EU27", "KZ", "increase", "export")
    assert frame.subject["codes"] == ["8542"]
    assert frame.period.interval == ["2022-01-01", "2022-12-31"]
    assert frame.baseline.interval == ["2021-01-01", "2021-12-31"]


def test_imports_from_makes_partner():
    assert find_countries("Russia's imports from Kazakhstan increased") == {"reporter": "RU", "partner": "KZ"}


@pytest.mark.parametrize("sentence", [
    "The Council adopted the 14th package on 24 June 2024.",
    "Kazakhstan is among the Central Asian countries that western governments are monitoring.",
    "Exports are regulated under Article 2a.",
])
def test_non_claims(sentence):
    assert not is_claim(sentence) or not detect_claims(sentence, "en", PUBLISHED)
