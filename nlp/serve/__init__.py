"""Serve: the analyst web app and HTTP API over one store.

``create_app(store_dir)`` (:mod:`nlp.serve.app`) builds a FastAPI app with a
JSON API under ``/api`` (OpenAPI at ``/docs``) and server-rendered pages
(Jinja2, autoescaped, strict Content-Security-Policy). ``sanctions serve``
(:mod:`nlp.serve.commands`) runs it with uvicorn on 127.0.0.1.

This package does not compute anything itself: search, extraction, claim
verification, tagging and name matching come from their stages.
"""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(*args, **kwargs):
    from .app import create_app as _create_app

    return _create_app(*args, **kwargs)
