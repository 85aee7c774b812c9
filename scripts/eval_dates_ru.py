"""Evaluate ``nlp.extract.dates.find_dates`` on the Russian dates development set.

Reads ``corpus/gold/dates_ru_dev.jsonl``: project-written Russian news-style
sentences, one JSON object a line (``id``, ``text``, ``published`` or null,
``timex``: gold expressions with ``start``, ``end``, ``text``, ``type``,
``value``). The extents follow the project's TimeML conventions (a
preposition before an expression stays outside; "года" after a year and
position words such as "конце" are inside; an expression without an anchor
gets a value without a year, ``XXXX-06-18``). The set covers the kinds named
in docs/extract_dates.md: relative periods, forward-looking "1 января",
halves, numbers that only look like dates, abbreviated months, date + clock
time, sets, weekday + date, month ranges with a closing year and
"того же года".

Prints the TempEval-3 style table of ``scripts/eval_dates.py`` (strict and
relaxed P/R/F1, value and type accuracy on relaxed matches, value F1) and,
with ``--errors``, every missed, spurious or mis-valued expression.

Run: ``python scripts/eval_dates_ru.py [--gold FILE] [--errors]``
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from eval_dates import match, scores  # noqa: E402

from nlp.extract.dates import find_dates  # noqa: E402

GOLD = REPO / "corpus" / "gold" / "dates_ru_dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--errors", action="store_true", help="print missed, spurious and mis-valued expressions")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    total = {"gold": 0, "pred": 0, "strict": 0, "relaxed": 0, "value": 0, "type": 0}
    for row in rows:
        pred = find_dates(row["text"], row.get("lang", "ru"), row.get("published"))
        counts = match(row["timex"], pred)
        for key in total:
            total[key] += counts[key]
        if args.errors:
            gold_spans = {(g["start"], g["end"]): g for g in row["timex"]}
            pred_spans = {(p["start"], p["end"]): p for p in pred}
            for span, g in gold_spans.items():
                p = pred_spans.get(span)
                if p is None:
                    print(f"MISS  {row['id']} {g['text']!r} {g['type']} {g['value']} | {row['text']}")
                elif (p["value"], p["type"]) != (g["value"], g["type"]):
                    print(f"VALUE {row['id']} {g['text']!r} gold {g['type']} {g['value']} got {p['type']} {p['value']}")
            for span, p in pred_spans.items():
                if span not in gold_spans:
                    print(f"SPUR  {row['id']} {p['text']!r} {p['type']} {p['value']} | {row['text']}")
    s = scores(total)
    print(f"{args.gold.name}: {len(rows)} sentences, {total['gold']} gold expressions\n")
    print("| strict P | strict R | strict F1 | relaxed F1 | value acc | type acc | value F1 |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {s['strict_p']:.3f} | {s['strict_r']:.3f} | {s['strict_f1']:.3f} | {s['relaxed_f1']:.3f} "
          f"| {s['value_acc']:.3f} | {s['type_acc']:.3f} | {s['value_f1']:.3f} |")


if __name__ == "__main__":
    main()
