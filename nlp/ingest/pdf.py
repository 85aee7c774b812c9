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
    block (section ``entry <Group ID>``) of a ``listing`` Document.
``generic``
    Anything else: paragraphs per page in reading order (top to bottom;
    two-column pages column by column), headings (bold or larger lines) as
    sections, bullets as list items, ruled tables as table blocks (multi-line
    cells joined), runs of ``field: description`` lines as two-column table
    blocks, figure labels dropped when they are garbage.

Every block carries its 1-based ``page``. Running headers and footers (lines
repeated at the top or bottom of most pages) and page numbers are dropped.

What it does not do: OCR (a PDF without a text layer is a ``ReadError``),
three or more columns, passwords (encrypted PDFs are refused), images.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from .. import celex
from ..records import Document, ListingEntry, ReadResult, TextBuilder, content_id
from .registry import ReadError, reader, suffix
from .textutil import detect_lang, parse_date

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
    used_cols = sum(1 for i in range(width) if any(i < len(r) and r[i] and r[i].strip() for r in rows))
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
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        yield from (a for a in getattr(exc, "args", ()) if isinstance(a, BaseException))
        exc = exc.__cause__ or exc.__context__


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


# --------------------------------------------------------------------------
# Official Journal acts.

OJ_HEADER = re.compile(
    r"^(?:(?P<s1>[LC])\s?(?P<n1>\d+)/(?P<p1>\d+)\s+[A-Z]{2}\s+Official Journal of the European Union\s+"
    r"(?P<d1>\d{1,2}\.\d{1,2}\.\d{4})"
    r"|(?P<d2>\d{1,2}\.\d{1,2}\.\d{4})\s+[A-Z]{2}\s+Official Journal of the European Union\s+"
    r"(?P<s2>[LC])\s?(?P<n2>\d+)/(?P<p2>\d+))$")
ACT_TITLE = re.compile(
    r"\b(?P<type>(?:COMMISSION |COUNCIL )?(?:IMPLEMENTING |DELEGATED )?(?:REGULATION|DIRECTIVE|DECISION))"
    r"\s+\((?P<org>EU|EC|EEC|Euratom|CFSP|EU, Euratom)\)\s+(?:No\s+)?(?P<num>\d{2,4}/\d+(?:/\w+)?)")
ENUMERATOR = re.compile(r"^(\(\d+[a-z]?\)|\d+[a-z]?\.|\([a-z]{1,4}\)|—|–|-|•|▪|●|◦)\s")
BULLET = re.compile(r"^[•▪●◦]\s")
CN_ROW = re.compile(r"^(?P<except>Except:\s*)?(?P<code>\d{2,8}(?:\s\d{1,4})*)\s*[–-]\s*(?P<desc>.*)$")
ROMAN = r"[IVXLC]+"


def looks_like_oj(first_text: str, path: Path) -> bool:
    """An OJ act: the OJ running header, a CELEX name, or an act title in
    capitals among the first lines ("REGULATION (EU) 2023/956 OF ..."). A
    mere citation ("Council Regulation (EU) No 833/2014") does not count."""
    head_lines = first_text.splitlines()[:15]
    return bool(
        re.search(r"\bOfficial Journal of the European Union\s+[LC]\s?\d+/\d+", first_text)
        or re.search(r"\b[LC]\s?\d+/\d+\s+[A-Z]{2}\s+Official Journal of the European Union", first_text)
        or celex.labelled_in(path.name) or celex.labelled_in(first_text)
        or any(ACT_TITLE.match(line) for line in head_lines))  # the pattern is in capitals


@dataclass
class CnTable:
    """A CN-code table being rebuilt from word positions."""

    page: int
    top: float
    header: Line
    lines: list[Line] = field(default_factory=list)


