"""An EU act's text as structured blocks: what the EUR-Lex HTML reader
(:mod:`nlp.ingest.eurlex_html`) and the Formex reader (:mod:`nlp.ingest.formex`)
share — text cleaning, act type/number/CELEX from a title, the block builder
state.

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

What it does not do: parse HTML or XML (the two reader modules do).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from .. import celex
from ..records import TextBuilder
from .textutil import parse_date

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

def _is_element(el) -> bool:
    return isinstance(el.tag, str)
