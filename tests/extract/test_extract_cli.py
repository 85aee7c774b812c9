"""``sanctions extract`` through typer's CliRunner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nlp.cli import app

runner = CliRunner()


def records(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_bad_file_is_an_error_while_good_files_still_print(tmp_path):
    good = tmp_path / "gut.txt"
    good.write_text("Die Kontron AG lieferte Waren nach Russland und in die Ukraine.", encoding="utf-8")
    bad = tmp_path / "broken.bin"
    bad.write_bytes(b"\x00\x01\x02 not a document")
    result = runner.invoke(app, ["extract", str(bad), str(good), "--workers", "1"])
    assert result.exit_code == 1
    assert "error:" in result.stderr and "broken.bin" in result.stderr
    [record] = records(result.stdout)
    assert record["source"].endswith("gut.txt")
    assert any(e["text"] == "Kontron AG" for e in record["entities"])


def test_usage_errors_are_one_line(tmp_path):
    result = runner.invoke(app, ["extract"])
    assert result.exit_code == 2 and "error:" in result.stderr
    result = runner.invoke(app, ["extract", str(tmp_path), "--published", "yesterday"])
    assert result.exit_code == 2 and "--published" in result.stderr


@pytest.mark.slow
def test_offsets_index_the_file_and_published_moves_relative_dates(tmp_path):
    text = ("Kazakhstan’s re-exports to Russia grew last year, the European Commission said.\n"
            "ООО «Ромашка» is named in the report.\n")
    path = tmp_path / "news.txt"
    path.write_bytes(text.encode("utf-8"))
    file_text = path.read_bytes().decode("utf-8")
    first = records(runner.invoke(app, ["extract", str(path), "--lang", "en", "--published", "2020-03-01",
                                        "--with-text"]).stdout)[0]
    assert first["text"] == file_text
    for ent in first["entities"]:
        assert file_text[ent["start"]:ent["end"]] == ent["text"]
    assert {"Kazakhstan", "Russia", "European Commission", "ООО «Ромашка»"} <= \
        {e["text"] for e in first["entities"]}
    second = records(runner.invoke(app, ["extract", str(path), "--lang", "en",
                                         "--published", "2023-03-01"]).stdout)[0]
    if first["dates"] and second["dates"]:  # the dates layer may not be installed yet
        last_year = lambda rec: next(d for d in rec["dates"] if d["text"] == "last year")  # noqa: E731
        assert last_year(first)["value"] != last_year(second)["value"]
        assert str(last_year(first)["value"]).startswith("2019")
    assert first["published"] == "2020-03-01"


@pytest.mark.slow
def test_all_with_store_and_two_workers(tmp_path):
    from nlp.ingest import ingest
    from nlp.store import Store

    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(10):
        (folder / f"n{i}.txt").write_text(
            f"Report {i}: JSC Rosneft shipped goods to Kazakhstan via Bishkek.\n", encoding="utf-8")
    store_dir = tmp_path / "store"
    with Store(store_dir) as db:
        ingest([folder], db)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", "--all", "--store", str(store_dir), "--workers", "2",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 10
    with Store(store_dir) as db:
        for rec in lines:
            entities = db.annotations(rec["doc_id"], "entity")
            assert {"JSC Rosneft", "Kazakhstan", "Bishkek"} <= {e["text"] for e in entities}


@pytest.mark.slow
def test_store_lists_feed_the_gazetteer(tmp_path):
    from nlp.records import ListingEntry, ReadResult
    from nlp.store import Store

    store_dir = tmp_path / "store"
    entry = ListingEntry(entry_id="e1", list_name="EU 833/2014", source_id="1", schema="LegalEntity",
                         name="Blue Ocean Maritime Services")
    with Store(store_dir) as db:
        db.replace_file("/lists/x.csv", "sha", 1, "test", ReadResult(listings=[entry]))
    path = tmp_path / "note.txt"
    path.write_text("The cargo was booked by blue ocean maritime services and then by "
                    "Blue Ocean Maritime Services in Dubai.\n", encoding="utf-8")
    args = ["extract", str(path), "--lang", "en", "--workers", "1"]
    with_store = records(runner.invoke(app, [*args, "--store", str(store_dir)]).stdout)[0]
    found = {(e["text"], e["label"]) for e in with_store["entities"]}
    assert ("Blue Ocean Maritime Services", "ORG") in found
    assert not any(e["text"] == "blue ocean maritime services" for e in with_store["entities"])


def test_records_give_one_output_per_input_with_the_same_id(tmp_path):
    lines = [
        {"id": "en-1", "text": "Exports rose last year.", "published": "2024-11-22"},
        {"id": 2, "text": "Стороны встретятся 18 июня.", "lang": "ru"},
        {"id": "en-3", "text": "Exports rose last year.", "published": "2019-03-01"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n{broken\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", "--records", str(path), "--workers", "1"])
    out = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["id"] for r in out] == ["en-1", 2, "en-3", None]
    assert out[0]["dates"][0]["value"] == "2023"
    assert out[2]["dates"][0]["value"] == "2018"  # each record's own publication date
    assert out[1]["dates"][0]["value"] == "XXXX-06-18"  # nothing anchors it: no year invented
    assert out[3]["line"] == 4 and "not JSON" in out[3]["error"]
    assert result.exit_code == 1


def test_records_from_stdin():
    result = runner.invoke(app, ["extract", "--records", "-", "--workers", "1"],
                           input='{"id": "x", "text": "HS code 8471", "lang": "en"}\n')
    assert result.exit_code == 0
    (record,) = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert record["id"] == "x" and record["hs_codes"][0]["code"] == "8471"
