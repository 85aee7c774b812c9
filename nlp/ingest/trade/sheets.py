"""Workbook and CSV access for the trade readers: sheets as rows of cells
(openpyxl, a streaming ElementTree path for big ``.xlsx``, xlrd for ``.xls``),
header sniffing, CSV rows as dicts.

What it does not do: interpret cells (:mod:`.facts`).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..registry import ReadError, suffix
from ..textutil import decode_text

# -- workbook access -----------------------------------------------------------

def _xlsx_sheets(data: bytes) -> Iterator[tuple[str, list[tuple]]]:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Workbook contains no default style"
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise ReadError(f"not a readable .xlsx workbook: {type(exc).__name__}") from None
    try:
        for sheet in book.worksheets:
            # Some exporters write a wrong <dimension>; without a reset
            # read-only mode would stop at its first row.
            sheet.reset_dimensions()
            yield sheet.title, list(sheet.iter_rows(values_only=True))
    finally:
        book.close()


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@lru_cache(maxsize=1024)
def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _xlsx_sheets_fast(data: bytes) -> Iterator[tuple[str, list[tuple]]]:
    """Rows of every sheet, as openpyxl's ``iter_rows(values_only=True)``
    gives them (missing rows as empty tuples, gaps in a row as None), for
    workbooks without date cells.

    Why: the Comext exports hold ~800,000 inline-string cells (':'), and
    openpyxl builds a rich-text object for each (most of its read time). The
    stdlib's C ElementTree ``iterparse`` over the same sheet XML takes about a
    third of openpyxl's CPU time (``scripts/trade_ingest_timing.py
    --compare-xlsx``). Used only by the Comext reader, whose sheets hold no
    dates; everything else goes through openpyxl. A test checks both give
    the same rows.
    """
    import zipfile
    from xml.etree import ElementTree

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise ReadError(f"not a readable .xlsx workbook: {type(exc).__name__}") from None
    targets = {rel.get("Id"): rel.get("Target") or "" for rel in rels}
    shared: list[str] = []
    if "xl/sharedStrings.xml" in archive.namelist():
        for _, item in ElementTree.iterparse(io.BytesIO(archive.read("xl/sharedStrings.xml"))):
            if item.tag == f"{_MAIN_NS}si":
                shared.append("".join(t.text or "" for t in item.iter(f"{_MAIN_NS}t")))
                item.clear()
    tag_row, tag_v, tag_is = f"{_MAIN_NS}row", f"{_MAIN_NS}v", f"{_MAIN_NS}is"
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        try:
            xml = archive.read(part)
        except KeyError:
            raise ReadError(f"not a readable .xlsx workbook: sheet part {part} missing") from None
        rows: list[tuple] = []
        for _, row in ElementTree.iterparse(io.BytesIO(xml)):
            if row.tag != tag_row:
                continue
            number = int(row.get("r") or len(rows) + 1)
            while len(rows) < number - 1:
                rows.append(())
            cells: list[Any] = []
            for cell in row:
                ref = cell.get("r")
                if ref:
                    column = _column_index(ref.rstrip("0123456789"))
                    if column > len(cells):
                        cells.extend([None] * (column - len(cells)))
                kind = cell.get("t", "n")
                value: Any = None
                for child in cell:  # <v>, <is>, <f>
                    if child.tag == tag_v:
                        raw = child.text or ""
                        if kind == "s":
                            value = shared[int(raw)]
                        elif kind == "n":
                            value = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
                        elif kind == "b":
                            value = raw == "1"
                        else:  # "str" (formula text), "e" (error)
                            value = raw
                    elif child.tag == tag_is:
                        value = "".join(child.itertext())
                cells.append(value)
            rows.append(tuple(cells))
            row.clear()
        yield sheet.get("name") or part, rows


def _xls_sheets(data: bytes) -> Iterator[tuple[str, list[tuple]]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:
        raise ReadError(f"not a readable .xls workbook: {type(exc).__name__}") from None
    for sheet in book.sheets():
        yield sheet.name, [tuple(sheet.row_values(i)) for i in range(sheet.nrows)]


def _sheets(path: Path, data: bytes) -> Iterator[tuple[str, list[tuple]]]:
    return _xls_sheets(data) if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" else _xlsx_sheets(data)


def _cells_text(rows: Iterable[tuple], limit: int = 12) -> str:
    return " ".join(str(c) for row in list(rows)[:limit] for c in row if c not in (None, ""))


@lru_cache(maxsize=64)
def workbook_hints(head: bytes) -> tuple[tuple[str, ...], str]:
    """Sheet names and the readable start of the shared strings of an .xlsx,
    from its first bytes only (for sniffing without opening the workbook).

    An .xlsx is a zip; the local entries ``xl/workbook.xml`` and
    ``xl/sharedStrings.xml`` usually lie within the head, deflated. A
    truncated entry is decompressed as far as it goes.
    """
    import struct
    import zlib

    sheets: tuple[str, ...] = ()
    shared = ""
    offset = 0
    while True:
        offset = head.find(b"PK\x03\x04", offset)
        if offset < 0 or offset + 30 > len(head):
            break
        method, compressed, name_len, extra_len = (struct.unpack("<H", head[offset + 8:offset + 10])[0],
                                                   struct.unpack("<I", head[offset + 18:offset + 22])[0],
                                                   *struct.unpack("<HH", head[offset + 26:offset + 30]))
        name = head[offset + 30:offset + 30 + name_len].decode("utf-8", "replace")
        start = offset + 30 + name_len + extra_len
        if name in ("xl/workbook.xml", "xl/sharedStrings.xml"):
            raw = head[start:start + compressed] if compressed else head[start:]
            try:
                body = zlib.decompressobj(-15).decompress(raw) if method == 8 else raw
            except zlib.error:
                body = b""
            text = body.decode("utf-8", "replace")
            if name == "xl/workbook.xml":
                sheets = tuple(re.findall(r'<sheet [^>]*name="([^"]*)"', text))
            else:
                shared = re.sub(r"<[^>]+>", " ", text)
        offset = start
    return sheets, shared


def _xlsx_hint(path: Path, head: bytes) -> tuple[set[str], str]:
    if suffix(path) != "xlsx" or head[:2] != b"PK":
        return set(), ""
    sheets, shared = workbook_hints(bytes(head))
    return set(sheets), shared


# -- CSV helpers ---------------------------------------------------------------

def _csv_rows(data: bytes) -> tuple[list[str], list[dict[str, str]], dict]:
    text, notes = decode_text(data)
    reader_ = csv.DictReader(io.StringIO(text))
    if not reader_.fieldnames:
        raise ReadError("unrecognised trade table: no header line")
    header = [h.strip().lstrip("\ufeff") for h in reader_.fieldnames]
    reader_.fieldnames = header
    return header, list(reader_), notes


def _header(head: bytes) -> list[str]:
    line = head[:4096].decode("utf-8", "replace").lstrip("\ufeff").splitlines()
    if not line:
        return []
    return [h.strip().strip('"').lstrip("\ufeff") for h in next(csv.reader([line[0]]), [])]


def _has(head: bytes, *names: str) -> bool:
    header = {h.casefold() for h in _header(head)}
    return all(n.casefold() in header for n in names)
