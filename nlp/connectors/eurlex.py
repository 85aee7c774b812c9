"""EUR-Lex: legal acts by CELEX number, as the HTML page EUR-Lex serves.

Request: ``GET {base}/legal-content/{LANG}/TXT/HTML/?uri=CELEX:{celex}``
(base ``https://eur-lex.europa.eu``). Each act is one unit and one file,
``eurlex_<CELEX>_<lang>.html``, which the ``eurlex-html`` reader
(:mod:`nlp.ingest.eurlex_html`) parses into recitals, articles and annexes. A
page without the markers of an act (EUR-Lex sometimes answers with a
bot-check or "document not available" page) is refused with a message, so
it never replaces a good copy.

CELEX numbers: sector digit, year, type letter(s), number, e.g.
``32014R0833`` (Regulation (EU) No 833/2014) or ``32024R1745``.

Licence: © European Union, https://eur-lex.europa.eu; reuse authorised
(Commission Decision 2011/833/EU).

What it does not do: Formex or PDF downloads, or consolidated versions by
date (pass their CELEX, e.g. ``02014R0833-20240629``).
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import settings
from . import Unit
from .http import ConnectorError, HttpClient

DEFAULT_URL = "https://eur-lex.europa.eu"
LICENCE = "© European Union, EUR-Lex; reuse authorised (Commission Decision 2011/833/EU)"
MIN_INTERVAL = 2.0
CELEX = re.compile(r"^[0-9CE][0-9]{4}[A-Z]{1,2}[0-9]{4}(?:\([0-9]+\))?(?:-[0-9]{8})?$")
LANGS = ("BG", "CS", "DA", "DE", "EL", "EN", "ES", "ET", "FI", "FR", "GA", "HR", "HU", "IT", "LT", "LV", "MT",
         "NL", "PL", "PT", "RO", "SK", "SL", "SV")


def base_url() -> str:
    return (settings.env("EURLEX_URL") or DEFAULT_URL).rstrip("/")


def check_act(raw: bytes) -> tuple[bytes, int]:
    from ..ingest.eurlex_html import _HTML_MARKERS

    if not _HTML_MARKERS.search(raw[:512 * 1024]):
        raise ConnectorError("EUR-Lex answered with a page that holds no act (a bot check or "
                             "'document not available'?)")
    return raw, 1


def units(client: HttpClient, dest: Path, *, celex: list[str], lang: str = "EN") -> list[Unit]:
    lang = (lang or "EN").upper()
    if lang not in LANGS:
        raise ConnectorError(f"EUR-Lex language must be one of {', '.join(LANGS)}, not {lang!r}")
    out = []
    for number in celex:
        number = number.strip().upper().removeprefix("CELEX:")
        if not CELEX.match(number):
            raise ConnectorError(f"not a CELEX number: {number!r} (e.g. 32014R0833)")
        safe = re.sub(r"[^0-9A-Z-]", "_", number)
        out.append(Unit(key=f"{number}:{lang}", url=f"{base_url()}/legal-content/{lang}/TXT/HTML/",
                        params={"uri": f"CELEX:{number}"}, filename=f"eurlex_{safe}_{lang.lower()}.html",
                        convert=check_act))
    if not out:
        raise ConnectorError("give at least one CELEX number (--celex 32014R0833)")
    return out