def _cn_split_x(lines: list[Line], header: Line) -> float:
    """The x where the 'Greenhouse gas' column starts.

    The widest gap in the union of the words' x-extents, between the start of
    the description and the right end of the header, across all rows on the
    page: with many rows, word gaps fill in and only the column gap is left.
    """
    spans = sorted((w["x0"], w["x1"]) for line in lines for w in line.words)
    if not spans:
        return header.x1
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1] + 0.1:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    left_limit = min(w["x0"] for line in lines for w in line.words) + 40
    gaps = [(b[0] - a[1], b[0]) for a, b in zip(merged, merged[1:])
            if b[0] > left_limit and b[0] <= header.x1]
    if not gaps:
        return header.x1
    return max(gaps)[1]


def _cn_rows(table_lines: list[Line], split_x: float, vocabulary: set[str]) -> list[list[str]]:
    """Rows of [code, description, greenhouse gas, excluded-from] from lines."""
    rows: list[dict] = []
    base_x: float | None = None
    in_except = False
    parent: str | None = None
    for line in table_lines:
        left = " ".join(w["text"] for w in line.words if w["x0"] < split_x - 0.5)
        right = " ".join(w["text"] for w in line.words if w["x0"] >= split_x - 0.5)
        if left.strip() == "Except:":
            in_except = True
            continue
        m = CN_ROW.match(left)
        if m:
            code = " ".join(m["code"].split())
            if base_x is None:
                base_x = line.x0
            indented = line.x0 > base_x + 5
            if m["except"]:
                in_except = True
            elif not indented:
                in_except = False
            excluded = parent if in_except and parent else ""
            if not excluded:
                parent = code
            rows.append({"code": code, "desc": [m["desc"]], "gas": [right] if right else [],
                         "excluded": excluded})
        elif rows:
            if left:
                rows[-1]["desc"].append(left)
            if right:
                rows[-1]["gas"].append(right)
    return [[r["code"], join_lines(r["desc"], vocabulary), join_lines(r["gas"], vocabulary), r["excluded"]]
            for r in rows]


CN_HEADER_ROW = ["CN code", "Description", "Greenhouse gas", "Excluded from"]


