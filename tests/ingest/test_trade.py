"""Trade-statistics readers (nlp.ingest.trade).

Fast tests use small tables written here; corpus tests read the real files
and compare the reader's fact count with an independent count made in the
test with csv/openpyxl/xlrd directly (the rule for each count is in a
comment), then spot-check figures quoted in corpus/PROVENANCE.md.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from nlp.ingest import read_path
from nlp.ingest.registry import ReadError
from nlp.ingest.trade import country_code, flow_of, period_of, product_code_fields, to_number

TRADE = "trade_stats"

# openpyxl complains about the Comext exports' missing default style; harmless.
pytestmark = pytest.mark.filterwarnings("ignore:Workbook contains no default style")


# -- helpers -----------------------------------------------------------------


def _numeric(cell) -> bool:
    """Independent numeric test: numbers, or strings like '1376,4' / '12.5'."""
    if isinstance(cell, bool) or cell is None:
        return False
    if isinstance(cell, (int, float)):
        return True
    text = str(cell).strip().replace(",", ".")
    try:
        float(text)
        return True
    except ValueError:
        return False


def _facts(path: Path):
    reader, result = read_path(path)
    assert len(result.documents) == 1
    doc = result.documents[0]
    assert doc.kind == "trade_table"
    assert doc.meta["facts"] == len(result.trade_facts)
    assert all(doc.text[b.start:b.end] == b.text for b in doc.blocks)  # offsets index the text
    assert all(f.doc_id == doc.doc_id and f.location for f in result.trade_facts)
    return reader.name, result.trade_facts, doc


def _one(facts, **where):
    found = [f for f in facts if all(getattr(f, k) == v for k, v in where.items())]
    assert len(found) == 1, (where, found[:3])
    return found[0]


def _csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig", errors="replace"))))


# -- pure functions ----------------------------------------------------------


@pytest.mark.parametrize("label, code", [
    ("Russian Federation (Russia)", "RU"), ("Россия", "RU"), ("Rusija", "RU"), ("RUS", "RU"),
    ("Belarus (Belorussia)", "BY"), ("Baltarusija", "BY"), ("Kazachstanas", "KZ"), ("Kirgizija", "KG"),
    ("Кыргызстан", "KG"), ("Республикa\nКорея", "KR"),  # Latin 'a' inside Cyrillic, as FTS prints it
    ("Korea, Republic of", "KR"), ("Молдова, Республика", "MD"), ("Greece", "GR"), ("EL", "GR"),
    ("Germany (incl. German Democratic Republic 'DD' from 1991)", "DE"), ("Saint Lucia", "LC"),
    ("European Union - 27 countries (AT, BE, BG)", "EU27"), ("Страны ЕС", "EU27"), ("The EU", "EU27"),
    ("Всего", "WORLD"), ("Total 2", "WORLD"), ("Весь мир", "WORLD"), ("СНГ", "CIS"),
    ("Congo, Democratic Republic of", "CD"), ("Congo, Republic of", "CG"), ("China (Sar Hong Kong)", "HK"),
    ("Виргинские Острова, Сша", "VI"), ("Iles Vierges britanniques (incl. Montserrat 'MS' -> 1994)", "VG"),
    ("Egypte", "EG"), ("Соломоновы Острова", "SB"), ("Extra-UE27 (à partir de 2020)", "EXTRA_EU27"),
    ("Nowhere Land", "ZZ"), ("", "ZZ"), ("UN", "ZZ"),
])
def test_country_code(label, code):
    assert country_code(label) == code


@pytest.mark.parametrize("raw, period", [
    ("202408-Aug. 2024", "2024-08"), ("Apr. 2019", "2019-04"), ("Jan.-Dec. 2010", "2010"),
    ("201952-Jan.-Dec. 2019", "2019"), ("2023-12-01", "2023-12"), ("2020-01", "2020-01"),
    (2021, "2021"), ("2023 1", "2023"), ("январь 2022", "2022-01"), ("201901", "2019-01"),
    ("not a period", None),
])
def test_period_of(raw, period):
    assert period_of(raw) == period


def test_numbers_flows_codes():
    assert to_number(":") is None and to_number("-") is None and to_number(None) is None
    assert to_number("1376,4") == 1376.4 and to_number("1,234,567") == 1234567 and to_number(12) == 12.0
    assert to_number("1,234") == 1234 and to_number("12,25") == 12.25 and to_number("7%") == 7
    assert [flow_of(x) for x in ("2-EXPORT", "Import", "Re-export", "Экспорт", "X", "bogus")] == \
        ["export", "import", "re-export", "export", "export", None]
    assert product_code_fields("8542.31") == ("854231", "HS", 6)
    assert product_code_fields("85423111") == ("85423111", "CN", 8)
    assert product_code_fields("8703210000") == ("8703210000", "TNVED", 10)
    assert product_code_fields("TOTAL-Total") == ("TOTAL", "TOTAL", None)
    assert product_code_fields("0201-0204") == ("0201-0204", "LABEL", None)
    assert product_code_fields("Total") == ("TOTAL", "TOTAL", None)


# -- generic CSV and error handling ---------------------------------------------


GENERIC = """reporter,partner,flow,product_code,period,value,currency,code_system,quantity,quantity_unit,scale
Kazakhstan,Russia,export,854231,2023-05,1.5,USD,HS,10,kg,million
DE,KZ,export,85423190,2022,1200,EUR,,,,
Armenia,World,re-export,TOTAL,2023,7,USD,,,,thousand
Armenia,World,export,TOTAL,2023,,USD,,,,
"""


def test_generic_csv(tmp_path):
    path = tmp_path / "sample_trade.csv"
    path.write_text(GENERIC, encoding="utf-8")
    name, facts, doc = _facts(path)
    assert name == "trade-csv"
    assert len(facts) == 3  # the row without a value is skipped and counted
    assert doc.meta["skipped"] == {"bad value, period or flow": 1}
    first = facts[0]
    assert (first.reporter, first.partner, first.flow, first.product_code, first.code_system,
            first.code_level, first.period, first.value, first.quantity, first.quantity_unit) == \
        ("KZ", "RU", "export", "854231", "HS", 6, "2023-05", 1_500_000.0, 10.0, "kg")
    assert facts[1].code_system == "CN" and facts[1].reporter == "DE" and facts[1].period_type == "year"
    assert facts[2].value == 7000.0 and facts[2].flow == "re-export" and facts[2].partner == "WORLD"
    assert first.location == "csv!2" and first.doc_id == doc.doc_id
    # The describing document holds a summary, not one line per fact.
    assert "3 observations" in doc.text and "854231" in doc.text and doc.text.count("\n") < 15


def test_generic_csv_missing_columns_is_a_read_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("reporter,partner,flow,period,value\nKZ,RU,export,2023,\n", encoding="utf-8")
    with pytest.raises(ReadError, match="unrecognised trade table: expected columns"):
        read_path(path)


def test_comext_csv_small(tmp_path):
    path = tmp_path / "comext.csv"
    path.write_text(
        "REPORTER,PARTNER,PRODUCT,FLOW,STAT_PROCEDURE,PERIOD,VALUE_IN_EUR\n"
        "Cyprus,Kazakhstan,TOTAL-Total,2-EXPORT,T-Total,202408-Aug. 2024,11421\n"
        "Croatia,Kyrgyzstan,Total,EXPORT,Total,Aug. 2024,1410\n"
        "Croatia,Kyrgyzstan,Total,EXPORT,Total,Jan.-Dec. 2010,:\n", encoding="utf-8")
    name, facts, _ = _facts(path)
    assert name == "comext-csv" and len(facts) == 2
    assert [(f.reporter, f.partner, f.period, f.value, f.currency, f.product_code) for f in facts] == [
        ("CY", "KZ", "2024-08", 11421.0, "EUR", "TOTAL"), ("HR", "KG", "2024-08", 1410.0, "EUR", "TOTAL")]


def _comext_like_workbook(path: Path) -> None:
    """A small workbook shaped like a Comext CN8 export (figures invented)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Summary"
    book.active.append(["EU trade since 1988 by HS2-4-6 and CN8 [DS-045409]"])
    book.create_sheet("Structure").append(["Structure"])
    sheet = book.create_sheet("Sheet 1")
    for row in (["Data extracted on 21/01/2023 17:37:40 from [ESTAT]"], ["Dataset: ", "EU trade"], [],
                ["PRODUCT [PRODUCT]", None, "Electronic integrated circuits as processors [85423111]"],
                ["FLOW", None, "EXPORT"], ["INDICATORS", None, "VALUE_IN_EUROS"], [],
                ["TIME", "TIME", "2020-01", "2020-02", "2020-03"],
                ["FREQ (Labels)", "FREQ (Labels)", "Monthly", "Monthly", "Monthly"],
                ["REPORTER (Labels)", "PARTNER (Labels)"],
                ["Austria", "Russian Federation (Russia)", ":", 1234, 7.5],
                ["Germany (incl. German Democratic Republic 'DD' from 1991)", "Kazakhstan", 55, ":", None],
                [], ["Special value"], [":", "not available"]):
        sheet.append(row)
    book.save(path)


