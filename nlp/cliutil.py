"""Small helpers shared by the stage commands: store option, JSON output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Iterable, NoReturn, Optional

import typer

from . import settings
from .cli_output import dumps  # one JSON line writer for every command

StoreOption = typer.Option(None, "--store", help="Store folder (default: $SANCTIONS_STORE or indexes/store).")


def store_path(store: Optional[Path]) -> Path:
    return Path(store) if store else settings.store_dir()


def open_store(store: Optional[Path], *, create: bool = True):
    """The store at ``--store``. Commands that only read a store pass
    ``create=False``: a mistyped path is then an error, not a new empty store
    that answers with zeros."""
    from .errors import StoreError
    from .store import DB_NAME, Store

    path = store_path(store)
    if not create and not (path / DB_NAME).is_file():
        fail(f"no store at {path}: make one with `sanctions ingest FILES --store {path}`")
    try:
        return Store(path)
    except StoreError as exc:
        fail(str(exc))


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def print_json(obj: Any) -> None:
    sys.stdout.write(dumps(obj) + "\n")


def write_jsonl(items: Iterable[dict], out: Optional[str]) -> int:
    """Write dicts as JSON Lines to ``out`` (a path, or stdout for None/'-')."""
    stream = sys.stdout if out in (None, "-") else open(out, "w", encoding="utf-8")
    count = 0
    try:
        for item in items:
            stream.write(dumps(item) + "\n")
            count += 1
        stream.flush()
    finally:
        if stream is not sys.stdout:
            stream.close()
    return count


def read_jsonl(path: str) -> Iterable[dict]:
    """JSON Lines from a path or '-' (stdin); bad lines are a clear error."""
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
    try:
        for number, line in enumerate(stream, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    fail(f"{path}:{number}: invalid JSON ({exc.msg})")
    finally:
        if stream is not sys.stdin:
            stream.close()
