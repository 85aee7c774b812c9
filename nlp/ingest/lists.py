"""Sanctions-list readers: one :class:`~nlp.records.ListingEntry` per listed
party, plus ONE ``listing`` document per file whose blocks are the entries.

Formats (each sniffed on its header line or root element, with a priority
above the generic CSV/XML/XLSX readers):

* **OpenSanctions EU journal CSV** (consolidated ``celex,recordId,...`` and
  amendment ``amendedCelex,amendmentCelex,...`` files): one entry per row;
  ``;``-separated multi-value cells are split with :mod:`csv` as the format's
  own contract says (``delimiter=";"``, quoted values kept whole).
* **OFAC SDN legacy CSV** (``sdn.csv``, no header, ``-0-`` = empty): joined by
  ``ent_num`` with the siblings ``alt.csv`` (aliases), ``add.csv`` (addresses)
  and ``sdn_comments.csv`` (remarks overflow) found in the same folder; DOB,
  nationality, passport, IMO, MMSI and a few id numbers are parsed out of the
  remarks. The siblings themselves are claimed by a small reader that returns a
  ``reference`` document saying they were merged into ``sdn.csv`` — so a
  folder ingests without failures and without counting entries twice.
* **UN Security Council consolidated XML** (``CONSOLIDATED_LIST``):
  INDIVIDUAL and ENTITY records, parsed with lxml (entities and network
  access disabled).
* **UK sanctions list CSVs** (covyr's normalised ``subjects.csv`` with
  ``subject_names.csv`` and ``subject_dobs.csv``): joined on ``unique_id``;
  the siblings are claimed like OFAC's.
* **EU FSF merged CSV** (FSF file joined with travel bans): rows grouped by
  entity logical id; names from the FSF name column and the ``nameAlias``
  records. ``Abbreviation_FSD_extract_program.xlsx`` (programme codes) is read
  with openpyxl into a ``reference`` document and, when it sits next to the
  FSF CSV, gives each entry its programme title.

Dates become ISO strings (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) when they
parse, else stay as printed (``circa 1960``). Schemas are mapped to Person /
Organization / Vessel / Asset (aircraft and OpenSanctions assets are Asset).

This module does not match names across lists, resolve countries to codes,
or download lists; it reads files already on disk.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from ..celex import parse as parse_celex
from ..records import Document, ListingEntry, ReadResult, TextBuilder, content_id
from .registry import ReadError, first_line, head_text, reader, suffix
from .textutil import decode_text, parse_date

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


# -- OpenSanctions EU journal CSV ------------------------------------------

EU_CONSOLIDATED_HEAD = "celex,recordId,programKey,annex,measure,startDate,reason,schema,name"
EU_AMENDMENT_HEAD = "amendedCelex,amendmentCelex,recordId,programKey,annex,measure,startDate"

# OpenSanctions column -> identifier key (kept short; the block text shows them)
EU_IDENTIFIERS = {
    "innCode": "inn", "ogrnCode": "ogrn", "kppCode": "kpp", "okpoCode": "okpo",
    "leiCode": "lei", "swiftBic": "swift_bic", "imoNumber": "imo", "mmsi": "mmsi",
    "passportNumber": "passport", "taxNumber": "tax_number", "idNumber": "id_number",
    "registrationNumber": "registration_number", "ticker": "ticker",
}
EU_EXTRA = ("country", "jurisdiction", "birthPlace", "position", "gender", "incorporationDate",
            "legalForm", "sector", "address", "phone", "email", "website", "notes", "flag")
SCHEMAS = {"person": "Person", "individual": "Person", "p": "Person",
           "legalentity": "Organization", "company": "Organization", "organization": "Organization",
           "entity": "Organization", "e": "Organization", "-0-": "Organization", "": "Organization",
           "vessel": "Vessel", "ship": "Vessel", "asset": "Asset", "aircraft": "Asset"}


def eu_list_name(celex: str) -> tuple[str, str | None]:
    """``32014R0269`` -> (``EU 269/2014``, ``Council Regulation (EU) No 269/2014``)."""
    act = parse_celex(celex)
    if act is None:
        return f"EU {celex}", None
    year, kind, number = act.year, act.letter, act.number
    if kind == "R":
        act = (f"Council Regulation (EU) No {number}/{year}" if year < 2015
               else f"Council Regulation (EU) {year}/{number}")
        return f"EU {number}/{year}", act
    if kind == "D":
        return f"EU {year}/{number}/CFSP", f"Council Decision {year}/{number}/CFSP"
    return f"EU {number}/{year}", None


def _sniff_eu_journal(path: Path, head: bytes) -> bool:
    line = first_line(head)
    return line.startswith(EU_CONSOLIDATED_HEAD) or line.startswith(EU_AMENDMENT_HEAD)


@reader("eu-journal-csv", "OpenSanctions EU journal sanctions CSV (annex listings of EU acts)",
        sniff=_sniff_eu_journal, priority=PRIORITY)
def read_eu_journal(path: Path, data: bytes) -> ReadResult:
    text = _decode(data)
    header, rows = _csv_rows(text, what="EU journal CSV", header=True)
    assert header is not None
    required = {"recordId", "programKey", "annex", "measure", "startDate", "reason", "schema", "name"}
    missing = required - set(header)
    if missing or not ({"celex", "amendedCelex"} & set(header)):
        raise ReadError(f"EU journal CSV: missing columns {', '.join(sorted(missing)) or 'celex'}")
    _check_width(rows, len(header), "EU journal CSV", offset=2)
    celex_column = "celex" if "celex" in header else "amendedCelex"
    entries: list[ListingEntry] = []
    used: set[tuple[str, str]] = set()
    list_names: set[str] = set()
    for row in rows:
        record = dict(zip(header, (c.strip() for c in row)))
        celex = record[celex_column]
        list_name, act = eu_list_name(celex)
        list_names.add(list_name)
        annex = record["annex"] or "-"
        # recordId repeats across annexes (and is empty for some annexes), so the
        # annex is part of the id; an entry without a number is named by its name.
        base = f"{annex}/{record['recordId'] or record['name']}"
        source_id, n = base, 1
        while (list_name, source_id) in used:
            n += 1
            source_id = f"{base}#{n}"
        used.add((list_name, source_id))
        identifiers: dict[str, list[str]] = {}
        for column, key in EU_IDENTIFIERS.items():
            _add_id(identifiers, key, *split_multi(record.get(column)))
        aliases = _unique([*split_multi(record.get("alias")), *split_multi(record.get("weakAlias")),
                           *split_multi(record.get("previousName"))])
        extra: dict = {"annex": record["annex"], "measure": record["measure"], "celex": celex,
                       "record_id": record["recordId"], "source_schema": record["schema"]}
        if record.get("amendmentCelex"):
            extra["amendment_celex"] = record["amendmentCelex"]
        if split_multi(record.get("weakAlias")):
            extra["weak_aliases"] = split_multi(record.get("weakAlias"))
        for column in EU_EXTRA:
            values = split_multi(record.get(column))
            if values:
                extra["addresses" if column == "address" else
                      re.sub(r"(?<!^)([A-Z])", r"_\1", column).lower()] = values
        entries.append(_entry(
            list_name, source_id, SCHEMAS.get(record["schema"].lower(), "Organization"),
            record["name"], aliases=[a for a in aliases if a != record["name"]],
            birth_dates=birth_dates(split_multi(record.get("birthDate"))),
            nationalities=split_multi(record.get("nationality")),
            identifiers=identifiers, programme=record["programKey"] or None,
            listing_date=listing_date(record["startDate"]), reason=record["reason"] or None,
            legal_act=act, source=f"{path}#{source_id}", extra=extra,
        ))
    name = " + ".join(sorted(list_names))
    return listing_result(path, _sha(data), name, entries,
                          title=f"{name}: annex listings ({len(entries)} entries, {path.name})",
                          meta={"format": "opensanctions-eu-journal"})


# -- OFAC SDN legacy CSV ----------------------------------------------------

SDN_COLUMNS = ("ent_num", "name", "type", "program", "title", "call_sign", "vessel_type",
               "tonnage", "grt", "vessel_flag", "vessel_owner", "remarks")
OFAC_PARTS = {"alt.csv": ("aliases", 5), "add.csv": ("addresses", 6),
              "sdn_comments.csv": ("remarks overflow", 2)}


def _ofac(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value == "-0-" else value


def _looks_like_ofac_row(line: str, width: int) -> bool:
    try:
        row = next(csv.reader([line]))
    except (csv.Error, StopIteration):
        return False
    return len(row) == width and row[0].strip().isdigit()


def _sniff_ofac_sdn(path: Path, head: bytes) -> bool:
    if path.name.lower() == "sdn.csv":
        return True
    line = first_line(head)
    return "-0-" in head_text(head) and _looks_like_ofac_row(line, 12)


_REMARK_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("dob", re.compile(r"^(?:alt\. )?DOB (.+)$")),
    ("nationality", re.compile(r"^(?:alt\. )?[Nn]ationality (.+)$")),
    ("citizen", re.compile(r"^(?:alt\. )?[Cc]itizen (.+)$")),
    ("pob", re.compile(r"^(?:alt\. )?POB (.+)$")),
    ("gender", re.compile(r"^Gender (.+)$")),
    ("passport", re.compile(r"^(?:alt\. )?Passport (.+)$")),
    ("imo", re.compile(r"^(?:Vessel Registration Identification )?IMO (\d{7})\b")),
    ("mmsi", re.compile(r"^MMSI (\d+)")),
    ("national_id", re.compile(r"^(?:alt\. )?National ID No\. (.+)$")),
    ("tax_id", re.compile(r"^(?:alt\. )?Tax ID No\. (.+)$")),
    ("registration_number", re.compile(r"^(?:alt\. )?Registration (?:ID|Number) (.+)$")),
    ("swift_bic", re.compile(r"^SWIFT/BIC (.+)$")),
    ("aka", re.compile(r"^(?:a\.k\.a\.|f\.k\.a\.) '(.+)'$")),
    ("linked_to", re.compile(r"^Linked To: (.+)$")),
    ("email", re.compile(r"^(?:alt\. )?Email Address (.+)$")),
    ("website", re.compile(r"^(?:alt\. )?Website (.+)$")),
]


def parse_ofac_remarks(remarks: str) -> dict[str, list[str]]:
    """Facts from an SDN remarks field (``DOB 12 Mar 1970; nationality Russia; ...``).

    Only the labels listed in ``_REMARK_PATTERNS`` are parsed; other remark
    items are left in the remarks text.
    """
    facts: dict[str, list[str]] = defaultdict(list)
    for item in re.split(r";\s+", remarks.strip().rstrip(".")):
        item = item.strip()
        for key, pattern in _REMARK_PATTERNS:
            m = pattern.match(item)
            if m:
                value = m[1].strip().rstrip(".")
                if value and value not in facts[key]:
                    facts[key].append(value)
                break
    return dict(facts)


def _siblings(path: Path, names: Iterable[str]) -> dict[str, Path]:
    """Sibling files present in ``path``'s folder, matched case-insensitively."""
    wanted = {n.lower() for n in names}
    try:
        return {p.name.lower(): p for p in path.parent.iterdir() if p.name.lower() in wanted and p.is_file()}
    except OSError:
        return {}


