"""Tag many articles fast: batched model calls, and worker processes on several cores.

``sanctions tag-batch FILES... [--workers N] [-o OUT.jsonl]`` tags every
article in the files (any format ingest reads; JSON Lines of ``{"text",
"title", "published"}`` with ``-``) and writes one tags record per article,
in input order, without storing anything.

Why it is faster than tagging one article at a time (:func:`tag_article`):

* the extraction models see **batches** (``extract_many``: one spaCy
  ``nlp.pipe`` / natasha pass over ``batch_size`` texts), which amortises
  their per-call overhead;
* with ``--workers N`` (default ``SANCTIONS_WORKERS``: the cores, at most 2)
  each worker process tags its share of the batches; the parent only reads
  inputs and writes lines. The models and rule tables are loaded **once**,
  in a fork server (:mod:`nlp.tag.batch_preload`), and the workers are forked
  from it with everything loaded; each opens its own store connection and
  list matcher (SQLite connections do not survive a fork). Where there is
  no fork server (not POSIX) each worker is spawned and loads them itself;
* every process loads all of it before its first article
  (:func:`~nlp.tag.tagging.warm_up`), so no article pays for a first use.
* what was loaded is then frozen out of the garbage collector's full passes
  (:mod:`nlp.tag.heap`), in the fork server and in each worker.

Model loading is a one-off cost per run (``scripts/bench_tag.py`` reports
it apart from the steady rate).

What it does not do: store or index the articles (use ``sanctions ingest``
and ``sanctions tag FILE`` for that), or verify claims against a different
store than the one given.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator, List, Optional

import typer

from ..cliutil import StoreOption, fail, store_path

BATCH_SIZE = 8

_WORKER: dict[str, Any] = {}


def _tag_batch(articles: list[dict[str, Any]], store: Any) -> list[dict[str, Any]]:
    from ..extract.pipeline import extract_many, job_for_document
    from .tagging import article_document, tag_extracted

    docs: list[Any] = []  # a Document, or the ValueError that says why there is none
    jobs, results = [], []
    for article in articles:
        if article.get("error"):  # the file could not be read
            docs.append(ValueError(article["error"]))
            continue
        try:
            doc = article_document(article["text"], title=article.get("title"),
                                   published=article.get("published"), lang=article.get("lang") or "auto",
                                   source=article.get("source"))
        except ValueError as exc:
            docs.append(exc)
            continue
        reference = article.get("published") or dt.date.today().isoformat()
        docs.append(doc)
        jobs.append(job_for_document(doc, "auto" if doc.lang not in ("en", "ru") else doc.lang, reference))
    records = iter(extract_many(jobs)) if jobs else iter(())
    for article, doc in zip(articles, docs):
        if isinstance(doc, Exception):
            results.append({"source": article.get("source"), "error": str(doc)})
            continue
        try:
            tags = tag_extracted(doc, next(records), store, published=article.get("published"), store_it=False)
        except Exception as exc:  # one article's failure is its own line, the batch goes on
            tags = {"source": article.get("source"), "error": f"{type(exc).__name__}: {exc}"}
        results.append(tags)
    return results


def _init_worker(store_dir: str | None) -> None:
    from .. import settings
    from ..store import Store
    from .tagging import warm_up

    settings.offline_models()
    store = Store(Path(store_dir)) if store_dir else None
    warm_up(store)  # the list matcher is opened here, once per worker; then frozen (nlp.tag.heap)
    _WORKER["store"] = store


def _worker_context() -> Any:
    """Workers forked from a fork server that loaded the models once, where
    the system has one; else spawned (each loads its own)."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Read when this process starts its fork server (once); a server already
    # running without it leaves each worker to load the models itself.
    context.set_forkserver_preload([f"{__package__}.batch_preload"])
    return context


def _worker_batch(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return _tag_batch(articles, _WORKER.get("store"))


def _batches(articles: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def tag_many(articles: Iterable[dict[str, Any]], store_dir: Path | None, *, workers: int = 1,
             batch_size: int = BATCH_SIZE) -> Iterator[dict[str, Any]]:
    """Tags for each article (``{"text", "title"?, "published"?, "lang"?, "source"?}``), in order."""
    if workers <= 1:
        _init_worker(str(store_dir) if store_dir else None)
        for batch in _batches(articles, batch_size):
            yield from _worker_batch(batch)
        return
    # Not a plain fork of this process: its SQLite connections and threads
    # must not be shared; the fork server holds models and no connections.
    context = _worker_context()
    with context.Pool(workers, initializer=_init_worker, initargs=(str(store_dir) if store_dir else None,)) as pool:
        for results in pool.imap(_worker_batch, _batches(articles, batch_size)):
            yield from results


def read_articles(paths: list[Path], published: str | None) -> Iterator[dict[str, Any]]:
    """Articles from files (first document of each, as ``sanctions tag`` reads them) or JSON Lines on ``-``."""
    import json

    from ..ingest import read_path, walk
    from ..ingest.registry import ReadError

    for path in paths:
        if str(path) == "-":
            for number, line in enumerate(sys.stdin, 1):
                if line.strip():
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as exc:
                        fail(f"stdin:{number}: invalid JSON ({exc.msg})")
                    yield {"published": published, "source": f"stdin:{number}", **record}
            continue
        for file in walk([path]):
            try:
                _, result = read_path(file)
            except ReadError as exc:
                yield {"text": "", "source": str(file), "error": str(exc)}
                continue
            for doc in result.documents[:1]:
                yield {"text": doc.text, "title": doc.title, "published": published or doc.published,
                       "lang": doc.lang, "source": str(file)}


def tag_batch_command(
    paths: List[Path] = typer.Argument(..., help="Files or folders of articles; - reads JSON Lines "
                                                  "({\"text\", \"title\", \"published\"}) from stdin."),
    store: Optional[Path] = StoreOption,
    out: str = typer.Option("-", "--out", "-o", help="Output JSON Lines file, or - for stdout."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Worker processes (default SANCTIONS_WORKERS)."),
    published: Optional[str] = typer.Option(None, "--published", help="Reference date YYYY-MM-DD."),
    no_store: bool = typer.Option(False, "--no-store", help="Tag without a store (no list matches, no claims)."),
) -> None:
    """Tag many articles (batched models, worker processes); one JSON line per article."""
    from .. import settings
    from ..cliutil import write_jsonl

    store_dir = None if no_store else store_path(store)
    if store_dir is not None and not (store_dir / "store.sqlite").exists():
        fail(f"no store at {store_dir} (use --store DIR, or --no-store)")
    articles = read_articles(paths, published)
    count = write_jsonl(tag_many(articles, store_dir, workers=workers or settings.workers()), out)
    typer.echo(f"tagged {count} articles", err=True)


def register(app: typer.Typer) -> None:
    app.command("tag-batch")(tag_batch_command)
