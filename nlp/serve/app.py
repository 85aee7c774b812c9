"""The FastAPI app: JSON API under ``/api`` and server-rendered analyst pages.

What it does: ``create_app(store_dir)`` wires :class:`~nlp.serve.backend.Backend`
to HTTP. API routes (OpenAPI at ``/docs``, schema at ``/openapi.json``):

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
GET  /api/stats             what the store and its index hold
POST /api/ingest            multipart ``file`` → ingest, extract, index, link (token)
==========================  =====================================================

Pages: ``/search``, ``/documents``, ``/documents/{id}``, ``/claims/{id}``,
``/verify``, ``/tag``, ``/stats``.

Security: every response carries a strict Content-Security-Policy (scripts
and styles only from ``/static``, no inline script, no plugins, no framing);
Jinja autoescapes every piece of document text; write endpoints (ingest, and
tagging with ``store``) need ``SANCTIONS_API_TOKEN`` in an ``X-API-Token`` or
``Authorization: Bearer`` header (or the form's token field) and are refused
when it is unset; request bodies over ``SANCTIONS_MAX_UPLOAD_MB`` (10) get 413
before they are read. Errors are one JSON line ``{"error", "status"}`` (or an
error page), never a stack trace.

What it does not do: bind sockets (``sanctions serve`` runs uvicorn) or
compute anything itself.
"""

from __future__ import annotations

import hmac
import logging
from pathlib import Path
from typing import Any, Optional

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import settings
from ..annotations import CLAIM
from ..errors import SanctionsError
from ..records import KINDS
from . import markup
from .backend import MAX_STATEMENT_CHARS, MAX_TEXT_CHARS, ApiError, Backend, SearchRequest, check_text, file_name
from .fast import warm_up_state as fast_warm_up_state
from .limits import MAX_ROW_OFFSET, AdmissionMiddleware, buffer_body

log = logging.getLogger("nlp.serve")
HERE = Path(__file__).resolve().parent

# default-src 'none' forbids everything not listed; no 'unsafe-inline' anywhere,
# so markup that slipped through escaping still could not run script or style.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'; object-src 'none'")
# The Swagger UI page (/docs) needs its inline bootstrap script; its assets
# are served from the swagger-ui-bundle package, so it works offline.
DOCS_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'")
DOCS_PATHS = ("/docs",)
VERDICTS = ("supported", "contradicted", "mixed", "no_data")


# -- request bodies -------------------------------------------------------------

class TextBody(BaseModel):
    text: str = Field(..., max_length=MAX_TEXT_CHARS, description="Plain text of the document.")
    lang: str = Field("auto", description="auto | en | ru")
    published: Optional[str] = Field(None, description="Reference date YYYY-MM-DD.")


class TagBody(TextBody):
    title: Optional[str] = Field(None, max_length=1000)
    store: bool = Field(False, description="Also keep the article in the store (needs the API token).")


class VerifyBody(BaseModel):
    statement: str = Field(..., max_length=MAX_STATEMENT_CHARS)
    published: Optional[str] = None
    lang: str = "auto"


# -- middleware -------------------------------------------------------------------

class BodyTooLarge(Exception):
    pass


