"""Time the hostile inputs of the hardening work: each one's seconds, or its refusal.

Extractor inputs (the ones that used to take minutes) are run in this
process; hostile files are read through the killable reader worker with the
default limits. Prints one JSON line per input. Figures depend on the
machine and its load.

    python scripts/hostile_inputs_timing.py
    python scripts/hostile_inputs_timing.py --only extract
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def extract_cases() -> list[tuple[str, callable]]:
    from nlp.extract.dates.en import find_en
    from nlp.extract.entities import find_rule_entities
    from nlp.extract.pipeline import extract_text

    reference = dt.date(2024, 1, 1)
    return [
        ("entity rules, 8,000 x 'A'", lambda: find_rule_entities("A" * 8_000)),
        ("English date rules, 40,000 chars of '2023 '", lambda: find_en("2023 " * 8_000, reference)),
        ("extract_text en, 8,000 x '('", lambda: extract_text("(" * 8_000, "en")),
        ("extract_text en, 8,000 x '\"'", lambda: extract_text('"' * 8_000, "en")),
        ("extract_text en, 20,000 x 'A'", lambda: extract_text("A" * 20_000, "en")),
        ("extract_text en, 3,990 x '«' (the API's token budget)", lambda: extract_text("«" * 3_990, "en")),
    ]


def file_cases(folder: Path) -> list[tuple[str, Path]]:
    import openpyxl

    from nlp.fuzzing import dense_pdf, minimal_pdf

    book = openpyxl.Workbook()
    book.active.append(["CODE", "TITLE"])
    book.active.append(["RUS", "Russia"])
    book.active["XFD1048576"] = "x"
    xlsx = folder / "Abbreviation_FSD_extract_program.xlsx"
    book.save(xlsx)
    run = folder / "run.pdf"
    run.write_bytes(minimal_pdf(b"BT /F1 12 Tf 72 720 Td (" + b"A" * 2_000_000 + b") Tj ET"))
    ops = folder / "ops.pdf"
    ops.write_bytes(minimal_pdf(b"BT /F1 1 Tf " + b"(x) Tj " * 3_000_000 + b"ET"))
    dense = folder / "dense.pdf"
    dense.write_bytes(dense_pdf(lines=75, pages=20))
    return [("xlsx declaring XFD1048576 (9.5 KB class)", xlsx), ("PDF with a 2 MB text run", run),
            ("PDF with 3M text operators (21 MB)", ops), ("PDF of 20 pages x 18,750 tiny characters", dense)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("extract", "files"))
    args = parser.parse_args()
    if args.only != "files":
        from nlp.extract.pipeline import extract_text

        extract_text("Warm-up: Kazakhstan and Russia.", "en")
        for name, run in extract_cases():
            started = time.perf_counter()
            run()
            print(json.dumps({"input": name, "seconds": round(time.perf_counter() - started, 2)}))
    if args.only != "extract":
        from nlp.ingest.isolation import read_isolated
        from nlp.ingest.registry import ReadError

        with tempfile.TemporaryDirectory() as folder:
            for name, path in file_cases(Path(folder)):
                started = time.perf_counter()
                try:
                    read_isolated(path, path.read_bytes())
                    outcome = "read"
                except ReadError as exc:
                    outcome = str(exc)
                print(json.dumps({"input": name, "seconds": round(time.perf_counter() - started, 2),
                                  "outcome": outcome}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
