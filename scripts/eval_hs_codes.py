"""Evaluate nlp.extract.hs_codes.find_hs_codes on the hand-labelled gold set.

Gold: ``corpus/gold/hs_codes_gold.jsonl``, one candidate span per line::

    {"doc": corpus-relative path, "sha256": of the file, "unit": which text of
     the file (see UNITS below), "start", "end", "text", "label": "code" or
     "not_code", "code": digits (positives), "kind": what a negative is
     (year, date, amount, article, ...), "context": <= 80 chars around it}

The texts are rebuilt from the shared corpus here (``text_of``), so offsets
are into: the decoded file (``txt``), one JSONL record's field
(``jsonl:<line>:<field>``), the lxml ``text_content()`` of an HTML file
(``html``), or pdfplumber's ``extract_text()`` of one page (``pdf:<page>``,
1-based).

Scoring: a prediction is a true positive when its span overlaps a gold
positive with the same digits; every other prediction in a gold unit is a
false positive (the gold lists every candidate of a deliberately loose
regex, so an unlisted prediction is wrong by construction). Recall is over
gold positives. The "bare baseline" is the plain regex
``\\b\\d{4}(?:[ .]?\\d{2}){0,3}\\b`` scored the same way.

Usage::

    python scripts/eval_hs_codes.py                 # scores
    python scripts/eval_hs_codes.py --errors        # also list FP/FN
    python scripts/eval_hs_codes.py --sweep         # codes found outside the gold
    python scripts/eval_hs_codes.py --candidates U  # print loose candidates
                                                    # of unit spec U for labelling
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nlp.extract.hs_codes import find_hs_codes  # noqa: E402
from nlp.reference import normalize_code  # noqa: E402
from nlp.settings import corpus_dir  # noqa: E402

CSV_COLUMNS = ("name", "address", "phone", "registrationNumber", "taxNumber", "innCode", "ogrnCode",
               "kppCode", "okpoCode", "imoNumber", "mmsi", "startDate", "notes")
GOLD = REPO / "corpus" / "gold" / "hs_codes_gold.jsonl"
BASELINE = re.compile(r"\b\d{4}(?:[ .]?\d{2}){0,3}\b")
# Loose candidate generator used to build the gold set: any run of 4+ digits
# in pairs (with space/dot/hyphen joins), plus 1-2 digit numbers right after
# words that can introduce a chapter, plus 2-digit numbers opening a line.
LOOSE = re.compile(
    r"(?<![\d])\d{2}(?:[ .\u00a0]?\d{2}){1,4}(?!\d)"
    r"|(?<=chapter )\d{1,2}(?!\d)|(?<=chapters )\d{1,2}(?!\d)|(?<=HS-)\d{2}(?!\d)|(?<=HS )\d{2}(?!\d)"
    r"|(?<=группы )\d{2}(?!\d)|^\d{2}(?= [–-])", re.I | re.M)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=None)
def text_of(doc: str, unit: str) -> str:
    path = corpus_dir() / doc
    kind, _, rest = unit.partition(":")
    if kind == "txt":
        return path.read_text(encoding="utf-8")
    if kind == "jsonl":
        line_no, _, field = rest.partition(":")
        line = path.read_text(encoding="utf-8").splitlines()[int(line_no)]
        return json.loads(line)[field]
    if kind == "csvrow":
        # One listing row rendered as "column: value" lines (identifiers,
        # addresses, phone numbers: numbers that are not goods codes).
        import csv

        with path.open(encoding="utf-8", newline="") as handle:
            row = list(csv.DictReader(handle))[int(rest)]
        return "\n".join(f"{col}: {row[col]}" for col in CSV_COLUMNS if row.get(col))
    if kind == "xlsx":
        # One sheet as tab-separated lines (empty cells kept, so columns line up).
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = book[rest].iter_rows(values_only=True)
        return "\n".join("\t".join("" if cell is None else str(cell) for cell in row) for row in rows)
    if kind == "html":
        import lxml.html

        return lxml.html.parse(str(path)).getroot().text_content()
    if kind == "pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return pdf.pages[int(rest) - 1].extract_text() or ""
    raise SystemExit(f"unknown unit {unit!r}")


def lang_of(doc: str, unit: str) -> str:
    return "ru" if "news_ru" in doc else "en"


def load_gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(gold: list[dict], predict) -> dict:
    units: dict[tuple[str, str], list[dict]] = {}
    for row in gold:
        units.setdefault((row["doc"], row["unit"]), []).append(row)
    tp = fp = fn = 0
    errors = []
    for (doc, unit), rows in units.items():
        text = text_of(doc, unit)
        positives = [r for r in rows if r["label"] == "code"]
        matched: set[int] = set()
        for pred in predict(text, lang_of(doc, unit)):
            hit = next((i for i, r in enumerate(positives)
                        if pred["start"] < r["end"] and r["start"] < pred["end"] and pred["code"] == r["code"]
                        and i not in matched), None)
            if hit is None:
                fp += 1
                errors.append(("FP", doc, unit, pred["start"], pred["text"], text[max(0, pred["start"] - 40):pred["end"] + 30]))
            else:
                matched.add(hit)
                tp += 1
        for i, r in enumerate(positives):
            if i not in matched:
                fn += 1
                errors.append(("FN", doc, unit, r["start"], r["text"], r["context"]))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1, "errors": errors}


def baseline(text: str, lang: str) -> list[dict]:
    return [{"start": m.start(), "end": m.end(), "text": m.group(), "code": normalize_code(m.group())}
            for m in BASELINE.finditer(text)]


def check_hashes(gold: list[dict]) -> None:
    for doc, digest in {(r["doc"], r["sha256"]) for r in gold}:
        path = corpus_dir() / doc
        if not path.is_file():
            raise SystemExit(f"missing corpus file {path} (set SANCTIONS_SHARED)")
        if sha256(path) != digest:
            raise SystemExit(f"{doc}: sha256 differs from the gold set's; offsets would be wrong")


def print_candidates(spec: str) -> None:
    doc, _, unit = spec.partition("@")
    text = text_of(doc, unit)
    for m in LOOSE.finditer(text):
        ctx = text[max(0, m.start() - 45):m.end() + 30].replace("\n", "|")
        print(json.dumps({"doc": doc, "unit": unit, "start": m.start(), "end": m.end(), "text": m.group(),
                          "ctx": ctx}, ensure_ascii=False))


def sweep() -> None:
    """Codes found outside the gold set: all Russian Telegram posts and all
    rows of the OpenSanctions EU listing CSVs (each printed for reading)."""
    import csv

    root = corpus_dir()
    texts: list[tuple[str, str, str]] = []
    for path in sorted(root.glob("news_ru/telegram_nktkln_2024/*.json")):
        texts += [(path.name, rec.get("text") or "", "ru") for rec in json.loads(path.read_text(encoding="utf-8"))]
    derived = root / "news_ru/telegram_nktkln_2024/DERIVED_sanctions_keyword_posts.jsonl"
    texts += [(derived.name, json.loads(line).get("text") or "", "ru")
              for line in derived.read_text(encoding="utf-8").splitlines() if line.strip()]
    for path in sorted(root.glob("sanctions_lists/opensanctions_eu_journal/*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [(path.name, "\n".join(f"{k}: {v}" for k, v in row.items() if v), "en")
                      for row in csv.DictReader(handle)]
    found = 0
    for name, text, lang in texts:
        for item in find_hs_codes(text, lang):
            found += 1
            print(f"  {name}: {item['code']} {text[max(0, item['start'] - 40):item['end'] + 20]!r}")
    print(f"sweep: {len(texts)} texts, {found} codes found (read them: each should be a real code)")


PROSE_CHECK = REPO / "corpus" / "gold" / "hs_codes_prose_check.jsonl"


def score_prose(path: Path, errors: bool) -> None:
    """Mention-level P/R on sentences whose gold is the list of codes they
    contain, in order (digits); traps list none. Matching is by code, with
    multiplicity, per sentence and language."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_lang: dict[str, list[int]] = {}
    for row in rows:
        found = [item["code"] for item in find_hs_codes(row["text"], row["lang"])]
        gold = list(row["codes"])
        tp = 0
        for code in found:
            if code in gold:
                gold.remove(code)
                tp += 1
        fp, fn = len(found) - tp, len(gold)
        counts = by_lang.setdefault(row["lang"], [0, 0, 0])
        for index, value in enumerate((tp, fp, fn)):
            counts[index] += value
        if errors and (fp or fn):
            print(f"  {row['id']} gold {row['codes']} found {found} | {row['text']}")
    print(f"prose check: {len(rows)} sentences ({path.name})")
    total = [sum(c[i] for c in by_lang.values()) for i in range(3)]
    for lang, (tp, fp, fn) in [*sorted(by_lang.items()), ("all", tuple(total))]:
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"  {lang:4s} P={precision:.3f} R={recall:.3f} (tp={tp} fp={fp} fn={fn})")


