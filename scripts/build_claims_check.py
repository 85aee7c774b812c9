"""Build ``corpus/gold/claims_natural_check.jsonl``: a check set of natural trade
statements (English and Russian) with verdicts computed from the Eurostat Comext
CN8 workbooks (``$SANCTIONS_SHARED/corpus/trade_stats/eu_eurostat_comext_ruimpeks``).

The statements and their intended frames are written by hand below, in phrasings the
natural development set does not use (other verbs and nouns for a change, other
period names, other product words and code formats, nominal and passive shapes).
Only the figures and the verdicts are computed, with pandas, following the verdict
rules of the development set's README:

* figure of a frame = sum over the 27 member-state reporters, over every CN8 code
  whose first six digits are in ``product_hs6`` (or the one CN8 code named), over
  every month of the period; ``:`` counts as 0;
* r = window / baseline, c = r - 1; ``dir`` supported at r >= 1.25 the claimed way,
  contradicted at a 25% change the other way; ``more`` X: supported r >= 1.2X,
  contradicted r <= 0.8X; ``less`` X: supported r <= 0.8X, contradicted r >= 1.2X;
  ``times`` X: supported |r/X - 1| <= 0.15, contradicted r <= 0.75X or r >= 1.5X;
  ``pct`` p: supported |c - p| <= 0.06, contradicted |c - p| >= 0.25; ``flat``:
  supported |c| <= 0.05, contradicted |c| >= 0.25.

A statement in a grey zone, with a larger figure under EUR 150,000, or whose codes
lack figures over either period stops the script. ``no_data`` statements name a
reporter, partner, flow, year or product the workbooks do not hold.

    python scripts/build_claims_check.py                 # reads the workbooks (minutes)
    CLAIMS_COMEXT_FLAT=flat.json python scripts/build_claims_check.py   # cached flattening
    python scripts/build_claims_check.py --write-flat flat.json
"""

from __future__ import annotations

import collections
import json
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "corpus" / "gold" / "claims_natural_check.jsonl"
SHARED = Path(os.environ.get("SANCTIONS_SHARED", REPO.parent / "shared"))
COMEXT = SHARED / "corpus" / "trade_stats" / "eu_eurostat_comext_ruimpeks"
MIN_EUR = 150_000
FIRST, LAST = "2020-01", "2022-11"


def flatten(folder: Path) -> dict[str, float]:
    """(cn8|reporter|partner|YYYY-MM) -> EUR, from the Comext sheets read with pandas."""
    import pandas as pd

    data: dict[str, float] = collections.defaultdict(float)
    for path in sorted(folder.glob("comext_*.xlsx")):
        for name, frame in pd.read_excel(path, sheet_name=None, header=None, dtype=object).items():
            if not name.startswith("Sheet"):
                continue
            months: list[str] | None = None
            code = None
            for row in frame.itertuples(index=False):
                cells = list(row)
                head = cells[0] if isinstance(cells[0], str) else None
                if head == "PRODUCT [PRODUCT]":
                    m = re.search(r"\[(\d{8})\]\s*$", str(cells[2]))
                    code = m.group(1) if m else None
                if head == "TIME":
                    months = [c for c in cells[2:] if isinstance(c, str) and re.match(r"\d{4}-\d\d$", c)]
                elif (months and head and code and isinstance(cells[1], str)
                      and not head.startswith(("REPORTER", "Special", "Observation", ":"))):
                    for month, value in zip(months, cells[2:2 + len(months)]):
                        if isinstance(value, (int, float)) and value == value:
                            data["|".join((code, head, cells[1], month))] += float(value)
    return data


def load() -> dict[str, float]:
    cached = os.environ.get("CLAIMS_COMEXT_FLAT")
    if cached and Path(cached).exists():
        return json.loads(Path(cached).read_text())
    data = flatten(COMEXT)
    if "--write-flat" in sys.argv:
        Path(sys.argv[sys.argv.index("--write-flat") + 1]).write_text(json.dumps(data))
    return data


