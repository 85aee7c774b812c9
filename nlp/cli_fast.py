"""``sanctions search`` and ``sanctions match`` answered by a running server, without typer.

A CLI process that forwards a query to ``sanctions serve`` (see
:mod:`nlp.serve.client`) spends most of its time importing: typer and the
pydantic it validates options with, the command modules, the stemmer for
snippets -- several hundred milliseconds before the first byte is sent.
:func:`answered_by_server` handles the plain forms of the two commands with
the standard library alone (plus rich for the search listing) and prints
exactly what the full command prints, taking the snippets from the server's
answer.

It handles a command only when every argument is one it knows (the query or
name, ``--store``, ``--json`` and the filter and size options, each given
once); anything else -- ``--help``, ``--queries``, ``--model``, an unknown
option, a value the full command would refuse -- and any command when no
server over the same store answers, goes to the full typer command, which
parses, validates and reports errors as usual.

What it does not do: search or match locally, or start a server.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# option -> (name, takes a value); the full commands' options of the same names.
SEARCH_OPTIONS = {
    "--store": ("store", True), "--k": ("k", True), "-k": ("k", True), "--kind": ("kind", True),
    "--lang": ("lang", True), "--since": ("since", True), "--until": ("until", True), "--hs": ("hs", True),
    "--tier": ("tier", True), "--entity": ("entity", True), "--country": ("country", True),
    "--mode": ("mode", True), "--json": ("json", False),
}
MATCH_OPTIONS = {
    "--store": ("store", True), "--schema": ("schema", True), "--limit": ("limit", True),
    "--json": ("json", False),
}


def parse(args: list[str], options: dict[str, tuple[str, bool]]) -> dict[str, Any] | None:
    """``{"argument": ..., option name: value}``, or None when anything is not plain."""
    parsed: dict[str, Any] = {}
    position = 0
    while position < len(args):
        arg = args[position]
        position += 1
        if arg.startswith("-") and arg != "-":
            flag, has_inline, inline = arg.partition("=")
            if flag not in options:
                return None
            name, takes_value = options[flag]
            if name in parsed:
                return None
            if not takes_value:
                if has_inline:
                    return None
                parsed[name] = True
            elif has_inline:
                parsed[name] = inline
            elif position < len(args) and not args[position].startswith("-"):
                parsed[name] = args[position]
                position += 1
            else:
                return None
        elif "argument" in parsed:
            return None
        else:
            parsed["argument"] = arg
    return parsed if "argument" in parsed else None


def _int(value: Any, default: int, low: int, high: int) -> int | None:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        return None
    return number if low <= number <= high else None


def answered_by_server(argv: list[str]) -> bool:
    """Run ``search`` / ``match`` through a running server when the arguments
    are plain (see the module docstring); False leaves it to the full command."""
    if not argv or argv[0] not in ("search", "match"):
        return False
    if argv[0] == "search":
        parsed = parse(argv[1:], SEARCH_OPTIONS)
        if parsed is None or (_int(parsed.get("k"), 10, 1, 100)) is None \
                or parsed.get("mode", "hybrid") not in ("hybrid", "dense", "lexical"):
            return False
    else:
        parsed = parse(argv[1:], MATCH_OPTIONS)
        if parsed is None or _int(parsed.get("limit"), 10, 1, 100) is None \
                or not parsed["argument"].strip():
            return False
    from . import settings
    from .serve.client import ServerError, call, server_for

    store = Path(parsed["store"]) if parsed.get("store") else settings.store_dir()
    url = server_for(store)
    if url is None:
        return False
    try:
        if argv[0] == "search":
            _search(url, parsed, call)
        else:
            _match(url, parsed, call)
    except ServerError as exc:
        sys.stderr.write(f"error: {exc}\n")
        raise SystemExit(2) from None
    return True


def _search(url: str, parsed: dict[str, Any], call) -> None:
    from .cli_output import JSON_KEYS, dumps, print_hits

    answer = call(url, "/api/search", q=parsed["argument"], k=_int(parsed.get("k"), 10, 1, 100),
                  mode=parsed.get("mode", "hybrid"),
                  **{key: parsed.get(key) for key in ("kind", "lang", "since", "until", "hs", "tier",
                                                       "entity", "country")})
    if parsed.get("json"):
        sys.stdout.write("".join(dumps({key: row.get(key) for key in JSON_KEYS}) + "\n"
                                 for row in answer["hits"]))
        sys.stdout.flush()
        return
    from types import SimpleNamespace

    from rich.console import Console

    hits = [SimpleNamespace(**row) for row in answer["hits"]]
    print_hits(Console(file=sys.stdout), parsed["argument"], hits)


def _match(url: str, parsed: dict[str, Any], call) -> None:
    from .cli_output import dumps, match_line, no_match_note

    answer = call(url, "/api/match", name=parsed["argument"], schema=parsed.get("schema"),
                  limit=_int(parsed.get("limit"), 10, 1, 100))
    for hit in answer["matches"]:
        sys.stdout.write((dumps(hit) if parsed.get("json") else match_line(hit)) + "\n")
    sys.stdout.flush()
    if not answer["matches"]:
        sys.stderr.write(no_match_note(parsed["argument"], answer.get("schema")) + "\n")