def test_comext_workbook_small(tmp_path):
    path = tmp_path / "renamed_export.xlsx"  # recognised by its sheets, not its name
    _comext_like_workbook(path)
    name, facts, doc = _facts(path)
    assert name == "comext-xlsx" and len(facts) == 3
    assert [(f.reporter, f.partner, f.period, f.value, f.location) for f in facts] == [
        ("AT", "RU", "2020-02", 1234, "Sheet 1!11"), ("AT", "RU", "2020-03", 7.5, "Sheet 1!11"),
        ("DE", "KZ", "2020-01", 55, "Sheet 1!12")]
    first = facts[0]
    assert (first.product_code, first.code_system, first.code_level, first.flow, first.currency) == \
        ("85423111", "CN", 8, "export", "EUR")
    assert first.product_label == "Electronic integrated circuits as processors"
    assert doc.meta["extracted"].startswith("Data extracted on 21/01/2023")


def test_fast_sheet_rows_match_openpyxl(tmp_path):
    """The ElementTree row reader used for Comext gives openpyxl's rows."""
    from nlp.ingest.trade.sheets import _xlsx_sheets, _xlsx_sheets_fast

    path = tmp_path / "book.xlsx"
    _comext_like_workbook(path)
    data = path.read_bytes()

    def trimmed(rows):
        rows = [tuple(r[:max([i + 1 for i, c in enumerate(r) if c is not None] or [0])]) for r in rows]
        while rows and not rows[-1]:
            rows.pop()
        return rows

    fast = [(name, trimmed(rows)) for name, rows in _xlsx_sheets_fast(data)]
    slow = [(name, trimmed(rows)) for name, rows in _xlsx_sheets(data)]
    assert fast == slow and len(fast) == 3


