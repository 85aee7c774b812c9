"""Cheap checks before a reader starts: refuse files whose own numbers say
that reading them would take without end.

What it does: :func:`preflight` looks at what a file declares, with fast
native code or one linear scan, and raises ReadError naming the number and
the bound when it is out of any real document's range:

* zip containers (xlsx): the members' declared uncompressed size (a zip
  bomb), and for each sheet the area it declares (rows x columns) (``<dimension>`` and the
  furthest cell reference) against the cells it holds: a sheet declaring
  cell XFD1048576 (17 billion cells) with a handful of values makes
  spreadsheet libraries walk every empty cell;
* PDFs: characters per page, counted by pdfium (C code): a page holding
  tens of thousands of characters or more (a 2 MB text run, millions of text operators)
  makes the layout analysis, which handles every character as an object,
  run for hours.

What it does not do: replace the per-file time and memory limit
(:mod:`nlp.ingest.isolation`), which still catches whatever these numbers miss.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from .registry import ReadError

MAX_UNZIPPED_BYTES = 2 * 1024 ** 3
MAX_SPARSE_AREA = 5_000_000           # declared cells beyond which a sheet must be dense
MIN_DENSITY = 1 / 100                 # cells held per declared cell, for such a sheet
MAX_PAGE_CHARS = 20_000               # the densest corpus page holds 7,126
# Row numbers come from <row r="...">; columns only from cells past column Z
# and rows from cells past row 99,999, so ordinary sheets (a few columns)
# match rarely and the scan stays in C; the dimension gives the rest.
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d{1,7})"')
_FAR_REF = re.compile(rb'\br="([A-Z]{2,3})(\d{1,7})"|\br="([A-Z])(\d{6,7})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="(?:[A-Z]{1,3}\d{1,7}:)?([A-Z]{1,3})(\d{1,7})"')
_CHUNK = 1 << 20


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        return  # the reader reports a damaged container in its own words
    with archive:
        declared = sum(info.file_size for info in archive.infolist())
        if declared > MAX_UNZIPPED_BYTES:
            raise ReadError(f"zip container expands to {declared / 1024 ** 3:.1f} GiB, over the "
                            f"{MAX_UNZIPPED_BYTES / 1024 ** 3:.0f} GiB a workbook may hold (zip bomb?)")
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                _check_sheet(archive, info)


def _check_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    max_row = max_col = cells = 0
    tail = b""
    try:
        with archive.open(info) as member:
            while True:
                chunk = member.read(_CHUNK)
                if not chunk:
                    break
                window = tail + chunk
                for m in _DIMENSION.finditer(window):
                    max_col, max_row = max(max_col, _column(m.group(1))), max(max_row, int(m.group(2)))
                for m in _ROW.finditer(window):
                    max_row = max(max_row, int(m.group(1)))
                for m in _FAR_REF.finditer(window):
                    letters, digits = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
                    max_col, max_row = max(max_col, _column(letters)), max(max_row, int(digits))
                cells += window.count(b"<c ") + window.count(b"<c>") - tail.count(b"<c ") - tail.count(b"<c>")
                tail = window[-64:]
    except Exception:  # a damaged member (zlib, CRC, truncation errors): the reader says so
        return
    area = max_row * max_col
    if area > MAX_SPARSE_AREA and cells < area * MIN_DENSITY:
        raise ReadError(f"sheet {info.filename.rsplit('/', 1)[-1]} declares {area:,} cells (up to row "
                        f"{max_row:,}, column {max_col:,}) but holds {cells:,}: refused, reading it would "
                        "walk every empty cell")


def check_pdf(data: bytes) -> None:
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:  # damaged: the reader says so in its own words
        return
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            chars = textpage.count_chars()
            textpage.close()
            page.close()
            if chars > MAX_PAGE_CHARS:
                raise ReadError(f"page {index + 1} holds {chars:,} characters, over the {MAX_PAGE_CHARS:,} "
                                "a page can hold: refused (a generated or hostile PDF)")
    except ReadError:
        raise
    except Exception:
        return
    finally:
        pdf.close()


def preflight(path: Path, data: bytes) -> None:
    """ReadError when the file declares more than any real document holds."""
    if data[:4] == b"PK\x03\x04" and path.suffix.lower() in (".xlsx", ".xlsm", ".zip", ".docx"):
        check_zip(data)
    elif data[:5] == b"%PDF-" or path.suffix.lower() == ".pdf":
        check_pdf(data)
