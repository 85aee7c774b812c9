"""Linking stored documents and rendering reports (samples + the Vlast article)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp.cli import app
from nlp.ingest import ingest
from nlp.link import link_document, stored_claims, verify_statement
from nlp.link.report import render
from nlp.store import Store

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "corpus" / "samples"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("linkstore"))
    ingest([SAMPLES], store)
    yield store
    store.close()


def _doc_id(store: Store, name: str) -> str:
    return next(d.doc_id for d in store.documents(with_blocks=False) if d.source.endswith(name))


def test_sample_article_claims_and_verdicts(sample_store):
    doc_id = _doc_id(sample_store, "sample_article_eu_chp_exports.txt")
    claims = link_document(doc_id, sample_store, with_evidence=False)
    verdicts = [c["verdict"] for c in claims]
    assert verdicts == ["supported", "supported", "contradicted", "contradicted", "no_data"]
    for claim in claims:
        assert claim["provenance"]["block"] == "paragraph"
    first = claims[0]
    assert first["figures"]["change_pct"] > 100 and first["series"][0]["source"]
    assert "window cut" in first["series"][0]["note"]  # December 2022 is not in the data
    assert stored_claims(sample_store, doc_id) == json.loads(json.dumps(claims, default=str))


def test_russian_sample_claims(sample_store):
    doc_id = _doc_id(sample_store, "sample_article_ru_chp_exports.txt")
    verdicts = [c["verdict"] for c in link_document(doc_id, sample_store, with_evidence=False)]
    assert verdicts == ["supported", "contradicted"]


def test_html_and_markdown_reports(sample_store, tmp_path):
    doc_id = _doc_id(sample_store, "sample_article_eu_chp_exports.txt")
    claims = link_document(doc_id, sample_store, with_evidence=False)
    doc = sample_store.document(doc_id)
    html_path = render(doc, claims, sample_store, tmp_path / "r.html")
    page = html_path.read_text(encoding="utf-8")
    assert page.count("<section class=claim>") == 5
    assert page.count("data:image/png;base64,") >= 4
    assert "PROXY" in page and "no_data" in page
    md_path = render(doc, claims, sample_store, tmp_path / "r.md")
    assert (tmp_path / "r_charts").is_dir() and "**Verdict: supported**" in md_path.read_text()


def test_report_escapes_document_text(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SAMPLES / "eu_exports_chp_items_monthly_2020-2022.csv", src)
    (src / "evil.txt").write_text(
        "---\ntitle: \"<script>alert(1)</script>\"\ndate: 2023-03-01\n---\n\n"
        "EU exports of integrated circuits (HS 8542) to Kazakhstan <img src=x onerror=alert(1)> "
        "increased in 2022 compared with 2021.\n", encoding="utf-8")
    with Store(tmp_path / "store") as store:
        ingest([src], store)
        doc_id = _doc_id(store, "evil.txt")
        claims = link_document(doc_id, store, with_evidence=False)
        page = render(store.document(doc_id), claims, store, tmp_path / "e.html").read_text()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_vlast_report_no_direct_data(corpus, tmp_path):
    with Store(tmp_path / "store") as store:
        comext = corpus / "trade_stats" / "eu_eurostat_comext_marylev"
        ingest([corpus / "news" / "vlast", SAMPLES, comext / "eu_member_exports_to_kazakhstan_monthly_2019-2024.csv"],
               store)
        doc_id = _doc_id(store, "2024-06-07_vlast_kazakhstans-re-exports-increase.txt")
        claims = link_document(doc_id, store, with_evidence=False)
        trade = [c for c in claims if c["frame"]["partner"] == "RU"]
        assert len(trade) >= 3
        for claim in trade:
            assert claim["verdict"] == "no_data"
            assert claim["explanation"].startswith(("no data for", "no verdict for"))
            assert any(s["proxy"] for s in claim["series"])
            assert all(s["label"].startswith(("EU", "Armenia", "RU", "KZ")) for s in claim["series"] if s["proxy"])
        out = render(store.document(doc_id), claims, store, tmp_path / "vlast.html")
        assert "PROXY" in out.read_text()


def test_verify_cli_json_and_batch(sample_store, tmp_path):
    runner = CliRunner()
    args = ["--store", str(sample_store.dir), "--no-evidence"]
    result = runner.invoke(app, ["verify", "EU exports of computers (HS 8471) to Russia fell in 2022 "
                                 "compared with 2021", "--published", "2023-06-01", "--json", *args])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["verdict"] == "supported"
    assert set(data) >= {"claim", "frame", "verdict", "figures", "series", "evidence", "explanation"}
    claims = tmp_path / "claims.jsonl"
    claims.write_text(json.dumps({"id": "a", "claim": "EU exports of computers (HS 8471) to Russia rose in "
                                  "2022 compared with 2021", "published": "2023-06-01", "lang": "en"}) + "\n"
                      + json.dumps({"id": "b"}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["verify", "--claims", str(claims), *args])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(l["id"], l.get("verdict"), l.get("error")) for l in lines] == [
        ("a", "contradicted", None), ("b", None, "missing 'claim'")]


def test_verify_statement_without_data_is_no_data(tmp_path):
    with Store(tmp_path / "empty") as store:
        result = verify_statement("EU exports of drones to Kazakhstan rose in 2023 compared with 2022.",
                                  store, published="2024-01-01", with_evidence=False)
    assert result["verdict"] == "no_data" and "no proxy series" in result["explanation"]


def test_report_and_web_page_draw_a_claim_with_one_template(sample_store, tmp_path):
    from nlp.link.claim_view import TEMPLATES, environment

    doc_id = _doc_id(sample_store, "sample_article_eu_chp_exports.txt")
    claims = link_document(doc_id, sample_store, with_evidence=False)
    page = render(sample_store.document(doc_id), claims, sample_store, tmp_path / "r.html").read_text()
    # The report's claim sections come from the claim_view macro the web app's claim page imports.
    assert page.count('class="claim-grid"') == len(claims) and page.count('id="series"') == len(claims)
    assert '<a href="/documents/' not in page  # a file on disk: no links into the web app
    web_page = (TEMPLATES.parents[1] / "serve" / "templates" / "claim.html").read_text()
    assert '{% from "claim_view.html" import claim_view %}' in web_page
    assert environment().get_template("claim_view.html").module.claim_view is not None
