"""The pipeline runner: files, or one document read elsewhere, through
ingest → extract → index → link into one store.

Every way of adding material to a store goes through here: ``sanctions demo``
(:func:`run` over the sample corpus), the web app's upload (:func:`run` over
the uploaded file), ``sanctions tag`` and ``watch`` with storing
(:func:`run_document` for a text, :func:`run` for a file). The steps and
their rules are written once:

1. **ingest** the files (:func:`nlp.ingest.ingest`: unchanged files are
   skipped, unreadable ones recorded with their reason);
2. **extract** entities, codes, dates and citations from the documents of
   the given files, read now or unchanged since an earlier run (every stored
   document with ``everything``),
   with the store's sanctions lists as extra names, except ``trade_table``
   documents (generated descriptions of figures); a record the caller
   already has is stored as it is;
3. **index**: bring the search index in step with the store — always
   (``index="always"``, creating it when missing), only when one exists
   (``"if_present"``) or not at all (``"never"``);
4. **link** the claims of the news and legal documents among them: verdict,
   legal basis, evidence passages, kept in the ``claims`` table.

A step that fails for one document is a warning in the summary; it never
undoes what earlier steps stored.

What it does not do: read files itself (:mod:`nlp.ingest`), decide what a
claim means (:mod:`nlp.link`), or run on a cluster (:mod:`nlp.scale`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal

from .records import Document, ReadResult

if TYPE_CHECKING:
    from .store import Store

IndexMode = Literal["always", "if_present", "never"]
Stage = Literal["ingest", "extract", "index", "link"]
LINKABLE_KINDS = ("news", "regulation")
NOT_EXTRACTED_KINDS = ("trade_table",)


@dataclass
class RunSummary:
    """What one run did, stage by stage."""

    ingest: dict[str, Any] = field(default_factory=dict)
    doc_ids: list[str] = field(default_factory=list)
    extracted: int = 0
    index: dict[str, Any] | None = None
    claims: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"ingest": self.ingest, "doc_ids": self.doc_ids, "extracted": self.extracted,
                "index": self.index, "claims": self.claims, "verdicts": self.verdicts,
                "warnings": self.warnings}


def _warning(stage: str, what: str, exc: Exception) -> str:
    return f"{stage} {what}: {type(exc).__name__}: {' '.join(str(exc).split())}"[:300]


# -- the stages ------------------------------------------------------------------

def extract_stage(store: Store, doc_ids: Iterable[str], summary: RunSummary, *,
                  records: dict[str, dict[str, Any]] | None = None) -> None:
    """Extract and store the annotation layers of ``doc_ids`` (see module doc)."""
    from .extract.entities import store_gazetteer
    from .extract.pipeline import extract_documents, store_record

    docs = [d for d in (store.document(i, with_blocks=False) for i in doc_ids)
            if d is not None and d.kind not in NOT_EXTRACTED_KINDS]
    given = records or {}
    for doc in docs:
        if doc.doc_id in given and store_record(store, given[doc.doc_id]):
            summary.extracted += 1
    todo = [d for d in docs if d.doc_id not in given]
    if not todo:
        return
    names = store_gazetteer(store)
    gazetteer = names if names.size else None
    try:
        extracted = extract_documents(todo, gazetteer=gazetteer)
    except Exception as exc:  # one batch failed: retry one by one to keep the rest
        summary.warnings.append(_warning("extract", f"{len(todo)} documents", exc))
        extracted = []
        for doc in todo:
            try:
                extracted += extract_documents([doc], gazetteer=gazetteer)
            except Exception as single:
                summary.warnings.append(_warning("extract", doc.doc_id, single))
    for record in extracted:
        summary.extracted += bool(store_record(store, record))


def index_stage(store: Store, summary: RunSummary, *, mode: IndexMode = "always",
                embedder: Any = None) -> None:
    """Bring the store's search index in step with its documents."""
    from .index.build import sync_index
    from .index.current import has_index

    if mode == "never" or (mode == "if_present" and not has_index(store.dir)):
        return
    try:
        synced = sync_index(store, embedder=embedder)
        summary.index = synced.to_dict() if hasattr(synced, "to_dict") else {"result": str(synced)}
    except Exception as exc:
        summary.warnings.append(_warning("index", str(store.dir), exc))


