"""Connectors against a local server answering in each API's documented format; then the readers ingest the files."""

from __future__ import annotations

import json
import os
import socket

import pytest

from nlp.connectors import MANIFEST_NAME, read_manifest
from nlp.connectors.commands import FetchOptions, fetch_source

REPORTERS = {"more": False, "results": [
    {"id": 398, "text": "Kazakhstan", "reporterCode": 398, "reporterDesc": "Kazakhstan",
     "reporterCodeIsoAlpha2": "KZ", "reporterCodeIsoAlpha3": "KAZ", "isGroup": False},
    {"id": 643, "text": "Russian Federation", "reporterCode": 643, "reporterDesc": "Russian Federation",
     "reporterCodeIsoAlpha2": "RU", "reporterCodeIsoAlpha3": "RUS", "isGroup": False}]}
PARTNERS = {"more": False, "results": [
    {"id": 0, "text": "World", "PartnerCode": 0, "PartnerDesc": "World", "PartnerCodeIsoAlpha2": "W00",
     "PartnerCodeIsoAlpha3": "W00", "isGroup": True},
    {"id": 643, "text": "Russian Federation", "PartnerCode": 643, "PartnerDesc": "Russian Federation",
     "PartnerCodeIsoAlpha2": "RU", "PartnerCodeIsoAlpha3": "RUS", "isGroup": False}]}


def comtrade_row(period: str, value: float, **extra) -> dict:
    row = {"typeCode": "C", "freqCode": "M", "refPeriodId": int(period + "01"), "refYear": int(period[:4]),
           "refMonth": int(period[4:]), "period": period, "reporterCode": 398, "reporterISO": "KAZ",
           "reporterDesc": "Kazakhstan", "flowCode": "X", "flowDesc": "Export", "partnerCode": 643,
           "partnerISO": "RUS", "partnerDesc": "Russian Federation", "partner2Code": 0, "partner2ISO": "W00",
           "classificationCode": "H6", "isOriginalClassification": True, "cmdCode": "8542",
           "cmdDesc": "Electronic integrated circuits", "aggrLevel": 4, "isLeaf": False, "customsCode": "C00",
           "mosCode": "0", "motCode": 0, "qtyUnitCode": 8, "qty": 12.0, "netWgt": 12.0, "grossWgt": 13.0,
           "cifvalue": None, "fobvalue": value, "primaryValue": value, "legacyEstimationFlag": 0,
           "isReported": True, "isAggregate": False}
    row.update(extra)
    return row


def comtrade_answer(*rows) -> bytes:
    return json.dumps({"elements": None, "count": len(rows), "data": list(rows), "error": ""}).encode()


def ingest_folder(tmp_path, folder):
    from nlp.ingest import ingest
    from nlp.store import Store

    store = Store(tmp_path / "store")
    summary = ingest([folder], store)
    return store, summary


@pytest.fixture()
def comtrade_api(api, monkeypatch):
    monkeypatch.setenv("SANCTIONS_COMTRADE_URL", api.url)
    monkeypatch.setenv("SANCTIONS_COMTRADE_KEY", "test-key-123")
    api.route("/files/v1/app/reference/Reporters.json", json.dumps(REPORTERS).encode())
    api.route("/files/v1/app/reference/partnerAreas.json", json.dumps(PARTNERS).encode())
    return api


def test_comtrade_writes_what_the_trade_reader_ingests(tmp_path, comtrade_api, client):
    comtrade_api.route("/data/v1/get/C/M/HS", comtrade_answer(
        comtrade_row("202101", 1500.0), comtrade_row("202102", 2500.0),
        comtrade_row("202102", 999.0, partner2Code=156)))  # a breakdown row: not a total
    dest = tmp_path / "fetched"
    options = FetchOptions(source="comtrade", dest=dest, reporters=["KZ"], partners=["RU"], flows=["X", "RX"],
                           codes=["8542"], first="2021-01", last="2021-02")
    results = fetch_source(options, client)
    assert [r.status for r in results] == ["fetched"] and results[0].records == 2
    request = next(r for r in comtrade_api.requests if r["path"] == "/data/v1/get/C/M/HS")
    assert request["headers"]["Ocp-Apim-Subscription-Key"] == "test-key-123"
    assert request["query"]["reporterCode"] == ["398"] and request["query"]["partnerCode"] == ["643"]
    assert request["query"]["period"] == ["202101,202102"] and request["query"]["flowCode"] == ["X,RX"]
    row = next(iter(read_manifest(dest).values()))
    assert row["licence"].startswith("UN Comtrade") and len(row["sha256"]) == 64 and row["retrieved_at"]
    assert "test-key-123" not in (dest / MANIFEST_NAME).read_text()
    store, summary = ingest_folder(tmp_path, dest)
    assert summary.failed == 0 and summary.trade_facts == 2  # the manifest (hidden) is not ingested
    facts = sorted(store.trade_facts(), key=lambda f: f.period)
    assert [(f.reporter, f.partner, f.flow, f.product_code, f.period, f.value, f.currency) for f in facts] == [
        ("KZ", "RU", "export", "8542", "2021-01", 1500.0, "USD"), ("KZ", "RU", "export", "8542", "2021-02", 2500.0, "USD")]


