"""``python -m nlp.serve``: the ``sanctions serve`` command on its own."""

import typer

from .commands import serve_command

if __name__ == "__main__":
    typer.run(serve_command)
