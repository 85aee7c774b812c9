"""Fixtures for the web app tests: one small real store, built once per session.

The store holds the project's samples (``corpus/samples``), two hostile files
written here (an HTML page full of scripts and event handlers, and a plain
text whose words are markup), one fictional sanctions-list entry and, when
the shared corpus is present, a real English news file. The real extraction
runs over it; the index uses a small hashed embedder (as the index tests do)
so no transformer loads; claims are linked without evidence lookups.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from nlp.index.embed import HashingEmbedder
from nlp.settings import REPO_ROOT

SAMPLES = REPO_ROOT / "corpus" / "samples"
REAL_NEWS = Path("news_en") / "web_excerpts" / "en_kz_reexport_news_excerpts.jsonl"
TOKEN = "test-token-7f3a"

HOSTILE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Hostile page</title>
<script>window.pwned = "head script"; document.title = "pwned";</script>
<meta http-equiv="refresh" content="0;url=javascript:window.pwned='refresh'">
</head>
<body onload="window.pwned='onload'; alert('onload')">
<article>
<h1>Re-export controls tighten in Central Asia <img src="x" onerror="window.pwned='onerror'; alert('img')"></h1>
<p>Kazakhstan said on 5 May 2023 that exports of integrated circuits (HS 8542) to Russia had fallen
sharply in 2023 compared with 2022. <script>window.pwned = "body script"; alert("body")</script></p>
<p onmouseover="window.pwned='hover'">Officials in Astana added that the customs service checks every
consignment of dual-use goods bound for the Russian Federation, and that exporters who break the
rules lose their licences.</p>
<iframe src="javascript:window.top.pwned='iframe'"></iframe>
<svg onload="window.pwned='svg'"><circle r="4"/></svg>
</article>
</body></html>
"""

# A text reader keeps words verbatim, so here the markup *is* document text:
# it reaches the page and must arrive there as visible characters.
HOSTILE_TEXT = """Hostile text <script>document.title='pwned'</script>

EU exports of integrated circuits (HS 8542) to Kazakhstan rose in 2022 compared with 2021.
<script>window.pwned = "text script"; alert("text")</script>
<img src=x onerror="window.pwned='text img'; alert('img')"> <b onmouseover="window.pwned='hover'">bold</b>
"><svg onload="window.pwned='svg'"> '-alert(1)-' </title></textarea><script>window.pwned='breakout'</script>
"""


HashEmbedder = HashingEmbedder  # the shared stand-in embedder


def fictional_listing():
    from nlp.records import ListingEntry

    return ListingEntry(entry_id="test-entry-1", list_name="TEST list", source_id="T-1", schema="Person",
                        name="Ivan Petrovich Testovsky", aliases=["Иван Петрович Тестовский"],
                        programme="TEST", listing_date="2022-03-15", legal_act="test act",
                        source="tests/serve")


def build_store(folder: Path, extra_paths: list[Path]) -> dict:
    from nlp.extract.pipeline import extract_documents, store_record
    from nlp.index.build import sync_index
    from nlp.ingest import ingest
    from nlp.link import link_document, linkable_documents
    from nlp.records import ReadResult
    from nlp.store import Store

    docs_dir = folder / "incoming"
    docs_dir.mkdir(parents=True)
    (docs_dir / "hostile_news.html").write_text(HOSTILE_HTML, encoding="utf-8")
    (docs_dir / "hostile_text.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    store_dir = folder / "store"
    with Store(store_dir) as store:
        summary = ingest([SAMPLES, docs_dir, *extra_paths], store)
        assert summary.failed == 0, summary.failures
        store.replace_file("tests/serve/fictional_list", "sha-test", 1, "test",
                           ReadResult(listings=[fictional_listing()]))
        for record in extract_documents(list(store.documents(with_blocks=False))):
            store_record(store, record)
        sync_index(store, embedder=HashEmbedder())
        for doc_id in linkable_documents(store):
            link_document(doc_id, store, with_evidence=False)
        paths = {Path(path).name: doc_id for doc_id, path, _ in store.document_sources()}
    return {"store_dir": store_dir, "doc_by_file": paths}


@pytest.fixture(scope="session")
def web_store(tmp_path_factory, request) -> dict:
    extra = []
    try:
        corpus = request.getfixturevalue("corpus")
    except pytest.skip.Exception:
        corpus = None
    if corpus is not None and (corpus / REAL_NEWS).is_file():
        extra.append(corpus / REAL_NEWS)
    info = build_store(tmp_path_factory.mktemp("web"), extra)
    info["real_corpus"] = bool(extra)
    return info


@pytest.fixture(scope="session")
def web_app(web_store):
    from nlp.serve.app import create_app

    return create_app(web_store["store_dir"], embedder=HashEmbedder(), evidence=False)


@pytest.fixture()
def client(web_app):
    from fastapi.testclient import TestClient

    with TestClient(web_app, raise_server_exceptions=False) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(web_app):
    """The app on a loopback port (uvicorn in a thread), for the browser tests."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(web_app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started:
        if time.time() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
