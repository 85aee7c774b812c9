"""The documented generic long trade CSV (docs/ingest_trade.md): ``reporter,
partner, flow, product_code, period, value, currency`` [``code_system,
quantity, quantity_unit, product_label, scale``].
"""

from __future__ import annotations

from pathlib import Path

from ...records import ReadResult
from ..registry import ReadError, reader, suffix
from .facts import FactBuilder, flow_of, period_of, scale_of, scaled, to_number
from .sheets import _csv_rows, _has

# -- generic long CSV -----------------------------------------------------------------------

GENERIC_COLUMNS = ("reporter", "partner", "flow", "product_code", "period", "value", "currency")
GENERIC_OPTIONAL = ("code_system", "quantity", "quantity_unit", "product_label", "scale")


@reader("trade-csv", "Generic long trade CSV: reporter, partner, flow, product_code, period, value, currency "
        "[, code_system, quantity, quantity_unit, product_label, scale]",
        sniff=lambda path, head: suffix(path) in ("csv", "tsv") and _has(head, "reporter", "partner", "flow",
                                                                        "period", "value"),
        priority=50)
def read_generic_trade_csv(path: Path, data: bytes) -> ReadResult:
    header, rows, notes = _csv_rows(data)
    lower = {h.casefold(): h for h in header}
    missing = [c for c in GENERIC_COLUMNS if c not in lower]
    if missing:
        raise ReadError(f"unrecognised trade table: expected columns {', '.join(GENERIC_COLUMNS)}; "
                        f"missing {', '.join(missing)}")
    build = FactBuilder(path, data, f"Trade table {path.stem}")
    build.notes.update(notes)
    extra = [h for h in header if h.casefold() not in GENERIC_COLUMNS + GENERIC_OPTIONAL]
    if extra:
        build.notes["ignored_columns"] = extra  # kept in the file, not in the facts

    def get(row: dict[str, str], name: str) -> str:
        return str(row.get(lower.get(name, ""), "") or "").strip()

    for number, row in enumerate(rows, start=2):
        value = to_number(get(row, "value"))
        period = period_of(get(row, "period"))
        flow = flow_of(get(row, "flow"))
        if value is None or period is None or flow is None:
            build.skipped["bad value, period or flow"] += 1
            continue
        scale_text = get(row, "scale")
        scale = to_number(scale_text) or scale_of(scale_text) if scale_text else 1.0
        system = get(row, "code_system").upper() or None
        if system and system not in ("HS", "CN", "TNVED", "TOTAL", "LABEL"):
            build.skipped[f"unknown code_system {system}"] += 1
            continue
        build.add(reporter_label=get(row, "reporter"), partner_label=get(row, "partner"), flow=flow,
                  code=get(row, "product_code") or "TOTAL", code_system=system,
                  product_label=get(row, "product_label") or None, period=period,
                  value=scaled(value, scale), currency=get(row, "currency").upper() or None,
                  quantity=to_number(get(row, "quantity")), quantity_unit=get(row, "quantity_unit") or None,
                  location=f"csv!{number}")
    if not build.facts:
        raise ReadError(f"unrecognised trade table: no valid rows ({sum(build.skipped.values())} skipped)")
    return build.result()
