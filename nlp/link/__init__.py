"""Link: statements in documents -> the data and passages that bear on them.

``frames`` finds trade claims and parses them; ``verify`` checks a frame
against the stored trade facts (with proxies when the exact series is
absent); ``evidence`` finds passages that support or contradict it;
``report`` renders a document's claims with charts. This module ties them
together and keeps results in the store's ``claims`` table.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Iterable

from ..errors import UnknownDocument
from ..records import content_id
from ..store import Store

CLAIMS_SCHEMA = """
CREATE TABLE IF NOT EXISTS claims (
    claim_id TEXT PRIMARY KEY,
    doc_id   TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    start    INTEGER NOT NULL,
    end      INTEGER NOT NULL,
    text     TEXT NOT NULL,
    verdict  TEXT NOT NULL,
    result   TEXT NOT NULL,
    linked_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_doc ON claims(doc_id);
"""


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def verify_statement(statement: str, store: Store, *, published: str | dt.date | None = None,
                     lang: str = "auto", with_evidence: bool = True) -> dict[str, Any]:
    """Check one ad-hoc statement: frame, verdict, figures, series, evidence."""
    from ..ingest.textutil import detect_lang
    from .evidence import find_evidence
    from .frames import frame_claim
    from .verify import legal_basis, verify_frame

    lang = detect_lang(statement) if lang in (None, "auto") else lang
    frame = frame_claim(statement.strip(), lang, _date(published) or dt.date.today())
    result = verify_frame(frame, store)
    result.legal_basis = legal_basis(frame, store)
    if with_evidence:
        result.evidence = find_evidence(frame, store)
    return result.to_dict()


def link_document(doc_id: str, store: Store, *, with_evidence: bool = True) -> list[dict[str, Any]]:
    """Detect, verify and store every claim of a stored document."""
    from .evidence import find_evidence
    from .frames import detect_claims
    from .verify import legal_basis, verify_frame

    store.ensure_schema(CLAIMS_SCHEMA)
    doc = store.document(doc_id, with_blocks=True)
    if doc is None:
        raise UnknownDocument(f"no document {doc_id!r} in the store")
    published = _date(doc.published) or dt.date.today()
    results = []
    for frame in detect_claims(doc.text, doc.lang if doc.lang in ("en", "ru") else "en", published):
        result = verify_frame(frame, store)
        result.legal_basis = legal_basis(frame, store)
        if with_evidence:
            result.evidence = [e for e in find_evidence(frame, store)
                               if e.get("doc_id") not in {doc_id, *store.copies_of(doc_id)}]
        record = result.to_dict()
        record["doc_id"], record["start"], record["end"] = doc_id, frame.start, frame.end
        record["provenance"] = _provenance(doc, frame.start)
        results.append(record)
    with store.transaction() as db:
        db.execute("DELETE FROM claims WHERE doc_id = ?", (doc_id,))
        db.executemany("INSERT INTO claims VALUES (?,?,?,?,?,?,?,julianday('now'))", [
            (content_id(doc_id, str(r["start"]), r["claim"]), doc_id, r["start"], r["end"], r["claim"],
             r["verdict"], json.dumps(r, ensure_ascii=False, default=str)) for r in results])
    return results


def _provenance(doc, offset: int) -> dict[str, Any]:
    for block in doc.blocks:
        if block.start <= offset < block.end:
            return {"page": block.page, "section": block.section, "block": block.kind}
    return {}


def stored_claims(store: Store, doc_id: str | None = None) -> list[dict[str, Any]]:
    store.ensure_schema(CLAIMS_SCHEMA)
    sql, args = "SELECT result FROM claims", []
    if doc_id:
        sql, args = sql + " WHERE doc_id = ?", [doc_id]
    return [json.loads(r[0]) for r in store.db.execute(sql + " ORDER BY doc_id, start", args)]


def linkable_documents(store: Store) -> Iterable[str]:
    """Documents worth scanning for claims: news and legal texts."""
    return [r[0] for r in store.db.execute(
        "SELECT doc_id FROM documents WHERE kind IN ('news', 'regulation') ORDER BY doc_id")]
