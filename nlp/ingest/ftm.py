"""FollowTheMoney JSON Lines (OpenSanctions dataset exports, ``sanctions export --format ftm``) -> listing entries.

Each line is one FtM entity (``id``, ``schema``, ``properties``, and in
OpenSanctions exports ``datasets``, ``target``, ...). Parties (``Person``,
``Organization``, ``Company``, ``LegalEntity``, ``Vessel``, ``Airplane``,
``Asset``) that are sanctioned (``target: true``, the topic ``sanction``,
or a ``Sanction`` entity pointing at them) become
:class:`~nlp.records.ListingEntry` records; their ``Sanction`` entities give
the programme, listing date, reason, legal provisions and UN reference; FtM
identifier properties map back to the project's identifier keys
(``imoNumber`` -> ``imo``, ``innCode`` -> ``inn``, ...). The FtM id is kept
in ``extra["ftm_id"]`` so an export gives the entity the same id again.

The list name comes from the dataset (``eu_fsf`` -> "EU FSF", ...), else
the entity's ``publisher``, else ``OpenSanctions <dataset>``. All entries
hang off one ``listing`` document that renders them, as the other list
readers do.

Library: ``followthemoney`` (the model validates schema names and cleans
values), already a dependency of the FtM export.

What it does not do: read documents, mentions or relationships in an FtM
file (ownership, family) — only sanctioned parties and their sanctions.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..records import ListingEntry, ReadResult, content_id
from .lists.common import listing_result
from .registry import ReadError, head_text, reader, suffix

PARTY_SCHEMAS = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane", "Asset", "PublicBody")
LIST_NAMES = {"eu_fsf": "EU FSF", "gb_fcdo_sanctions": "UK sanctions list", "gb_hmt_sanctions": "UK sanctions list",
              "us_ofac_sdn": "OFAC SDN", "un_sc_sanctions": "UN consolidated"}
IDENTIFIER_KEYS = {"imoNumber": "imo", "mmsi": "mmsi", "passportNumber": "passport", "idNumber": "national_id",
                   "taxNumber": "tax_number", "innCode": "inn", "ogrnCode": "ogrn", "swiftBic": "swift_bic",
                   "callSign": "call_sign", "registrationNumber": "registration_number", "leiCode": "lei"}


def _looks_ftm(path: Path, head: bytes) -> bool:
    if suffix(path) not in ("json", "jsonl", "ndjson", "ftm"):
        return False
    first = head_text(head).lstrip()[:4096].split("\n", 1)[0]
    try:
        entity = json.loads(first)
    except json.JSONDecodeError:
        return False
    return isinstance(entity, dict) and "schema" in entity and isinstance(entity.get("properties"), dict) \
        and "id" in entity


def _values(entity: dict[str, Any], *props: str) -> list[str]:
    out: list[str] = []
    for prop in props:
        for value in entity.get("properties", {}).get(prop) or []:
            if isinstance(value, str) and value.strip() and value not in out:
                out.append(value.strip())
    return out


def _list_name(entity: dict[str, Any], file_stem: str) -> str:
    for dataset in entity.get("datasets") or []:
        if dataset in LIST_NAMES:
            return LIST_NAMES[dataset]
    publisher = _values(entity, "publisher")
    if publisher:
        return publisher[0]
    datasets = entity.get("datasets") or [file_stem.split(".")[0]]
    return f"OpenSanctions {datasets[0]}"


@reader("ftm-json", "FollowTheMoney JSON Lines (OpenSanctions dataset exports; sanctioned parties and sanctions)",
        sniff=_looks_ftm, priority=40)
def read_ftm(path: Path, data: bytes) -> ReadResult:
    from followthemoney import model

    entities: list[dict[str, Any]] = []
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entity = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ReadError(f"line {number}: not JSON ({exc.msg})") from None
        if isinstance(entity, dict) and entity.get("id") and model.get(entity.get("schema") or ""):
            entities.append(entity)
    sanctions: dict[str, list[dict[str, Any]]] = {}
    for entity in entities:
        if entity["schema"] == "Sanction":
            for target in _values(entity, "entity"):
                sanctions.setdefault(target, []).append(entity)
    entries: list[ListingEntry] = []
    list_names: set[str] = set()
    for entity in entities:
        schema = model.get(entity["schema"])
        if schema is None or not any(schema.is_a(name) for name in PARTY_SCHEMAS if model.get(name)):
            continue
        own = sanctions.get(entity["id"], [])
        sanctioned = entity.get("target") or "sanction" in _values(entity, "topics") or own
        names = _values(entity, "name")
        if not sanctioned or not names:
            continue
        list_name = _list_name(entity, path.name)
        list_names.add(list_name)
        entries.append(_entry(entity, schema.name, names, own, list_name, path))
    if not entries:
        raise ReadError("no sanctioned parties in the FtM file (no target entities or Sanction links)")
    name = sorted(list_names)[0] if len(list_names) == 1 else "FtM lists"
    sha = hashlib.sha256(data).hexdigest()
    return listing_result(path, sha, name, entries, title=f"{name}: {len(entries)} listed parties (FtM)",
                          meta={"format": "ftm", "entities": len(entities), "lists": sorted(list_names)})


def _entry(entity: dict[str, Any], schema: str, names: list[str], own: list[dict[str, Any]], list_name: str,
           path: Path) -> ListingEntry:
    aliases = [n for n in names[1:] + _values(entity, "alias", "previousName") if n != names[0]]
    identifiers: dict[str, list[str]] = {}
    for prop, key in IDENTIFIER_KEYS.items():
        values = _values(entity, prop)
        if values:
            identifiers[key] = values
    un_ids = [v for s in own for v in _values(s, "unscId")]
    if un_ids:
        identifiers["un_reference"] = un_ids
    first = lambda *props: next((v for s in own for v in _values(s, *props)), None)  # noqa: E731
    country_props = ("nationality", "citizenship") if schema == "Person" else ("country", "jurisdiction", "flag")
    return ListingEntry(
        entry_id=content_id("ftm", entity["id"]), list_name=list_name,
        source_id=first("authorityId") or entity["id"], schema=schema, name=names[0],
        aliases=list(dict.fromkeys(aliases)), birth_dates=_values(entity, "birthDate"),
        nationalities=[v.upper() for v in _values(entity, *country_props)], identifiers=identifiers,
        programme=first("program", "programId"), listing_date=first("listingDate", "startDate"),
        reason=first("reason", "summary"), legal_act=first("provisions"),
        source=f"{path}#{entity['id']}",
        extra={"ftm_id": entity["id"], "datasets": entity.get("datasets") or [],
               "sanctions": [s["id"] for s in own]},
    )