def _oj_structure(pages: list[Page], data: bytes, path: Path, metadata: dict) -> Document:
    header_info: dict[str, str] = {}
    first_page, last_page = None, None
    for page in pages:
        for line in page.lines[:3]:
            m = OJ_HEADER.match(line.text)
            if m:
                number = int(m["p1"] or m["p2"])
                first_page = number if first_page is None else min(first_page, number)
                last_page = number if last_page is None else max(last_page, number)
                header_info = {"series": m["s1"] or m["s2"], "number": m["n1"] or m["n2"],
                               "date": m["d1"] or m["d2"]}
    drop_furniture(pages, extra=re.compile(r"Official Journal of the European Union"))
    vocabulary = _vocabulary(pages)
    sizes: Counter = Counter()
    for line in (l for p in pages for l in p.lines):
        sizes[round(line.size, 1)] += len(line.text)  # body type: most characters
    body_size = sizes.most_common(1)[0][0] if sizes else 0.0
    margins = Counter(round(l.x0) for p in pages for l in p.lines)
    left_margin = margins.most_common(1)[0][0] if margins else 0

    builder = TextBuilder()
    title_lines: list[str] = []
    mode = "title"  # title -> preamble -> recitals -> enacting -> annex
    section: str | None = None
    article: str | None = None
    chapter: str | None = None
    columns = 0
    for page in pages:
        if not any(re.match(r"^CN code\b", l.text) for l in page.lines):
            columns += order_columns(page)  # older OJ C-series pages have two columns
        # Split CN tables out of the page's lines first.
        items: list[tuple[str, Any]] = []
        lines = page.lines
        i = 0
        tables_here: list[CnTable] = []
        plain: list[Line] = []
        while i < len(lines):
            line = lines[i]
            if re.match(r"^CN code\b", line.text):
                table = CnTable(page.number, line.top, line)
                i += 1
                while i < len(lines) and not (lines[i].bold or re.match(r"^CN code\b", lines[i].text)
                                              or re.match(rf"^ANNEX\s*{ROMAN}?$", lines[i].text)
                                              or lines[i].size < body_size - 0.6):
                    table.lines.append(lines[i])
                    i += 1
                tables_here.append(table)
                continue
            plain.append(line)
            i += 1
        if tables_here:
            all_rows = [l for t in tables_here for l in t.lines if l.words]
            split_x = _cn_split_x(all_rows, tables_here[0].header) if all_rows else 0.0
            for table in tables_here:
                rows = _cn_rows(table.lines, split_x, vocabulary)
                items.append(("table", (table.top, [CN_HEADER_ROW, *rows] if rows else [])))
        for top, rows in page.tables:  # ruled tables, found by pdfplumber
            items.append(("table", (top, rows)))
        for group in paragraphs(plain, ENUMERATOR):
            items.append(("para", group))
        items.sort(key=lambda it: it[1][0] if it[0] == "table" else it[1][0].top)

        for kind, item in items:
            if kind == "table":
                _, rows = item
                builder.add_table(rows, page=page.number, section=section)
                continue
            group: list[Line] = item
            text = join_lines((l.text for l in group), vocabulary)
            first = group[0]
            small = first.size < body_size - 0.6
            if mode == "title":
                if first.bold and page.number == 1:
                    if not re.fullmatch(r"\(Text with EEA relevance\)", text):
                        title_lines.append(text)
                    builder.add("title", text, page=page.number)
                    continue
                mode = "preamble"
                section = "preamble"
            if small and re.match(r"^\(\d+\)\s", text) and not first.bold:
                number = re.match(r"^\((\d+)\)", text).group(1)
                builder.add("footnote", text, page=page.number, section=f"footnote {number}")
                continue
            if re.match(r"^Whereas\s*:$", text):
                mode, section = "recitals", "recitals"
                builder.add("paragraph", text, page=page.number, section=section)
                continue
            if re.match(r"^HA(VE|S) ADOPTED TH(IS|E FOLLOWING)\b", text):
                mode, section = "enacting", None
                builder.add("paragraph", text, page=page.number)
                continue
            m = re.match(rf"^CHAPTER\s+({ROMAN})$", text)
            if m:
                chapter = f"Chapter {m.group(1)}"
                section = chapter
                mode = "enacting"
                builder.add("heading", text, page=page.number, section=section)
                continue
            m = re.match(r"^Article\s+(\d+[a-z]*)$", text)
            if m and mode in ("enacting", "annex", "recitals", "preamble"):
                mode = "enacting"
                article = f"Article {m.group(1)}"
                section = article
                builder.add("heading", text, page=page.number, section=section)
                continue
            m = re.match(rf"^ANNEX(?:\s+({ROMAN}))?$", text)
            if m:
                mode = "annex"
                section = f"Annex {m.group(1)}" if m.group(1) else "Annex"
                article = None
                builder.add("heading", text, page=page.number, section=section)
                continue
            if mode == "recitals":
                m = re.match(r"^\((\d+)\)\s", text)
                if m:
                    section = f"recital {m.group(1)}"
                builder.add("recital", text, page=page.number, section=section)
            elif mode == "enacting" and article:
                m = re.match(r"^(\d+[a-z]?)\.\s", text)
                if m and first.x0 <= left_margin + 1:
                    section = f"{article}({m.group(1)})"
                if first.bold:
                    builder.add("heading", text, page=page.number, section=section)
                else:
                    builder.add("article", text, page=page.number, section=section)
            elif mode == "annex":
                kind_of = "heading" if first.bold and len(text) < 200 else "annex"
                builder.add(kind_of, text, page=page.number, section=section)
            else:
                kind_of = "heading" if first.bold else "paragraph"
                builder.add(kind_of, text, page=page.number, section=section)

    title = " ".join(title_lines) if title_lines else None
    full_first = "\n".join(l.text for l in pages[0].lines)
    meta: dict[str, Any] = {"layout": "oj", "pages": len(pages)}
    if columns:
        meta["two_column_pages"] = columns
    act = ACT_TITLE.search(title or full_first)
    if act:
        meta["act"] = f"{act['type'].title()} ({act['org']}) {act['num']}"
        number = celex.from_number(act["type"].upper(), act["num"])
        if number:
            meta["celex"] = number
    labelled = celex.labelled_in(path.name) or celex.labelled_in(full_first)
    if labelled:
        meta["celex"] = labelled
    published = None
    if header_info:
        pages_ref = f"p. {first_page}" if first_page == last_page else f"pp. {first_page}–{last_page}"
        meta["oj_reference"] = f"OJ {header_info['series']} {header_info['number']}, {header_info['date']}, {pages_ref}"
        day, month, year = header_info["date"].split(".")
        published = parse_date(f"{year}-{int(month):02d}-{int(day):02d}")
    adopted = re.search(r"\bof (\d{1,2} [A-Z][a-z]+ \d{4})\b", title or "")
    if adopted:
        meta["adopted"] = parse_date(adopted.group(1), ["en"])
    _pdf_meta(meta, metadata)
    text = builder.text
    return Document(doc_id=content_id(data), kind="regulation", lang=detect_lang(text), text=text,
                    source=str(path), title=title, published=published,
                    author=_clean_meta(metadata.get("Author")), blocks=builder.blocks, meta=meta)


