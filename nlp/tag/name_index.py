"""The list matcher's blocking index, stored beside the store.

What it does: writes ``<store>/lists.names.sqlite`` -- every listed name and
alias with its compare key, the character trigrams of its skeleton (the
blocking keys of :class:`nlp.tag.names.ListMatcher`) and the entry it
belongs to -- once, when lists are ingested (``sanctions ingest`` calls
:func:`refresh_name_index`), and again only when the listings change (a
fingerprint of the ``listings`` table is kept inside). A query then costs one
indexed SQL lookup for its candidates and the full scoring of a few dozen
names, instead of preparing every listed name again in each process (tens
of seconds on the whole corpus). The rigour name symbols of every word of a
listed person's name are stored too, so a search never loads rigour's name
analyser (seconds); the price: a query word spelled in a way no listed name
uses gets no symbols (so "Sergejs" meets "Sergey" only through spelling).

The file is written under a temporary name and moved into place, so a
reader sees the old index or the new one. :class:`StoredListMatcher` answers
exactly like the in-memory matcher (same candidates, same order).

What it does not do: score names (:mod:`nlp.tag.names`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..records import ListingEntry
from .names import COMMON_GRAM, SHORTLIST, ListMatcher, _grams, analysed_symbols, listed_names, prepare, skeleton

FILE_NAME = "lists.names.sqlite"
POSTINGS_CACHE = 50_000  # trigrams whose name lists a matcher keeps in memory
ROWS_CACHE = 50_000  # rows of names/entries a matcher keeps once read
MMAP_BYTES = 1 << 30  # the index file read through a memory map up to this size
_NO_SYMBOLS: frozenset[str] = frozenset()
_NO_NAMES = np.empty(0, dtype=np.int64)

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries (pos INTEGER PRIMARY KEY, entry_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE names (name_id INTEGER PRIMARY KEY, pos INTEGER NOT NULL, name TEXT NOT NULL,
                    schema TEXT NOT NULL, key TEXT NOT NULL);
CREATE TABLE grams (gram TEXT NOT NULL, name_id INTEGER NOT NULL);
CREATE TABLE token_symbols (token TEXT NOT NULL, symbol TEXT NOT NULL);
"""
INDEXES = """
CREATE INDEX grams_gram ON grams(gram, name_id);
CREATE INDEX token_symbols_token ON token_symbols(token);
CREATE TABLE common_grams AS SELECT gram FROM grams GROUP BY gram HAVING COUNT(*) > {common};
"""


def listings_stamp(store) -> str:
    """A fingerprint of the store's listings and of how names are prepared:
    changes whenever a list file is ingested again, added or removed, and
    when the name rules or the compare form change (the stored keys and
    trigrams are made from that form). The listings part is remembered
    while the store is unchanged (computing it reads the whole listings
    table)."""
    from ..store_memo import remembered
    from .names import name_form_version

    return f"{remembered(store, 'listings_fingerprint', store.listings_fingerprint)}+{name_form_version()}"


def index_path(store) -> Path:
    return Path(store.dir) / FILE_NAME


