"""Filter tables beside the search index: pre-computed candidate sets.

What it does: keeps ``<store>/index/facets.<n>.sqlite``, built at index time
from the store's annotation layers (read through :meth:`Store.annotations`,
never by attaching the store's database at query time), so that a filter is
an indexed lookup returning passage ids, not a scan over annotations:

* ``facets(facet, value, id)`` -- one row per (passage, value) for
  ``country`` (codes from :mod:`nlp.countries`: an annotation's
  ``country``, a location entity's name, and every country named in the
  passage text), ``entity`` (:func:`~nlp.index.filters.entity_key` of the
  mention and of its normalised name), ``hs`` (digits of a mentioned HS
  code, matched by prefix) and ``tier`` (the code's CHP tier);
* ``dates(id, lo, hi)`` -- the document's publication date and every date
  the extract stage found in the passage, as integer ``YYYYMMDD`` bounds,
  loaded into arrays when the index opens (a date filter is two vector
  comparisons);
* ``stories(doc_id, canonical)`` -- near-duplicate documents and the
  canonical document of their story (:mod:`nlp.ingest.dedup`), so search
  shows one hit per story;
* ``doc_stamps(doc_id, stamp)`` -- what each document's annotations looked
  like when its rows were made, so an update recomputes only documents
  whose annotations changed (the extract stage rewrites layers per document).

What it does not do: rank passages (see :mod:`nlp.index.search`).
"""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .filters import (
    Filters,
    checked_hs,
    checked_kind,
    checked_tier,
    country_codes,
    date_range,
    entity_key,
    hs_digits,
    interval_bounds,
    tier_key,
)

FACETS_SCHEMA = """
CREATE TABLE IF NOT EXISTS facets (facet TEXT NOT NULL, value TEXT NOT NULL, id INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS facets_lookup ON facets(facet, value, id);
CREATE INDEX IF NOT EXISTS facets_id ON facets(id);
CREATE TABLE IF NOT EXISTS dates (id INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS dates_id ON dates(id);
CREATE TABLE IF NOT EXISTS stories (doc_id TEXT PRIMARY KEY, canonical TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS doc_stamps (doc_id TEXT PRIMARY KEY, stamp TEXT NOT NULL,
                                       first_id INTEGER NOT NULL, last_id INTEGER NOT NULL);
"""

LOCATION_LABELS = frozenset({"gpe", "loc", "location", "country", "locorg"})
ENTITY_NAME_KEYS = ("name", "normalized", "normalised", "canonical", "lemma")


@dataclass(frozen=True)
class PassageSpan:
    id: int
    start: int
    end: int
    text: str
    published: str | None


@lru_cache(maxsize=200_000)
def _code_of(text: str) -> str | None:
    # Names repeat across a corpus, and an unknown one costs the resolver a
    # fuzzy territory lookup (milliseconds).
    from ..countries import code_of

    return code_of(text)


def _country_of_annotation(item: dict[str, Any]) -> set[str]:
    codes: set[str] = set()
    value = item.get("country")
    if isinstance(value, str) and value.strip():
        code = _code_of(value.strip())
        if code:
            codes.add(code)
    if item.get("layer") == "entity" and str(item.get("label") or "").lower() in LOCATION_LABELS:
        code = _code_of((item.get("text") or "").strip())
        if code:
            codes.add(code)
    return codes