class LimitBodyMiddleware:
    """413 for request bodies over the limit, by header or by counting the stream."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await _send_413(scope, send, self.limit)
        if declared is None and scope.get("method") in ("POST", "PUT", "PATCH"):
            over, receive = await buffer_body(receive, self.limit)  # chunked: no length to check
            if over:
                return await _send_413(scope, send, self.limit)
        received = 0
        started = False

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _send_413(scope, send, self.limit)


async def _send_413(scope, send, limit: int) -> None:
    message = f"request body over the {limit / 1024 / 1024:.0f} MB limit (SANCTIONS_MAX_UPLOAD_MB)"
    response = JSONResponse({"error": message, "status": 413}, status_code=413,
                            headers=_security_headers(scope.get("path", "")))
    await response(scope, None, send)  # type: ignore[arg-type]  # the body is never read


def _security_headers(path: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": DOCS_CSP if path in DOCS_PATHS else CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


# -- the app ------------------------------------------------------------------------

def create_app(store_dir: str | Path | None = None, *, embedder: Any = None,
               evidence: bool = True, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The app over one store folder (default ``$SANCTIONS_STORE``).

    ``allowed_hosts`` (Host header values) guards a loopback server against
    DNS rebinding: a web page whose name resolves to 127.0.0.1 still sends
    its own name as Host and is refused. None accepts any host.
    """
    backend = Backend(Path(store_dir) if store_dir else settings.store_dir(), embedder=embedder,
                      evidence=evidence)
    app = FastAPI(title="sanctions-nlp", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Search, documents, extraction, tagging, claim verification and "
                              "list matching over a sanctions-nlp store.")
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/static/swagger", StaticFiles(directory=str(swagger_ui_path)), name="swagger")

    @app.get("/docs", include_in_schema=False)
    async def api_docs():
        from fastapi.openapi.docs import get_swagger_ui_html

        return get_swagger_ui_html(openapi_url="/openapi.json", title="sanctions-nlp API",
                                   swagger_js_url="/static/swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")
    app.state.backend = backend
    from . import reconcile  # W3C Reconciliation API (OpenRefine) and yente-style /match

    app.include_router(reconcile.router(backend))
    templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescape on for .html
    templates.env.globals.update(file_name=file_name, kinds=KINDS, verdicts=VERDICTS,
                                  eurlex_url=markup.eurlex_url)
    templates.env.filters["fmt"] = _fmt
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def add_security_headers(request: Request, call_next):
        response = await call_next(request)
        for key, value in _security_headers(request.url.path).items():
            response.headers.setdefault(key, value)
        return response

    app.add_middleware(AdmissionMiddleware, headers=_security_headers)  # fair NLP queue, 429/503
    app.add_middleware(LimitBodyMiddleware, limit=settings.max_upload_bytes())
    if allowed_hosts and "*" not in allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)

    def is_api(request: Request) -> bool:
        return request.url.path.startswith(("/api/", *reconcile.PATH_PREFIXES)) or request.url.path == "/api"

    def error_response(request: Request, status: int, message: str) -> Response:
        if is_api(request):
            return JSONResponse({"error": message, "status": status}, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                          status_code=status)

    @app.exception_handler(SanctionsError)
    async def on_project_error(request: Request, exc: SanctionsError):
        # The one place a project error becomes an HTTP status.
        return error_response(request, exc.status, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path[:200]}"
        return error_response(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError):
        problems = []
        for error in exc.errors()[:5]:
            where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "query"))
            problems.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
        return error_response(request, 422, "; ".join(problems) or "invalid request")

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s", request.url.path)
        response = error_response(request, 500, f"internal error ({type(exc).__name__}); see the server log")
        response.headers.update(_security_headers(request.url.path))  # 500s pass no middleware
        return response

    def require_token(request: Request, form_token: str | None = None) -> None:
        expected = settings.api_token()
        if not expected:
            raise ApiError(403, "write endpoints are disabled: set SANCTIONS_API_TOKEN on the server")
        given = request.headers.get("x-api-token") or form_token or ""
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
            raise ApiError(401, "missing or wrong API token (X-API-Token or Authorization: Bearer)")

    async def read_upload(upload: UploadFile) -> bytes:
        limit = settings.max_upload_bytes()
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise ApiError(413, f"file over the {limit / 1024 / 1024:.0f} MB limit (SANCTIONS_MAX_UPLOAD_MB)")
        return data

    # -- API ----------------------------------------------------------------------

    @app.get("/api/search", tags=["search"])
    def api_search(q: str = Query(..., max_length=1000, description="What to look for."),
                   k: int = Query(10, ge=1, le=100), offset: int = Query(0, ge=0, le=1000),
                   mode: str = "hybrid", kind: Optional[str] = None, lang: Optional[str] = None,
                   since: Optional[str] = None, until: Optional[str] = None, hs: Optional[str] = None,
                   tier: Optional[str] = None, entity: Optional[str] = None,
                   country: Optional[str] = None) -> JSONResponse:
        """Ranked passages with provenance, snippet and highlight spans (the CLI's --json rows)."""
        # Serialised directly: FastAPI's jsonable_encoder took 10x json.dumps (docs/serve_speed.md).
        return JSONResponse(backend.search(SearchRequest(query=q, k=k, offset=offset, mode=mode, kind=kind,
                                                         lang=lang, since=since, until=until, hs=hs, tier=tier,
                                                         entity=entity, country=country)))

    @app.get("/api/documents", tags=["documents"])
    def api_documents(kind: Optional[str] = None, lang: Optional[str] = None,
                      offset: int = Query(0, ge=0, le=MAX_ROW_OFFSET), limit: int = Query(50, ge=1, le=500)) -> dict:
        return backend.documents(kind=kind, lang=lang, offset=offset, limit=limit)

    @app.get("/api/documents/{doc_id}", tags=["documents"])
    def api_document(doc_id: str) -> dict:
        """Text, blocks (provenance) and the entity/HS code/date/citation spans and claims."""
        return backend.document(doc_id)

    @app.get("/api/claims", tags=["claims"])
    def api_claims(doc_id: Optional[str] = None, offset: int = Query(0, ge=0, le=MAX_ROW_OFFSET),
                   limit: int = Query(50, ge=1, le=500)) -> dict:
        claims = backend.claims(doc_id)
        return {"total": len(claims), "offset": offset, "limit": limit,
                "claims": claims[offset:offset + limit]}

    @app.get("/api/claims/{claim_id}", tags=["claims"])
    def api_claim(claim_id: str) -> dict:
        return backend.claim(claim_id)

    @app.post("/api/extract", tags=["extract"])
    def api_extract(body: TextBody) -> dict:
        """The extraction record of a text (as `sanctions extract` prints it)."""
        return backend.extract_text(body.text, body.lang, body.published)

    @app.post("/api/extract/file", tags=["extract"])
    async def api_extract_file(file: UploadFile = File(...), lang: str = Form("auto"),
                               published: Optional[str] = Form(None)) -> dict:
        """Extraction records of the documents in an uploaded file (any format ingest reads)."""
        data = await read_upload(file)
        records = await run_in_threadpool(backend.extract_upload, file.filename, data, lang, published)
        return {"records": records}

    @app.post("/api/tag", tags=["tag"])
    def api_tag(body: TagBody, request: Request) -> JSONResponse:
        """Tags, list matches and claims of an article; ``store`` keeps it (token needed)."""
        if body.store:
            require_token(request)
        return JSONResponse(backend.tag(body.text, title=body.title, published=body.published, lang=body.lang,
                                        store_it=body.store))  # serialised directly, as search

    @app.post("/api/tag/file", tags=["tag"])
    async def api_tag_file(request: Request, file: UploadFile = File(...), lang: str = Form("auto"),
                           published: Optional[str] = Form(None), title: Optional[str] = Form(None),
                           store: bool = Form(False)) -> dict:
        if store:
            require_token(request)
        text, file_title = await run_in_threadpool(backend.upload_text, file.filename,
                                                   await read_upload(file))
        return await run_in_threadpool(lambda: backend.tag(text, title=title or file_title,
                                                           published=published, lang=lang, store_it=store))

    @app.post("/api/verify", tags=["claims"])
    def api_verify(body: VerifyBody) -> dict:
        """Verify a statement about trade against the stored figures (as `sanctions verify --json`)."""
        return dict(backend.verify(body.statement, body.published, body.lang))

    @app.get("/api/match", tags=["names"])
    def api_match(name: str = Query(..., max_length=300), schema: Optional[str] = None,
                  limit: int = Query(10, ge=1, le=100)) -> dict:
        """Entries of the stored sanctions lists that match a name, with explanations."""
        return backend.match(name, schema, limit)

    @app.get("/api/match/pair", tags=["names"])
    def api_match_pair(name1: str = Query(..., max_length=300), name2: str = Query(..., max_length=300),
                       schema: str = "Person") -> dict:
        return backend.match_pair(name1, name2, schema)

    @app.get("/api/health", tags=["store"])
    def api_health() -> dict:
        """The store this server answers for (the CLI checks it before sending queries here)."""
        return {"status": "ok", "store": str(Path(backend.store_dir).resolve()),
                "warm_up": fast_warm_up_state(backend)}  # models loaded yet? (nlp/serve/fast.py)

    @app.get("/api/stats", tags=["store"])
    def api_stats() -> dict:
        return backend.stats()

    @app.post("/api/ingest", tags=["store"])
    async def api_ingest(request: Request, file: UploadFile = File(...)) -> dict:
        """Keep a file in the store and run extract, index and link on it (token needed)."""
        require_token(request)
        data = await read_upload(file)
        return await run_in_threadpool(backend.ingest_upload, file.filename, data)

    # -- pages ----------------------------------------------------------------------

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/search", status_code=303)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = Query("", max_length=1000),
                    k: int = Query(10, ge=1, le=100), offset: int = Query(0, ge=0, le=1000),
                    mode: str = "hybrid", kind: str = "", lang: str = "", since: str = "", until: str = "",
                    hs: str = "", tier: str = "", entity: str = "", country: str = ""):
        form = dict(q=q, k=k, mode=mode, kind=kind, lang=lang, since=since, until=until, hs=hs,
                    tier=tier, entity=entity, country=country)
        result, error = None, None
        if q.strip():
            try:
                result = backend.search(SearchRequest(query=q, k=k, offset=offset, mode=mode, kind=kind,
                                                      lang=lang, since=since, until=until, hs=hs,
                                                      tier=tier, entity=entity, country=country))
                for hit in result["hits"]:
                    hit["pieces"] = markup.highlight_pieces(hit["snippet"], hit["highlights"])
            except ApiError as exc:
                error = exc.message
        return page(request, "search.html", form=form, result=result, error=error, offset=offset)

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def documents_page(request: Request, kind: str = "", lang: str = "",
                       offset: int = Query(0, ge=0, le=MAX_ROW_OFFSET), limit: int = Query(50, ge=1, le=500)):
        listing = backend.documents(kind=kind or None, lang=lang or None, offset=offset, limit=limit)
        return page(request, "documents.html", listing=listing, kind=kind, lang=lang)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str, hl: str = ""):
        record = backend.document(doc_id)
        claim_items = [{"layer": CLAIM, "start": c.get("start"), "end": c.get("end"),
                        "verdict": c.get("verdict"), "label": c.get("verdict")}
                       for c in record["claims"] if c.get("start") is not None]
        items = [*claim_items, *(a for key in markup.ANNOTATION_KEYS for a in record[key])]
        stored = backend.store.document(doc_id)
        blocks = stored.blocks if stored is not None else []
        rendered = markup.render_blocks(record["text"], blocks, items)
        highlight = markup.parse_range(hl, len(record["text"]))
        return page(request, "document.html", doc=record, blocks=rendered, highlight=highlight,
                    entity_groups=markup.group_entities(record["entities"]))

    @app.get("/claims/{claim_id}", response_class=HTMLResponse, include_in_schema=False)
    def claim_page(request: Request, claim_id: str):
        claim = backend.claim(claim_id)
        doc = backend.store.document(claim.get("doc_id") or "", with_blocks=False)
        return page(request, "claim.html", claim=claim, charts=backend.charts(claim), doc=doc,
                    statement=None)

    @app.get("/verify", response_class=HTMLResponse, include_in_schema=False)
    def verify_page(request: Request, statement: str = Query("", max_length=MAX_STATEMENT_CHARS),
                    published: str = "", lang: str = "auto"):
        claim, charts, error = None, [], None
        if statement.strip():
            try:
                claim = backend.verify(statement, published or None, lang)
                charts = backend.charts(claim)
            except ApiError as exc:
                error = exc.message
        return page(request, "claim.html", claim=claim, charts=charts, doc=None, error=error,
                    statement=statement, published=published, lang=lang)

    @app.get("/tag", response_class=HTMLResponse, include_in_schema=False)
    def tag_form(request: Request):
        return page(request, "tag.html", result=None, form={}, error=None, max_chars=MAX_TEXT_CHARS)

    @app.post("/tag", response_class=HTMLResponse, include_in_schema=False)
    async def tag_submit(request: Request, text: str = Form(""), title: str = Form(""),
                         published: str = Form(""), lang: str = Form("auto"),
                         store: bool = Form(False), token: str = Form(""),
                         file: Optional[UploadFile] = File(None)):
        form = dict(text=text, title=title, published=published, lang=lang, store=store)
        result, error = None, None
        try:
            if file is not None and file.filename:
                text, file_title = await run_in_threadpool(backend.upload_text, file.filename,
                                                           await read_upload(file))
                form["text"] = text
                if not title:
                    form["title"] = title = file_title or Path(file_name(file.filename)).stem
            check_text(text)
            if store:
                require_token(request, token)
            result = await run_in_threadpool(lambda: backend.tag(
                text, title=title or None, published=published or None, lang=lang, store_it=store))
        except ApiError as exc:
            error = exc.message
        return page(request, "tag.html", result=result, form=form, error=error, max_chars=MAX_TEXT_CHARS)

    @app.get("/stats", response_class=HTMLResponse, include_in_schema=False)
    def stats_page(request: Request):
        return page(request, "stats.html", stats=backend.stats())

    return app


def _fmt(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else ("yes" if value else "no")
    if isinstance(value, float):
        # Small values (p-values, shares) keep their significant digits.
        return f"{value:.3g}" if 0 < abs(value) < 0.1 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        return " .. ".join(_fmt(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k} {_fmt(v)}" for k, v in value.items())
    return str(value)


LOOPBACK_HOSTS = ["127.0.0.1", "localhost"]


def app_from_env() -> FastAPI:
    """uvicorn factory: the app over ``$SANCTIONS_STORE``; Host names from
    ``$SANCTIONS_ALLOWED_HOSTS`` (comma-separated, ``*`` = any; default loopback)."""
    from ..tag.names import _MATCHERS

    _MATCHERS.background = True  # after an ingest, serve the old list matcher while the new one builds
    app = create_app(settings.store_dir(), allowed_hosts=settings.allowed_hosts() or LOOPBACK_HOSTS)
    if settings.serve_warm_up():
        from .fast import start_warm_up

        start_warm_up(app.state.backend)  # models and tables load before the first request asks
    return app
