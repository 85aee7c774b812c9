"""Partial reads: files a reader accepted although it could not read all of them.

What it does: :func:`partial_reasons` looks at a file and what its reader made
of it and returns one-line reasons when the read is evidently incomplete:

* a PDF whose pages hold text (pdfium counts characters on them) but from
  which the reader kept no text at all;
* a CSV cut off mid-record: the file ends inside a quoted field, or its last
  line (no final newline) has fewer fields than the header.

The ingest runner stores such files as read (what was read is kept) with the
reason on the file's row and lists them in its summary, so a short table or
an empty document never passes silently.

What it does not do: repair files or re-read them with another reader.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..records import ReadResult

_CSV_SUFFIXES = {".csv", ".tsv"}


def _text_chars(result: ReadResult) -> int:
    return sum(len(doc.text.strip()) for doc in result.documents)


def pdf_page_chars(data: bytes, pages: int = 50) -> int:
    """Characters pdfium finds on the first ``pages`` pages (0 when it cannot open the file)."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return 0
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:  # pdfium raises its own error kinds for damaged files
        return 0
    total = 0
    try:
        for index in range(min(len(pdf), pages)):
            page = pdf[index]
            textpage = page.get_textpage()
            total += len(textpage.get_text_range().strip())
            textpage.close()
            page.close()
    except Exception:
        return total
    finally:
        pdf.close()
    return total


def csv_truncation(data: bytes) -> str | None:
    """Why a CSV looks cut off, or None."""
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    if not text.strip() or text.endswith(("\n", "\r")):
        return None
    head = text[:8192].splitlines()[0]
    delimiter = "\t" if head.count("\t") > head.count(",") and head.count("\t") > head.count(";") \
        else (";" if head.count(";") > head.count(",") else ",")
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error:
        return "file ends inside a quoted field (truncated CSV?)"
    if len(rows) >= 2 and 0 < len(rows[-1]) < len(rows[0]):
        return (f"last line has {len(rows[-1])} of {len(rows[0])} fields and no line end "
                "(truncated CSV?)")
    return None


def partial_reasons(path: Path, data: bytes, result: ReadResult) -> list[str]:
    reasons = []
    suffix = path.suffix.lower()
    if (suffix == ".pdf" or data[:5] == b"%PDF-") and result.documents and _text_chars(result) == 0:
        found = pdf_page_chars(data)
        if found:
            reasons.append(f"partial read: the pages hold text ({found:,} characters on the first pages) "
                           "but none was extracted")
    if suffix in _CSV_SUFFIXES:
        why = csv_truncation(data)
        if why:
            reasons.append(f"partial read: {why}")
    return reasons
