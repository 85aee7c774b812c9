"""Trade facts behind one interface, with two backends.

What it does: answers the two questions claim verification asks of the
trade figures (:mod:`nlp.link.verify`):

* :meth:`TradeFacts.observations` -- the stored observations of a series
  (flow, monthly or yearly, reporters, partner, HS/CN code prefixes or the
  all-goods total), ordered by period, then source, then position in the
  source, so "the later source wins" means the same thing everywhere;
* :meth:`TradeFacts.coverage` -- the first and last period the given source
  files cover (any product, any partner).

Backends:

* :class:`SQLiteFacts` -- the store's ``trade_facts`` table (the default);
* :class:`DuckDBFacts` -- DuckDB over a Parquet dataset of facts, for
  Comtrade-sized data: a ``trade_facts`` folder written by ``sanctions run``,
  by ``sanctions facts comtrade`` (UN Comtrade bulk files) or by
  ``sanctions facts export``. Each Parquet file holds one source's rows
  sorted by series, so DuckDB skips row groups by their min/max statistics.

:func:`facts_for` picks the backend: ``$SANCTIONS_TRADE_FACTS`` (a dataset
folder) selects DuckDB, otherwise the store answers.

This module is the one reader of trade facts by series: the store
(:mod:`nlp.store`) creates the ``trade_facts`` table, writes it at ingest and
counts it, and everything that asks for a series -- verification, proxies,
mirror series, charts, :func:`export_store_facts` -- comes here. Both
backends build their conditions in one place (``_conditions``), so a series
means the same rows in SQLite and in DuckDB; that is why these queries live
here rather than behind :class:`~nlp.store.Store` methods.

What it does not do: sum, window or judge series (that is verification), or
read source files (the ingest readers and :mod:`nlp.scale.comtrade`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from . import settings
from .store_memo import remembered

PRODUCT_SYSTEMS = ("HS", "CN", "TNVED")


class Observation(NamedTuple):
    period: str
    reporter: str
    partner: str
    product_code: str
    source: str
    value: float
    currency: str | None


class TradeFacts(Protocol):
    def observations(self, *, flow: str, granularity: str, reporters: Sequence[str] | None,
                     partner: str | None, codes: Sequence[str]) -> list[Observation]:
        """Observations with a value; ``codes`` are prefixes (empty: the TOTAL series)."""
        ...

    def has_observations(self, *, flow: str, granularity: str, reporters: Sequence[str] | None,
                         partner: str | None, codes: Sequence[str]) -> bool:
        """Whether :meth:`observations` would return any, without reading them."""
        ...

    def coverage(self, sources: Sequence[str], granularity: str) -> tuple[str, str] | None:
        """(first, last) period with data in these sources, at this granularity."""
        ...


def period_length(granularity: str) -> int:
    if granularity not in ("month", "year"):
        raise ValueError(f"granularity must be 'month' or 'year', not {granularity!r}")
    return 7 if granularity == "month" else 4


def _conditions(flow: str, granularity: str, reporters: Sequence[str] | None, partner: str | None,
                codes: Sequence[str], mark, prefix: str = "LIKE") -> tuple[list[str], list[Any]]:
    """WHERE conditions shared by both backends; ``mark`` renders a parameter.
    ``prefix="GLOB"`` matches code prefixes with GLOB (case-sensitive, so
    SQLite answers from its product-code index; LIKE scans the table)."""
    wildcard = "*" if prefix == "GLOB" else "%"
    where = [f"flow = {mark(flow)}", f"length(period) = {period_length(granularity)}", "value IS NOT NULL"]
    args: list[Any] = [flow]
    if reporters:
        where.append(f"reporter IN ({', '.join(mark(r) for r in reporters)})")
        args += list(reporters)
    if partner:
        where.append(f"partner = {mark(partner)}")
        args.append(partner)
    if codes:
        where.append("(" + " OR ".join(f"product_code {prefix} {mark(c + wildcard)}" for c in codes) + ")")
        args += [c + wildcard for c in codes]
        where.append(f"code_system IN ({', '.join(repr(s) for s in PRODUCT_SYSTEMS)})")
    else:
        where.append("code_system = 'TOTAL'")
    return where, args


_PLAIN_CODE = re.compile(r"[0-9A-Za-z]+")


def disjoint_prefixes(codes: Sequence[str]) -> list[str] | None:
    """The code prefixes that select the same rows as all of ``codes``: a code
    that starts with another one adds nothing (8542 covers 854231). None when a
    code holds a character that GLOB reads as a pattern, so that only the
    query itself can say what it matches."""
    if not all(_PLAIN_CODE.fullmatch(c) for c in codes):
        return None
    kept: list[str] = []
    for code in sorted(set(codes)):  # a prefix sorts before the codes it covers
        if not (kept and code.startswith(kept[-1])):
            kept.append(code)
    return kept


class SQLiteFacts:
    """The store's ``trade_facts`` table.

    A series over several codes is read one code prefix at a time and the
    parts merged in the table's order (period, source, row): SQLite answers
    each part from an index on (reporter or partner, flow, product code),
    where one query with an OR of many prefixes is planned as a scan of the
    whole table. The parts and the merged series are remembered while the
    store is unchanged (:mod:`nlp.store_memo`), so an item set's per-item
    series come from the set's parts.
    """

    _COLUMNS = "period, reporter, partner, product_code, path, value, currency"

    def __init__(self, store):
        self.store = store

    def _sql(self, select: str, flow: str, granularity: str, reporters: Sequence[str] | None,
             partner: str | None, codes: Sequence[str]) -> tuple[str, list[Any]]:
        where, args = _conditions(flow, granularity, reporters, partner, codes, lambda _: "?", prefix="GLOB")
        return f"SELECT {select} FROM trade_facts WHERE " + " AND ".join(where), args

    def _rows(self, flow: str, granularity: str, reporters: Sequence[str] | None, partner: str | None,
              codes: Sequence[str]) -> list[tuple[Observation, int]]:
        """(observation, row id) in table order; remembered while the store is unchanged."""
        sql, args = self._sql(f"{self._COLUMNS}, id", flow, granularity, reporters, partner, codes)
        sql += " ORDER BY period, path, id"
        return remembered(self.store, ("observation-rows", sql, tuple(args)), lambda: [
            (Observation(p, r, pa, c, s, float(v), cur), row_id)
            for p, r, pa, c, s, v, cur, row_id in self.store.query(sql, args)])

    def observations(self, *, flow: str, granularity: str, reporters: Sequence[str] | None,
                     partner: str | None, codes: Sequence[str]) -> list[Observation]:
        prefixes = disjoint_prefixes(codes)
        if prefixes is None or len(prefixes) <= 1:
            return [o for o, _ in self._rows(flow, granularity, reporters, partner, prefixes or codes)]

        def merged() -> list[Observation]:
            # disjoint prefixes: no row is in two parts, so (period, path, id) orders them as one query would
            rows = [row for code in prefixes for row in self._rows(flow, granularity, reporters, partner, [code])]
            rows.sort(key=lambda row: (row[0].period, row[0].source, row[1]))
            return [o for o, _ in rows]

        key = ("observations", flow, granularity, tuple(reporters or ()), partner, tuple(prefixes))
        # Remembered while the store is unchanged: claim verification asks the same series again and again.
        return list(remembered(self.store, key, merged))

    def has_observations(self, *, flow: str, granularity: str, reporters: Sequence[str] | None,
                         partner: str | None, codes: Sequence[str]) -> bool:
        """Whether :meth:`observations` would return any (one indexed row read per code prefix)."""
        prefixes = disjoint_prefixes(codes)
        for part in ([[c] for c in prefixes] if prefixes else [codes]):
            sql, args = self._sql("1", flow, granularity, reporters, partner, part)
            if remembered(self.store, ("has-observations", sql, tuple(args)),
                          lambda: bool(self.store.query(sql + " LIMIT 1", args))):
                return True
        return False

    def coverage(self, sources: Sequence[str], granularity: str) -> tuple[str, str] | None:
        # One source's first and last period are read once while the store is
        # unchanged; the coverage of several is the widest of theirs.
        length = period_length(granularity)
        spans = [span for source in dict.fromkeys(sources)
                 if (span := self._remembered_coverage(source, length)) is not None]
        if not spans:
            return None
        return min(a for a, _ in spans), max(b for _, b in spans)

    def _remembered_coverage(self, source: str, length: int) -> tuple[str, str] | None:
        return remembered(self.store, ("source-coverage", source, length),
                          lambda: self._source_coverage(source, length))

    def _source_coverage(self, source: str, length: int) -> tuple[str, str] | None:
        # MIN and MAX as the first and last row of the (path, length(period), period) index
        sql = f"SELECT period FROM trade_facts WHERE path = ? AND length(period) = {length} ORDER BY period"
        first = self.store.query(sql + " LIMIT 1", [source])
        last = self.store.query(sql + " DESC LIMIT 1", [source])
        return (first[0][0], last[0][0]) if first and first[0][0] else None


def _literal(value: str) -> str:
    """A SQL string literal. DuckDB prunes row groups on constants, not on
    prepared parameters inside LIKE, so values are inlined -- quoted, and
    limited to the characters codes, periods and flows use."""
    if not re.fullmatch(r"[\w .%()/-]*", value):
        raise ValueError(f"unexpected characters in a trade-facts filter value: {value!r}")
    return "'" + value.replace("'", "''") + "'"


class DuckDBFacts:
    """DuckDB over a Parquet facts dataset (``<dir>/**/*.parquet``)."""

    def __init__(self, dataset: str | Path, *, threads: int | None = None):
        from .scale import require

        duckdb = require("duckdb")
        self.dataset = Path(dataset)
        files = list(self.dataset.rglob("*.parquet")) if self.dataset.is_dir() else []
        if not files:
            raise FileNotFoundError(f"{dataset}: no Parquet trade facts here")
        self._db = duckdb.connect()
        self._db.execute(f"SET threads = {threads or settings.workers()}")
        # Keep Parquet footers (row-group statistics) in memory between queries.
        self._db.execute("SET enable_object_cache = true")
        pattern = str(self.dataset / "**" / "*.parquet").replace("'", "''")
        self._db.execute(
            "CREATE VIEW trade_facts AS SELECT * FROM read_parquet("
            f"'{pattern}', hive_partitioning = true, union_by_name = true, filename = true, "
            "file_row_number = true)")
        self._lock = threading.Lock()
        self._coverage: dict[tuple[str, int], tuple[str, str] | None] = {}

    def _query(self, sql: str) -> list[tuple]:
        with self._lock:  # one connection, used by one thread at a time
            return self._db.execute(sql).fetchall()

    def observations(self, *, flow: str, granularity: str, reporters: Sequence[str] | None,
                     partner: str | None, codes: Sequence[str]) -> list[Observation]:
        where, _ = _conditions(flow, granularity, reporters, partner, codes, _literal)
        sql = ("SELECT period, reporter, partner, product_code, path, value, currency FROM trade_facts "
               "WHERE " + " AND ".join(where) + " ORDER BY period, path, filename, file_row_number")
        return [Observation(p, r, pa, c, s, float(v), cur) for p, r, pa, c, s, v, cur in self._query(sql)]

    def has_observations(self, *, flow: str, granularity: str, reporters: Sequence[str] | None,
                         partner: str | None, codes: Sequence[str]) -> bool:
        """Whether :meth:`observations` would return any."""
        where, _ = _conditions(flow, granularity, reporters, partner, codes, _literal)
        return bool(self._query("SELECT 1 FROM trade_facts WHERE " + " AND ".join(where) + " LIMIT 1"))

    def coverage(self, sources: Sequence[str], granularity: str) -> tuple[str, str] | None:
        # A source's coverage is a property of the file: computed once per
        # source and kept, since over a large dataset it means a scan.
        length = period_length(granularity)
        missing = [s for s in sources if (s, length) not in self._coverage]
        if missing:
            listed = ", ".join("'" + s.replace("'", "''") + "'" for s in missing)
            found = {(path, n): (first, last) for path, n, first, last in self._query(
                "SELECT path, length(period), MIN(period), MAX(period) FROM trade_facts "
                f"WHERE path IN ({listed}) GROUP BY ALL")}
            for source in missing:
                for n in (4, 7):
                    self._coverage[(source, n)] = found.get((source, n))
        spans = [span for s in sources if (span := self._coverage[(s, length)]) is not None]
        if not spans:
            return None
        return min(a for a, _ in spans), max(b for _, b in spans)

    def count(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM trade_facts")[0][0])


@lru_cache(maxsize=4)
def duckdb_facts(dataset: str) -> DuckDBFacts:
    """One DuckDB backend per dataset folder and process."""
    return DuckDBFacts(dataset)


def facts_for(store) -> TradeFacts:
    """The backend verification uses: ``$SANCTIONS_TRADE_FACTS`` or the store."""
    dataset = settings.env("TRADE_FACTS")
    if dataset:
        return duckdb_facts(str(Path(dataset).resolve()))
    return SQLiteFacts(store)


def export_store_facts(store, dataset: str | Path) -> int:
    """Write the store's trade facts as a Parquet facts dataset (replacing it),
    one partition per source file, rows in store order."""
    import shutil

    from .scale.dataset import write_table
    from .scale.stages import TRADE_COLUMNS, file_id

    target = Path(dataset)
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    total = 0
    paths = [r[0] for r in store.query("SELECT DISTINCT path FROM trade_facts ORDER BY path")]
    for path in paths:
        rows = [{"file_id": file_id(path), "path": path, **dict(r)} for r in store.query(
            f"SELECT doc_id, {', '.join(TRADE_COLUMNS)} FROM trade_facts WHERE path = ? ORDER BY id",
            (path,))]
        write_table(tmp, "trade_facts", rows)
        total += len(rows)
    shutil.rmtree(target, ignore_errors=True)
    if (tmp / "trade_facts").exists():
        (tmp / "trade_facts").rename(target)
    shutil.rmtree(tmp, ignore_errors=True)
    return total
