"""Accuracy of language identification on a labelled sample of the corpus.

    python scripts/eval_langid.py STORE_DIR [--labels corpus/gold/langid_sample.jsonl] [--show-errors]

The sample (``corpus/gold/langid_sample.jsonl``: corpus path, record id,
language) was drawn at random per corpus folder (30 Telegram posts, 8 Russian
and 6 English web excerpts, 3 documents from every other folder; trade
tables, whose text is a generated English summary, left out) and labelled by
reading each document's opening lines; it also holds the two documents the
old detector got wrong (a Russian post tagged ``nl``, a German article
declared ``en``). Prints one JSON object: accuracy of :func:`nlp.text.detect_lang`
on the stored text, of the language the store recorded at ingest, and of
:func:`nlp.text.checked_lang` with the stored language as the declared one,
with per-language counts. The store is opened read-only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.store import Store  # noqa: E402
from nlp.text import checked_lang, detect_lang  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("--labels", type=Path, default=ROOT / "corpus" / "gold" / "langid_sample.jsonl")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    store = Store(args.store, read_only=True)
    by_path: dict[tuple[str, str | None], list[str]] = {}
    for doc_id, path, source_id in store.document_sources():
        by_path.setdefault((path.replace("\\", "/"), source_id), []).append(doc_id)
    labels = [json.loads(line) for line in args.labels.read_text(encoding="utf-8").splitlines() if line.strip()]
    scores: Counter = Counter()
    per_lang: Counter = Counter()
    errors = []
    missing = 0
    started = time.perf_counter()
    for item in labels:
        found = next((ids[0] for (path, source_id), ids in by_path.items()
                      if path.endswith("/" + item["path"]) and source_id == item["source_id"]), None)
        doc = store.document(found, with_blocks=False) if found else None
        if doc is None:
            missing += 1
            continue
        text, stored = doc.text, doc.lang
        detected = detect_lang(text)
        checked = checked_lang(stored, text)
        per_lang[item["lang"]] += 1
        scores["detect_lang"] += detected == item["lang"]
        scores["stored_at_ingest"] += stored == item["lang"]
        scores["checked_lang"] += checked == item["lang"]
        if detected != item["lang"] or stored != item["lang"]:
            errors.append({"path": item["path"], "source_id": item["source_id"], "label": item["lang"],
                           "detect_lang": detected, "stored": stored, "checked_lang": checked})
    n = sum(per_lang.values())
    report = {"labelled": len(labels), "found_in_store": n, "missing": missing, "by_language": dict(per_lang),
              "accuracy": {k: round(v / n, 3) for k, v in scores.items()} if n else {},
              "ms_per_document": round((time.perf_counter() - started) * 1000 / max(1, n), 2)}
    if args.show_errors:
        report["errors"] = errors
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
