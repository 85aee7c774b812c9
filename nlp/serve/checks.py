"""What a request may ask for: input checks shared by the JSON API and the pages.

What it does: bounds on texts, names, queries and pages; date, language and
search-parameter checks; the API token check for write endpoints; reading an
uploaded file up to the size limit; display names of uploaded files. Bad
input raises :class:`~nlp.errors.ApiError` with a status and a one-line
message.

What it does not do: run anything (see :mod:`nlp.serve.actions`), or turn
a client's file name into a path (uploads get names the server makes up).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from dataclasses import dataclass
from typing import Any

from fastapi import Request, UploadFile

from .. import settings
from ..errors import ApiError

MAX_TEXT_CHARS = 200_000
MAX_STATEMENT_CHARS = 2_000
MAX_NAME_CHARS = 300
MAX_QUERY_CHARS = 1_000
MAX_PAGE = 100
MAX_OFFSET = 1_000
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SAFE_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,10}$")


def check_text(text: str | None, what: str = "text", limit: int = MAX_TEXT_CHARS) -> str:
    if text is None or not str(text).strip():
        raise ApiError(400, f"{what} is empty")
    if len(text) > limit:
        raise ApiError(413, f"{what} too long: {len(text):,} characters over the {limit:,} limit")
    return str(text)


def check_date(value: str | None, what: str) -> str | None:
    if value in (None, ""):
        return None
    value = str(value).strip()
    if not DATE_RE.match(value):
        raise ApiError(400, f"{what} must be a date YYYY[-MM[-DD]], not {value[:40]!r}")
    return value


def check_day(value: str | None, what: str = "published") -> str | None:
    """A full ISO day or None (reference dates for relative expressions)."""
    value = check_date(value, what)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ApiError(400, f"{what} must be a full date YYYY-MM-DD, not {value!r}") from None


def check_lang(lang: str | None) -> str:
    lang = (lang or "auto").strip().lower()
    if lang not in ("auto", "en", "ru"):
        raise ApiError(400, f"lang must be auto, en or ru, not {lang[:20]!r}")
    return lang


@dataclass
class SearchRequest:
    query: str
    k: int = 10
    offset: int = 0
    mode: str = "hybrid"
    kind: str | None = None
    lang: str | None = None
    since: str | None = None
    until: str | None = None
    hs: str | None = None
    tier: str | None = None
    entity: str | None = None
    country: str | None = None

    def filters(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in
                ("kind", "lang", "since", "until", "hs", "tier", "entity", "country")
                if getattr(self, key) not in (None, "")}


def require_token(request: Request, form_token: str | None = None) -> None:
    """Write endpoints need ``SANCTIONS_API_TOKEN`` (header, bearer or form field)."""
    expected = settings.api_token()
    if not expected:
        raise ApiError(403, "write endpoints are disabled: set SANCTIONS_API_TOKEN on the server")
    given = request.headers.get("x-api-token") or form_token or ""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        raise ApiError(401, "missing or wrong API token (X-API-Token or Authorization: Bearer)")


async def read_upload(upload: UploadFile) -> bytes:
    """An uploaded file's bytes; 413 over ``SANCTIONS_MAX_UPLOAD_MB``."""
    limit = settings.max_upload_bytes()
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise ApiError(413, f"file over the {limit / 1024 / 1024:.0f} MB limit (SANCTIONS_MAX_UPLOAD_MB)")
    return data
