"""Keep tagging as new files or feed items arrive.

Each item has a key: a file's absolute path plus its SHA-256, or a feed's
URL plus the item's id (``guid``/``id``, else its link). The store's
``watch_seen`` table holds the keys already tagged; a key is written only
after its item's document is stored. A watcher killed at any point and
started again therefore loses nothing; an item caught between the two
writes is tagged again, and since documents are stored under their source
key and content id, the store still holds it once. Each tagged item is
logged as one JSON line (to ``watch.jsonl`` in the store folder, and to the
caller's ``log`` function). Tagging stores each item through the pipeline
runner (:mod:`nlp.pipeline`), so its annotations, index passages and verified
claims land as they would from ``ingest``.

Feeds (RSS or Atom) are fetched with urllib (bounded time and size) and
parsed with feedparser (which also sanitises item HTML); item HTML is then
reduced to text with lxml, script, style and embedded objects dropped.

An item whose tagging fails is logged and marked ``failed``; it is not tried
again until its key changes (a file's content, a feed item's id), so one bad
file does not fail again on every poll.

What it does not do: tag (``nlp.tag.tagging``) or schedule (the
``sanctions watch`` command polls).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..store import Store

WATCH_SCHEMA = """
CREATE TABLE IF NOT EXISTS watch_seen (
    key      TEXT PRIMARY KEY,
    source   TEXT NOT NULL,
    doc_id   TEXT,
    status   TEXT NOT NULL,
    seen_at  REAL NOT NULL
);
"""
FEED_TIMEOUT_S = 20
FEED_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Item:
    key: str
    source: str
    title: str | None
    text: str | None = None        # feed items carry text
    path: Path | None = None       # files are read by ingest's readers
    published: str | None = None
    refused: str | None = None     # why the folder walk will not read this path


def seen(store: Store, key: str) -> bool:
    store.ensure_schema(WATCH_SCHEMA)
    return bool(store.query("SELECT 1 FROM watch_seen WHERE key = ?", (key,)))


def mark(store: Store, item: Item, doc_id: str | None, status: str) -> None:
    store.ensure_schema(WATCH_SCHEMA)
    with store.transaction() as db:
        db.execute("INSERT OR REPLACE INTO watch_seen VALUES (?,?,?,?,?)",
                   (item.key, item.source, doc_id, status, time.time()))


def dir_items(directory: Path) -> Iterator[Item]:
    from ..ingest.walk import entries, printable, read_regular

    for entry in entries([directory]):
        path = entry.path
        if entry.problem:  # a link out of the folder, a FIFO, an undecodable name...
            yield Item(key=f"refused:{printable(path)}", source=printable(path), title=None,
                       refused=entry.problem)
            continue
        try:
            digest = hashlib.sha256(read_regular(path) or b"").hexdigest()
        except OSError:
            continue  # vanished or unreadable between listing and reading
        yield Item(key=f"file:{path.resolve()}:{digest}", source=str(path), title=path.name, path=path)


_ACTIVE_BLOCK = re.compile(r"<(script|style|noscript|iframe|object|template)\b.*?(?:</\1\s*>|\Z)", re.I | re.S)
_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
               "section", "article", "table", "ul", "ol")
_TAG = re.compile(r"<[^>]*>?")


def html_to_text(html: str) -> str:
    """Text of a feed item's HTML: paragraphs kept apart, no script, style or
    embedded objects, no markup; attributes (``onload=...``) never reach the text."""
    import lxml.etree
    import lxml.html

    if not html or not html.strip():
        return ""
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        # Not parseable as HTML: drop active blocks and every tag by pattern.
        return " ".join(_TAG.sub(" ", _ACTIVE_BLOCK.sub(" ", html)).split())
    for bad in root.xpath("//script|//style|//noscript|//iframe|//object|//embed|//template"):
        bad.drop_tree()
    if not isinstance(root.tag, str):  # a lone comment or processing instruction
        return ""
    for block in root.iter(*_BLOCK_TAGS):
        block.tail = "\n\n" + (block.tail or "")
    paragraphs = re.split(r"\n\s*\n", root.text_content())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def feed_items(url: str) -> Iterator[Item]:
    import feedparser

    request = urllib.request.Request(url, headers={"User-Agent": "sanctions-nlp watch"})
    with urllib.request.urlopen(request, timeout=FEED_TIMEOUT_S) as response:
        data = response.read(FEED_MAX_BYTES + 1)
    if len(data) > FEED_MAX_BYTES:
        raise ValueError(f"{url}: feed larger than {FEED_MAX_BYTES // 2**20} MiB")
    parsed = feedparser.parse(data)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        why = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise ValueError(f"{url}: not an RSS/Atom feed ({' '.join(str(why).split())[:200]})")
    for entry in parsed.entries:
        ident = entry.get("id") or entry.get("guid") or entry.get("link")
        if not ident:
            continue
        body = ""
        if entry.get("content"):
            body = " ".join(c.get("value", "") for c in entry["content"])
        body = body or entry.get("summary", "")
        title = entry.get("title")
        text = "\n\n".join(x for x in (title, html_to_text(body)) if x)
        published = None
        if entry.get("published_parsed") or entry.get("updated_parsed"):
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
            published = f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}"
        yield Item(key=f"feed:{url}#{ident}", source=entry.get("link") or f"{url}#{ident}",
                   title=title, text=text, published=published)


def process(items: Iterator[Item], store: Store, log: Callable[[dict], None],
            log_file: Path | None = None) -> dict[str, int]:
    """Tag the items not seen before. Returns counts."""
    from .tagging import tag_article, tag_path

    counts = {"tagged": 0, "skipped": 0, "failed": 0}
    for item in items:
        if seen(store, item.key):
            counts["skipped"] += 1
            continue
        try:
            if item.refused:
                raise ValueError(item.refused)
            if item.path is not None:
                tags = tag_path(item.path, store)
            else:
                tags = tag_article(item.text or "", store, published=item.published, title=item.title,
                                   source=item.source)
            status, doc_id = "tagged", tags["doc_id"]
            entry = {"key": item.key, "status": status, "doc_id": doc_id, "title": tags.get("title"),
                     "lang": tags["lang"], "listed": tags["listed"],
                     "topics": [t["topic"] for t in tags["topics"]],
                     "claims": [c["verdict"] for c in tags["claims"]]}
            counts["tagged"] += 1
        except Exception as exc:  # one bad item must not stop the watcher
            status, doc_id = "failed", None
            entry = {"key": item.key, "status": status, "error": f"{type(exc).__name__}: {exc}"[:300]}
            counts["failed"] += 1
        mark(store, item, doc_id, status)
        if log_file is not None:
            with log_file.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        log(entry)
    return counts
