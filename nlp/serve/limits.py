"""Bounds on the work one API request may ask for, so no client starves the rest.

What it does:

* :class:`AdmissionMiddleware` - the NLP endpoints (extract, tag, verify,
  match, ingest) share one model lock, so they go through a fair gate: a
  fixed number run at once (``SANCTIONS_SERVE_SLOTS``, 1), at most
  ``SANCTIONS_SERVE_QUEUE`` (16) wait, and the waiters are served round-robin
  by client address, so a client that sends many requests waits behind its own
  requests, not in front of everyone else's. A client may have at most
  ``SANCTIONS_SERVE_PER_CLIENT`` (2) requests running or waiting: over that it
  gets 429; a full queue, or a wait longer than ``SANCTIONS_SERVE_WAIT_S``
  (20 s), gets 503. Both carry ``Retry-After`` and one-line JSON. Waiting
  requests hold no worker thread, so search stays responsive.
* :func:`check_work` - a text's cost is bounded before any model sees it:
  the extractors are linear in their input, and the number of word and
  punctuation tokens (``SANCTIONS_SERVE_MAX_TOKENS``, 4,000: a long news article) caps it; a
  text over the budget gets 413 (run ``sanctions extract`` for bigger ones).
  Each client also has a share of model work, a token bucket refilled at
  ``SANCTIONS_SERVE_TOKENS_PER_MIN`` (30,000) tokens a minute: a client that
  sends big texts back to back gets 429 with the seconds to wait, so it
  cannot keep the models busy for everyone else.
* :func:`read_upload` - uploaded files are read in the killable reader worker
  (:mod:`nlp.ingest.isolation`) under ``SANCTIONS_SERVE_READ_TIMEOUT_S`` (30)
  and ``SANCTIONS_READ_MEMORY_MB``, so a corrupt PDF cannot keep a server
  thread busy after its client has gone, nor hold up shutdown past that limit.
* :func:`buffer_body` - a body sent without Content-Length (chunked) is
  read up to the limit before the app sees it, so one over the limit gets 413.

With several server processes (``sanctions serve --workers N``) the
per-client cap and the token budget are kept for all of them together in one
small SQLite file (:mod:`nlp.serve.shared_limits`); the slots and the
round-robin queue are each process's own (each has its own models).

What it does not do: authenticate (the app's token check does), or stop a
model run midway (the token budget bounds it instead).
"""

from __future__ import annotations

import asyncio
import collections
import contextvars
import json
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import settings
from .shared_limits import SharedLimits, shared_limits

# Endpoints that take the NLP lock: (method, path) pairs.
GATED = {
    ("POST", "/api/extract"), ("POST", "/api/extract/file"), ("POST", "/api/tag"),
    ("POST", "/api/tag/file"), ("POST", "/api/verify"), ("POST", "/api/ingest"),
    ("GET", "/api/match"), ("GET", "/api/match/pair"), ("POST", "/tag"), ("GET", "/verify"),
}
_TOKEN = re.compile(r"\w+|[^\w\s]")
# Paging offsets beyond this are refused with 422 (SQLite takes 64-bit integers only).
MAX_ROW_OFFSET = 1_000_000_000


def _int(name: str, default: int) -> int:
    return max(0, int(float(settings.env(name, str(default)) or default)))


def max_tokens() -> int:
    return _int("SERVE_MAX_TOKENS", 4_000)


class Refused(Exception):
    """A request the gate turns away: status, one-line message, seconds to wait."""

    def __init__(self, status: int, message: str, retry_after: int = 5):
        super().__init__(message)
        self.status, self.message, self.retry_after = status, message, retry_after


def count_tokens(text: str, stop: int | None = None) -> int:
    """Word and punctuation tokens in ``text`` (counting stops past ``stop``)."""
    count = 0
    for count, _ in enumerate(_TOKEN.finditer(text), 1):
        if stop is not None and count > stop:
            break
    return count


# The client of the request being served (set by AdmissionMiddleware; worker
# threads see it because the request's context is copied to them).
CLIENT: contextvars.ContextVar[str] = contextvars.ContextVar("client", default="unknown")


