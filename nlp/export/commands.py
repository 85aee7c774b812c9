"""CLI: ``sanctions export --format ftm`` (FollowTheMoney JSON Lines)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..cliutil import StoreOption, fail, open_store

FORMATS = ("ftm",)


def export_command(
    fmt: str = typer.Option("ftm", "--format", help="Output format: ftm (FollowTheMoney entities)."),
    store: Optional[Path] = StoreOption,
    out: str = typer.Option("-", "--out", "-o", help="Output file, or - for stdout."),
    resolve: bool = typer.Option(True, "--resolve/--no-resolve",
                                 help="Match mentions against the stored sanctions lists (`resolved`)."),
    body_text: bool = typer.Option(True, "--body-text/--no-body-text",
                                   help="Include each document's full text (bodyText)."),
) -> None:
    """Stream the store as JSON Lines: documents, mentions, listed entries with their
    sanctions, and claims with verdicts (see docs/export.md).

    Push to Aleph with `alephclient write-entities -i FILE -f COLLECTION`.
    """
    import json

    from .ftm import ExportCounts, export_store

    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    stream = sys.stdout if out == "-" else None
    target = Path(out) if out != "-" else None
    if target is not None and (target.is_dir() or not target.parent.is_dir()):
        fail(f"cannot write {out}: " + ("it is a folder" if target.is_dir() else "no such folder"))
    tmp = target.with_name(f".{target.name}.part") if target else None
    db = open_store(store, create=False)
    counts = ExportCounts()
    try:
        try:
            handle = stream or open(tmp, "w", encoding="utf-8")  # type: ignore[arg-type]
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror or exc}")
        try:
            for entity in export_store(db, resolve=resolve, body_text=body_text, counts=counts):
                handle.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        finally:
            if handle is not sys.stdout:
                handle.close()
        if target and tmp:
            tmp.replace(target)  # a complete file or none
    except BrokenPipeError:
        sys.stderr.close()
    finally:
        if tmp and tmp.exists():
            tmp.unlink()
        db.close()
    typer.echo(" ".join(f"{k} {v}" for k, v in counts.to_dict().items()), err=True)


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)
