"""OpenSanctions EU journal CSV (consolidated ``celex,recordId,...`` and
amendment ``amendedCelex,amendmentCelex,...`` files): one entry per row.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...celex import parse as parse_celex
from ...records import ListingEntry, ReadResult
from ..registry import ReadError, first_line, reader
from .common import (
    PRIORITY,
    SCHEMAS,
    _add_id,
    _check_width,
    _csv_rows,
    _decode,
    _entry,
    _sha,
    _unique,
    birth_dates,
    listing_date,
    listing_result,
    split_multi,
)

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

def eu_list_name(celex: str) -> tuple[str, str | None]:
    """``32014R0269`` -> (``EU 269/2014``, ``Council Regulation (EU) No 269/2014``)."""
    parsed = parse_celex(celex)
    if parsed is None:
        return f"EU {celex}", None
    year, kind, number = parsed.year, parsed.letter, parsed.number
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
