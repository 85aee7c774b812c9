"""A verdict on yearly figures quotes the yearly totals, not twelve times them."""

from __future__ import annotations

import pytest

from nlp.ingest import ingest
from nlp.link import verify_statement
from nlp.store import Store

YEARLY = ("reporter,partner,flow,product_code,code_system,period,value,currency\n"
          "KG,RU,export,TOTAL,HS,2021,393000000,USD\n"
          "KG,RU,export,TOTAL,HS,2022,1070000000,USD\n"
          "KG,RU,export,TOTAL,HS,2023,824000000,USD\n")


@pytest.fixture()
def yearly_store(tmp_path):
    folder = tmp_path / "trade"
    folder.mkdir()
    (folder / "kg_exports_yearly.csv").write_text(YEARLY, encoding="utf-8")
    with Store(tmp_path / "store") as store:
        ingest([folder], store)
        yield store


def test_yearly_figures_are_quoted_as_stored(yearly_store):
    result = verify_statement("Kyrgyzstan's exports to Russia fell in 2023 compared with 2022", yearly_store,
                              published="2024-03-01", with_evidence=False)
    assert result["verdict"] == "supported", result["explanation"]
    assert "USD 824.0m in 2023 against" in result["explanation"], result["explanation"]
    assert "USD 1,070.0m in 2022 (" in result["explanation"], result["explanation"]
    assert result["figures"]["window_total"] == 824000000



def test_figures_without_a_stated_unit_are_not_labelled_euros():
    from nlp.link.verify import _money

    assert _money(3_418_641.6, None) == "3.4m (unit not stated)"
    assert _money(284_886.8, None) == "284,887 (unit not stated)"
    assert _money(3_418_641.6, "USD") == "USD 3.4m"
