"""EU legal acts: EUR-Lex HTML (Official Journal and consolidated texts) and
Formex 4 XML, into ``regulation`` documents that keep the act's structure.

What it reads
-------------
* **OJ-act HTML** as EUR-Lex serves it (``oj-doc-ti``, ``oj-ti-art``,
  ``oj-normal`` ... and the older unprefixed ``doc-ti``/``ti-art``/``normal``),
  also inside a full EUR-Lex page or a Wayback Machine capture: the act is
  located by its own CSS classes and everything around it (toolbar, menus,
  scripts, footer) is dropped.
* **Consolidated-text HTML** (``title-doc-first``, ``title-article-norm``,
  ``norm``, ``borderOj`` tables, ``►M1``/``▼B`` amendment markers).
* **Formex 4 XML** (``ACT``, ``CONS.ACT``, optionally wrapped in another
  root such as ``LEXP.COMBINED``): ``TITLE``, ``PREAMBLE``/``VISA``/
  ``CONSID``, ``ENACTING.TERMS``/``DIVISION``/``ARTICLE``/``PARAG``/``ALINEA``,
  ``ANNEX``/``CONS.ANNEX``, ``TBL``, ``NOTE``.

Blocks and sections
-------------------
``title`` (the act's title lines), ``paragraph`` with section ``preamble``
(citations, "Whereas:"), ``recital`` with section ``recital N``, ``heading``
for parts/titles/chapters and article headings (section ``Article N``),
``article`` blocks per numbered paragraph (``Article 1(2)``), per point
(``Article 1(2)(a)``; ``Article 1, point (17)`` for points directly under an
article, as in amending acts), ``annex`` text with section ``Annex I``,
``table`` blocks for real tables (layout tables that EUR-Lex uses to indent
numbered points are read as points, not tables), ``footnote`` blocks
(``footnote N``) and the closing formula/signature (section ``final``).
Section paths use English names (``Article``, ``Annex``) whatever the
language of the text, so other stages can address provisions uniformly.
Nested points and quoted (amending) text stay inside their top-level point;
a point longer than :data:`MAX_BLOCK_CHARS` is split into one block per line,
all with the same section.

Metadata: ``title``; ``published`` = the date of the act ("of 24 June
2024"); ``meta``: ``celex`` (from the ELI, the consolidated reference, the
Formex ``NO.CELEX``/``CONSLEG.REF`` or the act's type and number),
``act_type``, ``act_number``, ``oj_reference``, ``eli``,
``consolidated_date`` and ``amended_by`` (CELEX numbers) where present.

Library: lxml (fast, tolerant HTML parser with XPath; the same API for the
Formex XML). Not handled here: PDF acts (see :mod:`nlp.ingest.pdf`), the
EUR-Lex search/metadata pages, and annexes published as separate pages.
A page that holds no act falls back to the generic HTML news reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .. import celex
from ..records import Document, ReadResult, TextBuilder, content_id
from .registry import ReadError, reader, suffix
from .textutil import detect_lang, parse_date

MAX_BLOCK_CHARS = 4000

# -- shared helpers ---------------------------------------------------------

_WS = re.compile(r"\s+")
_SPACE_PUNCT = re.compile(r"\s+([,.;:])(?=\s|$)")  # " ," left by pretty-printed markup
_NOTE_REF = re.compile(r"\(\s+(\*?\d{1,3})\s+\)")
# Amendment markers of consolidated texts: ►M1 ... ◄, ▼B, ►C1, ▼M3.
_AMEND_MARK = re.compile(r"[►▼]\s?[A-Z]{1,2}\d{0,3}\b|◄")
_ANNEX = re.compile(r"^(?:ANNEX|ANHANG|ANNEXE|ALLEGATO|BIJLAGE|ANEXO|ZAŁĄCZNIK|ПРИЛОЖЕНИЕ)\b\s*([IVXLC]+[a-z]?|\d+[a-z]?)?",
                    re.I)
_ARTICLE = re.compile(r"^[‘'\"„“]?\s*(?:Article|Artikel|Articolo|Artículo|Artigo|Artykuł|Статья)\s+(\d+[a-z]*)\b", re.I)
_PARA_NUM = re.compile(r"^(\d+[a-z]?)\.\s")
_LABEL = re.compile(r"^[‘'\"„“]?(?:\(\s*[0-9a-zA-Z]{1,6}\s*\)|[0-9a-zA-Z]{1,6}[.)]|(?:\d+\.)+\d*|[—–\-•])$")
_DATE_IN_TITLE = re.compile(r"\b(?:of|vom|du|del|van|z dnia|от)\s+(\d{1,2}\.?\s*\w+\.?\s+\d{4})", re.I)
_ACT = re.compile(
    r"(?P<type>IMPLEMENTING REGULATION|DELEGATED REGULATION|REGULATION|IMPLEMENTING DECISION|DIRECTIVE|DECISION"
    r"|Durchführungsverordnung|Verordnung|Richtlinie|Beschluss)"
    r"[^0-9]{0,80}?(?:\((?P<coll>EU|EC|EEC|EG|EWG|Euratom|CFSP|GASP)\)\s*)?(?:No\.?\s*|Nr\.\s*)?"
    r"(?P<a>\d{1,4})/(?P<b>\d{1,4})(?:/(?P<suffix>EU|EC|EG|EEC|EWG|CFSP|GASP))?", re.I)
_GERMAN_TYPES = {"verordnung": "regulation", "durchführungsverordnung": "implementing regulation",
                 "richtlinie": "directive", "beschluss": "decision"}


def clean(text: str) -> str:
    """One line: amendment markers gone, whitespace collapsed, "( 1 )" -> "(1)"."""
    text = _WS.sub(" ", _AMEND_MARK.sub("", text.replace("\u00a0", " "))).strip()
    return _SPACE_PUNCT.sub(r"\1", _NOTE_REF.sub(r"(\1)", text))


def act_from_title(title: str) -> dict[str, str]:
    """Act type, number and CELEX from a title such as 'COUNCIL REGULATION (EU)
    2024/1745' or 'DIRECTIVE 2009/65/EC' or 'Verordnung (EU) Nr. 575/2013'."""
    m = _ACT.search(title)
    if not m:
        return {}
    kind = m["type"].lower()
    kind = _GERMAN_TYPES.get(kind, kind)
    a, b = m["a"], m["b"]
    # "No 575/2013" (before 2015) puts the year second; "2024/1745" and
    # directives/decisions ("2009/65/EC") put it first.
    numbered_first = bool(re.search(r"(No\.?|Nr\.)\s*$", title[:m.start("a")])) or \
        (len(b) == 4 and len(a) < 4)
    year, number = (b, a) if numbered_first else (a, b)
    if len(year) == 2:
        year = str(celex.full_year(year))
    act_number = f"{a}/{b}" + (f"/{m['suffix']}" if m["suffix"] else "")
    result = {"act_type": kind, "act_number": act_number}
    if m["coll"]:
        result["act_number"] = f"({m['coll']}) {'No ' if numbered_first else ''}{act_number}"
    if kind.split()[-1] in celex.TYPE_LETTER and len(year) == 4:
        result["celex"] = celex.build(kind.split()[-1], year, number)
    return result


