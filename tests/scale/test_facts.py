"""Trade facts through one interface: the SQLite store and DuckDB over Parquet agree."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")

from nlp.facts import DuckDBFacts, SQLiteFacts, export_store_facts, facts_for
from nlp.ingest import ingest
from nlp.store import Store

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "corpus" / "gold" / "claims_gold.jsonl"


def _verdicts(store: Store, claims: list[dict]) -> list[dict]:
    from nlp.link import verify_statement

    out = []
    for claim in claims:
        result = verify_statement(claim["claim"], store, published=claim.get("published"),
                                  lang=claim.get("lang", "auto"), with_evidence=False)
        out.append({"verdict": result["verdict"], "figures": result["figures"],
                    "series": result["series"], "explanation": result["explanation"]})
    return out


def assert_backends_agree(store: Store, dataset: Path, claims: list[dict], monkeypatch) -> list[dict]:
    monkeypatch.delenv("SANCTIONS_TRADE_FACTS", raising=False)
    assert isinstance(facts_for(store), SQLiteFacts)
    with_sqlite = _verdicts(store, claims)
    monkeypatch.setenv("SANCTIONS_TRADE_FACTS", str(dataset))
    assert isinstance(facts_for(store), DuckDBFacts)
    with_duckdb = _verdicts(store, claims)
    for claim, a, b in zip(claims, with_sqlite, with_duckdb):
        assert a == b, claim["claim"]
    return with_sqlite


def test_same_verdicts_on_the_samples(tmp_path, monkeypatch):
    claims = [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    with Store(tmp_path / "store") as store:
        ingest([REPO / "corpus" / "samples"], store)
        rows = export_store_facts(store, tmp_path / "facts")
        assert rows == store.totals()["trade_facts"]
        results = assert_backends_agree(store, tmp_path / "facts", claims, monkeypatch)
    verdicts = {r["verdict"] for r in results}
    assert {"supported", "contradicted"} <= verdicts
    # The gold verdicts hold with DuckDB too.
    assert sum(r["verdict"] == c["expected"]["verdict"] for r, c in zip(results, claims)) == len(claims)


def test_observations_and_coverage_match(tmp_path):
    with Store(tmp_path / "store") as store:
        ingest([REPO / "corpus" / "samples"], store)
        export_store_facts(store, tmp_path / "facts")
        sqlite, duck = SQLiteFacts(store), DuckDBFacts(tmp_path / "facts")
        assert duck.count() == store.totals()["trade_facts"]
        for query in ({"flow": "export", "granularity": "month", "reporters": ["EU27"], "partner": "KZ",
                       "codes": ["8542"]},
                      {"flow": "export", "granularity": "month", "reporters": None, "partner": None,
                       "codes": ["85", "84"]},
                      {"flow": "export", "granularity": "year", "reporters": None, "partner": None,
                       "codes": []}):
            a, b = sqlite.observations(**query), duck.observations(**query)
            assert a == b
        sources = sorted({o.source for o in sqlite.observations(flow="export", granularity="month",
                                                                 reporters=None, partner=None, codes=["8"])})
        assert sources and sqlite.coverage(sources, "month") == duck.coverage(sources, "month")
        assert duck.coverage([], "month") is None
        with pytest.raises(ValueError):
            duck.observations(flow="export'; DROP TABLE x; --", granularity="month", reporters=None,
                              partner=None, codes=[])


BULK_HEADER = ("typeCode\tfreqCode\trefPeriodId\trefYear\trefMonth\tperiod\treporterCode\treporterISO\t"
               "reporterDesc\tflowCode\tflowDesc\tpartnerCode\tpartnerISO\tpartnerDesc\tpartner2Code\t"
               "partner2ISO\tclassificationCode\tcmdCode\tcmdDesc\tcustomsCode\tmosCode\tmotCode\t"
               "qtyUnitAbbr\tqty\tnetWgt\tprimaryValue")


def _bulk_row(period, reporter, flow, partner, code, value, partner2="0", customs="C00", mot="0"):
    return "\t".join(["C", "M", period + "01", period[:4], period[4:], period, "398", reporter, "Kazakhstan",
                      flow, "Export", "643", partner, "Russian Federation", partner2, "W00", "H6", code,
                      "Goods", customs, "0", mot, "kg", "10", "10", str(value)])


def test_comtrade_bulk_files_into_a_dataset(tmp_path):
    from nlp.scale.comtrade import import_comtrade

    bulk = tmp_path / "in" / "KAZ_2023_M.txt.gz"
    bulk.parent.mkdir()
    lines = [BULK_HEADER,
             _bulk_row("202301", "KAZ", "X", "RUS", "854231", 1000),
             _bulk_row("202302", "KAZ", "X", "RUS", "854231", 3000),
             _bulk_row("202302", "KAZ", "X", "RUS", "854231", 999, mot="1000"),  # breakdown: skipped
             _bulk_row("202302", "KAZ", "RX", "RUS", "854239", 50),
             _bulk_row("202302", "KAZ", "X", "W00", "TOTAL", 9e9)]
    bulk.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    legacy = tmp_path / "in" / "legacy.csv"
    legacy.write_text("Classification,Year,Period,Trade Flow Code,Reporter,Reporter ISO,Partner,Partner ISO,"
                      "Commodity Code,Commodity,Qty Unit,Qty,Netweight (kg),Trade Value (US$)\n"
                      "H4,2021,2021,2,Armenia,ARM,Russian Federation,RUS,8542,Circuits,kg,5,5,700\n",
                      encoding="utf-8")
    (tmp_path / "in" / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    dataset = tmp_path / "facts"
    summary = import_comtrade([str(tmp_path / "in")], dataset)
    assert (summary["written"], summary["failed"], summary["rows"]) == (2, 1, 5)
    assert summary["skipped"] == {"breakdown row": 1}
    duck = DuckDBFacts(dataset)
    got = duck.observations(flow="export", granularity="month", reporters=["KZ"], partner="RU", codes=["8542"])
    assert [(o.period, o.value, o.currency) for o in got] == [("2023-01", 1000.0, "USD"), ("2023-02", 3000.0, "USD")]
    assert [o.value for o in duck.observations(flow="re-export", granularity="month", reporters=["KZ"],
                                               partner="RU", codes=["854239"])] == [50.0]
    assert [o.value for o in duck.observations(flow="export", granularity="month", reporters=["KZ"],
                                               partner="WORLD", codes=[])] == [9e9]
    assert [o.reporter for o in duck.observations(flow="export", granularity="year", reporters=None,
                                                  partner="RU", codes=["8542"])] == ["AM"]
    assert duck.coverage([got[0].source], "month") == ("2023-01", "2023-02")
    # Incremental: unchanged files are skipped, a changed file replaces its rows only.
    again = import_comtrade([str(tmp_path / "in")], dataset)
    assert (again["written"], again["unchanged"]) == (0, 2)
    legacy.write_text(legacy.read_text(encoding="utf-8").replace(",700", ",800"), encoding="utf-8")
    changed = import_comtrade([str(tmp_path / "in")], dataset)
    assert (changed["written"], changed["unchanged"]) == (1, 1)
    duck = DuckDBFacts(dataset)
    assert duck.count() == 5
    assert [o.value for o in duck.observations(flow="export", granularity="year", reporters=["AM"],
                                               partner="RU", codes=["8542"])] == [800.0]


@pytest.mark.slow
@pytest.mark.corpus
def test_same_verdicts_on_the_corpus_trade_statistics(corpus, tmp_path, monkeypatch):
    claims = [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    claims += [{"claim": text, "published": "2024-06-07", "lang": "auto"} for text in (
        "Kazakhstan's re-exports of dual-use goods to Russia increased in 2023.",
        "EU exports to Kazakhstan rose sharply after the invasion.",
        "Armenia's re-exports of the most sensitive items fell after April 2023.",
        "EU exports of computers to Russia fell in 2022 compared with 2021.",
        "Экспорт из ЕС в Киргизию вырос в 2022 году по сравнению с 2021 годом.",
    )]
    with Store(tmp_path / "store") as store:
        ingest([corpus / "trade_stats", REPO / "corpus" / "samples"], store)
        export_store_facts(store, tmp_path / "facts")
        results = assert_backends_agree(store, tmp_path / "facts", claims, monkeypatch)
    assert len({r["verdict"] for r in results}) >= 3
