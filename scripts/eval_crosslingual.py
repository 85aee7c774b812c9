"""Cross-lingual retrieval: English queries for Russian news and the reverse.

Collection (ingested with the real reader into one store per model):
``news_ru/web_excerpts`` (31 Russian excerpts), ``news_en/web_excerpts`` (12
English excerpts) and, as Russian distractors, ``news_ru/telegram_nktkln_2024/
DERIVED_sanctions_keyword_posts.jsonl`` (216 posts). Queries and judgements:
``corpus/gold/crosslingual_en_ru.jsonl`` (21 English queries, each describing
one or more Russian excerpts) and ``crosslingual_ru_en.jsonl`` (10 Russian
queries for English excerpts); relevance is by record id (``source_id``).

Reports MRR@10 (document level: a document's rank is its best passage's) per
model, direction and mode, without a filter and with ``--lang`` set to the
target language (how one asks for "Russian coverage of ...").

    python scripts/eval_crosslingual.py [--models minilm use-m3] [--workdir DIR]

With ``--store DIR`` it measures instead on a real store's own index (the
whole corpus: ~5,000 Telegram posts around the targets) with the larger set
``corpus/gold/crosslingual_corpus_{en_ru,ru_en}.jsonl``: 45 English
questions whose answers are Russian posts or excerpts and 54 Russian
questions about English articles, reports and regulations (ruen-25..54 were
written before the fusion below was tuned), plus the same-language controls
``samelang_corpus.jsonl`` (15 Russian questions for Russian posts, 15
English questions for English documents: ``ru_ru``, ``en_en``), so that a
fusion that helps one direction by burying the query's own language shows
it. Relevance is by
record id (``source_id``) or, for files holding one document, the file name;
a hit counts when any document of its story (near-duplicates) is relevant.
``hybrid`` is the default (prose lists, translated words and the language
gate of :mod:`nlp.index.crosslingual`), ``hybrid-no-xlex`` is hybrid without
them. ``check ...`` rows are the check set
``crosslingual_corpus_fresh.jsonl`` (13 RU->EN, 12 EN->RU questions written
before the current fusion was chosen). ``latency`` is the per-query time of
``search`` in one process (see :func:`query_latency`). The store is only
read.

    python scripts/eval_crosslingual.py --store STORE_DIR
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp import settings  # noqa: E402
from nlp.index.build import sync_index  # noqa: E402
from nlp.index.search import Filters, SearchIndex  # noqa: E402
from nlp.ingest import ingest  # noqa: E402
from nlp.store import Store  # noqa: E402

COLLECTION = (
    "news_ru/web_excerpts/ru_sanctions_reexport_news_excerpts.jsonl",
    "news_en/web_excerpts/en_kz_reexport_news_excerpts.jsonl",
    "news_ru/telegram_nktkln_2024/DERIVED_sanctions_keyword_posts.jsonl",
)
GOLD = ("crosslingual_en_ru.jsonl", "crosslingual_ru_en.jsonl")


def mrr_at(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    for rank, doc in enumerate(ranked[:k], 1):
        if doc in relevant:
            return 1.0 / rank
    return 0.0


CORPUS_GOLD = ("crosslingual_corpus_en_ru.jsonl", "crosslingual_corpus_ru_en.jsonl")
# Controls: the same kind of questions asked in the answer's own language.
SAME_LANGUAGE_GOLD = "samelang_corpus.jsonl"
# Check set written before the fusion weights were chosen (reported apart).
CHECK_GOLD = "crosslingual_corpus_fresh.jsonl"


def eval_store(store_dir: Path) -> dict:
    """MRR@10 on a real store's index, per direction and mode, no language filter."""
    from nlp.store import Store

    with Store(store_dir, read_only=True) as store:
        sources = store.document_sources()
    keys: dict[str, set[str]] = {}
    for doc_id, path, source_id in sources:
        keys[doc_id] = {str(source_id)} if source_id is not None else {Path(path).name}
    results: dict = {"store": str(store_dir)}
    with SearchIndex(store_dir) as index:
        results["model"] = index.manifest.model
        results["passages"] = index.manifest.passages
        sets: dict[str, list[dict]] = {}
        for name in (*CORPUS_GOLD, SAME_LANGUAGE_GOLD, CHECK_GOLD):
            prefix = "check " if name == CHECK_GOLD else ""
            for line in (ROOT / "corpus" / "gold" / name).open(encoding="utf-8"):
                if line.strip():
                    query = json.loads(line)
                    sets.setdefault(f"{prefix}{query['lang']}_{query['target_lang']}", []).append(query)
        for direction, queries in sets.items():
            for mode, per_language, cross in (("hybrid", False, True), ("hybrid-no-xlex", False, False),
                                              ("dense", False, False), ("lexical", False, False)):
                started = time.perf_counter()
                hits = index.search_many([q["text"] for q in queries], k=10, mode=mode.split("-")[0],
                                         per_language=per_language, cross_lexical=cross)
                elapsed = time.perf_counter() - started
                scores, misses = [], []
                for query, found in zip(queries, hits):
                    relevant = set(query["relevant"])
                    rank = next((r for r, h in enumerate(found, 1) if
                                 any(keys.get(d, set()) & relevant
                                     for d in [h.doc_id, *(c["doc_id"] for c in h.also_published_as)])), None)
                    scores.append(1.0 / rank if rank else 0.0)
                    if rank is None:
                        misses.append(query["id"])
                results[f"{direction} {mode} MRR@10"] = round(sum(scores) / len(scores), 3)
                results[f"{direction} {mode} misses"] = misses
                results[f"{direction} {mode} ms/query"] = round(elapsed * 1000 / len(queries), 1)
            results[f"{direction} queries"] = len(queries)
        embedder = index.embedder
    texts = [q["text"] for qs in sets.values() for q in qs]
    with SearchIndex(store_dir, embedder=embedder) as fresh:  # nothing remembered yet
        results["latency"] = query_latency(fresh, texts)
    return results


