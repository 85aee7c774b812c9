"""The Ray engine on a real two-node cluster on loopback.

A head and a second node are started with ``ray start`` as separate process
groups (in a network namespace with loopback only, small CPU counts and object
stores, bounded waits),
the pipeline runs on a slice of the shared corpus, and the Parquet output is
compared with the local engine's. Then an extraction actor is killed in the
middle of a run: Ray restarts it and retries its batches, and the output
equals the undisturbed run's, with no duplicates. The cluster's processes are
stopped by process group and id at the end (never a machine-wide ``ray stop``:
other jobs may run clusters of their own).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

pytest.importorskip("ray")
pytest.importorskip("pyarrow")

from nlp.scale.processes import descendants  # noqa: E402
from nlp.scale.ray_engine import runtime_env  # noqa: E402  (after the skips above)
from nlp.scale.run import run  # noqa: E402

from .results_helpers import assert_no_duplicates, assert_same_results  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SLICE = (
    "news/vlast",
    "news/en_policytracker_planet",
    "news/en_reposts_agorahub_pen0/2024-03-04-russia-busting-sanctions.txt",
    "news_ru/web_excerpts/ru_sanctions_reexport_news_excerpts.jsonl",
    "trade_stats/kazakhstan_stat_gov_kz/kz_total_exports_monthly_bns.csv",
    "trade_stats/armenia_tvyal/official_RX_data.csv",
)
START_TIMEOUT = 120
MODEL = "minilm"


def _title(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class Cluster:
    """A head and a second node, each ``ray start --block`` in its own process group,
    inside a network namespace of this test's own that has nothing but loopback.

    Ray joins nodes through the machine's outward address when it has one;
    in the namespace the only address is 127.0.0.1, so every connection of the
    cluster and its drivers stays on loopback, and its ports cannot collide
    with other jobs on the machine.
    """

    PORT = 6379

    def __init__(self) -> None:
        self.temp = Path(tempfile.mkdtemp(prefix="rc", dir="/tmp"))
        self.env = {**os.environ, "PYTHONPATH": runtime_env()["env_vars"]["PYTHONPATH"],
                    "HF_HUB_OFFLINE": "1", "RAY_USAGE_STATS_ENABLED": "0",
                    # Ray's token authentication, with the token in ~/.ray/auth_token.
                    "RAY_AUTH_MODE": "token"}
        self.ray = str(Path(sys.executable).with_name("ray"))
        self.procs: list[subprocess.Popen] = []
        self.netns: subprocess.Popen | None = None

    def _inside(self, command: list[str]) -> list[str]:
        assert self.netns is not None
        return ["nsenter", f"--net=/proc/{self.netns.pid}/ns/net", "--", *command]

    def _open_namespace(self) -> None:
        self.netns = subprocess.Popen(["unshare", "-n", "sh", "-c", "ip link set lo up && exec sleep 86400"],
                                      start_new_session=True, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE)
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.netns.poll() is not None:
                reason = self.netns.stderr.read().decode(errors="replace").strip() if self.netns.stderr else ""
                pytest.skip(f"cannot make a network namespace for the test cluster: {reason}")
            if "sleep" in _title(self.netns.pid):
                return
            time.sleep(0.1)
        raise RuntimeError("the network namespace did not come up")

    def _start(self, *args: str, base: int, cpus: int) -> None:
        command = [self.ray, "start", "--block", "--node-ip-address=127.0.0.1", f"--num-cpus={cpus}",
                   "--object-store-memory=120000000", "--disable-usage-stats",
                   f"--node-manager-port={base}", f"--object-manager-port={base + 1}",
                   f"--dashboard-agent-listen-port={base + 2}", f"--dashboard-agent-grpc-port={base + 3}",
                   f"--metrics-export-port={base + 4}", f"--min-worker-port={base + 10}",
                   f"--max-worker-port={base + 60}", *args]
        log = (self.temp / f"node{len(self.procs)}.log").open("wb")
        self.procs.append(subprocess.Popen(self._inside(command), env=self.env, stdout=log,
                                           stderr=subprocess.STDOUT, start_new_session=True))
        log.close()

    def start(self) -> None:
        if not (Path.home() / ".ray" / "auth_token").exists():
            subprocess.run([self.ray, "get-auth-token", "--generate"], env=self.env, check=True,
                           capture_output=True, timeout=60)
        self._open_namespace()
        self._start("--head", f"--port={self.PORT}", "--dashboard-port=8265", "--include-dashboard=false",
                    f"--temp-dir={self.temp}", base=20000, cpus=2)
        self._wait_nodes(1)
        self._start(f"--address={self.address}", base=21000, cpus=2)
        self._wait_nodes(2)

    def _wait_nodes(self, count: int) -> None:
        deadline = time.time() + START_TIMEOUT
        while self.alive_nodes() < count:
            if time.time() > deadline or any(p.poll() is not None for p in self.procs):
                raise RuntimeError(f"the cluster did not reach {count} nodes; logs in {self.temp}")
            time.sleep(2)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.PORT}"

    def alive_nodes(self) -> int:
        code = (f"import ray; ray.init(address={self.address!r}, log_to_driver=False); "
                "print(sum(1 for n in ray.nodes() if n['Alive']))")
        try:
            done = subprocess.run(self._inside([sys.executable, "-c", code]), env=self.env, check=False,
                                  capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:  # a driver that cannot reach the head yet: not up
            return 0
        lines = done.stdout.strip().splitlines()
        return int(lines[-1]) if done.returncode == 0 and lines else 0

    def run(self, paths: list[Path], out: Path, *extra: str) -> dict:
        """``sanctions run --engine ray`` as a driver process joined to this cluster."""
        command = [sys.executable, "-m", "nlp", "run", *map(str, paths), "--out", str(out),
                   "--engine", "ray", "--address", self.address, "--model", MODEL, "--json", *extra]
        done = subprocess.run(self._inside(command), env=self.env, check=False, capture_output=True,
                              text=True, timeout=1200)
        assert done.returncode in (0, 1), done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def processes(self) -> list[int]:
        return [pid for proc in self.procs for pid in [proc.pid, *descendants(proc.pid)]]

    def stop(self) -> None:
        pids = self.processes()
        for proc in reversed(self.procs):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.time() + 20
        for proc in self.procs:
            try:
                proc.wait(timeout=max(1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in pids:  # whatever left its group: by id, as listed above
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for proc in self.procs:
            proc.wait(timeout=30)
        if self.netns is not None:
            self.netns.kill()
            self.netns.wait(timeout=30)
        shutil.rmtree(self.temp, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster()
    try:
        try:
            cluster.start()
        except (RuntimeError, subprocess.TimeoutExpired):
            # A head that does not come up on a loaded machine is started
            # afresh once (new namespace, new folder) before the tests error.
            cluster.stop()
            cluster = Cluster()
            cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def corpus_slice(corpus: Path, tmp_path_factory) -> list[Path]:
    paths = [corpus / part for part in SLICE]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        pytest.skip(f"corpus slice incomplete: {missing}")
    broken = tmp_path_factory.mktemp("bad") / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 truncated")
    return [*paths, broken]


@pytest.fixture(scope="module")
def local_results(corpus_slice, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    summary = run(corpus_slice, out, engine="local", model=MODEL, workers=1)
    assert summary.failed == 1 and summary.documents > 10
    return out


@pytest.fixture(scope="module")
def ray_results(cluster, corpus_slice, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ray") / "out"
    summary = cluster.run(corpus_slice, out, "--extract-actors", "2")
    assert summary["failed"] == 1 and summary["failures"][0]["path"].endswith("broken.pdf")
    return out


def test_cluster_output_equals_the_local_engine(cluster, local_results, ray_results):
    assert cluster.alive_nodes() == 2
    counts = assert_same_results(local_results, ray_results)
    assert counts["documents"] > 10 and counts["annotations"] > 100 and counts["passages"] > 10
    assert counts["trade_facts"] > 0
    assert_no_duplicates(ray_results)


def test_killed_extraction_actor_loses_and_duplicates_nothing(cluster, corpus_slice, ray_results,
                                                              tmp_path):
    killed: list[int] = []
    done = threading.Event()

    def killer() -> None:
        # Wait for an extraction actor that has loaded its models and taken work.
        deadline = time.time() + 300
        while not done.is_set() and time.time() < deadline:
            actors = [pid for pid in cluster.processes() if "ExtractActor" in _title(pid)]
            if actors and not killed:
                time.sleep(5)
                if done.is_set():
                    return
                os.kill(actors[0], signal.SIGKILL)
                killed.append(actors[0])
            time.sleep(0.5)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    out = tmp_path / "out"
    try:
        summary = cluster.run(corpus_slice, out, "--extract-actors", "2", "--batch-docs", "1")
    finally:
        done.set()
        thread.join(timeout=30)
    assert killed, "no extraction actor was found to kill"
    assert summary["failed"] == 1
    assert_no_duplicates(out)
    assert_same_results(ray_results, out)
