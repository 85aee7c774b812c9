"""The reader registry: which reader takes which file.

A reader is a pure function ``read(path, data) -> ReadResult`` plus a
``sniff(path, head)`` test on the file name and its first 64 KiB. Readers
register themselves with :func:`reader`; :func:`pick` asks them in priority
order (highest first) and returns the first that accepts the file, so a
specific reader (say, the OFAC SDN CSV) outranks a generic one (any CSV).

Readers raise :class:`ReadError` with a one-line reason a person can act on
("encrypted PDF", "not UTF-8 and no confident encoding", ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import ReadError
from ..records import ReadResult

HEAD_BYTES = 64 * 1024

SniffFn = Callable[[Path, bytes], bool]
ReadFn = Callable[[Path, bytes], ReadResult]


@dataclass(frozen=True)
class Reader:
    name: str
    description: str
    sniff: SniffFn
    read: ReadFn
    priority: int = 0


_READERS: dict[str, Reader] = {}


def reader(name: str, description: str, sniff: SniffFn, priority: int = 0) -> Callable[[ReadFn], ReadFn]:
    """Register ``read`` under ``name`` (decorator)."""

    def wrap(read: ReadFn) -> ReadFn:
        _READERS[name] = Reader(name, description, sniff, read, priority)
        return read

    return wrap


def readers() -> list[Reader]:
    return sorted(_READERS.values(), key=lambda r: (-r.priority, r.name))


def get(name: str) -> Reader:
    try:
        return _READERS[name]
    except KeyError:
        raise ReadError(f"no reader named {name!r}; known: {', '.join(sorted(_READERS))}") from None


def pick(path: Path, head: bytes) -> Reader | None:
    for candidate in readers():
        if candidate.sniff(path, head):
            return candidate
    return None


# -- sniffing helpers shared by the reader modules -------------------------

def suffix(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def head_text(head: bytes, limit: int = 4096) -> str:
    """The file's first bytes as text, for header sniffing (lossy)."""
    return head[:limit].decode("utf-8", errors="replace").lstrip("\ufeff")


def first_line(head: bytes) -> str:
    return head_text(head).splitlines()[0] if head.strip() else ""
