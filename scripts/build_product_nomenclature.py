"""Build ``nlp/data/products/nomenclature.csv.gz``: codes and descriptions for the product resolver.

Facts only (codes and their official descriptions), read from the shared
corpus through ``SANCTIONS_SHARED`` (``corpus/hs_nomenclature/``, see the
corpus PROVENANCE.md):

* ``harmonized-system_hs2022.csv`` / ``_hs2017.csv`` -- HS headings and
  subheadings in English (github datasets/harmonized-system, ODC-PDDL-1.0);
  HS2017 rows only for subheadings that HS2022 dropped or reworded;
* ``cn2024_en.csv`` -- EU Combined Nomenclature 2024, CN8 descriptions in
  English (EU Publications Office, reuse with attribution; via
  xterr/php-cncodes, MIT);
* ``tnved_eaeu_ett_ru_rows.csv`` -- EAEU TN VED in Russian (Eurasian
  Economic Commission, official documents of an international
  organisation): headings, 6-digit subheadings (their dash path below the
  heading) and national subdivisions.

Columns: ``code`` (4, 6, 8 or 10 digits), ``lang`` (en/ru), ``source``
(hs2022, hs2017, cn2024, tnved), ``description``. Rows whose own text says
nothing ("Other", «прочие») are left out; their codes are reached through
the heading and subheading rows.

    python scripts/build_product_nomenclature.py
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nlp import settings  # noqa: E402

OUT = REPO / "nlp" / "data" / "products" / "nomenclature.csv.gz"
EMPTY = re.compile(r"^(?:other|others|прочие|прочий|прочая|прочее)\W*$", re.I)


def _clean(text: str) -> str:
    text = re.sub(r"^[\s–—-]+", "", text or "")
    text = re.sub(r"\s+", " ", text).strip().rstrip(":;").strip()
    return text


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def main() -> None:
    folder = settings.corpus_dir() / "hs_nomenclature"
    rows: list[tuple[str, str, str, str]] = []
    hs2022: dict[str, str] = {}
    with (folder / "harmonized-system_hs2022.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["level"] in ("4", "6") and r["hscode"].isdigit():
                hs2022[r["hscode"]] = r["description"]
                rows.append((r["hscode"], "en", "hs2022", _clean(r["description"])))
    with (folder / "harmonized-system_hs2017.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["level"] in ("4", "6") and r["hscode"].isdigit() and hs2022.get(r["hscode"]) != r["description"]:
                rows.append((r["hscode"], "en", "hs2017", _clean(r["description"])))
    with (folder / "cn2024_en.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            text = _clean(r["description"])
            if text and not EMPTY.match(text):
                rows.append((r["cn8"], "en", "cn2024", text))
    hs6_ru: dict[str, tuple[int, str]] = {}
    with (folder / "tnved_eaeu_ett_ru_rows.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["code"].strip()
            if not code.isdigit():
                continue
            depth = int(r["depth"] or 0)
            if len(code) == 4:
                rows.append((code, "ru", "tnved", _clean(r["description"])))
                continue
            path = [p.strip() for p in r["full_path"].split(" / ")]
            if len(code) >= 6:
                hs6 = code[:6]
                below = " / ".join(_clean(p) for p in path[1:depth + 1] if not EMPTY.match(_clean(p)))
                if below and (hs6 not in hs6_ru or depth < hs6_ru[hs6][0]):
                    hs6_ru[hs6] = (depth, below)
            own = _clean(r["description"])
            if len(code) > 6 and own and not EMPTY.match(own):
                rows.append((code, "ru", "tnved", own))
    rows += [(code, "ru", "tnved", text) for code, (_, text) in hs6_ru.items()]
    rows = sorted(set(rows))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "lang", "source", "description"])
    writer.writerows(rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUT, "wb", mtime=0) as f:
        f.write(buffer.getvalue().encode("utf-8"))
    counts: dict[str, int] = {}
    for _, _, source, _ in rows:
        counts[source] = counts.get(source, 0) + 1
    print(f"{OUT.relative_to(REPO)}: {len(rows)} rows {counts}, {OUT.stat().st_size:,} bytes")
    for name in ("harmonized-system_hs2022.csv", "harmonized-system_hs2017.csv", "cn2024_en.csv",
                 "tnved_eaeu_ett_ru_rows.csv"):
        print(f"  {name} sha256 {_sha(folder / name)}")


if __name__ == "__main__":
    main()
