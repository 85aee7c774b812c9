"""CLI: ``sanctions serve`` -- the analyst web app and HTTP API (uvicorn).

Binds to 127.0.0.1 unless ``--host`` says otherwise, and then answers only
requests whose Host is 127.0.0.1 or localhost (``SANCTIONS_ALLOWED_HOSTS``
widens that); write endpoints need ``SANCTIONS_API_TOKEN`` set in the
server's environment. ``--workers N`` runs N server processes over the same
store (each loads its own models and opens the index read-only); the
per-client limits hold for all of them together (:mod:`nlp.serve.shared_limits`).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer

from ..cliutil import StoreOption, fail, store_path


def serve_command(
    store: Optional[Path] = StoreOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default loopback only)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    workers: int = typer.Option(1, "--workers", min=1, max=8, help="Server processes."),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
) -> None:
    """Serve the web pages (search, documents, claims, tagging) and the JSON API (/docs)."""
    import os

    import uvicorn

    from .. import settings

    folder = store_path(store)
    if not (folder / "store.sqlite").exists():
        fail(f"no store at {folder}: build one with `sanctions ingest` or `sanctions demo`")
    if host not in ("127.0.0.1", "localhost"):
        typer.echo(f"warning: listening on {host}, reachable beyond this machine", err=True)
        # Requests then name this machine however the network knows it.
        os.environ.setdefault(settings.PREFIX + "ALLOWED_HOSTS", "*")
    if not settings.api_token():
        typer.echo("note: SANCTIONS_API_TOKEN is unset, so write endpoints (ingest, storing tags) "
                   "are disabled", err=True)
    # The factory reads the store from the environment so that every worker
    # process builds the same app.
    os.environ[settings.PREFIX + "STORE"] = str(folder.resolve())
    with _shared_limits_file(workers):
        uvicorn.run("nlp.serve.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level=log_level, server_header=False)


@contextmanager
def _shared_limits_file(workers: int) -> Iterator[None]:
    """With several processes, one file for the per-client limits they share
    (:mod:`nlp.serve.shared_limits`), named in the environment the workers
    inherit and removed when the server stops."""
    import os
    import shutil
    import tempfile

    from .. import settings
    from .shared_limits import SETTING

    name = settings.PREFIX + SETTING
    if workers <= 1 or os.environ.get(name):
        yield
        return
    folder = tempfile.mkdtemp(prefix="sanctions-serve-")
    os.environ[name] = os.path.join(folder, "limits.sqlite")
    try:
        yield
    finally:
        os.environ.pop(name, None)
        shutil.rmtree(folder, ignore_errors=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