# --------------------------------------------------------------------------
# UK OFSI consolidated-list regime PDFs.

OFSI_LIST_NAME = "UK OFSI consolidated list"
OFSI_ENTRY_START = re.compile(r"^(\d+)\.\s+(Name 6:|Organisation Name:|Ship Name:|Vessel Name:)")
# Labels in the order they may appear; "(X):" labels are OFSI's "Other Information" fields.
OFSI_LABELS = [
    "Name 6", "Organisation Name", "Ship Name", "Vessel Name", "Name (non-Latin script)", "Title", "DOB", "POB", "a.k.a",
    "Nationality", "Passport Number", "Passport Details", "National Identification Number",
    "National Identification Details", "Position", "Address", "Other Information",
    "Incorporation date", "Date trust services sanctions imposed", "Listed on",
    "UK Sanctions List Date Designated", "Last Updated", "Group ID",
]
_OFSI_LABEL = re.compile(
    r"(?P<paren>\((?P<plabel>[A-Z][A-Za-z ./-]{1,40})\)\s*:)"
    r"|(?P<plain>(?<![A-Za-z])(?P<label>" + "|".join(re.escape(l) for l in sorted(OFSI_LABELS, key=len, reverse=True))
    + r")\s*:)")
_UK_REF = re.compile(r"\b[A-Z]{2,4}\d{3,5}\b")  # CYB0071, CHW0009
_NUMBERED = re.compile(r"\((\d+)\)\s*")


def looks_like_ofsi(first_text: str) -> bool:
    return bool(re.search(r"CONSOLIDATED LIST OF FINANCIAL SANCTIONS", first_text, re.I)
                and re.search(r"Name 6:|Organisation Name:|Group\s+ID:", first_text))


def _ofsi_fields(text: str) -> list[tuple[str, str]]:
    """(label, value) pairs of one entry's text, in order."""
    marks = list(_OFSI_LABEL.finditer(text))
    out = []
    for mark, nxt in zip(marks, [*marks[1:], None]):
        label = mark["plabel"] or mark["label"]
        value = text[mark.end(): nxt.start() if nxt else len(text)]
        out.append((label, value.strip().rstrip(".").strip()))
    return out


