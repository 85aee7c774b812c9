"""Eurostat Comext readers: the spreadsheet export (a sheet per CN8 product,
month columns), the derived sanctioned-exports table and the CSV relational
view.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...records import ReadResult
from ..registry import ReadError, reader, suffix
from .facts import FactBuilder, flow_of, period_of, to_number
from .sheets import _csv_rows, _has, _xlsx_hint, _xlsx_sheets, _xlsx_sheets_fast

# -- Eurostat Comext spreadsheet export -----------------------------------------

_BRACKET_CODE = re.compile(r"\[(\d{2,10})\]\s*$")


@reader("comext-xlsx", "Eurostat Comext spreadsheet export (sheet per CN8 product, month columns)",
        sniff=lambda path, head: suffix(path) == "xlsx" and (
            "comext" in path.name.casefold()
            or {"Summary", "Structure", "Sheet 1"} <= _xlsx_hint(path, head)[0]), priority=60)
def read_comext_xlsx(path: Path, data: bytes) -> ReadResult:
    build = FactBuilder(path, data, "Eurostat Comext: EU trade by CN8 product, reporter and partner")
    found_sheet = False
    for sheet, rows in _xlsx_sheets_fast(data):
        meta = {str(r[0]).strip(): r[2] for r in rows[:12] if len(r) >= 3 and r[0]}
        product = str(next((v for k, v in meta.items() if k.upper().startswith("PRODUCT")), None) or "")
        time_row = next((i for i, r in enumerate(rows[:20]) if r and r[0] == "TIME"), None)
        if time_row is None or not product:
            if sheet == "Summary":
                title = next((str(r[0]) for r in rows if r and r[0]), "")
                if title:
                    build.notes["dataset"] = title[:200]
            continue
        if "extracted" not in build.notes and rows and rows[0] and rows[0][0]:
            build.notes["extracted"] = str(rows[0][0])[:120]  # "Data extracted on 21/01/2023 ..."
        found_sheet = True
        match = _BRACKET_CODE.search(product)
        code = match[1] if match else product
        label = _BRACKET_CODE.sub("", product).strip().split(";")[0]
        label = re.sub(r"\(\d{4}-\d{4}\)$", "", label).strip()
        flow = flow_of(next((v for k, v in meta.items() if k.upper().startswith("FLOW")), None)) or "export"
        indicator = str(next((v for k, v in meta.items() if k.upper().startswith("INDICATOR")), None) or "")
        currency = "EUR" if "EURO" in indicator.upper() else None
        if currency is None:
            build.skipped["non-value indicator sheets"] += 1
            continue
        periods = [period_of(c) for c in rows[time_row]]
        for number, row in enumerate(rows[time_row + 3:], start=time_row + 4):
            if len(row) < 3 or not row[0] or not row[1]:
                continue
            for column in range(2, min(len(row), len(periods))):
                value, period = to_number(row[column]), periods[column]
                if value is None or period is None:
                    continue
                build.add(reporter_label=row[0], partner_label=row[1], flow=flow, code=code,
                          code_system="CN" if len(code) == 8 else None, period=period,
                          value=value, currency=currency, product_label=label,
                          location=f"{sheet}!{number}")
    if not found_sheet:
        raise ReadError("unrecognised trade table: expected Comext sheets with PRODUCT/FLOW/INDICATORS "
                        "and a TIME row")
    return build.result()


@reader("comext-sanctioned-xlsx",
        "Derived EU exports of sanction-listed CN8 goods per partner x reporter x month",
        sniff=lambda path, head: suffix(path) == "xlsx" and (
            "sanctioned" in path.name.casefold() or "sanctioned_export" in _xlsx_hint(path, head)[1]),
        priority=60)
def read_sanctioned_xlsx(path: Path, data: bytes) -> ReadResult:
    build = FactBuilder(path, data, "EU exports of sanction-listed CN8 goods by partner, reporter and month "
                                    "(derived from Eurostat Comext)")
    for sheet, rows in _xlsx_sheets(data):
        if not rows:
            continue
        header = [str(c or "").strip().casefold() for c in rows[0]]
        needed = ("partner", "reporter", "month")
        if not all(n in header for n in needed) or not any("export" in h for h in header):
            raise ReadError("unrecognised trade table: expected columns partner, reporter, month, "
                            f"*_export; got {', '.join(h for h in header if h)}")
        col = {n: header.index(n) for n in needed}
        value_col = next(i for i, h in enumerate(header) if "export" in h)
        for number, row in enumerate(rows[1:], start=2):
            value = to_number(row[value_col]) if len(row) > value_col else None
            period = period_of(row[col["month"]]) if len(row) > col["month"] else None
            if value is None or period is None:
                continue
            build.add(reporter_label=row[col["reporter"]], partner_label=row[col["partner"]],
                      flow="export", code="SANCTIONED-CN8-SET", code_system="LABEL",
                      product_label="all CN8 goods on the EU export-sanctions list for Russia "
                                    "(as compiled by the source author), summed",
                      period=period, value=value, currency="EUR", location=f"{sheet}!{number}")
    build.notes["unit_note"] = "EUR (Comext VALUE_IN_EUROS summed over the sanctioned CN8 set)"
    return build.result()


# -- Comext CSV relational view -------------------------------------------------

@reader("comext-csv", "Eurostat Comext CSV export (REPORTER,PARTNER,PRODUCT,FLOW,...,PERIOD,VALUE_IN_EUR)",
        sniff=lambda path, head: suffix(path) == "csv" and _has(head, "REPORTER", "PARTNER", "PRODUCT",
                                                               "FLOW", "PERIOD"),
        priority=60)
def read_comext_csv(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    value_col = next((h for h in header if h.upper().startswith("VALUE")), None)
    if value_col is None:
        raise ReadError("unrecognised trade table: expected a VALUE_IN_EUR column")
    currency = "EUR" if "EUR" in value_col.upper() else None
    build = FactBuilder(path, data, "Eurostat Comext export: EU trade by reporter and partner")
    build.notes.update(notes)
    for number, row in enumerate(rows, start=2):
        value = to_number(row.get(value_col))
        period = period_of(row.get("PERIOD"))
        if value is None or period is None:
            build.skipped["no value or period"] += 1
            continue
        product = str(row.get("PRODUCT") or "").strip()
        code, _, label = product.partition("-")
        if code.casefold() == "total" or product.casefold() == "total":
            code, label = "TOTAL", "Total"
        build.add(reporter_label=row.get("REPORTER"), partner_label=row.get("PARTNER"),
                  flow=flow_of(row.get("FLOW")) or "export", code=code.strip(),
                  product_label=label.strip() or None, period=period, value=value,
                  currency=currency, location=f"csv!{number}")
    return build.result()
