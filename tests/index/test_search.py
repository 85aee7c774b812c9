import pytest
from index_helpers import news_en, news_ru, put, regulation

from nlp.index.build import sync_index
from nlp.index.facets import _interval
from nlp.index.filters import date_bound, entity_key
from nlp.index.fusion import reciprocal_rank_fusion
from nlp.index.search import Filters, SearchIndex, normalise_hs


@pytest.fixture()
def index(store, embedder):
    reg, ru, en = regulation(), news_ru(), news_en(published=None)
    put(store, "a.xml", reg)
    put(store, "b.json", ru)
    put(store, "c.txt", en)
    code_at = reg.text.index("8542.31")
    store.replace_annotations("reg1", {"hs_code": [
        {"start": code_at, "end": code_at + 7, "text": "8542.31", "code": "854231", "chp_tier": "1"}]})
    kz_at = ru.text.index("Казахстан")
    store.replace_annotations("ru1", {"entity": [
        {"start": kz_at, "end": kz_at + 9, "text": "Казахстан", "label": "LOC", "country": "KZ"}]})
    year_at = en.text.index("2022")
    kontron_at = en.text.index("Kontron")
    store.replace_annotations("en1", {
        "date": [{"start": year_at, "end": year_at + 4, "text": "2022", "interval": ["2022-01-01", "2022-12-31"]}],
        "entity": [{"start": kontron_at, "end": kontron_at + 7, "text": "Kontron", "label": "ORG"}],
    })
    sync_index(store, embedder=embedder)
    with SearchIndex(store.dir, embedder=embedder) as opened:
        yield opened


def docs(hits):
    return [h.doc_id for h in hits]


def test_modes_rank_the_matching_passage_first(index):
    for mode in ("hybrid", "dense", "lexical"):
        hits = index.search("integrated circuits of HS code", mode=mode, k=3)
        assert hits[0].passage_id == "reg1:0", mode
        assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    with pytest.raises(ValueError, match="unknown mode"):
        index.search("x", mode="fuzzy")


def test_hits_carry_provenance(index):
    hit = index.search("funds frozen Annex", k=1, mode="lexical")[0]
    assert (hit.doc_id, hit.section, hit.kind, hit.lang) == ("reg1", "Article 2", "regulation", "en")
    assert hit.source == "reg1.xml" and hit.published == "2024-02-23"
    ru = index.search("микросхем", k=1, mode="lexical")[0]
    assert ru.source_id == "post-7"
    # Russian stemming: another form of the word still matches.
    assert docs(index.search("реэкспорта", k=1, mode="lexical")) == ["ru1"]


def test_kind_and_language_filters(index):
    assert set(docs(index.search("Russia", k=10, filters=Filters(kind="news")))) == {"ru1", "en1"}
    assert docs(index.search("Russia", k=10, filters=Filters(lang="ru"))) == ["ru1"]
    assert docs(index.search("Russia", k=10, filters=Filters(kind="listing"))) == []


def test_date_filter_uses_publication_and_extracted_dates(index):
    found = set(docs(index.search("Russia", k=10, filters=Filters(since="2024-01-01"))))
    assert found == {"reg1"}
    # en1 has no publication date, but mentions 2022.
    found = set(docs(index.search("Russia", k=10, filters=Filters(since="2022-06", until="2022-06"))))
    assert found == {"en1"}
    found = set(docs(index.search("Russia", k=10, filters=Filters(until="2023-12-31"))))
    assert found == {"ru1", "en1"}


def test_hs_code_tier_entity_and_country_filters(index):
    for code in ("85", "8542", "8542.31", "854231"):
        assert docs(index.search("sell", k=10, filters=Filters(hs=code))) == ["reg1"], code
    assert docs(index.search("sell", k=10, filters=Filters(hs="8703"))) == []
    assert docs(index.search("sell", k=10, filters=Filters(chp_tier="1"))) == ["reg1"]
    assert docs(index.search("Russia", k=10, filters=Filters(entity="kontron"))) == ["en1"]
    assert docs(index.search("Russia", k=10, filters=Filters(entity="КАЗАХСТАН"))) == ["ru1"]
    assert docs(index.search("Russia", k=10, filters=Filters(country="kz"))) == ["ru1"]
    assert docs(index.search("Russia", k=10, filters=Filters(country="Казахстан"))) == ["ru1"]
    # Filters combine with AND.
    assert docs(index.search("Russia", k=10, filters=Filters(entity="Kontron", lang="ru"))) == []
    with pytest.raises(ValueError, match="not an HS code"):
        index.search("x", filters=Filters(hs="chips"))


def test_country_filter_takes_codes_and_names_in_both_languages(index):
    for value in ("KZ", "kz", "KAZ", "Kazakhstan", "Казахстан", "Казахстана"):
        assert docs(index.search("Russia", k=10, filters=Filters(country=value))) == ["ru1"], value
    # Countries named in the text count without an entity annotation.
    assert set(docs(index.search("Russia", k=10, filters=Filters(country="RU")))) == {"reg1", "ru1", "en1"}
    assert docs(index.search("Russia", k=10, filters=Filters(country="Armenia"))) == ["en1"]
    with pytest.raises(ValueError, match="not a country"):
        index.search("x", filters=Filters(country="Narnia"))


