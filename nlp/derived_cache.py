"""Tables derived from the package's data files, kept on disk between runs.

Some lookup tables take seconds to derive in every new process -- the HS
nomenclature's word index lemmatises some 12,000 Russian words with
pymorphy2 (10-15 s on a loaded 2-core machine), paid again by each
``sanctions tag`` run, each ``tag-batch`` worker and each server. The result
depends only on the data files, the code that derives it and the library
versions, so :func:`derived` keeps it as JSON under
:func:`nlp.settings.cache_dir`, in a file whose name is a hash of all of
those: a change to any of them derives it again. JSON, not pickle, so a file
in the cache can never run code; written under a temporary name and moved
into place, so a reader sees a whole file or none. When the cache folder
cannot be written, the table is derived in memory as before.

What it does not do: decide what to derive (the callers' ``build``
functions), or clean old files out of the cache folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Sequence

from . import settings


def _fingerprint(name: str, inputs: Sequence[Path], packages: Sequence[str]) -> str:
    digest = hashlib.sha256(name.encode())
    for path in inputs:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for package in packages:
        try:
            digest.update(f"{package}=={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} missing".encode())
    return digest.hexdigest()[:24]


def derived(name: str, inputs: Sequence[Path], build: Callable[[], Any], *,
            packages: Sequence[str] = (), encode: Callable[[Any], Any] = lambda x: x,
            decode: Callable[[Any], Any] = lambda x: x) -> Any:
    """``build()``, or the value a previous run derived from the same ``inputs``
    (data files and the modules that derive from them) and ``packages``.
    ``encode``/``decode`` map the value to and from JSON-able data."""
    try:
        path = settings.cache_dir() / f"{name}-{_fingerprint(name, inputs, packages)}.json"
    except OSError:
        return build()
    try:
        return decode(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not there yet, or unreadable: derive it again
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(encode(value), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: the value still serves this process
    return value
