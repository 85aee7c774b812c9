"""FtM export: entities validate with followthemoney's model and load back."""

from __future__ import annotations

import json

import pytest

from nlp.records import Document, ListingEntry, ReadResult

pytest.importorskip("followthemoney")

TEXT = ("Sergey Shoigu met executives of Rosoboronexport in Moscow. "
        "Green Energy said it had no ties to John Smith. ") * 3


def _fill(store) -> str:
    doc = Document(doc_id="d1", kind="news", lang="en", text=TEXT, source="https://example.org/a1",
                   title="Shoigu meets exporters", published="2024-06-07", author="Desk")
    big = Document(doc_id="d2", kind="regulation", lang="en", text=("Article 1\n\n" + "x" * 900) * 80,
                   source="act.html", title="A long act")
    entries = [
        ListingEntry(entry_id="e1", list_name="EU FSF", source_id="EU.1", schema="Person",
                     name="Sergei Kuzhugetovich SHOIGU", aliases=["Sergey Shoigu"],
                     birth_dates=["1955-05-21"], nationalities=["RU"], programme="RUS",
                     listing_date="2022-02-25", reason="Minister of Defence", legal_act="32014R0269"),
        ListingEntry(entry_id="e2", list_name="EU FSF", source_id="EU.2", schema="Organization",
                     name="JSC Rosoboronexport", identifiers={"registration_number": ["1117746521452"]}),
        ListingEntry(entry_id="e3", list_name="OFAC SDN", source_id="123", schema="Vessel",
                     name="GREEN ENERGY", identifiers={"imo": ["9074729"]}),
    ]
    store.replace_file("lists.csv", "0" * 64, 1, "test", ReadResult(listings=entries))
    store.replace_file("news.txt", "1" * 64, 1, "test", ReadResult(documents=[doc, big]))
    spans = []
    for name, label in (("Sergey Shoigu", "PERSON"), ("Rosoboronexport", "ORG"), ("Moscow", "GPE"),
                        ("Green Energy", "ORG"), ("John Smith", "PERSON")):
        start = TEXT.index(name)
        spans.append({"start": start, "end": start + len(name), "text": name, "label": label})
    store.replace_annotations("d1", {"entity": spans})
    from nlp.link import CLAIMS_SCHEMA

    store.ensure_schema(CLAIMS_SCHEMA)
    claim = {"claim": "Exports of chips from Kazakhstan to Russia rose.", "verdict": "no_data",
             "explanation": "no direct data", "frame": {"reporter": "KZ", "partner": "RU", "flow": "export",
                                                        "subject": {"codes": ["8542"]}},
             "series": [{"label": "EU exports to KZ", "proxy": True, "change_pct": 98.0, "caveat": "proxy"}]}
    with store.transaction() as db:
        db.execute("INSERT INTO claims VALUES (?,?,?,?,?,?,?,?)",
                   ("c1", "d1", 0, 10, claim["claim"], "no_data", json.dumps(claim), 0.0))
    return "d1"


def test_export_validates_and_round_trips(store):
    from followthemoney import model

    from nlp.export.ftm import ExportCounts, check_references, export_store, validate_entity

    _fill(store)
    counts = ExportCounts()
    lines = [json.dumps(e.to_dict()) for e in export_store(store, counts=counts)]
    loaded = [validate_entity(json.loads(line)) for line in lines]
    assert not check_references(loaded)
    by_schema: dict[str, list] = {}
    for proxy in loaded:
        by_schema.setdefault(proxy.schema.name, []).append(proxy)
    # the listed entries as the schema they are, each with its Sanction
    assert {p.schema.name for p in loaded if "sanction" in p.get("topics", quiet=True)} == {"Person", "Company", "Vessel"}
    shoigu = next(p for p in by_schema["Person"])
    assert shoigu.get("birthDate") == ["1955-05-21"] and shoigu.get("nationality") == ["ru"]
    sanction = next(s for s in by_schema["Sanction"] if s.get("entity") == [shoigu.id])
    assert sanction.get("authority") == ["EU FSF"] and sanction.get("listingDate") == ["2022-02-25"]
    assert next(p for p in by_schema["Vessel"]).get("imoNumber") == ["IMO9074729"]
    assert next(p for p in by_schema["Company"]).get("registrationNumber") == ["1117746521452"]
    # the article and its mentions; the mention of a listed name is resolved to it
    article = by_schema["Article"][0]
    assert article.get("publishedAt") == ["2024-06-07"] and article.get("language") == ["eng"]
    assert article.get("sourceUrl") == ["https://example.org/a1"]
    mentions = {m.first("name"): m for m in by_schema["Mention"]}
    assert set(mentions) == {"Sergey Shoigu", "Rosoboronexport", "Green Energy", "John Smith"}
    assert mentions["Sergey Shoigu"].get("resolved") == [shoigu.id]
    assert all(m.get("document") == [article.id] for m in mentions.values())
    assert not mentions["John Smith"].get("resolved")
    assert not mentions["Green Energy"].get("resolved")  # an organisation is not the vessel of that name
    assert mentions["Sergey Shoigu"].get("contextCountry") == ["ru"]
    # the long act is Pages with Page parts, every part within FtM's text limit
    assert [p.schema.name for p in loaded if p.id == "snlp-doc-d2"] == ["Pages"]
    pages = [p for p in by_schema["Page"] if p.get("document") == ["snlp-doc-d2"]]
    joined = "\n\n".join(p.first("bodyText") for p in sorted(pages, key=lambda p: int(p.first("index"))))
    assert len(pages) >= 2 and joined == store.document("d2").text  # parts are cut at paragraph breaks
    # the claim and its verdict as a Note on the article
    note = by_schema["Note"][0]
    assert note.get("entity") == [article.id] and note.get("name") == ["Claim: no_data"]
    assert "verdict:no_data" in note.get("keywords") and "hs:8542" in note.get("keywords")
    assert any(n.startswith("PROXY: EU exports to KZ") for n in note.get("notes"))
    assert counts.resolved == 2 and counts.claims == 1
    # followthemoney itself reads every line back into an equal entity
    for line in lines:
        data = json.loads(line)
        assert model.get_proxy(data).to_dict() == data


