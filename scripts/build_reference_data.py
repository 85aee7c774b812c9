"""Build the shipped reference data in ``nlp/data`` from the shared corpus.

Reads (relative to ``nlp.settings.corpus_dir()``):

* ``hs_nomenclature/harmonized-system_hs2022.csv`` and ``..._hs2017.csv``
  (datasets/harmonized-system, ODC-PDDL-1.0)
* ``chp_items/chp_list_2024-02-23_hs6_tiers.csv`` (BIS Common High Priority
  List of 2024-02-23: HS6 codes and tiers, US-government facts)

Writes ``nlp/data/hs2022.csv``, ``nlp/data/hs2017.csv`` (code, level, parent,
section, description; only the real 2/4/6-digit rows, the ``TOTAL`` row is
dropped) and ``nlp/data/chp_items.csv`` (hs6, tier, description).
Facts only: codes, levels, parents, descriptions and tiers. The hand-kept
files ``hs_cues.yaml``, ``chp_tier_sets.yaml`` and ``SOURCES.md`` are not
touched.

Run: ``python scripts/build_reference_data.py [--corpus DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
from pathlib import Path

from nlp.settings import DATA_DIR, corpus_dir

HS_FILES = {
    "2022": "hs_nomenclature/harmonized-system_hs2022.csv",
    "2017": "hs_nomenclature/harmonized-system_hs2017.csv",
}
CHP_FILE = "chp_items/chp_list_2024-02-23_hs6_tiers.csv"
TIERS = ("1", "2", "3A", "3B", "4A", "4B")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_hs(path: Path) -> list[dict[str, str]]:
    # utf-8-sig: the 2017 file starts with a BOM.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = []
        for row in csv.DictReader(handle):
            code = row["hscode"].strip()
            if not code.isdigit() or len(code) not in (2, 4, 6):
                continue  # the TOTAL row
            rows.append({
                "code": code,
                "level": str(len(code)),
                "parent": "" if row["parent"] == "TOTAL" else row["parent"].strip(),
                "section": row["section"].strip(),
                "description": " ".join(row["description"].split()),
            })
    return rows


def read_chp(path: Path, hs2022: dict[str, str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = []
        for row in csv.DictReader(handle):
            code, tier = row["hs6"].strip(), row["tier"].strip()
            if len(code) != 6 or not code.isdigit():
                raise SystemExit(f"{path}: bad hs6 {code!r}")
            if tier not in TIERS:
                raise SystemExit(f"{path}: unknown tier {tier!r} for {code}")
            rows.append({"hs6": code, "tier": tier, "description": hs2022.get(code, "")})
    return sorted(rows, key=lambda r: (TIERS.index(r["tier"]), r["hs6"]))


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: settings)")
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    args = parser.parse_args()
    corpus = args.corpus or corpus_dir()
    args.out.mkdir(parents=True, exist_ok=True)

    descriptions: dict[str, str] = {}
    for edition, rel in HS_FILES.items():
        src = corpus / rel
        if not src.is_file():
            raise SystemExit(f"missing {src}")
        rows = read_hs(src)
        write_csv(args.out / f"hs{edition}.csv", rows)
        if edition == "2022":
            descriptions = {r["code"]: r["description"] for r in rows}
        counts = {lv: sum(r["level"] == lv for r in rows) for lv in ("2", "4", "6")}
        print(f"hs{edition}.csv: {len(rows)} codes {counts} from {rel} sha256={sha256(src)[:16]}")

    chp_src = corpus / CHP_FILE
    chp = read_chp(chp_src, descriptions)
    write_csv(args.out / "chp_items.csv", chp)
    print(f"chp_items.csv: {len(chp)} items from {CHP_FILE} sha256={sha256(chp_src)[:16]}")


if __name__ == "__main__":
    main()
