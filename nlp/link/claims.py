"""The store's ``claims`` table: one row per claim found in a stored document.

``save_claims(store, doc_id, results)`` replaces a document's claims with
new verification results (dicts as :meth:`Verification.to_dict` gives them,
plus ``start``/``end``); ``stored_claims`` reads them back. ``record_claims``
is the entry point for callers that verified claims themselves (``sanctions
watch`` via tagging): it stores what they computed, without verifying again.

This module only reads and writes rows; finding and checking claims is
:mod:`nlp.link.frames` and :mod:`nlp.link.verify`.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

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


def save_claims(store: Store, doc_id: str, results: Iterable[dict[str, Any]]) -> int:
    """Replace the stored claims of ``doc_id`` with ``results``; returns how many."""
    store.ensure_schema(CLAIMS_SCHEMA)
    rows = []
    for r in results:
        text = r.get("claim") or r.get("text") or ""
        rows.append((content_id(doc_id, str(r["start"]), text), doc_id, r["start"], r["end"], text,
                     r["verdict"], json.dumps({**r, "doc_id": doc_id}, ensure_ascii=False, default=str)))
    with store.transaction() as db:
        db.execute("DELETE FROM claims WHERE doc_id = ?", (doc_id,))
        db.executemany("INSERT OR REPLACE INTO claims VALUES (?,?,?,?,?,?,?,julianday('now'))", rows)
    return len(rows)


def record_claims(store: Store, doc_id: str | None, claims: list[dict[str, Any]]) -> int:
    """Store claims that a caller already verified (e.g. the tags of a watched item).

    ``claims`` are dicts with ``start``, ``end``, ``text``, ``verdict`` and
    whatever else the caller has (frame, figures, explanation). Nothing is
    stored without a stored document to attach them to.
    """
    if not doc_id or store.document(doc_id, with_blocks=False) is None:
        return 0
    return save_claims(store, doc_id, claims)


def stored_claims(store: Store, doc_id: str | None = None) -> list[dict[str, Any]]:
    store.ensure_schema(CLAIMS_SCHEMA)
    sql, args = "SELECT result FROM claims", []
    if doc_id:
        sql, args = sql + " WHERE doc_id = ?", [doc_id]
    return [json.loads(r[0]) for r in store.query(sql + " ORDER BY doc_id, start", args)]


def claims_with_ids(store: Store, doc_id: str | None = None) -> list[dict[str, Any]]:
    """Stored claims (of one document, or all) with their ``claim_id`` and ``doc_id``."""
    store.ensure_schema(CLAIMS_SCHEMA)
    sql, args = "SELECT claim_id, doc_id, result FROM claims", []
    if doc_id:
        sql, args = sql + " WHERE doc_id = ?", [doc_id]
    out = []
    for claim_id, owner, result in store.query(sql + " ORDER BY doc_id, start", args):
        record = json.loads(result)
        record["claim_id"], record["doc_id"] = claim_id, owner
        out.append(record)
    return out


def stored_claim(store: Store, claim_id: str) -> dict[str, Any] | None:
    """One stored claim by id (with its ``claim_id``), or None."""
    store.ensure_schema(CLAIMS_SCHEMA)
    rows = store.query("SELECT result FROM claims WHERE claim_id = ?", (claim_id,))
    if not rows:
        return None
    record: dict[str, Any] = json.loads(rows[0][0])
    record["claim_id"] = claim_id
    return record


def verdict_counts(store: Store) -> list[dict[str, Any]]:
    """``[{"verdict", "n"}]``: how many stored claims got each verdict."""
    store.ensure_schema(CLAIMS_SCHEMA)
    return [{"verdict": v, "n": n} for v, n in
            store.query("SELECT verdict, COUNT(*) FROM claims GROUP BY verdict ORDER BY verdict")]
