"""The main job over the project's sample corpus (``make demo``).

ingest ``corpus/samples`` -> extract entities/codes/dates/citations ->
index passages -> detect and verify claims -> write a report. Everything it
reads ships with the repository, so it runs on a fresh clone; pass extra
folders (e.g. ``../shared/corpus/news``) to include more.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .cliutil import StoreOption, store_path
from .settings import REPO_ROOT

SAMPLES = REPO_ROOT / "corpus" / "samples"
REPORT_DOC = "sample_article_eu_chp_exports.txt"


def run_demo(store_dir: Path, extra: list[Path], out: Path, echo=print) -> Path:
    from .extract.entities import store_gazetteer
    from .extract.pipeline import extract_documents, store_record
    from .index.build import sync_index
    from .ingest import file_key, ingest
    from .link import link_document, linkable_documents
    from .link.report import render
    from .store import Store

    with Store(store_dir) as store:
        echo(f"1/5 ingest {SAMPLES.relative_to(REPO_ROOT)} {' '.join(map(str, extra))}")
        summary = ingest([SAMPLES, *extra], store)
        echo(f"    files {summary.files}, ingested {summary.ingested}, unchanged {summary.unchanged}, "
             f"failed {summary.failed}; store: {summary.documents} documents, "
             f"{summary.trade_facts} trade facts, {summary.listings} listing entries")
        for failure in summary.failures:
            echo(f"    failed {failure['path']}: {failure['reason']}")
        echo("2/5 extract entities, HS codes, dates, citations")
        docs = [d for d in store.documents() if d.kind != "trade_table"]
        records = extract_documents(docs, gazetteer=store_gazetteer(store))
        extracted = sum(store_record(store, record) for record in records)
        echo(f"    {extracted} documents annotated")
        echo("3/5 index passages (dense + BM25)")
        synced = sync_index(store)
        echo(f"    {synced.to_dict() if hasattr(synced, 'to_dict') else synced}")
        echo("4/5 detect and verify claims")
        verdicts: dict[str, int] = {}
        for doc_id in linkable_documents(store):
            for claim in link_document(doc_id, store):
                verdicts[claim["verdict"]] = verdicts.get(claim["verdict"], 0) + 1
        echo("    " + (", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())) or "no claims"))
        key = file_key(SAMPLES / REPORT_DOC)
        doc_id = store.db.execute("SELECT doc_id FROM documents WHERE path = ?", (key,)).fetchone()[0]
        from .link import stored_claims

        path = render(store.document(doc_id), stored_claims(store, doc_id), store, out)
        echo(f"5/5 report: {path}")
    return path


def demo_command(
    extra: Optional[List[Path]] = typer.Argument(None, help="More files or folders to include."),
    store: Optional[Path] = StoreOption,
    out: Path = typer.Option(Path("reports/demo_report.html"), "--out", help="Report file (.html or .md)."),
) -> None:
    """Run the whole pipeline on the sample corpus and write a claims report."""
    path = run_demo(store_path(store), list(extra or []), out, echo=typer.echo)
    typer.echo(f"\nOpen {path} in a browser, or the web app:\n"
               f"  .venv/bin/sanctions serve --store {store_path(store)}   # then open http://127.0.0.1:8000/\n"
               f"Try also (after `source .venv/bin/activate`):\n"
               f"  sanctions search \"EU exports of chips to Kazakhstan\" --store {store_path(store)}\n"
               f"  sanctions verify \"EU exports of computers to Russia fell in 2022 compared with 2021\""
               f" --store {store_path(store)}")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
