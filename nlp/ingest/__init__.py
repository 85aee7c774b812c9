"""Ingest: files in, records into the store.

``walk`` lists the files under the given paths; ``read_path`` picks a reader
(:mod:`nlp.ingest.registry`) and returns its :class:`~nlp.records.ReadResult`;
``ingest`` runs both over many paths, one transaction per file, isolating
failures: a file that cannot be read is recorded with its reason and the run
goes on. Unchanged files (same SHA-256 as stored) are skipped. The walk is
:mod:`nlp.ingest.walk` (no links out of the folder, no pipes or devices); each
file is read in a worker process under a time and memory limit
(:mod:`nlp.ingest.isolation`).

Reader modules register themselves on import; :data:`READER_MODULES` lists
them so that importing this package makes every reader available.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .. import settings
from ..records import ReadResult
from ..store import Store
from .partial import partial_reasons
from .preflight import preflight
from .reasons import describe, one_line
from .registry import HEAD_BYTES, Reader, ReadError, pick
from .walk import SKIP_NAMES, Entry, entries, printable, read_regular  # noqa: F401 (SKIP_NAMES re-exported)
from .walk import files as walk_files

READER_MODULES = (
    "text", "records_json", "html", "eurlex_html", "formex", "pdf", "lists", "trade", "reference",
    "ftm",
)


def load_readers() -> None:
    for name in READER_MODULES:
        importlib.import_module(f"{__name__}.{name}")


@dataclass
class IngestSummary:
    files: int = 0
    ingested: int = 0
    unchanged: int = 0
    failed: int = 0
    documents: int = 0
    listings: int = 0
    trade_facts: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    partial: list[dict[str, str]] = field(default_factory=list)
    per_file: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "files": self.files, "ingested": self.ingested, "unchanged": self.unchanged,
            "failed": self.failed, "documents": self.documents, "listings": self.listings,
            "trade_facts": self.trade_facts, "failures": self.failures, "partial": self.partial,
        }


def walk(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Readable files under ``paths`` in a stable order (see :mod:`nlp.ingest.walk`)."""
    return walk_files(paths)


def file_key(path: Path) -> str:
    """How the store names a file: its absolute path (undecodable bytes as ``\\xNN``)."""
    return printable(path.resolve())


def read_path(path: Path, data: bytes | None = None) -> tuple[Reader, ReadResult]:
    """Read one file with the reader that claims it. Raises ReadError."""
    load_readers()
    if not path.exists():
        raise ReadError("no such file")
    if not path.is_file():
        raise ReadError("not a regular file")
    size = path.stat().st_size
    if size > settings.max_file_bytes():
        raise ReadError(f"too large: {size / 1e6:.1f} MB over the {settings.max_file_bytes() / 1e6:.0f} MB "
                        "limit (SANCTIONS_MAX_FILE_MB)")
    if data is None:
        data = path.read_bytes()
    if not data.strip():
        raise ReadError("empty file")
    chosen = pick(path, data[:HEAD_BYTES])
    if chosen is None:
        raise ReadError(f"unknown format: no reader for {path.suffix or 'files without a suffix'}")
    try:
        preflight(path, data)  # numbers no real document has: refuse before the slow parsers start
        with contextlib.redirect_stdout(sys.stderr):  # chatty libraries (xlrd) keep stdout clean
            result = chosen.read(path, data)
    except ReadError as exc:  # a reader's own reason, squeezed onto one bounded line
        exc.args = (one_line(str(exc)),)
        raise
    except Exception as exc:  # a reader's bug or a library's complaint
        raise ReadError(describe(chosen.name, exc)) from exc
    if not (result.documents or result.listings or result.trade_facts):
        raise ReadError(f"{chosen.name} reader found nothing to keep")
    return chosen, result


def read_isolated(path: Path, data: bytes) -> tuple[Reader, ReadResult]:
    """:func:`read_path` in a worker process under the per-file limits."""
    from .isolation import read_isolated as isolated

    return isolated(path, data)


def ingest(paths: Iterable[str | Path | Entry], store: Store,
           progress: Callable[[Path, str], None] | None = None) -> IngestSummary:
    """Ingest files into ``store``; see the module docstring."""
    summary = IngestSummary()
    for entry in entries(paths):
        path = entry.path
        summary.files += 1
        key = file_key(path)
        outcome = "failed"
        try:
            if entry.problem:
                store.record_failure(key, "", 0, entry.problem)
                raise ReadError(entry.problem)
            try:
                data = read_regular(path, settings.max_file_bytes())
            except OSError as exc:
                raise ReadError(f"cannot open: {exc.strerror or exc}") from None
            sha = hashlib.sha256(data).hexdigest() if data is not None else ""
            previous = store.file_state(key)
            if previous and data is not None and previous.sha256 == sha and previous.status == "ok":
                summary.unchanged += 1
                outcome = "unchanged"
                continue
            try:
                chosen, result = read_isolated(path, data) if data is not None else read_path(path)
            except ReadError as exc:
                store.record_failure(key, sha, len(data or b""), one_line(str(exc)))
                raise
            store.replace_file(key, sha, len(data or b""), chosen.name, result)
            partial = partial_reasons(path, data or b"", result)
            if partial:  # what was read is kept; the file says it is incomplete
                store.set_file_reason(key, one_line("; ".join(partial)))
                summary.partial.append({"path": printable(path), "reason": one_line("; ".join(partial))})
            summary.ingested += 1
            outcome = "ingested"
            summary.per_file.append({"path": str(path), "reader": chosen.name,
                                     "documents": len(result.documents),
                                     "listings": len(result.listings),
                                     "trade_facts": len(result.trade_facts)})
        except ReadError as exc:
            summary.failed += 1
            summary.failures.append({"path": printable(path), "reason": one_line(str(exc))})
        finally:
            if progress:
                progress(path, outcome)
    from .after import after_ingest  # store-wide indexes kept in step with the files

    after_ingest(store, changed=bool(summary.ingested))
    summary.__dict__.update(store.totals())
    return summary