def _numbered(value: str) -> list[str]:
    """'(1) A (2) B' -> ['A', 'B']; a single value -> [value]."""
    value = value.strip()
    if not value or value.lower() == "n/a":
        return []
    if _NUMBERED.match(value):
        parts = [p.strip().rstrip(".").strip() for p in _NUMBERED.split(value)[2::2]]
        return [p for p in parts if p and p.lower() != "n/a"]
    return [value.rstrip(".").strip()]


def ofsi_date(value: str) -> str | None:
    """OFSI dates are DD/MM/YYYY; 00 marks an unknown day or month."""
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\.?\s*", value)
    if not m:
        return None
    day, month, year = int(m[1]), int(m[2]), m[3]
    if month == 0:
        return year
    if day == 0:
        return f"{year}-{month:02d}"
    return parse_date(f"{year}-{month:02d}-{day:02d}")


def _ofsi_name(value: str) -> str:
    """'ANANEV 1: VLADIMIR 2: VLADIMIROVICH 3: n/a ...' -> 'VLADIMIR VLADIMIROVICH ANANEV'."""
    parts = re.split(r"\s(\d):\s*", " " + value.strip())
    surname = parts[0].strip()
    given = [p.strip().rstrip(".") for p in parts[2::2]]
    names = [g for g in given if g and g.lower() != "n/a"]
    return " ".join([*names, surname]).strip()


def _ofsi_aliases(value: str) -> list[str]:
    aliases = []
    for alias in _numbered(value):
        inner = re.search(r"\(non-Latin script:\s*([^)]*)\)", alias)
        alias = re.sub(r"\s*\(non-Latin script:[^)]*\)", "", alias).strip()
        aliases.extend(a for a in (alias, inner.group(1).strip() if inner else "") if a)
    return aliases


