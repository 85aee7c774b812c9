"""A summed series is remembered while the store is unchanged, and read again after any write."""

from __future__ import annotations

from nlp.link.verify import SeriesSpec, load_series
from nlp.store import Store


def _add(db, period: str, value: float, code: str = "854231", path: str = "a.csv") -> None:
    db.execute("INSERT INTO trade_facts (path, reporter, partner, flow, product_code, code_system, period, value, "
               "currency) VALUES (?, 'KZ', 'RU', 'export', ?, 'HS', ?, ?, 'USD')", (path, code, period, value))


def test_a_series_follows_new_facts_and_callers_cannot_change_the_remembered_one(tmp_path):
    spec = SeriesSpec(reporter="KZ", partner="RU", flow="export", codes=["8542", "8471"], label="test")
    with Store(tmp_path / "s") as store, Store(tmp_path / "s") as other:
        with store.transaction() as db:
            _add(db, "2023-01", 1.0)
            _add(db, "2023-02", 2.0)
        first = load_series(store, spec, "month")
        assert first.points == {"2023-01": 1.0, "2023-02": 2.0}
        assert first.codes_with_data == ["8542"] and first.coverage == ("2023-01", "2023-02")
        first.points["2023-01"] = 99.0  # measuring a series changes its fields: never the next caller's
        first.sources.append("x.csv")
        again = load_series(store, spec, "month")
        assert again.points == {"2023-01": 1.0, "2023-02": 2.0} and again.sources == ["a.csv"]
        with store.transaction() as db:  # a write on this connection
            _add(db, "2023-03", 3.0, code="847130")
        after = load_series(store, spec, "month")
        assert after.points["2023-03"] == 3.0 and after.codes_with_data == ["8542", "8471"]
        with other.transaction() as db:  # a later edition of the file, committed by another connection
            _add(db, "2023-01", 5.0, path="b.csv")
        latest = load_series(store, spec, "month")
        assert latest.points["2023-01"] == 5.0 and latest.sources == ["a.csv", "b.csv"]
