"""Numbers, periods, flows and units of trade tables, and the builder that
turns one file's observations into ``TradeFact`` records and its describing
``trade_table`` Document.

What it does not do: open workbooks or CSV files (:mod:`.sheets`) or know any
source's layout (the reader modules).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

from ...records import Document, ReadResult, TextBuilder, TradeFact, content_id
from ...text import CYRILLIC_LANGS, detect_lang
from ..registry import ReadError
from .countries import country_code

# -- values, periods, flows --------------------------------------------------

# A footnote mark after a label: "Kazakhstan 2", "Total*".
FOOTNOTE = re.compile(r"(\s+\d{1,2}|\*+)$")

SCALES = {"thousand": 1e3, "тыс": 1e3, "миң": 1e3, "million": 1e6, "millions": 1e6,
          "млн": 1e6, "миллион": 1e6, "billion": 1e9, "млрд": 1e9, "миллиард": 1e9}
_MONTHS_EN = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_MONTHS_RU = {m: i for i, m in enumerate(
    ["январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр",
     "ноябр", "декабр"], 1)}


def to_number(cell: Any) -> float | None:
    """A cell as a number, or None for blanks, ':' , '-', '...' and text."""
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        return float(cell)
    text = str(cell).strip().replace("\u00a0", "").replace(" ", "")
    if not text or text in (":", "-", "–", "—", "...", "…", "x", "X", "NA", "n/a"):
        return None
    text = text.rstrip("%")
    # "1376,4" (NSC tables) is a decimal comma; "1,234" and "1,234,567" are
    # thousands separators.
    if re.fullmatch(r"-?\d+,(\d{1,2}|\d{4,})", text):
        text = text.replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def scaled(value: float, scale: float) -> float:
    # 15 significant digits drop the binary noise of multiplying out
    # (23324.600000000002 * 1e6) without touching real digits.
    return float(f"{value * scale:.15g}")


def unit_note(scale: float, currency: str | None) -> str:
    word = {1e3: "thousand", 1e6: "million", 1e9: "billion"}.get(scale)
    unit = currency or "(currency not stated)"
    return f"source in {word} {unit}, multiplied out" if word else f"source in {unit}"


def scale_of(text: str) -> float:
    low = text.casefold()
    for word, factor in SCALES.items():
        if re.search(rf"(?<!\w){word}", low):
            return factor
    return 1.0


def currency_of(text: str) -> str | None:
    low = text.casefold()
    if re.search(r"долл|dollar|usd|доллар", low):
        return "USD"
    if re.search(r"euro|eur\b|евро", low):
        return "EUR"
    if re.search(r"сом|soms?\b", low):
        return "KGS"
    return None


def flow_of(text: Any) -> str | None:
    low = str(text or "").casefold().strip()
    if not low:
        return None
    if "re-export" in low or "reexport" in low or "реэкспорт" in low or low in ("rx", "re"):
        return "re-export"
    if "re-import" in low or "reimport" in low or "реимпорт" in low or low == "rm":
        return "re-import"
    if "export" in low or "экспорт" in low or low in ("x", "2", "exports"):
        return "export"
    if "import" in low or "импорт" in low or low in ("m", "1", "mg"):
        return "import"
    return None


def period_of(value: Any) -> str | None:
    """``YYYY-MM`` or ``YYYY`` from the many ways these files write periods."""
    if isinstance(value, (datetime, date)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, (int, float)) and 1900 <= value <= 2100 and float(value).is_integer():
        return f"{int(value):04d}"
    text = " ".join(str(value or "").split())
    if not text:
        return None
    m = re.fullmatch(r"((?:19|20)\d\d)(?:\s*\*+|\s+\d{1,2})?", text)  # "2023", "2023 1" (footnote)
    if m:
        return m[1]
    m = re.fullmatch(r"((?:19|20)\d\d)-?(\d\d)(?:-\d\d)?", text)
    if m and 1 <= int(m[2]) <= 12:
        return f"{m[1]}-{m[2]}"
    # Comext labels: "202408-Aug. 2024", "Apr. 2019", "Jan.-Dec. 2010", "201952-Jan.-Dec. 2019"
    m = re.search(r"jan\.?\s*-\s*dec\.?\s*((?:19|20)\d\d)", text, re.I)
    if m:
        return m[1]
    m = re.search(r"\b([A-Za-z]{3})[a-z]*\.?\s+((?:19|20)\d\d)\b", text)
    if m and m[1].lower() in _MONTHS_EN:
        return f"{m[2]}-{_MONTHS_EN[m[1].lower()]:02d}"
    m = re.search(r"(январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*\s+((?:19|20)\d\d)",
                  text, re.I)
    if m:
        return f"{m[2]}-{russian_month(m[1]):02d}"
    m = re.fullmatch(r"(?:январь\s*-\s*декабрь|jan(?:uary)?\s*-\s*dec(?:ember)?)\s+((?:19|20)\d\d).*", text, re.I)
    if m:
        return m[1]
    return None


def russian_month(text: str) -> int | None:
    low = str(text).strip().casefold()
    if low.startswith("ма") and not low.startswith("март"):
        return 5
    for stem, number in _MONTHS_RU.items():
        if stem != "ма" and low.startswith(stem):
            return number
    return None


def product_code_fields(code: Any, system: str | None = None) -> tuple[str, str, int | None]:
    """(product_code, code_system, code_level) for a printed code."""
    text = str(code if code is not None else "").strip()
    if not text or text.casefold() in ("total", "total-total", "всего", "ttl"):
        return "TOTAL", "TOTAL", None
    digits = text.replace(".", "").replace(" ", "")
    if digits.isdigit():
        level = len(digits)
        if system is None:
            system = {8: "CN", 10: "TNVED"}.get(level, "HS")
        return digits, system, level
    return text, "LABEL", None


def slug(label: str) -> str:
    words = re.sub(r"[^\w]+", "-", FOOTNOTE.sub("", label.strip())).strip("-")
    return words.upper()[:80] or "UNLABELLED"


# -- building results --------------------------------------------------------

@dataclass
class FactBuilder:
    """Collects facts of one file and writes its describing Document."""

    path: Path
    data: bytes
    title: str
    facts: list[TradeFact] = field(default_factory=list)
    tables: TextBuilder = field(default_factory=TextBuilder)
    notes: dict[str, Any] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)
    published: str | None = None  # publication date printed in the file, ISO

    def __post_init__(self) -> None:
        self.doc_id = content_id(self.data)

    def add(self, *, reporter_label: Any, partner_label: Any, flow: str, code: Any,
            period: str, value: float | None, currency: str | None, location: str,
            code_system: str | None = None, product_label: str | None = None,
            reporter: str | None = None, partner: str | None = None,
            quantity: float | None = None, quantity_unit: str | None = None) -> None:
        product_code, system, level = product_code_fields(code, code_system)
        if code_system == "LABEL":
            product_code, system, level = str(code), "LABEL", None
        self.facts.append(TradeFact(
            reporter=reporter or country_code(reporter_label),
            partner=partner or country_code(partner_label),
            flow=flow, product_code=product_code, code_system=system, period=period,
            value=value, currency=currency,
            reporter_label=None if reporter_label is None else " ".join(str(reporter_label).split()),
            partner_label=None if partner_label is None else " ".join(str(partner_label).split()),
            code_level=level, product_label=product_label, quantity=quantity,
            quantity_unit=quantity_unit, source=str(self.path), location=location,
            doc_id=self.doc_id,
        ))

    def result(self) -> ReadResult:
        if not self.facts and not self.tables.blocks:
            raise ReadError(f"unrecognised trade table: no numeric observations found in {self.path.name}")
        return ReadResult(documents=[self.document()], trade_facts=self.facts)

    def document(self) -> Document:
        facts = self.facts
        def summary(values: Iterable[str], limit: int = 12) -> str:
            counts = Counter(v for v in values if v)
            items = [k for k, _ in counts.most_common(limit)]
            more = len(counts) - len(items)
            return ", ".join(items) + (f" and {more} more" if more > 0 else "")

        periods = sorted({f.period for f in facts})
        unmapped = sorted({lbl for f in facts for code, lbl in
                           ((f.partner, f.partner_label), (f.reporter, f.reporter_label))
                           if code == "ZZ" and lbl})
        meta: dict[str, Any] = {
            "facts": len(facts),
            "reporters": sorted({f.reporter for f in facts}),
            "partners": len({f.partner for f in facts}),
            "flows": sorted({f.flow for f in facts}),
            "code_systems": sorted({f.code_system for f in facts}),
            "products": len({f.product_code for f in facts}),
            "period_from": periods[0] if periods else None,
            "period_to": periods[-1] if periods else None,
            "currencies": sorted({f.currency or "unknown" for f in facts}),
            "unmapped_country_labels": unmapped[:50],
            "unmapped_country_label_count": len(unmapped),
            **({"skipped": dict(self.skipped)} if self.skipped else {}),
            **self.notes,
        }
        lines = TextBuilder()
        lines.add("title", self.title)
        if facts:
            products = summary(f"{f.product_code} {f.product_label or ''}".strip()
                               if f.code_system not in ("TOTAL",) else "TOTAL (all products)"
                               for f in facts)
            lines.add("paragraph", "\n".join([
                f"Trade statistics table: {len(facts):,} observations.",
                f"Reporters: {summary(f'{f.reporter_label} ({f.reporter})' for f in facts)}.",
                f"Partners: {summary(f'{f.partner_label} ({f.partner})' for f in facts)}.",
                f"Flows: {', '.join(meta['flows'])}.",
                f"Products ({', '.join(meta['code_systems'])}): {products}.",
                f"Periods: {meta['period_from']} to {meta['period_to']} "
                f"({'monthly' if any(f.period_type == 'month' for f in facts) else 'yearly'}).",
                ("Units: values as printed, unit not stated" if meta["currencies"] == ["unknown"] else
                 f"Units: values in whole {', '.join(meta['currencies'])} units")
                + (f"; {self.notes['unit_note']}." if self.notes.get("unit_note") else "."),
            ]))
        base = len(lines.text) + (2 if lines.text else 0)
        text = lines.text
        blocks = list(lines.blocks)
        if self.tables.blocks:
            meta["table_blocks"] = len(self.tables.blocks)
            text = f"{text}\n\n{self.tables.text}" if text else self.tables.text
            for block in self.tables.blocks:
                block.start += base if lines.text else 0
                block.end += base if lines.text else 0
                blocks.append(block)
        return Document(doc_id=self.doc_id, kind="trade_table", lang=self.source_lang(), text=text,
                        source=str(self.path), title=self.title, published=self.published,
                        blocks=blocks, meta=meta)

    def source_lang(self) -> str:
        """The language of the table's own words (its title, the product,
        partner and reporter labels, the sheets kept as tables), not of the
        English summary written above them: a Russian statistics table is
        ``ru`` even though the summary lines are English. Labels are names
        and short phrases, too little for a word-based identifier (Eurostat's
        bilingual "European Union / Union européenne" labels read as French),
        so only the script decides: Cyrillic labels give the Cyrillic
        language :func:`nlp.text.detect_lang` finds, anything else is ``en``."""
        labels = {label for f in self.facts for label in (f.product_label, f.partner_label, f.reporter_label)
                  if label}
        lang = detect_lang("\n".join([self.title or "", *sorted(labels), self.tables.text]), default="en")
        return lang if lang in CYRILLIC_LANGS else "en"

    def keep_sheet(self, sheet: str, rows: list[tuple]) -> None:
        """Keep a sheet that holds no facts (cover, legend, notes) as a table block."""
        kept = [[" ".join(str(c).split()) for c in r if c not in (None, "")] for r in rows[:200]]
        if self.tables.add_table(kept, section=sheet):
            self.notes.setdefault("sheets_kept_as_tables", []).append(sheet)
