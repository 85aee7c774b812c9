"""Build the demo's facts-only trade extract from the shared Eurostat Comext files.

Reads the raw Comext spreadsheets in ``$SANCTIONS_SHARED/corpus/trade_stats/
eu_eurostat_comext_ruimpeks`` (one sheet per CN8 product, EU member exports,
monthly 2020-01..2022-12), keeps the CN8 products that fall under a Common
High Priority HS6 item, sums the member states' exports per partner and month
for Kazakhstan, Kyrgyzstan, Armenia and Russia, and writes the result in the
project's generic long CSV format to ``corpus/samples/``.

Figures are Eurostat's (reuse with attribution); ':' (confidential or not
available) cells are left out, so a month's sum is a lower bound when some
member's figure was confidential — the ``confidential_cells`` column says how
many were. Rerun: ``python scripts/build_demo_samples.py``.
"""

from __future__ import annotations

import csv
import warnings
from collections import defaultdict

import openpyxl

from nlp import settings

REPO = settings.REPO_ROOT
COMEXT = settings.corpus_dir() / "trade_stats" / "eu_eurostat_comext_ruimpeks"
CHP = settings.corpus_dir() / "chp_items" / "chp_list_2024-02-23_hs6_tiers.csv"
OUT = REPO / "corpus" / "samples" / "eu_exports_chp_items_monthly_2020-2022.csv"
PARTNERS = {"Kazakhstan": "KZ", "Kyrgyzstan": "KG", "Armenia": "AM",
            "Russian Federation (Russia)": "RU"}


def main() -> None:
    chp = {row["hs6"] for row in csv.DictReader(CHP.open(encoding="utf-8"))}
    sums: dict[tuple, float] = defaultdict(float)
    hidden: dict[tuple, int] = defaultdict(int)
    labels: dict[str, str] = {}
    warnings.simplefilter("ignore")
    for path in sorted(COMEXT.glob("comext_*_cn8_*.xlsx")):
        book = openpyxl.load_workbook(path, read_only=True)
        for name in book.sheetnames:
            if not name.startswith("Sheet"):
                continue
            sheet = book[name]
            sheet.reset_dimensions()
            rows = list(sheet.iter_rows(values_only=True))
            product = next((r[2] for r in rows[:8] if r and r[0] and str(r[0]).startswith("PRODUCT")), "")
            code = product.rsplit("[", 1)[-1].rstrip("]") if "[" in product else ""
            if code[:6] not in chp:
                continue
            labels[code] = product.rsplit("[", 1)[0].strip()
            periods = next(r for r in rows if r and r[0] == "TIME")[2:]
            for row in rows:
                if len(row) < 3 or row[1] not in PARTNERS:
                    continue
                for period, cell in zip(periods, row[2:]):
                    if not period:
                        continue
                    key = (code, PARTNERS[row[1]], period)
                    if isinstance(cell, (int, float)):
                        sums[key] += float(cell)
                    elif cell == ":":
                        hidden[key] += 1
        book.close()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["reporter", "partner", "flow", "product_code", "code_system", "period",
                         "value", "currency", "confidential_cells"])
        for (code, partner, period), value in sorted(sums.items()):
            writer.writerow(["EU27", partner, "export", code, "CN", period, f"{value:.0f}", "EUR",
                             hidden[(code, partner, period)]])
    print(f"wrote {OUT.relative_to(REPO)}: {len(sums)} rows, {len(labels)} CN8 products")


if __name__ == "__main__":
    main()
