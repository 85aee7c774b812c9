"""Dense vector index over passage embeddings (faiss), chosen by size.

What it does: keeps L2-normalised vectors under int64 passage ids and finds
the nearest by inner product (= cosine):

* up to :data:`FLAT_MAX` vectors: exact search, ``IndexIDMap2(IndexFlatIP)``;
* above it: ``IndexIVFScalarQuantizer`` with 8-bit scalar quantisation
  (1 byte per dimension: 384 MB for a million 384-d vectors) and
  ``nlist`` ~ 2 sqrt(n) inverted lists, searched with ``nprobe`` lists.

Adding and removing ids is incremental for both kinds (IVF needs no
retraining to add). A flat index that outgrows :data:`FLAT_MAX` is turned
into IVF once, from its own stored vectors, without re-embedding.
Filters become a faiss ``IDSelector`` so the search itself skips passages
that are filtered out.

Why IVF-SQ8 rather than HNSW: HNSW cannot delete ids, and replacing a
document must remove its passages; IVF supports ``remove_ids``.

What it does not do: persistence policy (atomic saves and the manifest are
in :mod:`nlp.index.store_index`); embedding (:mod:`nlp.index.embed`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import settings

FLAT_MAX = 50_000
# Lists probed per query, as a fraction of nlist (at least MIN_NPROBE).
NPROBE_FRACTION = 1 / 64
MIN_NPROBE = 16
# Below this share of allowed ids, an IVF search probes every list so that
# a narrow filter still finds its passages.
NARROW_FILTER = 0.05
# Filter selectors kept for id arrays that recur (see DenseIndex._selector).
SELECTORS_KEPT = 4


def _faiss():
    import faiss

    # On small shared CPUs extra OpenMP threads spin against other jobs;
    # SANCTIONS_FAISS_THREADS raises it on a machine of one's own.
    faiss.omp_set_num_threads(settings.faiss_threads())
    return faiss


@dataclass
class DenseInfo:
    kind: str  # "flat" | "ivf-sq8"
    dim: int
    ntotal: int
    nlist: int | None = None
    nprobe: int | None = None


class DenseIndex:
    def __init__(self, index, dim: int):
        self.index = index
        self.dim = dim

    # -- construction ------------------------------------------------------
    @classmethod
    def empty(cls, dim: int) -> "DenseIndex":
        faiss = _faiss()
        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)), dim)

    @classmethod
    def build_ivf(cls, ids: np.ndarray, vectors: np.ndarray, *, nlist: int | None = None,
                  seed: int = 0) -> "DenseIndex":
        """IVF-SQ8 trained on (a sample of) ``vectors`` and holding all of them."""
        faiss = _faiss()
        n, dim = vectors.shape
        if nlist is None:
            nlist = ivf_nlist(n)
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFScalarQuantizer(quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit,
                                              faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(seed)
        sample = vectors if n <= 64 * nlist else vectors[rng.choice(n, 64 * nlist, replace=False)]
        index.train(np.ascontiguousarray(sample, dtype=np.float32))
        index.nprobe = default_nprobe(nlist)
        dense = cls(index, dim)
        dense.add(ids, vectors)
        return dense

    @property
    def kind(self) -> str:
        return "flat" if self._is_flat() else "ivf-sq8"

    def _is_flat(self) -> bool:
        faiss = _faiss()
        return isinstance(self.index, faiss.IndexIDMap2) or isinstance(self.index, faiss.IndexIDMap)

    @property
    def ntotal(self) -> int:
        return int(self.index.ntotal)

    def info(self) -> DenseInfo:
        if self._is_flat():
            return DenseInfo("flat", self.dim, self.ntotal)
        return DenseInfo("ivf-sq8", self.dim, self.ntotal, int(self.index.nlist), int(self.index.nprobe))

    # -- updates -------------------------------------------------------------
    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids) == 0:
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape[1] != self.dim:
            raise ValueError(f"vectors have {vectors.shape[1]} dimensions, the index {self.dim}")
        self.index.add_with_ids(vectors, np.ascontiguousarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> int:
        if len(ids) == 0:
            return 0
        faiss = _faiss()
        return int(self.index.remove_ids(faiss.IDSelectorBatch(np.ascontiguousarray(ids, dtype=np.int64))))

    def all_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of a flat index, for turning it into IVF."""
        faiss = _faiss()
        ids = faiss.vector_to_array(self.index.id_map).astype(np.int64)
        vectors = self.index.index.reconstruct_n(0, self.index.index.ntotal)
        return ids, vectors

    def grown(self, flat_max: int = FLAT_MAX) -> "DenseIndex":
        """This index, or an IVF one built from its vectors once it outgrew flat."""
        if self._is_flat() and self.ntotal > flat_max:
            ids, vectors = self.all_vectors()
            return DenseIndex.build_ivf(ids, vectors)
        return self

    # -- search --------------------------------------------------------------
    def search(self, queries: np.ndarray, k: int,
               allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of shape (len(queries), k); missing hits have id -1."""
        faiss = _faiss()
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        k = max(1, min(k, max(1, self.ntotal)))
        if self.ntotal == 0:
            return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
        params = None
        if allowed is not None:
            if len(allowed) == 0:
                return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
            selector = self._selector(allowed)
            if self._is_flat():
                params = faiss.SearchParameters(sel=selector)
            else:
                nprobe = int(self.index.nprobe)
                if len(allowed) < NARROW_FILTER * self.ntotal:
                    nprobe = int(self.index.nlist)
                params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
            # Keep the selector alive for the duration of the call.
            params._selector_ref = selector
        scores, ids = self.index.search(queries, k, params=params)
        return scores, ids

    def _selector(self, allowed: np.ndarray):
        """A faiss selector for ``allowed``. The selectors of the last few id
        arrays are kept, keyed by the array object: the per-language id arrays
        of cross-language search come back on every query, and building a
        selector hashes every id (callers never change an array they passed)."""
        kept: list = self.__dict__.setdefault("_selectors", [])
        for array, selector in kept:
            if array is allowed:
                return selector
        selector = _faiss().IDSelectorBatch(np.ascontiguousarray(allowed, dtype=np.int64))
        self._selectors = [(allowed, selector), *kept[:SELECTORS_KEPT - 1]]
        return selector

    # -- files ---------------------------------------------------------------
    def write(self, path: Path) -> None:
        _faiss().write_index(self.index, str(path))

    @classmethod
    def read(cls, path: Path) -> "DenseIndex":
        index = _faiss().read_index(str(path))
        return cls(index, int(index.d))

    def memory_bytes(self) -> int:
        """Bytes the index holds in memory (vectors/codes, ids, centroids)."""
        faiss = _faiss()
        if self._is_flat():
            return int(self.ntotal * (self.dim * 4 + 8))
        ivf = faiss.extract_index_ivf(self.index)
        invlists = ivf.invlists
        codes = sum(invlists.list_size(i) for i in range(ivf.nlist)) * (ivf.code_size + 8)
        return int(codes + ivf.nlist * self.dim * 4)


def ivf_nlist(n: int) -> int:
    """About 2 sqrt(n) lists, as a power of two between 64 and 65536.

    Fewer lists than the usual 4 sqrt(n) keep training and adding cheap on
    small CPUs; probing 1/64 of them stays fast (see scripts/bench_search.py).
    """
    target = max(64, min(65536, 2 * math.sqrt(max(n, 1))))
    return 2 ** round(math.log2(target))


def default_nprobe(nlist: int) -> int:
    return max(MIN_NPROBE, min(nlist, int(round(nlist * NPROBE_FRACTION))))
