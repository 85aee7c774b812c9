"""Read ``sanctions extract --records`` input: JSON Lines of texts to extract from.

Each line is one object with ``id`` (any JSON scalar; echoed back), ``text``,
and optionally ``lang`` ("en", "ru" or "auto") and ``published`` (an ISO
date, used as that text's reference date for relative expressions). A line
that cannot be used becomes an error entry with the same ``id`` (or the line
number when there is none), so the caller can answer every input line with
exactly one output line.

This module reads and checks; it does not run the extractors
(:mod:`nlp.extract.pipeline`) or print (:mod:`nlp.extract.commands`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .pipeline import Job, job_for_text

LANGS = ("auto", "en", "ru")


@dataclass
class RecordInput:
    """One input line: a job to run, or the error that stops it."""

    line: int
    id: Any
    job: Job | None = None
    error: str | None = None

    def error_record(self) -> dict[str, Any]:
        return {"id": self.id, "line": self.line, "error": self.error}


def read_records(lines: Iterable[str], lang: str = "auto", published: str | None = None) -> list[RecordInput]:
    """One :class:`RecordInput` per non-blank line; ``lang`` and ``published``
    are the defaults for records that do not say."""
    out: list[RecordInput] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(RecordInput(number, None, error=f"not JSON: {exc.msg} (column {exc.colno})"))
            continue
        if not isinstance(obj, dict):
            out.append(RecordInput(number, None, error="not a JSON object"))
            continue
        record_id = obj.get("id")
        out.append(_job_of(number, record_id, obj, lang, published))
    return out


def _job_of(number: int, record_id: Any, obj: dict, lang: str, published: str | None) -> RecordInput:
    if record_id is None or isinstance(record_id, (dict, list)):
        return RecordInput(number, record_id, error="missing or non-scalar 'id'")
    text = obj.get("text")
    if not isinstance(text, str):
        return RecordInput(number, record_id, error="missing 'text' (a string)")
    record_lang = obj.get("lang") or lang
    if record_lang not in LANGS:
        return RecordInput(number, record_id, error=f"'lang' must be one of {', '.join(LANGS)}, not {record_lang!r}")
    record_published = obj.get("published", published)
    try:
        job = job_for_text(text, record_lang, record_published, doc_id=str(record_id), source="records")
    except (ValueError, TypeError) as exc:
        return RecordInput(number, record_id, error=f"bad 'published' {record_published!r}: {exc}")
    if record_published not in (None, "") and job.published is None:
        return RecordInput(number, record_id, error=f"bad 'published' {record_published!r}: not a date")
    return RecordInput(number, record_id, job=job)
