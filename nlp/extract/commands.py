"""``sanctions extract``: entities, HS codes, dates and citations as JSON Lines.

``sanctions extract PATH...`` reads each file as ``nlp.ingest.read_path`` does (in the killable reader worker)
and prints one record per document (see :mod:`nlp.extract.pipeline`); a file
that cannot be read is reported on stderr and the run goes on (exit code 1 at
the end). ``-`` reads one plain-text document from stdin.
``sanctions extract --records FILE.jsonl`` (``-`` = stdin) reads JSON Lines
of ``id``, ``text`` and optionally ``lang`` and ``published`` (that text's
reference date) and prints exactly one record per input line, with the same
``id``; a line that cannot be used gives ``{"id", "line", "error"}`` and exit
code 1 (see :mod:`nlp.extract.record_jobs`).

``sanctions extract --all --store DIR`` runs over every stored document and
stores the results as annotation layers. With ``--store`` and paths, the
store's sanctions lists feed the gazetteer and documents already in the store
get their annotations replaced.

Batches use ``--workers`` processes (default ``$SANCTIONS_WORKERS``, at most
the cores), each loading the models once; a progress bar goes to stderr when
it is a terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator, List, Optional

import typer

from ..cliutil import StoreOption, fail, open_store

# A task is a run of consecutive documents of about this many characters
# (at most BATCH_DOCS): small enough to keep two workers evenly busy when a
# few long reports sit among many short posts, big enough to batch the model.
BATCH_CHARS = 20_000
BATCH_DOCS = 16


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)


# -- worker side --------------------------------------------------------------

_WORKER_STATE: dict = {}


def _init_worker(gazetteer, with_text: bool) -> None:
    _WORKER_STATE.update(gazetteer=gazetteer, with_text=with_text)


def _run_batch(jobs) -> list[dict]:
    from .pipeline import extract_many

    return extract_many(jobs, gazetteer=_WORKER_STATE.get("gazetteer"),
                        with_text=_WORKER_STATE.get("with_text", False))


def _batches(jobs: list, max_chars: int = BATCH_CHARS, max_docs: int = BATCH_DOCS) -> Iterator[list]:
    batch: list = []
    size = 0
    for job in jobs:
        if batch and (size + len(job.text) > max_chars or len(batch) >= max_docs):
            yield batch
            batch, size = [], 0
        batch.append(job)
        size += len(job.text)
    if batch:
        yield batch


def run_jobs(jobs: list, *, gazetteer, with_text: bool, workers: int,
             progress: bool = False) -> Iterator[dict]:
    """Records for jobs in order, on ``workers`` processes."""
    batches = list(_batches(jobs))
    bar = _progress(len(jobs), progress)
    try:
        if workers <= 1 or len(batches) <= 1:
            _init_worker(gazetteer, with_text)
            results: Iterator[list[dict]] = map(_run_batch, batches)
            pool = None
        else:
            import multiprocessing as mp

            method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
            pool = mp.get_context(method).Pool(workers, initializer=_init_worker,
                                               initargs=(gazetteer, with_text))
            results = pool.imap(_run_batch, batches)
        try:
            for records in results:
                for record in records:
                    yield record
                    bar.advance()
        finally:
            if pool is not None:
                pool.terminate()
    finally:
        bar.close()


class _Bar:
    def __init__(self, total: int, enabled: bool):
        self.progress = None
        if enabled:
            from ..progress import progress_bar

            self.progress = progress_bar("documents", transient=True)
            self.progress.start()
            self.task = self.progress.add_task("extract", total=total)

    def advance(self) -> None:
        if self.progress is not None:
            self.progress.advance(self.task)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _progress(total: int, enabled: bool) -> _Bar:
    return _Bar(total, enabled and total > 1)


# -- command ------------------------------------------------------------------

def _read_jobs(paths: list[str], lang: str, published: Optional[str]):
    """(jobs, errors) for the given paths; errors are 'PATH: reason' lines."""
    from ..ingest import walk
    from ..ingest.isolation import read_file_isolated
    from ..ingest.registry import ReadError
    from .pipeline import job_for_document, job_for_text

    jobs, errors = [], []
    for raw in paths:
        if raw == "-":
            text = sys.stdin.read()
            if not text.strip():
                errors.append("-: empty input")
            else:
                jobs.append(job_for_text(text, lang, published, source="-"))
            continue
        for path in walk([raw]):
            try:
                _, result = read_file_isolated(Path(path))  # under the per-file limits
            except ReadError as exc:
                errors.append(f"{path}: {exc}")
                continue
            if not result.documents:
                errors.append(f"{path}: no documents to extract from (listings or trade data only)")
            for doc in result.documents:
                jobs.append(job_for_document(doc, lang, published))
    return jobs, errors


def extract_command(
    paths: List[str] = typer.Argument(None, help="Files or folders to extract from ('-' = stdin text)."),
    lang: str = typer.Option("auto", "--lang", help="auto | en | ru (auto: the document's own language)."),
    published: Optional[str] = typer.Option(None, "--published",
                                            help="Reference date YYYY-MM-DD for relative dates "
                                                 "(default: the document's date, else today)."),
    with_text: bool = typer.Option(False, "--with-text", help="Include the document text in each record."),
    out: Optional[str] = typer.Option(None, "--out", help="Write JSON Lines here (default stdout)."),
    store: Optional[Path] = StoreOption,
    all_documents: bool = typer.Option(False, "--all", help="Extract every stored document and store the results."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1,
                                          help="Processes (default $SANCTIONS_WORKERS or the cores, at most 2)."),
    records_file: Optional[str] = typer.Option(
        None, "--records", help="JSON Lines of {id, text, lang?, published?} ('-' = stdin); "
                                "one output record per input line, with the same id."),
    engine: str = typer.Option("local", "--engine", help="local, or ray: with --all, extract on a Ray "
                               "cluster (needs the scale extra)."),
    address: Optional[str] = typer.Option(None, "--address", help="Ray cluster (HOST:PORT); "
                                          "default: a local Ray."),
) -> None:
    """Extract entities, HS codes, dates and citations; one JSON record per document."""
    from .. import settings
    from ..cliutil import write_jsonl
    from .entities import store_gazetteer
    from .pipeline import job_for_document, store_record

    if lang not in ("auto", "en", "ru"):
        fail(f"--lang must be auto, en or ru, not {lang!r}")
    if published is not None:
        from datetime import date

        try:
            date.fromisoformat(published)
        except ValueError:
            fail(f"--published must be a date YYYY-MM-DD, not {published!r}")
    if records_file is not None:
        if paths or all_documents:
            fail("give either --records or paths/--all, not both")
        _records_command(records_file, lang, published, with_text, out, store, workers)
        return
    if not paths and not all_documents:
        fail("give files to extract from, or --all with --store")
    if paths and all_documents:
        fail("give either paths or --all, not both")
    if engine != "local":  # a Ray cluster, see nlp/scale
        if engine != "ray" or not all_documents:
            fail("--engine ray works with --all --store (files go through `sanctions run --engine ray`)")
        from ..cliutil import print_json
        from ..scale import ScaleUnavailable
        from ..scale.store_stages import extract_store

        with open_store(store, create=False) as db:
            try:
                print_json(extract_store(db, address=address, workers=workers))
            except ScaleUnavailable as exc:
                fail(str(exc))
        return
    workers = workers or settings.workers()
    db = open_store(store, create=False) if (store is not None or all_documents) else None
    gazetteer = store_gazetteer(db) if db is not None else None
    if gazetteer is not None and gazetteer.size == 0:
        gazetteer = None
    errors: list[str] = []
    if all_documents and db is not None:
        jobs = [job_for_document(doc, lang, published) for doc in db.documents(with_blocks=False)]
    else:
        jobs, errors = _read_jobs(paths, lang, published)
    for line in errors:
        typer.echo(f"error: {line}", err=True)

    stored = 0

    def records() -> Iterator[dict]:
        nonlocal stored
        for record in run_jobs(jobs, gazetteer=gazetteer, with_text=with_text, workers=workers,
                               progress=sys.stderr.isatty()):
            if db is not None and store_record(db, record):
                stored += 1
            yield record

    try:
        if all_documents and out is None:
            count = sum(1 for _ in records())
            from ..cliutil import print_json

            print_json({"documents": count, "stored": stored, "errors": len(errors)})
        else:
            write_jsonl(records(), out)
    finally:
        if db is not None:
            db.close()
    if errors:
        raise typer.Exit(1)


def _records_command(records_file: str, lang: str, published: Optional[str], with_text: bool,
                     out: Optional[str], store: Optional[Path], workers: Optional[int]) -> None:
    """``--records``: one output line per input line, errors in place."""
    from .. import settings
    from ..cliutil import write_jsonl
    from .entities import store_gazetteer
    from .record_jobs import read_records

    if records_file == "-":
        lines = sys.stdin.read().splitlines()
    else:
        try:
            lines = Path(records_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read --records {records_file}: {exc}")
    inputs = read_records(lines, lang, published)
    gazetteer = None
    if store is not None:
        db = open_store(store, create=False)
        try:
            gazetteer = store_gazetteer(db)
        finally:
            db.close()
        if gazetteer is not None and gazetteer.size == 0:
            gazetteer = None
    jobs = [item.job for item in inputs if item.job is not None]
    errors = [item for item in inputs if item.error]
    for item in errors:
        typer.echo(f"error: line {item.line} (id {item.id!r}): {item.error}", err=True)

    def records() -> Iterator[dict]:
        results = run_jobs(jobs, gazetteer=gazetteer, with_text=with_text,
                           workers=workers or settings.workers(), progress=sys.stderr.isatty())
        for item in inputs:
            if item.job is None:
                yield item.error_record()
            else:
                record = next(results)
                yield {"id": item.id, **record}

    write_jsonl(records(), out)
    if errors:
        raise typer.Exit(1)
