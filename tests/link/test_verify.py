"""Verification paths on a small store with hand-made series.

Frames are built directly here, so these tests check the arithmetic and the
verdict rules independently of the text framing (tested in test_frames.py).
"""

from __future__ import annotations

import pytest

from nlp.link.frames import ClaimFrame, Period
from nlp.link.verify import SeriesSpec, load_series, verify_frame, windows
from nlp.records import ReadResult, TradeFact


def _months(year: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def _facts(reporter, partner, flow, code, values_by_month, system="CN"):
    return [TradeFact(reporter=reporter, partner=partner, flow=flow, product_code=code,
                      code_system=system, code_level=len(code) if system != "TOTAL" else None,
                      period=month, value=value, currency="EUR")
            for month, value in values_by_month.items()]


@pytest.fixture()
def trade_store(store):
    facts = []
    # DE and FR export chips (8542) to KZ: flat 2021, doubled 2022.
    for reporter in ("DE", "FR"):
        facts += _facts(reporter, "KZ", "export", "85423190",
                        {**{m: 100.0 for m in _months(2021)}, **{m: 200.0 for m in _months(2022)}})
        # Computers (8471) to KZ: fall by half.
        facts += _facts(reporter, "KZ", "export", "84715000",
                        {**{m: 100.0 for m in _months(2021)}, **{m: 50.0 for m in _months(2022)}})
    # Russia's total imports from KZ, yearly-ish monthly totals.
    facts += _facts("RU", "KZ", "import", "TOTAL",
                    {**{m: 10.0 for m in _months(2021)}, **{m: 12.0 for m in _months(2022)}}, "TOTAL")
    store.replace_file("/facts.csv", "sha", 1, "generic-trade-csv", ReadResult(trade_facts=facts))
    return store


def _frame(**kw) -> ClaimFrame:
    defaults = dict(text="claim", lang="en", published="2023-03-01", flow="export", reporter="EU27",
                    partner="KZ", direction="increase",
                    period=Period("in 2022", ["2022-01-01", "2022-12-31"], "2022"),
                    baseline=Period("2021", ["2021-01-01", "2021-12-31"], "2021"),
                    subject={"label": "HS 8542", "codes": ["8542"]})
    defaults.update(kw)
    return ClaimFrame(**defaults)


def test_eu_sums_member_states(trade_store):
    series = load_series(trade_store, SeriesSpec("EU27", "KZ", "export", ["8542"], "x"))
    assert series.points["2022-05"] == 400.0
    assert series.reporters == ["DE", "FR"]
    assert series.coverage == ("2021-01", "2022-12")


def test_supported_increase(trade_store):
    result = verify_frame(_frame(), trade_store)
    assert result.verdict == "supported"
    assert result.figures["change_pct"] == 100.0
    assert result.figures["window_mean"] == 400.0 and result.figures["baseline_mean"] == 200.0
    assert result.series[0].sources == ["/facts.csv"]


def test_contradicted_increase(trade_store):
    frame = _frame(subject={"label": "HS 8471", "codes": ["8471"]})
    result = verify_frame(frame, trade_store)
    assert result.verdict == "contradicted"
    assert result.figures["change_pct"] == -50.0


def test_stable_claim(trade_store):
    frame = _frame(direction="stable")
    assert verify_frame(frame, trade_store).verdict == "contradicted"


def _measure(kind, direction, value=None):
    return {"kind": kind, "direction": direction, "value": value, "text": "", "start": -1}


def test_magnitude_decides_single_series_never_mixed(trade_store):
    # the series doubled (ratio 2.0)
    assert verify_frame(_frame(measure=_measure("pct", "up", 0.1)), trade_store).verdict == "contradicted"
    assert verify_frame(_frame(measure=_measure("times", "up", 2.0)), trade_store).verdict == "supported"
    assert verify_frame(_frame(measure=_measure("more", "up", 3.0)), trade_store).verdict == "contradicted"
    assert verify_frame(_frame(measure=_measure("pct", "up", 1.0)), trade_store).verdict == "supported"
    computers = {"label": "HS 8471", "codes": ["8471"]}   # halved
    assert verify_frame(_frame(subject=computers, measure=_measure("less", "down", 0.7)),
                        trade_store).verdict == "supported"
    assert verify_frame(_frame(subject=computers, measure=_measure("flat", "flat")),
                        trade_store).verdict == "contradicted"


def test_same_months_twice_is_no_verdict(trade_store):
    same = Period("2022", ["2022-01-01", "2022-12-31"], "2022")
    result = verify_frame(_frame(period=same, baseline=same), trade_store)
    assert result.verdict == "no_data" and "same months" in result.explanation


def test_code_new_in_hs2022_is_not_compared_with_2021(trade_store):
    drones = {"label": "HS 880730", "codes": ["880730"]}
    trade_store.replace_file("/drones.csv", "sha2", 1, "generic-trade-csv", ReadResult(trade_facts=_facts(
        "DE", "KZ", "export", "88073000", {m: 5.0 for m in _months(2022)})))
    result = verify_frame(_frame(subject=drones), trade_store)
    assert result.verdict == "no_data" and "HS 2022" in result.explanation


def test_missing_partner_is_named(trade_store):
    result = verify_frame(_frame(partner="TJ"), trade_store)
    assert result.verdict == "no_data" and "partner TJ is not in the trade data" in result.explanation


def test_unresolved_product_is_no_data(trade_store):
    result = verify_frame(_frame(subject={"label": "widgets", "unresolved": "widgets"}), trade_store)
    assert result.verdict == "no_data" and "product not identified" in result.explanation
    assert result.series == []


def test_default_baseline_is_same_months_a_year_earlier():
    frame = _frame(baseline=None, period=Period("H2 2022", ["2022-07-01", "2022-12-31"]))
    window, baseline, how = windows(frame, ("2020-01", "2022-12"))
    assert window == ("2022-07", "2022-12") and baseline == ("2021-07", "2021-12")
    assert "a year earlier" in how


def test_after_month_baseline_is_same_length_before():
    frame = _frame(baseline=None, published="2023-12-31",
                   period=Period("after April 2023", ["2023-05-01", None], mod="AFTER"))
    window, baseline, _ = windows(frame, None)
    assert window == ("2023-05", "2023-12") and baseline == ("2022-09", "2023-04")


def test_window_outside_data_is_no_data_with_proxies(trade_store):
    frame = _frame(reporter=None, partner="RU", transit="KZ", flow="re-export",
                   published="2024-06-07",
                   period=Period("in recent months", ["2024-03-01", "2024-06-07"]), baseline=None)
    result = verify_frame(frame, trade_store)
    assert result.verdict == "no_data"
    # proxies that cover nothing of the claim window are left out, and the explanation says so
    assert not [s for s in result.series if s.spec.proxy]
    assert "no data for" in result.explanation and "no proxy series covers the claim window" in result.explanation


def test_proxies_with_figures_when_window_is_covered(trade_store):
    frame = _frame(reporter=None, partner="RU", transit="KZ", flow="re-export")
    result = verify_frame(frame, trade_store)
    assert result.verdict == "no_data"  # proxies never decide the verdict
    eu = next(s for s in result.series if s.spec.label == "EU exports of the same codes to KZ")
    assert round(eu.change, 2) == 1.0
    total = next(s for s in result.series if s.spec.codes == [])
    assert round(total.change, 2) == 0.2


def test_all_items_claim_reports_share(trade_store):
    frame = _frame(text="EU exports of all CHP items to Kazakhstan increased",
                   subject={"label": "all CHP items", "item_set": "chp", "tiers": "all"})
    result = verify_frame(frame, trade_store)
    assert result.figures["items_with_data"] == 2
    assert result.figures["items_agreeing"] == 1
    assert result.verdict == "mixed"


def test_no_direction_is_no_data(trade_store):
    assert verify_frame(_frame(direction=None), trade_store).verdict == "no_data"
