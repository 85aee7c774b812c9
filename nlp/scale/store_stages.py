"""Ray for a store's own documents: ``extract --all --engine ray``, ``index --engine ray``.

What it does: sends the store's documents through the same actor pools the
Ray engine of ``sanctions run`` uses (:class:`~nlp.scale.ray_engine.ExtractActor`,
:class:`~nlp.scale.ray_engine.EmbedActor`) and writes the results where the
local commands write them:

* :func:`extract_store` -- every stored document's annotation layers,
  replaced as ``sanctions extract --all --store`` replaces them (the store's
  listed names as the extra gazetteer);
* :func:`index_store` -- passages of the documents the index lacks,
  embedded on the cluster; :func:`nlp.index.build.sync_index` then builds the
  new index generation from those vectors (nothing embedded twice, same
  atomic save).

What it does not do: read files (``sanctions run`` does) or change what the
store's documents are.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..store import Store
from .stages import document_rows, rows_to_layers


def extract_store(store: Store, *, address: str | None = None, workers: int | None = None,
                  extract_actors: int | None = None, batch_docs: int = 16) -> dict[str, Any]:
    """Annotate every stored document on Ray; returns counts."""
    from ..extract.entities import store_gazetteer
    from .ray_engine import ExtractActor, actor_pool, session

    gazetteer = store_gazetteer(store)
    docs = list(store.documents(with_blocks=False))
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if docs:
        with session(address, workers) as (ray, ray_data):
            annotations = ray_data.from_items(document_rows("", "", docs)).map_batches(
                ExtractActor, fn_constructor_kwargs={"gazetteer": gazetteer if gazetteer.size else None},
                batch_format="pyarrow", batch_size=batch_docs, **actor_pool(ray, ray_data, extract_actors))
            for batch in annotations.iter_batches(batch_format="pyarrow"):
                for row in batch.to_pylist():
                    by_doc[row["doc_id"]].append(row)
    for doc in docs:
        store.replace_annotations(doc.doc_id, rows_to_layers(by_doc.get(doc.doc_id, [])))
    return {"documents": len(docs), "stored": len(docs), "errors": 0, "engine": "ray"}


def index_store(store: Store, model: str | None = None, *, rebuild: bool = False,
                address: str | None = None, workers: int | None = None, embed_actors: int = 1):
    """``sync_index`` with the new passages embedded on Ray; returns its summary."""
    import numpy as np

    from ..index.build import ModelMismatch, _indexed_doc_ids, default_model, index_dir, read_manifest, sync_index
    from ..index.embed import canonical_name
    from .load import PrecomputedEmbedder
    from .ray_engine import EmbedActor, actor_pool, session

    manifest = None if rebuild else read_manifest(index_dir(store.dir))
    name = canonical_name(model) if model else (manifest.model if manifest else default_model(store))
    if manifest is not None and name != manifest.model:
        raise ModelMismatch(f"the index was built with model {manifest.model!r}, not {name!r}: "
                            "rebuild it with --rebuild to change models")
    indexed = _indexed_doc_ids(index_dir(store.dir) / manifest.passages_file) if manifest else set()
    docs = [doc for doc in (store.document(d) for d in store.doc_ids() if d not in indexed) if doc]
    texts: list[str] = []
    vectors: list[Any] = []
    if docs:
        with session(address, workers) as (ray, ray_data):
            passages = ray_data.from_items(document_rows("", "", docs)).map_batches(
                EmbedActor, fn_constructor_kwargs={"model": name}, batch_format="pyarrow", batch_size=32,
                **actor_pool(ray, ray_data, embed_actors))
            for batch in passages.iter_batches(batch_format="pyarrow"):
                texts.extend(batch.column("embed_text").to_pylist())
                vectors.extend(batch.column("vector").to_pylist())
    embedder = PrecomputedEmbedder(name, texts, np.array(vectors, dtype=np.float32))
    return sync_index(store, rebuild=rebuild, embedder=embedder)