def test_broken_workbook_is_a_read_error(tmp_path):
    path = tmp_path / "comext_broken.xlsx"
    path.write_bytes(b"PK\x03\x04 definitely not a workbook")
    with pytest.raises(ReadError):
        read_path(path)


# -- real files ------------------------------------------------------------------------


def test_comext_csv_files(corpus):
    folder = corpus / TRADE / "eu_eurostat_comext_marylev"
    for path in sorted(folder.glob("*.csv")):
        name, facts, _ = _facts(path)
        # Independent count: data rows whose VALUE_IN_EUR is numeric.
        expected = sum(1 for row in _csv(path) if _numeric(row["VALUE_IN_EUR"]))
        assert name == "comext-csv" and len(facts) == expected, path.name
    _, facts, _ = _facts(folder / "eu27_exports_by_partner_yearly.csv")
    assert {f.reporter for f in facts} == {"EU27"} and {f.period_type for f in facts} == {"year"}
    _, facts, _ = _facts(folder / "eu_member_exports_to_kyrgyzstan_monthly.csv")
    assert {f.partner for f in facts} == {"KG"} and {f.period_type for f in facts} == {"month"}


def test_comext_sanctioned_xlsx(corpus):
    import openpyxl

    path = corpus / TRADE / "eu_eurostat_comext_ruimpeks" / "eu_export_sanctioned_by_partner_reporter_month.xlsx"
    name, facts, _ = _facts(path)
    book = openpyxl.load_workbook(path, read_only=True)
    # Independent count: rows below the header with a numeric sanctioned_export.
    expected = sum(1 for row in book.active.iter_rows(min_row=2, values_only=True) if _numeric(row[3]))
    assert name == "comext-sanctioned-xlsx" and len(facts) == expected == 6804
    assert {f.partner for f in facts} == {"AM", "BY", "GE", "KZ", "KG", "RU", "UZ"}
    assert {f.product_code for f in facts} == {"SANCTIONED-CN8-SET"} and facts[0].code_system == "LABEL"
    first = _one(facts, partner="AM", reporter="AT", period="2020-01")
    assert first.value == 245053 and first.currency == "EUR" and first.location == "Sheet1!2"


