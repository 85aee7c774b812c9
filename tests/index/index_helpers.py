"""Helpers for the index tests: a small stand-in embedder and tiny documents."""

from __future__ import annotations

import hashlib

import numpy as np

from nlp.index import lexical
from nlp.records import Document, ReadResult, TextBuilder


class HashEmbedder:
    """Hashed bag of stemmed terms: fast, deterministic, similar texts score high."""

    name = "hash-test"
    dim = 64
    max_tokens = 40

    def count_tokens(self, texts):
        return [len(t.split()) for t in texts]

    def encode(self, texts, batch_size=64):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in lexical.terms(text):
                out[row, int(hashlib.md5(term.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1
        return out / norms


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
