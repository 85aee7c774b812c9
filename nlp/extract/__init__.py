"""Extract: entities, HS codes, dates and legal citations from documents.

Modules: :mod:`.entities` (named entities, EN + RU), :mod:`.hs_codes`,
:mod:`.dates`, :mod:`.citations` (the finders), :mod:`.pipeline` (one record
per document from all layers, and storing it as annotations) and
:mod:`.commands` (``sanctions extract``). Importing this package loads no
model; the finders load theirs on first use.
"""
