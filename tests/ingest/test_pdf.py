"""PDF reader: generic, Official Journal and OFSI layouts, and broken files.

Small PDFs are written by hand here (a few objects and an xref table), so the
fast tests need neither the corpus nor a PDF-writing library. The real-file
tests parse each corpus PDF once (module fixtures) and are marked slow: the
53-page OJ act alone takes tens of seconds on a shared 2-core machine.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from nlp.ingest import read_path
from nlp.ingest.lists.ofsi import ofsi_date, parse_ofsi_entry
from nlp.ingest.pdf import _sniff, read_pdf
from nlp.ingest.pdf.layout import join_lines
from nlp.ingest.pdf.oj import looks_like_oj
from nlp.ingest.registry import ReadError
from nlp.records import content_id

OJ_PDF = "oj_pdfs/cbam_yashkhanna22/CELEX_32023R0956_EN_TXT.pdf"
OJ_CSV = "oj_pdfs/cbam_yashkhanna22/DERIVED_cbam_annex1_cn_codes.csv"
OFSI_PDF = "sanctions_lists/uk/ofsi_pdf_mkd-neo4j/Cyber.pdf"
FSF_PDF = "sanctions_lists/eu_fsf_simonabisiani/FSF-CSV-attributes_1384.pdf"


# -- hand-made PDFs ---------------------------------------------------------

def build_pdf(page_contents: list[bytes], *, encrypt: bool = False) -> bytes:
    """A minimal valid PDF: one Helvetica font, one content stream per page."""
    n_pages = len(page_contents)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n_pages))
        + b"] /Count %d >>" % n_pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, content in enumerate(page_contents):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    trailer_extra = b""
    if encrypt:
        # Standard security handler, RC4 40-bit, with a user password: the
        # empty password does not match /U, so a reader must refuse it.
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32
                       + b"> /P -4 >>")
        trailer_extra = (b"/Encrypt %d 0 R /ID [<0123456789abcdef0123456789abcdef> "
                         b"<0123456789abcdef0123456789abcdef>] " % len(objects))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer_extra
              + b">>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def text_content(lines: list[tuple[float, float, float, str]]) -> bytes:
    """Content stream drawing (x, y, size, text) lines in Helvetica."""
    ops = []
    for x, y, size, text in lines:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"BT /F1 {size} Tf {x} {y} Td ({escaped}) Tj ET")
    return "\n".join(ops).encode("latin-1")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


SAMPLE_LINES = [
    (72, 780, 18, "Field reference"),
    (72, 740, 11, "This note describes the columns of an export file used in tests."),
    (72, 725, 11, "It has two short paragraphs and one list of fields."),
    (72, 690, 11, "file_date: the date the file was published"),
    (72, 675, 11, "entity_id: the identifier of the entity"),
    (72, 660, 11, "entity_name: the name as printed"),
    (72, 620, 11, "The list above is complete for this version of the format."),
]


# -- fast tests: helpers and hand-made files ---------------------------------

def test_sniff_takes_pdf_magic_or_suffix():
    assert _sniff(Path("x.bin"), b"%PDF-1.7\n...")
    assert _sniff(Path("report.PDF"), b"not really")
    assert not _sniff(Path("x.txt"), b"hello")


def test_generic_pdf_blocks_pages_and_field_table(tmp_path):
    data = build_pdf([text_content(SAMPLE_LINES), text_content([(72, 780, 11, "Second page text.")])])
    _, result = read_path(write(tmp_path, "fields.pdf", data))
    (doc,) = result.documents
    assert doc.kind == "reference" and doc.lang == "en" and doc.meta["layout"] == "generic"
    assert doc.doc_id == content_id(data)
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].text == "Field reference"
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 1
    assert tables[0].table == [["file_date", "the date the file was published"],
                               ["entity_id", "the identifier of the entity"],
                               ["entity_name", "the name as printed"]]
    assert {b.page for b in doc.blocks} == {1, 2}
    assert all(doc.text[b.start:b.end] == b.text for b in doc.blocks)
    assert doc.blocks[-1].page == 2 and doc.blocks[-1].section == "Field reference"


def two_column_lines() -> list[tuple[float, float, float, str]]:
    lines = [(180, 790, 16, "A two column bulletin")]
    for n in range(14):
        lines.append((50, 750 - 14 * n, 10, f"left column sentence number {n} keeps going on"))
        lines.append((315, 750 - 14 * n, 10, f"right column sentence number {n} goes further"))
    lines.append((50, 520, 10, "A closing line that runs across the whole width of the page, both columns."))
    return lines


def test_two_column_page_is_read_column_by_column(tmp_path):
    _, result = read_path(write(tmp_path, "columns.pdf", build_pdf([text_content(two_column_lines())])))
    (doc,) = result.documents
    assert doc.meta["two_column_pages"] == 1
    text = doc.text
    assert text.index("left column sentence number 13") < text.index("right column sentence number 0")
    assert text.index("right column sentence number 13") < text.index("A closing line")
    left = next(b for b in doc.blocks if "left column sentence number 0" in b.text)
    assert "right column" not in left.text and "left column sentence number 13" in left.text


def test_single_column_page_is_not_split(tmp_path):
    lines = [(72, 780 - 14 * n, 10, f"A single column line {n} with quite a few words that crosses the middle")
             for n in range(20)]
    _, result = read_path(write(tmp_path, "one.pdf", build_pdf([text_content(lines)])))
    (doc,) = result.documents
    assert "two_column_pages" not in doc.meta
    assert doc.text.index("line 0 ") < doc.text.index("line 1 ") < doc.text.index("line 19 ")


def ruled_table_page() -> bytes:
    """A heading, a 3x3 table drawn with ruling lines (one two-line cell), a paragraph."""
    xs, ys = [72, 212, 352, 492], [700, 660, 620, 580]
    rules = [f"{xs[0]} {y} m {xs[-1]} {y} l S" for y in ys] + [f"{x} {ys[0]} m {x} {ys[-1]} l S" for x in xs]
    cells = [(80, 685, 10, "Code"), (220, 685, 10, "Label"), (360, 685, 10, "Unit"),
             (80, 645, 10, "2507"), (220, 645, 10, "Kaolinic clays,"), (220, 633, 10, "other"),
             (360, 645, 10, "tonne"), (80, 605, 10, "2716"), (220, 605, 10, "Electrical energy"),
             (360, 605, 10, "MWh")]
    text = [(72, 760, 16, "Goods table"), (72, 540, 10, "Text after the table stays a paragraph.")]
    return ("0.5 w\n" + "\n".join(rules) + "\n").encode() + text_content(text + cells)


def test_ruled_table_becomes_a_table_block(tmp_path):
    _, result = read_path(write(tmp_path, "table.pdf", build_pdf([ruled_table_page()])))
    (doc,) = result.documents
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["heading", "table", "paragraph"]
    table = doc.blocks[1]
    assert table.table == [["Code", "Label", "Unit"], ["2507", "Kaolinic clays, other", "tonne"],
                           ["2716", "Electrical energy", "MWh"]]
    assert table.text.splitlines()[1] == "2507\tKaolinic clays, other\ttonne"
    assert table.page == 1 and table.section == "Goods table"
    assert "Kaolinic" not in doc.blocks[2].text  # table text is not repeated as prose


def test_zero_byte_pdf_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="empty file"):
        read_pdf(tmp_path / "empty.pdf", b"")


def test_non_pdf_bytes_with_pdf_suffix(tmp_path):
    path = write(tmp_path, "fake.pdf", b"<html><body>Not a PDF</body></html>")
    with pytest.raises(ReadError, match="not a PDF"):
        read_path(path)


def test_truncated_pdf(tmp_path):
    data = build_pdf([text_content(SAMPLE_LINES)])
    path = write(tmp_path, "cut.pdf", data[: len(data) * 2 // 3])
    with pytest.raises(ReadError, match=r"^truncated or corrupt PDF: "):
        read_path(path)


def test_garbage_between_header_and_eof_is_corrupt(tmp_path):
    body = bytes(range(256)) * 40  # no objects, no xref: nothing pdfminer can recover
    path = write(tmp_path, "garbage.pdf", b"%PDF-1.4\n" + body + b"\n%%EOF\n")
    with pytest.raises(ReadError, match=r"^truncated or corrupt PDF: "):
        read_path(path)


def test_recoverable_damage_is_read(tmp_path):
    # A broken xref keyword: pdfminer rebuilds the xref by scanning objects.
    data = build_pdf([text_content(SAMPLE_LINES)]).replace(b"xref", b"xxxx", 1)
    _, result = read_path(write(tmp_path, "damaged.pdf", data))
    assert "Field reference" in result.documents[0].text


def test_encrypted_pdf(tmp_path):
    path = write(tmp_path, "locked.pdf", build_pdf([text_content(SAMPLE_LINES)], encrypt=True))
    with pytest.raises(ReadError, match=r"^encrypted PDF \(password required\)$"):
        read_path(path)


def test_scanned_pdf_without_text_layer(tmp_path):
    # A page that only paints a 2x2 grey image, as a scanner would (bigger).
    image = b"q 400 0 0 400 100 300 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q"
    path = write(tmp_path, "scan.pdf", build_pdf([image]))
    with pytest.raises(ReadError, match=r"no text layer \(scanned PDF\?\); OCR is not done"):
        read_path(path)


def test_partly_scanned_pdf_reads_text_pages_and_names_the_others(tmp_path):
    image = b"q 400 0 0 400 100 300 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q"
    path = write(tmp_path, "mixed.pdf", build_pdf([text_content(SAMPLE_LINES), image]))
    _, result = read_path(path)
    (doc,) = result.documents
    assert doc.meta["pages_without_text"] == [2]
    assert {b.page for b in doc.blocks} == {1}


def test_join_lines_undoes_hyphenation_only_for_known_words():
    vocabulary = {"following", "rails"}
    assert join_lines(["the fol-", "lowing: rails"], vocabulary) == "the following: rails"
    assert join_lines(["whether or not heat-", "insulated"], vocabulary) == "whether or not heat-insulated"


def test_oj_layout_needs_more_than_a_citation():
    assert looks_like_oj("L 130/52 EN Official Journal of the European Union 16.5.2023", Path("a.pdf"))
    assert looks_like_oj("COUNCIL REGULATION (EU) No 833/2014\nof 31 July 2014", Path("a.pdf"))
    assert looks_like_oj("", Path("CELEX_32014R0833_EN_TXT.pdf"))
    assert not looks_like_oj("Guidance\nCouncil Regulation (EU) No 833/2014 of 31 July 2014", Path("a.pdf"))


def test_ofsi_dates():
    assert ofsi_date("03/07/1987") == "1987-07-03"
    assert ofsi_date("00/00/1970") == "1970"
    assert ofsi_date("00/05/1970") == "1970-05"
    assert ofsi_date("2/25/2011") is None  # month 25: not OFSI's day-first form


def test_parse_ofsi_entry_fields():
    # A made-up entry in OFSI's layout (not a real listing).
    text = ("12. Name 6: DOE 1: JOHN 2: PAUL 3: n/a 4: n/a 5: n/a. Name (non-Latin script): Джон ДОУ "
            "DOB: (1) 01/02/1980. (2) 00/00/1981. POB: Springfield a.k.a: (1) JD (2) DOE, Johnny "
            "(non-Latin script: Джонни) Nationality: (1) Ruritania (2) Freedonia Passport Number: "
            "(1) 123456 (2) 654321 Other Information: (UK Sanctions List Ref):ABC0001 and XYZ0002. "
            "(UK Statement of Reasons):Made up for a test. (Gender):Male Listed on: 05/06/2021 "
            "UK Sanctions List Date Designated: 31/12/2021 Last Updated: 01/01/2022 Group ID: 99999.")
    entry = parse_ofsi_entry(text, "Test regime", "x.pdf", "doc1", "Individuals")
    assert entry.schema == "Person"
    assert entry.name == "JOHN PAUL DOE"
    assert entry.aliases == ["Джон ДОУ", "JD", "DOE, Johnny", "Джонни"]
    assert entry.birth_dates == ["1980-02-01", "1981"]
    assert entry.nationalities == ["Ruritania", "Freedonia"]
    assert entry.identifiers == {"passport": ["123456", "654321"], "ofsi_group_id": ["99999"],
                                 "uk_ref": ["ABC0001", "XYZ0002"]}
    assert entry.listing_date == "2021-06-05"
    assert entry.reason == "Made up for a test"
    assert entry.entry_id == content_id("UK-OFSI", "99999") and entry.source_id == "99999"
    assert entry.extra["birth_places"] == ["Springfield"] and entry.extra["gender"] == "Male"
    assert entry.extra["designated"] == "2021-12-31" and entry.extra["entry_number"] == 12


def test_parse_ofsi_organisation():
    text = ("3. Organisation Name: EXAMPLE TRADING LLC a.k.a: Example Address: 1 Main Street, Nowhere."
            "Other Information: (UK Sanctions List Ref):ABC0003. (Type of entity):Company "
            "Listed on: 01/01/2024 Group ID: 12345.")
    entry = parse_ofsi_entry(text, "Test", "x.pdf", None)
    assert entry.schema == "Organization" and entry.name == "EXAMPLE TRADING LLC"
    assert entry.aliases == ["Example"]
    assert entry.extra["addresses"] == ["1 Main Street, Nowhere"]
    assert entry.extra["entity_type"] == "Company"


# -- real corpus files ---------------------------------------------------------

def test_truncated_real_pdf(corpus, tmp_path):
    data = (corpus / OFSI_PDF).read_bytes()
    path = write(tmp_path, "Cyber.pdf", data[: len(data) // 2])
    with pytest.raises(ReadError, match=r"^truncated or corrupt PDF: "):
        read_path(path)


@pytest.fixture(scope="module")
def oj_doc(corpus):
    _, result = read_path(corpus / OJ_PDF)
    (doc,) = result.documents
    return doc


@pytest.fixture(scope="module")
def ofsi(corpus):
    return read_path(corpus / OFSI_PDF)[1]


@pytest.mark.slow
@pytest.mark.corpus
def test_oj_act_metadata_and_structure(oj_doc):
    assert oj_doc.kind == "regulation" and oj_doc.lang == "en"
    assert oj_doc.title.startswith("REGULATION (EU) 2023/956 OF THE EUROPEAN PARLIAMENT")
    assert oj_doc.meta["celex"] == "32023R0956"
    assert oj_doc.meta["oj_reference"] == "OJ L 130, 16.5.2023, pp. 52–104"
    assert oj_doc.meta["adopted"] == "2023-05-10" and oj_doc.published == "2023-05-16"
    sections = {b.section for b in oj_doc.blocks}
    assert {"recital 1", "recital 12", "Article 1", "Article 3", "Annex I", "Annex VI"} <= sections
    recitals = {b.section for b in oj_doc.blocks if b.kind == "recital" and b.section}
    assert recitals == {f"recital {n}" for n in range(1, 83)}  # the act has 82 recitals
    assert all(b.page and 1 <= b.page <= 53 for b in oj_doc.blocks)
    article_1 = next(b for b in oj_doc.blocks if b.section == "Article 1" and b.kind == "heading")
    assert article_1.page == 13
    annex_1 = next(b for b in oj_doc.blocks if b.section == "Annex I" and b.kind == "heading")
    assert annex_1.page == 39
    assert not re.search(r"\bEN Official Journal of the European Union\b", oj_doc.text)  # running header
    assert "CO2e" in oj_doc.text  # subscripts stay on their line
    assert all(oj_doc.text[b.start:b.end] == b.text for b in oj_doc.blocks)


@pytest.mark.slow
@pytest.mark.corpus
def test_oj_annex_i_cn_codes_match_transcription(oj_doc, corpus):
    """Annex I codes vs the third-party CSV (56 rows, 14 of them exclusions).

    Counting: every row of every Annex I table block, inclusions and the
    "Except:" rows alike, code digits without spaces (the PDF prints
    "7202 2" where the CSV has "72022"). Annex II repeats part of the list
    and is not counted.
    """
    rows = [row for b in oj_doc.blocks if b.kind == "table" and b.section == "Annex I"
            for row in b.table if row[0] != "CN code"]
    found = [row[0].replace(" ", "") for row in rows]
    with open(corpus / OJ_CSV, newline="", encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert len(found) == len(set(found)) == len(expected) == 56
    assert set(found) == {r["CN_Prefix"] for r in expected}
    excluded = {row[0].replace(" ", "") for row in rows if row[3]}
    assert excluded == {r["CN_Prefix"] for r in expected if r["Coverage"] == "EXCLUDE"}
    by_code = {row[0].replace(" ", ""): row for row in rows}
    assert by_code["28080000"][2] == "Carbon dioxide and nitrous oxide"
    assert by_code["7601"][2] == "Carbon dioxide and perfluorocarbons"
    assert by_code["31056000"][3] == "3105" and by_code["7204"][3] == "72"
    assert by_code["28041000"][1] == "Hydrogen"
    # Descriptions: wrapped lines joined, hyphenation undone where the word is known.
    assert "the following: rails" in by_code["7302"][1]
    assert all(table.page in (39, 40, 41, 42) for table in oj_doc.blocks
               if table.kind == "table" and table.section == "Annex I")


@pytest.mark.slow
@pytest.mark.corpus
def test_ofsi_entries_counted_independently(ofsi, corpus):
    import pdfplumber

    with pdfplumber.open(corpus / OFSI_PDF) as pdf:
        raw = "\n".join(page.extract_text() or "" for page in pdf.pages)
    # Each entry ends with "Group ID: N." (sometimes wrapped between the words).
    group_ids = set(re.findall(r"Group\s+ID:\s*(\d+)", raw))
    assert len(ofsi.listings) == len(group_ids) == 79
    assert {e.source_id for e in ofsi.listings} == group_ids
    (doc,) = ofsi.documents
    entries = [b for b in doc.blocks if b.kind == "entry"]
    assert len(entries) == len(group_ids)
    assert {b.section for b in entries} == {f"entry {g}" for g in group_ids}
    assert doc.kind == "listing" and doc.published == "2025-08-12" and doc.meta["programme"] == "Cyber"


@pytest.mark.slow
@pytest.mark.corpus
def test_ofsi_entry_records(ofsi):
    (doc,) = ofsi.documents
    listings = ofsi.listings
    assert {e.doc_id for e in listings} == {doc.doc_id}
    assert all(e.entry_id == content_id("UK-OFSI", e.identifiers["ofsi_group_id"][0]) for e in listings)
    assert all(e.list_name == "UK OFSI consolidated list" and e.programme == "Cyber" for e in listings)
    assert {e.schema for e in listings} == {"Person", "Organization"}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", e.listing_date) for e in listings)
    assert all(re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", d) for e in listings for d in e.birth_dates)
    assert all(re.fullmatch(r"[A-Z]{3}\d{4}", r) for e in listings for r in e.identifiers["uk_ref"])
    assert all(e.reason and len(e.reason) > 40 for e in listings)
    first = listings[0]  # facts of OFSI's published entry 1 (Group ID 16753)
    assert first.name == "VLADIMIR VLADIMIROVICH ANANEV" and first.schema == "Person"
    assert first.birth_dates == ["1987-07-03"] and first.nationalities == ["Russia"]
    assert first.identifiers == {"uk_ref": ["CYB0071"], "passport": ["766211028"], "ofsi_group_id": ["16753"]}
    assert first.aliases == ["DARKON", "THEVLADAN33"] and first.listing_date == "2025-02-11"
    persons = [e for e in listings if e.schema == "Person"]
    assert sum(1 for e in persons if e.birth_dates) >= 0.6 * len(persons)
    assert any(re.search(r"[\u0400-\u04FF]", a) for e in persons for a in e.aliases)


@pytest.mark.slow
@pytest.mark.corpus
def test_fsf_attribute_pdf_is_a_reference_with_tables(corpus):
    _, result = read_path(corpus / FSF_PDF)
    (doc,) = result.documents
    assert doc.kind == "reference" and doc.lang == "en"
    assert doc.title == "FSF – Financial Sanction Files"
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) >= 10
    fields = {row[0] for b in tables for row in b.table}
    assert {"leba_numtitle", "Naal_wholename", "Addr_city", "Birt_date", "Iden_number", "Citi_country"} <= fields
    assert {b.page for b in doc.blocks} == set(range(1, 7))
    assert {"Legal Basis", "Entity", "Name Alias", "Address", "Citizenship"} <= {b.section for b in doc.blocks}
    assert "EEnEnt" not in doc.text  # the figure's shadowed labels are not kept
    bullets = [b.text for b in doc.blocks if b.kind == "list_item"]
    assert bullets[:2] == ["• Name Alias", "• Address"]  # Symbol-font bullets, one item each
