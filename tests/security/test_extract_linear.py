"""Extractors stay linear in their input: the hostile strings that used to take
minutes (a capitalised run, repeated years, long runs of brackets and quotes)
finish well inside a hang guard. The guard is a timeout for a hang, not a
speed check: before the fix these inputs took 6 s to 137 s."""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.extract.dates import en as dates_en
from nlp.extract.entities import MAX_TOKEN_CHARS, cut_long_runs, find_rule_entities


@pytest.mark.timeout(60)
@pytest.mark.parametrize("text", ["A" * 20_000, "A." * 8_000, "Aa-" * 5_000, "A. " * 5_000],
                         ids=["caps-run", "dotted-run", "hyphen-run", "initials-run"])
def test_entity_rules_finish_on_long_runs(text):
    assert isinstance(find_rule_entities(text), list)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("unit", ["2023 ", "2023-"])
def test_english_year_rules_finish_on_repeated_years(unit):
    found = dates_en.find_en(unit * 8_000, dt.date(2024, 1, 1))
    assert all(t.value == "2023" for t in found)


def test_organisation_rules_still_find_names():
    text = "The Commerce Department and the Ministry of Defence met Kontron AG and ООО «Ромашка»."
    names = {e.text for e in find_rule_entities(text)}
    assert {"Commerce Department", "Ministry of Defence", "Kontron AG", "ООО «Ромашка»"} <= names


def test_quarter_rule_still_reads_modifiers():
    found = dates_en.find_en("in the first fiscal quarter of 2023", dt.date(2024, 1, 1))
    assert [t.value for t in found] == ["2023-Q1"]


@pytest.mark.parametrize("text", ["(" * 1000, '"' * 130, "x " + "«" * 65 + " y", "plain words", "a" * 64])
def test_long_runs_are_cut_for_the_tokenizer_keeping_offsets(text):
    shown = cut_long_runs(text)
    assert len(shown) == len(text)
    assert max(len(token) for token in shown.split()) <= MAX_TOKEN_CHARS
    assert all(a == b for a, b in zip(shown, text) if b.isspace())
    if max(len(token) for token in text.split()) <= MAX_TOKEN_CHARS:
        assert shown == text


def test_lone_surrogates_do_not_raise_in_ids():
    from nlp.records import content_id

    assert content_id("a\udc80b") != content_id("a\udc81b")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ru", "auto"])
def test_lone_surrogates_in_text_do_not_raise(lang):
    from nlp.extract.pipeline import extract_text

    text = "Moscow \udc80 Bank of Russia \ud800x on 2023-01-01"
    record = extract_text(text, lang=lang)
    assert {e["text"] for e in record["entities"]} >= {"Bank of Russia"}
    assert [d["value"] for d in record["dates"]] == ["2023-01-01"]
    assert "warnings" not in record


@pytest.mark.slow
@pytest.mark.parametrize("text", ["\r", " \n ", "\u200b\r\n"])
def test_whitespace_only_russian_text_does_not_raise(text):
    from nlp.extract.pipeline import extract_text

    assert extract_text(text, lang="ru")["entities"] == []


@pytest.mark.parametrize("text", ["a  b\n\n c", " x" + "(" * 200 + "  y\n", "\n" + "z" * 130,
                                  "q" * 65 + " " + "w" * 70 + "   ", "plain words", "«\udc80" * 40])
def test_safe_doc_keeps_the_text_and_bounds_tokens(text):
    import spacy

    from nlp.extract.safe_doc import make_safe_doc

    doc = make_safe_doc(spacy.blank("en"), text)
    assert doc.text == text.replace("\udc80", "\ufffd")
    assert max(len(token.text) for token in doc) <= MAX_TOKEN_CHARS


@pytest.mark.slow
@pytest.mark.timeout(120)
@pytest.mark.parametrize("unit", ["(", '"', "«"])
def test_full_record_finishes_on_long_runs(unit):
    from nlp.extract.pipeline import extract_text

    record = extract_text(unit * 8_000, lang="en")
    assert "warnings" not in record
