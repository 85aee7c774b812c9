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
    assert frame.subject["codes"] == ["854231", "854232", "854233", "854239"]  # 8542 without its parts
    assert (frame.measure["kind"], frame.measure["value"]) == ("pct", 0.35)
    assert (frame.reporter, frame.partner) == ("EU27", "KG")
    frame = frame_claim("Exports of HS 8806 drones from China to Russia fell sharply in 2023.", "en", PUBLISHED)
    assert frame.subject["codes"] == ["8806"]
    assert (frame.reporter, frame.partner, frame.direction) == ("CN", "RU", "decrease")


def test_russian_frame():
    frame = frame_claim("Экспорт микросхем из ЕС в Казахстан вырос в 2022 году по сравнению с 2021 годом.",
                        "ru", dt.date(2023, 6, 1))
    assert (frame.reporter, frame.partner, frame.direction, frame.flow) == ("EU27", "KZ", "increase", "export")
    assert frame.subject["codes"] == ["854231", "854232", "854233", "854239"]
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


@pytest.mark.parametrize("sentence, roles", [
    ("Kazakhstan-bound microchip exports from the EU rose about fivefold in May 2022.", ("EU27", "KZ")),
    ("Turkish exports of processors to Russia more than quadrupled in 2022.", ("TR", "RU")),
    ("Antenna imports into the EU from Russia were more than halved in 2022.", ("EU27", "RU")),
    ("В Грузию из ЕС в третьем квартале 2022 года поставили больше частей самолётов.", ("EU27", "GE")),
    ("ЕС более чем утроил поставки тиристоров в Казахстан в 2022 году.", ("EU27", "KZ")),
    ("Импорт Евросоюзом антенн из Казахстана в 2022 году вырос вдвое.", ("EU27", "KZ")),
])
def test_reporter_and_partner_in_natural_forms(sentence, roles):
    frame = frame_claim(sentence, "ru" if "ЕС" in sentence or "Евросоюз" in sentence else "en", PUBLISHED)
    assert (frame.reporter, frame.partner) == roles


def test_unknown_product_words_are_not_all_goods():
    frame = frame_claim("EU exports of widgets to Armenia rose in 2022 compared with 2021.", "en", PUBLISHED)
    assert frame.subject.get("unresolved") == "widgets"
    assert "product not identified" in frame.missing[0]


def test_frame_states_window_baseline_and_measure():
    frame = frame_claim("EU exports of tapered roller bearings to Kazakhstan more than doubled in the third "
                        "quarter of 2022 compared with the second.", "en", PUBLISHED)
    assert frame.subject["codes"] == ["848220"] and frame.subject["level"] == 6
    assert frame.periods["window"] == "2022-07..2022-09" and frame.periods["baseline"] == "2022-04..2022-06"
    assert frame.measure["kind"] == "more" and frame.measure["value"] == 2.0
    assert "r >= 2.4" in frame.measure["rule"]


def test_quarter_on_quarter_and_month_ranges():
    from nlp.link.periods import months_label, read_periods

    reading = read_periods("EU router and switch exports to Kyrgyzstan up about 30% in Q3 2022 from Q2", "en",
                           dt.date(2022, 11, 18))
    assert (months_label(reading.window), months_label(reading.baseline)) == ("2022-07..2022-09", "2022-04..2022-06")
    reading = read_periods("Между январём и ноябрём 2022 года экспорт вырос год к году", "ru", dt.date(2023, 2, 1))
    assert months_label(reading.window) == "2022-01..2022-11"
    reading = read_periods("In the last quarter of 2021 exports rose from a year earlier.", "en", dt.date(2022, 2, 1))
    assert (months_label(reading.window), months_label(reading.baseline)) == ("2021-10..2021-12", "2020-10..2020-12")


@pytest.mark.parametrize("sentence", [
    "Controlled chips now also include high-end gaming chips and lower-performing data-center chips.",
    "Georgian businesses want to increase their trade relations with the EU.",
    "KompLiga has imported at least $181 million worth of electronics, almost exclusively from one supplier.",
    "Sanctions compliance becomes increasingly important for Armenia as it seeks closer ties with the EU.",
    "The statement stressed the importance of exports to the economy of Kazakhstan.",
])
def test_not_trade_statements(sentence):
    assert detect_claims(sentence, "en", PUBLISHED) == []


def test_country_level_trade_statements_are_found():
    text = ("Although Georgia's financial sector has complied with sanctions, trade with Russia has continued to "
            "increase. Kazakhstan significantly increased delivery of goods to Russia, plus 22 per cent.")
    assert len(detect_claims(text, "en", PUBLISHED)) == 2
