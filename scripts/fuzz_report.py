"""Fuzz every reader family with mutated corpus files and generated hostile files.

Prints, per reader family and in total: files tried, read, failed with a
reason, crashed, over the limit; then the crashes and over-limit cases with
their reasons. Each file is read in the killable reader worker under the
given limits (``--seconds``, ``--memory-mb``).

    SANCTIONS_SHARED=../shared python scripts/fuzz_report.py --per-seed 40 --seed 1
    python scripts/fuzz_report.py --per-seed 10 --json    # one JSON object

Exit status 1 when anything crashed or ran over its limit.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import settings
from nlp.fuzzing import check_file, generated_files, mutate, seed_files
from nlp.ingest.isolation import Limits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: $SANCTIONS_SHARED/corpus)")
    parser.add_argument("--per-seed", type=int, default=20, help="mutations per seed file")
    parser.add_argument("--seeds-per-family", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument("--seconds", type=float, default=30.0, help="time limit per file")
    parser.add_argument("--memory-mb", type=int, default=1024, help="memory limit per file")
    parser.add_argument("--generated-rounds", type=int, default=3, help="rounds of generated hostile files")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    corpus = args.corpus or settings.corpus_dir()
    rng = random.Random(args.seed)
    limits = Limits(seconds=args.seconds, memory_mb=args.memory_mb)
    seeds = seed_files(corpus, args.seeds_per_family) if corpus.is_dir() else []
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    bad: list[dict] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        cases = [(family, name, mutate(data, rng, rng.randint(1, 6)))
                 for family, name, data in seeds for _ in range(args.per_seed)]
        cases += [("generated", name, data) for _ in range(args.generated_rounds)
                  for name, data in generated_files(rng)]
        for family, name, data in cases:
            outcome = check_file(Path(folder), name, data, limits)
            counts[family]["tried"] += 1
            counts[family][outcome.kind] += 1
            if outcome.kind in ("crashed", "over_limit"):
                bad.append({"family": family, "name": name, "bytes": len(data), **outcome.to_dict()})
    elapsed = time.perf_counter() - started
    total = collections.Counter()
    for counter in counts.values():
        total.update(counter)
    report = {"corpus": str(corpus) if seeds else None, "seed": args.seed, "limits": limits.to_dict(),
              "seconds": round(elapsed, 1), "total": dict(total),
              "families": {k: dict(v) for k, v in sorted(counts.items())}, "bad": bad}
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(f"{'family':28} {'tried':>6} {'ok':>6} {'failed':>7} {'crashed':>8} {'over':>6}")
        for family, counter in [*sorted(counts.items()), ("TOTAL", total)]:
            print(f"{family:28} {counter['tried']:>6} {counter['ok']:>6} {counter['failed']:>7} "
                  f"{counter['crashed']:>8} {counter['over_limit']:>6}")
        print(f"files tried {total['tried']}, failed with a reason {total['failed']}, "
              f"crashed {total['crashed']}, over the limit {total['over_limit']} "
              f"({elapsed:.0f} s; limits {limits.seconds:g} s / {limits.memory_mb} MB per file)")
        for item in bad:
            print(f"  {item['kind']}: {item['family']} {item['name']} ({item['bytes']} bytes): {item['reason']}")
    return 1 if total["crashed"] or total["over_limit"] else 0


if __name__ == "__main__":
    sys.exit(main())
