"""Evaluate the product resolver on ``corpus/gold/products_gold.jsonl``.

Each gold line is a phrase (English or Russian) with the HS codes it names at
the most specific level its words support, or an empty list where the right
answer is to abstain. Scores, overall and per language:

* **exact**: the resolver's code set equals the gold set;
* **covering**: every gold code lies under a returned code or vice versa
  (right goods, wrong level);
* **abstain**: on the empty-gold phrases, the share where it gave no code;
* **wrong**: a confident answer whose codes share nothing with the gold set.

    python scripts/eval_products.py [--show-errors] [--gold corpus/gold/products_check.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nlp.products import resolve  # noqa: E402

GOLD = REPO / "corpus" / "gold" / "products_gold.jsonl"


def _overlaps(a: list[str], b: list[str]) -> bool:
    return any(x.startswith(y) or y.startswith(x) for x in a for y in b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--gold", type=Path, default=GOLD, help="a gold file of the same form (default: %(default)s)")
    args = parser.parse_args()
    gold = [json.loads(line) for line in args.gold.open(encoding="utf-8")]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in gold:
        match = resolve(item["phrase"], item["lang"])
        got = sorted(match.codes) if match else []
        want = sorted(item["codes"])
        for group in (item["lang"], "all"):
            c = counts[group]
            if want:
                c["named"] += 1
                c["exact"] += got == want
                c["covering"] += bool(got) and all(_overlaps([w], got) for w in want)
                c["wrong"] += bool(got) and not _overlaps(got, want)
                c["abstained_on_named"] += not got
            else:
                c["none"] += 1
                c["abstain"] += not got
        if args.show_errors and got != want:
            how = f"{match.method} {match.confidence}" if match else "abstained"
            print(f"- {item['id']} {item['phrase']!r}: got {got} ({how}), want {want}", file=sys.stderr)
    print("| subset | phrases | exact | covering | wrong | abstained (named) | abstain (none) |")
    print("|---|---|---|---|---|---|---|")
    for group in ("en", "ru", "all"):
        c = counts[group]
        n = c["named"] or 1
        print(f"| {group} | {c['named'] + c['none']} | {c['exact'] / n:.3f} | {c['covering'] / n:.3f} | "
              f"{c['wrong'] / n:.3f} | {c['abstained_on_named'] / n:.3f} | "
              f"{c['abstain'] / (c['none'] or 1):.3f} ({c['none']}) |")


if __name__ == "__main__":
    main()
