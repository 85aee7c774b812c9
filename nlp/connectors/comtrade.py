"""UN Comtrade data API (v1): monthly or yearly trade by reporter, partner, flow and HS code.

Request (documented at comtradedeveloper.un.org): ``GET
{base}/data/v1/get/C/{M|A}/HS?reporterCode=398&partnerCode=643&period=
202101,202102,...&cmdCode=8542,8517&flowCode=X,RX&partner2Code=0&customsCode=
C00&motCode=0&includeDesc=true`` with the subscription key in the
``Ocp-Apim-Subscription-Key`` header (``SANCTIONS_COMTRADE_KEY``; a free key
allows 500 calls a day, so the client waits ``MIN_INTERVAL`` seconds between
calls). Periods go at most twelve to a call, so a request is cut into
12-month units, one file each. ``partner2Code=0``, ``customsCode=C00`` and
``motCode=0`` ask for the totals only (the API otherwise returns breakdowns
that would double-count).

Reporter and partner codes are UN M49 numbers (Comtrade's own: 842 for the
USA, 699 for India); ISO alpha-2/alpha-3 codes are looked up in Comtrade's
reference lists (``Reporters.json``, ``partnerAreas.json``), fetched once
and kept under ``<dest>/.comtrade_reference/``. ``--hs chp`` (or
``chp:1-2``) means the HS6 codes of the Common High Priority list (tiers).

Response: ``{"count": n, "data": [{"period": "202101", "reporterISO":
"KAZ", "reporterDesc": ..., "flowCode": "X", "partnerISO": "RUS",
"partnerDesc": ..., "cmdCode": "8542", "cmdDesc": ..., "primaryValue":
..., "netWgt": ..., "cifvalue": ..., "fobvalue": ..., "isReported": ...,
"isAggregate": ..., ...}], "error": ""}``. Each unit becomes a long trade
CSV (``nlp.ingest.trade``'s documented generic columns, USD) plus the
CIF/FOB values, Comtrade's flags and its partner code kept as extra
columns.

What it does not do: the bulk files or the other classifications (SITC,
BEC, services).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from .. import settings
from . import Unit
from .http import ConnectorError, HttpClient

DEFAULT_URL = "https://comtradeapi.un.org"
LICENCE = ("UN Comtrade: free data under the UN Comtrade terms of use (attribution: "
           "'UN Comtrade Database, United Nations Statistics Division')")
MIN_INTERVAL = 1.2
MONTHS_PER_CALL = 12
FLOWS = {"X": "export", "M": "import", "RX": "re-export", "RM": "re-import"}
COLUMNS = ("reporter", "partner", "flow", "product_code", "period", "value", "currency", "code_system",
           "quantity", "quantity_unit", "product_label", "cif_value_usd", "fob_value_usd",
           "partner_m49", "is_reported", "is_aggregate")


def base_url() -> str:
    return (settings.env("COMTRADE_URL") or DEFAULT_URL).rstrip("/")


def api_key() -> str | None:
    return settings.env("COMTRADE_KEY") or None


# -- codes and periods ---------------------------------------------------------

def months(first: str, last: str) -> list[str]:
    """``YYYY-MM`` .. ``YYYY-MM`` inclusive, as ``YYYYMM``."""
    try:
        y, m = int(first[:4]), int(first[5:7])
        ly, lm = int(last[:4]), int(last[5:7])
    except (ValueError, IndexError):
        raise ConnectorError(f"periods must be YYYY-MM, not {first!r} / {last!r}") from None
    if not (1 <= m <= 12 and 1 <= lm <= 12) or (y, m) > (ly, lm):
        raise ConnectorError(f"bad period range {first} .. {last}")
    out = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def hs_codes(spec: list[str]) -> list[str]:
    """HS codes from the command line; ``chp`` / ``chp:1-2`` expand to CHP list items."""
    from .. import reference

    out: list[str] = []
    for item in spec:
        item = item.strip()
        if item.lower().startswith("chp"):
            tiers = None
            if ":" in item:
                # "chp:1-2" = tiers 1 and 2; "chp:3A,3B" = those tiers
                tiers = {t.strip().upper() for t in item.split(":", 1)[1].replace("-", ",").split(",")}
            out += [i.hs6 for i in reference.chp_items() if tiers is None or i.tier.upper() in tiers]
        elif item.upper() == "TOTAL":
            out.append("TOTAL")  # all goods
        elif item:
            code = item.replace(".", "").replace(" ", "")
            if not code.isdigit() or len(code) not in (2, 4, 6):
                raise ConnectorError(f"HS codes for Comtrade are 2, 4 or 6 digits, not {item!r}")
            out.append(code)
    if not out:
        raise ConnectorError("give at least one HS code (--hs 8542,8517 or --hs chp:1-2)")
    return list(dict.fromkeys(out))


def _reference(client: HttpClient, dest: Path, name: str) -> list[dict[str, Any]]:
    cache = dest / ".comtrade_reference" / name
    if cache.is_file():
        data = cache.read_bytes()
    else:
        data = client.get(f"{base_url()}/files/v1/app/reference/{name}")
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(data)
    try:
        return list(json.loads(data).get("results") or [])
    except (json.JSONDecodeError, AttributeError):
        cache.unlink(missing_ok=True)
        raise ConnectorError(f"Comtrade reference list {name} is not the documented JSON") from None


def _field(row: dict[str, Any], suffix: str) -> Any:
    suffix = suffix.lower()
    return next((v for k, v in row.items() if k.lower().endswith(suffix)), None)


def m49_codes(client: HttpClient, dest: Path, codes: list[str], role: str) -> list[str]:
    """ISO2/ISO3/M49 codes -> Comtrade's numeric codes (``0`` = World for partners)."""
    out: list[str] = []
    table: list[dict[str, Any]] | None = None
    for code in codes:
        code = code.strip().upper()
        if code.isdigit():
            out.append(str(int(code)))
            continue
        if code in ("WORLD", "W00", "WLD"):
            out.append("0")
            continue
        if table is None:
            table = _reference(client, dest, "Reporters.json" if role == "reporter" else "partnerAreas.json")
        found = [row for row in table
                 if code in (str(_field(row, "isoalpha2") or "").upper(), str(_field(row, "isoalpha3") or "").upper())
                 and not row.get("isGroup")]
        if not found:
            raise ConnectorError(f"{role} {code!r} is not in Comtrade's reference list")
        out.append(str(found[0].get("id")))
    return out


