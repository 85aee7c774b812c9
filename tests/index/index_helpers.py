"""Helpers for the index tests: a small stand-in embedder and tiny documents."""

from __future__ import annotations

from nlp.index.embed import HashingEmbedder
from nlp.records import Document, ReadResult, TextBuilder

HashEmbedder = HashingEmbedder  # the shared stand-in embedder


def regulation(doc_id="reg1", published="2024-02-23"):
    tb = TextBuilder()
    tb.add("title", "Council Regulation concerning restrictive measures")
    tb.add("article", "Article 1\nIt shall be prohibited to sell integrated circuits of HS code 8542.31 "
                      "to any person in Russia.", section="Article 1")
    tb.add("article", "Article 2\nAll funds of the persons listed in Annex I shall be frozen.",
           section="Article 2")
    return Document(doc_id=doc_id, kind="regulation", lang="en", text=tb.text, source=f"{doc_id}.xml",
                    title="Council Regulation", published=published, blocks=tb.blocks)


def news_ru(doc_id="ru1", published="2023-10-05"):
    text = "Казахстан запретил реэкспорт микросхем и дронов в Россию.\n\nМинистерство опровергло сообщение."
    return Document(doc_id=doc_id, kind="news", lang="ru", text=text, source=f"{doc_id}.json",
                    source_id="post-7", published=published)


def news_en(doc_id="en1", published="2025-05-20", extra=""):
    text = ("Armenian re-exports of cars to Russia grew sharply in 2022.\n\n"
            "Kontron shipped restricted technology through a Slovenian subsidiary." + extra)
    return Document(doc_id=doc_id, kind="news", lang="en", text=text, source=f"{doc_id}.txt",
                    published=published)


def put(store, path, *docs):
    store.replace_file(path, "sha-" + "-".join(d.doc_id for d in docs), 1, "test",
                       ReadResult(documents=list(docs)))


def route_client_to(web, monkeypatch) -> list[str]:
    """Send the CLI's server calls to ``web`` (a FastAPI TestClient) as if a
    ``sanctions serve`` ran on 127.0.0.1:8000; returns the list of URLs asked."""
    import nlp.serve.client as client_module

    calls: list[str] = []

    def via_test_client(url, timeout):
        calls.append(url)
        response = web.get(url.replace("http://127.0.0.1:8000", ""))
        if response.status_code >= 400:
            raise client_module.ServerError(response.json()["error"])
        return response.json()

    monkeypatch.setenv("SANCTIONS_SERVER", "http://127.0.0.1:8000")
    monkeypatch.setattr(client_module, "_get", via_test_client)
    return calls
