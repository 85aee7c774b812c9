"""Index stage: passages, embeddings, faiss + BM25 indexes, hybrid search.

Modules: :mod:`~nlp.index.passages` (structure-aware chunking),
:mod:`~nlp.index.embed` (embedding models behind one interface),
:mod:`~nlp.index.dense` (faiss), :mod:`~nlp.index.lexical` (stemmed terms
and the BM25 index), :mod:`~nlp.index.fusion` (rank fusion),
:mod:`~nlp.index.build` (incremental, atomic index files) and
:mod:`~nlp.index.search` (filtered hybrid queries). See docs/search.md.
"""