def test_comtrade_resumes_after_an_interrupted_run(tmp_path, comtrade_api, client):
    # 15 months: two units; the server fails the second one until the retries run out
    comtrade_api.route("/data/v1/get/C/M/HS", comtrade_answer(comtrade_row("202101", 1.0)),
                       (503, {}, b"busy"), (503, {}, b"busy"), (503, {}, b"busy"))
    dest = tmp_path / "fetched"
    options = FetchOptions(source="comtrade", dest=dest, reporters=["KZ"], partners=["RU"], codes=["8542"],
                           first="2021-01", last="2022-03")
    first = fetch_source(options, client)
    assert [r.status for r in first] == ["fetched", "failed"]
    assert "HTTP 503" in first[1].reason and "gave up after 3 attempts" in first[1].reason
    assert not [p for p in dest.iterdir() if p.name.endswith(".part")]  # no partial file left
    comtrade_api.route("/data/v1/get/C/M/HS", comtrade_answer(comtrade_row("202201", 2.0)))
    second = fetch_source(options, client)
    assert [r.status for r in second] == ["present", "fetched"]
    assert comtrade_api.hits["/data/v1/get/C/M/HS"] == 1  # only the missing unit was asked for again
    # a file changed on disk is fetched again rather than trusted
    (dest / second[0].path).write_text("tampered")
    third = fetch_source(options, client)
    assert [r.status for r in third] == ["fetched", "present"]


def test_rate_limit_answer_is_retried_after_the_stated_wait(tmp_path, comtrade_api, client):
    waits = []
    client.sleep = waits.append
    comtrade_api.route("/data/v1/get/C/M/HS", (429, {"Retry-After": "7"}, b'{"statusCode": 429}'),
                       comtrade_answer(comtrade_row("202101", 1.0)))
    options = FetchOptions(source="comtrade", dest=tmp_path / "f", reporters=["KZ"], partners=["RU"],
                           codes=["8542"], first="2021-01", last="2021-01")
    assert [r.status for r in fetch_source(options, client)] == ["fetched"]
    assert 7.0 in waits


def test_comtrade_bad_key_and_missing_key(tmp_path, comtrade_api, client, monkeypatch):
    from nlp.connectors.http import ConnectorError

    comtrade_api.route("/data/v1/get/C/M/HS", (401, {}, b'{"statusCode": 401, "message": "Access denied"}'))
    options = FetchOptions(source="comtrade", dest=tmp_path / "f", reporters=["KZ"], partners=["RU"],
                           codes=["8542"], first="2021-01", last="2021-01")
    result = fetch_source(options, client)[0]
    assert result.status == "failed" and "HTTP 401" in result.reason and "SANCTIONS_COMTRADE_KEY" in result.reason
    monkeypatch.delenv("SANCTIONS_COMTRADE_KEY")
    with pytest.raises(ConnectorError, match="SANCTIONS_COMTRADE_KEY"):
        fetch_source(options, client)


def test_comext_sdmx_csv(tmp_path, api, client, monkeypatch):
    monkeypatch.setenv("SANCTIONS_COMEXT_URL", api.url)
    body = ("DATAFLOW,LAST UPDATE,freq,reporter,partner,product,flow,indicators,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
            "ESTAT:DS-045409(1.0),15/10/24 11:00:00,M,DE,KZ,85423190,2,VALUE_IN_EUROS,2022-01,120000,\n"
            "ESTAT:DS-045409(1.0),15/10/24 11:00:00,M,DE,KZ,85423190,2,VALUE_IN_EUROS,2022-02,:,c\n"
            "ESTAT:DS-045409(1.0),15/10/24 11:00:00,M,GR,KZ,85423190,2,VALUE_IN_EUROS,2022-01,5000,\n")
    api.route("/data/DS-045409/M.DE+GR.KZ.85423190.2.VALUE_IN_EUROS", body.encode())
    dest = tmp_path / "comext"
    options = FetchOptions(source="comext", dest=dest, reporters=["DE", "GR"], partners=["KZ"], flows=["export"],
                           codes=["85423190"], first="2022-01", last="2022-02")
    results = fetch_source(options, client)
    assert [r.status for r in results] == ["fetched"] and results[0].records == 2  # ':' is no figure
    request = api.requests[-1]
    assert request["query"] == {"startPeriod": ["2022-01"], "endPeriod": ["2022-02"], "format": ["SDMX-CSV"]}
    store, summary = ingest_folder(tmp_path, dest)
    assert summary.failed == 0
    facts = {(f.reporter, f.partner, f.flow, f.product_code, f.code_system, f.period, f.value, f.currency)
             for f in store.trade_facts()}
    assert facts == {("DE", "KZ", "export", "85423190", "CN", "2022-01", 120000.0, "EUR"),
                     ("GR", "KZ", "export", "85423190", "CN", "2022-01", 5000.0, "EUR")}


