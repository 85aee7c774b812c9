"""Reference-data readers: code lists and nomenclatures as ``reference`` Documents.

One Document (kind ``reference``) per file; one ``entry`` block per code row
whose ``section`` is the code itself (``"854231"``, ``"Section XVI"``,
``"25231000"``, ``"AM"``), so that search can answer "hs 854231 processors"
with the row and its provenance. The block text names the code system and
repeats the code in its dotted form where there is one ("HS 854231 (8542.31):
Electronic integrated circuits; processors ..."). ``meta`` holds the edition
and counts (rows, rows per level or tier) so tests and the lead can check a
file arrived whole.

Files recognised by their header line (not their names, except the
datapackage descriptor):

* HS nomenclature (datasets/harmonized-system): ``section,hscode,description,
  parent,level`` (HS2022, HS2017 with a BOM) and ``section,name`` (sections);
  the Frictionless ``datapackage.json`` describing them;
* the BIS Common High Priority list: ``hs6,hs6_dotted,tier,...``;
* CBAM Annex I CN codes: ``CN_Prefix,Match_Type,Coverage,Description,...``;
* plain code lists: ``code,product`` (CN8 with text), ``code`` alone;
* partner-country name maps: ``country,<local name>,name``.

It does not validate codes against each other or build the runtime HS/CHP
lookup (that is :mod:`nlp.reference`, owned elsewhere); it does not produce
trade facts. Parsing uses the stdlib ``csv`` and ``json`` modules: the files
are small, well-formed CSV, and nothing more is needed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..records import Document, ReadResult, TextBuilder, content_id
from .registry import ReadError, head_text, reader, suffix
from .textutil import decode_text


@dataclass(frozen=True)
class CodeList:
    """How one kind of code-list CSV maps onto entry blocks."""

    name: str
    required: tuple[str, ...]  # header columns (case-insensitive) that identify it
    code_column: str
    text: Callable[[dict[str, str]], str]
    title: Callable[[Path], str]
    max_columns: int = 12
    lang: str = "en"


def _dotted(code: str) -> str:
    """'854231' -> '8542.31'; '25231000' -> '2523.10.00'; shorter codes unchanged."""
    if not code.isdigit() or len(code) <= 4:
        return code
    parts = [code[:4]] + [code[i:i + 2] for i in range(4, len(code), 2)]
    return ".".join(parts)


def _hs_row(row: dict[str, str]) -> str:
    code = row["hscode"].strip()
    label = {"2": "chapter", "4": "heading", "6": "subheading"}.get(row.get("level", "").strip(), "code")
    dotted = f" ({_dotted(code)})" if len(code) > 4 else ""
    return (f"HS {label} {code}{dotted}: {row.get('description', '').strip()} "
            f"[section {row.get('section', '').strip()}; parent {row.get('parent', '').strip()}]")


def _edition(path: Path) -> str | None:
    match = re.search(r"(hs|cn)\s*[-_]?(\d{4})", path.name, re.I)
    return f"{match[1].upper()}{match[2]}" if match else None


def _cn_row(row: dict[str, str]) -> str:
    code = row["cn8"].strip()
    spaced = (row.get("cn8_spaced") or "").strip() or _dotted(code)
    # CN descriptions below HS6 are often just "Other": keep the HS6 and
    # heading text beside them so the entry reads on its own.
    return (f"CN {spaced}: {(row.get('description') or '').strip()} "
            f"[HS {(row.get('hs6') or '').strip()}: {(row.get('hs6_description') or '').strip()}; "
            f"heading {(row.get('heading') or '').strip()}: {(row.get('heading_description') or '').strip()}]")


def _tnved_row(row: dict[str, str]) -> str:
    return f"ТН ВЭД {row['code'].strip()}: {(row.get('full_path') or row.get('description') or '').strip()}"


CODE_LISTS: tuple[CodeList, ...] = (
    CodeList("cn-nomenclature", ("cn8", "description", "hs6", "heading"), "cn8", _cn_row,
             lambda p: f"EU Combined Nomenclature {_edition(p) or ''}".strip()),
    CodeList("tnved-nomenclature", ("code", "code_digits", "depth", "description", "full_path"), "code",
             _tnved_row, lambda p: "ТН ВЭД ЕАЭС (EAEU commodity nomenclature)", lang="ru"),
    CodeList("hs-nomenclature", ("section", "hscode", "description", "parent", "level"), "hscode", _hs_row,
             lambda p: f"Harmonized System nomenclature {_edition(p) or ''}".strip()),
    CodeList("hs-sections", ("section", "name"), "section",
             lambda r: f"HS Section {r['section'].strip()}: {r['name'].strip()}",
             lambda p: "Harmonized System sections", max_columns=2),
    CodeList("chp-list", ("hs6", "tier"), "hs6",
             lambda r: (f"CHP tier {r['tier'].strip()} HS {r['hs6'].strip()} "
                        f"({r.get('hs6_dotted') or _dotted(r['hs6'].strip())}): "
                        f"{next((v for k, v in r.items() if k and k.startswith('hs2022_desc')), '') or ''}").strip(),
             lambda p: "Common High Priority items list (BIS, HS6 with tiers)"),
    CodeList("cbam-cn-codes", ("cn_prefix", "match_type", "coverage"), "cn_prefix",
             lambda r: (f"CN {r['cn_prefix'].strip()} ({_dotted(r['cn_prefix'].strip())}) "
                        f"{r.get('match_type', '').strip()} {r.get('coverage', '').strip()}: "
                        f"{r.get('description', '').strip()} [{r.get('sector', '').strip()}; "
                        f"{r.get('reference', '').strip()}]"),
             lambda p: "CBAM Annex I CN codes (third-party transcription)"),
    CodeList("cn-code-products", ("code", "product"), "code",
             lambda r: f"CN {r['code'].strip()} ({_dotted(r['code'].strip())}): {r['product'].strip()}",
             lambda p: f"CN code list: {p.stem.replace('_', ' ')}", max_columns=2),
    CodeList("country-names", ("country", "name"), "country",
             lambda r: " / ".join(dict.fromkeys(v.strip() for v in r.values() if v and v.strip())),
             lambda p: f"Country name list: {p.stem.replace('_', ' ')}", max_columns=3),
    CodeList("code-list", ("code",), "code",
             lambda r: f"{'HS' if len(r['code'].strip()) <= 6 else 'CN'} code {r['code'].strip()}"
                       + (f" ({_dotted(r['code'].strip())})" if len(r['code'].strip()) > 4 else ""),
             lambda p: f"Code list: {p.stem.replace('_', ' ')}", max_columns=1),
)


def _header(head: bytes) -> list[str]:
    lines = head_text(head).splitlines()
    if not lines:
        return []
    return [h.strip().casefold() for h in next(csv.reader([lines[0]]), [])]


def match_code_list(header: list[str]) -> CodeList | None:
    """The first code-list shape whose required columns the header has."""
    names = set(header)
    for shape in CODE_LISTS:
        if set(shape.required) <= names and len(header) <= shape.max_columns:
            return shape
    return None


def _sniff_code_list(path: Path, head: bytes) -> bool:
    return suffix(path) == "csv" and match_code_list(_header(head)) is not None


def _country_section(label: str) -> str:
    from ..countries import code_of

    code = code_of(label)
    return code if code and code != "ZZ" else label.strip()


@reader("code-list-csv", "Reference code lists (HS nomenclature/sections, CHP list, CBAM CN codes, CN/HS code "
        "lists, country-name maps)", sniff=_sniff_code_list, priority=55)
def read_code_list(path: Path, data: bytes) -> ReadResult:
    text, notes = decode_text(data)
    rows = csv.DictReader(io.StringIO(text))
    header = [h.strip().casefold() for h in rows.fieldnames or []]
    shape = match_code_list(header)
    if shape is None:
        raise ReadError("unrecognised code list: expected columns such as hscode/hs6/code/CN_Prefix; "
                        f"got {', '.join(header)}")
    rows.fieldnames = header
    title = shape.title(path)
    builder = TextBuilder()
    builder.add("title", title)
    codes: list[str] = []
    counts: Counter = Counter()
    skipped = 0
    padded = 0
    for row in rows:
        code = (row.get(shape.code_column) or "").strip()
        if not code:
            skipped += 1
            continue
        if shape.name in ("code-list", "cn-code-products", "cbam-cn-codes") and code.isdigit() \
                and len(code) % 2 == 1:
            # HS/CN codes have an even number of digits; an odd count means a
            # spreadsheet dropped the leading zero ("1012100" for 01012100).
            code = "0" + code
            row[shape.code_column] = code
            padded += 1
        section = _country_section(code) if shape.name == "country-names" else code
        if shape.name == "hs-sections":
            section = f"Section {code}"
        builder.add("entry", shape.text(row), section=section)
        codes.append(code)
        if shape.name == "hs-nomenclature":
            counts[f"level_{(row.get('level') or '?').strip()}"] += 1
        elif shape.name == "chp-list":
            counts[f"tier_{(row.get('tier') or '?').strip()}"] += 1
        elif shape.name == "cbam-cn-codes":
            counts[f"{(row.get('coverage') or '?').strip().lower()}"] += 1
        elif shape.name in ("code-list", "cn-code-products"):
            counts[f"digits_{len(code)}"] += 1
    if not codes:
        raise ReadError(f"unrecognised code list: no rows with a {shape.code_column} value")
    meta = {
        "reference_type": shape.name, "rows": len(codes), "unique_codes": len(set(codes)),
        "columns": header, **({"edition": _edition(path)} if _edition(path) else {}),
        **({"counts": dict(sorted(counts.items()))} if counts else {}),
        **({"rows_without_code": skipped} if skipped else {}),
        **({"codes_zero_padded": padded} if padded else {}), **notes,
    }
    return ReadResult(documents=[Document(
        doc_id=content_id(data), kind="reference", lang=shape.lang, text=builder.text, source=str(path),
        title=title, blocks=builder.blocks, meta=meta)])


# -- Frictionless data package descriptor ------------------------------------------

def _sniff_datapackage(path: Path, head: bytes) -> bool:
    if suffix(path) != "json":
        return False
    if "datapackage" in path.name.casefold():
        return True
    start = head_text(head, 2048)
    return '"resources"' in start and ('"licenses"' in start or '"profile"' in start)


@reader("datapackage-json", "Frictionless data package descriptor (datapackage.json)",
        sniff=_sniff_datapackage, priority=55)
def read_datapackage(path: Path, data: bytes) -> ReadResult:
    text, notes = decode_text(data)
    try:
        package = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise ReadError("not a data package descriptor: no 'resources' list")
    title = str(package.get("title") or package.get("name") or path.stem)
    builder = TextBuilder()
    builder.add("title", title)
    about = [str(package[k]) for k in ("description", "homepage") if package.get(k)]
    if package.get("version"):
        about.append(f"Version {package['version']}.")
    builder.add("paragraph", "\n".join(about), section="about")
    for licence in package.get("licenses") or []:
        if isinstance(licence, dict):
            builder.add("metadata", f"Licence: {licence.get('title') or licence.get('name')} "
                                    f"({licence.get('path', '')})", section="licence")
    for source in package.get("sources") or []:
        if isinstance(source, dict):
            builder.add("metadata", f"Source: {source.get('title') or source.get('name')} "
                                    f"({source.get('path', '')})", section="source")
    for resource in package["resources"]:
        if not isinstance(resource, dict):
            continue
        fields = [f.get("name", "") for f in (resource.get("schema") or {}).get("fields", []) if isinstance(f, dict)]
        builder.add("entry", f"Resource {resource.get('name')}: {resource.get('title') or ''} "
                             f"{resource.get('path', '')} ({resource.get('format', '')}); "
                             f"fields: {', '.join(fields)}", section=str(resource.get("name")))
    return ReadResult(documents=[Document(
        doc_id=content_id(data), kind="reference", lang="en", text=builder.text, source=str(path),
        title=title, blocks=builder.blocks,
        meta={"reference_type": "datapackage", "version": package.get("version"),
              "resources": [r.get("name") for r in package["resources"] if isinstance(r, dict)],
              "licenses": [l.get("name") for l in package.get("licenses") or [] if isinstance(l, dict)],
              **notes})])
