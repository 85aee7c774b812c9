"""Time the list matcher: milliseconds per name against a store's lists.

    python scripts/bench_names.py --store STORE [--pairs FILE.csv] [--repeat 2]

Opens the stored blocking index beside STORE (built or rebuilt first when
the listings or the name form changed: the build time is printed), then
searches every ``name1`` of the labelled pairs file (default: the
development name pairs) with its schema, once to warm the caches and then
``--repeat`` more times, and prints the median, p95 and maximum time per
name of the timed rounds, as wall time and as this process's CPU time
(steadier on a shared machine). Use a copy of a store: a rebuild writes
``lists.names.sqlite`` into the folder.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import settings  # noqa: E402
from nlp.store import Store  # noqa: E402
from nlp.tag.name_index import StoredListMatcher  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--pairs", type=Path, default=settings.eval_dir() / "names" / "name_pairs_dev.csv")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    rows = list(csv.DictReader(args.pairs.open(encoding="utf-8")))
    queries = [(r["name1"], r["schema"]) for r in rows]
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    with Store(args.store) as store:
        started = time.perf_counter()
        matcher = StoredListMatcher.open(store)
        print(f"open (with any rebuild): {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    for name, schema in queries:
        matcher.search(name, schema)
    print(f"first round (cold caches): {(time.perf_counter() - started) / len(queries) * 1000:.1f} ms per name")
    times: dict[str, list[float]] = {"wall": [], "cpu": []}
    for _ in range(args.repeat):
        for name, schema in queries:
            t0, c0 = time.perf_counter(), time.process_time()
            matcher.search(name, schema)
            times["cpu"].append((time.process_time() - c0) * 1000)
            times["wall"].append((time.perf_counter() - t0) * 1000)
    for kind, values in times.items():
        values.sort()
        print(f"{len(queries)} names x {args.repeat}, {kind}: median {statistics.median(values):.2f} ms, "
              f"p95 {values[int(0.95 * (len(values) - 1))]:.2f} ms, max {values[-1]:.1f} ms per name")


if __name__ == "__main__":
    main()
