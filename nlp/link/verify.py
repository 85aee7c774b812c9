"""Verify a claim frame against the trade facts in the store.

Steps, each visible in the result:

1. **Codes**: the frame's HS/CN codes, or the CHP items of its item set
   (tiers from :mod:`nlp.reference`). A code matches every stored product
   code that starts with it (HS 8542 covers CN 85423111).
2. **Series**: facts for the frame's reporter, partner and flow, summed per
   period over the codes. "EU" uses an ``EU27`` aggregate when the store has
   one, else the sum of the member states' figures. Only stored numbers are
   used; a period with no stored figure inside the data's coverage is a
   missing point, never filled in.
3. **Windows**: the claim window and the baseline from the frame. Without a
   stated baseline: the same months a year earlier (seasonality-aware for
   monthly data); for "after X": the same length before X; for an open
   "pre-invasion" baseline, the 12 months before the invasion.
4. **Figures**: window mean and baseline mean per period, % change, and a
   Mann-Kendall trend test with Sen's slope over the window (scipy's
   Kendall tau against time, Theil-Sen slope).
5. **Verdict**: ``supported`` / ``contradicted`` / ``mixed`` / ``no_data``.
   Thresholds are in ``vocab.yaml``. For "all items" claims each item is
   judged and the share that agrees is reported.
6. **Proxies**: when the exact series is absent (e.g. re-exports from
   Kazakhstan to Russia by HS code), the closest available series from
   ``vocab.yaml``'s proxy list are computed and labelled as proxies; they
   never change the verdict from ``no_data``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

from ..facts import SQLiteFacts, TradeFacts, facts_for
from ..store import Store
from ..store_memo import remembered
from .frames import ClaimFrame, Period, vocab
from .magnitudes import Measure, Verdict, judge


class SeriesRecord(TypedDict):
    """One series as a verification reports it (:meth:`SeriesResult.to_dict`)."""

    reporter: str | None
    partner: str | None
    flow: str
    codes: list[str]                      # ["TOTAL"] = all goods
    label: str
    periods: list[str] | None             # first and last period with data
    granularity: Literal["month", "year"] | None
    window: tuple[str, str] | None
    baseline: tuple[str, str] | None
    window_mean: float | None
    baseline_mean: float | None
    change_pct: float | None
    trend: dict[str, Any] | None
    agrees: bool | None
    note: str | None
    currency: str | None
    source: list[str]
    reporters: list[str]
    proxy: bool
    caveat: str | None
    mirror: bool
    codes_with_data: list[str]            # the spec's codes that have any stored figure in the series


class VerificationRecord(TypedDict):
    """A verified claim as the CLI prints it, the API returns it and the claims table keeps it."""

    claim: str
    frame: dict[str, Any]
    verdict: Verdict
    figures: dict[str, Any]
    series: list[SeriesRecord]
    items: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    legal_basis: list[dict[str, Any]]
    explanation: str


@dataclass
class SeriesSpec:
    reporter: str | None
    partner: str | None
    flow: str
    codes: list[str]          # empty = all goods (TOTAL)
    label: str
    proxy: bool = False
    caveat: str | None = None


@dataclass
class SeriesResult:
    spec: SeriesSpec
    points: dict[str, float]             # period -> value (stored figures only)
    sources: list[str]
    reporters: list[str]
    coverage: tuple[str, str] | None      # first and last period with data
    window: tuple[str, str] | None = None
    baseline: tuple[str, str] | None = None
    window_mean: float | None = None
    baseline_mean: float | None = None
    change: float | None = None          # relative change of the means
    trend: dict[str, Any] | None = None
    agrees: bool | None = None
    note: str | None = None
    currency: str | None = None
    other_granularity: str | None = None   # yearly figures exist too
    codes_with_data: list[str] = field(default_factory=list)

    def to_dict(self) -> SeriesRecord:
        return {
            "reporter": self.spec.reporter, "partner": self.spec.partner, "flow": self.spec.flow,
            "codes": self.spec.codes or ["TOTAL"], "label": self.spec.label,
            "periods": [min(self.points), max(self.points)] if self.points else None,
            "granularity": ("month" if len(next(iter(self.points))) == 7 else "year") if self.points else None,
            "window": self.window, "baseline": self.baseline,
            "window_mean": _round(self.window_mean), "baseline_mean": _round(self.baseline_mean),
            "change_pct": _round(self.change * 100 if self.change is not None and
                                 math.isfinite(self.change) else self.change),
            "trend": self.trend, "agrees": self.agrees, "note": self.note,
            "currency": self.currency, "source": self.sources, "reporters": self.reporters,
            "proxy": self.spec.proxy, "caveat": self.spec.caveat,
            "mirror": getattr(self.spec, "mirror", False),  # see nlp/link/mirror.py
            "codes_with_data": self.codes_with_data,
        }


@dataclass
class Verification:
    claim: str
    frame: ClaimFrame
    verdict: Verdict
    figures: dict[str, Any]
    series: list[SeriesResult]
    explanation: str
    items: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    legal_basis: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> VerificationRecord:
        return {
            "claim": self.claim, "frame": self.frame.to_dict(), "verdict": self.verdict,
            "figures": self.figures, "series": [s.to_dict() for s in self.series],
            "items": self.items, "evidence": self.evidence, "legal_basis": self.legal_basis,
            "explanation": self.explanation,
        }


def _round(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return value
    return round(value, 2)


# -- months ----------------------------------------------------------------------

def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _shift_month(month: str, by: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _span(first: str, last: str) -> int:
    return (int(last[:4]) * 12 + int(last[5:7])) - (int(first[:4]) * 12 + int(first[5:7])) + 1


def _yearly(series: "SeriesResult") -> bool:
    return bool(series.points) and len(next(iter(series.points))) == 4


def _total(series: "SeriesResult", months: tuple[str, str] | None, mean: float | None) -> float | None:
    """The series' total over a month range: its mean per period times the
    periods in the range (years for yearly figures, months for monthly)."""
    if not months or mean is None or len(months[0]) != 7:
        return None
    periods = int(months[1][:4]) - int(months[0][:4]) + 1 if _yearly(series) else _span(*months)
    return _round(mean * periods)


def _range_text(series: "SeriesResult", months: tuple[str, str]) -> str:
    """A month range as an explanation quotes it: years for yearly figures."""
    if not _yearly(series):
        return f"{months[0]}..{months[1]}"
    first, last = months[0][:4], months[1][:4]
    return first if first == last else f"{first}..{last}"


# -- codes -------------------------------------------------------------------

def subject_codes(frame: ClaimFrame) -> dict[str, list[str]]:
    """Item label -> codes. One item per code, or per CHP item of a set."""
    subject = frame.subject or {}
    if subject.get("item_set") == "chp":
        from .. import reference

        tiers = subject.get("tiers")
        items = [i for i in reference.chp_items() if tiers in (None, "all") or i.tier in tiers]
        return {f"{i.hs6} (tier {i.tier})": [i.hs6] for i in items}
    return {code: [code] for code in subject.get("codes", [])}


# -- data access -------------------------------------------------------------

def load_series(store: Store, spec: SeriesSpec, granularity: str | None = None) -> SeriesResult:
    """Sum stored facts per period for a spec (no filling, no interpolation).

    Monthly and yearly figures are never mixed: ``granularity`` picks one
    ("month" or "year"); by default monthly when there is any. "EU27" uses
    the stored EU aggregate when it has figures for the spec, else the sum
    of the member states. When two files give the same observation (same
    reporter, partner, flow, product and period: a bulletin and its next
    edition), the file last in name order counts, never both.
    """
    if granularity is None:
        monthly = load_series(store, spec, "month")
        if monthly.points:
            monthly.other_granularity = "year"
            return monthly
        return load_series(store, spec, "year")
    if spec.reporter == "EU27":
        aggregate = _load(store, spec, granularity, ["EU27"])
        return aggregate if aggregate.points else _load(store, spec, granularity, list(vocab()["eu_members"]))
    return _load(store, spec, granularity, [spec.reporter] if spec.reporter else None)


def _load(store: Store, spec: SeriesSpec, granularity: str, reporters: list[str] | None) -> SeriesResult:
    facts = facts_for(store)
    if isinstance(facts, SQLiteFacts):
        # Remembered while the store is unchanged: one claim asks for a series again (monthly
        # then yearly, the exact series then its items and proxies), and so do the next claims.
        key = ("series", spec.flow, granularity, tuple(reporters or ()), spec.partner, tuple(spec.codes or ()))
        summed = remembered(store, key, lambda: _sum(facts, spec, granularity, reporters))
    else:
        summed = _sum(facts, spec, granularity, reporters)
    points, sources, seen_reporters, coverage, currency, with_data = summed
    return SeriesResult(spec=spec, points=dict(points), sources=list(sources), reporters=list(seen_reporters),
                        coverage=coverage, currency=currency, codes_with_data=list(with_data))


def _sum(facts: TradeFacts, spec: SeriesSpec, granularity: str, reporters: list[str] | None) -> tuple[
        dict[str, float], list[str], list[str], tuple[str, str] | None, str | None, list[str]]:
    """(points, sources, reporters, coverage, currency, codes with data) of a series."""
    observations: dict[tuple, tuple[str, float]] = {}
    currency = None
    for period, reporter, partner, code, path, value, cur in facts.observations(
            flow=spec.flow, granularity=granularity, reporters=reporters, partner=spec.partner,
            codes=spec.codes):
        observations[(period, reporter, partner, code)] = (path, float(value))  # later path wins
        currency = currency or cur
    points: dict[str, float] = {}
    sources, seen_reporters, seen_codes = set(), set(), set()
    for (period, reporter, _, code), (path, value) in observations.items():
        points[period] = points.get(period, 0.0) + value
        sources.add(path)
        seen_reporters.add(reporter)
        seen_codes.add(str(code))
    # The coverage of the source files the series comes from (any product,
    # any partner): inside it, an absent month means no reported trade.
    coverage = facts.coverage(sorted(sources), granularity)
    with_data = [c for c in spec.codes or [] if any(seen.startswith(c) for seen in seen_codes)]
    return dict(sorted(points.items())), sorted(sources), sorted(seen_reporters), coverage, currency, with_data


# -- windows -------------------------------------------------------------------

def _bounds_to_months(period: Period | None, published: dt.date | None,
                      coverage: tuple[str, str] | None) -> tuple[str | None, str | None]:
    if period is None:
        return None, None
    first, last = period.bounds()
    a = _month(first) if first else None
    b = _month(last) if last else (_month(published) if published else (coverage[1] if coverage else None))
    return a, b


def windows(frame: ClaimFrame, coverage: tuple[str, str] | None) -> tuple[tuple[str, str] | None,
                                                                           tuple[str, str] | None, str]:
    """(window, baseline, how the baseline was chosen) as month ranges."""
    published = dt.date.fromisoformat(frame.published) if frame.published else None
    w_first, w_last = _bounds_to_months(frame.period, published, coverage)
    if w_first is None and w_last is not None:  # "before X" as a window: a year up to X
        w_first = _shift_month(w_last, -11)
    if w_first is None:
        return None, None, "no claim period"
    if w_last is None or w_last < w_first:
        # "after April 2023" in an undated text whose data end earlier: no window to measure
        return None, None, f"the claim window starts {w_first}, after the data end"
    window = (w_first, w_last)
    if frame.baseline is not None:
        b_first, b_last = _bounds_to_months(frame.baseline, published, coverage)
        if b_first is None and b_last is not None:
            b_first = _shift_month(b_last, -11)
            return window, (b_first, b_last), f"the 12 months up to {b_last} ({frame.baseline.text})"
        if b_first and b_last:
            return window, (b_first, b_last), f"as stated ({frame.baseline.text})"
    if frame.period is not None and frame.period.mod == "AFTER":
        length = _span(w_first, w_last)
        return window, (_shift_month(w_first, -length), _shift_month(w_first, -1)), \
            "the same length of time before the window"
    return window, (_shift_month(w_first, -12), _shift_month(w_last, -12)), \
        "the same months a year earlier"


def _proxy_note(series: SeriesResult) -> str:
    """How a proxy series that covers the claim window changed."""
    change = series.change if series.change is not None else math.nan
    if math.isfinite(change):
        return f"{series.spec.label} ({change * 100:+.0f}%, covers the window)"
    return f"{series.spec.label} (baseline zero)"


def _mean_over(points: dict[str, float], first: str, last: str, yearly: bool) -> tuple[float | None, int]:
    if yearly:
        years = [str(y) for y in range(int(first[:4]), int(last[:4]) + 1)]
        values = [points[y] for y in years if y in points]
        return (sum(values) / len(values), len(values)) if values else (None, 0)
    months = _months(first, last)
    if not months:  # a window that ends before it starts holds no data
        return None, 0
    present = [points.get(m, 0.0) for m in months]
    return sum(present) / len(months), sum(1 for m in months if m in points)


def _trend(points: dict[str, float], first: str, last: str) -> dict[str, Any] | None:
    months = _months(first, last)
    values = [points.get(m, 0.0) for m in months]
    if len(values) < 4:
        return None
    from scipy import stats

    tau, p_value = stats.kendalltau(range(len(values)), values)
    slope = stats.theilslopes(values, range(len(values)))[0]
    if tau != tau:  # NaN: constant series
        return {"test": "Mann-Kendall", "tau": 0.0, "p": 1.0, "sen_slope_per_month": 0.0}
    return {"test": "Mann-Kendall", "tau": round(float(tau), 3), "p": round(float(p_value), 4),
            "sen_slope_per_month": round(float(slope), 2)}


def claimed_measure(frame: ClaimFrame) -> Measure | None:
    """The frame's claimed change; a bare direction word when no measure was read."""
    if frame.measure:
        m = frame.measure
        return Measure(m["kind"], m.get("direction"), m.get("value"), str(m.get("text") or ""),
                       int(m.get("start", -1)))
    if frame.direction in ("increase", "decrease"):
        return Measure("dir", "up" if frame.direction == "increase" else "down")
    if frame.direction == "stable":
        return Measure("flat", "flat")
    return None


