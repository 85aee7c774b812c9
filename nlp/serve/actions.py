"""What each request does, shared by the JSON API and the pages.

What it does: checks a request's input (:mod:`nlp.serve.checks`), calls the
stage that answers it -- under the backend's NLP lock where models or
matplotlib run -- and returns the JSON shape the CLI prints with ``--json``:
search hits (plus a snippet and its highlight spans), documents with their
annotation layers and claims, claim verifications and their charts,
extraction records, tagging results, list matches, store statistics, and the
summary of an upload run through the pipeline.

What it does not do: HTTP (:mod:`nlp.serve.api`, :mod:`nlp.serve.pages`),
hold state (:class:`~nlp.serve.backend.Backend`), or analyse anything: every
answer comes from a stage's public function.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from ..errors import ApiError
from ..text import file_name
from . import fast
from .checks import (
    MAX_NAME_CHARS,
    MAX_OFFSET,
    MAX_PAGE,
    MAX_QUERY_CHARS,
    MAX_STATEMENT_CHARS,
    SAFE_SUFFIX,
    SearchRequest,
    check_date,
    check_day,
    check_lang,
    check_text,
)
from .limits import check_work

if TYPE_CHECKING:
    from ..link.verify import VerificationRecord
    from ..records import Document
    from .backend import Backend

SEARCH_KEYS = ("rank", "score", "doc_id", "source", "source_id", "passage_id", "text", "kind", "lang",
               "page", "section", "start", "end", "title", "published", "also_published_as")


# -- search ---------------------------------------------------------------------------

def search(backend: Backend, request: SearchRequest) -> dict[str, Any]:
    # The same answer while the index is unchanged (nlp/serve/fast.py).
    return fast.SEARCH_ANSWERS.answer(backend.store_dir, request, lambda: _search(backend, request), backend.embedder)


def _search(backend: Backend, request: SearchRequest) -> dict[str, Any]:
    from ..errors import IndexError_
    from ..index.current import has_index, using_index
    from ..index.search import MODES, Filters

    query = check_text(request.query, "query", MAX_QUERY_CHARS).strip()
    if request.mode not in MODES:
        raise ApiError(400, f"mode must be one of {', '.join(MODES)}, not {request.mode[:20]!r}")
    if not 1 <= request.k <= MAX_PAGE:
        raise ApiError(400, f"k must be between 1 and {MAX_PAGE}")
    if not 0 <= request.offset <= MAX_OFFSET:
        raise ApiError(400, f"offset must be between 0 and {MAX_OFFSET}")
    since = check_date(request.since, "since")
    until = check_date(request.until, "until")
    if request.hs and not re.fullmatch(r"[0-9][0-9 .]{0,13}", request.hs.strip()):
        raise ApiError(400, f"hs must be an HS code or prefix such as 85, 8542 or 8542.31, "
                            f"not {request.hs[:20]!r}")
    filters = Filters(kind=request.kind or None, lang=request.lang or None, since=since, until=until,
                      hs=(request.hs or "").strip() or None, chp_tier=request.tier or None,
                      entity=request.entity or None, country=request.country or None)
    if not has_index(backend.store_dir):
        raise ApiError(503, "the store has no search index yet: run `sanctions index --store DIR`")
    try:
        fast.embed_query(backend.store_dir, backend.embedder, query, request.mode)  # outside the index lock
        with using_index(backend.store_dir, backend.embedder) as index:
            try:
                hits = index.search(query, k=request.offset + request.k, mode=request.mode, filters=filters)
            except (IndexError_, ValueError) as exc:
                raise ApiError(400, str(exc)) from None
    except IndexError_ as exc:  # the index could not be opened
        raise ApiError(503, str(exc)) from None
    rows = []
    for hit in hits[request.offset:]:
        row = {key: getattr(hit, key, None) for key in SEARCH_KEYS}  # flat fields: no deep copy
        row["snippet"], row["highlights"] = fast.snippet(hit.text, query)
        rows.append(row)
    more = len(hits) == request.offset + request.k
    return {"query": query, "mode": request.mode, "filters": request.filters(),
            "offset": request.offset, "k": request.k, "hits": rows,
            "next_offset": request.offset + request.k if more and
            request.offset + request.k <= MAX_OFFSET else None}


# -- documents and claims -------------------------------------------------------------

def documents(backend: Backend, *, kind: str | None = None, lang: str | None = None,
              offset: int = 0, limit: int = 50) -> dict[str, Any]:
    if not 1 <= limit <= 500:
        raise ApiError(400, "limit must be between 1 and 500")
    if offset < 0:
        raise ApiError(400, "offset must be 0 or more")
    total, rows = backend.store.documents_page(kind=kind, lang=lang, offset=offset, limit=limit)
    return {"total": total, "offset": offset, "limit": limit, "documents": rows,
            "next_offset": offset + limit if offset + limit < total else None}


def document(backend: Backend, doc_id: str) -> dict[str, Any]:
    """A document with its text, blocks, annotation layers and claims (404 if absent)."""
    from ..pipeline import document_view

    record = document_view(backend.store, doc_id)
    if record is None:
        raise ApiError(404, f"no document {doc_id[:64]!r} in the store")
    return record


def stored_document(backend: Backend, doc_id: str, *, with_blocks: bool = True) -> Document | None:
    return backend.store.document(doc_id, with_blocks=with_blocks)


def claims(backend: Backend, doc_id: str | None = None, *, offset: int = 0, limit: int = 50) -> dict[str, Any]:
    from ..link.claims import claims_with_ids

    found = claims_with_ids(backend.store, doc_id)
    return {"total": len(found), "offset": offset, "limit": limit, "claims": found[offset:offset + limit]}


def claim(backend: Backend, claim_id: str) -> dict[str, Any]:
    from ..link.claims import stored_claim

    record = stored_claim(backend.store, claim_id)
    if record is None:
        raise ApiError(404, f"no claim {claim_id[:64]!r} in the store")
    return record


def verify(backend: Backend, statement: str, published: str | None = None,
           lang: str = "auto") -> VerificationRecord:
    from ..link import verify_statement

    statement = check_text(statement, "statement", MAX_STATEMENT_CHARS).strip()
    published = check_day(published)
    lang = check_lang(lang)
    with backend.nlp_lock:
        return verify_statement(statement, backend.store, published=published, lang=lang,
                                with_evidence=backend.evidence)


def charts(backend: Backend, claim: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One PNG chart (base64) per series with at least two points; proxies labelled."""
    from ..link.report import series_charts

    return series_charts(backend.store, claim, lock=backend.nlp_lock)