def _read_sibling(path: Path, width: int, what: str) -> tuple[bytes, list[list[str]]]:
    data = path.read_bytes()
    _, rows = _csv_rows(_decode(data), what=what, header=False)
    _check_width(rows, width, what)
    return data, rows


@reader("ofac-sdn-csv", "OFAC SDN legacy CSV (sdn.csv, joined with alt/add/sdn_comments siblings)",
        sniff=_sniff_ofac_sdn, priority=PRIORITY)
def read_ofac_sdn(path: Path, data: bytes) -> ReadResult:
    _, rows = _csv_rows(_decode(data), what="OFAC sdn.csv", header=False)
    _check_width(rows, len(SDN_COLUMNS), "OFAC sdn.csv")
    siblings = _siblings(path, OFAC_PARTS)
    aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)
    addresses: dict[str, list[str]] = defaultdict(list)
    countries: dict[str, list[str]] = defaultdict(list)
    overflow: dict[str, str] = {}
    consumed = [data]
    sibling_errors: dict[str, str] = {}
    for name, file in sorted(siblings.items()):
        what, width = OFAC_PARTS[name]
        try:
            sib_data, sib_rows = _read_sibling(file, width, f"OFAC {name}")
        except (ReadError, OSError) as exc:
            # a broken sibling costs its facts, not the whole list; the
            # sibling's own ingest reports the error
            sibling_errors[name] = str(exc)
            continue
        consumed.append(sib_data)
        for row in sib_rows:
            key = row[0].strip()
            if name == "alt.csv":
                aliases[key].append((_ofac(row[2]).lower(), _ofac(row[3])))
            elif name == "add.csv":
                address = ", ".join(v for v in map(_ofac, row[2:5]) if v)
                if address:
                    addresses[key].append(address)
                if _ofac(row[4]):
                    countries[key].append(_ofac(row[4]))
            else:
                overflow[key] = overflow.get(key, "") + row[1]
    entries: list[ListingEntry] = []
    for row in rows:
        record = dict(zip(SDN_COLUMNS, (_ofac(c) for c in row)))
        ent_num = record["ent_num"]
        remarks = record["remarks"] + overflow.get(ent_num, "")
        facts = parse_ofac_remarks(remarks) if remarks else {}
        kind = record["type"].lower()
        schema = SCHEMAS.get(kind, "Organization")
        identifiers: dict[str, list[str]] = {}
        _add_id(identifiers, "imo", *facts.get("imo", []))
        _add_id(identifiers, "mmsi", *facts.get("mmsi", []))
        _add_id(identifiers, "passport", *facts.get("passport", []))
        _add_id(identifiers, "national_id", *facts.get("national_id", []))
        _add_id(identifiers, "tax_number", *facts.get("tax_id", []))
        _add_id(identifiers, "registration_number", *facts.get("registration_number", []))
        _add_id(identifiers, "swift_bic", *facts.get("swift_bic", []))
        _add_id(identifiers, "call_sign", record["call_sign"])
        alias_names = _unique([n for _, n in aliases.get(ent_num, [])] + facts.get("aka", []))
        extra: dict = {"ofac_type": kind or "entity"}
        weak = [n for t, n in aliases.get(ent_num, []) if t == "fka"]
        if weak:
            extra["former_names"] = weak
        for key in ("title", "vessel_type", "tonnage", "grt", "vessel_owner"):
            if record[key]:
                extra[key] = record[key]
        if record["vessel_flag"]:
            extra["flag"] = record["vessel_flag"]
        if addresses.get(ent_num):
            extra["addresses"] = _unique(addresses[ent_num])
        if countries.get(ent_num):
            extra["countries"] = _unique(countries[ent_num])
        for key in ("pob", "gender", "linked_to", "email", "website"):
            if facts.get(key):
                extra[key] = facts[key]
        if remarks:
            extra["remarks"] = remarks
        programmes = [p.strip() for p in re.split(r"\]\s*\[", record["program"].strip("[] ")) if p.strip()]
        entries.append(_entry(
            LIST_OFAC, ent_num, schema, record["name"],
            aliases=[a for a in alias_names if a != record["name"]],
            birth_dates=birth_dates(facts.get("dob", [])),
            nationalities=_unique(facts.get("nationality", []) + facts.get("citizen", [])),
            identifiers=identifiers, programme="; ".join(programmes) or None,
            source=f"{path}#{ent_num}", extra=extra,
        ))
    return listing_result(
        path, _sha(*consumed), LIST_OFAC, entries,
        title=f"OFAC SDN list, legacy CSV ({len(entries)} entries)",
        meta={"format": "ofac-sdn-legacy-csv", "merged": sorted(set(siblings) - set(sibling_errors)),
              "sibling_errors": sibling_errors},
    )


