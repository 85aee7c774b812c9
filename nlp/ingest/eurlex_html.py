"""EUR-Lex act pages (Official Journal and consolidated HTML) -> ``regulation``
documents that keep the act's structure (see :mod:`nlp.ingest.act_blocks` for
the blocks and metadata).

* **OJ-act HTML** as EUR-Lex serves it (``oj-doc-ti``, ``oj-ti-art``,
  ``oj-normal`` ... and the older unprefixed ``doc-ti``/``ti-art``/``normal``),
  also inside a full EUR-Lex page or a Wayback Machine capture: the act is
  located by its own CSS classes and everything around it (toolbar, menus,
  scripts, footer) is dropped.
* **Consolidated-text HTML** (``title-doc-first``, ``title-article-norm``,
  ``norm``, ``borderOj`` tables, ``►M1``/``▼B`` amendment markers).

Library: lxml (fast, tolerant HTML parser with XPath). Not handled here: PDF
acts (see :mod:`nlp.ingest.pdf`), the EUR-Lex search/metadata pages, and
annexes published as separate pages. A page that holds no act falls back to
the generic HTML news reader.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import celex
from ..records import Document, ReadResult, content_id
from .act_blocks import (
    _ANNEX,
    _ARTICLE,
    _LABEL,
    _PARA_NUM,
    _is_element,
    _State,
    act_from_title,
    annex_section,
    clean,
    published_from_title,
)
from .registry import ReadError, reader, suffix
from .textutil import detect_lang

# -- EUR-Lex HTML -------------------------------------------------------------

_TITLE_CLASSES = {"doc-ti", "title-doc-first", "title-doc-last"}
_ARTICLE_CLASSES = {"ti-art", "title-article-norm"}
_SUBTITLE_CLASSES = {"sti-art", "stitle-article-norm"}
_HEADING_CLASSES = {"ti-section-1", "ti-section-2", "ti-section-3", "title-division-1", "title-division-2",
                    "ti-grseq-1", "ti-grseq-2", "title-gr-seq-level-1", "title-gr-seq-level-2",
                    "title-gr-seq-level-3", "title-annex-2", "ti-annex"}
_NOTE_CLASSES = {"note", "footnote"}
_HEADER_CLASSES = {"hd-date", "hd-lg", "hd-ti", "hd-oj", "hd-uniq", "hd-coll", "reference", "disclaimer",
                   "arrow", "title-doc-oj-reference", "hd-toc-1", "hd-toc-2", "hd-toc-3"}
# Classes that only occur in the act itself: they locate it inside page chrome.
_ANCHOR_FIRST = {"doc-ti", "title-doc-first", "hd-ti", "hd-date", "reference", "hd-oj"}
_ANCHOR_LAST = {"note", "footnote", "signatory", "ti-art", "title-article-norm", "normal", "norm", "tbl-norm",
                "doc-ti", "title-annex-1"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "form", "button", "select", "option", "nav",
              "header", "footer", "iframe", "object", "embed", "svg", "img", "head", "input", "textarea",
              "canvas", "video", "audio", "map", "link", "meta"}
_HTML_MARKERS = re.compile(
    rb"class=\"(?:oj-)?(?:doc-ti|ti-art|hd-oj|hd-uniq)\"|class=\"title-(?:doc-first|article-norm)\""
    rb"|converter_version|fmx2xhtml|<title>[^<]{0,200}EUR-Lex|(?:wombat\(|canonical|og:url)[^>]{0,200}eur-lex\.europa\.eu",
    re.I)


def _classes(el) -> set[str]:
    return {c[3:] if c.startswith("oj-") else c for c in (el.get("class") or "").split()}


def _inline_text(el) -> str:
    parts: list[str] = []

    def visit(node) -> None:
        if _is_element(node):
            tag = node.tag.lower()
            if tag in _SKIP_TAGS:
                if node.tail:
                    parts.append(node.tail)
                return
            if tag == "br":
                parts.append(" ")
            if node.text:
                parts.append(node.text)
            for child in node:
                visit(child)
        if node.tail and node is not el:
            parts.append(node.tail)

    visit(el)
    return clean("".join(parts))


def _rows(table) -> list:
    """The table's own rows (not those of nested tables)."""
    return [tr for tr in table.iter("tr") if _nearest(tr, "table") is table]


