"""Near-duplicate detection: copies linked to one canonical document per story."""

from __future__ import annotations

import pytest

from nlp.ingest.dedup import containment, link_duplicates, shingles
from nlp.records import Document, ReadResult
from nlp.store import Store

BODY = ("The re-export of sensitive items through Kazakhstan to Russia has continued despite western "
        "sanctions, a European Commission spokesperson said on Friday, naming microchips, drones and "
        "machine tools among the goods that still cross the border every month. ")


def _doc(doc_id: str, text: str, published: str | None = None) -> Document:
    return Document(doc_id=doc_id, kind="news", lang="en", text=text, source=f"{doc_id}.txt", published=published)


def _put(store: Store, *docs: Document) -> None:
    for doc in docs:
        store.replace_file(doc.source, "sha-" + doc.doc_id, 1, "test", ReadResult(documents=[doc]))


def test_shingles_and_containment():
    assert containment(shingles(BODY), shingles(BODY + " And more words follow here.")) == 1.0
    assert containment(shingles("a b c d e"), set()) == 0.0


def test_copies_are_linked_to_the_fullest_document(tmp_path):
    store = Store(tmp_path / "s")
    _put(store, _doc("full", "Title\n\n" + BODY * 3, "2024-06-07"), _doc("excerpt", BODY, "2024-06-08"),
         _doc("repost", "❗️" + BODY + " Subscribe to our channel.", "2024-06-09"),
         _doc("other", "Armenia's car exports to Russia grew sevenfold in 2023, customs statistics show, "
                       "while imports from Germany and Japan doubled over the same months."))
    summary = link_duplicates(store)
    assert summary.copies == 2 and summary.stories == 1
    assert store.copies_of("excerpt") == ["full", "repost"]
    assert store.copies_of("full") == ["excerpt", "repost"]
    assert store.copies_of("other") == []
    # Deleting the canonical document leaves no dangling story member.
    store.delete_file("full.txt")
    assert "full" not in store.copies_of("excerpt")
    link_duplicates(store)
    assert store.copies_of("excerpt") == ["repost"]
    store.close()


def test_identical_one_line_posts_are_one_story(tmp_path):
    store = Store(tmp_path / "s")
    _put(store, _doc("a", "Sanctions on Gazprombank take effect."), _doc("b", "SANCTIONS on Gazprombank take effect!"),
         _doc("c", "Sanctions on Sberbank take effect."))
    link_duplicates(store)
    assert store.copies_of("a") == ["b"] and store.copies_of("b") == ["a"]
    assert store.copies_of("c") == []
    store.close()


@pytest.mark.corpus
def test_vlast_article_and_its_web_excerpt_are_one_story(tmp_path, corpus):
    from nlp.ingest import ingest

    store = Store(tmp_path / "s")
    ingest([corpus / "news" / "vlast", corpus / "news_en" / "web_excerpts"], store)
    vlast = store.query("SELECT doc_id FROM documents WHERE path LIKE '%vlast%'")[0][0]
    copies = store.copies_of(vlast)
    assert copies, "the Vlast article has a copy among the English web excerpts"
    sources = {r[0] for r in store.query(
        f"SELECT source_id FROM documents WHERE doc_id IN ({','.join('?' * len(copies))})", copies)}
    assert "en01" in sources
    store.close()


def test_a_store_from_before_dedup_gets_its_links_on_the_next_ingest(tmp_path):
    from nlp.ingest import ingest

    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Title one\n\n" + BODY * 2, encoding="utf-8")
    (folder / "b.txt").write_text(BODY, encoding="utf-8")
    store = Store(tmp_path / "s")
    ingest([folder], store)
    with store.transaction() as db:
        db.execute("DELETE FROM doc_minhash")
        db.execute("DELETE FROM doc_copies")
    summary = ingest([folder], store)          # nothing changed on disk
    assert summary.ingested == 0 and summary.unchanged == 2
    assert store.query("SELECT COUNT(*) FROM doc_copies")[0][0] == 1
    store.close()