def main() -> None:
    parser = argparse.ArgumentParser(description="HS code extraction: precision/recall on the gold set")
    parser.add_argument("--errors", action="store_true", help="list false positives / negatives")
    parser.add_argument("--candidates", metavar="DOC@UNIT", help="print loose-regex candidates of one text")
    parser.add_argument("--sweep", action="store_true", help="list codes found in Telegram posts and listing CSVs")
    parser.add_argument("--prose", nargs="?", const=str(PROSE_CHECK), metavar="FILE",
                        help="score project-written EN/RU sentences with their codes (default "
                             "corpus/gold/hs_codes_prose_check.jsonl)")
    args = parser.parse_args()
    if args.prose:
        score_prose(Path(args.prose), args.errors)
        return
    if args.sweep:
        sweep()
        return
    if args.candidates:
        print_candidates(args.candidates)
        return
    gold = load_gold()
    check_hashes(gold)
    n_pos = sum(r["label"] == "code" for r in gold)
    kinds: dict[str, int] = {}
    for r in gold:
        if r["label"] != "code":
            kinds[r.get("kind") or "other"] = kinds.get(r.get("kind") or "other", 0) + 1
    print(f"gold: {len(gold)} candidates in {len({(r['doc'], r['unit']) for r in gold})} texts "
          f"from {len({r['doc'] for r in gold})} files; {n_pos} codes, {len(gold) - n_pos} negatives {kinds}")
    for name, predict in (("find_hs_codes", find_hs_codes), ("bare baseline regex", baseline)):
        result = score(gold, predict)
        print(f"{name:22s} P={result['precision']:.4f} R={result['recall']:.4f} F1={result['f1']:.4f} "
              f"(tp={result['tp']} fp={result['fp']} fn={result['fn']})")
        if args.errors and name == "find_hs_codes":
            for err in result["errors"]:
                print("   ", err[0], err[1], err[2], err[3], repr(err[4]), "|", err[5].replace("\n", "|"))


if __name__ == "__main__":
    main()
