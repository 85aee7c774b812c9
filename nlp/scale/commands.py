"""CLI: ``sanctions run``, ``sanctions load``, ``sanctions facts``.

``run`` reads, extracts and embeds files into a results folder of Parquet
datasets, on this machine (``--engine local``) or a Ray cluster
(``--engine ray [--address HOST:PORT]``); ``load`` brings a results folder
into a store and its index; ``facts`` builds and queries Parquet trade-fact
datasets (UN Comtrade bulk files, or a store's facts) for DuckDB.

Ray, pyarrow and DuckDB are imported inside the commands: without the
``scale`` extra every other command works, and these say how to install it.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..cliutil import StoreOption, fail, open_store, print_json


def run_command(
    paths: list[Path] = typer.Argument(..., help="Files or folders to read (folders are walked)."),
    out: Path = typer.Option(..., "--out", help="Results folder (Parquet datasets, one per table)."),
    engine: str = typer.Option("local", "--engine", help="local (this machine) or ray (a Ray cluster)."),
    address: str | None = typer.Option(None, "--address",
                                          help="Ray cluster to join (HOST:PORT or 'auto'); "
                                               "default: a local Ray for this run."),
    model: str | None = typer.Option(None, "--model", help="Embedding model (minilm or use-m3); "
                                        "default: the folder's, else chosen as `sanctions index` does."),
    workers: int | None = typer.Option(None, "--workers", min=1,
                                          help="Local processes, or CPUs of a local Ray "
                                               "(default $SANCTIONS_WORKERS)."),
    extract_actors: int | None = typer.Option(None, "--extract-actors", min=1,
                                                 help="Ray: extraction actors (default: the cluster's CPUs - 1)."),
    embed_actors: int = typer.Option(1, "--embed-actors", min=1, help="Ray: embedding actors."),
    batch_docs: int = typer.Option(16, "--batch-docs", min=1, help="Ray: documents per extraction batch."),
    force: bool = typer.Option(False, "--force", help="Read every file again, changed or not."),
    json_out: bool = typer.Option(False, "--json", help="Print one summary object."),
) -> None:
    """Ingest, extract and embed files into Parquet results; a rerun replaces only what changed.

    Exit code 1 when any file failed to read (its reason is in the summary).
    """
    from . import ScaleUnavailable
    from .run import RunError, run

    options = {}
    if engine == "ray":
        options = {"extract_actors": extract_actors, "embed_actors": embed_actors, "batch_docs": batch_docs}
    elif extract_actors is not None:
        fail("--extract-actors is for --engine ray")
    try:
        summary = run([str(p) for p in paths], out, engine=engine, model=model, address=address,
                      workers=workers, force=force, **options)
    except (RunError, ScaleUnavailable) as exc:
        fail(str(exc))
    data = summary.to_dict()
    if json_out:
        print_json(data)
    else:
        for failure in summary.failures:
            typer.echo(f"failed {failure['path']}: {failure['reason']}", err=True)
        typer.echo(f"{summary.engine}: {summary.files} files ({summary.read} read, {summary.unchanged} "
                   f"unchanged, {summary.failed} failed); {summary.documents} documents, "
                   f"{summary.annotations} annotations, {summary.passages} passages "
                   f"({summary.model}), {summary.listings} listing entries, {summary.trade_facts} "
                   f"trade facts in {summary.seconds} s -> {out}", err=True)
    raise typer.Exit(1 if summary.failed else 0)


def load_command(
    directory: Path = typer.Argument(..., help="Results folder written by `sanctions run`."),
    store: Path | None = StoreOption,
    index: bool = typer.Option(True, "--index/--no-index", help="Bring the search index in step too."),
    rebuild_index: bool = typer.Option(False, "--rebuild-index",
                                       help="Start the index again (needed to change its model)."),
    json_out: bool = typer.Option(False, "--json", help="Print one summary object."),
) -> None:
    """Load Parquet results into the store and its index; loading twice adds nothing."""
    from ..index.build import IndexError_
    from . import ScaleUnavailable
    from .load import LoadError, load_results

    db = open_store(store)
    try:
        summary = load_results(directory, db, index=index, rebuild_index=rebuild_index)
    except (LoadError, ScaleUnavailable, IndexError_) as exc:
        fail(str(exc))
    finally:
        db.close()
    if json_out:
        print_json(summary.to_dict())
        return
    idx = summary.index or {}
    typer.echo(f"loaded {summary.loaded} of {summary.files} files ({summary.unchanged} already loaded, "
               f"{summary.failed} failed): {summary.documents} documents; index "
               + (f"+{idx.get('added_passages', 0)} passages ({idx.get('vectors_reused', 0)} vectors "
                  f"from the dataset, {idx.get('vectors_computed', 0)} computed)"
                  if "passages" in idx else idx.get("skipped", "not updated")), err=True)


facts_app = typer.Typer(help="Trade facts as Parquet datasets for DuckDB (UN Comtrade bulk files, "
                             "or a store's facts).", no_args_is_help=True)


@facts_app.command("comtrade")
def facts_comtrade(
    paths: list[Path] = typer.Argument(..., help="UN Comtrade bulk files (.csv, .txt, .gz; folders are walked)."),
    dataset: Path = typer.Option(..., "--dataset", help="Parquet facts dataset to add to."),
    json_out: bool = typer.Option(False, "--json", help="Print one summary object."),
) -> None:
    """Add UN Comtrade bulk files to a facts dataset (a changed file replaces its rows)."""
    from . import ScaleUnavailable
    from .comtrade import import_comtrade

    try:
        summary = import_comtrade([str(p) for p in paths], dataset)
    except ScaleUnavailable as exc:
        fail(str(exc))
    if json_out:
        print_json(summary)
    else:
        for failure in summary["failures"]:
            typer.echo(f"failed {failure['path']}: {failure['reason']}", err=True)
        typer.echo(f"{summary['written']} files written, {summary['unchanged']} unchanged, "
                   f"{summary['failed']} failed; {summary['rows']} facts added", err=True)
    raise typer.Exit(1 if summary["failed"] else 0)


@facts_app.command("export")
def facts_export(
    dataset: Path = typer.Option(..., "--dataset", help="Parquet facts dataset to write (replaced)."),
    store: Path | None = StoreOption,
) -> None:
    """Write a store's trade facts as a Parquet dataset (for DuckDB)."""
    from ..facts import export_store_facts
    from . import ScaleUnavailable

    db = open_store(store, create=False)
    try:
        rows = export_store_facts(db, dataset)
    except ScaleUnavailable as exc:
        fail(str(exc))
    finally:
        db.close()
    typer.echo(f"{rows} facts -> {dataset}", err=True)


def register(app: typer.Typer) -> None:
    app.command("run")(run_command)
    app.command("load")(load_command)
    app.add_typer(facts_app, name="facts")
