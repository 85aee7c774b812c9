"""Word translations from reference data (nlp/index/glossary.py) and the
glossary builder (scripts/build_glossary.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from nlp.index import crosslingual
from nlp.index.glossary import country_codes, reference_words

ROOT = Path(__file__).resolve().parents[2]


def _builder():
    spec = importlib.util.spec_from_file_location("build_glossary", ROOT / "scripts" / "build_glossary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_product_words_found_by_stem():
    # "optics" has no Russian neighbour in the model's vocabulary; the
    # nomenclatures pair "optical" with «оптические», and both stem alike.
    assert "оптические" in reference_words("optics", "ru")
    assert "беспилотные" in reference_words("unmanned", "ru")
    assert reference_words("optics", "de") == ()


def test_country_words_through_the_resolver():
    assert "великобритания" in reference_words("british", "ru")
    assert "kazakhstan" in reference_words("казахстанские", "en")
    assert country_codes("UK military optics sold to US firms", "ru") == [["великобритания"], ["соединенные", "штаты"]]
    assert country_codes("tell us about optics", "ru") == []  # a pronoun, not a code


def test_reference_groups_without_a_vocabulary():
    groups = crosslingual.reference_groups("UK military optics", "ru")
    assert ["великобритания"] in groups and any("оптические" in group for group in groups)


def test_glossary_keeps_mutual_best_pairs_only():
    builder = _builder()
    english = {f"{i:06d}": {"optic", "glass", "other"} for i in range(4)}
    english.update({f"{i:06d}": {"lens", "other"} for i in range(4, 8)})
    russian = {f"{i:06d}": {"оптическ", "стекл", "проч"} for i in range(4)}
    russian.update({f"{i:06d}": {"линз", "проч"} for i in range(4, 8)})
    pairs = {(e, r) for e, r, _, _ in builder.glossary(english, russian)}
    assert ("lens", "линз") in pairs and ("other", "проч") in pairs
    # Every stem keeps one partner at most ("optic" and "glass" always appear
    # together, so they cannot both claim one Russian stem).
    english_side = [e for e, _ in pairs]
    russian_side = [r for _, r in pairs]
    assert len(english_side) == len(set(english_side)) and len(russian_side) == len(set(russian_side))
    assert all(n >= builder.MIN_UNITS for _, _, _, n in builder.glossary(english, russian))


def test_vocabulary_translation_adds_the_reference_words():
    """A word without a near neighbour in the other language still gets the
    glossary's word; a country word gets the country's name."""
    import numpy as np

    class Apart:
        dim = 4

        def encode(self, texts):
            return np.tile(np.array([[1.0, 0.0, 0.0, 0.0]], dtype=np.float32), (len(texts), 1))

    vocabulary = crosslingual.Vocabulary(
        {"ru": ["оптику", "военную"]},
        {"ru": np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]], dtype=np.float32)})
    groups = vocabulary.translate_groups("British optics", "en", "ru", Apart())
    assert ["великобритания"] in groups and ["оптические"] in groups
