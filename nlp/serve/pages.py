"""The analyst pages: server-rendered HTML over the same actions as the API.

Pages: ``/search``, ``/documents``, ``/documents/{id}``, ``/claims/{id}``,
``/verify``, ``/tag``, ``/stats`` (and ``/`` → ``/search``). Jinja
autoescapes every piece of document text; a claim is drawn by the one claim
template (``claim_view`` in ``nlp/link/templates/claim.html``) that the HTML
report uses too. A bad form value is shown on the page; a missing document or
claim is the error page with its status.

What it does not do: answer anything itself (:mod:`nlp.serve.actions`) or
run script inline (the Content-Security-Policy forbids it; the one script is
``/static/app.js``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from ..annotations import CLAIM
from ..errors import ApiError
from ..text import file_name
from . import actions, markup
from .api import backend_of
from .backend import Backend
from .checks import MAX_STATEMENT_CHARS, MAX_TEXT_CHARS, SearchRequest, check_text, read_upload, require_token
from .limits import MAX_ROW_OFFSET

router = APIRouter(include_in_schema=False)
Served = Depends(backend_of)


def page(request: Request, name: str, **context: Any) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, name, context)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/search", status_code=303)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = Query("", max_length=1000),
                k: int = Query(10, ge=1, le=100), offset: int = Query(0, ge=0, le=1000),
                mode: str = "hybrid", kind: str = "", lang: str = "", since: str = "", until: str = "",
                hs: str = "", tier: str = "", entity: str = "", country: str = "",
                backend: Backend = Served) -> HTMLResponse:
    form = dict(q=q, k=k, mode=mode, kind=kind, lang=lang, since=since, until=until, hs=hs,
                tier=tier, entity=entity, country=country)
    result, error = None, None
    if q.strip():
        try:
            result = actions.search(backend, SearchRequest(query=q, k=k, offset=offset, mode=mode, kind=kind,
                                                           lang=lang, since=since, until=until, hs=hs,
                                                           tier=tier, entity=entity, country=country))
            for hit in result["hits"]:
                hit["pieces"] = markup.highlight_pieces(hit["snippet"], hit["highlights"])
        except ApiError as exc:
            error = exc.message
    return page(request, "search.html", form=form, result=result, error=error, offset=offset)


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, kind: str = "", lang: str = "",
                   offset: int = Query(0, ge=0, le=MAX_ROW_OFFSET), limit: int = Query(50, ge=1, le=500),
                   backend: Backend = Served) -> HTMLResponse:
    listing = actions.documents(backend, kind=kind or None, lang=lang or None, offset=offset, limit=limit)
    return page(request, "documents.html", listing=listing, kind=kind, lang=lang)


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, hl: str = "", backend: Backend = Served) -> HTMLResponse:
    record = actions.document(backend, doc_id)
    claim_items = [{"layer": CLAIM, "start": c.get("start"), "end": c.get("end"),
                    "verdict": c.get("verdict"), "label": c.get("verdict")}
                   for c in record["claims"] if c.get("start") is not None]
    items = [*claim_items, *(a for key in markup.ANNOTATION_KEYS for a in record[key])]
    stored = actions.stored_document(backend, doc_id)
    blocks = stored.blocks if stored is not None else []
    rendered = markup.render_blocks(record["text"], blocks, items)
    highlight = markup.parse_range(hl, len(record["text"]))
    return page(request, "document.html", doc=record, blocks=rendered, highlight=highlight,
                entity_groups=markup.group_entities(record["entities"]))


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, claim_id: str, backend: Backend = Served) -> HTMLResponse:
    claim = actions.claim(backend, claim_id)
    doc = actions.stored_document(backend, claim.get("doc_id") or "", with_blocks=False)
    return page(request, "claim.html", claim=claim, charts=actions.charts(backend, claim), doc=doc,
                statement=None)


@router.get("/verify", response_class=HTMLResponse)
def verify_page(request: Request, statement: str = Query("", max_length=MAX_STATEMENT_CHARS),
                published: str = "", lang: str = "auto", backend: Backend = Served) -> HTMLResponse:
    claim: Any = None
    charts: list[dict[str, Any]] = []
    error = None
    if statement.strip():
        try:
            claim = actions.verify(backend, statement, published or None, lang)
            charts = actions.charts(backend, claim)
        except ApiError as exc:
            error = exc.message
    return page(request, "claim.html", claim=claim, charts=charts, doc=None, error=error,
                statement=statement, published=published, lang=lang)


@router.get("/tag", response_class=HTMLResponse)
def tag_form(request: Request) -> HTMLResponse:
    return page(request, "tag.html", result=None, form={}, error=None, max_chars=MAX_TEXT_CHARS)


@router.post("/tag", response_class=HTMLResponse)
async def tag_submit(request: Request, text: str = Form(""), title: str = Form(""),
                     published: str = Form(""), lang: str = Form("auto"),
                     store: bool = Form(False), token: str = Form(""),
                     file: Optional[UploadFile] = File(None), backend: Backend = Served) -> HTMLResponse:
    form: dict[str, Any] = dict(text=text, title=title, published=published, lang=lang, store=store)
    result, error = None, None
    try:
        if file is not None and file.filename:
            text, file_title = await run_in_threadpool(actions.upload_text, file.filename,
                                                       await read_upload(file))
            form["text"] = text
            if not title:
                form["title"] = title = file_title or Path(file_name(file.filename)).stem
        check_text(text)
        if store:
            require_token(request, token)
        result = await run_in_threadpool(lambda: actions.tag(
            backend, text, title=title or None, published=published or None, lang=lang, store_it=store))
    except ApiError as exc:
        error = exc.message
    return page(request, "tag.html", result=result, form=form, error=error, max_chars=MAX_TEXT_CHARS)


@router.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request, backend: Backend = Served) -> HTMLResponse:
    return page(request, "stats.html", stats=actions.stats(backend))
