"""``sanctions run --engine local`` and ``sanctions load`` on the project's samples."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

from nlp.scale.dataset import ResultsDir
from nlp.scale.load import load_results
from nlp.scale.run import RunError, run
from nlp.store import Store

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "corpus" / "samples"


@pytest.fixture()
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("sample_article_eu_chp_exports.txt", "sample_article_ru_chp_exports.txt",
                 "eu_exports_chp_items_monthly_2020-2022.csv"):
        shutil.copy(SAMPLES / name, folder / name)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    return folder


def _parts(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*.parquet")}


def test_run_writes_every_table_and_reports_failures(inputs, tmp_path):
    out = tmp_path / "out"
    summary = run([inputs], out, engine="local", model="hash-test", workers=1)
    assert (summary.files, summary.read, summary.failed) == (4, 3, 1)
    assert summary.failures[0]["path"].endswith("broken.pdf") and summary.failures[0]["reason"]
    results = ResultsDir(out)
    assert results.manifest()["model"] == "hash-test"
    docs = results.rows("documents")
    assert len(docs) == 3 and all(d["blocks"] for d in docs)
    assert summary.trade_facts == len(results.rows("trade_facts")) > 100
    annotations = results.rows("annotations")
    assert {"entity", "hs_code", "date"} <= {a["layer"] for a in annotations}
    passages = results.rows("passages")
    assert passages and all(len(p["vector"]) == 64 for p in passages)
    # Every row carries the partition of the file it came from.
    files = {r["file_id"]: r for r in results.rows("files")}
    assert {r["file_id"] for r in docs} <= set(files)
    assert [r["status"] for r in files.values()].count("failed") == 1


def test_rerun_replaces_only_what_changed(inputs, tmp_path):
    out = tmp_path / "out"
    run([inputs], out, engine="local", model="hash-test", workers=1)
    before = _parts(out)
    again = run([inputs], out, engine="local", model="hash-test", workers=1)
    assert (again.read, again.unchanged, again.failed) == (0, 3, 1)
    assert _parts(out) == before
    article = inputs / "sample_article_eu_chp_exports.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nA new closing line.\n", encoding="utf-8")
    changed = run([inputs], out, engine="local", model="hash-test", workers=1)
    assert (changed.read, changed.unchanged) == (1, 2)
    after = _parts(out)
    replaced = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    fid = next(r["file_id"] for r in ResultsDir(out).rows("files") if r["path"].endswith(article.name))
    assert replaced and all(f"file_id={fid}" in k for k in replaced)
    assert len(ResultsDir(out).rows("documents")) == 3


def test_model_of_a_folder_is_kept(inputs, tmp_path):
    run([inputs], tmp_path / "out", engine="local", model="hash-test", workers=1)
    with pytest.raises(RunError, match="embedded with 'hash-test'"):
        run([inputs], tmp_path / "out", engine="local", model="minilm", workers=1)


def test_load_matches_ingest_extract_index_and_is_idempotent(inputs, tmp_path):
    from nlp.extract.commands import run_jobs
    from nlp.extract.entities import store_gazetteer
    from nlp.extract.pipeline import job_for_document, store_record
    from nlp.index.build import sync_index
    from nlp.index.embed import HashingEmbedder
    from nlp.ingest import ingest
    from nlp.pipeline import NOT_EXTRACTED_KINDS

    out = tmp_path / "out"
    run([inputs], out, engine="local", model="hash-test", workers=1)
    with Store(tmp_path / "loaded") as loaded:
        first = load_results(out, loaded)
        assert (first.loaded, first.failed) == (3, 1)
        assert first.index["added_passages"] > 0 and first.index["vectors_computed"] == 0
        second = load_results(out, loaded)
        assert (second.loaded, second.unchanged) == (0, 4)
        assert second.index["added_passages"] == 0
        loaded_dump = _dump(loaded)

    # The same files through ingest, extraction as the pipeline runner does it, and index.
    with Store(tmp_path / "local") as local:
        ingest([inputs], local)
        gazetteer = store_gazetteer(local)
        jobs = [job_for_document(d) for d in local.documents(with_blocks=False)
                if d.kind not in NOT_EXTRACTED_KINDS]
        for record in run_jobs(jobs, gazetteer=gazetteer if gazetteer.size else None,
                               with_text=False, workers=1):
            store_record(local, record)
        sync_index(local, embedder=HashingEmbedder())
        local_dump = _dump(local)
    assert loaded_dump == local_dump


def _dump(store: Store) -> dict:
    import sqlite3

    from nlp.index.build import index_dir, read_manifest

    def q(sql: str) -> list[tuple]:
        return [tuple(r) for r in store.query(sql)]

    manifest = read_manifest(index_dir(store.dir))
    passages = sqlite3.connect(index_dir(store.dir) / manifest.passages_file)
    return {
        "documents": q("SELECT doc_id, path, kind, lang, title, published, text, meta FROM documents ORDER BY doc_id"),
        "blocks": q("SELECT * FROM blocks ORDER BY doc_id, seq"),
        "facts": q("SELECT path, reporter, partner, flow, product_code, period, value, location "
                   "FROM trade_facts ORDER BY id"),
        "annotations": sorted(q("SELECT * FROM annotations")),
        "files": q("SELECT path, sha256, status, reader, documents, trade_facts FROM files ORDER BY path"),
        "passages": sorted(passages.execute("SELECT passage_id, start, end, text FROM passages").fetchall()),
    }


def test_cli_run_and_load(inputs, tmp_path):
    env_cmd = [sys.executable, "-m", "nlp"]
    out, store = tmp_path / "out", tmp_path / "store"
    inputs.joinpath("broken.pdf").unlink()
    done = subprocess.run([*env_cmd, "run", str(inputs), "--out", str(out), "--json", "--workers", "1",
                           "--model", "hash-test"], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["read"] == 3
    done = subprocess.run([*env_cmd, "load", str(out), "--store", str(store), "--json"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["index"]["vectors_computed"] == 0
    done = subprocess.run([*env_cmd, "load", str(tmp_path / "nothing"), "--store", str(store)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "no results here" in done.stderr
    done = subprocess.run([*env_cmd, "run", str(inputs), "--out", str(tmp_path / "o2"), "--model", "bert"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "unknown embedding model" in done.stderr


def test_help_does_not_import_the_scale_libraries():
    code = ("import sys, nlp.cli; heavy = [m for m in ('ray', 'pyarrow', 'duckdb') if m in sys.modules]; "
            "print(heavy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout.strip() == "[]"
