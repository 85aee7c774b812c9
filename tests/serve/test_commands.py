"""``sanctions serve``: options and its refusal of a missing store."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from nlp.serve.commands import register


def app() -> typer.Typer:
    cli = typer.Typer()
    register(cli)

    @cli.command("noop")
    def noop() -> None:  # a second command keeps typer from flattening the app
        pass

    return cli


def test_serve_help_lists_the_options():
    result = CliRunner().invoke(app(), ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--store", "--host", "--port"):
        assert option in result.output
    assert "127.0.0.1" in result.output


def test_serve_refuses_a_folder_without_a_store(tmp_path):
    result = CliRunner().invoke(app(), ["serve", "--store", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "no store at" in result.output
