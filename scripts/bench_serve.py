#!/usr/bin/env python
"""Load check of the web app: requests/s and p50/p99 latency of search and tag,
and (``--mixed-seconds``) mixed traffic with one hostile client.

Starts ``python -m nlp.serve`` on a free loopback port over a store, sends a
bounded number of requests (and never for longer than ``--max-seconds`` per
endpoint) from a few client threads, and prints one JSON summary. Exits 1 if
any request failed. Not a test: figures depend on the machine and its load.

    python scripts/bench_serve.py --store indexes/demo          # an existing store
    python scripts/bench_serve.py                               # builds one from corpus/samples
    python scripts/bench_serve.py --store S --skip-single --mixed-seconds 60

The mixed run has 8 clients, each from its own loopback address: 4 search,
2 tag, 1 honest extract, and 1 hostile client sending worst-case extract
bodies (runs of one-token characters up to the request budget, and bodies
over it) from two loops. Honest clients must see no error; the hostile one
gets 413/429/503 when it asks for too much.

Without ``--store`` it builds a store in a temporary folder from the
project's samples (ingest, extract, index with the default model, link).
Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

QUERIES = [
    "EU exports of integrated circuits to Kazakhstan",
    "re-export of dual-use goods to Russia",
    "Common High Priority items tier 1",
    "экспорт микросхем в Казахстан",
    "exports of optical instruments to Armenia",
    "Council Regulation 833/2014 Article 12g",
    "trade with Kyrgyzstan grew in 2022",
    "санкции против России",
]
# Project-written articles (not corpus text).
ARTICLES = [
    "EU exports of integrated circuits (HS 8542) to Kazakhstan rose sharply in 2022 compared with 2021, "
    "according to Eurostat data. The Commission said on 10 March 2023 that it was watching re-exports.",
    "Экспорт микросхем (ТН ВЭД 8542) из ЕС в Казахстан вырос в 2022 году по сравнению с 2021 годом, "
    "сообщило министерство торговли.",
    "Armenian re-exports of cars to Russia grew in 2023. Officials in Yerevan denied that dual-use "
    "goods such as HS 8471 computers were part of the flows.",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_store(folder: Path) -> Path:
    from nlp.extract.pipeline import extract_documents, store_record
    from nlp.index.build import sync_index
    from nlp.ingest import ingest
    from nlp.link import link_document, linkable_documents
    from nlp.settings import offline_models
    from nlp.store import Store

    offline_models()
    store_dir = folder / "store"
    with Store(store_dir) as store:
        ingest([REPO / "corpus" / "samples"], store)
        for record in extract_documents(list(store.documents(with_blocks=False))):
            store_record(store, record)
        sync_index(store)
        for doc_id in linkable_documents(store):
            link_document(doc_id, store)
    return store_dir


def wait_until_up(base: str, process: subprocess.Popen, timeout: float = 120) -> None:
    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with code {process.returncode}")
        try:
            if httpx.get(base + "/api/stats", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not come up in time")


def wait_for_warm_up(base: str, workers: int = 1, timeout: float = 600) -> dict | None:
    """Wait until every server process has loaded its models (``warm_up`` in
    /api/health; each poll is a new connection, so the processes answer in
    turn), so that the figures are the steady state, not loading; returns the
    warm-up times of each process."""
    import httpx

    deadline = time.time() + timeout
    ready: dict[str, dict | None] = {}
    while time.time() < deadline:
        try:
            answer = httpx.get(base + "/api/health", timeout=10).json()
        except httpx.TimeoutException:  # a loaded machine and a process busy loading
            continue
        state = answer.get("warm_up")
        if not state or state.get("done"):
            ready[str(answer.get("worker"))] = state
            if len(ready) >= workers:
                return ready if workers > 1 else state
        time.sleep(0.2)
    raise SystemExit("the server's warm-up did not finish in time")


def process_tree_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by a process and its descendants
    (Linux /proc; None elsewhere). Per request it is the figure least moved by
    other jobs on a shared machine, which stretch wall times, not work."""
    try:
        tick = os.sysconf("SC_CLK_TCK")
        total, todo = 0.0, [pid]
        while todo:
            current = todo.pop()
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        return total
    except (OSError, ValueError, IndexError):
        return None


