"""The PDF page model and what every layout shares: pages of lines with
their typography (pdfplumber), opening with errors a person can act on,
line joining, running headers and footers, paragraphs, document metadata.

What it does not do: decide what a PDF is or give it structure (:mod:`.oj`,
:mod:`.generic`, :mod:`nlp.ingest.lists.ofsi`).
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..registry import ReadError
from ..textutil import parse_date

# --------------------------------------------------------------------------
# Page model: lines with the typography the structure rules look at.


@dataclass
class Line:
    text: str
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False
    italic: bool = False
    words: list[dict] = field(default_factory=list, repr=False)


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    tables: list[tuple[float, list[list[str]]]] = field(default_factory=list)  # (top, rows)


_DIGIT = re.compile(r"\d+")


def _font_flags(chars: list[dict]) -> tuple[float, bool, bool]:
    visible = [c for c in chars if c.get("text", "").strip()] or chars
    size = Counter(round(c["size"], 1) for c in visible).most_common(1)[0][0] if visible else 0.0
    bold = sum("bold" in c["fontname"].lower() for c in visible) > len(visible) / 2
    italic = sum(any(k in c["fontname"].lower() for k in ("ital", "oblique")) for c in visible) > len(visible) / 2
    return size, bold, italic


def _superscript_ids(page) -> set[int]:
    """Small raised digits ("Date3", footnote references): ids to drop.

    Parenthesised references ("Committee(1)") are kept: they read well.
    Small lowered glyphs (the 2 of CO2) are moved onto the baseline of the
    glyph they follow, so that line grouping does not split them off.
    """
    chars = page.chars
    if not chars:
        return set()
    body = statistics.median(c["size"] for c in chars)
    by_right_edge: dict[int, list[dict]] = {}
    for char in chars:
        if char["size"] > 0.75 * body and char["text"].strip():
            by_right_edge.setdefault(round(char["x1"]), []).append(char)
    drop = set()
    snapped: dict | None = None
    for char in chars:
        if char["size"] > 0.75 * body:
            snapped = None
            continue
        if not char["text"].strip():
            if snapped is not None:  # the small space after a subscript goes with it
                char["top"], char["bottom"] = snapped["top"], snapped["bottom"]
            continue
        snapped = None
        # The full-size glyph just left of this one, overlapping it vertically.
        candidates = [c for edge in range(round(char["x0"]) - 2, round(char["x0"]) + 2)
                      for c in by_right_edge.get(edge, ())
                      if c["top"] - char["size"] < char["top"] < c["bottom"] + 1]
        if not candidates:
            continue
        prev = min(candidates, key=lambda c: abs(c["x1"] - char["x0"]) + abs(c["top"] - char["top"]))
        if char["top"] > prev["top"] + 1 and char["bottom"] >= prev["bottom"] - 0.5:  # subscript
            char["top"], char["bottom"] = prev["top"], prev["bottom"]
            snapped = prev
        elif char["text"].isdigit() and prev["text"] != "(" and char["bottom"] < prev["bottom"] - 0.5:
            drop.add(id(char))
    return drop


def _table_quality(rows: list[list[str | None]]) -> bool:
    """A real table: two rows and two columns with text, cells mostly filled."""
    if len(rows) < 2:
        return False
    width = max(len(r) for r in rows)
    filled = sum(1 for r in rows for c in r if c and c.strip())
    used_cols = sum(1 for i in range(width) if any(i < len(r) and (r[i] or "").strip() for r in rows))
    return width >= 2 and used_cols >= 2 and filled >= 0.5 * len(rows) * used_cols


def _inside(obj: dict, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    mid_x = (obj["x0"] + obj["x1"]) / 2
    mid_y = (obj["top"] + obj["bottom"]) / 2
    return x0 <= mid_x <= x1 and top <= mid_y <= bottom


_CID = re.compile(r"\(cid:\d+\)")
# Symbol/Wingdings bullets arrive as private-use code points.
_BULLETS = str.maketrans({"\uf0b7": "•", "\uf0a7": "▪", "\uf076": "•", "\uf0d8": "•", "\uf0fc": "•"})


def _dropped_chars(page) -> set[int]:
    """ids of chars not to read: exact duplicates (fake bold, shadows) and superscripts.

    pdfplumber's ``dedupe_chars`` does the first but is quadratic (seconds
    per dense page); a hash on (glyph, rounded position) is enough here.
    """
    seen: set[tuple] = set()
    dropped = set()
    for char in page.chars:
        key = (char["text"], round(char["x0"]), round(char["top"]))
        if key in seen:
            dropped.add(id(char))
        seen.add(key)
    return dropped | _superscript_ids(page)


def _load_page(page, number: int, find_tables: bool, want_words: bool = True) -> tuple[Page, list[tuple[float, float, float, float]]]:
    dropped = _dropped_chars(page)
    tables: list[tuple[float, list[list[str]]]] = []
    table_boxes: list[tuple[float, float, float, float]] = []
    figure_boxes: list[tuple[float, float, float, float]] = []
    if find_tables and (page.lines or page.rects):
        for table in page.find_tables():
            rows = table.extract()
            if _table_quality(rows):
                tables.append((table.bbox[1], [[c or "" for c in r] for r in rows]))
                table_boxes.append(table.bbox)
            else:
                figure_boxes.append(table.bbox)
    if table_boxes:
        dropped |= {id(c) for c in page.chars if any(_inside(c, box) for box in table_boxes)}
    if dropped:
        page = page.filter(lambda o: id(o) not in dropped)
    lines = []
    # Word gaps relative to the font size: the absolute default (3 pt) glues
    # the words of tightly set text ("Permissionisgranted...") together.
    for raw in page.extract_text_lines(return_chars=True, strip=True, x_tolerance_ratio=0.2):
        # "(cid:13)": a glyph the font does not map to Unicode; nothing to read.
        text = " ".join(_CID.sub("", raw["text"].translate(_BULLETS)).split())
        if not text:
            continue
        size, bold, italic = _font_flags(raw["chars"])
        lines.append(Line(text, number, raw["x0"], raw["x1"], raw["top"], raw["bottom"], size, bold, italic))
    if want_words and lines:
        # Word boxes per line, for tables without ruling lines (cheap next to parsing).
        for word in page.extract_words(keep_blank_chars=False):
            middle = (word["top"] + word["bottom"]) / 2
            for line in lines:
                if line.top - 0.5 <= middle <= line.bottom + 0.5:
                    line.words.append(word)
                    break
    return Page(number, float(page.width), float(page.height), lines, tables), figure_boxes


# --------------------------------------------------------------------------
# Opening, with the failures a person can act on.

def _error_chain(exc: BaseException) -> Iterable[BaseException]:
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        yield from (a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
        current = current.__cause__ or current.__context__


def _open_error(exc: Exception) -> ReadError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    for cause in _error_chain(exc):
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            return ReadError("encrypted PDF (password required)")
    detail = " ".join(str(exc).split())[:160] or type(exc).__name__
    return ReadError(f"truncated or corrupt PDF: {detail}")


def _check_bytes(data: bytes) -> None:
    if not data.strip():
        raise ReadError("empty file")
    start = data.find(b"%PDF-", 0, 1024)
    if start < 0:
        raise ReadError("not a PDF: no %PDF- header in the first 1 KiB")
    if b"%%EOF" not in data[-2048:]:
        raise ReadError("truncated or corrupt PDF: no %%EOF marker at the end (file cut short?)")


def load_pages(data: bytes, find_tables: bool = True) -> tuple[list[Page], dict[str, Any], list[list[tuple]]]:
    """Pages (lines and ruled tables), the PDF metadata, and figure boxes per page."""
    import pdfplumber

    _check_bytes(data)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds; all mean "cannot open"
        raise _open_error(exc) from None
    with pdf:
        try:
            metadata = {str(k): v for k, v in (pdf.metadata or {}).items()}
            pdf_pages = list(pdf.pages)
        except Exception as exc:
            raise _open_error(exc) from None
        pages, figures = [], []
        failed: list[tuple[int, Exception]] = []
        for number, page in enumerate(pdf_pages, 1):
            try:
                loaded, figure_boxes = _load_page(page, number, find_tables)
            except Exception as exc:  # one damaged page should not cost the others
                failed.append((number, exc))
                loaded, figure_boxes = Page(number, float(page.width), float(page.height), []), []
            pages.append(loaded)
            figures.append(figure_boxes)
    if not pages:
        raise ReadError("truncated or corrupt PDF: no pages")
    if failed and len(failed) == len(pages):
        raise _open_error(failed[0][1])
    if failed:
        metadata["_unreadable_pages"] = [number for number, _ in failed]
    if not any(p.lines or p.tables for p in pages):
        raise ReadError("no text layer (scanned PDF?); OCR is not done")
    return pages, metadata, figures


# --------------------------------------------------------------------------
# Shared text helpers.

def _vocabulary(pages: list[Page]) -> set[str]:
    return {w.lower() for p in pages for line in p.lines for w in re.findall(r"[^\W\d_]+", line.text)}


def join_lines(lines: Iterable[str], vocabulary: set[str] | None = None) -> str:
    """Join wrapped lines with spaces, undoing end-of-line hyphenation.

    A hyphen at a line end is dropped only when the joined word occurs
    elsewhere in the document ("fol-" + "lowing"); otherwise it is a real
    compound ("heat-" + "insulated") and the hyphen stays.
    """
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        m = re.search(r"([^\W\d_]+)-$", out)
        n = re.match(r"([^\W\d_]+)", line)
        if m and n and line[0].islower():
            joined = (m.group(1) + n.group(1)).lower()
            if vocabulary is not None and joined in vocabulary:
                out = out[:-1] + line
            else:
                out = out + line
        else:
            out = out + " " + line
    return out


_FURNITURE = re.compile(r"^(page\s*)?(\d+|[ivxlc]{1,6})(\s*(/|of)\s*\d+)?$", re.I)  # "12", "ii", "Page 3 of 9"


def drop_furniture(pages: list[Page], extra: re.Pattern | None = None) -> None:
    """Remove running headers/footers and page numbers (in place).

    A line near the top or bottom edge (8 % of the height) is furniture when
    it is a bare page number, matches ``extra``, or its digit-blind text
    recurs on at least half the pages (and on three or more).
    """
    def key(line: Line) -> str:
        return _DIGIT.sub("#", line.text.lower())

    def at_edge(page: Page, line: Line) -> bool:
        return line.top < page.height * 0.08 or line.bottom > page.height * 0.92

    counts = Counter(key(line) for p in pages for line in {key(l): l for l in p.lines if at_edge(p, l)}.values())
    threshold = max(3, len(pages) / 2)
    for page in pages:
        page.lines = [
            line for line in page.lines
            if not (at_edge(page, line) and (
                _FURNITURE.match(line.text) or (extra is not None and extra.search(line.text))
                or counts[key(line)] >= threshold))
        ]


def paragraphs(lines: list[Line], split: re.Pattern | None = None) -> list[list[Line]]:
    """Group a page's lines into paragraphs by vertical gaps and typography.

    A new paragraph starts after a gap wider than ~0.35 of the font size
    beyond normal leading, on a change of size or weight, or at a line that
    starts with an enumerator (``split``) no further right than the
    paragraph's first line (hanging indents stay together).
    """
    groups: list[list[Line]] = []
    for line in lines:
        if groups:
            current = groups[-1]
            prev = current[-1]
            pitch = line.top - prev.top
            same_type = abs(line.size - prev.size) < 0.6 and line.bold == prev.bold
            enumerated = bool(split and split.match(line.text)) and line.x0 <= min(l.x0 for l in current) + 1
            if same_type and 0 < pitch <= prev.size * 1.35 + 0.5 and not enumerated:
                current.append(line)
                continue
        groups.append([line])
    return groups

ENUMERATOR = re.compile(r"^(\(\d+[a-z]?\)|\d+[a-z]?\.|\([a-z]{1,4}\)|—|–|-|•|▪|●|◦)\s")
BULLET = re.compile(r"^[•▪●◦]\s")
def _column_gutter(page: Page) -> tuple[float, float] | None:
    """(x0, x1) of the gap between two text columns, or None for one column.

    pdfplumber clusters glyphs into lines by height only, so two columns
    come out as lines holding both. The gutter is the widest x-band in the
    middle 40 % of the page that few lines (at most 10 %) cross, and it counts only
    when at least eight lines have prose (four or more words on average) on
    both sides of it: label/value layouts and tables do not qualify.
    """
    lines = [l for l in page.lines if l.words]
    if len(lines) < 12:
        return None
    lo, hi = int(page.width * 0.3), int(page.width * 0.7)
    cover = [0] * (hi - lo)
    for line in lines:
        for word in line.words:
            for x in range(max(lo, int(word["x0"])), min(hi, int(word["x1"]) + 1)):
                cover[x - lo] += 1
    limit = max(2, len(lines) * 0.1)  # full-width titles and rules may cross
    best: tuple[int, int] | None = None
    start = None
    for i, count in enumerate([*cover, limit + 1]):
        if count <= limit and start is None:
            start = i
        elif count > limit and start is not None:
            if best is None or i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    if best is None or best[1] - best[0] < 6:
        return None
    g0, g1 = lo + best[0], lo + best[1]
    both = [l for l in lines
            if all(w["x1"] <= g0 + 1 or w["x0"] >= g1 - 1 for w in l.words)
            and any(w["x1"] <= g0 + 1 for w in l.words) and any(w["x0"] >= g1 - 1 for w in l.words)]
    if len(both) < 8:
        return None
    left = sum(1 for l in both for w in l.words if w["x1"] <= g0 + 1) / len(both)
    right = sum(1 for l in both for w in l.words if w["x0"] >= g1 - 1) / len(both)
    return (g0, g1) if left >= 4 and right >= 4 else None


def order_columns(page: Page) -> bool:
    """Put a two-column page's lines in reading order (in place).

    Lines that cross the gutter (titles, full-width figures) stay whole and
    separate bands; within a band the left column is read before the right.
    """
    gutter = _column_gutter(page)
    if gutter is None:
        return False
    g0, g1 = gutter
    ordered: list[Line] = []
    left_band: list[Line] = []
    right_band: list[Line] = []

    def part(line: Line, words: list[dict]) -> Line:
        return Line(" ".join(w["text"] for w in words), line.page, min(w["x0"] for w in words),
                    max(w["x1"] for w in words), line.top, line.bottom, line.size, line.bold,
                    line.italic, words)

    for line in page.lines:
        left = [w for w in line.words if w["x1"] <= g0 + 1]
        right = [w for w in line.words if w["x0"] >= g1 - 1]
        if not line.words or len(left) + len(right) < len(line.words):
            ordered.extend(left_band)
            ordered.extend(right_band)
            left_band, right_band = [], []
            ordered.append(line)
            continue
        if left:
            left_band.append(part(line, left))
        if right:
            right_band.append(part(line, right))
    ordered.extend(left_band)
    ordered.extend(right_band)
    page.lines = ordered
    return True

# --------------------------------------------------------------------------
# Metadata helpers.

_GENERIC_META = {"publications office", "untitled", "microsoft word", "document"}


def _clean_meta(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    if not value or value.lower() in _GENERIC_META or value.lower().startswith("microsoft word - "):
        return None
    return value


def _pdf_date(value: Any) -> str | None:
    """PDF dates look like ``D:20230515110352+02'00'``."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    m = re.match(r"^D?:?(\d{4})(\d{2})(\d{2})", str(value or ""))
    return parse_date(f"{m[1]}-{m[2]}-{m[3]}") if m else None


def _pdf_meta(meta: dict[str, Any], metadata: dict) -> None:
    if metadata.get("_unreadable_pages"):
        meta["unreadable_pages"] = metadata["_unreadable_pages"]
    for key, name in (("Producer", "pdf_producer"), ("Creator", "pdf_creator")):
        value = _clean_meta(metadata.get(key))
        if value:
            meta[name] = value
    created = _pdf_date(metadata.get("CreationDate"))
    if created:
        meta["pdf_created"] = created
