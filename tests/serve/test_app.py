"""API and page tests with FastAPI's TestClient over a small real store."""

from __future__ import annotations

import re

import pytest

from .conftest import TOKEN

HIT_KEYS = {"rank", "score", "doc_id", "source", "source_id", "passage_id", "text", "kind", "lang",
            "page", "section", "start", "end", "title", "published", "snippet", "highlights"}


def doc_id(web_store, name):
    return web_store["doc_by_file"][name]


def assert_clean_error(response, status):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status and body["error"]
    assert "Traceback" not in response.text and "File \"" not in response.text
    return body["error"]


# -- search ---------------------------------------------------------------------

def test_search_returns_hits_with_provenance_and_snippets(client):
    response = client.get("/api/search", params={"q": "exports of integrated circuits to Kazakhstan"})
    assert response.status_code == 200
    body = response.json()
    assert body["hits"], body
    hit = body["hits"][0]
    assert HIT_KEYS <= set(hit)
    assert hit["rank"] == 1 and hit["end"] > hit["start"]
    assert all(0 <= a < b <= len(hit["snippet"]) for a, b in hit["highlights"])


def test_search_paginates(client):
    query = {"q": "exports to Russia", "k": 2}
    first = client.get("/api/search", params=query).json()
    second = client.get("/api/search", params={**query, "offset": 2}).json()
    assert len(first["hits"]) == 2 and first["next_offset"] == 2
    assert second["offset"] == 2 and second["hits"]
    assert {h["passage_id"] for h in first["hits"]}.isdisjoint(h["passage_id"] for h in second["hits"])


def test_search_filters_by_language_kind_and_hs_code(client):
    russian = client.get("/api/search", params={"q": "экспорт микросхем", "lang": "ru"}).json()
    assert russian["hits"] and {h["lang"] for h in russian["hits"]} == {"ru"}
    news = client.get("/api/search", params={"q": "exports", "kind": "news"}).json()
    assert news["hits"] and {h["kind"] for h in news["hits"]} == {"news"}
    coded = client.get("/api/search", params={"q": "exports", "hs": "8542"}).json()
    assert coded["hits"] and coded["filters"] == {"hs": "8542"}
    assert all("8542" in h["text"] for h in coded["hits"])
    none = client.get("/api/search", params={"q": "exports", "since": "2030", "until": "2031"}).json()
    assert none["hits"] == []


@pytest.mark.parametrize("params, status, fragment", [
    ({"q": "x", "since": "last spring"}, 400, "since"),
    ({"q": "x", "mode": "telepathy"}, 400, "mode"),
    ({"q": "x", "hs": "../../etc"}, 400, "hs"),
    ({"q": "x", "k": 0}, 422, "k"),
    ({"q": "x", "k": 101}, 422, "k"),
    ({}, 422, "q"),
    ({"q": "   "}, 400, "query"),
    ({"q": "x" * 1001}, 422, "q"),
])
def test_search_rejects_bad_parameters_with_a_message(client, params, status, fragment):
    message = assert_clean_error(client.get("/api/search", params=params), status)
    assert fragment in message


# -- documents and claims ----------------------------------------------------------

def test_document_list_paginates(client):
    everything = client.get("/api/documents").json()
    assert everything["total"] >= 5
    page = client.get("/api/documents", params={"limit": 2, "offset": 1}).json()
    assert [d["doc_id"] for d in page["documents"]] == [d["doc_id"] for d in everything["documents"][1:3]]
    russian = client.get("/api/documents", params={"lang": "ru"}).json()
    assert russian["documents"] and {d["lang"] for d in russian["documents"]} == {"ru"}


def test_document_has_text_spans_blocks_and_claims(client, web_store):
    doc = client.get(f"/api/documents/{doc_id(web_store, 'sample_article_eu_chp_exports.txt')}").json()
    assert doc["kind"] == "news" and doc["lang"] == "en" and doc["blocks"]
    codes = {h["code"]: h for h in doc["hs_codes"]}
    assert "8542" in codes and codes["8542"]["chp_tier"]
    assert doc["text"][codes["8542"]["start"]:codes["8542"]["end"]] == codes["8542"]["text"]
    assert any(d.get("interval") for d in doc["dates"])
    assert any(e["label"] for e in doc["entities"])
    assert {c["verdict"] for c in doc["claims"]} & {"supported", "contradicted"}
    assert all(c["claim_id"] for c in doc["claims"])


