"""The whole shared corpus: every file read or reported, and a rerun adds nothing."""

from __future__ import annotations

import pytest

from nlp.ingest import ingest, walk
from nlp.store import Store


@pytest.mark.slow
def test_whole_corpus_ingests_and_rerun_adds_nothing(corpus, tmp_path):
    files = list(walk([corpus]))
    with Store(tmp_path / "store") as store:
        first = ingest([corpus], store)
        assert first.files == len(files)
        assert first.failures == []  # every file in the corpus has a reader
        assert first.ingested == len(files)
        counts = store.totals()
        assert counts["documents"] > 5000 and counts["listings"] > 20000 and counts["trade_facts"] > 300000
        second = ingest([corpus], store)
        assert (second.ingested, second.unchanged, second.failed) == (0, len(files), 0)
        assert store.totals() == counts
