"""What ingest keeps in step with the stored files, once per ingest run.

* the list matcher's blocking index (:mod:`nlp.tag.name_index`), rebuilt
  only when the listings changed, so ``sanctions match`` never builds it;
* near-duplicate links between documents (:mod:`nlp.ingest.dedup`): new
  documents are signed, stories recomputed.

What it does not do: read files (:mod:`nlp.ingest`).
"""

from __future__ import annotations


def after_ingest(store, *, changed: bool = True) -> None:
    """Bring the derived tables in line; cheap when nothing changed (a store
    from before these tables existed gets them on its next ingest)."""
    from ..tag.name_index import refresh_name_index
    from .dedup import link_duplicates, unsigned_documents

    if changed or unsigned_documents(store):
        link_duplicates(store)
    if store.totals()["listings"]:
        refresh_name_index(store)
