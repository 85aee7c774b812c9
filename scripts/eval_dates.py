"""Evaluate ``nlp.extract.dates.find_dates`` on TempEval-3 TimeBank+AQUAINT (TBAQ-cleaned).

Reads every ``.tml`` under ``$SANCTIONS_SHARED/eval/tempeval3/tbaq-cleaned``
(lxml), rebuilds the plain text of ``<TEXT>`` with the gold TIMEX3 offsets,
runs ``find_dates`` with the ``<DCT>`` as the publication date, and prints a
Markdown table, TempEval-3 style:

* strict P/R/F1: exact span match; relaxed P/R/F1: any overlap (one-to-one);
* value and type accuracy over the relaxed matches, and value F1
  (= relaxed F1 x value accuracy, the TempEval-3 "value" score).

The same is computed for a bare baseline, dateparser's ``search_dates`` over
the raw text (type DATE, value = the day it returns). ``--freeze FILE``
writes per-document predictions as JSON Lines (offsets, type, value, mod; no
TimeBank text, which is licensed for evaluation only) so later changes can be
diffed.

Run: ``python scripts/eval_dates.py [--split tbaq|timebank|aquaint] [--limit N]
[--no-baseline] [--freeze corpus/eval_runs/dates_tbaq.jsonl] [--errors N]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nlp.extract.dates import find_dates  # noqa: E402
from nlp.settings import eval_dir  # noqa: E402

SPLITS = {"tbaq": ("TimeBank", "AQUAINT"), "timebank": ("TimeBank",), "aquaint": ("AQUAINT",)}


def parse_tml(path: Path) -> tuple[str, dt.date, list[dict]]:
    """Plain text of <TEXT>, the DCT and gold TIMEX3s with character offsets."""
    root = etree.parse(str(path)).getroot()
    dct_node = root.find(".//DCT/TIMEX3")
    dct = dt.date.fromisoformat(dct_node.get("value")[:10])
    text_node = root.find(".//TEXT")
    parts: list[str] = []
    gold: list[dict] = []
    offset = 0

    def walk(node) -> None:
        nonlocal offset
        if node.text:
            start = offset
            parts.append(node.text)
            offset += len(node.text)
        else:
            start = offset
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                offset += len(child.tail)
        if node.tag == "TIMEX3":
            gold.append({"start": start, "end": offset, "type": node.get("type"),
                         "value": node.get("value"), "mod": node.get("mod")})

    if text_node.text:
        parts.append(text_node.text)
        offset += len(text_node.text)
    for child in text_node:
        walk(child)
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    text = "".join(parts)
    for g in gold:
        g["text"] = text[g["start"]:g["end"]]
    return text, dct, gold


def baseline(text: str, dct: dt.date) -> list[dict]:
    """dateparser.search_dates over the raw text, mapped back to offsets."""
    from dateparser.search import search_dates

    found = search_dates(text, languages=["en"], settings={"RELATIVE_BASE": dt.datetime(dct.year, dct.month, dct.day)}) or []
    out, cursor = [], 0
    for surface, when in found:
        start = text.find(surface, cursor)
        if start < 0:
            start = text.find(surface)
            if start < 0:
                continue
        else:
            cursor = start + len(surface)
        out.append({"start": start, "end": start + len(surface), "type": "DATE", "value": when.date().isoformat(),
                    "text": surface})
    return out


def match(gold: list[dict], pred: list[dict]) -> dict:
    """Counts for strict and relaxed matching plus value/type agreement on relaxed pairs."""
    strict = len({(g["start"], g["end"]) for g in gold} & {(p["start"], p["end"]) for p in pred})
    used: set[int] = set()
    pairs = []
    for g in gold:
        best = None
        for i, p in enumerate(pred):
            if i in used or p["end"] <= g["start"] or g["end"] <= p["start"]:
                continue
            exact = (p["start"], p["end"]) == (g["start"], g["end"])
            if best is None or exact:
                best = i
                if exact:
                    break
        if best is not None:
            used.add(best)
            pairs.append((g, pred[best]))
    return {
        "gold": len(gold), "pred": len(pred), "strict": strict, "relaxed": len(pairs),
        "value": sum(g["value"] == p["value"] for g, p in pairs),
        "type": sum(g["type"] == p["type"] for g, p in pairs),
    }


def scores(c: dict) -> dict:
    def prf(hit: int) -> tuple[float, float, float]:
        p = hit / c["pred"] if c["pred"] else 0.0
        r = hit / c["gold"] if c["gold"] else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    sp, sr, sf = prf(c["strict"])
    rp, rr, rf = prf(c["relaxed"])
    value_acc = c["value"] / c["relaxed"] if c["relaxed"] else 0.0
    type_acc = c["type"] / c["relaxed"] if c["relaxed"] else 0.0
    return {"strict_p": sp, "strict_r": sr, "strict_f1": sf, "relaxed_p": rp, "relaxed_r": rr, "relaxed_f1": rf,
            "value_acc": value_acc, "type_acc": type_acc, "value_f1": rf * value_acc}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="tbaq")
    parser.add_argument("--limit", type=int, default=0, help="first N documents only (0 = all)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the (slow) dateparser baseline")
    parser.add_argument("--freeze", type=Path, help="write per-document predictions (JSON Lines) here")
    parser.add_argument("--errors", type=int, default=0, help="print up to N span/value errors")
    args = parser.parse_args()

    root = eval_dir() / "tempeval3" / "tbaq-cleaned"
    if not root.is_dir():
        sys.exit(f"TempEval-3 data not found at {root} (set SANCTIONS_SHARED)")
    files = sorted(p for sub in SPLITS[args.split] for p in (root / sub).glob("*.tml"))
    if args.limit:
        files = files[:args.limit]

    ours = {k: 0 for k in ("gold", "pred", "strict", "relaxed", "value", "type")}
    base = dict(ours)
    seconds = {"ours": 0.0, "baseline": 0.0}
    errors: list[str] = []
    frozen = []
    for path in files:
        text, dct, gold = parse_tml(path)
        t0 = time.perf_counter()
        pred = find_dates(text, "en", dct)
        seconds["ours"] += time.perf_counter() - t0
        for k, v in match(gold, pred).items():
            ours[k] += v
        frozen.append({"doc": path.stem, "dct": dct.isoformat(),
                       "pred": [{k: p[k] for k in ("start", "end", "type", "value", "mod")} for p in pred]})
        if args.errors and len(errors) < args.errors:
            errors.extend(_errors(path.stem, text, gold, pred))
        if not args.no_baseline:
            t0 = time.perf_counter()
            bpred = baseline(text, dct)
            seconds["baseline"] += time.perf_counter() - t0
            for k, v in match(gold, bpred).items():
                base[k] += v

    rows = [("find_dates (rules)", scores(ours), ours, seconds["ours"])]
    if not args.no_baseline:
        rows.append(("dateparser search_dates", scores(base), base, seconds["baseline"]))
    print(f"TempEval-3 {args.split}: {len(files)} documents, {ours['gold']} gold TIMEX3\n")
    print("| system | strict P | strict R | strict F1 | relaxed P | relaxed R | relaxed F1 | value acc | type acc | value F1 | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, s, c, secs in rows:
        print(f"| {name} | {s['strict_p']:.3f} | {s['strict_r']:.3f} | {s['strict_f1']:.3f} | {s['relaxed_p']:.3f} | "
              f"{s['relaxed_r']:.3f} | {s['relaxed_f1']:.3f} | {s['value_acc']:.3f} | {s['type_acc']:.3f} | "
              f"{s['value_f1']:.3f} | {secs:.1f} |")
    if errors:
        print("\nerrors (kind | gold | predicted):")
        for line in errors[:args.errors]:
            print(line)
    if args.freeze:
        args.freeze.parent.mkdir(parents=True, exist_ok=True)
        with open(args.freeze, "w", encoding="utf-8") as fh:
            for row in frozen:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"\nfrozen predictions: {args.freeze}")


def _errors(doc: str, text: str, gold: list[dict], pred: list[dict]) -> list[str]:
    out = []
    pred_spans = {(p["start"], p["end"]): p for p in pred}
    for g in gold:
        p = pred_spans.get((g["start"], g["end"]))
        ctx = re.sub(r"\s+", " ", text[max(0, g["start"] - 30):g["end"] + 20])
        if p is None:
            over = [q for q in pred if q["start"] < g["end"] and g["start"] < q["end"]]
            got = f"{over[0]['text']!r} {over[0]['value']}" if over else "-"
            out.append(f"MISS  {doc} | {g['text']!r} {g['type']} {g['value']} | {got} | …{ctx}…")
        elif p["value"] != g["value"]:
            out.append(f"VALUE {doc} | {g['text']!r} {g['type']} {g['value']} | {p['type']} {p['value']} | …{ctx}…")
    gold_spans = [(g["start"], g["end"]) for g in gold]
    for p in pred:
        if not any(p["start"] < e and s < p["end"] for s, e in gold_spans):
            ctx = re.sub(r"\s+", " ", text[max(0, p["start"] - 30):p["end"] + 20])
            out.append(f"FP    {doc} | - | {p['text']!r} {p['type']} {p['value']} | …{ctx}…")
    return out


if __name__ == "__main__":
    main()