def passage_rows(passages: list[PassageSpan], annotations: list[dict[str, Any]]
                 ) -> tuple[list[tuple[str, str, int]], list[tuple[int, int, int]]]:
    """(facet rows, date rows) for one document's passages and annotations."""
    from ..countries import find_countries

    facets: set[tuple[str, str, int]] = set()
    dates: set[tuple[int, int, int]] = set()
    ordered = sorted(passages, key=lambda p: p.start)
    starts = [p.start for p in ordered]
    for p in ordered:
        for mention in find_countries(p.text):
            facets.add(("country", mention.country.code, p.id))
        bounds = interval_bounds(p.published, p.published)
        if bounds:
            dates.add((p.id, *bounds))
    for item in annotations:
        start, end = int(item["start"]), int(item["end"])
        # Passages overlapping [start, end): those starting before ``end``
        # whose end lies after ``start``.
        stop = bisect.bisect_left(starts, max(end, start + 1))
        hits = [p for p in ordered[:stop] if p.end > start]
        if not hits:
            continue
        values: set[tuple[str, str]] = set()
        layer = item.get("layer")
        values |= {("country", code) for code in _country_of_annotation(item)}
        if layer == "entity":
            for text in (item.get("text"), *(item.get(k) for k in ENTITY_NAME_KEYS)):
                if isinstance(text, str) and (key := entity_key(text)):
                    values.add(("entity", key))
        elif layer == "hs_code":
            digits = hs_digits(str(item.get("code") or item.get("label") or item.get("text") or ""))
            if digits:
                values.add(("hs", digits))
            if item.get("chp_tier") not in (None, ""):
                values.add(("tier", tier_key(item["chp_tier"])))
        elif layer == "date":
            span = _interval(item)
            if span:
                for p in hits:
                    dates.add((p.id, *span))
        for facet, value in values:
            for p in hits:
                facets.add((facet, value, p.id))
    return sorted(facets), sorted(dates)


def _interval(item: dict[str, Any]) -> tuple[int, int] | None:
    value = item.get("interval")
    if value is None:
        value = item.get("value")
    if isinstance(value, dict):
        return interval_bounds(value.get("start") or value.get("begin"), value.get("end") or value.get("start"))
    if isinstance(value, str):
        parts = value.replace("..", "/").split("/")
        return interval_bounds(parts[0], parts[-1])
    if isinstance(value, (list, tuple)) and value:
        return interval_bounds(value[0], value[-1])
    return None