def parse_ofsi_entry(text: str, programme: str | None, source: str, doc_id: str | None,
                     category: str | None = None) -> ListingEntry:
    number = re.match(r"^\s*(\d+)\.", text)
    body = re.sub(r"^\s*\d+\.\s*", "", text)
    fields_ = _ofsi_fields(body)
    values: dict[str, list[str]] = {}
    for label, value in fields_:
        values.setdefault(label, []).append(value)

    def first(label: str) -> str | None:
        return values[label][0] if values.get(label) and values[label][0] else None

    # The section heading (INDIVIDUALS / ENTITIES / SHIPS) decides; the name label backs it up.
    schema = {"Individuals": "Person", "Entities": "Organization", "Ships": "Vessel", "Vessels": "Vessel"}.get(
        category or "", "Person" if "Name 6" in values else
        "Vessel" if ("Ship Name" in values or "Vessel Name" in values) else "Organization")
    if "Name 6" in values:
        name = _ofsi_name(first("Name 6") or "")
    else:
        name = first("Organisation Name") or first("Ship Name") or first("Vessel Name") or ""
    aliases = []
    if first("Name (non-Latin script)"):
        aliases.extend(_numbered(first("Name (non-Latin script)")))
    if first("a.k.a"):
        aliases.extend(_ofsi_aliases(first("a.k.a")))
    aliases = list(dict.fromkeys(a for a in aliases if a and a != name))
    identifiers: dict[str, list[str]] = {}
    for label, key in (("Passport Number", "passport"),
                       ("National Identification Number", "national_id"), ("Group ID", "ofsi_group_id")):
        found = [v for value in values.get(label, []) for v in _numbered(value)]
        if found:
            identifiers[key] = list(dict.fromkeys(found))
    refs = [r for value in values.get("UK Sanctions List Ref", []) for r in _UK_REF.findall(value)]
    if refs:
        identifiers["uk_ref"] = list(dict.fromkeys(refs))
    group_id = identifiers.get("ofsi_group_id", [None])[0]
    ref = identifiers.get("uk_ref", [None])[0]
    birth_dates = [ofsi_date(d) or d for value in values.get("DOB", []) for d in _numbered(value)]
    extra: dict[str, Any] = {}
    if number:
        extra["entry_number"] = int(number.group(1))
    if category:
        extra["category"] = category
    for label, key in (("POB", "birth_places"), ("Position", "positions"), ("Address", "addresses"),
                       ("Title", "titles"), ("Passport Details", "passport_details"),
                       ("National Identification Details", "national_id_details")):
        found = [v for value in values.get(label, []) for v in _numbered(value)]
        if found:
            extra[key] = found
    for label, key in (("Gender", "gender"), ("Type of entity", "entity_type"), ("Website", "website"),
                       ("Parent company", "parent_company"), ("Subsidiaries", "subsidiaries"),
                       ("Phone number", "phone"), ("Email address", "email"),
                       ("Business Reg No", "business_reg_no"), ("Incorporation date", "incorporation_date"),
                       ("Date trust services sanctions imposed", "trust_services_sanctions_date")):
        if first(label):
            extra[key] = first(label)
    for label, key in (("UK Sanctions List Date Designated", "designated"), ("Last Updated", "last_updated")):
        if first(label):
            extra[key] = ofsi_date(first(label)) or first(label)
    known = {"Name 6", "Organisation Name", "Ship Name", "Vessel Name", "Name (non-Latin script)", "a.k.a", "DOB", "Nationality",
             "UK Sanctions List Ref", "UK Statement of Reasons", "Listed on", "Group ID", "Other Information",
             "Passport Number", "National Identification Number", "POB", "Position", "Address", "Title",
             "Passport Details", "National Identification Details", "Gender", "Type of entity", "Website",
             "Parent company", "Subsidiaries", "Phone number", "Email address", "Business Reg No",
             "Incorporation date", "Date trust services sanctions imposed", "UK Sanctions List Date Designated",
             "Last Updated"}
    for label, vals in values.items():
        if label not in known and any(vals):
            extra.setdefault("other", {})[label] = "; ".join(v for v in vals if v)
    listed = first("Listed on")
    source_id = group_id or ref or (number.group(1) if number else name)
    return ListingEntry(
        entry_id=content_id("UK-OFSI", source_id), list_name=OFSI_LIST_NAME, source_id=source_id,
        schema=schema, name=name, aliases=aliases,
        birth_dates=birth_dates,
        nationalities=[v for value in values.get("Nationality", []) for v in _numbered(value)],
        identifiers=identifiers, programme=programme,
        listing_date=(ofsi_date(listed) or listed) if listed else None,
        reason=first("UK Statement of Reasons"), source=f"{source}#{source_id}", doc_id=doc_id, extra=extra)


def _ofsi_document(pages: list[Page], data: bytes, path: Path, metadata: dict) -> tuple[Document, list[ListingEntry]]:
    drop_furniture(pages)
    doc_id = content_id(data)
    header: list[Line] = []
    entries: list[tuple[int, str | None, list[Line]]] = []  # (page, category, lines)
    category: str | None = None
    for page in pages:
        for line in page.lines:
            if re.fullmatch(r"INDIVIDUALS|ENTITIES|SHIPS|VESSELS", line.text.strip()):
                category = line.text.strip().title()
                continue
            if OFSI_ENTRY_START.match(line.text):
                entries.append((page.number, category, [line]))
            elif entries:
                entries[-1][2].append(line)
            else:
                header.append(line)
    header_text = "\n".join(l.text for l in header)
    programme = re.search(r"REGIME:\s*(.+)", header_text)
    programme_name = programme.group(1).strip() if programme else None
    updated = re.search(r"Last Updated:\s*(\d{1,2}/\d{1,2}/\d{4})", header_text)
    title = _clean_meta(metadata.get("Title")) or join_lines(l.text for l in header[:2])
    builder = TextBuilder()
    builder.add("title", header_text, page=1)
    listings = []
    current_category = None
    for page_number, entry_category, lines in entries:
        if entry_category and entry_category != current_category:
            current_category = entry_category
            builder.add("heading", entry_category.upper(), page=page_number)
        text = "\n".join(l.text for l in lines)
        flat = join_lines(l.text for l in lines)
        entry = parse_ofsi_entry(flat, programme_name, str(path), doc_id, entry_category)
        listings.append(entry)
        builder.add("entry", text, page=page_number, section=f"entry {entry.source_id}")
    meta: dict[str, Any] = {"layout": "ofsi", "pages": len(pages), "entries": len(listings),
                            "list_name": OFSI_LIST_NAME}
    if programme_name:
        meta["programme"] = programme_name
    status = re.search(r"Status:\s*(.+)", header_text)
    if status:
        meta["status"] = status.group(1).strip()
    _pdf_meta(meta, metadata)
    text = builder.text
    document = Document(
        doc_id=doc_id, kind="listing", lang=detect_lang(text), text=text, source=str(path),
        title=f"{title} — {programme_name}" if programme_name and title else title,
        published=ofsi_date(updated.group(1)) if updated else None, author="OFSI",
        blocks=builder.blocks, meta=meta)
    return document, listings


