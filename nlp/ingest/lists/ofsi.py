"""UK OFSI consolidated-list regime PDFs: numbered free-text entries
(``Name 6: ... Group ID: N.``) -> one :class:`~nlp.records.ListingEntry` and one
``entry`` block each, in a ``listing`` Document.

The PDF reader (:mod:`nlp.ingest.pdf`) hands such files here; this module
reads the entries from its page model.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ...records import Document, ListingEntry, TextBuilder, content_id
from ..pdf.layout import Line, Page, _clean_meta, _pdf_meta, drop_furniture, join_lines
from ..textutil import detect_lang, parse_date

# --------------------------------------------------------------------------
# UK OFSI consolidated-list regime PDFs.

OFSI_LIST_NAME = "UK OFSI consolidated list"
OFSI_ENTRY_START = re.compile(r"^(\d+)\.\s+(Name 6:|Organisation Name:|Ship Name:|Vessel Name:)")
# Labels in the order they may appear; "(X):" labels are OFSI's "Other Information" fields.
OFSI_LABELS = [
    "Name 6", "Organisation Name", "Ship Name", "Vessel Name", "Name (non-Latin script)", "Title", "DOB", "POB", "a.k.a",
    "Nationality", "Passport Number", "Passport Details", "National Identification Number",
    "National Identification Details", "Position", "Address", "Other Information",
    "Incorporation date", "Date trust services sanctions imposed", "Listed on",
    "UK Sanctions List Date Designated", "Last Updated", "Group ID",
]
_OFSI_LABEL = re.compile(
    r"(?P<paren>\((?P<plabel>[A-Z][A-Za-z ./-]{1,40})\)\s*:)"
    r"|(?P<plain>(?<![A-Za-z])(?P<label>" + "|".join(re.escape(l) for l in sorted(OFSI_LABELS, key=len, reverse=True))
    + r")\s*:)")
_UK_REF = re.compile(r"\b[A-Z]{2,4}\d{3,5}\b")  # CYB0071, CHW0009
_NUMBERED = re.compile(r"\((\d+)\)\s*")


def looks_like_ofsi(first_text: str) -> bool:
    return bool(re.search(r"CONSOLIDATED LIST OF FINANCIAL SANCTIONS", first_text, re.I)
                and re.search(r"Name 6:|Organisation Name:|Group\s+ID:", first_text))


def _ofsi_fields(text: str) -> list[tuple[str, str]]:
    """(label, value) pairs of one entry's text, in order."""
    marks = list(_OFSI_LABEL.finditer(text))
    out = []
    for mark, nxt in zip(marks, [*marks[1:], None]):
        label = mark["plabel"] or mark["label"]
        value = text[mark.end(): nxt.start() if nxt else len(text)]
        out.append((label, value.strip().rstrip(".").strip()))
    return out


def _numbered(value: str) -> list[str]:
    """'(1) A (2) B' -> ['A', 'B']; a single value -> [value]."""
    value = value.strip()
    if not value or value.lower() == "n/a":
        return []
    if _NUMBERED.match(value):
        parts = [p.strip().rstrip(".").strip() for p in _NUMBERED.split(value)[2::2]]
        return [p for p in parts if p and p.lower() != "n/a"]
    return [value.rstrip(".").strip()]


def ofsi_date(value: str) -> str | None:
    """OFSI dates are DD/MM/YYYY; 00 marks an unknown day or month."""
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\.?\s*", value)
    if not m:
        return None
    day, month, year = int(m[1]), int(m[2]), m[3]
    if month == 0:
        return year
    if day == 0:
        return f"{year}-{month:02d}"
    return parse_date(f"{year}-{month:02d}-{day:02d}")


def _ofsi_name(value: str) -> str:
    """'ANANEV 1: VLADIMIR 2: VLADIMIROVICH 3: n/a ...' -> 'VLADIMIR VLADIMIROVICH ANANEV'."""
    parts = re.split(r"\s(\d):\s*", " " + value.strip())
    surname = parts[0].strip()
    given = [p.strip().rstrip(".") for p in parts[2::2]]
    names = [g for g in given if g and g.lower() != "n/a"]
    return " ".join([*names, surname]).strip()


