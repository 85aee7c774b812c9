"""EU FSF merged CSV (financial sanctions joined with travel bans, grouped by
entity logical id) and the FSD programme-abbreviations workbook that gives each
entry its programme title.
"""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path
from typing import Iterator

from ...records import Document, ListingEntry, ReadResult, TextBuilder, content_id
from ..registry import ReadError, first_line, reader, suffix
from .common import (
    LIST_FSF,
    PRIORITY,
    SCHEMAS,
    _add_id,
    _dict_rows,
    _entry,
    _sha,
    _unique,
    birth_dates,
    listing_date,
    listing_result,
)

# -- EU FSF merged CSV ------------------------------------------------------

FSF_ID = "Entity_logical_id...2"
_FSF_DATE_REMARK = re.compile(r"Date of (?:listing|designation):\s*(\d{4}-\d{2}-\d{2})")
_ABBREVIATIONS = re.compile(r"abbreviation.*program", re.I)


def _sniff_fsf(path: Path, head: bytes) -> bool:
    line = first_line(head)
    return "Entity_logical_id" in line and "Naal_wholename" in line


def _na(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value in ("NA", "N/A") else value


def _fsf_name_aliases(cell: str) -> list[dict]:
    """The ``nameAlias`` column: a Python-literal list of dicts (as R printed it)."""
    if not cell.startswith("["):
        return []
    try:
        value = ast.literal_eval(cell)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return []
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def programme_titles(path: Path) -> dict[str, str]:
    """Programme code -> title from an FSD abbreviation workbook next to ``path``."""
    for sibling in sorted(path.parent.glob("*.xlsx")):
        if _ABBREVIATIONS.search(sibling.name):
            try:
                return dict(_abbreviation_rows(sibling.read_bytes()))
            except ReadError:
                return {}
    return {}


@reader("eu-fsf-csv", "EU FSF financial-sanctions CSV merged with travel bans (grouped by entity)",
        sniff=_sniff_fsf, priority=PRIORITY)
def read_eu_fsf(path: Path, data: bytes) -> ReadResult:
    rows = _dict_rows(data, "EU FSF CSV", {FSF_ID, "Subject_type", "Programme", "Naal_wholename"})
    groups: dict[str, list[dict[str, str]]] = {}
    without_id = 0
    for row in rows:
        key = _na(row.get(FSF_ID)) or _na(row.get("logicalId"))
        if not key:
            without_id += 1
            continue
        groups.setdefault(key, []).append(row)
    titles = programme_titles(path)
    entries: list[ListingEntry] = []
    for key, group in groups.items():
        names: list[str] = []
        functions: list[str] = []
        genders: list[str] = []
        for row in group:
            names.append(_na(row.get("Naal_wholename")))
            names.append(_na(row.get("nameAlias.wholeName")))
            for alias in _fsf_name_aliases(_na(row.get("nameAlias"))):
                names.append(str(alias.get("wholeName") or ""))
                functions.append(str(alias.get("function") or ""))
                genders.append(str(alias.get("gender") or ""))
            functions += [_na(row.get("Naal_function")), _na(row.get("nameAlias.function"))]
        names = _unique(names)
        if not names:
            without_id += 1
            continue
        first = group[0]
        subject = (_na(first.get("Subject_type")) or _na(first.get("subjectType.classificationCode"))).lower()
        programme = _na(first.get("Programme")) or _na(first.get("Naal_programme"))
        remarks = _unique(_na(r.get("Entity_remark")) or _na(r.get("remark")) for r in group)
        listed = _na(first.get("Leba_publication_date"))
        if not listed:
            m = next((_FSF_DATE_REMARK.search(r) for r in remarks if _FSF_DATE_REMARK.search(r)), None)
            listed = m[1] if m else ""
        identifiers: dict[str, list[str]] = {}
        _add_id(identifiers, "eu_reference", *(_na(r.get("EU_ref_num")) for r in group))
        extra: dict = {"sanction_type": _na(first.get("type"))}
        if programme in titles:
            extra["programme_title"] = titles[programme]
        for field_name, column in (("legal_basis_url", "Leba_url"),
                                   ("regulation_url", "regulation.publicationUrl")):
            if _na(first.get(column)):
                extra[field_name] = _na(first.get(column))
        if _unique(functions):
            extra["function"] = _unique(functions)
        if _unique(genders):
            extra["gender"] = _unique(genders)
        countries = _unique(_na(r.get("Addr_country")) for r in group)
        if countries:
            extra["countries"] = countries
        entries.append(_entry(
            LIST_FSF, key, SCHEMAS.get(subject, "Organization"), names[0], aliases=names[1:],
            birth_dates=birth_dates([_na(r.get("Birt_date")) or _na(r.get("birthdate.year")) for r in group]),
            nationalities=_unique(_na(r.get("citizenship.countryDescription")) or _na(r.get("Birt_country"))
                                  for r in group),
            identifiers=identifiers, programme=programme or None,
            listing_date=listing_date(listed) if listed else None,
            reason="\n".join(remarks).replace("\\n", "\n") or None,
            legal_act=_na(first.get("Leba_numtitle")) or _na(first.get("regulation.numberTitle")) or None,
            source=f"{path}#{key}", extra=extra,
        ))
    return listing_result(path, _sha(data), LIST_FSF, entries,
                          title=f"EU financial sanctions file with travel bans ({len(entries)} entries)",
                          meta={"format": "eu-fsf-merged-csv", "rows": len(rows),
                                "rows_without_id_or_name": without_id})


def _abbreviation_rows(data: bytes) -> Iterator[tuple[str, str]]:
    """(code, title) rows of the FSD programme-abbreviation sheet; ReadError if not that shape."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken zips
        raise ReadError(f"programme abbreviations: not a readable xlsx ({type(exc).__name__})") from None
    found = False
    for sheet in book.worksheets:
        header_seen = False
        for row in sheet.iter_rows(values_only=True):
            cells = [str(c).strip() for c in row if c is not None and str(c).strip()]
            if not cells:
                continue
            if not header_seen:
                header_seen = [c.upper() for c in cells[:2]] == ["CODE", "TITLE"]
                if not header_seen:
                    break  # not the abbreviation sheet
                continue
            if len(cells) >= 2:
                found = True
                yield cells[0], cells[1]
    if not found:
        raise ReadError("programme abbreviations: no sheet with CODE/TITLE columns")


def _sniff_abbreviations(path: Path, head: bytes) -> bool:
    return suffix(path) == "xlsx" and head.startswith(b"PK") and bool(_ABBREVIATIONS.search(path.name))


@reader("eu-fsf-programmes", "EU FSD programme abbreviations workbook (code -> regime title)",
        sniff=_sniff_abbreviations, priority=PRIORITY)
def read_programme_abbreviations(path: Path, data: bytes) -> ReadResult:
    rows = [[code, title] for code, title in _abbreviation_rows(data)]
    builder = TextBuilder()
    title = "EU financial sanctions programme abbreviations"
    builder.add("title", title)
    builder.add_table([["CODE", "TITLE"], *rows], section="Sheet1")
    document = Document(doc_id=content_id("reference", data), kind="reference", lang="en",
                        text=builder.text, source=str(path), title=title, blocks=builder.blocks,
                        meta={"programmes": len(rows)})
    return ReadResult(documents=[document])
