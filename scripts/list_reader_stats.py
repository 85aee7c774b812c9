"""Figures for docs/ingest_lists.md: what the sanctions-list readers make of
the shared corpus (entries by list and schema, field coverage, read time).

    python scripts/list_reader_stats.py [--corpus DIR] [--json]

Reads each list file once with ``nlp.ingest.read_path`` and prints a Markdown
table (or one JSON object per file). Times are wall-clock seconds for one read
on this machine, so they vary with load.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import settings  # noqa: E402
from nlp.ingest import read_path  # noqa: E402

FILES = (
    "sanctions_lists/opensanctions_eu_journal/32014R0269.csv",
    "sanctions_lists/opensanctions_eu_journal/32014R0833.csv",
    "sanctions_lists/ofac_sdn_moov_watchman/sdn.csv",
    "sanctions_lists/un_consolidated_moov_watchman.xml",
    "sanctions_lists/uk/uk_sanctions_list_covyr/subjects.csv",
    "sanctions_lists/eu_fsf_simonabisiani/merged_fsf_travelbans_20220913.csv",
)
ISO = re.compile(r"^\d{4}(-\d\d(-\d\d)?)?$")


def stats(path: Path) -> dict:
    start = time.perf_counter()
    reader, result = read_path(path)
    seconds = time.perf_counter() - start
    entries = result.listings
    dates = [d for e in entries for d in e.birth_dates]
    return {
        "file": path.name, "reader": reader.name, "list": entries[0].list_name if entries else None,
        "entries": len(entries), "schemas": dict(Counter(e.schema for e in entries)),
        "with_aliases": sum(1 for e in entries if e.aliases),
        "with_birth_date": sum(1 for e in entries if e.birth_dates),
        "birth_dates_iso_share": round(sum(1 for d in dates if ISO.match(d)) / len(dates), 3) if dates else None,
        "with_nationality": sum(1 for e in entries if e.nationalities),
        "with_identifiers": sum(1 for e in entries if e.identifiers),
        "with_listing_date": sum(1 for e in entries if e.listing_date),
        "with_reason": sum(1 for e in entries if e.reason),
        "document_chars": sum(len(d.text) for d in result.documents),
        "read_seconds": round(seconds, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    corpus = args.corpus or settings.corpus_dir()
    rows = [stats(corpus / rel) for rel in FILES]
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return 0
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    columns = ("list", "entries", "schemas", "with_aliases", "with_birth_date", "birth_dates_iso_share",
               "with_nationality", "with_identifiers", "with_listing_date", "with_reason", "read_seconds")
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        schemas = ", ".join(f"{k} {v}" for k, v in sorted(row["schemas"].items()))
        print("| " + " | ".join(schemas if c == "schemas" else str(row[c]) for c in columns) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
