"""Tagging: list matches in the tagging path, countries, topics, store and CLI.

Fast tests use a small hand-made list and a canned extraction record (no NER
model). Tests marked ``slow`` run the real models; the ``corpus`` ones tag
real news against the real lists.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nlp.records import ListingEntry, ReadResult
from nlp.tag.names import ListMatcher
from nlp.tag.tagging import country_of, list_schema, load_taxonomy, match_entity, nominative, tag_article, topics


def _entries() -> list[ListingEntry]:
    def entry(entry_id, name, schema="Organization", aliases=(), list_name="EU 833/2014", **extra):
        return ListingEntry(entry_id=entry_id, list_name=list_name, source_id=entry_id, schema=schema,
                            name=name, aliases=list(aliases), programme="EU-RUS", extra=extra)

    return [
        entry("gpb", "GAZPROMBANK", aliases=["Газпромбанк", "Joint Stock Company Gazprombank"]),
        entry("iskra", "Iskra Technologies JSC", aliases=["Искра Технологии"]),
        entry("russneft", "PJSC Russneft", list_name="UK sanctions list"),
        entry("primsots", "Primsotsbank"),
        entry("rossiya", "BANK ROSSIYA", list_name="OFAC SDN"),
        entry("centrocredit", "Bank Centrocredit"),
        entry("khlynov", "Commercial Bank ‘Khlynov’ (Joint Stock Company)"),
        entry("chinacb", "China Commercial Bank JSC"),
        entry("national", "BANCO CORPORATIVO SA", aliases=["NATIONAL BANK"], list_name="OFAC SDN"),
        entry("paket", "Radiozavod Zao", aliases=["JSC Paket", "JSC Package"]),
        entry("poly", "POLY TECHNOLOGIES, INC", aliases=["Polytech"], list_name="UK sanctions list"),
        entry("weak", "Joint Stock Company Avtovaz Trading", aliases=["Lada Trading"],
              weak_aliases=["Lada Trading"]),
        entry("kazakh", "Kazakh Telecom JSC"),
        entry("shoigu", "Sergei Kuzhugetovich SHOIGU", schema="Person", aliases=["Сергей Кужугетович Шойгу"],
              list_name="EU 269/2014"),
        entry("nabiullina", "Elvira Sakhipzadovna NABIULLINA", schema="Person",
              aliases=["Эльвира Сахипзадовна Набиуллина"], list_name="EU 269/2014"),
        entry("ivanov", "IVANOV, Sergei Borisovich", schema="Person", list_name="OFAC SDN"),
        entry("caramalac", "Grigore CARAMALAC", schema="Person"),
        entry("kolesnikov", "Aleksandr Vladimirovich Kolesnikov", schema="Person"),
        entry("minfin", "MINISTRY OF FINANCE OF THE RUSSIAN FEDERATION", aliases=["M FINANS"]),
    ]


@pytest.fixture(scope="module")
def matcher() -> ListMatcher:
    return ListMatcher(_entries())


def _ids(hits):
    return [h["entry_id"] for h in hits]


# -- list matches: true hits ----------------------------------------------------

@pytest.mark.parametrize("name,schema,lang,expected", [
    ("Iskra Technologies", "Organization", "en", "iskra"),          # legal form dropped in text
    ("AO Iskra Technologies", "Organization", "en", "iskra"),       # ... or written differently
    ("ООО «Искра Технологии»", "Organization", "ru", "iskra"),      # Russian legal form + quotes
    ("Gazprombank", "Organization", "en", "gpb"),
    ("Газпромбанка", "Organization", "ru", "gpb"),                  # genitive
    ("Газпромбанком", "Organization", "ru", "gpb"),                 # instrumental
    ("Примсоцбанк", "Organization", "ru", "primsots"),              # one word, ICU "c" vs list "ts"
    ("Банк ЦентроКредит", "Organization", "ru", "centrocredit"),    # generic word + one distinctive
    ("Bank Rossiya", "Organization", "en", "rossiya"),
    ("Банк Хлынов", "Organization", "ru", "khlynov"),               # list adds "Commercial", legal form
    ("Sergey Shoigu", "Person", "en", "shoigu"),                    # romanisation + patronymic dropped
    ("Сергея Шойгу", "Person", "ru", "shoigu"),                     # genitive, Cyrillic
    ("Эльвиры Набиуллиной", "Person", "ru", "nabiullina"),          # feminine genitive
])
def test_true_hits(matcher, name, schema, lang, expected):
    hits = match_entity(name, schema, matcher, lang=lang)
    assert hits and hits[0]["entry_id"] == expected, hits
    assert hits[0]["via"] in ("name", "alias") and hits[0]["explanation"]


def test_nominative_forms():
    assert nominative("Сергея Шойгу", person=True) == "Сергей Шойгу"
    assert nominative("Эльвиры Набиуллиной", person=True) == "Эльвира Набиуллина"
    assert nominative("Газпромбанка") == "Газпромбанк"
    assert nominative("Gazprombank «ВТБ»") == "Gazprombank «ВТБ»"  # other scripts, quoted words kept


# -- list matches: false-positive traps -------------------------------------------

@pytest.mark.parametrize("name,schema", [
    ("POLITICO", "Organization"),       # one word, fuzzy against the alias "Polytech"
    ("Packages", "Organization"),       # one word, fuzzy against the alias "JSC Package"
    ("Rosneft", "Organization"),        # the romanisation skeleton makes it "Russneft"
    ("Роснефти", "Organization"),
    ("Банк Россита", "Organization"),   # "bank" is generic: Rossita is not Rossiya
    ("Bank of China", "Organization"),  # a place is never the one distinctive word
    ("National", "Organization"),       # a bare word is not reduced to a listed name's core
])
def test_single_word_traps(matcher, name, schema):
    assert match_entity(name, schema, matcher) == []


def test_weak_alias_needs_near_exact_agreement(matcher):
    hits = match_entity("Lada Trading", "Organization", matcher)
    assert _ids(hits) == ["weak"] and hits[0]["via"] == "weak alias"
    assert match_entity("Lada Tradings", "Organization", matcher) == []


@pytest.mark.parametrize("entity", [
    {"text": "Sergei", "label": "PERSON"},          # a common first name alone
    {"text": "Ivan", "label": "PER"},
    {"text": "Putin", "label": "PERSON"},           # one-word person names are not sent
    {"text": "Kazakhstan", "label": "ORG"},         # a country name tagged as an organisation
    {"text": "России", "label": "ORG"},
    {"text": "VTB", "label": "ORG"},                # short tokens
    {"text": "ВТБ", "label": "ORG"},
    {"text": "Kyiv", "label": "GPE"},               # places are not matched at all
])
def test_entities_not_sent_to_the_lists(entity):
    assert list_schema(entity) is None


def test_sent_entities():
    assert list_schema({"text": "Sergei Shoigu", "label": "PERSON"}) == "Person"
    assert list_schema({"text": "Gazprombank", "label": "ORG"}) == "Organization"


def test_shared_first_name_is_not_a_hit(matcher):
    assert match_entity("Sergei Lavrov", "Person", matcher) == []
    assert match_entity("Aleksandr Kotelnikov", "Person", matcher) == []  # near surname only
    assert match_entity("Gregory C. Allen", "Person", matcher) == []      # initial for the surname
    assert match_entity("Ministry of Finance", "Organization", matcher) == []  # "M FINANS"
    assert match_entity("Kazakh Telecom Holding", "Organization", matcher) == []


# -- countries --------------------------------------------------------------------

@pytest.mark.parametrize("name,code", [
    ("Russia", "RU"), ("the United Kingdom", "GB"), ("Kazakhstan", "KZ"), ("Türkiye", "TR"),
    ("России", "RU"), ("Казахстане", "KZ"), ("Киргизии", "KG"), ("Armenia's", "AM"),
    ("EU", None), ("European Union", None), ("America", None), ("Toronto", None), ("Москве", None),
])
def test_country_of(name, code):
    assert country_of(name) == code


# -- topics -----------------------------------------------------------------------

def test_topics_prefix_and_whole_word_cues():
    found = {t["topic"]: t for t in topics(
        "Goods were re-exported and transshipped via third countries; the tanker switched off its AIS.")}
    assert "re-export" in found and found["re-export"]["hits"] >= 3
    assert "shadow-fleet" in found
    # Whole-word cues do not fire inside other words.
    assert topics("The newspaper (газета) moved swiftly down the aisle to the bishop.") == []


def test_topic_scores_grow_with_mentions():
    one = {t["topic"]: t["score"] for t in topics("The oil price cap was discussed.")}
    many = {t["topic"]: t["score"] for t in topics(
        "The oil price cap, the price cap attestation and the price ceiling: the price cap again.")}
    assert 0 < one["price-cap"] < many["price-cap"] < 1


def test_russian_topics():
    found = [t["topic"] for t in topics("Реэкспорт через третьи страны и параллельный импорт товаров "
                                        "двойного назначения; обход санкций.")]
    assert found[0] == "re-export" and "dual-use" in found


def test_editable_taxonomy(tmp_path):
    path = tmp_path / "topics.yaml"
    path.write_text("scale: 1.0\nmin_score: 0.5\ntopics:\n  grain:\n    label: Grain\n"
                    "    cues: [wheat]\n    words: [rye]\n", encoding="utf-8")
    data = load_taxonomy(path)
    assert [t["topic"] for t in topics("Wheat and rye exports.", data)] == ["grain"]
    assert topics("Ryegrass only.", data) == []


# -- the tagging path with a canned extraction record ------------------------------

ARTICLE = ("Iskra Technologies and POLITICO were named. Сергея Шойгу упомянули. Sergei spoke in Kazakhstan.\n\n"
           "Goods were re-exported via third countries.")


@pytest.fixture()
def canned(monkeypatch):
    import nlp.extract.pipeline as pipeline
    import nlp.link.frames as frames

    def span(text, label):
        start = ARTICLE.index(text)
        return {"start": start, "end": start + len(text), "text": text, "label": label}

    def fake_extract(doc, lang="auto", published=None, **_):
        return {"doc_id": doc.doc_id, "source": doc.source, "lang": "en", "published": published,
                "entities": [span("Iskra Technologies", "ORG"), span("POLITICO", "ORG"),
                             span("Сергея Шойгу", "PERSON"), span("Sergei", "PERSON"),
                             span("Kazakhstan", "GPE")],
                "hs_codes": [], "dates": [], "citations": []}

    monkeypatch.setattr(pipeline, "extract_document", fake_extract)
    monkeypatch.setattr(frames, "detect_claims", lambda *a, **k: [])


@pytest.fixture()
def listed_store(store):
    store.replace_file("lists.json", "0" * 64, 1, "test", ReadResult(listings=_entries()))
    return store


def test_tag_article_flags_listed_entities(listed_store, canned):
    tags = tag_article(ARTICLE, listed_store, published="2025-05-20", store_it=False)
    assert {row["entry_id"] for row in tags["listed"]} == {"iskra", "shoigu"}
    shoigu = next(r for r in tags["listed"] if r["entry_id"] == "shoigu")
    assert shoigu["mentions"] == ["Сергея Шойгу"] and shoigu["list_name"] == "EU 269/2014"
    assert tags["countries"] == [{"code": "KZ", "mentions": ["Kazakhstan"]}]
    assert tags["topics"][0]["topic"] == "re-export"
    assert {"lang", "kind", "entities", "hs_codes", "citations", "dates", "claims", "topics"} <= set(tags)
    assert "stored" not in tags and listed_store.totals()["documents"] == 0


def test_tag_article_stores_once(listed_store, canned):
    first = tag_article(ARTICLE, listed_store, published="2025-05-20")
    again = tag_article(ARTICLE, listed_store, published="2025-05-20")
    assert first["stored"] and again["doc_id"] == first["doc_id"]
    assert listed_store.totals()["documents"] == 1
    assert listed_store.annotations(first["doc_id"], "entity")


def test_two_texts_from_one_source_are_two_documents(listed_store, canned):
    tag_article(ARTICLE, listed_store, source="stdin")
    tag_article(ARTICLE + "\n\nA second article.", listed_store, source="stdin")
    tag_article(ARTICLE, listed_store, source="stdin")
    assert listed_store.totals()["documents"] == 2


def test_empty_article_is_an_error(store):
    with pytest.raises(ValueError, match="empty"):
        tag_article("  \n", store)


# -- real models ---------------------------------------------------------------------

@pytest.mark.slow
def test_tag_cli_english_with_real_model(tmp_path, listed_store):
    from nlp.cli import app

    text = ("Iskra Technologies JSC bought components from Germany, POLITICO reported on 23 May 2025. "
            "Former defence minister Sergei Shoigu met officials in Kazakhstan.")
    result = CliRunner().invoke(app, ["tag", "-", "--store", str(listed_store.dir), "--no-store",
                                      "--published", "2025-05-23"], input=text)
    assert result.exit_code == 0, result.output
    tags = json.loads(result.stdout)
    assert tags["lang"] == "en"
    assert {"iskra", "shoigu"} <= {r["entry_id"] for r in tags["listed"]}
    assert "poly" not in {r["entry_id"] for r in tags["listed"]}
    assert {c["code"] for c in tags["countries"]} >= {"DE", "KZ"}
    assert any(d for d in tags["dates"])
    assert listed_store.totals()["documents"] == 0  # --no-store


@pytest.mark.slow
def test_tag_russian_post_with_real_model(listed_store):
    text = ("США ввели санкции против Газпромбанка. Министр обороны Сергей Шойгу "
            "прокомментировал решение в Казахстане.")
    tags = tag_article(text, listed_store, published="2024-11-21", store_it=False)
    assert tags["lang"] == "ru"
    assert {"gpb", "shoigu"} <= {r["entry_id"] for r in tags["listed"]}
    assert {"RU", "KZ"} & {c["code"] for c in tags["countries"]} or {"US"} <= {c["code"] for c in tags["countries"]}


@pytest.mark.slow
@pytest.mark.corpus
def test_real_news_against_real_lists(corpus, tmp_path):
    """Global News (27 May 2025): the listed firms it names are flagged, the outlet is not."""
    from nlp.ingest import ingest
    from nlp.store import Store
    from nlp.tag.tagging import tag_path

    article = corpus / "news" / "en_policytracker_planet" / \
        "20250527_globalnews-ca_owner-of-toronto-company-arrested-for-allegedly-vi.txt"
    lists = corpus / "sanctions_lists" / "opensanctions_eu_journal"
    if not article.exists() or not lists.is_dir():
        pytest.skip("Global News article or EU journal lists not in this corpus")
    with Store(tmp_path / "store") as db:
        ingest([lists], db)
        tags = tag_path(article, db, store_it=False)
    names = {r["name"] for r in tags["listed"]}
    assert any("SMT" in n and "iLogic" in n for n in names), names
    assert any("Asia Pacific Links" in n for n in names), names
    assert not any("Global News" in m for r in tags["listed"] for m in r["mentions"])


def test_bulleted_list_entity_is_split_into_names():
    from nlp.tag.tagging import split_entity

    text = "Также: БКС Банк.\n• Банк ДОМ РФ\n• Агророс Банк\n•"
    start = text.index("БКС")
    pieces = split_entity({"start": start, "end": len(text), "text": text[start:], "label": "ORG"})
    assert [p["text"] for p in pieces] == ["БКС Банк", "Банк ДОМ РФ", "Агророс Банк"]
    assert all(text[p["start"]:p["end"]] == p["text"] for p in pieces)
    place = {"start": 0, "end": 11, "text": "Russia\n• EU", "label": "GPE"}
    assert split_entity(place) == [place]  # only person and organisation names are cut
