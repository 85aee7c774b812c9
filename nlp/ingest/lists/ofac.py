"""OFAC SDN legacy CSV (``sdn.csv`` joined with ``alt.csv``, ``add.csv`` and
``sdn_comments.csv``), with DOB, nationality and ids parsed out of the remarks;
the siblings themselves get a ``reference`` document saying they were merged.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

from ...records import ListingEntry, ReadResult
from ..registry import ReadError, first_line, head_text, reader
from .common import (
    LIST_OFAC,
    PRIORITY,
    SCHEMAS,
    _add_id,
    _check_width,
    _csv_rows,
    _decode,
    _entry,
    _part_reference,
    _sha,
    _siblings,
    _unique,
    birth_dates,
    listing_result,
)

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
