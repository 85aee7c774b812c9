"""Plain-text and Markdown news (``.txt``, ``.md``), optionally with a YAML
front-matter header (Jekyll posts, scraped articles).

The document text is the file's decoded content, unchanged, so every offset
indexes the file itself; blocks are the front matter and the paragraphs
(runs of lines between blank lines). Title, date, author and language come
from the front matter when present, else from the first lines (a date line
such as ``7 июня 2024``) and the file name (``2024-06-07_...``).

Files named README/LICENCE/FORMAT are kept as ``reference`` documents.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..records import Block, Document, ReadResult, content_id
from ..text import FRONT_MATTER, checked_lang, is_corpus_metadata
from .registry import reader, suffix
from .textutil import decode_text, parse_date

_PARAGRAPH = re.compile(r"\S(?:.*?\S)?(?=\n[ \t]*\n|\s*\Z)", re.S)
_NAME_DATE = re.compile(r"(?<!\d)(20\d\d|19\d\d)-?(\d\d)-?(\d\d)(?!\d)")
_REFERENCE_NAMES = re.compile(r"(readme|licen[cs]e|format|changelog)", re.I)


def _front_matter(text: str) -> tuple[dict, int]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    import yaml

    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        meta = {}
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep and re.fullmatch(r"[A-Za-z_]+", key.strip()):
                meta[key.strip()] = value.strip().strip('"')
    return (meta if isinstance(meta, dict) else {}), match.end()


def _guess_title(paragraphs: list[Block]) -> str | None:
    for block in paragraphs[:8]:
        line = block.text.strip().lstrip("#").strip()
        if 15 <= len(line) <= 200 and "\n" not in line and not line.endswith("."):
            return line
    return None


def _guess_date(paragraphs: list[Block], path: Path) -> str | None:
    for block in paragraphs[:3]:
        for line in block.text.splitlines()[:4]:
            if len(line) <= 40 and re.search(r"\d{4}", line) and not line.strip().isdigit():
                found = parse_date(line)
                if found:
                    return found
    m = _NAME_DATE.search(path.name)
    return parse_date(f"{m[1]}-{m[2]}-{m[3]}") if m else None


def read_text_document(path: Path, data: bytes, kind: str | None = None) -> Document:
    text, notes = decode_text(data)
    meta, body_start = _front_matter(text)
    blocks: list[Block] = []
    if body_start:
        blocks.append(Block("metadata", text[:body_start].rstrip(), 0, len(text[:body_start].rstrip())))
    paragraphs = []
    for m in _PARAGRAPH.finditer(text, body_start):
        kind_of = "heading" if m.group().startswith("#") else "paragraph"
        block = Block(kind_of, m.group(), m.start(), m.end())
        paragraphs.append(block)
    blocks.extend(paragraphs)
    lang = checked_lang(str(meta.get("language") or meta.get("lang") or ""), text[body_start:])
    title = meta.get("title") or _guess_title(paragraphs)
    published = parse_date(meta.get("published_date") or meta.get("date") or meta.get("published")) \
        or _guess_date(paragraphs, path)
    if kind is None:
        kind = "metadata" if is_corpus_metadata(path) else \
            "reference" if _REFERENCE_NAMES.search(path.stem) else "news"
    return Document(
        doc_id=content_id(data), kind=kind, lang=lang, text=text,
        source=str(meta.get("url") or path), title=str(title).strip() if title else None,
        published=published, author=str(meta["author"]) if meta.get("author") else None,
        blocks=blocks,
        meta={**notes, **{k: str(v) for k, v in meta.items() if k in
                          ("source", "source_url", "description", "collected_date", "url")}},
    )


@reader("text", "Plain-text/Markdown news with optional YAML front matter",
        sniff=lambda path, head: suffix(path) in ("txt", "md", "markdown"), priority=0)
def read_text(path: Path, data: bytes) -> ReadResult:
    return ReadResult(documents=[read_text_document(path, data)])