def _ofsi_aliases(value: str) -> list[str]:
    aliases: list[str] = []
    for alias in _numbered(value):
        inner = re.search(r"\(non-Latin script:\s*([^)]*)\)", alias)
        alias = re.sub(r"\s*\(non-Latin script:[^)]*\)", "", alias).strip()
        aliases.extend(a for a in (alias, inner.group(1).strip() if inner else "") if a)
    return aliases


def parse_ofsi_entry(text: str, programme: str | None, source: str, doc_id: str | None,
                     category: str | None = None) -> ListingEntry:
    number = re.match(r"^\s*(\d+)\.", text)
    body = re.sub(r"^\s*\d+\.\s*", "", text)
    fields_ = _ofsi_fields(body)
    values: dict[str, list[str]] = {}
    for label, value in fields_:
        values.setdefault(label, []).append(value)

    def first(label: str) -> str | None:
        return values[label][0] if values.get(label) and values[label][0] else None

    # The section heading (INDIVIDUALS / ENTITIES / SHIPS) decides; the name label backs it up.
    schema = {"Individuals": "Person", "Entities": "Organization", "Ships": "Vessel", "Vessels": "Vessel"}.get(
        category or "", "Person" if "Name 6" in values else
        "Vessel" if ("Ship Name" in values or "Vessel Name" in values) else "Organization")
    if "Name 6" in values:
        name = _ofsi_name(first("Name 6") or "")
    else:
        name = first("Organisation Name") or first("Ship Name") or first("Vessel Name") or ""
    aliases: list[str] = []
    non_latin, aka = first("Name (non-Latin script)"), first("a.k.a")
    if non_latin:
        aliases.extend(_numbered(non_latin))
    if aka:
        aliases.extend(_ofsi_aliases(aka))
    aliases = list(dict.fromkeys(a for a in aliases if a and a != name))
    identifiers: dict[str, list[str]] = {}
    for label, key in (("Passport Number", "passport"),
                       ("National Identification Number", "national_id"), ("Group ID", "ofsi_group_id")):
        found = [v for value in values.get(label, []) for v in _numbered(value)]
        if found:
            identifiers[key] = list(dict.fromkeys(found))
    refs = [r for value in values.get("UK Sanctions List Ref", []) for r in _UK_REF.findall(value)]
    if refs:
        identifiers["uk_ref"] = list(dict.fromkeys(refs))
    group_id = identifiers.get("ofsi_group_id", [None])[0]
    ref = identifiers.get("uk_ref", [None])[0]
    birth_dates = [ofsi_date(d) or d for value in values.get("DOB", []) for d in _numbered(value)]
    extra: dict[str, Any] = {}
    if number:
        extra["entry_number"] = int(number.group(1))
    if category:
        extra["category"] = category
    for label, key in (("POB", "birth_places"), ("Position", "positions"), ("Address", "addresses"),
                       ("Title", "titles"), ("Passport Details", "passport_details"),
                       ("National Identification Details", "national_id_details")):
        found = [v for value in values.get(label, []) for v in _numbered(value)]
        if found:
            extra[key] = found
    for label, key in (("Gender", "gender"), ("Type of entity", "entity_type"), ("Website", "website"),
                       ("Parent company", "parent_company"), ("Subsidiaries", "subsidiaries"),
                       ("Phone number", "phone"), ("Email address", "email"),
                       ("Business Reg No", "business_reg_no"), ("Incorporation date", "incorporation_date"),
                       ("Date trust services sanctions imposed", "trust_services_sanctions_date")):
        if first(label):
            extra[key] = first(label)
    for label, key in (("UK Sanctions List Date Designated", "designated"), ("Last Updated", "last_updated")):
        printed = first(label)
        if printed:
            extra[key] = ofsi_date(printed) or printed
    known = {"Name 6", "Organisation Name", "Ship Name", "Vessel Name", "Name (non-Latin script)", "a.k.a", "DOB", "Nationality",
             "UK Sanctions List Ref", "UK Statement of Reasons", "Listed on", "Group ID", "Other Information",
             "Passport Number", "National Identification Number", "POB", "Position", "Address", "Title",
             "Passport Details", "National Identification Details", "Gender", "Type of entity", "Website",
             "Parent company", "Subsidiaries", "Phone number", "Email address", "Business Reg No",
             "Incorporation date", "Date trust services sanctions imposed", "UK Sanctions List Date Designated",
             "Last Updated"}
    for label, vals in values.items():
        if label not in known and any(vals):
            extra.setdefault("other", {})[label] = "; ".join(v for v in vals if v)
    listed = first("Listed on")
    source_id = group_id or ref or (number.group(1) if number else name)
    return ListingEntry(
        entry_id=content_id("UK-OFSI", source_id), list_name=OFSI_LIST_NAME, source_id=source_id,
        schema=schema, name=name, aliases=aliases,
        birth_dates=birth_dates,
        nationalities=[v for value in values.get("Nationality", []) for v in _numbered(value)],
        identifiers=identifiers, programme=programme,
        listing_date=(ofsi_date(listed) or listed) if listed else None,
        reason=first("UK Statement of Reasons"), source=f"{source}#{source_id}", doc_id=doc_id, extra=extra)


