"""UK sanctions list CSVs (``subjects.csv`` joined on ``unique_id`` with
``subject_names.csv`` and ``subject_dobs.csv``; the siblings are claimed and
marked as merged).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from ...records import ListingEntry, ReadResult
from ..registry import ReadError, first_line, reader
from .common import (
    LIST_UK,
    PRIORITY,
    SCHEMAS,
    _add_id,
    _dict_rows,
    _entry,
    _iso,
    _part_reference,
    _sha,
    _siblings,
    _unique,
    _valid,
    iso_date,
    listing_date,
    listing_result,
)

# -- UK sanctions list (covyr normalised CSVs) --------------------------------

UK_SUBJECTS_HEAD = "unique_id,subject_type,un_reference_number,ofsi_group_id,date_designated"
UK_PARTS = {"subject_names.csv": ("names", "name_id,unique_id,name_type"),
            "subject_dobs.csv": ("dates of birth", "dob_id,unique_id,year")}


def _sniff_uk_subjects(path: Path, head: bytes) -> bool:
    return first_line(head).startswith(UK_SUBJECTS_HEAD)


def _uk_dob(row: dict[str, str]) -> str | None:
    try:
        year = int(row.get("year") or 0)
        month = int(row["month"]) if (row.get("month") or "").isdigit() else None
        day = int(row["day"]) if (row.get("day") or "").isdigit() and month else None
    except ValueError:
        return None
    if not year or not _valid(year, month, day):
        return None
    precision = row.get("precision", "")
    if precision == "year_only":
        return _iso(year)
    if precision == "month_year":
        return _iso(year, month)
    return _iso(year, month, day)


@reader("uk-sanctions-csv", "UK sanctions list CSVs (subjects.csv joined with subject_names/subject_dobs)",
        sniff=_sniff_uk_subjects, priority=PRIORITY)
def read_uk_subjects(path: Path, data: bytes) -> ReadResult:
    subjects = _dict_rows(data, "UK subjects.csv", {"unique_id", "subject_type", "date_designated"})
    siblings = _siblings(path, UK_PARTS)
    consumed = [data]
    sibling_errors: dict[str, str] = {}
    names: dict[str, list[dict[str, str]]] = defaultdict(list)
    dobs: dict[str, list[str]] = defaultdict(list)
    required = {"subject_names.csv": {"unique_id", "name_type", "full_name"},
                "subject_dobs.csv": {"unique_id", "year", "month", "day"}}
    for name, file in sorted(siblings.items()):
        try:
            sib = file.read_bytes()
            sib_rows = _dict_rows(sib, f"UK {name}", required[name])
        except (ReadError, OSError) as exc:
            sibling_errors[name] = str(exc)  # reported by the sibling's own ingest too
            continue
        consumed.append(sib)
        for row in sib_rows:
            if name == "subject_names.csv":
                names[row["unique_id"]].append(row)
            else:
                dob = _uk_dob(row)
                if dob and dob not in dobs[row["unique_id"]]:
                    dobs[row["unique_id"]].append(dob)
    entries: list[ListingEntry] = []
    latest = ""
    for subject in subjects:
        uid = subject["unique_id"]
        rows = names.get(uid, [])
        primary = [r["full_name"] for r in rows if r["name_type"] == "primary" and r["full_name"]]
        others = [r["full_name"] for r in rows if r["name_type"] != "primary" and r["full_name"]]
        name = primary[0] if primary else (others[0] if others else uid)
        weak = [r["full_name"] for r in rows if r.get("alias_strength") == "low_quality_aka"]
        identifiers: dict[str, list[str]] = {}
        _add_id(identifiers, "un_reference", subject.get("un_reference_number"))
        _add_id(identifiers, "ofsi_group_id", subject.get("ofsi_group_id"))
        updated = iso_date(subject.get("last_updated")) or ""
        latest = max(latest, updated)
        extra: dict = {"regime_code": re.sub(r"\d+$", "", uid), "subject_type": subject["subject_type"]}
        if updated:
            extra["last_updated"] = updated
        if weak:
            extra["weak_aliases"] = _unique(weak)
        entries.append(_entry(
            LIST_UK, uid, SCHEMAS.get(subject["subject_type"].lower(), "Organization"), name,
            aliases=[a for a in _unique(primary[1:] + others) if a != name],
            birth_dates=dobs.get(uid, []), identifiers=identifiers,
            programme=extra["regime_code"] or None,
            listing_date=listing_date(subject.get("date_designated")),
            source=f"{path}#{uid}", extra=extra,
        ))
    return listing_result(path, _sha(*consumed), LIST_UK, entries,
                          title=f"UK sanctions list ({len(entries)} subjects)",
                          published=latest or None,
                          meta={"format": "uk-sanctions-list-csv",
                                "merged": sorted(set(siblings) - set(sibling_errors)),
                                "sibling_errors": sibling_errors})


def _sniff_uk_part(path: Path, head: bytes) -> bool:
    line = first_line(head)
    return any(line.startswith(prefix) for _, prefix in UK_PARTS.values())


@reader("uk-sanctions-part", "UK sanctions list subject_names/subject_dobs CSV: merged into subjects.csv",
        sniff=_sniff_uk_part, priority=PRIORITY)
def read_uk_part(path: Path, data: bytes) -> ReadResult:
    line = first_line(data[:4096])
    what = next((w for w, prefix in UK_PARTS.values() if line.startswith(prefix)), "rows")
    rows = _dict_rows(data, f"UK {path.name}", {"unique_id"})
    return _part_reference(path, data, LIST_UK, "subjects.csv", what,
                           [[r["unique_id"]] for r in rows], key_column=0)
