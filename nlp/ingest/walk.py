"""The safe folder walk: which files under the given paths may be read.

What it does: lists the files under the paths given to ``ingest`` or
``watch`` as :class:`Entry` records, in a stable order. An entry either is a
regular file to read or carries the one-line reason it is not read:

* a symbolic link whose target leaves the given folder is refused (it could
  be ``/etc/shadow`` or ``/proc/self/environ``); with
  ``SANCTIONS_INGEST_LINKS=inside`` links that stay inside the folder are
  followed (as their target, once each, so link loops end), otherwise every
  link inside a folder is refused;
* named pipes, devices and sockets are skipped (reading a FIFO blocks forever);
* a sub-folder that cannot be opened is reported, not silently dropped;
* a file name that is not valid UTF-8 is reported with its bytes escaped
  (``\\xff``), since neither the store nor JSON can hold it as it is.

Hidden files and folders (dot names) and desktop litter are passed over
quietly, as before. A path named explicitly on the command line is the
caller's choice and is followed even when it is a link, but it still has to
be a regular file or a folder.

:func:`read_regular` opens a listed file without following a link and
without blocking on a pipe, so a file swapped for a link or a FIFO between
listing and reading is refused too.

What it does not do: read file contents (the readers do), or police the
sibling files a reader opens next to the one it was given.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import settings

SKIP_NAMES = {".DS_Store", "Thumbs.db"}
LINK_POLICIES = ("refuse", "inside")


@dataclass(frozen=True)
class Entry:
    """One path the walk met: a file to read (``problem`` None) or why not."""

    path: Path
    problem: str | None = None

    def to_dict(self) -> dict:
        return {"path": printable(self.path), "problem": self.problem}


def link_policy() -> str:
    policy = (settings.env("INGEST_LINKS") or "refuse").strip().lower()
    if policy not in LINK_POLICIES:
        raise ValueError(f"SANCTIONS_INGEST_LINKS must be one of {', '.join(LINK_POLICIES)}, not {policy!r}")
    return policy


def printable(path: Path | str) -> str:
    """A path as text that can be stored and printed: undecodable bytes as ``\\xNN``."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def name_problem(path: Path) -> str | None:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8 (shown with \\x escapes): rename the file to read it"
    return None


def special_kind(mode: int) -> str | None:
    """What a non-regular, non-folder file is, or None for a regular file or folder."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device file"
    if stat.S_ISLNK(mode):
        return "symbolic link"
    return "special file"


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def entries(paths: Iterable[str | Path | Entry], *, links: str | None = None) -> Iterator[Entry]:
    """Entries for ``paths`` (files, folders, or entries already walked, passed through)."""
    policy = links or link_policy()
    for raw in paths:
        if isinstance(raw, Entry):
            yield raw
            continue
        path = Path(raw)
        problem = name_problem(path)
        if problem:
            yield Entry(path, problem)
            continue
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            yield Entry(path, "no such file" if not os.path.islink(path) else "broken symbolic link")
            continue
        except OSError as exc:
            yield Entry(path, f"cannot open: {exc.strerror or exc}")
            continue
        if stat.S_ISDIR(mode):
            root = os.path.realpath(path)
            yield from _walk_folder(path, root, policy, {root})
        elif stat.S_ISREG(mode):
            yield Entry(Path(os.path.realpath(path)) if os.path.islink(path) else path)
        else:
            yield Entry(path, f"{special_kind(mode)}: not a regular file, skipped")


def _walk_folder(folder: Path, root: str, policy: str, visited: set[str]) -> Iterator[Entry]:
    try:
        with os.scandir(folder) as listing:
            items = sorted(listing, key=lambda item: item.name)
    except OSError as exc:
        yield Entry(folder, f"cannot open folder: {exc.strerror or exc}")
        return
    for item in items:
        if item.name.startswith(".") or item.name in SKIP_NAMES:
            continue
        path = folder / item.name
        problem = name_problem(path)
        if problem:
            yield Entry(path, problem)
            continue
        try:
            mode = os.lstat(path).st_mode
        except OSError as exc:
            yield Entry(path, f"cannot open: {exc.strerror or exc}")
            continue
        if stat.S_ISLNK(mode):
            target = os.path.realpath(path)
            if not _inside(target, root):
                yield Entry(path, "symbolic link leading outside the folder: refused")
                continue
            if policy != "inside":
                yield Entry(path, "symbolic link: not followed (SANCTIONS_INGEST_LINKS=inside "
                                  "follows links that stay inside the folder)")
                continue
            try:
                mode = os.stat(target).st_mode
            except OSError:
                yield Entry(path, "broken symbolic link")
                continue
            path = Path(target)
        if stat.S_ISDIR(mode):
            real = os.path.realpath(path)
            if real in visited:
                continue  # a link back to a folder already walked
            visited.add(real)
            yield from _walk_folder(path, root, policy, visited)
        elif stat.S_ISREG(mode):
            yield Entry(path)
        else:
            yield Entry(path, f"{special_kind(mode)}: not a regular file, skipped")


def files(paths: Iterable[str | Path], *, links: str | None = None) -> Iterator[Path]:
    """Only the readable files of :func:`entries`."""
    for entry in entries(paths, links=links):
        if entry.problem is None:
            yield entry.path


class NotRegular(OSError):
    """A listed path that is no longer a plain file when it is opened."""


def read_regular(path: Path, limit: int | None = None) -> bytes | None:
    """The bytes of a regular file, or None when it is over ``limit`` bytes.

    The last path component is opened without following a link and without
    blocking on a pipe; anything but a regular file raises :class:`NotRegular`.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        if os.path.islink(path):
            raise NotRegular(f"symbolic link: not followed ({path.name})") from None
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(f"{special_kind(info.st_mode)}: not a regular file")
        if limit is not None and info.st_size > limit:
            return None
        return handle.read()
