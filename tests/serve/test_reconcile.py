"""The W3C Reconciliation API (as OpenRefine calls it) and the yente-style /match endpoint."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from nlp.records import ListingEntry, ReadResult

pytest.importorskip("followthemoney")

ENTRIES = [
    ListingEntry(entry_id="p1", list_name="EU FSF", source_id="EU.1", schema="Person",
                 name="Sergei Kuzhugetovich SHOIGU", aliases=["Sergey Shoigu"], birth_dates=["1955-05-21"],
                 nationalities=["RU"], programme="RUS", listing_date="2022-02-25"),
    ListingEntry(entry_id="p2", list_name="EU FSF", source_id="EU.2", schema="Person",
                 name="Sergei SHOIGU", birth_dates=["1981-03-02"], nationalities=["RU"], programme="RUS"),
    ListingEntry(entry_id="o1", list_name="OFAC SDN", source_id="9", schema="Organization",
                 name="JSC Rosoboronexport", identifiers={"registration_number": ["1117746521452"]}),
    ListingEntry(entry_id="v1", list_name="OFAC SDN", source_id="10", schema="Vessel", name="SIRIUS STAR",
                 identifiers={"imo": ["9074729"]}),
]


@pytest.fixture()
def client(tmp_path):
    from nlp.serve.app import create_app
    from nlp.store import Store

    with Store(tmp_path / "store") as store:
        store.replace_file("lists.csv", "0" * 64, 1, "test", ReadResult(listings=ENTRIES))
    return TestClient(create_app(tmp_path / "store"))


def test_manifest_follows_the_spec(client):
    manifest = client.get("/reconcile").json()
    assert "0.2" in manifest["versions"]
    for key in ("name", "identifierSpace", "schemaSpace"):
        assert isinstance(manifest[key], str) and manifest[key]
    assert "{{id}}" in manifest["view"]["url"]
    assert {"id": "Person", "name": "Person"} in manifest["defaultTypes"]
    for kind in ("entity", "type", "property"):
        service = manifest["suggest"][kind]
        assert client.get(service["service_path"], params={"prefix": "S"}).status_code == 200


def test_openrefine_batch_with_properties(client):
    # OpenRefine POSTs a form field `queries` holding a JSON batch (spec 0.2, section 4)
    batch = {
        "q0": {"query": "Sergey Shoigu", "type": "Person", "limit": 3, "type_strict": "should",
               "properties": [{"pid": "birthDate", "v": "1955-05-21"}, {"pid": "nationality", "v": "Russia"}]},
        "q1": {"query": "Rosoboronexport", "type": "Company",
               "properties": [{"pid": "registrationNumber", "v": "1117746521452"}]},
        "q2": {"query": "Completely Unknown Trading House"},
    }
    response = client.post("/reconcile", data={"queries": json.dumps(batch)})
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*"
    results = response.json()
    assert set(results) == {"q0", "q1", "q2"}
    for block in results.values():
        for cand in block["result"]:
            assert isinstance(cand["id"], str) and isinstance(cand["name"], str)
            assert isinstance(cand["score"], (int, float)) and isinstance(cand["match"], bool)
            assert all("id" in t for t in cand["type"])
            assert all(isinstance(f["value"], (bool, int, float)) for f in cand["features"])
    shoigu = results["q0"]["result"]
    assert shoigu[0]["id"] == "snlp-entry-p1" and shoigu[0]["match"] is True
    assert {"id": "birthDate", "value": True} in shoigu[0]["features"]
    # the namesake born in 1981 ranks lower and is never an automatic match
    other = next(c for c in shoigu if c["id"] == "snlp-entry-p2")
    assert other["score"] < shoigu[0]["score"] and other["match"] is False
    assert results["q1"]["result"][0]["type"][0]["id"] == "Company"
    assert {"id": "identifier", "value": True} in results["q1"]["result"][0]["features"]
    assert results["q2"]["result"] == []


def test_no_automatic_match_between_near_equal_candidates(client):
    batch = {"q": {"query": "Sergei Shoigu", "type": "Person"}}  # no birth date: two namesakes
    result = client.get("/reconcile", params={"queries": json.dumps(batch)}).json()["q"]["result"]
    assert len(result) == 2 and not any(c["match"] for c in result)


def test_type_restricts_candidates(client):
    batch = {"q": {"query": "Sirius Star", "type": "Company"}}
    assert client.post("/reconcile", data={"queries": json.dumps(batch)}).json()["q"]["result"] == []
    batch = {"q": {"query": "Sirius Star", "type": "Vessel"}}
    assert client.post("/reconcile", data={"queries": json.dumps(batch)}).json()["q"]["result"][0]["match"]


def test_bad_batches_get_one_line_errors(client):
    for queries, expected in (("{not json", "not valid JSON"), ("[]", "non-empty JSON object"),
                              (json.dumps({"q": "Shoigu"}), "must be an object"),
                              (json.dumps({"q": {"query": "x", "type": "Planet"}}), "unknown type")):
        response = client.post("/reconcile", data={"queries": queries})
        assert response.status_code == 400 and expected in response.json()["error"]


def test_a_blank_cell_answers_empty_and_the_batch_goes_on(client):
    batch = {"q0": {"query": "  "}, "q1": {"query": "Sirius Star", "type": "Vessel"}}
    results = client.post("/reconcile", data={"queries": json.dumps(batch)}).json()
    assert results["q0"] == {"result": []} and results["q1"]["result"][0]["match"] is True


def test_a_date_decides_between_namesakes_only_when_it_agrees(tmp_path):
    from nlp.serve.app import create_app
    from nlp.store import Store

    dated = ListingEntry(entry_id="d1", list_name="EU FSF", source_id="EU.7", schema="Person",
                         name="Ivan Petrovich SIDOROV", birth_dates=["1960-01-02"])
    undated = ListingEntry(entry_id="d2", list_name="UK", source_id="UK.7", schema="Person",
                           name="Ivan Petrovich SIDOROV")
    with Store(tmp_path / "store") as store:
        store.replace_file("lists.csv", "0" * 64, 1, "test", ReadResult(listings=[dated, undated]))
    web = TestClient(create_app(tmp_path / "store"))

    def ask(born: str) -> list[dict]:
        batch = {"q": {"query": "Ivan Petrovich Sidorov", "type": "Person",
                       "properties": [{"pid": "birthDate", "v": born}]}}
        return web.post("/reconcile", data={"queries": json.dumps(batch)}).json()["q"]["result"]

    agreeing = ask("1960-01-02")
    assert agreeing[0]["id"] == "snlp-entry-d1" and agreeing[0]["match"] is True
    # born elsewhen: the dated namesake is ruled out, but the name alone does not make
    # the entry without a date the person asked about
    contradicting = ask("1975-06-30")
    assert contradicting[0]["id"] == "snlp-entry-d2" and not any(c["match"] for c in contradicting)


def test_view_and_suggest(client):
    entity = client.get("/entities/snlp-entry-v1").json()
    assert entity["schema"] == "Vessel" and entity["properties"]["imoNumber"] == ["IMO9074729"]
    assert client.get("/entities/nope").status_code == 404
    names = [r["name"] for r in client.get("/reconcile/suggest/entity", params={"prefix": "sirius"}).json()["result"]]
    assert names == ["SIRIUS STAR"]
    types = client.get("/reconcile/suggest/type", params={"prefix": "Ve"}).json()["result"]
    assert types == [{"id": "Vessel", "name": "Vessel"}]
    props = client.get("/reconcile/suggest/property", params={"prefix": "birth"}).json()["result"]
    assert props == [{"id": "birthDate", "name": "Birth date"}]


def test_yente_shaped_match(client):
    body = {"queries": {
        "a": {"schema": "Person", "properties": {"name": ["Shoigu, Sergey"], "birthDate": ["1955"],
                                                   "nationality": ["ru"]}},
        "b": {"schema": "Vessel", "properties": {"name": ["Sirius Star"], "imoNumber": ["IMO 9074729"]}},
        "c": {"schema": "Person", "properties": {"birthDate": ["1955"]}},
    }}
    data = client.post("/match/default", json=body).json()
    first = data["responses"]["a"]["results"][0]
    assert data["responses"]["a"]["status"] == 200
    assert first["id"] == "snlp-entry-p1" and first["match"] is True and 0 <= first["score"] <= 1
    assert first["schema"] == "Person" and first["features"]["birthDate"] == 1.0
    assert first["properties"]["sanctions"][0]["schema"] == "Sanction"
    assert data["responses"]["b"]["results"][0]["features"]["identifier"] == 1.0
    assert data["responses"]["c"]["status"] == 400 and "name" in data["responses"]["c"]["error"]
    assert client.post("/match/nope", json=body).status_code == 404
    assert client.post("/match/default", json={"queries": []}).status_code == 400
