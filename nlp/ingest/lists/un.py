"""UN Security Council consolidated list XML (``CONSOLIDATED_LIST``):
INDIVIDUAL and ENTITY records, parsed with lxml (entities and network access
disabled).
"""

from __future__ import annotations

import re
from pathlib import Path

from ...records import ListingEntry, ReadResult
from ..registry import ReadError, head_text, reader
from .common import LIST_UN, PRIORITY, _add_id, _entry, _sha, _unique, iso_date, listing_date, listing_result

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