def published_from_title(parts: Iterable[str], lang: str) -> str | None:
    for part in parts:
        m = _DATE_IN_TITLE.search(part)
        if m:
            found = parse_date(m[1], languages=[lang, "en"] if lang != "en" else ["en"])
            if found:
                return found
    return None


def annex_section(text: str) -> str:
    m = _ANNEX.match(text)
    return f"Annex {m[1]}" if m and m[1] else "Annex"


def _emit_lines(builder: TextBuilder, kind: str, lines: list[str], section: str | None) -> None:
    """One block for a unit; a very long unit is cut at line breaks into
    blocks of at most MAX_BLOCK_CHARS (a single longer line stays whole)."""
    merged: list[str] = []
    for line in lines:
        if not line:
            continue
        if merged and re.fullmatch(r"[;:,.’'”)\]]+", line):
            merged[-1] += line  # a lone ';' closes the quotation above it
        else:
            merged.append(line)
    chunk: list[str] = []
    size = 0
    for line in merged:
        if chunk and size + len(line) + 1 > MAX_BLOCK_CHARS:
            builder.add(kind, "\n".join(chunk), section=section)
            chunk, size = [], 0
        chunk.append(line)
        size += len(line) + 1
    if chunk:
        builder.add(kind, "\n".join(chunk), section=section)