def _nearest(el, tag: str):
    parent = el.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _cells(tr) -> list:
    return [c for c in tr if _is_element(c) and c.tag in ("td", "th")]


def _is_data_table(table) -> bool:
    cls = " ".join(_classes(table)).lower()
    if "table" in cls or "border" in cls:
        return True
    try:
        return int(table.get("border") or 0) > 0
    except ValueError:
        return False


def _point_rows(table) -> list[tuple[str, list]] | None:
    """(label, content cells) per row if this layout table lists points."""
    result = []
    for tr in _rows(table):
        cells = _cells(tr)
        texts = [_inline_text(c) for c in cells]
        label_at = next((i for i, t in enumerate(texts[:-1]) if t), None)
        if label_at is None:
            if any(texts):
                result.append(("", cells))
            continue
        if not _LABEL.match(texts[label_at]) or len(texts[label_at]) > 14:
            return None
        result.append((texts[label_at], cells[label_at + 1:]))
    return result or None


def _table_rows(table) -> list[list[str]]:
    return [[_flat_cell(c) for c in _cells(tr)] for tr in _rows(table)]


def _flat_cell(cell) -> str:
    return " ".join(_flatten(cell))


def _flatten(el) -> list[str]:
    """Lines of text under ``el``: paragraphs, points (label + text), tables."""
    lines: list[str] = []
    if el.text and el.text.strip() and el.tag not in ("table", "tbody", "tr"):
        lines.append(clean(el.text))
    for child in el:
        if not _is_element(child):
            pass
        elif child.tag in _SKIP_TAGS or _classes(child) & {"arrow"}:
            pass
        elif child.tag == "table":
            lines.extend(_flatten_table(child))
        elif child.tag in ("p", "span", "a", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd") or \
                not any(_is_element(g) and g.tag in ("p", "div", "table") for g in child.iter()):
            lines.append(_inline_text(child))
        else:
            lines.extend(_flatten(child))
        if _is_element(child) and child.tail and child.tail.strip():
            lines.append(clean(child.tail))
    return [line for line in lines if line]


def _flatten_table(table) -> list[str]:
    points = None if _is_data_table(table) else _point_rows(table)
    if points is None:
        return ["\t".join(row) for row in _table_rows(table) if any(row)]
    lines = []
    for label, cells in points:
        content = [line for cell in cells for line in _flatten(cell)]
        if label and content:
            content[0] = f"{label} {content[0]}"
        elif label:
            content = [label]
        lines.extend(content)
    return lines


def _act_container(root):
    """The smallest element holding the act: chrome outside it is ignored."""
    first = last = None
    for el in root.iter():
        if not _is_element(el) or el.tag in _SKIP_TAGS:
            continue
        cls = _classes(el)
        if first is None:
            if cls & _ANCHOR_FIRST:
                first = el
        elif cls & _ANCHOR_LAST:
            last = el
    if first is None:
        return None
    if last is None:
        return first.getparent()
    first_chain = [first, *first.iterancestors()]
    last_ancestors = set(last.iterancestors())
    for candidate in first_chain:
        if candidate in last_ancestors:
            return candidate
    return root


def _html_meta(state: _State, cls: set[str], text: str) -> None:
    """OJ masthead and consolidated-header facts into the document meta."""
    meta = state.meta
    if "hd-oj" in cls:
        meta["oj_page"] = text
    elif "hd-uniq" in cls:
        meta["oj_number"] = text
    elif "hd-date" in cls:
        meta["oj_date"] = text
    elif "hd-coll" in cls:
        meta["oj_series"] = text
    elif "reference" in cls:
        embedded = celex.embedded_in(text)
        if embedded:
            meta["celex"] = embedded
        d = re.search(r"(\d{2})\.(\d{2})\.(\d{4})", text)
        if d:
            meta["consolidated_date"] = f"{d[3]}-{d[2]}-{d[1]}"
    elif "title-doc-oj-reference" in cls:
        meta["oj_reference"] = text.strip("()")


def _walk_html(el, state: _State) -> None:
    for child in el:
        if _is_element(child):
            _visit_html(child, state)
        if child.tail and child.tail.strip() and _is_element(child) and child.tag not in ("td", "tr"):
            tail = clean(child.tail)
            if tail:
                _paragraph(tail, state)


def _paragraph(text: str, state: _State) -> None:
    if re.match(r"^ELI:\s*", text):
        state.meta["eli"] = text.split(":", 1)[1].strip()
        return
    if re.match(r"^ISSN\b", text):
        return
    if re.match(r"^(Whereas|in Erwägung)", text, re.I) and state.zone == "front":
        state.zone = "preamble"
    kind, section = state.content_section()
    if state.article and state.zone == "enacting":
        m = _PARA_NUM.match(text)
        if m:
            state.paragraph = m[1]
            kind, section = state.content_section()
    state.add(kind, text, section)
    if re.match(r"^HA(?:S|VE) ADOPTED THIS|^HAT? FOLGENDE|^HABEN FOLGENDE", text, re.I):
        state.zone = "enacting"


def _start_annex(text: str, state: _State) -> None:
    state.zone, state.article, state.paragraph = "annex", None, None
    state.annex = annex_section(text)
    state.add("heading", text, state.annex)


def _visit_html(el, state: _State) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag in _SKIP_TAGS or tag == "hr":
        return
    cls = _classes(el)
    if cls & {"linkToTop"}:
        return
    if tag == "table":
        _visit_table(el, state)
        return
    if tag == "div" and "final" in cls:
        state.zone, state.article, state.paragraph = "final", None, None
        _walk_html(el, state)
        return
    if tag == "div" and re.search(r"margin-left", el.get("style") or ""):
        lines = _flatten(el)
        m = re.match(r"^(\S{1,14})\s", lines[0]) if lines else None
        if m and _LABEL.match(m[1]):
            kind, section = state.point_section(m[1])
            state.add_lines(kind, lines, section)
            return
    if tag not in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li"):
        _walk_html(el, state)
        return
    text = _inline_text(el)
    if not text:
        return
    if cls & _HEADER_CLASSES:
        _html_meta(state, cls, text)
        return
    if "hd-modifiers" in cls:
        state.pending_amended_by = True
        return
    if cls & {"title-toc", "toc-item"}:
        return
    if cls & _TITLE_CLASSES:
        if _ANNEX.match(text) and (state.title_done or state.title_parts):
            _start_annex(text, state)
        elif not state.title_done:
            state.title_parts.append(text)
        else:
            kind, section = state.content_section()
            state.add("heading" if state.zone != "front" else "title", text, section)
        return
    if "title-annex-1" in cls:
        _start_annex(text, state)
        return
    if cls & _ARTICLE_CLASSES:
        m = _ARTICLE.match(text)
        state.zone = "enacting" if state.zone != "annex" else state.zone
        state.article = f"Article {m[1]}" if m else text
        if state.zone == "annex" and state.annex:
            state.article = f"{state.annex}, {state.article}"
        state.paragraph = None
        state.add("heading", text, state.article)
        return
    if cls & _SUBTITLE_CLASSES:
        state.add("heading", text, state.article)
        return
    if cls & _HEADING_CLASSES:
        if state.zone != "annex":
            state.article, state.paragraph = None, None
        state.add("heading", text, state.annex if state.zone == "annex" else None)
        return
    if cls & _NOTE_CLASSES:
        state.footnotes += 1
        m = re.match(r"^\(\s*(\*?\d+)\s*\)", text)
        state.add("footnote", text, f"footnote {m[1] if m else state.footnotes}")
        return
    if "signatory" in cls:
        state.add("paragraph", text, "final")
        return
    _paragraph(text, state)


def _visit_table(table, state: _State) -> None:
    if table.xpath(".//p[contains(@class,'title-toc')]"):
        return
    if state.pending_amended_by:
        state.pending_amended_by = False
        rows = _table_rows(table)
        state.meta["amended_by"] = sorted({a.get("title") for a in table.iter("a")
                                          if re.fullmatch(r"3\d{4}[A-Z]\d{4}", a.get("title") or "")})
        state.flush_title()
        state.builder.add_table(rows, section="amended by")
        return
    header = [p for p in table.iter("p") if _classes(p) & _HEADER_CLASSES]
    if header and not table.xpath(".//p[contains(@class,'title-doc-first')]"):
        for p in header:  # the OJ masthead: series, number, date
            _html_meta(state, _classes(p), _inline_text(p))
        return
    if table.xpath(".//p[contains(@class,'title-doc-first')]"):
        # The consolidated page's header box: title and OJ reference only.
        for p in table.iter("p"):
            cls = _classes(p)
            if cls & _HEADER_CLASSES:
                _html_meta(state, cls, _inline_text(p))
        return
    points = None if _is_data_table(table) else _point_rows(table)
    if points is None:
        state.flush_title()
        kind, section = state.content_section()
        state.builder.add_table(_table_rows(table), section=section)
        return
    for label, cells in points:
        content = [line for cell in cells for line in _flatten(cell)]
        if label and content:
            content[0] = f"{label} {content[0]}"
        kind, section = state.point_section(label) if label else state.content_section()
        state.add_lines(kind, content, section)


def _decode_html(data: bytes) -> str:
    from .html import decode_html

    return decode_html(data)[0]


def parse_eurlex_html(path: Path, data: bytes) -> Document | None:
    """The act in an EUR-Lex page, or None when the page holds no act."""
    import lxml.html

    text = _decode_html(data)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml raises ParserError on documents it cannot recover
        raise ReadError(f"unparseable HTML: {' '.join(str(exc).split())[:160]}") from None
    container = _act_container(root)
    if container is None:
        return None
    state = _State()
    _walk_html(container, state)
    state.flush_title()
    builder = state.builder
    if not state.title_parts or not any(b.kind in ("article", "recital", "annex") for b in builder.blocks):
        return None
    page_title = clean(" ".join(root.xpath("//title//text()")))
    meta = dict(state.meta)
    if "eli" not in meta:
        # The page's own address (canonical link, Wayback's original URL), never
        # an ELI cited in a footnote.
        m = re.search(r"(?:canonical|og:url|wombat\()[^>]{0,200}?(https?://[\w.]+/eli/[\w/]+)", text)
        if m:
            meta["eli"] = m[1]
    title = " ".join(state.title_parts)
    body = builder.text
    lang = detect_lang(body)
    meta.update({k: v for k, v in act_from_title(title).items() if not (k == "celex" and "celex" in meta)})
    if meta.get("eli") and celex.from_eli(meta["eli"]):
        meta["celex"] = celex.from_eli(meta["eli"])
    embedded = celex.embedded_in(page_title)
    if "consolidated" in page_title.lower() and embedded:
        meta["celex"] = embedded
    if "oj_reference" not in meta:
        if meta.get("oj_page"):
            coll, _, page = meta["oj_page"].partition("/")
            meta["oj_reference"] = f"OJ {coll}, {meta.get('oj_date', '')}, p. {page}".replace(" , ", " ")
        elif meta.get("oj_number"):
            series = (meta.get("oj_series") or "L").split()[0]
            meta["oj_reference"] = f"OJ {series}, {meta['oj_number']}, {meta.get('oj_date', '')}".strip(", ")
    meta["format"] = "eurlex-consolidated-html" if meta.get("consolidated_date") else "eurlex-oj-html"
    if page_title:
        meta["page_title"] = page_title[:300]
    return Document(
        doc_id=content_id(data), kind="regulation", lang=lang, text=body, source=str(path),
        title=title, published=published_from_title(state.title_parts, lang),
        blocks=builder.blocks, meta={k: v for k, v in meta.items() if v not in (None, "", [])},
    )

# -- registration -------------------------------------------------------------

def _sniff_html(path: Path, head: bytes) -> bool:
    if suffix(path) not in ("html", "htm", "xhtml", ""):
        return False
    return bool(_HTML_MARKERS.search(head))


@reader("eurlex-html", "EUR-Lex act pages (Official Journal and consolidated HTML)",
        sniff=_sniff_html, priority=20)
def read_eurlex_html(path: Path, data: bytes) -> ReadResult:
    doc = parse_eurlex_html(path, data)
    if doc is None:
        # The page mentions EUR-Lex but holds no act: read it as a web page.
        from .html import read_html

        return read_html(path, data)
    return ReadResult(documents=[doc])
