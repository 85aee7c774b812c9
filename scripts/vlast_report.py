"""Report on the Vlast article (7 June 2024) against the corpus's trade data.

Ingests the shared corpus's trade statistics, CHP list and the Vlast article
into a store (default ``indexes/vlast``), links the article's claims and
writes ``reports/vlast_report.html``; prints each claim's verdict and its
proxies. This is where the README's "Vlast statements" figures come from.

    python scripts/vlast_report.py [--store DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nlp import settings  # noqa: E402
from nlp.connectors.commands import suggest_fetch  # noqa: E402
from nlp.index.build import sync_index  # noqa: E402
from nlp.ingest import file_key, ingest  # noqa: E402
from nlp.link import link_document  # noqa: E402
from nlp.link.report import render  # noqa: E402
from nlp.store import Store  # noqa: E402

VLAST = "news/vlast/2024-06-07_vlast_kazakhstans-re-exports-increase.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=REPO / "indexes" / "vlast")
    parser.add_argument("--out", type=Path, default=REPO / "reports" / "vlast_report.html")
    args = parser.parse_args()
    corpus = settings.corpus_dir()
    with Store(args.store) as store:
        summary = ingest([corpus / "trade_stats", corpus / "chp_items", corpus / "news", corpus / "news_en"], store)
        print(f"store: {summary.documents} documents, {summary.trade_facts} trade facts; failed {summary.failed}")
        sync_index(store)
        doc_id = store.doc_ids_for_path(file_key(corpus / VLAST))[0]
        claims = link_document(doc_id, store)
        render(store.document(doc_id), claims, store, args.out)
    for claim in claims:
        print(f"\n- {claim['claim'][:140]}\n  verdict: {claim['verdict']}")
        for series in claim["series"]:
            change = series["change_pct"]
            print(f"  {'PROXY ' if series['proxy'] else ''}{series['label']}: "
                  f"{'%+.1f%%' % change if isinstance(change, (int, float)) else series['note']}")
        if claim["verdict"] == "no_data" and suggest_fetch(claim):  # the series this claim lacks
            print(f"  fetch the missing series: {suggest_fetch(claim)}")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
