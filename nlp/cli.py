"""The ``sanctions`` command: a typer app over plain functions.

Each pipeline stage keeps its commands in ``nlp/<stage>/commands.py`` with a
``register(app)`` function; this module only assembles them, so ``--help``
stays fast (heavy libraries are imported inside the commands). ``search`` and
``match`` with a running server over the same store are answered before
typer loads (:mod:`nlp.cli_fast`).

Conventions shared by all commands: ``--store DIR`` (default
``$SANCTIONS_STORE`` or ``indexes/store``); ``--json`` or JSON Lines output
for scripts; ``-`` means stdin/stdout where a command takes files.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

COMMAND_MODULES = (
    "nlp.ingest.commands",
    "nlp.extract.commands",
    "nlp.index.commands",
    "nlp.link.commands",
    "nlp.tag.commands",
    "nlp.serve.commands",
    "nlp.export.commands",
    "nlp.tag.batch",
    "nlp.demo",
    "nlp.scale.commands",
)


def build_app() -> Any:
    """The typer app with every stage's commands."""
    import typer

    app = typer.Typer(
        name="sanctions",
        help="Document intelligence for sanctions texts: ingest EU acts, lists, news and trade "
             "data; extract entities, HS codes, dates and citations; search; verify claims.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(app)
    return app


_APP: Any = None


def __getattr__(name: str) -> Any:
    # ``nlp.cli.app`` is built on first use, so a command a running server
    # answers (nlp.cli_fast) never imports typer.
    global _APP
    if name == "app":
        if _APP is None:
            _APP = build_app()
        return _APP
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    from .cli_fast import answered_by_server

    if answered_by_server(sys.argv[1:]):
        return
    __getattr__("app")()


if __name__ == "__main__":
    main()
