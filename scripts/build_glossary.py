"""Build the English-Russian product glossary from the two nomenclatures.

The EU Combined Nomenclature (English) and the EAEU TN VED (Russian) describe
the same six-digit HS subheadings. Each subheading is one aligned unit: the
stems of its English descriptions (heading, subheading, CN lines) against the
stems of its Russian ones (the TN VED rows under it, with their parents).
A pair of stems that occurs in the same units far more often than apart is a
translation: Dice coefficient ``2 c(e,r) / (c(e) + c(r))`` of at least
``MIN_DICE`` over at least ``MIN_UNITS`` shared units, kept when each stem
is the other's best partner (mutual best: a word shared by many
subheadings, such as "other" or a material, does not pair with every word
beside it). Written as ``nlp/data/glossary/hs_en_ru.tsv``
(English word, Russian word, Dice, shared units), with each stem shown as its
most frequent surface word so that the search stems it as it stems text.

    python scripts/build_glossary.py [--corpus DIR] [--out FILE]

Reads ``hs_nomenclature/cn2024_en.csv`` and ``tnved_eaeu_ett_ru_rows.csv``
under the corpus folder (``SANCTIONS_SHARED``). The output holds words and
figures only, no description text.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp import settings  # noqa: E402
from nlp.index.lexical import terms  # noqa: E402

MIN_DICE = 0.5
MIN_UNITS = 3
OUT = ROOT / "nlp" / "data" / "glossary" / "hs_en_ru.tsv"
_WORD = re.compile(r"[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё\-]{2,}")


def _stems(text: str, surfaces: dict[str, Counter]) -> set[str]:
    """Stems of the words of ``text`` (numbers and codes left out); each
    stem's surface words are counted into ``surfaces``."""
    out = set()
    for word in _WORD.findall(text):
        word = word.lower()
        stem = (terms(word) or [""])[0]
        if len(stem) > 2:
            surfaces[stem][word] += 1
            out.add(stem)
    return out


def aligned_units(corpus: Path) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, Counter]]:
    """English and Russian stems per six-digit subheading, and surface words per stem."""
    surfaces: dict[str, Counter] = defaultdict(Counter)
    english: dict[str, set[str]] = defaultdict(set)
    with (corpus / "hs_nomenclature" / "cn2024_en.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            hs6 = (row.get("hs6") or "")[:6]
            if len(hs6) == 6 and hs6.isdigit():
                text = " ".join(row.get(field) or "" for field in ("heading_description", "hs6_description",
                                                                     "description"))
                english[hs6] |= _stems(text, surfaces)
    russian: dict[str, set[str]] = defaultdict(set)
    with (corpus / "hs_nomenclature" / "tnved_eaeu_ett_ru_rows.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = re.sub(r"\D", "", row.get("code") or "")
            if len(code) >= 6:
                russian[code[:6]] |= _stems(row.get("full_path") or row.get("description") or "", surfaces)
    shared = english.keys() & russian.keys()
    return {k: english[k] for k in shared}, {k: russian[k] for k in shared}, surfaces


def glossary(english: dict[str, set[str]], russian: dict[str, set[str]]) -> list[tuple[str, str, float, int]]:
    """(English stem, Russian stem, Dice, shared units), both directions' best partners."""
    count_en: Counter = Counter()
    count_ru: Counter = Counter()
    pairs: Counter = Counter()
    for unit, en_stems in english.items():
        ru_stems = russian[unit]
        count_en.update(en_stems)
        count_ru.update(ru_stems)
        pairs.update((e, r) for e in en_stems for r in ru_stems)
    scored = [(e, r, 2 * n / (count_en[e] + count_ru[r]), n) for (e, r), n in pairs.items() if n >= MIN_UNITS]
    scored = [row for row in scored if row[2] >= MIN_DICE]
    best_en: dict[str, tuple[str, str, float, int]] = {}
    best_ru: dict[str, tuple[str, str, float, int]] = {}
    for row in scored:
        for best, stem in ((best_en, row[0]), (best_ru, row[1])):
            held = best.get(stem)
            if held is None or (row[2], row[3]) > (held[2], held[3]):
                best[stem] = row
    keep = {(row[0], row[1]) for row in best_en.values() if best_ru[row[1]] is row}
    return sorted((row for row in scored if (row[0], row[1]) in keep), key=lambda r: (r[0], -r[2]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: SANCTIONS_SHARED/corpus)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    corpus = args.corpus or settings.corpus_dir()
    english, russian, surfaces = aligned_units(corpus)
    rows = glossary(english, russian)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        handle.write("# English-Russian product words aligned by HS subheading (scripts/build_glossary.py)\n")
        handle.write("en\tru\tdice\tunits\n")
        for e, r, dice, n in rows:
            handle.write(f"{surfaces[e].most_common(1)[0][0]}\t{surfaces[r].most_common(1)[0][0]}\t{dice:.3f}\t{n}\n")
    print(f"{len(english)} aligned subheadings, {len(rows)} word pairs -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
