"""Answers remembered while a store's database has not changed.

What it does: keeps, per open :class:`~nlp.store.Store` (one SQLite
connection), the results of reads that many requests repeat -- the listings
fingerprint, whether lists are loaded, the trade-fact queries of claim
verification -- and forgets all of them as soon as the database changes.
The change test is SQLite's own: ``PRAGMA data_version`` changes when any
other connection (any process) commits, and the connection's
``total_changes`` counts its own writes; checking both costs microseconds,
where the reads it saves cost 10-500 ms on a whole-corpus store.

What it does not do: share answers between connections (each connection
checks its own view), or remember anything across processes.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Any, Callable, TypeVar

T = TypeVar("T")

MEMO_SIZE = 256


class _Memo:
    def __init__(self) -> None:
        self.state: tuple[int, int] | None = None
        self.values: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()


_MEMOS: "weakref.WeakKeyDictionary[Any, _Memo]" = weakref.WeakKeyDictionary()
_MEMOS_LOCK = threading.Lock()


def store_state(store: Any) -> tuple[int, int]:
    """What changes whenever the store's database does (:meth:`nlp.store.Store.change_state`)."""
    state: tuple[int, int] = store.change_state()
    return state


def remembered(store: Any, key: Any, compute: Callable[[], T], size: int = MEMO_SIZE) -> T:
    """``compute()``, or its value from an earlier call with the same key while
    the store is unchanged (least recently used forgotten past ``size``)."""
    with _MEMOS_LOCK:
        memo = _MEMOS.get(store)
        if memo is None:
            memo = _MEMOS[store] = _Memo()
    state = store_state(store)
    with memo.lock:
        if memo.state != state:
            memo.values.clear()
            memo.state = state
        if key in memo.values:
            memo.values.move_to_end(key)
            return memo.values[key]
    value = compute()
    with memo.lock:
        if memo.state == state:
            memo.values[key] = value
            while len(memo.values) > size:
                memo.values.popitem(last=False)
    return value
