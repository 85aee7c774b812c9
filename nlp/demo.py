"""The main job over the project's sample corpus (``make demo``).

ingest ``corpus/samples`` -> extract entities/codes/dates/citations ->
index passages -> detect and verify claims (the stages of
:func:`nlp.pipeline.run`) -> write a report. Everything it
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
    from .ingest import file_key
    from .link import stored_claims
    from .link.report import render
    from .pipeline import RunSummary, run
    from .store import Store

    def report(stage: str, summary: RunSummary) -> None:
        if stage == "ingest":
            ingested = summary.ingest
            echo(f"    files {ingested['files']}, ingested {ingested['ingested']}, "
                 f"unchanged {ingested['unchanged']}, failed {ingested['failed']}; store: "
                 f"{ingested['documents']} documents, {ingested['trade_facts']} trade facts, "
                 f"{ingested['listings']} listing entries")
            for failure in ingested["failures"]:
                echo(f"    failed {failure['path']}: {failure['reason']}")
            echo("2/5 extract entities, HS codes, dates, citations")
        elif stage == "extract":
            echo(f"    {summary.extracted} documents annotated")
            echo("3/5 index passages (dense + BM25)")
        elif stage == "index":
            echo(f"    {summary.index}")
            echo("4/5 detect and verify claims")
        elif stage == "link":
            echo("    " + (", ".join(f"{k} {v}" for k, v in sorted(summary.verdicts.items())) or "no claims"))
            for warning in summary.warnings:
                echo(f"    warning: {warning}")

    with Store(store_dir) as store:
        echo(f"1/5 ingest {SAMPLES.relative_to(REPO_ROOT)} {' '.join(map(str, extra))}")
        run([SAMPLES, *extra], store, everything=True, on_stage=report)
        doc_id = store.doc_ids_for_path(file_key(SAMPLES / REPORT_DOC))[0]
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
