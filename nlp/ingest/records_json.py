"""JSON and JSON Lines records: one document per record.

Shapes accepted: a JSON array of objects, an object holding such an array
(``messages``, ``items``, ``records``, ``data``), a single object, or JSON
Lines. Telegram exports (``message_id``, ``text`` as a string or as a list of
strings and entity objects, ``date``) and BEIR corpora (``_id``, ``title``,
``text``) are such shapes. The record's own id (``id``, ``_id``,
``message_id``) is kept as ``source_id``; records without text are skipped
and counted in the file's first document's ``meta``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from ..records import Block, Document, ReadResult, content_id
from ..text import checked_lang, title_from_text
from .registry import ReadError, reader, suffix
from .textutil import decode_text, parse_date

ID_FIELDS = ("id", "_id", "message_id", "recordId")
TEXT_FIELDS = ("text", "excerpt", "content", "body", "abstract")
TITLE_FIELDS = ("title", "headline")
DATE_FIELDS = ("published", "date", "published_date", "datetime")
LIST_FIELDS = ("messages", "items", "records", "data", "documents")


def _flatten_text(value: Any) -> str:
    """Telegram writes rich text as a list of strings and {"text": ...} parts."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(_flatten_text(part) for part in value)
    if isinstance(value, dict):
        return _flatten_text(value.get("text"))
    return str(value)


def _records(path: Path, text: str) -> Iterator[dict]:
    if suffix(path) in ("jsonl", "ndjson"):
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ReadError(f"invalid JSON on line {number}: {exc.msg}") from None
            if isinstance(item, dict):
                yield item
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    if isinstance(data, dict):
        for name in LIST_FIELDS:
            if isinstance(data.get(name), list):
                data = data[name]
                break
        else:
            data = [data]
    if not isinstance(data, list):
        raise ReadError("JSON holds neither records nor a list of records")
    yield from (item for item in data if isinstance(item, dict))


def _first(record: dict, names: tuple[str, ...]) -> Any:
    for name in names:
        if record.get(name) not in (None, ""):
            return record[name]
    return None


def _kind_for(path: Path) -> str:
    parts = {p.lower() for p in path.parts}
    return "regulation" if any("regulation" in p or "guidance" in p for p in parts) else "news"


def record_to_document(record: dict, path: Path, kind: str) -> Document | None:
    text = _flatten_text(_first(record, TEXT_FIELDS)).strip()
    if not text:
        return None
    source_id = _first(record, ID_FIELDS)
    title = _first(record, TITLE_FIELDS)
    blocks = []
    if title and str(title).strip() and str(title).strip() not in text[:300]:
        # Keep the title in the text so search sees it, as its own block.
        head = str(title).strip()
        text_full = f"{head}\n\n{text}"
        blocks.append(Block("title", head, 0, len(head)))
        offset = len(head) + 2
    else:
        text_full, offset = text, 0
    blocks.append(Block("paragraph", text, offset, offset + len(text)))
    lang = checked_lang(str(record.get("lang") or record.get("language") or ""), text)
    meta = {k: v for k, v in record.items()
            if k not in TEXT_FIELDS and isinstance(v, (str, int, float, bool)) and len(str(v)) < 500}
    return Document(
        doc_id=content_id(json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)),
        kind=kind, lang=lang, text=text_full,
        source=str(record.get("url") or (f"{path}#{source_id}" if source_id is not None else path)),
        title=str(title).strip() if title else title_from_text(text),
        published=parse_date(_first(record, DATE_FIELDS)),
        source_id=str(source_id) if source_id is not None else None,
        author=str(record["author"]) if record.get("author") else None,
        blocks=blocks, meta=meta,
    )


@reader("json-records", "JSON/JSONL records (Telegram exports, BEIR corpora, news excerpts)",
        sniff=lambda path, head: suffix(path) in ("json", "jsonl", "ndjson"), priority=0)
def read_json_records(path: Path, data: bytes) -> ReadResult:
    text, _ = decode_text(data)
    kind = _kind_for(path)
    documents, skipped, seen = [], 0, set()
    for record in _records(path, text):
        doc = record_to_document(record, path, kind)
        if doc is None:
            skipped += 1
        elif doc.doc_id not in seen:
            seen.add(doc.doc_id)
            documents.append(doc)
    if not documents:
        raise ReadError(f"no records with text ({skipped} without text)")
    documents[0].meta["records_without_text"] = skipped
    return ReadResult(documents=documents)
