"""Live data connectors behind ``sanctions corpus fetch --source NAME``.

============  ==========================================  ==================================
source        what                                        file written (reader that takes it)
============  ==========================================  ==================================
comtrade      UN Comtrade data API (key:                  long trade CSV per 12-month chunk
              ``SANCTIONS_COMTRADE_KEY``), monthly HS     (``trade-csv``)
comext        Eurostat Comext SDMX 2.1 dissemination      long trade CSV per product
              API, monthly CN8/HS by reporter/partner     (``trade-csv``)
opensanctions OpenSanctions dataset exports (FtM JSON)    ``<dataset>.ftm.json``
              of the EU, UK, US and UN lists              (``ftm-json``, :mod:`nlp.ingest.ftm`)
eurlex        EUR-Lex acts by CELEX number (HTML)         ``eurlex_<CELEX>_<lang>.html``
                                                          (``eurlex-html``)
============  ==========================================  ==================================

Every connector splits a request into *units* (one HTTP request and one
output file each) and runs them through :func:`run_units`:

* each file is written to a temporary name and renamed into place, and
  only then gets its manifest row, so an interrupted run leaves whole files
  and a rerun **resumes**: units whose file is present with the checksum
  its row records are skipped;
* the manifest, ``<dest>/.fetch_manifest.jsonl`` (hidden, so ``sanctions
  ingest DEST`` does not read it), has one row per file: source, unit,
  path, URL (never the key), retrieval time (UTC), SHA-256 and size of the
  file, SHA-256 of the raw response, record count, licence;
* requests go through :class:`~nlp.connectors.http.HttpClient` (rate
  limit, retries with backoff, clear offline errors); one failed unit is
  reported and the others still run.

Base URLs come from settings (``SANCTIONS_COMTRADE_URL``,
``SANCTIONS_COMEXT_URL``, ``SANCTIONS_OPENSANCTIONS_URL``,
``SANCTIONS_EURLEX_URL``) so tests point them at a local server.

What it does not do: schedule runs, or ingest (run ``sanctions ingest DEST``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .http import ConnectorError, HttpClient

MANIFEST_NAME = ".fetch_manifest.jsonl"
SOURCES = ("comtrade", "comext", "opensanctions", "eurlex")


@dataclass
class Unit:
    """One request and the file it becomes."""

    key: str                   # stable name of the unit within its source
    url: str
    filename: str
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    convert: Callable[[bytes], tuple[bytes, int]] | None = None  # raw -> (file bytes, records)
    hint: str = ""             # what to check on 401/403


@dataclass
class UnitResult:
    source: str
    key: str
    status: str                # fetched | present | failed
    path: str | None = None
    records: int | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(dest: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """(source, unit) -> the last manifest row for it."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    path = dest / MANIFEST_NAME
    if not path.is_file():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut by a crash: that unit is fetched again
        if isinstance(row, dict) and row.get("source") and row.get("unit"):
            rows[(row["source"], row["unit"])] = row
    return rows


def _append_row(dest: Path, row: dict[str, Any]) -> None:
    with (dest / MANIFEST_NAME).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _is_done(dest: Path, row: dict[str, Any] | None) -> bool:
    if not row:
        return False
    path = dest / row["path"]
    return path.is_file() and sha256_bytes(path.read_bytes()) == row.get("sha256")


def run_units(source: str, units: Iterable[Unit], dest: Path, client: HttpClient, *,
              licence: str, progress: Callable[[UnitResult], None] | None = None) -> list[UnitResult]:
    """Fetch every unit not already present; write files and manifest rows (see the module docstring)."""
    dest.mkdir(parents=True, exist_ok=True)
    done = read_manifest(dest)
    results = []
    for unit in units:
        row = done.get((source, unit.key))
        if row is not None and _is_done(dest, row):
            result = UnitResult(source, unit.key, "present", row["path"], row.get("records"))
        else:
            result = _fetch_unit(source, unit, dest, client, licence)
        results.append(result)
        if progress:
            progress(result)
    return results


def _fetch_unit(source: str, unit: Unit, dest: Path, client: HttpClient, licence: str) -> UnitResult:
    try:
        raw = client.get(unit.url, unit.params, unit.headers, hint=unit.hint)
        data, records = unit.convert(raw) if unit.convert else (raw, None)
        _write_atomic(dest / unit.filename, data)
    except ConnectorError as exc:
        return UnitResult(source, unit.key, "failed", reason=str(exc))
    except OSError as exc:
        return UnitResult(source, unit.key, "failed", reason=f"cannot write {unit.filename}: {exc.strerror or exc}")
    url = unit.url + ("?" + "&".join(f"{k}={v}" for k, v in unit.params.items()) if unit.params else "")
    _append_row(dest, {
        "source": source, "unit": unit.key, "path": unit.filename, "url": url,
        "retrieved_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "sha256": sha256_bytes(data), "size": len(data), "raw_sha256": sha256_bytes(raw),
        "records": records, "licence": licence,
    })
    return UnitResult(source, unit.key, "fetched", unit.filename, records)


__all__ = ["ConnectorError", "HttpClient", "MANIFEST_NAME", "SOURCES", "Unit", "UnitResult",
           "read_manifest", "run_units"]
