"""The ``sanctions`` command: a typer app over plain functions.

Each pipeline stage keeps its commands in ``nlp/<stage>/commands.py`` with a
``register(app)`` function; this module only assembles them, so ``--help``
stays fast (heavy libraries are imported inside the commands).

Conventions shared by all commands: ``--store DIR`` (default
``$SANCTIONS_STORE`` or ``indexes/store``); ``--json`` or JSON Lines output
for scripts; ``-`` means stdin/stdout where a command takes files.
"""

from __future__ import annotations

import importlib

import typer

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

app = typer.Typer(
    name="sanctions",
    help="Document intelligence for sanctions texts: ingest EU acts, lists, news and trade "
         "data; extract entities, HS codes, dates and citations; search; verify claims.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
