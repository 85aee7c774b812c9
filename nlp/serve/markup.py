"""Turn a document's text and annotation spans into render events for a template.

What it does: given the text, its blocks and annotation items (the store's
``annotations`` rows: ``layer``, ``start``, ``end``, ``label`` and the layer's
data), builds per block a flat list of :class:`Event` -- ``open`` (an
annotation starts), ``text`` (a run of plain characters) and ``close`` -- with
properly nested spans, plus a tooltip string for each annotation (HS
description and CHP tier, a date's normalised value and interval, ...). It
also cuts search snippets into highlighted pieces.

Spans that cross another span (neither nests in the other) or a block edge are
clipped or left out of the inline markup; they still show in the document
page's side lists. Nothing here escapes HTML: events carry raw text and the
Jinja templates (autoescape on) escape every piece of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..annotations import CITATION, CLAIM, DATE, ENTITY, HS_CODE, RECORD_KEYS
from ..celex import is_celex

# Which layer wins when two spans cover exactly the same characters: the outer
# one is drawn first. Citations often contain dates and codes, so they go out.
LAYER_ORDER = {CITATION: 0, CLAIM: 1, HS_CODE: 2, DATE: 3, ENTITY: 4}
INLINE_LAYERS = tuple(LAYER_ORDER)


@dataclass
class Span:
    layer: str
    start: int
    end: int
    label: str | None
    tooltip: str
    css: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Event:
    kind: str  # open | text | close
    text: str = ""
    span: Span | None = None


@dataclass
class RenderedBlock:
    kind: str
    section: str | None
    page: int | None
    start: int
    end: int
    events: list[Event]


def _interval_text(interval: Any) -> str:
    if isinstance(interval, (list, tuple)) and interval:
        first, last = interval[0], interval[-1]
        return f"{first or '…'} .. {last or '…'}"
    if isinstance(interval, dict):
        return f"{interval.get('start') or '…'} .. {interval.get('end') or '…'}"
    return str(interval) if interval else ""


def tooltip(item: dict[str, Any]) -> str:
    """What hovering over an annotation shows (plain text; the template escapes it)."""
    layer = item.get("layer")
    if layer == HS_CODE:
        code = item.get("code") or item.get("label") or item.get("text")
        parts = [f"{item.get('system') or 'HS'} {code}"]
        if item.get("description"):
            parts.append(str(item["description"]))
        if item.get("chp_tier"):
            parts.append(f"CHP tier {item['chp_tier']}")
        if item.get("chp_items"):
            parts.append(f"{len(item['chp_items'])} CHP items under it")
        return " — ".join(parts)
    if layer == DATE:
        parts = [f"{item.get('type') or 'DATE'} {item.get('value') or ''}".strip()]
        if item.get("mod"):
            parts.append(f"mod {item['mod']}")
        interval = _interval_text(item.get("interval"))
        if interval:
            parts.append(f"interval {interval}")
        return " — ".join(parts)
    if layer == CITATION:
        celex = item.get("celex") or item.get("label")
        parts = [f"CELEX {celex}" if celex else str(item.get("kind") or "citation")]
        if item.get("act_type") and item.get("number") and item.get("year"):
            parts.append(f"{item['act_type']} {item['number']}/{item['year']}")
        for key in ("article", "paragraph", "annex"):
            if item.get(key):
                parts.append(f"{key} {item[key]}")
        return " — ".join(parts)
    if layer == ENTITY:
        parts = [str(item.get("label") or "entity")]
        for key in ("normalized", "canonical", "name", "country"):
            if item.get(key) and item.get(key) != item.get("text"):
                parts.append(f"{key}: {item[key]}")
        return " — ".join(parts)
    if layer == CLAIM:
        return f"claim — {item.get('verdict') or ''}"
    return str(item.get("label") or layer or "")


def css_class(item: dict[str, Any]) -> str:
    layer = str(item.get("layer") or "other")
    label = str(item.get("label") or "").lower()
    classes = [f"a-{layer}"]
    if layer == ENTITY and label.isalnum():
        classes.append(f"ent-{label}")
    if layer == HS_CODE and item.get("chp_tier"):
        classes.append("chp")
    if layer == CLAIM and item.get("verdict"):
        classes.append(f"claim-{item['verdict']}")
    return " ".join(classes)


def to_spans(items: Iterable[dict[str, Any]], text_length: int) -> list[Span]:
    spans = []
    for item in items:
        try:
            start, end = int(item["start"]), int(item["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if not (0 <= start < end <= text_length) or item.get("layer") not in LAYER_ORDER:
            continue
        spans.append(Span(layer=item["layer"], start=start, end=end, label=item.get("label"),
                          tooltip=tooltip(item), css=css_class(item), data=item))
    return spans


def nest(spans: list[Span]) -> list[Span]:
    """Keep the spans that form a proper tree (outer first); drop crossing ones."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end, LAYER_ORDER.get(s.layer, 9)))
    kept: list[Span] = []
    stack: list[Span] = []
    for span in ordered:
        while stack and stack[-1].end <= span.start:
            stack.pop()
        if stack and span.end > stack[-1].end:
            continue  # crosses its would-be parent
        if stack and (span.start, span.end) == (stack[-1].start, stack[-1].end) \
                and span.layer == stack[-1].layer:
            continue  # the same span twice
        kept.append(span)
        stack.append(span)
    return kept