def test_unknown_document_and_claim_are_clean_404s(client):
    assert "no document" in assert_clean_error(client.get("/api/documents/nope"), 404)
    assert "no claim" in assert_clean_error(client.get("/api/claims/nope"), 404)
    page = client.get("/documents/nope")
    assert page.status_code == 404 and "no document" in page.text and "Traceback" not in page.text
    assert_clean_error(client.get("/api/no/such/route"), 404)


def test_claims_endpoint_and_claim_page(client, web_store):
    listing = client.get("/api/claims", params={"doc_id": doc_id(web_store, "sample_article_eu_chp_exports.txt")})
    claims = listing.json()["claims"]
    assert claims and listing.json()["total"] == len(claims)
    checked = next(c for c in claims if c["verdict"] in ("supported", "contradicted"))
    claim = client.get(f"/api/claims/{checked['claim_id']}").json()
    assert claim["claim"] == checked["claim"] and claim["series"] and claim["figures"]
    page = client.get(f"/claims/{checked['claim_id']}")
    assert page.status_code == 200
    assert f"verdict-{checked['verdict']}" in page.text
    assert "data:image/png;base64," in page.text  # the chart of the series used
    assert 'id="series"' in page.text


def test_verify_statement(client):
    body = client.post("/api/verify", json={
        "statement": "EU exports of integrated circuits (HS 8542) to Kyrgyzstan increased in 2022 "
                     "compared with 2021.", "published": "2023-03-15"}).json()
    assert body["verdict"] in ("supported", "contradicted", "mixed", "no_data")
    assert {"claim", "frame", "figures", "series", "explanation"} <= set(body)
    assert "published" in assert_clean_error(
        client.post("/api/verify", json={"statement": "x", "published": "yesterday"}), 400)
    assert_clean_error(client.post("/api/verify", json={"statement": "x" * 2001}), 422)
    page = client.get("/verify", params={"statement": "EU exports of computers to Russia fell in 2022 "
                                                      "compared with 2021", "published": "2023-01-10"})
    assert page.status_code == 200 and "verdict-" in page.text


# -- extract --------------------------------------------------------------------------

def test_extract_text_gives_the_extraction_record(client):
    record = client.post("/api/extract", json={
        "text": "Kazakhstan banned re-exports of integrated circuits (HS 8542) on 5 May 2023.",
        "lang": "en"}).json()
    assert {"doc_id", "lang", "entities", "hs_codes", "dates", "citations"} <= set(record)
    assert [h["code"] for h in record["hs_codes"]] == ["8542"]
    assert any(d["value"] == "2023-05-05" for d in record["dates"])


def test_extract_file_upload(client):
    text = "ЕС запретил экспорт микросхем (ТН ВЭД 8542) в Россию 25 февраля 2022 года.".encode()
    response = client.post("/api/extract/file", files={"file": ("../../секрет.txt", text, "text/plain")},
                           data={"lang": "auto"})
    assert response.status_code == 200, response.text
    record = response.json()["records"][0]
    assert record["lang"] == "ru" and record["hs_codes"] and record["source"] == "секрет.txt"


@pytest.mark.parametrize("body, status, fragment", [
    ({"text": ""}, 400, "empty"),
    ({"text": "hello", "lang": "de"}, 400, "lang"),
    ({"text": "hello", "published": "2023-02-30"}, 400, "published"),
    ({"text": "x" * 200_001}, 422, "text"),
    ({"lang": "en"}, 422, "text"),
])
def test_extract_rejects_bad_input(client, body, status, fragment):
    assert fragment in assert_clean_error(client.post("/api/extract", json=body), status)


def test_extract_file_rejects_unreadable_and_empty_files(client):
    assert "empty" in assert_clean_error(
        client.post("/api/extract/file", files={"file": ("a.txt", b"  \n", "text/plain")}), 400)
    message = assert_clean_error(
        client.post("/api/extract/file", files={"file": ("a.pdf", b"%PDF-1.4 broken", "application/pdf")}),
        422)
    assert message.startswith("cannot read the file")


def test_malformed_json_is_a_clean_error(client):
    response = client.post("/api/extract", content=b"{not json", headers={"content-type": "application/json"})
    assert_clean_error(response, 422)


# -- limits and security --------------------------------------------------------------

def test_upload_limit_refuses_large_bodies(web_store, monkeypatch):
    from fastapi.testclient import TestClient

    from nlp.serve.app import create_app

    from .conftest import HashEmbedder

    monkeypatch.setenv("SANCTIONS_MAX_UPLOAD_MB", "0.01")  # 10 KiB
    small = TestClient(create_app(web_store["store_dir"], embedder=HashEmbedder(), evidence=False),
                       raise_server_exceptions=False)
    big = b"word " * 5000
    assert "limit" in assert_clean_error(
        small.post("/api/extract/file", files={"file": ("big.txt", big, "text/plain")}), 413)
    assert "limit" in assert_clean_error(small.post("/api/extract", json={"text": "word " * 5000}), 413)


