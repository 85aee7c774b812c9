"""CLI: ``sanctions ingest``, ``sanctions corpus`` (stats), ``sanctions corpus fetch``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..cliutil import StoreOption, open_store, print_json


def ingest_command(
    paths: List[Path] = typer.Argument(..., help="Files or folders to ingest (folders are walked)."),
    store: Optional[Path] = StoreOption,
    json_out: bool = typer.Option(False, "--json", help="Print one summary object (for scripts)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or table."),
) -> None:
    """Read files into the store; report every file that could not be read.

    Exit code 1 when any file failed; what was stored before is kept.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.text import Text

    from . import ingest
    from .walk import entries

    console = Console(stderr=True)
    db = open_store(store)
    files = list(entries(paths))
    show = not (quiet or json_out) and sys.stderr.isatty()
    with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("{task.description}", markup=False),
                  console=console, disable=not show) as bar:
        task = bar.add_task("", total=len(files))

        def tick(path: Path, outcome: str) -> None:
            bar.update(task, advance=1, description=f"{outcome}: {path.name}"[:60])

        summary = ingest(files, db, progress=tick)
    db.close()
    if json_out:
        print_json(summary.to_dict())
    else:
        for failure in summary.failures:
            console.print(Text.assemble(("failed", "red"), f" {failure['path']}: {failure['reason']}"),
                          highlight=False)
        for partial in summary.partial:
            console.print(Text.assemble(("partial", "yellow"), f" {partial['path']}: {partial['reason']}"),
                          highlight=False)
        if not quiet:
            from rich.table import Table

            table = Table(title="ingest summary")
            for column in ("files", "ingested", "unchanged", "failed",
                           "documents", "listings", "trade facts"):
                table.add_column(column, justify="right")
            d = summary.to_dict()
            table.add_row(*(str(d[k]) for k in ("files", "ingested", "unchanged", "failed",
                                                "documents", "listings", "trade_facts")))
            console.print(table)
            console.print("(documents, listings, trade facts: totals in the store)")
    raise typer.Exit(1 if summary.failed else 0)


corpus_app = typer.Typer(help="What the store holds; fetch the public sources listed in corpus/.",
                         invoke_without_command=True, no_args_is_help=False)


@corpus_app.callback()
def corpus_stats(
    ctx: typer.Context,
    store: Optional[Path] = StoreOption,
    json_out: bool = typer.Option(False, "--json", help="Print the statistics as JSON."),
) -> None:
    """Show what the store holds, by kind, language, list and source file."""
    if ctx.invoked_subcommand is None:
        show_stats(store, json_out)


def stats_command(
    store: Optional[Path] = StoreOption,
    json_out: bool = typer.Option(False, "--json", help="Print the statistics as JSON."),
) -> None:
    """Same as `sanctions corpus`."""
    show_stats(store, json_out)


def show_stats(store: Optional[Path], json_out: bool) -> None:
    db = open_store(store, create=False)
    stats = db.stats()
    db.close()
    if json_out:
        print_json(stats)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    console.print(f"documents {stats['documents']}  listings {stats['listings']}  "
                  f"trade facts {stats['trade_facts']}  files "
                  + ", ".join(f"{r['status']} {r['n']}" for r in stats["files"]), markup=False)
    for title, rows, columns in (
        ("documents by kind and language", stats["by_kind_lang"], ("kind", "lang", "n")),
        ("listing entries by list", stats["by_list"], ("list_name", "schema", "n")),
        ("files", stats["by_source"],
         ("path", "reader", "documents", "listings", "trade_facts", "status", "reason")),
    ):
        table = Table(title=title)
        for column in columns:
            table.add_column(column)
        for row in rows:
            values = [str(row[c]) if row[c] is not None else "" for c in columns]
            if columns[0] == "path":
                values[0] = "…" + values[0][-60:] if len(values[0]) > 61 else values[0]
            table.add_row(*(Text(v) for v in values))  # paths and reasons are not markup
        console.print(table)


@corpus_app.command("fetch")
def corpus_fetch(
    dest: Optional[Path] = typer.Option(None, "--dest", help="Where to put the files (default corpus/mirror, "
                                                             "or corpus/fetched/SOURCE with --source)."),
    mirror: Optional[Path] = typer.Option(None, "--mirror",
                                          help="Copy from this local folder instead of downloading."),
    manifest: Path = typer.Option(Path("corpus/sources.jsonl"), "--manifest",
                                  help="Source manifest (JSON Lines)."),
    json_out: bool = typer.Option(False, "--json", help="One JSON line per source."),
    # live data connectors (nlp/connectors): --source picks one instead of the manifest
    source: Optional[str] = typer.Option(None, "--source", help="Live source: comtrade, comext, "
                                                                 "opensanctions or eurlex."),
    reporter: Optional[List[str]] = typer.Option(None, "--reporter", help="Reporters (ISO2), e.g. KZ."),
    partner: Optional[List[str]] = typer.Option(None, "--partner", help="Partners (ISO2), e.g. RU."),
    flow: Optional[List[str]] = typer.Option(None, "--flow", help="Comtrade X,M,RX,RM; Comext export,import."),
    hs: Optional[List[str]] = typer.Option(None, "--hs", help="HS/CN codes (8542,8517; Comtrade: chp:1-2)."),
    period_from: Optional[str] = typer.Option(None, "--from", help="First month, YYYY-MM."),
    period_to: Optional[str] = typer.Option(None, "--to", help="Last month, YYYY-MM."),
    dataset: Optional[List[str]] = typer.Option(None, "--dataset", help="OpenSanctions datasets (eu,uk,us,un or "
                                                                         "names); Comext dataset code."),
    celex: Optional[List[str]] = typer.Option(None, "--celex", help="EUR-Lex CELEX numbers, e.g. 32014R0833."),
    lang: str = typer.Option("EN", "--lang", help="EUR-Lex language."),
) -> None:
    """Download (or copy from --mirror) the sources in the manifest; check checksums.

    With --source, fetch from a live API instead (resumable; see docs/connectors.md).
    """
    if source:
        from ..connectors.commands import run_fetch_command

        run_fetch_command(source, dest, json_out, reporter=reporter, partner=partner, flow=flow, hs=hs,
                          first=period_from, last=period_to, dataset=dataset, celex=celex, lang=lang)
        return
    from ..corpus import fetch_all

    dest = dest or Path("corpus/mirror")
    results = fetch_all(manifest, dest, mirror)
    failed = 0
    for result in results:
        failed += result["status"] == "failed"
        if json_out:
            print_json(result)
        else:
            typer.echo(f"{result['status']:>9}  {result['path']}  {result.get('reason') or ''}")
    raise typer.Exit(1 if failed else 0)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.add_typer(corpus_app, name="corpus")
    app.command("stats")(stats_command)