def stored_stamp(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def refresh_name_index(store, *, force: bool = False) -> bool:
    """Build the stored index when it is missing or the listings changed.
    True when it was (re)built."""
    path = index_path(store)
    stamp = listings_stamp(store)
    if not force and stored_stamp(path) == stamp:
        return False
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    if tmp.exists():
        tmp.unlink()
    db = sqlite3.connect(tmp)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.executescript(SCHEMA)
        name_id = 0
        person_tokens: set[str] = set()
        for pos, entry in enumerate(store.listings()):
            db.execute("INSERT INTO entries VALUES (?,?,?)",
                       (pos, entry.entry_id, json.dumps(entry.to_dict(), ensure_ascii=False)))
            for name, schema, key, grams in listed_names(entry):
                db.execute("INSERT INTO names VALUES (?,?,?,?,?)", (name_id, pos, name, schema, key))
                db.executemany("INSERT INTO grams VALUES (?,?)", [(g, name_id) for g in grams])
                if schema == "Person":
                    person_tokens.update(prepare(name, schema).tokens)
                name_id += 1
        # Name symbols of every word of a listed person's name, so that a
        # search needs no name analyser (see nlp.tag.names._SYMBOLS).
        for token in sorted(person_tokens):
            db.executemany("INSERT INTO token_symbols VALUES (?,?)",
                           [(token, symbol) for symbol in analysed_symbols(token)])
        db.executescript(INDEXES.format(common=COMMON_GRAM))
        db.execute("INSERT INTO meta VALUES ('stamp', ?)", (stamp,))
        db.commit()
    finally:
        db.close()
    os.replace(tmp, path)
    return True


class _Rows(Sequence):
    """A read-only sequence over one table of the stored index."""

    def __init__(self, matcher: StoredListMatcher, sql: str, count_sql: str, convert):
        self._matcher, self._sql, self._count_sql, self._convert = matcher, sql, count_sql, convert
        self._len: int | None = None
        self._seen: dict[int, Any] = {}

    def __len__(self) -> int:
        if self._len is None:
            self._len = self._matcher._query(self._count_sql)[0][0]
        return self._len

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        seen = self._seen.get(i)  # a search reads the same few hundred rows again and again
        if seen is not None:
            return seen
        rows = self._matcher._query(self._sql + " WHERE rowid = ?", (int(i),))
        if not rows:
            raise IndexError(i)
        if len(self._seen) >= ROWS_CACHE:
            self._seen.clear()
        row = self._seen[i] = self._convert(rows[0])
        return row

    def prefetch(self, rowids: Sequence[int]) -> None:
        """Read the rows not yet seen among ``rowids`` in one query (a search
        reads a few dozen at once)."""
        seen = self._seen  # (a set difference with its keys would copy them all)
        missing = sorted({int(i) for i in rowids if int(i) not in seen})
        if not missing:
            return
        if len(self._seen) + len(missing) > ROWS_CACHE:
            self._seen.clear()
        marks = ",".join("?" * len(missing))
        for row in self._matcher._query(f"{self._sql.replace('SELECT ', 'SELECT rowid, ', 1)} "
                                        f"WHERE rowid IN ({marks})", tuple(missing)):
            self._seen[row[0]] = self._convert(row[1:])

    def remember(self, rows: dict[int, tuple]) -> None:
        """Keep rows read by another query (rowid -> the columns of this table's query)."""
        if len(self._seen) + len(rows) > ROWS_CACHE:
            self._seen.clear()
        for rowid, row in rows.items():
            self._seen[rowid] = self._convert(row)

    def __iter__(self) -> Iterator[Any]:
        for row in self._matcher._query(self._sql + " ORDER BY rowid"):
            yield self._convert(row)


def _entry(row: tuple) -> ListingEntry:
    return ListingEntry.from_dict(json.loads(row[0]))


class StoredListMatcher(ListMatcher):
    """:class:`ListMatcher` over the stored blocking index (nothing loaded up front)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        # Read through a memory map: a search reads postings and rows all over
        # the file, and mapped pages cost no read call each (and are shared by
        # every process that has the file open).
        self.db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        self._lock = threading.Lock()
        self.common = {r[0] for r in self._query("SELECT gram FROM common_grams")}
        self.entries = _Rows(self, "SELECT data FROM entries", "SELECT COUNT(*) FROM entries", _entry)
        self.names = _Rows(self, "SELECT pos, name, schema FROM names", "SELECT COUNT(*) FROM names", tuple)
        self.index = {}
        self.symbols = self._stored_symbols
        self._symbols_table: dict[str, frozenset[str]] | None = None
        self._postings_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._postings_lock = threading.Lock()
        self._keys: dict[int, str] = {}

    def _stored_symbols(self, token: str) -> frozenset[str]:
        """Name symbols of a word as stored for the listed names (none for a
        word no listed person name contains). The table is small (a few
        thousand words): read whole on first use."""
        table = self._symbols_table
        if table is None:
            found: dict[str, set[str]] = {}
            for word, symbol in self._query("SELECT token, symbol FROM token_symbols"):
                found.setdefault(word, set()).add(symbol)
            table = self._symbols_table = {word: frozenset(symbols) for word, symbols in found.items()}
        return table.get(token, _NO_SYMBOLS)

    @classmethod
    def open(cls, store) -> StoredListMatcher:
        refresh_name_index(store)
        return cls(index_path(store))

    def close(self) -> None:
        self.db.close()

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self.db.execute(sql, args).fetchall()

    def candidates(self, name: str, schema: str | None, limit: int = 200) -> list[int]:
        form = prepare(name, schema or "Person")
        grams = _grams(skeleton(" ".join(form.tokens)))
        usable = sorted(g for g in grams if g not in self.common)
        if not usable:
            return []
        need = max(2, len(grams) // 3)
        ids = np.concatenate(self._postings(usable))
        if not len(ids):
            return []
        # Shared trigrams per name (a name holds each trigram once), at least
        # ``need``, most first, then the higher name id (the in-memory order).
        counts = np.bincount(ids)
        chosen = np.flatnonzero(counts >= need)
        order = np.lexsort((-chosen, -counts[chosen]))[:limit]
        return [int(i) for i in chosen[order]]

    def _postings(self, grams: list[str]) -> list[np.ndarray]:
        """The names holding each trigram, read once per process (the grams
        of names repeat across queries, so most lookups are in memory); the
        ones not yet read come in one query, each as one row of comma-joined
        ids (far cheaper to read than a row per name)."""
        found: dict[str, np.ndarray] = {}
        with self._postings_lock:
            for gram in grams:
                known = self._postings_cache.get(gram)
                if known is not None:
                    self._postings_cache.move_to_end(gram)
                    found[gram] = known
        missing = [gram for gram in grams if gram not in found]
        if missing:
            marks = ",".join("?" * len(missing))
            read = {gram: np.fromstring(joined, dtype=np.int64, sep=",")
                    for gram, joined in self._query(f"SELECT gram, group_concat(name_id) FROM grams "
                                                    f"WHERE gram IN ({marks}) GROUP BY gram", tuple(missing))}
            with self._postings_lock:
                for gram in missing:
                    found[gram] = self._postings_cache[gram] = read.get(gram, _NO_NAMES)
                while len(self._postings_cache) > POSTINGS_CACHE:
                    self._postings_cache.popitem(last=False)
        return [found[gram] for gram in grams]

    def shortlist(self, name: str, schema: str | None, size: int = SHORTLIST) -> list[int]:
        name_ids = super().shortlist(name, schema, size)
        self.names.prefetch(name_ids)  # the search reads each of them next
        return name_ids

    def keys_of(self, name_ids: list[int]) -> dict[int, str]:
        """Shortlist keys of names, each read once per matcher (the index
        never changes under an open matcher: a new one is opened when it does)."""
        found: dict[int, str] = {}
        missing = []
        for name_id in name_ids:
            key = self._keys.get(name_id)
            if key is None:
                missing.append(name_id)
            else:
                found[name_id] = key
        if missing:
            # The rows themselves come along: the search reads those it shortlists next.
            marks = ",".join("?" * len(missing))
            rows = self._query(f"SELECT name_id, key, pos, name, schema FROM names WHERE name_id IN ({marks})",
                               tuple(missing))
            read = {row[0]: row[1] for row in rows}
            if len(self._keys) + len(read) > ROWS_CACHE:
                self._keys.clear()
            self._keys.update(read)
            self.names.remember({row[0]: row[2:] for row in rows})
            found.update(read)
        return {i: found[i] for i in name_ids if i in found}
