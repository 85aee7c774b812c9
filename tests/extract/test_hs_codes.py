"""nlp.extract.hs_codes: goods codes in real sanctions texts and tricky negatives."""

from __future__ import annotations

import json

import pytest

from nlp.extract.hs_codes import find_hs_codes


def codes(text: str, lang: str = "en") -> list[str]:
    return [item["code"] for item in find_hs_codes(text, lang)]


def window(text: str, anchor: str, before: int = 0, after: int = 300) -> str:
    at = text.index(anchor)
    return text[max(0, at - before):at + after]


@pytest.fixture(scope="module")
def regulation_text(corpus):
    import lxml.html

    path = corpus / "eu_regulations" / "eurlex_sanctions" / "reg_2024_1745_oj_wayback20240624.html"
    return lxml.html.parse(str(path)).getroot().text_content()


def test_cn_code_lists_in_regulation(regulation_text):
    found = find_hs_codes(window(regulation_text, "falling under CN codes 8471, 8523", after=120))
    assert [i["code"] for i in found] == ["8471", "8523", "8536", "9027"]
    assert {i["system"] for i in found} == {"CN"} and {i["level"] for i in found} == {4}
    assert found[0]["chp_tier"] == "3A" and "8471" in found[0]["text"]


def test_cn8_and_subheadings_in_regulation(regulation_text):
    lng = find_hs_codes(window(regulation_text, "falling under CN code 2711 11 00", after=60))
    assert [(i["code"], i["level"], i["text"]) for i in lng] == [("27111100", 8, "2711 11 00")]
    assert lng[0]["description"].startswith("Petroleum gases")
    machines = codes(window(regulation_text, "falling under CN codes 8457 10", after=100))
    assert machines == ["845710", "845811", "845891", "845961", "846693"]
    mixed = codes(window(regulation_text, "falling under CN codes 28042910", after=60))
    assert mixed == ["28042910", "284540"]


def test_regulation_numbers_are_not_codes(regulation_text):
    start = regulation_text.index("COUNCIL REGULATION (EU) 2024/1745")
    recitals = regulation_text[start:regulation_text.index("Article 1", start)]
    assert codes(recitals) == []  # dates, act numbers, OJ references only


def test_hs_dotted_in_news(corpus):
    text = (corpus / "news" / "en_reposts_agorahub_pen0" / "2024-04-09-chip-export-control.txt").read_text("utf-8")
    found = find_hs_codes(window(text, "Semiconductors (HS 85.42.31)", after=260))
    assert [i["code"] for i in found] == ["854231", "100630", "151511", "854939"]
    assert found[0]["chp_tier"] == "1" and found[1]["chp_tier"] is None
    assert codes(window(text, "The first two digits (HS-85)", after=40)) == ["85"]


def test_oj_annex_table_rows(corpus):
    import pdfplumber

    with pdfplumber.open(corpus / "oj_pdfs" / "cbam_yashkhanna22" / "CELEX_32023R0956_EN_TXT.pdf") as pdf:
        page = pdf.pages[39].extract_text()  # Annex I, iron and steel
    found = find_hs_codes(page)
    got = [i["code"] for i in found]
    assert got[:3] == ["72", "7202", "72023000"]
    assert "9406" in got  # "(excluding prefabricated buildings of heading 9406)"
    assert not any(page[i["start"]:i["end"]].startswith("406") for i in found)  # "exceeds 406,4 mm"
    assert all(i["text"] != "300" for i in found)  # "a capacity not exceeding 300 l"


