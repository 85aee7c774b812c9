"""The open search index of a store folder, reopened when the index changes.

A long-running process (the web app, ``watch``, a tagging loop, a ``link
--all`` run) keeps one :class:`~nlp.index.search.SearchIndex` per store
folder and embedder, and every caller reaches it through :func:`using_index`:
it compares the manifest on disk with the one the open index was loaded
from and reopens the index when ``sanctions index`` (or an upload) has
written a new one. This module is the only place that decides when that
happens.

The index is used under a lock (its connection and filter tables are not
meant for two queries at once), held for the ``with`` block.

What it does not do: build or update indexes (:mod:`nlp.index.build`).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from ..errors import IndexError_
from .build import MANIFEST, index_dir
from .search import SearchIndex


@dataclass
class _Held:
    stamp: tuple[int, int, int] | None = None
    index: SearchIndex | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


_HELD: dict[tuple[str, int], _Held] = {}
_HELD_LOCK = threading.Lock()


def manifest_stamp(store_dir: Path) -> tuple[int, int, int] | None:
    """What identifies the index on disk now: the manifest file's identity
    (every update writes a new manifest); None when there is no index."""
    try:
        info = (index_dir(Path(store_dir)) / MANIFEST).stat()
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def has_index(store_dir: Path) -> bool:
    return manifest_stamp(store_dir) is not None


@lru_cache(maxsize=256)
def _resolved(store_dir: str) -> str:
    """An absolute folder's real path (resolving costs a system call per path part: once per name)."""
    return str(Path(store_dir).resolve())


@contextmanager
def using_index(store_dir: Path, embedder: Any = None) -> Iterator[SearchIndex]:
    """The store's index, current with the disk, held for the block.

    Raises :class:`~nlp.errors.IndexError_` when the store has no index or it
    cannot be opened; ``embedder`` replaces the index's own model (tests)."""
    folder = Path(store_dir)
    key = (_resolved(str(folder if folder.is_absolute() else Path.cwd() / folder)),
           id(embedder) if embedder is not None else 0)
    with _HELD_LOCK:
        held = _HELD.setdefault(key, _Held())
    with held.lock:
        stamp = manifest_stamp(Path(store_dir))
        if stamp is None:
            raise IndexError_(f"no index in {index_dir(Path(store_dir))}: run `sanctions index` first")
        if held.index is None or stamp != held.stamp:
            if held.index is not None:
                held.index.close()
                held.index = None
            held.index = SearchIndex(Path(store_dir), embedder=embedder)
            held.stamp = stamp
        yield held.index


def held_index(store_dir: Path, embedder: Any = None) -> SearchIndex | None:
    """The index :func:`using_index` holds for the folder, without waiting for
    its lock (None when none is open yet). Only for what needs no lock: the
    query model, which is the same for every version of the index."""
    folder = Path(store_dir)
    key = (_resolved(str(folder if folder.is_absolute() else Path.cwd() / folder)),
           id(embedder) if embedder is not None else 0)
    held = _HELD.get(key)
    return held.index if held is not None else None


def forget(store_dir: Path | None = None) -> None:
    """Close the held indexes (of one store folder, or all)."""
    with _HELD_LOCK:
        keys = [k for k in _HELD if store_dir is None or k[0] == str(Path(store_dir).resolve())]
        held = [_HELD.pop(k) for k in keys]
    for item in held:
        with item.lock:
            if item.index is not None:
                item.index.close()
                item.index = None