# -- units ---------------------------------------------------------------------------

def units(client: HttpClient, dest: Path, *, reporters: list[str], partners: list[str], flows: list[str],
          hs: list[str], first: str, last: str) -> list[Unit]:
    key = api_key()
    if not key:
        raise ConnectorError("UN Comtrade's data API needs a subscription key: set SANCTIONS_COMTRADE_KEY "
                             "(free at comtradedeveloper.un.org)")
    flows = [f.strip().upper() for f in flows if f.strip()] or ["X", "M"]
    unknown = [f for f in flows if f not in FLOWS]
    if unknown:
        raise ConnectorError(f"unknown flow {unknown[0]!r}; Comtrade flows: {', '.join(FLOWS)}")
    codes = hs_codes(hs)
    periods = months(first, last)
    reporter_codes = m49_codes(client, dest, reporters, "reporter")
    partner_codes = m49_codes(client, dest, partners, "partner")
    name = f"{'+'.join(reporters)}_{'+'.join(partners)}".replace("/", "-")
    out = []
    for start in range(0, len(periods), MONTHS_PER_CALL):
        chunk = periods[start:start + MONTHS_PER_CALL]
        label = f"{chunk[0][:4]}-{chunk[0][4:]}_{chunk[-1][:4]}-{chunk[-1][4:]}"
        out.append(Unit(
            key=f"{name}:{','.join(flows)}:{','.join(codes)}:{label}",
            url=f"{base_url()}/data/v1/get/C/M/HS",
            filename=f"comtrade_{name}_{'-'.join(flows)}_{label}.csv",
            params={"reporterCode": ",".join(reporter_codes), "partnerCode": ",".join(partner_codes),
                    "period": ",".join(chunk), "cmdCode": ",".join(codes), "flowCode": ",".join(flows),
                    "partner2Code": "0", "customsCode": "C00", "motCode": "0", "includeDesc": "true"},
            headers={"Ocp-Apim-Subscription-Key": key},
            convert=to_csv, hint="check SANCTIONS_COMTRADE_KEY"))
    return out


# -- conversion ----------------------------------------------------------------------

def _period(row: dict[str, Any]) -> str | None:
    period = str(row.get("period") or row.get("refPeriodId") or "")
    if len(period) >= 6 and period[:6].isdigit():
        return f"{period[:4]}-{period[4:6]}" if row.get("freqCode", "M") == "M" else period[:4]
    if len(period) == 4 and period.isdigit():
        return period
    return None


def to_csv(raw: bytes) -> tuple[bytes, int]:
    """A data API response -> long trade CSV bytes and the number of rows."""
    try:
        body = json.loads(raw)
    except json.JSONDecodeError:
        raise ConnectorError("Comtrade answered with something that is not JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise ConnectorError("Comtrade's answer has no 'data' list (not the documented response)")
    if body.get("error"):
        raise ConnectorError(f"Comtrade: {' '.join(str(body['error']).split())[:200]}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in body["data"]:
        if not isinstance(row, dict):
            continue
        if str(row.get("partner2Code") or 0) != "0" or str(row.get("customsCode") or "C00") != "C00" or \
                str(row.get("motCode") or 0) != "0":
            continue  # a breakdown of a total that is also in the answer
        flow = FLOWS.get(str(row.get("flowCode") or "").upper())
        period = _period(row)
        value = row.get("primaryValue")
        if flow is None or period is None or value is None:
            continue
        partner = "World" if str(row.get("partnerCode")) == "0" else \
            (row.get("partnerISO") or row.get("partnerDesc") or "")
        net = row.get("netWgt")
        writer.writerow([
            row.get("reporterISO") or row.get("reporterDesc") or "", partner, flow, row.get("cmdCode") or "",
            period, value, "USD", "HS", net if net not in (None, "") else "", "kg" if net not in (None, "") else "",
            row.get("cmdDesc") or "", row.get("cifvalue") if row.get("cifvalue") is not None else "",
            row.get("fobvalue") if row.get("fobvalue") is not None else "", row.get("partnerCode", ""),
            row.get("isReported", ""), row.get("isAggregate", ""),
        ])
        count += 1
    return out.getvalue().encode("utf-8"), count