def query_latency(index: SearchIndex, texts: list[str]) -> dict:
    """Per-query wall time of ``search`` (one query per call, one process,
    after one warm-up query), hybrid with the cross-language legs (first
    time each text is asked: its words' translations not yet remembered),
    the same again (remembered), and without the legs."""
    index.search("warm-up", k=10)
    out = {}
    for label, cross in (("hybrid", True), ("hybrid-again", True), ("hybrid-no-xlex", False)):
        times = []
        for text in texts:
            started = time.perf_counter()
            index.search_many([text], k=10, cross_lexical=cross)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        out[label] = {"median_ms": round(times[len(times) // 2], 1),
                      "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1), "queries": len(times)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=["minilm", "use-m3"])
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sanctions_eval_crosslingual")
    parser.add_argument("--store", type=Path, help="measure on this store's index with the corpus-wide set")
    args = parser.parse_args()
    if args.store:
        print(json.dumps(eval_store(args.store), indent=1, ensure_ascii=False))
        return

    corpus = settings.corpus_dir()
    files = [corpus / name for name in COLLECTION]
    if not all(f.exists() for f in files):
        sys.exit(f"corpus files missing under {corpus} (set SANCTIONS_SHARED)")
    gold = {name: [json.loads(l) for l in (ROOT / "corpus" / "gold" / name).open(encoding="utf-8") if l.strip()]
            for name in GOLD}
    results: dict = {"collection": [str(Path(n)) for n in COLLECTION]}
    for model in args.models:
        store_dir = args.workdir / model
        started = time.time()
        with Store(store_dir) as store:
            summary = ingest(files, store)
            if summary.failed:
                sys.exit(f"ingest failed: {summary.failures}")
            built = sync_index(store, model)
        results[model] = {"passages": built.passages, "documents": built.documents,
                          "build_seconds": round(time.time() - started, 1)}
        with SearchIndex(store_dir, model) as index:
            for name, queries in gold.items():
                direction = name.removeprefix("crosslingual_").removesuffix(".jsonl")
                target = queries[0]["target_lang"]
                for mode, lang in (("dense", None), ("lexical", None), ("hybrid", None),
                                   ("hybrid-no-xlex", None), ("hybrid-per-language", None),
                                   ("dense", target), ("hybrid", target)):
                    hits = index.search_many([q["text"] for q in queries], k=50,
                                             mode=mode.split("-")[0], filters=Filters(lang=lang),
                                             per_language=mode.endswith("-per-language"),
                                             cross_lexical=not mode.endswith("-no-xlex"))
                    scores = []
                    for query, found in zip(queries, hits):
                        ranked, seen = [], set()
                        for h in found:
                            if h.source_id not in seen:
                                seen.add(h.source_id)
                                ranked.append(h.source_id)
                        scores.append(mrr_at(ranked, set(query["relevant"])))
                    label = f"{direction} {mode}" + (f" --lang {lang}" if lang else "")
                    results[model][f"{label} MRR@10"] = round(sum(scores) / len(scores), 3)
        print(model, results[model], file=sys.stderr)
    print(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