@pytest.mark.slow
def test_comext_cn8_workbooks(corpus):
    import openpyxl

    for path in sorted((corpus / TRADE / "eu_eurostat_comext_ruimpeks").glob("comext_*_cn8_*.xlsx")):
        name, facts, doc = _facts(path)
        # Independent count: on each product sheet, cells right of the
        # reporter/partner columns below the TIME/FREQ/REPORTER header rows
        # that are numbers (':' = not available is not counted).
        book = openpyxl.load_workbook(path, read_only=True)
        expected = 0
        for sheet in book.worksheets:
            sheet.reset_dimensions()
            rows = list(sheet.iter_rows(values_only=True))
            start = next((i for i, r in enumerate(rows[:20]) if r and r[0] == "TIME"), None)
            if start is None:
                continue
            expected += sum(1 for r in rows[start + 3:] if len(r) > 2 and r[0] and r[1]
                            for c in r[2:] if _numeric(c))
        assert name == "comext-xlsx" and len(facts) == expected, path.name
        assert {f.code_system for f in facts} == {"CN"} and {f.code_level for f in facts} == {8}
        assert {f.currency for f in facts} == {"EUR"} and doc.meta["unmapped_country_label_count"] == 0
        assert {f.partner for f in facts} <= {"AM", "BY", "GE", "KZ", "KG", "RU", "UZ"}
    # CHP tier-1 processors (HS 8542.31) exported to Russia appear in ch85-87.
    _, facts, _ = _facts(corpus / TRADE / "eu_eurostat_comext_ruimpeks" / "comext_19_4623968_cn8_ch85-87.xlsx")
    assert any(f.product_code.startswith("854231") and f.partner == "RU" for f in facts)


def test_comtrade_vehicles(corpus):
    path = corpus / TRADE / "armenia_tvyal" / "vehicle_trade_armenia.csv"
    name, facts, doc = _facts(path)
    rows = _csv(path)
    # Independent count: rows with a numeric trade_value_us. The file has an
    # invalid UTF-8 byte (a Latin-1 "ô" in "Côte d'Ivoire", on several rows);
    # it is replaced, not fatal, and the ISO code still places the partner.
    assert name == "comtrade-csv" and len(facts) == sum(1 for r in rows if _numeric(r["trade_value_us"])) == 10405
    assert doc.meta.get("replaced_bytes", 0) >= 1
    assert any(f.partner == "CI" for f in facts)
    assert sum(1 for f in facts if f.partner == "RU") == 1182
    assert sum(1 for f in facts if f.flow == "export") == 1744
    assert {f.reporter for f in facts} == {"AM"} and {f.currency for f in facts} == {"USD"}


