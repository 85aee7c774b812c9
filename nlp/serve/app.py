"""The FastAPI app: builds it, mounts the routers, the middleware and the one error handler.

What it does: ``create_app(store_dir)`` makes a
:class:`~nlp.serve.backend.Backend` over the store and mounts

* :mod:`nlp.serve.api` -- the JSON API under ``/api`` (OpenAPI at ``/docs``,
  schema at ``/openapi.json``, every body and answer a pydantic model);
* :mod:`nlp.serve.pages` -- the analyst pages (``/search``, ``/documents``,
  ``/claims/{id}``, ``/verify``, ``/tag``, ``/stats``);
* :mod:`nlp.serve.reconcile` -- the W3C Reconciliation API and yente-style
  ``/match``;
* ``/static`` (the pages' CSS and script) and the Swagger UI assets.

Security: every response carries a strict Content-Security-Policy (scripts
and styles only from ``/static``, no inline script, no plugins, no framing);
Jinja autoescapes every piece of document text; write endpoints (ingest, and
tagging with ``store``) need ``SANCTIONS_API_TOKEN`` in an ``X-API-Token`` or
``Authorization: Bearer`` header (or the form's token field) and are refused
when it is unset; request bodies over ``SANCTIONS_MAX_UPLOAD_MB`` (10) get 413
before they are read; the NLP endpoints pass a fair admission gate
(:mod:`nlp.serve.limits`). Errors -- a project error's status
(:class:`~nlp.errors.SanctionsError`), an HTTP error, a validation error or an
unexpected exception -- become one JSON line ``{"error", "status"}`` (or the
error page) in one handler, never a stack trace.

What it does not do: bind sockets (``sanctions serve`` runs uvicorn) or
answer any request itself.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import settings
from ..errors import SanctionsError
from ..link.claim_view import configure as configure_claim_view
from ..records import KINDS
from ..text import file_name
from . import api, markup, pages, reconcile
from .backend import Backend
from .limits import AdmissionMiddleware, buffer_body

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


class SecurityHeadersMiddleware:
    """The security headers on every response that does not set them itself
    (plain ASGI: a ``BaseHTTPMiddleware`` costs a task and a stream per request)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = [(key.lower().encode("latin-1"), value.encode("latin-1"))
                 for key, value in _security_headers(scope.get("path", "")).items()]

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {key.lower() for key, _ in headers}
                headers += [(key, value) for key, value in extra if key not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


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
    templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescape on for .html
    configure_claim_view(templates.env)  # the claim template the HTML report uses too
    templates.env.globals.update(file_name=file_name, kinds=KINDS, eurlex_url=markup.eurlex_url)
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(reconcile.router(backend))
    app.include_router(pages.router)

    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(AdmissionMiddleware, headers=_security_headers)  # fair NLP queue, 429/503
    app.add_middleware(LimitBodyMiddleware, limit=settings.max_upload_bytes())
    if allowed_hosts and "*" not in allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)

    for error_type in (SanctionsError, StarletteHTTPException, RequestValidationError, Exception):
        app.add_exception_handler(error_type, on_error)
    return app


async def on_error(request: Request, exc: Exception) -> Response:
    """The one place an error becomes an HTTP answer: JSON for the machine
    APIs, the error page for the pages; never a stack trace."""
    extra: dict[str, str] = {}
    if isinstance(exc, SanctionsError):
        status, message = exc.status, exc.message
    elif isinstance(exc, StarletteHTTPException):
        status = exc.status_code
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if status == 404 and message == "Not Found":
            message = f"no such page: {request.url.path[:200]}"
    elif isinstance(exc, RequestValidationError):
        problems = []
        for error in exc.errors()[:5]:
            where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "query"))
            problems.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
        status, message = 422, "; ".join(problems) or "invalid request"
    else:
        log.exception("unexpected error on %s", request.url.path, exc_info=exc)
        status, message = 500, f"internal error ({type(exc).__name__}); see the server log"
        extra = _security_headers(request.url.path)  # 500s pass no middleware
    path = request.url.path
    if path == "/api" or path.startswith(("/api/", *reconcile.PATH_PREFIXES)):
        response: Response = JSONResponse({"error": message, "status": status}, status_code=status)
    else:
        templates = request.app.state.templates
        response = templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                              status_code=status)
    response.headers.update(extra)
    return response


LOOPBACK_HOSTS = ["127.0.0.1", "localhost"]


def limit_blas_threads() -> None:
    """BLAS threads of this server process: ``SANCTIONS_TORCH_THREADS`` (1).

    Requests already run side by side; on a small shared CPU a matrix product
    split over two BLAS threads (the cross-language word translation) took
    twice as long as on one. Each output element is computed by one thread
    either way, so the products are the same to the bit."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(settings.torch_threads(), user_api="blas")


def app_from_env() -> FastAPI:
    """uvicorn factory: the app over ``$SANCTIONS_STORE``; Host names from
    ``$SANCTIONS_ALLOWED_HOSTS`` (comma-separated, ``*`` = any; default loopback)."""
    from ..tag.names import _MATCHERS

    _MATCHERS.background = True  # after an ingest, serve the old list matcher while the new one builds
    limit_blas_threads()
    app = create_app(settings.store_dir(), allowed_hosts=settings.allowed_hosts() or LOOPBACK_HOSTS)
    if settings.serve_warm_up():
        from .fast import start_warm_up

        start_warm_up(app.state.backend)  # models and tables load before the first request asks
    return app
