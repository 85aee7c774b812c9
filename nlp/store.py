"""The corpus store: one embedded SQLite database per store folder.

What it does: keeps every ingested file's documents (with blocks), listing
entries and trade facts, plus annotation layers written by later stages
(entities, codes, dates, citations). Each file is replaced in one transaction,
so a run killed at any point (even SIGKILL) leaves the previous state or the
new one, never half of each; WAL journaling keeps readers working meanwhile.

What it does not do: parse files (see :mod:`nlp.ingest`) or build search
indexes (see :mod:`nlp.index`, which keeps its files beside the database).

Later stages add their own tables with :meth:`Store.ensure_schema` and read
and write them through :meth:`Store.query` and :meth:`Store.transaction`;
the connection itself is private, and every read of the store's own tables
that another stage needs is a method here.
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import StoreError
from .records import Block, Document, ListingEntry, ReadResult, TradeFact

DB_NAME = "store.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path        TEXT PRIMARY KEY,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    reader      TEXT,
    reason      TEXT,
    documents   INTEGER NOT NULL DEFAULT 0,
    listings    INTEGER NOT NULL DEFAULT 0,
    trade_facts INTEGER NOT NULL DEFAULT 0,
    ingested_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    doc_id    TEXT PRIMARY KEY,
    path      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    lang      TEXT NOT NULL,
    title     TEXT,
    published TEXT,
    source    TEXT NOT NULL,
    source_id TEXT,
    author    TEXT,
    text      TEXT NOT NULL,
    meta      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS documents_path ON documents(path);
CREATE INDEX IF NOT EXISTS documents_kind ON documents(kind, lang);
CREATE TABLE IF NOT EXISTS blocks (
    doc_id  TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    start   INTEGER NOT NULL,
    end     INTEGER NOT NULL,
    page    INTEGER,
    section TEXT,
    tbl     TEXT,
    PRIMARY KEY (doc_id, seq)
);
CREATE TABLE IF NOT EXISTS listings (
    entry_id     TEXT PRIMARY KEY,
    path         TEXT NOT NULL,
    doc_id       TEXT,
    list_name    TEXT NOT NULL,
    source_id    TEXT NOT NULL,
    schema       TEXT NOT NULL,
    name         TEXT NOT NULL,
    programme    TEXT,
    listing_date TEXT,
    legal_act    TEXT,
    data         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS listings_path ON listings(path);
CREATE INDEX IF NOT EXISTS listings_list ON listings(list_name);
CREATE TABLE IF NOT EXISTS trade_facts (
    id             INTEGER PRIMARY KEY,
    path           TEXT NOT NULL,
    doc_id         TEXT,
    reporter       TEXT NOT NULL,
    partner        TEXT NOT NULL,
    flow           TEXT NOT NULL,
    product_code   TEXT NOT NULL,
    code_system    TEXT NOT NULL,
    code_level     INTEGER,
    period         TEXT NOT NULL,
    value          REAL,
    currency       TEXT,
    quantity       REAL,
    quantity_unit  TEXT,
    reporter_label TEXT,
    partner_label  TEXT,
    product_label  TEXT,
    location       TEXT
);
-- by source file (re-ingest, export), and a source's first and last month or year as
-- two index reads (nlp.facts); it replaces an index on the path alone
CREATE INDEX IF NOT EXISTS trade_coverage ON trade_facts(path, length(period), period);
DROP INDEX IF EXISTS trade_path;
CREATE INDEX IF NOT EXISTS trade_series ON trade_facts(reporter, partner, flow, product_code, period);
CREATE INDEX IF NOT EXISTS trade_code ON trade_facts(product_code);
-- a series by reporter or by partner alone, one code prefix at a time (nlp.facts)
CREATE INDEX IF NOT EXISTS trade_reporter ON trade_facts(reporter, flow, code_system, product_code);
CREATE INDEX IF NOT EXISTS trade_partner ON trade_facts(partner, flow, code_system, product_code);
CREATE TABLE IF NOT EXISTS annotations (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    layer  TEXT NOT NULL,
    start  INTEGER NOT NULL,
    end    INTEGER NOT NULL,
    text   TEXT NOT NULL,
    label  TEXT,
    data   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS annotations_doc ON annotations(doc_id, layer);
CREATE INDEX IF NOT EXISTS annotations_label ON annotations(layer, label);
CREATE TABLE IF NOT EXISTS doc_minhash (
    doc_id    TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
    shingles  INTEGER NOT NULL,
    signature BLOB,
    exact     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS doc_copies (
    doc_id     TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
    canonical  TEXT NOT NULL,
    similarity REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_copies_canonical ON doc_copies(canonical);
"""

