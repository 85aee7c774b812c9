"""OpenSanctions dataset exports: the EU, UK, US and UN lists as FollowTheMoney JSON.

Request: ``GET {base}/datasets/latest/{dataset}/entities.ftm.json`` (base
``https://data.opensanctions.org``): one FtM entity per line (``id``,
``schema``, ``properties``, ``datasets``, ``referents``, ``target``,
``first_seen``, ``last_seen``, ...), the listed persons, companies and
vessels together with their ``Sanction``, ``Address`` and ``Identification``
entities. Each dataset is one unit and one file, ``<dataset>.ftm.json``,
which :mod:`nlp.ingest.ftm` reads into listing entries.

Short names: ``eu`` = ``eu_fsf`` (EU Financial Sanctions Files), ``uk`` =
``gb_fcdo_sanctions`` (UK sanctions list), ``us`` = ``us_ofac_sdn`` (OFAC
SDN), ``un`` = ``un_sc_sanctions`` (UN Security Council); any other
OpenSanctions dataset name passes through. The file is checked to be FtM
JSON Lines before it replaces a previous copy.

Licence: OpenSanctions data are CC BY-NC 4.0 (non-commercial use; a
commercial licence is sold separately).

What it does not do: the statement-level exports or delta updates.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .. import settings
from . import Unit
from .http import ConnectorError, HttpClient

DEFAULT_URL = "https://data.opensanctions.org"
LICENCE = "OpenSanctions: CC BY-NC 4.0 (non-commercial use with attribution)"
MIN_INTERVAL = 1.0
ALIASES = {"eu": "eu_fsf", "uk": "gb_fcdo_sanctions", "gb": "gb_fcdo_sanctions", "us": "us_ofac_sdn",
           "ofac": "us_ofac_sdn", "un": "un_sc_sanctions"}
DEFAULT_DATASETS = ("eu", "uk", "us", "un")


def base_url() -> str:
    return (settings.env("OPENSANCTIONS_URL") or DEFAULT_URL).rstrip("/")


def dataset_name(name: str) -> str:
    name = ALIASES.get(name.strip().lower(), name.strip().lower())
    if not re.fullmatch(r"[a-z0-9_]{2,64}", name):
        raise ConnectorError(f"not an OpenSanctions dataset name: {name!r}")
    return name


def check_ftm(raw: bytes) -> tuple[bytes, int]:
    """The export unchanged, after checking that it is FtM JSON Lines; (bytes, entities)."""
    count = 0
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entity = json.loads(line)
        except json.JSONDecodeError:
            raise ConnectorError(f"line {number} of the export is not JSON (not an FtM export?)") from None
        if not isinstance(entity, dict) or not entity.get("schema") or "properties" not in entity:
            raise ConnectorError(f"line {number} of the export is not an FtM entity")
        count += 1
    if not count:
        raise ConnectorError("the export is empty")
    return raw, count


def units(client: HttpClient, dest: Path, *, datasets: list[str]) -> list[Unit]:
    names = [dataset_name(d) for d in (datasets or DEFAULT_DATASETS)]
    return [Unit(key=name, url=f"{base_url()}/datasets/latest/{name}/entities.ftm.json",
                 filename=f"{name}.ftm.json", convert=check_ftm) for name in dict.fromkeys(names)]
