"""National statistics tables: Armenia (re-export estimates, official RX
series, by-country table), Kazakhstan BNS (bulletin ``.xls``, monthly exports
CSV), Kyrgyz NSC trilingual yearly tables, Russian FTS/Rosstat tables.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

from ...records import ReadResult
from ..registry import ReadError, reader, suffix
from .countries import country_code
from .facts import (
    FOOTNOTE,
    FactBuilder,
    currency_of,
    flow_of,
    period_of,
    russian_month,
    scale_of,
    scaled,
    slug,
    to_number,
    unit_note,
)
from .sheets import _cells_text, _csv_rows, _has, _sheets, _xlsx_hint

# -- Armenia (tvyal newsletter) -------------------------------------------------

@reader("armenia-reexports-csv", "Estimated Armenian re-exports (and total exports) by HS6 and month (USD)",
        sniff=lambda path, head: suffix(path) == "csv" and _has(head, "period", "commodity_code",
                                                               "reexports"),
        priority=60)
def read_armenia_reexports(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    build = FactBuilder(path, data, "Armenia: estimated re-exports by HS6 product and month")
    build.notes.update(notes)
    # The file's "reexports_text" column prints reexports / 1e6 with one
    # decimal ("750.4" for 750448639.12), so "reexports" is in whole USD.
    build.notes["unit_note"] = "USD (reexports_text = reexports / 1e6, i.e. millions)"
    # "X" is the same product's total exports that month, so a claim such as
    # "re-exports were 89.5 % of exports" can be checked against both.
    for number, row in enumerate(rows, start=2):
        period = period_of(row.get("period"))
        for column, flow in (("reexports", "re-export"), ("X", "export")):
            value = to_number(row.get(column))
            if value is None or period is None:
                build.skipped[f"no {column} value or period"] += 1
                continue
            build.add(reporter_label="Armenia", partner_label="World", flow=flow,
                      code=row.get("commodity_code"), code_system="HS",
                      product_label=row.get("commodity") or None, period=period, value=value,
                      currency="USD", location=f"csv!{number}")
    return build.result()


@reader("armenia-official-rx-csv", "Armenia official re-exports (RX) and exports (X) by year",
        sniff=lambda path, head: suffix(path) == "csv" and _has(head, "year", "RX", "X"), priority=60)
def read_armenia_official_rx(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    build = FactBuilder(path, data, "Armenia: official re-exports and total exports by year")
    build.notes.update(notes)
    build.notes["unit_note"] = "USD assumed (magnitudes match Armenia's exports in USD)"
    for number, row in enumerate(rows, start=2):
        period = period_of(row.get("year"))
        for column, flow in (("RX", "re-export"), ("X", "export")):
            value = to_number(row.get(column))
            if value is None or period is None:
                continue
            build.add(reporter_label="Armenia", partner_label="World", flow=flow, code="TOTAL",
                      period=period, value=value, currency="USD", location=f"csv!{number}")
    return build.result()


@reader("armenia-country-csv", "Armenia trade by partner country and month (unit not stated)",
        sniff=lambda path, head: suffix(path) == "csv" and _has(head, "country", "year", "month", "export",
                                                               "import_origin"),
        priority=60)
def read_armenia_country(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    build = FactBuilder(path, data, "Armenia: exports and imports by partner country and month")
    build.notes.update(notes)
    build.notes["unit_note"] = ("unit not stated in the file: currency recorded as unknown, "
                                "values kept as printed")
    build.notes["unit_stated"] = False
    for number, row in enumerate(rows, start=2):
        year, month = to_number(row.get("year")), to_number(row.get("month"))
        if year is None or month is None:
            build.skipped["no period"] += 1
            continue
        period = f"{int(year):04d}-{int(month):02d}"
        # import_origin = by country of origin (the usual import partner);
        # import_consignment (by consigning country) is a second view of the
        # same imports and is left out rather than double counted.
        for column, flow in (("export", "export"), ("import_origin", "import")):
            value = to_number(row.get(column))
            if value is None:
                continue
            build.add(reporter_label="Armenia", partner_label=row.get("country"), flow=flow,
                      code="TOTAL", period=period, value=value, currency=None,
                      location=f"csv!{number}")
    return build.result()


# -- Kazakhstan BNS ------------------------------------------------------------------

def _kz_bulletin(path: Path, head: bytes) -> bool:
    if suffix(path) not in ("xls", "xlsx"):
        return False
    name = path.name.casefold()
    if ("kz" in name or "kazakh" in name or "казахстан" in name) and ("trade" in name or "торгов" in name):
        return True
    # BIFF stores these strings as UTF-16LE in the shared-string table.
    return all(word.encode("utf-16-le") in head for word in ("Экспорт", "Казахстан")) or \
        ("внешней торговли Республики Казахстан" in _xlsx_hint(path, head)[1])


@reader("kz-bns-xls", "Kazakhstan BNS bulletin: trade by partner country (thousand USD)",
        sniff=_kz_bulletin, priority=60)
def read_kz_bulletin(path: Path, data: bytes) -> ReadResult:
    build = FactBuilder(path, data, "Kazakhstan (BNS): main indicators of foreign trade by partner country")
    found = False
    for sheet, rows in _sheets(path, data):
        period = period_of(sheet.strip())
        header_row = next((i for i, r in enumerate(rows[:12])
                           if any("экспорт" in str(c).casefold() for c in r)), None)
        if period is None or header_row is None:
            build.keep_sheet(sheet, rows)  # cover, legend, methodology
            build.published = build.published or _printed_date(rows)
            continue
        head_text = _cells_text(rows[:header_row + 2], 12)
        scale, currency = scale_of(head_text), currency_of(head_text)
        if currency is None:
            raise ReadError(f"unrecognised trade table: sheet {sheet!r} states no currency")
        columns = {}
        for i, cell in enumerate(rows[header_row]):
            flow = flow_of(cell)
            if flow in ("export", "import"):
                columns[flow] = i  # the "total" column sits under the flow heading
        found = True
        for number, row in enumerate(rows[header_row + 2:], start=header_row + 3):
            label = str(row[0]).strip() if row and row[0] is not None else ""
            if not label:
                continue
            for flow, column in columns.items():
                value = to_number(row[column]) if column < len(row) else None
                if value is None:
                    continue
                build.add(reporter_label="Kazakhstan", reporter="KZ", partner_label=label, flow=flow,
                          code="TOTAL", period=period, value=scaled(value, scale), currency=currency,
                          location=f"{sheet}!{number}")
    if not found:
        raise ReadError("unrecognised trade table: expected year sheets with Экспорт/Импорт columns")
    build.notes["unit_note"] = unit_note(scale, currency)
    return build.result()


@reader("kz-bns-exports-csv", "Kazakhstan BNS total monthly exports (date, value, transformation)",
        sniff=lambda path, head: suffix(path) == "csv" and _has(head, "date", "value", "transformation"),
        priority=55)
def read_kz_exports_csv(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    build = FactBuilder(path, data, "Kazakhstan (BNS): total exports by month")
    build.notes.update(notes)
    flow = "import" if "import" in path.name.casefold() else "export"
    # Unit not stated; magnitudes (e.g. ~5.35 million for 2019-01) match BNS
    # monthly exports in thousand USD, so values are multiplied by 1,000.
    build.notes["unit_note"] = "unit not stated in the file; read as thousand USD (magnitudes match BNS)"
    for number, row in enumerate(rows, start=2):
        value, period = to_number(row.get("value")), period_of(row.get("date"))
        if value is None or period is None or (row.get("transformation") or "level") != "level":
            build.skipped["no value/period or not a level"] += 1
            continue
        build.add(reporter_label="Kazakhstan", reporter="KZ", partner_label="World", flow=flow,
                  code="TOTAL", period=period, value=scaled(value, 1e3), currency="USD",
                  location=f"csv!{number}")
    return build.result()


# -- Kyrgyz NSC ------------------------------------------------------------------------

def _printed_date(rows: list[tuple]) -> str | None:
    """'Дата опубликования: 25.07.2024' or '" 10 " марта 2022 года' -> ISO date."""
    from ..textutil import parse_date

    for row in rows:
        for cell in row:
            text = " ".join(str(cell or "").replace('"', " ").split())
            match = re.search(r"опубликования:\s*(\d\d\.\d\d\.\d{4})", text) or \
                re.fullmatch(r"(\d{1,2}\s+[а-я]+\s+\d{4})\s+года", text)
            if match:
                found = parse_date(match[1], languages=["ru"])
                if found:
                    return found
    return None


def _is_kg_nsc(path: Path, head: bytes) -> bool:
    name = path.name.casefold()
    if suffix(path) not in ("xlsx", "xls"):
        return False
    return bool(re.search(r"4\.03\.00\.\d\d", name) or "kg_nsc" in name
                or re.search(r"4\.03\.00\.\d\d", _xlsx_hint(path, head)[1]))


@reader("kg-nsc-xlsx", "Kyrgyz NSC trilingual yearly trade tables (4.03.00.xx)", sniff=_is_kg_nsc,
        priority=60)
def read_kg_nsc(path: Path, data: bytes) -> ReadResult:
    build: FactBuilder | None = None
    for sheet, rows in _sheets(path, data):
        year_row = next((i for i, r in enumerate(rows[:10])
                         if sum(1 for c in r[3:] if len(period_of(c) or "") == 4) >= 5), None)
        if year_row is None:
            continue
        title = " ".join(str(c).strip() for c in rows[0][:3] if c)
        english_title = str(rows[0][2] or title).strip()
        head_text = _cells_text(rows[:year_row + 1], 6)
        currency, scale = currency_of(head_text), scale_of(head_text)
        flow = flow_of(english_title) or flow_of(title) or "export"
        # Partner tables list countries and groups; commodity tables list
        # goods. Decide by the row labels rather than by the title wording.
        labels = [str(r[2]).strip() for r in rows[year_row + 1:] if len(r) > 2 and r[2]]
        known = sum(1 for label in labels if country_code(label) != "ZZ")
        by_commodity = known < max(2, len(labels) // 4)
        if build is None:
            build = FactBuilder(path, data, f"Kyrgyz Republic (NSC): {FOOTNOTE.sub('', english_title)}")
            build.notes["unit_note"] = unit_note(scale, currency)
        periods = [period_of(c) if i >= 3 else None for i, c in enumerate(rows[year_row])]
        for number, row in enumerate(rows[year_row + 1:], start=year_row + 2):
            label_en = str(row[2]).strip() if len(row) > 2 and row[2] else ""
            label = label_en or (str(row[1]).strip() if len(row) > 1 and row[1] else "")
            if not label:
                continue
            for column in range(3, min(len(row), len(periods))):
                value, period = to_number(row[column]), periods[column]
                if value is None or period is None:
                    continue
                if by_commodity:
                    clean = FOOTNOTE.sub("", label).strip()
                    is_total = clean.casefold() == "total"
                    build.add(reporter_label="Kyrgyzstan", reporter="KG", partner_label="World",
                              partner="WORLD", flow=flow,
                              code="TOTAL" if is_total else slug(clean),
                              code_system=None if is_total else "LABEL",
                              product_label=None if is_total else clean, period=period,
                              value=scaled(value, scale), currency=currency,
                              location=f"{sheet}!{number}")
                else:
                    build.add(reporter_label="Kyrgyzstan", reporter="KG",
                              partner_label=FOOTNOTE.sub("", label).strip(), flow=flow, code="TOTAL",
                              period=period, value=scaled(value, scale), currency=currency,
                              location=f"{sheet}!{number}")
    if build is None:
        raise ReadError("unrecognised trade table: expected an NSC table with a row of years")
    return build.result()


# -- Russia: FTS and IMF -----------------------------------------------------------------

def _is_ru_fts(path: Path, head: bytes) -> bool:
    name = path.name.casefold()
    if suffix(path) not in ("xlsx", "xls"):
        return False
    if name.startswith(("ru_fts", "ru_trade")):
        return True
    sheets, shared = _xlsx_hint(path, head)
    if {"Экспорт", "Импорт"} <= sheets:
        return True
    return bool(re.search(r"Российской Федерации|России|ТН ВЭД", shared)
                and re.search(r"экспорт|импорт", shared, re.I))


def _fts_main_partners(build: FactBuilder, sheet: str, rows: list[tuple]) -> bool:
    """Monthly sheets: year rows, then month rows; one column per partner."""
    flow = flow_of(sheet) or flow_of(_cells_text(rows[:4], 4))
    header_row = next((i for i, r in enumerate(rows[:10]) if sum(1 for c in r[1:] if isinstance(c, str)) >= 5),
                      None)
    if flow is None or header_row is None:
        return False
    head_text = _cells_text(rows[:header_row], 6)
    scale, currency = scale_of(head_text), currency_of(head_text)
    partners = rows[header_row]
    build.notes["unit_note"] = unit_note(scale, currency)
    year = None
    for number, row in enumerate(rows[header_row + 1:], start=header_row + 2):
        first = row[0] if row else None
        if len(period_of(first) or "") == 4:
            year = period_of(first)
            continue
        month = russian_month(first) if isinstance(first, str) else None
        if year is None or month is None:
            continue
        for column in range(1, min(len(row), len(partners))):
            value = to_number(row[column])
            if value is None or not partners[column]:
                continue
            build.add(reporter_label="Россия", reporter="RU", partner_label=partners[column], flow=flow,
                      code="TOTAL", period=f"{year}-{month:02d}", value=scaled(value, scale),
                      currency=currency, location=f"{sheet}!{number}")
    return True


def _fts_two_period_table(build: FactBuilder, sheet: str, rows: list[tuple], by: str) -> bool:
    """FTS/Rosstat comparison tables: a row of flow headings and a row of
    period headings (either above the other), values below.

    ``by`` = ``"product"`` (rows are HS chapters / commodity groups, partner
    = world) or ``"partner"`` (rows are country groups, product = total).
    Turnover and growth-rate columns are not facts and are skipped.
    """
    flow_row = next((i for i, r in enumerate(rows[:10]) if sum(1 for c in r if flow_of(c)) >= 2), None)
    if flow_row is None:
        return False
    period_row = next((i for i in (flow_row - 1, flow_row + 1) if 0 <= i < len(rows)
                       and sum(1 for c in rows[i] if _period_text(c)) >= 2), None)
    if period_row is None:
        return False
    head_text = _cells_text(rows[:min(flow_row, period_row)], 6)
    scale, currency = scale_of(head_text), currency_of(head_text)

    def spread(row: tuple, parse: Callable[[Any], str | None]) -> list[str | None]:
        # Merged heading cells: a heading holds for the columns to its right
        # until the next heading.
        out, current = [], None
        for cell in row:
            if cell not in (None, ""):
                current = parse(cell)
            out.append(current)
        return out

    flows = spread(rows[flow_row], flow_of)
    periods = spread(rows[period_row], lambda c: _period_text(c) or None)
    # A growth-rate or turnover heading is not a flow/period, so spreading
    # resets to None there and those columns drop out.
    lower = rows[max(flow_row, period_row)]
    columns = [(i, str(flows[i]), str(periods[i])) for i in range(1, min(len(flows), len(periods)))
               if flows[i] in ("export", "import") and periods[i]
               and i < len(lower) and lower[i] not in (None, "")]
    if not columns:
        return False
    build.notes["unit_note"] = unit_note(scale, currency)
    for number, row in enumerate(rows[max(flow_row, period_row) + 1:], start=max(flow_row, period_row) + 2):
        label = " ".join(str(row[0]).split()) if row and row[0] is not None else ""
        if not label or _INCLUDING.match(label):
            continue
        for column, flow, period in columns:
            value = to_number(row[column]) if column < len(row) else None
            if value is None:
                continue
            if by == "partner":
                build.add(reporter_label="Россия", reporter="RU", partner_label=label, flow=flow,
                          code="TOTAL", period=period, value=scaled(value, scale), currency=currency,
                          location=f"{sheet}!{number}")
            else:
                code, system, product_label = _hs_group(label)
                build.add(reporter_label="Россия", reporter="RU", partner_label="Весь мир",
                          partner="WORLD", flow=flow, code=code, code_system=system,
                          product_label=product_label, period=period, value=scaled(value, scale),
                          currency=currency, location=f"{sheet}!{number}")
    return True


_INCLUDING = re.compile(r"^(в том числе|including|из них|of which|алардын ичинен)\b|:$", re.I)


def _period_text(cell: Any) -> str:
    text = " ".join(str(cell or "").split())
    m = re.search(r"январ\w*\s*-\s*декабр\w*\s+((?:19|20)\d\d)", text, re.I)
    return m[1] if m else ""


def _hs_group(label: str) -> tuple[str, str | None, str | None]:
    """'27-ТОПЛИВО ...' -> HS chapter 27; '01-24-Продовольственные ...' or
    '68-70, 84-97-Машины ...' -> a labelled group of chapters."""
    if label.casefold().startswith(("всего", "total")):
        return "TOTAL", None, None
    m = re.match(r"^(\d{2}(?:\s*[-,]\s*\d{2})*)\s*-\s*(\D.*)$", label)
    if not m:
        return slug(label), "LABEL", label
    chapters, name = m[1].replace(" ", ""), m[2].strip()
    if re.fullmatch(r"\d{2}", chapters):
        return chapters, "HS", name
    return f"HS{chapters}", "LABEL", f"HS chapters {chapters}: {name}"


def _fts_key_goods(build: FactBuilder, sheet: str, rows: list[tuple]) -> bool:
    """'Импорт России важнейших товаров': TN VED code, name, tonnes, million USD."""
    header_row = next((i for i, r in enumerate(rows[:40]) if r and str(r[0] or "").strip().startswith("Код")),
                      None)
    if header_row is None:
        return False
    title_text = _cells_text(rows[:header_row], 40)
    flow = flow_of(title_text) or "import"
    heads = [" ".join(str(c or "").split()) for c in rows[header_row]]
    # Month-only columns: "январь 2022" (not "январь - январь 2022", the
    # cumulative year-to-date one, nor the growth-rate columns).
    month_col = next((i for i, h in enumerate(heads)
                      if re.fullmatch(r"(январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*\s+(19|20)\d\d",
                                      h, re.I)), None)
    if month_col is None:
        month_col = next((i for i, h in enumerate(heads) if re.search(r"(19|20)\d\d", h) and
                          not h.startswith("Темп")), None)
    if month_col is None:
        return False
    text = heads[month_col]
    found_year = re.search(r"(19|20)\d\d", text)
    if found_year is None:
        return False
    year = found_year[0]
    month = russian_month(text.split()[-2] if "-" in text else text.split()[0]) or 1
    period = f"{year}-{month:02d}"
    # Two header lines under the value column: "млн." / "долл.США".
    value_scale = scale_of(str(rows[header_row + 1][month_col + 1] or "")) if header_row + 1 < len(rows) else 1.0
    build.notes["unit_note"] = unit_note(value_scale, "USD") + "; quantities as printed (unit in quantity_unit)"
    for number, row in enumerate(rows[header_row + 3:], start=header_row + 4):
        if len(row) <= month_col + 1:
            continue
        code_text = " ".join(str(row[0] or "").split())
        name = " ".join(str(row[1] or "").split())
        value = to_number(row[month_col + 1])
        if value is None or not (code_text or name):
            continue
        quantity = to_number(row[month_col])
        unit_match = re.search(r",\s*([^,]*(?:Т|ШТ|ПАР|КВ\.М|КУБ\.М|КВТ-Ч)\.?)\s*$", name)
        quantity_unit = unit_match[1].strip().lower() if unit_match else "тыс.т"
        if not code_text and name.upper().startswith("ВСЕГО"):
            code, system = "TOTAL", None
        elif re.fullmatch(r"\d{2,10}", code_text):
            code, system = code_text, "TNVED"
        else:
            code, system = code_text or slug(name), "LABEL"
        build.add(reporter_label="Россия", reporter="RU", partner_label="Весь мир", partner="WORLD",
                  flow=flow, code=code, code_system=system,
                  product_label=None if code == "TOTAL" else name or None, period=period,
                  value=scaled(value, value_scale), currency="USD",
                  quantity=quantity if quantity is not None and code != "TOTAL" else None,
                  quantity_unit=quantity_unit if quantity is not None and code != "TOTAL" else None,
                  location=f"{sheet}!{number}")
    return True


@reader("ru-fts-xlsx", "Russian FTS/Rosstat trade tables (main partners monthly, key goods by TN VED, "
        "HS chapters, country groups, commodity structure)", sniff=_is_ru_fts, priority=60)
def read_ru_fts(path: Path, data: bytes) -> ReadResult:
    build: FactBuilder | None = None
    for sheet, rows in _sheets(path, data):
        title = next((" ".join(str(c).split()) for r in rows[:15] for c in r
                      if isinstance(c, str) and len(c.strip()) > 15 and "содержани" not in c.casefold()), sheet)
        if build is None:
            build = FactBuilder(path, data, f"Russia: {title}")
        low = _cells_text(rows, 20).casefold()
        parsed = False
        if sheet.casefold() in ("экспорт", "импорт") or "основные страны" in low:
            parsed = _fts_main_partners(build, sheet, rows)
        elif "важнейших товаров" in low or "тн вэд" in low:
            parsed = _fts_key_goods(build, sheet, rows)
        elif "групп" in low and "стран" in low:
            parsed = _fts_two_period_table(build, sheet, rows, by="partner")
        elif any(flow_of(c) for r in rows[:10] for c in r):
            parsed = _fts_two_period_table(build, sheet, rows, by="product")
        if not parsed:
            build.keep_sheet(sheet, rows)  # contents pages, notes
        if build.published is None:
            build.published = _printed_date(rows[:15])
    if build is None:
        raise ReadError("unrecognised trade table: workbook has no sheets")
    return build.result()