# --------------------------------------------------------------------------
# Generic PDFs.

DEFINITION = re.compile(r"^(?P<term>[A-Za-z][\w.-]*(?: [\w.-]+){0,3}):\s+(?P<desc>[^{\s].*)$")
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+$")  # a field name on its own line
TOC_ENTRY = re.compile(r"(\.\s?){4,}\s*[\divxlc]+$", re.I)  # "1 Introduction ...... 1"
BRACE_HEAD = re.compile(r"^(?P<name>[^:{}]{1,60}?)\s*(?:\([^)]*\))?\s*:\s*\{$")  # "Entity: {"


def split_definitions(lines: list[Line], right_edge: float) -> list[tuple[str, Any, Line]]:
    """A page's lines as runs, each with its first line: ("brace", line),
    ("rows", [[field, description], ...]) or ("text", lines).

    Field lists ("leba_url: URL where ...", a bare "Entity_logical_id") are
    tables in all but ruling; a line that reaches the right margin wraps into
    the next one when that one is not itself a field.
    """
    out: list[tuple[str, Any, Line]] = []
    rows: list[list[str]] = []
    rows_first: Line | None = None
    text: list[Line] = []
    wrapped = False

    def flush_rows() -> None:
        nonlocal rows, rows_first
        if rows and rows_first is not None:
            out.append(("rows", rows, rows_first))
        rows, rows_first = [], None

    def flush_text() -> None:
        nonlocal text
        if text:
            out.append(("text", text, text[0]))
            text = []

    for line in lines:
        brace = BRACE_HEAD.match(line.text)
        definition = DEFINITION.match(line.text)
        if brace:
            flush_rows()
            flush_text()
            out.append(("brace", line, line))
            wrapped = False
        elif definition or IDENTIFIER.match(line.text):
            flush_text()
            rows.append([definition["term"], definition["desc"]] if definition else [line.text, ""])
            rows_first = rows_first or line
            wrapped = line.x1 > right_edge * 0.9
        elif rows and wrapped:
            rows[-1][1] = f"{rows[-1][1]} {line.text}".strip()
            wrapped = line.x1 > right_edge * 0.9
        else:
            flush_rows()
            text.append(line)
            wrapped = False
    flush_rows()
    flush_text()
    return out


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


