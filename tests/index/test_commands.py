import json

import pytest
from index_helpers import HashEmbedder, news_en, news_ru, put, regulation, route_client_to
from typer.testing import CliRunner

import nlp.index.search as search_module
from nlp.cli import app
from nlp.index.build import sync_index
from nlp.index.commands import JSON_KEYS, snippet

runner = CliRunner()


@pytest.fixture()
def built(store, embedder, monkeypatch):
    put(store, "a.xml", regulation())
    put(store, "b.json", news_ru())
    put(store, "c.txt", news_en())
    sync_index(store, embedder=embedder)
    # The CLI loads the index's model by name: hand it the stand-in.
    monkeypatch.setattr(search_module, "get_embedder", lambda name: HashEmbedder())
    return store.dir


def test_search_json_lines_shape(built):
    result = runner.invoke(app, ["search", "integrated circuits", "--store", str(built), "--json", "--k", "2"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 2
    for rank, row in enumerate(rows, 1):
        assert set(JSON_KEYS) <= set(row)
        assert {"rank", "score", "doc_id", "source", "source_id", "passage_id", "text", "kind", "lang",
                "page", "section"} <= set(row)
        assert row["rank"] == rank and isinstance(row["score"], float)
    assert rows[0]["passage_id"] == "reg1:0" and rows[0]["section"] == "Article 1"


def test_search_many_queries_in_one_run(built, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "q1", "text": "funds frozen"}\n{"id": "q2", "text": "реэкспорт"}\n',
                       encoding="utf-8")
    result = runner.invoke(app, ["search", "--queries", str(queries), "--store", str(built), "--json",
                                 "--k", "1", "--mode", "lexical"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["query_id"], r["doc_id"]) for r in rows] == [("q1", "reg1"), ("q2", "ru1")]
    assert rows[1]["source_id"] == "post-7"


def test_search_filters_and_human_output(built):
    result = runner.invoke(app, ["search", "Russia", "--store", str(built), "--lang", "ru"])
    assert result.exit_code == 0, result.output
    assert "ru1:0" in result.stdout and "reg1" not in result.stdout


def test_search_errors_are_one_line(built, tmp_path):
    result = runner.invoke(app, ["search", "x", "--store", str(built), "--model", "use-m3"])
    assert result.exit_code == 2 and "built with model 'hash-test'" in result.output
    result = runner.invoke(app, ["search", "x", "--store", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "sanctions index" in result.output
    result = runner.invoke(app, ["search", "x", "--store", str(built), "--mode", "fuzzy"])
    assert result.exit_code == 2 and "unknown mode" in result.output
    result = runner.invoke(app, ["search", "--store", str(built)])
    assert result.exit_code == 2
    result = runner.invoke(app, ["index", "--store", str(built), "--model", "use-m3"])
    assert result.exit_code == 2 and "--rebuild" in result.output
    result = runner.invoke(app, ["index", "--store", str(built), "--model", "bert-huge"])
    assert result.exit_code == 2 and "unknown embedding model" in result.output


def test_index_command_reports_no_change(built):
    result = runner.invoke(app, ["index", "--store", str(built), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["added_documents"] == 0 and summary["model"] == "hash-test"


def test_snippet_highlights_query_terms():
    text, spans = snippet("x " * 200 + "integrated circuits shipped", "circuit", width=60)
    assert text.startswith("…")
    assert [text[a:b] for a, b in spans] == ["circuits"]


def test_search_and_match_use_a_running_server_over_the_same_store(built, monkeypatch):
    """With `sanctions serve` up over the store, the CLI asks it (nothing loads
    in the CLI process) and prints the same rows as a local search."""
    from fastapi.testclient import TestClient

    from nlp.serve.app import create_app

    local = runner.invoke(app, ["search", "integrated circuits", "--store", str(built), "--json", "--k", "3"])
    web = TestClient(create_app(built, embedder=HashEmbedder(), evidence=False))
    calls = route_client_to(web, monkeypatch)
    monkeypatch.setattr(search_module, "get_embedder", lambda name: pytest.fail("loaded a model locally"))
    remote = runner.invoke(app, ["search", "integrated circuits", "--store", str(built), "--json", "--k", "3"])
    assert remote.exit_code == 0, remote.output
    assert [json.loads(x)["passage_id"] for x in remote.stdout.splitlines()] == \
        [json.loads(x)["passage_id"] for x in local.stdout.splitlines()]
    assert any("/api/search" in url for url in calls)
    bad = runner.invoke(app, ["search", "x", "--store", str(built), "--since", "2024-13-45"])
    assert bad.exit_code != 0 and "since" in bad.output
    # Another store's server is not used.
    before = len(calls)
    other = runner.invoke(app, ["search", "integrated circuits", "--store", str(built.parent), "--json"])
    assert other.exit_code != 0 and not any("/api/search" in url for url in calls[before:])


def test_search_rejects_impossible_dates_in_one_line(built):
    result = runner.invoke(app, ["search", "x", "--store", str(built), "--since", "2024-13-45"])
    assert result.exit_code != 0
    assert "since is not a calendar date" in result.output
