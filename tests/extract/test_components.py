"""nlp.extract.components: the extraction layers as spaCy components, one registration style."""

from __future__ import annotations

import datetime as dt
import importlib
import tomllib

import spacy

from nlp.extract import components
from nlp.settings import REPO_ROOT


def test_every_factory_is_an_entry_point_and_resolves():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    entry_points = project["project"]["entry-points"]["spacy_factories"]
    factories = {factory for factory, _, _ in components.LAYER_COMPONENTS.values()}
    assert set(entry_points) == factories
    for name, target in entry_points.items():
        module, _, function = target.partition(":")
        assert callable(getattr(importlib.import_module(module), function)), name
        assert name in spacy.registry.factories


def test_components_in_a_plain_pipeline():
    pipeline = spacy.blank("en")
    for factory in ("hs_codes", "time_expressions", "legal_citations"):
        pipeline.add_pipe(factory)
    doc = pipeline.make_doc("EU exports of HS 8542 to Russia fell in 2023 under Regulation (EU) No 833/2014.")
    for _, component in pipeline.pipeline:
        doc = component(doc)
    assert [s._.hs["code"] for s in doc.spans["hs_codes"]] == ["8542"]
    assert [s._.citation["celex"] for s in doc.spans["legal_citations"]] == ["32014R0833"]
    assert "2023" in [s._.timex["value"] for s in doc.spans["dates"]]


def test_run_layer_gives_the_finders_items():
    from nlp.extract.hs_codes import find_hs_codes

    text = "Экспорт микросхем (ТН ВЭД 8542) из ЕС в Россию вырос в 2022 году."
    doc = components.make_doc(text, "ru")
    assert components.run_layer("hs_codes", doc, "ru") == [dict(i) for i in find_hs_codes(text, "ru")]
    # a language spaCy has no class for still runs, on the multi-language tokenizer
    assert components.run_layer("hs_codes", components.make_doc("HS 8542", "kk"), "kk")


def test_layer_items_are_what_the_components_put_on_a_doc():
    texts = [
        "EU exports of HS 8542 to Russia fell in 2023 under Regulation (EU) No 833/2014, Article 3k(1).",
        "Экспорт микросхем (ТН ВЭД 8542) из ЕС в Россию вырос в 2022 году; статья 2 Регламента № 269/2014.",
        "  \n 2024-06-07  leading and trailing space, codes 8542 31 00 and 85.42 under heading 8542.  \n",
        "On 7 June 2024 (a Friday) the list grew; see Annex IV." + "(" * 200 + " 2023",  # a long run
        "A lone surrogate \ud800 before 2023 and HS 8542.",
        "",
        "2023",
    ]
    for lang in ("en", "ru", "kk", ""):
        for text in texts:
            for published in (None, dt.date(2024, 6, 7)):
                doc = components.make_doc(text, lang, published)
                for key in components.LAYER_COMPONENTS:
                    assert components.layer_items(key, text, lang, published) == \
                        components.run_layer(key, doc, lang), (key, lang, text)


def test_layer_items_keep_two_items_inside_one_token():
    # a run of 70 characters makes the Doc split at whitespace only (safe_doc), "августе-сентябре" one token
    text = "В августе-сентябре на подступах к поселку велись бои. https://t.me/" + "x" * 70
    months = [item["value"] for item in components.layer_items("dates", text, "ru", dt.date(2024, 11, 13))]
    assert months == ["2024-08", "2024-09"]
    # the Doc keeps one extension value per span offsets and label: the later item twice
    doc = components.make_doc(text, "ru", dt.date(2024, 11, 13))
    assert [item["value"] for item in components.run_layer("dates", doc, "ru")] == ["2024-09", "2024-09"]
