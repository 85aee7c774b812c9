"""The store as FollowTheMoney (FtM) entities, built with the ``followthemoney`` library.

What goes out (one entity per JSON line, ``EntityProxy.to_dict()``):

* **Documents**: news as ``Article``, trade tables as ``Table``, everything
  else (acts, list files, reference files) as ``Document``; a text longer
  than FtM's text limit (65,000 characters) makes the document ``Pages``
  with one ``Page`` per part (cut at paragraph breaks), as Aleph stores
  long files; with ``title``,
  ``language``, ``publishedAt``, ``author``, ``publisher`` (the channel or
  web site), ``fileName`` (a local file) or ``sourceUrl`` (a web page), ``bodyText``, and the names and countries the
  extraction found (``peopleMentioned``, ``companiesMentioned``,
  ``detectedCountry``).
* **Mentions**: one ``Mention`` per distinct (document, name, schema) from the
  entity layer (people and organisations) of news and acts, linked to its
  document; ``resolved`` points to the listed entity when the name matches a
  sanctions-list entry (the project's list matcher at its own threshold,
  :func:`nlp.tag.names.list_matcher`).
* **Listed entries**: ``Person``, ``Company`` (an organisation whose name
  carries a legal form), ``Organization``, ``Vessel`` or ``Asset``, with
  aliases, birth dates, nationalities and identifiers, the topic
  ``sanction``, and one ``Sanction`` (authority = the list, program, listing
  date, reason, legal act). Entries read from OpenSanctions FtM exports keep
  their OpenSanctions ids, so nomenklatura and yente merge them with the
  upstream records.
* **Claims and verdicts**: FtM has no claim schema; each stored claim is a
  ``Note`` on its document: ``name`` = ``"Claim: <verdict>"``, ``description``
  = the claim sentence, ``summary`` = the verification's explanation,
  ``keywords`` = ``claim``, ``verdict:<verdict>``, ``reporter:<ISO2>``,
  ``partner:<ISO2>``, ``flow:<flow>`` and ``hs:<code>`` for the frame, and
  ``notes`` = one line per series used (labelled ``PROXY`` or ``MIRROR``
  where it is not the claim's own series).

Ids are stable (``snlp-`` + a hash of the record's store id), so a re-export
updates rather than duplicates entities in Aleph.

What it does not do: write to Aleph or any other service (``alephclient
write-entities`` reads this output), or export trade facts one by one (FtM
has no schema for statistical observations; the ``Table`` stands for them).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import urlsplit

from ..records import Document, ListingEntry
from ..store import Store

PREFIX = "snlp"
PUBLISHER = "sanctions-nlp"
SINGLE_TOKEN_SCORE = 0.95
NAME_LIMIT = 380  # FtM's name type limit is 384
TITLE_LIMIT = 1_000  # FtM's string type limit is 1,024
DOCUMENT_SCHEMAS = {"news": "Article", "trade_table": "Table"}  # anything else: Document
MENTION_SCHEMAS = {"PERSON": "Person", "PER": "Person", "ORG": "Organization"}
COUNTRY_LABELS = {"GPE", "LOC"}
MENTION_KINDS = ("news", "regulation")
BODY_TEXT_LIMIT = 60_000  # FtM's text type holds at most 65,000 characters; longer texts go in Pages
IDENTIFIER_PROPS = {
    "imo": "imoNumber", "mmsi": "mmsi", "passport": "passportNumber", "national_id": "idNumber",
    "tax_number": "taxNumber", "inn": "innCode", "ogrn": "ogrnCode", "swift_bic": "swiftBic",
    "call_sign": "callSign", "registration_number": "registrationNumber",
}
SANCTION_IDENTIFIERS = {"un_reference": "unscId"}
_URL = re.compile(r"^https?://", re.I)

Resolver = Callable[[str, str], "ListingEntry | None"]


def _id(*parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"{PREFIX}-{digest}"


def document_id(doc_id: str) -> str:
    return f"{PREFIX}-doc-{doc_id}"


def listing_id(entry: ListingEntry) -> str:
    """The FtM id of a listed entry: its OpenSanctions id when it came from one."""
    if entry.extra.get("ftm_id"):
        return str(entry.extra["ftm_id"])
    return f"{PREFIX}-entry-{entry.entry_id}"


def _model():
    from followthemoney import model

    return model


def _file_name(source: str) -> str | None:
    """The file a document was read from (a record's ``#id`` dropped); None for a web page."""
    if not source or _URL.match(source):
        return None
    return re.split(r"[\\/]", source.split("#", 1)[0].rstrip("/\\"))[-1] or None


def _publisher(doc: Document) -> str | None:
    """Who published the document: its channel, or the web site it was copied from."""
    channel = (doc.meta or {}).get("channel")
    if channel:
        return str(channel)
    if _URL.match(doc.source or ""):
        host = urlsplit(doc.source).hostname or ""
        return host.removeprefix("www.") or None
    return None


def fit_limits(entity: Any) -> Any:
    """Keep every value within FtM's length limit for its property type (what ``Schema.validate``
    checks): a longer identifier or code is kept as printed in ``notes`` (or a Sanction's
    ``summary``), labelled with its property; a longer mentioned name (an NER run-on) is dropped."""
    overflow = "notes" if entity.schema.get("notes") else "summary" if entity.schema.get("summary") else None
    moved: list[str] = []
    for prop in list(entity.iterprops()):
        limit = prop.type.max_length
        values = entity.get(prop)
        long = [v for v in values if limit and len(v) > limit]
        if not long:
            continue
        entity.pop(prop)  # (remove() would leave an empty list behind)
        entity.add(prop, [v for v in values if v not in long], cleaned=True)
        if overflow and prop.name not in MENTIONED_PROPS and prop.name != overflow:
            moved += [f"{prop.name}: {value}" for value in long]
    for line in moved:
        entity.add(overflow, line[:60_000])
    return entity


MENTIONED_PROPS = {"peopleMentioned", "companiesMentioned", "namesMentioned", "detectedCountry"}


# -- documents -------------------------------------------------------------------

def document_entity(doc: Document, annotations: list[dict[str, Any]] | None = None, *,
                    body_text: bool = True):
    """The FtM entity for a stored document (names and countries from its annotations)."""
    paged = body_text and len(doc.text or "") > BODY_TEXT_LIMIT
    entity = _model().make_entity("Pages" if paged else DOCUMENT_SCHEMAS.get(doc.kind, "Document"))
    entity.id = document_id(doc.doc_id)
    entity.add("title", (doc.title or "")[:TITLE_LIMIT] or None)
    entity.add("language", doc.lang)
    entity.add("publishedAt", doc.published)
    entity.add("author", doc.author)
    entity.add("publisher", _publisher(doc))
    if _URL.match(doc.source or ""):
        entity.add("sourceUrl", doc.source)
    entity.add("fileName", _file_name(doc.source))
    entity.add("keywords", doc.kind)
    if body_text and doc.text and not paged:
        entity.add("bodyText", doc.text)
    if doc.kind not in MENTION_KINDS:
        return fit_limits(entity)  # a list's or a table's names are its entries, not mentions
    for item in annotations or ():
        if item.get("layer") != "entity":
            continue
        label = item.get("label") or ""
        schema = MENTION_SCHEMAS.get(label)
        if schema == "Person":
            entity.add("peopleMentioned", item["text"])
        elif schema == "Organization":
            entity.add("companiesMentioned", item["text"])
        elif label in COUNTRY_LABELS:
            entity.add("detectedCountry", item["text"], fuzzy=True)
    return fit_limits(entity)


def text_parts(text: str, limit: int = BODY_TEXT_LIMIT) -> list[str]:
    """``text`` cut into parts of at most ``limit`` characters, at paragraph or line breaks when possible."""
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n\n", 0, limit)
        if cut > limit // 2:
            parts.append(text[:cut])
            text = text[cut + 2:]  # FtM strips the separator anyway; join parts with a blank line
        else:
            parts.append(text[:limit])
            text = text[limit:]
    if text:
        parts.append(text)
    return parts


def page_entities(doc: Document) -> Iterator[Any]:
    """``Page`` entities for a document exported as ``Pages`` (see :func:`document_entity`)."""
    if len(doc.text or "") <= BODY_TEXT_LIMIT:
        return
    model = _model()
    for number, part in enumerate(text_parts(doc.text), 1):
        page = model.make_entity("Page")
        page.id = _id("page", doc.doc_id, str(number))
        page.add("document", document_id(doc.doc_id))
        page.add("index", number)
        page.add("bodyText", part)
        yield page


# -- mentions --------------------------------------------------------------------

def mention_entities(doc: Document, annotations: list[dict[str, Any]],
                     resolve: Resolver | None = None) -> Iterator[Any]:
    """One ``Mention`` per distinct person/organisation name in the document."""
    model = _model()
    countries = sorted({item["text"] for item in annotations
                        if item.get("layer") == "entity" and item.get("label") in COUNTRY_LABELS})
    seen: set[tuple[str, str]] = set()
    for item in annotations:
        schema = MENTION_SCHEMAS.get(item.get("label") or "") if item.get("layer") == "entity" else None
        name = " ".join(str(item.get("text") or "").split())
        if schema is None or not 2 <= len(name) <= NAME_LIMIT or (name.casefold(), schema) in seen:
            continue
        seen.add((name.casefold(), schema))
        mention = model.make_entity("Mention")
        mention.id = _id("mention", doc.doc_id, schema, name.casefold())
        mention.add("document", document_id(doc.doc_id))
        mention.add("name", name)
        mention.add("detectedSchema", schema)
        for country in countries:
            mention.add("contextCountry", country, fuzzy=True)
        entry = resolve(name, schema) if resolve else None
        if entry is not None:
            mention.add("resolved", listing_id(entry))
        yield mention


# -- listed entries -------------------------------------------------------------

def listing_schema(entry: ListingEntry) -> str:
    if entry.schema in ("Person", "Vessel", "Asset"):
        return entry.schema
    if entry.schema in ("Company", "Organization", "LegalEntity") or not entry.schema:
        from ..tag.names import prepare

        if entry.schema == "Company" or prepare(entry.name, "Organization").legal_forms:
            return "Company"
        return "Organization"
    from followthemoney import model

    return entry.schema if model.get(entry.schema) is not None else "LegalEntity"


def listing_entities(entry: ListingEntry) -> list[Any]:
    """The listed party and its ``Sanction``."""
    model = _model()
    schema = listing_schema(entry)
    party = model.make_entity(schema)
    party.id = listing_id(entry)
    party.add("name", entry.name[:NAME_LIMIT])
    for alias in entry.aliases:
        if alias and alias != entry.name and len(alias) <= NAME_LIMIT:
            party.add("alias", alias)
    party.add("topics", "sanction")
    party.add("publisher", entry.list_name)
    if schema == "Person":
        party.add("birthDate", entry.birth_dates)
        party.add("nationality", entry.nationalities, fuzzy=True)
    else:
        party.add("country", entry.nationalities, fuzzy=True)
    for key, values in entry.identifiers.items():
        if key in SANCTION_IDENTIFIERS:
            continue
        prop = IDENTIFIER_PROPS.get(key)
        for value in values:
            before = len(party.get(prop)) if prop and party.schema.get(prop) else None
            if before is not None:
                party.add(prop, value)
            if before is None or len(party.get(prop)) == before:
                # a list's own numbering (ofsi_group_id...) or a value FtM refuses (a bad IMO
                # check digit): kept as printed, labelled, rather than dropped
                party.add("notes", f"{key}: {value}")
    if _URL.match(entry.source or ""):
        party.add("sourceUrl", entry.source)

    sanction = model.make_entity("Sanction")
    sanction.id = _id("sanction", party.id, entry.list_name, entry.source_id)
    sanction.add("entity", party.id)
    sanction.add("authority", entry.list_name)
    sanction.add("authorityId", entry.source_id)
    sanction.add("program", entry.programme)
    sanction.add("listingDate", entry.listing_date)
    sanction.add("reason", entry.reason)
    for key, prop in SANCTION_IDENTIFIERS.items():
        sanction.add(prop, entry.identifiers.get(key))
    if entry.legal_act:
        sanction.add("provisions", entry.legal_act)
    return [fit_limits(party), fit_limits(sanction)]


# -- claims ------------------------------------------------------------------

def claim_entity(doc_id: str, claim: dict[str, Any]):
    """A stored claim and its verdict as a ``Note`` on its document (see the module docstring)."""
    note = _model().make_entity("Note")
    verdict = str(claim.get("verdict") or "no_data")
    note.id = _id("claim", doc_id, str(claim.get("claim_id") or claim.get("claim") or ""))
    note.add("entity", document_id(doc_id))
    note.add("name", f"Claim: {verdict}")
    note.add("description", claim.get("claim"))
    note.add("summary", claim.get("explanation"))
    note.add("publisher", PUBLISHER)
    frame = claim.get("frame") or {}
    keywords = ["claim", f"verdict:{verdict}"]
    for key in ("reporter", "partner", "flow"):
        if frame.get(key):
            keywords.append(f"{key}:{frame[key]}")
    for code in (frame.get("subject") or {}).get("codes") or []:
        keywords.append(f"hs:{code}")
    note.add("keywords", keywords)
    for series in claim.get("series") or []:
        kind = "MIRROR" if series.get("mirror") else "PROXY" if series.get("proxy") else "series"
        change = series.get("change_pct")
        line = f"{kind}: {series.get('label')}"
        if change is not None:
            line += f" ({change:+.1f}%)" if isinstance(change, (int, float)) else f" ({change})"
        if series.get("caveat"):
            line += f"; caveat: {series['caveat']}"
        note.add("notes", line)
    return fit_limits(note)


# -- the whole store ----------------------------------------------------------

@dataclass
class ExportCounts:
    documents: int = 0
    mentions: int = 0
    resolved: int = 0
    listed: int = 0
    sanctions: int = 0
    claims: int = 0

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def store_resolver(store: Store) -> Resolver:
    """Mention name -> listed entry, through the project's list matcher (cached per name).

    Stricter than a search box, because nobody reviews these links: a person
    mention needs two name tokens (a surname alone identifies no one), an
    organisation mention resolves only to organisations (not to a vessel
    that shares its name), and a one-word name only to a one-word listed
    name scoring at least ``SINGLE_TOKEN_SCORE``.
    """
    from ..tag.names import list_matcher, prepare

    matcher = list_matcher(store)
    entries = {e.entry_id: e for e in matcher.entries}
    cache: dict[tuple[str, str], ListingEntry | None] = {}

    def accept(name: str, schema: str, match: dict[str, Any]) -> bool:
        if schema == "Organization" and match["schema"] in ("Vessel", "Asset", "Person"):
            return False
        tokens = prepare(name, schema).tokens
        if len(tokens) >= 2:
            return True
        if schema == "Person":
            return False
        listed_tokens = prepare(match["matched_name"], "Organization").tokens
        return len(listed_tokens) == 1 and match["score"] >= SINGLE_TOKEN_SCORE

    def resolve(name: str, schema: str) -> ListingEntry | None:
        key = (name.casefold(), schema)
        if key not in cache:
            found = [m for m in matcher.search(name, schema=schema, limit=5) if accept(name, schema, m)]
            cache[key] = entries.get(found[0]["entry_id"]) if found else None
        return cache[key]

    return resolve


def export_store(store: Store, *, resolve: bool = True, body_text: bool = True,
                 counts: ExportCounts | None = None) -> Iterator[Any]:
    """Every document, mention, listed entry, sanction and claim of ``store`` as FtM entities.

    Listed entries come first, so an importer that checks references sees
    each ``resolved`` target before the mention that points to it.
    """
    counts = counts if counts is not None else ExportCounts()
    for entry in store.listings():
        party, sanction = listing_entities(entry)
        counts.listed += 1
        counts.sanctions += 1
        yield party
        yield sanction
    resolver = store_resolver(store) if resolve and counts.listed else None
    claims = _claims_by_document(store)
    for doc in store.documents():
        annotations = store.annotations(doc.doc_id, "entity")
        yield document_entity(doc, annotations, body_text=body_text)
        counts.documents += 1
        if body_text:
            yield from page_entities(doc)
        if doc.kind in MENTION_KINDS:
            for mention in mention_entities(doc, annotations, resolver):
                counts.mentions += 1
                counts.resolved += bool(mention.get("resolved"))
                yield mention
        for claim in claims.get(doc.doc_id, ()):
            counts.claims += 1
            yield claim_entity(doc.doc_id, claim)


def _claims_by_document(store: Store) -> dict[str, list[dict[str, Any]]]:
    from ..link.claims import claims_with_ids

    out: dict[str, list[dict[str, Any]]] = {}
    for record in claims_with_ids(store):
        out.setdefault(record["doc_id"], []).append(record)
    return out


# -- reading back --------------------------------------------------------------

class InvalidEntity(ValueError):
    """An exported line that followthemoney's model rejects."""


def validate_entity(data: dict[str, Any]):
    """Load one exported dict with followthemoney and check it against its schema.

    Raises :class:`InvalidEntity` with a one-line reason; returns the proxy.
    """
    from followthemoney.exc import InvalidData

    model = _model()
    schema = model.get(data.get("schema") or "")
    if schema is None:
        raise InvalidEntity(f"unknown schema {data.get('schema')!r}")
    if schema.abstract:
        raise InvalidEntity(f"abstract schema {schema.name}")
    if not data.get("id"):
        raise InvalidEntity("entity without id")
    unknown = [p for p in (data.get("properties") or {}) if schema.get(p) is None]
    if unknown:
        raise InvalidEntity(f"{schema.name} has no propert{'y' if len(unknown) == 1 else 'ies'} "
                            f"{', '.join(unknown)}")
    try:
        schema.validate(data)
    except InvalidData as exc:
        raise InvalidEntity(f"{schema.name} {data['id']}: {exc}") from None
    proxy = model.get_proxy(data, cleaned=False)
    cleaned = model.get_proxy(data, cleaned=True)
    if cleaned.to_dict()["properties"] != proxy.to_dict()["properties"]:
        raise InvalidEntity(f"{schema.name} {data['id']}: values change when cleaned")
    return proxy


def check_references(entities: Iterable[Any]) -> list[str]:
    """Entity-typed property values that point to no exported entity."""
    from followthemoney.types import registry

    proxies = list(entities)
    ids = {p.id for p in proxies}
    missing = []
    for proxy in proxies:
        for prop, value in proxy.itervalues():
            if prop.type == registry.entity and value not in ids:
                missing.append(f"{proxy.schema.name} {proxy.id}: {prop.name} -> {value}")
    return missing


__all__ = ["ExportCounts", "InvalidEntity", "check_references", "claim_entity", "document_entity",
           "document_id", "export_store", "listing_entities", "listing_id", "mention_entities",
           "store_resolver", "validate_entity"]
