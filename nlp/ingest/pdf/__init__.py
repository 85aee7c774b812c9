"""PDF files (text layer only) -> Documents, and OFSI listing PDFs -> ListingEntry.

One reader, ``pdf``, takes any file that starts with ``%PDF`` or is named
``*.pdf``. It reads the text layer with pdfplumber (pdfminer.six underneath;
chosen because it exposes every character's position, font and size, which
the structure rules below need, and because it finds ruled tables) and picks
one of three layouts from the first page's text:

``oj``
    An EU Official Journal act (running header "Official Journal of the
    European Union", "REGULATION (EU) ...", a CELEX number). Blocks follow the
    act's structure: title, preamble, ``recital N``, ``Chapter N``,
    ``Article N`` / ``Article N(k)``, ``Annex I``..., footnotes. The Annex
    tables of CN codes, which have no ruling lines (pdfplumber's table finder
    sees none), are rebuilt from word x-positions into table blocks with the
    cells ``CN code | Description | Greenhouse gas | Excluded from``. Meta:
    ``celex``, ``oj_reference``, ``act``, ``adopted``.
``ofsi``
    A UK OFSI "Consolidated list of financial sanctions targets" regime PDF:
    numbered free-text entries (``Name 6: ... Group ID: N.``), not tables.
    Each entry becomes a :class:`~nlp.records.ListingEntry` and one ``entry``
    block (section ``entry <Group ID>``) of a ``listing`` Document
    (:mod:`nlp.ingest.lists.ofsi`).
``generic``
    Anything else: paragraphs per page in reading order (top to bottom;
    two-column pages column by column), headings (bold or larger lines) as
    sections, bullets as list items, ruled tables as table blocks (multi-line
    cells joined), runs of ``field: description`` lines as two-column table
    blocks, figure labels dropped when they are garbage.

Every block carries its 1-based ``page``. Running headers and footers (lines
repeated at the top or bottom of most pages) and page numbers are dropped.

Modules: :mod:`.layout` (the page model shared by every layout), :mod:`.oj`,
:mod:`.generic`; this package holds the reader that picks one.

What it does not do: OCR (a PDF without a text layer is a ``ReadError``),
three or more columns, passwords (encrypted PDFs are refused), images.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ...records import ListingEntry, ReadResult
from ..registry import reader, suffix
from .generic import _generic_document
from .layout import load_pages
from .oj import _oj_structure, looks_like_oj

# --------------------------------------------------------------------------
# The reader.

def _sniff(path: Path, head: bytes) -> bool:
    return head[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in head[:1024] or suffix(path) == "pdf"


@lru_cache(maxsize=1)
def _quiet_pdfminer() -> None:
    """pdfminer logs a warning per odd object; the reader reports what matters."""
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)


@reader("pdf", "PDF text layer: EU Official Journal acts, UK OFSI listing PDFs, other PDFs",
        sniff=_sniff, priority=5)
def read_pdf(path: Path, data: bytes) -> ReadResult:
    # OFSI lists are read from this package's page model; importing them here,
    # not at the top, keeps nlp.ingest.lists free to import that model.
    from ..lists.ofsi import _ofsi_document, looks_like_ofsi

    _quiet_pdfminer()
    pages, metadata, figures = load_pages(data)
    empty = [p.number for p in pages if not (p.lines or p.tables)]
    first_text = "\n".join(l.text for p in pages[:2] for l in p.lines)
    listings: list[ListingEntry] = []
    if looks_like_ofsi(first_text):
        document, listings = _ofsi_document(pages, data, path, metadata)
    elif looks_like_oj(first_text, path):
        document = _oj_structure(pages, data, path, metadata)
    else:
        document = _generic_document(pages, figures, data, path, metadata)
    if empty:
        document.meta["pages_without_text"] = empty  # image-only pages: not OCRed
    return ReadResult(documents=[document], listings=listings)
