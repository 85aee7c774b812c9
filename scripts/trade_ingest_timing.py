"""Time the trade and reference readers on the real corpus.

Usage:
    python scripts/trade_ingest_timing.py [DIR] [--store] [--compare-xlsx]

Reads every file under DIR (default: corpus_dir()/trade_stats) with the
reader the registry picks and prints, per file: reader, facts, documents,
labels left unmapped to a country code, seconds. With ``--store`` it then
runs the real ``ingest`` (read + SQLite write) into a temporary store and
prints that wall time too. With ``--compare-xlsx`` it reads every .xlsx
under DIR with both openpyxl and the ElementTree row reader, prints the CPU
seconds of each and whether they gave the same rows. Figures in
docs/ingest_trade.md come from here.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from nlp import settings
from nlp.ingest import ingest, read_path, walk
from nlp.ingest.registry import ReadError
from nlp.store import Store


def _trimmed(rows: list[tuple]) -> list[tuple]:
    """Rows without trailing empty cells or rows (the readers pad differently)."""
    out = [tuple(r[:max([i + 1 for i, c in enumerate(r) if c is not None] or [0])]) for r in rows]
    while out and not out[-1]:
        out.pop()
    return out


def compare_xlsx(root: Path) -> None:
    import warnings

    from nlp.ingest.trade.sheets import _xlsx_sheets, _xlsx_sheets_fast

    warnings.simplefilter("ignore")
    for path in sorted(root.rglob("*.xlsx")):
        data = path.read_bytes()
        start = time.process_time()
        fast = [(name, _trimmed(rows)) for name, rows in _xlsx_sheets_fast(data)]
        fast_cpu = time.process_time() - start
        start = time.process_time()
        slow = [(name, _trimmed(rows)) for name, rows in _xlsx_sheets(data)]
        slow_cpu = time.process_time() - start
        same = "same rows" if fast == slow else "DIFFERENT rows (dates are not converted)"
        print(f"{path.relative_to(root)}\tElementTree {fast_cpu:.2f}s CPU\topenpyxl {slow_cpu:.2f}s CPU\t{same}")


def main(argv: list[str]) -> None:
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0]) if args else settings.corpus_dir() / "trade_stats"
    print(f"# python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}")
    if "--compare-xlsx" in argv:
        compare_xlsx(root)
        return
    start_all = time.perf_counter()
    facts = 0
    for path in walk([root]):
        start = time.perf_counter()
        try:
            reader, result = read_path(path)
        except ReadError as exc:
            print(f"{path.relative_to(root)}\tFAILED\t{exc}")
            continue
        elapsed = time.perf_counter() - start
        facts += len(result.trade_facts)
        meta = result.documents[0].meta if result.documents else {}
        print(f"{path.relative_to(root)}\t{reader.name}\tfacts={len(result.trade_facts)}\t"
              f"docs={len(result.documents)}\tunmapped_labels={meta.get('unmapped_country_label_count', '-')}\t"
              f"{elapsed:.2f}s")
    print(f"READ total: facts={facts} seconds={time.perf_counter() - start_all:.1f}")
    if "--store" in argv:
        with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "store") as store:
            start = time.perf_counter()
            summary = ingest([root], store)
            print(f"INGEST into a fresh store: files={summary.files} ingested={summary.ingested} "
                  f"failed={summary.failed} trade_facts={summary.trade_facts} "
                  f"seconds={time.perf_counter() - start:.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
