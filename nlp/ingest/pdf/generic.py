"""PDFs that are neither OJ acts nor OFSI lists: paragraphs in reading order
(two-column pages column by column), headings as sections, bullets, ruled
tables, runs of ``field: description`` lines as two-column tables.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from ...records import Document, TextBuilder, content_id
from ..textutil import detect_lang
from .layout import (
    BULLET,
    ENUMERATOR,
    Line,
    Page,
    _clean_meta,
    _inside,
    _pdf_date,
    _pdf_meta,
    _vocabulary,
    drop_furniture,
    join_lines,
    order_columns,
    paragraphs,
)

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
                head = BRACE_HEAD.match(part.text)
                section = head["name"].strip() if head else part.text
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
