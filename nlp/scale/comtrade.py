"""UN Comtrade bulk files into a Parquet facts dataset, incrementally.

What it does: streams each bulk file (CSV or tab-separated text, optionally
gzipped) row by row into ``TradeFact``-shaped rows and writes them, in
chunks sorted by series (reporter, partner, flow, product, period), as
Parquet files under ``<dataset>/file_id=<id>/``. ``<dataset>/sources.json``
keeps each file's SHA-256: a file already in the dataset unchanged is
skipped, a changed one has its partition replaced, others are untouched.
The dataset is what :class:`nlp.facts.DuckDBFacts` queries.

Two header layouts are recognised (by their column names):

* the current bulk/API layout (``reporterISO``, ``partnerISO``, ``flowCode``,
  ``cmdCode``, ``period``, ``primaryValue`` ...). Rows broken down by second
  partner, customs procedure or transport mode are skipped (only totals over
  those are kept: ``partner2Code`` 0, ``customsCode`` C00, ``motCode`` 0), so
  nothing is counted twice;
* the legacy bulk layout (``Reporter ISO``, ``Partner ISO``, ``Trade Flow
  Code``, ``Commodity Code``, ``Period``, ``Trade Value (US$)`` ...).

Countries are ISO3 in these files and become ISO2 through
:func:`nlp.countries.code_of` (``W00``/``WLD`` -> ``WORLD``; areas not
elsewhere specified -> ``ZZ``, with the label kept). Values are US dollars.

What it does not do: download from Comtrade, convert currencies or reconcile
mirror flows.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import require
from .stages import file_id

CHUNK_ROWS = 250_000
ROW_GROUP_ROWS = 64_000
SORT_KEYS = ("reporter", "partner", "flow", "product_code", "period")
SOURCES = "sources.json"

NEW_FLOWS = {"X": "export", "M": "import", "RX": "re-export", "RM": "re-import"}
LEGACY_FLOWS = {"1": "import", "2": "export", "3": "re-export", "4": "re-import"}
WORLD_CODES = {"W00", "WLD", "0"}


class ComtradeFormatError(ValueError):
    pass


def _open_text(path: Path) -> io.TextIOBase:
    raw = gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with _open_text(path) as stream:
        first = stream.readline()
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        header = next(csv.reader([first], delimiter=delimiter))
        reader = csv.DictReader(stream, fieldnames=[h.strip() for h in header], delimiter=delimiter)
        for number, row in enumerate(reader, start=2):
            yield number, row


def _period(raw: str | None, year: str | None = None) -> str | None:
    raw = (raw or "").strip()
    if len(raw) == 6 and raw.isdigit():
        return f"{raw[:4]}-{raw[4:]}"
    if len(raw) == 4 and raw.isdigit():
        return raw
    if len(raw) == 7 and raw[4] == "-":
        return raw
    return year.strip() if year and year.strip().isdigit() else None


def _number(raw: str | None) -> float | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        return None


def _country(iso3: str | None, label: str | None) -> str:
    from ..countries import code_of

    code = (iso3 or "").strip().upper()
    if code in WORLD_CODES:
        return "WORLD"
    return code_of(code) or code_of(label or "") or "ZZ"


def _layout(header: list[str]) -> str:
    names = set(header)
    if {"reporterISO", "partnerISO", "flowCode", "cmdCode", "primaryValue"} <= names:
        return "bulk"
    if {"Reporter ISO", "Partner ISO", "Trade Flow Code", "Commodity Code", "Trade Value (US$)"} <= names:
        return "legacy"
    raise ComtradeFormatError("not a UN Comtrade bulk file: expected reporterISO, partnerISO, flowCode, "
                              "cmdCode, primaryValue (or the legacy Reporter ISO, ... columns)")


def facts_of(path: Path, skipped: Counter) -> Iterator[dict[str, Any]]:
    """Fact rows of one bulk file, streamed."""
    key = str(path.resolve())
    layout = None
    for number, row in _rows(path):
        if layout is None:
            layout = _layout(list(row))
        if layout == "bulk":
            if (row.get("partner2Code") or "0").strip() not in ("0", "") or \
                    (row.get("customsCode") or "C00").strip() not in ("C00", "") or \
                    (row.get("motCode") or "0").strip() not in ("0", ""):
                skipped["breakdown row"] += 1
                continue
            flow = NEW_FLOWS.get((row.get("flowCode") or "").strip())
            cells = (row.get("reporterISO"), row.get("reporterDesc"), row.get("partnerISO"),
                     row.get("partnerDesc"), row.get("cmdCode"), row.get("cmdDesc"),
                     _period(row.get("period"), row.get("refYear")), _number(row.get("primaryValue")),
                     _number(row.get("netWgt")), _number(row.get("qty")), row.get("qtyUnitAbbr"))
        else:
            flow = LEGACY_FLOWS.get((row.get("Trade Flow Code") or "").strip())
            cells = (row.get("Reporter ISO"), row.get("Reporter"), row.get("Partner ISO"), row.get("Partner"),
                     row.get("Commodity Code"), row.get("Commodity"), _period(row.get("Period"), row.get("Year")),
                     _number(row.get("Trade Value (US$)")), _number(row.get("Netweight (kg)")),
                     _number(row.get("Qty")), row.get("Qty Unit"))
        rep_iso, rep_label, par_iso, par_label, code, code_label, period, value, weight, qty, unit = cells
        if flow is None or period is None or value is None:
            skipped["no flow, period or value"] += 1
            continue
        code = (code or "").strip()
        total = code.upper() in ("TOTAL", "ALL", "")
        yield {
            "path": key, "doc_id": None,
            "reporter": _country(rep_iso, rep_label), "partner": _country(par_iso, par_label),
            "flow": flow, "product_code": "TOTAL" if total else code,
            "code_system": "TOTAL" if total else "HS", "code_level": None if total else len(code),
            "period": period, "value": value, "currency": "USD",
            "quantity": weight if weight is not None else qty,
            "quantity_unit": "kg" if weight is not None else ((unit or None) if qty is not None else None),
            "reporter_label": rep_label, "partner_label": par_label,
            "product_label": code_label or None, "location": f"{layout}!{number}",
        }


def write_facts(rows: Iterator[dict[str, Any]], directory: Path, fid: str) -> int:
    """Write fact rows as sorted Parquet chunks under ``directory``."""
    pa, pq = require("pyarrow"), require("pyarrow.parquet")
    from .stages import schema

    fields = [f for f in schema("trade_facts") if f.name != "file_id"]
    target = pa.schema(fields)
    directory.mkdir(parents=True, exist_ok=True)
    total, part = 0, 0
    chunk: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal part, total
        if not chunk:
            return
        table = pa.Table.from_pylist(chunk, schema=target).sort_by([(k, "ascending") for k in SORT_KEYS])
        pq.write_table(table, directory / f"part-{part:05d}.parquet", row_group_size=ROW_GROUP_ROWS,
                       compression="zstd")
        total += len(chunk)
        part += 1
        chunk.clear()

    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            flush()
    flush()
    return total


def import_comtrade(paths: list[str], dataset: str | Path) -> dict[str, Any]:
    """Add bulk files to the dataset; see the module docstring."""
    from ..ingest import walk

    dataset = Path(dataset)
    dataset.mkdir(parents=True, exist_ok=True)
    manifest_path = dataset / SOURCES
    sources = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    summary: dict[str, Any] = {"files": 0, "written": 0, "unchanged": 0, "failed": 0, "rows": 0,
                               "skipped": {}, "failures": []}
    skipped: Counter = Counter()
    for path in walk(paths):
        summary["files"] += 1
        key = str(path.resolve())
        fid = file_id(key)
        try:
            sha = _sha256(path)
        except OSError as exc:
            summary["failed"] += 1
            summary["failures"].append({"path": str(path), "reason": f"cannot open: {exc.strerror or exc}"})
            continue
        if sources.get(fid, {}).get("sha256") == sha:
            summary["unchanged"] += 1
            continue
        staging = dataset / f".staging-{fid}"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            rows = write_facts(facts_of(path, skipped), staging, fid)
        except (ComtradeFormatError, UnicodeError, csv.Error, EOFError, OSError) as exc:
            shutil.rmtree(staging, ignore_errors=True)
            summary["failed"] += 1
            summary["failures"].append({"path": str(path), "reason": str(exc) or type(exc).__name__})
            continue
        final = dataset / f"file_id={fid}"
        shutil.rmtree(final, ignore_errors=True)
        os.replace(staging, final)
        sources[fid] = {"path": key, "sha256": sha, "rows": rows}
        tmp = manifest_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(sources, indent=1))
        os.replace(tmp, manifest_path)
        summary["written"] += 1
        summary["rows"] += rows
    summary["skipped"] = dict(skipped)
    return summary


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
