"""The local engine of ``sanctions run``: one machine, no Ray.

Files are read one after another in this process; extraction (of every
kind of document but the generated descriptions of trade tables, as in
:mod:`nlp.pipeline`) runs on
``workers`` processes through :func:`nlp.extract.commands.run_jobs` (what
``sanctions extract`` uses), and embedding in this process. Rows go to a
staging folder and are committed per file (:mod:`nlp.scale.dataset`).

What it does not do: anything the Ray engine does differently -- both call
the stage functions of :mod:`nlp.scale.stages`.
"""

from __future__ import annotations

from typing import Any

from .. import settings
from ..pipeline import NOT_EXTRACTED_KINDS
from ..records import Document, ListingEntry
from .dataset import write_table
from .run import RunPlan, RunSummary, kept_listings, summarise, to_commit
from .stages import annotation_rows, choose_model, embedder_for, gazetteer_of, passage_rows, read_file, result_rows

EMBED_BATCH_DOCS = 64


def run_local(plan: RunPlan, workers: int | None = None) -> RunSummary:
    from ..extract.commands import run_jobs
    from ..extract.pipeline import job_for_document

    tables: dict[str, list[dict[str, Any]]] = {"files": [], "documents": [], "listings": [],
                                               "trade_facts": []}
    file_rows: list[dict[str, Any]] = []
    docs: list[tuple[str, Document]] = []
    entries: list[ListingEntry] = []
    for path in plan.files:
        outcome = read_file(path, plan.known)
        file_rows.append(outcome.row)
        if outcome.row["status"] == "unchanged":
            continue
        for table, rows in result_rows(outcome).items():
            tables[table].extend(rows)
        if outcome.result is not None:
            docs.extend((outcome.row["file_id"], d) for d in outcome.result.documents)
            entries.extend(outcome.result.listings)

    model = plan.model or (choose_model(d.lang for _, d in docs) if docs else None)
    gazetteer = gazetteer_of(entries + kept_listings(plan, {r["file_id"] for r in file_rows
                                                             if r["status"] == "ok"}))
    extracted = [(fid, doc) for fid, doc in docs if doc.kind not in NOT_EXTRACTED_KINDS]
    records = run_jobs([job_for_document(doc) for _, doc in extracted], gazetteer=gazetteer,
                       with_text=False, workers=workers or settings.workers())
    tables["annotations"] = [row for (fid, _), record in zip(extracted, records)
                             for row in annotation_rows(fid, record)]
    dim = None
    tables["passages"] = []
    if docs and model:
        embedder = embedder_for(model)
        dim = embedder.dim
        for start in range(0, len(docs), EMBED_BATCH_DOCS):
            tables["passages"].extend(passage_rows(docs[start:start + EMBED_BATCH_DOCS], embedder))

    staging = plan.results.staging()
    for table, rows in tables.items():
        write_table(staging, table, rows, dim)
    plan.results.commit(staging, to_commit(plan, file_rows))
    counts = {table: len(rows) for table, rows in tables.items()}
    return summarise(plan, "local", model, dim, file_rows, counts)
