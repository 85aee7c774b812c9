"""Speed and scale of the index: embedding throughput, latency, memory, ANN recall.

    python scripts/bench_search.py [--sizes 10000 100000 1000000] [--skip-embed]
    python scripts/bench_search.py --store COPY_OF_A_STORE [--no-cli]

With ``--store``: filtered-search latency, CLI latency (with and without a
running server) and per-stage index throughput on a real store
(:mod:`bench_store`); otherwise the synthetic benchmarks below.

1. Embedding: passages/s through the index path (chunking + Embedder.encode)
   vs bare ``SentenceTransformer.encode`` on the same passage texts (ratio).
2. For each size: synthetic clustered unit vectors (384-d, a Gaussian mixture
   like sentence embeddings; fine for ANN timing, not for relevance) in the
   index's dense structure as ``sync_index`` would choose it (flat up to
   50k, else IVF-SQ8); ANN-only latency p50/p99 over single queries; recall@10
   against exact inner-product search; index memory.
3. End to end at 10k and 100k: an index on disk whose passages are SciFact
   sentences recombined (text for BM25) with the synthetic vectors, queried
   through ``SearchIndex.search`` in hybrid mode with real MiniLM query
   embeddings of SciFact claims: p50/p99 per query.

Prints one JSON object. Run it niced: it is CPU-heavy for minutes at 1M.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp import settings  # noqa: E402
from nlp.index import lexical  # noqa: E402
from nlp.index.lexical import Bm25Index  # noqa: E402
from nlp.index.build import PASSAGE_SCHEMA, Manifest, index_dir, write_manifest  # noqa: E402
from nlp.index.dense import FLAT_MAX, DenseIndex, default_nprobe, ivf_nlist  # noqa: E402
from nlp.index.embed import get_embedder  # noqa: E402
from nlp.index.passages import chunk_document  # noqa: E402
from nlp.index.search import SearchIndex  # noqa: E402

DIM = 384
CENTRES = 2000


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()}-core CPU ({platform.machine()}), {mem:.0f} GiB RAM, no GPU, shared with other jobs"


def pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(np.array(values) * 1000, q)), 2)


def centres(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(CENTRES, DIM)).astype(np.float32)


def sample(n: int, seed: int, c: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = c[rng.integers(0, len(c), n)] + 0.6 * rng.normal(size=(n, DIM)).astype(np.float32)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def chunks(n: int, c: np.ndarray, size: int = 100_000):
    for start in range(0, n, size):
        yield start, sample(min(size, n - start), 1000 + start // size, c)


def build_dense(n: int, c: np.ndarray) -> DenseIndex:
    if n <= FLAT_MAX:
        dense = DenseIndex.empty(DIM)
        for start, x in chunks(n, c):
            dense.add(np.arange(start, start + len(x), dtype=np.int64), x)
        return dense
    first = next(chunks(n, c))[1]
    # Train on the first chunk, then add the rest chunk by chunk (bounded memory).
    dense = DenseIndex.build_ivf(np.arange(len(first), dtype=np.int64), first, nlist=ivf_nlist(n))
    for start, x in chunks(n, c):
        if start:
            dense.add(np.arange(start, start + len(x), dtype=np.int64), x)
    return dense


def exact_top10(n: int, c: np.ndarray, queries: np.ndarray) -> np.ndarray:
    best_s = np.full((len(queries), 10), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 10), dtype=np.int64)
    for start, x in chunks(n, c):
        s = queries @ x.T
        i = np.argpartition(-s, 10, axis=1)[:, :10]
        cand_s = np.concatenate([best_s, np.take_along_axis(s, i, 1)], 1)
        cand_i = np.concatenate([best_i, i + start], 1)
        order = np.argsort(-cand_s, axis=1)[:, :10]
        best_s, best_i = np.take_along_axis(cand_s, order, 1), np.take_along_axis(cand_i, order, 1)
    return best_i


def ann_bench(n: int, c: np.ndarray, queries: np.ndarray) -> dict:
    t = time.time()
    dense = build_dense(n, c)
    build_s = time.time() - t
    truth = exact_top10(n, c, queries)
    out = {"kind": dense.kind, "build_s": round(build_s, 1), "memory_mb": round(dense.memory_bytes() / 2**20, 1)}
    nprobes = [None] if dense.kind == "flat" else [8, 16, 32, 64]
    for nprobe in nprobes:
        if nprobe:
            dense.index.nprobe = nprobe
        times, found = [], []
        for q in queries:
            t = time.perf_counter()
            _, ids = dense.search(q[None, :], 10)
            times.append(time.perf_counter() - t)
            found.append(ids[0])
        recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth)]))
        key = "ann" if nprobe is None else f"ann_nprobe{nprobe}"
        out[key] = {"p50_ms": pct(times, 50), "p99_ms": pct(times, 99), "recall@10": round(recall, 4)}
    if dense.kind != "flat":
        dense.index.nprobe = default_nprobe(int(dense.index.nlist))
        out["default_nprobe"] = int(dense.index.nprobe)
        out["nlist"] = int(dense.index.nlist)
    return out, dense


def scifact_texts() -> tuple[list[str], list[str], list[dict]]:
    data = settings.eval_dir() / "scifact"
    docs = [json.loads(l) for l in (data / "corpus.jsonl").open(encoding="utf-8")]
    sentences = [s.strip() for d in docs for s in d["text"].split(". ") if len(s.split()) > 4]
    claims = [json.loads(l)["text"] for l in (data / "queries_train.jsonl").open(encoding="utf-8")]
    return sentences, claims, docs


def embed_bench(docs: list[dict], n_docs: int = 100) -> dict:
    from nlp.records import Block, Document

    embedder = get_embedder("minilm")
    documents = []
    for d in docs[:n_docs]:
        title, text = d["title"], d["text"]
        full = f"{title}\n\n{text}"
        documents.append(Document(d["_id"], "news", "en", full, "scifact", title=title,
                                  blocks=[Block("title", title, 0, len(title)),
                                          Block("paragraph", text, len(title) + 2, len(full))]))
    embedder.encode(["warm up"])
    ours = bare = 0.0
    # Alternate the two twice so that load from other jobs hits both alike.
    for _ in range(2):
        t = time.time()
        passages = [p for doc in documents for p in chunk_document(doc, embedder.count_tokens, embedder.max_tokens)]
        embedder.encode([p.embed_text for p in passages])
        ours += time.time() - t
        texts = [p.embed_text for p in passages]
        t = time.time()
        embedder.model.encode(texts, batch_size=32)  # bare sentence-transformers defaults
        bare += time.time() - t
    return {"passages": len(passages), "index_path_passages_per_s": round(2 * len(passages) / ours, 1),
            "bare_encode_passages_per_s": round(2 * len(passages) / bare, 1),
            "ratio": round(bare / ours, 3)}


def end_to_end(n: int, dense: DenseIndex, sentences: list[str], claims: list[str], workdir: Path) -> dict:
    """An on-disk index of n passages (recombined SciFact sentences + given vectors), hybrid queries."""
    store_dir = workdir / f"e2e_{n}"
    directory = index_dir(store_dir)
    directory.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(model="minilm", dim=DIM, generation=1, dense_kind=dense.kind,
                        passages=n, documents=n)
    rng = np.random.default_rng(7)
    db = sqlite3.connect(directory / manifest.passages_file)
    db.executescript(PASSAGE_SCHEMA)
    t = time.time()
    rows, terms = [], []
    for i in range(n):
        text = ". ".join(sentences[j] for j in rng.integers(0, len(sentences), 4))
        rows.append((i, f"s{i}:0", f"s{i}", 0, 0, len(text), "paragraph", None, None, "news", "en",
                     None, "synthetic", str(i), None, text))
        terms.append((i, lexical.index_text(text)))
    db.executemany("INSERT INTO passages VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.executemany("INSERT INTO passage_terms(rowid, terms) VALUES (?, ?)", terms)
    db.commit()
    db.close()
    Bm25Index.build([i for i, _ in terms], [t.split() for _, t in terms]).save(directory / manifest.lexical_dir)
    lexical_build = time.time() - t
    dense.write(directory / manifest.dense_file)
    write_manifest(directory, manifest)
    times = []
    with SearchIndex(store_dir, "minilm") as index:
        index.search("warm up")
        for claim in claims[:200]:
            t = time.perf_counter()
            index.search(claim, k=10, mode="hybrid")
            times.append(time.perf_counter() - t)
        # Where the time goes: the query embedding alone, and hybrid search given it.
        embed_times = []
        for claim in claims[:100]:
            t = time.perf_counter()
            index.embedder.encode([claim])
            embed_times.append(time.perf_counter() - t)
        lexical_times = []
        for claim in claims[:100]:
            t = time.perf_counter()
            index.search(claim, k=10, mode="lexical")
            lexical_times.append(time.perf_counter() - t)
    size_mb = sum(p.stat().st_size for p in directory.iterdir()) / 2**20
    return {"hybrid_p50_ms": pct(times, 50), "hybrid_p99_ms": pct(times, 99), "queries": len(times),
            "query_embedding_p50_ms": pct(embed_times, 50), "lexical_only_p50_ms": pct(lexical_times, 50),
            "lexical_build_s": round(lexical_build, 1), "index_files_mb": round(size_mb, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--e2e-max", type=int, default=100_000, help="largest size also run end to end")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-embed", action="store_true")
    parser.add_argument("--store", type=Path, help="instead: filtered-search, CLI and index-stage figures "
                        "on this real store (use a copy; see scripts/bench_store.py)")
    parser.add_argument("--no-cli", action="store_true", help="with --store: skip the CLI timings")
    parser.add_argument("--stand-in", action="store_true", help="with --store: (re)build the store's index with "
                        "a stand-in embedder first (filter timing on a whole corpus without model embedding)")
    args = parser.parse_args()
    settings.offline_models()
    report: dict = {"machine": machine()}
    if args.store:
        from bench_store import build_stand_in_index, store_report

        if args.stand_in:
            report["stand_in_index"] = build_stand_in_index(args.store)
            print("stand-in index", report["stand_in_index"], file=sys.stderr)
        report.update(store_report(args.store, cli=not args.no_cli, stand_in=args.stand_in))
        print(json.dumps(report, indent=1, ensure_ascii=False))
        return
    sentences, claims, docs = scifact_texts()
    if not args.skip_embed:
        report["embedding"] = embed_bench(docs)
        print("embedding", report["embedding"], file=sys.stderr)
    c = centres()
    queries = sample(args.queries, 99, c)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            result, dense = ann_bench(n, c, queries)
            if n <= args.e2e_max:
                result["end_to_end"] = end_to_end(n, dense, sentences, claims, Path(tmp))
            result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
            report[str(n)] = result
            print(n, result, file=sys.stderr)
            del dense
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