def test_comext_refuses_an_answer_that_is_not_sdmx_csv(tmp_path, api, client, monkeypatch):
    monkeypatch.setenv("SANCTIONS_COMEXT_URL", api.url)
    api.route("/data/DS-045409/M..KZ.8542.2.VALUE_IN_EUROS", b"<html>maintenance</html>")
    options = FetchOptions(source="comext", dest=tmp_path / "c", partners=["KZ"], codes=["8542"],
                           first="2022-01", last="2022-02")
    result = fetch_source(options, client)[0]
    assert result.status == "failed" and "not SDMX-CSV" in result.reason


def test_opensanctions_ftm_export(tmp_path, api, client, monkeypatch):
    monkeypatch.setenv("SANCTIONS_OPENSANCTIONS_URL", api.url)
    lines = [
        {"id": "eu-fsf-eu-1234-1", "schema": "Person", "caption": "Ivan Testov", "target": True,
         "datasets": ["eu_fsf"], "first_seen": "2022-02-25T00:00:00", "last_seen": "2024-06-01T00:00:00",
         "properties": {"name": ["Ivan Petrovich TESTOV"], "alias": ["Иван Тестов"], "birthDate": ["1961-03-02"],
                        "nationality": ["ru"], "topics": ["sanction"]}},
        {"id": "eu-fsf-sanction-1", "schema": "Sanction", "datasets": ["eu_fsf"], "target": False,
         "properties": {"entity": ["eu-fsf-eu-1234-1"], "authority": ["European Union"], "program": ["RUS"],
                        "listingDate": ["2022-02-25"], "reason": ["Test reason."], "provisions": ["32014R0269"]}},
        {"id": "eu-fsf-addr-1", "schema": "Address", "datasets": ["eu_fsf"], "properties": {"full": ["Moscow"]}},
        {"id": "eu-fsf-co-9", "schema": "Company", "target": True, "datasets": ["eu_fsf"],
         "properties": {"name": ["Testexport JSC"], "innCode": ["7701234567"], "country": ["ru"]}},
    ]
    api.route("/datasets/latest/eu_fsf/entities.ftm.json",
              "\n".join(json.dumps(line) for line in lines).encode() + b"\n")
    dest = tmp_path / "os"
    results = fetch_source(FetchOptions(source="opensanctions", dest=dest, datasets=["eu"]), client)
    assert [(r.status, r.path, r.records) for r in results] == [("fetched", "eu_fsf.ftm.json", 4)]
    store, summary = ingest_folder(tmp_path, dest)
    assert summary.failed == 0
    entries = {e.name: e for e in store.listings()}
    person = entries["Ivan Petrovich TESTOV"]
    assert person.list_name == "EU FSF" and person.programme == "RUS" and person.listing_date == "2022-02-25"
    assert person.aliases == ["Иван Тестов"] and person.birth_dates == ["1961-03-02"]
    assert person.legal_act == "32014R0269" and person.extra["ftm_id"] == "eu-fsf-eu-1234-1"
    assert entries["Testexport JSC"].identifiers == {"inn": ["7701234567"]}
    # exported again, the entry keeps its OpenSanctions id
    from nlp.export.ftm import listing_entities

    assert listing_entities(person)[0].id == "eu-fsf-eu-1234-1"


