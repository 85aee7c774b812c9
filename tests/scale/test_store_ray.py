"""``extract --all --engine ray`` and ``index --engine ray`` on a local Ray equal the local commands."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

pytest.importorskip("ray")
pytest.importorskip("pyarrow")

from nlp.store import Store  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "corpus" / "samples"


def _annotations(store: Store) -> list[tuple]:
    return sorted(tuple(r) for r in store.query("SELECT * FROM annotations"))


def _passages(store: Store) -> tuple[str, list[tuple]]:
    import sqlite3

    from nlp.index.build import index_dir, read_manifest

    manifest = read_manifest(index_dir(store.dir))
    db = sqlite3.connect(index_dir(store.dir) / manifest.passages_file)
    return manifest.model, sorted(db.execute("SELECT passage_id, start, end, text FROM passages").fetchall())


def test_store_stages_on_ray_equal_the_local_ones(tmp_path):
    from nlp.extract.commands import run_jobs
    from nlp.extract.entities import store_gazetteer
    from nlp.extract.pipeline import job_for_document, store_record
    from nlp.index.build import sync_index
    from nlp.index.dense import DenseIndex
    from nlp.index.embed import HashingEmbedder
    from nlp.ingest import ingest
    from nlp.scale.store_stages import extract_store, index_store

    with Store(tmp_path / "local") as local:
        ingest([SAMPLES], local)
        gazetteer = store_gazetteer(local)
        jobs = [job_for_document(d) for d in local.documents(with_blocks=False)]
        for record in run_jobs(jobs, gazetteer=gazetteer if gazetteer.size else None, with_text=False,
                               workers=1):
            store_record(local, record)
        sync_index(local, embedder=HashingEmbedder())
        expected = _annotations(local), _passages(local)
    shutil.copytree(tmp_path / "local", tmp_path / "ray")
    shutil.rmtree(tmp_path / "ray" / "index")
    with Store(tmp_path / "ray") as ray_store:
        with ray_store.transaction() as db:
            db.execute("DELETE FROM annotations")
        # An index of the same model that lacks one document, which then comes back.
        path = ray_store.query("SELECT path FROM documents WHERE kind = 'news' ORDER BY path")[0][0]
        ray_store.delete_file(path)
        sync_index(ray_store, embedder=HashingEmbedder())
        ingest([SAMPLES], ray_store)
        counts = extract_store(ray_store, workers=2, extract_actors=1)
        assert counts["documents"] == len(ray_store.doc_ids())
        summary = index_store(ray_store, workers=2)
        assert (summary.added_documents, summary.removed_documents) == (1, 0)
        assert (_annotations(ray_store), _passages(ray_store)) == expected
        dense = DenseIndex.read(tmp_path / "ray" / "index" / f"dense.{summary.generation}.faiss")
        assert dense.ntotal == summary.passages
