"""Where one tagging process spends its CPU per 800-word article, stage by stage.

    python scripts/profile_tag.py --store STORE [--articles 52] [--batch 8]

Tags the English news windows of ``scripts/bench_tag.py`` in batches, as one
``tag-batch`` worker does (:func:`nlp.tag.batch._worker_batch`, after
:func:`nlp.tag.tagging.warm_up`), and prints the process CPU milliseconds per
article of the whole and of each stage (stages nest: the entity model is part
of the entities, the entities part of extraction). Each stage is timed by
wrapping its function for the run; nothing is stored. CPU time, not wall time:
other jobs on the machine change it less.
"""

from __future__ import annotations

import argparse
import collections
import functools
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_tag import english_windows  # noqa: E402

from nlp import settings  # noqa: E402

# (module, function, stage label)
STAGES = [
    ("nlp.extract.pipeline", "extract_many", "extraction (entities + layers)"),
    ("nlp.extract.pipeline", "find_entities_batch", "  entities (model + rules + gazetteers)"),
    ("nlp.extract.entities", "_spacy_entities", "    English entity model (spaCy)"),
    ("nlp.extract.pipeline", "_run_layers", "  layers (HS codes, dates, citations)"),
    ("nlp.extract.components", "find_dates", "    dates"),
    ("nlp.extract.components", "find_hs_codes", "    HS codes"),
    ("nlp.extract.components", "find_citations", "    citations"),
    ("nlp.tag.tagging", "match_entity", "list matching"),
    ("nlp.link.frames", "detect_claims", "claim detection"),
    ("nlp.link.verify", "verify_frame", "claim verification (store)"),
    ("nlp.tag.tagging", "topics", "topics"),
    ("nlp.tag.tagging", "country_of", "countries"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a store that holds the lists")
    parser.add_argument("--articles", type=int, default=52)
    parser.add_argument("--batch", type=int, default=8)
    args = parser.parse_args()

    import importlib

    from nlp.tag import batch

    settings.offline_models()
    windows = english_windows(settings.corpus_dir(), args.articles)
    articles = [{"text": w, "lang": "en", "published": "2025-01-01"} for w in windows]
    batch._init_worker(str(args.store))  # opens the store, warms everything up
    spent: collections.Counter[str] = collections.Counter()
    for module_name, name, label in STAGES:
        module = importlib.import_module(module_name)
        original = getattr(module, name)

        def timed(*a, _f=original, _label=label, **k):
            started = time.process_time()
            try:
                return _f(*a, **k)
            finally:
                spent[_label] += time.process_time() - started

        setattr(module, name, functools.wraps(original)(timed))
    load_before = os.getloadavg()
    started = time.process_time()
    for i in range(0, len(articles), args.batch):
        batch._worker_batch(articles[i:i + args.batch])
    total = time.process_time() - started
    per = {label: round(1000 * spent[label] / len(articles), 1) for _, _, label in STAGES}
    print(json.dumps({"command": "python scripts/profile_tag.py " + " ".join(sys.argv[1:]),
                      "articles": len(articles), "load_average_before": load_before,
                      "cpu_ms_per_article": round(1000 * total / len(articles), 1),
                      "stages_cpu_ms_per_article": per,
                      "load_average_after": os.getloadavg()}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
