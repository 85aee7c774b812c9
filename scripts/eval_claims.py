"""Evaluate claim framing and verification on ``corpus/gold/claims_gold.jsonl``.

Builds a store from ``corpus/samples`` (the facts-only Comext extract the gold
set was computed from, see ``scripts/build_claims_gold.py``), runs the real
``verify_statement`` path on every gold claim (no evidence look-up), and
reports per-field frame accuracy and verdict accuracy, per language. Writes
the run to ``corpus/eval_runs/claims_run.jsonl`` so later changes can be
diffed against it.

    python scripts/eval_claims.py [--store DIR] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nlp.ingest import ingest  # noqa: E402
from nlp.link import verify_statement  # noqa: E402
from nlp.store import Store  # noqa: E402

GOLD = REPO / "corpus" / "gold" / "claims_gold.jsonl"
RUN = REPO / "corpus" / "eval_runs" / "claims_run.jsonl"
FIELDS = ("flow", "reporter", "partner", "transit", "direction", "codes", "period", "baseline")


def predicted_fields(result: dict) -> dict:
    frame = result["frame"]
    subject = frame.get("subject") or {}
    return {
        "flow": frame.get("flow"), "reporter": frame.get("reporter"), "partner": frame.get("partner"),
        "transit": frame.get("transit"), "direction": frame.get("direction"),
        "codes": sorted(subject["codes"]) if subject.get("codes") else None,
        "item_set": subject.get("item_set"),
        "period": (frame.get("period") or {}).get("interval"),
        "baseline": (frame.get("baseline") or {}).get("interval"),
    }


def field_ok(name: str, expected: dict, predicted: dict) -> bool:
    if name == "codes":
        if expected.get("item_set"):
            return predicted.get("item_set") == expected["item_set"]
        return predicted["codes"] == sorted(expected["codes"] or [])
    return predicted[name] == expected.get(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="use this store instead of a fresh one")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    gold = [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(args.store or Path(tmp) / "store")
        if not args.store:
            ingest([REPO / "corpus" / "samples"], store)
        correct = defaultdict(lambda: defaultdict(int))
        totals = defaultdict(int)
        RUN.parent.mkdir(parents=True, exist_ok=True)
        with RUN.open("w", encoding="utf-8") as run:
            for item in gold:
                result = verify_statement(item["claim"], store, published=item["published"],
                                          lang=item["lang"], with_evidence=False)
                predicted = predicted_fields(result)
                expected = item["expected"]
                for lang in (item["lang"], "all"):
                    totals[lang] += 1
                    for name in FIELDS:
                        correct[lang][name] += field_ok(name, expected, predicted)
                    correct[lang]["verdict"] += result["verdict"] == expected["verdict"]
                if args.show_errors and (result["verdict"] != expected["verdict"] or
                                         not all(field_ok(n, expected, predicted) for n in FIELDS)):
                    wrong = {n: (expected.get(n), predicted[n]) for n in FIELDS
                             if not field_ok(n, expected, predicted)}
                    print(f"- {item['id']}: verdict {result['verdict']} (expected {expected['verdict']}); "
                          f"{wrong}; {result['explanation'][:160]}", file=sys.stderr)
                run.write(json.dumps({"id": item["id"], "verdict": result["verdict"], "frame": predicted,
                                      "figures": result["figures"]}, ensure_ascii=False) + "\n")
        store.close()
    print("| subset | claims | verdict acc. | " + " | ".join(FIELDS) + " |")
    print("|---|---|---|" + "---|" * len(FIELDS))
    for lang in ("en", "ru", "all"):
        n = totals[lang]
        cells = [f"{correct[lang][f] / n:.3f}" for f in FIELDS]
        print(f"| {lang} | {n} | {correct[lang]['verdict'] / n:.3f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
