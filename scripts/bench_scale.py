"""Measure the scale-out paths: Ray engine against the local engine, and DuckDB trade facts.

Three measurements, each printed as one JSON object (and all of them written
to ``--json-out`` when given):

* ``engines`` -- documents/s of ``sanctions run`` with the local engine and the
  Ray engine (a local Ray started for the run, ``--workers`` CPUs) on the same
  files, fresh results folders each; the overhead ratio; the peak resident
  memory of every extraction and embedding actor (sampled from /proc); the
  local run's CPU seconds (this process and its extraction processes), which
  give documents per CPU-hour independently of other jobs on the machine.
* ``facts`` -- a synthetic Comtrade-shaped facts dataset (``--facts-rows``
  rows: reporter files of monthly HS6 rows over partners and five years,
  sorted by series like ``sanctions facts comtrade`` writes them) is generated
  once under ``--work``; the two queries verification makes per series
  (observations of a code prefix for a reporter and partner, and the
  coverage of the sources) are timed on DuckDB, cold (new connection) and
  warm (median of repeats).
* ``sqlite`` -- the same queries on the SQLite store at corpus size (a copy
  of ``--store``'s database, never the original), and whole claim
  verifications (``verify_statement`` without evidence) on both backends.
* ``ivfpq`` -- an IVF-PQ index (384-d, 48-byte codes) built as four shards
  from one trained template and merged with faiss ``merge_from``: build and
  merge time, size, single-thread search latency and recall@10 -- the basis of
  the index sizing in docs/scale.md.

    python scripts/bench_scale.py --work /path/outside/the/repo \\
        [--files PATH ...] [--facts-rows 100000000] [--store STORE] [--skip engines]

Figures measured on a shared machine are noisy; ratios come from one run on
the same inputs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nlp.scale.processes import descendants  # noqa: E402  (after the path insert)

DEFAULT_FILES = (
    "news/vlast", "news/en_policytracker_planet", "news/en_reposts_agorahub_pen0",
    "news_ru/web_excerpts", "news_en/web_excerpts",
)


# -- engines ---------------------------------------------------------------------------

class ActorMemory:
    """Peak RSS per actor process of this process's own Ray, by actor class."""

    def __init__(self) -> None:
        self.peak: dict[tuple[str, int], int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ActorMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _sample(self) -> None:
        while not self._stop.is_set():
            for pid in descendants(os.getpid()):
                try:
                    title = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                    if "ExtractActor" not in title and "EmbedActor" not in title:
                        continue
                    kind = "extract" if "ExtractActor" in title else "embed"
                    status = Path(f"/proc/{pid}/status").read_text()
                    rss = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
                except (OSError, StopIteration, ValueError):
                    continue
                key = (kind, pid)
                self.peak[key] = max(self.peak.get(key, 0), rss * 1024)
            self._stop.wait(0.5)

    def summary(self) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        for (kind, _), rss in sorted(self.peak.items()):
            out.setdefault(kind, []).append(round(rss / 2**20, 1))
        return out


def _cpu_seconds() -> float:
    """CPU time of this process and its reaped children (the extraction pool)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bench_engines(files: list[Path], work: Path, workers: int, model: str) -> dict:
    from nlp.scale.run import run

    result: dict = {"files": len(files), "workers": workers, "model": model}
    local_out, ray_out = work / "engines-local", work / "engines-ray"
    for folder in (local_out, ray_out):
        shutil.rmtree(folder, ignore_errors=True)
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    local = run(files, local_out, engine="local", model=model, workers=workers)
    local_s = time.perf_counter() - started
    local_cpu = _cpu_seconds() - cpu_before
    with ActorMemory() as memory:
        started = time.perf_counter()
        ray_run = run(files, ray_out, engine="ray", model=model, workers=workers)
        ray_s = time.perf_counter() - started
    result.update(
        documents=local.documents, passages=local.passages, annotations=local.annotations,
        local_seconds=round(local_s, 1), ray_seconds=round(ray_s, 1),
        local_cpu_seconds=round(local_cpu, 1),
        local_docs_per_cpu_hour=round(local.documents / local_cpu * 3600) if local_cpu else None,
        local_docs_per_s=round(local.documents / local_s, 3),
        ray_docs_per_s=round(ray_run.documents / ray_s, 3),
        overhead_ratio=round(ray_s / local_s, 2),
        actor_peak_rss_mib=memory.summary(),
        same_counts=(local.documents, local.annotations, local.passages)
        == (ray_run.documents, ray_run.annotations, ray_run.passages),
    )
    return result


# -- facts ------------------------------------------------------------------------------

def synthetic_facts(directory: Path, rows: int, seed: int = 0) -> dict:
    """Comtrade-shaped facts: one file per reporter, sorted by series."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from nlp.countries import members_of
    from nlp.reference import chp_items

    done = directory / "DONE.json"
    if done.exists():
        return json.loads(done.read_text())
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    countries = sorted(set(members_of("EU27")) | {
        "KZ", "KG", "AM", "GE", "AZ", "UZ", "TJ", "TM", "RU", "BY", "CN", "TR", "AE", "IN", "US", "GB", "JP",
        "KR", "CH", "NO", "RS", "MN", "IR", "HK", "SG", "MY", "TH", "VN", "IL", "SA", "EG", "BR", "MX", "CA"})
    partners = np.array(countries + ["WORLD"], dtype=object)
    # HS6 codes: the CHP items plus the rest of chapters 84, 85, 88, 90 as stand-ins.
    codes = sorted({i.hs6 for i in chp_items()} | {f"{c}{n:04d}" for c in ("84", "85", "88", "90")
                                                     for n in range(100, 9999, 37)})
    codes_arr = np.array(codes, dtype=object)
    periods = np.array([f"{y}-{m:02d}" for y in range(2019, 2025) for m in range(1, 13)], dtype=object)
    per_reporter = rows // len(countries)
    flows = np.array(["export", "import", "re-export"], dtype=object)
    written = 0
    for number, reporter in enumerate(countries):
        n = per_reporter if number < len(countries) - 1 else rows - written
        table = pa.table({
            "path": pa.array(np.full(n, f"comtrade/{reporter}_2019-2024_M_HS.txt.gz", dtype=object)),
            "doc_id": pa.nulls(n, pa.string()),
            "reporter": pa.array(np.full(n, reporter, dtype=object)),
            "partner": pa.array(partners[rng.integers(0, len(partners), n)]),
            "flow": pa.array(flows[rng.choice(3, n, p=[0.45, 0.45, 0.10])]),
            "product_code": pa.array(codes_arr[rng.integers(0, len(codes_arr), n)]),
            "code_system": pa.array(np.full(n, "HS", dtype=object)),
            "code_level": pa.array(np.full(n, 6, dtype=np.int32)),
            "period": pa.array(periods[rng.integers(0, len(periods), n)]),
            "value": pa.array(np.round(rng.lognormal(10, 2.5, n), 2)),
            "currency": pa.array(np.full(n, "USD", dtype=object)),
            "quantity": pa.array(np.round(rng.lognormal(6, 2, n), 1)),
            "quantity_unit": pa.array(np.full(n, "kg", dtype=object)),
            "reporter_label": pa.nulls(n, pa.string()), "partner_label": pa.nulls(n, pa.string()),
            "product_label": pa.nulls(n, pa.string()),
            "location": pa.nulls(n, pa.string()),
        }).sort_by([(k, "ascending") for k in ("reporter", "partner", "flow", "product_code", "period")])
        part = directory / f"file_id=r{reporter}"
        part.mkdir()
        pq.write_table(table, part / "part-00000.parquet", row_group_size=64_000, compression="zstd")
        written += n
        del table
    info = {"rows": written, "reporters": len(countries), "codes": len(codes), "periods": len(periods),
            "seconds": round(time.perf_counter() - started, 1),
            "bytes": sum(p.stat().st_size for p in directory.rglob("*.parquet"))}
    done.write_text(json.dumps(info))
    return info


QUERIES = (
    {"flow": "export", "granularity": "month", "reporters": ["DE"], "partner": "KZ", "codes": ["8542"]},
    {"flow": "re-export", "granularity": "month", "reporters": ["AM"], "partner": "RU", "codes": ["85"]},
    {"flow": "export", "granularity": "month", "reporters": None, "partner": "KG",
     "codes": ["854231", "854232", "847130"]},
)
EU_QUERY = {"flow": "export", "granularity": "month", "partner": "KZ", "codes": ["8542"]}


def _time_queries(facts, repeats: int, eu: list[str]) -> dict:
    """Per query: observations and coverage timed apart, first run and median."""
    timings: dict[str, dict] = {}
    queries = [*QUERIES, {**EU_QUERY, "reporters": eu}]
    for number, query in enumerate(queries):
        observe, cover, found = [], [], 0
        for _ in range(repeats):
            started = time.perf_counter()
            rows = facts.observations(**query)
            middle = time.perf_counter()
            facts.coverage(sorted({r.source for r in rows}), query["granularity"])
            observe.append(middle - started)
            cover.append(time.perf_counter() - middle)
            found = len(rows)
        timings[f"q{number + 1}"] = {
            "query": query, "rows": found, "sources": len({r.source for r in rows}),
            "observations_first_ms": round(observe[0] * 1000, 1),
            "observations_median_ms": round(statistics.median(observe) * 1000, 1),
            "coverage_first_ms": round(cover[0] * 1000, 1),
            "coverage_median_ms": round(statistics.median(cover) * 1000, 1)}
    return timings


def bench_facts(directory: Path, rows: int, repeats: int) -> dict:
    from nlp.countries import members_of
    from nlp.facts import DuckDBFacts

    info = synthetic_facts(directory, rows)
    started = time.perf_counter()
    duck = DuckDBFacts(directory)
    open_s = time.perf_counter() - started
    return {"dataset": info, "open_ms": round(open_s * 1000, 1), "threads": duck._query(
        "SELECT current_setting('threads')")[0][0],
        "queries": _time_queries(duck, repeats, list(members_of("EU27")))}


def bench_sqlite(store_dir: Path, work: Path, repeats: int) -> dict:
    from nlp.countries import members_of
    from nlp.facts import SQLiteFacts, export_store_facts
    from nlp.store import DB_NAME, Store

    copy = work / "sqlite-store"
    if not (copy / DB_NAME).exists():
        copy.mkdir(parents=True, exist_ok=True)
        source = __import__("sqlite3").connect(f"file:{store_dir / DB_NAME}?mode=ro", uri=True)
        target = __import__("sqlite3").connect(copy / DB_NAME)
        source.backup(target)
        source.close()
        target.close()
    out: dict = {}
    with Store(copy) as store:
        out["trade_facts"] = store.totals()["trade_facts"]
        out["queries"] = _time_queries(SQLiteFacts(store), repeats, list(members_of("EU27")))
        facts_dir = work / "corpus-facts"
        if not facts_dir.exists():
            export_store_facts(store, facts_dir)
        out["claims"] = _time_claims(store, facts_dir)
    return out


def _time_claims(store, facts_dir: Path) -> dict:
    from nlp.link import verify_statement

    claims = [json.loads(line) for line in (REPO / "corpus" / "gold" / "claims_gold.jsonl").open()][:30]
    result = {}
    for backend in ("sqlite", "duckdb"):
        if backend == "duckdb":
            os.environ["SANCTIONS_TRADE_FACTS"] = str(facts_dir)
        else:
            os.environ.pop("SANCTIONS_TRADE_FACTS", None)
        verdicts, runs = [], []
        for claim in claims:
            started = time.perf_counter()
            verdicts.append(verify_statement(claim["claim"], store, published=claim.get("published"),
                                             lang=claim.get("lang", "auto"), with_evidence=False)["verdict"])
            runs.append(time.perf_counter() - started)
        result[backend] = {"claims": len(claims), "median_ms": round(statistics.median(runs) * 1000, 1),
                           "p90_ms": round(sorted(runs)[int(0.9 * len(runs))] * 1000, 1),
                           "verdicts": verdicts}
    os.environ.pop("SANCTIONS_TRADE_FACTS", None)
    result["same_verdicts"] = result["sqlite"].pop("verdicts") == result["duckdb"].pop("verdicts")
    return result


# -- IVF-PQ shards -------------------------------------------------------------------------

def bench_ivfpq(vectors: int, dim: int, nlist: int, m: int, shards: int, queries: int = 200,
                seed: int = 0) -> dict:
    """IVF-PQ built as shards from one trained template, merged, and searched.

    Vectors are synthetic and clustered (unit length, like passage
    embeddings). Each shard is what one worker would build from its part of
    the passages dataset; ``merge_from`` joins them into the analyst
    server's index. Timings are single-threaded searches.
    """
    import faiss
    import numpy as np

    faiss.omp_set_num_threads(1)
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(1024, dim)).astype(np.float32)
    labels = rng.integers(0, len(centres), vectors)
    data = centres[labels] + 0.35 * rng.normal(size=(vectors, dim)).astype(np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    query_rows = rng.choice(vectors, queries, replace=False)
    qs = data[query_rows] + 0.05 * rng.normal(size=(queries, dim)).astype(np.float32)
    qs /= np.linalg.norm(qs, axis=1, keepdims=True)

    started = time.perf_counter()
    template = faiss.IndexIVFPQ(faiss.IndexFlatIP(dim), dim, nlist, m, 8, faiss.METRIC_INNER_PRODUCT)
    template.train(data[rng.choice(vectors, min(vectors, 64 * nlist), replace=False)])
    train_s = time.perf_counter() - started
    blob = faiss.serialize_index(template)
    started = time.perf_counter()
    parts = []
    for number, rows in enumerate(np.array_split(np.arange(vectors), shards)):
        shard = faiss.deserialize_index(blob)
        shard.add_with_ids(data[rows], rows.astype(np.int64))
        parts.append(shard)
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    merged = parts[0]
    for shard in parts[1:]:
        merged.merge_from(shard, 0)
    merge_s = time.perf_counter() - started
    exact = faiss.IndexFlatIP(dim)
    exact.add(data)
    _, truth = exact.search(qs, 10)
    out = {"vectors": vectors, "dim": dim, "nlist": nlist, "pq_bytes": m, "shards": shards,
           "train_s": round(train_s, 1), "build_s": round(build_s, 1), "merge_s": round(merge_s, 2),
           "ntotal": int(merged.ntotal),
           "index_bytes": len(faiss.serialize_index(merged))}
    for nprobe in (16, 64):
        merged.nprobe = nprobe
        for rerank in (0, 100):
            # rerank: take that many PQ candidates and order them by the exact
            # inner product (vectors kept beside the index, e.g. 8-bit codes).
            times, found = [], []
            for q in qs:
                started = time.perf_counter()
                _, ids = merged.search(q[None, :], rerank or 10)
                if rerank:
                    candidates = ids[0][ids[0] >= 0]
                    ids = candidates[np.argsort(-(data[candidates] @ q))[:10]][None, :]
                times.append(time.perf_counter() - started)
                found.append(ids[0])
            recall = float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)]))
            times.sort()
            out[f"nprobe{nprobe}" + (f"_rerank{rerank}" if rerank else "")] = {
                "p50_ms": round(times[len(times) // 2] * 1000, 3),
                "p99_ms": round(times[int(0.99 * len(times))] * 1000, 3),
                "recall_at_10": round(recall, 3)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="scratch folder outside the repository")
    parser.add_argument("--files", nargs="*", type=Path, help="inputs for the engine comparison "
                        "(default: the news folders of the shared corpus)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--facts-rows", type=int, default=100_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--store", type=Path, help="store for the SQLite comparison (copied, not changed)")
    parser.add_argument("--ivfpq-vectors", type=int, default=1_000_000)
    parser.add_argument("--ivfpq-nlist", type=int, default=1024)
    parser.add_argument("--skip", nargs="*", default=[], choices=["engines", "facts", "sqlite", "ivfpq"])
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args.work.mkdir(parents=True, exist_ok=True)
    if str(args.work.resolve()).startswith(str(REPO)):
        parser.error("--work must be outside the repository")
    results: dict = {}
    if "engines" not in args.skip:
        from nlp import settings

        files = args.files or [settings.corpus_dir() / f for f in DEFAULT_FILES]
        results["engines"] = bench_engines(files, args.work, args.workers, args.model)
        print(json.dumps({"engines": results["engines"]}), flush=True)
    if "facts" not in args.skip:
        results["facts"] = bench_facts(args.work / f"facts-{args.facts_rows}", args.facts_rows, args.repeats)
        print(json.dumps({"facts": results["facts"]}), flush=True)
    if "sqlite" not in args.skip and args.store:
        results["sqlite"] = bench_sqlite(args.store, args.work, args.repeats)
        print(json.dumps({"sqlite": results["sqlite"]}), flush=True)
    if "ivfpq" not in args.skip:
        results["ivfpq"] = bench_ivfpq(args.ivfpq_vectors, 384, args.ivfpq_nlist, 48, 4)
        print(json.dumps({"ivfpq": results["ivfpq"]}), flush=True)
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