def test_entity_filter_folds_apostrophes_quotes_case_and_script(store, embedder):
    doc = news_en(doc_id="en2", extra="\n\nDavid O’Sullivan met officials of «Сбербанк».")
    put(store, "d.txt", doc)
    at = doc.text.index("David")
    bank = doc.text.index("«Сбербанк»")
    store.replace_annotations("en2", {"entity": [
        {"start": at, "end": at + 15, "text": "David O’Sullivan", "label": "PERSON"},
        {"start": bank, "end": bank + 10, "text": "«Сбербанк»", "label": "ORG"}]})
    sync_index(store, embedder=embedder)
    with SearchIndex(store.dir, embedder=embedder) as index:
        for value in ("David O'Sullivan", "david o’sullivan", "DAVID OSULLIVAN"):
            assert docs(index.search("officials", k=5, filters=Filters(entity=value))) == ["en2"], value
        assert docs(index.search("officials", k=5, filters=Filters(entity="Sberbank"))) == ["en2"]


def test_impossible_dates_are_errors_not_empty_results(index):
    for since in ("2024-13-45", "2024-02-30", "yesterday", "24-01-01"):
        with pytest.raises(ValueError, match="since"):
            index.search("x", filters=Filters(since=since))
    with pytest.raises(ValueError, match="after until"):
        index.search("x", filters=Filters(since="2025", until="2024"))


def test_filters_follow_annotations_written_after_indexing(index, store, embedder):
    """The extract stage may run after the index: the next update refreshes
    the filter tables without re-embedding anything."""
    assert docs(index.search("Russia", k=10, filters=Filters(entity="Armenian"))) == []
    en = store.document("en1")
    at = en.text.index("Armenian")
    store.replace_annotations("en1", {"entity": [
        {"start": at, "end": at + 8, "text": "Armenian", "label": "NORP"}]})
    summary = sync_index(store, embedder=embedder)
    assert summary.added_passages == 0
    with SearchIndex(store.dir, embedder=embedder) as reopened:
        assert docs(reopened.search("Russia", k=10, filters=Filters(entity="armenian"))) == ["en1"]
        # The older entity annotation of en1 was replaced with the layer.
        assert docs(reopened.search("Russia", k=10, filters=Filters(entity="Kontron"))) == []


def test_search_does_not_open_the_store_database(index, store):
    """Filters read the index's own tables: the store may be busy or locked."""
    names = [row[2] for row in index.db.execute("PRAGMA database_list")]
    assert not any(name.endswith("store.sqlite") for name in names)


def test_batch_search_matches_single_queries(index):
    queries = ["integrated circuits", "Kontron", "микросхем"]
    batch = index.search_many(queries, k=3)
    assert [docs(hits) for hits in batch] == [docs(index.search(q, k=3)) for q in queries]


def test_reciprocal_rank_fusion():
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1]], k=10)
    assert [i for i, _ in fused] == [1, 3, 2]
    weighted = reciprocal_rank_fusion([[1, 2], [2, 1]], weights=[1.0, 3.0], k=10)
    assert weighted[0][0] == 2
    assert reciprocal_rank_fusion([[], []]) == []


def test_helpers():
    assert normalise_hs("8542.31") == "854231"
    assert _interval({"interval": ["2022-01-01", "2022-12-31"]}) == (20220101, 20221231)
    assert _interval({"interval": {"start": "2023-05", "end": "2023-05"}}) == (20230500, 20230599)
    assert _interval({"interval": "2024/2024"}) == (20240000, 20249999)
    assert _interval({"value": "XXXX"}) is None
    assert date_bound("2024-02-29", "since", upper=False) == 20240229
    assert entity_key("David O’Sullivan") == entity_key("david o'sullivan") == "david osullivan"
    assert entity_key("«Сбербанк»") == entity_key("SBERBANK")


def test_one_hit_per_story_with_also_published_as(store, embedder):
    from nlp.ingest.dedup import link_duplicates

    body = ("Kazakhstan's re-exports of sensitive items to Russia increased in recent months, a European "
            "Commission spokesperson said, naming drones, microchips and machine tools among the goods. ")
    original = news_en(doc_id="full", extra="\n\n" + body * 2)
    excerpt = news_en(doc_id="copy", published="2025-05-21", extra="\n\n" + body)
    other = news_ru(doc_id="other")
    put(store, "full.txt", original)
    put(store, "copy.txt", excerpt)
    put(store, "other.txt", other)
    summary = link_duplicates(store)
    assert summary.copies >= 1
    assert store.copies_of("copy") == ["full"] and store.copies_of("full") == ["copy"]
    assert store.copies_of("other") == []
    sync_index(store, embedder=embedder)
    with SearchIndex(store.dir, embedder=embedder) as index:
        hits = index.search("re-exports of sensitive items Kazakhstan", k=5, mode="lexical")
        story_docs = list(dict.fromkeys(h.doc_id for h in hits if h.doc_id in ("full", "copy")))
        assert story_docs == ["full"] or story_docs == ["copy"]
        shown = next(h for h in hits if h.doc_id in ("full", "copy"))
        assert [c["doc_id"] for c in shown.also_published_as] == [d for d in ("full", "copy") if d != shown.doc_id]


def test_cross_language_legs_keep_results_well_formed(index):
    """Per-language standardisation and the translated lexical leg change
    ranking only: same hit shape, every document still findable."""
    for per_language, cross in ((True, False), (True, True), (False, False)):
        hits = index.search_many(["re-export of chips to Russia", "реэкспорт микросхем"], k=5,
                                 per_language=per_language, cross_lexical=cross)
        for found in hits:
            assert [h.rank for h in found] == list(range(1, len(found) + 1))
            assert len({h.passage_id for h in found}) == len(found)
    assert set(index.language_groups()) == {"en", "ru"}
