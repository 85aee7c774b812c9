"""The stage functions both engines run, and the rows of the Parquet datasets.

What it does: wraps the project's own stages for batch engines --

* :func:`read_file` -- one file through :func:`nlp.ingest.read_path` (the
  reader registry), with the same checks and failure reasons as ``ingest``;
* :func:`extract_rows` -- a batch of documents through
  :func:`nlp.extract.pipeline.extract_many`, as annotation rows shaped like
  the store's ``annotations`` table;
* :func:`passage_rows` -- a batch of documents cut by
  :func:`nlp.index.passages.chunk_document` and embedded by an
  :class:`~nlp.index.embed.Embedder`, one row per passage with its vector;

and converts records to and from rows (:func:`document_rows`,
:func:`row_to_document`, ...). Every row carries ``file_id``, the partition
key of the results folder (:mod:`nlp.scale.dataset`).

What it does not do: schedule work (the engines do), write files, or touch
the store. Nothing here imports Ray; pyarrow is imported only by
:func:`schema`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..records import Block, Document, ListingEntry, ReadResult, TradeFact

TABLES = ("files", "documents", "listings", "trade_facts", "annotations", "passages")

TRADE_COLUMNS = (
    "reporter", "partner", "flow", "product_code", "code_system", "code_level",
    "period", "value", "currency", "quantity", "quantity_unit", "reporter_label",
    "partner_label", "product_label", "location",
)

# Annotation rows with this layer carry a warning of the extraction record
# (a layer that was skipped or failed), so a load keeps the store's earlier
# annotations of that layer exactly as ``sanctions extract --store`` does.
WARNING_LAYER = "_warning"


def file_id(key: str) -> str:
    """Partition key of a file (its store key): short, stable, never all digits."""
    return "f" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:15]


# -- reading ---------------------------------------------------------------------

@dataclass
class FileOutcome:
    """What reading one file gave: its ``files`` row and, when read, the records."""

    row: dict[str, Any]
    result: ReadResult | None = None


def read_file(path: str | Path, known: dict[str, str] | None = None) -> FileOutcome:
    """Read one file as ``sanctions ingest`` does; ``known`` maps file ids to the
    SHA-256 of their last good read, and a file that still has it is
    ``unchanged`` (not read again)."""
    from .. import settings
    from ..ingest import file_key, read_path
    from ..ingest.registry import ReadError

    path = Path(path)
    key = file_key(path)
    row: dict[str, Any] = {"file_id": file_id(key), "path": key, "sha256": "", "size": 0,
                           "status": "failed", "reader": None, "reason": None,
                           "documents": 0, "listings": 0, "trade_facts": 0}
    try:
        try:
            data = path.read_bytes() if path.is_file() and \
                path.stat().st_size <= settings.max_file_bytes() else None
        except OSError as exc:
            raise ReadError(f"cannot open: {exc.strerror or exc}") from None
        if data is not None:
            row["sha256"], row["size"] = hashlib.sha256(data).hexdigest(), len(data)
            if known and known.get(row["file_id"]) == row["sha256"]:
                row["status"] = "unchanged"
                return FileOutcome(row)
        chosen, result = read_path(path, data)
    except ReadError as exc:
        row["reason"] = str(exc)
        return FileOutcome(row)
    result.documents = _unique_documents(result.documents)
    row.update(status="ok", reader=chosen.name, documents=len(result.documents),
               listings=len(result.listings), trade_facts=len(result.trade_facts))
    return FileOutcome(row, result)


def _unique_documents(docs: list[Document]) -> list[Document]:
    # Ids are content hashes: the store keeps the first of identical documents.
    seen: set[str] = set()
    out = []
    for doc in docs:
        if doc.doc_id not in seen:
            seen.add(doc.doc_id)
            out.append(doc)
    return out


# -- records <-> rows --------------------------------------------------------------

def document_rows(fid: str, path: str, docs: Iterable[Document]) -> list[dict[str, Any]]:
    return [{
        "file_id": fid, "doc_id": d.doc_id, "path": path, "kind": d.kind, "lang": d.lang,
        "title": d.title, "published": d.published, "source": d.source, "source_id": d.source_id,
        "author": d.author, "text": d.text, "meta": json.dumps(d.meta, ensure_ascii=False),
        "blocks": [{"kind": b.kind, "start": b.start, "end": b.end, "page": b.page,
                    "section": b.section,
                    "tbl": json.dumps(b.table, ensure_ascii=False) if b.table is not None else None}
                   for b in d.blocks],
    } for d in docs]


def row_to_document(row: dict[str, Any]) -> Document:
    text = row["text"]
    blocks = [Block(kind=b["kind"], text=text[b["start"]:b["end"]], start=b["start"], end=b["end"],
                    page=b["page"], section=b["section"],
                    table=json.loads(b["tbl"]) if b["tbl"] else None)
              for b in (row.get("blocks") or [])]
    return Document(doc_id=row["doc_id"], kind=row["kind"], lang=row["lang"], text=text,
                    source=row["source"], title=row["title"], published=row["published"],
                    source_id=row["source_id"], author=row["author"], blocks=blocks,
                    meta=json.loads(row["meta"] or "{}"))


def listing_rows(fid: str, path: str, entries: Iterable[ListingEntry]) -> list[dict[str, Any]]:
    return [{"file_id": fid, "entry_id": e.entry_id, "path": path, "doc_id": e.doc_id,
             "list_name": e.list_name, "source_id": e.source_id, "schema": e.schema, "name": e.name,
             "programme": e.programme, "listing_date": e.listing_date, "legal_act": e.legal_act,
             "data": json.dumps(e.to_dict(), ensure_ascii=False)} for e in entries]


def row_to_listing(row: dict[str, Any]) -> ListingEntry:
    return ListingEntry.from_dict(json.loads(row["data"]))


def fact_rows(fid: str, path: str, facts: Iterable[TradeFact]) -> list[dict[str, Any]]:
    return [{"file_id": fid, "path": path, "doc_id": f.doc_id,
             **{c: getattr(f, c) for c in TRADE_COLUMNS}} for f in facts]


def row_to_fact(row: dict[str, Any]) -> TradeFact:
    return TradeFact(source=row["path"], doc_id=row["doc_id"], **{c: row[c] for c in TRADE_COLUMNS})


def result_rows(outcome: FileOutcome) -> dict[str, list[dict[str, Any]]]:
    """The rows of every table that one read file contributes."""
    fid, path = outcome.row["file_id"], outcome.row["path"]
    result = outcome.result or ReadResult()
    return {"files": [dict(outcome.row)],
            "documents": document_rows(fid, path, result.documents),
            "listings": listing_rows(fid, path, result.listings),
            "trade_facts": fact_rows(fid, path, result.trade_facts)}


# -- extraction ----------------------------------------------------------------------

def gazetteer_of(entries: Iterable[ListingEntry]):
    """The extra gazetteer ``extract --store`` would use: the listed names, in
    the store's order (by entry id); None when there are none."""
    from ..extract.entities import Gazetteer, listing_names

    ordered = sorted(entries, key=lambda e: e.entry_id)
    gazetteer = Gazetteer().extend(listing_names(ordered))
    return gazetteer if gazetteer.size else None


