#!/usr/bin/env python
"""Where a web request's time goes: search and tag, stage by stage, in one process.

    python scripts/profile_serve.py --store DIR [--rounds 3]

Search (the bench's queries): the query embedding (a model call), the
index search with the vector cached (dense + BM25 + fusion + SQL rows), of
it the cross-language plan (word translation, the dense and translated-word
lists of each language), the snippets with highlights, and the whole
backend call for a new query in wall time and in CPU time of this process
(CPU time is the figure least moved by other jobs on the machine). Tag (the
bench's articles): the extraction models, then the rest (list matching, claim detection and verification,
topics). Medians in milliseconds. Single thread, no HTTP: the load test is
``scripts/bench_serve.py``. Figures depend on the machine's load (printed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from bench_serve import ARTICLES, QUERIES  # noqa: E402


def median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from nlp.extract.pipeline import extract_many, job_for_document
    from nlp.index.commands import _word_term as word_term
    from nlp.index.commands import snippet as plain_snippet
    from nlp.index.current import using_index
    from nlp.index.search import Filters
    from nlp.serve import actions, fast
    from nlp.serve.backend import Backend
    from nlp.serve.checks import SearchRequest
    from nlp.settings import offline_models
    from nlp.tag.tagging import article_document, tag_extracted

    offline_models()
    backend = Backend(args.store)
    actions.search(backend, SearchRequest(query=QUERIES[0]))  # loads the model and the index
    with using_index(backend.store_dir, backend.embedder) as index:
        pass
    inner = index.embedder.inner
    stages: dict[str, list[float]] = {k: [] for k in (
        "search: query embedding (model call)", "search: index search, vector cached",
        "search: snippets, per-word stems cached", "search: snippets, uncached (before)",
        "search: whole backend call, query seen before", "search: whole backend call, new query",
        "search: of the index search, cross-language plan", "search: whole backend call, new query, CPU time")}
    legs = index.crosslingual_plan

    def timed_legs(*args, **kwargs):
        started = time.perf_counter()
        try:
            return legs(*args, **kwargs)
        finally:
            stages["search: of the index search, cross-language plan"].append(time.perf_counter() - started)

    index.crosslingual_plan = timed_legs  # type: ignore[method-assign]
    for round_ in range(args.rounds):
        for query in QUERIES:
            text = f"{query} {round_}"
            started = time.perf_counter()
            inner.encode([text])
            stages["search: query embedding (model call)"].append(time.perf_counter() - started)
            index.embedder.encode([query])
            started = time.perf_counter()
            hits = index.search(query, k=10, filters=Filters())
            stages["search: index search, vector cached"].append(time.perf_counter() - started)
            started = time.perf_counter()
            for hit in hits:
                fast.snippet(hit.text, query)
            stages["search: snippets, per-word stems cached"].append(time.perf_counter() - started)
            started = time.perf_counter()
            for hit in hits:
                word_term.cache_clear()  # as before the stem cache existed
                plain_snippet(hit.text, query)
            stages["search: snippets, uncached (before)"].append(time.perf_counter() - started)
            started = time.perf_counter()
            actions.search(backend, SearchRequest(query=query))
            stages["search: whole backend call, query seen before"].append(time.perf_counter() - started)
            started, cpu = time.perf_counter(), time.process_time()
            actions.search(backend, SearchRequest(query=f"{query} {round_} new"))
            stages["search: whole backend call, new query"].append(time.perf_counter() - started)
            stages["search: whole backend call, new query, CPU time"].append(time.process_time() - cpu)

    tag_stages: dict[str, list[float]] = {"tag: extraction models": [], "tag: list matching, claims, topics": []}
    reference = dt.date(2023, 6, 1).isoformat()
    for round_ in range(args.rounds):
        for article in ARTICLES:
            doc = article_document(f"{article} Round {round_}.", published=reference)
            job = job_for_document(doc, doc.lang, reference)
            started = time.perf_counter()
            record = extract_many([job])[0]
            tag_stages["tag: extraction models"].append(time.perf_counter() - started)
            started = time.perf_counter()
            tag_extracted(doc, record, backend.store, published=reference, store_it=False)
            tag_stages["tag: list matching, claims, topics"].append(time.perf_counter() - started)
    report = {"command": "python scripts/profile_serve.py " + " ".join(sys.argv[1:]), "store": str(args.store),
              "cores": os.cpu_count(), "load_average": os.getloadavg(),
              "median_ms": {k: median_ms(v) for k, v in {**stages, **tag_stages}.items()}}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