def test_armenia_files(corpus):
    folder = corpus / TRADE / "armenia_tvyal"
    name, facts, doc = _facts(folder / "reexports_estimated_data_month.csv")
    # Independent count: numeric reexports cells + numeric X (total exports) cells.
    rows = _csv(folder / "reexports_estimated_data_month.csv")
    assert name == "armenia-reexports-csv"
    assert len(facts) == sum(_numeric(r["reexports"]) + _numeric(r["X"]) for r in rows)
    assert sum(1 for f in facts if f.flow == "re-export") == 18685
    chp = _one(facts, product_code="854239", period="2023-05", flow="re-export")
    assert chp.value == pytest.approx(3.30e6, rel=0.01) and chp.currency == "USD" and chp.code_level == 6
    exports = _one(facts, product_code="854239", period="2023-05", flow="export")
    assert chp.value / exports.value == pytest.approx(0.895, abs=0.001)  # "89.5 % of exports"

    name, facts, _ = _facts(folder / "official_RX_data.csv")
    # Independent count: 14 years x (RX, X).
    assert name == "armenia-official-rx-csv" and len(facts) == 2 * len(_csv(folder / "official_RX_data.csv")) == 28
    assert _one(facts, period="2010", flow="re-export").value == pytest.approx(164567580.09)

    name, facts, doc = _facts(folder / "arm_trade_country.csv")
    rows = _csv(folder / "arm_trade_country.csv")
    # Independent count: numeric export cells + numeric import_origin cells.
    expected = sum(_numeric(r["export"]) + _numeric(r["import_origin"]) for r in rows)
    assert name == "armenia-country-csv" and len(facts) == expected
    assert {f.currency for f in facts} == {None} and doc.meta["unit_stated"] is False
    assert "unit not stated" in doc.text
    assert any(f.partner == "RU" for f in facts)


def test_kazakhstan_bulletins(corpus):
    import xlrd

    folder = corpus / TRADE / "kazakhstan_stat_gov_kz"
    for path in sorted(folder.glob("*.xls")):
        name, facts, _ = _facts(path)
        book = xlrd.open_workbook(str(path))
        # Independent count: on the year sheets, numeric cells in columns 3
        # (exports, total) and 5 (imports, total) below the header rows.
        expected = 0
        for sheet in book.sheets():
            if not sheet.name.strip().isdigit():
                continue
            header = next(i for i in range(10) if "Экспорт" in sheet.row_values(i))
            expected += sum(1 for i in range(header + 2, sheet.nrows) if sheet.cell_value(i, 0)
                            for col in (3, 5) if _numeric(sheet.cell_value(i, col))
                            and str(sheet.cell_value(i, col)).strip() != "")
        assert name == "kz-bns-xls" and len(facts) == expected, path.name
    _, facts, _ = _facts(folder / "kz_foreign_trade_by_country_2022.xls")
    to_russia = _one(facts, partner="RU", flow="export", period="2022")
    # 9,091,390.9 thousand USD in the bulletin -> whole dollars.
    assert to_russia.value == pytest.approx(9_091_390_900, rel=1e-6) and to_russia.currency == "USD"
    assert _one(facts, partner="RU", flow="export", period="2021").value == pytest.approx(7_018_745_800, rel=1e-6)
    _, facts, _ = _facts(folder / "kz_foreign_trade_by_country_2023.xls")
    assert _one(facts, partner="RU", flow="export", period="2023").value == pytest.approx(10_207_415_700, rel=1e-6)
    assert _one(facts, partner="WORLD", flow="export", period="2023").reporter == "KZ"

    name, facts, doc = _facts(folder / "kz_total_exports_monthly_bns.csv")
    assert name == "kz-bns-exports-csv" and len(facts) == len(_csv(folder / "kz_total_exports_monthly_bns.csv")) == 90
    assert "not stated" in doc.meta["unit_note"]


