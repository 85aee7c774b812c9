"""News web pages (``.html``/``.htm``, or HTML content in a file without a
suffix) into ``news`` documents: the main text without the page's boilerplate.

How: the bytes are decoded (:func:`decode_html`: byte-order mark, then UTF-8
when the bytes are valid UTF-8, then the charset the page declares, then
:func:`~nlp.ingest.textutil.decode_text`'s guess), and trafilatura extracts
the main content (``favor_precision``: best F1 on scripts/eval_html_extraction.py)
and the metadata (title, date via htmldate, author, site name, description,
language). trafilatura was chosen because it is maintained, scores at or
near the top of published boilerplate-removal comparisons, and returns its
result as an XML tree (``head``, ``p``,
``list``/``item``, ``table``/``row``/``cell``, ``quote``) so blocks keep the
page's structure: one block per heading, paragraph and list item, and tables
as ``table`` blocks with their cells. Section of a block = the text of the
heading above it.

Hostile pages: trafilatura drops ``script``, ``style``, ``iframe``,
``object``, forms and event-handler attributes before extraction, links are
not kept (so no ``javascript:`` URLs), and any block that still reads like
script code is dropped (:func:`looks_like_code`). Elements hidden by
attribute or inline style are pruned, 300+-character "words" (inline base64,
minified code) removed, and trafilatura's tree-size cap bounds the work.

Not done here: EUR-Lex act pages (:mod:`nlp.ingest.eurlex_html` claims those
first), comments sections, images, following pagination, or rendering
JavaScript-only pages (they have no main text and raise
``ReadError("no main text found in HTML")``).
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from pathlib import Path

from ..records import Document, ReadResult, TextBuilder, content_id
from ..text import checked_lang, title_from_text
from .registry import ReadError, reader, suffix
from .textutil import decode_text, parse_date

HTML_SUFFIXES = ("html", "htm", "xhtml", "shtml")
# trafilatura's own input limit (MAX_FILE_SIZE); above it it returns nothing.
MAX_HTML_BYTES = 20_000_000
# Measured on the synthetic benchmark (scripts/eval_html_extraction.py): see
# docs/ingest_html.md for the figures behind this choice.
FAVOR_PRECISION = True
FAVOR_RECALL = False

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                         re.I | re.S)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Script residue: JS statements that no prose sentence contains.
_CODE = re.compile(
    r"(?:\bfunction\s*\(|=>\s*\{|\bvar\s+\w+\s*=|\b(?:let|const)\s+\w+\s*=|document\.(?:write|cookie|getElement)"
    r"|window\.\w+|\balert\s*\(|\beval\s*\(|javascript:|<script|on(?:error|load|click)\s*=)", re.I)


def decode_html(data: bytes) -> tuple[str, dict]:
    """Bytes of an HTML page to text, and how they were decoded."""
    if not data.strip():
        raise ReadError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), {"encoding": encoding, "by": "bom"}
            except UnicodeDecodeError:
                raise ReadError(f"undecodable bytes: byte-order mark says {encoding} but the bytes are not") from None
    if b"\x00" in data[:4096]:
        raise ReadError("binary data, not HTML (NUL bytes and no byte-order mark)")
    try:
        # Valid UTF-8 is almost never an accident; a page that declares a
        # legacy charset over UTF-8 bytes is a common server mistake.
        return data.decode("utf-8"), {"encoding": "utf-8"}
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:8192])
    if m:
        declared = m[1].decode("ascii", "replace").lower()
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            codec = None
        if codec and codec != "utf-8":
            try:
                text = data.decode(codec)
                if _plausible(text):
                    return text, {"encoding": codec, "by": "meta"}
            except UnicodeDecodeError:
                pass
    text, notes = decode_text(data)
    if not _plausible(text):
        raise ReadError("binary data, not HTML")
    return text, {**notes, "by": "guess"}


def _plausible(text: str) -> bool:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    return controls <= len(sample) * 0.01 and "<" in sample


def looks_like_code(text: str) -> bool:
    """True for text that is script source rather than prose."""
    if _CODE.search(text):
        return True
    # Braces, "=" and ";" in density; parentheses are left out because legal
    # citations ("Article 3(1)(a), 5(2)(b)") are full of them.
    symbols = sum(text.count(c) for c in "{};=")
    return len(text) > 40 and ("{" in text or "=" in text) and symbols > len(text) * 0.05


@lru_cache(maxsize=1)
def _trafilatura():
    import trafilatura

    return trafilatura


@lru_cache(maxsize=1)
def _config():
    """trafilatura settings: no signal-based timeout (readers may run in
    worker threads) and a cap on the parsed tree so a page stuffed with
    inline data cannot exhaust memory."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    config.set("DEFAULT", "MAX_TREE_SIZE", "200000")
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "100")
    return config


