"""The ground-floor text facts: front-matter headers are metadata, not prose."""

from nlp.text import front_matter_end, without_front_matter

HEADER = (
    "---\n"
    "title: Exporter charged over drone parts\n"
    "published_date: 2025-05-27T00:00:00\n"
    "author: A. Writer\n"
    "---\n"
)
BODY = "Customs officers in Riga seized the shipment on 12 March 2025.\n"


def test_front_matter_end_finds_the_closing_line():
    assert front_matter_end(HEADER + BODY) == len(HEADER)
    assert front_matter_end(BODY) == 0
    assert front_matter_end("--- not a header\n" + BODY) == 0


def test_blanked_header_keeps_offsets_and_line_breaks():
    text = HEADER + BODY
    masked = without_front_matter(text)
    assert len(masked) == len(text)
    assert masked.count("\n") == text.count("\n")
    assert masked[len(HEADER):] == BODY
    assert "published_date" not in masked and "2025-05-27" not in masked
    assert without_front_matter(BODY) == BODY


def test_extraction_does_not_read_the_header_as_prose():
    from nlp.extract.pipeline import job_for_document
    from nlp.records import Document

    doc = Document(doc_id="d1", kind="news", lang="en", text=HEADER + BODY, source="x.txt",
                   published="2025-05-27")
    job = job_for_document(doc)
    assert job.text[len(HEADER):] == BODY
    assert "2025-05-27T00" not in job.text
