"""What the web app's routes call: one object per served store.

What it does: holds the store folder, a SQLite connection per worker thread,
the search index (reopened when ``sanctions index`` writes a new manifest),
and locks around the parts that are not thread-safe (the index's temporary
filter table, the NLP models, matplotlib). Its methods return the same JSON
shapes the CLI prints with ``--json``: search hits (plus a snippet and its
highlight spans), extraction records, claim verifications, tagging results,
list matches and store statistics. Bad input raises :class:`ApiError` with a
status code and a one-line message.

What it does not do: HTTP (see :mod:`nlp.serve.app`) or any analysis of its
own; it calls the stages' public functions. Request parameters never become
file paths: uploads are written under names the server makes up.
"""

from __future__ import annotations

import base64
import hashlib
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from ..annotations import RECORD_LAYERS
from ..errors import ApiError
from ..store import Store
from . import fast
from .limits import check_work

if TYPE_CHECKING:
    from ..link.verify import VerificationRecord

MAX_TEXT_CHARS = 200_000
MAX_STATEMENT_CHARS = 2_000
MAX_NAME_CHARS = 300
MAX_QUERY_CHARS = 1_000
MAX_PAGE = 100
MAX_OFFSET = 1_000
SEARCH_KEYS = ("rank", "score", "doc_id", "source", "source_id", "passage_id", "text", "kind", "lang",
               "page", "section", "start", "end", "title", "published", "also_published_as")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SAFE_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,10}$")


def check_text(text: str | None, what: str = "text", limit: int = MAX_TEXT_CHARS) -> str:
    if text is None or not str(text).strip():
        raise ApiError(400, f"{what} is empty")
    if len(text) > limit:
        raise ApiError(413, f"{what} too long: {len(text):,} characters over the {limit:,} limit")
    return str(text)


def check_date(value: str | None, what: str) -> str | None:
    if value in (None, ""):
        return None
    value = str(value).strip()
    if not DATE_RE.match(value):
        raise ApiError(400, f"{what} must be a date YYYY[-MM[-DD]], not {value[:40]!r}")
    return value


def check_day(value: str | None, what: str = "published") -> str | None:
    """A full ISO day or None (reference dates for relative expressions)."""
    import datetime as dt

    value = check_date(value, what)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ApiError(400, f"{what} must be a full date YYYY-MM-DD, not {value!r}") from None


def check_lang(lang: str | None) -> str:
    lang = (lang or "auto").strip().lower()
    if lang not in ("auto", "en", "ru"):
        raise ApiError(400, f"lang must be auto, en or ru, not {lang[:20]!r}")
    return lang


def file_name(path: str | None) -> str:
    """The last part of a source path or URL, for display."""
    if not path:
        return ""
    return re.split(r"[\\/]", str(path).rstrip("/\\"))[-1] or str(path)


@dataclass
class SearchRequest:
    query: str
    k: int = 10
    offset: int = 0
    mode: str = "hybrid"
    kind: str | None = None
    lang: str | None = None
    since: str | None = None
    until: str | None = None
    hs: str | None = None
    tier: str | None = None
    entity: str | None = None
    country: str | None = None

    def filters(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in
                ("kind", "lang", "since", "until", "hs", "tier", "entity", "country")
                if getattr(self, key) not in (None, "")}