def run_load(name: str, send, requests: int, concurrency: int, max_seconds: float,
             server_cpu=None) -> dict:
    """Send ``requests`` requests (fewer if time runs out) from ``concurrency`` threads;
    ``server_cpu`` (a function: the server's CPU seconds so far) adds its CPU per request."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(requests))
    stop_at = time.perf_counter() + max_seconds

    def worker() -> None:
        while time.perf_counter() < stop_at:
            with lock:
                number = next(counter, None)
            if number is None:
                return
            started = time.perf_counter()
            try:
                status = send(number)
                problem = None if status == 200 else f"HTTP {status}"
            except Exception as exc:  # a failed request is a data point, not a crash
                problem = f"{type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if problem:
                    errors.append(problem)

    cpu_before = server_cpu() if server_cpu else None
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for _ in range(concurrency):
            pool.submit(worker)
    wall = time.perf_counter() - started
    cpu_after = server_cpu() if server_cpu else None
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000, 1)

    return {"endpoint": name, "requests": len(latencies), "errors": len(errors),
            "error_examples": sorted(set(errors))[:3], "concurrency": concurrency,
            "seconds": round(wall, 2), "requests_per_s": round(len(latencies) / wall, 2) if wall else None,
            "p50_ms": pct(50) if ordered else None, "p99_ms": pct(99) if ordered else None,
            "mean_ms": round(statistics.fmean(ordered) * 1000, 1) if ordered else None,
            "server_cpu_ms_per_request": round((cpu_after - cpu_before) / len(latencies) * 1000, 2)
            if cpu_before is not None and cpu_after is not None and latencies else None}


# Targets for the web app (issue: "a fast web app"), checked on every run and
# reported next to the figures; 8 clients.
TARGETS = {"GET /api/search": {"p50_ms": 50, "p99_ms": 300}, "POST /api/tag": {"p50_ms": 1000}}


class PerThreadClients:
    """One HTTP client per client thread, each with its own loopback source address
    (127.0.0.10, .11, ...): the server's request limits count per address, so 8 client
    threads are 8 clients, as in production, not one client sending 8 at once.

    The clients are made before any timing starts (making an httpx client costs
    tens of milliseconds, which the first request of each thread would otherwise
    count as server latency); threads take them in turn."""

    def __init__(self, base: str, count: int = 8):
        self.base = base
        self._local = threading.local()
        self._made = [_client(base, f"127.0.0.{10 + i}") for i in range(count)]
        self._handed = 0
        self._lock = threading.Lock()

    def _client(self):
        client = getattr(self._local, "client", None)
        if client is None:
            with self._lock:
                client = self._made[self._handed % len(self._made)]
                self._handed += 1
            self._local.client = client
        return client

    def get(self, *args, **kwargs):
        return self._client().get(*args, **kwargs)

    def post(self, *args, **kwargs):
        return self._client().post(*args, **kwargs)

    def close(self) -> None:
        for client in self._made:
            client.close()


def distinct_search_load(client, requests: int, concurrency: int, max_seconds: float, server_cpu=None) -> dict:
    """Searches whose texts never repeat (a number appended), so no cached query
    vector helps: the cost of a query the server has not seen."""
    def search(number: int) -> int:
        query = f"{QUERIES[number % len(QUERIES)]} {number}"
        return client.get("/api/search", params={"q": query, "k": 10}).status_code

    return run_load("GET /api/search (distinct queries)", search, requests, concurrency, max_seconds, server_cpu)


def distinct_tag_load(client, requests: int, concurrency: int, max_seconds: float, server_cpu=None) -> dict:
    """Tags of texts that never repeat (a sentence with a number appended), so no
    remembered extraction helps."""
    def tag(number: int) -> int:
        text = f"{ARTICLES[number % len(ARTICLES)]} Reference {number}."
        return client.post("/api/tag", json={"text": text, "published": "2023-06-01"}).status_code

    return run_load("POST /api/tag (distinct texts)", tag, requests, concurrency, max_seconds, server_cpu)


def target_check(results: list[dict]) -> dict:
    """Each target with the measured figure and whether it is met."""
    out = {}
    for result in results:
        for key, limit in TARGETS.get(result["endpoint"], {}).items():
            value = result.get(key)
            out[f"{result['endpoint']} {key} <= {limit}"] = {
                "measured": value, "met": value is not None and value <= limit}
    return out


def machine() -> str:
    """The facts a rerun elsewhere needs to compare: cores, memory, CPU, Python."""
    try:
        memory = f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM"
    except (ValueError, OSError, AttributeError):
        memory = "RAM unknown"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU cores ({cpu}), {memory}, Python {platform.python_version()}"


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg()) + " (1/5/15 min)"
    except OSError:
        return "unknown"


# Worst-case extract bodies within the request budget: one token per
# character (spaCy's costliest input), and bodies over it (refused cheaply).
HOSTILE_BODIES = ["«" * 3_990, "(" * 3_990, "2023 " * 1_990, "A. " * 1_990, "\u200b" * 3_990, "«" * 200_000]


def _client(base: str, address: str):
    """An HTTP client with its own loopback source address (the gate tells clients apart by address)."""
    import httpx

    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=base, timeout=120, transport=transport)


def run_mixed(base: str, seconds: float, max_requests: int) -> dict:
    """8 clients at once for ``seconds``: 4 search, 2 tag, 1 honest extract, 1 hostile extract."""
    plan = [("search", f"127.0.0.{2 + i}") for i in range(4)] + \
           [("tag", "127.0.0.6"), ("tag", "127.0.0.7"), ("extract", "127.0.0.8"), ("hostile", "127.0.0.9")]
    records: dict[str, list[tuple[float, int | str]]] = {role: [] for role, _ in plan}
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client_loop(role: str, address: str, offset: int) -> None:
        with _client(base, address) as client:
            for number in range(max_requests):  # bounded, whatever the clock says
                if time.perf_counter() >= stop_at:
                    return
                started = time.perf_counter()
                try:
                    if role == "search":
                        status: int | str = client.get("/api/search", params={
                            "q": QUERIES[(number + offset) % len(QUERIES)], "k": 10}).status_code
                    elif role == "tag":
                        status = client.post("/api/tag", json={"text": ARTICLES[(number + offset) % len(ARTICLES)],
                                                               "published": "2023-06-01"}).status_code
                    elif role == "extract":
                        status = client.post("/api/extract", json={"text": ARTICLES[number % len(ARTICLES)]}).status_code
                    else:
                        status = client.post("/api/extract", json={
                            "text": HOSTILE_BODIES[number % len(HOSTILE_BODIES)], "lang": "en"}).status_code
                except Exception as exc:  # a failed request is a data point
                    status = type(exc).__name__
                with lock:
                    records[role].append((time.perf_counter() - started, status))

    threads = [threading.Thread(target=client_loop, args=(role, address, i)) for i, (role, address) in enumerate(plan)]
    # The hostile client also runs a second loop (its per-client allowance is 2).
    threads.append(threading.Thread(target=client_loop, args=("hostile", "127.0.0.9", 1)))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started

    def summary(role: str) -> dict:
        rows = records[role]
        ok = sorted(t for t, status in rows if status == 200)
        statuses: dict[str, int] = {}
        for _, status in rows:
            statuses[str(status)] = statuses.get(str(status), 0) + 1

        def pct(p: float) -> float | None:
            return round(ok[min(len(ok) - 1, int(round(p / 100 * (len(ok) - 1))))] * 1000, 1) if ok else None

        return {"requests": len(rows), "statuses": statuses, "p50_ms": pct(50), "p99_ms": pct(99),
                "max_ms": round(ok[-1] * 1000, 1) if ok else None}

    return {"clients": len(threads), "seconds": round(wall, 1),
            "endpoints": {"GET /api/search (4 honest clients)": summary("search"),
                          "POST /api/tag (2 honest clients)": summary("tag"),
                          "POST /api/extract (1 honest client)": summary("extract"),
                          "POST /api/extract (1 hostile client, worst-case bodies)": summary("hostile")}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="store folder with an index (default: build one)")
    parser.add_argument("--search-requests", type=int, default=2000,
                        help="searches of the 8 bench queries (enough that p99 is not one stall)")
    parser.add_argument("--tag-requests", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--distinct-search-requests", type=int, default=300,
                        help="searches with never-repeated texts (0 to skip)")
    parser.add_argument("--distinct-tag-requests", type=int, default=24,
                        help="tags of never-repeated texts (0 to skip)")
    parser.add_argument("--max-seconds", type=float, default=90, help="cap per endpoint")
    parser.add_argument("--out", type=Path, help="also write the JSON summary here")
    parser.add_argument("--mixed-seconds", type=float, default=0,
                        help="also run mixed traffic from 8 clients (search, tag, extract and one hostile "
                             "client sending worst-case extract bodies) for this many seconds")
    parser.add_argument("--mixed-max-requests", type=int, default=500, help="cap per client loop")
    parser.add_argument("--skip-single", action="store_true", help="only the mixed run")
    parser.add_argument("--workers", type=int, default=1,
                        help="server processes (`sanctions serve --workers N`)")
    args = parser.parse_args()

    import httpx

    load_before = load_average()
    temp = tempfile.TemporaryDirectory(prefix="bench-serve-")
    store_dir = args.store
    if store_dir is None:
        print("building a store from corpus/samples ...", file=sys.stderr)
        built = time.perf_counter()
        store_dir = build_store(Path(temp.name))
        print(f"  built in {time.perf_counter() - built:.1f} s", file=sys.stderr)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("SANCTIONS_API_TOKEN", None)  # the bench only reads
    server = subprocess.Popen([sys.executable, "-m", "nlp.serve", "--store", str(store_dir), "--port",
                               str(port), "--log-level", "warning", "--workers", str(args.workers)],
                              cwd=REPO, env=env)
    try:
        wait_until_up(base, server)
        warm_up = wait_for_warm_up(base, args.workers)
        with httpx.Client(base_url=base, timeout=300, limits=httpx.Limits(max_connections=32)) as client:
            # Warm-up: the first search loads the embedding model, the first tag the NLP models.
            client.get("/api/search", params={"q": QUERIES[0]})
            client.post("/api/tag", json={"text": ARTICLES[0]})
            client.post("/api/tag", json={"text": ARTICLES[1]})

            clients = PerThreadClients(base, args.concurrency)  # one source address per client thread

            def search(number: int) -> int:
                return clients.get("/api/search", params={"q": QUERIES[number % len(QUERIES)], "k": 10}).status_code

            def tag(number: int) -> int:
                return clients.post("/api/tag", json={"text": ARTICLES[number % len(ARTICLES)],
                                                      "published": "2023-06-01"}).status_code

            def server_cpu() -> float | None:
                return process_tree_cpu(server.pid)

            results = [] if args.skip_single else [
                run_load("GET /api/search", search, args.search_requests, args.concurrency, args.max_seconds,
                         server_cpu),
                run_load("POST /api/tag", tag, args.tag_requests, args.concurrency, args.max_seconds, server_cpu)]
            if args.distinct_search_requests and not args.skip_single:
                results.append(distinct_search_load(clients, args.distinct_search_requests, args.concurrency,
                                                    args.max_seconds, server_cpu))
            if args.distinct_tag_requests and not args.skip_single:
                results.append(distinct_tag_load(clients, args.distinct_tag_requests, args.concurrency,
                                                 args.max_seconds, server_cpu))
            clients.close()
            client.post("/api/extract", json={"text": ARTICLES[0]})
        mixed = run_mixed(base, args.mixed_seconds, args.mixed_max_requests) if args.mixed_seconds else None
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        temp.cleanup()
    summary = {"command": "python scripts/bench_serve.py " + " ".join(sys.argv[1:]), "machine": machine(),
               "server": f"uvicorn, {args.workers} process{'es' if args.workers > 1 else ''}, loopback", "server_warm_up": warm_up, "results": results,
               "targets": target_check(results), "load_average_before": load_before,
               "load_average_after": load_average()}
    if mixed is not None:
        summary["mixed"] = mixed
    honest_errors = 0 if mixed is None else sum(
        n for name, e in mixed["endpoints"].items() if "hostile" not in name
        for status, n in e["statuses"].items() if status != "200")
    text = json.dumps(summary, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 1 if any(r["errors"] for r in results) or honest_errors else 0


if __name__ == "__main__":
    sys.exit(main())
