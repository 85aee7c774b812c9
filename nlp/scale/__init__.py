"""Scale out: batch runs on a Ray cluster, Parquet between stages, trade facts in DuckDB.

What it does:

* :mod:`nlp.scale.stages` -- the per-file and per-batch stage functions
  (read a file, extract a batch of documents, cut and embed passages) and the
  row shapes of the Parquet datasets. Both engines call these, and they call
  the project's own readers, extractors and embedders: there is no second
  implementation of any stage.
* :mod:`nlp.scale.dataset` -- a results folder: one Parquet dataset per table,
  hive-partitioned by source file, so a rerun replaces the partitions of the
  files that changed and nothing else.
* :mod:`nlp.scale.local` and :mod:`nlp.scale.ray_engine` -- the two engines
  behind ``sanctions run --engine local|ray``.
* :mod:`nlp.scale.load` -- ``sanctions load``: results into the SQLite store
  and the search index, idempotently.
* :mod:`nlp.scale.comtrade` -- UN Comtrade bulk files into a Parquet facts
  dataset, incrementally (queried through :mod:`nlp.facts`).

What it does not do: replace the default single-machine path. Ray, pyarrow
and DuckDB are an optional extra (``pip install -e ".[scale]"``); nothing
outside this package imports them, and every other command works without.
"""

from __future__ import annotations

import importlib
from types import ModuleType

EXTRA_HINT = 'install the scale extra: pip install -e ".[scale]"'


class ScaleUnavailable(RuntimeError):
    """A scale-out library is not installed."""


def require(module: str) -> ModuleType:
    """Import ``module`` (ray, pyarrow, duckdb) or say how to get it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ScaleUnavailable(f"{module} is not installed ({EXTRA_HINT})") from exc
