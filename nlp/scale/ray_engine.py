"""The Ray engine of ``sanctions run``: Ray Data over a cluster (or a local Ray).

Plan of a run:

1. **read** -- one Ray task per file calls :func:`nlp.scale.stages.read_file`
   (the project's reader registry); the result travels as one row per file
   and is materialised once, because four tables derive from it;
2. **tables** -- documents (with blocks), listings, trade facts and file
   rows are cut from the read rows and written as Parquet, partitioned by
   file;
3. **extract** -- an actor pool whose actors load the extraction models once
   (spaCy, natasha, the rule layers, the gazetteer of listed names) runs
   :func:`~nlp.scale.stages.extract_rows` over batches of documents;
4. **embed** -- an actor pool whose actors load the embedding model once runs
   :func:`~nlp.scale.stages.passage_rows`.

Faults: read tasks are retried by Ray when their worker dies
(``max_retries``); actors are restarted and their unfinished batches retried
(``max_restarts``/``max_task_retries``). A batch's output only counts once
its task finishes and the run's rows reach the results folder only at the
commit, so a retried batch leaves neither a gap nor a duplicate. A file that
fails to read is a row with its reason, as in ``sanctions ingest``.

Workers must see the input paths and the results folder at the same paths
as the driver (one machine, or a shared filesystem). Workers get the
driver's ``SANCTIONS_*`` settings and the folder holding the ``nlp`` package
on their ``PYTHONPATH`` through the job's runtime environment.

What it does not do: start or stop a cluster (``ray start``/``ray stop``, or
a local Ray for the length of the run when no ``--address`` is given).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import sys
import warnings
from pathlib import Path
from typing import Any

from ..pipeline import NOT_EXTRACTED_KINDS
from . import require
from .run import RunPlan, RunSummary, kept_listings, summarise, to_commit
from .stages import (
    FileOutcome,
    choose_model,
    embedder_for,
    extract_rows,
    gazetteer_of,
    passage_rows,
    read_file,
    result_rows,
    row_to_document,
    row_to_listing,
    to_table,
)

EXTRACT_BATCH_DOCS = 16
EMBED_BATCH_DOCS = 32
# Retries of a read task whose worker died; -1 for actors: restart them and
# retry their unfinished batches for as long as the run lasts.
TASK_RETRIES = 3
PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


# -- stage wrappers (run on the workers) -------------------------------------------------

def _read_row(row: dict[str, Any], known: dict[str, str]) -> dict[str, Any]:
    outcome = read_file(row["path"], known)
    payload = pickle.dumps(outcome.result, protocol=pickle.HIGHEST_PROTOCOL) if outcome.result else b""
    return {**outcome.row, "payload": payload}


def _outcome(row: dict[str, Any]) -> FileOutcome:
    payload = row.pop("payload", b"")
    return FileOutcome(row, pickle.loads(payload) if payload else None)


def _table_of(table: str):
    def cut(batch):
        rows: list[dict[str, Any]] = []
        for row in batch.to_pylist():
            if row["status"] != "unchanged":
                rows.extend(result_rows(_outcome(row))[table])
        return to_table(table, rows)
    cut.__name__ = f"cut_{table}"
    return cut


class ExtractActor:
    """Extraction models, loaded once per actor."""

    def __init__(self, gazetteer=None):
        from .. import settings
        from ..records import Document

        settings.offline_models()
        self.gazetteer = gazetteer
        warm = [("", Document(doc_id="warm-en", kind="news", lang="en", text="Warm-up in Brussels.", source="")),
                ("", Document(doc_id="warm-ru", kind="news", lang="ru", text="Проверка в Москве.", source=""))]
        extract_rows(warm, gazetteer)

    def __call__(self, batch):
        items = [(r["file_id"], row_to_document(r)) for r in batch.to_pylist()]
        return to_table("annotations", extract_rows(items, self.gazetteer))


class EmbedActor:
    """An embedding model, loaded once per actor."""

    def __init__(self, model: str):
        from .. import settings

        settings.offline_models()
        self.embedder = embedder_for(model)
        self.embedder.encode(["warm-up"])

    def __call__(self, batch):
        items = [(r["file_id"], row_to_document(r)) for r in batch.to_pylist()]
        return to_table("passages", passage_rows(items, self.embedder), self.embedder.dim)


# -- driver -------------------------------------------------------------------------------

def runtime_env() -> dict[str, Any]:
    """The workers' environment: the driver's settings and this package."""
    env = {k: v for k, v in os.environ.items()
           if k.startswith(("SANCTIONS_", "HF_", "TRANSFORMERS_", "TOKENIZERS_"))}
    env.setdefault("HF_HUB_OFFLINE", "1")
    path = [PACKAGE_ROOT, *[p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(path))
    return {"env_vars": env}


def connect(address: str | None, workers: int | None, object_store_mb: int | None = None) -> bool:
    """Join the cluster at ``address`` or start a local Ray; True when this call
    started the connection (and so should end it)."""
    ray = require("ray")
    if ray.is_initialized():
        return False
    options: dict[str, Any] = {"runtime_env": runtime_env(), "include_dashboard": False,
                               "log_to_driver": False, "logging_level": logging.WARNING}
    if address:
        options["address"] = address
    else:
        from .. import settings

        options["num_cpus"] = workers or settings.workers()
        options["object_store_memory"] = (object_store_mb or 256) * 1024 * 1024
    ray.init(**options)
    return True


@contextlib.contextmanager
def session(address: str | None, workers: int | None = None, object_store_mb: int | None = None):
    """Ray Data, joined to the cluster at ``address`` or on a local Ray started
    for the length of the block (kept on loopback: Ray's switch for
    single-machine clusters makes it advertise 127.0.0.1 rather than the
    machine's outward address; it is read when ray is first imported)."""
    if address is None:
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    ray = require("ray")
    ray_data = _quiet_data_context()
    warnings.filterwarnings("ignore", message=".*ray_remote_args.*deprecated", category=Warning)
    started_here = connect(address, workers, object_store_mb)
    try:
        yield ray, ray_data
    finally:
        if started_here:
            ray.shutdown()


def actor_pool(ray, ray_data, size: int | None, actor_cpus: float = 1.0) -> dict[str, Any]:
    """map_batches arguments for a pool of restartable actors (default size:
    the cluster's CPUs less one for the tasks feeding it)."""
    if size is None:
        size = max(1, int(ray.cluster_resources().get("CPU", 1) // actor_cpus) - 1)
    return {"compute": ray_data.ActorPoolStrategy(size=size), "num_cpus": actor_cpus,
            "max_restarts": -1, "max_task_retries": -1}


def _quiet_data_context():
    ray_data = require("ray.data")
    context = ray_data.DataContext.get_current()
    context.enable_progress_bars = sys.stderr.isatty()
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    return ray_data


def _write(dataset, staging: Path, table: str) -> int:
    dataset.write_parquet(str(staging / table), partition_cols=["file_id"])
    return _count(staging / table)


def _rows(directory: Path) -> list[dict[str, Any]]:
    if not directory.exists():
        return []
    ds = require("pyarrow.dataset")
    return ds.dataset(directory, format="parquet", partitioning="hive").to_table().to_pylist()


def _count(directory: Path) -> int:
    if not directory.exists():
        return 0
    ds = require("pyarrow.dataset")
    files = [str(p) for p in directory.rglob("*.parquet")]
    return ds.dataset(files, format="parquet").count_rows() if files else 0


def run_ray(plan: RunPlan, *, address: str | None = None, workers: int | None = None,
            extract_actors: int | None = None, embed_actors: int = 1, actor_cpus: float = 1.0,
            object_store_mb: int | None = None, batch_docs: int = EXTRACT_BATCH_DOCS) -> RunSummary:
    with session(address, workers, object_store_mb) as (ray, ray_data):
        known = dict(plan.known)
        items = [{"path": str(p)} for p in plan.files]
        read = ray_data.from_items(items, override_num_blocks=len(items)) \
            .map(_read_row, fn_kwargs={"known": known}, max_retries=TASK_RETRIES) \
            .materialize()
        file_rows = [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                     for row in read.drop_columns(["payload"]).take_all()]
        file_rows.sort(key=lambda r: r["path"])

        staging = plan.results.staging()
        counts: dict[str, int] = {}
        for table in ("files", "listings", "trade_facts"):
            counts[table] = _write(read.map_batches(_table_of(table), batch_format="pyarrow",
                                                    batch_size=1, max_retries=TASK_RETRIES),
                                   staging, table)
        docs = read.map_batches(_table_of("documents"), batch_format="pyarrow", batch_size=1,
                                max_retries=TASK_RETRIES).materialize()
        counts["documents"] = _write(docs, staging, "documents")

        model, dim = plan.model, None
        if counts["documents"]:
            if model is None:
                langs = [r["lang"] for r in docs.select_columns(["lang"]).take_all()]
                model = choose_model(langs)
            read_ids = {r["file_id"] for r in file_rows if r["status"] == "ok"}
            entries = [row_to_listing(r) for r in _rows(staging / "listings")]
            gazetteer = gazetteer_of(entries + kept_listings(plan, read_ids))
            # Generated descriptions of trade tables are not extracted (nlp.pipeline's rule).
            extractable = docs.filter(lambda row: row["kind"] not in NOT_EXTRACTED_KINDS)
            annotations = extractable.map_batches(
                ExtractActor, fn_constructor_kwargs={"gazetteer": gazetteer}, batch_format="pyarrow",
                batch_size=batch_docs, **actor_pool(ray, ray_data, extract_actors, actor_cpus))
            counts["annotations"] = _write(annotations, staging, "annotations")
            dim = embedder_dim(model)
            passages = docs.map_batches(
                EmbedActor, fn_constructor_kwargs={"model": model}, batch_format="pyarrow",
                batch_size=EMBED_BATCH_DOCS, **actor_pool(ray, ray_data, embed_actors, actor_cpus))
            counts["passages"] = _write(passages, staging, "passages")
        plan.results.commit(staging, to_commit(plan, file_rows))
        return summarise(plan, "ray", model, dim, file_rows, counts)


def embedder_dim(model: str) -> int:
    from ..index.embed import HashingEmbedder

    return HashingEmbedder.dim if model == HashingEmbedder.name else {"minilm": 384, "use-m3": 512}[model]
