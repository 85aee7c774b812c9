"""One polite HTTP client for the live-data connectors.

What it does: GET with a timeout, a minimum interval between requests to
the same host (rate limit), retries with exponential backoff and jitter on
connection errors, timeouts, HTTP 429 and 5xx (a ``Retry-After`` header is
obeyed, up to ``max_wait``), and one-line :class:`ConnectorError` messages
that say what to do ("cannot reach comtradeapi.un.org: ... (offline?)",
"HTTP 401 ...: check SANCTIONS_COMTRADE_KEY").

Library: httpx (already a dependency), synchronous.

What it does not do: cache, follow non-HTTP(S) schemes, or parse bodies.
"""

from __future__ import annotations

import random
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Callable

USER_AGENT = "sanctions-nlp-connectors/1 (+https://github.com/; python httpx)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class ConnectorError(Exception):
    """A fetch that failed for good; the message is one line a person can act on."""


@dataclass
class HttpClient:
    """GET with rate limiting and retries (see the module docstring)."""

    min_interval: float = 1.0      # seconds between two requests to one host
    retries: int = 4               # attempts after the first
    backoff: float = 1.0           # first retry wait; doubles each time (plus jitter)
    max_wait: float = 60.0         # longest single wait, Retry-After included
    timeout: float = 60.0
    headers: dict[str, str] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep
    _last: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _pace(self, host: str) -> None:
        with self._lock:
            wait = self._last.get(host, 0.0) + self.min_interval - time.monotonic()
            if wait > 0:
                self.sleep(wait)
            self._last[host] = time.monotonic()

    def get(self, url: str, params: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None, hint: str = "") -> bytes:
        """The response body of a successful GET; :class:`ConnectorError` otherwise.

        ``hint`` is added to authentication failures (401/403), e.g. which
        setting holds the key.
        """
        import httpx

        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise ConnectorError(f"unsupported URL scheme: {url}")
        host = parts.netloc
        merged = {"User-Agent": USER_AGENT, **self.headers, **(headers or {})}
        attempt = 0
        while True:
            self._pace(host)
            retry_after: float | None = None
            try:
                response = httpx.get(url, params=params, headers=merged, timeout=self.timeout,
                                     follow_redirects=True)
            except httpx.TimeoutException:
                problem = f"timed out after {self.timeout:.0f} s: {host}"
            except httpx.ConnectError as exc:
                # no route, no DNS, connection refused: retrying for a minute will not help
                problem = f"cannot reach {host}: {' '.join(str(exc).split()) or type(exc).__name__} (offline?)"
                if attempt >= 1:
                    raise ConnectorError(problem) from None
            except httpx.TransportError as exc:
                problem = f"connection to {host} failed: {' '.join(str(exc).split()) or type(exc).__name__}"
            else:
                if response.status_code < 400:
                    return response.content
                problem = f"HTTP {response.status_code} {response.reason_phrase} for {_short(str(response.url))}"
                if response.status_code in (401, 403) and hint:
                    raise ConnectorError(f"{problem}: {hint}")
                if response.status_code not in RETRY_STATUSES:
                    raise ConnectorError(problem + _detail(response.text))
                retry_after = _retry_after(response.headers.get("Retry-After"))
            if attempt >= self.retries:
                raise ConnectorError(f"{problem} (gave up after {attempt + 1} attempts)")
            wait = retry_after if retry_after is not None else \
                self.backoff * (2 ** attempt) * (1 + 0.25 * random.random())
            self.sleep(min(wait, self.max_wait))
            attempt += 1


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _short(url: str, limit: int = 160) -> str:
    return url if len(url) <= limit else url[:limit] + "…"


def _detail(body: str) -> str:
    text = " ".join(body.split())[:160]
    return f": {text}" if text else ""