def annotation_rows(fid: str, record: dict[str, Any]) -> list[dict[str, Any]]:
    """An extraction record as rows of the store's ``annotations`` shape."""
    from ..extract.pipeline import annotation_layers

    rows = [{"file_id": fid, "doc_id": record["doc_id"], "layer": WARNING_LAYER, "start": 0, "end": 0,
             "text": warning, "label": None, "data": "{}"} for warning in record.get("warnings", [])]
    for layer, items in annotation_layers(record).items():
        for it in items:
            rows.append({
                "file_id": fid, "doc_id": record["doc_id"], "layer": layer, "start": it["start"],
                "end": it["end"], "text": it["text"], "label": it.get("label"),
                "data": json.dumps({k: v for k, v in it.items() if k not in ("start", "end", "text", "label")},
                                   ensure_ascii=False, default=str)})
    return rows


def rows_to_layers(rows: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Annotation rows of one document back to the layers ``Store.replace_annotations``
    takes; a layer that was skipped or failed is left out (the store keeps its
    earlier items), every other layer is replaced, even when empty."""
    from ..extract.pipeline import ENTITY_LAYER, LAYERS

    rows = list(rows)
    skipped = {r["text"].split(":", 1)[0] for r in rows if r["layer"] == WARNING_LAYER
               and ("layer skipped" in r["text"] or "layer failed" in r["text"])}
    layers: dict[str, list[dict[str, Any]]] = {ENTITY_LAYER: []}
    for key, layer in LAYERS.items():
        if key not in skipped:
            layers[layer] = []
    for r in rows:
        if r["layer"] in layers:
            item = {"start": r["start"], "end": r["end"], "text": r["text"], "label": r["label"]}
            item.update(json.loads(r["data"] or "{}"))
            layers[r["layer"]].append(item)
    return layers


def extract_rows(items: Sequence[tuple[str, Document]], gazetteer=None) -> list[dict[str, Any]]:
    """Annotation rows of (file_id, document) pairs, extracted as one batch."""
    from ..extract.pipeline import extract_many, job_for_document

    records = extract_many([job_for_document(doc) for _, doc in items], gazetteer=gazetteer)
    return [row for (fid, _), record in zip(items, records) for row in annotation_rows(fid, record)]


# -- passages ----------------------------------------------------------------------------

def embedder_for(name: str):
    """The embedder of a model name; ``hash-test`` is the weightless stand-in
    tests and smoke runs use."""
    from ..index.embed import HashingEmbedder, get_embedder

    return HashingEmbedder() if name == HashingEmbedder.name else get_embedder(name)


def passage_rows(items: Sequence[tuple[str, Document]], embedder) -> list[dict[str, Any]]:
    """Passages of (file_id, document) pairs with their vectors (float32, L2-normalised)."""
    from ..index.passages import chunk_document

    rows: list[dict[str, Any]] = []
    texts: list[str] = []
    for fid, doc in items:
        for p in chunk_document(doc, embedder.count_tokens, embedder.max_tokens):
            rows.append({"file_id": fid, "passage_id": p.passage_id, "doc_id": p.doc_id, "seq": p.seq,
                         "start": p.start, "end": p.end, "block_kind": p.block_kind, "page": p.page,
                         "section": p.section, "text": p.text, "embed_text": p.embed_text})
            texts.append(p.embed_text)
    if rows:
        vectors = embedder.encode(texts)
        for row, vector in zip(rows, vectors):
            row["vector"] = vector.tolist()
    return rows


def choose_model(langs: Iterable[str]) -> str:
    """The model ``sanctions index`` would pick for documents in these
    languages (see :func:`nlp.index.build.default_model`)."""
    from .. import settings
    from ..index.build import MULTILINGUAL_SHARE
    from ..index.embed import canonical_name

    if settings.env("INDEX_MODEL"):
        return canonical_name(None)
    langs = list(langs)
    if langs and sum(1 for lang in langs if lang != "en") / len(langs) > MULTILINGUAL_SHARE:
        return "use-m3"
    return canonical_name(None)


# -- schemas --------------------------------------------------------------------------------

def schema(table: str, dim: int | None = None):
    """The pyarrow schema of a table (``dim`` fixes the passage vector size)."""
    import pyarrow as pa

    s, i64, i32, f64 = pa.string(), pa.int64(), pa.int32(), pa.float64()
    fields: dict[str, list] = {
        "files": [("file_id", s), ("path", s), ("sha256", s), ("size", i64), ("status", s),
                  ("reader", s), ("reason", s), ("documents", i64), ("listings", i64),
                  ("trade_facts", i64)],
        "documents": [("file_id", s), ("doc_id", s), ("path", s), ("kind", s), ("lang", s),
                      ("title", s), ("published", s), ("source", s), ("source_id", s),
                      ("author", s), ("text", pa.large_string()), ("meta", s),
                      ("blocks", pa.list_(pa.struct([("kind", s), ("start", i64), ("end", i64),
                                                     ("page", i64), ("section", s), ("tbl", s)])))],
        "listings": [("file_id", s), ("entry_id", s), ("path", s), ("doc_id", s), ("list_name", s),
                     ("source_id", s), ("schema", s), ("name", s), ("programme", s),
                     ("listing_date", s), ("legal_act", s), ("data", s)],
        "trade_facts": [("file_id", s), ("path", s), ("doc_id", s), ("reporter", s), ("partner", s),
                        ("flow", s), ("product_code", s), ("code_system", s), ("code_level", i32),
                        ("period", s), ("value", f64), ("currency", s), ("quantity", f64),
                        ("quantity_unit", s), ("reporter_label", s), ("partner_label", s),
                        ("product_label", s), ("location", s)],
        "annotations": [("file_id", s), ("doc_id", s), ("layer", s), ("start", i64), ("end", i64),
                        ("text", s), ("label", s), ("data", s)],
        "passages": [("file_id", s), ("passage_id", s), ("doc_id", s), ("seq", i64), ("start", i64),
                     ("end", i64), ("block_kind", s), ("page", i64), ("section", s), ("text", s),
                     ("embed_text", s),
                     ("vector", pa.list_(pa.float32(), dim) if dim else pa.list_(pa.float32()))],
    }
    return pa.schema(fields[table])


def to_table(table: str, rows: list[dict[str, Any]], dim: int | None = None):
    """Rows as a pyarrow Table of the table's schema (an empty one for no rows)."""
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=schema(table, dim))