def test_security_headers_on_pages_and_api(client):
    for path in ("/search", "/api/stats", "/documents"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"


def test_static_files_cannot_reach_outside(client):
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
                 "/static/%2e%2e/%2e%2e/store.sqlite"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "sqlite" not in response.headers.get("content-type", "")


def test_write_endpoints_need_the_token(client, monkeypatch):
    upload = {"file": ("note.txt", b"EU exports of chips to Armenia rose in 2023.", "text/plain")}
    monkeypatch.delenv("SANCTIONS_API_TOKEN", raising=False)
    assert "SANCTIONS_API_TOKEN" in assert_clean_error(client.post("/api/ingest", files=upload), 403)
    monkeypatch.setenv("SANCTIONS_API_TOKEN", TOKEN)
    assert "token" in assert_clean_error(client.post("/api/ingest", files=upload), 401)
    assert_clean_error(client.post("/api/ingest", files=upload, headers={"X-API-Token": "wrong"}), 401)


def test_ingest_with_token_keeps_the_file_inside_the_store(client, web_store, monkeypatch):
    monkeypatch.setenv("SANCTIONS_API_TOKEN", TOKEN)
    text = "Armenian re-exports of cars to Russia grew in 2023 compared with 2022, officials said."
    response = client.post("/api/ingest", headers={"Authorization": f"Bearer {TOKEN}"},
                           files={"file": ("../../../../tmp/escape attempt.txt", text.encode(), "text/plain")})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ingested"] == 1 and len(body["doc_ids"]) == 1
    uploads = web_store["store_dir"] / "uploads"
    stored = list(uploads.iterdir())
    assert [p.name for p in stored if p.name == body["path"]] == [body["path"]]
    assert all(p.resolve().parent == uploads.resolve() for p in stored)
    doc = client.get(f"/api/documents/{body['doc_ids'][0]}").json()
    assert doc["text"].strip() == text


def test_unexpected_errors_are_one_line_not_a_traceback(client, web_app, monkeypatch):
    from nlp.serve import actions

    def broken(backend):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(actions, "stats", broken)
    message = assert_clean_error(client.get("/api/stats"), 500)
    assert "secret" not in message and "RuntimeError" in message
    page = client.get("/stats")
    assert page.status_code == 500 and "secret internals" not in page.text


# -- hostile documents --------------------------------------------------------------------

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)


def test_hostile_text_is_escaped_in_the_document_page(client, web_store):
    page = client.get(f"/documents/{doc_id(web_store, 'hostile_text.txt')}").text
    # Our one script tag, from /static; everything the document says arrives escaped.
    assert SCRIPT_TAG.findall(page) == ['<script src="/static/app.js" defer>']
    assert "&lt;script&gt;window.pwned" in page
    assert not re.search(r"<[a-z]+[^>]*\son(error|load|mouseover)=", page, re.I)
    assert "&lt;/textarea&gt;&lt;script&gt;" in page


def test_hostile_html_is_reduced_to_text(client, web_store):
    doc = client.get(f"/api/documents/{doc_id(web_store, 'hostile_news.html')}").json()
    assert "Kazakhstan" in doc["text"] and "pwned" not in doc["text"]
    page = client.get(f"/documents/{doc['doc_id']}").text
    assert SCRIPT_TAG.findall(page) == ['<script src="/static/app.js" defer>']


def test_reflected_query_is_escaped(client):
    page = client.get("/search", params={"q": "<script>alert(1)</script>\"><img src=x onerror=alert(1)>"}).text
    assert SCRIPT_TAG.findall(page) == ['<script src="/static/app.js" defer>']
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# -- names, tagging, stats ------------------------------------------------------------------

def test_match_a_name_against_the_lists(client):
    body = client.get("/api/match", params={"name": "Ivan Testovsky"}).json()
    assert body["matches"] and body["matches"][0]["entry_id"] == "test-entry-1"
    assert {"score", "explanation", "list_name", "name"} <= set(body["matches"][0])
    pair = client.get("/api/match/pair", params={"name1": "Иван Тестовский", "name2": "Ivan Testovsky"}).json()
    assert {"name1", "name2", "score", "match", "explanation"} <= set(pair)
    assert_clean_error(client.get("/api/match", params={"name": " "}), 400)
    assert_clean_error(client.get("/api/match", params={"name": "Ivan Testovsky", "schema": "Foo"}), 400)
    assert client.get("/api/match", params={"name": "Ivan Testovsky", "schema": "person"}).json()["schema"] == "Person"