def test_eurlex_by_celex(tmp_path, api, client, monkeypatch):
    monkeypatch.setenv("SANCTIONS_EURLEX_URL", api.url)
    page = ("<!DOCTYPE html><html><head><title>EUR-Lex - 32014R0833 - EN</title></head><body><div>"
            '<p class="oj-doc-ti">COUNCIL REGULATION (EU) No 833/2014</p><p class="oj-doc-ti">of 31 July 2014</p>'
            '<p class="oj-doc-ti">concerning restrictive measures (test page)</p>'
            '<p class="oj-normal">HAS ADOPTED THIS REGULATION:</p><p class="oj-ti-art">Article 1</p>'
            '<p class="oj-normal">A test provision on goods of HS code 8542.</p></div></body></html>')
    api.route("/legal-content/EN/TXT/HTML/", page.encode())
    dest = tmp_path / "eurlex"
    results = fetch_source(FetchOptions(source="eurlex", dest=dest, celex=["32014R0833"]), client)
    assert [(r.status, r.path) for r in results] == [("fetched", "eurlex_32014R0833_en.html")]
    assert api.requests[-1]["query"] == {"uri": ["CELEX:32014R0833"]}
    store, summary = ingest_folder(tmp_path, dest)
    doc = next(store.documents())
    assert doc.kind == "regulation" and doc.meta["celex"] == "32014R0833"
    # a page without an act (a bot check) never replaces the good copy
    api.route("/legal-content/EN/TXT/HTML/", b"<html><body>Please verify you are human</body></html>")
    (dest / MANIFEST_NAME).unlink()
    again = fetch_source(FetchOptions(source="eurlex", dest=dest, celex=["32014R0833"]), client)
    assert again[0].status == "failed" and "holds no act" in again[0].reason
    assert (dest / "eurlex_32014R0833_en.html").read_text() == page


def test_offline_fails_with_a_clear_message(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from nlp.cli import app

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("SANCTIONS_OPENSANCTIONS_URL", f"http://127.0.0.1:{port}")
    result = CliRunner().invoke(app, ["corpus", "fetch", "--source", "opensanctions", "--dataset", "un",
                                      "--dest", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert f"cannot reach 127.0.0.1:{port}" in result.output and "(offline?)" in result.output


def test_bad_requests_are_refused_before_any_call(tmp_path):
    from typer.testing import CliRunner

    from nlp.cli import app

    runner = CliRunner()
    for args, expected in ((["--source", "worldbank"], "unknown source"),
                           (["--source", "eurlex", "--celex", "not-a-celex"], "not a CELEX number"),
                           (["--source", "comext", "--partner", "KZ", "--hs", "85", "--from", "2024-13",
                             "--to", "2024-12"], "bad period range")):
        result = runner.invoke(app, ["corpus", "fetch", *args, "--dest", str(tmp_path / "x")])
        assert result.exit_code == 2 and expected in result.output, result.output


@pytest.mark.network
@pytest.mark.skipif(not os.environ.get("SANCTIONS_COMTRADE_KEY"), reason="SANCTIONS_COMTRADE_KEY is not set")
def test_live_comtrade_kazakhstan_to_russia(tmp_path):
    options = FetchOptions(source="comtrade", dest=tmp_path / "live", reporters=["KZ"], partners=["RU"],
                           flows=["X"], codes=["8542"], first="2023-01", last="2023-03")
    results = fetch_source(options)
    assert [r.status for r in results] == ["fetched"]
    store, summary = ingest_folder(tmp_path, tmp_path / "live")
    assert summary.failed == 0


def test_suggested_fetch_command_for_a_claim_without_data():
    from nlp.connectors.commands import suggest_fetch

    vlast = {"frame": {"reporter": "KZ", "partner": "RU", "flow": "re-export", "published": "2024-06-07",
                       "subject": {"item_set": "chp", "tiers": ["1", "2"]}},
             "series": [{"proxy": False, "window": ["2024-01", "2024-05"], "baseline": ["2023-01", "2023-05"]}]}
    assert suggest_fetch(vlast) == ("sanctions corpus fetch --source comtrade --reporter KZ --partner RU "
                                    "--flow X,RX --hs chp:1,2 --from 2023-01 --to 2024-05")
    eu = {"frame": {"reporter": "EU27", "partner": "KZ", "flow": "export", "subject": {"codes": ["8542"]}},
          "series": [{"proxy": False, "window": ["2022-03", "2022-12"], "baseline": ["2021-03", "2021-12"]}]}
    assert suggest_fetch(eu) == ("sanctions corpus fetch --source comext --partner KZ --flow export --hs 8542 "
                                 "--from 2021-03 --to 2022-12")
    assert suggest_fetch({"frame": {"partner": "RU"}}) is None
    via = {"frame": {"reporter": None, "transit": "KZ", "partner": "RU", "flow": "export",
                     "published": "2024-06-07", "subject": {"item_set": "chp", "tiers": None}}, "series": []}
    assert suggest_fetch(via) == ("sanctions corpus fetch --source comtrade --reporter KZ --partner RU "
                                  "--flow X,RX --hs chp --from 2022-01 --to 2024-12")
