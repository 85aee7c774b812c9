"""Bad input to the CLI: one clear line and exit 2, never a traceback or an answer to nothing."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nlp.cli import app
from nlp.store import Store


@pytest.fixture()
def empty_store(tmp_path, monkeypatch):
    monkeypatch.setenv("SANCTIONS_SERVER", "off")
    Store(tmp_path / "store").close()
    return str(tmp_path / "store")


@pytest.mark.parametrize("out", ["missing_dir/x.ftm.json", "."])
def test_export_to_an_unwritable_path_is_one_line(tmp_path, empty_store, out, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["export", "--store", empty_store, "-o", out])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: cannot write"), result.output
    assert "Traceback" not in result.output


def test_search_with_an_empty_query_is_refused(empty_store):
    result = CliRunner().invoke(app, ["search", "  ", "--store", empty_store])
    assert result.exit_code == 2 and "the query is empty" in result.output, result.output


def test_verify_names_the_bad_published_date(empty_store):
    result = CliRunner().invoke(app, ["verify", "EU exports of chips to Kazakhstan rose", "--store", empty_store,
                                      "--published", "2024-13-01"])
    assert result.exit_code == 2, result.output
    assert "--published must be a date YYYY-MM-DD, not '2024-13-01'" in result.output


def test_verify_batch_keeps_going_past_a_line_with_a_bad_date(tmp_path, empty_store):
    claims = tmp_path / "claims.jsonl"
    claims.write_text(json.dumps({"id": "a", "claim": "EU exports of chips to Kazakhstan rose in 2023",
                                  "published": "2024-13-01"}) + "\n"
                      + json.dumps({"id": "b", "claim": "EU exports of chips to Kazakhstan rose in 2023",
                                    "published": "2024-03-01"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["verify", "--claims", str(claims), "--store", empty_store, "--no-evidence"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert "published" in lines[0]["error"] and "verdict" in lines[1]
