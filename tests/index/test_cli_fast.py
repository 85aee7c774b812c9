"""The server fast path of `sanctions search` / `match` prints what the full commands print."""

from __future__ import annotations

import subprocess
import sys

import pytest
from index_helpers import HashEmbedder, news_en, news_ru, put, regulation, route_client_to
from typer.testing import CliRunner

import nlp.index.search as search_module
from nlp.cli import app
from nlp.cli_fast import MATCH_OPTIONS, SEARCH_OPTIONS, answered_by_server, parse
from nlp.index.build import sync_index

runner = CliRunner()


def test_parse_takes_plain_arguments_only():
    assert parse(["chips", "--store", "s", "-k", "3", "--json"], SEARCH_OPTIONS) == \
        {"argument": "chips", "store": "s", "k": "3", "json": True}
    assert parse(["--country=KZ", "chips"], SEARCH_OPTIONS) == {"argument": "chips", "country": "KZ"}
    for args in (["chips", "--queries", "q.jsonl"], ["chips", "--help"], ["a", "b"], ["--k", "3"],
                 ["chips", "--k"], ["chips", "--json=1"], ["chips", "--k", "1", "--k", "2"], []):
        assert parse(args, SEARCH_OPTIONS) is None, args
    assert parse(["Roman Abramovich", "--schema", "Person"], MATCH_OPTIONS) == \
        {"argument": "Roman Abramovich", "schema": "Person"}


@pytest.fixture()
def served(store, monkeypatch):
    """A store with an index, and a web app over it that the CLI's HTTP calls reach."""
    from fastapi.testclient import TestClient

    from nlp.serve.app import create_app
    from nlp.tag.tagging import clear_search_memo

    put(store, "a.xml", regulation())
    put(store, "b.json", news_ru())
    put(store, "c.txt", news_en())
    sync_index(store, embedder=HashEmbedder())
    monkeypatch.setattr(search_module, "get_embedder", lambda name: HashEmbedder())
    web = TestClient(create_app(store.dir, embedder=HashEmbedder(), evidence=False))
    calls = route_client_to(web, monkeypatch)
    clear_search_memo()
    return store.dir, calls


@pytest.mark.parametrize("args", [
    ["search", "integrated circuits"],
    ["search", "integrated circuits", "--json", "-k", "2"],
    ["search", "реэкспорт микросхем", "--lang", "ru", "--json"],
    ["match", "Ivan Testovsky", "--json"],
])
def test_fast_path_prints_what_the_full_command_prints(served, capsys, args):
    store_dir, calls = served
    args = [*args, "--store", str(store_dir)]
    full = runner.invoke(app, args)
    assert full.exit_code == 0, full.output
    assert answered_by_server(args) is True
    assert capsys.readouterr().out == full.stdout
    assert any(args[0] in url for url in calls)


def test_fast_path_leaves_the_rest_to_the_full_command(served, capsys):
    store_dir, calls = served
    assert answered_by_server(["search", "x", "--store", str(store_dir), "--queries", "q.jsonl"]) is False
    assert answered_by_server(["search", "x", "--store", str(store_dir), "--mode", "fuzzy"]) is False
    assert answered_by_server(["index", "--store", str(store_dir)]) is False
    before = len(calls)  # another store's server is not asked
    assert answered_by_server(["search", "x", "--store", str(store_dir.parent)]) is False
    assert not any("/api/search" in url for url in calls[before:])
    with pytest.raises(SystemExit) as exit_info:  # the server's refusal, as the full command reports it
        answered_by_server(["search", "x", "--store", str(store_dir), "--since", "2024-13-45"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.startswith("error: since is not a calendar date")


def test_the_cli_module_loads_typer_only_when_a_command_needs_it():
    code = "import sys, nlp.cli; print('typer' in sys.modules); nlp.cli.app; print('typer' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout.split() == ["False", "True"], done.stderr


@pytest.mark.parametrize("command, table", [("search", SEARCH_OPTIONS), ("match", MATCH_OPTIONS)])
def test_fast_option_tables_agree_with_the_full_commands(command, table):
    """Each option the fast path reads is an option of the full command, taking
    a value exactly when the full command's does (the fast path's own key names
    are its own)."""
    import typer.main

    click_command = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    full = {flag: not getattr(param, "is_flag", False)
            for param in click_command.params if param.param_type_name == "option" for flag in param.opts}
    for flag, (_, takes_value) in table.items():
        assert flag in full, f"{command} {flag}: not an option of the full command"
        assert full[flag] == takes_value, (command, flag)