def test_kyrgyz_tables(corpus):
    import openpyxl

    folder = corpus / TRADE / "kyrgyzstan_nsc_marylev"
    for path in sorted(folder.glob("*.xlsx")):
        name, facts, _ = _facts(path)
        # Independent count: on sheets with a row of years (from column 4),
        # numeric cells under a year in rows that have a label.
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        expected = 0
        for sheet in book.worksheets:
            sheet.reset_dimensions()
            rows = list(sheet.iter_rows(values_only=True))
            year_row = next((i for i, r in enumerate(rows[:10])
                             if sum(1 for c in r[3:] if str(c).strip()[:4].isdigit()) >= 5), None)
            if year_row is None:
                continue
            years = [i for i, c in enumerate(rows[year_row]) if i >= 3 and str(c).strip()[:4].isdigit()]
            expected += sum(1 for r in rows[year_row + 1:] if len(r) > 2 and (r[2] or r[1])
                            for i in years if i < len(r) and _numeric(r[i]))
        assert name == "kg-nsc-xlsx" and len(facts) == expected, path.name
    _, facts, _ = _facts(folder / "kg_nsc_4.03.00.18_exports_by_destination_usd.xlsx")
    assert _one(facts, partner="RU", period="2022").value == pytest.approx(1_069_692_000, rel=1e-6)
    assert _one(facts, partner="KZ", period="2023").value == pytest.approx(449_009_000, rel=1e-6)
    _, facts, _ = _facts(folder / "kg_nsc_4.03.00.20_imports_by_origin_usd.xlsx")
    imports = _one(facts, partner="RU", period="2023")
    assert imports.flow == "import" and imports.value == pytest.approx(2_182_927_000, rel=1e-6)
    _, facts, _ = _facts(folder / "kg_nsc_4.03.00.17_exports_by_country_soms.xlsx")
    assert {f.currency for f in facts} == {"KGS"}
    _, facts, _ = _facts(folder / "kg_nsc_4.03.00.10_exports_main_commodities_usd.xlsx")
    assert {f.partner for f in facts} == {"WORLD"} and "LABEL" in {f.code_system for f in facts}


def test_russia_fts_tables(corpus):
    import openpyxl

    folder = corpus / TRADE / "russia_fts_marylev"
    path = folder / "ru_fts_96stran_trade_with_main_countries_monthly_2006-2021.xlsx"
    name, facts, doc = _facts(path)
    # Independent count: on the Экспорт/Импорт sheets, numeric cells in rows
    # whose first cell is a month name (year rows hold no values).
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    expected = 0
    for title in ("Экспорт", "Импорт"):
        sheet = book[title]
        sheet.reset_dimensions()
        expected += sum(1 for r in sheet.iter_rows(values_only=True)
                        if isinstance(r[0], str) and r[0].strip().endswith(("ь", "т", "й", "е"))
                        and r[0].strip().islower() for c in r[1:] if _numeric(c))
    assert name == "ru-fts-xlsx" and len(facts) == expected
    december = _one(facts, partner="KZ", flow="import", period="2021-12")
    assert december.value == pytest.approx(708.1e6, rel=1e-3) and december.reporter == "RU"
    assert doc.meta["sheets_kept_as_tables"] == ["Содержание"]
    assert any(b.kind == "table" and b.section == "Содержание" for b in doc.blocks)

    _, facts, _ = _facts(folder / "ru_fts_publication_trade_by_hs_chapter_2021-2022.xlsx")
    assert _one(facts, product_code="TOTAL", flow="export", period="2022").value == pytest.approx(591_459.6e6)
    assert _one(facts, product_code="27", flow="export", period="2022").code_system == "HS"
    # 2 periods x 2 flows per row; turnover and growth columns are not facts.
    assert {f.flow for f in facts} == {"export", "import"} and {f.period for f in facts} == {"2021", "2022"}

    _, facts, _ = _facts(folder / "ru_trade_by_country_groups_2022-2023.xlsx")
    assert _one(facts, partner="WORLD", flow="export", period="2022").value == pytest.approx(592.487e9)
    assert _one(facts, partner="ASIA", flow="import", period="2023").value == pytest.approx(187.525e9)

    _, facts, _ = _facts(folder / "ru_trade_structure_2022-2023.xlsx")
    assert _one(facts, product_code="TOTAL", flow="export", period="2023").value == pytest.approx(425.088e9)

    _, facts, _ = _facts(folder / "ru_fts_WEB_UTSA_02_imports_key_goods_tnved_2022-01.xlsx")
    cars = _one(facts, product_code="8703")
    assert (cars.code_system, cars.flow, cars.period, cars.partner) == ("TNVED", "import", "2022-01", "WORLD")
    assert cars.value == pytest.approx(618.8e6)
    assert _one(facts, product_code="0201-0204").code_system == "LABEL"