def test_tag_an_article(client, monkeypatch):
    article = ("EU exports of integrated circuits (HS 8542) to Kazakhstan rose sharply in 2022 compared "
               "with 2021, according to Eurostat. Ivan Petrovich Testovsky denied any role.")
    body = client.post("/api/tag", json={"text": article, "published": "2023-03-01"}).json()
    assert {"lang", "entities", "hs_codes", "countries", "claims", "topics"} <= set(body)
    assert body["lang"] == "en" and any(h["code"] == "8542" for h in body["hs_codes"])
    monkeypatch.delenv("SANCTIONS_API_TOKEN", raising=False)
    assert_clean_error(client.post("/api/tag", json={"text": article, "store": True}), 403)
    page = client.post("/tag", data={"text": article, "published": "2023-03-01"})
    assert page.status_code == 200 and 'id="tag-result"' in page.text


def test_tag_page_reports_empty_input(client):
    page = client.post("/tag", data={"text": "  "})
    assert page.status_code == 200 and "text is empty" in page.text


def test_stats(client):
    stats = client.get("/api/stats").json()
    assert stats["documents"] >= 5 and stats["trade_facts"] > 1000 and stats["listings"] >= 1
    assert stats["index"]["model"] == "hash-test"
    assert {c["verdict"] for c in stats["claims"]}
    assert client.get("/stats").status_code == 200


def test_pages_render(client, web_store):
    for path in ("/search?q=exports&kind=news", "/documents", "/documents?lang=ru", "/tag", "/verify",
                 f"/documents/{doc_id(web_store, 'sample_article_ru_chp_exports.txt')}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
    russian = client.get(f"/documents/{doc_id(web_store, 'sample_article_ru_chp_exports.txt')}").text
    assert 'lang="ru"' in russian and "Казахстан" in russian
    assert client.get("/", follow_redirects=False).status_code == 303
    assert client.get("/openapi.json").json()["paths"]["/api/search"]


def test_real_corpus_news_is_served(client, web_store):
    if not web_store["real_corpus"]:
        pytest.skip("shared corpus not present: only the project's samples are in the test store")
    real_id = web_store["doc_by_file"]["en_kz_reexport_news_excerpts.jsonl"]
    doc = client.get(f"/api/documents/{real_id}").json()
    assert doc["kind"] == "news" and doc["text"]
    assert client.get(f"/documents/{real_id}").status_code == 200
    hits = client.get("/api/search", params={"q": "Kazakhstan re-export", "k": 100}).json()["hits"]
    # One hit per story: the document may be listed as a copy of the hit shown.
    assert real_id in {h["doc_id"] for h in hits} | {c["doc_id"] for h in hits for c in h["also_published_as"]}


def test_tag_an_uploaded_html_page_uses_its_article_text(client):
    from .conftest import HOSTILE_HTML

    response = client.post("/api/tag/file", files={"file": ("page.html", HOSTILE_HTML.encode(), "text/html")},
                           data={"published": "2023-06-01"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert any(h["code"] == "8542" for h in body["hs_codes"])
    assert "Central Asia" in (body.get("title") or "")
    page = client.post("/tag", files={"file": ("page.html", HOSTILE_HTML.encode(), "text/html")},
                       data={"text": ""})
    assert page.status_code == 200 and 'id="tag-result"' in page.text
    assert SCRIPT_TAG.findall(page.text) == ['<script src="/static/app.js" defer>']


def test_loopback_server_refuses_foreign_host_names(web_store):
    from fastapi.testclient import TestClient

    from nlp.serve.app import LOOPBACK_HOSTS, create_app

    from .conftest import HashEmbedder

    app = create_app(web_store["store_dir"], embedder=HashEmbedder(), evidence=False,
                     allowed_hosts=LOOPBACK_HOSTS)
    local = TestClient(app, base_url="http://127.0.0.1:8000")
    assert local.get("/api/stats").status_code == 200
    rebound = TestClient(app, base_url="http://attacker.example:8000")
    assert rebound.get("/api/stats").status_code == 400


def test_api_docs_are_served_without_a_cdn(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/swagger/swagger-ui-bundle.js" in page.text and "cdn." not in page.text
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "sanctions-nlp"
