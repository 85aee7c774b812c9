"""What every list reader shares: list names, date and multi-value cell
parsing, CSV access, and the ``listing`` document whose blocks are the entries.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ...records import Document, ListingEntry, ReadResult, TextBuilder, content_id
from ..registry import ReadError
from ..textutil import decode_text, parse_date

PRIORITY = 50  # above the generic CSV / XML / XLSX readers

LIST_OFAC = "OFAC SDN"
LIST_UN = "UN consolidated"
LIST_UK = "UK sanctions list"
LIST_FSF = "EU FSF"

csv.field_size_limit(16 * 1024 * 1024)  # EU reasons and OFAC remarks are long


# -- small pure helpers -----------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_WORDED = re.compile(r"(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?,?\s+(\d{4})")
_ISO_PART = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _valid(year: int, month: int | None = None, day: int | None = None) -> bool:
    from datetime import date

    try:
        date(year, month or 1, day or 1)
        return 1800 < year < 2200
    except ValueError:
        return False


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def iso_date(text: str | None) -> str | None:
    """An ISO (possibly partial) date from one printed date, or None.

    Handles the shapes the lists print: ``17.3.2014``, ``29/06/2012``,
    ``12 Mar 1970``, ``26 Feb. 2011``, ``24 May 2026``, ``Mar 1970``,
    ``2011-02``, ``1971``. Fast (no dateparser) because lists hold thousands.
    """
    month: int | None
    day: int | None
    if not text:
        return None
    value = " ".join(str(text).split()).strip(" .;,")
    m = _DOTTED.fullmatch(value) or _SLASHED.fullmatch(value)
    if m:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        return _iso(year, month, day) if _valid(year, month, day) else None
    m = _ISO_PART.fullmatch(value)
    if m:
        year = int(m[1])
        month = int(m[2]) if m[2] else None
        day = int(m[3]) if m[3] else None
        return _iso(year, month, day) if _valid(year, month, day) else None
    m = _WORDED.fullmatch(value)
    if m:
        month = _MONTHS.get(m[2][:3].lower())
        if month is None or (len(m[2]) > 3 and not _full_month(m[2])):
            return None
        year, day = int(m[3]), int(m[1]) if m[1] else None
        return _iso(year, month, day) if _valid(year, month, day) else None
    return None


def _full_month(word: str) -> bool:
    full = ("january", "february", "march", "april", "may", "june", "july", "august",
            "september", "sept", "october", "november", "december")
    return word.lower() in full


@lru_cache(maxsize=4096)
def listing_date(text: str | None) -> str | None:
    """A listing date as ISO; dateparser only for shapes :func:`iso_date` misses."""
    if not text or not text.strip():
        return None
    return iso_date(text) or parse_date(text) or text.strip()


def birth_dates(values: Iterable[str]) -> list[str]:
    """Printed birth dates to ISO where possible, split on ``or``; else as printed."""
    out: list[str] = []
    for value in values:
        value = " ".join(value.split())
        if not value:
            continue
        # "18.1.1970 or 29.3.1965", "10.2.1983 (or 10.3.1983)"
        parts = re.split(r"\s+or\s+", re.sub(r"[()]", " ", value).strip())
        parsed = [iso_date(p) for p in parts]
        items = parsed if all(parsed) else [iso_date(value) or value]
        for item in items:
            if item and item not in out:
                out.append(item)
    return out


def split_multi(cell: str | None) -> list[str]:
    """An OpenSanctions ``;``-separated cell to its values (quoted values whole)."""
    if not cell or not cell.strip():
        return []
    try:
        values = next(csv.reader([cell], delimiter=";", skipinitialspace=True))
    except (csv.Error, StopIteration):
        values = cell.split(";")
    return _unique(v.strip() for v in values)


def _unique(values: Iterable[str | None]) -> list[str]:
    seen: list[str] = []
    for value in values:
        value = " ".join((value or "").split())
        if value and value not in seen:
            seen.append(value)
    return seen


def _add_id(identifiers: dict[str, list[str]], key: str, *values: str | None) -> None:
    for value in values:
        value = " ".join((value or "").split())
        if value and value not in identifiers.setdefault(key, []):
            identifiers[key].append(value)
    if not identifiers.get(key):
        identifiers.pop(key, None)


def _decode(data: bytes) -> str:
    text, _ = decode_text(data)
    return text.replace("\x1a", "")  # DOS end-of-file byte at the end of OFAC files


def _csv_rows(text: str, *, what: str, header: bool) -> tuple[list[str] | None, list[list[str]]]:
    """Parse CSV text; raise ReadError on a malformed file."""
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in row)]
    except csv.Error as exc:
        raise ReadError(f"{what}: malformed CSV: {exc}") from None
    if not rows:
        raise ReadError(f"{what}: no rows")
    if header:
        return [c.strip() for c in rows[0]], rows[1:]
    return None, rows


def _check_width(rows: list[list[str]], width: int, what: str, *, offset: int = 1) -> None:
    for number, row in enumerate(rows, offset):
        if len(row) != width:
            raise ReadError(f"{what}: row {number} has {len(row)} fields, expected {width}")


def _sha(*chunks: bytes) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


# -- the listing document ---------------------------------------------------

def entry_text(entry: ListingEntry) -> str:
    """One entry as a compact block: name; aliases; key facts; reason."""
    lines = [entry.name]
    aliases = [a for a in entry.aliases if a != entry.name]
    if aliases:
        lines.append("aliases: " + "; ".join(aliases))
    facts = [entry.schema]
    if entry.birth_dates:
        facts.append("born " + ", ".join(entry.birth_dates))
    if entry.nationalities:
        facts.append("nationality " + ", ".join(entry.nationalities))
    for key, values in entry.identifiers.items():
        facts.append(f"{key} " + ", ".join(values))
    for key in ("flag", "vessel_type", "addresses"):
        value = entry.extra.get(key)
        if value:
            facts.append(f"{key.replace('_', ' ')} " + ("; ".join(value) if isinstance(value, list) else str(value)))
    if entry.programme:
        facts.append(f"programme {entry.programme}")
    if entry.listing_date:
        facts.append(f"listed {entry.listing_date}")
    lines.append(" | ".join(facts))
    if entry.reason:
        lines.append("reason: " + " ".join(entry.reason.split()))
    return "\n".join(lines)


def listing_result(path: Path, sha: str, list_name: str, entries: list[ListingEntry], *,
                   title: str, published: str | None = None, meta: dict | None = None) -> ReadResult:
    """Wrap entries in one ``listing`` document and point each entry at it."""
    if not entries:
        raise ReadError(f"{list_name}: no entries found")
    builder = TextBuilder()
    builder.add("title", title)
    for entry in entries:
        builder.add("entry", entry_text(entry), section=f"entry {entry.source_id}")
    doc_id = content_id("listing", list_name, sha)
    for entry in entries:
        entry.doc_id = doc_id
        entry.source = entry.source or str(path)
    document = Document(
        doc_id=doc_id, kind="listing", lang="en", text=builder.text, source=str(path),
        title=title, published=published, blocks=builder.blocks,
        meta={"list_name": list_name, "entries": len(entries), **(meta or {})},
    )
    return ReadResult(documents=[document], listings=entries)


def _entry(list_name: str, source_id: str, schema: str, name: str, **fields) -> ListingEntry:
    return ListingEntry(entry_id=content_id(list_name, source_id), list_name=list_name,
                        source_id=source_id, schema=schema, name=name, **fields)


def _reference_result(path: Path, data: bytes, title: str, body: list[str],
                      meta: dict) -> ReadResult:
    builder = TextBuilder()
    builder.add("title", title)
    for paragraph in body:
        builder.add("paragraph", paragraph)
    document = Document(doc_id=content_id("reference", data), kind="reference", lang="en",
                        text=builder.text, source=str(path), title=title,
                        blocks=builder.blocks, meta=meta)
    return ReadResult(documents=[document])

SCHEMAS = {"person": "Person", "individual": "Person", "p": "Person",
           "legalentity": "Organization", "company": "Organization", "organization": "Organization",
           "entity": "Organization", "e": "Organization", "-0-": "Organization", "": "Organization",
           "vessel": "Vessel", "ship": "Vessel", "asset": "Asset", "aircraft": "Asset"}

def _siblings(path: Path, names: Iterable[str]) -> dict[str, Path]:
    """Sibling files present in ``path``'s folder, matched case-insensitively."""
    wanted = {n.lower() for n in names}
    try:
        return {p.name.lower(): p for p in path.parent.iterdir() if p.name.lower() in wanted and p.is_file()}
    except OSError:
        return {}


