"""Per-client request limits shared by the processes of one server (``sanctions serve --workers N``).

What it does: keeps, in one small SQLite file that every worker process of
a server opens, the two per-client quantities of :mod:`nlp.serve.limits`
that must hold for the server as a whole, not per process:

* how many NLP requests each client has running or waiting (the
  ``SANCTIONS_SERVE_PER_CLIENT`` cap): one row per client and process, so
  the rows of a process that died are recognised by its id and ignored;
* each client's token bucket of model work (``SANCTIONS_SERVE_TOKENS_PER_MIN``).

Each check-and-change is one ``BEGIN IMMEDIATE`` transaction, so two
processes never both admit a client's third request. ``sanctions serve``
creates the file in a temporary folder when it starts more than one process
and names it in ``SANCTIONS_SERVE_LIMITS_FILE``; with one process the limits
stay in memory (:class:`nlp.serve.limits.FairGate`, ``TokenBuckets``).

What it does not do: share the queue itself. Each process keeps its own
round-robin queue and its own slots (``SANCTIONS_SERVE_SLOTS`` per process:
each has its own models), so with N processes up to N NLP requests run at
once, and the order among waiting clients is fair within each process.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from .. import settings

SETTING = "SERVE_LIMITS_FILE"
SCHEMA = """
CREATE TABLE IF NOT EXISTS held (client TEXT NOT NULL, pid INTEGER NOT NULL, n INTEGER NOT NULL,
                                 PRIMARY KEY (client, pid));
CREATE TABLE IF NOT EXISTS buckets (client TEXT PRIMARY KEY, level REAL NOT NULL, at REAL NOT NULL);
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class SharedLimits:
    """The per-client counts and token buckets of all processes of one server.

    ``pid`` is this process's id (tests pass others to stand for several
    processes); ``clock`` is CLOCK_MONOTONIC, which all processes of one
    machine share."""

    def __init__(self, path: str | os.PathLike[str], pid: int | None = None):
        self.path = str(path)
        self.pid = os.getpid() if pid is None else pid
        self._local = threading.local()
        self._db().executescript(SCHEMA)
        with self._transaction() as db:
            db.execute("DELETE FROM held WHERE pid = ?", (self.pid,))  # a reused id's old rows

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")  # counts of a running server; nothing to keep
            self._local.db = db
        return db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE), so no
        other process reads the counts between this one's check and change."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # -- requests running or waiting, per client ----------------------------------
    def hold(self, client: str, limit: int) -> int | None:
        """Count one more request of ``client`` unless it already has ``limit``
        (0: no limit) running or waiting in any process; returns None when
        counted, else the number it has."""
        with self._transaction() as db:
            rows = db.execute("SELECT pid, n FROM held WHERE client = ?", (client,)).fetchall()
            count = 0
            for pid, n in rows:
                if pid == self.pid or _alive(pid):
                    count += n
                else:
                    db.execute("DELETE FROM held WHERE client = ? AND pid = ?", (client, pid))
            if limit and count >= limit:
                return count
            db.execute("INSERT INTO held (client, pid, n) VALUES (?, ?, 1) "
                       "ON CONFLICT (client, pid) DO UPDATE SET n = n + 1", (client, self.pid))
        return None

    def release(self, client: str) -> None:
        with self._transaction() as db:
            db.execute("UPDATE held SET n = n - 1 WHERE client = ? AND pid = ?", (client, self.pid))
            db.execute("DELETE FROM held WHERE client = ? AND pid = ? AND n <= 0", (client, self.pid))

    def held(self, client: str) -> int:
        return int(self._db().execute("SELECT COALESCE(SUM(n), 0) FROM held WHERE client = ?",
                                      (client,)).fetchone()[0])

    # -- model work, per client ------------------------------------------------------
    def charge(self, client: str, tokens: int, rate_per_min: float, burst: float,
               now: float | None = None) -> float:
        """As :meth:`nlp.serve.limits.TokenBuckets.charge`, over every process."""
        rate = rate_per_min / 60.0
        now = time.monotonic() if now is None else now
        with self._transaction() as db:
            row = db.execute("SELECT level, at FROM buckets WHERE client = ?", (client,)).fetchone()
            level, at = row if row is not None else (burst, now)
            level = min(burst, level + max(0.0, now - at) * rate)
            wait = 0.0
            if tokens > level:
                wait = (tokens - level) / rate if rate else float("inf")
            else:
                level -= tokens
            db.execute("INSERT INTO buckets (client, level, at) VALUES (?, ?, ?) "
                       "ON CONFLICT (client) DO UPDATE SET level = excluded.level, at = excluded.at",
                       (client, level, now))
            if row is None and db.execute("SELECT COUNT(*) FROM buckets").fetchone()[0] > 10_000:
                db.execute("DELETE FROM buckets WHERE at < ?", (now - 600,))  # forget idle clients
        return wait


_SHARED: dict[tuple[str, int], SharedLimits] = {}
_SHARED_LOCK = threading.Lock()


def shared_limits() -> SharedLimits | None:
    """This process's view of the server's shared limits; None when the server
    runs as one process (``SANCTIONS_SERVE_LIMITS_FILE`` unset)."""
    path = settings.env(SETTING)
    if not path:
        return None
    key = (path, os.getpid())
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = SharedLimits(path)
        return _SHARED[key]
