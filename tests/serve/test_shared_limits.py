"""Per-client limits that hold across the processes of one server (``sanctions serve --workers N``).

Several processes are stood for by several :class:`SharedLimits` views of one
file with different process ids (this process's parent stands for a live
other worker; a process started and waited for here, for a dead one)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

from nlp.serve.limits import FairGate, Refused, SharedTokenBuckets, buckets
from nlp.serve.shared_limits import SETTING, SharedLimits, shared_limits


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_clients_requests_count_in_every_process(tmp_path):
    path = tmp_path / "limits.sqlite"
    first, second = SharedLimits(path), SharedLimits(path, pid=os.getppid())
    assert first.hold("10.0.0.1", 2) is None and second.hold("10.0.0.1", 2) is None
    assert first.hold("10.0.0.1", 2) == 2 and second.hold("10.0.0.1", 2) == 2
    assert second.hold("10.0.0.2", 2) is None  # another client is not affected
    second.release("10.0.0.1")
    assert first.hold("10.0.0.1", 2) is None
    assert first.held("10.0.0.1") == 2


def test_the_counts_of_a_process_that_died_are_ignored(tmp_path):
    path = tmp_path / "limits.sqlite"
    gone = SharedLimits(path, pid=_dead_pid())
    assert gone.hold("10.0.0.1", 2) is None and gone.hold("10.0.0.1", 2) is None
    alive = SharedLimits(path)
    assert alive.hold("10.0.0.1", 2) is None
    assert alive.held("10.0.0.1") == 1


def test_the_token_budget_is_one_for_all_processes(tmp_path):
    path = tmp_path / "limits.sqlite"
    first, second = SharedLimits(path), SharedLimits(path, pid=os.getppid())
    assert first.charge("10.0.0.1", 900, rate_per_min=60, burst=1000, now=100.0) == 0.0
    wait = second.charge("10.0.0.1", 200, rate_per_min=60, burst=1000, now=100.0)
    assert wait == pytest.approx(100.0)  # 100 tokens short at one token a second
    assert second.charge("10.0.0.1", 200, rate_per_min=60, burst=1000, now=200.0) == 0.0


def test_the_gate_refuses_a_client_at_its_cap_in_another_process(tmp_path):
    path = tmp_path / "limits.sqlite"

    async def scenario() -> None:
        here = FairGate(slots=1, per_client=2, shared=SharedLimits(path))
        there = FairGate(slots=1, per_client=2, shared=SharedLimits(path, pid=os.getppid()))
        await here.acquire("10.0.0.1")
        await there.acquire("10.0.0.1")
        with pytest.raises(Refused) as refused:
            await here.acquire("10.0.0.1")
        assert refused.value.status == 429 and "2 running or waiting" in refused.value.message
        there.release("10.0.0.1")
        waiting = asyncio.create_task(here.acquire("10.0.0.1"))  # queued behind its own first request
        await asyncio.sleep(0.01)
        assert not waiting.done()
        here.release("10.0.0.1")
        await asyncio.wait_for(waiting, 1)
        here.release("10.0.0.1")
        assert SharedLimits(path).held("10.0.0.1") == 0

    asyncio.run(scenario())


def test_a_full_queue_gives_back_the_clients_count(tmp_path):
    path = tmp_path / "limits.sqlite"

    async def scenario() -> None:
        gate = FairGate(slots=1, queue=0, per_client=2, shared=SharedLimits(path))
        await gate.acquire("10.0.0.1")
        with pytest.raises(Refused) as refused:
            await gate.acquire("10.0.0.2")
        assert refused.value.status == 503
        assert gate.shared is not None and gate.shared.held("10.0.0.2") == 0

    asyncio.run(scenario())


def test_the_setting_switches_to_shared_limits(tmp_path, monkeypatch):
    monkeypatch.delenv("SANCTIONS_" + SETTING, raising=False)
    assert shared_limits() is None and not isinstance(buckets(), SharedTokenBuckets)
    monkeypatch.setenv("SANCTIONS_" + SETTING, str(tmp_path / "limits.sqlite"))
    assert shared_limits() is not None and isinstance(buckets(), SharedTokenBuckets)
    assert FairGate.from_env().shared is shared_limits()


def test_serve_names_a_limits_file_only_for_several_processes(monkeypatch):
    from nlp.serve.commands import _shared_limits_file

    name = "SANCTIONS_" + SETTING
    monkeypatch.delenv(name, raising=False)
    with _shared_limits_file(1):
        assert name not in os.environ
    with _shared_limits_file(2):
        path = os.environ[name]
        assert path.endswith("limits.sqlite")
        SharedLimits(path).hold("10.0.0.1", 2)
    assert name not in os.environ and not os.path.exists(path)
