"""Loads the tagging models when imported: the preload of ``tag-batch``'s fork server.

:mod:`nlp.tag.batch` starts its worker processes from a multiprocessing fork
server that imports this module first, so the entity models, rule tables and
rigour's name analyser are loaded once and every worker forked from the server
starts with them (shared memory pages, no load per worker). Nothing here opens
a store: SQLite connections must not cross a fork, so each worker opens its own.

What it does not do: anything in an ordinary import of the package (only the
fork server imports it).
"""

from __future__ import annotations

import sys

from .. import settings
from .tagging import warm_up

settings.offline_models()
try:
    # warm_up ends by freezing what it loaded (nlp.tag.heap), before any worker
    # is forked: the workers' collections then leave the server's pages shared.
    warm_up()
except Exception as exc:  # noqa: BLE001 -- the fork server must come up; each worker then loads for itself
    print(f"tag-batch: models not preloaded ({type(exc).__name__}: {exc}); each worker loads them", file=sys.stderr)
