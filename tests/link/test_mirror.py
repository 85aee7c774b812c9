"""Mirror data: the partner's side stands in for a missing series, labelled, never silently."""

from __future__ import annotations

from nlp.link.frames import ClaimFrame, Period
from nlp.link.mirror import mirror_spec
from nlp.link.verify import SeriesSpec, verify_frame
from nlp.records import ReadResult, TradeFact


def _facts(reporter, partner, flow, code, values):
    return [TradeFact(reporter=reporter, partner=partner, flow=flow, product_code=code, code_system="HS",
                      code_level=len(code), period=month, value=value, currency="USD")
            for month, value in values.items()]


def _year(year: int, value: float) -> dict[str, float]:
    return {f"{year}-{m:02d}": value for m in range(1, 13)}


def _frame(**kw) -> ClaimFrame:
    base = dict(text="Kazakhstan's exports of chips to Russia rose in 2023.", lang="en", published="2024-03-01",
                flow="export", reporter="KZ", partner="RU", direction="increase",
                period=Period("in 2023", ["2023-01-01", "2023-12-31"], "2023"),
                baseline=Period("2022", ["2022-01-01", "2022-12-31"], "2022"),
                subject={"label": "HS 8542", "codes": ["8542"]})
    base.update(kw)
    return ClaimFrame(**base)


def test_mirror_spec_swaps_sides_and_flow():
    spec = mirror_spec(SeriesSpec("KZ", "RU", "export", ["8542"], "KZ exports to RU"))
    assert (spec.reporter, spec.partner, spec.flow, spec.codes) == ("RU", "KZ", "import", ["8542"])
    assert spec.label.startswith("MIRROR: ") and spec.mirror and not spec.proxy
    for needed in ("CIF", "FOB", "months can shift", "confidential"):
        assert needed in spec.caveat
    assert mirror_spec(SeriesSpec("KZ", "WORLD", "export", [], "x")) is None   # the world reports nothing
    assert mirror_spec(SeriesSpec("KZ", "RU", "re-export", [], "x")) is None   # origin attribution
    assert mirror_spec(SeriesSpec("KZ", "RU", "export", [], "x", proxy=True)) is None


def test_missing_series_is_judged_on_the_labelled_mirror(store):
    # Russia's imports of HS 8542 from Kazakhstan; Kazakhstan's exports are not in the store
    store.replace_file("/ru.csv", "s", 1, "t", ReadResult(trade_facts=_facts(
        "RU", "KZ", "import", "854231", {**_year(2022, 100.0), **_year(2023, 150.0)})))
    result = verify_frame(_frame(), store)
    assert result.verdict == "supported"
    own = result.series[0].to_dict()
    assert own["mirror"] is True and own["label"].startswith("MIRROR: ") and own["reporter"] == "RU"
    assert "CIF" in own["caveat"] and round(result.figures["change_pct"]) == 50
    assert "MIRROR" in result.explanation and "judged on MIRROR data" in result.explanation


def test_own_series_wins_over_the_mirror(store):
    store.replace_file("/both.csv", "s", 1, "t", ReadResult(trade_facts=[
        *_facts("KZ", "RU", "export", "8542", {**_year(2022, 100.0), **_year(2023, 80.0)}),
        *_facts("RU", "KZ", "import", "8542", {**_year(2022, 100.0), **_year(2023, 150.0)})]))
    result = verify_frame(_frame(), store)
    assert result.verdict == "contradicted"
    assert not any(s.to_dict()["mirror"] for s in result.series)
    assert "MIRROR" not in result.explanation


def test_no_mirror_either_stays_no_data(store):
    store.replace_file("/other.csv", "s", 1, "t", ReadResult(trade_facts=_facts(
        "RU", "CN", "import", "8542", {**_year(2022, 1.0), **_year(2023, 2.0)})))
    result = verify_frame(_frame(), store)
    assert result.verdict == "no_data" and "MIRROR" not in result.explanation