def test_imf_imts(corpus):
    path = corpus / TRADE / "russia_imf_imts_kasetiene" / "RU_trade_imf_imts_2016-2024.csv"
    name, facts, _ = _facts(path)
    rows = _csv(path)
    # Independent count: numeric cells in the year columns.
    years = [h for h in rows[0] if h.isdigit()]
    assert name == "imf-imts-csv" and len(facts) == sum(1 for r in rows for y in years if _numeric(r[y]))
    from_kz = _one(facts, partner="KZ", flow="import", period="2023")
    assert from_kz.value == pytest.approx(9_944e6, rel=1e-3) and from_kz.reporter == "RU"
    assert [round(_one(facts, partner="KZ", flow="import", period=str(y)).value / 1e6)
            for y in range(2019, 2024)] == [5346, 5034, 7131, 8921, 9944]


def test_whole_trade_folder_reads(corpus):
    """Every trade file is claimed by a reader and none fails."""
    from nlp.ingest import walk

    failures = []
    for path in walk([corpus / TRADE]):
        if path.suffix == ".xlsx" and path.name.startswith("comext_"):
            continue  # whole-workbook reads are in the slow test above
        try:
            read_path(path)
        except ReadError as exc:
            failures.append((path.name, str(exc)))
    assert failures == []


def test_ingest_into_store(tmp_path, store):
    """Facts and the describing document survive the store round trip."""
    from nlp.ingest import ingest

    path = tmp_path / "sample_trade.csv"
    path.write_text(GENERIC, encoding="utf-8")
    summary = ingest([path], store)
    assert summary.ingested == 1 and summary.failed == 0 and summary.trade_facts == 3
    stored = list(store.trade_facts(partner="RU"))
    assert len(stored) == 1 and stored[0].value == 1_500_000.0 and stored[0].location == "csv!2"


def test_project_sample_csv():
    """The demo extract written by scripts/build_demo_samples.py uses the generic format."""
    sample = Path(__file__).resolve().parents[2] / "corpus" / "samples" / "eu_exports_chp_items_monthly_2020-2022.csv"
    if not sample.exists():
        pytest.skip("corpus/samples extract not built (scripts/build_demo_samples.py)")
    name, facts, doc = _facts(sample)
    # Independent count: data rows with a numeric value.
    assert name == "trade-csv" and len(facts) == sum(1 for r in _csv(sample) if _numeric(r["value"]))
    assert {f.reporter for f in facts} == {"EU27"} and {f.code_system for f in facts} == {"CN"}
    assert doc.meta.get("ignored_columns") == ["confidential_cells"]
