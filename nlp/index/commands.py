"""CLI: ``sanctions index`` (build/update) and ``sanctions search``."""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Optional

import typer

from ..cli_output import HIT_FIELDS, JSON_KEYS, print_hits
from ..cliutil import StoreOption, fail, open_store, print_json, read_jsonl, store_path, write_jsonl


def index_command(
    store: Optional[Path] = StoreOption,
    model: Optional[str] = typer.Option(None, "--model", help="Embedding model: minilm (English) or "
                                        "use-m3 (multilingual). Default: the index's, else "
                                        "$SANCTIONS_INDEX_MODEL or minilm."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Start again (needed to change model)."),
    json_out: bool = typer.Option(False, "--json", help="Print one summary object."),
    engine: str = typer.Option("local", "--engine", help="local, or ray: embed on a Ray cluster "
                               "(needs the scale extra)."),
    address: Optional[str] = typer.Option(None, "--address", help="Ray cluster (HOST:PORT); "
                                          "default: a local Ray."),
) -> None:
    """Build or update the search index so it holds exactly the store's documents.

    New documents are chunked and embedded; documents deleted or replaced in the
    store lose their passages; nothing else is recomputed.
    """
    from .build import IndexError_, sync_index
    from .embed import UnknownModel

    db = open_store(store, create=False)
    from ..progress import progress_bar

    show = not json_out and sys.stderr.isatty()
    try:
        with progress_bar("documents", disable=not show) as bar:
            task = bar.add_task("index", total=None)
            filters_task = None

            def tick(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            def tick_filters(done: int, total: int) -> None:
                nonlocal filters_task
                if filters_task is None:
                    filters_task = bar.add_task("filters", total=total)
                bar.update(filters_task, completed=done, total=total)

            if engine == "ray":  # embeddings on a Ray cluster, see nlp/scale
                from ..scale import ScaleUnavailable
                from ..scale.store_stages import index_store

                try:
                    summary = index_store(db, model, rebuild=rebuild, address=address)
                except ScaleUnavailable as exc:
                    fail(str(exc))
            else:
                summary = sync_index(db, model, rebuild=rebuild, progress=tick, facets_progress=tick_filters)
    except (IndexError_, UnknownModel) as exc:
        fail(str(exc))
    finally:
        db.close()
    if json_out:
        print_json(summary.to_dict())
    else:
        d = summary.to_dict()
        typer.echo(f"index ({d['model']}, {d['dense_kind']}): {d['passages']} passages from "
                   f"{d['documents']} documents; +{d['added_documents']} documents "
                   f"(+{d['added_passages']} passages), -{d['removed_documents']} documents "
                   f"(-{d['removed_passages']} passages) in {d['seconds']} s", err=True)


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=200_000)
def _word_term(word: str) -> str | None:
    """The index term of one word (stemmed; cached: snippets of every hit ask again)."""
    from .lexical import terms

    found = terms(word)
    return found[0] if found else None


def snippet(text: str, query: str, width: int = 240) -> tuple[str, list[tuple[int, int]]]:
    """A window of ``text`` around the first query-term match, and the matched spans in it."""
    from .lexical import terms

    wanted = set(terms(query))
    spans: list[tuple[int, int]] = []
    end = len(text)
    for m in _WORD.finditer(text) if wanted else ():
        if m.start() >= end:  # past the window the first match fixed: nothing more is shown
            break
        if _word_term(m.group(0)) in wanted:
            spans.append((m.start(), m.end()))
            if len(spans) == 1:
                end = min(len(text), max(0, min(m.start() - width // 3, len(text) - width)) + width)
    centre = spans[0][0] if spans else 0
    start = max(0, min(centre - width // 3, len(text) - width))
    end = min(len(text), start + width)
    window = " ".join(text[start:end].split("\n"))
    shown = [(a - start, b - start) for a, b in spans if a >= start and b <= end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + window + suffix, [(a + len(prefix), b + len(prefix)) for a, b in shown]


def search_command(
    query: Optional[str] = typer.Argument(None, help="What to look for (omit with --queries)."),
    store: Optional[Path] = StoreOption,
    k: int = typer.Option(10, "--k", "-k", min=1, help="How many passages."),
    kind: Optional[str] = typer.Option(None, "--kind", help="Document kind (regulation, news, listing, ...)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Document language (en, ru, ...)."),
    since: Optional[str] = typer.Option(None, "--since", help="From this date (YYYY[-MM[-DD]])."),
    until: Optional[str] = typer.Option(None, "--until", help="Up to this date (YYYY[-MM[-DD]])."),
    hs: Optional[str] = typer.Option(None, "--hs", help="HS code or chapter mentioned (85, 8542, 8542.31)."),
    tier: Optional[str] = typer.Option(None, "--tier", help="CHP tier of a mentioned HS code (1, 2, 3A, ...)."),
    entity: Optional[str] = typer.Option(None, "--entity", help="Entity mentioned in the passage."),
    country: Optional[str] = typer.Option(None, "--country", help="Country (ISO code or name) mentioned."),
    mode: str = typer.Option("hybrid", "--mode", help="hybrid | dense | lexical."),
    model: Optional[str] = typer.Option(None, "--model", help="Must match the index's model if given."),
    queries: Optional[str] = typer.Option(None, "--queries", help="JSONL file ('-' = stdin) of "
                                          "{\"id\",\"text\"} lines: many queries in one process."),
    json_out: bool = typer.Option(False, "--json", help="JSON Lines, one line per passage."),
) -> None:
    """Ranked passages with highlighted snippets and provenance (through a
    running ``sanctions serve`` over the same store when one is up)."""
    from rich.console import Console

    from .filters import MODES, Filters

    if mode not in MODES:
        fail(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")
    if (query is None) == (queries is None):
        fail("give either a query or --queries FILE.jsonl")
    if query is not None and not query.strip():
        fail("the query is empty")
    batch: list[tuple[str | None, str]]
    if queries is not None:
        batch = []
        for number, item in enumerate(read_jsonl(queries), 1):
            if not isinstance(item, dict) or not str(item.get("text") or "").strip():
                fail(f"{queries}:{number}: each line needs a non-empty \"text\"")
            batch.append((str(item.get("id", item.get("_id", number))), str(item["text"])))
    else:
        batch = [(None, str(query))]
    filters = Filters(kind=kind, lang=lang, since=since, until=until, hs=hs, chp_tier=tier,
                      entity=entity, country=country)
    results = _search_on_server(store_path(store), batch, k, mode, filters) if model is None else None
    if results is None:
        from .build import IndexError_
        from .embed import UnknownModel
        from .search import SearchIndex

        try:
            with SearchIndex(store_path(store), model) as index:
                results = index.search_many([text for _, text in batch], k=k, mode=mode, filters=filters)
        except (IndexError_, UnknownModel, ValueError) as exc:
            fail(str(exc))
    if json_out:
        def lines():
            for (query_id, _), hits in zip(batch, results):
                for hit in hits:
                    data = hit.to_dict()
                    row = {key: data[key] for key in JSON_KEYS}
                    if query_id is not None:
                        row["query_id"] = query_id
                    yield row
        write_jsonl(lines(), "-")
        return
    console = Console(file=sys.stdout)
    for (query_id, text), hits in zip(batch, results):
        print_hits(console, text, hits, query_id)


def _search_on_server(store_dir: Path, batch, k: int, mode: str, filters) -> list | None:
    """Hits from a running ``sanctions serve`` over the same store, or None
    when none is up (:mod:`nlp.serve.client`)."""
    from types import SimpleNamespace

    from ..serve.client import ServerError, call, server_for

    url = server_for(store_dir)
    if url is None:
        return None
    results = []
    try:
        for _, text in batch:
            answer = call(url, "/api/search", q=text, k=k, mode=mode, tier=filters.chp_tier,
                          **{key: value for key, value in filters.to_dict().items() if key != "chp_tier"})
            # The server's rows carry the Hit fields; no index code loads here.
            results.append([SimpleNamespace(**{key: row.get(key) for key in HIT_FIELDS},
                                            snippet=row.get("snippet"), highlights=row.get("highlights") or [],
                                            to_dict=lambda row=row: {key: row.get(key) for key in HIT_FIELDS})
                            for row in answer["hits"]])
    except ServerError as exc:
        fail(str(exc))
    return results


def register(app) -> None:
    """Add ``index`` and ``search`` to the app."""
    app.command("index")(index_command)
    app.command("search")(search_command)
