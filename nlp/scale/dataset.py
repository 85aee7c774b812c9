"""A results folder: one Parquet dataset per table, partitioned by source file.

Layout (hive partitioning, readable by pyarrow, DuckDB, Spark, Ray)::

    DIR/run.json                                  model, vector size, last run's summary
    DIR/<table>/file_id=<id>/<part>.parquet       tables of stages.TABLES

An engine writes a run's rows under a staging folder inside ``DIR`` and then
:meth:`ResultsDir.commit` swaps, for every file the run read, that file's
partitions in all tables for the new ones (a file that now has no rows in a
table loses its old partition there). Files the run skipped as unchanged, and
files that failed to read after an earlier good read, keep their partitions:
a rerun replaces what changed and nothing else.

Per file, the ``files`` partition is removed first and put back last, so a
run killed during the commit leaves that file unmarked and the next run reads
it again. A file partition is one directory rename, so readers see a file's
old rows or its new ones in each table.

What it does not do: decide what to read (the engines) or load a store
(:mod:`nlp.scale.load`).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import require
from .stages import TABLES, schema, to_table

MANIFEST = "run.json"
STAGING_PREFIX = ".staging-"
PARTITION = "file_id"


def partitioning():
    pa, ds = require("pyarrow"), require("pyarrow.dataset")
    return ds.partitioning(pa.schema([(PARTITION, pa.string())]), flavor="hive")


def write_table(directory: Path, table: str, rows: list[dict[str, Any]], dim: int | None = None) -> None:
    """Write rows of one table under ``directory/table``, partitioned by file."""
    if not rows:
        return
    ds = require("pyarrow.dataset")
    ds.write_dataset(to_table(table, rows, dim), Path(directory) / table, format="parquet",
                     partitioning=partitioning(), existing_data_behavior="overwrite_or_ignore",
                     basename_template=f"part-{uuid.uuid4().hex[:8]}-{{i}}.parquet")


class ResultsDir:
    def __init__(self, path: str | Path):
        self.path = Path(path)

    # -- manifest ------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        path = self.path / MANIFEST
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def write_manifest(self, data: dict[str, Any]) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        tmp = self.path / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path / MANIFEST)

    # -- reading ---------------------------------------------------------------
    def has(self, table: str) -> bool:
        return any((self.path / table).glob(f"{PARTITION}=*/*.parquet"))

    def dataset(self, table: str):
        ds = require("pyarrow.dataset")
        return ds.dataset(self.path / table, format="parquet", partitioning=partitioning(),
                          schema=self._schema(table))

    def _schema(self, table: str):
        pa = require("pyarrow")
        dim = self.manifest().get("dim")
        base = schema(table, dim)
        # The partition column lives in the folder names, not the files.
        return pa.schema([f for f in base if f.name != PARTITION] + [pa.field(PARTITION, pa.string())])

    def read(self, table: str, file_ids: Iterable[str] | None = None, columns: list[str] | None = None):
        """A table (all partitions, or those of ``file_ids``) as a pyarrow Table."""
        if not self.has(table):
            return to_table(table, [], self.manifest().get("dim")).select(columns) if columns \
                else to_table(table, [], self.manifest().get("dim"))
        ds = require("pyarrow.dataset")
        pc = require("pyarrow.compute")
        dataset = self.dataset(table)
        filter_ = None
        if file_ids is not None:
            filter_ = pc.is_in(ds.field(PARTITION), value_set=require("pyarrow").array(sorted(file_ids)))
        return dataset.to_table(filter=filter_, columns=columns)

    def rows(self, table: str, file_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        return self.read(table, file_ids).to_pylist()

    def known_files(self) -> dict[str, str]:
        """file id -> SHA-256 of every file whose last read succeeded."""
        if not self.has("files"):
            return {}
        table = self.read("files", columns=[PARTITION, "sha256", "status"])
        return {r[PARTITION]: r["sha256"] for r in table.to_pylist() if r["status"] == "ok"}

    def failed_files(self) -> dict[str, tuple[str, str]]:
        """file id -> (SHA-256, reason) of every file whose last read failed."""
        if not self.has("files"):
            return {}
        table = self.read("files", columns=[PARTITION, "sha256", "status", "reason"])
        return {r[PARTITION]: (r["sha256"], r["reason"]) for r in table.to_pylist() if r["status"] == "failed"}

    # -- writing ---------------------------------------------------------------
    def staging(self) -> Path:
        path = self.path / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
        path.mkdir(parents=True)
        return path

    def commit(self, staging: Path, file_ids: Iterable[str]) -> None:
        """Swap each given file's partitions for those under ``staging``."""
        for fid in sorted(set(file_ids)):
            name = f"{PARTITION}={fid}"
            _remove(self.path / "files" / name)
            for table in TABLES:
                if table == "files":
                    continue
                _swap(staging / table / name, self.path / table / name)
            _swap(staging / "files" / name, self.path / "files" / name)
        shutil.rmtree(staging, ignore_errors=True)

    def sweep(self) -> None:
        """Remove staging folders left by runs that died."""
        for path in self.path.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(path, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)


def _swap(new: Path, final: Path) -> None:
    _remove(final)
    if new.exists():
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(new, final)
