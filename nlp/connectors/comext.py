"""Eurostat Comext: EU trade by CN8/HS product, partner and month, from the SDMX 2.1 dissemination API.

Request: ``GET {base}/data/{dataset}/{freq}.{reporters}.{partners}.{product}.{flow}.{indicator}
?startPeriod=2021-01&endPeriod=2024-12&format=SDMX-CSV`` (base
``https://ec.europa.eu/eurostat/api/comext/dissemination/sdmx/2.1``). The key
follows the dataset's dimension order (freq, reporter, partner, product,
flow, indicators); several values of a dimension are joined with ``+`` and
an empty position means "all" (every reporting member state). Flow ``1`` is
import, ``2`` export. The dataset (``DS-045409``: EU trade since 1988 by
HS2-4-6 and CN8) and the indicator (``VALUE_IN_EUROS``) are settings
(``--dataset``; ``SANCTIONS_COMEXT_DATASET``, ``SANCTIONS_COMEXT_INDICATOR``),
because Eurostat renames Comext datasets from time to time.

Response (SDMX-CSV 1.0): a header row ``DATAFLOW,LAST UPDATE,freq,reporter,
partner,product,flow,indicators,TIME_PERIOD,OBS_VALUE,OBS_FLAG`` and one row
per observation. Columns are found by name, not position. Each product
becomes one long trade CSV (generic columns, EUR; CN for 8-digit codes, HS
otherwise), with Eurostat's observation flag kept as an extra column (``c``
marks confidential figures, which Eurostat leaves out).

What it does not do: the bulk download files, or SDMX-ML.
"""

from __future__ import annotations

import csv
import io
from functools import partial
from pathlib import Path

from .. import settings
from . import Unit
from .comtrade import months
from .http import ConnectorError, HttpClient

DEFAULT_URL = "https://ec.europa.eu/eurostat/api/comext/dissemination/sdmx/2.1"
DEFAULT_DATASET = "DS-045409"
DEFAULT_INDICATOR = "VALUE_IN_EUROS"
LICENCE = "Eurostat: CC BY 4.0 (Eurostat copyright notice; reuse with acknowledgement of the source)"
MIN_INTERVAL = 1.0
FLOWS = {"import": "1", "export": "2", "1": "1", "2": "2", "M": "1", "X": "2"}
COLUMNS = ("reporter", "partner", "flow", "product_code", "period", "value", "currency", "code_system",
           "obs_flag", "dataset")


def base_url() -> str:
    return (settings.env("COMEXT_URL") or DEFAULT_URL).rstrip("/")


def _geo(code: str) -> str:
    code = code.strip().upper()
    return {"EU": "EU27_2020", "EU27": "EU27_2020"}.get(code, code)  # Comext writes Greece GR


def units(client: HttpClient, dest: Path, *, reporters: list[str], partners: list[str], flows: list[str],
          products: list[str], first: str, last: str, dataset: str | None = None) -> list[Unit]:
    dataset = dataset or settings.env("COMEXT_DATASET") or DEFAULT_DATASET
    indicator = settings.env("COMEXT_INDICATOR") or DEFAULT_INDICATOR
    months(first, last)  # validates the range
    codes = []
    for product in products:
        code = product.replace(".", "").replace(" ", "")
        if not code.isdigit() or len(code) not in (2, 4, 6, 8):
            raise ConnectorError(f"Comext products are CN8 or HS2/4/6 digits, not {product!r}")
        codes.append(code)
    if not codes:
        raise ConnectorError("give at least one product (--hs 85423100 or --hs 8542)")
    if not partners:
        raise ConnectorError("give at least one partner (--partner KZ)")
    flow_codes = []
    for flow in flows or ["export"]:
        if flow.strip() not in FLOWS:
            raise ConnectorError(f"unknown flow {flow!r}; Comext flows: import, export")
        flow_codes.append(FLOWS[flow.strip()])
    reporter_key = "+".join(_geo(r) for r in reporters)  # empty: every reporter
    partner_key = "+".join(_geo(p) for p in partners)
    flow_key = "+".join(dict.fromkeys(flow_codes))
    label = f"{'+'.join(reporters) or 'all'}_{'+'.join(partners)}"
    out = []
    for code in dict.fromkeys(codes):
        key = f"M.{reporter_key}.{partner_key}.{code}.{flow_key}.{indicator}"
        out.append(Unit(
            key=f"{dataset}:{key}:{first}:{last}",
            url=f"{base_url()}/data/{dataset}/{key}",
            filename=f"comext_{label}_{code}_{'-'.join(flow_codes)}_{first}_{last}.csv",
            params={"startPeriod": first, "endPeriod": last, "format": "SDMX-CSV"},
            convert=partial(to_csv, dataset=dataset)))
    return out


def to_csv(raw: bytes, dataset: str = DEFAULT_DATASET) -> tuple[bytes, int]:
    """An SDMX-CSV answer -> long trade CSV bytes and the number of rows."""
    text = raw.decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ConnectorError("Comext answered with an empty body")
    header = [h.strip().lower() for h in rows[0]]
    need = ("reporter", "partner", "product", "flow", "time_period", "obs_value")
    missing = [n for n in need if n not in header]
    if missing:
        raise ConnectorError(f"Comext's answer is not SDMX-CSV with the Comext dimensions "
                             f"(missing {', '.join(missing)})")
    at = {name: header.index(name) for name in header}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows[1:]:
        if len(row) < len(header):
            continue
        value = row[at["obs_value"]].strip()
        if value in ("", ":"):
            continue  # not available / confidential: no figure, never a zero
        product = row[at["product"]].strip()
        flow = {"1": "import", "2": "export"}.get(row[at["flow"]].strip(), row[at["flow"]].strip())
        reporter = row[at["reporter"]].strip()
        writer.writerow([
            "EU27" if reporter.startswith("EU27") else reporter, row[at["partner"]].strip(), flow, product,
            row[at["time_period"]].strip(), value, "EUR", "CN" if len(product) == 8 else "HS",
            row[at["obs_flag"]].strip() if "obs_flag" in at else "", dataset,
        ])
        count += 1
    return out.getvalue().encode("utf-8"), count
