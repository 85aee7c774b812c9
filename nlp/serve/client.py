"""Ask a running ``sanctions serve`` instead of loading models in a CLI process.

``sanctions search`` and ``sanctions match`` call :func:`server_for` first:
when a server answers at ``$SANCTIONS_SERVER`` (default
``http://127.0.0.1:8000``) *and* serves the same store folder, the command
sends its query there and prints the answer -- the models, the index and the
list matcher are already loaded in that process, so an answer takes
milliseconds instead of the seconds a fresh process needs to load them. When
nothing listens the check fails at once (connection refused) and the command
loads everything locally, as before. ``SANCTIONS_SERVER=off`` skips the check.

What it does not do: start a server (run ``sanctions serve --store DIR``).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from .. import settings

DEFAULT_URL = "http://127.0.0.1:8000"
PROBE_TIMEOUT_S = 0.5
QUERY_TIMEOUT_S = 120


class ServerError(RuntimeError):
    """The server answered with an error (its message is the one line to print)."""


def _get(url: str, timeout: float) -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "Host": "127.0.0.1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        try:
            body = json.loads(exc.read().decode("utf-8"))
            message = body.get("error") or body.get("detail") or str(exc)
        except (ValueError, AttributeError):
            message = str(exc)
        raise ServerError(str(message)) from None


def server_for(store_dir: Path) -> str | None:
    """The base URL of a running server over ``store_dir``, or None."""
    url = (settings.env("SERVER") or DEFAULT_URL).rstrip("/")
    if url.lower() in ("off", "no", "0", "none", ""):
        return None
    try:
        health = _get(url + "/api/health", PROBE_TIMEOUT_S)
    except (OSError, ServerError, ValueError):
        return None
    try:
        same = Path(str(health.get("store"))).resolve() == Path(store_dir).resolve()
    except OSError:
        return None
    return url if same else None


def call(url: str, path: str, **params: Any) -> dict[str, Any]:
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v not in (None, "")})
    try:
        return _get(f"{url}{path}?{query}", QUERY_TIMEOUT_S)
    except OSError as exc:
        raise ServerError(f"the server at {url} stopped answering ({exc})") from None
