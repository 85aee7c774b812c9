"""Read every PDF in the corpus with the PDF reader; report time and what came out.

    python scripts/pdf_ingest_report.py            # Markdown table
    python scripts/pdf_ingest_report.py --json     # one JSON object per file

Also checks the CBAM Annex I CN codes against the third-party transcription
that sits next to the OJ PDF (``DERIVED_cbam_annex1_cn_codes.csv``). Times are
wall-clock and CPU seconds for ``read_path`` (parse + structure), one run per
file, on whatever machine runs this; the machine and its load average are
printed with the results (CPU seconds are the steadier figure on a shared box).
"""

from __future__ import annotations

import csv
import json
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import settings  # noqa: E402
from nlp.ingest import read_path, walk  # noqa: E402
from nlp.ingest.registry import ReadError  # noqa: E402


def machine() -> str:
    mem = ""
    try:
        with open("/proc/meminfo") as handle:
            kb = int(handle.readline().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    load = f", load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return f"{os.cpu_count()}-core CPU{mem}, no GPU used{load} ({platform.python_implementation()} {platform.python_version()})"


def cn_check(result, csv_path: Path) -> dict:
    doc = result.documents[0]
    found = [row[0].replace(" ", "") for b in doc.blocks if b.kind == "table" and b.section == "Annex I"
             for row in b.table if row[0] != "CN code"]
    with open(csv_path, newline="", encoding="utf-8") as handle:
        expected = [row["CN_Prefix"] for row in csv.DictReader(handle)]
    return {"annex_i_codes": len(found), "csv_rows": len(expected),
            "missing": sorted(set(expected) - set(found)), "extra": sorted(set(found) - set(expected))}


def main() -> None:
    as_json = "--json" in sys.argv
    corpus = settings.corpus_dir()
    rows = []
    for path in walk([corpus]):
        if path.suffix.lower() != ".pdf":
            continue
        start, cpu_start = time.perf_counter(), time.process_time()
        try:
            reader, result = read_path(path)
        except ReadError as exc:
            rows.append({"file": str(path.relative_to(corpus)), "error": str(exc),
                         "seconds": round(time.perf_counter() - start, 1)})
            continue
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        doc = result.documents[0]
        row = {
            "file": str(path.relative_to(corpus)), "reader": reader.name, "layout": doc.meta.get("layout"),
            "kind": doc.kind, "pages": doc.meta.get("pages"), "blocks": len(doc.blocks),
            "tables": sum(1 for b in doc.blocks if b.kind == "table"),
            "sections": len({b.section for b in doc.blocks if b.section}),
            "listings": len(result.listings), "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
        }
        if result.listings:
            row["schemas"] = dict(Counter(e.schema for e in result.listings))
        derived = path.parent / "DERIVED_cbam_annex1_cn_codes.csv"
        if derived.exists():
            row["cn_check"] = cn_check(result, derived)
        rows.append(row)
    if as_json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        print(json.dumps({"machine": machine()}))
        return
    print(f"Machine: {machine()}\n")
    print("| file | layout | kind | pages | blocks | tables | sections | listings | wall s | CPU s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        if "error" in row:
            print(f"| {row['file']} | error: {row['error']} | | | | | | | {row['seconds']} | |")
            continue
        print(f"| {row['file']} | {row['layout']} | {row['kind']} | {row['pages']} | {row['blocks']} | "
              f"{row['tables']} | {row['sections']} | {row['listings']} | {row['seconds']} | {row['cpu_seconds']} |")
    for row in rows:
        if "schemas" in row:
            print(f"\nListing schemas, {row['file']}: {json.dumps(row['schemas'])}")
        if "cn_check" in row:
            print(f"\nCN codes, {row['file']}: {json.dumps(row['cn_check'])}")


if __name__ == "__main__":
    main()
