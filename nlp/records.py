"""Typed records that pass between the pipeline stages.

ingest -> (Document, ListingEntry, TradeFact) -> store -> extract/index/link.

Every record has one ``to_dict`` (JSON-ready, the shape the CLI prints and the
store keeps) and a ``from_dict`` that reverses it. Records are plain data: no
I/O, no models. Offsets are Python string offsets (code points) into
``Document.text``.

This module does not parse anything; readers in :mod:`nlp.ingest` build these.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Iterable, Literal, TypeVar, cast, get_args

# Document kinds: one vocabulary for the whole project. "metadata" is a file
# that describes a collection (README, PROVENANCE, licence): stored, not indexed.
DocumentKind = Literal["regulation", "news", "listing", "trade_table", "reference", "metadata"]
KINDS: tuple[DocumentKind, ...] = get_args(DocumentKind)

# Block kinds. "table" blocks carry their cells in ``Block.table``.
BLOCK_KINDS = (
    "title", "heading", "paragraph", "recital", "article", "annex",
    "table", "list_item", "entry", "footnote", "metadata",
)


def content_id(*parts: str | bytes, size: int = 20) -> str:
    """Stable id from content: sha256 over the parts, hex, truncated.

    Lone surrogates (a file name that was not UTF-8, a broken escape in a
    JSON text) are hashed as their code points rather than raising.
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()[:size]


_R = TypeVar("_R", bound="_Record")


class _Record:
    """Shared to_dict/from_dict for the dataclasses below."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(cast(Any, self))

    @classmethod
    def from_dict(cls: type[_R], data: dict[str, Any]) -> _R:
        names = {f.name for f in fields(cast(Any, cls))}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Block(_Record):
    """A span of a document's text with its provenance.

    ``section`` is a structural path: ``"recital 12"``, ``"Article 3a(2)"``,
    ``"Annex I"``, ``"entry 1234"``. ``table`` holds rows of cell strings for
    table blocks (multi-line cells joined with a space); the block's text is
    the table rendered as tab-separated lines.
    """

    kind: str
    text: str
    start: int
    end: int
    page: int | None = None
    section: str | None = None
    table: list[list[str]] | None = None


@dataclass
class Document(_Record):
    doc_id: str
    kind: str
    lang: str
    text: str
    source: str
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    source_id: str | None = None  # a record's own id (JSON/JSONL `id`/`_id`)
    author: str | None = None
    blocks: list[Block] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        doc = super().from_dict(data)
        doc.blocks = [b if isinstance(b, Block) else Block.from_dict(b) for b in doc.blocks]
        return doc


class TextBuilder:
    """Assemble document text block by block, keeping offsets right.

    Blocks are separated by a blank line. Use it in readers whose output text
    is not a verbatim copy of the source (HTML, PDF, XML, tables).
    """

    SEPARATOR = "\n\n"

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.blocks: list[Block] = []

    def add(self, kind: str, text: str, *, page: int | None = None,
            section: str | None = None, table: list[list[str]] | None = None) -> Block | None:
        text = text.strip()
        if not text:
            return None
        if self._parts:
            self._parts.append(self.SEPARATOR)
            self._length += len(self.SEPARATOR)
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        block = Block(kind=kind, text=text, start=start, end=self._length,
                      page=page, section=section, table=table)
        self.blocks.append(block)
        return block

    def add_table(self, rows: list[list[str]], *, page: int | None = None,
                  section: str | None = None) -> Block | None:
        rows = [[" ".join((cell or "").split()) for cell in row] for row in rows]
        rows = [row for row in rows if any(row)]
        if not rows:
            return None
        text = "\n".join("\t".join(row) for row in rows)
        return self.add("table", text, page=page, section=section, table=rows)

    @property
    def text(self) -> str:
        return "".join(self._parts)


@dataclass
class ListingEntry(_Record):
    """One party on a sanctions list (person, entity, vessel, asset).

    ``list_name`` names the list (``"EU 269/2014"``, ``"OFAC SDN"``,
    ``"UN consolidated"``, ``"UK sanctions list"``, ``"EU FSF"``, ...);
    ``source_id`` is the list's own id for the entry. Dates are ISO strings
    when they could be parsed, else the text as printed.
    """

    entry_id: str
    list_name: str
    source_id: str
    schema: str  # Person | Organization | Vessel | Asset
    name: str
    aliases: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    identifiers: dict[str, list[str]] = field(default_factory=dict)
    programme: str | None = None
    listing_date: str | None = None
    reason: str | None = None
    legal_act: str | None = None
    source: str = ""
    doc_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def names(self) -> list[str]:
        return [self.name, *[a for a in self.aliases if a and a != self.name]]


@dataclass
class TradeFact(_Record):
    """One observation of a trade series.

    Countries are ISO 3166 alpha-2 codes where known (``EU27`` for the Union
    aggregate, ``WORLD`` for all partners), with the label as printed kept in
    ``reporter_label``/``partner_label``. ``product_code`` is digits for HS/CN/
    TN VED codes (``code_level`` = number of digits) or ``TOTAL``. ``period``
    is ``YYYY-MM`` (monthly) or ``YYYY`` (yearly). ``value`` is in whole
    ``currency`` units (thousands and millions are multiplied out).
    """

    reporter: str
    partner: str
    flow: str  # export | import | re-export | re-import
    product_code: str
    code_system: str  # HS | CN | TNVED | TOTAL | LABEL
    period: str
    value: float | None
    currency: str | None = None
    reporter_label: str | None = None
    partner_label: str | None = None
    code_level: int | None = None
    product_label: str | None = None
    quantity: float | None = None
    quantity_unit: str | None = None
    source: str = ""
    location: str | None = None  # sheet/row within the source file
    doc_id: str | None = None

    @property
    def period_type(self) -> str:
        return "month" if len(self.period) == 7 else "year"


@dataclass
class ReadResult:
    """What one reader makes of one file."""

    documents: list[Document] = field(default_factory=list)
    listings: list[ListingEntry] = field(default_factory=list)
    trade_facts: list[TradeFact] = field(default_factory=list)

    def extend(self, other: "ReadResult") -> None:
        self.documents.extend(other.documents)
        self.listings.extend(other.listings)
        self.trade_facts.extend(other.trade_facts)


def dumps(record: Any) -> str:
    """One JSON line for a record or a plain dict."""
    data = record.to_dict() if hasattr(record, "to_dict") else record
    return json.dumps(data, ensure_ascii=False, default=str)


def iter_dicts(records: Iterable[Any]) -> Iterable[dict[str, Any]]:
    for record in records:
        yield record.to_dict() if hasattr(record, "to_dict") else record
