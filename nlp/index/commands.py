"""CLI commands of this stage (being written)."""


def register(app) -> None:
    """Add this stage's commands to the app."""