def events(text: str, spans: list[Span], start: int = 0, end: int | None = None) -> list[Event]:
    """Open/text/close events over ``text[start:end]`` for already nested spans."""
    end = len(text) if end is None else end
    inside = [s for s in spans if s.start >= start and s.end <= end]
    out: list[Event] = []
    stack: list[Span] = []
    position = start

    def emit_text(upto: int) -> None:
        nonlocal position
        if upto > position:
            out.append(Event("text", text[position:upto]))
            position = upto

    for span in inside:
        while stack and stack[-1].end <= span.start:
            emit_text(stack[-1].end)
            out.append(Event("close", span=stack.pop()))
        emit_text(span.start)
        out.append(Event("open", span=span))
        stack.append(span)
    while stack:
        emit_text(stack[-1].end)
        out.append(Event("close", span=stack.pop()))
    emit_text(end)
    return out


def render_blocks(text: str, blocks: list[Any], items: Iterable[dict[str, Any]]) -> list[RenderedBlock]:
    """Blocks (or the whole text as one) with their nested annotation events."""
    spans = nest(to_spans(items, len(text)))
    parts = [(b.kind, b.section, b.page, b.start, b.end) for b in blocks if b.end > b.start] \
        or [("paragraph", None, None, 0, len(text))]
    return [RenderedBlock(kind=kind, section=section, page=page, start=a, end=b,
                          events=events(text, spans, a, b)) for kind, section, page, a, b in parts]


def highlight_pieces(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """(piece, highlighted?) pieces of a snippet, for the template to escape and mark."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for a, b in sorted(spans):
        if a < position or b <= a:
            continue
        if a > position:
            pieces.append((text[position:a], False))
        pieces.append((text[a:b], True))
        position = b
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


ANNOTATION_KEYS = RECORD_KEYS


def parse_range(value: str | None, text_length: int) -> tuple[int, int] | None:
    """``"120-340"`` (a passage's chars, from a search hit link) as a checked pair."""
    if not value:
        return None
    first, _, last = str(value).partition("-")
    if not (first.isdigit() and last.isdigit()):
        return None
    start, end = int(first), int(last)
    return (start, end) if 0 <= start < end <= text_length else None


def eurlex_url(celex: Any) -> str | None:
    """EUR-Lex address of a CELEX number, only for well-formed numbers."""
    value = str(celex or "")
    return f"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{value}" if is_celex(value) else None


def group_entities(entities: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entity mentions grouped by (label, text): count and first offset, most frequent first."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for item in entities:
        key = (str(item.get("label") or ""), " ".join(str(item.get("text") or "").split()))
        group = groups.setdefault(key, {"label": key[0], "text": key[1], "count": 0,
                                        "start": item.get("start")})
        group["count"] += 1
    return sorted(groups.values(), key=lambda g: (-g["count"], g["label"], g["text"]))