def sync_facets(store, passages_db: sqlite3.Connection, target: Path, previous: Path | None,
                progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Write the filter tables for the passages in ``passages_db`` to ``target``.

    Rows of documents whose annotations are unchanged since ``previous`` was
    written are copied from it; the rest are recomputed.
    """
    stamps = store.annotation_stamps()
    spans_of: dict[str, list[PassageSpan]] = {}
    for row in passages_db.execute("SELECT doc_id, id, start, end, text, published FROM passages ORDER BY id"):
        spans_of.setdefault(row[0], []).append(PassageSpan(*row[1:]))
    db = sqlite3.connect(target)
    try:
        if previous is not None and previous.exists():
            source = sqlite3.connect(f"file:{previous}?mode=ro", uri=True)
            source.backup(db)
            source.close()
        db.executescript(FACETS_SCHEMA)
        kept = {r[0]: (r[1], r[2], r[3]) for r in db.execute("SELECT doc_id, stamp, first_id, last_id FROM doc_stamps")}
        for doc_id, (stamp, first, last) in kept.items():
            spans = spans_of.get(doc_id)
            current = (stamps.get(doc_id, ""), spans[0].id, spans[-1].id) if spans else None
            if current != (stamp, first, last):
                db.execute("DELETE FROM facets WHERE id BETWEEN ? AND ?", (first, last))
                db.execute("DELETE FROM dates WHERE id BETWEEN ? AND ?", (first, last))
                db.execute("DELETE FROM doc_stamps WHERE doc_id = ?", (doc_id,))
        fresh = {r[0] for r in db.execute("SELECT doc_id FROM doc_stamps")}
        todo = [d for d in spans_of if d not in fresh]
        for done, doc_id in enumerate(todo, 1):
            spans = spans_of[doc_id]
            facet_rows, date_rows = passage_rows(spans, store.annotations(doc_id))
            db.executemany("INSERT INTO facets VALUES (?,?,?)", facet_rows)
            db.executemany("INSERT INTO dates VALUES (?,?,?)", date_rows)
            db.execute("INSERT INTO doc_stamps VALUES (?,?,?,?)",
                       (doc_id, stamps.get(doc_id, ""), spans[0].id, spans[-1].id))
            if progress and (done % 100 == 0 or done == len(todo)):
                progress(done, len(todo))
        db.execute("DELETE FROM stories")
        db.executemany("INSERT INTO stories VALUES (?,?)", sorted(store.story_links().items()))
        db.commit()
        return {"facet_documents_updated": len(todo),
                "facet_rows": db.execute("SELECT COUNT(*) FROM facets").fetchone()[0]}
    finally:
        db.close()


class FacetTables:
    """The filter tables of one index generation, opened read-only."""

    def __init__(self, path: Path, passages_db: sqlite3.Connection):
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.passages = passages_db
        self._columns: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        rows = np.array(self.db.execute("SELECT id, lo, hi FROM dates").fetchall(), dtype=np.int64)
        rows = rows.reshape(-1, 3)
        self.date_ids, self.date_lo, self.date_hi = rows[:, 0], rows[:, 1], rows[:, 2]
        try:
            self.canonical: dict[str, str] = dict(self.db.execute("SELECT doc_id, canonical FROM stories").fetchall())
        except sqlite3.OperationalError:  # tables from before stories existed: one story per document
            self.canonical = {}
        self.members: dict[str, list[str]] = {}
        for doc_id, canonical in sorted(self.canonical.items()):
            self.members.setdefault(canonical, [canonical]).append(doc_id)

    def story(self, doc_id: str) -> str:
        """The canonical document of ``doc_id``'s story (itself when it has no copies)."""
        return self.canonical.get(doc_id, doc_id)

    def copies(self, doc_id: str) -> list[str]:
        """The other documents of ``doc_id``'s story."""
        return [d for d in self.members.get(self.story(doc_id), []) if d != doc_id]

    def close(self) -> None:
        self.db.close()

    def _documents_columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Passage ids with their document's kind and language, read once."""
        if self._columns is None:
            rows = self.passages.execute("SELECT id, coalesce(kind, ''), coalesce(lang, '') FROM passages "
                                         "ORDER BY id").fetchall()
            self._columns = (np.array([r[0] for r in rows], dtype=np.int64),
                             np.array([r[1] for r in rows], dtype=object),
                             np.array([r[2] for r in rows], dtype=object))
        return self._columns

    def _ids(self, sql: str, args: Iterable[Any]) -> np.ndarray:
        return np.fromiter((r[0] for r in self.db.execute(sql, tuple(args))), dtype=np.int64)

    def allowed_ids(self, filters: Filters) -> np.ndarray | None:
        """Sorted passage ids the filters allow; None when no filter is set.

        Every value is checked before any lookup, so a bad one is an error,
        not an empty result.
        """
        if not filters.active():
            return None
        span = date_range(filters)
        hs = checked_hs(filters.hs) if filters.hs else None
        countries = country_codes(filters.country) if filters.country else None
        entity = entity_key(filters.entity) if filters.entity else None
        kind = checked_kind(filters.kind) if filters.kind else None
        tier = checked_tier(filters.chp_tier) if filters.chp_tier else None
        if filters.entity is not None and filters.entity.strip() and not entity:
            raise ValueError(f"not an entity name: {filters.entity!r}")
        sets: list[np.ndarray] = []
        if kind or filters.lang:
            ids, kinds, langs = self._documents_columns()
            keep = np.ones(len(ids), dtype=bool)
            if kind:
                keep &= kinds == kind
            if filters.lang:
                keep &= langs == filters.lang.strip().lower()
            sets.append(ids[keep])
        if span:
            low, high = span
            inside = (self.date_lo <= high) & (self.date_hi >= low)
            sets.append(self.date_ids[inside])
        if hs:
            # Prefix match as a range over the (facet, value) index.
            sets.append(self._ids("SELECT id FROM facets WHERE facet = 'hs' AND value >= ? AND value < ?",
                                  (hs, hs + ":")))
        if tier:
            sets.append(self._ids("SELECT id FROM facets WHERE facet = 'tier' AND value = ?", (tier,)))
        if entity:
            sets.append(self._ids("SELECT id FROM facets WHERE facet = 'entity' AND value = ?", (entity,)))
        if countries:
            marks = ",".join("?" * len(countries))
            sets.append(self._ids(f"SELECT id FROM facets WHERE facet = 'country' AND value IN ({marks})",
                                  countries))
        allowed = sets[0]
        for other in sets[1:]:
            allowed = np.intersect1d(allowed, other)
        return np.unique(allowed)
