"""Precision, recall and F1 of the name matcher on labelled name pairs.

    python scripts/eval_names.py [FILE.csv] [--sweep] [--show-errors] [--calibrate]

FILE defaults to ``$SANCTIONS_SHARED/eval/names/name_pairs_dev.csv``
(columns ``name1,name2,schema,is_match``). ``--sweep`` prints F1 over
thresholds (how the threshold in ``nlp/data/names/rules.yaml`` was chosen);
the same harness scores a bare baseline, rapidfuzz ``WRatio`` over ASCII
forms at its best threshold on the same file, for comparison.
``--calibrate`` chooses the pair threshold by bootstrap: the F1-best
threshold of each of 2,000 resamples of the file (ties: the middle of the
tied range), and their median with a 90% interval. Run it on the
development pairs only; the threshold it prints goes into the rules file,
and other files are scored with it as they are.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import settings  # noqa: E402
from nlp.tag.names import ascii_form, match_pair, rules  # noqa: E402


def prf(scores, labels, threshold):
    tp = sum(1 for s, l in zip(scores, labels) if s >= threshold and l)
    fp = sum(1 for s, l in zip(scores, labels) if s >= threshold and not l)
    fn = sum(1 for s, l in zip(scores, labels) if s < threshold and l)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def calibrate(scores: list[float], labels: list[bool], rounds: int = 2000, seed: int = 13) -> tuple[float, float, float]:
    """Median and 5th/95th percentiles of the F1-best threshold over bootstrap resamples."""
    import numpy as np

    grid = np.round(np.arange(0.50, 0.951, 0.01), 2)
    s, y = np.asarray(scores), np.asarray(labels, dtype=bool)
    above = s[None, :] >= grid[:, None]  # thresholds x pairs
    rng = np.random.default_rng(seed)
    best = []
    for _ in range(rounds):
        weights = np.bincount(rng.integers(0, len(s), len(s)), minlength=len(s))
        tp = (above & y) @ weights
        fp = (above & ~y) @ weights
        fn = ((~above) & y) @ weights
        f1 = np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1), 0.0)
        tied = grid[f1 >= f1.max() - 1e-12]
        best.append((tied.min() + tied.max()) / 2)
    return float(np.median(best)), float(np.percentile(best, 5)), float(np.percentile(best, 95))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", type=Path,
                        default=settings.eval_dir() / "names" / "name_pairs_dev.csv")
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--calibrate", action="store_true")
    args = parser.parse_args()
    rows = list(csv.DictReader(args.file.open(encoding="utf-8")))
    labels = [r["is_match"].strip().lower() == "true" for r in rows]
    started = time.perf_counter()
    results = [(m["score"], m["explanation"]) for m in
               (match_pair(r["name1"], r["name2"], r["schema"]) for r in rows)]
    elapsed = time.perf_counter() - started
    scores = [s for s, _ in results]
    threshold = rules()["threshold"]
    p, r, f = prf(scores, labels, threshold)
    from rapidfuzz import fuzz

    base = [fuzz.WRatio(ascii_form(x["name1"]), ascii_form(x["name2"])) / 100 for x in rows]
    base_best = max((prf(base, labels, t / 100)[2], t / 100) for t in range(30, 100))
    print(f"pairs: {len(rows)} ({sum(labels)} matches) from {args.file.name}")
    print("| matcher | threshold | precision | recall | F1 |\n|---|---|---|---|---|")
    print(f"| sanctions-nlp | {threshold:.2f} | {p:.3f} | {r:.3f} | {f:.3f} |")
    bp, br, bf = prf(base, labels, base_best[1])
    print(f"| rapidfuzz WRatio (best threshold on this file) | {base_best[1]:.2f} | {bp:.3f} | {br:.3f} | {bf:.3f} |")
    print(f"speed: {len(rows) / elapsed:,.0f} pairs/s (one process)")
    if args.sweep:
        for t in range(60, 96, 2):
            print(f"  threshold {t / 100:.2f}: P/R/F1 " + " / ".join(f"{v:.3f}" for v in prf(scores, labels, t / 100)))
    if args.calibrate:
        median, low, high = calibrate(scores, labels)
        cp, cr, cf = prf(scores, labels, median)
        print(f"bootstrap threshold: median {median:.3f} (90% of resamples {low:.2f}-{high:.2f}); "
              f"at the median on this file P/R/F1 {cp:.3f} / {cr:.3f} / {cf:.3f}")
    if args.show_errors:
        for row, (score, why), label in zip(rows, results, labels):
            if (score >= threshold) != label:
                print(f"{'FN' if label else 'FP'} {score:.2f} {row['schema'][:3]} | {row['name1']} | {row['name2']} | {why}")


if __name__ == "__main__":
    main()
