"""EU Official Journal acts in PDF: the act's structure (title, preamble,
recitals, chapters, articles, annexes, footnotes) as blocks, the annex CN-code
tables rebuilt from word positions, and the act's CELEX number, OJ reference
and dates.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ... import celex
from ...records import Document, TextBuilder, content_id
from ..textutil import detect_lang, parse_date
from .layout import (
    ENUMERATOR,
    Line,
    Page,
    _clean_meta,
    _pdf_meta,
    _vocabulary,
    drop_furniture,
    join_lines,
    order_columns,
    paragraphs,
)

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
        for lines in paragraphs(plain, ENUMERATOR):
            items.append(("para", lines))
        items.sort(key=lambda it: it[1][0] if it[0] == "table" else it[1][0].top)

        for kind, item in items:
            if kind == "table":
                _, table_rows = item
                builder.add_table(table_rows, page=page.number, section=section)
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
                note = re.match(r"^\((\d+)\)", text)
                builder.add("footnote", text, page=page.number, section=f"footnote {note[1] if note else ''}")
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
        act_celex = celex.from_number(act["type"].upper(), act["num"])
        if act_celex:
            meta["celex"] = act_celex
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
