"""Evaluate claim framing and verification on two sets.

* **template set** ``corpus/gold/claims_gold.jsonl`` (built by
  ``scripts/build_claims_gold.py``): a store is built from ``corpus/samples``
  (the facts-only Comext extract the set was computed from); per-field frame
  accuracy and verdict accuracy, per language.
* **natural development set** ``$SANCTIONS_SHARED/eval/claims_natural_dev/``:
  statements phrased the way news stories and officials write them, with
  verdicts computed from the Comext workbooks in
  ``$SANCTIONS_SHARED/corpus/trade_stats/eu_eurostat_comext_ruimpeks/``. A
  store is built from those workbooks (or ``--natural-store DIR`` reuses
  one); verdict accuracy overall and by language, measure, period type and
  product naming. Skipped with a message when the shared folder is absent.

Both run the real ``verify_statement`` path (no evidence look-up) and write
their runs to ``corpus/eval_runs/`` so later changes can be diffed.

    python scripts/eval_claims.py [--set template|natural|both] [--store DIR]
                                  [--natural-store DIR] [--natural-file JSONL] [--show-errors]
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

from nlp import settings  # noqa: E402
from nlp.ingest import ingest  # noqa: E402
from nlp.link import verify_statement  # noqa: E402
from nlp.store import Store  # noqa: E402

GOLD = REPO / "corpus" / "gold" / "claims_gold.jsonl"
RUN = REPO / "corpus" / "eval_runs" / "claims_run.jsonl"
NATURAL_RUN = REPO / "corpus" / "eval_runs" / "claims_natural_run.jsonl"
FIELDS = ("flow", "reporter", "partner", "transit", "direction", "codes", "period", "baseline")
COMEXT = Path("corpus") / "trade_stats" / "eu_eurostat_comext_ruimpeks"


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


def run_template(store_dir: Path | None, show_errors: bool) -> None:
    gold = [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(store_dir or Path(tmp) / "store")
        if not store_dir:
            ingest([REPO / "corpus" / "samples"], store)
        correct: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        totals: dict[str, int] = defaultdict(int)
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
                if show_errors and (result["verdict"] != expected["verdict"] or
                                    not all(field_ok(n, expected, predicted) for n in FIELDS)):
                    wrong = {n: (expected.get(n), predicted[n]) for n in FIELDS
                             if not field_ok(n, expected, predicted)}
                    print(f"- {item['id']}: verdict {result['verdict']} (expected {expected['verdict']}); "
                          f"{wrong}; {result['explanation'][:160]}", file=sys.stderr)
                run.write(json.dumps({"id": item["id"], "verdict": result["verdict"], "frame": predicted,
                                      "figures": result["figures"]}, ensure_ascii=False) + "\n")
        store.close()
    print("Template set (corpus/gold/claims_gold.jsonl)\n")
    print("| subset | claims | verdict acc. | " + " | ".join(FIELDS) + " |")
    print("|---|---|---|" + "---|" * len(FIELDS))
    for lang in ("en", "ru", "all"):
        n = totals[lang]
        cells = [f"{correct[lang][f] / n:.3f}" for f in FIELDS]
        print(f"| {lang} | {n} | {correct[lang]['verdict'] / n:.3f} | " + " | ".join(cells) + " |")


def _months(frame_period: dict | None) -> str | None:
    if not frame_period or not frame_period.get("interval"):
        return None
    first, last = frame_period["interval"]
    return f"{(first or '?')[:7]}..{(last or '?')[:7]}"


def run_natural(store_dir: Path | None, show_errors: bool, natural_file: Path | None = None) -> None:
    statements = natural_file or settings.eval_dir() / "claims_natural_dev" / "claims_dev.jsonl"
    workbooks = settings.corpus_dir() / COMEXT.relative_to("corpus")
    if not statements.exists() or not workbooks.exists():
        print(f"Natural statements: skipped ({statements} or {workbooks} not found; "
              "set SANCTIONS_SHARED)")
        return
    items = [json.loads(line) for line in statements.open(encoding="utf-8")]
    run_path = NATURAL_RUN if natural_file is None else NATURAL_RUN.with_name(f"claims_{statements.stem}_run.jsonl")
    groups: tuple[str, ...] = ("lang", "measure_kind", "period_type", "product_named_by", "expected")
    if all("batch" in item for item in items):
        groups += ("batch",)
    hits: dict[str, dict[str, list[int]]] = {g: defaultdict(lambda: [0, 0]) for g in groups}
    total = [0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(store_dir or Path(tmp) / "store")
        if not store_dir or not store.totals()["trade_facts"]:
            ingest([workbooks], store)
        run_path.parent.mkdir(parents=True, exist_ok=True)
        with run_path.open("w", encoding="utf-8") as run:
            for item in items:
                result = verify_statement(item["claim"], store, published=item["published"],
                                          lang=item["lang"], with_evidence=False)
                ok = result["verdict"] == item["expected"]
                total[0] += ok
                total[1] += 1
                for g in groups:
                    hits[g][item[g]][0] += ok
                    hits[g][item[g]][1] += 1
                frame = result["frame"]
                row = {"id": item["id"], "expected": item["expected"], "verdict": result["verdict"],
                       "codes": (frame.get("subject") or {}).get("codes"),
                       "window": _months(frame.get("period")), "baseline": _months(frame.get("baseline")),
                       "measure": frame.get("measure"), "figures": result["figures"],
                       "explanation": result["explanation"]}
                run.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                if show_errors and not ok:
                    print(f"- {item['id']}: {result['verdict']} (expected {item['expected']}; "
                          f"{item['product_hs6']} {item['window']} vs {item['baseline']}, "
                          f"{item['measure_kind']}) got codes {row['codes']} {row['window']} vs "
                          f"{row['baseline']}; {result['explanation'][:200]}", file=sys.stderr)
        store.close()
    print(f"\nNatural statements {statements.name} ({len(items)}): verdict accuracy "
          f"{total[0] / total[1]:.3f} ({total[0]}/{total[1]})")
    for g in groups:
        print(f"\n| {g} | n | accuracy |\n|---|---|---|")
        for key, (good, n) in sorted(hits[g].items()):
            print(f"| {key} | {n} | {good / n:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("template", "natural", "both"), default="both")
    parser.add_argument("--store", type=Path, help="template set: use this store instead of a fresh one")
    parser.add_argument("--natural-store", type=Path,
                        help="natural set: use (or fill once) this store of the Comext workbooks")
    parser.add_argument("--natural-file", type=Path,
                        help="natural set: score these statements (same record format) instead of the "
                             "development set, e.g. corpus/gold/claims_natural_check.jsonl")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    if args.set in ("template", "both"):
        run_template(args.store, args.show_errors)
    if args.set in ("natural", "both"):
        run_natural(args.natural_store, args.show_errors, args.natural_file)


if __name__ == "__main__":
    main()
