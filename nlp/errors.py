"""The project's errors: one base class that carries an HTTP status.

Every error worth a one-line message to a user derives from
:class:`SanctionsError`: an unreadable file (:class:`ReadError`), an unusable
store (:class:`StoreError`), a missing or damaged search index
(:class:`IndexError_`), an unknown embedding model (:class:`UnknownModel`), a
request the web app refuses (:class:`ApiError`). The CLI prints the message;
the web app answers with ``status`` (mapped in one place, ``nlp.serve.app``).

What it does not do: log, format or decide which errors a stage catches.
Subclasses keep the builtin base they had (``RuntimeError``, ``ValueError``)
so that existing ``except`` clauses still match.
"""

from __future__ import annotations


class SanctionsError(Exception):
    """An error with a one-line message and the HTTP status that fits it."""

    status: int = 500

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class ReadError(SanctionsError):
    """A file that cannot be read, with the reason in one line."""

    status = 422


class StoreError(SanctionsError, RuntimeError):
    """A store folder that cannot be opened or used."""

    status = 503


class IndexError_(SanctionsError, RuntimeError):
    """An index problem worth one clear line (missing, wrong model, damaged)."""

    status = 503


class UnknownModel(SanctionsError, ValueError):
    """An embedding model name that is not one of the known models."""

    status = 400


class UnknownDocument(SanctionsError, KeyError):
    """A document id the store does not hold."""

    status = 404

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class ApiError(SanctionsError):
    """A request the app refuses, with the HTTP status and one line saying why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message, status=status)


class FetchError(SanctionsError):
    """One file could not be fetched; the message is the reason."""

    status = 502
