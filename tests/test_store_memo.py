"""Answers remembered per store connection are forgotten as soon as the database changes."""

from __future__ import annotations

from pathlib import Path

from nlp.facts import SQLiteFacts
from nlp.ingest import ingest
from nlp.store import Store
from nlp.store_memo import remembered

REPO = Path(__file__).resolve().parent.parent


def _count(store: Store) -> int:
    return store.query("SELECT COUNT(*) FROM trade_facts")[0][0]


def _add_fact(db, period: str = "2031-01") -> None:
    db.execute("INSERT INTO trade_facts (path, reporter, partner, flow, product_code, code_system, period, value) "
               "VALUES ('test.csv', 'KZ', 'RU', 'export', '854231', 'HS', ?, 1.0)", (period,))


def test_a_remembered_answer_is_recomputed_after_own_and_other_writes(tmp_path):
    with Store(tmp_path / "s") as store, Store(tmp_path / "s") as other:
        calls = []

        def count() -> int:
            calls.append(1)
            return _count(store)

        assert remembered(store, "n", count) == 0
        assert remembered(store, "n", count) == 0
        assert len(calls) == 1  # the second answer came from memory
        with store.transaction() as db:  # a write on the same connection
            _add_fact(db)
        assert remembered(store, "n", count) == 1
        with other.transaction() as db:  # a commit by another connection
            _add_fact(db, "2031-02")
        assert remembered(store, "n", count) == 2
        assert len(calls) == 3


def test_fact_queries_answer_as_before_and_follow_new_facts(tmp_path):
    with Store(tmp_path / "s") as store:
        ingest([REPO / "corpus" / "samples"], store)
        facts = SQLiteFacts(store)
        rows = store.query("SELECT DISTINCT flow, substr(product_code, 1, 4) FROM trade_facts "
                           "WHERE code_system IN ('HS', 'CN', 'TNVED') AND length(period) = 7 LIMIT 5")
        assert rows
        for flow, prefix in rows:
            found = facts.observations(flow=flow, granularity="month", reporters=None, partner=None, codes=[prefix])
            # The LIKE query the GLOB one replaced gives the same rows, in the same order.
            expected = store.query(
                "SELECT period, reporter, partner, product_code, path, value, currency FROM trade_facts "
                "WHERE flow = ? AND length(period) = 7 AND value IS NOT NULL AND product_code LIKE ? "
                "AND code_system IN ('HS', 'CN', 'TNVED') ORDER BY period, path, id", (flow, prefix + "%"))
            assert [tuple(o[:5]) + (o.value, o.currency) for o in found] == [tuple(r) for r in expected]
        before = facts.observations(flow="export", granularity="month", reporters=["KZ"], partner="RU",
                                    codes=["854231"])
        before.clear()  # a caller changing its list does not change the remembered one
        again = facts.observations(flow="export", granularity="month", reporters=["KZ"], partner="RU",
                                   codes=["854231"])
        with store.transaction() as db:
            _add_fact(db)
        after = facts.observations(flow="export", granularity="month", reporters=["KZ"], partner="RU",
                                   codes=["854231"])
        assert len(after) == len(again) + 1
        assert after[-1].period == "2031-01" and after[-1].source == "test.csv"