class TokenBuckets:
    """Per-client budget of model work: ``rate`` tokens a minute, up to ``burst`` saved."""

    def __init__(self, rate_per_min: float, burst: float):
        self.rate, self.burst = rate_per_min / 60.0, burst
        self.levels: dict[str, tuple[float, float]] = {}  # client -> (tokens, at)
        self.lock = threading.Lock()

    def charge(self, client: str, tokens: int, now: float | None = None) -> float:
        """Take ``tokens`` from the client's bucket; return 0, or the seconds to wait."""
        now = time.monotonic() if now is None else now
        with self.lock:
            level, at = self.levels.get(client, (self.burst, now))
            level = min(self.burst, level + (now - at) * self.rate)
            if tokens > level:
                self.levels[client] = (level, now)
                return (tokens - level) / self.rate if self.rate else float("inf")
            self.levels[client] = (level - tokens, now)
            if len(self.levels) > 10_000:  # forget idle clients
                self.levels = {c: v for c, v in self.levels.items() if now - v[1] < 600}
            return 0.0


_BUCKETS: dict[tuple, TokenBuckets] = {}


class SharedTokenBuckets:
    """The same budget kept for all processes of the server (:mod:`nlp.serve.shared_limits`)."""

    def __init__(self, shared: SharedLimits, rate_per_min: float, burst: float):
        self.shared, self.rate_per_min, self.burst = shared, rate_per_min, burst

    def charge(self, client: str, tokens: int, now: float | None = None) -> float:
        return self.shared.charge(client, tokens, self.rate_per_min, self.burst, now)


def buckets() -> TokenBuckets | SharedTokenBuckets:
    rate = _int("SERVE_TOKENS_PER_MIN", 30_000)
    shared = shared_limits()
    if shared is not None:  # several server processes: one budget per client for all of them
        return SharedTokenBuckets(shared, rate, max(rate, max_tokens()))
    key = (rate, max_tokens())
    if key not in _BUCKETS:
        _BUCKETS[key] = TokenBuckets(rate, max(rate, max_tokens()))
    return _BUCKETS[key]


def check_work(text: str, what: str = "text") -> None:
    """413 when ``text`` holds more tokens than one request may; 429 when its
    client has used up its share of model work for now (both as ApiError)."""
    from ..errors import ApiError

    limit = max_tokens()
    tokens = count_tokens(text, limit)
    if limit and tokens > limit:
        raise ApiError(413, f"{what} too long: over {limit:,} words and symbols per request "
                            "(SANCTIONS_SERVE_MAX_TOKENS); use `sanctions extract` for longer texts")
    if _int("SERVE_TOKENS_PER_MIN", 30_000):
        wait = buckets().charge(CLIENT.get(), tokens)
        if wait:
            raise ApiError(429, f"this client's share of model work is used up "
                                f"(SANCTIONS_SERVE_TOKENS_PER_MIN): retry in {wait:.0f} s")


# -- the fair gate ---------------------------------------------------------------------

