"""Failure reasons a person can act on: one line, bounded, about the file.

What it does: :func:`describe` turns an exception a reader or a library
raised into a reason that says what is wrong with the file ("damaged zip
container", "malformed XML at line 3", "unexpected PDF structure"), with the
internal exception kept short at the end for whoever debugs the reader.
:func:`one_line` squeezes any reason (a reader's own ReadError included) onto
one line of at most :data:`MAX_REASON_CHARS` characters.

What it does not do: decide whether a file fails (the readers and the
ingest runner do) or log anything.
"""

from __future__ import annotations

MAX_REASON_CHARS = 300
_DETAIL_CHARS = 120


def one_line(text: str, limit: int = MAX_REASON_CHARS) -> str:
    """``text`` on one line (runs of whitespace and control characters become
    one space), cut to ``limit`` characters with an ellipsis."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in str(text)).split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def _what(exc: BaseException) -> str:
    """What the exception says about the file, by its kind."""
    import csv
    import json
    import zipfile
    from xml.etree.ElementTree import ParseError

    name = type(exc).__name__
    module = type(exc).__module__ or ""
    if isinstance(exc, MemoryError):
        return "ran out of memory reading the file"
    if isinstance(exc, RecursionError):
        return "structure nested too deeply to read"
    if isinstance(exc, UnicodeError):
        return "text in an encoding that cannot be decoded"
    if isinstance(exc, zipfile.BadZipFile) or name in ("BadZipFile", "LargeZipFile"):
        return "damaged zip container (xlsx/docx/zip)"
    if isinstance(exc, json.JSONDecodeError):
        return f"malformed JSON at line {exc.lineno}, column {exc.colno}"
    if isinstance(exc, csv.Error):
        return "malformed CSV"
    if isinstance(exc, ParseError) or name in ("XMLSyntaxError", "ParserError", "XMLSyntaxAssertionError"):
        return "malformed XML or HTML"
    if module.startswith(("pdfminer", "pdfplumber", "pypdfium2", "pypdf")) or name.startswith(("PDF", "Pdf")):
        return "damaged or unsupported PDF structure"
    if module.startswith(("openpyxl", "xlrd")) or name == "XLRDError":
        return "damaged or unsupported spreadsheet structure"
    if isinstance(exc, (EOFError,)):
        return "file ends early (truncated)"
    if isinstance(exc, OSError):
        return f"cannot read the file ({exc.strerror or name})"
    return "unexpected content the reader does not handle"


def describe(reader: str, exc: BaseException) -> str:
    """One line: what is wrong, which reader met it, and the internal detail."""
    detail = one_line(str(exc), _DETAIL_CHARS)
    internal = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return one_line(f"{_what(exc)} ({reader} reader; {internal})")