def test_invalid_entities_are_refused():
    from nlp.export.ftm import InvalidEntity, validate_entity

    with pytest.raises(InvalidEntity, match="unknown schema"):
        validate_entity({"id": "x", "schema": "Spaceship", "properties": {}})
    with pytest.raises(InvalidEntity, match="no property"):
        validate_entity({"id": "x", "schema": "Person", "properties": {"wingspan": ["3"]}})
    with pytest.raises(InvalidEntity):
        validate_entity({"id": "x", "schema": "Person", "properties": {"birthDate": ["not a date"]}})


def test_cli_writes_a_file(tmp_path, store):
    from typer.testing import CliRunner

    from nlp.cli import app

    _fill(store)
    out = tmp_path / "out.ftm.json"
    result = CliRunner().invoke(app, ["export", "--format", "ftm", "--store", str(store.dir),
                                      "-o", str(out), "--no-resolve"])
    assert result.exit_code == 0, result.output
    schemas = {json.loads(line)["schema"] for line in out.read_text().splitlines()}
    assert {"Article", "Mention", "Person", "Sanction", "Note"} <= schemas
    bad = CliRunner().invoke(app, ["export", "--format", "csv", "--store", str(store.dir)])
    assert bad.exit_code == 2 and "unknown format" in bad.output


def test_export_reads_back_into_a_store(tmp_path, store):
    """The project's own FtM reader takes the export: the listed parties and their sanctions come back."""
    from nlp.export.ftm import export_store
    from nlp.ingest import ingest
    from nlp.store import Store

    _fill(store)
    path = tmp_path / "export.ftm.json"
    path.write_text("".join(json.dumps(e.to_dict()) + "\n" for e in export_store(store, resolve=False)))
    with Store(tmp_path / "again") as again:
        summary = ingest([path], again)
        assert summary.failed == 0
        back = {e.name: e for e in again.listings()}
    assert set(back) == {e.name for e in store.listings()}
    shoigu = back["Sergei Kuzhugetovich SHOIGU"]
    assert shoigu.list_name == "EU FSF" and shoigu.programme == "RUS" and shoigu.listing_date == "2022-02-25"
    assert shoigu.aliases == ["Sergey Shoigu"] and shoigu.extra["ftm_id"] == "snlp-entry-e1"


def test_values_over_ftm_limits_are_kept_as_notes_or_dropped():
    from nlp.export.ftm import document_entity, listing_entities, validate_entity

    long_id = "Russian passport no. 55 0314316, valid from 6.12.2019 until 6.12.2029 (issued in Moscow)"
    entry = ListingEntry(entry_id="x", list_name="EU FSF", source_id="X/" + "Bank " * 30, schema="Person",
                         name="Ivan Testov", identifiers={"passport": [long_id, "551234567"]})
    party, sanction = listing_entities(entry)
    assert party.get("passportNumber") == ["551234567"]
    assert f"passportNumber: {long_id}" in party.get("notes")
    assert any(line.startswith("authorityId: X/Bank") for line in sanction.get("summary"))
    doc = Document(doc_id="d9", kind="news", lang="ru", text="text", source="s.txt")
    article = document_entity(doc, [{"layer": "entity", "label": "ORG", "text": "Банк • " * 300}])
    assert not article.get("companiesMentioned")
    for entity in (party, sanction, article):
        validate_entity(entity.to_dict())
