"""Build the claim-verification gold set (``corpus/gold/claims_gold.jsonl``).

How the expected answers are made, independently of ``nlp.link``:

* Statements are written from templates (English and Russian) about EU
  exports of a product group to a partner in a period compared with a
  baseline period.
* The expected verdict is computed here with the ``csv`` module straight from
  the facts-only Comext extract ``corpus/samples/eu_exports_chp_items_
  monthly_2020-2022.csv`` (built from the shared corpus by
  ``scripts/build_demo_samples.py``): sum the EUR values of the CN8 codes
  under the product's HS codes for the partner over the window months and
  over the baseline months (months absent from the extract count as 0, as
  they carry no reported trade), and compare the totals. Where the extract
  ends inside the window (it ends 2022-11: Eurostat had not published
  December 2022), both the window and the baseline are cut by the same
  number of months at their ends (like-for-like, year-to-date). The statement's
  direction is chosen true or false alternately; pairs whose change is
  within ±15 % are left out so the label does not hinge on a threshold.
* Hand-written paraphrases (``PARAPHRASES``) vary the wording, word order,
  verbs and the way periods are written; their expected verdicts are
  computed the same way from the frame written next to each.
* ``no_data`` items name periods outside the data (2024) or a transit route
  (via Kazakhstan to Russia) for which no series by code exists.
* The expected frame lists the fields a reader would write down: flow,
  reporter, partner, transit, direction, codes (or the CHP item set), and
  the window and baseline as calendar intervals.

Rerun: ``python scripts/build_claims_gold.py``.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FACTS = REPO / "corpus" / "samples" / "eu_exports_chp_items_monthly_2020-2022.csv"
CHP = REPO / "nlp" / "data" / "chp_items.csv"
OUT = REPO / "corpus" / "gold" / "claims_gold.jsonl"
PUBLISHED = "2023-06-01"

PRODUCTS = {
    "8542": ("integrated circuits (HS 8542)", "микросхем (ТН ВЭД 8542)"),
    "8471": ("computers (HS 8471)", "компьютеров (ТН ВЭД 8471)"),
    "8517": ("telephone equipment (HS 8517)", "телефонной аппаратуры (ТН ВЭД 8517)"),
    "9013": ("optical instruments (HS 9013)", "оптических приборов (ТН ВЭД 9013)"),
    "8525": ("cameras (HS 8525)", "камер (ТН ВЭД 8525)"),
    "CHP": ("Common High Priority items", "товаров общего высокого приоритета"),
}
PARTNERS = {"KZ": ("Kazakhstan", "Казахстан"), "KG": ("Kyrgyzstan", "Кыргызстан"),
            "AM": ("Armenia", "Армению"), "RU": ("Russia", "Россию")}
PERIODS_EN = [
    ("in 2022", "2021", ("2022-01-01", "2022-12-31"), ("2021-01-01", "2021-12-31")),
    ("in 2021", "2020", ("2021-01-01", "2021-12-31"), ("2020-01-01", "2020-12-31")),
    ("in the second half of 2022", "the second half of 2021",
     ("2022-07-01", "2022-12-31"), ("2021-07-01", "2021-12-31")),
]
PERIODS_RU = [
    ("в 2022 году", "2021 годом", ("2022-01-01", "2022-12-31"), ("2021-01-01", "2021-12-31")),
    ("в 2021 году", "2020 годом", ("2021-01-01", "2021-12-31"), ("2020-01-01", "2020-12-31")),
]
WORDS = {"en": {"increase": "increased", "decrease": "decreased"},
         "ru": {"increase": "вырос", "decrease": "сократился"}}


def load() -> tuple[dict, set[str]]:
    totals: dict[tuple[str, str, str], float] = defaultdict(float)
    for row in csv.DictReader(FACTS.open(encoding="utf-8")):
        totals[(row["partner"], row["product_code"], row["period"])] += float(row["value"])
    chp = {row["hs6"] for row in csv.DictReader(CHP.open(encoding="utf-8"))}
    return totals, chp


def window_sum(totals, partner: str, prefixes: list[str], first: str, last: str) -> float:
    return sum(v for (p, code, period), v in totals.items()
               if p == partner and first[:7] <= period <= last[:7] and any(code.startswith(x) for x in prefixes))


# (lang, statement, partner, HS prefix or "CHP", stated direction, window, baseline)
PARAPHRASES = [
    ("en", "Shipments of microchips from the EU to Kazakhstan more than doubled in 2022 compared to 2021.",
     "KZ", "8542", "increase", ("2022-01-01", "2022-12-31"), ("2021-01-01", "2021-12-31")),
    ("en", "In 2022 the EU sold fewer computers to Russia than in 2021.",
     "RU", "8471", "decrease", ("2022-01-01", "2022-12-31"), ("2021-01-01", "2021-12-31")),
    ("en", "Compared with 2021, EU exports of smartphones and other telephone sets (HS 8517) to Armenia grew in 2022.",
     "AM", "8517", "increase", ("2022-01-01", "2022-12-31"), ("2021-01-01", "2021-12-31")),
    ("en", "The EU's exports of CHP goods to Kyrgyzstan declined in the second half of 2022 relative to the second half of 2021.",
     "KG", "CHP", "decrease", ("2022-07-01", "2022-12-31"), ("2021-07-01", "2021-12-31")),
    ("en", "European exports of Common High Priority items to Russia collapsed in the second half of 2022 compared with the same period of 2021.",
     "RU", "CHP", "decrease", ("2022-07-01", "2022-12-31"), ("2021-07-01", "2021-12-31")),
    ("en", "Exports of laptops and other computers from the European Union to Kyrgyzstan fell in 2022 compared with 2021.",
     "KG", "8471", "decrease", ("2022-01-01", "2022-12-31"), ("2021-01-01", "2021-12-31")),
    ("en", "EU sales of integrated circuits to Armenia surged in 2022 versus 2021.",
     "AM", "8542", "increase", ("2022-01-01", "2022-12-31"), ("2021-01-01", "2021-12-31")),
    ("en", "EU exports of optical instruments (HS 9013) to Kyrgyzstan dropped in 2022 compared with 2021.",
     "KG", "9013", "decrease", ("2022-01-01", "2022-12-31"), ("2021-01-01", "2021-12-31")),
    ("ru", "Поставки микросхем из Евросоюза в Армению выросли в 2022 году по сравнению с 2021 годом.",
     "AM", "8542", "increase", ("2022-01-01", "2022-12-31"), ("2021-01-01", "2021-12-31")),
    ("ru", "По сравнению с 2021 годом экспорт компьютеров из ЕС в Россию в 2022 году снизился.",
     "RU", "8471", "decrease", ("2022-01-01", "2022-12-31"), ("2021-01-01", "2021-12-31")),
    ("ru", "Экспорт товаров общего высокого приоритета из ЕС в Кыргызстан во втором полугодии 2022 года вырос по сравнению со вторым полугодием 2021 года.",
     "KG", "CHP", "increase", ("2022-07-01", "2022-12-31"), ("2021-07-01", "2021-12-31")),
    ("ru", "Вывоз телефонов из Евросоюза в Казахстан сократился в 2022 году по сравнению с 2021 годом.",
     "KZ", "8517", "decrease", ("2022-01-01", "2022-12-31"), ("2021-01-01", "2021-12-31")),
]


def like_for_like(window, baseline, last_month: str):
    """Cut window and baseline ends by the months the data lack."""
    if window[1][:7] <= last_month:
        return window, baseline
    missing = (int(window[1][:4]) * 12 + int(window[1][5:7])) - (int(last_month[:4]) * 12 + int(last_month[5:7]))

    def back(day: str) -> str:
        index = int(day[:4]) * 12 + int(day[5:7]) - 1 - missing
        return f"{index // 12:04d}-{index % 12 + 1:02d}-28"

    return (window[0], back(window[1])), (baseline[0], back(baseline[1]))


def main() -> None:
    totals, chp = load()
    last_month = max(period for _, _, period in totals)
    items, flip = [], 0
    for lang, periods in (("en", PERIODS_EN), ("ru", PERIODS_RU)):
        for product, (en_word, ru_word) in PRODUCTS.items():
            prefixes = sorted(chp) if product == "CHP" else [product]
            for partner, (en_country, ru_country) in PARTNERS.items():
                for window_text, base_text, window, baseline in periods:
                    cut_window, cut_baseline = like_for_like(window, baseline, last_month)
                    now = window_sum(totals, partner, prefixes, *cut_window)
                    before = window_sum(totals, partner, prefixes, *cut_baseline)
                    if before <= 0 or abs(now / before - 1) < 0.15:
                        continue
                    actual = "increase" if now > before else "decrease"
                    flip += 1
                    stated = actual if flip % 2 else ("decrease" if actual == "increase" else "increase")
                    verb = WORDS[lang][stated]
                    if lang == "en":
                        claim = (f"EU exports of {en_word} to {en_country} {verb} {window_text} "
                                 f"compared with {base_text}.")
                    else:
                        claim = (f"Экспорт {ru_word} из ЕС в {ru_country} {verb} {window_text} "
                                 f"по сравнению с {base_text}.")
                    items.append({
                        "id": f"{lang}-{product}-{partner}-{window[0][:7]}",
                        "claim": claim, "lang": lang, "published": PUBLISHED,
                        "expected": {
                            "verdict": "supported" if stated == actual else "contradicted",
                            "flow": "export", "reporter": "EU27", "partner": partner, "transit": None,
                            "direction": stated,
                            "codes": None if product == "CHP" else [product],
                            "item_set": "chp" if product == "CHP" else None,
                            "period": list(window), "baseline": list(baseline),
                        },
                        "computed": {"window_total_eur": round(now), "baseline_total_eur": round(before),
                                     "change_pct": round((now / before - 1) * 100, 1)},
                    })
    for number, (lang, claim, partner, product, stated, window, baseline) in enumerate(PARAPHRASES, 1):
        prefixes = sorted(chp) if product == "CHP" else [product]
        cut_window, cut_baseline = like_for_like(window, baseline, last_month)
        now = window_sum(totals, partner, prefixes, *cut_window)
        before = window_sum(totals, partner, prefixes, *cut_baseline)
        actual = "increase" if now > before else "decrease"
        assert before > 0 and abs(now / before - 1) >= 0.15, claim  # keep labels off the threshold
        items.append({
            "id": f"{lang}-paraphrase-{number}", "claim": claim, "lang": lang, "published": PUBLISHED,
            "expected": {"verdict": "supported" if stated == actual else "contradicted", "flow": "export",
                         "reporter": "EU27", "partner": partner, "transit": None, "direction": stated,
                         "codes": None if product == "CHP" else [product],
                         "item_set": "chp" if product == "CHP" else None,
                         "period": list(window), "baseline": list(baseline)},
            "computed": {"window_total_eur": round(now), "baseline_total_eur": round(before),
                         "change_pct": round((now / before - 1) * 100, 1)},
        })
    no_data = [
        ("en", "EU exports of integrated circuits (HS 8542) to Kazakhstan increased in 2024 compared with 2023.",
         {"partner": "KZ", "reporter": "EU27", "transit": None, "direction": "increase", "codes": ["8542"],
          "period": ["2024-01-01", "2024-12-31"], "baseline": ["2023-01-01", "2023-12-31"]}),
        ("en", "Re-exports of integrated circuits (HS 8542) via Kazakhstan to Russia increased in 2022 compared with 2021.",
         {"partner": "RU", "reporter": None, "transit": "KZ", "direction": "increase", "codes": ["8542"],
          "period": ["2022-01-01", "2022-12-31"], "baseline": ["2021-01-01", "2021-12-31"]}),
        ("en", "Trade of Common High Priority items via Kyrgyzstan to Russia decreased in 2022 compared with 2021.",
         {"partner": "RU", "reporter": None, "transit": "KG", "direction": "decrease", "codes": None,
          "item_set": "chp", "period": ["2022-01-01", "2022-12-31"], "baseline": ["2021-01-01", "2021-12-31"]}),
        ("en", "EU exports of computers (HS 8471) to Armenia decreased in 2023 compared with 2022.",
         {"partner": "AM", "reporter": "EU27", "transit": None, "direction": "decrease", "codes": ["8471"],
          "period": ["2023-01-01", "2023-12-31"], "baseline": ["2022-01-01", "2022-12-31"]}),
        ("ru", "Реэкспорт микросхем (ТН ВЭД 8542) через Казахстан в Россию вырос в 2022 году по сравнению с 2021 годом.",
         {"partner": "RU", "reporter": None, "transit": "KZ", "direction": "increase", "codes": ["8542"],
          "period": ["2022-01-01", "2022-12-31"], "baseline": ["2021-01-01", "2021-12-31"]}),
        ("ru", "Экспорт компьютеров (ТН ВЭД 8471) из ЕС в Казахстан вырос в 2024 году по сравнению с 2023 годом.",
         {"partner": "KZ", "reporter": "EU27", "transit": None, "direction": "increase", "codes": ["8471"],
          "period": ["2024-01-01", "2024-12-31"], "baseline": ["2023-01-01", "2023-12-31"]}),
    ]
    for number, (lang, claim, frame) in enumerate(no_data, 1):
        flow = "re-export" if frame["transit"] else "export"
        items.append({"id": f"{lang}-nodata-{number}", "claim": claim, "lang": lang, "published": "2025-03-01",
                      "expected": {"verdict": "no_data", "flow": flow, "item_set": frame.pop("item_set", None),
                                   **frame}})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    verdicts = defaultdict(int)
    for item in items:
        verdicts[(item["lang"], item["expected"]["verdict"])] += 1
    print(f"wrote {OUT.relative_to(REPO)}: {len(items)} claims; " +
          ", ".join(f"{k[0]} {k[1]} {v}" for k, v in sorted(verdicts.items())))


if __name__ == "__main__":
    main()