@dataclass
class Backend:
    """The served store and the shared, lazily loaded machinery around it."""

    store_dir: Path
    embedder: Any = None  # tests pass a small stand-in; None = the index's model
    evidence: bool = True  # look up evidence passages when verifying
    _local: threading.local = field(default_factory=threading.local)
    nlp_lock: threading.RLock = field(default_factory=threading.RLock)

    # -- store and index -----------------------------------------------------
    @property
    def store(self) -> Store:
        """This thread's connection (sqlite connections are not shared between threads)."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.store_dir)
            from ..link import CLAIMS_SCHEMA

            store.ensure_schema(CLAIMS_SCHEMA)
            self._local.store = store
        return store

    # -- search ---------------------------------------------------------------
    def search(self, request: SearchRequest) -> dict[str, Any]:
        # The same answer while the index is unchanged (nlp/serve/fast.py).
        return fast.SEARCH_ANSWERS.answer(self.store_dir, request, lambda: self._search(request), self.embedder)

    def _search(self, request: SearchRequest) -> dict[str, Any]:
        from ..errors import IndexError_
        from ..index.current import has_index, using_index
        from ..index.search import MODES, Filters
        from .fast import snippet

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
        if not has_index(self.store_dir):
            raise ApiError(503, "the store has no search index yet: run `sanctions index --store DIR`")
        try:
            fast.embed_query(self.store_dir, self.embedder, query, request.mode)  # outside the index lock
            with using_index(self.store_dir, self.embedder) as index:
                try:
                    hits = index.search(query, k=request.offset + request.k, mode=request.mode,
                                        filters=filters)
                except (IndexError_, ValueError) as exc:
                    raise ApiError(400, str(exc)) from None
        except IndexError_ as exc:  # the index could not be opened
            raise ApiError(503, str(exc)) from None
        rows = []
        for hit in hits[request.offset:]:
            row = {key: getattr(hit, key, None) for key in SEARCH_KEYS}  # flat fields: no deep copy
            row["snippet"], row["highlights"] = snippet(hit.text, query)
            rows.append(row)
        more = len(hits) == request.offset + request.k
        return {"query": query, "mode": request.mode, "filters": request.filters(),
                "offset": request.offset, "k": request.k, "hits": rows,
                "next_offset": request.offset + request.k if more and
                request.offset + request.k <= MAX_OFFSET else None}

    # -- documents ------------------------------------------------------------
    def documents(self, *, kind: str | None = None, lang: str | None = None,
                  offset: int = 0, limit: int = 50) -> dict[str, Any]:
        if not 1 <= limit <= 500:
            raise ApiError(400, "limit must be between 1 and 500")
        if offset < 0:
            raise ApiError(400, "offset must be 0 or more")
        total, rows = self.store.documents_page(kind=kind, lang=lang, offset=offset, limit=limit)
        return {"total": total, "offset": offset, "limit": limit, "documents": rows,
                "next_offset": offset + limit if offset + limit < total else None}

    def document(self, doc_id: str) -> dict[str, Any]:
        """A document with its text, blocks (provenance), annotation layers and claims.

        The layer keys are those of the extraction record (entities, hs_codes,
        dates, citations), each item as the store keeps it.
        """
        doc = self.store.document(doc_id, with_blocks=True)
        if doc is None:
            raise ApiError(404, f"no document {doc_id[:64]!r} in the store")
        stored = self.store.annotations(doc_id)
        record: dict[str, Any] = {key: getattr(doc, key) for key in
                                  ("doc_id", "kind", "lang", "title", "published", "source",
                                   "source_id", "author", "meta")}
        record["text"] = doc.text
        record["blocks"] = [{"kind": b.kind, "start": b.start, "end": b.end, "page": b.page,
                             "section": b.section} for b in doc.blocks]
        for key, layer in RECORD_LAYERS.items():
            record[key] = [a for a in stored if a["layer"] == layer]
        record["claims"] = self.claims(doc_id)
        return record

    # -- claims -----------------------------------------------------------------
    def claims(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        from ..link.claims import claims_with_ids

        return claims_with_ids(self.store, doc_id)

    def claim(self, claim_id: str) -> dict[str, Any]:
        from ..link.claims import stored_claim

        record = stored_claim(self.store, claim_id)
        if record is None:
            raise ApiError(404, f"no claim {claim_id[:64]!r} in the store")
        return record

    def verify(self, statement: str, published: str | None = None, lang: str = "auto") -> VerificationRecord:
        from ..link import verify_statement

        statement = check_text(statement, "statement", MAX_STATEMENT_CHARS).strip()
        published = check_day(published)
        lang = check_lang(lang)
        with self.nlp_lock:
            return verify_statement(statement, self.store, published=published, lang=lang,
                                    with_evidence=self.evidence)

    def charts(self, claim: Mapping[str, Any]) -> list[dict[str, Any]]:
        """One PNG chart (base64) per series with at least two points; proxies labelled."""
        from ..link.report import chart_png
        from ..link.verify import SeriesSpec, load_series

        out = []
        for series in claim.get("series") or []:
            codes = [] if series.get("codes") == ["TOTAL"] else list(series.get("codes") or [])
            spec = SeriesSpec(reporter=series["reporter"], partner=series["partner"], flow=series["flow"],
                              codes=codes, label=series["label"], proxy=series["proxy"])
            points = load_series(self.store, spec).points
            if len(points) < 2:
                continue
            title = ("PROXY: " if series.get("proxy") else "") + str(series.get("label"))
            with self.nlp_lock:  # matplotlib's pyplot state is global
                png = chart_png(series, points, title)
            out.append({"label": series.get("label"), "proxy": bool(series.get("proxy")),
                        "caveat": series.get("caveat"), "title": title,
                        "data_uri": "data:image/png;base64," + base64.b64encode(png).decode("ascii")})
        return out

    # -- extraction and tagging ----------------------------------------------
    def extract_text(self, text: str, lang: str = "auto", published: str | None = None) -> dict[str, Any]:
        from ..extract.pipeline import extract_text

        text = check_text(text)
        check_work(text)
        lang = check_lang(lang)
        published = check_day(published)
        with self.nlp_lock:
            return extract_text(text, lang, published, with_text=False, source="api")

    def extract_upload(self, filename: str | None, data: bytes, lang: str = "auto",
                       published: str | None = None) -> list[dict[str, Any]]:
        """Extraction records for every document an uploaded file holds."""
        from ..extract.pipeline import extract_document
        from ..ingest.registry import ReadError
        from .limits import read_upload as read_path  # killable worker, time-limited

        lang = check_lang(lang)
        published = check_day(published)
        docs = self._read_upload(filename, data, read_path, ReadError)
        if not docs:
            raise ApiError(422, "the file holds no documents to extract from (listings or trade data only)")
        check_work("\n".join(doc.text for doc in docs[:20]), "the file's text")
        with self.nlp_lock:
            records = [extract_document(doc, lang, published) for doc in docs[:20]]
        for record in records:
            record["source"] = file_name(filename) or "upload"
        return records

    def upload_text(self, filename: str | None, data: bytes) -> tuple[str, str | None]:
        """(text, title) of the first document in an uploaded file, read as ingest reads it
        (so an HTML page gives its article text, not its markup)."""
        from ..ingest.registry import ReadError
        from .limits import read_upload as read_path  # killable worker, time-limited

        docs = self._read_upload(filename, data, read_path, ReadError)
        if not docs:
            raise ApiError(422, "the file holds no article text (listings or trade data only)")
        return docs[0].text, docs[0].title

    @staticmethod
    def _read_upload(filename: str | None, data: bytes, read_path, read_error) -> list:
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
            except read_error as exc:
                raise ApiError(422, f"cannot read the file: {exc}") from None
        return result.documents

    def tag(self, text: str, *, title: str | None = None, published: str | None = None,
            lang: str = "auto", store_it: bool = False) -> dict[str, Any]:
        text = check_text(text)
        check_work(text)
        lang = check_lang(lang)
        published = check_day(published)
        if title is not None and len(title) > 1_000:
            raise ApiError(413, "title too long (over 1,000 characters)")
        from ..tag.tagging import tag_article

        if not store_it:  # the model step batched under the lock, the rest in parallel (nlp/serve/fast.py)
            return fast.tag_text(self, text, title=title or None, published=published, lang=lang)
        with self.nlp_lock:
            return tag_article(text, self.store, published=published, lang=lang, title=title or None,
                               store_it=store_it)

    # -- names ------------------------------------------------------------------
    def _names(self):
        from ..tag import names

        return names

    def match(self, name: str, schema: str | None = None, limit: int = 10) -> dict[str, Any]:
        name = check_text(name, "name", MAX_NAME_CHARS).strip()
        if not 1 <= limit <= MAX_PAGE:
            raise ApiError(400, f"limit must be between 1 and {MAX_PAGE}")
        names = self._names()
        with self.nlp_lock:
            matcher = _list_matcher(names, self.store_dir, self._listings_stamp())
            matches = matcher.search(name, schema=schema or None, limit=limit)
        return {"name": name, "schema": schema or None, "matches": matches}

    def match_pair(self, name1: str, name2: str, schema: str = "Person") -> dict[str, Any]:
        name1 = check_text(name1, "name1", MAX_NAME_CHARS).strip()
        name2 = check_text(name2, "name2", MAX_NAME_CHARS).strip()
        with self.nlp_lock:
            return self._names().match_pair(name1, name2, schema=schema or "Person")

    def _listings_stamp(self) -> tuple[int, str]:
        return self.store.files_stamp()

    # -- statistics -------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        from ..index.build import index_dir, read_manifest

        stats = self.store.stats()
        manifest = read_manifest(index_dir(self.store_dir))
        stats["index"] = manifest.to_dict() if manifest is not None else None
        from ..link.claims import verdict_counts

        stats["claims"] = verdict_counts(self.store)
        return stats

    # -- writing ----------------------------------------------------------------
    def ingest_upload(self, filename: str | None, data: bytes) -> dict[str, Any]:
        """Keep an uploaded file under ``<store>/uploads`` and run the pipeline on it."""
        from ..pipeline import run

        if not data or not data.strip():
            raise ApiError(400, "the uploaded file is empty")
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", file_name(filename)).strip("._")[:80] or "upload.txt"
        digest = hashlib.sha256(data).hexdigest()[:16]
        folder = self.store_dir / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{digest}-{base}"
        path.write_bytes(data)
        with self.nlp_lock:
            summary = run([path], self.store, embedder=self.embedder, evidence=self.evidence)
        result = dict(summary.ingest)
        result.update({"path": path.name, "doc_ids": summary.doc_ids, "warnings": summary.warnings})
        return result


_MATCHERS: dict[str, Any] = {}
_MATCHERS_LOCK = threading.Lock()


def _list_matcher(names_module, store_dir: Path, stamp: tuple):
    """The store's ListMatcher; names.list_matcher rebuilds it off the request
    path after an ingest and swaps it in (the server turns that on)."""
    with _MATCHERS_LOCK:
        store = _MATCHERS.get(str(store_dir))
        if store is None:
            store = _MATCHERS[str(store_dir)] = Store(store_dir)
        return names_module.list_matcher(store)
