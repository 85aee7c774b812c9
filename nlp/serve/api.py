"""The JSON API under ``/api``: one route per question, each with its models.

==========================  =====================================================
GET  /api/search            passages; all the CLI's filters; ``k``/``offset`` pages
GET  /api/documents         document list (``kind``, ``lang``, ``offset``, ``limit``)
GET  /api/documents/{id}    text + blocks + entity/code/date/citation spans + claims
GET  /api/claims[/{id}]     stored claims (``doc_id`` filter)
POST /api/extract           ``{"text", "lang", "published"}`` → extraction record
POST /api/extract/file      multipart ``file`` → extraction records
POST /api/tag               ``{"text", "title", "published", "lang", "store"}``
POST /api/tag/file          multipart ``file`` (+ the same fields)
POST /api/verify            ``{"statement", "published", "lang"}`` → verification
GET  /api/match             ``name`` against the stored sanctions lists
GET  /api/match/pair        ``name1`` vs ``name2``
GET  /api/health            the store this server answers for
GET  /api/stats             what the store and its index hold
POST /api/ingest            multipart ``file`` → ingest, extract, index, link (token)
==========================  =====================================================

Request bodies and responses are the pydantic models of
:mod:`nlp.serve.models`, so ``/openapi.json`` documents every field. Search
and tagging answer with ``JSONResponse`` directly (FastAPI's encoder took ten
times ``json.dumps`` there, docs/serve_speed.md); their models document the
shape and the tests check that answers fit them.

What it does not do: decide anything; each route checks the token where
needed, reads uploads, and hands over to :mod:`nlp.serve.actions`.
"""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from . import actions
from .backend import Backend
from .checks import SearchRequest, read_upload, require_token
from .limits import MAX_ROW_OFFSET
from .models import (
    ClaimList,
    DocumentList,
    DocumentOut,
    ExtractionRecord,
    ExtractionRecords,
    Health,
    IngestResult,
    MatchResult,
    PairMatch,
    SearchResponse,
    StoredClaim,
    StoreStats,
    TagBody,
    TagResult,
    TextBody,
    VerificationOut,
    VerifyBody,
)

router = APIRouter(prefix="/api")


async def backend_of(request: Request) -> Backend:
    """The app's backend (async: no thread hop to look it up)."""
    return request.app.state.backend


Served = Depends(backend_of)
# Responses leave out the optional fields a stage did not give (as the CLI prints them).
OUT: dict[str, Any] = {"response_model_exclude_unset": True}


@router.get("/search", tags=["search"], response_model=None,
            responses={200: {"model": SearchResponse, "description": "Ranked passages."}})
def api_search(q: str = Query(..., max_length=1000, description="What to look for."),
               k: int = Query(10, ge=1, le=100), offset: int = Query(0, ge=0, le=1000),
               mode: str = Query("hybrid", description="hybrid | dense | lexical"),
               kind: Optional[str] = None, lang: Optional[str] = None,
               since: Optional[str] = Query(None, description="YYYY[-MM[-DD]]"),
               until: Optional[str] = Query(None, description="YYYY[-MM[-DD]]"),
               hs: Optional[str] = Query(None, description="HS code or prefix: 85, 8542, 8542.31"),
               tier: Optional[str] = Query(None, description="CHP tier"),
               entity: Optional[str] = None,
               country: Optional[str] = Query(None, description="ISO code or name: KZ, KAZ, Kazakhstan"),
               backend: Backend = Served) -> JSONResponse:
    """Ranked passages with provenance, snippet and highlight spans (the CLI's --json rows)."""
    return JSONResponse(actions.search(backend, SearchRequest(
        query=q, k=k, offset=offset, mode=mode, kind=kind, lang=lang, since=since, until=until, hs=hs,
        tier=tier, entity=entity, country=country)))


@router.get("/documents", tags=["documents"], response_model=DocumentList, **OUT)
def api_documents(kind: Optional[str] = None, lang: Optional[str] = None,
                  offset: int = Query(0, ge=0, le=MAX_ROW_OFFSET), limit: int = Query(50, ge=1, le=500),
                  backend: Backend = Served) -> Any:
    """Stored documents without their text, newest first."""
    return actions.documents(backend, kind=kind, lang=lang, offset=offset, limit=limit)


@router.get("/documents/{doc_id}", tags=["documents"], response_model=DocumentOut, **OUT)
def api_document(doc_id: str, backend: Backend = Served) -> Any:
    """Text, blocks (provenance) and the entity/HS code/date/citation spans and claims."""
    return actions.document(backend, doc_id)


