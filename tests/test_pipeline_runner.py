"""nlp.pipeline: files and single documents through ingest → extract → index → link."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from nlp import pipeline
from nlp.index.current import has_index
from nlp.index.embed import HashingEmbedder
from nlp.ingest import file_key
from nlp.records import Document
from nlp.settings import REPO_ROOT
from nlp.store import Store

SAMPLES = REPO_ROOT / "corpus" / "samples"
ARTICLE = SAMPLES / "sample_article_eu_chp_exports.txt"
TRADE = SAMPLES / "eu_exports_chp_items_monthly_2020-2022.csv"


@pytest.fixture()
def store(tmp_path: Path):
    with Store(tmp_path / "store") as opened:
        yield opened


def test_run_carries_files_through_every_stage(store: Store):
    stages: list[str] = []
    summary = pipeline.run([ARTICLE, TRADE], store, embedder=HashingEmbedder(), evidence=False,
                           on_stage=lambda stage, _: stages.append(stage))
    assert stages == ["ingest", "extract", "index", "link"]
    assert summary.ingest["ingested"] == 2 and summary.ingest["failed"] == 0
    article_ids = store.doc_ids_for_path(file_key(ARTICLE))
    assert set(article_ids) <= set(summary.doc_ids)
    # trade_table descriptions are not extracted; the article is
    assert summary.extracted == len(article_ids)
    assert store.annotations(article_ids[0], "hs_code")
    assert has_index(store.dir) and summary.index is not None
    # the article's claims are verified against the sample trade figures and kept
    assert summary.claims > 0 and sum(summary.verdicts.values()) == summary.claims
    from nlp.link import stored_claims

    assert len(stored_claims(store, article_ids[0])) == summary.claims
    assert summary.warnings == []


def test_run_again_reprocesses_the_given_files_only(store: Store):
    pipeline.run([TRADE], store, index="never", link=False)
    summary = pipeline.run([TRADE], store, index="never", link=False)
    assert summary.ingest["unchanged"] == 1
    assert summary.doc_ids == store.doc_ids_for_path(file_key(TRADE))
    assert summary.extracted == 0 and summary.index is None


def test_a_failing_stage_is_a_warning_and_keeps_what_was_stored(store: Store, monkeypatch):
    import nlp.link

    def broken(*args, **kwargs):
        raise RuntimeError("link broke")

    monkeypatch.setattr(nlp.link, "link_document", broken)
    summary = pipeline.run([ARTICLE], store, index="never", evidence=False)
    assert any(w.startswith("link ") and "link broke" in w for w in summary.warnings)
    doc_id = store.doc_ids_for_path(file_key(ARTICLE))[0]
    assert store.document(doc_id) is not None and store.annotations(doc_id)


def test_run_document_stores_a_text_under_its_key(store: Store):
    text = "EU exports of integrated circuits (HS 8542) to Kazakhstan rose in 2022 compared with 2021."
    doc = Document(doc_id="t1", kind="news", lang="en", text=text, source="pasted")
    record = {"doc_id": "t1", "lang": "en", "entities": [], "hs_codes": [], "dates": [], "citations": []}
    summary = pipeline.run_document(doc, store, key="tag:t1", record=record, evidence=False)
    state = store.file_state("tag:t1")
    assert state is not None and state.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert store.doc_ids_for_path("tag:t1") == ["t1"]
    assert summary.extracted == 1  # the given record, stored as it is
    assert summary.index is None  # no index to keep in step
    assert summary.claims >= 1
