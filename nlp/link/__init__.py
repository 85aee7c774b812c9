"""Link: statements in documents -> the data and passages that bear on them.

``frames`` finds trade claims and parses them; ``verify`` checks a frame
against the stored trade facts (with proxies when the exact series is
absent); ``evidence`` finds passages that support or contradict it;
``report`` renders a document's claims with charts. This module ties them
together and keeps results in the store's ``claims`` table.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Iterable

from ..errors import UnknownDocument
from ..store import Store
from .claims import CLAIMS_SCHEMA, record_claims, save_claims, stored_claims

if TYPE_CHECKING:
    from .verify import VerificationRecord

__all__ = ["CLAIMS_SCHEMA", "link_document", "linkable_documents", "record_claims", "stored_claims",
           "verify_statement"]


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def verify_statement(statement: str, store: Store, *, published: str | dt.date | None = None,
                     lang: str = "auto", with_evidence: bool = True) -> VerificationRecord:
    """Check one ad-hoc statement: frame, verdict, figures, series, evidence."""
    from ..ingest.textutil import detect_lang
    from .evidence import find_evidence
    from .frames import frame_claim
    from .verify import legal_basis, verify_frame

    lang = detect_lang(statement) if lang in (None, "auto") else lang
    frame = frame_claim(statement.strip(), lang, _date(published) or dt.date.today())
    if published is None:
        frame.notes.append("no publication date given: relative periods are read against today")
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

    doc = store.document(doc_id, with_blocks=True)
    if doc is None:
        raise UnknownDocument(f"no document {doc_id!r} in the store")
    # An undated document frames relative periods ("this year") only where
    # the text anchors them; today's date is never the reference.
    published = _date(doc.published)
    results = []
    story = frozenset({doc_id, *store.copies_of(doc_id)})  # evidence comes from other stories
    seen: set[str] = set()
    for frame in detect_claims(doc.text, doc.lang if doc.lang in ("en", "ru") else "en", published):
        # A page that prints its headline twice states it once.
        key = " ".join(doc.text[frame.start:frame.end].casefold().split())
        if key in seen:
            continue
        seen.add(key)
        result = verify_frame(frame, store)
        result.legal_basis = legal_basis(frame, store)
        if with_evidence:
            result.evidence = find_evidence(frame, store, exclude=story)
        record: dict[str, Any] = dict(result.to_dict())
        record["doc_id"], record["start"], record["end"] = doc_id, frame.start, frame.end
        record["provenance"] = _provenance(doc, frame.start)
        results.append(record)
    save_claims(store, doc_id, results)
    return results


def _provenance(doc, offset: int) -> dict[str, Any]:
    for block in doc.blocks:
        if block.start <= offset < block.end:
            return {"page": block.page, "section": block.section, "block": block.kind}
    return {}


def linkable_documents(store: Store) -> Iterable[str]:
    """Documents worth scanning for claims: news and legal texts."""
    return sorted([*store.doc_ids("news"), *store.doc_ids("regulation")])
