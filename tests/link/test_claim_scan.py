"""The one-pass scans of claim detection find what the word-by-word and regex-by-regex reads found."""

from __future__ import annotations

import random

import pytest

from nlp.link.change_words import _classes, find_change
from nlp.link.frames import _compiled, _flow_positions, _flow_scan
from nlp.products import tokens


def _flow_positions_one_by_one(sentence: str) -> set[int]:
    return {m.start() for _, regex in _compiled("flows") for m in regex.finditer(sentence)}


@pytest.mark.parametrize("sentence", [
    "Re-exports of chips rose, exports fell and re-exported goods were traded.",
    "Purchases  from China and purchases\nfrom Turkey; trading volumes; trade flows.",
    "Экспорт и реэкспорт выросли, поставки и товарооборот тоже.",
    "xexport -export export-led exportexport EXPORTS",
    "No flow words in this sentence at all.",
    "",
])
def test_flow_positions_as_the_regexes_one_by_one(sentence):
    assert _flow_positions(sentence) == sorted(_flow_positions_one_by_one(sentence))


def test_flow_positions_on_random_mixtures():
    pieces = ["re-export", "export", "Re-Exported", "purchases from", "purchases  from", "trade", "trading",
              "экспорт", "ПОСТАВКИ", "flows", "sold", "ſold", "İmport", "-", " ", "x", ".", ""]
    rng = random.Random(5)
    for _ in range(3000):
        sentence = "".join(rng.choice(pieces) for _ in range(10))
        assert _flow_positions(sentence) == sorted(_flow_positions_one_by_one(sentence))


def test_keys_with_a_space_keep_their_own_regex():
    scan, other = _flow_scan("flows")
    assert scan is not None
    assert any("purchases" in regex.pattern for regex in other)
    assert all(r"\s" not in regex.pattern for regex in other if "purchases" not in regex.pattern)


def _find_change_every_entry(text: str, masked: list[tuple[int, int]]):
    """find_change as a comparison of every entry at every word."""
    from nlp.link.change_words import _irregular
    from nlp.products import norm

    irregular = _irregular()
    words = tokens(text)
    norms = [norm(irregular[text[a:b].lower()]) if text[a:b].lower() in irregular else w for a, b, w in words]
    for i, (start, _end, _word) in enumerate(words):
        if any(a <= start < b for a, b in masked):
            continue
        for entry, kind, hedges in _classes():
            if tuple(norms[i:i + len(entry)]) != entry:
                continue
            if hedges and not (i and norms[i - 1] in hedges):
                continue
            return kind, start
    return None


@pytest.mark.parametrize("text, masked", [
    ("Shipments edged up in May while imports dwindled.", []),
    ("Exports barely budged; then they nosedived.", []),
    ("Exports barely budged; then they nosedived.", [(0, 25)]),
    ("Поставки обвалились, а импорт подскочил.", []),
    ("Trade slid and sank, then ticked down.", [(6, 10)]),
    ("Nothing changes here.", []),
])
def test_change_words_by_first_word_as_every_entry(text, masked):
    assert find_change(text, masked) == _find_change_every_entry(text, masked)


def test_country_mentions_read_once_and_handed_out_as_new_lists():
    from nlp.link.frames import country_mentions

    sentence = "Exports from Kazakhstan to Russia and Kyrgyzstan-bound shipments rose."
    first = country_mentions(sentence)
    assert [code for _, _, _, code, _ in first] == ["KZ", "RU", "KG"]
    first.clear()  # a caller changing its list does not change the next answer
    assert [code for _, _, _, code, _ in country_mentions(sentence)] == ["KZ", "RU", "KG"]
