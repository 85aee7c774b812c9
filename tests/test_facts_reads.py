"""Series reads of the SQLite trade facts: one query per code prefix, merged, answer as one query did."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nlp.facts import SQLiteFacts, disjoint_prefixes
from nlp.ingest import ingest
from nlp.store import Store

REPO = Path(__file__).resolve().parent.parent


def _reference(store: Store, flow: str, granularity: str, reporters, partner, codes) -> list[tuple]:
    """The series as the single query with an OR of GLOB prefixes reads it."""
    where = ["flow = ?", f"length(period) = {7 if granularity == 'month' else 4}", "value IS NOT NULL"]
    args: list = [flow]
    if reporters:
        where.append(f"reporter IN ({', '.join('?' * len(reporters))})")
        args += reporters
    if partner:
        where.append("partner = ?")
        args.append(partner)
    if codes:
        where.append("(" + " OR ".join("product_code GLOB ?" for _ in codes) + ")")
        args += [c + "*" for c in codes]
        where.append("code_system IN ('HS', 'CN', 'TNVED')")
    else:
        where.append("code_system = 'TOTAL'")
    rows = store.query("SELECT period, reporter, partner, product_code, path, value, currency FROM trade_facts "
                       "WHERE " + " AND ".join(where) + " ORDER BY period, path, id", args)
    return [tuple(r) for r in rows]


@pytest.fixture(scope="module")
def samples_store(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("facts") / "store")
    ingest([REPO / "corpus" / "samples"], store)
    yield store
    store.close()


def test_disjoint_prefixes():
    assert disjoint_prefixes(["854231", "8542", "8541", "8542"]) == ["8541", "8542"]
    assert disjoint_prefixes(["84", "8471", "85"]) == ["84", "85"]
    assert disjoint_prefixes([]) == []
    assert disjoint_prefixes(["85*"]) is None  # a GLOB pattern character: only the query can say


def test_a_series_over_many_codes_reads_as_one_query(samples_store):
    store = samples_store
    facts = SQLiteFacts(store)
    pairs = store.query("SELECT DISTINCT reporter, partner, flow FROM trade_facts "
                        "WHERE code_system IN ('HS', 'CN', 'TNVED') LIMIT 6")
    codes = [r[0] for r in store.query("SELECT DISTINCT substr(product_code, 1, 4) FROM trade_facts "
                                       "WHERE code_system IN ('HS', 'CN', 'TNVED') LIMIT 8")]
    assert pairs and len(codes) > 1
    # overlapping codes (a heading and one of its subheadings), one that is absent, any order
    full = [r[0] for r in store.query("SELECT product_code FROM trade_facts WHERE code_system = 'HS' LIMIT 1")]
    query_codes = list(reversed(codes)) + full + ["0101"]
    checked = 0
    for reporter, partner, flow in pairs:
        for granularity in ("month", "year"):
            for reporters, partner_ in (([reporter], partner), ([reporter], None), (None, partner), (None, None)):
                found = facts.observations(flow=flow, granularity=granularity, reporters=reporters,
                                           partner=partner_, codes=query_codes)
                expected = _reference(store, flow, granularity, reporters, partner_, query_codes)
                assert [tuple(o) for o in found] == expected
                assert facts.has_observations(flow=flow, granularity=granularity, reporters=reporters,
                                              partner=partner_, codes=query_codes) == bool(expected)
                checked += bool(expected)
    assert checked  # some of the series have rows


def test_presence_of_a_series_without_reading_it(samples_store):
    facts = SQLiteFacts(samples_store)
    for codes in ([], ["85"], ["0101"], ["8542", "0101"]):
        for flow in ("export", "import", "re-export"):
            for granularity in ("month", "year"):
                query = {"flow": flow, "granularity": granularity, "reporters": None, "partner": None,
                         "codes": codes}
                assert facts.has_observations(**query) == bool(facts.observations(**query))
    assert not facts.has_observations(flow="export", granularity="month", reporters=["ZZ"], partner=None,
                                      codes=["85"])


def _add_fact(db, path: str, period: str) -> None:
    db.execute("INSERT INTO trade_facts (path, reporter, partner, flow, product_code, code_system, period, value) "
               "VALUES (?, 'KZ', 'RU', 'export', '854231', 'HS', ?, 1.0)", (path, period))


def test_coverage_is_the_widest_of_the_sources_and_follows_new_facts(tmp_path):
    with Store(tmp_path / "s") as store:
        ingest([REPO / "corpus" / "samples"], store)
        facts = SQLiteFacts(store)
        sources = [r[0] for r in store.query("SELECT DISTINCT path FROM trade_facts ORDER BY path")]
        assert sources
        for granularity, length in (("month", 7), ("year", 4)):
            for chosen in ([sources[0]], sources, sources[::-1] + sources[:1]):
                row = store.query(f"SELECT MIN(period), MAX(period) FROM trade_facts WHERE path IN "
                                  f"({','.join('?' * len(chosen))}) AND length(period) = {length}", chosen)[0]
                assert facts.coverage(chosen, granularity) == ((row[0], row[1]) if row[0] else None)
        assert facts.coverage([], "month") is None
        assert facts.coverage(["not-a-source.csv"], "month") is None
        before = facts.coverage(sources, "month")
        assert before is not None
        with store.transaction() as db:  # a later month in one source widens the coverage
            _add_fact(db, sources[0], "2039-12")
        assert facts.coverage(sources, "month") == (before[0], "2039-12")
        assert facts.coverage(["new.csv"], "month") is None
        with store.transaction() as db:
            _add_fact(db, "new.csv", "1990-01")
        assert facts.coverage(["new.csv"], "month") == ("1990-01", "1990-01")
        assert facts.coverage(sources + ["new.csv"], "month") == ("1990-01", "2039-12")


def test_a_store_made_before_the_series_indexes_gets_them_on_open(tmp_path):
    with Store(tmp_path / "s") as store:
        with store.transaction() as db:
            _add_fact(db, "old.csv", "2023-01")
    db = sqlite3.connect(tmp_path / "s" / "store.sqlite")
    db.execute("DROP INDEX trade_reporter")
    db.execute("DROP INDEX trade_partner")
    db.execute("DROP INDEX trade_coverage")
    db.execute("CREATE INDEX trade_path ON trade_facts(path)")  # the index on the path alone, as before
    db.commit()
    db.close()
    with Store(tmp_path / "s") as store:
        names = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'index' "
                                           "AND tbl_name = 'trade_facts'")}
        assert {"trade_reporter", "trade_partner", "trade_coverage"} <= names
        assert "trade_path" not in names  # the coverage index serves reads by path
        path_plan = " ".join(r[3] for r in store.query(
            "EXPLAIN QUERY PLAN SELECT id FROM trade_facts WHERE path = ? ORDER BY id", ["old.csv"]))
        assert "trade_coverage" in path_plan
        assert store.query("SELECT COUNT(*) FROM trade_facts")[0][0] == 1
        # a series by partner alone is read through its index
        plan = " ".join(r[3] for r in store.query(
            "EXPLAIN QUERY PLAN SELECT 1 FROM trade_facts WHERE partner = ? AND flow = ? "
            "AND product_code GLOB ? AND code_system IN ('HS', 'CN', 'TNVED')", ["RU", "export", "8542*"]))
        assert "trade_partner" in plan
        coverage_plan = " ".join(r[3] for r in store.query(
            "EXPLAIN QUERY PLAN SELECT period FROM trade_facts WHERE path = ? AND length(period) = 7 "
            "ORDER BY period LIMIT 1", ["old.csv"]))
        assert "trade_coverage" in coverage_plan and "TEMP B-TREE" not in coverage_plan
        assert SQLiteFacts(store).coverage(["old.csv"], "month") == ("2023-01", "2023-01")