def _generic_document(pages: list[Page], figures: list[list[tuple]], data: bytes, path: Path,
                      metadata: dict) -> Document:
    drop_furniture(pages)
    vocabulary_outside = {w.lower() for p, boxes in zip(pages, figures) for line in p.lines
                          if not any(_inside(_line_box(line), b) for b in boxes)
                          for w in re.findall(r"[^\W\d_]+", line.text)}
    sizes: Counter = Counter()
    for line in (l for p in pages for l in p.lines):
        sizes[round(line.size)] += len(line.text)  # body type: most characters, not most lines
    body_size = sizes.most_common(1)[0][0] if sizes else 0
    body_bold = sum(len(l.text) for p in pages for l in p.lines if l.bold) > 0.5 * sum(sizes.values())
    vocabulary = _vocabulary(pages)
    builder = TextBuilder()
    section: str | None = None
    title: str | None = None
    columns = 0
    for page, boxes in zip(pages, figures):
        columns += order_columns(page)
        # Figure labels: keep those made of real words; drop doubled-glyph garbage.
        figure_lines = [l for l in page.lines if any(_inside(_line_box(l), b) for b in boxes)]
        kept_labels = list(dict.fromkeys(
            l.text for l in figure_lines
            if all(w.lower() in vocabulary_outside for w in re.findall(r"[^\W\d_]+", l.text))))
        lines = [l for l in page.lines if l not in figure_lines]
        right_edge = max((l.x1 for l in lines), default=page.width)
        order = {id(l): n for n, l in enumerate(lines)}

        def position(top: float) -> float:
            """Sequence position for things known only by height (tables, figures)."""
            return sum(1 for l in lines if l.top < top) - 0.5

        items: list[tuple[float, str, Any]] = [(position(top), "table", rows) for top, rows in page.tables]
        if kept_labels and figure_lines:
            items.append((position(figure_lines[0].top), "figure", kept_labels))
        for kind, part, first_line in split_definitions(lines, right_edge):
            if kind == "text":
                for group in paragraphs(part, ENUMERATOR):
                    items.append((order[id(group[0])], "text", group))
            else:
                items.append((order[id(first_line)], kind, part))
        placed = sorted(items, key=lambda it: it[0])
        for _, kind, part in placed:
            if kind in ("table", "rows"):
                builder.add_table(part, page=page.number, section=section)
            elif kind == "figure":
                builder.add("paragraph", "\n".join(part), page=page.number, section=section)
            elif kind == "brace":
                section = BRACE_HEAD.match(part.text)["name"].strip()
                builder.add("heading", part.text, page=page.number, section=section)
            else:
                text = join_lines((l.text for l in part), vocabulary)
                first = part[0]
                if (first.size < body_size - 0.5 and first.top > page.height * 0.7
                        and re.match(r"^\(?\d+\)?\s", text)):
                    builder.add("footnote", text, page=page.number, section=section)
                    continue
                heading = (len(part) <= 2 and len(text) <= 120 and not text.endswith((".", ",", ";"))
                           and not TOC_ENTRY.search(text)
                           and ((first.bold and not body_bold) or first.size >= body_size + 1.5))
                if heading and not text.endswith(":"):
                    # "Properties:"-style labels are headings inside the current section.
                    section = text
                    if title is None and page.number == 1:
                        title = text
                kind_of = "heading" if heading else "list_item" if BULLET.match(text) else "paragraph"
                builder.add(kind_of, text, page=page.number, section=section)
    text = builder.text
    title = _clean_meta(metadata.get("Title")) or title
    meta: dict[str, Any] = {"layout": "generic", "pages": len(pages),
                            "tables": sum(1 for b in builder.blocks if b.kind == "table")}
    if columns:
        meta["two_column_pages"] = columns
    _pdf_meta(meta, metadata)
    kind = "listing" if re.search(r"sanctions list|list of (persons|entities)|designated persons", text[:3000], re.I) \
        and not re.search(r"description of the fields", text[:3000], re.I) else "reference"
    return Document(doc_id=content_id(data), kind=kind, lang=detect_lang(text), text=text, source=str(path),
                    title=title, published=_pdf_date(metadata.get("CreationDate")),
                    author=_clean_meta(metadata.get("Author")), blocks=builder.blocks, meta=meta)


def _line_box(line: Line) -> dict:
    return {"x0": line.x0, "x1": line.x1, "top": line.top, "bottom": line.bottom}


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