def _ofsi_document(pages: list[Page], data: bytes, path: Path, metadata: dict) -> tuple[Document, list[ListingEntry]]:
    drop_furniture(pages)
    doc_id = content_id(data)
    header: list[Line] = []
    entries: list[tuple[int, str | None, list[Line]]] = []  # (page, category, lines)
    category: str | None = None
    for page in pages:
        for line in page.lines:
            if re.fullmatch(r"INDIVIDUALS|ENTITIES|SHIPS|VESSELS", line.text.strip()):
                category = line.text.strip().title()
                continue
            if OFSI_ENTRY_START.match(line.text):
                entries.append((page.number, category, [line]))
            elif entries:
                entries[-1][2].append(line)
            else:
                header.append(line)
    header_text = "\n".join(l.text for l in header)
    programme = re.search(r"REGIME:\s*(.+)", header_text)
    programme_name = programme.group(1).strip() if programme else None
    updated = re.search(r"Last Updated:\s*(\d{1,2}/\d{1,2}/\d{4})", header_text)
    title = _clean_meta(metadata.get("Title")) or join_lines(l.text for l in header[:2])
    builder = TextBuilder()
    builder.add("title", header_text, page=1)
    listings = []
    current_category = None
    for page_number, entry_category, lines in entries:
        if entry_category and entry_category != current_category:
            current_category = entry_category
            builder.add("heading", entry_category.upper(), page=page_number)
        text = "\n".join(l.text for l in lines)
        flat = join_lines(l.text for l in lines)
        entry = parse_ofsi_entry(flat, programme_name, str(path), doc_id, entry_category)
        listings.append(entry)
        builder.add("entry", text, page=page_number, section=f"entry {entry.source_id}")
    meta: dict[str, Any] = {"layout": "ofsi", "pages": len(pages), "entries": len(listings),
                            "list_name": OFSI_LIST_NAME}
    if programme_name:
        meta["programme"] = programme_name
    status = re.search(r"Status:\s*(.+)", header_text)
    if status:
        meta["status"] = status.group(1).strip()
    _pdf_meta(meta, metadata)
    text = builder.text
    document = Document(
        doc_id=doc_id, kind="listing", lang=detect_lang(text), text=text, source=str(path),
        title=f"{title} — {programme_name}" if programme_name and title else title,
        published=ofsi_date(updated.group(1)) if updated else None, author="OFSI",
        blocks=builder.blocks, meta=meta)
    return document, listings
