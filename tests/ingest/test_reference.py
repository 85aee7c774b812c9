"""Reference-data readers (nlp.ingest.reference): code lists as documents.

Counts are checked against PROVENANCE.md and against an independent count
made here with the csv module (rows with a non-empty code column).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from nlp.ingest import read_path
from nlp.ingest.reference import match_code_list
from nlp.ingest.registry import ReadError


def _doc(path: Path):
    reader, result = read_path(path)
    assert len(result.documents) == 1 and not result.trade_facts
    doc = result.documents[0]
    assert doc.kind == "reference"
    # Offsets index the text exactly.
    assert all(doc.text[b.start:b.end] == b.text for b in doc.blocks)
    return reader.name, doc


def _entries(doc):
    return [b for b in doc.blocks if b.kind == "entry"]


def _rows_with(path: Path, column: str) -> int:
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    return sum(1 for row in rows if (row.get(column) or "").strip())


# -- fast ----------------------------------------------------------------------------


def test_match_code_list_shapes():
    assert match_code_list(["section", "hscode", "description", "parent", "level"]).name == "hs-nomenclature"
    assert match_code_list(["hs6", "hs6_dotted", "tier", "desc"]).name == "chp-list"
    assert match_code_list(["code", "product"]).name == "cn-code-products"
    assert match_code_list(["code"]).name == "code-list"
    assert match_code_list(["country", "salis", "name"]).name == "country-names"
    assert match_code_list(["reporter", "partner", "flow"]) is None
    # A wide table with a "code" column is not taken for a code list.
    assert match_code_list(["code", "name", "a", "b", "c"]) is None


def test_small_code_list(tmp_path):
    path = tmp_path / "my_codes.csv"
    path.write_text("code,product\n85423111,Processors\n1012100,Horses\n,\n", encoding="utf-8")
    name, doc = _doc(path)
    assert name == "code-list-csv"
    entries = _entries(doc)
    assert [b.section for b in entries] == ["85423111", "01012100"]  # leading zero restored
    assert entries[0].text == "CN 85423111 (8542.31.11): Processors"
    assert doc.meta["rows"] == 2 and doc.meta["codes_zero_padded"] == 1 and doc.meta["rows_without_code"] == 1


def test_empty_code_list_is_a_read_error(tmp_path):
    path = tmp_path / "empty_codes.csv"
    path.write_text("code\n\n", encoding="utf-8")
    with pytest.raises(ReadError):
        read_path(path)


def test_datapackage_json(tmp_path):
    path = tmp_path / "datapackage.json"
    path.write_text('{"name": "x", "title": "X codes", "version": "1.0", "licenses": [{"name": "PDDL"}],'
                    ' "resources": [{"name": "codes", "path": "data/codes.csv",'
                    ' "schema": {"fields": [{"name": "code"}]}}]}', encoding="utf-8")
    name, doc = _doc(path)
    assert name == "datapackage-json" and doc.title == "X codes"
    assert doc.meta["resources"] == ["codes"] and "fields: code" in doc.text


# -- real files ------------------------------------------------------------------------


def test_hs_nomenclature(corpus):
    folder = corpus / "hs_nomenclature"
    name, doc = _doc(folder / "harmonized-system_hs2022.csv")
    assert name == "code-list-csv" and doc.meta["edition"] == "HS2022"
    assert doc.meta["rows"] == len(_entries(doc)) == 6940 == _rows_with(folder / "harmonized-system_hs2022.csv",
                                                                         "hscode")
    assert doc.meta["counts"] == {"level_2": 97, "level_4": 1229, "level_5": 1, "level_6": 5613}
    processors = next(b for b in _entries(doc) if b.section == "854231")
    assert "processors" in processors.text.lower() and "8542.31" in processors.text

    # HS2017 starts with a BOM and ends with an empty row: 6,710 CSV rows, 6,709 codes.
    name, doc = _doc(folder / "harmonized-system_hs2017.csv")
    assert doc.meta["edition"] == "HS2017" and doc.meta["columns"][0] == "section"
    assert doc.meta["rows"] + doc.meta["rows_without_code"] == 6710
    assert doc.meta["counts"]["level_6"] == 5388 and doc.meta["counts"]["level_4"] == 1223
    assert not any(b.section == "854800" for b in _entries(doc))  # new in HS2022

    name, doc = _doc(folder / "hs_sections.csv")
    assert len(_entries(doc)) == 21 and _entries(doc)[15].section == "Section XVI"

    name, doc = _doc(folder / "harmonized-system_datapackage.json")
    assert name == "datapackage-json" and doc.meta["version"] == "2022.0"
    assert doc.meta["licenses"] == ["ODC-PDDL-1.0"]


def test_chp_list(corpus):
    path = corpus / "chp_items" / "chp_list_2024-02-23_hs6_tiers.csv"
    name, doc = _doc(path)
    assert name == "code-list-csv" and doc.meta["rows"] == 50 == _rows_with(path, "hs6")
    assert doc.meta["counts"] == {"tier_1": 4, "tier_2": 5, "tier_3A": 16, "tier_3B": 9,
                                  "tier_4A": 11, "tier_4B": 5}
    first = _entries(doc)[0]
    assert first.section == "854231" and first.text.startswith("CHP tier 1 HS 854231 (8542.31)")


def test_other_code_lists(corpus):
    cbam = corpus / "oj_pdfs" / "cbam_yashkhanna22" / "DERIVED_cbam_annex1_cn_codes.csv"
    name, doc = _doc(cbam)
    assert doc.meta["rows"] == 56 == _rows_with(cbam, "CN_Prefix")
    assert doc.meta["counts"] == {"exclude": 14, "include": 42}

    folder = corpus / "trade_stats" / "eu_eurostat_comext_ruimpeks"
    _, doc = _doc(folder / "export_sanctions_codes_cn8.csv")
    assert doc.meta["rows"] == 2223 == _rows_with(folder / "export_sanctions_codes_cn8.csv", "code")
    assert all(len(b.section) == 8 for b in _entries(doc))

    _, doc = _doc(folder / "input_codes.csv")
    assert doc.meta["rows"] == 2338 == _rows_with(folder / "input_codes.csv", "code")
    assert all(len(b.section) % 2 == 0 for b in _entries(doc))

    _, doc = _doc(folder / "salys_partner_countries.csv")
    assert [b.section for b in _entries(doc)] == ["AM", "BY", "GE", "KZ", "KG", "RU", "UZ"]
    assert "Rusija" in doc.text


def test_cn_and_tnved_nomenclatures_are_reference_documents(tmp_path):
    """The EU CN (English) and EAEU TN VED (Russian) tables in the shared corpus's
    column layout; rows written here, not copied."""
    from nlp.ingest import read_path

    cn = tmp_path / "cn2024_en.csv"
    cn.write_text("cn8,cn8_spaced,description,hs6,hs6_description,heading,heading_description,chapter,section,"
                  "supplementary_unit\n85423190,8542 31 90,Other,854231,Processors and controllers,8542,"
                  "Electronic integrated circuits,85,XVI,p/st\n", encoding="utf-8")
    reader, result = read_path(cn)
    doc = result.documents[0]
    assert reader.name == "code-list-csv" and doc.kind == "reference" and doc.lang == "en"
    assert doc.meta["reference_type"] == "cn-nomenclature" and doc.meta["edition"] == "CN2024"
    assert "CN 8542 31 90: Other [HS 854231: Processors and controllers" in doc.text

    tnved = tmp_path / "tnved_rows.csv"
    tnved.write_text("code,code_digits,depth,description,full_path,source_pdf,page,mark\n"
                     "8542310000,10,1,процессоры,Схемы электронные интегральные / процессоры,ru.85.pdf,1,\n",
                     encoding="utf-8")
    reader, result = read_path(tnved)
    doc = result.documents[0]
    assert doc.lang == "ru" and doc.meta["reference_type"] == "tnved-nomenclature"
    assert "ТН ВЭД 8542310000: Схемы электронные интегральные / процессоры" in doc.text