# -- extraction and tagging ---------------------------------------------------------------

def extract_text(backend: Backend, text: str, lang: str = "auto", published: str | None = None) -> dict[str, Any]:
    from ..extract.pipeline import extract_text as extract

    text = check_text(text)
    check_work(text)
    lang = check_lang(lang)
    published = check_day(published)
    with backend.nlp_lock:
        return extract(text, lang, published, with_text=False, source="api")


def extract_upload(backend: Backend, filename: str | None, data: bytes, lang: str = "auto",
                   published: str | None = None) -> list[dict[str, Any]]:
    """Extraction records for every document an uploaded file holds (the first 20)."""
    from ..extract.pipeline import extract_document

    lang = check_lang(lang)
    published = check_day(published)
    docs = _read_upload(filename, data)
    if not docs:
        raise ApiError(422, "the file holds no documents to extract from (listings or trade data only)")
    check_work("\n".join(doc.text for doc in docs[:20]), "the file's text")
    with backend.nlp_lock:
        records = [extract_document(doc, lang, published) for doc in docs[:20]]
    for record in records:
        record["source"] = file_name(filename) or "upload"
    return records


def upload_text(filename: str | None, data: bytes) -> tuple[str, str | None]:
    """(text, title) of the first document in an uploaded file, read as ingest reads it
    (so an HTML page gives its article text, not its markup)."""
    docs = _read_upload(filename, data)
    if not docs:
        raise ApiError(422, "the file holds no article text (listings or trade data only)")
    return docs[0].text, docs[0].title