def _part_reference(path: Path, data: bytes, list_name: str, main: str, what: str,
                    rows: list[list[str]], key_column: int) -> ReadResult:
    keys = {row[key_column].strip() for row in rows if len(row) > key_column}
    merged = main.lower() in _siblings(path, [main])
    title = f"{list_name}: {what} ({path.name}), merged into {main}"
    if merged:
        body = [f"{len(rows)} rows for {len(keys)} entries. The {main} reader in the same folder "
                f"joins these rows into its entries; this file adds no entries of its own, "
                f"so that a folder ingest counts every entry once."]
    else:
        body = [f"{len(rows)} rows for {len(keys)} entries. No {main} was found next to it, "
                f"so these rows are not attached to any entry."]
    return _reference_result(path, data, title, body,
                             {"list_name": list_name, "part_of": main, "rows": len(rows),
                              "entries": len(keys), "merged": merged})


def _dict_rows(data: bytes, what: str, required: set[str]) -> list[dict[str, str]]:
    header, rows = _csv_rows(_decode(data), what=what, header=True)
    assert header is not None
    missing = required - set(header)
    if missing:
        raise ReadError(f"{what}: missing columns {', '.join(sorted(missing))}")
    _check_width(rows, len(header), what, offset=2)
    return [dict(zip(header, (c.strip() for c in row))) for row in rows]
