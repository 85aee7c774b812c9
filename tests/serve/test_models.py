"""The OpenAPI schema documents every JSON answer, and the answers fit it.

Search and tagging answer with ``JSONResponse`` directly (no validation on
the request path), so these tests check their answers against the models the
schema publishes; the other routes are validated by FastAPI itself.
"""

from __future__ import annotations

import pytest

from .conftest import TOKEN

ARTICLE = ("EU exports of integrated circuits (HS 8542) to Kazakhstan rose sharply in 2022 compared "
           "with 2021, according to Eurostat. Ivan Petrovich Testovsky denied any role.")


def test_every_json_route_names_a_response_model(web_app):
    schema = web_app.openapi()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            content = operation["responses"]["200"].get("content", {}).get("application/json", {})
            ref = content.get("schema", {}).get("$ref", "")
            if path.startswith("/api/"):
                assert ref.startswith("#/components/schemas/"), f"{method.upper()} {path} has no response model"
    fields = schema["components"]["schemas"]["SearchHit"]["properties"]
    assert {"doc_id", "snippet", "highlights", "page", "section"} <= set(fields)
    assert fields["snippet"]["description"]


@pytest.mark.parametrize("model, method, path, kwargs", [
    ("SearchResponse", "get", "/api/search", {"params": {"q": "integrated circuits Kazakhstan"}}),
    ("TagResult", "post", "/api/tag", {"json": {"text": ARTICLE, "published": "2023-03-01"}}),
    ("VerificationOut", "post", "/api/verify", {"json": {
        "statement": "EU exports of integrated circuits (HS 8542) to Kazakhstan increased in 2022 "
                     "compared with 2021.", "published": "2023-03-15"}}),
    ("DocumentList", "get", "/api/documents", {}),
    ("ClaimList", "get", "/api/claims", {}),
    ("StoreStats", "get", "/api/stats", {}),
    ("Health", "get", "/api/health", {}),
])
def test_answers_fit_their_models(client, model, method, path, kwargs):
    from nlp.serve import models

    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == 200, response.text
    getattr(models, model).model_validate(response.json())


def test_document_and_claim_answers_fit_their_models(client, web_store):
    from nlp.serve import models

    doc_id = web_store["doc_by_file"]["sample_article_eu_chp_exports.txt"]
    document = client.get(f"/api/documents/{doc_id}").json()
    models.DocumentOut.model_validate(document)
    claim = client.get(f"/api/claims/{document['claims'][0]['claim_id']}").json()
    models.StoredClaim.model_validate(claim)
    assert claim["verdict"] in ("supported", "contradicted", "mixed", "no_data")


def test_write_route_answers_fit_their_model(client, monkeypatch):
    from nlp.serve import models

    monkeypatch.setenv("SANCTIONS_API_TOKEN", TOKEN)
    response = client.post("/api/ingest", headers={"X-API-Token": TOKEN},
                           files={"file": ("note.txt", ARTICLE.encode(), "text/plain")})
    assert response.status_code == 200, response.text
    models.IngestResult.model_validate(response.json())
