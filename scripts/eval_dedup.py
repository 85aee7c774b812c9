"""How near-duplicate detection behaves on a store: the containment of every
MinHash-LSH candidate pair, by bin, with examples to label by eye.

    python scripts/eval_dedup.py STORE_DIR [--examples 3] [--labels corpus/gold/dedup_pairs.jsonl]

Reads the store read-only (documents other than listings, trade tables,
reference data and corpus metadata). Prints one JSON object: pair counts per
containment bin, and for each bin a few pairs (doc ids, first words). With
``--labels`` (JSON Lines ``{"a", "b", "copy": true|false}``) it also prints
precision and recall of each threshold on the labelled pairs: how
``COPY_CONTAINMENT`` in ``nlp/ingest/dedup.py`` was chosen.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp.ingest.dedup import MIN_SHINGLES, candidate_pairs, containment, shingles, signature  # noqa: E402
from nlp.store import Store  # noqa: E402

BINS = [0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--labels", type=Path)
    args = parser.parse_args()
    rows = Store(args.store, read_only=True).signable_texts()
    started = time.perf_counter()
    grams = {doc_id: shingles(text) for doc_id, text in rows}
    signatures = {d: signature(g) for d, g in grams.items() if len(g) >= MIN_SHINGLES}
    signed = time.perf_counter()
    pairs = candidate_pairs(signatures)
    scored = sorted(((containment(grams[a], grams[b]), a, b) for a, b in pairs), reverse=True)
    finished = time.perf_counter()
    texts = dict(rows)
    report: dict = {"documents": len(rows), "signed": len(signatures), "candidate_pairs": len(pairs),
                    "seconds": {"shingle_and_sign": round(signed - started, 2),
                                "lsh_and_containment": round(finished - signed, 2)},
                    "docs_per_s": round(len(rows) / max(1e-9, finished - started), 1), "bins": []}
    for low, high in zip(BINS, BINS[1:]):
        inside = [p for p in scored if low <= p[0] < high]
        report["bins"].append({"containment": f"[{low:.2f}, {min(high, 1):.2f}{']' if high > 1 else ')'}",
                               "pairs": len(inside),
                               "examples": [{"score": round(s, 3), "a": a, "b": b,
                                             "a_start": " ".join(texts[a].split())[:90],
                                             "b_start": " ".join(texts[b].split())[:90]}
                                            for s, a, b in inside[:: max(1, len(inside) // max(1, args.examples))][:args.examples]]})
    if args.labels:
        labels = [json.loads(line) for line in args.labels.read_text(encoding="utf-8").splitlines() if line.strip()]
        score_of = {(min(a, b), max(a, b)): s for s, a, b in scored}
        rows_out = []
        for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
            tp = sum(1 for x in labels if x["copy"] and score_of.get((min(x["a"], x["b"]), max(x["a"], x["b"])), 0) >= threshold)
            fp = sum(1 for x in labels if not x["copy"] and score_of.get((min(x["a"], x["b"]), max(x["a"], x["b"])), 0) >= threshold)
            fn = sum(1 for x in labels if x["copy"]) - tp
            rows_out.append({"threshold": threshold, "precision": round(tp / (tp + fp), 3) if tp + fp else None,
                             "recall": round(tp / (tp + fn), 3) if tp + fn else None})
        report["labelled"] = {"pairs": len(labels), "by_threshold": rows_out}
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