def link_stage(store: Store, doc_ids: Iterable[str], summary: RunSummary, *,
               evidence: bool = True) -> None:
    """Detect, verify and store the claims of the linkable documents among ``doc_ids``."""
    from .link import link_document

    for doc_id in doc_ids:
        doc = store.document(doc_id, with_blocks=False)
        if doc is None or doc.kind not in LINKABLE_KINDS:
            continue
        try:
            claims = link_document(doc_id, store, with_evidence=evidence)
        except Exception as exc:
            summary.warnings.append(_warning("link", doc_id, exc))
            continue
        summary.claims += len(claims)
        for claim in claims:
            summary.verdicts[claim["verdict"]] = summary.verdicts.get(claim["verdict"], 0) + 1


# -- runs --------------------------------------------------------------------------

def _doc_ids_of(store: Store, paths: list[str | Path]) -> list[str]:
    """The stored documents of the files under ``paths`` (read now or unchanged)."""
    from .ingest import file_key, walk

    ids: list[str] = []
    for path in walk(paths):
        ids += store.doc_ids_for_path(file_key(path))
    return ids


def run(paths: Iterable[str | Path], store: Store, *, everything: bool = False,
        index: IndexMode = "always", link: bool = True, evidence: bool = True, embedder: Any = None,
        records: dict[str, dict[str, Any]] | None = None,
        on_stage: Callable[[Stage, RunSummary], None] | None = None) -> RunSummary:
    """Ingest ``paths`` and carry what was read through the later stages.

    ``everything`` extracts and links every stored document instead of only
    those of the given files; ``records`` maps doc ids to extraction
    records already made (they are stored instead of extracted again);
    ``on_stage`` is called after each stage with the summary so far."""
    from .ingest import ingest

    def done(stage: Stage) -> None:
        if on_stage is not None:
            on_stage(stage, summary)

    summary = RunSummary()
    paths = list(paths)
    summary.ingest = ingest(paths, store).to_dict()
    summary.doc_ids = store.doc_ids() if everything else _doc_ids_of(store, paths)
    done("ingest")
    extract_stage(store, summary.doc_ids, summary, records=records)
    done("extract")
    if summary.doc_ids:
        index_stage(store, summary, mode=index, embedder=embedder)
    done("index")
    if link:
        link_stage(store, summary.doc_ids, summary, evidence=evidence)
    done("link")
    return summary


def run_document(doc: Document, store: Store, *, key: str, record: dict[str, Any] | None = None,
                 index: IndexMode = "if_present", link: bool = True, evidence: bool = True,
                 embedder: Any = None) -> RunSummary:
    """Store one document that was not read from a file of its own (a pasted
    text, a feed item) under ``key``, then extract (or store ``record``),
    index and link it like :func:`run` does."""
    summary = RunSummary(doc_ids=[doc.doc_id])
    data = doc.text.encode("utf-8")
    store.replace_file(key, hashlib.sha256(data).hexdigest(), len(data), "tag", ReadResult(documents=[doc]))
    summary.ingest = {"files": 1, "ingested": 1, "documents": 1}
    extract_stage(store, [doc.doc_id], summary, records={doc.doc_id: record} if record else None)
    index_stage(store, summary, mode=index, embedder=embedder)
    if link:
        link_stage(store, [doc.doc_id], summary, evidence=evidence)
    return summary


# -- what the stages hold, read back ------------------------------------------------

def document_view(store: Store, doc_id: str) -> dict[str, Any] | None:
    """A stored document with its text, blocks (provenance), every annotation
    layer (keys as in the extraction record: entities, hs_codes, dates,
    citations; items as the store keeps them) and its claims; None if absent."""
    from .annotations import RECORD_LAYERS
    from .link.claims import claims_with_ids

    doc = store.document(doc_id, with_blocks=True)
    if doc is None:
        return None
    stored = store.annotations(doc_id)
    record: dict[str, Any] = {key: getattr(doc, key) for key in
                              ("doc_id", "kind", "lang", "title", "published", "source",
                               "source_id", "author", "meta")}
    record["text"] = doc.text
    record["blocks"] = [{"kind": b.kind, "start": b.start, "end": b.end, "page": b.page,
                         "section": b.section} for b in doc.blocks]
    for key, layer in RECORD_LAYERS.items():
        record[key] = [a for a in stored if a["layer"] == layer]
    record["claims"] = claims_with_ids(store, doc_id)
    return record


def store_summary(store: Store) -> dict[str, Any]:
    """What the store holds (:meth:`Store.stats`), its search index's manifest
    (None before the first ``sanctions index``) and the claims per verdict."""
    from .index.build import index_dir, read_manifest
    from .link.claims import verdict_counts

    stats = store.stats()
    manifest = read_manifest(index_dir(store.dir))
    stats["index"] = manifest.to_dict() if manifest is not None else None
    stats["claims"] = verdict_counts(store)
    return stats