def _sniff_ofac_part(path: Path, head: bytes) -> bool:
    name = path.name.lower()
    if name not in OFAC_PARTS:
        return False
    # next to an sdn.csv the name is enough (so a broken file gets a clear error)
    return _looks_like_ofac_row(first_line(head), OFAC_PARTS[name][1]) or "sdn.csv" in _siblings(path, ["sdn.csv"])


@reader("ofac-sdn-part", "OFAC SDN alt/add/sdn_comments CSV: merged into the sibling sdn.csv",
        sniff=_sniff_ofac_part, priority=PRIORITY)
def read_ofac_part(path: Path, data: bytes) -> ReadResult:
    name = path.name.lower()
    what, width = OFAC_PARTS.get(name, ("rows", 0))
    _, rows = _csv_rows(_decode(data), what=f"OFAC {name}", header=False)
    if width:
        _check_width(rows, width, f"OFAC {name}")
    return _part_reference(path, data, LIST_OFAC, "sdn.csv", what, rows, key_column=0)


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


# -- UN consolidated XML ----------------------------------------------------

def _sniff_un(path: Path, head: bytes) -> bool:
    return "<CONSOLIDATED_LIST" in head_text(head, 2048)


def _xml_root(data: bytes, what: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                             remove_blank_text=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"{what}: invalid XML: {exc}") from None


