"""``sanctions run``: read, extract and embed files into a results folder.

What it does: the part of a batch run both engines share -- which files to
read, which embedding model the results use, which files' partitions the run
replaces, the summary -- and dispatches the work to an engine:

* ``local`` (:mod:`nlp.scale.local`): this process, extraction on
  ``$SANCTIONS_WORKERS`` processes as ``sanctions extract`` does;
* ``ray`` (:mod:`nlp.scale.ray_engine`): files read as Ray tasks,
  extraction and embedding in actor pools on a Ray cluster.

Both call the same stage functions (:mod:`nlp.scale.stages`) and write the
same results folder (:mod:`nlp.scale.dataset`), so their output can be
compared row by row.

The extra gazetteer of names is built from the listings in the results (this
run's and those kept from earlier runs), as ``sanctions extract --store``
builds it from the store's. The embedding model is the results folder's;
for a new folder ``--model``, else the one ``sanctions index`` would choose
for the documents read.

What it does not do: write the SQLite store (``sanctions load`` does).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dataset import ResultsDir
from .stages import row_to_listing

ENGINES = ("local", "ray")


class RunError(ValueError):
    """A run that cannot start, with the reason in one line."""


@dataclass
class RunSummary:
    engine: str
    model: str | None = None
    files: int = 0
    read: int = 0
    unchanged: int = 0
    failed: int = 0
    documents: int = 0
    listings: int = 0
    trade_facts: int = 0
    annotations: int = 0
    passages: int = 0
    seconds: float = 0.0
    failures: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class RunPlan:
    """What a run needs to know before the engine starts."""

    results: ResultsDir
    files: list[Path]
    known: dict[str, str]        # file id -> sha256 of files already in the results
    model: str | None            # None: choose from the documents read
    failed: dict[str, tuple[str, str]] = field(default_factory=dict)  # file id -> (sha256, reason)
    started: float = field(default_factory=time.time)


def plan_run(paths: Iterable[str | Path], out: str | Path, *, model: str | None = None,
             force: bool = False) -> RunPlan:
    from ..ingest import walk

    if model is not None:
        from ..index.embed import HashingEmbedder, UnknownModel, canonical_name

        try:
            model = model if model == HashingEmbedder.name else canonical_name(model)
        except UnknownModel as exc:
            raise RunError(str(exc)) from None
    results = ResultsDir(out)
    results.sweep()
    previous = results.manifest()
    if previous.get("model") and model and model != previous["model"] and not force:
        raise RunError(f"the results in {out} were embedded with {previous['model']!r}, not {model!r}: "
                       "use --force to redo every file with the new model, or another --out")
    chosen = model or (None if force else previous.get("model"))
    files = list(walk(paths))
    if not files:
        raise RunError("no files to read under the given paths")
    return RunPlan(results, files, {} if force else results.known_files(), chosen,
                   failed=results.failed_files())


def kept_listings(plan: RunPlan, read_ids: set[str]):
    """Listings the results keep from files this run did not replace."""
    keep = set(plan.known) - read_ids
    return [row_to_listing(r) for r in plan.results.rows("listings", keep)] if keep else []


def to_commit(plan: RunPlan, file_rows: list[dict[str, Any]]) -> list[str]:
    """Files whose partitions the run replaces: every file read, and failed
    files that had no good read before (a failure keeps the last good rows)
    unless they failed the same way last time."""
    return [r["file_id"] for r in file_rows
            if r["status"] == "ok" or (r["status"] == "failed" and r["file_id"] not in plan.known
                                       and plan.failed.get(r["file_id"]) != (r["sha256"], r["reason"]))]


def summarise(plan: RunPlan, engine: str, model: str | None, dim: int | None,
              file_rows: list[dict[str, Any]], counts: dict[str, int]) -> RunSummary:
    summary = RunSummary(engine=engine, model=model, files=len(file_rows))
    for row in file_rows:
        if row["status"] == "ok":
            summary.read += 1
        elif row["status"] == "unchanged":
            summary.unchanged += 1
        else:
            summary.failed += 1
            summary.failures.append({"path": row["path"], "reason": row["reason"]})
    for key in ("documents", "listings", "trade_facts", "annotations", "passages"):
        setattr(summary, key, counts.get(key, 0))
    summary.seconds = round(time.time() - plan.started, 2)
    manifest = plan.results.manifest()
    if model:
        manifest["model"] = model
    if dim:
        manifest["dim"] = dim
    manifest["last_run"] = summary.to_dict()
    plan.results.write_manifest(manifest)
    return summary


def run(paths: Iterable[str | Path], out: str | Path, *, engine: str = "local",
        model: str | None = None, address: str | None = None, workers: int | None = None,
        force: bool = False, **engine_options: Any) -> RunSummary:
    """Run ingest, extraction and embedding over ``paths`` into the results folder ``out``."""
    if engine not in ENGINES:
        raise RunError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    plan = plan_run(paths, out, model=model, force=force)
    if engine == "ray":
        from .ray_engine import run_ray

        return run_ray(plan, address=address, workers=workers, **engine_options)
    if address:
        raise RunError("--address is for --engine ray")
    from .local import run_local

    return run_local(plan, workers=workers)