@dataclass
class _State:
    """Where the walker is in the act."""

    builder: TextBuilder = field(default_factory=TextBuilder)
    zone: str = "front"  # front | preamble | enacting | annex | final
    article: str | None = None
    paragraph: str | None = None
    annex: str | None = None
    title_parts: list[str] = field(default_factory=list)
    title_done: bool = False
    meta: dict = field(default_factory=dict)
    pending_amended_by: bool = False
    footnotes: int = 0

    def flush_title(self) -> None:
        if self.title_parts and not self.title_done:
            self.builder.add("title", "\n".join(self.title_parts))
            self.title_done = True

    def add(self, kind: str, text: str, section: str | None) -> None:
        self.flush_title()
        self.builder.add(kind, text, section=section)

    def add_lines(self, kind: str, lines: list[str], section: str | None) -> None:
        self.flush_title()
        _emit_lines(self.builder, kind, lines, section)

    def content_section(self) -> tuple[str, str | None]:
        """Block kind and section for running text at this point."""
        if self.zone == "annex":
            return "annex", self.annex
        if self.zone == "final":
            return "paragraph", "final"
        if self.article:
            section = f"{self.article}({self.paragraph})" if self.paragraph else self.article
            return "article", section
        if self.zone in ("front", "preamble"):
            return "paragraph", "preamble"
        return "paragraph", None

    def point_section(self, label: str) -> tuple[str, str | None]:
        core = label.strip("‘'\"„“ ")
        if self.zone == "preamble" and re.fullmatch(r"\(\d+\)", core):
            return "recital", f"recital {core.strip('()')}"
        if self.zone == "annex":
            return "annex", self.annex
        if self.article:
            if not core.startswith("("):
                core = f"({core.rstrip('.)')})"
            if self.paragraph:
                return "article", f"{self.article}({self.paragraph}){core}"
            return "article", f"{self.article}, point {core}"
        return self.content_section()


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


def _is_element(el) -> bool:
    return isinstance(el.tag, str)


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


# -- Formex 4 XML -------------------------------------------------------------

_FORMEX_ROOTS = {"ACT", "CONS.ACT", "CONS.DOC", "ANNEX", "CONS.ANNEX", "LEXP.COMBINED", "CONS.OTH", "GENERAL"}
_FORMEX_SKIP = {"BIB.INSTANCE", "INFO.CONSLEG", "INFO.PROD", "FAM.COMP", "INCLUSIONS", "IMG.CNT",
                "GR.CORRIG", "GR.MOD.ACT", "BIB.DATA", "INCL.ELEMENT", "REF.PHYS", "TOC"}
