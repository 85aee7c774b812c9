"""CLI: ``sanctions match-names``, ``sanctions match``, ``sanctions tag``, ``sanctions watch``."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Optional

import typer

from ..cliutil import StoreOption, fail, open_store, print_json


def match_names_command(
    file: str = typer.Argument(..., help="CSV with name1,name2,schema columns ('-' = stdin)."),
    json_out: bool = typer.Option(False, "--json", help="JSON Lines: {name1, name2, score, match}."),
    explain: bool = typer.Option(False, "--explain", help="Add the explanation to each line."),
) -> None:
    """Score labelled or unlabelled name pairs (persons, companies, vessels)."""
    from .names import match_pair

    text = sys.stdin.read() if file == "-" else _read(file)
    reader = csv.DictReader(io.StringIO(text))
    missing = {"name1", "name2"} - set(reader.fieldnames or [])
    if missing:
        fail(f"{file}: missing column(s) {', '.join(sorted(missing))}; expected name1,name2[,schema]")
    for row in reader:
        result = match_pair(row["name1"] or "", row["name2"] or "", (row.get("schema") or "Person").strip())
        if not explain:
            result.pop("explanation")
        if json_out:
            print_json(result)
        else:
            typer.echo(f"{result['score']:.3f} {'MATCH' if result['match'] else '-----'}  "
                       f"{result['name1']}  |  {result['name2']}")


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{path}: cannot read ({exc})")
    return ""


def match_command(
    name: str = typer.Argument(..., help="A person, company or vessel name, any script."),
    schema: Optional[str] = typer.Option(None, "--schema", help="Person, Organization or Vessel."),
    limit: int = typer.Option(10, "--limit", min=1, max=100),
    store: Optional[Path] = StoreOption,
    json_out: bool = typer.Option(False, "--json", help="JSON Lines, one per listed entry."),
) -> None:
    """Match one name against every sanctions list in the store (through a
    running ``sanctions serve`` over the same store when one is up)."""
    from ..cli_output import match_line, no_match_note
    from ..cliutil import store_path
    from ..serve.client import ServerError, call, server_for
    from .names import match_schema

    if not name.strip():
        fail("name is empty")
    try:
        schema = match_schema(schema)
    except ValueError as exc:
        fail(str(exc))
    url = server_for(store_path(store))
    if url is not None:
        try:
            hits = call(url, "/api/match", name=name, schema=schema, limit=limit)["matches"]
        except ServerError as exc:
            fail(str(exc))
    else:
        from .names import list_matcher

        db = open_store(store, create=False)
        if not db.totals()["listings"]:
            fail("the store holds no listing entries: ingest sanctions lists first")
        hits = list_matcher(db).search(name, schema=schema, limit=limit)
    for hit in hits:
        if json_out:
            print_json(hit)
        else:
            typer.echo(match_line(hit))
    if not hits:
        typer.echo(no_match_note(name, schema), err=True)


def tag_command(
    file: str = typer.Argument(..., help="An article file (any format ingest reads) or '-' for stdin text."),
    store: Optional[Path] = StoreOption,
    no_store: bool = typer.Option(False, "--no-store", help="Only print the tags; change nothing."),
    published: Optional[str] = typer.Option(None, "--published", help="Reference date YYYY-MM-DD."),
    lang: str = typer.Option("auto", "--lang", help="auto, en or ru (stdin text only)."),
) -> None:
    """Tag a new article: list matches, HS codes, countries, acts, dates, claims, topics (JSON)."""
    from ..ingest.registry import ReadError
    from .tagging import tag_article, tag_path

    db = open_store(store, create=not no_store)
    try:
        if file == "-":
            tags = tag_article(sys.stdin.read(), db, published=published, lang=lang,
                               store_it=not no_store, source="stdin")
        else:
            path = Path(file)
            tags = tag_path(path, db, published=published, store_it=not no_store)
    except (ReadError, ValueError) as exc:
        fail(str(exc))
    print_json(tags)


def watch_command(
    directory: Optional[Path] = typer.Argument(None, help="Folder to watch for new files."),
    feed: Optional[str] = typer.Option(None, "--feed", help="RSS/Atom feed URL to poll."),
    store: Optional[Path] = StoreOption,
    interval: float = typer.Option(60.0, "--interval", min=0.1, help="Seconds between polls."),
    once: bool = typer.Option(False, "--once", help="Process what is there now, then exit."),
) -> None:
    """Tag new files or feed items as they arrive; items seen before are skipped."""
    import time

    from .watch import dir_items, feed_items, process

    if (directory is None) == (feed is None):
        fail("give a DIRECTORY or --feed URL (one of them)")
    if directory is not None and not directory.is_dir():
        fail(f"{directory}: not a folder")
    db = open_store(store)
    log_file = db.dir / "watch.jsonl"
    while True:
        try:
            items = dir_items(directory) if directory is not None else feed_items(str(feed))
            counts = process(items, db, log=print_json, log_file=log_file)
            typer.echo(f"watch: tagged {counts['tagged']}, seen before {counts['skipped']}, "
                       f"failed {counts['failed']}", err=True)
        except (OSError, ValueError) as exc:
            typer.echo(f"watch: {exc}", err=True)
            if once:
                raise typer.Exit(1)
        if once:
            return
        time.sleep(interval)


def register(app: typer.Typer) -> None:
    app.command("match-names")(match_names_command)
    app.command("match")(match_command)
    app.command("tag")(tag_command)
    app.command("watch")(watch_command)
