"""sanctions-nlp: ingest -> extract -> index -> link -> tag/search/serve.

Stages live in sub-packages of the same names; records passed between them are
in :mod:`nlp.records`, the SQLite store in :mod:`nlp.store`, settings in
:mod:`nlp.settings`.
"""

__version__ = "0.1.0"
