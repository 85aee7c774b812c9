"""What ``sanctions search`` and ``sanctions match`` print, without typer.

Shared by the full commands (:mod:`nlp.index.commands`, :mod:`nlp.tag.commands`)
and by the server fast path (:mod:`nlp.cli_fast`), so both print the same
lines. Imports nothing heavy (rich only when a listing is printed).

What it does not do: search, match or parse arguments.
"""

from __future__ import annotations

import json
import re
from typing import Any

HIT_FIELDS = ("rank", "score", "doc_id", "source", "source_id", "passage_id", "text", "kind", "lang", "page",
              "section", "start", "end", "title", "published", "also_published_as")
JSON_KEYS = ("rank", "score", "doc_id", "source", "source_id", "passage_id", "text", "kind", "lang",
             "page", "section", "start", "end", "title", "also_published_as")

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(obj: Any) -> str:
    """One JSON line; lone surrogates (undecodable input) as ``\\udcXX`` escapes,
    so the line can still be written as UTF-8."""
    line = json.dumps(obj, ensure_ascii=False, default=str)
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", line)


def match_line(hit: dict[str, Any]) -> str:
    """One ``sanctions match`` result: score, listed name, list, programme, date, explanation."""
    return (f"{hit['score']:.3f}  {hit['name']}  [{hit['list_name']}; {hit['programme'] or ''}; "
            f"listed {hit['listing_date'] or '?'}]\n        {hit['explanation']}")


def no_match_note(name: str, schema: str | None) -> str:
    """What ``sanctions match`` says (on stderr) when no listed entry scores above
    the threshold, so that an empty answer is not read as a failure to run."""
    kind = f" {schema}" if schema else ""
    return f"no listed{kind} entry matches {name!r} above the matching threshold"


def print_hits(console: Any, query: str, hits: Any, query_id: str | None = None) -> None:
    """The ``sanctions search`` listing: rank, score, title, provenance, snippet with the
    query terms in bold, and the story's other copies."""
    from rich.text import Text

    # Queries, titles and sections are user or file text: never read as markup.
    header = Text.assemble((query, "bold"), f"  ({query_id})" if query_id else "",
                           "" if hits else "  — no results")
    console.print(header)
    for hit in hits:
        where = ", ".join(x for x in (hit.kind, hit.lang, f"p. {hit.page}" if hit.page else None,
                                      hit.section, hit.published) if x)
        console.print(Text.assemble(f"{hit.rank:>3}. ", (f"{hit.score:.4f}", "cyan"),
                                    f" {hit.title or hit.source}  ",
                                    (f"{where} · {hit.passage_id} · chars {hit.start}–{hit.end}", "dim")),
                      highlight=False)
        # A server's hits carry their snippet (no stemmer to load here).
        if getattr(hit, "snippet", None) is not None:  # a server's hit carries its snippet
            text, spans = hit.snippet, hit.highlights
        else:
            from .index.commands import snippet

            text, spans = snippet(hit.text, query)
        line = Text("     " + text)
        for a, b in spans:
            line.stylize("bold yellow", a + 5, b + 5)
        console.print(line)
        if hit.also_published_as:
            copies = "; ".join(str(c.get("title") or c.get("source") or c["doc_id"]) for c in hit.also_published_as)
            console.print(f"     [dim]also published as: {copies}[/dim]", highlight=False)
