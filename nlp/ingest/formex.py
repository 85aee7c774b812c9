"""Formex 4 XML acts -> ``regulation`` documents that keep the act's
structure (see :mod:`nlp.ingest.act_blocks` for the blocks and metadata).

Reads ``ACT``, ``CONS.ACT`` (optionally wrapped in another root such as
``LEXP.COMBINED``): ``TITLE``, ``PREAMBLE``/``VISA``/``CONSID``,
``ENACTING.TERMS``/``DIVISION``/``ARTICLE``/``PARAG``/``ALINEA``,
``ANNEX``/``CONS.ANNEX``, ``TBL``, ``NOTE``; the CELEX number from
``NO.CELEX`` or ``CONSLEG.REF``.

Library: lxml (entities and network access disabled).
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import celex
from ..records import Document, ReadResult, content_id
from .act_blocks import _is_element, _State, act_from_title, annex_section, clean, published_from_title
from .registry import ReadError, reader, suffix
from .textutil import detect_lang, parse_date

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


@reader("formex", "Formex 4 XML acts (ACT, CONS.ACT)",
        sniff=lambda path, head: suffix(path) in ("xml", "fmx", "fmx4") and looks_formex(head), priority=30)
def read_formex(path: Path, data: bytes) -> ReadResult:
    return ReadResult(documents=[parse_formex(path, data)])
