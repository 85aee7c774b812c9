"""A verdict on a code set says how many of its codes the store has figures for:
a sum over 9 of 50 codes is not silently the claim's 50."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.ingest import ingest
from nlp.link import verify_statement
from nlp.store import Store

SAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "samples"


@pytest.fixture(scope="module")
def trade_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trade")
    (folder / "eu.csv").write_bytes((SAMPLES / "eu_exports_chp_items_monthly_2020-2022.csv").read_bytes())
    store = Store(tmp_path_factory.mktemp("store"))
    ingest([folder], store)
    yield store
    store.close()


def test_a_verdict_on_codes_partly_in_the_data_says_which_share_it_rests_on(trade_store):
    # 8471 is in the sample data, 9301 (military weapons) is not
    result = verify_statement("EU exports of HS 8471 and HS 9301 to Armenia increased in 2022 compared with 2021",
                              trade_store, published="2023-03-01", with_evidence=False)
    assert result["verdict"] in ("supported", "contradicted")
    own = next(s for s in result["series"] if not s["proxy"])
    assert own["codes_with_data"] == ["8471"]
    assert "figures for 1 of the 2 codes" in result["explanation"]


def test_a_verdict_on_codes_all_in_the_data_adds_nothing(trade_store):
    result = verify_statement("EU exports of HS 8471 to Armenia increased in 2022 compared with 2021",
                              trade_store, published="2023-03-01", with_evidence=False)
    own = next(s for s in result["series"] if not s["proxy"])
    assert own["codes_with_data"] == ["8471"]
    assert "figures for" not in result["explanation"]
