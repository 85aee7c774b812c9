"""A mistyped --store is an error, not a new empty store that answers with zeros."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from nlp.cli import app

READING_COMMANDS = [
    ["corpus"],
    ["link", "--all"],
    ["export", "--format", "ftm", "-o", "-"],
    ["extract", "--all"],
    ["report", "abc", "--out", "r.md"],
    ["verify", "EU exports of chips to Kazakhstan rose in 2023"],
    ["index"],
]


@pytest.mark.parametrize("args", READING_COMMANDS, ids=lambda a: a[0])
def test_a_command_reading_a_store_refuses_a_missing_one(tmp_path, monkeypatch, args):
    monkeypatch.setenv("SANCTIONS_SERVER", "off")
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "no_such_store"
    result = CliRunner().invoke(app, [*args, "--store", str(missing)])
    assert result.exit_code == 2, result.output
    assert f"no store at {missing}" in result.output
    assert not missing.exists()


def test_ingest_still_makes_a_new_store(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "note.txt").write_text("EU exports of microchips to Kazakhstan rose in 2023.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(src), "--store", str(tmp_path / "new"), "--json"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new" / "store.sqlite").is_file()
