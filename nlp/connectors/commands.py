"""``sanctions corpus fetch --source NAME``: run one connector and report per file.

The typer options live on the ``corpus fetch`` command (:mod:`nlp.ingest.commands`);
this module turns them into units (:mod:`nlp.connectors`) and runs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import SOURCES, UnitResult, run_units
from .http import ConnectorError, HttpClient


@dataclass
class FetchOptions:
    source: str
    dest: Path
    reporters: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    flows: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    first: str | None = None
    last: str | None = None
    datasets: list[str] = field(default_factory=list)
    celex: list[str] = field(default_factory=list)
    lang: str = "EN"


def split_list(values: list[str] | None) -> list[str]:
    """``["KZ,RU", "AM"]`` -> ``["KZ", "RU", "AM"]``."""
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


_TIER = re.compile(r"\d[A-Za-z]?")


def split_codes(values: list[str] | None) -> list[str]:
    """Like :func:`split_list`, but the tiers after ``chp:`` stay with it:
    ``["8542,chp:1,2"]`` -> ``["8542", "chp:1,2"]`` (a tier is one digit and
    an optional letter; HS codes have 2, 4 or 6 digits)."""
    out: list[str] = []
    for item in split_list(values):
        if out and out[-1].lower().startswith("chp:") and _TIER.fullmatch(item):
            out[-1] += "," + item
        else:
            out.append(item)
    return out


def country_options(values: list[str], role: str) -> list[str]:
    """``--reporter`` / ``--partner`` values as ISO2 codes through the project's
    country resolver (names, ISO3, Russian names), checked before any request.
    Numbers (the API's own area codes) and groups (``EU``, ``World``) pass as given."""
    from ..countries import resolve

    out: list[str] = []
    for value in values:
        text = value.strip()
        if text.isdigit() or text.upper() in ("W00", "WLD"):
            out.append(text.upper())
            continue
        country = resolve(text)
        if country is None:
            raise ConnectorError(f"{role} {text[:40]!r} is not a country (give an ISO code such as KZ or a name)")
        out.append(text.upper() if country.kind == "aggregate" else country.code)
    return list(dict.fromkeys(out))


def default_dest(source: str) -> Path:
    return Path("corpus") / "fetched" / source


def fetch_source(options: FetchOptions, client: HttpClient | None = None,
                 progress: Callable[[UnitResult], None] | None = None) -> list[UnitResult]:
    """Build the units for ``options.source`` and fetch them; ConnectorError for a bad request."""
    from . import comext, comtrade, eurlex, opensanctions

    source = options.source.strip().lower()
    if source not in SOURCES:
        raise ConnectorError(f"unknown source {options.source!r}; known: {', '.join(SOURCES)}")
    module = {"comtrade": comtrade, "comext": comext, "opensanctions": opensanctions, "eurlex": eurlex}[source]
    client = client or HttpClient(min_interval=module.MIN_INTERVAL)
    dest = options.dest
    if source in ("comtrade", "comext"):
        options.reporters = country_options(options.reporters, "reporter")
        options.partners = country_options(options.partners, "partner")
        if not options.first or not options.last:
            raise ConnectorError("give the period: --from YYYY-MM --to YYYY-MM")
        if not options.partners:
            raise ConnectorError("give at least one partner (--partner RU)")
    if source == "comtrade":
        if not options.reporters:
            raise ConnectorError("give at least one reporter (--reporter KZ)")
        units = comtrade.units(client, dest, reporters=options.reporters, partners=options.partners,
                               flows=options.flows, hs=options.codes, first=options.first or "",
                               last=options.last or "")
    elif source == "comext":
        units = comext.units(client, dest, reporters=options.reporters, partners=options.partners,
                             flows=options.flows, products=options.codes, first=options.first or "",
                             last=options.last or "", dataset=options.datasets[0] if options.datasets else None)
    elif source == "opensanctions":
        units = opensanctions.units(client, dest, datasets=options.datasets)
    else:
        units = eurlex.units(client, dest, celex=options.celex, lang=options.lang)
    return run_units(source, units, dest, client, licence=module.LICENCE, progress=progress)


def run_fetch_command(source: str, dest: Path | None, json_out: bool, *, reporter, partner, flow, hs, first, last,
                      dataset, celex, lang) -> None:
    """The CLI side: print one line per file, exit 1 when any failed, 2 for a bad request."""
    import typer

    from ..cliutil import print_json

    options = FetchOptions(source=source, dest=dest or default_dest(source.strip().lower()),
                           reporters=split_list(reporter), partners=split_list(partner), flows=split_list(flow),
                           codes=split_codes(hs), first=first, last=last, datasets=split_list(dataset),
                           celex=split_list(celex), lang=lang)

    def show(result: UnitResult) -> None:
        if json_out:
            print_json(result.to_dict())
        else:
            extra = result.reason or (f"{result.records} records" if result.records is not None else "")
            typer.echo(f"{result.status:>8}  {result.path or result.key}  {extra}")

    try:
        results = fetch_source(options, progress=show)
    except ConnectorError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    failed = sum(r.status == "failed" for r in results)
    if not json_out:
        typer.echo(f"{len(results) - failed} of {len(results)} files ready in {options.dest}; "
                   f"ingest with: sanctions ingest {options.dest}", err=True)
    raise typer.Exit(1 if failed else 0)


COMTRADE_FLOWS = {"export": "X", "import": "M", "re-export": "RX", "re-import": "RM"}


def suggest_fetch(claim: dict) -> str | None:
    """The ``sanctions corpus fetch`` command that would supply a claim's own series, or None.

    EU reporters point to Comext (CN8, EUR), everyone else to UN Comtrade
    (HS, USD). Codes: the claim's HS codes, or ``chp:<tiers>`` for a CHP
    item set. Months: from the baseline's start to the window's end where
    the verification computed them, else the two calendar years before the
    claim's publication through its year.
    """
    frame = claim.get("frame") or {}
    reporter, partner, flow = frame.get("reporter"), frame.get("partner"), frame.get("flow") or "export"
    if frame.get("transit"):  # "via KZ to RU": the transit country's (re-)exports
        reporter, flow = frame["transit"], "re-export"
    if not reporter or not partner:
        return None
    subject = frame.get("subject") or {}
    if subject.get("item_set") == "chp":
        tiers = subject.get("tiers")
        codes = "chp" if tiers in (None, "all") else "chp:" + ",".join(str(t) for t in tiers)
    else:
        codes = ",".join(subject.get("codes") or [])
    months = [m for s in claim.get("series") or [] if not s.get("proxy")
              for pair in (s.get("baseline"), s.get("window")) if pair for m in pair if m and len(m) == 7]
    months = months or _frame_months(frame)
    if months:
        first, last = min(months), max(months)
    else:
        year = int(str(frame.get("published") or claim.get("published") or "2024")[:4])
        first, last = f"{year - 2}-01", f"{year}-12"
    eu = reporter in ("EU27", "EU") or _is_eu_member(reporter)
    if eu:
        reporters = "" if reporter in ("EU27", "EU") else f" --reporter {reporter}"
        if not codes or codes.startswith("chp"):
            return None  # Comext wants CN/HS codes; CHP sets are HS6 lists better fetched from Comtrade
        return (f"sanctions corpus fetch --source comext{reporters} --partner {partner} --flow {flow} "
                f"--hs {codes} --from {first} --to {last}")
    flows = COMTRADE_FLOWS.get(flow, "X")
    if flows == "RX":
        flows = "X,RX"  # few reporters split re-exports out; the exports are the comparison
    return (f"sanctions corpus fetch --source comtrade --reporter {reporter} --partner {partner} --flow {flows} "
            f"--hs {codes or 'TOTAL'} --from {first} --to {last}")


def _month_shift(month: str, by: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _frame_months(frame: dict) -> list[str]:
    """The months a claim's own period and baseline span, read from its frame
    (for a claim verified before any of its figures were stored). An open
    end is the publication month; an open start is the 12 months up to the
    end, as verification reads "before the invasion"."""
    published = str(frame.get("published") or "")[:7]
    months: list[str] = []
    for key in ("period", "baseline"):
        interval = (frame.get(key) or {}).get("interval") or [None, None]
        start, end = (str(v)[:7] if v else None for v in (list(interval) + [None, None])[:2])
        if not start and not end:
            continue
        end = end or (published if len(published) == 7 else None)
        if end and not start:
            start = _month_shift(end, -11)
        months += [m for m in (start, end) if m and re.fullmatch(r"\d{4}-\d{2}", m)]
    return months


def _is_eu_member(code: str) -> bool:
    from ..countries import members_of

    return code in members_of("EU27")
