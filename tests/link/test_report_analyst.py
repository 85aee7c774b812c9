"""What an analyst reads in a report: each statement once, and for a claim
the corpus cannot check, the command that would fetch its missing series."""

from __future__ import annotations

import shutil
from pathlib import Path

from nlp.ingest import ingest
from nlp.link import link_document
from nlp.link.report import render
from nlp.store import Store

SAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "samples"

HEADLINE = "Kazakhstan's re-exports of dual-use goods to Russia increased in 2023 compared with 2022"
# A page that prints its headline twice (above and below a subtitle), as copied news pages do.
ARTICLE = (f"---\ntitle: Re-exports\ndate: 2024-06-07\n---\n\n{HEADLINE}\n\nA subtitle about trade.\n\n"
           f"{HEADLINE}\n\nThe re-export of dual-use items from Kazakhstan to Russia increased in 2023 "
           "compared with 2022, officials said.\n")


def _store_with(tmp_path: Path) -> tuple[Store, str]:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SAMPLES / "eu_exports_chp_items_monthly_2020-2022.csv", src)
    (src / "twice.txt").write_text(ARTICLE, encoding="utf-8")
    store = Store(tmp_path / "store")
    ingest([src], store)
    doc_id = next(d.doc_id for d in store.documents(with_blocks=False) if d.source.endswith("twice.txt"))
    return store, doc_id


def test_a_sentence_printed_twice_is_one_claim(tmp_path):
    store, doc_id = _store_with(tmp_path)
    with store:
        texts = [c["claim"] for c in link_document(doc_id, store, with_evidence=False)]
    assert texts.count(HEADLINE) == 1, texts


def test_reports_name_the_fetch_command_for_a_claim_without_data(tmp_path):
    store, doc_id = _store_with(tmp_path)
    with store:
        claims = link_document(doc_id, store, with_evidence=False)
        assert any(c["verdict"] == "no_data" for c in claims)
        doc = store.document(doc_id)
        md = render(doc, claims, store, tmp_path / "r.md").read_text(encoding="utf-8")
        html = render(doc, claims, store, tmp_path / "r.html").read_text(encoding="utf-8")
    command = "sanctions corpus fetch --source comtrade --reporter KZ --partner RU"
    assert command in md
    assert command in html



def test_markdown_series_table_shows_mirror_and_proxy_caveats():
    from nlp.link.report import _md_series

    mirror = {"label": "MIRROR: RU's imports from KZ (HS 8542), standing in for KZ's exports", "proxy": False,
              "mirror": True, "caveat": "imports are valued CIF, exports FOB; timing differs", "codes": ["8542"]}
    proxy = {"label": "EU total exports to KZ (all goods)", "proxy": True, "mirror": False,
             "caveat": "All goods, not the claimed items.", "codes": ["TOTAL"]}
    table = _md_series([mirror, proxy])
    assert "MIRROR: RU's imports from KZ" in table and "PROXY: EU total exports to KZ" in table
    assert "imports are valued CIF, exports FOB; timing differs" in table
    assert "All goods, not the claimed items." in table
