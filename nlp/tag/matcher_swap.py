"""Rebuild the list matcher off the request path and swap it in when ready.

What it does: :class:`SwappingCache` keeps one value per key (a list matcher
per store) together with the version it was built from (the number of
listings). When the version moves on (an ingest committed new lists), the
caller still gets the value it had at once, while one background thread
builds the new value and swaps it in (when ``background`` is on, as the web
app sets it; a batch run rebuilds at once). Only the very first build of a
key waits. So tagging keeps answering while an ingest commits and the
matcher over thousands of list entries is rebuilt.

What it does not do: build matchers (the ``build`` function given does, on
its own store connection) or decide what the version is.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger("nlp.tag")


class SwappingCache(Generic[T]):
    def __init__(self) -> None:
        self._values: dict[Hashable, tuple[Hashable, T]] = {}
        self._building: dict[Hashable, Hashable] = {}
        self._lock = threading.Lock()
        self.background = False  # servers turn this on; batch runs want the fresh value

    def get(self, key: Hashable, version: Hashable, build: Callable[[], T]) -> T:
        """The value for ``key``. With ``background`` on, a stale value (rebuilt in
        the background) rather than a wait; otherwise a stale value is rebuilt now."""
        with self._lock:
            cached = self._values.get(key)
            if cached is not None and cached[0] == version:
                return cached[1]
            if cached is not None and self.background:
                if self._building.get(key) != version:
                    self._building[key] = version
                    threading.Thread(target=self._rebuild, args=(key, version, build),
                                     name="matcher-rebuild", daemon=True).start()
                return cached[1]
        value = build()  # first build of this key (or a batch run): wait for it
        with self._lock:
            if key not in self._values or self._values[key][0] != version:
                self._values[key] = (version, value)
            return self._values[key][1]

    def _rebuild(self, key: Hashable, version: Hashable, build: Callable[[], T]) -> None:
        try:
            value = build()
        except Exception:  # keep serving the old value; the next version change tries again
            log.exception("rebuilding %s failed", key)
            with self._lock:
                self._building.pop(key, None)
            return
        with self._lock:
            self._values[key] = (version, value)
            if self._building.get(key) == version:
                del self._building[key]

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Wait until no rebuild is running (tests and scripts)."""
        for thread in [t for t in threading.enumerate() if t.name == "matcher-rebuild"]:
            thread.join(timeout)
