"""The JSON the web API takes and gives, as pydantic models.

What it does: one model per request body and per response, so the OpenAPI
schema (``/openapi.json``, browsed at ``/docs``) names and describes every
field. Response models allow extra keys: a stage may add a field before
this file documents it, and the API passes it on. Layer items (entities,
codes, dates, citations), claim frames, figures and explanations are the
stages' own records; they are typed here as far as a client relies on them.

What it does not do: check values beyond their types and sizes (that is
:mod:`nlp.serve.checks`), or compute anything.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from ..link.magnitudes import Verdict
from .checks import MAX_STATEMENT_CHARS, MAX_TEXT_CHARS

Lang = Literal["auto", "en", "ru"]


# -- request bodies -------------------------------------------------------------

class TextBody(BaseModel):
    text: str = Field(..., max_length=MAX_TEXT_CHARS, description="Plain text of the document.")
    lang: str = Field("auto", description="auto | en | ru")
    published: Optional[str] = Field(None, description="Reference date YYYY-MM-DD.")


class TagBody(TextBody):
    title: Optional[str] = Field(None, max_length=1000)
    store: bool = Field(False, description="Also keep the article in the store (needs the API token).")


class VerifyBody(BaseModel):
    statement: str = Field(..., max_length=MAX_STATEMENT_CHARS, description="One sentence about trade.")
    published: Optional[str] = Field(None, description="Reference date YYYY-MM-DD for relative periods.")
    lang: str = Field("auto", description="auto | en | ru")


# -- responses ------------------------------------------------------------------------

class Out(BaseModel):
    """A response object: the fields below, and any a stage adds."""

    model_config = ConfigDict(extra="allow")


class Span(Out):
    """An annotation as the store keeps it (entity, HS code, date or citation)."""

    layer: Optional[str] = Field(None, description="entity | hs_code | date | citation")
    start: int = Field(..., description="Offset of the first character in the document text.")
    end: int = Field(..., description="Offset after the last character.")
    text: str
    label: Optional[str] = Field(None, description="Entity type, code, TIMEX3 value or CELEX number.")


class SearchHit(Out):
    rank: int
    score: float
    doc_id: str
    source: Optional[str] = Field(None, description="The file or URL the passage was read from.")
    source_id: Optional[str] = Field(None, description="The item's id inside its source file.")
    passage_id: str = Field(..., description="The passage's id in the index.")
    text: str = Field(..., description="The whole passage.")
    kind: Optional[str] = Field(None, description="news | regulation | listing | trade_table | ...")
    lang: Optional[str] = None
    page: Optional[int] = Field(None, description="PDF page of the passage.")
    section: Optional[str] = Field(None, description="Recital, article or annex of the passage.")
    start: int = Field(..., description="Passage offsets in the document text.")
    end: int
    title: Optional[str] = None
    published: Optional[str] = None
    also_published_as: list[dict[str, Any]] = Field(
        default_factory=list, description="Other documents of the same story: doc_id, source, title.")
    snippet: str = Field(..., description="A window of the passage around the first query term.")
    highlights: list[tuple[int, int]] = Field(..., description="Query-term spans inside the snippet.")


class SearchResponse(Out):
    query: str
    mode: str = Field(..., description="hybrid | dense | lexical")
    filters: dict[str, Any] = Field(..., description="The filters applied (only those given).")
    offset: int
    k: int
    hits: list[SearchHit]
    next_offset: Optional[int] = Field(None, description="Offset of the next page; null on the last.")


class DocumentRow(Out):
    doc_id: str
    kind: Optional[str] = None
    lang: Optional[str] = None
    title: Optional[str] = None
    published: Optional[str] = None
    source: Optional[str] = None
    source_id: Optional[str] = None
    chars: int = Field(..., description="Length of the text in characters.")


class DocumentList(Out):
    total: int
    offset: int
    limit: int
    documents: list[DocumentRow]
    next_offset: Optional[int] = None


class Block(Out):
    kind: str = Field(..., description="paragraph | heading | table | list item | ...")
    start: int
    end: int
    page: Optional[int] = None
    section: Optional[str] = None


class SeriesOut(Out):
    """A trade series a verification used (proxies and mirror series labelled)."""

    reporter: Optional[str] = None
    partner: Optional[str] = None
    flow: str
    codes: list[str] = Field(..., description='HS/CN codes summed; ["TOTAL"] for all goods.')
    label: str
    window: Optional[list[str]] = Field(None, description="Claim window [first, last] period.")
    baseline: Optional[list[str]] = Field(None, description="Baseline [first, last] period.")
    window_mean: Optional[float] = None
    baseline_mean: Optional[float] = None
    change_pct: Optional[float] = None
    agrees: Optional[bool] = None
    note: Optional[str] = None
    currency: Optional[str] = None
    source: list[str] = Field(default_factory=list, description="Files the figures come from.")
    proxy: bool = False
    caveat: Optional[str] = None


class VerificationOut(Out):
    """A claim checked against the stored trade figures."""

    claim: str = Field(..., description="The statement as checked.")
    frame: dict[str, Any] = Field(..., description="What the claim says: subject, codes, flow, reporter, "
                                                   "partner, direction, measure, period, baseline.")
    verdict: Verdict
    figures: dict[str, Any] = Field(..., description="Window and baseline means, totals, ratio, change, trend.")
    series: list[SeriesOut]
    items: list[dict[str, Any]] = Field(default_factory=list, description="Per-item results for item sets.")
    evidence: list[dict[str, Any]] = Field(default_factory=list, description="Passages for or against.")
    legal_basis: list[dict[str, Any]] = Field(default_factory=list, description="CHP tiers, acts naming the codes.")
    explanation: str = Field(..., description="One paragraph: the figures and why this verdict.")


class StoredClaim(Out):
    """A claim found in a stored document, with its verification (as the claims table keeps it)."""

    claim_id: Optional[str] = None
    doc_id: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None
    claim: Optional[str] = None
    verdict: Verdict
    explanation: Optional[str] = None
    provenance: Optional[dict[str, Any]] = Field(None, description="page, section and block of the sentence.")


class ClaimList(Out):
    total: int
    offset: int
    limit: int
    claims: list[StoredClaim]


class DocumentOut(Out):
    doc_id: str
    kind: Optional[str] = None
    lang: Optional[str] = None
    title: Optional[str] = None
    published: Optional[str] = None
    source: Optional[str] = None
    source_id: Optional[str] = None
    author: Optional[str] = None
    meta: Optional[dict[str, Any]] = None
    text: str
    blocks: list[Block] = Field(..., description="Provenance: page and section of each stretch of text.")
    entities: list[Span]
    hs_codes: list[Span]
    dates: list[Span]
    citations: list[Span]
    claims: list[StoredClaim]


class ExtractionRecord(Out):
    """What extraction finds in one text (as ``sanctions extract`` prints it)."""

    doc_id: Optional[str] = None
    source: Optional[str] = None
    lang: Optional[str] = None
    published: Optional[str] = None
    entities: list[dict[str, Any]] = Field(..., description="Persons, organisations, places, with offsets.")
    hs_codes: list[dict[str, Any]] = Field(..., description="HS/CN/TN VED codes with the edition that lists them.")
    dates: list[dict[str, Any]] = Field(..., description="TIMEX3 values and intervals.")
    citations: list[dict[str, Any]] = Field(..., description="Legal acts cited, with CELEX numbers.")
    warnings: Optional[list[str]] = None


class ExtractionRecords(Out):
    records: list[ExtractionRecord]


class TagResult(Out):
    """Tags of one article: list matches, codes, countries, acts, dates, claims, topics."""

    doc_id: Optional[str] = None
    source: Optional[str] = None
    title: Optional[str] = None
    lang: Optional[str] = None
    kind: Optional[str] = None
    published: Optional[str] = None
    entities: list[dict[str, Any]] = Field(..., description="Entities, each with its list matches.")
    listed: list[dict[str, Any]] = Field(..., description="Listed entries found, with the mentions.")
    hs_codes: list[dict[str, Any]]
    countries: list[dict[str, Any]] = Field(..., description="ISO codes with the mentions.")
    citations: list[dict[str, Any]]
    dates: list[dict[str, Any]]
    claims: list[dict[str, Any]] = Field(..., description="Trade claims with verdicts.")
    topics: list[Any]


class MatchResult(Out):
    name: str
    schema_: Optional[str] = Field(None, alias="schema", description="Person | Organization | Vessel | ...")
    matches: list[dict[str, Any]] = Field(..., description="Listed entries, best first, with explanations.")


class PairMatch(Out):
    name1: str
    name2: str
    score: float
    match: bool
    explanation: Any = Field(None, description="Why the names match or not.")


class Health(Out):
    status: Literal["ok"]
    store: str = Field(..., description="The store folder this server answers for.")
    warm_up: Optional[dict[str, Any]] = Field(None, description="Start-up loading: done, and seconds per step.")
    worker: Optional[int] = Field(None, description="Process id of the server process that answered "
                                                   "(one of several with `sanctions serve --workers N`).")


class StoreStats(Out):
    documents: int
    listings: int
    trade_facts: int
    files: list[dict[str, Any]] = Field(..., description="Files per ingest status.")
    by_kind_lang: list[dict[str, Any]]
    by_list: list[dict[str, Any]]
    by_source: list[dict[str, Any]]
    index: Optional[dict[str, Any]] = Field(None, description="The search index's manifest; null before indexing.")
    claims: list[dict[str, Any]] = Field(..., description="Stored claims per verdict.")


class IngestResult(Out):
    files: int
    ingested: int
    unchanged: int
    failed: int
    documents: int
    listings: int
    trade_facts: int
    failures: list[dict[str, Any]]
    partial: list[dict[str, Any]]
    path: str = Field(..., description="Name the upload is kept under in <store>/uploads.")
    doc_ids: list[str]
    warnings: list[str] = Field(..., description="Later stages that failed for a document.")