_FORMEX_HEAD = re.compile(rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<([A-Z][A-Z.]*)[\s>/]", re.S)


def looks_formex(head: bytes) -> bool:
    m = _FORMEX_HEAD.match(head.lstrip(b"\xef\xbb\xbf"))
    if not m:
        return False
    root = m[1].decode("ascii")
    if root == "LEXP.COMBINED":
        return bool(re.search(rb"<(?:CONS\.)?ACT[\s>]", head))
    return root in _FORMEX_ROOTS and (b"formex" in head.lower() or b"<BIB.INSTANCE" in head
                                      or b"<INFO.CONSLEG" in head or b"<TITLE" in head)


_FORMEX_BLOCKS = {"P", "ALINEA", "LIST", "ITEM", "PARAG", "DLIST", "GR.SEQ", "QUOT.S", "CONTENTS", "BLK",
                  "GR.TBL", "FORMULA", "TI.BLK", "STI.BLK", "ROW.BLK", "LIST.BLK", "TXT.BLK"}


class _Formex:
    """Walks one Formex tree into a TextBuilder; footnotes go to the end."""

    def __init__(self) -> None:
        self.state = _State()
        self.note_numbers: dict[str, int] = {}
        self.note_texts: dict[int, str] = {}
        self.note_paths: dict[str, int] = {}
        self.pending_tables: list[list[list[str]]] = []
        self.quote_depth = 0
        # Each OJ annex is its own Formex document whose NOTE.IDs restart at E0001.
        self.note_scope = 0

    def note(self, el) -> int:
        """Number a NOTE: one with content gets the next number (IDs are not
        trusted to be unique: annexes and trimmed files reuse them); an empty
        ``NOTE.REF`` points at the latest note with that ID."""
        path = el.getroottree().getpath(el)
        if path in self.note_paths:
            return self.note_paths[path]
        note_id = f"{self.note_scope}:{el.get('NOTE.ID') or el.get('NOTE.REF') or ''}"
        if len(el) or (el.text or "").strip() or note_id not in self.note_numbers:
            reserved = self.note_numbers.get(note_id)
            if reserved is not None and not self.note_texts[reserved]:
                number = reserved  # a NOTE.REF came first (table cells before their GR.NOTES)
            else:
                number = len(self.note_texts) + 1
            self.note_texts[number] = ""
            self.note_numbers[note_id] = number
            self.note_texts[number] = " ".join(filter(None, (self.text(child) for child in el if _is_element(child)))) \
                or clean(el.text or "")
        number = self.note_numbers[note_id]
        self.note_paths[path] = number
        return number

    def text(self, el) -> str:
        """Inline text of ``el``: footnotes become "(n)" markers, quotes characters."""
        parts: list[str] = []

        def visit(node, top: bool) -> None:
            tag = node.tag if _is_element(node) else ""
            if tag == "NOTE":
                parts.append(f" ({self.note(node)})")
            elif tag in ("QUOT.START", "QUOT.END"):
                try:
                    parts.append(chr(int(node.get("CODE") or "0022", 16)))
                except ValueError:
                    parts.append('"')
            elif tag in _FORMEX_SKIP or tag in ("IMG", "INCL.ELEMENT"):
                pass
            elif tag:
                if tag in _FORMEX_BLOCKS or tag in ("NP", "TXT", "ROW", "CELL", "DLIST.ITEM", "TERM", "DEFINITION"):
                    parts.append(" ")
                parts.append(node.text or "")
                for child in node:
                    visit(child, False)
            if not top and node.tail:
                parts.append(node.tail)

        visit(el, True)
        return clean("".join(parts))

    def lines(self, el) -> list[str]:
        """Lines of a provision: running text, list items with labels, table rows."""
        out: list[str] = []
        buffer: list[str] = [el.text or ""]

        def flush() -> None:
            line = clean("".join(buffer))
            if line:
                out.append(line)
            buffer.clear()

        for child in el:
            if not _is_element(child):
                buffer.append(child.tail or "")
                continue
            tag = child.tag
            if tag in ("TI.ART", "STI.ART", "NO.PARAG") or tag in _FORMEX_SKIP:
                pass
            elif tag == "NP":
                flush()
                out.extend(self.np_lines(child))
            elif tag == "TBL":
                flush()
                if self.quote_depth:  # a table inside quoted (amending) text stays text
                    out.extend("\t".join(row) for row in self.table_rows(child))
                else:
                    self.pending_tables.append(self.table_rows(child))
            elif tag == "QUOT.S":
                flush()
                self.quote_depth += 1
                out.extend(self.lines(child))
                self.quote_depth -= 1
            elif tag == "DLIST.ITEM":
                flush()
                out.append(self.text(child))
            elif tag in _FORMEX_BLOCKS or tag == "TITLE":
                flush()
                out.extend(self.lines(child))
            else:  # inline: HT, DATE, NOTE, QUOT.START, REF.DOC.OJ ...
                buffer.append(" " + self.text(child) if tag == "NOTE" else self.text(child))
            buffer.append(child.tail or "")
        flush()
        return [line for line in out if line]

    def emit(self, kind: str, lines: list[str], section: str | None) -> None:
        """Add a unit's text, then the tables found inside it as table blocks."""
        self.state.add_lines(kind, lines, section)
        tables, self.pending_tables = self.pending_tables, []
        for rows in tables:
            self.state.builder.add_table(rows, section=section)

    def np_lines(self, np) -> list[str]:
        label = np.find("NO.P")
        txt = np.find("TXT")
        first = f"{self.text(label) if label is not None else ''} {self.text(txt) if txt is not None else ''}"
        out = [clean(first)]
        for child in np:
            if _is_element(child) and child.tag not in ("NO.P", "TXT"):
                out.extend(self.lines(child) if child.tag in _FORMEX_BLOCKS or child.tag == "NP"
                           else [self.text(child)])
        return [line for line in out if line]

    def table_rows(self, tbl) -> list[list[str]]:
        rows = []
        for row in tbl.iter("ROW"):
            rows.append([" ".join(self.lines(cell)) for cell in row if _is_element(cell) and cell.tag == "CELL"])
        return rows

    def title_lines(self, title) -> list[str]:
        lines = [self.text(p) for p in title.iter("P")] or [self.text(title)]
        return [line for line in lines if line]

    # structure
    def walk(self, el) -> None:
        for child in el:
            if _is_element(child):
                self.visit(child)

    def visit(self, el) -> None:
        st = self.state
        tag = el.tag
        if tag in _FORMEX_SKIP:
            return
        if tag == "TITLE" and not st.title_done and st.zone == "front":
            st.title_parts = self.title_lines(el)
            st.flush_title()
        elif tag in ("PREAMBLE.INIT", "VISA", "GR.CONSID.INIT", "PREAMBLE.FINAL"):
            st.zone = "preamble"
            st.add("paragraph", self.text(el), "preamble")
            if tag == "PREAMBLE.FINAL":
                st.zone = "enacting"
        elif tag == "CONSID":
            st.zone = "preamble"
            number = el.find(".//NO.P")
            m = re.search(r"\d+", self.text(number)) if number is not None else None
            self.emit("recital", self.lines(el), f"recital {m[0]}" if m else "preamble")
        elif tag == "ENACTING.TERMS":
            st.zone = "enacting"
            self.walk(el)
        elif tag in ("DIVISION", "GR.SEQ"):
            title = el.find("TITLE")
            if title is not None:
                if st.zone != "annex":
                    st.article = st.paragraph = None
                st.add("heading", "\n".join(self.title_lines(title)), st.annex if st.zone == "annex" else None)
            for child in el:
                if _is_element(child) and child.tag != "TITLE":
                    self.visit(child)
        elif tag == "ARTICLE":
            self.article(el)
        elif tag == "FINAL":
            st.zone, st.article, st.paragraph = "final", None, None
            for p in el.iter("P"):
                if p.find(".//P") is None:
                    st.add("paragraph", self.text(p), "final")
        elif tag in ("ANNEX", "CONS.ANNEX"):
            self.annex(el)
        elif tag == "GR.NOTES":
            for note in el.iter("NOTE"):
                self.note(note)
        elif tag == "TBL":
            self.table(el)
        elif tag in ("CONS.DOC", "ACT", "CONS.ACT", "LEXP.COMBINED", "PREAMBLE", "GR.VISA", "GR.CONSID", "ANNEXES",
                     "CONTENTS", "CONS.OTH", "GENERAL"):
            self.walk(el)
        elif tag == "NP":
            kind, section = st.content_section()
            self.emit(kind, self.np_lines(el), section)
        else:
            kind, section = st.content_section()
            self.emit(kind, self.lines(el), section)

    def table(self, el) -> None:
        st = self.state
        section = st.content_section()[1]
        title = el.find("TITLE")
        if title is not None:
            st.add("heading", " ".join(self.title_lines(title)), section)
        st.flush_title()
        st.builder.add_table(self.table_rows(el), section=section)
        notes = el.find("GR.NOTES")
        if notes is not None:
            self.visit(notes)

    def article(self, el) -> None:
        st = self.state
        if st.zone != "annex":
            st.zone = "enacting"
        ti = el.find("TI.ART")
        heading = self.text(ti) if ti is not None else ""
        m = re.search(r"(\d+[a-z]*)", heading) or re.match(r"0*(\d+[A-Za-z]*)", el.get("IDENTIFIER") or "")
        st.article = f"Article {m[1]}" if m else (heading or "Article")
        if st.zone == "annex" and st.annex:
            st.article = f"{st.annex}, {st.article}"  # an agreement's articles printed in an annex
        st.paragraph = None
        sti = el.find("STI.ART")
        st.add("heading", "\n".join(t for t in (heading, self.text(sti) if sti is not None else "") if t),
               st.article)
        for child in el:
            if not _is_element(child) or child.tag in ("TI.ART", "STI.ART"):
                continue
            if child.tag == "PARAG":
                number = child.find("NO.PARAG")
                label = self.text(number) if number is not None else ""
                st.paragraph = label.strip("(). ") or None
                lines = self.lines(child)
                if lines and label:
                    lines[0] = f"{label} {lines[0]}"
                self.emit("article", lines, st.content_section()[1])
            elif child.tag == "TBL":
                self.table(child)
            else:
                self.emit("article", self.lines(child) if child.tag != "NP" else self.np_lines(child),
                             st.content_section()[1])

    def annex(self, el) -> None:
        st = self.state
        st.zone, st.article, st.paragraph = "annex", None, None
        self.note_scope += 1
        title = el.find("TITLE")
        lines = self.title_lines(title) if title is not None else ["Annex"]
        st.annex = annex_section(lines[0] if lines else "")
        st.add("heading", "\n".join(lines) or "Annex", st.annex)
        for child in el:
            if _is_element(child) and child.tag not in ("TITLE", "BIB.INSTANCE"):
                self.visit(child)


def _formex_meta(root) -> dict:
    meta: dict = {"format": "formex"}

    def first(xpath: str) -> str | None:
        found = root.xpath(xpath)
        return clean(found[0] if isinstance(found[0], str) else "".join(found[0].itertext())) if found else None

    number = first("//NO.CELEX")
    consleg = root.xpath("//INFO.CONSLEG")
    if consleg:
        number = number or celex.embedded_in(consleg[0].get("CONSLEG.REF") or "")
        date = first("//CONS.DOC/BIB.INSTANCE/DATE/@ISO") or consleg[0].get("START.DATE")
        if date and re.fullmatch(r"\d{8}", date):
            meta["consolidated_date"] = f"{date[:4]}-{date[4:6]}-{date[6:]}"
        meta["format"] = "formex-consleg"
        meta["amended_by"] = sorted(set(root.xpath("//GR.MOD.ACT//NO.CELEX/text()")))
    if number:
        meta["celex"] = number
    coll, no_oj, year, page = (first(f"(//DOCUMENT.REF|//DOCUMENT.REF.CONS)[1]/{t}")
                               for t in ("COLL", "NO.OJ", "YEAR", "PAGE.FIRST"))
    if coll and no_oj:
        meta["oj_reference"] = f"OJ {coll} {int(no_oj)}{'/' + year if year else ''}" + (f", p. {page}" if page else "")
    return meta


def parse_formex(path: Path, data: bytes) -> Document:
    from lxml import etree

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, recover=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"malformed Formex XML: {' '.join(str(exc).split())[:160]}") from None
    walker = _Formex()
    walker.visit(root)
    st = walker.state
    st.flush_title()
    for number in sorted(n for n, t in walker.note_texts.items() if t):
        st.builder.add("footnote", f"({number}) {walker.note_texts[number]}", section=f"footnote {number}")
    if not st.builder.blocks:
        raise ReadError("Formex XML without text")
    lang_code = (root.xpath("string(//LG.DOC[1])") or "").strip().lower()
    lang = lang_code if re.fullmatch(r"[a-z]{2}", lang_code) else detect_lang(st.builder.text)
    title = " ".join(st.title_parts) or None
    meta = _formex_meta(root)
    act = act_from_title(title or "")
    meta.update({k: v for k, v in act.items() if not (k == "celex" and "celex" in meta)})
    published = published_from_title(st.title_parts, lang)
    if not published:
        iso = root.xpath("string((//BIB.INSTANCE/DATE|//BIB.DATA/DATE)[1]/@ISO)")
        published = parse_date(f"{iso[:4]}-{iso[4:6]}-{iso[6:8]}") if re.fullmatch(r"\d{8}", iso or "") else None
    return Document(
        doc_id=content_id(data), kind="regulation", lang=lang, text=st.builder.text, source=str(path),
        title=title, published=published, blocks=st.builder.blocks,
        meta={k: v for k, v in meta.items() if v not in (None, "", [])},
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


@reader("formex", "Formex 4 XML acts (ACT, CONS.ACT)",
        sniff=lambda path, head: suffix(path) in ("xml", "fmx", "fmx4") and looks_formex(head), priority=30)
def read_formex(path: Path, data: bytes) -> ReadResult:
    return ReadResult(documents=[parse_formex(path, data)])
