import numpy as np

from nlp.index.dense import DenseIndex, default_nprobe, ivf_nlist


def clustered(n, dim=32, centres=50, seed=0):
    rng = np.random.default_rng(seed)
    c = rng.normal(size=(centres, dim))
    x = c[rng.integers(0, centres, n)] + 0.3 * rng.normal(size=(n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_flat_add_remove_filter_and_files(tmp_path):
    vectors = clustered(500)
    ids = np.arange(1000, 1500, dtype=np.int64)
    index = DenseIndex.empty(32)
    index.add(ids, vectors)
    scores, found = index.search(vectors[:1], 3)
    assert found[0][0] == 1000 and abs(scores[0][0] - 1.0) < 1e-5
    assert index.remove(np.array([1000])) == 1
    assert 1000 not in index.search(vectors[:1], 5)[1][0]
    allowed = np.array([1200, 1300])
    assert set(index.search(vectors[:1], 5, allowed)[1][0]) - {-1} == {1200, 1300}
    index.write(tmp_path / "d.faiss")
    again = DenseIndex.read(tmp_path / "d.faiss")
    assert again.ntotal == 499 and again.kind == "flat"


def test_flat_grows_into_ivf_with_high_recall():
    vectors = clustered(6000)
    ids = np.arange(6000, dtype=np.int64)
    flat = DenseIndex.empty(32)
    flat.add(ids, vectors)
    ivf = flat.grown(flat_max=5000)
    assert ivf.kind == "ivf-sq8" and ivf.ntotal == 6000
    queries = clustered(50, seed=1)
    exact = flat.search(queries, 10)[1]
    approx = ivf.search(queries, 10)[1]
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(exact, approx)])
    assert recall >= 0.9
    # A narrow filter still finds its ids (every list is probed).
    allowed = np.array([5, 6, 7])
    assert set(ivf.search(queries[:1], 3, allowed)[1][0]) == {5, 6, 7}
    ivf.remove(np.array([5]))
    assert ivf.ntotal == 5999
    assert ivf.memory_bytes() < flat.memory_bytes()


def test_sizes():
    assert ivf_nlist(10_000) == 256 and ivf_nlist(1_000_000) == 2048
    assert default_nprobe(2048) == 32 and default_nprobe(64) == 16