def _read_upload(filename: str | None, data: bytes) -> list[Document]:
    from ..ingest.registry import ReadError
    from .limits import read_upload as read_path  # killable worker, time-limited

    if not data or not data.strip():
        raise ApiError(400, "the uploaded file is empty")
    suffix = Path(file_name(filename)).suffix
    suffix = suffix if SAFE_SUFFIX.match(suffix) else ".txt"
    # The name on disk is ours; the client's name only lends its suffix
    # (which picks the reader), so it can never point outside the folder.
    with tempfile.TemporaryDirectory(prefix="sanctions-upload-") as folder:
        path = Path(folder) / f"upload{suffix.lower()}"
        path.write_bytes(data)
        try:
            _, result = read_path(path, data)
        except ReadError as exc:
            raise ApiError(422, f"cannot read the file: {exc}") from None
    return list(result.documents)


def tag(backend: Backend, text: str, *, title: str | None = None, published: str | None = None,
        lang: str = "auto", store_it: bool = False) -> dict[str, Any]:
    text = check_text(text)
    check_work(text)
    lang = check_lang(lang)
    published = check_day(published)
    if title is not None and len(title) > 1_000:
        raise ApiError(413, "title too long (over 1,000 characters)")
    from ..tag.tagging import tag_article

    if not store_it:  # the model step batched under the lock, the rest in parallel (nlp/serve/fast.py)
        return fast.tag_text(backend, text, title=title or None, published=published, lang=lang)
    with backend.nlp_lock:
        return tag_article(text, backend.store, published=published, lang=lang, title=title or None,
                           store_it=store_it)


# -- names --------------------------------------------------------------------------------

def match(backend: Backend, name: str, schema: str | None = None, limit: int = 10) -> dict[str, Any]:
    from ..tag.names import match_schema

    name = check_text(name, "name", MAX_NAME_CHARS).strip()
    if not 1 <= limit <= MAX_PAGE:
        raise ApiError(400, f"limit must be between 1 and {MAX_PAGE}")
    try:
        schema = match_schema(schema)
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
    with backend.nlp_lock:
        found = backend.list_matcher().search(name, schema=schema, limit=limit)
    return {"name": name, "schema": schema, "matches": found}


def match_pair(backend: Backend, name1: str, name2: str, schema: str = "Person") -> dict[str, Any]:
    from ..tag import names

    name1 = check_text(name1, "name1", MAX_NAME_CHARS).strip()
    name2 = check_text(name2, "name2", MAX_NAME_CHARS).strip()
    with backend.nlp_lock:
        return names.match_pair(name1, name2, schema=schema or "Person")


# -- the store -------------------------------------------------------------------------------

def health(backend: Backend) -> dict[str, Any]:
    import os

    return {"status": "ok", "store": str(Path(backend.store_dir).resolve()),
            "warm_up": fast.warm_up_state(backend),  # models loaded yet? (nlp/serve/fast.py)
            "worker": os.getpid()}  # which server process answered (`sanctions serve --workers N`)


def stats(backend: Backend) -> dict[str, Any]:
    from ..pipeline import store_summary

    return store_summary(backend.store)


def ingest_upload(backend: Backend, filename: str | None, data: bytes) -> dict[str, Any]:
    """Keep an uploaded file under ``<store>/uploads`` and run the pipeline on it."""
    from ..pipeline import run

    if not data or not data.strip():
        raise ApiError(400, "the uploaded file is empty")
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", file_name(filename)).strip("._")[:80] or "upload.txt"
    digest = hashlib.sha256(data).hexdigest()[:16]
    folder = backend.store_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}-{base}"
    path.write_bytes(data)
    with backend.nlp_lock:
        summary = run([path], backend.store, embedder=backend.embedder, evidence=backend.evidence)
    result = dict(summary.ingest)
    result.update({"path": path.name, "doc_ids": summary.doc_ids, "warnings": summary.warnings})
    return result
