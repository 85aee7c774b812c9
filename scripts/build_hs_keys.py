"""Build ``nlp/data/hs_codes_valid/nomenclature_keys.tsv.gz`` from the shared corpus.

Reads (relative to ``nlp.settings.corpus_dir()``, see its PROVENANCE.md):

* ``hs_nomenclature/harmonized-system_hs2022.csv`` / ``..._hs2017.csv``
  (HS chapters, headings, subheadings; ODC-PDDL-1.0);
* ``hs_nomenclature/cn2024_en.csv`` / ``cn2023_en.csv`` (EU Combined
  Nomenclature CN8; EU Publications Office, reuse with attribution);
* ``hs_nomenclature/tnved_eaeu_ett_ru_rows.csv`` (TN VED EAEU, official
  document of the Eurasian Economic Commission).

Writes one row per code: ``code``, the editions listing it (space-separated,
newest first) and the word keys of its descriptions
(:func:`nlp.extract.hs_keys.keys`: five-letter stems, no sentences). For a
CN8 or TN VED line only the keys not already on its heading/HS6 are kept,
since :func:`nlp.extract.hs_keys.code_keys` merges the levels above.

Run: ``python scripts/build_hs_keys.py [--corpus DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nlp.extract.hs_keys import EDITION_ORDER, KEYS_FILE, keys  # noqa: E402
from nlp.settings import corpus_dir  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    args = parser.parse_args()
    root = (args.corpus or corpus_dir()) / "hs_nomenclature"
    editions: dict[str, set[str]] = defaultdict(set)
    words: dict[str, set[str]] = defaultdict(set)

    for edition in ("2022", "2017"):
        with (root / f"harmonized-system_hs{edition}.csv").open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                code = row["hscode"].strip()
                if code.isdigit() and len(code) in (2, 4, 6):
                    editions[code].add(f"HS{edition}")
                    words[code] |= keys(row["description"])
    for year in ("2024", "2023"):
        with (root / f"cn{year}_en.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                code = row["cn8"].strip()
                if len(code) != 8 or not code.isdigit():
                    continue
                editions[code].add(f"CN{year}")
                words[code] |= keys(row["description"])
                for level, field in ((6, "hs6_description"), (4, "heading_description")):
                    words[code[:level]] |= keys(row[field])
    with (root / "tnved_eaeu_ett_ru_rows.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip()
            if not code.isdigit() or len(code) not in (4, 6, 8, 10):
                continue
            editions[code].add("TNVED2022")
            words[code] |= keys(row["full_path"] or row["description"])
            if len(code) == 4:
                # TN VED has no chapter rows: a chapter's Russian keys are
                # those of its headings.
                words[code[:2]] |= keys(row["description"])
    rows = []
    for code in sorted(editions):
        own = set(words[code])
        if len(code) > 4:
            above: set[str] = set()
            for size in range(4, len(code), 2):
                above |= words.get(code[:size], set())
            own -= above
        order = [e for e in EDITION_ORDER if e in editions[code]]
        rows.append(f"{code}\t{' '.join(order)}\t{' '.join(sorted(own))}\n")
    KEYS_FILE.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(KEYS_FILE, "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.write("code\teditions\tkeys\n")
        handle.writelines(rows)
    counts = defaultdict(int)
    for listed in editions.values():
        for edition in listed:
            counts[edition] += 1
    print(f"{KEYS_FILE.relative_to(REPO)}: {len(rows)} codes; " +
          ", ".join(f"{e} {counts[e]}" for e in EDITION_ORDER) +
          f"; {KEYS_FILE.stat().st_size} bytes")


if __name__ == "__main__":
    main()
