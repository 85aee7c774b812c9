"""What ingest keeps in step with the stored files, once per ingest run.

* the list matcher's blocking index (:mod:`nlp.tag.name_index`), rebuilt
  only when the listings changed, so ``sanctions match`` never builds it;
* corpus metadata files (README, PROVENANCE, ...) stored as news by an
  older reader get the kind ``metadata``;
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

    _mark_corpus_metadata(store)
    if changed or unsigned_documents(store):
        link_duplicates(store)
    if store.totals()["listings"]:
        refresh_name_index(store)


def _mark_corpus_metadata(store) -> None:
    from ..text import is_corpus_metadata

    wrong = [doc_id for doc_id, path in store.doc_paths("news") if is_corpus_metadata(path)]
    if wrong:
        store.set_kind(wrong, "metadata")