def month_list(first: str, last: str) -> list[str]:
    y, m = map(int, first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


class Figures:
    """Sums over the flattened workbooks, indexed by (code prefix, partner)."""

    def __init__(self, flat: dict[str, float]):
        self.by: dict[tuple[str, str, str], float] = collections.defaultdict(float)
        self.partners: set[str] = set()
        self.codes: set[str] = set()
        for key, value in flat.items():
            code, _reporter, partner, month = key.split("|")
            self.by[(code, partner, month)] += value
            self.partners.add(partner)
            self.codes.add(code)

    def partner_label(self, short: str) -> str:
        hits = [p for p in self.partners if p.split(" (")[0] == short or f"({short})" in p]
        assert len(hits) == 1, (short, hits)
        return hits[0]

    def cn8(self, prefixes: list[str]) -> list[str]:
        return sorted(c for c in self.codes if any(c.startswith(p) for p in prefixes))

    def total(self, prefixes: list[str], partner: str, period: tuple[str, str]) -> float:
        label = self.partner_label(partner)
        codes = self.cn8(prefixes)
        return sum(self.by.get((c, label, m), 0.0) for c in codes for m in month_list(*period))

    def covered(self, prefix: str, partner: str, period: tuple[str, str]) -> bool:
        """A code has figures over a period when some partner has a non-zero month at or before
        its start and at or after its end (HS2017/HS2022 codes exist only part of the span)."""
        codes = self.cn8([prefix])
        months = [m for (c, _p, m), v in self.by.items() if c in codes and v]
        return bool(months) and min(months) <= period[0] and max(months) >= period[1][:7]


def verdict(kind: str, x: float | None, direction: str, r: float) -> str:
    c = r - 1
    if kind == "dir":
        if direction == "up":
            return "supported" if r >= 1.25 else "contradicted" if r <= 0.75 else "grey"
        return "supported" if r <= 0.75 else "contradicted" if r >= 1.25 else "grey"
    assert x is not None
    if kind == "more":
        return "supported" if r >= 1.2 * x else "contradicted" if r <= 0.8 * x else "grey"
    if kind == "less":
        return "supported" if r <= 0.8 * x else "contradicted" if r >= 1.2 * x else "grey"
    if kind == "times":
        return ("supported" if abs(r / x - 1) <= 0.15 else
                "contradicted" if r <= 0.75 * x or r >= 1.5 * x else "grey")
    if kind == "pct":
        return "supported" if abs(c - x) <= 0.06 else "contradicted" if abs(c - x) >= 0.25 else "grey"
    if kind == "flat":
        return "supported" if abs(c) <= 0.05 else "contradicted" if abs(c) >= 0.25 else "grey"
    raise ValueError(kind)


PRODUCTS = {
    "ic": ["854231", "854232", "854233", "854239"], "proc": ["854231"], "mem": ["854232"],
    "amp": ["854233"], "ico": ["854239"], "router": ["851762"], "comm": ["851769"], "nav": ["852691"],
    "adp": ["847150"], "adpo": ["847180"], "ant": ["852910"], "diode": ["854110"], "t1": ["854121"],
    "t2": ["854129"], "sens": ["854151"], "air": ["880730"], "scope": ["901310"], "opt": ["901380"],
    "bear": ["848220"], "cn85423190": ["85423190"], "cn84718000": ["84718000"],
    # not in the workbooks (no_data): ball bearings, tantalum capacitors
    "ballbear": ["848210"], "tantal": ["853221"], "liion": ["850760"], "lathe": ["8458"],
    # seventh batch: non-CHP goods the workbooks also hold, named by HS nomenclature words or codes
    "laptop": ["847130"], "phone": ["851713"], "basest": ["851761"], "tv": ["852872"], "car": ["8703"],
    "car1530": ["870323"], "ev": ["870380"], "heli": ["880211", "880212"], "wash": ["8450"],
    "micro": ["851650"], "coffee": ["851671"], "vac": ["8508"], "printer": ["844331", "844332"],
    "rail": ["8607"], "wheel": ["860719"], "watch": ["9101", "9102"], "survey": ["9015"], "rangef": ["901510"],
    "valves": ["848120"], "flowm": ["902610"],
    # not in the workbooks (no_data): turbojets and gas turbines, pumps for liquids
    "turbine": ["8411"], "pump": ["8413"],
    # eighth batch
    "storage": ["847170"], "io": ["847160"], "gears": ["848340"], "wiring": ["854430"], "binoc": ["900510"],
    "camera": ["9006"], "hearing": ["902140"],
}


def Y(y: int) -> tuple[str, str]:
    return (f"{y}-01", f"{y}-12")


def JN(y: int) -> tuple[str, str]:
    return (f"{y}-01", f"{y}-11")


def H(y: int, h: int) -> tuple[str, str]:
    return (f"{y}-{6 * h - 5:02d}", f"{y}-{6 * h:02d}")


def Q(y: int, q: int) -> tuple[str, str]:
    return (f"{y}-{3 * q - 2:02d}", f"{y}-{3 * q:02d}")


def JS(y: int) -> tuple[str, str]:
    return (f"{y}-01", f"{y}-09")


def JO(y: int) -> tuple[str, str]:
    return (f"{y}-01", f"{y}-10")


def M(s: str) -> tuple[str, str]:
    return (s, s)


MN21, MN22 = ("2021-03", "2021-11"), ("2022-03", "2022-11")

# id, lang, claim, published, partner, product, window, baseline, period_type, kind, x, direction, named_by
STATEMENTS = [
    ("ck01", "en", "Eurostat figures show a roughly 77% plunge in EU exports of integrated circuits to the "
     "Russian Federation in January-November 2022 from the same period of 2021.", "2023-02-20",
     "Russia", "ic", JN(2022), JN(2021), "jan-nov", "pct", -0.77, "down", "words"),
    ("ck02", "en", "EU shipments of network switches and routers to Kazakhstan surged about 75% in Q3 2022 "
     "vs Q2.", "2022-12-01", "Kazakhstan", "router", Q(2022, 3), Q(2022, 2), "quarter-on-quarter",
     "pct", 0.75, "up", "words"),
    ("ck03", "en", "Microprocessor exports from the EU to Kazakhstan edged up by about a fifth in H1 2022 "
     "year-on-year.", "2022-09-15", "Kazakhstan", "proc", H(2022, 1), H(2021, 1), "half-yoy",
     "pct", 0.2, "up", "words"),
    ("ck04", "en", "In the nine months after the invasion, March through November 2022, EU exports of DRAM and "
     "other memory chips to Russia plunged by more than 95% compared with the same months of 2021.",
     "2023-01-30", "Russia", "mem", MN22, MN21, "after-invasion", "less", 0.05, "down", "words"),
    ("ck05", "en", "EU exports of processing units for computers to Russia barely budged in 2021 from 2020, "
     "Eurostat data indicate.", "2022-03-10", "Russia", "adp", Y(2021), Y(2020), "year", "flat", 0.0,
     "flat", "words"),
    ("ck06", "en", "EU deliveries of radio-navigation equipment to Kazakhstan increased about five times over "
     "in January-November 2022 on a year earlier.", "2023-02-02", "Kazakhstan", "nav", JN(2022), JN(2021),
     "jan-nov", "times", 5.0, "up", "words"),
    ("ck07", "en", "Sales of aircraft components from the EU to Kazakhstan climbed in the July-September "
     "quarter of 2022 compared with April-June.", "2022-12-12", "Kazakhstan", "air", Q(2022, 3), Q(2022, 2),
     "quarter-on-quarter", "dir", None, "up", "words"),
    ("ck08", "en", "EU exports of semiconductor sensors to Russia dropped in the second quarter of 2022 from "
     "the first.", "2022-09-01", "Russia", "sens", Q(2022, 2), Q(2022, 1), "quarter-on-quarter", "dir", None,
     "down", "words"),
    ("ck09", "en", "EU exports of taper roller bearings to Russia rose some 80% month on month in May 2022.",
     "2022-08-01", "Russia", "bear", M("2022-05"), M("2022-04"), "month-on-month", "pct", 0.8, "up", "words"),
    ("ck10", "en", "Exports of goods under 8542 31 00 from the EU to Georgia roughly doubled quarter on "
     "quarter in Q3 2022.", "2022-12-05", "Georgia", "proc", Q(2022, 3), Q(2022, 2), "quarter-on-quarter",
     "times", 2.0, "up", "code"),
    ("ck11", "en", "EU exports to Kazakhstan under CN 8517 69 increased fivefold in January-November 2022 vs "
     "the same period a year earlier.", "2023-01-25", "Kazakhstan", "comm", JN(2022), JN(2021), "jan-nov",
     "times", 5.0, "up", "code"),
    ("ck12", "en", "EU exports of CN 8471 80 00 units to Russia went up in the final quarter of 2021, year on "
     "year.", "2022-03-01", "Russia", "cn84718000", Q(2021, 4), Q(2020, 4), "quarter-yoy", "dir", None, "up",
     "code"),
    ("ck13", "en", "EU exports of optical devices and instruments not specified elsewhere to Russia grew by "
     "roughly 35 percent in 2021 compared to 2020.", "2022-04-04", "Russia", "opt", Y(2021), Y(2020), "year",
     "pct", 0.35, "up", "words"),
    ("ck14", "en", "EU exports of power transistors to Belarus were broadly unchanged in the first half of "
     "2021 year-on-year.", "2021-10-01", "Belarus", "t2", H(2021, 1), H(2020, 1), "half-yoy", "flat", 0.0,
     "flat", "words"),
    ("ck15", "en", "Router exports from the EU to Armenia were about 4.5 times higher in Q3 2022 than in "
     "Q3 2021.", "2022-12-20", "Armenia", "router", Q(2022, 3), Q(2021, 3), "quarter-yoy", "times", 4.5, "up",
     "words"),
    ("ck16", "en", "Chip exports from the EU to Kyrgyzstan skyrocketed more than tenfold in January-November "
     "2022 compared with a year before.", "2023-02-10", "Kyrgyzstan", "ic", JN(2022), JN(2021), "jan-nov",
     "more", 10.0, "up", "words"),
    ("ck17", "en", "Between March and November 2022, the first nine months after the invasion, EU exports of "
     "computer processing units to Kazakhstan edged up only about 10% year on year.", "2023-01-18",
     "Kazakhstan", "adp", MN22, MN21, "after-invasion", "pct", 0.1, "up", "words"),
    ("ck18", "en", "EU microprocessor exports to Russia slumped by over 90% in the second quarter of 2022 "
     "from the previous quarter.", "2022-09-05", "Russia", "proc", Q(2022, 2), Q(2022, 1),
     "quarter-on-quarter", "less", 0.1, "down", "words"),
    ("ck19", "en", "A modest 10% dip in EU router exports to Russia in H1 2022 year-on-year shows how little "
     "the sanctions bit, Eurostat data suggest.", "2022-09-20", "Russia", "router", H(2022, 1), H(2021, 1),
     "half-yoy", "pct", -0.1, "down", "words"),
    ("ck20", "en", "EU antenna exports to Uzbekistan surged in January-November 2022 from a year earlier.",
     "2023-02-15", "Uzbekistan", "ant", JN(2022), JN(2021), "jan-nov", "dir", None, "up", "words"),
    ("ck21", "en", "Exports of low-power transistors from the EU to Russia increased by half in 2021 over "
     "2020.", "2022-03-15", "Russia", "t1", Y(2021), Y(2020), "year", "pct", 0.5, "up", "words"),
    ("ck22", "en", "Exports under CN 8542.31.90 from the EU to Russia fell by about four-fifths in "
     "January-November 2022 compared with January-November 2021.", "2023-02-01", "Russia", "cn85423190",
     JN(2022), JN(2021), "jan-nov", "pct", -0.8, "down", "code"),
    ("ck23", "en", "EU amplifier chip sales to Kazakhstan jumped roughly sevenfold in the first eleven months "
     "of 2022, year-on-year.", "2023-01-12", "Kazakhstan", "amp", JN(2022), JN(2021), "jan-nov", "times", 7.0,
     "up", "words"),
    ("ck24", "en", "Shipments of microchips from the EU to Georgia almost tripled in Q3 2022 versus Q3 2021.",
     "2022-12-15", "Georgia", "ic", Q(2022, 3), Q(2021, 3), "quarter-yoy", "times", 3.0, "up", "words"),
    ("ck25", "en", "EU exports of antennas to the Russian Federation halved in January-November 2022 compared "
     "with the same period of 2021.", "2023-02-06", "Russia", "ant", JN(2022), JN(2021), "jan-nov", "times",
     0.5, "down", "words"),
    ("ck26", "en", "European Union chip exports to Armenia rose by about 50% in the first half of 2022 "
     "year-on-year.", "2022-09-10", "Armenia", "ic", H(2022, 1), H(2021, 1), "half-yoy", "pct", 0.5, "up",
     "words"),
    ("ck27", "en", "Memory chip deliveries from the EU to Belarus went up in 2021 compared with 2020.",
     "2022-02-25", "Belarus", "mem", Y(2021), Y(2020), "year", "dir", None, "up", "words"),
    ("ck28", "en", "EU rifle scope exports to Kazakhstan declined in 2021 against 2020.", "2022-03-03",
     "Kazakhstan", "scope", Y(2021), Y(2020), "year", "dir", None, "down", "words"),
    ("ck29", "ru", "Во втором полугодии 2021 года поставки микросхем из ЕС в РФ увеличились примерно на 20% "
     "по сравнению со вторым полугодием 2020 года.", "2022-03-01", "Russia", "ic", H(2021, 2), H(2020, 2),
     "half-yoy", "pct", 0.2, "up", "words"),
    ("ck30", "ru", "В III квартале 2022 года экспорт маршрутизаторов и коммутаторов из ЕС в Казахстан вырос "
     "в 2,2 раза в годовом выражении.", "2022-12-10", "Kazakhstan", "router", Q(2022, 3), Q(2021, 3),
     "quarter-yoy", "times", 2.2, "up", "words"),
    ("ck31", "ru", "В октябре 2022 года поставки процессоров из Евросоюза в Российскую Федерацию обвалились "
     "по сравнению с октябрём 2021 года.", "2023-01-10", "Russia", "proc", M("2022-10"), M("2021-10"),
     "month-yoy", "dir", None, "down", "words"),
    ("ck32", "ru", "С марта по ноябрь 2022 года экспорт оптических прицелов из ЕС в Россию упал более чем на "
     "90% по сравнению с теми же месяцами 2021 года.", "2023-01-20", "Russia", "scope", MN22, MN21,
     "after-invasion", "less", 0.1, "down", "words"),
    ("ck33", "ru", "Поставки авиазапчастей из ЕС в Армению в июле–ноябре 2022 года увеличились в разы по "
     "сравнению с февралём–июнем.", "2023-01-15", "Armenia", "air", ("2022-07", "2022-11"),
     ("2022-02", "2022-06"), "five-months-sequential", "dir", None, "up", "words"),
    ("ck34", "ru", "Снижение экспорта мощных транзисторов из ЕС в Россию в первом полугодии 2022 года "
     "составило около 60% в годовом выражении.", "2022-09-12", "Russia", "t2", H(2022, 1), H(2021, 1),
     "half-yoy", "pct", -0.6, "down", "words"),
    ("ck35", "ru", "Экспорт прочих интегральных схем из ЕС в Казахстан в III квартале 2022 года вырос в 10 раз "
     "по сравнению с III кварталом 2021 года.", "2022-12-22", "Kazakhstan", "ico", Q(2022, 3), Q(2021, 3),
     "quarter-yoy", "times", 10.0, "up", "words"),
    ("ck36", "ru", "Экспорт радионавигационного оборудования из ЕС в Россию в 2021 году подскочил на 40% "
     "по сравнению с 2020 годом.", "2022-03-20", "Russia", "nav", Y(2021), Y(2020), "year", "pct", 0.4, "up",
     "words"),
    ("ck37", "ru", "Экспорт вычислительных машин из ЕС в Белоруссию за январь–ноябрь 2022 года вырос по "
     "сравнению с тем же периодом 2021 года.", "2023-02-03", "Belarus", "adp", JN(2022), JN(2021), "jan-nov",
     "dir", None, "up", "words"),
    ("ck38", "ru", "В первом полугодии 2022 года экспорт конических подшипников из ЕС в Казахстан снизился "
     "по сравнению со вторым полугодием 2021 года.", "2022-09-08", "Kazakhstan", "bear", H(2022, 1),
     H(2021, 2), "half-on-half", "dir", None, "down", "words"),
    ("ck39", "ru", "В сентябре 2022 года экспорт микросхем из ЕС в Беларусь вырос примерно на 10% к августу.",
     "2022-11-25", "Belarus", "ic", M("2022-09"), M("2022-08"), "month-on-month", "pct", 0.1, "up", "words"),
    ("ck40", "ru", "Экспорт диодов из ЕС в Россию упал примерно на 90% в марте–ноябре 2022 года по сравнению "
     "с мартом–ноябрём 2021 года.", "2023-01-28", "Russia", "diode", MN22, MN21, "after-invasion", "pct", -0.9,
     "down", "words"),
]

# id, lang, claim, published, reporter, partner, flow, product, window, baseline, reason
NO_DATA = [
    ("ck41", "en", "US exports of microchips to Russia plunged by 90% in 2022.", "2023-03-01", "US", "Russia",
     "export", "ic", JN(2022), JN(2021), "reporter not EU"),
    ("ck42", "en", "EU router exports to Mongolia surged in January-November 2022 compared with a year "
     "earlier.", "2023-02-01", "EU27", "Mongolia", "export", "router", JN(2022), JN(2021),
     "partner not in the data"),
    ("ck43", "en", "EU imports of diodes from the Russian Federation dwindled in 2021 compared with 2020.",
     "2022-03-01", "EU27", "Russia", "import", "diode", Y(2021), Y(2020), "flow not in the data"),
    ("ck44", "en", "EU microchip exports to Kazakhstan edged up in Q1 2023 year-on-year.", "2023-05-10",
     "EU27", "Kazakhstan", "export", "ic", Q(2023, 1), Q(2022, 1), "years not in the data"),
    ("ck45", "en", "EU exports of ball bearings to Russia slumped by two thirds in 2022's first eleven months "
     "year-on-year.", "2023-02-01", "EU27", "Russia", "export", "ballbear", JN(2022), JN(2021),
     "product not in the data (8482.10)"),
    ("ck46", "en", "A threefold rise in EU exports of tantalum capacitors to Kazakhstan in 2021 over 2020 "
     "was recorded by Eurostat.", "2022-03-01", "EU27", "Kazakhstan", "export", "tantal", Y(2021), Y(2020),
     "product not in the data (8532.21)"),
    ("ck47", "ru", "Экспорт микросхем из Китая в Россию в 2022 году увеличился в разы.", "2023-02-01", "China",
     "Russia", "export", "ic", JN(2022), JN(2021), "reporter not EU"),
    ("ck48", "ru", "Поставки маршрутизаторов из ЕС в Монголию в III квартале 2022 года подскочили на 50%.",
     "2022-12-01", "EU27", "Mongolia", "export", "router", Q(2022, 3), Q(2021, 3), "partner not in the data"),
    ("ck49", "ru", "Импорт диодов из РФ в ЕС в 2021 году сократился на треть.", "2022-03-01", "EU27", "Russia",
     "import", "diode", Y(2021), Y(2020), "flow not in the data"),
]

# Second batch, written after the first run and the first framing changes, scored once before
# any further change (``batch`` 2 in the records).
STATEMENTS_2 = [
    ("ck50", "en", "EU microcontroller and CPU exports to Russia ticked up in Q3 2022 vs Q2.", "2022-12-08",
     "Russia", "proc", Q(2022, 3), Q(2022, 2), "quarter-on-quarter", "dir", None, "up", "words"),
    ("ck51", "en", "In the nine months following Russia's invasion (March-November 2022), computer chip exports "
     "from the EU to Kazakhstan nearly trebled year-on-year.", "2023-01-16", "Kazakhstan", "ic", MN22, MN21,
     "after-invasion", "times", 3.0, "up", "words"),
    ("ck52", "en", "Belarus took in more routers and switches from the EU in the first eleven months of 2022 "
     "than a year before.", "2023-02-07", "Belarus", "router", JN(2022), JN(2021), "jan-nov", "dir", None, "up",
     "words"),
    ("ck53", "en", "EU radio navigation aid exports to Russia were down by almost three quarters in H1 2022 "
     "year on year.", "2022-09-14", "Russia", "nav", H(2022, 1), H(2021, 1), "half-yoy", "pct", -0.75, "down",
     "words"),
    ("ck54", "en", "EU exports of high-power transistors to Kazakhstan grew by more than ten times in "
     "Jan-Nov 2022 compared with a year earlier.", "2023-01-31", "Kazakhstan", "t2", JN(2022), JN(2021),
     "jan-nov", "more", 10.0, "up", "words"),
    ("ck55", "en", "EU sales of aircraft parts to Russia dried up in the second quarter of 2022 compared with "
     "the first.", "2022-08-30", "Russia", "air", Q(2022, 2), Q(2022, 1), "quarter-on-quarter", "dir", None,
     "down", "words"),
    ("ck56", "en", "EU exports of periscopes and telescopic sights to Russia dipped in 2021 from 2020.",
     "2022-02-28", "Russia", "scope", Y(2021), Y(2020), "year", "dir", None, "down", "words"),
    ("ck57", "en", "Exports of CN 8517 69 00 from the EU to Russia fell by roughly a third in H1 2022 "
     "year-on-year.", "2022-09-09", "Russia", "comm", H(2022, 1), H(2021, 1), "half-yoy", "pct", -1 / 3,
     "down", "code"),
    ("ck58", "en", "EU exports of other computer units (HS 8471 80) to Kazakhstan grew roughly 3.5-fold in "
     "January to November 2022 over the same period of 2021.", "2023-02-09", "Kazakhstan", "adpo", JN(2022),
     JN(2021), "jan-nov", "times", 3.5, "up", "code"),
    ("ck59", "en", "EU exports to Russia of integrated circuits other than processors, memories and "
     "amplifiers nosedived by about 90% from March to November 2022 compared to March-November 2021.",
     "2023-01-26", "Russia", "ico", MN22, MN21, "after-invasion", "pct", -0.9, "down", "words"),
    ("ck60", "en", "Amplifier IC exports from the EU to Russia increased by nearly half in 2021 compared with "
     "2020.", "2022-03-18", "Russia", "amp", Y(2021), Y(2020), "year", "pct", 0.5, "up", "words"),
    ("ck61", "en", "EU shipments of tapered bearings to Belarus shrank by roughly two-thirds in "
     "January-November 2022 y/y.", "2023-02-13", "Belarus", "bear", JN(2022), JN(2021), "jan-nov", "pct",
     -2 / 3, "down", "words"),
    ("ck62", "en", "EU router and switch exports to Uzbekistan slid in the eleven months through November 2022 "
     "from a year earlier.", "2023-01-19", "Uzbekistan", "router", JN(2022), JN(2021), "jan-nov", "dir", None,
     "down", "words"),
    ("ck63", "en", "Chip exports from the European Union to Uzbekistan were up about 15% in H1 2022 year on "
     "year.", "2022-09-21", "Uzbekistan", "ic", H(2022, 1), H(2021, 1), "half-yoy", "pct", 0.15, "up",
     "words"),
    ("ck64", "en", "In the second half of 2021, before the invasion, EU sales of routing and switching gear to "
     "Russia were roughly 30% higher than in the same half of 2020.", "2022-04-11", "Russia", "router",
     H(2021, 2), H(2020, 2), "half-yoy", "pct", 0.3, "up", "words"),
    ("ck65", "en", "EU processor exports to Armenia roughly doubled in the 11 months to November 2022, "
     "year-on-year.", "2023-02-17", "Armenia", "proc", JN(2022), JN(2021), "jan-nov", "times", 2.0, "up",
     "words"),
    ("ck66", "en", "EU server exports to Georgia contracted in January-November 2022 compared with the same "
     "months of 2021.", "2023-02-21", "Georgia", "adp", JN(2022), JN(2021), "jan-nov", "dir", None, "down",
     "words"),
    ("ck67", "en", "In March 2022, the first full month of sanctions, EU integrated circuit exports to Russia "
     "collapsed by around 95% month on month.", "2022-06-01", "Russia", "ic", M("2022-03"), M("2022-02"),
     "month-on-month", "pct", -0.95, "down", "words"),
    ("ck68", "en", "EU router exports to Georgia: H1 2022 vs H2 2021, a gain of about 10%.", "2022-09-02",
     "Georgia", "router", H(2022, 1), H(2021, 2), "half-on-half", "pct", 0.1, "up", "words"),
    ("ck69", "en", "EU memory chip exports to Kazakhstan slipped in Jan-Nov 2022 year on year.", "2023-01-24",
     "Kazakhstan", "mem", JN(2022), JN(2021), "jan-nov", "dir", None, "down", "words"),
    ("ck70", "en", "EU shipments of power transistors to Russia almost doubled in the July-September quarter "
     "from April-June 2022.", "2022-12-02", "Russia", "t2", Q(2022, 3), Q(2022, 2), "quarter-on-quarter",
     "times", 2.0, "up", "words"),
    ("ck71", "ru", "В мае 2022 года поставки микросхем из ЕС в Казахстан выросли на 40% по сравнению с апрелем.",
     "2022-08-05", "Kazakhstan", "ic", M("2022-05"), M("2022-04"), "month-on-month", "pct", 0.4, "up", "words"),
    ("ck72", "ru", "В III квартале 2022 года экспорт диодов из стран ЕС в РФ сократился почти в восемь раз в "
     "годовом выражении.", "2022-12-14", "Russia", "diode", Q(2022, 3), Q(2021, 3), "quarter-yoy", "times",
     0.125, "down", "words"),
    ("ck73", "ru", "За девять месяцев после начала вторжения, с марта по ноябрь 2022 года, экспорт серверов из "
     "ЕС в Казахстан вырос на 120% к тому же периоду 2021 года.", "2023-01-27", "Kazakhstan", "adp", MN22, MN21,
     "after-invasion", "pct", 1.2, "up", "words"),
    ("ck74", "ru", "Экспорт антенн из ЕС в Россию в октябре–декабре 2021 года снизился по сравнению с "
     "октябрём–декабрём 2020 года.", "2022-03-04", "Russia", "ant", Q(2021, 4), Q(2020, 4), "quarter-yoy", "dir",
     None, "down", "words"),
    ("ck75", "ru", "В январе–июне 2022 года экспорт маломощных транзисторов из ЕС в Россию сократился почти "
     "вдвое в годовом выражении.", "2022-09-16", "Russia", "t1", H(2022, 1), H(2021, 1), "half-yoy", "times",
     0.5, "down", "words"),
    ("ck76", "ru", "Экспорт прочих оптических приборов из ЕС в Казахстан в 2021 году вырос на треть.",
     "2022-03-11", "Kazakhstan", "opt", Y(2021), Y(2020), "year", "pct", 1 / 3, "up", "words"),
    ("ck77", "ru", "В августе 2022 года поставки запчастей для самолётов из ЕС в Казахстан увеличились на 50% "
     "по сравнению с июлем.", "2022-10-20", "Kazakhstan", "air", M("2022-08"), M("2022-07"), "month-on-month",
     "pct", 0.5, "up", "words"),
    ("ck78", "ru", "Экспорт из ЕС в Белоруссию товаров с кодом ТН ВЭД 8517.69 в 2021 году снизился на 20% по "
     "сравнению с 2020 годом.", "2022-03-09", "Belarus", "comm", Y(2021), Y(2020), "year", "pct", -0.2, "down",
     "code"),
    ("ck79", "ru", "В первой половине 2022 года экспорт конических роликоподшипников из ЕС в Россию упал на 45%.",
     "2022-09-19", "Russia", "bear", H(2022, 1), H(2021, 1), "half-yoy", "pct", -0.45, "down", "words"),
    ("ck80", "ru", "Поставки прочих интегральных схем из Евросоюза в Республику Беларусь в 2021 году "
     "сократились.", "2022-02-24", "Belarus", "ico", Y(2021), Y(2020), "year", "dir", None, "down", "words"),
    ("ck81", "ru", "В марте 2022 года экспорт микросхем из ЕС в Россию рухнул более чем в десять раз по "
     "сравнению с февралём.", "2022-05-30", "Russia", "ic", M("2022-03"), M("2022-02"), "month-on-month", "less",
     0.1, "down", "words"),
]

NO_DATA_2 = [
    ("ck82", "en", "Kazakhstan's exports of processors to Russia jumped fivefold in Q3 2022 year-on-year.",
     "2022-12-01", "Kazakhstan", "Russia", "export", "proc", Q(2022, 3), Q(2021, 3), "reporter not EU"),
    ("ck83", "en", "EU diode exports to Moldova dipped in 2021 compared with 2020.", "2022-03-01", "EU27",
     "Moldova", "export", "diode", Y(2021), Y(2020), "partner not in the data"),
    ("ck84", "en", "EU exports of microchips to Russia in the first half of 2019 were 10% above H1 2018.",
     "2019-09-01", "EU27", "Russia", "export", "ic", H(2019, 1), H(2018, 1), "years not in the data"),
    ("ck85", "en", "EU exports of lithium-ion batteries to Kazakhstan soared in 2021 over 2020.", "2022-03-01",
     "EU27", "Kazakhstan", "export", "liion", Y(2021), Y(2020), "product not in the data (8507.60)"),
    ("ck86", "ru", "Экспорт микросхем из ЕС в Иран в 2021 году вырос вдвое.", "2022-03-01", "EU27", "Iran",
     "export", "ic", Y(2021), Y(2020), "partner not in the data"),
    ("ck87", "ru", "Импорт транзисторов в ЕС из Белоруссии в 2021 году увеличился на 30%.", "2022-03-01",
     "EU27", "Belarus", "import", "t2", Y(2021), Y(2020), "flow not in the data"),
    ("ck88", "ru", "В первом квартале 2023 года поставки маршрутизаторов из ЕС в Армению подскочили вдвое.",
     "2023-05-01", "EU27", "Armenia", "export", "router", Q(2023, 1), Q(2022, 1), "years not in the data"),
]

# Third batch, written after the second round of framing changes, scored once before any further change.
STATEMENTS_3 = [
    ("ck89", "en", "Third-quarter 2022 EU integrated-circuit shipments to Russia were just 3% of the level of "
     "Q3 2021.", "2022-12-19", "Russia", "ic", Q(2022, 3), Q(2021, 3), "quarter-yoy", "times", 0.03, "down",
     "words"),
    ("ck90", "en", "EU routers-and-switches exports to Kazakhstan eased in H1 2022 compared with H2 2021.",
     "2022-09-26", "Kazakhstan", "router", H(2022, 1), H(2021, 2), "half-on-half", "dir", None, "down",
     "words"),
    ("ck91", "en", "Over September to November 2022, EU processor sales to Kazakhstan were around triple the "
     "level of September-November 2021.", "2023-01-09", "Kazakhstan", "proc", ("2022-09", "2022-11"),
     ("2021-09", "2021-11"), "three-months-yoy", "times", 3.0, "up", "words"),
    ("ck92", "en", "EU exports of data-processing units to Russia lost some 60% of their value in "
     "January-June 2022 versus January-June 2021.", "2022-09-07", "Russia", "adp", H(2022, 1), H(2021, 1),
     "half-yoy", "pct", -0.6, "down", "words"),
    ("ck93", "en", "EU radio-navigation apparatus exports to Kazakhstan rebounded in Q2 2022 from Q1.",
     "2022-08-22", "Kazakhstan", "nav", Q(2022, 2), Q(2022, 1), "quarter-on-quarter", "dir", None, "up",
     "words"),
    ("ck94", "en", "Antenna deliveries from EU countries to Kazakhstan rose by roughly 120 per cent in January "
     "through November 2022 compared to the prior-year period.", "2023-02-08", "Kazakhstan", "ant", JN(2022),
     JN(2021), "jan-nov", "pct", 1.2, "up", "words"),
    ("ck95", "en", "EU sales of power transistors to Armenia increased more than a hundredfold in the first "
     "eleven months of 2022 year-on-year.", "2023-01-30", "Armenia", "t2", JN(2022), JN(2021), "jan-nov",
     "more", 100.0, "up", "words"),
    ("ck96", "en", "EU diode exports to Belarus were 15% higher in 2021 than in 2020.", "2022-03-07", "Belarus",
     "diode", Y(2021), Y(2020), "year", "pct", 0.15, "up", "words"),
    ("ck97", "en", "Memory-chip exports from the EU to Russia fell by about a fifth in 2021 from 2020.",
     "2022-03-14", "Russia", "mem", Y(2021), Y(2020), "year", "pct", -0.2, "down", "words"),
    ("ck98", "en", "In February 2022, just before the invasion, EU exports of riflescopes to Russia rose about "
     "60% on January.", "2022-05-10", "Russia", "scope", M("2022-02"), M("2022-01"), "month-on-month", "pct",
     0.6, "up", "words"),
    ("ck99", "en", "Tapered roller bearing exports from the EU to Russia were cut by two thirds in "
     "January-November 2022 compared with January-November 2021.", "2023-02-02", "Russia", "bear", JN(2022),
     JN(2021), "jan-nov", "pct", -2 / 3, "down", "words"),
    ("ck100", "en", "EU exports of helicopter and aeroplane parts to Russia ceased in July-November 2022 "
     "compared with February-June.", "2023-01-13", "Russia", "air", ("2022-07", "2022-11"),
     ("2022-02", "2022-06"), "five-months-sequential", "dir", None, "down", "words"),
    ("ck101", "en", "EU exports under HS code 847180 to Russia fell fivefold in January-November 2022 year on "
     "year.", "2023-02-16", "Russia", "adpo", JN(2022), JN(2021), "jan-nov", "times", 0.2, "down", "code"),
    ("ck102", "en", "EU router exports to Kyrgyzstan about two-and-a-half times higher in Q3 2022 than Q3 2021.",
     "2022-12-16", "Kyrgyzstan", "router", Q(2022, 3), Q(2021, 3), "quarter-yoy", "times", 2.5, "up", "words"),
    ("ck103", "en", "EU processor exports to Belarus plummeted more than tenfold in the second quarter of 2022 "
     "against the first.", "2022-08-25", "Belarus", "proc", Q(2022, 2), Q(2022, 1), "quarter-on-quarter",
     "less", 0.1, "down", "words"),
    ("ck104", "en", "In 2021 EU microchip exports to Russia doubled over 2020.", "2022-03-02", "Russia", "ic",
     Y(2021), Y(2020), "year", "times", 2.0, "up", "words"),
    ("ck105", "ru", "В апреле 2022 года экспорт маршрутизаторов из ЕС в РФ сократился на 99% год к году.",
     "2022-07-01", "Russia", "router", M("2022-04"), M("2021-04"), "month-yoy", "pct", -0.99, "down", "words"),
    ("ck106", "en", "EU chip sales to Kazakhstan rose in the second half of 2021 year on year.", "2022-03-16",
     "Kazakhstan", "ic", H(2021, 2), H(2020, 2), "half-yoy", "dir", None, "up", "words"),
    ("ck107", "ru", "Поставки серверов из ЕС в Армению в январе–ноябре 2022 г. увеличились на 117%.",
     "2023-02-06", "Armenia", "adp", JN(2022), JN(2021), "jan-nov", "pct", 1.17, "up", "words"),
    ("ck108", "ru", "Экспорт диодов из Евросоюза в Казахстан за 11 месяцев 2022 года увеличился почти в 7,5 раза.",
     "2023-01-23", "Kazakhstan", "diode", JN(2022), JN(2021), "jan-nov", "times", 7.5, "up", "words"),
    ("ck109", "ru", "В четвёртом квартале 2021 года экспорт радионавигационной аппаратуры из ЕС в Россию остался "
     "практически на уровне IV квартала 2020 года.", "2022-03-21", "Russia", "nav", Q(2021, 4), Q(2020, 4),
     "quarter-yoy", "flat", 0.0, "flat", "words"),
    ("ck110", "ru", "Вывоз из ЕС в Россию прочих блоков вычислительных машин (ТН ВЭД 8471 80) за январь–ноябрь "
     "2022 года сократился примерно на 80%.", "2023-02-10", "Russia", "adpo", JN(2022), JN(2021), "jan-nov",
     "pct", -0.8, "down", "code"),
    ("ck111", "ru", "В сентябре–ноябре 2022 года поставки процессоров из ЕС в Казахстан выросли втрое к тем же "
     "месяцам 2021 года.", "2023-01-11", "Kazakhstan", "proc", ("2022-09", "2022-11"), ("2021-09", "2021-11"),
     "three-months-yoy", "times", 3.0, "up", "words"),
]

NO_DATA_3 = [
    ("ck112", "en", "Chinese chip exports to Russia surged in H1 2022 year on year.", "2022-09-01", "China",
     "Russia", "export", "ic", H(2022, 1), H(2021, 1), "reporter not EU"),
    ("ck113", "en", "EU exports of routers to Serbia slumped in 2021 from 2020.", "2022-03-01", "EU27", "Serbia",
     "export", "router", Y(2021), Y(2020), "partner not in the data"),
    ("ck114", "ru", "Экспорт микросхем из ЕС в Россию в первом полугодии 2023 года упал на 30%.", "2023-09-01",
     "EU27", "Russia", "export", "ic", H(2023, 1), H(2022, 1), "years not in the data"),
    ("ck115", "ru", "Импорт конических подшипников в ЕС из Казахстана в 2021 году вырос вдвое.", "2022-03-01",
     "EU27", "Kazakhstan", "import", "bear", Y(2021), Y(2020), "flow not in the data"),
]

# Fourth batch, written after the third round of changes, scored once before any further change.
STATEMENTS_4 = [
    ("ck116", "en", "Data from Eurostat show EU exports of integrated circuits to Georgia climbing to EUR 2.1 "
     "million in January-November 2022, up roughly 155% y-o-y.", "2023-02-22", "Georgia", "ic", JN(2022),
     JN(2021), "jan-nov", "pct", 1.55, "up", "words"),
    ("ck117", "en", "By the third quarter of 2022, EU router and switch exports to Russia had shrunk by some 98% "
     "from the first quarter.", "2022-12-06", "Russia", "router", Q(2022, 3), Q(2022, 1), "quarter-on-quarter",
     "pct", -0.98, "down", "words"),
    ("ck118", "en", "Uzbekistan received about 19% more processors from the EU in January-November 2022 than a "
     "year earlier.", "2023-02-03", "Uzbekistan", "proc", JN(2022), JN(2021), "jan-nov", "pct", 0.19, "up",
     "words"),
    ("ck119", "en", "EU exports of computer processing units to Uzbekistan inched up about 5% in 2021 over 2020.",
     "2022-03-08", "Uzbekistan", "adp", Y(2021), Y(2020), "year", "pct", 0.05, "up", "words"),
    ("ck120", "en", "Sales of radio navigation aids by EU exporters to Belarus were cut roughly sevenfold in "
     "January-November 2022 from a year earlier.", "2023-02-14", "Belarus", "nav", JN(2022), JN(2021),
     "jan-nov", "times", 1 / 7, "down", "words"),
    ("ck121", "en", "EU antenna exports to Russia decreased by a quarter in H1 2021 y-o-y.", "2021-09-30",
     "Russia", "ant", H(2021, 1), H(2020, 1), "half-yoy", "pct", -0.25, "down", "words"),
    ("ck122", "en", "EU exports of flash and DRAM memory chips to Georgia nearly halved in the first 11 months "
     "of 2022.", "2023-01-25", "Georgia", "mem", JN(2022), JN(2021), "jan-nov", "times", 0.5, "down", "words"),
    ("ck123", "en", "EU exporters shipped roughly four times as many tapered roller bearings (by value) to "
     "Kazakhstan in January-November 2022 as a year earlier.", "2023-02-15", "Kazakhstan", "bear", JN(2022),
     JN(2021), "jan-nov", "times", 4.0, "up", "words"),
    ("ck124", "en", "EU aircraft-parts exports to Georgia tripled QoQ in Q3 2022.", "2022-11-30", "Georgia", "air",
     Q(2022, 3), Q(2022, 2), "quarter-on-quarter", "times", 3.0, "up", "words"),
    ("ck125", "en", "EU exports of HS6 851769 to Armenia doubled in Jan-Nov 2022 y/y.", "2023-01-17", "Armenia",
     "comm", JN(2022), JN(2021), "jan-nov", "times", 2.0, "up", "code"),
    ("ck126", "ru", "Экспорт из ЕС в Беларусь товаров субпозиции 8471 80 за 11 месяцев 2022 года сократился вдвое.",
     "2023-01-20", "Belarus", "adpo", JN(2022), JN(2021), "jan-nov", "times", 0.5, "down", "code"),
    ("ck127", "ru", "Поставки прочих интегральных микросхем из ЕС в Киргизию за январь–ноябрь 2022 года выросли "
     "более чем в 20 раз.", "2023-02-09", "Kyrgyzstan", "ico", JN(2022), JN(2021), "jan-nov", "more", 20.0, "up",
     "words"),
    ("ck128", "ru", "В июле 2022 года экспорт процессоров из ЕС в Россию вырос на 15% относительно июня.",
     "2022-09-28", "Russia", "proc", M("2022-07"), M("2022-06"), "month-on-month", "pct", 0.15, "up", "words"),
    ("ck129", "en", "EU chip exports to Kazakhstan stagnated in the first quarter of 2021 against the same "
     "quarter of 2020.", "2021-06-15", "Kazakhstan", "ic", Q(2021, 1), Q(2020, 1), "quarter-yoy", "flat", 0.0,
     "flat", "words"),
    ("ck130", "ru", "Во II квартале 2022 года экспорт коммутаторов из ЕС в Беларусь увеличился по сравнению с "
     "I кварталом.", "2022-08-26", "Belarus", "router", Q(2022, 2), Q(2022, 1), "quarter-on-quarter", "dir", None,
     "up", "words"),
    ("ck131", "ru", "Экспорт радионавигационного оборудования из ЕС в Грузию в 2021 году держался на уровне "
     "2020 года.", "2022-03-02", "Georgia", "nav", Y(2021), Y(2020), "year", "flat", 0.0, "flat", "words"),
    ("ck132", "en", "EU exports of computer processing units to Russia in September-November 2022 amounted to "
     "less than 2% of the level a year earlier.", "2023-01-05", "Russia", "adp", ("2022-09", "2022-11"),
     ("2021-09", "2021-11"), "three-months-yoy", "less", 0.02, "down", "words"),
]

NO_DATA_4 = [
    ("ck133", "en", "Exports of processors from the United Kingdom to Russia fell by 90% in 2022.", "2023-03-01",
     "United Kingdom", "Russia", "export", "proc", JN(2022), JN(2021), "reporter not EU"),
    ("ck134", "ru", "Экспорт маршрутизаторов из ЕС в Афганистан в 2021 году вырос на 40%.", "2022-03-01", "EU27",
     "Afghanistan", "export", "router", Y(2021), Y(2020), "partner not in the data"),
    ("ck135", "en", "EU exports of lathes (HS 8458) to Kazakhstan doubled in 2021 over 2020.", "2022-03-01",
     "EU27", "Kazakhstan", "export", "lathe", Y(2021), Y(2020), "product not in the data (8458)"),
]

# Fifth batch (mostly Russian), written after the fourth round of changes, scored once before any further change.
STATEMENTS_5 = [
    ("ck136", "ru", "Экспорт сетевого оборудования из ЕС в Казахстан в июле–сентябре 2022 года вырос на три "
     "четверти по сравнению с апрелем–июнем.", "2022-12-07", "Kazakhstan", "router", Q(2022, 3), Q(2022, 2),
     "quarter-on-quarter", "pct", 0.75, "up", "words"),
    ("ck137", "ru", "Поставки комплектующих для летательных аппаратов из ЕС в Казахстан в III квартале 2022 года "
     "выросли почти наполовину по сравнению со II кварталом.", "2022-12-13", "Kazakhstan", "air", Q(2022, 3),
     Q(2022, 2), "quarter-on-quarter", "pct", 0.5, "up", "words"),
    ("ck138", "ru", "В мае 2022 года вывоз конических подшипников из ЕС в Россию почти удвоился по сравнению с "
     "апрелем.", "2022-07-20", "Russia", "bear", M("2022-05"), M("2022-04"), "month-on-month", "times", 2.0, "up",
     "words"),
    ("ck139", "ru", "Во втором квартале 2022 года экспорт полупроводниковых датчиков из ЕС в Россию вырос впятеро "
     "к первому кварталу.", "2022-08-29", "Russia", "sens", Q(2022, 2), Q(2022, 1), "quarter-on-quarter", "times",
     5.0, "up", "words"),
    ("ck140", "ru", "Экспорт антенн из ЕС в Россию за январь–ноябрь 2022 года сократился на 77%.", "2023-02-06",
     "Russia", "ant", JN(2022), JN(2021), "jan-nov", "pct", -0.77, "down", "words"),
    ("ck141", "ru", "В первом полугодии 2022 года экспорт радионавигационных приборов из ЕС в Россию вырос.",
     "2022-09-13", "Russia", "nav", H(2022, 1), H(2021, 1), "half-yoy", "dir", None, "up", "words"),
    ("ck142", "ru", "Экспорт маршрутизаторов из ЕС в Узбекистан за январь–ноябрь 2022 г. увеличился на 70%.",
     "2023-01-31", "Uzbekistan", "router", JN(2022), JN(2021), "jan-nov", "pct", 0.7, "up", "words"),
    ("ck143", "ru", "В январе–июне 2022 года экспорт серверов и системных блоков из ЕС в Россию сократился более "
     "чем вдвое.", "2022-09-06", "Russia", "adp", H(2022, 1), H(2021, 1), "half-yoy", "less", 0.5, "down",
     "words"),
    ("ck144", "ru", "В III квартале 2022 года поставки микросхем из ЕС в Грузию снизились на 10% год к году.",
     "2022-12-15", "Georgia", "ic", Q(2022, 3), Q(2021, 3), "quarter-yoy", "pct", -0.1, "down", "words"),
    ("ck145", "ru", "После начала вторжения, с марта по ноябрь 2022 года, экспорт прочих интегральных схем из ЕС в "
     "Россию сократился в 11 раз.", "2023-01-26", "Russia", "ico", MN22, MN21, "after-invasion", "times", 1 / 11,
     "down", "words"),
    ("ck146", "ru", "В 2021 году экспорт микросхем памяти из ЕС в Россию вырос на 20% к 2020 году.", "2022-03-14",
     "Russia", "mem", Y(2021), Y(2020), "year", "pct", 0.2, "up", "words"),
    ("ck147", "ru", "Экспорт маршрутизаторов из ЕС в Киргизию в третьем квартале 2022 года вырос в 2,4 раза в "
     "годовом выражении.", "2022-12-16", "Kyrgyzstan", "router", Q(2022, 3), Q(2021, 3), "quarter-yoy", "times",
     2.4, "up", "words"),
    ("ck148", "en", "EU exports of other ICs to Kazakhstan in Q3 2022 were roughly tenfold those of Q3 2021.",
     "2022-12-22", "Kazakhstan", "ico", Q(2022, 3), Q(2021, 3), "quarter-yoy", "times", 10.0, "up", "words"),
    ("ck149", "en", "Exports of tapered bearings from the EU to Kazakhstan were some 45% higher in the first six "
     "months of 2022 than in the last six months of 2021.", "2022-09-08", "Kazakhstan", "bear", H(2022, 1),
     H(2021, 2), "half-on-half", "pct", 0.45, "up", "words"),
    ("ck150", "en", "July 2022 saw a 15% month-on-month rise in EU processor exports to Russia.", "2022-09-28",
     "Russia", "proc", M("2022-07"), M("2022-06"), "month-on-month", "pct", 0.15, "up", "words"),
]

NO_DATA_5 = [
    ("ck151", "ru", "Экспорт микросхем из Турции в Россию в 2022 году вырос в четыре раза.", "2023-03-01", "Turkey",
     "Russia", "export", "ic", JN(2022), JN(2021), "reporter not EU"),
    ("ck152", "ru", "Поставки микросхем из ЕС в Россию в 2019 году сократились на 10% по сравнению с 2018 годом.",
     "2020-03-01", "EU27", "Russia", "export", "ic", Y(2019), Y(2018), "years not in the data"),
]

# Sixth batch, written after the fifth round of changes and scored once with the final code.
STATEMENTS_6 = [
    ("ck153", "en", "Armenia's intake of EU-made microchips soared almost thirtyfold in Q3 2022 from Q3 2021.",
     "2022-12-19", "Armenia", "ic", Q(2022, 3), Q(2021, 3), "quarter-yoy", "times", 30.0, "up", "words"),
    ("ck154", "ru", "Поставки маршрутизаторов из Евросоюза в Армению в январе–ноябре 2022 года выросли на 175%.",
     "2023-02-01", "Armenia", "router", JN(2022), JN(2021), "jan-nov", "pct", 1.75, "up", "words"),
    ("ck155", "en", "EU exports of computer processing units to Kyrgyzstan were two and a half times their 2021 "
     "level in Jan-Nov 2022.", "2023-01-30", "Kyrgyzstan", "adp", JN(2022), JN(2021), "jan-nov", "times", 2.5,
     "up", "words"),
    ("ck156", "ru", "Экспорт антенн из ЕС в Белоруссию в 2021 году уменьшился на пятую часть.", "2022-03-03",
     "Belarus", "ant", Y(2021), Y(2020), "year", "pct", -0.2, "down", "words"),
    ("ck157", "en", "EU aircraft parts exports to Uzbekistan were virtually unchanged quarter on quarter in Q3 "
     "2022.", "2022-12-05", "Uzbekistan", "air", Q(2022, 3), Q(2022, 2), "quarter-on-quarter", "flat", 0.0,
     "flat", "words"),
    ("ck158", "ru", "Экспорт радионавигационной аппаратуры из ЕС в Армению за 11 месяцев 2022 года вырос более чем "
     "в 50 раз.", "2023-02-08", "Armenia", "nav", JN(2022), JN(2021), "jan-nov", "more", 50.0, "up", "words"),
    ("ck159", "en", "Processor exports from the EU to Georgia fell by nearly a third in January-November 2022 year "
     "on year.", "2023-01-26", "Georgia", "proc", JN(2022), JN(2021), "jan-nov", "pct", -1 / 3, "down", "words"),
    ("ck160", "ru", "В третьем квартале 2022 года экспорт прочих интегральных схем из ЕС в Россию вырос примерно в "
     "полтора раза к предыдущему кварталу.", "2022-12-12", "Russia", "ico", Q(2022, 3), Q(2022, 2),
     "quarter-on-quarter", "times", 1.5, "up", "words"),
    ("ck161", "en", "EU exports under subheading 8517.69 to Russia jumped almost sixfold in September 2022 from "
     "August.", "2022-11-21", "Russia", "comm", M("2022-09"), M("2022-08"), "month-on-month", "times", 6.0, "up",
     "code"),
    ("ck162", "ru", "В IV квартале 2021 года экспорт конических роликовых подшипников из ЕС в Россию сократился на "
     "треть.", "2022-03-10", "Russia", "bear", Q(2021, 4), Q(2020, 4), "quarter-yoy", "pct", -1 / 3, "down",
     "words"),
    ("ck163", "en", "November 2022 EU router exports to Kazakhstan were level with October.", "2023-01-20",
     "Kazakhstan", "router", M("2022-11"), M("2022-10"), "month-on-month", "flat", 0.0, "flat", "words"),
    ("ck164", "ru", "В первом полугодии 2021 года экспорт микросхем из ЕС в Республику Беларусь остался без "
     "изменений в годовом выражении.", "2021-09-15", "Belarus", "ic", H(2021, 1), H(2020, 1), "half-yoy", "flat",
     0.0, "flat", "words"),
    ("ck165", "en", "EU exports of other ADP units (HS 847180) to Armenia grew by about 120% in January-November "
     "2022 on the year.", "2023-02-13", "Armenia", "adpo", JN(2022), JN(2021), "jan-nov", "pct", 1.2, "up",
     "code"),
]

NO_DATA_6 = [
    ("ck166", "en", "Japanese exports of diodes to Russia halved in 2022.", "2023-03-01", "Japan", "Russia",
     "export", "diode", JN(2022), JN(2021), "reporter not EU"),
    ("ck167", "ru", "Экспорт шариковых подшипников (ТН ВЭД 8482 10) из ЕС в Россию в 2021 году вырос на 30%.",
     "2022-03-01", "EU27", "Russia", "export", "ballbear", Y(2021), Y(2020), "product not in the data (8482.10)"),
]


# Seventh batch, written after all earlier changes: goods beyond the CHP list named by HS nomenclature
# words and codes (HS 2/4/6-digit with dots, CN8, 10-digit TN VED, code lists), periods the other batches
# do not use (first nine / ten months, the three months to September, 11M22, 1H22, Q3'22 vs 2Q22, "last
# year", «по итогам 2021 года», «кв/кв», «г/г»), amounts "from EUR X to EUR Y", and the partner's
# imports from the EU (read as EU exports to it). Scored once before any change it prompted.
STATEMENTS_7 = [
    ("ck168", "en", "Armenia imported roughly ten times more laptops by value from the EU in January-November 2022 "
     "than a year earlier.", "2023-02-10", "Armenia", "laptop", JN(2022), JN(2021), "jan-nov", "times", 10.0, "up",
     "words"),
    ("ck169", "en", "Belarus bought 40% more European TV sets in 1H22 than in 1H21.", "2022-09-12", "Belarus", "tv",
     H(2022, 1), H(2021, 1), "half-yoy", "pct", 0.4, "up", "words"),
    ("ck170", "en", "Sales of petrol-engined cars of 1,500-3,000 cc from EU member states to Kyrgyzstan increased "
     "roughly thirteenfold in Jan.-Nov. 2022.", "2023-02-03", "Kyrgyzstan", "car1530", JN(2022), JN(2021),
     "jan-nov", "times", 13.0, "up", "words"),
    ("ck171", "en", "Kazakhstan's purchases of electric cars from the European Union fell in 2022's first nine "
     "months year on year.", "2022-11-20", "Kazakhstan", "ev", JS(2022), JS(2021), "jan-sep", "dir", None, "down",
     "words"),
    ("ck172", "en", "The 27-nation bloc's exports of washing machines to Kazakhstan were almost eight times higher "
     "in January-November 2022 than a year earlier.", "2023-01-30", "Kazakhstan", "wash", JN(2022), JN(2021),
     "jan-nov", "times", 8.0, "up", "words"),
    ("ck173", "en", "EU shipments of vacuum cleaners to Russia held up in the first nine months of 2022, slipping "
     "only about 5% on the year.", "2022-11-25", "Russia", "vac", JS(2022), JS(2021), "jan-sep", "pct", -0.05,
     "down", "words"),
    ("ck174", "en", "European exports of coffee machines to Kazakhstan exploded some 40-fold in the first 11 months "
     "of 2022.", "2023-02-01", "Kazakhstan", "coffee", JN(2022), JN(2021), "jan-nov", "times", 40.0, "up",
     "words"),
    ("ck175", "en", "EU printer exports to Kyrgyzstan rose by about 50% in Jan-Nov 2022 y/y.", "2023-01-27",
     "Kyrgyzstan", "printer", JN(2022), JN(2021), "jan-nov", "pct", 0.5, "up", "words"),
    ("ck176", "en", "Exports of printers and multifunction machines (HS 8443.31 and 8443.32) from the EU to Armenia "
     "were up 28-fold in January-November 2022.", "2023-02-06", "Armenia", "printer", JN(2022), JN(2021),
     "jan-nov", "times", 28.0, "up", "code"),
    ("ck177", "en", "EU helicopter exports to Kazakhstan collapsed in the first nine months of 2022 compared with "
     "the same period a year before.", "2022-11-29", "Kazakhstan", "heli", JS(2022), JS(2021), "jan-sep", "dir",
     None, "down", "words"),
    ("ck178", "en", "Deliveries of railway wheels and axles from the EU to Russia shrank by around 80% in "
     "January-September 2022 y/y.", "2022-11-24", "Russia", "wheel", JS(2022), JS(2021), "jan-sep", "pct", -0.8,
     "down", "words"),
    ("ck179", "en", "EU exports of parts for railway rolling stock to Kazakhstan more than doubled in 2021.",
     "2022-03-15", "Kazakhstan", "rail", Y(2021), Y(2020), "year", "more", 2.0, "up", "words"),
    ("ck180", "en", "EU watch exports to Armenia rose fivefold in January-November 2022 on a year earlier.",
     "2023-02-02", "Armenia", "watch", JN(2022), JN(2021), "jan-nov", "times", 5.0, "up", "words"),
    ("ck181", "en", "Last year EU exports of passenger cars to Russia rose by around 40%, Eurostat data show.",
     "2022-02-28", "Russia", "car", Y(2021), Y(2020), "year-relative", "pct", 0.4, "up", "words"),
    ("ck182", "en", "Passenger car exports from the EU to Belarus roughly doubled in Jan-Nov 2022 y/y.",
     "2023-01-31", "Belarus", "car", JN(2022), JN(2021), "jan-nov", "times", 2.0, "up", "words"),
    ("ck183", "en", "Kyrgyzstan's car imports from the EU soared nearly fiftyfold in January to November 2022.",
     "2023-02-14", "Kyrgyzstan", "car", JN(2022), JN(2021), "jan-nov", "times", 50.0, "up", "words"),
    ("ck184", "en", "Uzbekistan's imports of EU-built cars slumped in the first nine months of 2022.", "2022-11-30",
     "Uzbekistan", "car", JS(2022), JS(2021), "jan-sep", "dir", None, "down", "words"),
    ("ck185", "en", "In the three months to September 2022, EU smartphone shipments to Kazakhstan roughly doubled "
     "from the previous three months.", "2022-11-28", "Kazakhstan", "phone", Q(2022, 3), Q(2022, 2),
     "quarter-on-quarter", "times", 2.0, "up", "words"),
    ("ck186", "en", "EU smartphone exports to Russia were broadly flat in Q3'22 versus 2Q22.", "2022-12-02",
     "Russia", "phone", Q(2022, 3), Q(2022, 2), "quarter-on-quarter", "flat", 0.0, "flat", "words"),
    ("ck187", "en", "EU exports of mobile network base stations to Russia sank by some 95% in the first nine months "
     "of 2022 from a year earlier.", "2022-11-22", "Russia", "basest", JS(2022), JS(2021), "jan-sep", "pct", -0.95,
     "down", "words"),
    ("ck188", "en", "EU base station exports to Belarus fell by only about a tenth in Jan-Nov 2022 from a year ago.",
     "2023-01-26", "Belarus", "basest", JN(2022), JN(2021), "jan-nov", "pct", -0.1, "down", "words"),
    ("ck189", "en", "EU exports of microwave ovens to Belarus grew about 3.5x in January-November 2022 "
     "year-over-year.", "2023-02-07", "Belarus", "micro", JN(2022), JN(2021), "jan-nov", "times", 3.5, "up",
     "words"),
    ("ck190", "en", "Microwave oven shipments from the EU to Russia dropped by about a fifth in January-November "
     "2022 compared to the corresponding period of 2021.", "2023-02-09", "Russia", "micro", JN(2022), JN(2021),
     "jan-nov", "pct", -0.2, "down", "words"),
    ("ck191", "en", "EU sales of hydraulic valves to Russia were down by two thirds in the 11 months through "
     "November 2022 versus the same months of 2021.", "2023-01-24", "Russia", "valves", JN(2022), JN(2021),
     "jan-nov", "pct", -2 / 3, "down", "words"),
    ("ck192", "en", "EU flow meter exports to Kazakhstan declined in the first 11 months of 2022, YoY.",
     "2023-01-18", "Kazakhstan", "flowm", JN(2022), JN(2021), "jan-nov", "dir", None, "down", "words"),
    ("ck193", "en", "Georgia's intake of surveying instruments from the EU doubled in January-September 2022 from "
     "a year earlier.", "2022-11-21", "Georgia", "survey", JS(2022), JS(2021), "jan-sep", "times", 2.0, "up",
     "words"),
    ("ck194", "en", "EU rangefinder exports to Russia rose in January-November 2022 compared with January-November "
     "2021.", "2023-02-13", "Russia", "rangef", JN(2022), JN(2021), "jan-nov", "dir", None, "up", "words"),
    ("ck195", "en", "Exports of HS 8703.23 from the EU to Belarus rose eightfold in January-November 2022.",
     "2023-02-15", "Belarus", "car1530", JN(2022), JN(2021), "jan-nov", "times", 8.0, "up", "code"),
    ("ck196", "en", "EU shipments under CN code 8471 30 00 to Uzbekistan were 2.5 times higher in Jan-Sep 2022 "
     "than in Jan-Sep 2021.", "2022-11-23", "Uzbekistan", "laptop", JS(2022), JS(2021), "jan-sep", "times", 2.5,
     "up", "code"),
    ("ck197", "en", "EU exports of phones classified under 8517.13.00 to Georgia tripled in Q3 2022 from Q2.",
     "2022-12-07", "Georgia", "phone", Q(2022, 3), Q(2022, 2), "quarter-on-quarter", "times", 3.0, "up", "code"),
    ("ck198", "en", "HS 84.50 (washing machines): EU exports to Uzbekistan up ~16x in 11M 2022.", "2023-01-20",
     "Uzbekistan", "wash", JN(2022), JN(2021), "jan-nov", "times", 16.0, "up", "heading"),
    ("ck199", "en", "In the first three quarters of 2022, EU exports of chips to Kyrgyzstan were 25 times their "
     "level a year before.", "2022-11-18", "Kyrgyzstan", "ic", JS(2022), JS(2021), "jan-sep", "times", 25.0, "up",
     "words"),
    ("ck200", "en", "EU router exports to Russia in the ten months through October 2022 were down by around a "
     "third y/y.", "2022-12-20", "Russia", "router", JO(2022), JO(2021), "jan-oct", "pct", -1 / 3, "down", "words"),
    ("ck201", "en", "EU exports of computer processing units to Russia in June-August 2022 were around half their "
     "year-earlier level.", "2022-10-25", "Russia", "adp", ("2022-06", "2022-08"), ("2021-06", "2021-08"),
     "three-months-yoy", "times", 0.5, "down", "words"),
    ("ck202", "en", "EU laptop exports to Georgia jumped from EUR 8.3m to EUR 33.6m in January-November 2022 year "
     "on year.", "2023-02-08", "Georgia", "laptop", JN(2022), JN(2021), "jan-nov", "times", 33.6 / 8.3, "up",
     "words"),
    ("ck203", "en", "EU car exports to Kazakhstan rose from \u20ac76m to \u20ac120m in January-November 2022, "
     "Eurostat figures show.", "2023-02-10", "Kazakhstan", "car", JN(2022), JN(2021), "jan-nov", "times",
     120 / 76, "up", "words"),
    ("ck204", "en", "EU TV exports to Kazakhstan up 20x in 11M22 - Eurostat", "2023-01-16", "Kazakhstan", "tv",
     JN(2022), JN(2021), "jan-nov", "times", 20.0, "up", "words"),
    ("ck205", "en", "Shipments of European washing machines to Kyrgyzstan more than quadrupled in the first 11 "
     "months of 2022, according to calculations based on Eurostat data.", "2023-02-17", "Kyrgyzstan", "wash",
     JN(2022), JN(2021), "jan-nov", "more", 4.0, "up", "words"),
    ("ck206", "ru", "Ввоз ноутбуков из стран Евросоюза в Казахстан за девять месяцев 2022 года вырос в 2,7 раза.",
     "2022-11-21", "Kazakhstan", "laptop", JS(2022), JS(2021), "jan-sep", "times", 2.7, "up", "words"),
    ("ck207", "ru", "Экспорт легковых автомобилей из ЕС в Россию в январе–сентябре 2022 г. снизился вдвое.",
     "2022-11-24", "Russia", "car", JS(2022), JS(2021), "jan-sep", "times", 0.5, "down", "words"),
    ("ck208", "ru", "Поставки европейских электромобилей в Узбекистан за январь–ноябрь 2022 года выросли в 3,2 "
     "раза.", "2023-02-01", "Uzbekistan", "ev", JN(2022), JN(2021), "jan-nov", "times", 3.2, "up", "words"),
    ("ck209", "ru", "Казахстан в первом полугодии 2022 года закупил в ЕС на 20% меньше стиральных машин, чем годом "
     "ранее.", "2022-09-05", "Kazakhstan", "wash", H(2022, 1), H(2021, 1), "half-yoy", "pct", -0.2, "down",
     "words"),
    ("ck210", "ru", "Экспорт телевизоров из ЕС в Белоруссию за 9 мес. 2022 г. вырос в 140 раз.", "2022-11-28",
     "Belarus", "tv", JS(2022), JS(2021), "jan-sep", "times", 140.0, "up", "words"),
    ("ck211", "ru", "В 3 кв. 2022 г. поставки кофемашин из ЕС в Россию упали на 30% кв/кв.", "2022-12-05",
     "Russia", "coffee", Q(2022, 3), Q(2022, 2), "quarter-on-quarter", "pct", -0.3, "down", "words"),
    ("ck212", "ru", "Экспорт пылесосов из Евросоюза в Киргизию в январе–сентябре 2022 года вырос почти в 28 раз.",
     "2022-11-30", "Kyrgyzstan", "vac", JS(2022), JS(2021), "jan-sep", "times", 28.0, "up", "words"),
    ("ck213", "ru", "По итогам 2021 года экспорт принтеров из ЕС в Казахстан увеличился на 30%.", "2022-03-11",
     "Kazakhstan", "printer", Y(2021), Y(2020), "year", "pct", 0.3, "up", "words"),
    ("ck214", "ru", "Экспорт вертолётов из ЕС в Россию за январь–ноябрь 2022 года сократился на 90%.", "2023-01-30",
     "Russia", "heli", JN(2022), JN(2021), "jan-nov", "pct", -0.9, "down", "words"),
    ("ck215", "ru", "Поставки вертолётов из ЕС в Казахстан в 2021 году выросли.", "2022-03-02", "Kazakhstan",
     "heli", Y(2021), Y(2020), "year", "dir", None, "up", "words"),
    ("ck216", "ru", "Экспорт гидравлических клапанов из ЕС в Беларусь за 11 месяцев 2022 года сократился примерно "
     "на три четверти.", "2023-01-19", "Belarus", "valves", JN(2022), JN(2021), "jan-nov", "pct", -0.75, "down",
     "words"),
    ("ck217", "ru", "Экспорт расходомеров из ЕС в Россию в январе–ноябре 2022 года практически не изменился.",
     "2023-02-02", "Russia", "flowm", JN(2022), JN(2021), "jan-nov", "flat", 0.0, "flat", "words"),
    ("ck218", "ru", "Экспорт колёсных пар и осей для железнодорожного подвижного состава из ЕС в Казахстан в 2021 "
     "году вырос примерно на четверть.", "2022-03-16", "Kazakhstan", "wheel", Y(2021), Y(2020), "year", "pct",
     0.25, "up", "words"),
    ("ck219", "ru", "Поставки запчастей для подвижного состава из ЕС в Белоруссию в первом полугодии 2022 года "
     "выросли в полтора раза.", "2022-09-09", "Belarus", "rail", H(2022, 1), H(2021, 1), "half-yoy", "times", 1.5,
     "up", "words"),
    ("ck220", "ru", "Импорт Арменией европейских часов за 11 месяцев 2022 года вырос в пять раз.", "2023-02-06",
     "Armenia", "watch", JN(2022), JN(2021), "jan-nov", "times", 5.0, "up", "words"),
    ("ck221", "ru", "Грузия в III квартале 2022 года нарастила закупки часов в ЕС на 50% по сравнению со II "
     "кварталом.", "2022-12-09", "Georgia", "watch", Q(2022, 3), Q(2022, 2), "quarter-on-quarter", "pct", 0.5, "up",
     "words"),
    ("ck222", "ru", "Экспорт бензиновых легковых автомобилей с объёмом двигателя от 1500 до 3000 куб. см (ТН ВЭД "
     "8703 23) из ЕС в Узбекистан за январь–ноябрь 2022 года сократился на 70%.", "2023-02-13", "Uzbekistan",
     "car1530", JN(2022), JN(2021), "jan-nov", "pct", -0.7, "down", "code"),
    ("ck223", "ru", "Экспорт товаров по коду ТН ВЭД 8471 30 000 0 из ЕС в Грузию за январь–сентябрь 2022 г. вырос "
     "на 30%.", "2022-11-29", "Georgia", "laptop", JS(2022), JS(2021), "jan-sep", "pct", 0.3, "up", "code"),
    ("ck224", "ru", "Экспорт товаров товарной позиции 8508 из ЕС в Армению за 11 мес. 2022 г. вырос в 22 раза.",
     "2023-01-25", "Armenia", "vac", JN(2022), JN(2021), "jan-nov", "times", 22.0, "up", "heading"),
    ("ck225", "ru", "Поставки смартфонов из ЕС в Киргизию в III квартале 2022 года сократились по сравнению со II "
     "кварталом.", "2022-12-12", "Kyrgyzstan", "phone", Q(2022, 3), Q(2022, 2), "quarter-on-quarter", "dir", None,
     "down", "words"),
    ("ck226", "ru", "Экспорт базовых станций из ЕС в Россию в 2021 году сократился в пять раз по сравнению с 2020 "
     "годом.", "2022-03-17", "Russia", "basest", Y(2021), Y(2020), "year", "times", 0.2, "down", "words"),
    ("ck227", "ru", "Экспорт микроволновых печей из ЕС в Армению в январе–сентябре 2022 года вырос на 40% г/г.",
     "2022-11-25", "Armenia", "micro", JS(2022), JS(2021), "jan-sep", "pct", 0.4, "up", "words"),
    ("ck228", "ru", "❗️Экспорт ноутбуков из ЕС в Киргизию: +360% за 11 мес. 2022 г.", "2023-01-21", "Kyrgyzstan",
     "laptop", JN(2022), JN(2021), "jan-nov", "pct", 3.6, "up", "words"),
    ("ck229", "ru", "За январь–октябрь 2022 года экспорт серверов из ЕС в Казахстан вырос в 2,2 раза.", "2022-12-22",
     "Kazakhstan", "adp", JO(2022), JO(2021), "jan-oct", "times", 2.2, "up", "words"),
    ("ck230", "ru", "В октябре–ноябре 2022 года экспорт маршрутизаторов из ЕС в Киргизию вырос в 17 раз по сравнению "
     "с октябрём–ноябрём 2021 года.", "2023-01-23", "Kyrgyzstan", "router", ("2022-10", "2022-11"),
     ("2021-10", "2021-11"), "two-months-yoy", "times", 17.0, "up", "words"),
    ("ck231", "ru", "Экспорт микросхем из ЕС в Узбекистан за три квартала 2022 года упал на 40%.", "2022-11-17",
     "Uzbekistan", "ic", JS(2022), JS(2021), "jan-sep", "pct", -0.4, "down", "words"),
]

NO_DATA_7 = [
    ("ck232", "en", "Swiss watch exports to Russia plunged by 80% in January-November 2022.", "2023-02-01",
     "Switzerland", "Russia", "export", "watch", JN(2022), JN(2021), "reporter not EU"),
    ("ck233", "en", "EU passenger-car exports to the United Arab Emirates rose 30% in 2021.", "2022-03-01", "EU27",
     "United Arab Emirates", "export", "car", Y(2021), Y(2020), "partner not in the data"),
    ("ck234", "en", "EU imports of Russian cars fell by half in January-November 2022.", "2023-02-01", "EU27",
     "Russia", "import", "car", JN(2022), JN(2021), "flow not in the data"),
    ("ck235", "en", "EU washing-machine exports to Russia fell 40% month on month in December 2022.", "2023-02-20",
     "EU27", "Russia", "export", "wash", M("2022-12"), M("2022-11"), "years not in the data"),
    ("ck236", "en", "EU exports of turbojet engines to Kazakhstan tripled in 2021 over 2020.", "2022-03-01", "EU27",
     "Kazakhstan", "export", "turbine", Y(2021), Y(2020), "product not in the data (8411)"),
    ("ck237", "ru", "Экспорт стиральных машин из Турции в Россию за 9 месяцев 2022 года вырос в 5 раз.",
     "2022-11-20", "Turkey", "Russia", "export", "wash", JS(2022), JS(2021), "reporter not EU"),
    ("ck238", "ru", "Экспорт легковых автомобилей из ЕС в Китай в 2021 году вырос на треть.", "2022-03-01", "EU27",
     "China", "export", "car", Y(2021), Y(2020), "partner not in the data"),
    ("ck239", "ru", "Экспорт легковых автомобилей из Белоруссии в ЕС за январь–ноябрь 2022 года сократился вдвое.",
     "2023-02-01", "Belarus", "EU27", "export", "car", JN(2022), JN(2021), "reporter not EU"),
    ("ck240", "ru", "В январе 2023 года поставки ноутбуков из ЕС в Казахстан выросли на 20% год к году.",
     "2023-03-01", "EU27", "Kazakhstan", "export", "laptop", M("2023-01"), M("2022-01"), "years not in the data"),
    ("ck241", "ru", "Экспорт насосов (ТН ВЭД 8413) из ЕС в Казахстан в 2021 году вырос вдвое.", "2022-03-01",
     "EU27", "Kazakhstan", "export", "pump", Y(2021), Y(2020), "product not in the data (8413)"),
]


# Eighth batch, written after the seventh batch's changes and scored once, to measure those changes on
# text they were not made for.
STATEMENTS_8 = [
    ("ck242", "en", "Armenia's purchases of EU computer storage units rose more than fourfold in January-November "
     "2022 year on year.", "2023-02-06", "Armenia", "storage", JN(2022), JN(2021), "jan-nov", "more", 4.0, "up",
     "words"),
    ("ck243", "en", "EU exports of input and output units for computers to Kyrgyzstan grew by a modest 30% in the "
     "first nine months of 2022.", "2022-11-24", "Kyrgyzstan", "io", JS(2022), JS(2021), "jan-sep", "pct", 0.3, "up",
     "words"),
    ("ck244", "en", "Shipments of gears and gearboxes from the EU to Armenia climbed about elevenfold in January "
     "through November 2022 from a year earlier.", "2023-02-02", "Armenia", "gears", JN(2022), JN(2021), "jan-nov",
     "times", 11.0, "up", "words"),
    ("ck245", "en", "EU gearbox exports to Russia held roughly steady in the first nine months of 2022 compared with "
     "a year before.", "2022-11-28", "Russia", "gears", JS(2022), JS(2021), "jan-sep", "flat", 0.0, "flat", "words"),
    ("ck246", "en", "Vehicle wiring harness exports from the EU to Uzbekistan roughly quintupled in September-November "
     "2022 compared with June-August.", "2023-01-25", "Uzbekistan", "wiring", ("2022-09", "2022-11"),
     ("2022-06", "2022-08"), "three-months-sequential", "times", 5.0, "up", "words"),
    ("ck247", "en", "EU sales of binoculars to Russia rose by half in January-November 2022.", "2023-02-03", "Russia",
     "binoc", JN(2022), JN(2021), "jan-nov", "pct", 0.5, "up", "words"),
    ("ck248", "en", "The EU's exports of photographic cameras to Georgia sank by more than 70% in the first three "
     "quarters of 2022 from the year-earlier period.", "2022-11-30", "Georgia", "camera", JS(2022), JS(2021),
     "jan-sep", "less", 0.3, "down", "words"),
    ("ck249", "en", "EU router and switch exports to Uzbekistan fell in September-November 2022 from the preceding "
     "three months.", "2023-01-19", "Uzbekistan", "router", ("2022-09", "2022-11"), ("2022-06", "2022-08"),
     "three-months-sequential", "dir", None, "down", "words"),
    ("ck250", "en", "In October 2022 EU exports of networking equipment to Kyrgyzstan slipped from September.",
     "2022-12-21", "Kyrgyzstan", "router", M("2022-10"), M("2022-09"), "month-on-month", "dir", None, "down", "words"),
    ("ck251", "en", "EU memory-chip exports to Armenia soared about eightyfold in January-November 2022.",
     "2023-02-09", "Armenia", "mem", JN(2022), JN(2021), "jan-nov", "times", 80.0, "up", "words"),
    ("ck252", "en", "Antenna exports from the EU to Uzbekistan quadrupled in 2022's first 11 months.", "2023-01-30",
     "Uzbekistan", "ant", JN(2022), JN(2021), "jan-nov", "times", 4.0, "up", "words"),
    ("ck253", "en", "Navigation receivers shipped from the EU to Kazakhstan: up 4.5 times in Jan-Sep 2022 year on "
     "year.", "2022-11-29", "Kazakhstan", "nav", JS(2022), JS(2021), "jan-sep", "times", 4.5, "up", "words"),
    ("ck255", "ru", "Вывоз систем хранения данных из Евросоюза в Казахстан за январь–ноябрь 2022 года вырос примерно "
     "втрое.", "2023-02-07", "Kazakhstan", "storage", JN(2022), JN(2021), "jan-nov", "times", 3.0, "up", "words"),
    ("ck256", "ru", "Экспорт зубчатых передач и редукторов из ЕС в Грузию за 9 месяцев 2022 года снизился.",
     "2022-11-25", "Georgia", "gears", JS(2022), JS(2021), "jan-sep", "dir", None, "down", "words"),
    ("ck257", "ru", "Экспорт биноклей из ЕС в Казахстан за январь–сентябрь 2022 года вырос примерно вдвое.",
     "2022-11-22", "Kazakhstan", "binoc", JS(2022), JS(2021), "jan-sep", "times", 2.0, "up", "words"),
    ("ck258", "ru", "Экспорт фотоаппаратов из ЕС в Россию в 2021 году сократился на треть.", "2022-03-09", "Russia",
     "camera", Y(2021), Y(2020), "year", "pct", -1 / 3, "down", "words"),
    ("ck259", "ru", "Экспорт маршрутизаторов из ЕС в Грузию в сентябре–ноябре 2022 года увеличился в 2,35 раза по "
     "сравнению с июнем–августом.", "2023-01-18", "Georgia", "router", ("2022-09", "2022-11"), ("2022-06", "2022-08"),
     "three-months-sequential", "times", 2.35, "up", "words"),
    ("ck260", "ru", "В III квартале 2022 года Казахстан получил из ЕС на 10% меньше систем хранения данных, чем во II "
     "квартале.", "2022-12-14", "Kazakhstan", "storage", Q(2022, 3), Q(2022, 2), "quarter-on-quarter", "pct", -0.1,
     "down", "words"),
    ("ck261", "ru", "Экспорт микросхем памяти из Евросоюза в Армению за 9 месяцев 2022 года вырос в 58 раз.",
     "2022-11-23", "Armenia", "mem", JS(2022), JS(2021), "jan-sep", "times", 58.0, "up", "words"),
    ("ck262", "ru", "Экспорт навигационной аппаратуры из ЕС в Армению за 11 месяцев 2022 года вырос на 86%.",
     "2023-01-31", "Armenia", "nav", JN(2022), JN(2021), "jan-nov", "pct", 0.86, "up", "words"),
]

NO_DATA_8 = [
    ("ck254", "en", "EU exports of hearing aids to Russia fell 30% in January-November 2022.", "2023-02-01", "EU27",
     "Russia", "export", "hearing", JN(2022), JN(2021), "product not in the data (9021.40)"),
    ("ck263", "ru", "Экспорт слуховых аппаратов из ЕС в Казахстан в 2021 году вырос на 15%.", "2022-03-01", "EU27",
     "Kazakhstan", "export", "hearing", Y(2021), Y(2020), "product not in the data (9021.40)"),
]


def main() -> None:
    figures = Figures(load())
    rows = []
    for (sid, lang, claim, published, partner, prod, window, baseline, ptype, kind, x, direction,
         named_by), batch in [(s, 1) for s in STATEMENTS] + [(s, 2) for s in STATEMENTS_2] + [(s, 3) for s in STATEMENTS_3] \
            + [(s, 4) for s in STATEMENTS_4] + [(s, 5) for s in STATEMENTS_5] \
            + [(s, 6) for s in STATEMENTS_6] + [(s, 7) for s in STATEMENTS_7] \
            + [(s, 8) for s in STATEMENTS_8]:
        codes = PRODUCTS[prod]
        for code in codes:
            for period in (window, baseline):
                assert figures.covered(code, partner, period), (sid, code, period)
        for period in (window, baseline):
            assert FIRST <= period[0] <= period[1] <= LAST, (sid, period)
            assert published[:7] > period[1], (sid, published)
        assert len(month_list(*window)) == len(month_list(*baseline)), sid
        base, win = figures.total(codes, partner, baseline), figures.total(codes, partner, window)
        assert max(base, win) >= MIN_EUR, (sid, base, win)
        r = win / base
        expected = verdict(kind, x, direction, r)
        assert expected != "grey", (sid, r, kind, x)
        hs6 = sorted({c[:6] for c in codes})
        if len(codes[0]) == 8:  # a CN8 code: the verdict must not depend on reading it at HS6 level
            r6 = figures.total(hs6, partner, window) / figures.total(hs6, partner, baseline)
            assert verdict(kind, x, direction, r6) == expected, (sid, r6)
        measure = f"{kind}: {direction}" + (f" {x:g}" if x is not None and kind != "flat" else "")
        rows.append({
            "id": sid, "lang": lang, "claim": claim, "published": published, "expected": expected,
            "why": f"EU27 exports to {partner} of {'/'.join(codes)}: {baseline[0]}..{baseline[1]} EUR "
                   f"{base:,.0f} -> {window[0]}..{window[1]} EUR {win:,.0f} (ratio {r:.3f}); {measure} "
                   f"-> {expected}",
            "reporter": "EU27", "partner": partner, "flow": "export", "product_hs6": hs6,
            "product_named_by": named_by, "window": f"{window[0]}..{window[1]}",
            "baseline": f"{baseline[0]}..{baseline[1]}", "period_type": ptype, "measure": measure,
            "measure_kind": kind, "baseline_eur": round(base), "window_eur": round(win), "ratio": round(r, 4),
            "batch": batch,
        })
    for (sid, lang, claim, published, reporter, partner, flow, prod, window, baseline, reason), batch in \
            [(s, 1) for s in NO_DATA] + [(s, 2) for s in NO_DATA_2] + [(s, 3) for s in NO_DATA_3] + [(s, 4) for s in NO_DATA_4] \
            + [(s, 5) for s in NO_DATA_5] + [(s, 6) for s in NO_DATA_6] + [(s, 7) for s in NO_DATA_7] \
            + [(s, 8) for s in NO_DATA_8]:
        hs6 = PRODUCTS[prod]
        if reason.startswith("product"):
            assert not figures.cn8(hs6), (sid, hs6)
        if reason.startswith("partner"):
            assert not [p for p in figures.partners if partner in p], sid
        if reason.startswith("years"):
            assert window[1] > LAST or window[0] < FIRST, sid
        rows.append({
            "id": sid, "lang": lang, "claim": claim, "published": published, "expected": "no_data",
            "why": f"no_data: {reason}", "reporter": reporter, "partner": partner, "flow": flow,
            "product_hs6": hs6, "product_named_by": "words", "window": f"{window[0]}..{window[1]}",
            "baseline": f"{baseline[0]}..{baseline[1]}", "period_type": "no_data", "measure": "no_data",
            "measure_kind": "no_data", "baseline_eur": None, "window_eur": None, "ratio": None,
            "batch": batch,
        })
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    rows.sort(key=lambda row: int(row["id"][2:]))
    counts = collections.Counter((r["lang"], r["expected"]) for r in rows)
    for row in rows:
        print(f"{row['id']} {row['expected']:12} {row['ratio']}")
    print(f"{len(rows)} statements -> {OUT.relative_to(REPO)}; {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    main()