@router.get("/claims", tags=["claims"], response_model=ClaimList, **OUT)
def api_claims(doc_id: Optional[str] = None, offset: int = Query(0, ge=0, le=MAX_ROW_OFFSET),
               limit: int = Query(50, ge=1, le=500), backend: Backend = Served) -> Any:
    """Claims found in stored documents, with their verdicts."""
    return actions.claims(backend, doc_id, offset=offset, limit=limit)


@router.get("/claims/{claim_id}", tags=["claims"], response_model=StoredClaim, **OUT)
def api_claim(claim_id: str, backend: Backend = Served) -> Any:
    return actions.claim(backend, claim_id)


@router.post("/extract", tags=["extract"], response_model=ExtractionRecord, **OUT)
def api_extract(body: TextBody, backend: Backend = Served) -> Any:
    """The extraction record of a text (as `sanctions extract` prints it)."""
    return actions.extract_text(backend, body.text, body.lang, body.published)


@router.post("/extract/file", tags=["extract"], response_model=ExtractionRecords, **OUT)
async def api_extract_file(file: UploadFile = File(...), lang: str = Form("auto"),
                           published: Optional[str] = Form(None), backend: Backend = Served) -> Any:
    """Extraction records of the documents in an uploaded file (any format ingest reads)."""
    data = await read_upload(file)
    records = await run_in_threadpool(actions.extract_upload, backend, file.filename, data, lang, published)
    return {"records": records}


@router.post("/tag", tags=["tag"], response_model=None,
             responses={200: {"model": TagResult, "description": "Tags of the article."}})
def api_tag(body: TagBody, request: Request, backend: Backend = Served) -> JSONResponse:
    """Tags, list matches and claims of an article; ``store`` keeps it (token needed)."""
    if body.store:
        require_token(request)
    return JSONResponse(actions.tag(backend, body.text, title=body.title, published=body.published,
                                    lang=body.lang, store_it=body.store))  # serialised directly, as search


@router.post("/tag/file", tags=["tag"], response_model=TagResult, **OUT)
async def api_tag_file(request: Request, file: UploadFile = File(...), lang: str = Form("auto"),
                       published: Optional[str] = Form(None), title: Optional[str] = Form(None),
                       store: bool = Form(False), backend: Backend = Served) -> Any:
    """Tags of the article in an uploaded file (HTML pages give their article text)."""
    if store:
        require_token(request)
    text, file_title = await run_in_threadpool(actions.upload_text, file.filename, await read_upload(file))
    return await run_in_threadpool(lambda: actions.tag(backend, text, title=title or file_title,
                                                       published=published, lang=lang, store_it=store))


@router.post("/verify", tags=["claims"], response_model=VerificationOut, **OUT)
def api_verify(body: VerifyBody, backend: Backend = Served) -> Any:
    """Verify a statement about trade against the stored figures (as `sanctions verify --json`)."""
    return actions.verify(backend, body.statement, body.published, body.lang)


@router.get("/match", tags=["names"], response_model=MatchResult, **OUT)
def api_match(name: str = Query(..., max_length=300), schema: Optional[str] = None,
              limit: int = Query(10, ge=1, le=100), backend: Backend = Served) -> Any:
    """Entries of the stored sanctions lists that match a name, with explanations."""
    return actions.match(backend, name, schema, limit)


@router.get("/match/pair", tags=["names"], response_model=PairMatch, **OUT)
def api_match_pair(name1: str = Query(..., max_length=300), name2: str = Query(..., max_length=300),
                   schema: str = "Person", backend: Backend = Served) -> Any:
    """Whether two names name the same person or organisation, and why."""
    return actions.match_pair(backend, name1, name2, schema)


@router.get("/health", tags=["store"], response_model=Health, **OUT)
def api_health(backend: Backend = Served) -> Any:
    """The store this server answers for (the CLI checks it before sending queries here)."""
    return actions.health(backend)


@router.get("/stats", tags=["store"], response_model=StoreStats, **OUT)
def api_stats(backend: Backend = Served) -> Any:
    """What the store and its search index hold."""
    return actions.stats(backend)


@router.post("/ingest", tags=["store"], response_model=IngestResult, **OUT)
async def api_ingest(request: Request, file: UploadFile = File(...), backend: Backend = Served) -> Any:
    """Keep a file in the store and run extract, index and link on it (token needed)."""
    require_token(request)
    data = await read_upload(file)
    return await run_in_threadpool(actions.ingest_upload, backend, file.filename, data)