def _agrees_claim(frame: ClaimFrame, change: float | None) -> bool | None:
    measure_ = claimed_measure(frame)
    if measure_ is None or change is None:
        return None
    if not math.isfinite(change):
        return measure_.direction == "up" and measure_.kind in ("dir", "more")
    return judge(measure_, change + 1.0)[0] == "supported"


def _agrees(direction: str | None, change: float | None) -> bool | None:
    if direction is None or change is None:
        return None
    limits = vocab()["thresholds"]
    if direction == "increase":
        return change > limits["increase"]
    if direction == "decrease":
        return change < limits["decrease"]
    if direction == "stable":
        return abs(change) <= limits["stable"]
    return None


def measure(series: SeriesResult, frame: ClaimFrame, store: Store | None = None) -> SeriesResult:
    """Fill in the window figures of a loaded series, or say why not.

    When monthly figures do not cover the window and yearly ones exist,
    the yearly series is measured instead (given the store to load it).
    """
    result = _measure(series, frame)
    if result.change is None and result.other_granularity and store is not None:
        yearly = _measure(load_series(store, series.spec, result.other_granularity), frame)
        if yearly.change is not None or not result.points:
            return yearly
    return result


def _measure(series: SeriesResult, frame: ClaimFrame) -> SeriesResult:
    if not series.points:
        series.note = "no stored figures for this series"
        return series
    window, baseline, how = windows(frame, series.coverage)
    if window is None:
        series.note = "the claim names no period" if how == "no claim period" else how
        return series
    yearly = all(len(p) == 4 for p in series.points)
    cov_first, cov_last = series.coverage or (min(series.points), max(series.points))
    if yearly:
        cov_first, cov_last = cov_first[:4] + "-01", cov_last[:4] + "-12"
    clipped = ""
    if window[1] > cov_last and window[0] <= cov_last and not yearly:
        # The data end inside the window (e.g. December not yet published):
        # compare the months that exist with the same months of the baseline,
        # and say so.
        cut = _span(cov_last, window[1]) - 1
        if _span(window[0], cov_last) >= max(2, _span(*window) // 2):
            clipped = f"window cut to {window[0]}..{cov_last} (data end {cov_last})"
            window = (window[0], cov_last)
            if baseline and baseline[1] > baseline[0]:
                baseline = (baseline[0], _shift_month(baseline[1], -cut))
    if window[0] < cov_first or window[1] > cov_last:
        series.note = f"the data cover {cov_first[:7]}..{cov_last[:7]}, not the claim window {window[0]}..{window[1]}"
        series.window = window
        return series
    if yearly and _span(*window) < 12:
        series.note = f"only yearly figures, and the claim window {window[0]}..{window[1]} is shorter than a year"
        series.window = window
        return series
    series.window, series.baseline = window, baseline
    series.window_mean, n_window = _mean_over(series.points, *window, yearly=yearly)
    if baseline and baseline[0] >= cov_first and baseline[1] <= cov_last:
        series.baseline_mean, _ = _mean_over(series.points, *baseline, yearly=yearly)
        if series.window_mean is None:  # no figure inside the window: nothing to compare
            pass
        elif series.baseline_mean:
            series.change = series.window_mean / series.baseline_mean - 1
        elif series.window_mean:
            series.change = math.inf
        else:
            series.change = 0.0
        series.note = f"baseline: {how}" + (f"; {clipped}" if clipped else "")
    else:
        series.note = f"baseline {baseline} outside the data ({cov_first}..{cov_last})" if baseline else how
    if not yearly:
        span = (baseline[0], window[1]) if baseline and baseline[0] >= cov_first else window
        series.trend = _trend(series.points, *span)
    series.agrees = _agrees_claim(frame, series.change)
    return series


# -- the verdict ------------------------------------------------------------------

def _fill(template: Any, frame: ClaimFrame, **extra: str) -> Any:
    if isinstance(template, str):
        values = {"transit": frame.transit or "", "partner": frame.partner or "",
                  "reporter": frame.reporter or "", **extra}
        return template.format(**values) or None
    return template


def exact_spec(frame: ClaimFrame, codes: list[str]) -> SeriesSpec:
    if frame.transit:
        # "via KZ to RU": what the transit country sent on to the partner.
        return SeriesSpec(reporter=frame.transit, partner=frame.partner, flow="re-export",
                          codes=codes, label=f"re-exports from {frame.transit} to {frame.partner}")
    flow = frame.flow if frame.flow in ("export", "import", "re-export") else "export"
    label = f"{frame.reporter or 'any reporter'} {flow}s to {frame.partner or 'all partners'}"
    return SeriesSpec(reporter=frame.reporter, partner=frame.partner, flow=flow, codes=codes, label=label)


def proxy_specs(frame: ClaimFrame, codes: list[str]) -> list[SeriesSpec]:
    if not frame.transit and frame.flow == "re-export" and frame.reporter:
        # "re-exports from Kazakhstan to Russia": Kazakhstan is the transit.
        frame = ClaimFrame.from_dict({**frame.to_dict(), "transit": frame.reporter, "reporter": None})
    specs = []
    for proxy in vocab()["proxies"]:
        if proxy.get("requires") and not getattr(frame, proxy["requires"]):
            continue
        partners = proxy["partner"] if isinstance(proxy["partner"], list) else [proxy["partner"]]
        for partner in partners:
            reporter = _fill(proxy["reporter"], frame)
            partner_code = _fill(partner, frame) if partner else None
            needs = [v for v in (proxy["reporter"], partner) if isinstance(v, str) and "{" in v]
            if any(not _fill(v, frame) for v in needs):
                continue  # the frame lacks the country this proxy needs
            if reporter == frame.reporter and partner_code == frame.partner and proxy["codes"] == "same":
                continue  # that is the exact series
            specs.append(SeriesSpec(
                reporter=reporter, partner=partner_code, flow=proxy["flow"],
                codes=codes if proxy["codes"] == "same" else [],
                label=_fill(proxy["label"], frame, neighbour=partner_code or ""),
                proxy=True, caveat=_fill(proxy["caveat"], frame, neighbour=partner_code or "")))
    return specs


def _quantifier_all(frame: ClaimFrame) -> bool:
    words = vocab()["all_quantifiers"]
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", frame.text, re.I) for w in words)


def _money(value: float | None, currency: str | None) -> str:
    if value is None:
        return "n/a"
    amount = f"{value / 1e6:,.1f}m" if abs(value) >= 1e6 else f"{value:,.0f}"
    # a file that does not state its unit gets none invented for it
    return f"{currency} {amount}" if currency else f"{amount} (unit not stated)"


def _goods(codes: list[str]) -> str:
    """The goods of a series for a sentence: a long code list is shortened
    (the frame and the series in the JSON keep every code)."""
    if not codes:
        return "all goods"
    if len(codes) <= 6:
        return "HS " + ", ".join(codes)
    return f"{len(codes)} HS codes ({', '.join(codes[:4])}, …)"


def _what(spec: SeriesSpec) -> str:
    goods = _goods(spec.codes)
    direction = "from" if spec.flow == "import" else "to"
    return f"{spec.reporter or 'any reporter'} {spec.flow}s {direction} {spec.partner or 'all partners'} of {goods}"


def _any_observation(store: Store, flow: str, reporters: list[str] | None, partner: str | None,
                     codes: list[str]) -> bool:
    facts = facts_for(store)
    return any(facts.has_observations(flow=flow, granularity=g, reporters=reporters, partner=partner, codes=codes)
               for g in ("month", "year"))


def _missing_series(store: Store, spec: SeriesSpec) -> str:
    """Which part of a series the trade data do not hold: goods, reporter, partner (for this flow)."""
    goods = _goods(spec.codes)
    reporters = list(vocab()["eu_members"]) + ["EU27"] if spec.reporter == "EU27" else \
        ([spec.reporter] if spec.reporter else None)
    if not _any_observation(store, spec.flow, None, None, spec.codes):
        return f"no {spec.flow}s of {goods} in the trade data (product or flow not in the data)"
    if reporters and not _any_observation(store, spec.flow, reporters, None, spec.codes):
        return f"reporter {spec.reporter} is not in the trade data for {spec.flow}s of {goods}"
    if spec.partner and not _any_observation(store, spec.flow, None, spec.partner, spec.codes):
        return f"partner {spec.partner} is not in the trade data for {spec.flow}s of {goods}"
    return f"no figures for {goods} in this series (product not in the data for this pair)"


def code_coverage(store: Store, code: str, flow: str = "export") -> tuple[str, str] | None:
    """First and last month with any figure for a code (any reporter and partner)."""
    periods = [o.period for o in facts_for(store).observations(
        flow=flow, granularity="month", reporters=None, partner=None, codes=[code])]
    return (min(periods), max(periods)) if periods else None


def _comparability(store: Store, codes: list[str], window: tuple[str, str], baseline: tuple[str, str] | None,
                   coverage: tuple[str, str] | None, flow: str = "export", by_data: bool = True) -> str | None:
    """Why a change over these codes is not comparable, or None.

    A code new in HS 2022 (8806 drones, 8807.30) has no figures before 2022;
    one that HS 2022 dropped or that a national nomenclature split away has
    none after. A window or baseline outside a code's own months would compare
    a series with itself missing: never a verdict.
    """
    from .. import products

    spans = [window] + ([baseline] if baseline else [])
    first_month = min(a for a, _ in spans)
    last_month = max(b for _, b in spans)
    for code in codes:
        if first_month < "2022-01" and len(code) >= 6 and not products.in_edition(code, "hs2017") \
                and products.in_edition(code, "hs2022"):
            return f"HS {code} exists only from HS 2022 (January 2022): not comparable with {first_month}"
        if last_month >= "2022-01" and len(code) >= 6 and not products.in_edition(code, "hs2022") \
                and products.in_edition(code, "hs2017"):
            return f"HS {code} ended with HS 2017 (December 2021): not comparable with {last_month}"
        # a named item set (dozens of codes) is checked by edition only: one data scan per code is too slow
        own = code_coverage(store, code, flow) if by_data and len(codes) <= 6 else None
        if own is None or coverage is None:
            continue
        if own[0] > coverage[0] and first_month < own[0]:
            return f"figures for HS {code} start in {own[0]} (a nomenclature change): not comparable with {first_month}"
        if own[1] < coverage[1] and last_month > own[1]:
            return f"figures for HS {code} end in {own[1]} (a nomenclature change): not comparable with {last_month}"
    return None


def verify_frame(frame: ClaimFrame, store: Store) -> Verification:
    items = subject_codes(frame)
    codes = sorted({c for cs in items.values() for c in cs})
    claim = claimed_measure(frame)
    spec = exact_spec(frame, codes)
    if frame.subject.get("unresolved"):
        why = f"product not identified: {frame.subject['unresolved']!r} matches no HS code with enough confidence"
        return Verification(claim=frame.text, frame=frame, verdict="no_data", figures={}, series=[],
                            explanation=why)
    if claim is None:
        return Verification(claim=frame.text, frame=frame, verdict="no_data", figures={}, series=[],
                            explanation="the sentence states no change to check")
    exact = measure(load_series(store, spec), frame, store)
    left_out: list[str] = []
    if frame.subject.get("item_set") and exact.window and len(codes) > 1:
        # A named set ("all CHP items") is checked over the items that are
        # comparable across the window and baseline; the others are listed.
        left_out = [c for c in codes
                    if _comparability(store, [c], exact.window, exact.baseline, exact.coverage, spec.flow,
                                      by_data=False)]
        if left_out and len(left_out) < len(codes):
            codes = [c for c in codes if c not in left_out]
            items = {label: cs for label, cs in items.items() if not set(cs) & set(left_out)}
            spec = exact_spec(frame, codes)
            exact = measure(load_series(store, spec), frame, store)
    # -- mirror data (nlp/link/mirror.py): the partner's side when the own series is missing, labelled
    from .mirror import mirror_series
    mirrored = mirror_series(exact, frame, store, measure)
    if mirrored is not None:
        exact, spec = mirrored, mirrored.spec
    # --
    series = [exact]
    per_item: list[dict[str, Any]] = []
    if exact.window_mean is not None and len(items) > 1:
        for label, item_codes in items.items():
            result = measure(load_series(store, exact_spec(frame, item_codes)), frame, store)
            if result.points:
                per_item.append({"item": label, "codes": item_codes, "agrees": result.agrees,
                                 "change_pct": _round(result.change * 100) if result.change is not None
                                 and math.isfinite(result.change) else result.change,
                                 "window_mean": _round(result.window_mean),
                                 "baseline_mean": _round(result.baseline_mean)})
    figures: dict[str, Any] = {"measure": claim.to_dict()}
    if exact.change is not None and exact.window_mean is not None:
        ratio = exact.window_mean / exact.baseline_mean if exact.baseline_mean else math.inf
        figures.update({"window": exact.window, "baseline": exact.baseline,
                        "window_mean": _round(exact.window_mean), "baseline_mean": _round(exact.baseline_mean),
                        "window_total": _total(exact, exact.window, exact.window_mean),
                        "baseline_total": _total(exact, exact.baseline, exact.baseline_mean),
                        "ratio": round(ratio, 4) if math.isfinite(ratio) else None,
                        "change_pct": exact.to_dict()["change_pct"], "currency": exact.currency,
                        "trend": exact.trend})
    judged = [i for i in per_item if i["agrees"] is not None]
    if judged:
        share = sum(1 for i in judged if i["agrees"]) / len(judged)
        figures["items_with_data"] = len(judged)
        figures["items_agreeing"] = sum(1 for i in judged if i["agrees"])
        figures["share_agreeing"] = round(share, 3)

    verdict: Verdict = "no_data"
    not_comparable = None
    if exact.window and exact.baseline and exact.window == exact.baseline:
        not_comparable = "window and baseline are the same months: no change to measure"
    elif exact.window and codes:
        not_comparable = _comparability(store, codes, exact.window, exact.baseline, exact.coverage, spec.flow)
    if not exact.points:
        why = f"no data for {_what(spec)}: {_missing_series(store, spec)}"
    elif not_comparable:
        why = f"no verdict for {_what(spec)}: {not_comparable}"
    elif exact.change is None:
        why = f"no data for {_what(spec)}: {exact.note}"
    elif not exact.baseline_mean:
        why = (f"{_what(spec)}: the baseline {exact.baseline[0]}..{exact.baseline[1]} is zero "
               f"({_money(exact.window_mean, exact.currency)} a month in the window), so no ratio") if exact.baseline \
            else f"{_what(spec)}: no baseline"
        if claim.kind in ("dir", "more") and claim.direction == "up" and exact.window_mean:
            verdict = "supported"
    elif _quantifier_all(frame) and judged:
        need = vocab()["thresholds"]["all_items_share"]
        if exact.agrees and figures["share_agreeing"] >= need:
            verdict = "supported"
        elif not exact.agrees and figures["share_agreeing"] <= 1 - need:
            verdict = "contradicted"
        else:
            verdict = "mixed"
        why = (f"{figures['items_agreeing']} of {len(judged)} items with data agree with the claim; "
               f"the total changed {figures['change_pct']:+}%")
    else:
        # a change was measured, so both means and both month ranges are set
        assert exact.window_mean is not None and exact.window and exact.baseline
        ratio = exact.window_mean / exact.baseline_mean
        verdict, clear = judge(claim, ratio)
        w, b = _range_text(exact, exact.window), _range_text(exact, exact.baseline)
        wt = figures["window_total"] if figures.get("window_total") is not None else exact.window_mean
        bt = figures["baseline_total"] if figures.get("baseline_total") is not None else exact.baseline_mean
        why = (f"{_what(spec)}: {_money(wt, exact.currency)} in {w} against "
               f"{_money(bt, exact.currency)} in {b} ({(ratio - 1) * 100:+.1f}%, ratio {ratio:.2f}); "
               f"claimed {claim.describe()}, so {verdict} ({claim.rule()}"
               + ("" if clear else "; between the two limits, nearer this side") + ").")
        figures["clear"] = clear
    if exact.note and "cut" in (exact.note or "") and verdict != "no_data":
        why += " " + exact.note.split("; ", 1)[-1] + "."
    if verdict != "no_data" and 0 < len(exact.codes_with_data) < len(exact.spec.codes or []):
        # the figures are a sum over part of the claimed goods: say which part
        shown = ", ".join(exact.codes_with_data[:6]) + (" …" if len(exact.codes_with_data) > 6 else "")
        why += (f" The store has figures for {len(exact.codes_with_data)} of the {len(exact.spec.codes)} codes "
                f"({shown}); the verdict rests on those.")
    if getattr(exact.spec, "mirror", False):  # never silently: the verdict says it rests on a mirror
        from .mirror import explanation as mirror_explanation
        why += "; " + mirror_explanation(exact)
    if verdict == "no_data":
        window = exact.window
        proxies = [s for s in (measure(load_series(store, spec_), frame, store)
                               for spec_ in proxy_specs(frame, codes)) if s.points]
        covering = [s for s in proxies if s.change is not None]
        partial = [s for s in proxies if s.change is None and window and s.points
                   and any(window[0] <= p[:7] <= window[1] for p in s.points)]
        series += covering + partial
        if covering or partial:
            why += "; proxies: " + "; ".join(
                [_proxy_note(s) for s in covering]
                + [f"{s.spec.label} (covers only part of the window)" for s in partial])
        else:
            why += "; no proxy series covers the claim window"
    if left_out:
        why += f" Left out as not comparable across HS editions: HS {', '.join(left_out)}."
        figures["left_out"] = left_out
    if frame.subject.get("approximate"):
        why += f"; note: {frame.subject['label']}"
    return Verification(claim=frame.text, frame=frame, verdict=verdict, figures=figures,
                        series=series, explanation=why, items=per_item)


def legal_basis(frame: ClaimFrame, store: Store, limit: int = 8) -> list[dict[str, Any]]:
    """CHP entries for the claim's codes and stored acts that name them."""
    from .. import reference

    items = subject_codes(frame)
    codes = sorted({c for cs in items.values() for c in cs})
    basis: list[dict[str, Any]] = []
    for code in codes[:limit]:
        for item in reference.chp_items_under(code) if len(code) < 6 else \
                [i for i in reference.chp_items() if i.hs6 == code[:6]]:
            basis.append({"kind": "chp", "code": item.hs6, "tier": item.tier,
                          "description": item.description,
                          "source": "Common High Priority List (2024-02-23)"})
    for act in store.acts_mentioning_codes(codes, limit=max(0, limit * 2 - len(basis))):
        basis.append({"kind": "act", **act})
    return basis
