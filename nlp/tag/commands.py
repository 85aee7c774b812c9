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
    """Match one name against every sanctions list in the store."""
    from .names import list_matcher

    db = open_store(store)
    if not db.totals()["listings"]:
        fail("the store holds no listing entries: ingest sanctions lists first")
    for hit in list_matcher(db).search(name, schema=schema, limit=limit):
        if json_out:
            print_json(hit)
        else:
            typer.echo(f"{hit['score']:.3f}  {hit['name']}  [{hit['list_name']}; {hit['programme'] or ''}; "
                       f"listed {hit['listing_date'] or '?'}]\n        {hit['explanation']}")


def register(app: typer.Typer) -> None:
    app.command("match-names")(match_names_command)
    app.command("match")(match_command)
    try:
        from .tagging_commands import register as register_tagging
    except ImportError:  # tagging is registered once its module exists
        return
    register_tagging(app)
