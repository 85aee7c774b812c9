"""The search index on disk: build, update incrementally, save atomically.

What it does: keeps, in ``<store>/index/``,

* ``passages.<gen>.sqlite`` -- one row per passage (provenance, text, the
  document's kind/lang/date/source) and its stemmed terms;
* ``lexical.<gen>/`` -- the BM25 matrix (:class:`~nlp.index.lexical.Bm25Index`);
* ``dense.<gen>.faiss`` -- the passage vectors (:mod:`nlp.index.dense`);
* ``manifest.json`` -- written last: generation, embedding model, vector
  dimension, dense index kind, counts.

:func:`sync_index` brings the index in line with the store's *current*
``doc_ids``: passages of documents that left the store (deleted, or
replaced -- a replaced file's documents get new ids) are removed, new
documents are chunked, embedded and added; nothing else is recomputed.

Saves are copy-on-write: a new generation's files are written under
temporary names, moved into place with ``os.replace``, and only then does the
manifest (itself written to a temporary file and replaced) point at them. A
crash at any moment leaves the manifest naming a complete earlier
generation; leftovers are swept on the next update. A lock file keeps two
updaters apart.

What it does not do: answer queries (see :mod:`nlp.index.search`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from ..errors import IndexError_
from ..store import Store
from . import lexical
from .dense import FLAT_MAX, DenseIndex
from .embed import Embedder, canonical_name, get_embedder
from .lexical import Bm25Index
from .passages import chunk_document

INDEX_DIR = "index"
MANIFEST = "manifest.json"
FORMAT = 1

PASSAGE_SCHEMA = """
CREATE TABLE IF NOT EXISTS passages (
    id          INTEGER PRIMARY KEY,
    passage_id  TEXT NOT NULL UNIQUE,
    doc_id      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    block_kind  TEXT,
    page        INTEGER,
    section     TEXT,
    kind        TEXT,
    lang        TEXT,
    published   TEXT,
    source      TEXT,
    source_id   TEXT,
    title       TEXT,
    text        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE INDEX IF NOT EXISTS passages_filter ON passages(kind, lang, published);
CREATE TABLE IF NOT EXISTS passage_terms (id INTEGER PRIMARY KEY, terms TEXT NOT NULL);
"""


class ModelMismatch(IndexError_):
    pass


@dataclass
class Manifest:
    model: str
    dim: int
    generation: int = 0
    dense_kind: str = "flat"
    nlist: int | None = None
    nprobe: int | None = None
    passages: int = 0
    documents: int = 0
    updated: float = 0.0
    format: int = FORMAT
    facets: int = 0
    annotations: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def passages_file(self) -> str:
        return f"passages.{self.generation}.sqlite"

    @property
    def dense_file(self) -> str:
        return f"dense.{self.generation}.faiss"

    @property
    def lexical_dir(self) -> str:
        return f"lexical.{self.generation}"

    @property
    def facets_file(self) -> str | None:
        """The filter tables (:mod:`nlp.index.facets`); they have their own
        counter because annotations change without the passages changing."""
        return f"facets.{self.facets}.sqlite" if self.facets else None

    def files(self) -> set[str]:
        return {self.passages_file, self.dense_file, self.lexical_dir} | \
            ({self.facets_file} if self.facets_file else set())

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "passages_file": self.passages_file, "dense_file": self.dense_file,
                "lexical_dir": self.lexical_dir, "facets_file": self.facets_file}


@dataclass
class SyncSummary:
    model: str
    added_documents: int = 0
    removed_documents: int = 0
    added_passages: int = 0
    removed_passages: int = 0
    passages: int = 0
    documents: int = 0
    dense_kind: str = "flat"
    generation: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def index_dir(store_dir: Path) -> Path:
    return Path(store_dir) / INDEX_DIR


def read_manifest(directory: Path) -> Manifest | None:
    path = Path(directory) / MANIFEST
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        for derived in ("passages_file", "dense_file", "lexical_dir", "facets_file"):
            data.pop(derived, None)
        return Manifest(**data)
    except (json.JSONDecodeError, TypeError) as exc:
        raise IndexError_(f"{path}: unreadable index manifest ({exc})") from exc


def _fsync_replace(tmp: Path, final: Path) -> None:
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, final)


def write_manifest(directory: Path, manifest: Manifest) -> None:
    tmp = Path(directory) / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest.to_dict(), indent=1), encoding="utf-8")
    _fsync_replace(tmp, Path(directory) / MANIFEST)


@contextlib.contextmanager
def _lock(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sweep(directory: Path, keep: set[str]) -> None:
    """Remove files of other generations and temporary leftovers."""
    for path in directory.iterdir():
        if path.name in keep or path.name in (MANIFEST, ".lock"):
            continue
        if path.name.startswith(("passages.", "dense.", "lexical.", "facets.")) or path.name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()


def _insert_passages(db: sqlite3.Connection, doc, passages, first_id: int) -> list[int]:
    ids = list(range(first_id, first_id + len(passages)))
    db.executemany(
        "INSERT INTO passages VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(pid, p.passage_id, p.doc_id, p.seq, p.start, p.end, p.block_kind, p.page, p.section,
          doc.kind, doc.lang, doc.published, doc.source, doc.source_id, doc.title, p.text)
         for pid, p in zip(ids, passages)],
    )
    db.executemany("INSERT INTO passage_terms(rowid, terms) VALUES (?, ?)",
                   [(pid, lexical.index_text(p.embed_text)) for pid, p in zip(ids, passages)])
    return ids


def _indexed_doc_ids(path: Path) -> set[str]:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return {r[0] for r in db.execute("SELECT DISTINCT doc_id FROM passages")}
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise IndexError_(f"{path}: damaged index file ({exc}); rebuild with --rebuild") from exc


MULTILINGUAL_SHARE = 0.10
NOT_INDEXED_KIND = "metadata"


def default_model(store: Store) -> str:
    """The model for a new index: ``$SANCTIONS_INDEX_MODEL`` if set; else the
    multilingual ``use-m3`` when more than 10 % of the stored documents are
    not English (so Russian queries find Russian and English passages), else
    ``minilm`` (better on English-only collections, see docs/search.md)."""
    from .. import settings

    if settings.index_model():
        return canonical_name(None)
    counts = store.language_counts()
    total, english = sum(counts.values()), counts.get("en", 0)
    if total and (total - english) / total > MULTILINGUAL_SHARE:
        return "use-m3"
    return canonical_name(None)


def sync_index(store: Store, model: str | None = None, *, rebuild: bool = False,
               batch_docs: int = 256, flat_max: int = FLAT_MAX,
               progress: Callable[[int, int], None] | None = None,
               embedder: Embedder | None = None,
               facets_progress: Callable[[int, int], None] | None = None,
               _crash_before_manifest: bool = False) -> SyncSummary:
    """Build or update ``store``'s index so it holds exactly the store's documents.

    ``model`` None keeps the index's model (or the default for a new index);
    a different model than the index's is an error unless ``rebuild``.
    ``embedder`` replaces the named model (tests use a small stand-in).
    """
    started = time.time()
    directory = index_dir(store.dir)
    with _lock(directory):
        manifest = None if rebuild else read_manifest(directory)
        wanted = embedder.name if embedder is not None else (canonical_name(model) if model else None)
        if manifest is not None and wanted is not None and wanted != manifest.model:
            raise ModelMismatch(
                f"the index was built with model {manifest.model!r}, not {wanted!r}: "
                "rebuild it with --rebuild to change models")
        name = manifest.model if manifest is not None else (wanted or default_model(store))
        on_disk = read_manifest(directory) if rebuild else manifest
        generation = (on_disk.generation + 1) if on_disk is not None else 1
        # Whatever the manifest on disk names stays until a new one replaces it.
        _sweep(directory, on_disk.files() if on_disk else set())
        # Corpus metadata (README, PROVENANCE, licences) describes the
        # collection; it is not searched as news.
        current = set(store.doc_ids()) - set(store.doc_ids(NOT_INDEXED_KIND))
        if manifest is not None:
            indexed = _indexed_doc_ids(directory / manifest.passages_file)
            # An index from before the BM25 matrix existed gets one on its next update.
            if indexed == current and (directory / manifest.lexical_dir).is_dir():
                _refresh_facets(store, directory, manifest, manifest, facets_progress)
                _ensure_vocabulary(directory, manifest, embedder)
                return SyncSummary(model=name, passages=manifest.passages, documents=manifest.documents,
                                   dense_kind=manifest.dense_kind, generation=manifest.generation,
                                   seconds=round(time.time() - started, 2))

        if embedder is None:  # loaded only when there is work to do
            embedder = get_embedder(name)
        new = Manifest(model=name, dim=embedder.dim, generation=generation)
        tmp_db_path = directory / (new.passages_file + ".tmp")
        if manifest is not None:
            source = sqlite3.connect(f"file:{directory / manifest.passages_file}?mode=ro", uri=True)
            db = sqlite3.connect(tmp_db_path)
            source.backup(db)
            source.close()
            dense = DenseIndex.read(directory / manifest.dense_file)
        else:
            db = sqlite3.connect(tmp_db_path)
            dense = DenseIndex.empty(embedder.dim)
        try:
            db.executescript(PASSAGE_SCHEMA)
            summary = SyncSummary(model=name)
            indexed = {r[0] for r in db.execute("SELECT DISTINCT doc_id FROM passages")}
            gone = sorted(indexed - current)
            fresh = sorted(current - indexed)

            for doc_id in gone:
                ids = [r[0] for r in db.execute("SELECT id FROM passages WHERE doc_id = ?", (doc_id,))]
                db.executemany("DELETE FROM passage_terms WHERE rowid = ?", [(i,) for i in ids])
                db.execute("DELETE FROM passages WHERE doc_id = ?", (doc_id,))
                dense.remove(np.array(ids, dtype=np.int64))
                summary.removed_passages += len(ids)
            summary.removed_documents = len(gone)

            next_id = (db.execute("SELECT MAX(id) FROM passages").fetchone()[0] or 0) + 1
            for offset in range(0, len(fresh), batch_docs):
                batch_ids: list[int] = []
                batch_texts: list[str] = []
                for doc_id in fresh[offset:offset + batch_docs]:
                    doc = store.document(doc_id)
                    if doc is None:
                        continue
                    passages = chunk_document(doc, embedder.count_tokens, embedder.max_tokens)
                    if not passages:
                        continue
                    ids = _insert_passages(db, doc, passages, next_id)
                    next_id += len(ids)
                    batch_ids.extend(ids)
                    batch_texts.extend(p.embed_text for p in passages)
                    summary.added_documents += 1
                if batch_texts:
                    dense.add(np.array(batch_ids, dtype=np.int64), embedder.encode(batch_texts))
                    summary.added_passages += len(batch_texts)
                if progress:
                    progress(min(offset + batch_docs, len(fresh)), len(fresh))

            dense = dense.grown(flat_max)
            info = dense.info()
            new.dense_kind, new.nlist, new.nprobe = info.kind, info.nlist, info.nprobe
            new.passages = db.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
            new.documents = db.execute("SELECT COUNT(DISTINCT doc_id) FROM passages").fetchone()[0]
            if new.passages != dense.ntotal:
                raise IndexError_(f"index out of step: {new.passages} passages, {dense.ntotal} vectors")
            db.commit()
            # BM25 statistics are global: recount them from the stored terms.
            rows = db.execute("SELECT rowid, terms FROM passage_terms ORDER BY rowid").fetchall()
            bm25 = Bm25Index.build([r[0] for r in rows], [r[1].split() for r in rows])
        finally:
            db.close()

        tmp_lexical = directory / (new.lexical_dir + ".tmp")
        bm25.save(tmp_lexical)
        os.replace(tmp_lexical, directory / new.lexical_dir)

        tmp_dense = directory / (new.dense_file + ".tmp")
        dense.write(tmp_dense)
        _fsync_replace(tmp_dense, directory / new.dense_file)
        _fsync_replace(tmp_db_path, directory / new.passages_file)
        new.facets = on_disk.facets if on_disk is not None else 0
        _build_facets(store, directory, new, manifest, facets_progress)
        if _crash_before_manifest:  # tests: the moment a crash would hurt most
            raise SystemExit("simulated crash before the manifest")
        new.updated = time.time()
        write_manifest(directory, new)
        _sweep(directory, new.files())
        _ensure_vocabulary(directory, new, embedder)

        summary.passages, summary.documents = new.passages, new.documents
        summary.dense_kind, summary.generation = new.dense_kind, new.generation
        summary.seconds = round(time.time() - started, 2)
        return summary


def annotations_stamp(store: Store) -> str:
    """One fingerprint of what the filter tables are made from: the store's
    annotations and its story links (near-duplicates)."""
    import hashlib

    links = hashlib.sha1(json.dumps(sorted(store.story_links().items())).encode()).hexdigest()[:12]
    return f"{store.annotations_fingerprint()}:{links}"


def _build_facets(store: Store, directory: Path, new: Manifest, previous: Manifest | None,
                  progress: Callable[[int, int], None] | None) -> None:
    """Write the next filter tables for ``new``'s passages (rows of unchanged
    documents are carried over from ``previous``'s tables)."""
    from .facets import sync_facets

    stamp = annotations_stamp(store)
    new.facets += 1
    final = directory / new.facets_file  # type: ignore[operator]
    tmp = final.with_name(final.name + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    old = directory / previous.facets_file if previous is not None and previous.facets_file else None
    passages = sqlite3.connect(f"file:{directory / new.passages_file}?mode=ro", uri=True)
    try:
        sync_facets(store, passages, tmp, old, progress)
    finally:
        passages.close()
    _fsync_replace(tmp, final)
    new.annotations = stamp


def _refresh_facets(store: Store, directory: Path, manifest: Manifest, previous: Manifest,
                    progress: Callable[[int, int], None] | None) -> None:
    """Rebuild the filter tables of an unchanged index when annotations changed."""
    if manifest.facets_file and (directory / manifest.facets_file).exists() \
            and manifest.annotations == annotations_stamp(store):
        return
    new = Manifest(**{k: v for k, v in manifest.__dict__.items()})
    _build_facets(store, directory, new, previous, progress)
    new.updated = time.time()
    write_manifest(directory, new)
    _sweep(directory, new.files())


def _ensure_vocabulary(directory: Path, manifest: Manifest, embedder) -> None:
    """The embedded vocabulary of a multilingual index (cross-language word
    translation, :mod:`nlp.index.crosslingual`), written once per generation."""
    from . import crosslingual

    if (directory / crosslingual.vocabulary_file(manifest.generation)).exists():
        return
    # An embedder that serves precomputed passage vectors names the model to
    # embed words with (``words_embedder``).
    words = getattr(embedder, "words_embedder", embedder)
    crosslingual.write_vocabulary(directory, manifest.passages_file, manifest.generation,
                                  lambda: words if words is not None else get_embedder(manifest.model))


def remove_index(store_dir: Path) -> None:
    directory = index_dir(store_dir)
    if directory.exists():
        shutil.rmtree(directory)