class FairGate:
    """Slots for expensive requests, handed out round-robin by client.

    Runs on the event loop only (no locks needed). With ``shared`` (several
    server processes) the per-client cap counts the client's requests in
    every process; the slots and the queue are this process's own."""

    def __init__(self, slots: int = 1, queue: int = 16, per_client: int = 2, wait_s: float = 20.0,
                 shared: SharedLimits | None = None):
        self.slots, self.queue, self.per_client, self.wait_s = max(1, slots), queue, per_client, wait_s
        self.shared = shared
        self.active = 0
        self.waiting: dict[str, collections.deque[asyncio.Future]] = {}
        self.turns: collections.deque[str] = collections.deque()
        self.held: collections.Counter[str] = collections.Counter()  # running + waiting per client

    @classmethod
    def from_env(cls) -> FairGate:
        return cls(slots=_int("SERVE_SLOTS", 1), queue=_int("SERVE_QUEUE", 16),
                   per_client=_int("SERVE_PER_CLIENT", 2),
                   wait_s=float(settings.env("SERVE_WAIT_S", "20") or 20), shared=shared_limits())

    def waiting_count(self) -> int:
        return sum(len(q) for q in self.waiting.values())

    async def acquire(self, client: str) -> None:
        held = self._hold(client)
        if held is not None:
            raise Refused(429, f"too many requests from this client: {held} running or "
                               f"waiting (SANCTIONS_SERVE_PER_CLIENT={self.per_client})", 2)
        if self.active < self.slots and not self.turns:
            self.active += 1
            return
        if self.waiting_count() >= self.queue:
            self._drop(client)
            raise Refused(503, f"server busy: {self.queue} requests already waiting "
                               "(SANCTIONS_SERVE_QUEUE); retry later", 5)
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self.waiting.setdefault(client, collections.deque()).append(future)
        if client not in self.turns:
            self.turns.append(client)
        try:
            await asyncio.wait_for(asyncio.shield(future), self.wait_s)
        except (TimeoutError, asyncio.CancelledError) as exc:
            if future.done() and not future.cancelled():
                self.release(client)  # admitted just as the wait ran out: give the slot on
            else:
                future.cancel()
                self._forget(client, future)
            if isinstance(exc, asyncio.CancelledError):
                raise
            raise Refused(503, f"server busy: waited {self.wait_s:g} s for a free slot "
                               "(SANCTIONS_SERVE_WAIT_S); retry later", 5) from None

    def _forget(self, client: str, future: asyncio.Future) -> None:
        queue = self.waiting.get(client)
        if queue is not None and future in queue:
            queue.remove(future)
            if not queue:
                del self.waiting[client]
                if client in self.turns:
                    self.turns.remove(client)
        self._drop(client)

    def _hold(self, client: str) -> int | None:
        """Count a request of ``client``; None when counted, else how many it
        already has running or waiting (it is at the per-client cap)."""
        if self.shared is not None:
            already = self.shared.hold(client, self.per_client)
            if already is not None:
                return already
        elif self.per_client and self.held[client] >= self.per_client:
            return self.held[client]
        self.held[client] += 1
        return None

    def _drop(self, client: str) -> None:
        self.held[client] -= 1
        if self.held[client] <= 0:
            del self.held[client]
        if self.shared is not None:
            self.shared.release(client)

    def release(self, client: str) -> None:
        self.active -= 1
        self._drop(client)
        while self.turns and self.active < self.slots:
            turn = self.turns.popleft()
            queue = self.waiting.get(turn)
            if not queue:
                self.waiting.pop(turn, None)
                continue
            future = queue.popleft()
            if queue:
                self.turns.append(turn)  # the client's next request waits for its next turn
            else:
                del self.waiting[turn]
            if future.cancelled():
                continue
            self.active += 1
            future.set_result(None)


class AdmissionMiddleware:
    """ASGI middleware: the gated endpoints pass :class:`FairGate` first."""

    def __init__(self, app, headers: Callable[[str], dict[str, str]] | None = None,
                 gate: FairGate | None = None):
        self.app = app
        self.headers = headers or (lambda path: {})
        self.gate = gate or FairGate.from_env()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or (scope.get("method"), scope.get("path")) not in GATED:
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("unknown", 0))[0]
        CLIENT.set(client)
        try:
            await self.gate.acquire(client)
        except Refused as refused:
            return await self._refuse(scope, send, refused)
        try:
            await self.app(scope, receive, send)
        finally:
            self.gate.release(client)

    async def _refuse(self, scope, send, refused: Refused) -> None:
        body = json.dumps({"error": refused.message, "status": refused.status}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"retry-after", str(refused.retry_after).encode())]
        headers += [(k.lower().encode(), v.encode()) for k, v in self.headers(scope.get("path", "")).items()]
        await send({"type": "http.response.start", "status": refused.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


# -- bodies without a length ----------------------------------------------------------------

async def buffer_body(receive, limit: int) -> tuple[bool, Callable]:
    """Read a body of unknown length up to ``limit`` bytes.

    Returns (over the limit?, a receive function that replays what was read).
    """
    messages: list[dict[str, Any]] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        size += len(message.get("body", b""))
        if size > limit:
            return True, receive
        if not message.get("more_body"):
            break
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
    replay: collections.deque[dict[str, Any]] = collections.deque(
        [{"type": "http.request", "body": body, "more_body": False}])

    async def replaying_receive():
        if replay:
            return replay.popleft()
        return await receive()

    return False, replaying_receive


# -- uploaded files -------------------------------------------------------------------

def upload_limits():
    from ..ingest.isolation import Limits, read_limits

    return Limits(seconds=float(settings.env("SERVE_READ_TIMEOUT_S", "30") or 30),
                  memory_mb=read_limits().memory_mb, seconds_setting="SANCTIONS_SERVE_READ_TIMEOUT_S")


def read_upload(path: Path, data: bytes):
    """``read_path`` for an uploaded file, in the killable reader worker (2 at most)."""
    from ..ingest.isolation import read_isolated

    return read_isolated(path, data, upload_limits(), pool_size=2)