# Kinds that never have copies of a story (near-duplicate detection skips them).
_SIGNED_KINDS = "kind NOT IN ('listing', 'trade_table', 'reference', 'metadata')"

_TRADE_COLUMNS = (
    "reporter", "partner", "flow", "product_code", "code_system", "code_level",
    "period", "value", "currency", "quantity", "quantity_unit", "reporter_label",
    "partner_label", "product_label", "location",
)


@dataclass
class FileState:
    path: str
    sha256: str
    status: str
    reason: str | None


class Store:
    """A store folder holding ``store.sqlite`` (and, later, index files)."""

    def __init__(self, directory: str | Path, *, read_only: bool = False):
        """Open (or create) the store in ``directory``; ``read_only`` opens an
        existing store without writing anything to it (evaluation scripts)."""
        self.dir = Path(directory)
        self.path = self.dir / DB_NAME
        try:
            if read_only:
                if not self.path.is_file():
                    raise StoreError(f"{self.path}: no store here")
                self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30,
                                           check_same_thread=False)
                self._db.row_factory = sqlite3.Row
                return
            self.dir.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable store ({exc})") from exc

    # -- lifecycle -------------------------------------------------------
    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ensure_schema(self, sql: str) -> None:
        """Let a later stage create its own tables (idempotent SQL)."""
        self._db.executescript(sql)

    def query(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Rows of a read on a table a later stage owns (made with
        :meth:`ensure_schema`: ``claims``, ``watch_seen`` ...); that stage
        writes it in :meth:`transaction`. The store's own tables are read
        through the methods of this class."""
        return self._db.execute(sql, tuple(args)).fetchall()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit: all of it lands or none of it does."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.rollback()
            raise
        else:
            self._db.commit()

    # -- files -----------------------------------------------------------
    def file_state(self, path: str) -> FileState | None:
        row = self._db.execute(
            "SELECT path, sha256, status, reason FROM files WHERE path = ?", (path,)
        ).fetchone()
        return FileState(**dict(row)) if row else None

    def replace_file(self, path: str, sha256: str, size: int, reader: str,
                     result: ReadResult) -> None:
        """Swap whatever ``path`` held for ``result``, atomically."""
        with self.transaction() as db:
            self._delete_path(db, path)
            for doc in result.documents:
                self._insert_document(db, path, doc)
            db.executemany(
                "INSERT OR REPLACE INTO listings VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(e.entry_id, path, e.doc_id, e.list_name, e.source_id, e.schema, e.name,
                  e.programme, e.listing_date, e.legal_act,
                  json.dumps(e.to_dict(), ensure_ascii=False)) for e in result.listings],
            )
            db.executemany(
                f"INSERT INTO trade_facts (path, doc_id, {', '.join(_TRADE_COLUMNS)}) "
                f"VALUES (?, ?, {', '.join('?' * len(_TRADE_COLUMNS))})",
                [(path, f.doc_id, *(getattr(f, c) for c in _TRADE_COLUMNS))
                 for f in result.trade_facts],
            )
            db.execute(
                "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,?,?)",
                (path, sha256, size, "ok", reader, None, len(result.documents),
                 len(result.listings), len(result.trade_facts), time.time()),
            )

    def record_failure(self, path: str, sha256: str, size: int, reason: str,
                       reader: str | None = None) -> None:
        """Note a failed read. What the path held before stays in the store."""
        with self.transaction() as db:
            previous = self.file_state(path)
            if previous and previous.status == "ok":
                # Keep the last good version's rows and its checksum, so the
                # failure is reported but nothing already stored is lost.
                db.execute("UPDATE files SET reason = ? WHERE path = ?",
                           (f"last read failed: {reason}", path))
                return
            db.execute(
                "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,?,?)",
                (path, sha256, size, "failed", reader, reason, 0, 0, 0, time.time()),
            )

    def delete_file(self, path: str) -> None:
        with self.transaction() as db:
            self._delete_path(db, path)
            db.execute("DELETE FROM files WHERE path = ?", (path,))

    @staticmethod
    def _delete_path(db: sqlite3.Connection, path: str) -> None:
        db.execute("DELETE FROM documents WHERE path = ?", (path,))
        db.execute("DELETE FROM listings WHERE path = ?", (path,))
        db.execute("DELETE FROM trade_facts WHERE path = ?", (path,))

    @staticmethod
    def _insert_document(db: sqlite3.Connection, path: str, doc: Document) -> None:
        # Identical content at two paths is one document (ids are content
        # hashes); the first path keeps it.
        cursor = db.execute(
            "INSERT OR IGNORE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (doc.doc_id, path, doc.kind, doc.lang, doc.title, doc.published, doc.source,
             doc.source_id, doc.author, doc.text, json.dumps(doc.meta, ensure_ascii=False)),
        )
        if cursor.rowcount == 0:
            return
        db.executemany(
            "INSERT INTO blocks VALUES (?,?,?,?,?,?,?,?)",
            [(doc.doc_id, seq, b.kind, b.start, b.end, b.page, b.section,
              json.dumps(b.table, ensure_ascii=False) if b.table is not None else None)
             for seq, b in enumerate(doc.blocks)],
        )

    # -- reading ---------------------------------------------------------
    def document(self, doc_id: str, *, with_blocks: bool = True) -> Document | None:
        row = self._db.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        return self._row_to_document(row, with_blocks)

    def documents(self, *, kind: str | None = None, lang: str | None = None,
                  with_blocks: bool = True) -> Iterator[Document]:
        sql, args = "SELECT * FROM documents WHERE 1=1", list[str]()
        if kind:
            sql, args = sql + " AND kind = ?", [*args, kind]
        if lang:
            sql, args = sql + " AND lang = ?", [*args, lang]
        for row in self._db.execute(sql + " ORDER BY path, doc_id", args).fetchall():
            yield self._row_to_document(row, with_blocks)

    def doc_ids(self, kind: str | None = None) -> list[str]:
        if kind:
            rows = self._db.execute("SELECT doc_id FROM documents WHERE kind = ? ORDER BY doc_id", (kind,))
        else:
            rows = self._db.execute("SELECT doc_id FROM documents ORDER BY doc_id")
        return [r[0] for r in rows]

    def doc_ids_for_path(self, path: str) -> list[str]:
        """The documents a stored file holds (``path`` as the store keys it)."""
        return [r[0] for r in self._db.execute(
            "SELECT doc_id FROM documents WHERE path = ? ORDER BY doc_id", (path,))]

    def document_sources(self) -> list[tuple[str, str, str | None]]:
        """``(doc_id, path, source_id)`` of every stored document."""
        return [(r[0], r[1], r[2]) for r in self._db.execute("SELECT doc_id, path, source_id FROM documents")]

    def documents_page(self, *, kind: str | None = None, lang: str | None = None,
                       offset: int = 0, limit: int = 50) -> tuple[int, list[dict[str, Any]]]:
        """(how many documents match, one page of them without their text:
        ``doc_id, kind, lang, title, published, source, source_id, chars``),
        newest first."""
        where, args = ["1=1"], list[str]()
        if kind:
            where, args = [*where, "kind = ?"], [*args, kind]
        if lang:
            where, args = [*where, "lang = ?"], [*args, lang]
        condition = " AND ".join(where)
        total = self._db.execute(f"SELECT COUNT(*) FROM documents WHERE {condition}", args).fetchone()[0]
        rows = self._db.execute(
            "SELECT doc_id, kind, lang, title, published, source, source_id, length(text) AS chars "
            f"FROM documents WHERE {condition} ORDER BY published DESC, doc_id LIMIT ? OFFSET ?",
            [*args, limit, offset]).fetchall()
        return int(total), [dict(r) for r in rows]

    def language_counts(self) -> dict[str, int]:
        """Documents per language."""
        return {r[0]: r[1] for r in self._db.execute("SELECT lang, COUNT(*) FROM documents GROUP BY lang")}

    def _row_to_document(self, row: sqlite3.Row, with_blocks: bool) -> Document:
        blocks: list[Block] = []
        text = row["text"]
        if with_blocks:
            for b in self._db.execute(
                "SELECT * FROM blocks WHERE doc_id = ? ORDER BY seq", (row["doc_id"],)
            ):
                blocks.append(Block(kind=b["kind"], text=text[b["start"]:b["end"]],
                                    start=b["start"], end=b["end"], page=b["page"],
                                    section=b["section"],
                                    table=json.loads(b["tbl"]) if b["tbl"] else None))
        return Document(doc_id=row["doc_id"], kind=row["kind"], lang=row["lang"], text=text,
                        source=row["source"], title=row["title"], published=row["published"],
                        source_id=row["source_id"], author=row["author"], blocks=blocks,
                        meta=json.loads(row["meta"] or "{}"))

    def listings(self, list_name: str | None = None) -> Iterator[ListingEntry]:
        sql, args = "SELECT data FROM listings", []
        if list_name:
            sql, args = sql + " WHERE list_name = ?", [list_name]
        for (data,) in self._db.execute(sql + " ORDER BY entry_id", args):
            yield ListingEntry.from_dict(json.loads(data))

    def trade_facts(self, *, reporter: str | None = None, partner: str | None = None,
                    flow: str | None = None, path: str | None = None) -> Iterator[TradeFact]:
        """Stored trade facts, in store order; each given field must match
        exactly. Series for verification are read through :mod:`nlp.facts`."""
        given = {"reporter": reporter, "partner": partner, "flow": flow, "path": path}
        where = [f"{column} = ?" for column, value in given.items() if value is not None]
        args = [value for value in given.values() if value is not None]
        cols = ", ".join(("path AS source", "doc_id", *_TRADE_COLUMNS))
        sql = f"SELECT {cols} FROM trade_facts WHERE {' AND '.join(where) or '1=1'} ORDER BY id"
        for row in self._db.execute(sql, args):
            yield TradeFact(**dict(row))

    # -- annotations -----------------------------------------------------
    def replace_annotations(self, doc_id: str, layers: dict[str, list[dict[str, Any]]]) -> None:
        """Replace the given layers of a document's annotations.

        Each item needs ``start``, ``end``, ``text``; ``label`` is optional and
        everything else goes into ``data``.
        """
        with self.transaction() as db:
            for layer, items in layers.items():
                db.execute("DELETE FROM annotations WHERE doc_id = ? AND layer = ?", (doc_id, layer))
                db.executemany(
                    "INSERT INTO annotations VALUES (?,?,?,?,?,?,?)",
                    [(doc_id, layer, it["start"], it["end"], it["text"], it.get("label"),
                      json.dumps({k: v for k, v in it.items()
                                  if k not in ("start", "end", "text", "label")},
                                 ensure_ascii=False, default=str))
                     for it in items],
                )

    def annotations(self, doc_id: str, layer: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM annotations WHERE doc_id = ?", [doc_id]
        if layer:
            sql, args = sql + " AND layer = ?", [*args, layer]
        out = []
        for row in self._db.execute(sql + " ORDER BY start, end", args):
            item = {"layer": row["layer"], "start": row["start"], "end": row["end"],
                    "text": row["text"], "label": row["label"]}
            item.update(json.loads(row["data"]))
            out.append(item)
        return out

    def set_kind(self, doc_ids: Iterable[str], kind: str) -> None:
        """Give stored documents another kind (a reader's earlier guess corrected)."""
        with self.transaction() as db:
            db.executemany("UPDATE documents SET kind = ? WHERE doc_id = ?", [(kind, d) for d in doc_ids])

    def doc_paths(self, kind: str) -> list[tuple[str, str]]:
        """``(doc_id, path)`` of the documents of one kind."""
        return [(r[0], r[1]) for r in self._db.execute("SELECT doc_id, path FROM documents WHERE kind = ?",
                                                       (kind,))]

    # -- signatures and copies of one story (nlp.ingest.dedup) ----------------
    def signable_texts(self) -> list[tuple[str, str]]:
        """``(doc_id, text)`` of the documents that may have copies (not listings,
        trade tables, reference tables or corpus metadata)."""
        return [(r[0], r[1]) for r in self._db.execute(
            f"SELECT doc_id, text FROM documents WHERE {_SIGNED_KINDS}")]

    def unsigned_count(self) -> int:
        """Documents that may have copies but no signature yet."""
        return int(self._db.execute(
            f"SELECT COUNT(*) FROM documents WHERE {_SIGNED_KINDS} AND doc_id NOT IN "
            "(SELECT doc_id FROM doc_minhash)").fetchone()[0])

    def signed_ids(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT doc_id FROM doc_minhash")}

    def save_signatures(self, rows: Iterable[tuple[str, int, bytes | None, str]]) -> None:
        """``(doc_id, shingle count, MinHash signature or None, exact-text key)`` rows."""
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO doc_minhash VALUES (?,?,?,?)", rows)

    def signatures(self) -> dict[str, bytes]:
        """Every stored MinHash signature (texts too short to sign have none)."""
        return {r[0]: r[1] for r in self._db.execute(
            "SELECT doc_id, signature FROM doc_minhash WHERE signature IS NOT NULL")}

    def unsigned_keys(self) -> list[tuple[str, str]]:
        """``(doc_id, exact-text key)`` of the documents too short to sign."""
        return [(r[0], r[1]) for r in self._db.execute(
            "SELECT doc_id, exact FROM doc_minhash WHERE signature IS NULL")]

    def document_sizes(self) -> dict[str, tuple[int, str | None]]:
        """``{doc_id: (characters, published)}`` of every stored document."""
        return {r[0]: (int(r[1] or 0), r[2]) for r in self._db.execute(
            "SELECT doc_id, length(text), published FROM documents")}

    def replace_copies(self, links: Iterable[tuple[str, str, float]]) -> None:
        """Replace every story link with ``(doc_id, canonical, similarity)`` rows."""
        with self.transaction() as db:
            db.execute("DELETE FROM doc_copies")
            db.executemany("INSERT INTO doc_copies VALUES (?,?,?)", links)

    # -- copies of one story (nlp.ingest.dedup) ----------------------------
    def copies_of(self, doc_id: str) -> list[str]:
        """The other stored documents of ``doc_id``'s story (its canonical
        document and that one's copies), canonical first; [] for a story of one."""
        row = self._db.execute("SELECT canonical FROM doc_copies WHERE doc_id = ?", (doc_id,)).fetchone()
        canonical = row[0] if row else doc_id
        members = [r[0] for r in self._db.execute(
            "SELECT c.doc_id FROM doc_copies c JOIN documents d ON d.doc_id = c.doc_id "
            "WHERE c.canonical = ? ORDER BY c.doc_id", (canonical,))]
        exists = self._db.execute("SELECT 1 FROM documents WHERE doc_id = ?", (canonical,)).fetchone()
        story = ([canonical] if exists else []) + members
        return [d for d in story if d != doc_id]

    def story_links(self) -> dict[str, str]:
        """Every copy's canonical document: ``{doc_id: canonical}``."""
        return dict(self._db.execute("SELECT doc_id, canonical FROM doc_copies").fetchall())

    def acts_mentioning_codes(self, codes: Iterable[str], limit: int = 16) -> list[dict[str, Any]]:
        """Stored regulations whose HS-code annotations cover one of ``codes``.

        A mention covers a code when one is a prefix of the other, or when
        they share the 4-digit heading (an act listing 8542 31 covers a claim
        about 8542). One row per (document, mention, code).
        """
        wanted = sorted({c for c in codes if c})
        if not wanted or limit <= 0:
            return []
        headings = sorted({c[:4] for c in wanted})
        marks = ",".join("?" * len(headings))
        rows = self._db.execute(
            "SELECT DISTINCT d.doc_id, d.title, d.source, a.text, json_extract(a.data, '$.code') AS code "
            "FROM annotations a JOIN documents d ON d.doc_id = a.doc_id "
            "WHERE a.layer = 'hs_code' AND d.kind = 'regulation' "
            f"AND substr(json_extract(a.data, '$.code'), 1, 4) IN ({marks}) ORDER BY d.doc_id, a.start",
            headings).fetchall()
        out = []
        for doc_id, title, source, text, code in rows:
            if code and any(code.startswith(c[:4]) or c.startswith(code) for c in wanted):
                out.append({"doc_id": doc_id, "title": title, "source": source, "mention": text, "code": code})
                if len(out) >= limit:
                    break
        return out

    def annotation_stamps(self) -> dict[str, str]:
        """Per document, a short fingerprint of its annotations (count, newest
        row, size): it changes whenever a stage rewrites a layer, so indexes
        built from annotations know what to recompute."""
        rows = self._db.execute(
            "SELECT doc_id, COUNT(*), MAX(rowid), SUM(start + end + length(text) + length(data)) "
            "FROM annotations GROUP BY doc_id")
        return {r[0]: f"{r[1]}:{r[2]}:{r[3]}" for r in rows}

    def listings_fingerprint(self) -> str:
        """One fingerprint of the listings: changes whenever a list file is
        ingested again, added or removed."""
        count, newest, size = self._db.execute(
            "SELECT COUNT(*), MAX(rowid), TOTAL(length(data)) FROM listings").fetchone()
        return f"{count}:{newest}:{int(size)}"

    def change_state(self) -> tuple[int, int]:
        """What changes whenever the database does, as this connection sees it:
        SQLite's ``data_version`` (another connection, any process, committed)
        and this connection's own ``total_changes``. Costs microseconds."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        return int(version), self._db.total_changes

    def has_listings(self) -> bool:
        """Whether the store holds any listed entry (one row read, not a count)."""
        return self._db.execute("SELECT 1 FROM listings LIMIT 1").fetchone() is not None

    def annotations_fingerprint(self) -> str:
        """One fingerprint of all the store's annotations (count, newest row, size)."""
        count, newest, size = self._db.execute(
            "SELECT COUNT(*), MAX(rowid), SUM(start + end + length(text) + length(data)) "
            "FROM annotations").fetchone()
        return f"{count}:{newest}:{size}"

    # -- statistics ------------------------------------------------------
    def files_stamp(self) -> tuple[int, str]:
        """(files recorded, time of the latest ingest): changes whenever a file is ingested."""
        row = self._db.execute("SELECT COUNT(*), COALESCE(MAX(ingested_at), 0) FROM files").fetchone()
        return int(row[0]), str(row[1])

    def totals(self) -> dict[str, int]:
        def one(sql: str) -> int:
            return int(self._db.execute(sql).fetchone()[0])

        return {
            "documents": one("SELECT COUNT(*) FROM documents"),
            "listings": one("SELECT COUNT(*) FROM listings"),
            "trade_facts": one("SELECT COUNT(*) FROM trade_facts"),
        }

    def stats(self) -> dict[str, Any]:
        """What the store holds, by kind, language, list and source file."""
        def q(sql: str) -> list[dict[str, Any]]:
            return [dict(r) for r in self._db.execute(sql)]

        return {
            **self.totals(),
            "files": q("SELECT status, COUNT(*) AS n FROM files GROUP BY status"),
            "by_kind_lang": q("SELECT kind, lang, COUNT(*) AS n FROM documents "
                              "GROUP BY kind, lang ORDER BY kind, lang"),
            "by_list": q("SELECT list_name, schema, COUNT(*) AS n FROM listings "
                         "GROUP BY list_name, schema ORDER BY list_name, schema"),
            "by_source": q("SELECT path, reader, documents, listings, trade_facts, status, reason "
                           "FROM files ORDER BY path"),
        }

    def set_file_reason(self, path: str, reason: str) -> None:
        """Note why a stored file is incomplete (what was read stays stored)."""
        with self.transaction() as db:
            db.execute("UPDATE files SET reason = ? WHERE path = ?", (reason, path))

    def failures(self) -> list[dict[str, str]]:
        return [{"path": r["path"], "reason": r["reason"]} for r in
                self._db.execute("SELECT path, reason FROM files WHERE status = 'failed' ORDER BY path")]
