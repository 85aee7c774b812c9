"""Property: every extractor, given hostile text (long runs, control and
zero-width characters, lone surrogates, mixed scripts), returns well-formed
spans inside a per-case time limit and never raises.

The rule layers (dates, HS codes, citations, entity rules, gazetteers) run
thousands of cases; the full extraction record with the spaCy and natasha
models runs fewer, being slower per case.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.fuzzing import HOSTILE_UNITS, hostile_text, time_limit

pytestmark = [pytest.mark.slow]
CASE_SECONDS = 10
REFERENCE = dt.date(2024, 6, 7)


def _fuzz(examples: int):
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


# Hostile text: the generator's mixes, hypothesis's own unicode (surrogates
# included), and long runs of one hostile unit.
texts = st.one_of(
    st.randoms(use_true_random=False).map(lambda rng: hostile_text(rng, 1000)),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()),
            max_size=400),
    st.builds(lambda unit, n: unit * n, st.sampled_from(HOSTILE_UNITS), st.integers(1, 1500)),
)


def _check_spans(text: str, items, key_text: str = "text") -> None:
    for item in items:
        data = item if isinstance(item, dict) else item.to_dict()
        assert 0 <= data["start"] <= data["end"] <= len(text), data
        if key_text in data and data[key_text] is not None:
            assert text[data["start"]:data["end"]] == data[key_text], data


def _layers():
    from nlp.extract.citations import find_citations
    from nlp.extract.dates import find_dates
    from nlp.extract.entities import (
        builtin_gazetteer,
        country_gazetteer,
        find_rule_entities,
        propagate,
    )
    from nlp.extract.hs_codes import find_hs_codes

    return {
        "dates-en": lambda t: find_dates(t, "en", REFERENCE),
        "dates-ru": lambda t: find_dates(t, "ru", REFERENCE),
        "hs-en": lambda t: find_hs_codes(t, "en"),
        "hs-ru": lambda t: find_hs_codes(t, "ru"),
        "citations-en": lambda t: find_citations(t, "en"),
        "citations-ru": lambda t: find_citations(t, "ru"),
        "entity-rules": lambda t: propagate(t, find_rule_entities(t)),
        "gazetteers": lambda t: builtin_gazetteer().find(t) + country_gazetteer().find(t),
    }


LAYERS = ("dates-en", "dates-ru", "hs-en", "hs-ru", "citations-en", "citations-ru", "entity-rules",
          "gazetteers")


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("layer", LAYERS)
def test_rule_layers_on_hostile_text(layer):
    finder = _layers()[layer]
    finder("Warm-up: Kazakhstan, 2023, HS 8542, Regulation (EU) No 833/2014.")

    @_fuzz(1000)
    @given(text=texts)
    def run(text):
        with time_limit(CASE_SECONDS):
            found = finder(text)
        _check_spans(text, found)

    run()


@pytest.mark.timeout(1800)
def test_full_extraction_record_on_hostile_text():
    from nlp.cliutil import dumps
    from nlp.extract.pipeline import extract_text

    for lang in ("en", "ru"):  # models and gazetteers load outside the per-case limit
        extract_text("Warm-up: Kazakhstan, Russia, 2023.", lang=lang)

    @_fuzz(300)
    @given(text=texts, lang=st.sampled_from(["en", "ru", "auto"]))
    def run(text, lang):
        with time_limit(CASE_SECONDS * 3):
            record = extract_text(text, lang=lang, published=REFERENCE)
        assert not any("layer failed" in w for w in record.get("warnings", [])), record.get("warnings")
        for key in ("entities", "hs_codes", "dates", "citations"):
            _check_spans(text, record[key])
        assert dumps(record)  # printable as a JSON line, surrogates included

    run()
