"""nlp.extract.citations: EU act / article / annex citations, EN and RU."""

from __future__ import annotations

import json

import pytest

from nlp.extract.citations import celex_of, find_citations


def acts(text: str) -> list[str]:
    return [c["celex"] for c in find_citations(text) if c["kind"] == "act"]


@pytest.mark.parametrize("text, celex", [
    ("Council Regulation (EU) No 833/2014", "32014R0833"),
    ("Implementing Regulation (EU) 2024/1746", "32024R1746"),
    ("Council Implementing Regulation (EU) 2025/933", "32025R0933"),
    ("Decision 2014/512/CFSP", "32014D0512"),
    ("Council Decision (CFSP) 2024/1744", "32024D1744"),
    ("Decision No 1247/2002/EC", "32002D1247"),
    ("Directive 2009/65/EC", "32009L0065"),
    ("Directive (EU) 2024/1226", "32024L1226"),
    ("Regulation (EEC) No 2658/87", "31987R2658"),
    ("Regulation (EU, Euratom) 2018/1046", "32018R1046"),
    ("Regulation 833/2014", "32014R0833"),
    ("Reg. 833/2014", "32014R0833"),
    ("Регламентом ЕС 833/2014", "32014R0833"),
    ("Регламент (ЕС) № 833/2014", "32014R0833"),
    ("Регламента Совета (ЕС) № 269/2014", "32014R0269"),
    ("Решение Совета 2014/512/ОВПБ", "32014D0512"),
    ("Имплементационный регламент Совета (ЕС) 2024/1746", "32024R1746"),
])
def test_act_forms(text, celex):
    found = find_citations(f"See {text} for details.")
    assert [(c["celex"], c["text"]) for c in found] == [(celex, text)]


def test_celex_numbers():
    assert celex_of("regulation", 2014, 833) == "32014R0833"
    assert celex_of("directive", 1998, 34) == "31998L0034"


def test_lists_of_acts():
    text = "Regulations (EU) No 269/2014, (EU) No 692/2014 or (EU) 2022/263; or"
    assert acts(text) == ["32014R0269", "32014R0692", "32022R0263"]


def test_articles_and_annexes_resolve_to_acts():
    text = ("Articles 2, 2a and 2b of Council Regulation No 833/2014 apply. "
            "Regulation (EU) No 269/2014 is amended: in Article 3k(1) the words change; "
            "Annexes XVII and XXI are replaced.\n\nArticle 5 stands alone. Article 7 of this Regulation.")
    parts = [(c["article"] or c["annex"], c["celex"], c["paragraph"]) for c in find_citations(text) if c["kind"] != "act"]
    assert parts == [("2", "32014R0833", None), ("2a", "32014R0833", None), ("2b", "32014R0833", None),
                     ("3k", "32014R0269", "1"), ("XVII", "32014R0269", None), ("XXI", "32014R0269", None),
                     ("5", None, None), ("7", None, None)]
    this = find_citations("Article 7 of this Regulation", this_act="32024R1745")
    assert this[0]["celex"] == "32024R1745"


def test_annex_before_issuer_words():
    found = find_citations("as listed in Annex I to Council Regulation (EU) No 269/2014")
    assert [(c["annex"], c["celex"]) for c in found] == [("I", "32014R0269"), (None, "32014R0269")]
    assert find_citations("Annex Collection of 2020") == []  # the C of a word is not Annex C


def test_russian_articles():
    text = "В соответствии со статьей 12g Регламента Совета (ЕС) № 833/2014 и приложением XXIII к нему"
    found = find_citations(text, "ru")
    assert [(c["kind"], c["article"] or c["annex"], c["celex"]) for c in found] == [
        ("article", "12g", "32014R0833"), ("act", None, "32014R0833"), ("annex", "XXIII", "32014R0833")]


def test_regulation_page(corpus):
    import lxml.html

    path = corpus / "eu_regulations" / "eurlex_sanctions" / "reg_2024_1745_oj_wayback20240624.html"
    text = lxml.html.parse(str(path)).getroot().text_content()
    at = text.index("Article 12g of Regulation (EU) No 833/2014 requires")
    found = find_citations(text[at:at + 60])
    assert [(c["kind"], c["article"], c["celex"]) for c in found] == [
        ("article", "12g", "32014R0833"), ("act", None, "32014R0833")]
    at = text.index("COUNCIL REGULATION (EU) 2024/1745")
    head = find_citations(text[at:at + 1500])
    assert [c["celex"] for c in head if c["kind"] == "act"][:3] == ["32024R1745", "32014R0833", "32024D1744"]


def test_guidance_excerpt(corpus):
    path = corpus / "eu_regulations" / "guidance_web_excerpts" / "eu_russia_sanctions_guidance_excerpts.jsonl"
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    text = next(r["excerpt"] for r in records if "Articles 2, 2a and 2b" in r["excerpt"])
    at = text.index("Articles 2, 2a and 2b")
    found = find_citations(text[at:at + 120])
    assert [c["article"] for c in found if c["kind"] == "article"] == ["2", "2a", "2b"]
    assert {c["celex"] for c in found} == {"32014R0833"}


@pytest.mark.parametrize("text", [
    "In 2014/2015 prices rose by 833/2014 units",  # no act word
    "the regulation of 2014 and the decision taken in 2024",
    "OJ L 229, 31.7.2014, p. 1",
    "annex to the building, article about sanctions",
])
def test_negatives(text):
    assert [c for c in find_citations(text) if c["kind"] == "act" or c["article"] or c["annex"]] == []


def test_spacy_component():
    import spacy

    import nlp.extract.components  # noqa: F401  registers the factory

    pipeline = spacy.blank("en")
    pipeline.add_pipe("legal_citations")
    doc = pipeline("Article 12g of Council Regulation (EU) No 833/2014 and Annex XXIII.")
    spans = doc.spans["legal_citations"]
    assert [s.text for s in spans] == ["Article 12g", "Council Regulation (EU) No 833/2014", "Annex XXIII"]
    assert [s._.citation["celex"] for s in spans] == ["32014R0833"] * 3
