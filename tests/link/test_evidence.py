"""nlp.link.evidence: passages that support or contradict a claim."""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.index.build import sync_index
from nlp.index.embed import HashingEmbedder
from nlp.link.evidence import find_evidence, passage_stance
from nlp.link.frames import frame_claim
from nlp.records import Document, ReadResult
from nlp.store import Store

CLAIM = "EU exports of integrated circuits (HS 8542) to Kazakhstan rose in 2022 compared with 2021."
SAME = "Exports of integrated circuits (HS 8542) from the EU to Kazakhstan increased sharply in 2022."
OPPOSITE = "EU exports of integrated circuits (HS 8542) to Kazakhstan fell in 2022 compared with 2021."
UNRELATED = "The committee met in Brussels to discuss the budget for cultural programmes."


@pytest.fixture(scope="module")
def frame():
    return frame_claim(CLAIM, "en", dt.date(2023, 3, 1))


def test_stance_follows_the_direction_of_a_passage_on_the_same_goods(frame):
    stance, shared = passage_stance(frame, SAME, "en")
    assert stance == "supports" and "codes" in shared
    stance, shared = passage_stance(frame, OPPOSITE, "en")
    assert stance == "contradicts" and "codes" in shared
    assert passage_stance(frame, UNRELATED, "en") == ("related", [])


def test_no_index_means_no_evidence(tmp_path, frame):
    with Store(tmp_path / "s") as store:
        assert find_evidence(frame, store) == []


def test_evidence_from_the_index_stances_first_and_never_the_claim_itself(tmp_path, frame, monkeypatch):
    import nlp.index.current as current

    embedder = HashingEmbedder()
    real = current.using_index
    monkeypatch.setattr(current, "using_index", lambda store_dir, _=None: real(store_dir, embedder))
    texts = {"same": SAME, "opposite": OPPOSITE, "unrelated": UNRELATED, "claim": CLAIM}
    with Store(tmp_path / "s") as store:
        for doc_id, text in texts.items():
            store.replace_file(doc_id, doc_id, 1, "test", ReadResult(documents=[
                Document(doc_id=doc_id, kind="news", lang="en", text=text, source=f"{doc_id}.txt")]))
        sync_index(store, embedder=embedder)
        found = find_evidence(frame, store, k=3)
        current.forget(store.dir)
    assert [r["rank"] for r in found] == [1, 2, 3]
    assert "claim" not in {r["doc_id"] for r in found}
    stances = {r["doc_id"]: r["stance"] for r in found}
    assert stances.get("same") == "supports" and stances.get("opposite") == "contradicts"
    # supporting and contradicting passages come before merely related ones
    order = [r["stance"] != "related" for r in found]
    assert order == sorted(order, reverse=True)