# Elements a reader never sees: hidden by attribute or inline style.
_HIDDEN = ["//*[@hidden]", "//*[@aria-hidden='true']",
           "//*[contains(translate(@style, ' ', ''), 'display:none')]",
           "//*[contains(translate(@style, ' ', ''), 'visibility:hidden')]"]
# A "word" this long is inline data (base64, minified code), not prose.
_BLOB = re.compile(r"\S{300,}")


def _clean(text: str) -> str:
    return " ".join(_BLOB.sub(" ", text.replace("\u00a0", " ")).split())


def _element_text(el) -> str:
    return _clean("".join(el.itertext()))


def _blocks(body, title: str | None) -> TextBuilder:
    builder = TextBuilder()
    heading: str | None = None
    if title and not _clean(body.xpath("string(.)")).startswith(_clean(title)[:80]):
        builder.add("title", _clean(title))
    for el in body:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "head":
            text = _element_text(el)
            if text and not looks_like_code(text):
                kind = "title" if title and text == _clean(title) and not builder.blocks else "heading"
                builder.add(kind, text, section=heading)
                heading = text[:120]
        elif tag == "list":
            for item in el.iter("item"):
                text = _element_text(item)
                if text and not looks_like_code(text):
                    builder.add("list_item", text, section=heading)
        elif tag == "table":
            rows = [[_element_text(cell) for cell in row.iter("cell")] for row in el.iter("row")]
            rows = [row for row in rows if not any(looks_like_code(c) for c in row)]
            builder.add_table(rows, section=heading)
        else:
            text = _element_text(el)
            if text and not looks_like_code(text):
                builder.add("paragraph", text, section=heading)
    return builder


def read_html_document(path: Path, data: bytes) -> Document:
    """One news page to a Document (raises ReadError)."""
    if len(data) > MAX_HTML_BYTES:
        raise ReadError(f"HTML page too large for main-text extraction: {len(data) / 1e6:.1f} MB "
                        f"(limit {MAX_HTML_BYTES / 1e6:.0f} MB)")
    text, notes = decode_html(data)
    if not re.search(r"<\s*[a-zA-Z!]", text[:200000]):
        raise ReadError("no HTML markup found")
    trafilatura = _trafilatura()
    try:
        extracted = trafilatura.bare_extraction(
            text, with_metadata=True, include_tables=True, include_comments=False, include_links=False,
            include_images=False, favor_precision=FAVOR_PRECISION, favor_recall=FAVOR_RECALL,
            prune_xpath=_HIDDEN, config=_config(),
        )
    except Exception as exc:  # lxml/trafilatura complaints about unrecoverable markup
        raise ReadError(f"unparseable HTML: {type(exc).__name__}") from None
    body = getattr(extracted, "body", None) if extracted is not None else None
    if body is None or not _clean(body.xpath("string(.)")):
        raise ReadError("no main text found in HTML")
    title = _clean(extracted.title or "") or None
    builder = _blocks(body, title)
    if not any(b.kind in ("paragraph", "list_item", "table") for b in builder.blocks):
        raise ReadError("no main text found in HTML")
    doc_text = builder.text
    # No title in the page's metadata: its first heading, else a headline-like first line.
    title = title or next((b.text for b in builder.blocks if b.kind == "heading"), None) or \
        title_from_text(doc_text)
    lang = checked_lang((extracted.language or "").split("-")[0].lower(), doc_text)
    meta = {**notes}
    for name in ("sitename", "hostname", "description", "url"):
        value = getattr(extracted, name, None)
        if value:
            meta[name] = _clean(str(value))[:500]
    for name in ("categories", "tags"):
        value = getattr(extracted, name, None)
        if value:
            meta[name] = [str(v) for v in value][:50]
    return Document(
        doc_id=content_id(data), kind="news", lang=lang, text=doc_text,
        source=str(meta.get("url") or path), title=title,
        published=parse_date(extracted.date) if extracted.date else None,
        author=_clean(extracted.author) if extracted.author else None,
        blocks=builder.blocks, meta=meta,
    )


def _sniff(path: Path, head: bytes) -> bool:
    if suffix(path) in HTML_SUFFIXES:
        return True
    return suffix(path) == "" and bool(_HTML_START.match(head.lstrip(codecs.BOM_UTF8)))


@reader("html", "HTML news pages (main text via trafilatura)", sniff=_sniff, priority=0)
def read_html(path: Path, data: bytes) -> ReadResult:
    return ReadResult(documents=[read_html_document(path, data)])
