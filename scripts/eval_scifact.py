"""SciFact (BEIR) retrieval quality through the real ingest -> index -> search path.

Ingests ``<eval>/scifact/corpus.jsonl`` into a store (the json-records reader
keeps each abstract's ``_id`` as ``source_id``), builds the index, runs the
training claims through :meth:`SearchIndex.search_many` in each mode and
scores documents (a document's rank = its best passage's rank) with
nDCG@10 and Recall@100 against ``qrels/train.tsv``.

    python scripts/eval_scifact.py [--model minilm] [--workdir DIR] [--tune] [--limit N]

``--tune`` also grids the fusion parameters (RRF k, dense weight) on the same
claims, reusing one set of candidate lists. The store and index are kept in
``--workdir`` (default: a folder under the system temp dir) and reused.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import settings  # noqa: E402
from nlp.index.build import sync_index  # noqa: E402
from nlp.index.fusion import DENSE_WEIGHT, LEXICAL_WEIGHT, RRF_K, reciprocal_rank_fusion  # noqa: E402
from nlp.index.search import SearchIndex  # noqa: E402
from nlp.ingest import ingest  # noqa: E402
from nlp.store import Store  # noqa: E402


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        parts = line.split("\t")
        if number == 0 and not parts[-1].strip().isdigit():
            continue
        if len(parts) >= 3 and int(parts[2]) > 0:
            qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return qrels


def ndcg_at(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    dcg = sum(relevant.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked: list[str], relevant: dict[str, int], k: int = 100) -> float:
    return len(set(ranked[:k]) & set(relevant)) / len(relevant) if relevant else 0.0


def documents_of(source_ids: list[str | None], limit: int = 100) -> list[str]:
    """Passage ranking -> document ranking (first occurrence wins)."""
    out, seen = [], set()
    for sid in source_ids:
        if sid is not None and sid not in seen:
            seen.add(sid)
            out.append(sid)
            if len(out) == limit:
                break
    return out


def score(rankings: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    ids = [q for q in qrels if q in rankings]
    return {"ndcg@10": round(sum(ndcg_at(rankings[q], qrels[q]) for q in ids) / len(ids), 4),
            "recall@100": round(sum(recall_at(rankings[q], qrels[q]) for q in ids) / len(ids), 4),
            "queries": len(ids)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sanctions_eval_scifact")
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--limit", type=int, default=0, help="only the first N claims (quick runs)")
    args = parser.parse_args()

    data = settings.eval_dir() / "scifact"
    if not (data / "corpus.jsonl").exists():
        sys.exit(f"SciFact not found under {data} (set SANCTIONS_SHARED)")
    store_dir = args.workdir / args.model
    started = time.time()
    with Store(store_dir) as store:
        summary = ingest([data / "corpus.jsonl"], store)
        if summary.failed:
            sys.exit(f"ingest failed: {summary.failures}")
        built = sync_index(store, args.model)
    print(f"store+index: {built.passages} passages from {built.documents} documents "
          f"({built.dense_kind}), {time.time() - started:.0f} s", file=sys.stderr)

    qrels = load_qrels(data / "qrels" / "train.tsv")
    queries = [json.loads(line) for line in (data / "queries_train.jsonl").open(encoding="utf-8") if line.strip()]
    queries = [q for q in queries if str(q["_id"]) in qrels]
    if args.limit:
        queries = queries[:args.limit]
    texts, qids = [q["text"] for q in queries], [str(q["_id"]) for q in queries]

    results = {"model": args.model, "passages": built.passages, "documents": built.documents,
               "fusion": {"rrf_k": RRF_K, "dense_weight": DENSE_WEIGHT, "lexical_weight": LEXICAL_WEIGHT}}
    with SearchIndex(store_dir, args.model) as index:
        for mode in ("lexical", "dense", "hybrid"):
            t = time.time()
            hits = index.search_many(texts, k=300, mode=mode)
            rankings = {q: documents_of([h.source_id for h in hs]) for q, hs in zip(qids, hits)}
            results[mode] = score(rankings, qrels)
            results[mode]["seconds"] = round(time.time() - t, 1)
            print(mode, results[mode], file=sys.stderr)
        if args.tune:
            vectors = index.embedder.encode(texts)
            dense = index.dense_ranking(vectors, 300, None)
            lexical = [index.lexical_ranking(t, 300, None) for t in texts]
            rows = index.db.execute("SELECT id, source_id FROM passages").fetchall()
            sid = dict(rows)
            grid = []
            for k in (5, 10, 20, 40, 60, 100):
                for w in (0.5, 0.75, 1.0, 1.25, 1.5, 2.0):
                    rankings = {}
                    for q, d, l in zip(qids, dense, lexical):
                        fused = reciprocal_rank_fusion([[i for i, _ in d], [i for i, _ in l]], [w, 1.0], k)
                        rankings[q] = documents_of([sid[i] for i, _ in fused])
                    grid.append({"rrf_k": k, "dense_weight": w, **score(rankings, qrels)})
            grid.sort(key=lambda r: -r["ndcg@10"])
            results["tuning_top5"] = grid[:5]
            print("tuning", grid[:5], file=sys.stderr)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