def _text(element, tag: str) -> str:
    child = element.find(tag)
    return " ".join((child.text or "").split()) if child is not None and child.text else ""


def _values(element, tag: str) -> list[str]:
    return _unique(v.text for v in element.findall(f"{tag}/VALUE") if v.text)


def _un_birth_dates(element) -> list[str]:
    out: list[str] = []
    for dob in element.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        date, year = _text(dob, "DATE"), _text(dob, "YEAR")
        start, end = _text(dob, "FROM_YEAR"), _text(dob, "TO_YEAR")
        note = _text(dob, "NOTE")
        if date:
            out.append(iso_date(date) or date)
        elif year:
            out.append(year)
        elif start and end:
            out.append(f"{start} to {end}")
        elif note:
            out.append(iso_date(note) or note)
    return _unique(out)


@reader("un-consolidated-xml", "UN Security Council consolidated sanctions list XML",
        sniff=_sniff_un, priority=PRIORITY)
def read_un_consolidated(path: Path, data: bytes) -> ReadResult:
    root = _xml_root(data, "UN consolidated XML")
    if root.tag != "CONSOLIDATED_LIST":
        raise ReadError(f"UN consolidated XML: root element is {root.tag}, expected CONSOLIDATED_LIST")
    entries: list[ListingEntry] = []
    for element in [*root.iterfind("INDIVIDUALS/INDIVIDUAL"), *root.iterfind("ENTITIES/ENTITY")]:
        individual = element.tag == "INDIVIDUAL"
        data_id = _text(element, "DATAID")
        if not data_id:
            raise ReadError(f"UN consolidated XML: an {element.tag} has no DATAID")
        name = " ".join(p for p in (_text(element, t) for t in
                                    ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")) if p)
        alias_tag = "INDIVIDUAL_ALIAS" if individual else "ENTITY_ALIAS"
        aliases, weak = [], []
        for alias in element.findall(alias_tag):
            alias_name, quality = _text(alias, "ALIAS_NAME"), _text(alias, "QUALITY")
            if alias_name:
                aliases.append(alias_name)
                if quality.lower() == "low":
                    weak.append(alias_name)
        original = _text(element, "NAME_ORIGINAL_SCRIPT")
        if original:
            aliases.insert(0, original)
        identifiers: dict[str, list[str]] = {}
        _add_id(identifiers, "un_reference", _text(element, "REFERENCE_NUMBER"))
        for document in element.findall("INDIVIDUAL_DOCUMENT"):
            number = _text(document, "NUMBER")
            kind = _text(document, "TYPE_OF_DOCUMENT") or "document"
            if number:
                key = re.sub(r"\W+", "_", kind.lower()).strip("_")
                # French/Spanish labels appear on a few records
                key = "passport" if re.search(r"passport|passeport|pasaporte", key) else key
                _add_id(identifiers, key, number)
        extra: dict = {"un_type": element.tag.lower()}
        if weak:
            extra["weak_aliases"] = _unique(weak)
        for key, values in (("designation", _values(element, "DESIGNATION")),
                            ("title", _values(element, "TITLE")),
                            ("list_type", _values(element, "LIST_TYPE"))):
            if values:
                extra[key] = values
        address_tag = "INDIVIDUAL_ADDRESS" if individual else "ENTITY_ADDRESS"
        addresses = _unique(", ".join(p for p in (_text(a, t) for t in
                                                  ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")) if p)
                            for a in element.findall(address_tag))
        if addresses:
            extra["addresses"] = addresses
        if _text(element, "GENDER"):
            extra["gender"] = _text(element, "GENDER")
        entries.append(_entry(
            LIST_UN, data_id, "Person" if individual else "Organization", name or original,
            aliases=[a for a in _unique(aliases) if a != name],
            birth_dates=_un_birth_dates(element) if individual else [],
            nationalities=_values(element, "NATIONALITY"), identifiers=identifiers,
            programme=_text(element, "UN_LIST_TYPE") or None,
            listing_date=listing_date(_text(element, "LISTED_ON")),
            reason=_text(element, "COMMENTS1") or None,
            source=f"{path}#{data_id}", extra=extra,
        ))
    generated = root.get("dateGenerated")
    return listing_result(path, _sha(data), LIST_UN, entries,
                          title=f"UN Security Council consolidated list ({len(entries)} entries)",
                          published=iso_date((generated or "")[:10]) if generated else None,
                          meta={"format": "un-consolidated-xml", "date_generated": generated})


# -- UK sanctions list (covyr normalised CSVs) --------------------------------

UK_SUBJECTS_HEAD = "unique_id,subject_type,un_reference_number,ofsi_group_id,date_designated"
UK_PARTS = {"subject_names.csv": ("names", "name_id,unique_id,name_type"),
            "subject_dobs.csv": ("dates of birth", "dob_id,unique_id,year")}


def _sniff_uk_subjects(path: Path, head: bytes) -> bool:
    return first_line(head).startswith(UK_SUBJECTS_HEAD)


def _dict_rows(data: bytes, what: str, required: set[str]) -> list[dict[str, str]]:
    header, rows = _csv_rows(_decode(data), what=what, header=True)
    assert header is not None
    missing = required - set(header)
    if missing:
        raise ReadError(f"{what}: missing columns {', '.join(sorted(missing))}")
    _check_width(rows, len(header), what, offset=2)
    return [dict(zip(header, (c.strip() for c in row))) for row in rows]


def _uk_dob(row: dict[str, str]) -> str | None:
    try:
        year = int(row.get("year") or 0)
        month = int(row["month"]) if (row.get("month") or "").isdigit() else None
        day = int(row["day"]) if (row.get("day") or "").isdigit() and month else None
    except ValueError:
        return None
    if not year or not _valid(year, month, day):
        return None
    precision = row.get("precision", "")
    if precision == "year_only":
        return _iso(year)
    if precision == "month_year":
        return _iso(year, month)
    return _iso(year, month, day)


@reader("uk-sanctions-csv", "UK sanctions list CSVs (subjects.csv joined with subject_names/subject_dobs)",
        sniff=_sniff_uk_subjects, priority=PRIORITY)
def read_uk_subjects(path: Path, data: bytes) -> ReadResult:
    subjects = _dict_rows(data, "UK subjects.csv", {"unique_id", "subject_type", "date_designated"})
    siblings = _siblings(path, UK_PARTS)
    consumed = [data]
    sibling_errors: dict[str, str] = {}
    names: dict[str, list[dict[str, str]]] = defaultdict(list)
    dobs: dict[str, list[str]] = defaultdict(list)
    required = {"subject_names.csv": {"unique_id", "name_type", "full_name"},
                "subject_dobs.csv": {"unique_id", "year", "month", "day"}}
    for name, file in sorted(siblings.items()):
        try:
            sib = file.read_bytes()
            sib_rows = _dict_rows(sib, f"UK {name}", required[name])
        except (ReadError, OSError) as exc:
            sibling_errors[name] = str(exc)  # reported by the sibling's own ingest too
            continue
        consumed.append(sib)
        for row in sib_rows:
            if name == "subject_names.csv":
                names[row["unique_id"]].append(row)
            else:
                dob = _uk_dob(row)
                if dob and dob not in dobs[row["unique_id"]]:
                    dobs[row["unique_id"]].append(dob)
    entries: list[ListingEntry] = []
    latest = ""
    for subject in subjects:
        uid = subject["unique_id"]
        rows = names.get(uid, [])
        primary = [r["full_name"] for r in rows if r["name_type"] == "primary" and r["full_name"]]
        others = [r["full_name"] for r in rows if r["name_type"] != "primary" and r["full_name"]]
        name = primary[0] if primary else (others[0] if others else uid)
        weak = [r["full_name"] for r in rows if r.get("alias_strength") == "low_quality_aka"]
        identifiers: dict[str, list[str]] = {}
        _add_id(identifiers, "un_reference", subject.get("un_reference_number"))
        _add_id(identifiers, "ofsi_group_id", subject.get("ofsi_group_id"))
        updated = iso_date(subject.get("last_updated")) or ""
        latest = max(latest, updated)
        extra: dict = {"regime_code": re.sub(r"\d+$", "", uid), "subject_type": subject["subject_type"]}
        if updated:
            extra["last_updated"] = updated
        if weak:
            extra["weak_aliases"] = _unique(weak)
        entries.append(_entry(
            LIST_UK, uid, SCHEMAS.get(subject["subject_type"].lower(), "Organization"), name,
            aliases=[a for a in _unique(primary[1:] + others) if a != name],
            birth_dates=dobs.get(uid, []), identifiers=identifiers,
            programme=extra["regime_code"] or None,
            listing_date=listing_date(subject.get("date_designated")),
            source=f"{path}#{uid}", extra=extra,
        ))
    return listing_result(path, _sha(*consumed), LIST_UK, entries,
                          title=f"UK sanctions list ({len(entries)} subjects)",
                          published=latest or None,
                          meta={"format": "uk-sanctions-list-csv",
                                "merged": sorted(set(siblings) - set(sibling_errors)),
                                "sibling_errors": sibling_errors})


def _sniff_uk_part(path: Path, head: bytes) -> bool:
    line = first_line(head)
    return any(line.startswith(prefix) for _, prefix in UK_PARTS.values())


@reader("uk-sanctions-part", "UK sanctions list subject_names/subject_dobs CSV: merged into subjects.csv",
        sniff=_sniff_uk_part, priority=PRIORITY)
def read_uk_part(path: Path, data: bytes) -> ReadResult:
    line = first_line(data[:4096])
    what = next((w for w, prefix in UK_PARTS.values() if line.startswith(prefix)), "rows")
    rows = _dict_rows(data, f"UK {path.name}", {"unique_id"})
    return _part_reference(path, data, LIST_UK, "subjects.csv", what,
                           [[r["unique_id"]] for r in rows], key_column=0)


# -- EU FSF merged CSV ------------------------------------------------------

FSF_ID = "Entity_logical_id...2"
_FSF_DATE_REMARK = re.compile(r"Date of (?:listing|designation):\s*(\d{4}-\d{2}-\d{2})")
_ABBREVIATIONS = re.compile(r"abbreviation.*program", re.I)


def _sniff_fsf(path: Path, head: bytes) -> bool:
    line = first_line(head)
    return "Entity_logical_id" in line and "Naal_wholename" in line


def _na(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value in ("NA", "N/A") else value


def _fsf_name_aliases(cell: str) -> list[dict]:
    """The ``nameAlias`` column: a Python-literal list of dicts (as R printed it)."""
    if not cell.startswith("["):
        return []
    try:
        value = ast.literal_eval(cell)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return []
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def programme_titles(path: Path) -> dict[str, str]:
    """Programme code -> title from an FSD abbreviation workbook next to ``path``."""
    for sibling in sorted(path.parent.glob("*.xlsx")):
        if _ABBREVIATIONS.search(sibling.name):
            try:
                return dict(_abbreviation_rows(sibling.read_bytes()))
            except ReadError:
                return {}
    return {}


@reader("eu-fsf-csv", "EU FSF financial-sanctions CSV merged with travel bans (grouped by entity)",
        sniff=_sniff_fsf, priority=PRIORITY)
def read_eu_fsf(path: Path, data: bytes) -> ReadResult:
    rows = _dict_rows(data, "EU FSF CSV", {FSF_ID, "Subject_type", "Programme", "Naal_wholename"})
    groups: dict[str, list[dict[str, str]]] = {}
    without_id = 0
    for row in rows:
        key = _na(row.get(FSF_ID)) or _na(row.get("logicalId"))
        if not key:
            without_id += 1
            continue
        groups.setdefault(key, []).append(row)
    titles = programme_titles(path)
    entries: list[ListingEntry] = []
    for key, group in groups.items():
        names: list[str] = []
        functions: list[str] = []
        genders: list[str] = []
        for row in group:
            names.append(_na(row.get("Naal_wholename")))
            names.append(_na(row.get("nameAlias.wholeName")))
            for alias in _fsf_name_aliases(_na(row.get("nameAlias"))):
                names.append(str(alias.get("wholeName") or ""))
                functions.append(str(alias.get("function") or ""))
                genders.append(str(alias.get("gender") or ""))
            functions += [_na(row.get("Naal_function")), _na(row.get("nameAlias.function"))]
        names = _unique(names)
        if not names:
            without_id += 1
            continue
        first = group[0]
        subject = (_na(first.get("Subject_type")) or _na(first.get("subjectType.classificationCode"))).lower()
        programme = _na(first.get("Programme")) or _na(first.get("Naal_programme"))
        remarks = _unique(_na(r.get("Entity_remark")) or _na(r.get("remark")) for r in group)
        listed = _na(first.get("Leba_publication_date"))
        if not listed:
            m = next((_FSF_DATE_REMARK.search(r) for r in remarks if _FSF_DATE_REMARK.search(r)), None)
            listed = m[1] if m else ""
        identifiers: dict[str, list[str]] = {}
        _add_id(identifiers, "eu_reference", *(_na(r.get("EU_ref_num")) for r in group))
        extra: dict = {"sanction_type": _na(first.get("type"))}
        if programme in titles:
            extra["programme_title"] = titles[programme]
        for field_name, column in (("legal_basis_url", "Leba_url"),
                                   ("regulation_url", "regulation.publicationUrl")):
            if _na(first.get(column)):
                extra[field_name] = _na(first.get(column))
        if _unique(functions):
            extra["function"] = _unique(functions)
        if _unique(genders):
            extra["gender"] = _unique(genders)
        countries = _unique(_na(r.get("Addr_country")) for r in group)
        if countries:
            extra["countries"] = countries
        entries.append(_entry(
            LIST_FSF, key, SCHEMAS.get(subject, "Organization"), names[0], aliases=names[1:],
            birth_dates=birth_dates([_na(r.get("Birt_date")) or _na(r.get("birthdate.year")) for r in group]),
            nationalities=_unique(_na(r.get("citizenship.countryDescription")) or _na(r.get("Birt_country"))
                                  for r in group),
            identifiers=identifiers, programme=programme or None,
            listing_date=listing_date(listed) if listed else None,
            reason="\n".join(remarks).replace("\\n", "\n") or None,
            legal_act=_na(first.get("Leba_numtitle")) or _na(first.get("regulation.numberTitle")) or None,
            source=f"{path}#{key}", extra=extra,
        ))
    return listing_result(path, _sha(data), LIST_FSF, entries,
                          title=f"EU financial sanctions file with travel bans ({len(entries)} entries)",
                          meta={"format": "eu-fsf-merged-csv", "rows": len(rows),
                                "rows_without_id_or_name": without_id})


def _abbreviation_rows(data: bytes) -> Iterator[tuple[str, str]]:
    """(code, title) rows of the FSD programme-abbreviation sheet; ReadError if not that shape."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken zips
        raise ReadError(f"programme abbreviations: not a readable xlsx ({type(exc).__name__})") from None
    found = False
    for sheet in book.worksheets:
        header_seen = False
        for row in sheet.iter_rows(values_only=True):
            cells = [str(c).strip() for c in row if c is not None and str(c).strip()]
            if not cells:
                continue
            if not header_seen:
                header_seen = [c.upper() for c in cells[:2]] == ["CODE", "TITLE"]
                if not header_seen:
                    break  # not the abbreviation sheet
                continue
            if len(cells) >= 2:
                found = True
                yield cells[0], cells[1]
    if not found:
        raise ReadError("programme abbreviations: no sheet with CODE/TITLE columns")


def _sniff_abbreviations(path: Path, head: bytes) -> bool:
    return suffix(path) == "xlsx" and head.startswith(b"PK") and bool(_ABBREVIATIONS.search(path.name))


@reader("eu-fsf-programmes", "EU FSD programme abbreviations workbook (code -> regime title)",
        sniff=_sniff_abbreviations, priority=PRIORITY)
def read_programme_abbreviations(path: Path, data: bytes) -> ReadResult:
    rows = [[code, title] for code, title in _abbreviation_rows(data)]
    builder = TextBuilder()
    title = "EU financial sanctions programme abbreviations"
    builder.add("title", title)
    builder.add_table([["CODE", "TITLE"], *rows], section="Sheet1")
    document = Document(doc_id=content_id("reference", data), kind="reference", lang="en",
                        text=builder.text, source=str(path), title=title, blocks=builder.blocks,
                        meta={"programmes": len(rows)})
    return ReadResult(documents=[document])


__all__ = [
    "entry_text", "eu_list_name", "iso_date", "listing_date", "parse_ofac_remarks",
    "programme_titles", "split_multi",
]
