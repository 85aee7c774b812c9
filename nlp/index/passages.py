"""Cut documents into passages that follow their structure and fit a window.

What it does: turns a :class:`~nlp.records.Document` (with its blocks) into
:class:`Passage` records, each a span ``doc.text[start:end]`` with its
provenance (document, page, section, block kind, character offsets):

* legal acts: one article / recital / annex at a time -- consecutive blocks
  are joined only while they belong to the same top-level section
  (``Article 3a(1)`` and ``Article 3a(2)`` share ``Article 3a``);
* news and other prose: consecutive paragraphs packed up to the window;
* listings: one passage per ``entry`` block, never merged;
* tables: groups of whole rows, the header row repeated in what the model
  sees (not in the passage text, which stays a verbatim span);
* headings and titles attach to the content that follows them.

Anything longer than the window is split at sentence ends, then between
words. Token counts come from the embedding model's own tokenizer (passed in
as ``count_tokens``), so a passage never gets truncated by the model.

What it does not do: embed, store or search (see :mod:`nlp.index.search`).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Callable, Iterable, Sequence

from ..records import Block, Document

CountTokens = Callable[[Sequence[str]], list[int]]

HEADING_KINDS = {"title", "heading"}
# Structure units that are never merged with their neighbours.
STANDALONE_KINDS = {"entry", "table"}
# Sentence ends (Latin and Cyrillic prose, legal enumerations) and line breaks.
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
_WORD = re.compile(r"\S+")
# Title tokens allowed as context before a passage that does not contain it.
MAX_CONTEXT_TOKENS = 40


@dataclass
class Passage:
    passage_id: str
    doc_id: str
    seq: int
    start: int
    end: int
    text: str
    embed_text: str  # what the model and BM25 see: context + text
    block_kind: str
    page: int | None = None
    section: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Unit:
    start: int
    end: int
    kind: str
    page: int | None
    section: str | None
    tokens: int
    context: str = ""  # e.g. a table's header row


def section_root(section: str | None) -> str | None:
    """``Article 3a(2)`` -> ``Article 3a``; ``Annex I, point 3`` -> ``Annex I``."""
    if not section:
        return None
    return re.split(r"[(,;]", section, maxsplit=1)[0].strip().lower() or None


def _paragraph_blocks(doc: Document) -> list[Block]:
    """Blocks for a document that came without any: its blank-line paragraphs."""
    blocks = []
    for match in re.finditer(r"\S(?:.*?\S)?(?=\n\s*\n|\s*\Z)", doc.text, flags=re.S):
        blocks.append(Block("paragraph", match.group(0), match.start(), match.end()))
    return blocks


def _split_span(text: str, start: int, end: int, limit: int,
                count_tokens: CountTokens) -> list[tuple[int, int, int]]:
    """Split ``text[start:end]`` into (start, end, tokens) pieces within ``limit``."""
    span = text[start:end]
    pieces: list[tuple[int, int]] = []
    cursor = 0
    for match in _SENTENCE_END.finditer(span):
        if match.start() > cursor:
            pieces.append((cursor, match.start()))
        cursor = match.end()
    if cursor < len(span):
        pieces.append((cursor, len(span)))
    counts = count_tokens([span[a:b] for a, b in pieces])
    # A sentence longer than the window: fall back to runs of words.
    fine: list[tuple[int, int, int]] = []
    for (a, b), n in zip(pieces, counts):
        if n <= limit:
            fine.append((a, b, n))
            continue
        words = [(m.start() + a, m.end() + a) for m in _WORD.finditer(span[a:b])]
        word_counts = count_tokens([span[x:y] for x, y in words])
        run_start, run_tokens, last_end = None, 0, a
        for (x, y), wn in zip(words, word_counts):
            wn = max(1, wn)
            if run_start is not None and run_tokens + wn > limit:
                fine.append((run_start, last_end, run_tokens))
                run_start, run_tokens = None, 0
            if run_start is None:
                run_start = x
            # A single word over the window (a base64 blob) is cut by the model; accept it.
            run_tokens += wn
            last_end = y
        if run_start is not None:
            fine.append((run_start, last_end, run_tokens))
    # Pack consecutive pieces back up to the window.
    out: list[tuple[int, int, int]] = []
    for a, b, n in fine:
        if out and out[-1][2] + n + 1 <= limit:
            out[-1] = (out[-1][0], b, out[-1][2] + n + 1)
        else:
            out.append((a, b, n))
    return [(start + a, start + b, n) for a, b, n in out]


def _table_units(doc_text: str, block: Block, limit: int, count_tokens: CountTokens) -> list[_Unit]:
    """Groups of whole rows; the header row is context for every later group."""
    rows = doc_text[block.start:block.end].split("\n")
    spans, offset = [], block.start
    for row in rows:
        spans.append((offset, offset + len(row)))
        offset += len(row) + 1
    counts = count_tokens(rows)
    header = rows[0]
    # Reserve room for the repeated header so every group fits with it.
    budget = max(16, limit - min(counts[0], MAX_CONTEXT_TOKENS) - 1)
    units: list[_Unit] = []
    group_start, group_end, group_tokens = None, 0, 0
    for (a, b), n in zip(spans, counts):
        if group_start is not None and group_tokens + n + 1 > budget:
            units.append(_Unit(group_start, group_end, "table", block.page, block.section, group_tokens))
            group_start = None
        if group_start is None:
            group_start, group_tokens = a, 0
        group_end = b
        group_tokens += n + 1
    if group_start is not None:
        units.append(_Unit(group_start, group_end, "table", block.page, block.section, group_tokens))
    out: list[_Unit] = []
    for unit in units:
        context = header if unit.start != block.start else ""
        if unit.tokens <= budget:
            unit.context = context
            out.append(unit)
        else:  # one row longer than the window: split it like prose
            for a, b, n in _split_span(doc_text, unit.start, unit.end, budget, count_tokens):
                out.append(_Unit(a, b, "table", unit.page, unit.section, n, context))
    return out


def chunk_document(doc: Document, count_tokens: CountTokens, max_tokens: int) -> list[Passage]:
    """Passages of ``doc`` (see the module docstring)."""
    blocks = [b for b in doc.blocks if b.kind != "metadata" and doc.text[b.start:b.end].strip()]
    if not blocks:
        blocks = _paragraph_blocks(doc)
    if not blocks:
        return []
    title = (doc.title or "").strip()
    title_tokens = count_tokens([title])[0] if title else 0
    use_title = 0 < title_tokens <= MAX_CONTEXT_TOKENS
    # Room for the title and a carried heading as context.
    limit = max(16, max_tokens - (title_tokens + 1 if use_title else 0))

    counts = count_tokens([doc.text[b.start:b.end] for b in blocks])
    units: list[_Unit] = []
    for block, n in zip(blocks, counts):
        if block.kind == "table":
            units.extend(_table_units(doc.text, block, limit, count_tokens))
        elif n > limit:
            for a, b, m in _split_span(doc.text, block.start, block.end, limit, count_tokens):
                units.append(_Unit(a, b, block.kind, block.page, block.section, m))
        else:
            units.append(_Unit(block.start, block.end, block.kind, block.page, block.section, n))

    groups: list[list[_Unit]] = []
    legal = doc.kind == "regulation"
    for unit in units:
        previous = groups[-1] if groups else None
        if previous is not None:
            tokens = sum(u.tokens + 1 for u in previous) + unit.tokens
            last = previous[-1]
            heading_pending = all(u.kind in HEADING_KINDS for u in previous)
            mergeable = (
                tokens <= limit
                and unit.kind not in STANDALONE_KINDS
                and last.kind not in STANDALONE_KINDS
                and (heading_pending or not legal or
                     section_root(unit.section) == section_root(_content(previous).section))
            )
            if mergeable or (heading_pending and tokens <= limit):
                previous.append(unit)
                continue
        groups.append([unit])

    passages: list[Passage] = []
    carried: list[str] = []  # headings that did not fit beside what follows them
    for index, group in enumerate(groups):
        start, end = group[0].start, group[-1].end
        text = doc.text[start:end]
        heading_tokens = sum(u.tokens + 1 for u in group)
        following = groups[index + 1] if index + 1 < len(groups) else None
        if following and all(u.kind in HEADING_KINDS for u in group) and \
                sum(u.tokens + 1 for u in following) + heading_tokens + \
                (title_tokens + 1 if use_title else 0) + _context_tokens(following) <= max_tokens:
            carried.append(" ".join(text.split()))
            continue
        main = _content(group)
        context = [title] if use_title and title not in text else []
        context.extend(c for c in carried if c != title)
        carried = []
        if main.context:
            context.append(main.context)
        embed_text = "\n".join([*context, text]) if context else text
        seq = len(passages)
        passages.append(Passage(
            passage_id=f"{doc.doc_id}:{seq}", doc_id=doc.doc_id, seq=seq, start=start, end=end,
            text=text, embed_text=embed_text, block_kind=main.kind,
            page=next((u.page for u in group if u.page is not None), None),
            section=main.section or next((u.section for u in group if u.section), None),
        ))
    return passages


def _context_tokens(group: list[_Unit]) -> int:
    """Tokens a group's own context (a table header) adds, bounded as in _table_units."""
    return MAX_CONTEXT_TOKENS + 1 if _content(group).context else 0


def _content(group: list[_Unit]) -> _Unit:
    """The first non-heading unit of a group (the heading alone if that is all)."""
    return next((u for u in group if u.kind not in HEADING_KINDS), group[0])


def chunk_documents(docs: Iterable[Document], count_tokens: CountTokens,
                    max_tokens: int) -> list[Passage]:
    return [p for doc in docs for p in chunk_document(doc, count_tokens, max_tokens)]
