"""Server processes: with ``sanctions serve --workers 2`` two of them answer searches exactly as
one process does; each uses the set number of BLAS threads.

Builds a small store from the project's samples with the multilingual model
(so the cross-language legs run), starts the server with two processes and
compares every answer, asked over new connections so that both processes
answer, with the answer of the search code in this process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from nlp.settings import REPO_ROOT

from .conftest import free_port

QUERIES = ["EU exports of integrated circuits to Kazakhstan", "экспорт микросхем в Казахстан",
           "Common High Priority items", "рост экспорта 2022", "exports 8542 2021"]


def _build(folder):
    from nlp.extract.pipeline import extract_documents, store_record
    from nlp.index.build import sync_index
    from nlp.ingest import ingest
    from nlp.store import Store

    with Store(folder) as store:
        ingest([REPO_ROOT / "corpus" / "samples"], store)
        for record in extract_documents(list(store.documents(with_blocks=False))):
            store_record(store, record)
        sync_index(store, "use-m3")


@pytest.mark.slow
def test_two_server_processes_answer_as_one(tmp_path, monkeypatch):
    import httpx

    from nlp.serve import actions
    from nlp.serve.backend import Backend
    from nlp.serve.checks import SearchRequest

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    store_dir = tmp_path / "store"
    _build(store_dir)
    from nlp.index.build import index_dir

    assert list(index_dir(store_dir).glob("vocabulary.*.npz")), "two languages: the cross-language legs run"
    backend = Backend(store_dir)
    # As JSON carries them (highlight spans become lists).
    expected = json.loads(json.dumps({q: actions.search(backend, SearchRequest(query=q, k=5))["hits"]
                                      for q in QUERIES}))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SANCTIONS_SERVE_WARM_UP": "0", "HF_HUB_OFFLINE": "1",
           "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])}
    env.pop("SANCTIONS_SERVE_LIMITS_FILE", None)
    server = subprocess.Popen([sys.executable, "-m", "nlp.serve", "--store", str(store_dir), "--port", str(port),
                               "--workers", "2", "--log-level", "warning"], cwd=REPO_ROOT, env=env)
    try:
        workers: set[int] = set()
        deadline = time.time() + 120
        while len(workers) < 2:
            assert server.poll() is None, "the server exited"
            assert time.time() < deadline, f"only {len(workers)} server process(es) answered"
            try:
                workers.add(httpx.get(base + "/api/health", timeout=5).json()["worker"])
            except httpx.HTTPError:
                time.sleep(0.3)
        for _ in range(4):  # new connections: each process answers some of them
            for query in QUERIES:
                response = httpx.get(base + "/api/search", params={"q": query, "k": 5}, timeout=60)
                assert response.status_code == 200, response.text
                assert response.json()["hits"] == expected[query], query
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_server_process_uses_the_set_number_of_blas_threads(monkeypatch):
    from threadpoolctl import threadpool_info, threadpool_limits

    from nlp.serve.app import limit_blas_threads

    monkeypatch.setenv("SANCTIONS_TORCH_THREADS", "1")
    with threadpool_limits(limits=2, user_api="blas"):  # the original limits come back on exit
        limit_blas_threads()
        blas = [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]
        assert blas and set(blas) == {1}