def test_listing_rows_have_no_codes(corpus):
    """Postal codes, phone numbers and tax ids of Annex IV entries."""
    import csv

    with (corpus / "sanctions_lists" / "opensanctions_eu_journal" / "32014R0833.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["phone"]][:40]
    for row in rows:
        text = "\n".join(f"{key}: {row[key]}" for key in ("address", "phone", "registrationNumber", "startDate"))
        assert codes(text) == [], text


def test_forms_from_the_issue():
    assert codes("HS 854231") == ["854231"]
    assert codes("CN code 8471 30 00") == ["84713000"]
    assert codes("under subheading 8542 31 of the HS") == ["854231"]
    assert codes("HS code 8542.31") == ["854231"]
    ex = find_hs_codes("goods of CN codes ex 8517 62 00 and ex 8525 89")
    assert [(i["code"], i["ex"], i["text"]) for i in ex] == [("85176200", True, "ex 8517 62 00"), ("852589", True, "ex 8525 89")]
    rng = find_hs_codes("products of headings 8401 to 8412")
    assert [(i["code"], i["range"]) for i in rng] == [("8401", "8401-8412"), ("8412", "8401-8412")]
    assert codes("machinery of Chapter 85") == ["85"]
    tn = find_hs_codes("товары по коду ТН ВЭД 8542 и ТН ВЭД ЕАЭС 8471 30 000 0", "ru")
    assert [(i["code"], i["system"], i["level"]) for i in tn] == [("8542", "TNVED", 4), ("8471300000", "TNVED", 10)]
    assert codes("TARIC code 8542319010")[0] == "8542319010"
    assert find_hs_codes("TARIC code 8542319010")[0]["system"] == "TARIC"


def test_table_cells_under_code_header():
    table = "HS code\tpartner\tvalue\n854231\tRussia\t8542\n8542.39\tKazakhstan\t2022\n"
    found = find_hs_codes(table)
    assert [(i["code"], table[i["start"]:i["end"]]) for i in found] == [("854231", "854231"), ("854239", "8542.39")]


@pytest.mark.parametrize("text", [
    "In 2022 exports rose to 8542 units worth EUR 8471 million.",
    "Article 8471 of the code of conduct",  # not after a code cue
    "see OJ L 229, 31.7.2014, p. 1 and Regulation (EU) No 8542/2014",
    "Case C-8542/21 was decided on 12.05.2023",
    "call +7 (495) 8542 31 00 or tel. 8471 30 00",
    "postal code 850000, Almaty",
    "QR code 8542 31",
    "Chapter 3 of this report looks at goods",
    "HS code is a six-digit number; in 2023 the code 2023 changed",
    "a CN code 9876 00 00 that does not exist",
    "growth of 85.42% in the HS code statistics",
    "группы 25 компаний и 8542 человек",
])
def test_negatives(text):
    assert codes(text) == [], text


def test_spacy_component():
    import spacy

    import nlp.extract.components  # noqa: F401  registers the factory

    pipeline = spacy.blank("en")
    pipeline.add_pipe("hs_codes")
    doc = pipeline("Exports of CN code 8542 31 90 and headings 8401 to 8412 rose in 2023.")
    spans = doc.spans["hs_codes"]
    assert [s.text for s in spans] == ["8542 31 90", "8401", "8412"]
    assert spans[0]._.hs["chp_tier"] == "1" and spans[0].label_ == "HS_CODE"
    json.dumps([s._.hs for s in spans])  # JSON-ready


def test_dotted_cn_codes_in_listing_reason(corpus):
    """A listing's reason cites dotted CN subheadings after "CN codes"."""
    import csv

    with (corpus / "sanctions_lists" / "opensanctions_eu_journal" / "32014R0269.csv").open(encoding="utf-8") as handle:
        reason = next(row["reason"] for row in csv.DictReader(handle) if "CN codes 3810.90" in row["reason"])
    found = find_hs_codes(reason)
    assert [i["code"] for i in found][:5] == ["381090", "841350", "841410", "841940", "902590"]
    assert {i["system"] for i in found} == {"CN"}


def test_russian_cues_and_system_named_later():
    found = find_hs_codes("товары группы 84 и 85 ТН ВЭД ЕАЭС, коды 8471–8473", "ru")
    assert [(i["code"], i["system"], i["range"]) for i in found] == [
        ("84", "TNVED", None), ("85", "TNVED", None), ("8471", "TNVED", "8471-8473"), ("8473", "TNVED", "8471-8473")]
    assert codes("по товарной позиции 8542 ТН ВЭД, в 2022 году", "ru") == ["8542"]


def test_tn_ved_table_cells(corpus):
    """FTS import table: the code column ("Код / ТН ВЭД ЕАЭС") holds codes,
    ranges and chapters; tonnes and dollars in the other columns are values."""
    import openpyxl

    path = corpus / "trade_stats" / "russia_fts_marylev" / "ru_fts_WEB_UTSA_02_imports_key_goods_tnved_2022-01.xlsx"
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = book.worksheets[0].iter_rows(values_only=True)
    text = "\n".join("\t".join("" if cell is None else str(cell) for cell in row) for row in rows)
    found = find_hs_codes(text, "ru")
    assert [(i["code"], i["range"]) for i in found[:3]] == [("0201", "0201-0204"), ("0204", "0201-0204"), ("0207", None)]
    assert {i["system"] for i in found} == {"TNVED"}
    assert ("72", None) in [(i["code"], i["range"]) for i in found]  # "72 (кроме 7201-7204)"
    assert ("7201", "7201-7204") in [(i["code"], i["range"]) for i in found]
    assert all(len(i["code"]) in (2, 4, 6, 8, 10) for i in found)
    assert "1703" not in [i["code"] for i in found]  # 1703.2 thousand tonnes of coal


def test_bare_row_codes_confirmed_by_their_description():
    text = ("8542 31\tProcessors and controllers, whether or not combined with memories\n"
            "8542 39\tOther\n"
            "8471\tAutomatic data-processing machines and units thereof\n"
            "85\tElectrical machinery and equipment and parts thereof\n"
            "ex 8411\tTurbo-jets\n")
    found = find_hs_codes(text)
    assert [i["code"] for i in found] == ["854231", "854239", "8471", "85", "8411"]
    assert found[-1]["ex"] is True


def test_bare_row_numbers_without_matching_description_are_not_codes():
    text = ("2023\tExports rose by a third\n"
            "12\tMember States shall notify the Commission\n"
            "70-летняя жительница города\n")
    assert codes(text) == []
    assert codes(text, "ru") == []


def test_russian_legal_forms():
    assert codes("товарная позиция N 8471 ТН ВЭД ЕАЭС", "ru") == ["8471"]
    assert codes("товары, классифицируемые в позиции N 8525 или N 8526", "ru") == ["8525", "8526"]
    assert codes("Группа 84\nРеакторы ядерные, котлы, оборудование и механические устройства", "ru") == ["84"]
    assert codes("Глава 5\nПорядок рассмотрения обращений", "ru") == []


def test_tn_ved_code_split_over_a_line_break():
    found = find_hs_codes("схемы электронные интегральные 8542 31\n900 0 ввозятся", "ru")
    assert [(i["code"], i["system"]) for i in found] == [("8542319000", "TNVED")]


def test_codes_in_prose_next_to_their_description():
    assert codes("For example, 85 pertains to “Electrical Machinery and Equipment”.") == ["85"]
    assert codes("exports of electronic integrated circuits (8542) rose") == ["8542"]
    assert codes("In 2022 (“the year of the invasion”) exports rose") == []


def test_edition_that_lists_the_code():
    by_code = {i["code"]: i["edition"] for i in find_hs_codes("CN codes 8542 31 90 and 8471 30 00")}
    assert by_code == {"85423190": "CN2024", "84713000": "CN2024"}
    assert find_hs_codes("HS code 8471")[0]["edition"] == "HS2022"


def test_russian_case_forms_and_ordinal_chapters():
    assert codes("в товарных группах 84 и 85 ТН ВЭД", "ru") == ["84", "85"]
    assert codes("из 84-й и 85-й групп ТН ВЭД ЕАЭС", "ru") == ["84", "85"]
    assert codes("кодов 8471 и 8473 ТН ВЭД", "ru") == ["8471", "8473"]
    assert codes("в субпозициях 8542 31 и 8542 32", "ru") == ["854231", "854232"]
    assert codes("товары подсубпозиции 8542 31 100 0", "ru") == ["8542311000"]


def test_glued_and_us_forms():
    assert codes("goods classified under HS85 and HS8542") == ["85", "8542"]
    assert codes("HTS 8542.31.0000 and 8542.32.0000") == ["8542310000", "8542320000"]


def test_more_traps():
    for text, lang in [("Attach form CN23 to the parcel.", "en"), ("The HS2022 and HS2007 editions.", "en"),
                       ("Саммит Группы 20 прошел в Индии.", "ru"), ("Глава 85 Налогового кодекса", "ru"),
                       ("заняла позицию 12 в рейтинге", "ru"), ("Executive Order 14024", "en")]:
        assert codes(text, lang) == [], text


ANNEX_TABLE = """ANNEX XXIII
List of goods referred to in Article 3k
CN code\tDescription
8411 11 00\tTurbojets of a thrust not exceeding 25 kN
ex 8413 81\tPumps for liquids, other
8471 30 00\tPortable automatic data-processing machines, weighing not more than 10 kg
8517 62 00\tMachines for the reception, conversion and transmission or regeneration of voice
8525\tTransmission apparatus for radio-broadcasting or television
8542 31 90\tOther
8807 30 00\tOther parts of aeroplanes, helicopters or unmanned aircraft
9013 10 00\tTelescopic sights for fitting to arms; periscopes
2024\tThis Regulation shall enter into force on the day following its publication.
"""


def test_annex_table_rows_without_cue_words():
    found = [(i["code"], i["ex"]) for i in find_hs_codes(ANNEX_TABLE)]
    assert found == [("84111100", False), ("841381", True), ("84713000", False), ("85176200", False),
                     ("8525", False), ("85423190", False), ("88073000", False), ("90131000", False)]


def test_annex_rows_without_header_or_tabs():
    text = ANNEX_TABLE.replace("CN code\tDescription\n", "").replace("\t", "  ")
    assert [i["code"] for i in find_hs_codes(text)] == [
        "84111100", "841381", "84713000", "85176200", "8525", "85423190", "88073000", "90131000"]


def test_sibling_codes_in_parentheses_and_number_before_chapter_word():
    assert codes("Ball bearings (8482) and machine tools (8457) are on the list.") == ["8482", "8457"]
    assert codes("Ввоз товаров 93 группы ТН ВЭД запрещен.", "ru") == ["93"]
    assert codes("Товары разбиты на 5 групп ТН ВЭД.", "ru") == []
