"""Latency and throughput on a real store: filtered search, CLI answers, index stages.

Used by ``python scripts/bench_search.py --store DIR`` (run it on a COPY of a
store: the CLI and server runs add the list matcher's stored index and the
near-duplicate tables when they are missing).

1. **Filtered search** through ``SearchIndex`` (models loaded once, hybrid
   mode, k=10): for each filter (country by code and by English/Russian
   name, entity with a typographic apostrophe, dates, HS code, CHP tier,
   combinations) the time to resolve the filter to passage ids and the time
   of the whole query, p50/p95 over the sample queries.
2. **CLI** wall time of ``sanctions search`` and ``sanctions match`` as new
   processes: without a server (everything loads in the process) and with a
   running ``sanctions serve`` over the same store (the CLI forwards).
3. **Index stages** on a sample of stored documents: chunking, embedding,
   BM25 build and filter-table rows, in documents or passages per second.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.index.embed import HashingEmbedder  # noqa: E402
from nlp.index.filters import Filters  # noqa: E402
from nlp.index.search import SearchIndex  # noqa: E402

QUERIES = [
    "re-export of dual-use goods through Kazakhstan",
    "санкции против Газпромбанка",
    "microchips shipped to Russia",
    "экспорт беспилотников в Россию",
    "EU sanctions package oil tankers",
    "параллельный импорт автомобилей",
    "Common High Priority items tier 1",
    "Kyrgyz companies sanctioned by the United States",
]
FILTERS = [
    ("none", Filters()),
    ("country=KZ", Filters(country="KZ")),
    ("country=RU", Filters(country="RU")),
    ("country=Kazakhstan", Filters(country="Kazakhstan")),
    ("country=Казахстана", Filters(country="Казахстана")),
    ("entity=David O'Sullivan", Filters(entity="David O'Sullivan")),
    ("since=2024-06-01", Filters(since="2024-06-01")),
    ("since=2024-11 until=2024-11", Filters(since="2024-11", until="2024-11")),
    ("hs=8542", Filters(hs="8542")),
    ("tier=1", Filters(chp_tier="1")),
    ("lang=ru country=KZ", Filters(lang="ru", country="KZ")),
    ("kind=news since=2024 country=RU", Filters(kind="news", since="2024", country="RU")),
]


def pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(np.array(values) * 1000, q)), 1)


class StandInEmbedder(HashingEmbedder):
    """For timing filters on a whole-corpus index without hours of model
    embedding on a shared CPU: hashed stemmed terms in 384 dimensions (the
    real models' size), chunked at the real models' 256-token window. The
    ranking is meaningless; the filter and search work is the real one.
    The real query-embedding time is measured apart (``query_embedding``)."""

    name = "stand-in-384"
    dim = 384
    max_tokens = 256

    def count_tokens(self, texts):
        return [int(len(t.split()) * 1.4) + 1 for t in texts]


def query_embedding(model: str) -> dict:
    from nlp.index.embed import get_embedder

    embedder = get_embedder(model)
    embedder.encode(["warm up"])
    times = []
    for query in QUERIES:
        started = time.perf_counter()
        embedder.encode([query])
        times.append(time.perf_counter() - started)
    return {"model": model, "ms_p50": pct(times, 50), "ms_p95": pct(times, 95)}


def filtered_search(store_dir: Path, repeats: int = 3, embedder=None) -> dict:
    out: dict = {}
    with SearchIndex(store_dir, embedder=embedder) as index:
        index.search("warm up", k=10)
        out["model"], out["passages"] = index.manifest.model, index.manifest.passages
        for label, filters in FILTERS:
            resolve, total = [], []
            allowed = None
            for _ in range(repeats):
                started = time.perf_counter()
                allowed = index.allowed_ids(filters)
                resolve.append(time.perf_counter() - started)
            hits = 0
            for query in QUERIES:
                started = time.perf_counter()
                hits += len(index.search(query, k=10, filters=filters))
                total.append(time.perf_counter() - started)
            out[label] = {"allowed_passages": None if allowed is None else int(len(allowed)),
                          "filter_ms_p50": pct(resolve, 50), "query_ms_p50": pct(total, 50),
                          "query_ms_p95": pct(total, 95), "query_ms_max": round(max(total) * 1000, 1),
                          "hits_per_query": round(hits / len(QUERIES), 1)}
            print(label, out[label], file=sys.stderr)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "nlp", *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {done.stderr.strip()[-300:]}")
    return elapsed


def cli_latency(store_dir: Path, runs: int = 3, with_search: bool = True) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SANCTIONS_SERVER": "off"}
    search = ["search", "re-export of dual-use goods through Kazakhstan", "--store", str(store_dir), "--json",
              "--country", "KZ"]
    match = ["match", "Roman Abramovich", "--store", str(store_dir), "--json"]
    out: dict = {"local_process": {
        "search_s": [round(_cli(search, env), 2) for _ in range(2)] if with_search else None,
        "match_s": [round(_cli(match, env), 2) for _ in range(2)]}}
    print("local", out["local_process"], file=sys.stderr)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "nlp", "serve", "--store", str(store_dir), "--port", str(port),
                               "--log-level", "warning"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        started = time.perf_counter()
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1).read()
                break
            except OSError:
                if time.perf_counter() - started > 600 or server.poll() is not None:
                    raise RuntimeError("the server did not come up") from None
                time.sleep(0.5)
        served = {**env, "SANCTIONS_SERVER": f"http://127.0.0.1:{port}"}
        out["server_start_s"] = round(time.perf_counter() - started, 1)
        while True:  # the server loads its models in the background: time the steady state
            health = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=10).read())
            if not health.get("warm_up") or health["warm_up"].get("done") or time.perf_counter() - started > 600:
                break
            time.sleep(0.5)
        out["server_warm_up_s"] = round(time.perf_counter() - started, 1)
        first_search = _cli(search, served) if with_search else float("nan")
        first_match = _cli(match, served)
        searches = [_cli(search, served) for _ in range(runs)] if with_search else []
        listings = [_cli([a for a in search if a != "--json"], served) for _ in range(runs)] if with_search else []
        matches = [_cli(match, served) for _ in range(runs)]
        out["via_server"] = {"first_search_s": round(first_search, 2), "first_match_s": round(first_match, 2),
                             "search_s": [round(x, 2) for x in searches],
                             "search_listing_s": [round(x, 2) for x in listings],
                             "match_s": [round(x, 2) for x in matches], "load_average": os.getloadavg()}
        # The CLI process itself (Python start, imports) is part of these
        # wall times; the server's own answer time:
        url = f"http://127.0.0.1:{port}"
        api = []
        for _ in range(runs if with_search else 0):
            t = time.perf_counter()
            urllib.request.urlopen(f"{url}/api/search?q=re-export+Kazakhstan&country=KZ&k=10", timeout=60).read()
            api.append(time.perf_counter() - t)
        api_match = []
        for _ in range(runs):
            t = time.perf_counter()
            urllib.request.urlopen(f"{url}/api/match?name=Roman+Abramovich", timeout=60).read()
            api_match.append(time.perf_counter() - t)
        out["server_answer_ms"] = {"search": [round(x * 1000, 1) for x in api],
                                   "match": [round(x * 1000, 1) for x in api_match]}
        print("server", out, file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return out


def index_stages(store_dir: Path, n_docs: int = 200) -> dict:
    """Per-stage throughput of indexing, on the first ``n_docs`` news documents."""
    from nlp.countries import find_countries
    from nlp.index import lexical
    from nlp.index.embed import get_embedder
    from nlp.index.facets import PassageSpan, passage_rows
    from nlp.index.lexical import Bm25Index
    from nlp.index.passages import chunk_document
    from nlp.store import Store

    store = Store(store_dir)
    with SearchIndex(store_dir) as index:
        model = index.manifest.model
    embedder = get_embedder(model)
    doc_ids = store.doc_ids("news")[:n_docs]
    docs = [store.document(d) for d in doc_ids]
    t = time.perf_counter()
    passages = [(doc, chunk_document(doc, embedder.count_tokens, embedder.max_tokens)) for doc in docs]
    chunk_s = time.perf_counter() - t
    texts = [p.embed_text for _, ps in passages for p in ps]
    t = time.perf_counter()
    embedder.encode(texts)
    embed_s = time.perf_counter() - t
    t = time.perf_counter()
    Bm25Index.build(list(range(len(texts))), [lexical.terms(x) for x in texts])
    bm25_s = time.perf_counter() - t
    t = time.perf_counter()
    rows = 0
    pid = 0
    for doc, ps in passages:
        spans = []
        for p in ps:
            spans.append(PassageSpan(pid, p.start, p.end, p.text, doc.published))
            pid += 1
        facets, dates = passage_rows(spans, store.annotations(doc.doc_id))
        rows += len(facets) + len(dates)
    facets_s = time.perf_counter() - t
    t = time.perf_counter()
    for x in texts:
        find_countries(x)
    countries_s = time.perf_counter() - t
    store.close()
    n_p = len(texts)
    return {"model": model, "documents": len(docs), "passages": n_p,
            "chunk_docs_per_s": round(len(docs) / chunk_s, 1),
            "embed_passages_per_s": round(n_p / embed_s, 1),
            "bm25_passages_per_s": round(n_p / bm25_s, 1),
            "filter_rows_docs_per_s": round(len(docs) / facets_s, 1), "filter_rows": rows,
            "of_which_country_names_passages_per_s": round(n_p / countries_s, 1)}


def store_report(store_dir: Path, *, cli: bool = True, stages: bool = True, stand_in: bool = False) -> dict:
    """``stand_in``: the store's index was built with :class:`StandInEmbedder`
    (see :func:`build_stand_in_index`); the CLI then times ``match`` only."""
    embedder = StandInEmbedder() if stand_in else None
    report: dict = {"filtered_search": filtered_search(store_dir, embedder=embedder)}
    if stand_in:
        report["query_embedding"] = query_embedding("use-m3")
    if stages and not stand_in:
        report["index_stages"] = index_stages(store_dir)
        print("stages", report["index_stages"], file=sys.stderr)
    if cli:
        report["cli"] = cli_latency(store_dir, with_search=not stand_in)
    return report


def build_stand_in_index(store_dir: Path) -> dict:
    """Index a store with :class:`StandInEmbedder`, timing the whole build."""
    from nlp.index.build import sync_index
    from nlp.store import Store

    store = Store(store_dir)
    started = time.perf_counter()
    summary = sync_index(store, embedder=StandInEmbedder(), rebuild=True)
    store.close()
    return {**summary.to_dict(), "wall_s": round(time.perf_counter() - started, 1)}


if __name__ == "__main__":
    print(json.dumps(store_report(Path(sys.argv[1])), indent=1, ensure_ascii=False))
