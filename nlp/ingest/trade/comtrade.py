"""International series: UN Comtrade-style CSV and IMF IMTS wide CSV.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...countries import code_of
from ...records import ReadResult
from ..registry import ReadError, reader, suffix
from .countries import country_code
from .facts import FactBuilder, currency_of, flow_of, period_of, scale_of, scaled, to_number
from .sheets import _csv_rows, _has

# -- UN Comtrade-style CSV --------------------------------------------------------

@reader("comtrade-csv", "UN Comtrade-style CSV (period, reporter, partner_iso, commodity_code, trade_flow, "
        "trade_value_us)",
        sniff=lambda path, head: suffix(path) == "csv" and _has(head, "period", "reporter", "partner",
                                                               "commodity_code", "trade_flow"),
        priority=60)
def read_comtrade_csv(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    value_col = next((h for h in ("trade_value_us", "primaryValue", "trade_value") if h in header), None)
    if value_col is None:
        raise ReadError("unrecognised trade table: expected a trade_value_us column")
    build = FactBuilder(path, data, "UN Comtrade extract: trade by reporter, partner and commodity")
    build.notes.update(notes)
    for number, row in enumerate(rows, start=2):
        value = to_number(row.get(value_col))
        period = period_of(row.get("period"))
        flow = flow_of(row.get("trade_flow"))
        if value is None or period is None or flow is None:
            build.skipped["no value, period or flow"] += 1
            continue
        partner_iso = str(row.get("partner_iso") or "").strip()
        partner = country_code(partner_iso) if partner_iso else None
        if partner_iso.upper() in ("WLD", "W00"):
            partner = "WORLD"
        build.add(reporter_label=row.get("reporter"), partner_label=row.get("partner"),
                  partner=partner if partner and partner != "ZZ" else None,
                  flow=flow, code=row.get("commodity_code"), code_system="HS",
                  product_label=(row.get("commodity") or None), period=period, value=value,
                  currency="USD", quantity=to_number(row.get("netweight_kg")),
                  quantity_unit="kg" if to_number(row.get("netweight_kg")) is not None else None,
                  location=f"csv!{number}")
    return build.result()


@reader("imf-imts-csv", "IMF IMTS CSV (wide year columns, COUNTERPART_COUNTRY, SCALE, TRADE_FLOW)",
        sniff=lambda path, head: suffix(path) == "csv" and _has(head, "COUNTRY", "COUNTERPART_COUNTRY",
                                                               "TRADE_FLOW"),
        priority=60)
def read_imf_imts(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    years = [h for h in header if re.fullmatch(r"(19|20)\d\d", h)]
    if not years:
        raise ReadError("unrecognised trade table: IMF IMTS CSV without year columns")
    build = FactBuilder(path, data, "IMF IMTS: goods trade by counterpart country")
    build.notes.update(notes)
    for number, row in enumerate(rows, start=2):
        flow = flow_of(row.get("TRADE_FLOW")) or flow_of(row.get("INDICATOR"))
        scale = scale_of(row.get("SCALE") or "")
        indicator = row.get("INDICATOR") or ""
        currency = currency_of(indicator) or ("USD" if "USD" in (row.get("INDICATOR.ID") or "") else None)
        reporter_iso3 = (row.get("COUNTRY.ID") or "").strip()
        partner_iso3 = (row.get("COUNTERPART_COUNTRY.ID") or "").strip()
        partner = code_of(partner_iso3) if partner_iso3 else None
        if partner_iso3 in ("G001", "W00", "WLD"):
            partner = "WORLD"
        for year in years:
            value = to_number(row.get(year))
            if value is None or flow is None:
                continue
            build.add(reporter_label=row.get("COUNTRY"), reporter=code_of(reporter_iso3) if reporter_iso3 else None,
                      partner_label=row.get("COUNTERPART_COUNTRY"), partner=partner, flow=flow,
                      code="TOTAL", product_label=indicator or None, period=year,
                      value=scaled(value, scale), currency=currency, location=f"csv!{number}")
    build.notes["unit_note"] = "source in USD millions, multiplied out"
    return build.result()
